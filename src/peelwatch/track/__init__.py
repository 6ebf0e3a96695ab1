"""peelwatch.track: following each finding to closure, and who changed what.

The actor and audit trail live in :mod:`peelwatch.track.audit`.
"""

from __future__ import annotations

from peelwatch.track.audit import ROLES, Actor, RoleError, cli_actor, record

__all__ = ["ROLES", "Actor", "RoleError", "cli_actor", "record"]
