"""link index entries carry what deciding whether two findings are compared needs

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

Each finding a lookup returns was read from ``finding`` joined to its ``link_signature`` entry:
its force, cycle and area key (whether it is compared at all, which way a link points), and its
words, hashed to tell whether the entry was still computed from them. That join and hash were
the largest part of linking into a large keyed record. ``link_signature`` now keeps the force,
cycle and area key beside the profile, and ``changed``, set by a trigger on ``finding`` whenever
a finding's words, force, cycle or key are written (or a finding is inserted under the id of an
entry left behind): an entry not marked is read alone, a marked one is checked against the
finding as before.

Stored entries are upgraded in place, not rebuilt: the copies are taken from the findings, and
an entry is marked where its digest no longer matches its finding (the check the linker made).
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_COLUMNS = ("force_id", "cycle_id", "area_key", "changed")
_WATCHED = "text, force_id, cycle_id, area_key"
_FUNCTION = "link_signature_mark_changed"
_ON_UPDATE = "finding_marks_link_entry_on_update"
_ON_INSERT = "finding_marks_link_entry_on_insert"


def _recreate() -> str:
    # SQLite adds a NOT NULL column only by rebuilding the table; PostgreSQL alters in place
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def _create_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        mark = "BEGIN UPDATE link_signature SET changed = 1 WHERE finding_id = NEW.id; END"
        op.execute(f"CREATE TRIGGER {_ON_UPDATE} AFTER UPDATE OF {_WATCHED} ON finding {mark}")
        op.execute(f"CREATE TRIGGER {_ON_INSERT} AFTER INSERT ON finding {mark}")
        return
    op.execute(
        f"CREATE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " UPDATE link_signature SET changed = TRUE WHERE finding_id = NEW.id; RETURN NULL; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {_ON_UPDATE} AFTER UPDATE OF {_WATCHED} ON finding"
        f" FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}()"
    )
    op.execute(
        f"CREATE TRIGGER {_ON_INSERT} AFTER INSERT ON finding FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}()"
    )


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {_ON_UPDATE}")
        op.execute(f"DROP TRIGGER IF EXISTS {_ON_INSERT}")
        return
    op.execute(f"DROP TRIGGER IF EXISTS {_ON_UPDATE} ON finding")
    op.execute(f"DROP TRIGGER IF EXISTS {_ON_INSERT} ON finding")
    op.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")


def _digest(force_id: int | None, area_key: str | None, text: str) -> str:
    # the linker's digest of what an entry was computed from (peelwatch.link.linker._digest), as
    # it was at this revision
    return hashlib.sha1(f"{force_id}|{area_key}|{text}".encode()).hexdigest()


def _upgrade_entries() -> None:
    bind = op.get_bind()
    for column in ("force_id", "cycle_id", "area_key"):
        op.execute(
            f"UPDATE link_signature SET {column} ="
            f" (SELECT f.{column} FROM finding f WHERE f.id = link_signature.finding_id)"
        )
    rows = bind.execute(
        sa.text(
            "SELECT s.finding_id, s.digest, f.force_id, f.area_key, f.text"
            " FROM link_signature s JOIN finding f ON f.id = s.finding_id"
        )
    )
    stale = [fid for fid, digest, force, key, text in rows if digest != _digest(force, key, text)]
    marked = sa.text("UPDATE link_signature SET changed = :yes WHERE finding_id = :id")
    if stale:
        bind.execute(marked, [{"yes": True, "id": fid} for fid in stale])


def upgrade() -> None:
    with op.batch_alter_table("link_signature", recreate=_recreate()) as batch:
        batch.add_column(sa.Column("force_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("cycle_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("area_key", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("changed", sa.Boolean(), nullable=False, server_default=sa.false()))
    _upgrade_entries()
    # after the table is rebuilt: SQLite checks the triggers' tables when it renames one
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    with op.batch_alter_table("link_signature", recreate=_recreate()) as batch:
        for column in reversed(_COLUMNS):
            batch.drop_column(column)
