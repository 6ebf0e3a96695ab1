"""corrections: people's corrections beside the extracted values, and hidden facts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

A correction is a row of its own holding the extracted value and the corrected one, who made it
and when, and the anchor (document and span) that finds its fact again after re-extraction.
Judgments, findings and responses gain ``hidden``: a fact an editor hid stays stored, out of
every list.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

HIDEABLE = ("judgment", "finding", "response")


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode: on SQLite batch mode copies the table and drops the old
    # one, and with foreign keys on that drop cascades to the mentions and responses.
    for table in HIDEABLE:
        op.add_column(table, sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("original", sa.JSON(), nullable=True),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("anchor_start", sa.Integer(), nullable=False),
        sa.Column("anchor_end", sa.Integer(), nullable=False),
        sa.Column("anchor_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_correction_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_correction_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction")),
    )
    op.create_index(op.f("ix_finding_hidden"), "finding", ["hidden"])
    op.create_index("ix_correction_entity", "correction", ["entity", "entity_id"])
    op.create_index(op.f("ix_correction_document_id"), "correction", ["document_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_correction_document_id"), table_name="correction")
    op.drop_index("ix_correction_entity", table_name="correction")
    op.drop_table("correction")
    op.drop_index(op.f("ix_finding_hidden"), table_name="finding")
    for table in reversed(HIDEABLE):
        op.drop_column(table, "hidden")
