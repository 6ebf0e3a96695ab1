"""Shared fixtures of the web tests: a seeded database, the app over it, a test client."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

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


PASSWORD = "correct horse battery"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_user(client: TestClient, name: str, role: str, password: str = PASSWORD) -> None:
    """Add a user to the database behind ``client`` (as the command line would)."""
    from peelwatch.track import cli_actor
    from peelwatch.track.users import create_user

    create_user(client.app.state.store, cli_actor("test-setup"), name, role, password)


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log ``client`` in through the login form; returns the session's CSRF token."""
    page = client.get("/login")
    token = CSRF_INPUT.search(page.text).group(1)
    response = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return CSRF_INPUT.search(client.get("/logout").text).group(1)


def editor_client(client: TestClient, name: str = "ed") -> TestClient:
    """Make ``client`` a logged-in editor whose requests carry the session's CSRF token."""
    make_user(client, name, "editor")
    client.headers["X-CSRF-Token"] = log_in(client, name)
    return client


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
