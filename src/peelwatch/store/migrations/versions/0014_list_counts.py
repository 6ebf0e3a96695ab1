"""list counts: per-row counts kept by triggers; the findings list walks an index of visible rows

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

The lists showed counts made on every request: each force's documents, graded judgments and
findings (three GROUP BYs over whole tables), each listed document's judgments and finding
mentions, each listed finding's mentions, and the total of the findings list (a count of the
table). They grew with the record. They are now columns kept by triggers on the rows they
count, so every write path (ingest, bulk writes, an editor hiding a finding, deletes and their
cascades) keeps them right without knowing about them, and a list reads them as they are:

* ``force.document_count``, ``force.judgment_count`` (inspectorate grades, not claims),
  ``force.finding_count``;
* ``cycle.finding_count``: the visible (not hidden) findings of the cycle, from which the
  findings list takes its total and skips whole cycles when paging;
* ``document_counts.judgment_count``, ``document_counts.mention_count``: a narrow table of its
  own, one row per document, because a counter in the document's row would rewrite the row,
  text and all, for every judgment and mention stored;
* ``finding.mention_count``.

The findings list reads the visible findings of one cycle in id order. With the ``hidden``
index beside ``(cycle_id, id)`` SQLite chose the ``hidden`` index and sorted every finding;
``(hidden, cycle_id, id)`` answers that query, and its counts, from the index alone, and
replaces both (it serves every lookup by ``hidden`` too). The finding table is analysed
afterwards so the planner knows ``hidden`` picks nearly every row and a force's
``(force_id, cycle_id)`` index is the narrower one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# (table, column): the counter columns this revision adds to existing tables.
COUNTERS = [
    ("force", "document_count"),
    ("force", "judgment_count"),
    ("force", "finding_count"),
    ("cycle", "finding_count"),
    ("finding", "mention_count"),
]

# Each counted table: the counters one of its rows adds to, as (counter table, its key column,
# counter column, the row's column naming the counter row, the SQL amount a row adds).
COUNTED: dict[str, list[tuple[str, str, str, str, str]]] = {
    "document": [("force", "id", "document_count", "force_id", "1")],
    "judgment": [
        ("document_counts", "document_id", "judgment_count", "document_id", "1"),
        ("force", "id", "judgment_count", "force_id", "CASE WHEN {r}.claim THEN 0 ELSE 1 END"),
    ],
    "finding": [
        ("force", "id", "finding_count", "force_id", "1"),
        ("cycle", "id", "finding_count", "cycle_id", "CASE WHEN {r}.hidden THEN 0 ELSE 1 END"),
    ],
    "finding_mention": [
        ("finding", "id", "mention_count", "finding_id", "1"),
        ("document_counts", "document_id", "mention_count", "document_id", "1"),
    ],
}
# A document's row of counts is made with it (and goes with it: a cascade, and here as well).
MADE = {"document": "INSERT INTO document_counts (document_id) VALUES (new.id)"}
UNMADE = {"document": "DELETE FROM document_counts WHERE document_id = old.id"}
# The columns whose change moves a row between counters.
WATCHED = {
    "document": ["force_id"],
    "judgment": ["document_id", "force_id", "claim"],
    "finding": ["force_id", "cycle_id", "hidden"],
    "finding_mention": ["finding_id", "document_id"],
}


def _adjust(row: str, sign: str, table: str) -> list[str]:
    """UPDATE statements adding (``+``) or taking away (``-``) one row's part of each counter."""
    return [
        f"UPDATE {target} SET {column} = {column} {sign} ({amount.format(r=row)}) "
        f"WHERE {target_key} = {row}.{key}"
        for target, target_key, column, key, amount in COUNTED[table]
    ]


def _on_insert(table: str) -> list[str]:
    return [*([MADE[table]] if table in MADE else []), *_adjust("new", "+", table)]


def _on_delete(table: str) -> list[str]:
    return [*([UNMADE[table]] if table in UNMADE else []), *_adjust("old", "-", table)]


def _sqlite_triggers(table: str) -> list[str]:
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in WATCHED[table])
    return [
        f"CREATE TRIGGER {table}_count_ai AFTER INSERT ON {table} BEGIN "
        + "; ".join(_on_insert(table))
        + "; END",
        f"CREATE TRIGGER {table}_count_ad AFTER DELETE ON {table} BEGIN "
        + "; ".join(_on_delete(table))
        + "; END",
        f"CREATE TRIGGER {table}_count_au AFTER UPDATE OF {', '.join(WATCHED[table])} ON {table} "
        f"WHEN {changed} BEGIN "
        + "; ".join([*_adjust("old", "-", table), *_adjust("new", "+", table)])
        + "; END",
    ]


def _pg_triggers(table: str) -> list[str]:
    changed = " OR ".join(f"old.{c} IS DISTINCT FROM new.{c}" for c in WATCHED[table])
    body = (
        "BEGIN "
        "IF TG_OP = 'DELETE' THEN " + "; ".join(_on_delete(table)) + "; END IF; "
        "IF TG_OP = 'INSERT' THEN " + "; ".join(_on_insert(table)) + "; END IF; "
        "IF TG_OP = 'UPDATE' THEN "
        + "; ".join([*_adjust("old", "-", table), *_adjust("new", "+", table)])
        + "; END IF; "
        "RETURN NULL; END"
    )
    return [
        f"CREATE FUNCTION {table}_count() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$",
        f"CREATE TRIGGER {table}_count_aid AFTER INSERT OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_count()",
        f"CREATE TRIGGER {table}_count_au AFTER UPDATE OF {', '.join(WATCHED[table])} ON {table} "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {table}_count()",
    ]


def _backfill() -> list[str]:
    out = ["INSERT INTO document_counts (document_id) SELECT id FROM document"]
    for table, counters in COUNTED.items():
        for target, target_key, column, key, amount in counters:
            out.append(
                f"UPDATE {target} SET {column} = (SELECT coalesce(sum({amount.format(r='r')}), 0) "
                f"FROM {table} r WHERE r.{key} = {target}.{target_key})"
            )
    return out


def upgrade() -> None:
    for table, column in COUNTERS:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "document_counts",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("judgment_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("mention_count", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_document_counts_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_counts")),
    )
    for statement in _backfill():
        op.execute(statement)
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in COUNTED:
        for statement in _pg_triggers(table) if postgres else _sqlite_triggers(table):
            op.execute(statement)
    op.create_index("ix_finding_listed", "finding", ["hidden", "cycle_id", "id"])
    op.drop_index("ix_finding_cycle_order", table_name="finding")
    op.drop_index("ix_finding_hidden", table_name="finding")
    op.execute("ANALYZE finding")


def downgrade() -> None:
    op.create_index("ix_finding_hidden", "finding", ["hidden"])
    op.create_index("ix_finding_cycle_order", "finding", ["cycle_id", "id"])
    op.drop_index("ix_finding_listed", table_name="finding")
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in COUNTED:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_count_aid ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_count_au ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_count()")
        else:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_count_{suffix}")
    op.drop_table("document_counts")
    for table, column in reversed(COUNTERS):
        op.drop_column(table, column)
