"""Statuses that documents state, turned into status events attributed to the document.

A later inspection report saying an earlier finding "has been discharged" (a stored
:class:`~peelwatch.store.models.Discharge` naming the finding) becomes a ``discharged`` event
dated with the report ("has not been discharged", "remains": an ``open`` event), with the document as actor and its words as evidence; a tracker or
committee paper stating a status per finding ("Completed", "Ongoing", a RAG colour, kept on the
finding's mention) becomes an event of the status it stands for. Applying a document
again changes nothing, and documents may be applied in any order: events sort by date.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from peelwatch.errors import NotFoundError
from peelwatch.store.models import Discharge, Document, Finding, FindingMention, FindingStatusEvent
from peelwatch.store.rows import get_row, possible_id
from peelwatch.track.audit import record
from peelwatch.track.deadlines import report_date
from peelwatch.track.lifecycle import document_actor, refresh_status

# What a Discharge row's status means for the lifecycle: the inspectorate saying a finding "has
# not been discharged" or "remains" states that it is still open on the document's date (shown as
# a disagreement where a person has since marked it otherwise).
DISCHARGE_STATUSES = {"discharged": "discharged", "not_discharged": "open"}


def _when(session: Session, document: Document) -> datetime:
    day = report_date(session, document)
    if day is not None:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    at = document.ingested_at
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _stated(session: Session, document: Document) -> dict[str, FindingStatusEvent]:
    """The events the document's stored statements call for, keyed by what stated them."""
    # Plain rows, and the date only when there is something to date: most documents state no
    # status, and loading their statements as objects was most of this step's cost at ingest.
    discharges = session.execute(
        select(
            Discharge.id, Discharge.finding_id, Discharge.status, Discharge.evidence, Discharge.start,
            Discharge.end,
        ).where(Discharge.document_id == document.id, Discharge.finding_id.is_not(None))
    ).all()  # fmt: skip
    mentions = session.execute(
        select(
            FindingMention.id, FindingMention.finding_id, FindingMention.stated_status,
            FindingMention.stated_word, FindingMention.stated_start, FindingMention.stated_end,
        ).where(FindingMention.document_id == document.id, FindingMention.stated_status.is_not(None))
    ).all()  # fmt: skip
    if not discharges and not mentions:
        return {}
    when = _when(session, document)
    actor = document.title or f"document {document.id}"
    wanted: dict[str, FindingStatusEvent] = {}
    for d in discharges:
        status = DISCHARGE_STATUSES.get(d.status)
        if status is None:
            continue
        wanted[f"discharge:{d.id}"] = FindingStatusEvent(
            finding_id=d.finding_id,
            at=when,
            to_status=status,
            note="",
            source="document",
            actor=actor,
            document_id=document.id,
            evidence=d.evidence,
            start=d.start,
            end=d.end,
            basis=f"discharge:{d.id}",
        )
    for m in mentions:
        wanted[f"mention:{m.id}"] = FindingStatusEvent(
            finding_id=m.finding_id,
            at=when,
            to_status=m.stated_status,
            note=f"stated as '{m.stated_word}'",
            source="document",
            actor=actor,
            document_id=document.id,
            evidence=m.stated_word or "",
            start=m.stated_start or 0,
            end=m.stated_end or 0,
            basis=f"mention:{m.id}",
        )
    return wanted


def _same(a: FindingStatusEvent, b: FindingStatusEvent) -> bool:
    at_a = a.at if a.at.tzinfo else a.at.replace(tzinfo=UTC)
    return (a.finding_id, a.to_status, at_a, a.evidence) == (b.finding_id, b.to_status, b.at, b.evidence)


# Whether a document states any status, or has any recorded from it, in one query.
_PENDING = select(
    Document.id,
    exists().where(Discharge.document_id == Document.id, Discharge.finding_id.is_not(None)),
    exists().where(FindingMention.document_id == Document.id, FindingMention.stated_status.is_not(None)),
    exists().where(FindingStatusEvent.document_id == Document.id, FindingStatusEvent.source == "document"),
).where(Document.id == bindparam("document_id"))


def apply_document_statuses(session: Session, document_id: int) -> int:
    """Bring the document's status events in line with what it states; return how many changed.

    Call after the document is stored and linked (so its statements name their findings).
    Idempotent: events already recorded are kept, stale ones (a statement no longer linked, a
    corrected date) replaced, and the affected findings' statuses re-derived.
    """
    pending = (
        session.execute(_PENDING, {"document_id": document_id}).first() if possible_id(document_id) else None
    )
    if pending is None:
        raise NotFoundError(f"there is no document {document_id}")
    if not any(pending[1:]):
        return 0  # states no status and has none recorded: most documents, one query
    document = get_row(session, Document, document_id)
    if document is None:
        raise NotFoundError(f"there is no document {document_id}")
    wanted = _stated(session, document)
    existing = {
        e.basis or f"event:{e.id}": e
        for e in session.scalars(
            select(FindingStatusEvent).where(
                FindingStatusEvent.document_id == document_id, FindingStatusEvent.source == "document"
            )
        )
    }
    actor = document_actor(document)
    touched: set[int] = set()
    changed = 0
    for basis, event in existing.items():
        if basis in wanted and _same(event, wanted[basis]):
            continue
        touched.add(event.finding_id)
        session.delete(event)
        changed += 1
        record(
            session,
            actor,
            action="status_withdrawn",
            entity="finding",
            entity_id=event.finding_id,
            before={"status": event.to_status, "basis": basis},
        )
    if changed:
        session.flush()
    for basis, event in wanted.items():
        if basis in existing and _same(existing[basis], event):
            continue
        session.add(event)
        touched.add(event.finding_id)
        changed += 1
        record(
            session,
            actor,
            action="status",
            entity="finding",
            entity_id=event.finding_id,
            after={"status": event.to_status, "document_id": document_id, "evidence": event.evidence},
        )
    for finding_id in sorted(touched):
        finding = get_row(session, Finding, finding_id)
        if finding is not None:
            refresh_status(session, finding)
    return changed
