"""The extractor's compiled patterns are kept between processes, so a command starts without
compiling them again; a damaged, foreign or refused copy is never used."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from peelwatch.extract._lazy import PatternStore

SOURCE = r"(?P<grade>requires\s+improvement|good)\b"
SRC = Path(__file__).resolve().parents[2] / "src"


def _no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("compiled instead of rebuilt from the kept copy")

    monkeypatch.setattr(re, "compile", refuse)


def test_a_pattern_is_rebuilt_from_the_copy_an_earlier_store_kept(tmp_path: Path, monkeypatch):
    path = tmp_path / "patterns.pickle"
    first = PatternStore(path)
    compiled = first.compile(SOURCE, re.IGNORECASE)
    first.save()
    assert path.exists()
    _no_compiling(monkeypatch)
    rebuilt = PatternStore(path).compile(SOURCE, re.IGNORECASE)
    assert rebuilt == compiled and rebuilt.groupindex == {"grade": 1}
    assert rebuilt.search("It Requires  improvement.").group("grade") == "Requires  improvement"


def test_a_damaged_copy_is_compiled_again_and_replaced(tmp_path: Path):
    path = tmp_path / "patterns.pickle"
    path.write_bytes(b"not a pickle")
    store = PatternStore(path)
    assert store.compile(SOURCE, 0) == re.compile(SOURCE)
    store.save()
    assert path.read_bytes() != b"not a pickle"


def test_a_program_the_engine_refuses_is_compiled_again(tmp_path: Path):
    path = tmp_path / "patterns.pickle"
    path.write_bytes(pickle.dumps({(SOURCE, 0): (32, [1, 2, 3], 1, {"grade": 1}, (None, "grade"))}))
    assert PatternStore(path).compile(SOURCE, 0) == re.compile(SOURCE)


def test_without_a_cache_folder_nothing_is_written(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = PatternStore(None)
    assert store.compile(SOURCE, 0) == re.compile(SOURCE)
    store.save()
    assert list(tmp_path.iterdir()) == []


def test_the_second_command_reads_the_copy_the_first_wrote_and_extracts_the_same(tmp_path: Path):
    note = tmp_path / "note.txt"
    note.write_text("Kent Police was rated good at preventing crime.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    env = {**os.environ, "PEELWATCH_CACHE": str(cache), "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-m", "peelwatch", "extract", str(note), "--format", "json"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    (copy,) = cache.glob("patterns-*.pickle")
    kept = copy.read_bytes()
    second = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert second.stdout == first.stdout and '"grade": "good"' in second.stdout
    assert copy.read_bytes() == kept  # nothing new to add
