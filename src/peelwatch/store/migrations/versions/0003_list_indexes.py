"""list indexes: findings paged in cycle order by index; the kind of a search entry as a tag

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

The findings list is ordered newest cycle first. It is now read one cycle at a time through an
index on ``(cycle_id, id)``, in the order of the index, instead of joining every finding with
its cycle and sorting them all. A findings search counts its matches in the full-text index
alone: the entry's kind is a third tag (``pwkindfinding``) beside force and cycle (SQLite), so
the count needs no join with search_entry.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"
TAGS_0002 = "'pwforce' || coalesce(force_id, 0) || ' pwcycle' || coalesce(cycle_id, 0)"
TAGS = TAGS_0002 + " || ' pwkind' || kind"
COLUMNS = ["title", "body", "tags"]


def _triggers() -> list[str]:
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    return [
        f"CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN "
        f"INSERT INTO search_fts(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO search_fts(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


def _rebuild_fts(tags: str) -> None:
    for statement in (
        "DROP TRIGGER IF EXISTS search_entry_au",
        "DROP TRIGGER IF EXISTS search_entry_ad",
        "DROP TRIGGER IF EXISTS search_entry_ai",
        "DROP TABLE IF EXISTS search_fts",
    ):
        op.execute(statement)
    op.execute("ALTER TABLE search_entry DROP COLUMN tags")
    op.execute(f"ALTER TABLE search_entry ADD COLUMN tags TEXT GENERATED ALWAYS AS ({tags}) VIRTUAL")
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tags, content='search_entry', "
        f"content_rowid='id', {TOKENIZE})"
    )
    for statement in _triggers():
        op.execute(statement)
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def upgrade() -> None:
    op.create_index("ix_finding_cycle_order", "finding", ["cycle_id", "id"])
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_fts(TAGS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_fts(TAGS_0002)
    op.drop_index("ix_finding_cycle_order", table_name="finding")
