"""link index blocks: a finding with an area key is no longer looked up among its force's other areas

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

The linker's index (``link_key``) kept every finding under its area and under its force, and a
finding with an area key read both lists: its force's findings of other areas, which it is never
compared with, were read and counted for nothing. A finding without a key is now kept under
``keyless:<force>`` instead, and a finding with one looks up its area and its force's findings
without a key (``peelwatch.link.linker``). The index is derived from the findings, so it is
emptied here; the next link run rebuilds it (``index_findings``), as it does for a record stored
before the index existed.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM link_key")
    op.execute("DELETE FROM link_signature")


def downgrade() -> None:
    # the older linker reads the index in the older layout: it is rebuilt the same way
    op.execute("DELETE FROM link_key")
    op.execute("DELETE FROM link_signature")
