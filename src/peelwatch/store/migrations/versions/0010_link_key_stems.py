"""link index entries carry their finding's stem count

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03

The linker's overlap rule needs the stem count of every finding an index lookup returns; read
from ``link_signature`` it cost a lookup per finding (thousands per document in a large
record). Each ``link_key`` entry now carries it, and on SQLite the table is stored without
rowids, so a lookup reads the index key alone. The index is derived data: it is rebuilt, as
after 0007, by the first link run (``index_findings``), which indexes every finding without a
``link_signature`` entry.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def _create_link_key(*, with_stems: bool) -> None:
    columns = [
        sa.Column("block", sa.String(length=130), nullable=False),
        sa.Column("stem", sa.String(length=20), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
    ]
    if with_stems:
        columns.append(sa.Column("stems", sa.Integer(), nullable=False))
    op.create_table(
        "link_key",
        *columns,
        sa.ForeignKeyConstraint(["finding_id"], ["finding.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("block", "stem", "finding_id"),
        **({"sqlite_with_rowid": False} if with_stems else {}),
    )
    op.create_index("ix_link_key_finding_id", "link_key", ["finding_id"])


def _rebuild(*, with_stems: bool) -> None:
    op.drop_index("ix_link_key_finding_id", table_name="link_key")
    op.drop_table("link_key")
    _create_link_key(with_stems=with_stems)
    # no signature, no index entry: the next link run indexes every finding again
    op.execute("DELETE FROM link_signature")


def upgrade() -> None:
    _rebuild(with_stems=True)


def downgrade() -> None:
    _rebuild(with_stems=False)
