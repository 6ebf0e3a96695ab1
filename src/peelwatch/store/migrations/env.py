"""Alembic environment: peelwatch runs migrations programmatically on a connection it passes in."""

from __future__ import annotations

from alembic import context

from peelwatch.store.migrations_support import include_object
from peelwatch.store.models import Base


def run_migrations() -> None:
    """Run the migrations on the connection given in ``config.attributes['connection']``."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "peelwatch migrations run through peelwatch.store.engine.migrate, not the alembic CLI"
        )
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
