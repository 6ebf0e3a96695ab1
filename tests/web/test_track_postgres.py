"""The tracker's pages and writes over PostgreSQL (skipped with the reason if it cannot start)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from auth_helpers import make_user
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "track"))
import pg
from track_seed import report_with_findings, store_doc

from peelwatch.config import Settings
from peelwatch.store import open_store
from peelwatch.track import cli_actor
from peelwatch.track.users import create_token
from peelwatch.web import create_app

pytestmark = pytest.mark.postgres


def test_tracking_and_the_clock_over_postgres(tmp_path: Path) -> None:
    url = pg.backend_url("postgresql", tmp_path)
    if url is None:
        pytest.skip(pg.skip_reason())
    store = open_store(url)
    _, (a, *_) = report_with_findings(store, published="2025-03-14")
    store_doc(store, kind="pcc_response", published="2025-05-08", title="Kent commissioner's response")
    store.close()
    app = create_app(Settings(db_url=url))
    app.state.track_today = date(2025, 7, 1)
    with TestClient(app) as client:
        make_user(client, "ed", "editor")
        _, token = create_token(client.app.state.store, cli_actor("t"), "ed", "script", "editor")
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/accountability").json()["clocks"][0]["status"] == "on_time"
        added = client.post(
            f"/api/findings/{a}/actions", json={"title": "Recruit", "due": "2025-06-01"}, headers=auth
        )
        assert added.status_code == 201
        moved = client.post(f"/api/findings/{a}/status", json={"status": "in_progress"}, headers=auth).json()
        assert moved["finding"]["status"] == "in_progress"
        assert moved["finding"]["rag_reason"] == "red: action 'Recruit' due 2025-06-01 is 30 days overdue"
        board = client.get("/api/tracking", params={"status": "in_progress"}, headers=auth).json()
        assert [i["id"] for i in board["items"]] == [a]
