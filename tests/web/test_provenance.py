"""Provenance on every grade: only the inspectorate's own documents whose kind was decided with
confidence reach the national matrix; a guess is stored as provisional and waits for a person."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from auth_helpers import editor_client
from fastapi.testclient import TestClient
from web_seed import FIXTURES, SMALL_LIMIT

from peelwatch.config import Settings
from peelwatch.store import open_store
from peelwatch.store.models import Event
from peelwatch.store.provenance import confirm_document, counted_grade_matrix, document_standing
from peelwatch.track.audit import Actor, cli_actor
from peelwatch.web import create_app

# A note someone typed: it says "we inspected" and states a grade, but one line is no report.
NOTE = "We inspected Kent Police (PEEL 2023-25). Protecting vulnerable people: Inadequate\n"


@pytest.fixture
def app_and_url(tmp_path: Path) -> tuple[TestClient, str]:
    url = f"sqlite:///{tmp_path / 'prov.db'}"
    # Uploading needs an editor; the client logs in as one.
    return editor_client(TestClient(create_app(Settings(db_url=url, max_bytes=SMALL_LIMIT)))), url


def _upload(client: TestClient, name: str, data: bytes) -> dict:
    response = client.post("/api/documents", files={"file": (name, data, "text/plain")})
    assert response.status_code == 201, response.text
    return response.json()


def _kent_cells(client: TestClient) -> list[dict]:
    view = client.get("/api/grades", params={"cycle": "2023–25"}).json()
    rows = [f for g in view["groups"] for f in g["forces"] if f["slug"] == "kent"]
    return [c for c in rows[0]["cells"] if c] if rows else []


def test_a_one_line_note_is_stored_but_held_out_of_the_matrix(app_and_url: tuple[TestClient, str]) -> None:
    client, url = app_and_url
    with client:
        body = _upload(client, "note.txt", NOTE.encode())
        decision = body["decision"]
        # The upload says what was decided, and that it does not count yet.
        assert decision["kind"] == "inspection_report" and decision["confident"] is False
        assert decision["provisional"] is True and body["provisional"] is True
        assert decision["force"] == "Kent Police" and decision["cycle"] == "2023–25"
        assert decision["counts"]["grades"] == 1
        assert decision["confidence"].startswith("low:")
        # Stored, shown on its page as provisional, but not on the matrix.
        page = client.get(body["url"]).text
        assert 'id="provisional-notice"' in page and "held out of the national matrix" in page
        assert _kent_cells(client) == []
        view = client.get("/api/grades", params={"cycle": "2023–25"}).json()
        assert view["held_out"]["grades"] == 1
        assert view["held_out"]["documents"] == [{"id": body["id"], "url": body["url"]}]
        assert "not decided with confidence" in client.get("/", params={"cycle": "2023–25"}).text

    # A person confirms it: now it counts, and the audit trail says who did.
    store = open_store(url)
    try:
        with pytest.raises(PermissionError):
            confirm_document(store, body["id"], Actor(name="reader", role="viewer", via="web"))
        assert confirm_document(store, body["id"], cli_actor("tester")) is True
        assert confirm_document(store, body["id"], cli_actor("tester")) is False  # nothing left to do
        assert document_standing(store, body["id"]).counts
        counted = counted_grade_matrix(store, "2023–25")
        assert counted.held_out == 0
        kent = next(r for r in counted.matrix.rows if r.force.slug == "kent")
        assert [c.grade for c in kent.cells.values()] == ["inadequate"]
        with store.read() as session:
            events = [
                (e.action, e.entity_id, e.detail["actor"])
                for e in session.query(Event).filter(Event.entity == "document").order_by(Event.id)
            ]
        # The upload (by the logged-in editor) and the confirmation are both on the record.
        assert events == [("upload", body["id"], "ed"), ("confirm", body["id"], "tester")]
    finally:
        store.close()


def test_a_report_counts_and_every_cell_names_its_source(app_and_url: tuple[TestClient, str]) -> None:
    client, _url = app_and_url
    with client:
        body = _upload(client, "report.txt", (FIXTURES / "northshire-style-2023-25-report.txt").read_bytes())
        assert body["decision"]["confident"] is True and body["decision"]["counted"] is True
        assert body["decision"]["counts"]["grades"] == 8
        cells = _kent_cells(client)
        assert len(cells) == 8
        for cell in cells:
            assert cell["source"]["kind"] == "inspection_report"
            assert cell["source"]["document_id"] == body["id"]
        # On the page, each grade says on hover which kind of document it came from.
        page = client.get("/", params={"cycle": "2023–25"}).text
        assert page.count('data-source-kind="inspection_report"') >= 8
        assert "— from Inspection report" in page


def test_a_commissioners_letter_never_fills_a_cell(app_and_url: tuple[TestClient, str]) -> None:
    client, _url = app_and_url
    with client:
        body = _upload(client, "letter.txt", (FIXTURES / "kent-pcc-response-2023-25.txt").read_bytes())
        assert body["decision"]["kind"] == "pcc_response" and body["decision"]["counted"] is False
        assert _kent_cells(client) == []


def test_the_matrix_downloads_as_csv_from_the_page_and_the_api(app_and_url: tuple[TestClient, str]) -> None:
    client, _url = app_and_url
    with client:
        _upload(client, "report.txt", (FIXTURES / "northshire-style-2023-25-report.txt").read_bytes())
        page = client.get("/", params={"cycle": "2023–25", "format": "csv"})
        api = client.get("/api/grades", params={"cycle": "2023–25"}, headers={"Accept": "text/csv"})
        assert page.status_code == api.status_code == 200
        assert page.headers["content-type"].startswith("text/csv")
        assert "attachment" in page.headers["content-disposition"]
        assert page.text == api.text
        rows = list(csv.DictReader(io.StringIO(page.text)))
        assert len(rows) == 8
        assert {r["force"] for r in rows} == {"Kent Police"}
        assert {r["source_kind"] for r in rows} == {"inspection_report"}
        assert all(r["url"].startswith("/documents/") for r in rows)
        # sorted by one column's grade: the CSV follows the page's order
        assert 'href="/?cycle=2023%E2%80%9325&amp;sort=name&amp;group=region&amp;format=csv"' in (
            client.get("/", params={"cycle": "2023–25"}).text
        )


def test_the_force_page_marks_a_provisional_grade_and_leaves_it_out_of_the_chart(
    app_and_url: tuple[TestClient, str],
) -> None:
    client, _url = app_and_url
    with client:
        _upload(client, "note.txt", NOTE.encode())
        view = client.get("/api/forces/kent").json()
        rows = [j for c in view["cycles"] for j in c["judgments"]]
        assert [(j["grade"], j["provisional"]) for j in rows] == [("inadequate", True)]
        assert view["chart"]["datasets"] == []
        assert 'class="tag provisional"' in client.get("/forces/kent").text


def test_a_provisional_grade_never_hides_the_counted_one_beneath_it(tmp_path: Path) -> None:
    import hashlib

    from peelwatch.extract.model import Extraction, Judgment
    from peelwatch.store.repository import record_kind, store_extraction

    store = open_store(f"sqlite:///{tmp_path / 'layers.db'}")
    try:
        for published, grade, confidence in (
            ("2024-01-01", "good", "high: 6 distinct cues in 900 words, 30 against 2"),
            ("2024-06-01", "inadequate", "low: 1 distinct cue in 11 words, 4 against 0"),
        ):
            text = f"Kent Police. Preventing crime: {grade}. ({published})"
            ex = Extraction(
                source=f"{published}.txt",
                kind="inspection_report",
                force="Kent Police",
                cycle="2023–25",
                published=published,
                reasons={"kind": "inspectorate voice", "kind_confidence": confidence},
            )
            ex.judgments.append(
                Judgment(
                    scope="area",
                    subject="Preventing crime",
                    grade=grade,  # type: ignore[arg-type]
                    evidence=text,
                    start=0,
                    end=len(text),
                    key="preventing-crime",
                )
            )
            with store.write() as session:
                stored = store_extraction(
                    session,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    text=text,
                    extraction=ex,
                    source=ex.source,
                    reader="text",
                    size=len(text),
                )
                record_kind(session, stored.document_id, ex)
        counted = counted_grade_matrix(store, "2023–25")
        kent = next(r for r in counted.matrix.rows if r.force.slug == "kent")
        # the newer document is a guess: the older report's grade stands until it is confirmed
        assert kent.cells["preventing-crime"].grade == "good"
        assert counted.held_out == 1
        source = counted.sources[kent.cells["preventing-crime"].document_id]
        assert (source.kind, source.published) == ("inspection_report", "2024-01-01")
    finally:
        store.close()


def test_a_document_stored_before_confidence_was_kept_says_so_and_counts(client: TestClient, ids) -> None:
    doc = ids.documents["report_2023"]
    decision = client.get(f"/api/documents/{doc}").json()["decision"]
    assert decision["confident"] is None and decision["provisional"] is False and decision["counted"]
    assert "how sure was not recorded" in client.get(f"/documents/{doc}").text


def test_each_cycle_asked_in_turn_gets_its_own_grades_and_sources(seeded_db, ids) -> None:
    # The matrix's statements are built once and bound to a cycle on each call: asking for one
    # cycle, then another, then the first again must not carry one's grades into the other.
    url, _ids = seeded_db
    store = open_store(url)
    try:
        asked = [counted_grade_matrix(store, c) for c in ("2023–25", "2021/22", "2023–25")]
    finally:
        store.close()

    def kent(counted):
        row = next(r for r in counted.matrix.rows if r.force.slug == "kent")
        return {key: (c.grade, c.document_id) for key, c in row.cells.items()}

    newer, older, again = asked
    assert kent(again) == kent(newer) and set(again.sources) == set(newer.sources)
    assert {doc for _grade, doc in kent(older).values()} == {ids.documents["report_2021"]}
    assert set(older.sources) == {ids.documents["report_2021"]}
    assert kent(older) == {
        "preventing-crime": ("good", ids.documents["report_2021"]),
        "responding-to-the-public": ("adequate", ids.documents["report_2021"]),
        "investigating-crime": ("good", ids.documents["report_2021"]),
    }
    assert ids.documents["report_2023"] in {doc for _grade, doc in kent(newer).values()}
    assert ids.documents["report_2021"] not in newer.sources
