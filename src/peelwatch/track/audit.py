"""Who did what: the actor behind every write, and the audit record each write appends.

Every change to the record (an upload, a correction, a status, an action, a user) goes through
:func:`record` in the same transaction as the change itself, so the audit trail and the data
cannot disagree. The trail is append-only: nothing in peelwatch updates or deletes its rows.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peelwatch.store.models import Event

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
VIAS: tuple[str, ...] = ("web", "api", "cli", "document")


class RoleError(PermissionError):
    """The actor's role does not allow the write asked for."""


@dataclass(frozen=True)
class Actor:
    """The person (or document) making a change, and the way they came in."""

    name: str
    role: str
    user_id: int | None = None
    via: str = "cli"

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; roles are {', '.join(ROLES)}")
        if self.via not in VIAS:
            raise ValueError(f"unknown way in {self.via!r}; expected one of {', '.join(VIAS)}")

    def allows(self, needed: str) -> bool:
        """Whether this actor's role is at least ``needed`` (roles are ordered viewer < editor < admin)."""
        return ROLES.index(self.role) >= ROLES.index(needed)

    def require(self, needed: str) -> None:
        """Raise :class:`RoleError` unless the actor's role is at least ``needed``."""
        if not self.allows(needed):
            raise RoleError(f"{self.name} is a {self.role}; this needs the {needed} role")


def cli_actor(name: str | None = None) -> Actor:
    """The actor of a command run on this machine.

    Whoever can open the database directly can change it anyway, so the command line acts as an
    admin; ``name`` (or the login name) is what the audit trail records.
    """
    return Actor(name=name or getpass.getuser(), role="admin", via="cli")


def record(
    session: Session,
    actor: Actor,
    *,
    action: str,
    entity: str,
    entity_id: int | None,
    before: Any = None,
    after: Any = None,
) -> Event:
    """Append one audit record for a write made in ``session`` (committed with it)."""
    event = Event(
        user_id=actor.user_id,
        entity=entity,
        entity_id=entity_id,
        action=action,
        detail={"actor": actor.name, "role": actor.role, "via": actor.via, "before": before, "after": after},
    )
    session.add(event)
    return event


def ingest_recorder(actor: Actor | None) -> Callable[[Session, Any], None] | None:
    """A callback for :func:`peelwatch.ingest.ingest_bytes` recording a new document's upload."""
    if actor is None:
        return None

    def on_stored(session: Session, result: Any) -> None:
        after = {"source": result.name, "kind": result.kind, "force": result.force, "cycle": result.cycle}
        record(session, actor, action="upload", entity="document", entity_id=result.document_id, after=after)

    return on_stored


AUDIT_COLUMNS: tuple[str, ...] = (
    "id",
    "at",
    "user",
    "role",
    "via",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
)


@dataclass(frozen=True)
class AuditFilter:
    """Which audit records to list: by user name, entity, action and a date range (inclusive)."""

    user: str | None = None
    entity: str | None = None
    entity_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One audit record as shown and exported."""

    id: int
    at: str
    user: str
    role: str
    via: str
    action: str
    entity: str
    entity_id: int | None
    before: Any
    after: Any


def _entry(event: Event) -> AuditEntry:
    detail = event.detail or {}
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
    return AuditEntry(
        id=event.id,
        at=at.isoformat(timespec="seconds"),
        user=str(detail.get("actor", "")),
        role=str(detail.get("role", "")),
        via=str(detail.get("via", "")),
        action=event.action,
        entity=event.entity,
        entity_id=event.entity_id,
        before=detail.get("before"),
        after=detail.get("after"),
    )


def _where(query: Any, filters: AuditFilter) -> Any:
    if filters.user:
        # The name is kept in the record itself, so a renamed or disabled user's past stays findable.
        query = query.where(_actor_column() == filters.user)
    if filters.entity:
        query = query.where(Event.entity == filters.entity)
    if filters.entity_id is not None:
        query = query.where(Event.entity_id == filters.entity_id)
    if filters.action:
        query = query.where(Event.action == filters.action)
    if filters.since:
        query = query.where(Event.at >= datetime.combine(filters.since, datetime.min.time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), datetime.min.time(), UTC)
        query = query.where(Event.at < end)
    return query


def _actor_column() -> Any:
    return Event.detail["actor"].as_string()


def list_events(
    store: Any, filters: AuditFilter | None = None, *, limit: int | None = 100, offset: int = 0
) -> tuple[list[AuditEntry], int]:
    """Audit records matching ``filters``, newest first, and how many match in all."""
    filters = filters or AuditFilter()
    with store.read() as session:
        total = int(session.scalar(_where(select(func.count(Event.id)), filters)) or 0)
        query = _where(select(Event), filters).order_by(Event.id.desc()).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [_entry(e) for e in session.scalars(query)], total


def audit_names(store: Any) -> dict[str, list[str]]:
    """The entities and actions that occur in the trail (for filter drop-downs)."""
    with store.read() as session:
        entities = sorted(session.scalars(select(Event.entity).distinct()))
        actions = sorted(session.scalars(select(Event.action).distinct()))
    return {"entities": entities, "actions": actions}


def events_csv(entries: list[AuditEntry]) -> str:
    """The entries as CSV, ``before``/``after`` as JSON text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(AUDIT_COLUMNS)
    for entry in entries:
        row = asdict(entry)
        writer.writerow(
            [
                json.dumps(row[c], ensure_ascii=False, default=str) if c in ("before", "after") else row[c]
                for c in AUDIT_COLUMNS
            ]
        )
    return buf.getvalue()
