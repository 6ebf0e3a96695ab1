"""The methods dataclasses generate are compiled once and kept between processes, so a command
does not compile the same three hundred sources at every start; a copy that is damaged or made
by another Python is never run."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peelwatch import _cache
from peelwatch._cache import ClassCodeStore, cached_class_code

SOURCE = "def __create_fn__():\n def answer(self):\n  return 42\n return answer"
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture()
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of its own, and a fresh process store for this test."""
    monkeypatch.setenv("PEELWATCH_CACHE", str(tmp_path))
    _cache.class_code_store.cache_clear()
    yield tmp_path
    _cache.class_code_store.cache_clear()


def test_a_source_is_compiled_once_and_read_back_by_the_next_store(tmp_path: Path, monkeypatch):
    path = tmp_path / "classcode.marshal"
    first = ClassCodeStore(path)
    code = first.compile(SOURCE)
    first.save()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled instead of read back")

    monkeypatch.setattr("builtins.compile", refuse)
    again = ClassCodeStore(path).compile(SOURCE)
    assert again == code
    namespace: dict[str, object] = {}
    exec(again, {}, namespace)
    assert namespace["__create_fn__"]()(None) == 42


def test_a_damaged_copy_is_not_run_and_is_replaced(tmp_path: Path):
    path = tmp_path / "classcode.marshal"
    store = ClassCodeStore(path)
    store.compile(SOURCE)
    store.save()
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF  # one byte of the code changed: the checksum no longer fits
    path.write_bytes(bytes(data))
    fresh = ClassCodeStore(path)
    assert fresh.compile(SOURCE) == compile(SOURCE, "<string>", "exec", dont_inherit=True)
    fresh.save()
    assert path.read_bytes() != bytes(data)


def test_a_copy_from_another_python_is_not_read(tmp_path: Path):
    path = tmp_path / "classcode.marshal"
    store = ClassCodeStore(path)
    store.compile(SOURCE)
    store.save()
    _build, newline, rest = path.read_bytes().partition(b"\n")
    path.write_bytes(b"3.0.0 (another build)" + newline + rest)
    assert ClassCodeStore(path)._read() == {}


def test_classes_made_inside_behave_as_without_and_the_module_is_left_as_it_was(kept: Path):
    def make() -> type:
        @dataclasses.dataclass(frozen=True, order=True)
        class Point:
            x: int
            y: int = 0

        return Point

    plain = make()
    with cached_class_code():
        assert "exec" in vars(dataclasses)
        first = make()
    assert "exec" not in vars(dataclasses)
    (copy,) = kept.glob("classcode-*.marshal")
    with cached_class_code():
        second = make()
    for cls in (first, second):
        a, b = cls(1, 2), cls(1)
        assert repr(a) == repr(plain(1, 2))
        assert a == cls(1, 2) and b < a and hash(a) == hash(cls(1, 2))
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.x = 3  # type: ignore[misc]
    assert copy.exists()


def test_without_a_cache_folder_nothing_is_patched_or_written(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PEELWATCH_CACHE", "")
    monkeypatch.chdir(tmp_path)
    _cache.class_code_store.cache_clear()
    try:
        with cached_class_code():
            assert "exec" not in vars(dataclasses)
    finally:
        _cache.class_code_store.cache_clear()
    assert list(tmp_path.iterdir()) == []


def test_the_second_extract_command_compiles_no_dataclass_method(tmp_path: Path):
    note = tmp_path / "note.txt"
    note.write_text("Kent Police was rated good at preventing crime.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    env = {**os.environ, "PEELWATCH_CACHE": str(cache), "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-m", "peelwatch", "extract", str(note), "--format", "json"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    (copy,) = cache.glob("classcode-*.marshal")
    kept = copy.read_bytes()
    second = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert second.stdout == first.stdout and '"grade": "good"' in second.stdout
    assert copy.read_bytes() == kept  # every source was found in the copy: nothing new to write
