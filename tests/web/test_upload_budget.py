"""An upload that takes longer than the time budget to read is refused (422) and nothing is stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from auth_helpers import editor_client
from fastapi.testclient import TestClient

from peelwatch.config import Settings
from peelwatch.web import create_app

# about 2 MB of grade words: seconds of extraction, far over a budget of half a second
SLOW = b"good outstanding requires improvement adequate inadequate preventing crime " * 28_000


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'budget.db'}", max_bytes=10_000_000, time_budget=0.5)
    with TestClient(create_app(settings)) as c:
        yield editor_client(c)  # uploading needs an editor


def test_api_upload_over_the_budget_is_422_with_one_line(client: TestClient) -> None:
    response = client.post("/api/documents", files={"file": ("slow.txt", SLOW, "text/plain")})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status"] == 422
    assert body["message"] == "took longer than 0.5 s to read and extract; not stored"
    assert client.get("/api/documents").json()["total"] == 0


def test_form_upload_over_the_budget_explains_on_the_page(client: TestClient) -> None:
    response = client.post(
        "/upload", files={"file": ("slow.txt", SLOW, "text/plain")}, follow_redirects=False
    )
    assert response.status_code == 422
    assert "took longer than 0.5 s to read and extract; not stored" in response.text
    assert client.get("/api/documents").json()["total"] == 0


def test_an_ordinary_upload_within_the_budget_is_stored(client: TestClient) -> None:
    data = b"Northshire Police is good at preventing crime.\n"
    response = client.post("/api/documents", files={"file": ("good.txt", data, "text/plain")})
    assert response.status_code == 201, response.text
