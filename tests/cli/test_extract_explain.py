"""``peelwatch extract FILE --explain``, run as a user runs it: which rule produced each fact,
what decided the metadata, and why each grade left over was not read as a judgment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LETTER = """PEEL 2023–2025 – a note on Kent Police

Kent Police was rated good at preventing crime and investigating crime.
Responding to the public and managing offenders were judged to require improvement.
Staff told us the force made good progress with its new call centre.
Twelve forces were rated outstanding at tackling serious and organised crime.

Areas for improvement

The force should make sure that call handlers record every repeat caller.
"""


def extract(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "220"}
    return subprocess.run(
        [sys.executable, "-m", "peelwatch", "extract", str(path), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture()
def note(tmp_path: Path) -> Path:
    path = tmp_path / "kent-note.txt"
    path.write_text(LETTER, encoding="utf-8")
    return path


def test_explain_names_the_relation_behind_each_judgment(note: Path) -> None:
    result = extract(note, "--explain")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "grade-then-subjects  good — preventing crime" in out
    assert "grade-then-subjects  good — investigating crime" in out
    assert "subjects-then-grade  requires improvement — Responding to the public" in out
    assert "subjects-then-grade  requires improvement — managing offenders" in out


def test_explain_says_why_a_grade_was_left_alone(note: Path) -> None:
    out = extract(note, "--explain").stdout
    assert "good: describes a noun ('good progress')" in out
    assert "outstanding: about forces in general" in out


def test_explain_shows_spans_that_point_into_the_text(note: Path) -> None:
    data = json.loads(extract(note, "--explain", "--format", "json").stdout)
    text = note.read_text(encoding="utf-8")
    for j in data["judgments"]:
        assert j["rule"]
        assert text[j["start"] : j["end"]].strip() == j["evidence"]
    for u in data["unattached"]:
        assert text[u["start"] : u["end"]] == u["text"]
        assert u["reason"]
    assert data["findings"] and all(f["rule"] for f in data["findings"])


def test_plain_json_keeps_the_contract_shape(note: Path) -> None:
    data = json.loads(extract(note, "--format", "json").stdout)
    assert "unattached" not in data and "reasons" not in data
    assert {"kind", "force", "cycle", "judgments", "findings", "responses"} <= data.keys()
