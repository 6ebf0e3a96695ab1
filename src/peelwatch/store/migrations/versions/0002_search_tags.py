"""search tags: force and cycle as FTS5 tokens, so filtered searches need no join (SQLite)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

A filtered search ("missing children" for one force) used to join every match with
search_entry to test its force; at 100,000 findings that cost up to a second. The FTS5 index
now also holds a ``tags`` column (``pwforce12 pwcycle3``), a virtual generated column of
search_entry, so the filter is one more term of the MATCH. PostgreSQL filters through its
indexes already and is unchanged.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"
TAGS = "'pwforce' || coalesce(force_id, 0) || ' pwcycle' || coalesce(cycle_id, 0)"


def _triggers(columns: list[str]) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN "
        f"INSERT INTO search_fts(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO search_fts(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


def _drop_fts() -> None:
    for statement in (
        "DROP TRIGGER IF EXISTS search_entry_au",
        "DROP TRIGGER IF EXISTS search_entry_ad",
        "DROP TRIGGER IF EXISTS search_entry_ai",
        "DROP TABLE IF EXISTS search_fts",
    ):
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_fts()
    op.execute(f"ALTER TABLE search_entry ADD COLUMN tags TEXT GENERATED ALWAYS AS ({TAGS}) VIRTUAL")
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tags, content='search_entry', "
        f"content_rowid='id', {TOKENIZE})"
    )
    for statement in _triggers(["title", "body", "tags"]):
        op.execute(statement)
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")  # index the rows already stored


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_fts()
    op.execute("ALTER TABLE search_entry DROP COLUMN tags")
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entry', "
        f"content_rowid='id', {TOKENIZE})"
    )
    for statement in _triggers(["title", "body"]):
        op.execute(statement)
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
