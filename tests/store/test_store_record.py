"""The record on both backends: identity, linking mentions, claims, queries and search."""

from __future__ import annotations

import dataclasses
import itertools
import json

import pytest
import samples

from peelwatch.errors import NotFoundError, UnknownNameError
from peelwatch.link import link_document
from peelwatch.store import (
    InvalidFilterError,
    force_profile,
    get_document,
    get_finding,
    grade_matrix,
    list_cycles,
    list_documents,
    list_findings,
    list_forces,
    list_grades,
    search,
)
from peelwatch.store.repository import counts, store_extraction


def put(store, pair) -> int:
    """Store and link one document in one transaction, as ingest does."""
    text, extraction = pair
    with store.write() as session:
        doc_id = store_extraction(
            session,
            content_hash=samples.digest(text),
            text=text,
            extraction=extraction,
            source=extraction.source,
        ).document_id
        link_document(session, doc_id)
        return doc_id


def test_letter_findings_become_mentions_of_report_findings(store) -> None:
    put(store, samples.report_2021())
    put(store, samples.letter_2021())
    page = list_findings(store, force="cheshire", cycle="2021/22")
    assert page.total == 3
    by_text = {f.text: f for f in page.items}
    calls = by_text[samples.AFI_CALLS]
    assert calls.mentions == 2 and calls.authoritative
    assert by_text[samples.AFI_SUPERVISION].mentions == 2
    assert by_text[samples.AFI_VULNERABLE].mentions == 1
    detail = get_finding(store, calls.id)
    assert [m.document_kind for m in detail.mentions] == ["inspection_report", "pcc_response"]
    assert detail.responses and detail.responses[0].by == "pcc"
    letter_mention = detail.mentions[1]
    doc = get_document(store, letter_mention.document_id)
    assert doc.text[letter_mention.start : letter_mention.end] == letter_mention.text


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_same_record_whatever_the_order(tmp_path, order) -> None:
    from peelwatch.store import open_store

    docs = [samples.report_2021(), samples.letter_2021(), samples.report_2023()]
    st = open_store(f"sqlite:///{tmp_path / 'o.db'}")
    for i in order:
        put(st, docs[i])
    page = list_findings(st, limit=100)
    summary = sorted((f.cycle, f.text, f.mentions, f.authoritative) for f in page.items)
    st.close()
    assert len(summary) == 4
    assert (("2021/22", samples.AFI_CALLS, 2, True)) in summary
    assert all(auth for *_rest, auth in summary)


def test_claims_beside_grades(store) -> None:
    put(store, samples.report_2021())
    put(store, samples.letter_2021())
    rows = list_grades(store, force="Cheshire Constabulary")
    assert {(r.subject, r.grade) for r in rows} == {
        ("Responding to the public", "requires improvement"),
        ("Investigating crime", "adequate"),
    }
    claims = list_grades(store, force="cheshire", claims=True)
    assert [(c.grade, c.claim) for c in claims] == [("good", True)]
    profile = force_profile(store, "cheshire")
    cell = next(c for c in profile.cycles[0].grades if c.key == "responding-to-the-public")
    assert cell.grade == "requires improvement"
    assert [(c.grade, c.agrees) for c in cell.claims] == [("good", False)]
    assert profile.finding_counts["type"] == {"area_for_improvement": 3}
    json.dumps(dataclasses.asdict(profile), default=str)


def test_grade_matrix_rows_have_regions_and_evidence(store) -> None:
    put(store, samples.report_2021())
    matrix = grade_matrix(store, "2021-22")
    assert matrix.cycle == "2021/22"
    # The framework's subjects by key, in the framework's order, named by their short labels.
    assert [(c.key, c.name) for c in matrix.columns] == [
        ("responding-to-the-public", "Responding to the public"),
        ("investigating-crime", "Investigating crime"),
    ]
    row = next(r for r in matrix.rows if r.force.slug == "cheshire")
    assert row.force.region
    cell = row.cells["investigating-crime"]
    assert cell.grade == "adequate" and cell.judgment_id and cell.document_id
    assert len(matrix.rows) == 43


def test_discharge_and_recurrence_links(store) -> None:
    put(store, samples.report_2021())
    put(store, samples.report_2023())
    calls = next(f for f in list_findings(store, cycle="2021/22").items if f.text == samples.AFI_CALLS)
    # The statement is tied to the finding; turning it into a status is the tracker's dated event.
    assert calls.status == "open"
    later = list_findings(store, cycle="2023–25").items[0]
    related = get_finding(store, later.id).related
    assert related and related[0].kind == "recurs" and related[0].cycle == "2021/22"
    detail = get_finding(store, calls.id)
    assert detail.discharges and detail.discharges[0].status == "discharged"


def test_document_detail_has_spans_statistics_and_counts(store) -> None:
    doc_id = put(store, samples.report_2021())
    detail = get_document(store, doc_id)
    assert detail.document.kind == "inspection_report" and detail.document.force == "cheshire"
    for j in detail.judgments:
        assert detail.text[j.start : j.end] == j.evidence
    assert len(detail.findings) == 3 and len(detail.statistics) == 1
    docs = list_documents(store, force="cheshire", kind="inspection_report")
    assert docs.total == 1 and docs.items[0].judgments == 2 and docs.items[0].findings == 3
    with store.read() as session:
        c = counts(session)
    assert c["documents"] == 1 and c["mentions"] == 3 and c["statistics"] == 1


def test_forces_and_cycles_lists(store) -> None:
    put(store, samples.report_2021())
    forces = {f.slug: f for f in list_forces(store)}
    assert len(forces) == 43
    assert forces["cheshire"].documents == 1 and forces["cheshire"].findings == 3
    cycles = [c.label for c in list_cycles(store)]
    assert cycles[0] == "2014" and "2023–25" in cycles


def test_search_ranks_and_marks_hits(store) -> None:
    put(store, samples.report_2021())
    put(store, samples.letter_2021())
    results = search(store, "missing children")
    assert results.total >= 2
    kinds = [h.kind for h in results.items]
    assert "finding" in kinds and "document" in kinds
    top = next(h for h in results.items if h.kind == "finding")
    hits = [s.text.lower() for s in top.snippet if s.hit]
    assert "missing" in hits and "children" in hits
    assert "".join(s.text for s in top.snippet).strip()
    assert search(store, "missing children", force="Cheshire").total == results.total
    assert search(store, "missing children", force="wiltshire").total == 0
    # Query syntax is data: operators and quotes never reach the engine as syntax.
    assert search(store, 'NEAR( "calls" * OR ) ; DROP TABLE document').total >= 0
    assert search(store, "").items == []
    assert search(store, '"abandon a call"').total >= 1


def test_bad_filters_raise_clear_errors(store) -> None:
    with pytest.raises(UnknownNameError, match="did you mean") as err:
        list_findings(store, force="Cheshir Constabulary")
    assert "Cheshire Constabulary" in err.value.suggestions
    with pytest.raises(UnknownNameError, match="cycle"):
        list_findings(store, cycle="2019")
    with pytest.raises(InvalidFilterError, match="area_for_improvement"):
        list_findings(store, type="area for improvment")
    with pytest.raises(InvalidFilterError):
        list_findings(store, status="nonsense")
    with pytest.raises(InvalidFilterError):
        list_documents(store, kind="leaflet")
    with pytest.raises(NotFoundError):
        get_finding(store, 999)
    with pytest.raises(NotFoundError):
        get_document(store, 999)
    assert list_findings(store, type="AFI").total == 0


def test_force_alias_resolves(store) -> None:
    put(store, samples.report_2021())
    assert list_grades(store, force="Cheshire Police")
    assert search(store, "calls", force="WMP").total == 0  # an alias of West Midlands


def test_same_hash_is_rejected_by_the_database(store) -> None:
    from sqlalchemy.exc import IntegrityError

    put(store, samples.report_2021())
    with pytest.raises(IntegrityError):
        put(store, samples.report_2021())
    with store.read() as session:
        assert counts(session)["documents"] == 1


def test_area_filter_takes_names_and_refuses_unknown_areas(store) -> None:
    put(store, samples.report_2021())
    rows = list_grades(store, area="Investigating crime")
    assert [(r.subject, r.grade) for r in rows] == [("Investigating crime", "adequate")]
    assert list_grades(store, area="investigating-crime") == rows
    with pytest.raises(UnknownNameError, match="unknown area"):
        list_grades(store, area="wibble wobble")
