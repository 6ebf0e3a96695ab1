"""Alembic environment: peelwatch runs migrations programmatically on a connection it passes in."""

from __future__ import annotations

from typing import Any

from alembic import context

from peelwatch.store.models import Base

# The full-text index is backend-specific DDL written by hand in the migrations; autogenerate
# must not see it, or it proposes dropping the FTS5 tables and the tsvector column.
_FTS_PREFIX = "search_fts"


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Keep the hand-made full-text objects out of autogenerate's comparison."""
    if type_ == "table" and name and name.startswith(_FTS_PREFIX):
        return False
    if type_ == "column" and name == "tsv" and getattr(obj, "table", None) is not None:
        return obj.table.name != "search_entry"
    return not (type_ == "index" and name == "ix_search_entry_tsv")


def run_migrations() -> None:
    """Run the migrations on the connection given in ``config.attributes['connection']``."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("peelwatch migrations run through peelwatch.store.migrate, not the alembic CLI")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
