"""linking: link evidence, discharge statements and editors' rejections

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

A ``discharges`` link joins a later statement (a discharge row) to the earlier finding it
speaks of, so ``other_id`` may be empty and ``discharge_id`` names the statement. An editor's
rejection is kept on the link itself, so re-linking leaves it rejected.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("link") as batch:
        batch.alter_column("other_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("discharge_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("evidence", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("rejected", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("rejected_by", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            "fk_link_discharge_id_discharge", "discharge", ["discharge_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_unique_constraint("uq_link_discharge_id", ["discharge_id"])
    # The linker's index: each finding's core words and its content stems per block. Filled
    # by the linker (findings stored before this revision are indexed on the first link run).
    op.create_table(
        "link_signature",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=40), nullable=False),
        sa.Column("core", sa.Text(), nullable=False),
        sa.Column("stems", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["finding_id"], ["finding.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("finding_id"),
    )
    op.create_table(
        "link_key",
        sa.Column("block", sa.String(length=130), nullable=False),
        sa.Column("stem", sa.String(length=20), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["finding_id"], ["finding.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("block", "stem", "finding_id"),
    )
    op.create_index("ix_link_key_finding_id", "link_key", ["finding_id"])
    # The self-links an earlier linker wrote (a finding "recurring" as itself) mean nothing.
    op.execute("DELETE FROM link WHERE finding_id = other_id")


def downgrade() -> None:
    op.drop_index("ix_link_key_finding_id", table_name="link_key")
    op.drop_table("link_key")
    op.drop_table("link_signature")
    op.execute("DELETE FROM link WHERE other_id IS NULL")
    with op.batch_alter_table("link") as batch:
        batch.drop_constraint("uq_link_discharge_id", type_="unique")
        batch.drop_constraint("fk_link_discharge_id_discharge", type_="foreignkey")
        batch.drop_column("rejected_at")
        batch.drop_column("rejected_by")
        batch.drop_column("rejected")
        batch.drop_column("evidence")
        batch.drop_column("discharge_id")
        batch.alter_column("other_id", existing_type=sa.Integer(), nullable=False)
