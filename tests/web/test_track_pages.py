"""The tracker on the web: who may read and write, the forms, the API, the board and downloads."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from auth_helpers import CSRF_INPUT, log_in, make_user
from docx import Document as Docx
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "track"))
from track_seed import AFI_CALLS, AFI_CUSTODY, report_with_findings

from peelwatch.config import Settings
from peelwatch.store import open_store
from peelwatch.track import cli_actor
from peelwatch.track.users import create_token, revoke_token
from peelwatch.web import create_app

TODAY = date(2025, 7, 1)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, list[int], int]]:
    url = f"sqlite:///{tmp_path / 'track-web.db'}"
    store = open_store(url)
    report, ids = report_with_findings(store, published="2025-03-14")
    store.close()
    app = create_app(Settings(db_url=url))
    app.state.track_today = TODAY
    with TestClient(app) as client:
        for name, role in (("vera", "viewer"), ("ed", "editor"), ("ada", "admin")):
            make_user(client, name, role)
        yield client, ids, report


def _as(client: TestClient, name: str) -> str:
    client.cookies.clear()
    return log_in(client, name)


def test_anonymous_visitors_are_asked_to_log_in_for_the_tracking_record(site) -> None:
    client, (a, *_), _ = site
    assert client.get(f"/api/findings/{a}/tracking").status_code == 401
    assert client.get("/api/tracking").status_code == 401
    page = client.get("/tracking", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=/tracking")
    fragment = client.get(f"/findings/{a}/tracking", headers={"hx-request": "true"})
    assert "Log in" in fragment.text and "csrf_token" not in fragment.text
    assert f'hx-get="/findings/{a}/tracking"' in client.get(f"/findings/{a}").text


def test_an_editor_works_a_finding_through_the_forms(site) -> None:
    client, (a, *_), _ = site
    csrf = _as(client, "ed")
    page = client.get(f"/findings/{a}/tracking")
    assert CSRF_INPUT.search(page.text).group(1) == csrf
    steps = [
        (f"/findings/{a}/owner", {"owner": "Head of Contact"}),
        (f"/findings/{a}/actions", {"title": "Recruit call handlers", "owner": "HR", "due": "2025-06-01"}),
        (f"/findings/{a}/actions", {"title": "Review triage", "due": "2025-07-10"}),
        (f"/findings/{a}/status", {"status": "in_progress", "note": "plan agreed"}),
    ]
    for path, data in steps:
        answer = client.post(path, data={**data, "csrf_token": csrf}, follow_redirects=False)
        assert answer.status_code == 303, (path, answer.text)
        assert answer.headers["location"] == f"/findings/{a}#tracking"
    view = client.get(f"/api/findings/{a}/tracking").json()
    first = view["actions"][0]["id"]
    client.post(f"/actions/{first}/notes", data={"text": "Twelve recruited", "csrf_token": csrf})
    client.post(f"/actions/{first}/evidence", data={"url": "https://example.org/plan", "csrf_token": csrf})
    view = client.get(f"/api/findings/{a}/tracking").json()
    assert view["finding"]["owner"] == "Head of Contact"
    assert view["finding"]["status"] == "in_progress"
    assert (
        view["finding"]["rag_reason"]
        == "red: action 'Recruit call handlers' due 2025-06-01 is 30 days overdue"
    )
    assert [(h["from_status"], h["to_status"], h["actor"]) for h in view["history"]] == [
        ("open", "in_progress", "ed")
    ]
    assert view["actions"][0]["notes"][0]["text"] == "Twelve recruited"
    assert view["actions"][0]["evidence"][0]["target_url"] == "https://example.org/plan"
    html = client.get(f"/findings/{a}/tracking").text
    assert "Recruit call handlers" in html and "30 days overdue" in html and "plan agreed" in html
    assert '<a href="https://example.org/plan"' in html  # the evidence links where it is


def test_a_form_without_its_csrf_token_is_refused(site) -> None:
    client, (a, *_), _ = site
    _as(client, "ed")
    answer = client.post(f"/findings/{a}/owner", data={"owner": "x"})
    assert answer.status_code == 403
    assert client.get(f"/api/findings/{a}/tracking").json()["finding"]["owner"] is None


def test_a_viewer_reads_but_every_write_is_forbidden(site) -> None:
    client, (a, *_), _ = site
    csrf = _as(client, "vera")
    assert client.get(f"/api/findings/{a}/tracking").status_code == 200
    assert "Change status" not in client.get(f"/findings/{a}/tracking").text
    for path, data in _form_writes(a, 1):
        assert client.post(path, data={**data, "csrf_token": csrf}).status_code == 403, path


def _form_writes(finding: int, action: int) -> list[tuple[str, dict[str, str]]]:
    return [
        (f"/findings/{finding}/status", {"status": "in_progress"}),
        (f"/findings/{finding}/owner", {"owner": "x"}),
        (f"/findings/{finding}/actions", {"title": "x"}),
        (f"/actions/{action}/status", {"status": "done"}),
        (f"/actions/{action}/notes", {"text": "x"}),
        (f"/actions/{action}/evidence", {"url": "https://example.org"}),
    ]


def _api_writes(finding: int, action: int) -> list[tuple[str, str, dict[str, object]]]:
    return [
        ("POST", f"/api/findings/{finding}/status", {"status": "in_progress"}),
        ("PUT", f"/api/findings/{finding}/owner", {"owner": "x"}),
        ("POST", f"/api/findings/{finding}/actions", {"title": "x"}),
        ("PATCH", f"/api/actions/{action}", {"status": "in_progress"}),
        ("POST", f"/api/actions/{action}/notes", {"text": "x"}),
        ("POST", f"/api/actions/{action}/evidence", {"url": "https://example.org"}),
    ]


def test_api_writes_by_role_and_token(site) -> None:
    client, (a, *_), _ = site
    store = client.app.state.store
    _, editor = create_token(store, cli_actor("t"), "ed", "script", "editor")
    _, viewer = create_token(store, cli_actor("t"), "vera", "script", "viewer")
    revoked_info, revoked = create_token(store, cli_actor("t"), "ada", "old", "admin")
    revoke_token(store, cli_actor("t"), revoked_info.id)
    first = client.post(
        f"/api/findings/{a}/actions", json={"title": "seed"}, headers={"Authorization": f"Bearer {editor}"}
    )
    assert first.status_code == 201
    action = first.json()["actions"][0]["id"]
    expected = {None: 401, viewer: 403, revoked: 401}
    for token, status in expected.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for method, path, body in _api_writes(a, action):
            assert client.request(method, path, json=body, headers=headers).status_code == status, (
                token,
                path,
            )
    for method, path, body in _api_writes(a, action):
        answer = client.request(method, path, json=body, headers={"Authorization": f"Bearer {editor}"})
        assert answer.status_code in (200, 201), (path, answer.text)


def test_a_move_the_rules_do_not_allow_is_a_409_with_the_reason(site) -> None:
    client, (a, *_), _ = site
    _, editor = create_token(client.app.state.store, cli_actor("t"), "ed", "script", "editor")
    answer = client.post(
        f"/api/findings/{a}/status",
        json={"status": "discharged"},
        headers={"Authorization": f"Bearer {editor}"},
    )
    assert answer.status_code == 409
    assert answer.json()["error"] == "invalid_transition"
    assert "cannot go from open to discharged" in answer.json()["message"]


def test_the_board_filters_sorts_shows_my_items_and_exports_csv(site) -> None:
    client, (a, b, c), _ = site
    csrf = _as(client, "ed")
    client.post(f"/findings/{a}/owner", data={"owner": "ed", "csrf_token": csrf})
    client.post(f"/findings/{b}/actions", data={"title": "late", "due": "2025-06-01", "csrf_token": csrf})
    mine = client.get("/api/tracking", params={"mine": "true"}).json()
    assert [i["id"] for i in mine["items"]] == [a]
    red = client.get("/api/tracking", params={"rag": "red", "sort": "id"}).json()
    assert [i["id"] for i in red["items"]] == [a, b, c]  # a and c: no action 109 days after publication
    assert client.get("/api/tracking", params={"rag": "purple"}).status_code == 422
    rows = list(csv.DictReader(io.StringIO(client.get("/tracking.csv", params={"owner": "ed"}).text)))
    assert [(r["id"], r["owner"], r["rag"]) for r in rows] == [(str(a), "ed", "red")]
    page = client.get("/tracking", params={"sort": "owner"})
    assert page.status_code == 200 and 'aria-sort="ascending"' in page.text


def test_the_committee_report_downloads_in_each_format_for_a_viewer(site) -> None:
    client, _, report = site
    _as(client, "vera")
    docx = client.get("/forces/kent/committee-report", params={"format": "docx"})
    assert docx.headers["content-disposition"].startswith("attachment")
    text = "\n".join(p.text for p in Docx(io.BytesIO(docx.content)).paragraphs)
    assert AFI_CALLS in text and AFI_CUSTODY in text
    pdf = pypdfium2.PdfDocument(client.get("/forces/kent/committee-report", params={"format": "pdf"}).content)
    try:
        assert "RAG: red" in pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert "new Chart(" in client.get("/api/forces/kent/committee-report", params={"format": "html"}).text
    letter = client.get(f"/documents/{report}/response-letter", params={"format": "html"})
    assert AFI_CALLS in letter.text
    client.cookies.clear()
    assert client.get("/api/forces/kent/committee-report").status_code == 401
