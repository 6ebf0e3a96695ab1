"""People's corrections and tracking outlive storing a document again and a better extraction of it.

A weak extraction of a report is stored; editors put it right (a grade, a finding's words, a
finding's type, a heading taken for a finding hidden, a missed finding added, the publication
date) and track a finding (owner, action, status). An improved extraction then replaces the
document's facts: every correction is still in force and shown, the tracking is where it was,
and the status the report states is applied once.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from peelwatch.errors import NotFoundError
from peelwatch.extract.model import Discharge, Extraction, Finding, Judgment
from peelwatch.ingest import ingest_bytes
from peelwatch.reextract import ReextractError, reextract, replace_extraction
from peelwatch.store.engine import Store
from peelwatch.store.models import Document, Event, FindingMention, FindingStatusEvent, SearchEntry
from peelwatch.store.models import Finding as FindingRow
from peelwatch.store.models import Judgment as JudgmentRow
from peelwatch.store.repository import store_extraction
from peelwatch.track import Actor, add_action, assign_owner, change_status, finding_actions
from peelwatch.track.corrections import add_finding, correct, corrections_for, list_corrections
from peelwatch.web.views import document_view

EDITOR = Actor(name="sam", role="editor", via="web")

EARLIER = (
    "PEEL 2021/22: An inspection of Kent Police\n\n"
    "Areas for improvement\n\n"
    "The force should make sure that people held in custody are seen by a healthcare professional "
    "without delay.\n"
)
CUSTODY = (
    "The force should make sure that people held in custody are seen by a healthcare professional "
    "without delay."
)
REPORT = (
    "PEEL 2023–25: An inspection of Kent Police\n\n"
    "Investigating crime: adequate\n"
    "Protecting vulnerable people: good\n\n"
    "Areas for improvement\n\n"
    "The force should make sure that supervisors review every open investigation at least once a month.\n\n"
    "The force should answer non-emergency calls made through its website within a working day.\n\n"
    "The force should record the protected characteristics of victims so that it knows who uses its "
    "services.\n\n"
    "Earlier findings\n\n"
    "In 2021/22 we said the force should make sure that people held in custody are seen by a healthcare "
    "professional without delay. This area for improvement has been discharged.\n"
)
SUPERVISION = (
    "The force should make sure that supervisors review every open investigation at least once a month."
)
SUPERVISION_CUT = "The force should make sure that supervisors review every open investigation"
WEBSITE = "The force should answer non-emergency calls made through its website within a working day."
EQUALITY = (
    "The force should record the protected characteristics of victims so that it knows who uses its services."
)
DISCHARGED = (
    "In 2021/22 we said the force should make sure that people held in custody are seen by a healthcare "
    "professional without delay. This area for improvement has been discharged."
)
HEADING = "Areas for improvement"
SUPERVISION_FIXED = (
    "Supervisors should check each live investigation monthly and write down what they decide."
)


def _at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _judgment(subject: str, grade: str) -> Judgment:
    line = f"{subject}: {grade}"
    return Judgment("area", subject, grade, line, *_at(REPORT, line))  # type: ignore[arg-type]


def _finding(words: str, type_: str = "area_for_improvement") -> Finding:
    return Finding(type_, words, words, *_at(REPORT, words))  # type: ignore[arg-type]


def _extraction(judgments: list[Judgment], findings: list[Finding]) -> Extraction:
    return Extraction(
        source="kent-2023.txt",
        kind="inspection_report",
        force="Kent Police",
        cycle="2023–25",
        title="PEEL 2023–25: An inspection of Kent Police",
        judgments=judgments,
        findings=findings,
        discharges=[Discharge("discharged", DISCHARGED, DISCHARGED, *_at(REPORT, DISCHARGED))],
    )


def weak_extraction() -> Extraction:
    """Misses a grade and a finding, cuts a finding short, mistypes one, takes a heading for one."""
    return _extraction(
        [_judgment("Investigating crime", "adequate")],
        [_finding(HEADING), _finding(SUPERVISION_CUT), _finding(WEBSITE, "recommendation")],
    )


def improved_extraction() -> Extraction:
    """Every grade and finding, whole and well typed, in the report's order."""
    return _extraction(
        [_judgment("Investigating crime", "adequate"), _judgment("Protecting vulnerable people", "good")],
        [_finding(SUPERVISION), _finding(WEBSITE), _finding(EQUALITY)],
    )


def _store(store: Store, text: str, extraction: Extraction) -> int:
    from peelwatch.ingest import store_document

    with store.write() as session:
        return store_document(
            session,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            text=text,
            extraction=extraction,
            source=extraction.source,
        ).document_id


def _earlier(store: Store) -> int:
    """The 2021/22 report whose custody finding the 2023–25 report discharges; that finding's id."""
    extraction = Extraction(
        source="kent-2021.txt",
        kind="inspection_report",
        force="Kent Police",
        cycle="2021/22",
        title="PEEL 2021/22: An inspection of Kent Police",
        findings=[Finding("area_for_improvement", CUSTODY, CUSTODY, *_at(EARLIER, CUSTODY))],
    )
    with store.write() as session:
        store_extraction(
            session,
            content_hash=hashlib.sha256(EARLIER.encode()).hexdigest(),
            text=EARLIER,
            extraction=extraction,
            source="kent-2021.txt",
        )
    with store.read() as session:
        return session.scalar(select(FindingRow.id).where(FindingRow.text == CUSTODY))


def _finding_id(session, document_id: int, words: str) -> int:
    return session.scalar(
        select(FindingMention.finding_id).where(
            FindingMention.document_id == document_id, FindingMention.text == words
        )
    )


def _document_events(session, finding_id: int) -> list[FindingStatusEvent]:
    return list(
        session.scalars(
            select(FindingStatusEvent).where(
                FindingStatusEvent.finding_id == finding_id, FindingStatusEvent.source == "document"
            )
        )
    )


@pytest.fixture
def corrected(any_store: Store) -> dict[str, int]:
    """The weak extraction stored, put right by an editor and tracked; the ids involved."""
    custody = _earlier(any_store)
    doc = _store(any_store, REPORT, weak_extraction())
    with any_store.write() as session:
        ids = {
            "doc": doc,
            "custody": custody,
            "heading": _finding_id(session, doc, HEADING),
            "supervision": _finding_id(session, doc, SUPERVISION_CUT),
            "website": _finding_id(session, doc, WEBSITE),
            "judgment": session.scalar(select(JudgmentRow.id).where(JudgmentRow.document_id == doc)),
        }
        correct(session, EDITOR, "judgment", ids["judgment"], "grade", "requires improvement")
        correct(session, EDITOR, "finding", ids["supervision"], "text", SUPERVISION_FIXED)
        correct(session, EDITOR, "finding", ids["website"], "type", "area_for_improvement")
        correct(session, EDITOR, "finding", ids["heading"], "hidden", "true", note="a heading, not a finding")
        correct(session, EDITOR, "document", doc, "published", "2025-02-20")
        ids["equality"] = add_finding(session, EDITOR, doc, "afi", EQUALITY).entity_id
        assign_owner(session, EDITOR, ids["supervision"], "Head of Investigations")
        ids["action"] = add_action(
            session, EDITOR, ids["supervision"], "Monthly review rota", due=date(2026, 6, 30)
        )
        change_status(session, EDITOR, ids["supervision"], "in_progress", note="rota drafted")
    with any_store.read() as session:
        assert [e.to_status for e in _document_events(session, custody)] == ["discharged"]
    return ids


def _in_force(store: Store, doc: int) -> dict[tuple[str, str], object]:
    with store.read() as session:
        return {(c.entity, c.field): c for c in list_corrections(session, document_id=doc, active_only=True)}


def test_storing_the_same_document_again_keeps_every_correction(any_store: Store, corrected) -> None:
    doc = corrected["doc"]
    before = _in_force(any_store, doc)
    with any_store.read() as session:
        judgments = list(session.scalars(select(JudgmentRow.id).where(JudgmentRow.document_id == doc)))
    result = ingest_bytes(any_store, REPORT.encode(), "kent-2023.txt", time_budget=None)
    assert (result.status, result.document_id) == ("unchanged", doc)
    assert _in_force(any_store, doc) == before
    with any_store.read() as session:
        assert session.get(JudgmentRow, judgments[0]).grade == "requires improvement"
        assert session.get(FindingRow, corrected["supervision"]).text == SUPERVISION_FIXED


def test_an_improved_extraction_keeps_every_correction_and_the_tracking(any_store: Store, corrected) -> None:
    doc = corrected["doc"]
    in_force = _in_force(any_store, doc)
    with any_store.write() as session:
        result = replace_extraction(session, EDITOR, doc, improved_extraction())

    # The same corrections are in force, none lost, none new.
    assert {k: c.id for k, c in _in_force(any_store, doc).items()} == {k: c.id for k, c in in_force.items()}
    with any_store.read() as session:
        grade = session.scalar(
            select(JudgmentRow).where(
                JudgmentRow.document_id == doc, JudgmentRow.subject == "Investigating crime"
            )
        )
        assert grade.grade == "requires improvement"
        assert [c.value for c in corrections_for(session, "judgment", [grade.id])[grade.id]] == [
            "requires improvement"
        ]
        supervision = session.get(FindingRow, corrected["supervision"])
        assert supervision.text == SUPERVISION_FIXED
        assert [c.field for c in corrections_for(session, "finding", [supervision.id])[supervision.id]] == [
            "text"
        ]
        website = session.get(FindingRow, corrected["website"])
        assert website.type == "area_for_improvement"
        assert session.get(Document, doc).published == "2025-02-20"

        # The finding the editor added is the one the better extractor now finds: one finding, one mention.
        equality = session.get(FindingRow, corrected["equality"])
        assert equality is not None and not equality.hidden
        assert (
            session.scalar(select(func.count()).select_from(FindingRow).where(FindingRow.text == EQUALITY))
            == 1
        )
        assert _finding_id(session, doc, EQUALITY) == corrected["equality"]

        # The newly found grade is stored; the corrected mentions are the improved extraction's.
        assert (
            session.scalar(
                select(JudgmentRow.grade).where(
                    JudgmentRow.document_id == doc, JudgmentRow.subject == "Protecting vulnerable people"
                )
            )
            == "good"
        )
        assert _finding_id(session, doc, SUPERVISION) == corrected["supervision"]

        # Tracking stays on the finding.
        assert supervision.owner == "Head of Investigations"
        assert [a.id for a in finding_actions(session, supervision.id)] == [corrected["action"]]
        assert supervision.status == "in_progress"

        # The heading is no longer stated, but it carries a correction: kept, hidden, reported.
        heading = session.get(FindingRow, corrected["heading"])
        assert heading is not None and heading.hidden
        assert [c.field for c in corrections_for(session, "finding", [heading.id])[heading.id]] == ["hidden"]
        assert (
            session.scalar(
                select(SearchEntry.id).where(SearchEntry.kind == "finding", SearchEntry.ref_id == heading.id)
            )
            is None
        )

        # The discharge the report states is one event, dated by the corrected publication date.
        events = _document_events(session, corrected["custody"])
        assert [(e.to_status, e.document_id) for e in events] == [("discharged", doc)]
        assert events[0].at.date() == date(2025, 2, 20)
        assert session.get(FindingRow, corrected["custody"]).status == "discharged"

        audit = session.scalar(select(Event).where(Event.action == "reextract", Event.entity_id == doc))
        assert audit.detail["actor"] == "sam" and audit.detail["after"]["judgments"] == 2
        orphan = session.scalar(select(Event).where(Event.action == "correction_orphaned"))
        assert (orphan.entity, orphan.entity_id, orphan.detail["actor"]) == ("finding", heading.id, "sam")

    # The document page (and its JSON) shows the corrected grade with its correction beside it.
    view = document_view(any_store, doc)
    judged = {j["subject"]: j for j in view["judgments"]}
    assert judged["Investigating crime"]["grade"] == "requires improvement"
    shown = view["corrections"][str(judged["Investigating crime"]["id"])]
    assert [(c["original"], c["value"], c["actor"]) for c in shown] == [
        ("adequate", "requires improvement", "sam")
    ]
    assert view["document"]["published"] == "2025-02-20"

    assert result.before["judgments"] == 1 and result.after["judgments"] == 2
    assert (result.findings_added, result.findings_kept, result.findings_removed) == (0, 3, 0)
    assert result.findings_retained == 1
    assert [(c.entity, c.entity_id, c.field) for c in result.orphaned] == [
        ("finding", corrected["heading"], "hidden")
    ]
    assert (
        result.corrections_reapplied == 4
    )  # grade, text, type, published (the added finding is not re-applied)
    assert result.status_events == 1


def test_extracting_again_twice_changes_nothing_more(any_store: Store, corrected) -> None:
    doc = corrected["doc"]
    with any_store.write() as session:
        replace_extraction(session, EDITOR, doc, improved_extraction())
    with any_store.read() as session:
        findings_before = session.scalar(select(func.count()).select_from(FindingRow))
    with any_store.write() as session:
        again = replace_extraction(session, EDITOR, doc, improved_extraction())
    assert (again.findings_added, again.findings_kept, again.findings_removed) == (0, 3, 0)
    assert again.before == again.after
    with any_store.read() as session:
        assert session.scalar(select(func.count()).select_from(FindingRow)) == findings_before
        assert len(_document_events(session, corrected["custody"])) == 1


def test_a_finding_no_longer_stated_and_held_by_nothing_is_removed(store: Store) -> None:
    doc = _store(store, REPORT, weak_extraction())
    with store.read() as session:
        website = _finding_id(session, doc, WEBSITE)
        heading = _finding_id(session, doc, HEADING)
    with store.write() as session:
        result = replace_extraction(session, EDITOR, doc, improved_extraction())
    assert result.findings_removed == 1 and result.orphaned == []
    with store.read() as session:
        assert session.get(FindingRow, heading) is None
        # A new type and whole words at the same place are still the same finding.
        assert _finding_id(session, doc, WEBSITE) == website
        assert session.get(FindingRow, website).type == "area_for_improvement"


def test_a_viewer_cannot_extract_again(store: Store) -> None:
    from peelwatch.track import RoleError

    doc = _store(store, REPORT, weak_extraction())
    with pytest.raises(RoleError), store.write() as session:
        replace_extraction(session, Actor(name="val", role="viewer"), doc, improved_extraction())


def test_the_current_extractor_reads_the_stored_text_again(store: Store) -> None:
    first = ingest_bytes(store, REPORT.encode(), "kent-2023.txt", time_budget=None)
    with store.write() as session:
        jid = session.scalar(
            select(JudgmentRow.id).where(
                JudgmentRow.document_id == first.document_id, JudgmentRow.subject == "Investigating crime"
            )
        )
        correct(session, EDITOR, "judgment", jid, "grade", "inadequate")
    # In a worker process stopped after the budget, as ingest extracts.
    report = reextract(store, EDITOR, [first.document_id], time_budget=60)
    assert report.failed == [] and report.results[0].read_from == "stored text"
    assert report.results[0].orphaned == [] and report.results[0].corrections_reapplied == 1
    with store.read() as session:
        grades = dict(
            session.execute(
                select(JudgmentRow.subject, JudgmentRow.grade).where(
                    JudgmentRow.document_id == first.document_id
                )
            ).all()
        )
    assert grades["Investigating crime"] == "inadequate"


def test_an_unknown_document_or_another_file_is_refused(store: Store, tmp_path: Path) -> None:
    doc = ingest_bytes(store, REPORT.encode(), "kent-2023.txt", time_budget=None).document_id
    with pytest.raises(NotFoundError, match="no document 999"):
        reextract(store, EDITOR, [doc, 999])
    other = tmp_path / "other.txt"
    other.write_text(REPORT + "\nA line more.\n")
    with pytest.raises(ReextractError, match="bytes differ"):
        reextract(store, EDITOR, [doc], source=other)
    own = tmp_path / "kent-2023.txt"
    own.write_bytes(REPORT.encode())
    assert reextract(store, EDITOR, [doc], source=own).results[0].read_from == str(own)


def _run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peelwatch", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_extracts_every_document_again(tmp_path: Path) -> None:
    report = tmp_path / "kent-2023.txt"
    report.write_text(REPORT)
    db = tmp_path / "record.db"
    assert _run("ingest", str(report), "--no-progress", db=db).returncode == 0
    done = _run("reextract", "--all", "--format", "json", db=db)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["failed"] == [] and [r["document_id"] for r in out["results"]] == [1]
    assert out["results"][0]["findings_kept"] == 3
    table = _run("reextract", "1", db=db)
    assert table.returncode == 0 and "1 extracted again, 0 failed" in table.stdout

    unknown = _run("reextract", "7", db=db)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "peelwatch: error: there is no document 7"
    neither = _run("reextract", db=db)
    assert neither.returncode == 1 and neither.stderr.count("\n") == 1


def test_a_document_that_fails_is_reported_unchanged_and_the_others_go_on(store: Store, monkeypatch) -> None:
    import peelwatch.extract
    import peelwatch.reextract

    report_id = ingest_bytes(store, REPORT.encode(), "kent-2023.txt", time_budget=None).document_id
    earlier_id = ingest_bytes(store, EARLIER.encode(), "kent-2021.txt", time_budget=None).document_id
    with store.read() as session:
        before = {d.id: (d.kind, d.title) for d in session.scalars(select(Document))}
        findings = sorted(session.scalars(select(FindingRow.id)))
    extract = peelwatch.extract.extract_document

    def breaks_on_the_report(doc):
        if "2023–25" in doc.text:
            raise RuntimeError("extractor bug")
        return extract(doc)

    monkeypatch.setattr(peelwatch.extract, "extract_document", breaks_on_the_report)
    done = reextract(store, EDITOR)
    assert [r.document_id for r in done.results] == [earlier_id]
    assert [(f.document_id, f.reason) for f in done.failed] == [
        (report_id, "internal error: RuntimeError: extractor bug")
    ]

    # A failure while the facts are replaced rolls the whole document back: no scratch document.
    monkeypatch.setattr(peelwatch.extract, "extract_document", extract)

    def fails_late(session, document_id):
        raise RuntimeError("status step failed")

    monkeypatch.setattr(peelwatch.reextract, "apply_document_statuses", fails_late)
    done = reextract(store, EDITOR, [report_id])
    assert done.results == [] and done.failed[0].reason == "internal error: RuntimeError: status step failed"
    with store.read() as session:
        assert {d.id: (d.kind, d.title) for d in session.scalars(select(Document))} == before
        assert sorted(session.scalars(select(FindingRow.id))) == findings
        assert session.scalar(select(func.count()).select_from(Event).where(Event.action == "reextract")) == 1


def test_a_kind_a_person_confirmed_stays_confirmed(store: Store) -> None:
    from peelwatch.store.provenance import confirm_document

    unsure = {"kind": "few cues", "kind_confidence": "low: one cue"}
    weak = weak_extraction()
    weak.reasons = dict(unsure)
    doc = _store(store, REPORT, weak)
    assert confirm_document(store, doc, EDITOR)

    def provisional_after(extraction: Extraction) -> bool:
        extraction.reasons = dict(unsure)
        with store.write() as session:
            replace_extraction(session, EDITOR, doc, extraction)
        with store.read() as session:
            return session.get(Document, doc).provisional

    assert provisional_after(improved_extraction()) is False
    # A kind nobody confirmed is a guess again.
    other = improved_extraction()
    other.kind = "force_statement"
    assert provisional_after(other) is True


def test_documents_are_read_from_their_own_files_while_those_keep_their_bytes(
    store: Store, tmp_path: Path
) -> None:
    from peelwatch.ingest import ingest_paths

    file = tmp_path / "kent-2023.txt"
    file.write_bytes(REPORT.encode())
    doc = ingest_paths(store, [file], time_budget=None).results[0].document_id
    assert reextract(store, EDITOR, [doc], own_files=True).results[0].read_from == str(file)
    file.write_text("Another text now stands in this file.\n")
    assert reextract(store, EDITOR, [doc], own_files=True).results[0].read_from == "stored text"
    file.unlink()
    assert reextract(store, EDITOR, [doc], own_files=True).results[0].read_from == "stored text"
