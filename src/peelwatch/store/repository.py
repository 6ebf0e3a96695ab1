"""Writing to the store: seeding reference data and storing one document's extraction.

:func:`store_extraction` is the single write path of ingest. It runs inside one transaction
opened by the caller, so a document is either stored with everything extracted from it or not
at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from peelwatch.extract.model import Extraction
from peelwatch.link.areas import finding_area_key
from peelwatch.link.findings import Candidate, best_match, is_authoritative_kind, normalise
from peelwatch.store.models import (
    Cycle,
    Discharge,
    Document,
    Finding,
    FindingMention,
    Force,
    Judgment,
    Link,
    Response,
    SearchEntry,
    Statistic,
    utcnow,
)
from peelwatch.store.names import (
    KNOWN_CYCLES,
    ensure_cycle,
    ensure_force,
    framework_cycles,
    framework_forces,
    load_framework_or_none,
)

# PostgreSQL refuses a tsvector over 1 MB; the document's findings and judgments are indexed
# on their own, so the document entry only needs its opening for search.
MAX_INDEXED_TEXT = 300_000

FINDING_LABELS = {
    "area_for_improvement": "Area for improvement",
    "cause_of_concern": "Cause of concern",
    "recommendation": "Recommendation",
}


def seed_framework(store: Any) -> None:
    """Copy the framework's forces and cycles into the store when they are missing."""
    fw = load_framework_or_none()
    forces = framework_forces(fw) if fw is not None else []
    cycles = framework_cycles(fw) if fw is not None else []
    cycle_labels = [getattr(c, "label", str(c)) for c in cycles] or list(KNOWN_CYCLES)
    with store.read() as session:
        have_forces = set(session.scalars(select(Force.slug)))
        have_cycles = set(session.scalars(select(Cycle.label)))
    missing_forces = [f for f in forces if f.slug not in have_forces]
    missing_cycles = [c for c in cycle_labels if c not in have_cycles]
    if not missing_forces and not missing_cycles:
        return

    def _write() -> None:
        with store.write() as session:
            # Re-check inside the write lock: another process may have seeded meanwhile.
            present = set(session.scalars(select(Force.slug)))
            for force in missing_forces:
                if force.slug in present:
                    continue
                aliases = [
                    *getattr(force, "aliases", ()),
                    *getattr(force, "abbreviations", ()),
                    *getattr(force, "former_names", ()),
                    *getattr(force, "ambiguous_aliases", ()),
                ]
                session.add(
                    Force(
                        slug=force.slug,
                        name=force.name,
                        region=getattr(force, "region", "") or "",
                        aliases=aliases,
                    )
                )
            present_cycles = set(session.scalars(select(Cycle.label)))
            for label in missing_cycles:
                if label in present_cycles:
                    continue
                scale: list[str] = []
                for cycle in cycles:
                    if getattr(cycle, "label", None) == label:
                        scale = list(getattr(cycle, "scale", ()) or ())
                year = re.match(r"\d{4}", label)
                session.add(Cycle(label=label, position=int(year.group()) if year else 9999, scale=scale))

    store.retry_locked(_write)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """What storing one document produced."""

    document_id: int
    findings_new: int
    mentions: int


def document_id_by_hash(session: Session, content_hash: str) -> int | None:
    """The id of the document with these bytes, if it is stored."""
    return session.scalar(select(Document.id).where(Document.content_hash == content_hash))


def documents_by_hash(session: Session, content_hashes: list[str]) -> dict[str, int]:
    """The ids of the documents stored with these bytes, by content hash (one query per 500)."""
    found: dict[str, int] = {}
    for i in range(0, len(content_hashes), _INSERT_CHUNK):
        chunk = content_hashes[i : i + _INSERT_CHUNK]
        rows = session.execute(
            select(Document.content_hash, Document.id).where(Document.content_hash.in_(chunk))
        )
        found.update((digest, doc_id) for digest, doc_id in rows)
    return found


def _finding_title(type_: str, ref: str | None, force: _Named | None, cycle: _Named | None) -> str:
    parts = [ref or FINDING_LABELS.get(type_, type_)]
    if force is not None:
        parts.append(force.name)
    if cycle is not None:
        parts.append(cycle.label)
    return " · ".join(parts)


class _Stored(NamedTuple):
    """A stored finding a new one may restate: what matching needs, and what an update needs."""

    id: int
    norm_text: str
    type: str
    authoritative: bool
    area_key: str | None


_STORED_COLUMNS = select(Finding.id, Finding.norm_text, Finding.type, Finding.authoritative, Finding.area_key)
_STORED_OF_CYCLE = _STORED_COLUMNS.where(
    Finding.force_id == bindparam("force_id"), Finding.cycle_id == bindparam("cycle_id")
).order_by(Finding.id)
_STORED_NO_CYCLE = _STORED_COLUMNS.where(
    Finding.force_id == bindparam("force_id"), Finding.cycle_id.is_(None)
).order_by(Finding.id)


def _candidates(
    conn: Connection, force: _Named | None, cycle: _Named | None, held: WriteBatch | None = None
) -> list[_Stored]:
    """The stored findings a new one may restate: the same force and cycle (a document whose
    cycle is unknown is compared with the force's other findings of unknown cycle), in id order.

    With ``held``, read once per batch and kept there: the batch adds its new findings and
    re-wordings to the list as it writes them, so it stays what the query would return."""
    if force is None:
        return []
    key = (force.id, cycle.id if cycle is not None else None)
    if held is not None and key in held.candidates:
        return held.candidates[key]
    if cycle is None:
        rows = conn.execute(_STORED_NO_CYCLE, {"force_id": force.id})
    else:
        rows = conn.execute(_STORED_OF_CYCLE, {"force_id": force.id, "cycle_id": cycle.id})
    found = [_Stored(*r) for r in rows.all()]  # fetchall: a row at a time cost more than the query
    if held is not None:
        held.candidates[key] = found
    return found


class _Named(NamedTuple):
    """A stored force (``name``) or cycle (``label``): what writing a document needs of it."""

    id: int
    name: str

    @property
    def label(self) -> str:
        return self.name


# a name's answer: the force or cycle it names, or None (unknown to the framework)
Names = dict[tuple[str, str], "_Named | None"]


def _named(
    session: Session, kind: str, name: str | None, fw: Any | None, known: Names | None = None
) -> _Named | None:
    """:func:`ensure_force` or :func:`ensure_cycle`, remembered for the transaction's life (and
    in ``known``, a batch's :attr:`WriteBatch.names`).

    Only these functions add forces and cycles while documents are written, so the answer cannot
    change within a transaction (one document, or a batch of them at ingest); looking a name up
    costs several queries, once per document and judgment otherwise. A new transaction starts
    afresh: a row created in one that was rolled back must not be handed out again (ingest
    hands a batch only the answers of committed ones)."""
    if not name:
        return None
    key = (kind, name)
    if known is not None and key in known:
        return known[key]
    txn = session.get_transaction()
    held = session.info.get("peelwatch_names")
    if held is None or held[0] is not txn:
        held = session.info["peelwatch_names"] = (txn, {})
    cache: Names = held[1]
    if key not in cache:
        row = ensure_force(session, name, fw) if kind == "force" else ensure_cycle(session, name, fw)
        cache[key] = None if row is None else _Named(row.id, row.name if kind == "force" else row.label)
    if known is not None:
        known[key] = cache[key]
    return cache[key]


# Statements built once: building an insert per document cost as much as running it.
_FINDING = Finding.__table__
_ENTRY = SearchEntry.__table__
_INSERT_DOCUMENT = insert(Document.__table__).returning(Document.__table__.c.id)
_UPDATE_FINDING_TEXT = (
    update(_FINDING)
    .where(_FINDING.c.id == bindparam("finding_id"))
    .values(
        text=bindparam("text"),
        norm_text=bindparam("norm_text"),
        type=bindparam("type"),
        ref=bindparam("ref"),
        area_key=bindparam("area_key"),
        section=bindparam("section"),
        authoritative=True,
        source_document_id=bindparam("source_document_id"),
        updated_at=bindparam("updated_at"),
    )
)
_UPDATE_FINDING_ENTRY = (
    update(_ENTRY)
    .where(_ENTRY.c.kind == "finding", _ENTRY.c.ref_id == bindparam("finding_id"))
    .values(title=bindparam("title"), body=bindparam("body"))
)


@dataclass(slots=True)
class WriteBatch:
    """Rows of one transaction's documents held back to be inserted together.

    Ingest stores up to a batch of documents per transaction; one ``INSERT`` per table for the
    whole batch, instead of one per table and document, took a statement's fixed cost (most of
    a small insert's) off every document. Rows are inserted in the order they were held, so
    every row gets the id it would have got inserted at once. The documents and findings are
    inserted at once (their ids are needed while writing); :meth:`flush` inserts the rest and
    must run before anything reads them (the linker), in the same transaction.
    """

    judgments: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    discharges: list[dict[str, Any]] = field(default_factory=list)
    statistics: list[dict[str, Any]] = field(default_factory=list)
    # search entries held for findings, by finding id: a later document's re-wording updates them
    finding_entries: dict[int, dict[str, Any]] = field(default_factory=dict)
    # the stored findings of a (force id, cycle id), read once (see _candidates)
    candidates: dict[tuple[int, int | None], list[_Stored]] = field(default_factory=dict)
    # forces and cycles by the names documents give them: those of committed batches (passed
    # in by the caller, which keeps them once this batch is committed) and this batch's own
    names: Names = field(default_factory=dict)

    def flush(self, conn: Connection) -> None:
        """Insert the held rows (judgments first: their search entries need the ids)."""
        if self.judgments:
            ids = _insert_returning_ids(conn, Judgment, [row for row, _entry in self.judgments])
            for (_row, entry), judgment_id in zip(self.judgments, ids, strict=True):
                entry["ref_id"] = judgment_id
        for model, rows in (
            (SearchEntry, self.entries),
            (FindingMention, self.mentions),
            (Response, self.responses),
            (Discharge, self.discharges),
            (Statistic, self.statistics),
        ):
            _bulk_insert(conn, model, rows)
        self.judgments, self.entries, self.mentions = [], [], []
        self.responses, self.discharges, self.statistics = [], [], []
        self.finding_entries = {}


def kind_decision(extraction: Extraction) -> dict[str, Any]:
    """The document columns that keep what decided its kind and how sure it was (see
    :func:`record_kind`)."""
    from peelwatch.extract.kind import is_confident

    confidence = extraction.reasons.get("kind_confidence")
    return {
        "kind_reason": extraction.reasons.get("kind"),
        "kind_confidence": confidence,
        "provisional": confidence is not None and not is_confident(confidence),
    }


def store_extraction(
    session: Session,
    *,
    content_hash: str,
    text: str,
    extraction: Extraction,
    source: str | None,
    reader: str | None = None,
    size: int = 0,
    fw: Any | None = None,
    with_kind: bool = False,
    area_keys: AreaKeys | None = None,
    held: WriteBatch | None = None,
) -> StoredDocument:
    """Store one document and everything extracted from it, linking its findings to stored ones.

    The caller owns the transaction. Findings of the same force and cycle that restate a stored
    finding become mentions of it; an inspectorate document's wording becomes the canonical text.
    Judgments of non-inspectorate documents are stored as claims. ``with_kind`` also keeps what
    decided the document's kind, as :func:`record_kind` does, in the same row. ``area_keys``:
    the findings' area keys worked out beforehand (:func:`area_keys_of`), used when the cycle
    they were worked out for is the one the document is stored under. ``held``: a batch whose
    rows are inserted together later (:meth:`WriteBatch.flush`, the caller's to run); without
    it the document's rows are inserted before this returns.
    """
    fw = fw if fw is not None else load_framework_or_none()
    known = held.names if held is not None else None
    force = _named(session, "force", extraction.force, fw, known)
    cycle = _named(session, "cycle", extraction.cycle, fw, known)
    cycles = {j.cycle: _named(session, "cycle", j.cycle, fw, known) for j in extraction.judgments if j.cycle}
    # Every row of the document is written with SQLAlchemy Core, one multi-row INSERT per table
    # on the session's connection: building, tracking and flushing an ORM object per row was
    # most of the writer's time. ensure_force/ensure_cycle flush what they create themselves.
    conn = session.connection()
    row: dict[str, Any] = {
        "content_hash": content_hash,
        "source": source,
        "kind": extraction.kind,
        "force_id": force.id if force else None,
        "cycle_id": cycle.id if cycle else None,
        "title": extraction.title,
        "published": extraction.published,
        "text": text,
        "reader": reader,
        "size": size,
        "warnings": list(extraction.warnings),
        "ingested_at": utcnow(),
    }
    if with_kind:
        row.update(kind_decision(extraction))
    # the unique content hash fails here if another writer stored these bytes
    doc_id: int = conn.execute(_INSERT_DOCUMENT, row).scalar_one()
    doc = _Doc(doc_id, text, force, cycle, is_authoritative_kind(extraction.kind))
    batch = held if held is not None else WriteBatch()
    batch.entries.append(
        _entry(
            "document", doc_id, doc_id, row["force_id"], row["cycle_id"],
            extraction.title or source or f"document {doc_id}", text[:MAX_INDEXED_TEXT],
        )
    )  # fmt: skip
    _hold_judgments(batch, doc, extraction, cycles)
    finding_ids, new_count = _store_findings(conn, doc, extraction, batch, area_keys)
    batch.responses.extend(
        [
            {
                "finding_id": finding_ids[resp.finding] if 0 <= resp.finding < len(finding_ids) else None,
                "document_id": doc_id,
                "position": pos,
                "by": resp.by,
                "text": resp.text,
                "evidence": resp.evidence,
                "start": resp.start,
                "end": resp.end,
            }
            for pos, resp in enumerate(extraction.responses)
        ],
    )
    batch.discharges.extend(
        [
            {
                "document_id": doc_id,
                "finding_id": None,  # the linker ties each statement to its finding
                "position": pos,
                "status": d.status,
                "finding_type": d.finding_type,
                "text": d.text,
                "evidence": d.evidence,
                "start": d.start,
                "end": d.end,
                "names": d.names,
                "referent": d.referent,
            }
            for pos, d in enumerate(extraction.discharges)
        ],
    )
    batch.statistics.extend(
        [
            {
                "document_id": doc_id,
                "position": pos,
                "measure": stat.measure,
                "force_value": stat.force_value,
                "national_value": stat.national_value,
                "unit": stat.unit,
                "period": stat.period,
                "evidence": stat.evidence,
                "start": stat.start,
                "end": stat.end,
            }
            for pos, stat in enumerate(extraction.statistics)
        ],
    )
    if held is None:
        batch.flush(conn)
    return StoredDocument(document_id=doc_id, findings_new=new_count, mentions=len(finding_ids))


class _Doc(NamedTuple):
    """The stored document the facts being written belong to."""

    id: int
    text: str
    force: _Named | None
    cycle: _Named | None
    authoritative: bool


def _entry(
    kind: str, ref_id: int, document_id: int | None, force_id: int | None, cycle_id: int | None,
    title: str, body: str,
) -> dict[str, Any]:  # fmt: skip
    return {
        "kind": kind,
        "ref_id": ref_id,
        "document_id": document_id,
        "force_id": force_id,
        "cycle_id": cycle_id,
        "title": title,
        "body": body,
    }


# Rows per INSERT ... RETURNING statement: SQLite binds at most 32,766 parameters in one statement.
_INSERT_CHUNK = 500


def _bulk_insert(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``model``'s table in the connection's transaction.

    One cached ``INSERT`` executed for many rows: SQLAlchemy sends them as multi-row
    ``VALUES`` batches. Building ``insert().values(rows)`` instead compiled a new statement for
    every document, which cost more than the rows.
    """
    if rows:
        conn.execute(insert(model.__table__), rows)


def _insert_returning_ids(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` and return their new ids in the order of ``rows``."""
    table = model.__table__
    ids: list[int] = []
    for i in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[i : i + _INSERT_CHUNK]
        result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), chunk)
        ids += result.scalars().all()
    return ids


def _hold_judgments(
    batch: WriteBatch, doc: _Doc, extraction: Extraction, cycles: dict[str, _Named | None]
) -> None:
    """Hold the document's judgments and their search entries (ids given when inserted)."""
    force_id = doc.force.id if doc.force else None
    force_name = doc.force.name if doc.force else ""
    for pos, j in enumerate(extraction.judgments):
        j_cycle = cycles[j.cycle] if j.cycle else doc.cycle
        row = {
            "document_id": doc.id,
            "force_id": force_id,
            "cycle_id": j_cycle.id if j_cycle else None,
            "position": pos,
            "scope": j.scope,
            "subject": j.subject,
            "area_key": j.key,
            "grade": j.grade,
            "claim": bool(j.claim or not doc.authoritative),
            "evidence": j.evidence,
            "start": j.start,
            "end": j.end,
        }
        place = " · ".join(x for x in (force_name, j_cycle.label if j_cycle else "") if x)
        entry = _entry(
            "judgment", 0, doc.id, force_id, row["cycle_id"],
            f"{j.subject}: {j.grade}" + (f" ({place})" if place else ""), j.evidence or j.subject,
        )  # fmt: skip
        batch.judgments.append((row, entry))
        batch.entries.append(entry)


def _store_findings(
    conn: Connection, doc: _Doc, extraction: Extraction, batch: WriteBatch, area_keys: AreaKeys | None = None
) -> tuple[list[int], int]:
    """Store findings, creating or re-using canonical ones; hold their mentions and the new
    findings' search entries in ``batch``.

    Returns the finding id per index of the extraction's findings and how many are new."""
    force, cycle = doc.force, doc.cycle
    candidates = _candidates(conn, force, cycle, batch)
    by_id = {c.id: c for c in candidates}
    pool = [Candidate(c.id, c.norm_text, c.type) for c in candidates]
    used: set[int] = set()  # one document lists a finding once: two of its items never merge
    chosen: list[tuple[int | None, float]] = []  # stored id (None: new) and score, per finding
    new_rows: list[dict[str, Any]] = []
    replaced: list[dict[str, Any]] = []
    cycle_label = cycle.label if cycle is not None else None
    force_id, cycle_id = (force.id if force else None), (cycle.id if cycle else None)
    known_keys = area_keys.keys if area_keys is not None and area_keys.cycle == cycle_label else None
    for position, f in enumerate(extraction.findings):
        norm = normalise(f.text)
        area = f.key or (known_keys[position] if known_keys else _area_key(f, cycle_label, doc.text))
        match = best_match(norm, f.type, pool, exclude=used)
        if match is None:
            new_rows.append(
                {
                    "force_id": force_id,
                    "cycle_id": cycle_id,
                    "type": f.type,
                    "ref": f.ref,
                    "text": f.text,
                    "norm_text": norm,
                    "area_key": area,
                    "section": f.section,
                    "authoritative": doc.authoritative,
                    "source_document_id": doc.id,
                    "status": "open",
                }
            )
            chosen.append((None, 100.0))
            continue
        stored = by_id[match[0].id]
        used.add(stored.id)
        chosen.append((stored.id, match[1]))
        if doc.authoritative and not stored.authoritative:
            # The inspectorate's own words replace a letter's quotation as the canonical text.
            replaced.append(
                {
                    "finding_id": stored.id,
                    "text": f.text,
                    "norm_text": norm,
                    "type": f.type,
                    "ref": f.ref,
                    "area_key": area or stored.area_key,
                    "section": f.section,
                    "source_document_id": doc.id,
                    "updated_at": utcnow(),
                    "title": _finding_title(f.type, f.ref, force, cycle),
                    "body": f.text,
                }
            )
    if replaced:
        _update_entries(conn, replaced, force_id, cycle_id, batch)
        for r in replaced:  # what the candidates' query would now return for it
            at = next(i for i, c in enumerate(candidates) if c.id == r["finding_id"])
            candidates[at] = _Stored(r["finding_id"], r["norm_text"], r["type"], True, r["area_key"])
    new_ids = _insert_returning_ids(conn, Finding, new_rows)
    if force is not None:  # the batch's later documents see these as stored
        candidates += [
            _Stored(i, r["norm_text"], r["type"], r["authoritative"], r["area_key"])
            for i, r in zip(new_ids, new_rows, strict=True)
        ]
    next_new = iter(new_ids)
    ids = [stored_id if stored_id is not None else next(next_new) for stored_id, _score in chosen]
    # Recurrence across cycles and forces is the linker's work (peelwatch.link.link_document),
    # run once the whole document is stored.
    for f, finding_id, (stored_id, _score) in zip(extraction.findings, ids, chosen, strict=True):
        if stored_id is None:
            entry = _entry(
                "finding", finding_id, None, force_id, cycle_id,
                _finding_title(f.type, f.ref, force, cycle), f.text,
            )  # fmt: skip
            batch.entries.append(entry)
            batch.finding_entries[finding_id] = entry
    batch.mentions.extend(
        [
            {
                "finding_id": finding_id,
                "document_id": doc.id,
                "position": pos,
                "ref": f.ref,
                "type": f.type,
                "text": f.text,
                "section": f.section,
                "evidence": f.evidence,
                "start": f.start,
                "end": f.end,
                "score": score,
                "stated_status": f.stated.status if f.stated else None,
                "stated_word": f.stated.word if f.stated else None,
                "stated_start": f.stated.start if f.stated else None,
                "stated_end": f.stated.end if f.stated else None,
            }
            for pos, (f, finding_id, (_stored, score)) in enumerate(
                zip(extraction.findings, ids, chosen, strict=True)
            )
        ],
    )
    return ids, len(new_rows)


def _update_entries(
    conn: Connection,
    replaced: list[dict[str, Any]],
    force_id: int | None,
    cycle_id: int | None,
    batch: WriteBatch,
) -> None:
    """Give re-worded findings their new text, and their search entries the new title and body
    (held ones in ``batch``); hold an entry for those that have none."""
    conn.execute(_UPDATE_FINDING_TEXT, replaced)
    stored = [r for r in replaced if r["finding_id"] not in batch.finding_entries]
    have = (
        set(
            conn.execute(
                select(SearchEntry.ref_id).where(
                    SearchEntry.kind == "finding", SearchEntry.ref_id.in_([r["finding_id"] for r in stored])
                )
            ).scalars()
        )
        if stored
        else set()
    )
    present = [r for r in stored if r["finding_id"] in have]
    if present:
        conn.execute(_UPDATE_FINDING_ENTRY, present)
    for r in replaced:
        held = batch.finding_entries.get(r["finding_id"])
        if held is not None:
            held.update(title=r["title"], body=r["body"])
        elif r["finding_id"] not in have:
            entry = _entry("finding", r["finding_id"], None, force_id, cycle_id, r["title"], r["body"])
            batch.entries.append(entry)
            batch.finding_entries[r["finding_id"]] = entry


@dataclass(frozen=True, slots=True)
class AreaKeys:
    """The area keys of a document's findings (None where none is found, or the extractor gave
    one), worked out for the cycle label ``cycle``."""

    cycle: str | None
    keys: tuple[str | None, ...]


def area_keys_of(extraction: Extraction, document_text: str) -> AreaKeys:
    """The area keys :func:`store_extraction` would work out for the findings that have none,
    taking the extraction's cycle as the label it is stored under.

    Pure text work (the framework's subjects, the document's headings): ingest does it in the
    extraction processes, beside the reading, rather than in its one writer."""
    cycle = extraction.cycle or None
    return AreaKeys(
        cycle, tuple(None if f.key else _area_key(f, cycle, document_text) for f in extraction.findings)
    )


def _area_key(f: Any, cycle_label: str | None, document_text: str) -> str | None:
    """The canonical key of a finding the extractor left without one (see peelwatch.link.areas)."""
    found = finding_area_key(
        f.text, cycle=cycle_label, section=f.section, document_text=document_text, start=f.start
    )
    return found.key if found else None


def counts(session: Session) -> dict[str, int]:
    """Row counts of the main tables (for tests, the CLI and consistency checks)."""
    tables = {
        "documents": Document,
        "judgments": Judgment,
        "findings": Finding,
        "mentions": FindingMention,
        "responses": Response,
        "discharges": Discharge,
        "statistics": Statistic,
        "links": Link,
        "search_entries": SearchEntry,
    }
    return {
        name: session.scalar(select(func.count()).select_from(model)) or 0 for name, model in tables.items()
    }


def record_kind(session: Session, document_id: int, extraction: Extraction) -> bool:
    """Keep what decided a stored document's kind and how sure it was; mark it provisional when
    the kind was a guess, so its grades wait for a person before they count. Returns whether it
    is provisional. An extraction that did not judge its confidence is taken as it stands."""
    values = kind_decision(extraction)
    session.execute(update(Document).where(Document.id == document_id).values(**values))
    return bool(values["provisional"])
