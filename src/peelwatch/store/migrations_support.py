"""What Alembic's autogenerate must ignore: the hand-written, backend-specific full-text index."""

from __future__ import annotations

from typing import Any

_FTS_PREFIX = "search_fts"


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Keep the FTS5 tables, the tsvector and tags columns and the GIN index out of autogenerate.

    Otherwise autogenerate proposes dropping them, as the models do not declare them.
    """
    if type_ == "table" and name and name.startswith(_FTS_PREFIX):
        return False
    if type_ == "column" and name in ("tsv", "tags") and getattr(obj, "table", None) is not None:
        return obj.table.name != "search_entry"
    return not (type_ == "index" and name == "ix_search_entry_tsv")
