"""A finding's status is the sum of its events: people's decisions and documents' statements."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from track_seed import AFI_CALLS, report_with_findings, store_doc

from peelwatch.store.models import Event, Finding
from peelwatch.track import (
    Actor,
    RoleError,
    TransitionError,
    apply_document_statuses,
    change_status,
    cli_actor,
    disagreements,
    status_history,
)

EDITOR = Actor(name="sam", role="editor", via="web")


def _status(store, finding_id: int) -> str:
    with store.read() as session:
        return session.get(Finding, finding_id).status


def test_a_finding_moves_through_its_lifecycle_and_keeps_the_history(any_store) -> None:
    _, (fid, *_) = report_with_findings(any_store)
    with any_store.write() as session:
        change_status(session, EDITOR, fid, "in_progress", note="work started")
        change_status(session, EDITOR, fid, "completed")
    with any_store.read() as session:
        history = status_history(session, fid)
        audit = [
            e.detail
            for e in session.scalars(select(Event).where(Event.entity == "finding", Event.entity_id == fid))
        ]
    assert [(e.from_status, e.to_status, e.actor) for e in history] == [
        ("open", "in_progress", "sam"),
        ("in_progress", "completed", "sam"),
    ]
    assert history[0].note == "work started"
    assert _status(any_store, fid) == "completed"
    assert [a["after"]["status"] for a in audit] == ["in_progress", "completed"]
    assert audit[0]["before"] == {"status": "open"}


def test_a_move_not_in_the_rules_is_refused_and_nothing_is_written(store) -> None:
    _, (fid, *_) = report_with_findings(store)
    with pytest.raises(TransitionError, match="cannot go from open to discharged"), store.write() as session:
        change_status(session, EDITOR, fid, "discharged")
    with store.read() as session:
        assert status_history(session, fid) == []
        assert session.scalars(select(Event)).all() == []


def test_closing_or_superseding_needs_a_reason(store) -> None:
    _, (fid, *_) = report_with_findings(store)
    with pytest.raises(TransitionError, match="needs a note"), store.write() as session:
        change_status(session, EDITOR, fid, "closed")
    with store.write() as session:
        change_status(session, EDITOR, fid, "superseded", note="replaced by the 2025 recommendation")
    assert _status(store, fid) == "superseded"


def test_a_viewer_cannot_change_a_status(store) -> None:
    _, (fid, *_) = report_with_findings(store)
    with pytest.raises(RoleError), store.write() as session:
        change_status(session, Actor(name="vic", role="viewer", via="web"), fid, "in_progress")


def _discharging_report(store, published: str) -> int:
    return store_doc(
        store,
        kind="inspection_report",
        cycle="2025–27",
        published=published,
        title=f"PEEL 2025–27 report {published}",
        discharges=(f"In 2023–25 we said: {AFI_CALLS} This area for improvement has been discharged.",),
    )


def _link_discharges(store, document_id: int, finding_id: int) -> None:
    # Another part of peelwatch links discharge statements to findings; the tests set it directly.
    from peelwatch.store.models import Discharge

    with store.write() as session:
        for d in session.scalars(select(Discharge).where(Discharge.document_id == document_id)):
            d.finding_id = finding_id


def test_a_later_report_discharging_a_finding_is_a_dated_event_by_that_document(any_store) -> None:
    _, (fid, *_) = report_with_findings(any_store)
    doc = _discharging_report(any_store, "2026-02-01")
    _link_discharges(any_store, doc, fid)
    with any_store.write() as session:
        assert apply_document_statuses(session, doc) == 1
    with any_store.write() as session:
        assert apply_document_statuses(session, doc) == 0  # idempotent
    with any_store.read() as session:
        [event] = status_history(session, fid)
    assert (event.source, event.document_id, event.to_status) == ("document", doc, "discharged")
    assert event.at.date().isoformat() == "2026-02-01" and "has been discharged" in event.evidence
    assert _status(any_store, fid) == "discharged"


def test_a_document_dated_before_a_human_decision_does_not_override_it_and_is_shown(store) -> None:
    _, (fid, *_) = report_with_findings(store)
    with store.write() as session:
        change_status(session, EDITOR, fid, "in_progress", at=datetime(2026, 3, 1, 10, tzinfo=UTC))
    doc = _discharging_report(store, "2026-02-01")  # ingested later, dated earlier
    _link_discharges(store, doc, fid)
    with store.write() as session:
        apply_document_statuses(session, doc)
    with store.read() as session:
        history = status_history(session, fid)
        [dis] = disagreements(session, fid)
    assert [(e.from_status, e.to_status) for e in history] == [
        ("open", "discharged"),
        ("discharged", "in_progress"),
    ]
    assert _status(store, fid) == "in_progress"
    assert (dis.stated, dis.decided, dis.decided_by) == ("discharged", "in_progress", "sam")


def test_documents_applied_in_either_order_give_the_same_history(tmp_path) -> None:
    from peelwatch.store import open_store

    results = []
    for order in ((0, 1), (1, 0)):
        store = open_store(f"sqlite:///{tmp_path / f'o{order[0]}.db'}")
        _, (fid, *_) = report_with_findings(store)
        docs = [_discharging_report(store, "2026-02-01"), _discharging_report(store, "2025-11-01")]
        for d in docs:
            _link_discharges(store, d, fid)
        for i in order:
            with store.write() as session:
                apply_document_statuses(session, docs[i])
        with store.read() as session:
            results.append([(e.at.date(), e.from_status, e.to_status) for e in status_history(session, fid)])
        store.close()
    assert results[0] == results[1]
    assert results[0][0][1] == "open" and results[0][1][1] == "discharged"


def test_the_command_line_actor_is_recorded_by_name(store) -> None:
    _, (fid, *_) = report_with_findings(store)
    with store.write() as session:
        change_status(session, cli_actor("liaison"), fid, "in_progress")
    with store.read() as session:
        assert status_history(session, fid)[0].actor == "liaison"
