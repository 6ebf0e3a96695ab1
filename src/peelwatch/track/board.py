"""The tracking board: findings with their owner, status, actions and RAG, filtered and sorted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peelwatch.errors import PeelwatchError
from peelwatch.store.models import Cycle, Document, Finding, FindingStatusEvent, Force
from peelwatch.store.rows import get_row
from peelwatch.track.actions import ActionView, NoteView, actions_for
from peelwatch.track.deadlines import report_date
from peelwatch.track.rag import Rag, compute_rag
from peelwatch.track.rules import load_rules

SORTS = ("rag", "due", "status", "owner", "force", "id")
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "complete": 3}


class BoardFilterError(PeelwatchError):
    """A board filter or sort key that is not one of the allowed values."""

    def __init__(self, parameter: str, message: str, allowed: list[str]) -> None:
        self.what = parameter
        self.allowed = allowed
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class TrackedFinding:
    """One finding as the tracker sees it."""

    id: int
    force: str | None
    force_slug: str | None
    cycle: str | None
    type: str
    ref: str | None
    text: str
    status: str
    owner: str | None
    rag: str
    rag_reason: str
    published: date | None
    next_due: date | None
    last_change: datetime | None
    actions: list[ActionView] = field(default_factory=list)

    @property
    def latest_note(self) -> NoteView | None:
        """The most recent progress note over all the finding's actions."""
        notes = [n for a in self.actions for n in a.notes]
        return max(notes, key=lambda n: (n.on, n.id)) if notes else None


@dataclass(frozen=True, slots=True)
class BoardFilter:
    """What to show: each field narrows the list when set."""

    force: str | None = None
    cycle: str | None = None
    owner: str | None = None
    rag: str | None = None
    status: str | None = None
    sort: str = "rag"
    descending: bool = False


def _check(f: BoardFilter) -> None:
    rules = load_rules()
    checks = [
        ("rag", f.rag, list(RAG_ORDER)),
        ("status", f.status, list(rules.statuses)),
        ("sort", f.sort, list(SORTS)),
    ]
    for name, value, allowed in checks:
        if value is not None and value not in allowed:
            raise BoardFilterError(name, f"{name} must be one of {', '.join(allowed)}", allowed)


def tracked_findings(session: Session, flt: BoardFilter, *, today: date) -> list[TrackedFinding]:
    """The findings matching ``flt`` with their actions and RAG as of ``today``."""
    _check(flt)
    last_change = (
        select(FindingStatusEvent.finding_id, func.max(FindingStatusEvent.at).label("last"))
        .group_by(FindingStatusEvent.finding_id)
        .subquery()
    )
    query = (
        select(
            Finding.id,
            Finding.type,
            Finding.ref,
            Finding.text,
            Finding.status,
            Finding.owner,
            Finding.source_document_id,
            Force.name.label("force"),
            Force.slug.label("force_slug"),
            Cycle.label.label("cycle"),
            last_change.c.last,
        )
        .outerjoin(Force, Finding.force_id == Force.id)
        .outerjoin(Cycle, Finding.cycle_id == Cycle.id)
        .outerjoin(last_change, last_change.c.finding_id == Finding.id)
    )
    if flt.force:
        query = query.where(Force.slug == flt.force)
    if flt.cycle:
        query = query.where(Cycle.label == flt.cycle)
    if flt.owner:
        query = query.where(Finding.owner == flt.owner)
    if flt.status:
        query = query.where(Finding.status == flt.status)
    rows = session.execute(query).all()
    actions = actions_for(session, [r.id for r in rows])
    dates = _report_dates(session, {r.source_document_id for r in rows})
    rules = load_rules()
    out = []
    for r in rows:
        published = dates.get(r.source_document_id) if r.source_document_id is not None else None
        acts = actions[r.id]
        rag = compute_rag(r.status, acts, published, today, rules)
        if flt.rag and rag.rag != flt.rag:
            continue
        open_due = [a.due for a in acts if a.due is not None and a.status in rules.action_open]
        out.append(
            TrackedFinding(
                id=r.id,
                force=r.force,
                force_slug=r.force_slug,
                cycle=r.cycle,
                type=r.type,
                ref=r.ref,
                text=r.text,
                status=r.status,
                owner=r.owner,
                rag=rag.rag,
                rag_reason=rag.reason,
                published=published,
                next_due=min(open_due) if open_due else None,
                last_change=r.last,
                actions=acts,
            )
        )
    return sort_board(out, flt.sort, flt.descending)


def sort_board(items: list[TrackedFinding], key: str, descending: bool = False) -> list[TrackedFinding]:
    """Sort by one of :data:`SORTS`; empty values always last."""
    statuses = list(load_rules().statuses)
    keys = {
        "rag": lambda t: (RAG_ORDER[t.rag], t.next_due or date.max, t.id),
        "due": lambda t: (t.next_due is None, t.next_due or date.max, t.id),
        "status": lambda t: (statuses.index(t.status) if t.status in statuses else 99, t.id),
        "owner": lambda t: (t.owner is None, (t.owner or "").lower(), t.id),
        "force": lambda t: (t.force is None, t.force or "", t.id),
        "id": lambda t: (t.id,),
    }
    return sorted(items, key=keys[key], reverse=descending)


def is_current(item: TrackedFinding, today: date) -> bool:
    """Open, or finished within the rules' 'recently finished' window (for committee papers)."""
    rules = load_rules()
    if item.status not in rules.finished:
        return True
    if item.last_change is None:
        return False
    last = item.last_change.date() if isinstance(item.last_change, datetime) else item.last_change
    return today - last <= timedelta(days=rules.recently_finished_days)


def _report_dates(session: Session, document_ids: set[int | None]) -> dict[int, date | None]:
    """The date each source document counts from (few distinct ones: each worked out once)."""
    dates: dict[int, date | None] = {}
    for doc_id in document_ids - {None}:
        doc = get_row(session, Document, doc_id)
        dates[doc_id] = report_date(session, doc) if doc is not None else None
    return dates


def rags_for(session: Session, finding_ids: list[int], *, today: date) -> dict[int, Rag]:
    """The RAG of each finding as of ``today``, by the same rules as the board (for lists that
    show a finding's RAG beside its other fields)."""
    if not finding_ids:
        return {}
    rows = session.execute(
        select(Finding.id, Finding.status, Finding.source_document_id).where(Finding.id.in_(finding_ids))
    ).all()
    actions = actions_for(session, [r.id for r in rows])
    dates = _report_dates(session, {r.source_document_id for r in rows})
    rules = load_rules()
    return {
        r.id: compute_rag(r.status, actions[r.id], dates.get(r.source_document_id), today, rules)
        for r in rows
    }
