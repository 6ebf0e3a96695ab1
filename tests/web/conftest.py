"""Shared fixtures of the web tests: a seeded database, the app over it, a test client."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from auth_helpers import editor_client
from web_seed import SMALL_LIMIT, Seeded, seed

from peelwatch.config import Settings
from peelwatch.store import open_store
from peelwatch.web import create_app


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Seeded]:
    """A SQLite database with the seed documents, shared by the read-only tests."""
    path = tmp_path_factory.mktemp("webdb") / "seeded.db"
    url = f"sqlite:///{path}"
    store = open_store(url)
    try:
        ids = seed(store)
    finally:
        store.close()
    return url, ids


@pytest.fixture(scope="session")
def client(seeded_db: tuple[str, Seeded]) -> Iterator[TestClient]:
    """A client of the app over the seeded database (do not write through it)."""
    url, _ids = seeded_db
    app = create_app(Settings(db_url=url, max_bytes=SMALL_LIMIT))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def ids(seeded_db: tuple[str, Seeded]) -> Seeded:
    """The ids of the seeded documents."""
    return seeded_db[1]


@pytest.fixture
def fresh_client(tmp_path: Path) -> Iterator[TestClient]:
    """A client over an empty database of its own, with a small upload limit (for uploads),
    logged in as an editor (uploads need one)."""
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'fresh.db'}", max_bytes=SMALL_LIMIT))
    with TestClient(app) as c:
        yield editor_client(c)


@pytest.fixture
def anon_client(tmp_path: Path) -> Iterator[TestClient]:
    """A client over an empty database of its own, not logged in."""
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'anon.db'}", max_bytes=SMALL_LIMIT))
    with TestClient(app) as c:
        yield c
