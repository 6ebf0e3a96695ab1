"""Owners and actions: who owns a finding, what is being done, by when, and the evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from peelwatch.errors import NotFoundError, PeelwatchError
from peelwatch.store.models import Action, ActionEvidence, ActionNote, Document, Finding, Force, utcnow
from peelwatch.store.rows import get_row
from peelwatch.track.audit import Actor, record
from peelwatch.track.lifecycle import get_finding_row
from peelwatch.track.rules import load_rules


class ActionError(PeelwatchError):
    """An action write that cannot be made as asked (unknown status, empty description, ...)."""


@dataclass(frozen=True, slots=True)
class NoteView:
    """A dated progress note."""

    id: int
    on: date
    text: str
    author: str


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """A link to evidence: a stored document or a URL."""

    id: int
    document_id: int | None
    url: str | None
    label: str


@dataclass(frozen=True, slots=True)
class ActionView:
    """An action with its notes (oldest first) and evidence."""

    id: int
    finding_id: int
    title: str
    owner: str | None
    due: date | None
    status: str
    notes: list[NoteView] = field(default_factory=list)
    evidence: list[EvidenceView] = field(default_factory=list)

    @property
    def latest_note(self) -> NoteView | None:
        """The most recent progress note."""
        return self.notes[-1] if self.notes else None


def _action_row(session: Session, action_id: int) -> Action:
    action = get_row(session, Action, action_id)
    if action is None:
        raise NotFoundError(f"there is no action {action_id}")
    return action


def _snapshot(action: Action) -> dict[str, object]:
    return {
        "finding_id": action.finding_id,
        "title": action.title,
        "owner": action.owner,
        "due": action.due.isoformat() if action.due else None,
        "status": action.status,
    }


def assign_owner(session: Session, actor: Actor, finding_id: int, owner: str | None) -> None:
    """Set (or, with an empty name, clear) the finding's owner: a named person or team."""
    actor.require("editor")
    finding = get_finding_row(session, finding_id)
    before = finding.owner
    finding.owner = (owner or "").strip() or None
    finding.updated_at = utcnow()
    record(
        session,
        actor,
        action="assign",
        entity="finding",
        entity_id=finding_id,
        before={"owner": before},
        after={"owner": finding.owner},
    )


def _check_status(status: str) -> None:
    statuses = load_rules().action_statuses
    if status not in statuses:
        raise ActionError(f"unknown action status {status!r}; statuses are {', '.join(statuses)}")


def add_action(
    session: Session,
    actor: Actor,
    finding_id: int,
    title: str,
    *,
    owner: str | None = None,
    due: date | None = None,
    status: str | None = None,
) -> int:
    """Add an action to a finding; returns its id."""
    actor.require("editor")
    get_finding_row(session, finding_id)
    if not title.strip():
        raise ActionError("an action needs a description")
    status = status or load_rules().action_initial
    _check_status(status)
    action = Action(
        finding_id=finding_id,
        title=title.strip(),
        owner=(owner or "").strip() or None,
        due=due,
        status=status,
    )
    session.add(action)
    session.flush()
    record(session, actor, action="action_add", entity="action", entity_id=action.id, after=_snapshot(action))
    return action.id


def update_action(
    session: Session,
    actor: Actor,
    action_id: int,
    *,
    status: str | None = None,
    owner: str | None = None,
    due: date | None = None,
) -> None:
    """Change an action's status, owner or due date (whatever is given)."""
    actor.require("editor")
    action = _action_row(session, action_id)
    before = _snapshot(action)
    if status is not None:
        _check_status(status)
        action.status = status
    if owner is not None:
        action.owner = owner.strip() or None
    if due is not None:
        action.due = due
    action.updated_at = utcnow()
    record(
        session,
        actor,
        action="action_update",
        entity="action",
        entity_id=action_id,
        before=before,
        after=_snapshot(action),
    )


def complete_action(session: Session, actor: Actor, action_id: int) -> None:
    """Mark an action done."""
    update_action(session, actor, action_id, status="done")


def add_note(session: Session, actor: Actor, action_id: int, text: str, *, on: date | None = None) -> int:
    """Add a dated progress note to an action (dated today unless ``on`` is given)."""
    actor.require("editor")
    _action_row(session, action_id)
    if not text.strip():
        raise ActionError("a progress note needs some text")
    note = ActionNote(action_id=action_id, on=on or utcnow().date(), text=text.strip(), author=actor.name)
    session.add(note)
    session.flush()
    record(
        session,
        actor,
        action="note_add",
        entity="action",
        entity_id=action_id,
        after={"note_id": note.id, "on": note.on.isoformat(), "text": note.text},
    )
    return note.id


def add_evidence(
    session: Session,
    actor: Actor,
    action_id: int,
    *,
    document_id: int | None = None,
    url: str | None = None,
    label: str = "",
) -> int:
    """Link evidence to an action: a stored document's id or an http(s) URL."""
    actor.require("editor")
    _action_row(session, action_id)
    if (document_id is None) == (not url):
        raise ActionError("evidence is either a document id or a URL")
    if url and not url.startswith(("http://", "https://")):
        raise ActionError("an evidence URL must start with http:// or https://")
    if document_id is not None and get_row(session, Document, document_id) is None:
        raise NotFoundError(f"there is no document {document_id}")
    ev = ActionEvidence(action_id=action_id, document_id=document_id, url=url or None, label=label.strip())
    session.add(ev)
    session.flush()
    record(
        session,
        actor,
        action="evidence_add",
        entity="action",
        entity_id=action_id,
        after={"evidence_id": ev.id, "document_id": document_id, "url": url, "label": ev.label},
    )
    return ev.id


def actions_for(session: Session, finding_ids: list[int]) -> dict[int, list[ActionView]]:
    """Every action of the given findings (by due date, undated last), with notes and evidence."""
    if not finding_ids:
        return {}
    out: dict[int, list[ActionView]] = {fid: [] for fid in finding_ids}
    # Plain column rows, not ORM objects: a committee paper reads thousands of actions and notes.
    rows = []
    for chunk in _chunks(finding_ids):
        rows += session.execute(
            select(Action.id, Action.finding_id, Action.title, Action.owner, Action.due, Action.status).where(
                Action.finding_id.in_(chunk)
            )
        ).all()
    notes: dict[int, list[NoteView]] = {}
    evidence: dict[int, list[EvidenceView]] = {}
    for chunk in _chunks([r.id for r in rows]):
        for n in session.execute(
            select(ActionNote.action_id, ActionNote.id, ActionNote.on, ActionNote.text, ActionNote.author)
            .where(ActionNote.action_id.in_(chunk))
            .order_by(ActionNote.on, ActionNote.id)
        ):
            notes.setdefault(n.action_id, []).append(NoteView(n.id, n.on, n.text, n.author))
        for e in session.execute(
            select(
                ActionEvidence.action_id,
                ActionEvidence.id,
                ActionEvidence.document_id,
                ActionEvidence.url,
                ActionEvidence.label,
            )
            .where(ActionEvidence.action_id.in_(chunk))
            .order_by(ActionEvidence.id)
        ):
            evidence.setdefault(e.action_id, []).append(EvidenceView(e.id, e.document_id, e.url, e.label))
    rows.sort(key=lambda a: (a.due is None, a.due or date.min, a.id))
    for a in rows:
        out[a.finding_id].append(
            ActionView(
                a.id,
                a.finding_id,
                a.title,
                a.owner,
                a.due,
                a.status,
                notes.get(a.id, []),
                evidence.get(a.id, []),
            )
        )
    return out


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    # SQLite caps the number of bound parameters; stay well under it.
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def finding_actions(session: Session, finding_id: int) -> list[ActionView]:
    """The actions of one finding."""
    get_finding_row(session, finding_id)
    return actions_for(session, [finding_id])[finding_id]


@dataclass(frozen=True, slots=True)
class DueItem:
    """An open action that is overdue or falls due soon."""

    action_id: int
    finding_id: int
    force: str | None
    title: str
    owner: str | None
    due: date
    days: int  # negative: overdue by that many days
    state: str  # "overdue" or "due soon"


def due_actions(
    session: Session,
    *,
    today: date,
    within_days: int | None = None,
    owner: str | None = None,
    force: str | None = None,
) -> list[DueItem]:
    """Open actions overdue or due within ``within_days`` (default from the rules), soonest first."""
    rules = load_rules()
    horizon = today + timedelta(days=rules.due_soon_days if within_days is None else within_days)
    query = (
        select(Action, Force)
        .join(Finding, Action.finding_id == Finding.id)
        .outerjoin(Force, Finding.force_id == Force.id)
        .where(Action.status.in_(rules.action_open), Action.due.is_not(None), Action.due <= horizon)
        .order_by(Action.due, Action.id)
    )
    if owner:
        query = query.where(Action.owner == owner)
    if force:
        query = query.where(Force.slug == force)
    items = []
    for action, frc in session.execute(query):
        days = (action.due - today).days
        items.append(
            DueItem(
                action.id,
                action.finding_id,
                frc.name if frc else None,
                action.title,
                action.owner,
                action.due,
                days,
                "overdue" if days < 0 else "due soon",
            )
        )
    return items
