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

from sqlalchemy import select
from sqlalchemy.orm import Session

from peelwatch.errors import NotFoundError
from peelwatch.store.models import Discharge, Document, Finding, FindingMention, FindingStatusEvent
from peelwatch.store.rows import get_row
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
    when = _when(session, document)
    wanted: dict[str, FindingStatusEvent] = {}
    rows = session.scalars(
        select(Discharge).where(Discharge.document_id == document.id, Discharge.finding_id.is_not(None))
    )
    for d in rows:
        status = DISCHARGE_STATUSES.get(d.status)
        if status is None or d.finding_id is None:
            continue
        wanted[f"discharge:{d.id}"] = FindingStatusEvent(
            finding_id=d.finding_id,
            at=when,
            to_status=status,
            note="",
            source="document",
            actor=document.title or f"document {document.id}",
            document_id=document.id,
            evidence=d.evidence,
            start=d.start,
            end=d.end,
            basis=f"discharge:{d.id}",
        )
    mentions = session.scalars(
        select(FindingMention).where(
            FindingMention.document_id == document.id, FindingMention.stated_status.is_not(None)
        )
    )
    for m in mentions:
        wanted[f"mention:{m.id}"] = FindingStatusEvent(
            finding_id=m.finding_id,
            at=when,
            to_status=m.stated_status,
            note=f"stated as '{m.stated_word}'",
            source="document",
            actor=document.title or f"document {document.id}",
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


def apply_document_statuses(session: Session, document_id: int) -> int:
    """Bring the document's status events in line with what it states; return how many changed.

    Call after the document is stored and linked (so its statements name their findings).
    Idempotent: events already recorded are kept, stale ones (a statement no longer linked, a
    corrected date) replaced, and the affected findings' statuses re-derived.
    """
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
