"""Trackers and committee papers that state a status per finding become status events."""

from __future__ import annotations

from datetime import UTC, datetime

from track_seed import AFI_CALLS, AFI_CUSTODY, report_with_findings

from peelwatch.extract.model import Finding
from peelwatch.extract.statuses import mark_statuses
from peelwatch.store import ingest_bytes
from peelwatch.track import apply_document_statuses, change_status, cli_actor, disagreements, status_history

TRACKER = f"""Office of the Police and Crime Commissioner for Kent

Kent Police PEEL 2023–25 recommendation tracker

Report to the Police and Crime Panel, 12 September 2025

Areas for improvement

AFI 1\t{AFI_CALLS}\tCompleted
AFI 2\t{AFI_CUSTODY}\tOngoing
"""


def _finding(text: str, words: str) -> Finding:
    start = text.index(words)
    return Finding(
        type="area_for_improvement", text=words, evidence=words, start=start, end=start + len(words)
    )


def test_a_status_word_standing_as_a_label_is_read_with_its_span() -> None:
    text = "AFI 1\tAnswer calls faster.\tBeing progressed\nAFI 2\tSee a nurse.\nStatus: Amber\n"
    found = [_finding(text, "Answer calls faster."), _finding(text, "See a nurse.")]
    mark_statuses(text, found, "pcc_response")
    assert [(f.stated.status, f.stated.word) for f in found] == [
        ("in_progress", "Being progressed"),
        ("in_progress", "Amber"),
    ]
    assert text[found[0].stated.start : found[0].stated.end] == "Being progressed"


def test_a_status_word_spelt_with_a_letter_that_only_folds_to_ascii_is_read() -> None:
    # The case-blind pattern matches "ſ" (long s) as "s"; the word is looked up folded the same
    # way, not by str.lower, which keeps the "ſ" and found no status.
    text = "AFI 1\tAnswer calls faster.\tCloſed\n"
    found = [_finding(text, "Answer calls faster.")]
    mark_statuses(text, found, "pcc_response")
    assert (found[0].stated.status, found[0].stated.word) == ("closed", "Cloſed")


def test_a_status_word_inside_a_sentence_or_in_an_inspection_report_is_not_a_status() -> None:
    text = "The force should record crime better. This will be completed by March.\n"
    found = [_finding(text, "The force should record crime better.")]
    mark_statuses(text, found, "pcc_response")
    assert found[0].stated is None
    label = "The force should record crime better.\tCompleted\n"
    report = [_finding(label, "The force should record crime better.")]
    mark_statuses(label, report, "inspection_report")
    assert report[0].stated is None


def test_an_ingested_tracker_moves_the_findings_it_names_and_a_later_human_decision_stands(store) -> None:
    _, (calls, custody, _) = report_with_findings(store)
    result = ingest_bytes(store, TRACKER.encode(), "kent-tracker.txt")
    assert result.status == "ingested"
    with store.read() as session:
        [done] = status_history(session, calls)
        [ongoing] = status_history(session, custody)
    assert (done.to_status, done.source, done.document_id, done.evidence) == (
        "completed",
        "document",
        result.document_id,
        "Completed",
    )
    assert done.at.date().isoformat() == "2025-09-12"
    assert ongoing.to_status == "in_progress"
    with store.write() as session:
        change_status(
            session,
            cli_actor("liaison"),
            custody,
            "open",
            note="reopened: audit failed",
            at=datetime(2025, 10, 1, tzinfo=UTC),
        )
        assert apply_document_statuses(session, result.document_id) == 0  # already applied by ingest
    with store.read() as session:
        [dis] = disagreements(session, custody)
        history = [(e.from_status, e.to_status) for e in status_history(session, custody)]
    assert history == [("open", "in_progress"), ("in_progress", "open")]
    assert (dis.stated, dis.decided, dis.evidence) == ("in_progress", "open", "Ongoing")
