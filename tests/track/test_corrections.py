"""Corrections by people: kept beside the extracted value, written through, taken back."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
import samples

from peelwatch.errors import NotFoundError
from peelwatch.store import list_findings, open_store
from peelwatch.store.models import Document, Event, Finding, Judgment, SearchEntry
from peelwatch.store.repository import store_extraction
from peelwatch.track import Actor, RoleError
from peelwatch.track.corrections import (
    CorrectionError,
    add_finding,
    correct,
    corrections_for,
    list_corrections,
    reapply,
    revert,
)

EDITOR = Actor(name="sam", role="editor", user_id=None, via="web")
VIEWER = Actor(name="val", role="viewer", via="web")


@pytest.fixture
def store(tmp_path: Path):
    st = open_store(f"sqlite:///{tmp_path / 'record.db'}")
    yield st
    st.close()


def put(store, pair) -> int:
    text, extraction = pair
    with store.write() as session:
        return store_extraction(
            session,
            content_hash=samples.digest(text),
            text=text,
            extraction=extraction,
            source=extraction.source,
        ).document_id


def judgment_id(store, subject: str) -> int:
    with store.read() as session:
        return session.scalar(select(Judgment.id).where(Judgment.subject == subject))


def test_a_corrected_grade_is_written_through_and_keeps_the_extracted_one(store) -> None:
    put(store, samples.report_2021())
    jid = judgment_id(store, "Investigating crime")
    with store.write() as session:
        info = correct(
            session, EDITOR, "judgment", jid, "grade", "Requires Improvement", note="misread table"
        )
    assert (info.original, info.value, info.actor, info.active) == (
        "adequate",
        "requires improvement",
        "sam",
        True,
    )
    with store.read() as session:
        assert session.get(Judgment, jid).grade == "requires improvement"
        shown = corrections_for(session, "judgment", [jid])[jid]
        assert [(c.field, c.original, c.value) for c in shown] == [
            ("grade", "adequate", "requires improvement")
        ]


def test_a_second_correction_replaces_the_first_but_remembers_the_extracted_value(store) -> None:
    put(store, samples.report_2021())
    jid = judgment_id(store, "Investigating crime")
    with store.write() as session:
        correct(session, EDITOR, "judgment", jid, "grade", "good")
        second = correct(session, EDITOR, "judgment", jid, "grade", "outstanding")
    assert second.original == "adequate"
    with store.read() as session:
        history = list_corrections(session)
    assert [(c.value, c.active) for c in history] == [("outstanding", True), ("good", False)]


def test_reverting_puts_the_extracted_value_back(store) -> None:
    put(store, samples.report_2021())
    jid = judgment_id(store, "Investigating crime")
    with store.write() as session:
        made = correct(session, EDITOR, "judgment", jid, "grade", "good")
    with store.write() as session:
        revert(session, EDITOR, made.id, note="the table was right")
    with store.read() as session:
        assert session.get(Judgment, jid).grade == "adequate"
        assert corrections_for(session, "judgment", [jid]) == {}


def test_a_value_outside_the_framework_is_refused_with_the_allowed_ones(store) -> None:
    put(store, samples.report_2021())
    jid = judgment_id(store, "Investigating crime")
    with (
        store.write() as session,
        pytest.raises(CorrectionError, match="'splendid' is not a grade; grades are"),
    ):
        correct(session, EDITOR, "judgment", jid, "grade", "splendid")
    with store.write() as session, pytest.raises(CorrectionError, match="fields are grade, subject, hidden"):
        correct(session, EDITOR, "judgment", jid, "evidence", "x")
    with store.write() as session, pytest.raises(NotFoundError, match="no judgment 999"):
        correct(session, EDITOR, "judgment", 999, "grade", "good")


def test_a_viewer_cannot_correct(store) -> None:
    put(store, samples.report_2021())
    jid = judgment_id(store, "Investigating crime")
    with store.write() as session, pytest.raises(RoleError):
        correct(session, VIEWER, "judgment", jid, "grade", "good")


def test_correcting_a_documents_force_moves_its_judgments_and_its_own_findings(store) -> None:
    doc_id = put(store, samples.report_2021())
    with store.write() as session:
        correct(session, EDITOR, "document", doc_id, "force", "Merseyside Police")
    with store.read() as session:
        doc = session.get(Document, doc_id)
        assert doc.force.slug == "merseyside"
        assert {j.force_id for j in session.scalars(select(Judgment))} == {doc.force_id}
        assert {f.force_id for f in session.scalars(select(Finding))} == {doc.force_id}


def test_correcting_a_documents_cycle_moves_its_findings_search_entries_too(store) -> None:
    doc_id = put(store, samples.report_2021())
    with store.write() as session:
        correct(session, EDITOR, "document", doc_id, "cycle", "2018/19")
    with store.read() as session:
        doc = session.get(Document, doc_id)
        entries = session.scalars(select(SearchEntry).where(SearchEntry.kind == "finding")).all()
        assert entries, "the sample report states findings"
        assert {e.cycle_id for e in entries} == {doc.cycle_id}
        assert {f.cycle_id for f in session.scalars(select(Finding))} == {doc.cycle_id}


def test_correcting_a_documents_kind_makes_its_grades_claims(store) -> None:
    doc_id = put(store, samples.report_2021())
    with store.write() as session:
        correct(session, EDITOR, "document", doc_id, "kind", "pcc_response")
    with store.read() as session:
        assert all(j.claim for j in session.scalars(select(Judgment)))
        assert not any(f.authoritative for f in session.scalars(select(Finding)))


def test_a_date_must_be_a_real_day(store) -> None:
    doc_id = put(store, samples.report_2021())
    with store.write() as session, pytest.raises(CorrectionError, match="written YYYY-MM-DD"):
        correct(session, EDITOR, "document", doc_id, "published", "3 March 2022")
    with store.write() as session, pytest.raises(CorrectionError, match="not a date"):
        correct(session, EDITOR, "document", doc_id, "published", "2022-02-30")
    with store.write() as session:
        correct(session, EDITOR, "document", doc_id, "published", "2022-03-03")
    with store.read() as session:
        assert session.get(Document, doc_id).published == "2022-03-03"


def test_a_hidden_finding_leaves_search_and_comes_back_when_shown(store) -> None:
    put(store, samples.report_2021())
    with store.read() as session:
        fid = session.scalar(select(Finding.id).where(Finding.text == samples.AFI_CALLS))
    with store.write() as session:
        correct(session, EDITOR, "finding", fid, "hidden", "true")
    with store.read() as session:
        assert session.get(Finding, fid).hidden
        assert (
            session.scalar(
                select(SearchEntry).where(SearchEntry.kind == "finding", SearchEntry.ref_id == fid)
            )
            is None
        )
    listed = list_findings(store, limit=100)
    assert fid not in [f.id for f in listed.items] and listed.total == 2
    with store.write() as session:
        correct(session, EDITOR, "finding", fid, "hidden", "false")
    with store.read() as session:
        entry = session.scalar(
            select(SearchEntry).where(SearchEntry.kind == "finding", SearchEntry.ref_id == fid)
        )
        assert entry is not None and entry.body == samples.AFI_CALLS


def test_an_added_finding_gets_its_span_when_the_words_are_in_the_document(store) -> None:
    doc_id = put(store, samples.report_2021())
    words = "Investigating crime: adequate"
    with store.write() as session:
        info = add_finding(session, EDITOR, doc_id, "afi", words, note="missed by the extractor")
    assert info.field == "added" and info.value["type"] == "area_for_improvement"
    with store.read() as session:
        finding = session.get(Finding, info.entity_id)
        assert (finding.text, finding.force_id is not None, finding.status) == (words, True, "open")


def test_every_correction_leaves_an_audit_record(store) -> None:
    put(store, samples.report_2021())
    jid = judgment_id(store, "Investigating crime")
    with store.write() as session:
        correct(session, EDITOR, "judgment", jid, "grade", "good")
    with store.read() as session:
        event = session.scalars(select(Event)).one()
        assert (event.action, event.entity, event.entity_id) == ("correct", "judgment", jid)
        assert event.detail["before"] == {"grade": "adequate"} and event.detail["after"] == {"grade": "good"}


def test_a_correction_finds_its_fact_again_when_the_facts_are_stored_anew(store) -> None:
    doc_id = put(store, samples.report_2021())
    jid = judgment_id(store, "Investigating crime")
    with store.write() as session:
        correct(session, EDITOR, "judgment", jid, "grade", "good")
    # A better extractor stores the document's judgments again: new ids, the same spans.
    with store.write() as session:
        old = session.get(Judgment, jid)
        fresh = Judgment(
            document_id=doc_id,
            force_id=old.force_id,
            cycle_id=old.cycle_id,
            position=old.position,
            scope=old.scope,
            subject=old.subject,
            area_key=old.area_key,
            grade="adequate",
            claim=old.claim,
            evidence=old.evidence,
            start=old.start,
            end=old.end,
        )
        session.delete(old)
        session.add(fresh)
        session.flush()
        new_id = fresh.id
        detached = reapply(session, doc_id)
    assert detached == [] and new_id != jid
    with store.read() as session:
        assert session.get(Judgment, new_id).grade == "good"
        assert list(corrections_for(session, "judgment", [new_id])) == [new_id]


def test_a_correction_whose_fact_is_gone_is_kept_detached(store) -> None:
    doc_id = put(store, samples.report_2021())
    jid = judgment_id(store, "Investigating crime")
    with store.write() as session:
        correct(session, EDITOR, "judgment", jid, "grade", "good")
    with store.write() as session:
        session.delete(session.get(Judgment, jid))
        session.flush()
        detached = reapply(session, doc_id)
    assert [(c.field, c.value, c.detached) for c in detached] == [("grade", "good", True)]
