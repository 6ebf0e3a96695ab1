"""``peelwatch correct`` and ``peelwatch corrections``, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPORT = """PEEL 2021/22: An inspection of Dyfed-Powys Police

Investigating crime: adequate

Area for improvement
The force should make sure that victims are told how their case is progressing.
"""


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peelwatch", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    doc = tmp_path / "report.txt"
    doc.write_text(REPORT)
    path = tmp_path / "record.db"
    done = run("ingest", str(doc), "--no-progress", db=path)
    assert done.returncode == 0, done.stderr
    return path


def test_correct_then_list_then_take_back(db: Path) -> None:
    made = run(
        "correct", "judgment", "1", "grade", "Good", "--note", "the table says good", "--user", "ana", db=db
    )
    assert made.returncode == 0, made.stderr
    info = json.loads(run("corrections", "list", "--format", "json", db=db).stdout)
    assert [(c["field"], c["original"], c["value"], c["actor"]) for c in info] == [
        ("grade", "adequate", "good", "ana")
    ]
    back = run("corrections", "revert", str(info[0]["id"]), db=db)
    assert back.returncode == 0 and "grade is 'adequate'" in back.stdout


def test_a_wrong_value_is_one_line_and_a_non_zero_exit(db: Path) -> None:
    done = run("correct", "judgment", "1", "grade", "splendid", db=db)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "peelwatch: error: 'splendid' is not a grade; grades are outstanding, good, adequate, "
        "requires improvement, inadequate, ungraded"
    ]


def test_adding_a_missed_finding(db: Path) -> None:
    done = run(
        "corrections", "add-finding", "1", "recommendation", "The force should publish its plan.", db=db
    )
    assert done.returncode == 0, done.stderr
    listed = json.loads(run("findings", "--format", "json", db=db).stdout)
    assert "The force should publish its plan." in json.dumps(listed)
