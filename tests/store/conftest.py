"""Fixtures for store tests: ``db_url`` runs a test on SQLite and on a throwaway PostgreSQL.

The PostgreSQL server starts once per test process (see ``pg.shared_server``). Where it cannot
start the PostgreSQL cases skip with the reason, except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import pg

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database on each backend."""
    url = pg.backend_url(request.param, tmp_path)
    if url is None:
        pytest.skip(pg.skip_reason())
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[object]:
    """An open store on each backend."""
    from peelwatch.store import open_store

    st = open_store(db_url)
    yield st
    st.close()


@pytest.fixture
def fixtures_dir() -> Path:
    """Folder of the store's own small test documents."""
    return FIXTURES
