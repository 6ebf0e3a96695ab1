"""peelwatch.track: following each finding to closure, and who changed what.

The actor and audit trail live in :mod:`peelwatch.track.audit`.
"""

from __future__ import annotations

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

__all__ = [
    "ROLES",
    "Actor",
    "AuditEntry",
    "AuditFilter",
    "RoleError",
    "audit_names",
    "cli_actor",
    "events_csv",
    "list_events",
    "record",
]
