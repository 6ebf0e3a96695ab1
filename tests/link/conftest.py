"""Fixtures for linking tests: an empty store per backend and a builder of small documents."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
import pg

SHARED_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "documents"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """An open, empty store on each backend."""
    from peelwatch.store import open_store

    url = pg.backend_url(request.param, tmp_path)
    if url is None:
        pytest.skip(pg.skip_reason())
    st = open_store(url)
    yield st
    st.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[object]:
    """An open, empty SQLite store (for tests that open several)."""
    from peelwatch.store import open_store

    st = open_store(str(tmp_path / "link.db"))
    yield st
    st.close()


@pytest.fixture
def shared_corpus() -> Path:
    """The shared corpus beside the repository, or a skip saying it is absent."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not beside the repository ({SHARED_CORPUS} not found)")
    return SHARED_CORPUS
