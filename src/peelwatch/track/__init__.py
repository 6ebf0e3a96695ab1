"""peelwatch.track: following each finding to closure, and who changed what.

* :mod:`~peelwatch.track.audit` — the actor of a write and the audit record each write appends.
* :mod:`~peelwatch.track.lifecycle` — status events and the status they add up to.
* :mod:`~peelwatch.track.actions` — owners, actions, progress notes, evidence, what is due.
* :mod:`~peelwatch.track.rag` — RAG per finding by the rules in ``rules.yaml``.
* :mod:`~peelwatch.track.board` — the tracking board (filters, sorting).
* :mod:`~peelwatch.track.deadlines` — the section 55 56-day clock.
* :mod:`~peelwatch.track.from_documents` — statuses documents state, as events.
* :mod:`~peelwatch.track.reports` — committee papers and draft response letters.
"""

from __future__ import annotations

from peelwatch.track.actions import (
    ActionError,
    ActionView,
    DueItem,
    add_action,
    add_evidence,
    add_note,
    assign_owner,
    complete_action,
    due_actions,
    finding_actions,
    update_action,
)
from peelwatch.track.audit import (
    ROLES,
    Actor,
    AuditEntry,
    AuditFilter,
    RoleError,
    audit_names,
    cli_actor,
    events_csv,
    list_events,
    record,
)
from peelwatch.track.board import BoardFilter, TrackedFinding, rags_for, tracked_findings
from peelwatch.track.deadlines import ResponseClock, parse_date, report_date, response_clocks
from peelwatch.track.from_documents import apply_document_statuses
from peelwatch.track.lifecycle import (
    Disagreement,
    StatusEvent,
    TransitionError,
    change_status,
    disagreements,
    status_history,
)
from peelwatch.track.link_decisions import decide_link
from peelwatch.track.rag import Rag, compute_rag
from peelwatch.track.rules import TrackRules, load_rules

__all__ = [
    "ROLES",
    "ActionError",
    "ActionView",
    "Actor",
    "AuditEntry",
    "AuditFilter",
    "BoardFilter",
    "Disagreement",
    "DueItem",
    "Rag",
    "ResponseClock",
    "RoleError",
    "StatusEvent",
    "TrackRules",
    "TrackedFinding",
    "TransitionError",
    "add_action",
    "add_evidence",
    "add_note",
    "apply_document_statuses",
    "assign_owner",
    "audit_names",
    "change_status",
    "cli_actor",
    "complete_action",
    "compute_rag",
    "decide_link",
    "disagreements",
    "due_actions",
    "events_csv",
    "finding_actions",
    "list_events",
    "load_rules",
    "parse_date",
    "rags_for",
    "record",
    "report_date",
    "response_clocks",
    "status_history",
    "tracked_findings",
    "update_action",
]
