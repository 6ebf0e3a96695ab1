"""tracking: finding status events, action progress notes and evidence links

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

A finding's lifecycle is a history of status events (by a person, or stated by a document with
its evidence span); actions gain dated progress notes, evidence links and an update time; a
finding mention keeps the status its document states for it (a tracker's "Completed").
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("finding_mention", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stated_status", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("stated_word", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("stated_start", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("stated_end", sa.Integer(), nullable=True))

    op.create_table(
        "action_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_action_note_action_id_action"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_note")),
    )
    op.create_index(op.f("ix_action_note_action_id"), "action_note", ["action_id"], unique=False)

    op.create_table(
        "action_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_action_evidence_action_id_action"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_action_evidence_document_id_document"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_evidence")),
    )
    op.create_index(op.f("ix_action_evidence_action_id"), "action_evidence", ["action_id"], unique=False)

    op.create_table(
        "finding_status_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_status", sa.String(length=40), nullable=True),
        sa.Column("to_status", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["finding.id"],
            name=op.f("fk_finding_status_event_finding_id_finding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_finding_status_event_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_finding_status_event_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_status_event")),
    )
    op.create_index(
        "ix_finding_status_event_finding_at", "finding_status_event", ["finding_id", "at"], unique=False
    )
    op.create_index(
        op.f("ix_finding_status_event_document_id"), "finding_status_event", ["document_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_finding_status_event_document_id"), table_name="finding_status_event")
    op.drop_index("ix_finding_status_event_finding_at", table_name="finding_status_event")
    op.drop_table("finding_status_event")
    op.drop_index(op.f("ix_action_evidence_action_id"), table_name="action_evidence")
    op.drop_table("action_evidence")
    op.drop_index(op.f("ix_action_note_action_id"), table_name="action_note")
    op.drop_table("action_note")
    with op.batch_alter_table("finding_mention", schema=None) as batch_op:
        for column in ("stated_end", "stated_start", "stated_word", "stated_status"):
            batch_op.drop_column(column)
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
