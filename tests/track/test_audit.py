"""The actor of a write and the audit record it leaves."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peelwatch.store import open_store
from peelwatch.store.models import Event
from peelwatch.track import Actor, RoleError, cli_actor, record


def test_roles_are_ordered_viewer_editor_admin() -> None:
    editor = Actor(name="sam", role="editor", via="web")
    assert editor.allows("viewer") and editor.allows("editor")
    assert not editor.allows("admin")
    with pytest.raises(RoleError, match="sam is a editor; this needs the admin role"):
        editor.require("admin")


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown role 'owner'"):
        Actor(name="x", role="owner")


def test_the_command_line_acts_as_an_admin_under_the_name_given() -> None:
    actor = cli_actor("analyst")
    assert (actor.name, actor.role, actor.via) == ("analyst", "admin", "cli")


def test_a_write_leaves_an_audit_record_with_before_and_after(tmp_path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        with store.write() as session:
            record(
                session,
                cli_actor("analyst"),
                action="status",
                entity="finding",
                entity_id=7,
                before={"status": "open"},
                after={"status": "in_progress"},
            )
        with store.read() as session:
            event = session.scalars(select(Event)).one()
            stored = (event.entity, event.entity_id, event.action, event.detail)
        assert stored[:3] == ("finding", 7, "status")
        assert stored[3] == {
            "actor": "analyst",
            "role": "admin",
            "via": "cli",
            "before": {"status": "open"},
            "after": {"status": "in_progress"},
        }
    finally:
        store.close()
