"""The tracker's OpenAPI schema says what its routes answer: every field of every answer is declared
in the model the route names, every error it gives is one of the codes it lists, and downloads
come in the media types they declare."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "track"))
from track_seed import AFI_CALLS, report_with_findings, store_doc

from peelwatch.config import Settings
from peelwatch.store import open_store
from peelwatch.store.models import Discharge
from peelwatch.track import apply_document_statuses, change_status, cli_actor
from peelwatch.track.users import create_token, create_user
from peelwatch.web import create_app, schemas, track_schemas

TODAY = date(2026, 4, 1)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, int], str]]:
    """A report with findings, its commissioner's response, a human decision a later report
    disagrees with, and an admin's API token; ids by name."""
    url = f"sqlite:///{tmp_path_factory.mktemp('schemas') / 'track.db'}"
    store = open_store(url)
    report, (finding, *_) = report_with_findings(store, published="2025-03-14")
    store_doc(store, kind="pcc_response", published="2025-05-20", title="Kent commissioner's response")
    with store.write() as session:
        change_status(session, cli_actor("sam"), finding, "in_progress", at=datetime(2026, 3, 1, tzinfo=UTC))
    later = store_doc(
        store,
        kind="inspection_report",
        cycle="2025–27",
        published="2026-02-01",
        title="PEEL 2025–27 report",
        discharges=(f"In 2023–25 we said: {AFI_CALLS} This area for improvement has been discharged.",),
    )
    with store.write() as session:
        for d in session.scalars(select(Discharge).where(Discharge.document_id == later)):
            d.finding_id = finding
        apply_document_statuses(session, later)
    create_user(store, cli_actor("setup"), "ada", "admin", "correct horse battery")
    create_user(store, cli_actor("setup"), "vera", "viewer", "correct horse battery")
    _info, admin = create_token(store, cli_actor("setup"), "ada", "t", "admin")
    _info, viewer = create_token(store, cli_actor("setup"), "vera", "t", "viewer")
    store.close()
    app = create_app(Settings(db_url=url))
    app.state.track_today = TODAY
    with TestClient(app) as client:
        client.headers["Authorization"] = f"Bearer {admin}"
        yield client, {"report": report, "finding": finding}, viewer


def _declared(client: TestClient, method: str, path: str, status: int) -> dict[str, Any]:
    responses = client.app.openapi()["paths"][path][method]["responses"]  # type: ignore[attr-defined]
    assert str(status) in responses, f"{method.upper()} {path} gives {status} but does not declare it"
    return responses[str(status)]


def _undeclared(value: Any, where: str = "") -> list[str]:
    """Fields an answer has that its model does not name (the models allow extra fields)."""
    found: list[str] = []
    if isinstance(value, BaseModel):
        found += [f"{where}.{k}" for k in value.model_extra or {}]
        for name in type(value).model_fields:
            found += _undeclared(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, list):
        for item in value:
            found += _undeclared(item, f"{where}[]")
    elif isinstance(value, dict):
        for key, item in value.items():
            found += _undeclared(item, f"{where}.{key}")
    return found


def _check(client: TestClient, method: str, path: str, actual: str, model: Any, **kw: Any) -> Any:
    """Call the route; its answer has the declared status and matches the declared model exactly."""
    response = client.request(method, actual, **kw)
    assert response.status_code < 300, (actual, response.text[:300])
    declared = _declared(client, method, path, response.status_code)
    ref = declared["content"]["application/json"]["schema"].get("$ref", "")
    if isinstance(model, type):
        assert ref.endswith("/" + model.__name__), (path, ref)
    parsed = TypeAdapter(model).validate_python(response.json())
    assert _undeclared(parsed) == [], path
    return response.json()


def test_reads_answer_exactly_what_their_schema_declares(site) -> None:
    client, ids, _viewer = site
    f = ids["finding"]
    acc = _check(client, "get", "/api/accountability", "/api/accountability", track_schemas.Accountability)
    [clock] = [c for c in acc["clocks"] if c["report_id"] == ids["report"]]
    assert clock["report_url"] == f"/documents/{ids['report']}"
    assert clock["response_url"].startswith("/documents/")
    _check(
        client,
        "get",
        "/api/forces/{slug}/section-55",
        "/api/forces/kent/section-55",
        track_schemas.ForceAccountability,
    )
    record = _check(
        client,
        "get",
        "/api/findings/{finding_id}/tracking",
        f"/api/findings/{f}/tracking",
        track_schemas.FindingTracking,
    )
    assert record["disagreements"] and record["disagreements"][0]["document_url"].startswith("/documents/")
    assert any(e["document_url"] for e in record["history"])
    _check(client, "get", "/api/tracking", "/api/tracking?mine=true", track_schemas.Board)
    _check(client, "get", "/api/users", "/api/users", track_schemas.Users)


def test_writes_answer_the_finding_record_their_schema_declares(site) -> None:
    client, ids, _viewer = site
    f, record = ids["finding"], track_schemas.FindingTracking
    _check(
        client,
        "put",
        "/api/findings/{finding_id}/owner",
        f"/api/findings/{f}/owner",
        record,
        json={"owner": "HR"},
    )
    after = _check(
        client,
        "post",
        "/api/findings/{finding_id}/actions",
        f"/api/findings/{f}/actions",
        record,
        json={"title": "Recruit call handlers", "due": "2026-05-01"},
    )
    action = after["actions"][0]["id"]
    _check(
        client,
        "post",
        "/api/actions/{action_id}/notes",
        f"/api/actions/{action}/notes",
        record,
        json={"text": "Ten"},
    )
    for evidence in ({"document_id": ids["report"]}, {"url": "https://example.org/plan"}):
        last = _check(
            client,
            "post",
            "/api/actions/{action_id}/evidence",
            f"/api/actions/{action}/evidence",
            record,
            json=evidence,
        )
    assert [e["target_url"] for e in last["actions"][0]["evidence"]] == [
        f"/documents/{ids['report']}",
        "https://example.org/plan",
    ]
    _check(
        client, "patch", "/api/actions/{action_id}", f"/api/actions/{action}", record, json={"status": "done"}
    )
    _check(
        client,
        "post",
        "/api/findings/{finding_id}/status",
        f"/api/findings/{f}/status",
        record,
        json={"status": "completed"},
    )
    audit = _check(
        client,
        "get",
        "/api/audit",
        "/api/audit?limit=3",
        track_schemas.AuditPage | list[track_schemas.AuditEntry],
    )
    assert audit["items"] and audit["total"] > 3
    everything = client.get("/api/audit", params={"format": "json"}).json()
    assert _undeclared(TypeAdapter(list[track_schemas.AuditEntry]).validate_python(everything)) == []


@pytest.mark.parametrize(
    ("path", "actual", "kinds"),
    [
        ("/api/forces/{slug}/committee-report", "/api/forces/kent/committee-report", ("docx", "pdf", "html")),
        (
            "/api/documents/{document_id}/response-letter",
            "/api/documents/{report}/response-letter",
            ("docx", "html"),
        ),
    ],
)
def test_downloads_come_in_a_media_type_they_declare(
    site, path: str, actual: str, kinds: tuple[str, ...]
) -> None:
    client, ids, _viewer = site
    content = _declared(client, "get", path, 200)["content"]
    assert "application/json" not in content
    for kind in kinds:
        response = client.get(actual.format(report=ids["report"]), params={"format": kind})
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] in content, (path, kind)
        assert content[response.headers["content-type"].split(";")[0]]["schema"]["format"] == "binary"


def _error(client: TestClient, method: str, path: str, actual: str, status: int, **kw: Any) -> None:
    response = client.request(method, actual, **kw)
    assert response.status_code == status, (actual, response.text[:300])
    declared = _declared(client, method, path, status)
    assert declared["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    schemas.ErrorBody.model_validate(response.json())


def test_the_errors_routes_give_are_the_ones_they_declare(site) -> None:
    client, ids, viewer = site
    f = ids["finding"]
    _error(client, "get", "/api/forces/{slug}/section-55", "/api/forces/atlantis/section-55", 404)
    _error(client, "get", "/api/findings/{finding_id}/tracking", "/api/findings/987654/tracking", 404)
    _error(client, "get", "/api/findings/{finding_id}/tracking", "/api/findings/x/tracking", 422)
    _error(client, "get", "/api/tracking", "/api/tracking?rag=purple", 422)
    _error(
        client,
        "get",
        "/api/forces/{slug}/committee-report",
        "/api/forces/kent/committee-report?cycle=1901",
        404,
    )
    _error(
        client,
        "get",
        "/api/forces/{slug}/committee-report",
        "/api/forces/kent/committee-report?format=odt",
        422,
    )
    _error(
        client,
        "get",
        "/api/documents/{document_id}/response-letter",
        "/api/documents/987654/response-letter",
        404,
    )
    _error(
        client,
        "post",
        "/api/findings/{finding_id}/status",
        f"/api/findings/{f}/status",
        409,
        json={"status": "x"},
    )
    _error(client, "post", "/api/findings/{finding_id}/actions", f"/api/findings/{f}/actions", 422, json={})
    _error(client, "patch", "/api/actions/{action_id}", "/api/actions/987654", 404, json={"status": "done"})
    _error(
        client, "post", "/api/actions/{action_id}/notes", "/api/actions/987654/notes", 404, json={"text": "n"}
    )
    _error(
        client,
        "post",
        "/api/actions/{action_id}/evidence",
        "/api/actions/987654/evidence",
        404,
        json={"url": "https://x.org"},
    )
    _error(client, "get", "/api/audit", "/api/audit?since=yesterday", 422)
    token = client.headers.pop("Authorization")
    try:
        _error(client, "get", "/api/tracking", "/api/tracking", 401)
        _error(client, "get", "/api/users", "/api/users", 401)
        _error(
            client,
            "put",
            "/api/findings/{finding_id}/owner",
            f"/api/findings/{f}/owner",
            401,
            json={"owner": "x"},
        )
        client.headers["Authorization"] = f"Bearer {viewer}"
        _error(client, "get", "/api/audit", "/api/audit", 403)
        _error(
            client,
            "put",
            "/api/findings/{finding_id}/owner",
            f"/api/findings/{f}/owner",
            403,
            json={"owner": "x"},
        )
    finally:
        client.headers["Authorization"] = token
