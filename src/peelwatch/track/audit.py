"""Who did what: the actor behind every write, and the audit record each write appends.

Every change to the record (an upload, a correction, a status, an action, a user) goes through
:func:`record` in the same transaction as the change itself, so the audit trail and the data
cannot disagree. The trail is append-only: nothing in peelwatch updates or deletes its rows.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Any

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
