"""The parsed framework is cached between processes, keyed by the data files' contents, so a
command starts without parsing YAML; a damaged or stale copy is never used."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelwatch.framework import _load


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PEELWATCH_CACHE", str(tmp_path))
    return tmp_path


def test_the_first_read_writes_a_copy_the_next_reads_back(cache: Path):
    first = _load.read_framework()
    (copy,) = cache.glob("framework-*.pickle")
    assert _load.read_framework() == first
    assert list(cache.glob("framework-*.pickle")) == [copy]


def test_a_damaged_copy_is_parsed_again_and_replaced(cache: Path):
    expected = _load.read_framework()
    (copy,) = cache.glob("framework-*.pickle")
    copy.write_bytes(b"not a pickle")
    assert _load.read_framework() == expected
    assert copy.read_bytes() != b"not a pickle"


def test_edited_data_files_get_a_copy_of_their_own(cache: Path, monkeypatch: pytest.MonkeyPatch):
    _load.read_framework()
    files = _load._yaml_files()
    files["keys.yaml"] += "\n# an edit\n"
    monkeypatch.setattr(_load, "_yaml_files", lambda: files)
    _load.read_framework()
    assert len(list(cache.glob("framework-*.pickle"))) == 2


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PEELWATCH_CACHE", "")
    monkeypatch.chdir(tmp_path)
    _load.read_framework()
    assert _load.cache_dir() is None
    assert list(tmp_path.iterdir()) == []
