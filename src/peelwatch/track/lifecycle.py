"""A finding's lifecycle: status events by people and documents, and the status they add up to.

open -> in_progress -> completed -> discharged, or superseded / closed with a reason (the allowed
moves are in ``rules.yaml``). The current status is the last event in date order; ``finding.status``
caches it and is refreshed in the same transaction as every new event. A document's statement
that disagrees with the latest human decision is kept and shown, never applied silently over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from peelwatch.errors import NotFoundError, PeelwatchError
from peelwatch.store.models import Document, Finding, FindingStatusEvent, utcnow
from peelwatch.store.rows import get_row
from peelwatch.track.audit import Actor, record
from peelwatch.track.rules import TrackRules, load_rules


class TransitionError(PeelwatchError):
    """The status change asked for is not an allowed move, or lacks its reason."""


@dataclass(frozen=True, slots=True)
class StatusEvent:
    """One entry of a finding's history as shown to people."""

    id: int
    at: datetime
    from_status: str | None
    to_status: str
    note: str
    source: str
    actor: str
    document_id: int | None
    evidence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A document states a status different from the latest human decision."""

    document_id: int
    stated: str
    stated_at: datetime
    evidence: str
    decided: str
    decided_by: str
    decided_at: datetime


def get_finding_row(session: Session, finding_id: int) -> Finding:
    """The finding row, or :class:`NotFoundError`."""
    finding = get_row(session, Finding, finding_id)
    if finding is None:
        raise NotFoundError(f"there is no finding {finding_id}")
    return finding


def _order(event: FindingStatusEvent) -> tuple[datetime, int, int, int]:
    # Date first; on the same instant a person's decision follows a document's statement, and ties
    # between documents go by document id, so the result does not depend on ingest order.
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
    return at, 1 if event.source == "user" else 0, event.document_id or 0, event.id or 0


def _events(session: Session, finding_id: int) -> list[FindingStatusEvent]:
    rows = session.scalars(select(FindingStatusEvent).where(FindingStatusEvent.finding_id == finding_id))
    return sorted(rows, key=_order)


def refresh_status(session: Session, finding: Finding, rules: TrackRules | None = None) -> str:
    """Replay the finding's events in date order: set each ``from_status`` and the cached status."""
    rules = rules or load_rules()
    session.flush()
    current = rules.initial
    for event in _events(session, finding.id):
        if event.from_status != current:
            event.from_status = current
        current = event.to_status
    if finding.status != current:
        finding.status = current
        finding.updated_at = utcnow()
    return current


def current_status(session: Session, finding_id: int) -> str:
    """The status the finding's events add up to."""
    events = _events(session, finding_id)
    return events[-1].to_status if events else load_rules().initial


def check_transition(current: str, target: str, note: str, rules: TrackRules | None = None) -> None:
    """Raise :class:`TransitionError` unless a person may move ``current`` -> ``target`` with ``note``."""
    rules = rules or load_rules()
    if target not in rules.statuses:
        raise TransitionError(f"unknown status {target!r}; statuses are {', '.join(rules.statuses)}")
    allowed = rules.transitions.get(current, ())
    if target not in allowed:
        raise TransitionError(
            f"a finding cannot go from {current} to {target}; from {current} it may go to "
            f"{', '.join(allowed) or 'nothing'}"
        )
    if target in rules.reason_required and not note.strip():
        raise TransitionError(f"moving a finding to {target} needs a note giving the reason")


def change_status(
    session: Session,
    actor: Actor,
    finding_id: int,
    to_status: str,
    *,
    note: str = "",
    at: datetime | None = None,
) -> StatusEvent:
    """Record a person's status decision on a finding (editor role), with its audit record."""
    actor.require("editor")
    rules = load_rules()
    finding = get_finding_row(session, finding_id)
    before = current_status(session, finding_id)
    check_transition(before, to_status, note, rules)
    event = FindingStatusEvent(
        finding_id=finding_id,
        at=at or utcnow(),
        from_status=before,
        to_status=to_status,
        note=note.strip(),
        source="user",
        actor=actor.name,
        user_id=actor.user_id,
    )
    session.add(event)
    refresh_status(session, finding, rules)
    record(
        session,
        actor,
        action="status",
        entity="finding",
        entity_id=finding_id,
        before={"status": before},
        after={"status": to_status, "note": event.note},
    )
    return _view(event)


def _view(e: FindingStatusEvent) -> StatusEvent:
    return StatusEvent(
        id=e.id,
        at=e.at,
        from_status=e.from_status,
        to_status=e.to_status,
        note=e.note,
        source=e.source,
        actor=e.actor,
        document_id=e.document_id,
        evidence=e.evidence,
        start=e.start,
        end=e.end,
    )


def status_history(session: Session, finding_id: int) -> list[StatusEvent]:
    """The finding's status events, oldest first."""
    get_finding_row(session, finding_id)
    return [_view(e) for e in _events(session, finding_id)]


def disagreements(session: Session, finding_id: int) -> list[Disagreement]:
    """Documents whose stated status differs from the latest human decision on the finding."""
    events = _events(session, finding_id)
    human = [e for e in events if e.source == "user"]
    if not human:
        return []
    decision = human[-1]
    latest_by_document: dict[int, FindingStatusEvent] = {}
    for e in events:
        if e.source == "document" and e.document_id is not None:
            latest_by_document[e.document_id] = e
    return [
        Disagreement(
            document_id=e.document_id or 0,
            stated=e.to_status,
            stated_at=e.at,
            evidence=e.evidence,
            decided=decision.to_status,
            decided_by=decision.actor,
            decided_at=decision.at,
        )
        for e in latest_by_document.values()
        if e.to_status != decision.to_status
    ]


def document_actor(document: Document) -> Actor:
    """The actor of a status a document states (for the audit trail)."""
    return Actor(name=f"document {document.id}", role="editor", via="document")
