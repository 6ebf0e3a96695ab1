"""The JSON API: every endpoint, its filters and pagination, and every kind of error."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_seed import FIXTURES, SMALL_LIMIT, Seeded


def _error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    """Assert a JSON error with this status and a message; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    return body


# --------------------------------------------------------------------------- forces


def test_forces_lists_every_force_with_counts(client: TestClient) -> None:
    body = client.get("/api/forces").json()
    slugs = {f["slug"] for f in body["forces"]}
    assert {"kent", "essex"} <= slugs
    kent = next(f for f in body["forces"] if f["slug"] == "kent")
    assert kent["documents"] == 3 and kent["findings"] >= 3
    assert sum(len(r["forces"]) for r in body["regions"]) == len(body["forces"])


def test_force_profile_has_grades_by_cycle_claims_findings_and_documents(
    client: TestClient, ids: Seeded
) -> None:
    body = client.get("/api/forces/kent").json()
    assert body["force"]["name"] == "Kent Police"
    cycles = [c["cycle"] for c in body["cycles"]]
    assert cycles == ["2021/22", "2023–25"]
    latest = {j["subject"]: j for j in body["cycles"][1]["judgments"]}
    assert latest["Protecting vulnerable people"]["grade"] == "inadequate"
    workplace = latest["Developing a positive workplace"]
    assert workplace["claims"] and workplace["claims"][0]["document_kind"] == "pcc_response"
    assert workplace["url"].startswith(f"/documents/{ids.documents['report_2023']}#judgment-")
    assert body["chart"]["labels"] == cycles
    assert {t["type"] for t in body["findings_table"]} >= {"area_for_improvement", "cause_of_concern"}
    assert {d["id"] for d in body["documents"]} >= {
        ids.documents["report_2023"],
        ids.documents["pcc_response"],
    }


def test_force_profile_accepts_an_alias(client: TestClient) -> None:
    assert client.get("/api/forces/Kent%20Police").json()["force"]["slug"] == "kent"


def test_unknown_force_is_404_with_suggestions(client: TestClient) -> None:
    body = _error(client.get("/api/forces/kentt"), 404)
    assert body["error"] == "not_found"
    assert "kentt" in body["message"]
    assert "Kent Police" in body["suggestions"]


# --------------------------------------------------------------------------- grades


def test_grades_matrix_defaults_to_latest_graded_cycle(client: TestClient) -> None:
    body = client.get("/api/grades").json()
    assert body["cycle"] == "2023–25"
    assert body["scale"] == ["outstanding", "good", "adequate", "requires improvement", "inadequate"]
    assert any("not directly comparable" in w for w in body["warnings"])
    keys = [c["key"] for c in body["columns"]]
    kent = next(f for g in body["groups"] for f in g["forces"] if f["slug"] == "kent")
    cell = kent["cells"][keys.index("protecting-vulnerable-people")]
    assert cell["grade"] == "inadequate" and cell["url"].startswith("/documents/")


def test_grades_matrix_columns_are_framework_subjects_then_others(client: TestClient) -> None:
    body = client.get("/api/grades", params={"cycle": "2023–25"}).json()
    framework = [(c["key"], c["name"]) for c in body["columns"] if c["group"] == "framework"]
    # Every graded 2023–25 area, in the framework's order, named by its short label.
    assert framework == [
        ("treatment-of-the-public", "Police powers and public treatment"),
        ("preventing-crime", "Preventing crime"),
        ("responding-to-the-public", "Responding to the public"),
        ("investigating-crime", "Investigating crime"),
        ("protecting-vulnerable-people", "Protecting vulnerable people"),
        ("managing-offenders", "Managing offenders"),
        ("workforce", "Developing a positive workplace"),
        ("leadership", "Leadership and force management"),
    ]
    workforce = next(c for c in body["columns"] if c["key"] == "workforce")
    assert workforce["official"] == "Building, supporting and protecting the workforce"
    # The hostile document's subject has no key: it trails as an "other" column, as written.
    others = [c for c in body["columns"] if c["group"] == "other"]
    assert [c["key"] for c in others] == [c["key"] for c in body["columns"][len(framework) :]]
    assert len(others) == 1 and others[0]["key"].startswith("other/preventing-crime")
    essex = next(f for g in body["groups"] for f in g["forces"] if f["slug"] == "essex")
    keys = [c["key"] for c in body["columns"]]
    assert essex["cells"][keys.index(others[0]["key"])]["grade"] == "good"
    assert essex["cells"][keys.index("preventing-crime")] is None
    # The commissioner's claims are counted beside Kent's grades, never shown as grades.
    kent = next(f for g in body["groups"] for f in g["forces"] if f["slug"] == "kent")
    assert kent["cells"][keys.index("workforce")] == {
        **kent["cells"][keys.index("workforce")],
        "grade": "outstanding",
        "claims": 1,
    }


def test_grades_matrix_for_a_four_tier_cycle_shows_four_tiers(client: TestClient) -> None:
    body = client.get("/api/grades", params={"cycle": "2017"}).json()
    assert body["scale"] == ["outstanding", "good", "requires improvement", "inadequate"]
    assert body["columns"] == []


def test_grades_matrix_accepts_cycle_spellings(client: TestClient) -> None:
    assert client.get("/api/grades", params={"cycle": "2023-25"}).json()["cycle"] == "2023–25"


def test_grades_matrix_sorts_by_grade_and_by_column(client: TestClient) -> None:
    body = client.get("/api/grades", params={"sort": "grade", "group": "none"}).json()
    names = [f["name"] for f in body["groups"][0]["forces"]]
    # Kent's mean grade (2.1 on the 0-4 ranks) is above Essex's (2.0); forces with no grade come last.
    assert (
        names.index("Kent Police")
        < names.index("Essex Police")
        < names.index("Avon and Somerset Constabulary")
    )
    body = client.get("/api/grades", params={"sort": "protecting-vulnerable-people", "group": "none"}).json()
    assert body["groups"][0]["forces"][0]["slug"] == "kent"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"cycle": "2099"}, "cycle"), ({"sort": "no-such-column"}, "sort"), ({"group": "county"}, None)],
)
def test_grades_bad_parameters_are_422(client: TestClient, params: dict, parameter: str | None) -> None:
    body = _error(client.get("/api/grades", params=params), 422)
    if parameter:
        assert body["parameter"] == parameter


def test_cycles_carry_scales_and_warnings(client: TestClient) -> None:
    cycles = {c["label"]: c for c in client.get("/api/cycles").json()["cycles"]}
    assert "adequate" not in cycles["2016"]["scale"]
    assert "adequate" in cycles["2021/22"]["scale"]
    assert any("not necessarily a decline" in w for w in cycles["2021/22"]["warnings"])


# --------------------------------------------------------------------------- findings


def test_findings_list_and_filters(client: TestClient) -> None:
    body = client.get("/api/findings").json()
    assert body["total"] == len(body["items"]) >= 5
    kent = client.get("/api/findings", params={"force": "kent", "type": "cause_of_concern"}).json()
    assert kent["total"] == 1 and "missing" in kent["items"][0]["text"]
    older = client.get("/api/findings", params={"force": "kent", "cycle": "2021/22"}).json()
    assert older["total"] == 1 and "stop and search" in older["items"][0]["text"]
    words = client.get("/api/findings", params={"q": "EMERGENCY calls"}).json()
    assert words["total"] == 1
    assert client.get("/api/findings", params={"status": "open"}).json()["total"] == body["total"]
    assert client.get("/api/findings", params={"status": "discharged"}).json()["total"] == 0


def test_findings_pagination(client: TestClient) -> None:
    total = client.get("/api/findings").json()["total"]
    first = client.get("/api/findings", params={"limit": 2, "offset": 0}).json()
    second = client.get("/api/findings", params={"limit": 2, "offset": 2}).json()
    assert len(first["items"]) == 2 and first["total"] == total
    assert not {f["id"] for f in first["items"]} & {f["id"] for f in second["items"]}
    past_end = client.get("/api/findings", params={"offset": total + 10}).json()
    assert past_end["items"] == [] and past_end["total"] == total


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 201},
        {"limit": "many"},
        {"offset": -1},
        {"offset": 10_000_000},
        {"type": "suggestion"},
        {"status": "Not A Status!"},
        {"status": "halfway"},
        {"force": "atlantis"},
        {"cycle": "1999"},
    ],
)
def test_findings_bad_filters_are_422(client: TestClient, params: dict) -> None:
    body = _error(client.get("/api/findings", params=params), 422)
    assert body["error"] == "bad_parameter"


def test_unknown_force_filter_suggests_names(client: TestClient) -> None:
    body = _error(client.get("/api/findings", params={"force": "Kentt"}), 422)
    assert body["parameter"] == "force" and "Kent Police" in body["suggestions"]


def test_finding_detail_has_mentions_with_spans_responses_and_passages(
    client: TestClient, ids: Seeded
) -> None:
    afi = client.get("/api/findings", params={"q": "emergency calls"}).json()["items"][0]
    body = client.get(f"/api/findings/{afi['id']}").json()
    assert body["finding"]["text"].startswith("The force should make sure")
    docs = {m["document_id"] for m in body["mentions"]}
    assert docs == {ids.documents["report_2023"], ids.documents["pcc_response"]}
    for m in body["mentions"]:
        doc = client.get(f"/api/documents/{m['document_id']}").json()
        assert doc["text"][m["start"] : m["end"]] == m["text"]
        assert m["passage"]["match"] == m["text"]
    assert body["responses"][0]["by"] == "pcc"
    assert "superintendent" in body["responses"][0]["text"]
    assert body["responses"][0]["document_title"].startswith("Commissioner's response to the PEEL")


def test_unknown_finding_is_404(client: TestClient) -> None:
    _error(client.get("/api/findings/999999"), 404)
    _error(client.get("/api/findings/not-a-number"), 422)


# --------------------------------------------------------------------------- documents


def test_documents_list_filters_and_pages(client: TestClient, ids: Seeded) -> None:
    body = client.get("/api/documents").json()
    assert body["total"] == 4
    assert [d["id"] for d in body["items"]] == sorted(ids.documents.values(), reverse=True)
    pcc = client.get("/api/documents", params={"kind": "pcc_response"}).json()
    assert [d["id"] for d in pcc["items"]] == [ids.documents["pcc_response"]]
    assert client.get("/api/documents", params={"force": "essex"}).json()["total"] == 1
    assert (
        client.get("/api/documents", params={"limit": 1, "offset": 1}).json()["items"][0]["id"]
        == sorted(ids.documents.values(), reverse=True)[1]
    )
    _error(client.get("/api/documents", params={"kind": "leaflet"}), 422)
    _error(client.get("/api/documents", params={"limit": 500}), 422)


def test_document_detail_has_text_and_every_fact_with_span(client: TestClient, ids: Seeded) -> None:
    body = client.get(f"/api/documents/{ids.documents['report_2023']}").json()
    text = body["text"]
    assert body["id"] == ids.documents["report_2023"]
    assert len(body["judgments"]) == 8 and len(body["findings"]) == 3
    for fact in body["judgments"] + body["findings"]:
        assert text[fact["start"] : fact["end"]] == fact["evidence"]
    pcc = client.get(f"/api/documents/{ids.documents['pcc_response']}").json()
    assert all(j["claim"] for j in pcc["judgments"])
    r = pcc["responses"][0]
    assert pcc["text"][r["start"] : r["end"]] == r["text"]


def test_unknown_document_is_404(client: TestClient) -> None:
    _error(client.get("/api/documents/424242"), 404)


# --------------------------------------------------------------------------- search


def test_search_ranks_and_marks_hits(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "missing children"}).json()
    assert body["total"] >= 1
    top = body["results"][0]
    assert top["url"].startswith(("/findings/", "/documents/"))
    hits = [s["text"].lower() for s in top["snippet"] if s["hit"]]
    assert hits and all("<" not in s["text"] or not s["hit"] for s in top["snippet"])
    assert any(h in ("missing", "children") for h in hits)


def test_search_filters_and_errors(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "force", "force": "essex"}).json()["total"] >= 1
    essex_only = client.get("/api/search", params={"q": "missing", "force": "essex"}).json()
    assert essex_only["total"] == 0
    _error(client.get("/api/search"), 422)
    _error(client.get("/api/search", params={"q": ""}), 422)
    _error(client.get("/api/search", params={"q": "x", "limit": 0}), 422)
    _error(client.get("/api/search", params={"q": "x", "cycle": "1850"}), 422)


def test_search_treats_query_syntax_as_words(client: TestClient) -> None:
    for q in ['"unbalanced', "NEAR(a b)", "col:umn", "*", "') OR 1=1 --"]:
        response = client.get("/api/search", params={"q": q})
        assert response.status_code == 200, (q, response.text)


# --------------------------------------------------------------------------- upload


def test_upload_ingests_like_the_cli_and_answers_the_document(fresh_client: TestClient) -> None:
    data = (FIXTURES / "kent-pcc-response-2023-25.txt").read_bytes()
    response = fresh_client.post("/api/documents", files={"file": ("response.txt", data, "text/plain")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int) and body["status"] == "ingested"
    assert body["url"] == f"/documents/{body['id']}"
    assert "superintendent" in body["text"]
    assert fresh_client.get(f"/api/documents/{body['id']}").json()["id"] == body["id"]
    again = fresh_client.post("/api/documents", files={"file": ("copy.txt", data, "text/plain")})
    assert (
        again.status_code == 200
        and again.json()["id"] == body["id"]
        and again.json()["status"] == "unchanged"
    )


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, 415),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 200, None),
        ("empty.txt", b"", None),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj <<>> garbage with no end", None),
    ],
)
def test_upload_of_a_non_document_is_refused_with_the_reason(
    fresh_client: TestClient, name: str, data: bytes, status: int | None
) -> None:
    response = fresh_client.post("/api/documents", files={"file": (name, data, "application/octet-stream")})
    assert 400 <= response.status_code < 500, response.text
    if status:
        assert response.status_code == status
    body = response.json()
    assert body["message"] and "Traceback" not in body["message"]
    assert fresh_client.get("/api/documents").json()["total"] == 0  # nothing half-written


def test_upload_without_a_file_is_422(fresh_client: TestClient) -> None:
    _error(fresh_client.post("/api/documents", data={"nothing": "here"}), 422)


def test_oversized_upload_is_413(fresh_client: TestClient) -> None:
    big = b"The force should improve. " * (SMALL_LIMIT // 10)
    assert len(big) > SMALL_LIMIT
    body = _error(fresh_client.post("/api/documents", files={"file": ("big.txt", big, "text/plain")}), 413)
    assert body["error"] == "too_large" and "4 KB" in body["message"]
    assert fresh_client.get("/api/documents").json()["total"] == 0


def test_oversized_body_is_refused_before_parsing(fresh_client: TestClient) -> None:
    huge = b"x" * (SMALL_LIMIT + 200_000)
    response = fresh_client.post(
        "/api/documents", content=huge, headers={"content-type": "multipart/form-data; boundary=zzz"}
    )
    _error(response, 413)


def test_default_upload_limit_is_50_mb(tmp_path: Path) -> None:
    from peelwatch.config import Settings
    from peelwatch.web import create_app

    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}"))
    assert app.state.settings.max_bytes == 50 * 1024 * 1024


# --------------------------------------------------------------------------- misc


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    body = _error(client.get("/api/nothing-here"), 404)
    assert body["error"] == "not_found"


def test_wrong_method_is_json_405(client: TestClient) -> None:
    _error(client.delete("/api/forces"), 405)


def test_openapi_and_offline_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in [
        "/api/forces",
        "/api/forces/{slug}",
        "/api/grades",
        "/api/findings",
        "/api/findings/{finding_id}",
        "/api/documents",
        "/api/documents/{document_id}",
        "/api/search",
    ]:
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/documents"]
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ["/", "/api/forces", "/api/forces/nowhere"]:
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_bad_database_url_fails_at_start(tmp_path: Path) -> None:
    from peelwatch.errors import StoreError
    from peelwatch.web import create_app

    with pytest.raises(StoreError):
        create_app("mysql://nowhere/db")
