"""peelwatch.store: the inspection record in SQLite or PostgreSQL.

Open a database with :func:`open_store`; read it with the query functions below (each returns
plain dataclasses that ``dataclasses.asdict`` turns into JSON-ready dicts); add documents with
:func:`ingest_bytes` or :func:`peelwatch.ingest.ingest_paths`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peelwatch.store.engine import Store, open_store
from peelwatch.store.overview import overview
from peelwatch.store.provenance import (
    confirm_document,
    counted_grade_matrix,
    counted_grades,
    document_standing,
)
from peelwatch.store.queries import (
    InvalidFilterError,
    force_profile,
    get_document,
    get_finding,
    grade_matrix,
    list_cycles,
    list_documents,
    list_findings,
    list_forces,
    list_grades,
)
from peelwatch.store.search import search

if TYPE_CHECKING:
    from peelwatch.ingest import IngestResult

__all__ = [
    "InvalidFilterError",
    "Store",
    "confirm_document",
    "counted_grade_matrix",
    "counted_grades",
    "document_standing",
    "force_profile",
    "get_document",
    "get_finding",
    "grade_matrix",
    "ingest_bytes",
    "list_cycles",
    "list_documents",
    "list_findings",
    "list_forces",
    "list_grades",
    "open_store",
    "overview",
    "search",
]


def ingest_bytes(store: Store, data: bytes, name: str, *, max_bytes: int | None = None) -> IngestResult:
    """Read, extract and store one document (see :func:`peelwatch.ingest.ingest_bytes`)."""
    # Imported here: the ingest module pulls in the readers and extractors, which queries never need.
    from peelwatch.config import DEFAULT_MAX_BYTES
    from peelwatch.ingest import ingest_bytes as _ingest_bytes

    return _ingest_bytes(store, data, name, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
