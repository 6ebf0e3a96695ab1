"""Writing to the store: seeding reference data and storing one document's extraction.

:func:`store_extraction` is the single write path of ingest. It runs inside one transaction
opened by the caller, so a document is either stored with everything extracted from it or not
at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
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


def _finding_title(type_: str, ref: str | None, force: Force | None, cycle: Cycle | None) -> str:
    parts = [ref or FINDING_LABELS.get(type_, type_)]
    if force is not None:
        parts.append(force.name)
    if cycle is not None:
        parts.append(cycle.label)
    return " · ".join(parts)


def _candidates(session: Session, force: Force | None, cycle: Cycle | None) -> list[Candidate]:
    """The stored findings a new one may restate: the same force and cycle (a document whose
    cycle is unknown is compared with the force's other findings of unknown cycle)."""
    if force is None:
        return []
    cycle_test = Finding.cycle_id == cycle.id if cycle is not None else Finding.cycle_id.is_(None)
    rows = session.execute(
        select(Finding.id, Finding.norm_text, Finding.type).where(Finding.force_id == force.id, cycle_test)
    )
    return [Candidate(*r) for r in rows]


def _update_search_entry(
    session: Session, finding: Finding, force: Force | None, cycle: Cycle | None
) -> None:
    entry = session.scalar(
        select(SearchEntry).where(SearchEntry.kind == "finding", SearchEntry.ref_id == finding.id)
    )
    title = _finding_title(finding.type, finding.ref, force, cycle)
    if entry is None:
        session.add(
            SearchEntry(
                kind="finding",
                ref_id=finding.id,
                document_id=None,
                force_id=finding.force_id,
                cycle_id=finding.cycle_id,
                title=title,
                body=finding.text,
            )
        )
    else:
        entry.title, entry.body = title, finding.text


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
) -> StoredDocument:
    """Store one document and everything extracted from it, linking its findings to stored ones.

    The caller owns the transaction. Findings of the same force and cycle that restate a stored
    finding become mentions of it; an inspectorate document's wording becomes the canonical text.
    Judgments of non-inspectorate documents are stored as claims.
    """
    # Flushes happen where ids are needed; autoflush before every candidate query would
    # otherwise double the cost of a document.
    with session.no_autoflush:
        return _store_extraction(
            session,
            content_hash=content_hash,
            text=text,
            extraction=extraction,
            source=source,
            reader=reader,
            size=size,
            fw=fw if fw is not None else load_framework_or_none(),
        )


def _store_extraction(
    session: Session,
    *,
    content_hash: str,
    text: str,
    extraction: Extraction,
    source: str | None,
    reader: str | None,
    size: int,
    fw: Any | None,
) -> StoredDocument:
    force = ensure_force(session, extraction.force, fw)
    cycle = ensure_cycle(session, extraction.cycle, fw)
    authoritative = is_authoritative_kind(extraction.kind)
    doc = Document(
        content_hash=content_hash,
        source=source,
        kind=extraction.kind,
        force_id=force.id if force else None,
        cycle_id=cycle.id if cycle else None,
        title=extraction.title,
        published=extraction.published,
        text=text,
        reader=reader,
        size=size,
        warnings=list(extraction.warnings),
        ingested_at=utcnow(),
    )
    session.add(doc)
    session.flush()  # the unique content hash fails here if another writer stored these bytes
    # The facts of a document are written with one multi-row INSERT per table (SQLAlchemy Core),
    # not as ORM objects: building, tracking and flushing an object per row was most of the
    # writer's time. The findings step stays with the ORM, as linking reads and updates rows.
    _bulk_insert(
        session,
        SearchEntry,
        [
            {
                "kind": "document",
                "ref_id": doc.id,
                "document_id": doc.id,
                "force_id": doc.force_id,
                "cycle_id": doc.cycle_id,
                "title": extraction.title or source or f"document {doc.id}",
                "body": text[:MAX_INDEXED_TEXT],
            }
        ],
    )

    _store_judgments(session, doc, extraction, force, cycle, fw, authoritative)
    finding_ids, new_count = _store_findings(session, doc, extraction, force, cycle, authoritative)
    session.flush()  # the findings step's rows first: responses refer to its findings
    _bulk_insert(
        session,
        Response,
        [
            {
                "finding_id": finding_ids[resp.finding] if 0 <= resp.finding < len(finding_ids) else None,
                "document_id": doc.id,
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
    _store_discharges(session, doc, extraction, force, cycle)
    _bulk_insert(
        session,
        Statistic,
        [
            {
                "document_id": doc.id,
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
    session.flush()
    return StoredDocument(document_id=doc.id, findings_new=new_count, mentions=len(finding_ids))


# Rows per INSERT statement: SQLite binds at most 32,766 parameters in one statement.
_INSERT_CHUNK = 500


def _bulk_insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``model``'s table in the session's transaction.

    One cached ``INSERT`` executed for many rows: SQLAlchemy sends them as multi-row
    ``VALUES`` batches. Building ``insert().values(rows)`` instead compiled a new statement for
    every document, which cost more than the rows.
    """
    if rows:
        session.execute(insert(model.__table__), rows)


def _insert_returning_ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` and return their new ids in the order of ``rows``."""
    table = model.__table__
    ids: list[int] = []
    for i in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[i : i + _INSERT_CHUNK]
        result = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), chunk)
        ids += result.scalars().all()
    return ids


def _store_judgments(
    session: Session,
    doc: Document,
    extraction: Extraction,
    force: Force | None,
    cycle: Cycle | None,
    fw: Any | None,
    authoritative: bool,
) -> None:
    if not extraction.judgments:
        return
    rows: list[dict[str, Any]] = []
    cycles: list[Cycle | None] = []
    for pos, j in enumerate(extraction.judgments):
        j_cycle = ensure_cycle(session, j.cycle, fw) if j.cycle else cycle
        cycles.append(j_cycle)
        rows.append(
            {
                "document_id": doc.id,
                "force_id": force.id if force else None,
                "cycle_id": j_cycle.id if j_cycle else None,
                "position": pos,
                "scope": j.scope,
                "subject": j.subject,
                "area_key": j.key,
                "grade": j.grade,
                "claim": bool(j.claim or not authoritative),
                "evidence": j.evidence,
                "start": j.start,
                "end": j.end,
            }
        )
    session.flush()  # a cycle ensure_cycle created must exist before the rows that refer to it
    ids = _insert_returning_ids(session, Judgment, rows)  # the search entries need the ids
    entries = []
    for row, j_cycle, judgment_id in zip(rows, cycles, ids, strict=True):
        where = " · ".join(x for x in (force.name if force else "", j_cycle.label if j_cycle else "") if x)
        entries.append(
            {
                "kind": "judgment",
                "ref_id": judgment_id,
                "document_id": doc.id,
                "force_id": row["force_id"],
                "cycle_id": row["cycle_id"],
                "title": f"{row['subject']}: {row['grade']}" + (f" ({where})" if where else ""),
                "body": row["evidence"] or row["subject"],
            }
        )
    _bulk_insert(session, SearchEntry, entries)


def _store_findings(
    session: Session,
    doc: Document,
    extraction: Extraction,
    force: Force | None,
    cycle: Cycle | None,
    authoritative: bool,
) -> tuple[list[int], int]:
    """Store mentions, creating or re-using canonical findings; return the finding id per index."""
    candidates = _candidates(session, force, cycle)
    used: set[int] = set()  # one document lists a finding once: two of its items never merge
    chosen: list[tuple[Finding, float, str]] = []
    new: list[tuple[Finding, str]] = []
    cycle_label = cycle.label if cycle is not None else None
    for f in extraction.findings:
        norm = normalise(f.text)
        area = f.key or _area_key(f, cycle_label, doc.text)
        match = best_match(norm, f.type, candidates, exclude=used)
        if match is not None:
            finding = session.get(Finding, match[0].id)
            assert finding is not None
            used.add(finding.id)
            if authoritative and not finding.authoritative:
                # The inspectorate's own words replace a letter's quotation as the canonical text.
                finding.text, finding.norm_text, finding.type = f.text, norm, f.type
                finding.ref, finding.area_key, finding.section = f.ref, area or finding.area_key, f.section
                finding.authoritative, finding.source_document_id = True, doc.id
                finding.updated_at = utcnow()
                _update_search_entry(session, finding, force, cycle)
            chosen.append((finding, match[1], norm))
        else:
            finding = Finding(
                force_id=force.id if force else None,
                cycle_id=cycle.id if cycle else None,
                type=f.type,
                ref=f.ref,
                text=f.text,
                norm_text=norm,
                area_key=area,
                section=f.section,
                authoritative=authoritative,
                source_document_id=doc.id,
                status="open",
            )
            new.append((finding, norm))
            chosen.append((finding, 100.0, norm))
    if new:
        session.add_all([finding for finding, _n in new])
        session.flush()  # ids for mentions, links and search entries, in one statement
    title_force, title_cycle = force, cycle
    # Recurrence across cycles and forces is the linker's work (peelwatch.link.link_document),
    # run once the whole document is stored.
    for finding, _norm in new:
        session.add(
            SearchEntry(
                kind="finding",
                ref_id=finding.id,
                document_id=None,
                force_id=finding.force_id,
                cycle_id=finding.cycle_id,
                title=_finding_title(finding.type, finding.ref, title_force, title_cycle),
                body=finding.text,
            )
        )
    ids: list[int] = []
    for pos, (f, (finding, score, _norm)) in enumerate(zip(extraction.findings, chosen, strict=True)):
        ids.append(finding.id)
        session.add(
            FindingMention(
                finding_id=finding.id,
                document_id=doc.id,
                position=pos,
                ref=f.ref,
                type=f.type,
                text=f.text,
                section=f.section,
                evidence=f.evidence,
                start=f.start,
                end=f.end,
                score=score,
                stated_status=f.stated.status if f.stated else None,
                stated_word=f.stated.word if f.stated else None,
                stated_start=f.stated.start if f.stated else None,
                stated_end=f.stated.end if f.stated else None,
            )
        )
    return ids, len(new)


def _area_key(f: Any, cycle_label: str | None, document_text: str) -> str | None:
    """The canonical key of a finding the extractor left without one (see peelwatch.link.areas)."""
    found = finding_area_key(
        f.text, cycle=cycle_label, section=f.section, document_text=document_text, start=f.start
    )
    return found.key if found else None


def _store_discharges(
    session: Session, doc: Document, extraction: Extraction, force: Force | None, cycle: Cycle | None
) -> None:
    """Store the document's discharge statements; the linker ties each to its finding."""
    for pos, d in enumerate(extraction.discharges):
        session.add(
            Discharge(
                document_id=doc.id,
                finding_id=None,
                position=pos,
                status=d.status,
                finding_type=d.finding_type,
                text=d.text,
                evidence=d.evidence,
                start=d.start,
                end=d.end,
                names=d.names,
                referent=d.referent,
            )
        )


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
    from peelwatch.extract.kind import is_confident

    confidence = extraction.reasons.get("kind_confidence")
    provisional = confidence is not None and not is_confident(confidence)
    session.execute(
        update(Document)
        .where(Document.id == document_id)
        .values(
            kind_reason=extraction.reasons.get("kind"), kind_confidence=confidence, provisional=provisional
        )
    )
    return provisional
