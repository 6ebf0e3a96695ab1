"""The public record and the tracking record: who sees a finding's owner and RAG, and the
correction forms editors get on a finding's page."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from auth_helpers import CSRF_INPUT, log_in, make_user
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "track"))
from track_seed import AFI_CALLS, report_with_findings

from peelwatch.config import Settings
from peelwatch.store import open_store
from peelwatch.track import assign_owner, cli_actor
from peelwatch.track.audit import AuditFilter, list_events
from peelwatch.web import create_app, schemas

OWNER = "Head of Contact Management"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, int]]:
    """A report published 14 March 2025, its findings as of 1 July 2025; the first has an owner
    and no action (so the tracker's rules make it red). Users of every role."""
    url = f"sqlite:///{tmp_path / 'privacy.db'}"
    store = open_store(url)
    _, (first, *_) = report_with_findings(store, published="2025-03-14")
    with store.write() as session:
        assign_owner(session, cli_actor("setup"), first, OWNER)
    store.close()
    app = create_app(Settings(db_url=url))
    app.state.track_today = date(2025, 7, 1)
    with TestClient(app) as client:
        for name, role in (("vera", "viewer"), ("ed", "editor")):
            make_user(client, name, role)
        yield client, first


def _as(client: TestClient, name: str | None) -> str | None:
    client.cookies.clear()
    return log_in(client, name) if name else None


def _listed(client: TestClient, finding_id: int) -> dict:
    page = client.get("/api/findings", params={"limit": 200})
    assert page.status_code == 200
    schemas.ListPage[schemas.FindingItem].model_validate(page.json())
    return next(item for item in page.json()["items"] if item["id"] == finding_id)


def _csv_row(client: TestClient, path: str, finding_id: int) -> dict:
    rows = csv.DictReader(io.StringIO(client.get(path, params={"format": "csv", "limit": 200}).text))
    return next(row for row in rows if row["id"] == str(finding_id))


@pytest.mark.parametrize("who", [None, "vera"])
def test_owner_and_rag_need_a_login_in_every_rendering_of_a_finding(site, who) -> None:
    client, first = site
    _as(client, who)
    shown = (OWNER, "red") if who else (None, None)
    listed = _listed(client, first)
    assert (listed["owner"], listed["rag"]) == shown
    detail = client.get(f"/api/findings/{first}").json()
    schemas.FindingDetail.model_validate(detail)
    assert (detail["finding"]["owner"], detail["finding"]["rag"]) == shown
    for path in ("/api/findings", "/findings"):
        row = _csv_row(client, path, first)
        assert (row["owner"], row["rag"]) == tuple(v or "" for v in shown), path
    listed = next(f for f in client.get("/api/forces/kent").json()["findings"] if f["id"] == first)
    assert (listed["owner"], listed["rag"]) == shown
    page = client.get(f"/findings/{first}").text
    assert ("RAG red" in page) is bool(who)
    assert (OWNER in client.get("/findings").text) is False  # the list page never shows owners


def test_one_visitors_login_never_shows_in_anothers_cached_list(site) -> None:
    client, first = site
    _as(client, "vera")
    for path in ("/findings", "/api/findings", "/documents"):
        assert client.get(path).status_code == 200
    assert _listed(client, first)["owner"] == OWNER
    _as(client, None)
    assert "vera" not in client.get("/findings").text
    assert "vera" not in client.get("/documents").text
    assert _listed(client, first)["owner"] is None


def _form(page: str, field: str) -> dict[str, str]:
    """The fields of the finding page's correction form for ``field``, with its CSRF token."""
    start = page.index(f'name="field" value="{field}"')
    form = page[page.rindex("<form", 0, start) : page.index("</form>", start)]
    return {"csrf_token": CSRF_INPUT.search(form).group(1), "field": field}


def test_editors_correct_a_findings_type_and_text_or_hide_it_from_its_page(site) -> None:
    client, first = site
    for who in (None, "vera"):
        _as(client, who)
        assert 'id="correct-finding"' not in client.get(f"/findings/{first}").text, who
    _as(client, "ed")
    page = client.get(f"/findings/{first}").text
    assert 'id="correct-finding"' in page and 'action="/corrections"' in page
    fixed = "The force should answer emergency calls within the national target time, every time."
    for field, value in (("type", "recommendation"), ("text", fixed)):
        sent = client.post(
            "/corrections",
            data={
                **_form(page, field),
                "entity": "finding",
                "id": str(first),
                "value": value,
                "note": "as the report words it",
                "next": f"/findings/{first}",
            },
            follow_redirects=False,
        )
        assert sent.status_code == 303 and sent.headers["location"] == f"/findings/{first}", sent.text
    finding = client.get(f"/api/findings/{first}").json()["finding"]
    assert (finding["type"], finding["text"]) == ("recommendation", fixed)
    shown = client.get(f"/findings/{first}").text
    assert fixed in shown and "Corrected by ed on" in shown and f"text was “{AFI_CALLS}”" in shown
    corrections = client.get(f"/api/findings/{first}").json()["corrections"]
    assert [(c["field"], c["original"], c["actor"]) for c in corrections] == [
        ("type", "area_for_improvement", "ed"),
        ("text", AFI_CALLS, "ed"),
    ]
    events, _ = list_events(
        client.app.state.store, AuditFilter(user="ed", entity="finding", action="correct")
    )
    assert {(e.entity_id, str(e.before), str(e.after)) for e in events} == {
        (
            first,
            str({"type": "area_for_improvement"}),
            str({"type": "recommendation", "note": "as the report words it"}),
        ),
        (first, str({"text": AFI_CALLS}), str({"text": fixed, "note": "as the report words it"})),
    }
    hidden = client.post(
        "/corrections",
        data={
            **_form(page, "hidden"),
            "entity": "finding",
            "id": str(first),
            "value": "true",
            "note": "not a finding: a heading",
            "next": f"/findings/{first}",
        },
        follow_redirects=False,
    )
    assert hidden.status_code == 303, hidden.text
    assert all(item["id"] != first for item in client.get("/api/findings").json()["items"])


def test_the_rag_a_reader_sees_is_the_trackers_own_as_of_today(site) -> None:
    # Not a stored value: an action due within 14 days turns the red finding amber everywhere.
    client, first = site
    token = _as(client, "ed")
    assert _listed(client, first)["rag"] == "red"
    added = client.post(
        f"/api/findings/{first}/actions",
        json={"title": "Publish the call-handling plan", "due": "2025-07-10"},
        headers={"X-CSRF-Token": token or ""},
    )
    assert added.status_code == 201, added.text
    assert _listed(client, first)["rag"] == "amber"
    assert client.get(f"/api/findings/{first}").json()["finding"]["rag"] == "amber"
    listed = next(f for f in client.get("/api/forces/kent").json()["findings"] if f["id"] == first)
    assert listed["rag"] == "amber"
