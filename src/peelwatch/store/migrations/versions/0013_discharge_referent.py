"""discharge referent: the words a discharge statement names its finding by, and how

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-03

A discharge statement used to be matched to its finding by the words around it alone, so a
closure letter naming a cause of concern by its title ("regarding responding to the public") or
a plural ("the force's remaining causes of concern") was never tied to one. The extractor now
reads which finding a statement names; the linker matches those words. Statements stored before
this revision keep both columns empty and are matched by their surroundings, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("discharge", sa.Column("names", sa.Text(), nullable=True))
    op.add_column("discharge", sa.Column("referent", sa.String(length=20), nullable=True))


def downgrade() -> None:
    for column in ("referent", "names"):
        op.drop_column("discharge", column)
