"""Export the record as one file per table (CSV, JSON or Parquet) and import it again.

The column names and their order are a stable interface (documented in docs/store.md). Forces
and cycles are referred to by slug and label, not by database id, so an export can be read
without the force and cycle tables and imported into any database.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from peelwatch.errors import StoreError
from peelwatch.store.engine import Store
from peelwatch.store.models import (
    Action,
    ActionEvidence,
    ActionNote,
    Base,
    Correction,
    Cycle,
    Discharge,
    Document,
    Finding,
    FindingMention,
    FindingStatusEvent,
    Force,
    Judgment,
    Link,
    Response,
    SearchEntry,
    Statistic,
)
from peelwatch.store.repository import MAX_INDEXED_TEXT, _finding_title

FORMATS = ("csv", "json", "parquet")


@dataclass(frozen=True, slots=True)
class Column:
    """An exported column: its name, the model attribute and its kind (for CSV round trips)."""

    name: str
    kind: str  # int, float, bool, str, str? (empty means None), json, datetime, date, date?, force, cycle
    attr: str | None = None

    @property
    def source(self) -> str:
        return self.attr or self.name


def _cols(spec: str) -> list[Column]:
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        attr = None
        if kind in ("force", "cycle"):
            attr = f"{name}_id"
        out.append(Column(name, kind or "str", attr))
    return out


TABLES: dict[str, tuple[type[Base], list[Column]]] = {
    "forces": (Force, _cols("slug name region aliases:json")),
    "cycles": (Cycle, _cols("label position:int scale:json")),
    "documents": (
        Document,
        _cols(
            "id:int content_hash source:str? kind force:force cycle:cycle title:str? published:str? reader:str? "
            "size:int ingested_at:datetime warnings:json text kind_reason:str? kind_confidence:str? "
            "provisional:bool"
        ),
    ),
    "judgments": (
        Judgment,
        _cols(
            "id:int document_id:int force:force cycle:cycle position:int scope subject area_key:str? grade "
            "claim:bool evidence start:int end:int hidden:bool"
        ),
    ),
    "findings": (
        Finding,
        _cols(
            "id:int force:force cycle:cycle type ref:str? text norm_text area_key:str? section:str? "
            "authoritative:bool source_document_id:int? status rag:str? owner:str? due_date:date? "
            "created_at:datetime updated_at:datetime hidden:bool"
        ),
    ),
    "mentions": (
        FindingMention,
        _cols(
            "id:int finding_id:int document_id:int position:int ref:str? type text section:str? evidence "
            "start:int end:int score:float"
        ),
    ),
    "responses": (
        Response,
        _cols(
            "id:int finding_id:int? document_id:int position:int by text evidence start:int end:int hidden:bool"
        ),
    ),
    "discharges": (
        Discharge,
        _cols(
            "id:int document_id:int finding_id:int? position:int status finding_type:str? text evidence "
            "start:int end:int names:str? referent:str?"
        ),
    ),
    "statistics": (
        Statistic,
        _cols(
            "id:int document_id:int position:int measure force_value national_value:str? unit:str? period:str? "
            "evidence start:int end:int"
        ),
    ),
    "links": (
        Link,
        _cols(
            "id:int finding_id:int other_id:int? kind score:float discharge_id:int? evidence "
            "rejected:bool rejected_by:str? rejected_at:datetime?"
        ),
    ),
    # People's corrections travel with the record; the user id does not (accounts are not exported),
    # the actor's name does.
    # Tracking: status history, actions, their progress notes and evidence. Users are not
    # exported (their secrets stay), so who acted travels as the actor's name.
    "status_events": (
        FindingStatusEvent,
        _cols(
            "id:int finding_id:int at:datetime from_status:str? to_status note source actor document_id:int? "
            "evidence start:int end:int basis:str?"
        ),
    ),
    "actions": (
        Action,
        _cols(
            "id:int finding_id:int title owner:str? due:date? status created_at:datetime updated_at:datetime?"
        ),
    ),
    "action_notes": (ActionNote, _cols("id:int action_id:int on:date text author created_at:datetime")),
    "action_evidence": (
        ActionEvidence,
        _cols("id:int action_id:int document_id:int? url:str? label created_at:datetime"),
    ),
    "corrections": (
        Correction,
        _cols(
            "id:int entity entity_id:int? document_id:int? field original:json? value:json? note actor "
            "at:datetime active:bool anchor_start:int anchor_end:int anchor_text"
        ),
    ),
}


# Imported with their ids, in this order (each refers only to tables before it); forces and
# cycles are reference data, matched by slug and label instead.
RECORD_TABLES = tuple(name for name in TABLES if name not in ("forces", "cycles"))


def _to_plain(value: Any, kind: str, fmt: str) -> Any:
    """A database value as written to a file of format ``fmt``."""
    if value is None:
        return None
    kind = kind.rstrip("?")
    if kind == "json":
        return value if fmt == "json" else json.dumps(value, ensure_ascii=False)
    if kind == "datetime" and isinstance(value, datetime):
        return value.isoformat()
    if kind.startswith("date") and isinstance(value, date):
        return value.isoformat()
    return value


def _from_plain(value: Any, kind: str, fmt: str = "csv") -> Any:
    """A value read from a file (CSV gives strings) converted back for the database."""
    if kind.endswith("?") and value in ("", None):
        return None
    base = kind.rstrip("?")
    if value is None:
        return None
    if base == "int":
        return int(value)
    if base == "float":
        return float(value)
    if base == "bool":
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
    if base == "json":
        # CSV and Parquet hold JSON as text; in a JSON file the values are themselves already.
        return json.loads(value) if isinstance(value, str) and fmt != "json" else value
    if base == "datetime":
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    if base == "date":
        return date.fromisoformat(value) if isinstance(value, str) else value
    return value


def _rows(session: Session, table: str) -> list[dict[str, Any]]:
    model, columns = TABLES[table]
    forces = dict(session.execute(select(Force.id, Force.slug)).all())
    cycles = dict(session.execute(select(Cycle.id, Cycle.label)).all())
    order = (
        model.id if table not in ("forces", "cycles") else (Force.slug if model is Force else Cycle.position)
    )
    rows = []
    for obj in session.scalars(select(model).order_by(order)):
        row = {}
        for col in columns:
            value = getattr(obj, col.source)
            if col.kind == "force":
                value = forces.get(value)
            elif col.kind == "cycle":
                value = cycles.get(value)
            row[col.name] = value
        rows.append(row)
    return rows


def export_store(store: Store, out: Path, fmt: str) -> list[tuple[str, Path, int]]:
    """Write every table to ``out`` (created if needed); return (table, file, row count) per table."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create export folder {out}: {exc.strerror}") from None
    written = []
    with store.read() as session:
        for table, (_model, columns) in TABLES.items():
            rows = [
                {c.name: _to_plain(r[c.name], c.kind, fmt) for c in columns} for r in _rows(session, table)
            ]
            path = out / f"{table}.{fmt}"
            try:
                _WRITERS[fmt](path, [c.name for c in columns], rows)
            except OSError as exc:
                raise StoreError(f"cannot write {path}: {exc.strerror}") from None
            written.append((table, path, len(rows)))
    return written


def _write_csv(path: Path, names: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)


def _write_json(path: Path, names: list[str], rows: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def _write_parquet(path: Path, names: list[str], rows: list[dict[str, Any]]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise StoreError("Parquet export needs pyarrow: pip install 'peelwatch[parquet]'") from None
    table = pa.Table.from_pydict({n: [r[n] for r in rows] for n in names})
    pq.write_table(table, path)


def _read_csv(path: Path) -> list[dict[str, Any]]:
    csv.field_size_limit(1 << 30)  # document texts are long
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _read_json(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def _read_parquet(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


_WRITERS: dict[str, Callable[[Path, list[str], list[dict[str, Any]]], None]] = {
    "csv": _write_csv,
    "json": _write_json,
    "parquet": _write_parquet,
}
_READERS: dict[str, Callable[[Path], list[dict[str, Any]]]] = {
    "csv": _read_csv,
    "json": _read_json,
    "parquet": _read_parquet,
}


def _detect_format(folder: Path) -> str:
    for fmt in FORMATS:
        if (folder / f"documents.{fmt}").is_file():
            return fmt
    raise StoreError(f"{folder} holds no peelwatch export (documents.csv, .json or .parquet)")


def import_store(store: Store, folder: Path) -> dict[str, int]:
    """Load an export folder into a database that holds no documents yet; return row counts.

    Everything is inserted in one transaction, ids kept, and the search index rebuilt.
    """
    fmt = _detect_format(folder)
    data: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        path = folder / f"{table}.{fmt}"
        try:
            data[table] = _READERS[fmt](path) if path.is_file() else []
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot read {path}: {exc}") from None
    with store.write() as session:
        if session.scalar(select(func.count()).select_from(Document)):
            raise StoreError("import needs an empty database: this one already holds documents")
        _import_reference(session, data)
        forces = dict(session.execute(select(Force.slug, Force.id)).all())
        cycles = dict(session.execute(select(Cycle.label, Cycle.id)).all())
        for table in RECORD_TABLES:
            model, columns = TABLES[table]
            rows = []
            for raw in data[table]:
                row: dict[str, Any] = {}
                for col in columns:
                    value = raw.get(col.name)
                    if col.kind == "force":
                        value = forces.get(value) if value else None
                    elif col.kind == "cycle":
                        value = cycles.get(value) if value else None
                    else:
                        value = _from_plain(value, col.kind, fmt)
                        if value is None and col.kind == "str":
                            value = ""
                        elif value is None and col.kind == "bool":
                            value = False  # an export from before the column existed
                    row[col.source] = value
                rows.append(row)
            if rows:
                session.execute(insert(model), rows)
        rebuild_search(session)
        if session.get_bind().dialect.name == "postgresql":
            _reset_sequences(session)
    return {table: len(rows) for table, rows in data.items()}


def _import_reference(session: Session, data: dict[str, list[dict[str, Any]]]) -> None:
    """Add the export's forces and cycles that the database does not have yet."""
    have_forces = set(session.scalars(select(Force.slug)))
    for raw in data["forces"]:
        if raw["slug"] not in have_forces:
            session.add(
                Force(
                    slug=raw["slug"],
                    name=raw["name"],
                    region=raw.get("region") or "",
                    aliases=_from_plain(raw.get("aliases") or "[]", "json"),
                )
            )
    have_cycles = set(session.scalars(select(Cycle.label)))
    for raw in data["cycles"]:
        if raw["label"] not in have_cycles:
            session.add(
                Cycle(
                    label=raw["label"],
                    position=int(raw["position"]),
                    scale=_from_plain(raw.get("scale") or "[]", "json"),
                )
            )
    session.flush()


def rebuild_search(session: Session) -> None:
    """Recreate every search entry from the documents, judgments and findings."""
    session.execute(SearchEntry.__table__.delete())
    forces = {f.id: f for f in session.scalars(select(Force))}
    cycles = {c.id: c for c in session.scalars(select(Cycle))}
    entries: list[dict[str, Any]] = []
    for doc in session.scalars(select(Document).order_by(Document.id)):
        entries.append(
            {
                "kind": "document",
                "ref_id": doc.id,
                "document_id": doc.id,
                "force_id": doc.force_id,
                "cycle_id": doc.cycle_id,
                "title": doc.title or doc.source or f"document {doc.id}",
                "body": doc.text[:MAX_INDEXED_TEXT],
            }
        )
    for j in session.scalars(select(Judgment).order_by(Judgment.id)):
        force, cycle = forces.get(j.force_id or -1), cycles.get(j.cycle_id or -1)
        where = " · ".join(x for x in (force.name if force else "", cycle.label if cycle else "") if x)
        entries.append(
            {
                "kind": "judgment",
                "ref_id": j.id,
                "document_id": j.document_id,
                "force_id": j.force_id,
                "cycle_id": j.cycle_id,
                "title": f"{j.subject}: {j.grade}" + (f" ({where})" if where else ""),
                "body": j.evidence or j.subject,
            }
        )
    for f in session.scalars(select(Finding).order_by(Finding.id)):
        entries.append(
            {
                "kind": "finding",
                "ref_id": f.id,
                "document_id": None,
                "force_id": f.force_id,
                "cycle_id": f.cycle_id,
                "title": _finding_title(
                    f.type, f.ref, forces.get(f.force_id or -1), cycles.get(f.cycle_id or -1)
                ),
                "body": f.text,
            }
        )
    if entries:
        session.execute(insert(SearchEntry), entries)


def _reset_sequences(session: Session) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past them."""
    for table in (TABLES[name][0].__tablename__ for name in RECORD_TABLES):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
