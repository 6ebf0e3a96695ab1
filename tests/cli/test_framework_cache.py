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


def test_the_vocabulary_and_wording_are_cached_beside_the_framework(cache: Path):
    from peelwatch.framework.vocabulary import Vocabulary, _read_vocabulary
    from peelwatch.framework.wording import Wording, _read_wording

    files = _load.data_file("vocabulary.yaml")
    first = _load.read_cached("vocabulary", files, Vocabulary, _read_vocabulary)
    (copy,) = cache.glob("vocabulary-*.pickle")
    assert _load.read_cached("vocabulary", files, Vocabulary, _read_vocabulary) == first == _read_vocabulary()
    wording = _load.read_cached("wording", _load.data_file("wording.yaml"), Wording, _read_wording)
    assert list(cache.glob("wording-*.pickle")) and wording == _read_wording()
    assert copy.exists()


def test_a_copy_of_another_kind_is_not_used(cache: Path):
    files = {"x.yaml": "a: 1"}
    assert _load.read_cached("thing", files, dict, lambda: {"a": 1}) == {"a": 1}
    (copy,) = cache.glob("thing-*.pickle")
    copy.write_bytes(__import__("pickle").dumps(["a list"]))
    assert _load.read_cached("thing", files, dict, lambda: {"b": 2}) == {"b": 2}


def test_the_data_files_words_come_stemmed_as_the_stemmer_stems_them(cache: Path):
    import snowballstemmer

    stems = _load.read_stems()
    stemmer = snowballstemmer.stemmer("english")
    assert stems["investigating"] == stemmer.stemWord("investigating") == "investig"
    # hyphenated words of the data files are held joined as well, as subject matching joins them
    assert "reoffending" in stems and "antisocial" in stems
    assert all(stems[w] == stemmer.stemWord(w) for w in list(stems)[::50])
    assert _load.read_stems() == stems


def test_only_the_newest_copies_of_a_kind_are_kept(cache: Path):
    import os

    from peelwatch._cache import _KEPT_PER_KIND, write_whole

    for n in range(_KEPT_PER_KIND + 3):
        write_whole(cache / f"stems-{n:032x}.pickle", b"copy")
        os.utime(cache / f"stems-{n:032x}.pickle", (1_000_000 + n, 1_000_000 + n))
    (cache / "framework-other-kind.pickle").write_bytes(b"kept")
    write_whole(cache / "stems-newest.pickle", b"copy")

    kept = sorted(p.name for p in cache.glob("stems-*.pickle"))
    newest_old = [f"stems-{n:032x}.pickle" for n in range(4, _KEPT_PER_KIND + 3)]
    assert kept == sorted([*newest_old, "stems-newest.pickle"])
    assert (cache / "framework-other-kind.pickle").exists()
