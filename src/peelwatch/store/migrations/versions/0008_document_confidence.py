"""document confidence: what decided a document's kind, how sure, and whether it is provisional

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

A one-line note whose kind was guessed as an inspection report put its grade on the national
matrix. Each document now keeps the reason for its kind and how sure the decision was; one whose
kind was a guess is stored as ``provisional`` and its grades are held out of the matrix until a
person confirms it. Documents stored before this revision keep counting as they did.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both dialects: a batch copy of the document table would have to drop a
    # table the rest of the schema refers to.
    op.add_column("document", sa.Column("kind_reason", sa.Text(), nullable=True))
    op.add_column("document", sa.Column("kind_confidence", sa.Text(), nullable=True))
    op.add_column(
        "document", sa.Column("provisional", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    for column in ("provisional", "kind_confidence", "kind_reason"):
        op.drop_column("document", column)
