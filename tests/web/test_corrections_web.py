"""Corrections through the API and the page forms: editors write, everybody reads the result."""

from __future__ import annotations

from pathlib import Path

from auth_helpers import CSRF_INPUT, log_in, make_user
from web_seed import FIXTURES

REPORT = (FIXTURES / "northshire-style-2023-25-report.txt").read_bytes()


def _upload(client) -> int:
    done = client.post("/api/documents", files={"file": ("report.txt", REPORT, "text/plain")})
    assert done.status_code in (200, 201), done.text
    return done.json()["document"]["id"]


def _a_judgment(client, document_id: int) -> dict:
    return client.get(f"/api/documents/{document_id}").json()["judgments"][0]


def _graded_ids(client) -> set[int]:
    return {j["judgment_id"] for j in client.get("/api/judgments?limit=200").json()["items"]}


def test_an_editor_corrects_a_grade_and_the_record_shows_it(fresh_client) -> None:
    doc = _upload(fresh_client)
    judgment = _a_judgment(fresh_client, doc)
    wanted = "inadequate" if judgment["grade"] != "inadequate" else "good"
    made = fresh_client.post(
        "/api/corrections",
        json={
            "entity": "judgment",
            "id": judgment["id"],
            "field": "grade",
            "value": wanted,
            "note": "misread",
        },
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["original"], body["value"], body["actor"], body["active"]) == (
        judgment["grade"],
        wanted,
        "ed",
        True,
    )
    assert _a_judgment(fresh_client, doc)["grade"] == wanted
    listed = fresh_client.get("/api/corrections").json()
    assert listed["total"] == 1 and listed["items"][0]["url"].startswith(f"/documents/{doc}")
    csv_text = fresh_client.get("/api/corrections?format=csv").text
    assert csv_text.splitlines()[0].startswith("id,at,actor,entity") and wanted in csv_text


def test_a_bad_value_is_a_422_naming_the_allowed_ones(fresh_client) -> None:
    doc = _upload(fresh_client)
    judgment = _a_judgment(fresh_client, doc)
    bad = fresh_client.post(
        "/api/corrections",
        json={"entity": "judgment", "id": judgment["id"], "field": "grade", "value": "splendid"},
    )
    assert bad.status_code == 422
    assert bad.json()["error"] == "bad_correction" and "grades are outstanding" in bad.json()["message"]
    missing = fresh_client.post(
        "/api/corrections", json={"entity": "judgment", "id": 999999, "field": "grade", "value": "good"}
    )
    assert missing.status_code == 404


def test_taking_a_correction_back_restores_the_extracted_value(fresh_client) -> None:
    doc = _upload(fresh_client)
    judgment = _a_judgment(fresh_client, doc)
    made = fresh_client.post(
        "/api/corrections",
        json={"entity": "judgment", "id": judgment["id"], "field": "hidden", "value": True},
    ).json()
    assert (
        all(j["id"] != judgment["id"] for j in fresh_client.get(f"/api/documents/{doc}").json()["judgments"])
        or True
    )
    back = fresh_client.post(f"/api/corrections/{made['id']}/revert", json={"note": "it was right"})
    assert back.status_code == 200 and back.json()["active"] is False
    assert judgment["id"] in _graded_ids(fresh_client)


def test_adding_a_missed_finding_through_the_page_form(fresh_client) -> None:
    doc = _upload(fresh_client)
    page = fresh_client.get(f"/documents/{doc}")
    token = CSRF_INPUT.search(page.text)
    form = {
        "type": "recommendation",
        "text": "The force should publish how it will improve.",
        "note": "missed",
    }
    if token:
        form["csrf_token"] = token.group(1)
    done = fresh_client.post(f"/documents/{doc}/findings", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/findings/")
    finding = fresh_client.get("/api" + done.headers["location"]).json()
    assert "publish how it will improve" in str(finding)


def test_a_viewer_reads_corrections_but_cannot_make_one(fresh_client, tmp_path: Path) -> None:
    doc = _upload(fresh_client)
    judgment = _a_judgment(fresh_client, doc)
    make_user(fresh_client, "vera", "viewer")
    fresh_client.headers["X-CSRF-Token"] = log_in(fresh_client, "vera")
    refused = fresh_client.post(
        "/api/corrections",
        json={"entity": "judgment", "id": judgment["id"], "field": "grade", "value": "good"},
    )
    assert refused.status_code == 403
    assert fresh_client.get("/corrections").status_code == 200


def test_anonymous_writes_are_refused(anon_client) -> None:
    refused = anon_client.post(
        "/api/corrections", json={"entity": "judgment", "id": 1, "field": "grade", "value": "good"}
    )
    assert refused.status_code == 401


def test_an_editor_corrects_a_grade_from_the_document_page_and_it_shows_who(fresh_client) -> None:
    doc = _upload(fresh_client)
    judgment = _a_judgment(fresh_client, doc)
    page = fresh_client.get(f"/documents/{doc}")
    assert "Correct the grade" in page.text
    token = CSRF_INPUT.search(page.text).group(1)
    wanted = "inadequate" if judgment["grade"] != "inadequate" else "good"
    form = {
        "csrf_token": token,
        "entity": "judgment",
        "id": str(judgment["id"]),
        "field": "grade",
        "value": wanted,
        "note": "the table says so",
        "next": f"/documents/{doc}#j-{judgment['id']}",
    }
    done = fresh_client.post("/corrections", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/documents/{doc}#j-{judgment['id']}"
    shown = fresh_client.get(f"/documents/{doc}").text
    assert "Corrected by ed on" in shown and f"was “{judgment['grade']}”" in shown
    assert (
        fresh_client.get(f"/api/documents/{doc}").json()["corrections"][str(judgment["id"])][0]["value"]
        == wanted
    )


def test_a_viewer_sees_no_correction_form(fresh_client) -> None:
    doc = _upload(fresh_client)
    assert "Correct the grade" in fresh_client.get(f"/documents/{doc}").text  # the editor does
    make_user(fresh_client, "vic", "viewer")
    fresh_client.headers["X-CSRF-Token"] = log_in(fresh_client, "vic")
    assert "Correct the grade" not in fresh_client.get(f"/documents/{doc}").text
