"""The same API and pages over PostgreSQL (a throwaway server; skipped with the reason if it
cannot start, failing under CI)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_seed import FIXTURES, Seeded, seed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import pg

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Seeded]]:
    """A client over a seeded PostgreSQL database."""
    from peelwatch.config import Settings
    from peelwatch.store import open_store
    from peelwatch.web import create_app

    url = pg.backend_url("postgresql", tmp_path_factory.mktemp("pg"))
    if url is None:
        pytest.skip(pg.skip_reason())
    store = open_store(url)
    try:
        ids = seed(store)
    finally:
        store.close()
    with TestClient(create_app(Settings(db_url=url, max_bytes=1024 * 1024))) as client:
        yield client, ids


def test_api_over_postgres(pg_site: tuple[TestClient, Seeded]) -> None:
    client, ids = pg_site
    matrix = client.get("/api/grades").json()
    assert matrix["cycle"] == "2023–25" and matrix["columns"]
    profile = client.get("/api/forces/kent").json()
    assert [c["cycle"] for c in profile["cycles"]] == ["2021/22", "2023–25"]
    found = client.get("/api/findings", params={"force": "kent", "type": "cause_of_concern"}).json()
    assert found["total"] == 1
    detail = client.get(f"/api/findings/{found['items'][0]['id']}").json()
    assert detail["mentions"] and detail["mentions"][0]["passage"]["match"]
    doc = client.get(f"/api/documents/{ids.documents['report_2023']}").json()
    assert all(doc["text"][j["start"] : j["end"]] == j["evidence"] for j in doc["judgments"])
    hits = client.get("/api/search", params={"q": "missing children"}).json()
    assert hits["total"] >= 1 and any(s["hit"] for s in hits["results"][0]["snippet"])
    assert client.get("/api/forces/kentt").status_code == 404
    assert client.get("/api/findings", params={"limit": 0}).status_code == 422


def test_plain_lists_over_postgres(pg_site: tuple[TestClient, Seeded]) -> None:
    """The unfiltered lists take their own short path (prebuilt statements, kept counts)."""
    client, _ids = pg_site
    forces = client.get("/api/forces").json()["forces"]
    assert all(isinstance(f["aliases"], list) for f in forces)
    assert any(f["aliases"] for f in forces), "the framework names aliases for some forces"
    findings = client.get("/api/findings", params={"limit": 200}).json()
    assert findings["total"] == len(findings["items"]) > 0
    # The same findings as the filtered path finds them, force by force.
    by_force = sum(
        client.get("/api/findings", params={"force": slug}).json()["total"]
        for slug in {i["force"] for i in findings["items"] if i["force"]}
    )
    assert by_force == sum(1 for i in findings["items"] if i["force"])
    documents = client.get("/api/documents").json()
    assert documents["total"] == len(documents["items"]) > 0
    assert [d["id"] for d in documents["items"]] == sorted(
        (d["id"] for d in documents["items"]), reverse=True
    )


def test_pages_and_upload_over_postgres(pg_site: tuple[TestClient, Seeded]) -> None:
    client, ids = pg_site
    for path in ["/", "/forces/kent", "/findings", f"/documents/{ids.documents['xss']}", "/search?q=window"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<script>window.__xss" not in response.text
    data = (FIXTURES / "kent-pcc-response-2023-25.txt").read_bytes() + b"\nPostgreSQL copy.\n"
    from peelwatch.track import cli_actor
    from peelwatch.track.users import create_token, create_user

    store = client.app.state.store
    create_user(store, cli_actor("t"), "pg-editor", "editor", "a long password")
    _info, secret = create_token(store, cli_actor("t"), "pg-editor", "ci", "editor")
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.post("/api/documents", files={"file": ("pg.txt", data, "text/plain")}).status_code == 401
    response = client.post("/api/documents", files={"file": ("pg.txt", data, "text/plain")}, headers=auth)
    assert response.status_code == 201, response.text
    assert client.get(f"/api/documents/{response.json()['id']}").status_code == 200


def test_sorting_csv_and_huge_ids_over_postgres(pg_site: tuple[TestClient, Seeded]) -> None:
    client, _ids = pg_site
    for path, key in [("/api/findings", "force_name"), ("/api/documents", "force_name")]:
        up = [i[key] for i in client.get(path, params={"sort": "force"}).json()["items"] if i[key]]
        down = [i[key] for i in client.get(path, params={"sort": "-force"}).json()["items"] if i[key]]
        assert up == sorted(up) and down == sorted(down, reverse=True) and len(set(up)) > 1, path
    statuses = [f["status"] for f in client.get("/api/findings", params={"sort": "-status"}).json()["items"]]
    assert statuses == sorted(statuses, reverse=True)
    csv_text = client.get("/api/findings", params={"format": "csv", "sort": "cycle"}).text
    assert csv_text.splitlines()[0].startswith("id,text,type")
    for path in ("/api/findings/9223372036854775808", "/documents/99999999999999999999"):
        assert client.get(path).status_code == 404, path
