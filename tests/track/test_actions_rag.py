"""Owners, actions, notes, evidence, and the RAG rules applied to them with fixed dates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from track_seed import report_with_findings

from peelwatch.store.models import Event, Finding
from peelwatch.track import (
    ActionError,
    BoardFilter,
    add_action,
    add_evidence,
    add_note,
    assign_owner,
    cli_actor,
    complete_action,
    due_actions,
    finding_actions,
    tracked_findings,
)

ME = cli_actor("liaison")


def _rag(store, fid: int, today: date) -> tuple[str, str]:
    with store.read() as session:
        [item] = [t for t in tracked_findings(session, BoardFilter(), today=today) if t.id == fid]
    return item.rag, item.rag_reason


def test_owner_actions_notes_and_evidence_are_kept_and_audited(store) -> None:
    doc, (fid, *_) = report_with_findings(store)
    with store.write() as session:
        assign_owner(session, ME, fid, "Head of Contact Management")
        aid = add_action(session, ME, fid, "Recruit call handlers", owner="HR", due=date(2025, 6, 30))
        add_note(session, ME, aid, "Twelve recruited", on=date(2025, 5, 2))
        add_evidence(session, ME, aid, document_id=doc, label="the report")
        add_evidence(session, ME, aid, url="https://example.org/plan", label="plan")
    with store.read() as session:
        [action] = finding_actions(session, fid)
        owner = session.get(Finding, fid).owner
        kinds = [e.action for e in session.scalars(select(Event).order_by(Event.id))]
    assert owner == "Head of Contact Management"
    assert (action.title, action.owner, action.due, action.status) == (
        "Recruit call handlers",
        "HR",
        date(2025, 6, 30),
        "planned",
    )
    assert action.latest_note.text == "Twelve recruited" and action.latest_note.on == date(2025, 5, 2)
    assert [(e.document_id, e.url) for e in action.evidence] == [
        (doc, None),
        (None, "https://example.org/plan"),
    ]
    assert kinds == ["assign", "action_add", "note_add", "evidence_add", "evidence_add"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({}, "either a document id or a URL"), ({"url": "javascript:alert(1)"}, "must start with http")],
)
def test_evidence_is_a_document_or_a_web_link(store, kwargs, message) -> None:
    _, (fid, *_) = report_with_findings(store)
    with store.write() as session:
        aid = add_action(session, ME, fid, "Audit custody")
    with pytest.raises(ActionError, match=message), store.write() as session:
        add_evidence(session, ME, aid, **kwargs)


def test_an_overdue_action_makes_the_finding_red_and_says_why(store) -> None:
    _, (fid, *_) = report_with_findings(store)
    with store.write() as session:
        add_action(session, ME, fid, "X", due=date(2026, 10, 1))
    assert _rag(store, fid, date(2026, 12, 3)) == ("red", "red: action 'X' due 2026-10-01 is 63 days overdue")


def test_no_action_fifty_six_days_after_publication_is_red(store) -> None:
    _, (fid, *_) = report_with_findings(store, published="2025-03-14")
    assert _rag(store, fid, date(2025, 5, 8))[0] == "green"
    assert _rag(store, fid, date(2025, 5, 9)) == (
        "red",
        "red: no action recorded 56 days after publication on 2025-03-14",
    )


def test_an_action_due_within_a_fortnight_is_amber_and_a_later_one_green(store) -> None:
    _, (fid, *_) = report_with_findings(store)
    with store.write() as session:
        add_action(session, ME, fid, "Train supervisors", due=date(2025, 7, 14))
    assert _rag(store, fid, date(2025, 7, 1)) == (
        "amber",
        "amber: action 'Train supervisors' is due 2025-07-14, in 13 days",
    )
    assert _rag(store, fid, date(2025, 6, 1)) == (
        "green",
        "green: on track (next action 'Train supervisors' due 2025-07-14)",
    )


def test_done_actions_are_not_overdue_and_a_finished_finding_is_complete(store) -> None:
    from peelwatch.track import change_status

    _, (fid, *_) = report_with_findings(store)
    with store.write() as session:
        aid = add_action(session, ME, fid, "Old plan", due=date(2025, 4, 1))
        complete_action(session, ME, aid)
    assert _rag(store, fid, date(2025, 6, 1))[0] == "green"
    with store.write() as session:
        change_status(session, ME, fid, "completed")
    assert _rag(store, fid, date(2025, 6, 1)) == ("complete", "complete: the finding is completed")


def test_due_lists_overdue_and_due_soon_actions_soonest_first(store) -> None:
    _, (a, b, c) = report_with_findings(store)
    with store.write() as session:
        add_action(session, ME, a, "late one", owner="Ops", due=date(2025, 5, 1))
        add_action(session, ME, b, "soon one", owner="HR", due=date(2025, 5, 20))
        add_action(session, ME, c, "far one", due=date(2025, 9, 1))
    with store.read() as session:
        items = due_actions(session, today=date(2025, 5, 10))
        mine = due_actions(session, today=date(2025, 5, 10), owner="HR")
    assert [(i.title, i.state, i.days) for i in items] == [
        ("late one", "overdue", -9),
        ("soon one", "due soon", 10),
    ]
    assert [i.title for i in mine] == ["soon one"]


def test_the_board_filters_by_owner_and_rag_and_sorts(store) -> None:
    _, (a, b, _c) = report_with_findings(store)
    with store.write() as session:
        assign_owner(session, ME, a, "Ops")
        add_action(session, ME, b, "late", due=date(2025, 4, 1))
    with store.read() as session:
        owned = tracked_findings(session, BoardFilter(owner="Ops"), today=date(2025, 5, 1))
        red = tracked_findings(session, BoardFilter(rag="red"), today=date(2025, 5, 1))
        by_rag = tracked_findings(session, BoardFilter(sort="rag"), today=date(2025, 5, 1))
    assert [t.id for t in owned] == [a]
    assert [t.id for t in red] == [b]
    assert by_rag[0].id == b
