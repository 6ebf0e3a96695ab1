"""An upload that takes longer than the time budget to read is refused (422) and nothing is stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from auth_helpers import editor_client
from fastapi.testclient import TestClient

from peelwatch.config import Settings
from peelwatch.web import create_app

# About 4 MB of grade words: most of a second to extract (the extractor reads about 5 MB of
# this a second), eight times the budget below. A smaller margin failed once the extractor got
# faster.
SLOW = b"good outstanding requires improvement adequate inadequate preventing crime " * 55_000


def _client(tmp_path: Path, budget: float) -> Iterator[TestClient]:
    settings = Settings(
        db_url=f"sqlite:///{tmp_path / 'budget.db'}", max_bytes=10_000_000, time_budget=budget
    )
    with TestClient(create_app(settings)) as c:
        yield editor_client(c)  # uploading needs an editor


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(tmp_path, 0.1)


@pytest.fixture
def roomy_client(tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(tmp_path, 60)


def test_api_upload_over_the_budget_is_422_with_one_line(client: TestClient) -> None:
    response = client.post("/api/documents", files={"file": ("slow.txt", SLOW, "text/plain")})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status"] == 422
    assert body["message"] == "took longer than 0.1 s to read and extract; not stored"
    assert client.get("/api/documents").json()["total"] == 0


def test_form_upload_over_the_budget_explains_on_the_page(client: TestClient) -> None:
    response = client.post(
        "/upload", files={"file": ("slow.txt", SLOW, "text/plain")}, follow_redirects=False
    )
    assert response.status_code == 422
    assert "took longer than 0.1 s to read and extract; not stored" in response.text
    assert client.get("/api/documents").json()["total"] == 0


def test_an_ordinary_upload_within_the_budget_is_stored(roomy_client: TestClient) -> None:
    client = roomy_client
    data = b"Northshire Police is good at preventing crime.\n"
    response = client.post("/api/documents", files={"file": ("good.txt", data, "text/plain")})
    assert response.status_code == 201, response.text
