"""link index entries carry their finding's scoring profile

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03

Each finding a lookup returns is scored against the finding being linked, and scoring it needed
its head (the words before its purpose clause), the distinguishing subjects the head names and
the norms of both texts' n-gram vectors, worked out again for every candidate read: most of the
link step where findings have hundreds of candidates. ``link_signature`` now keeps them
(``head_chars``, ``subjects``, ``core_norm2``, ``head_norm2``). The index is derived data: it is
emptied here and rebuilt by the next link run (``index_findings``), as after 0010 and 0015.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_COLUMNS = ("head_chars", "subjects", "core_norm2", "head_norm2")


def _empty_index() -> None:
    op.execute("DELETE FROM link_key")
    op.execute("DELETE FROM link_signature")


def _recreate() -> str:
    # the table is empty, so the columns need no default; SQLite adds a NOT NULL column only by
    # rebuilding the table, PostgreSQL alters it in place
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade() -> None:
    _empty_index()
    with op.batch_alter_table("link_signature", recreate=_recreate()) as batch:
        batch.add_column(sa.Column("head_chars", sa.Integer(), nullable=False))
        batch.add_column(sa.Column("subjects", sa.Text(), nullable=False))
        batch.add_column(sa.Column("core_norm2", sa.BigInteger(), nullable=False))
        batch.add_column(sa.Column("head_norm2", sa.BigInteger(), nullable=False))


def downgrade() -> None:
    _empty_index()
    with op.batch_alter_table("link_signature", recreate=_recreate()) as batch:
        for column in reversed(_COLUMNS):
            batch.drop_column(column)
