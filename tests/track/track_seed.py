"""Small records for the tracking tests, stored through the store's own write path.

Texts are short and written for these tests; extractions are spelled out so the tests pin the
tracker, not the extractor.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from peelwatch.extract.model import Discharge, Extraction, Finding
from peelwatch.store.engine import Store
from peelwatch.store.models import Finding as FindingRow
from peelwatch.store.repository import store_extraction

AFI_CALLS = "The force should answer emergency calls within the national target time."
AFI_CUSTODY = "The force should make sure detainees see a custody nurse promptly."
COC_CHILDREN = "The force does not find missing children quickly enough."


def store_doc(
    store: Store,
    *,
    kind: str,
    force: str = "Kent Police",
    cycle: str = "2023–25",
    published: str | None,
    title: str,
    findings: tuple[tuple[str, str], ...] = (),
    discharges: tuple[str, ...] = (),
    salt: str = "",
) -> int:
    """Store one document; ``findings`` are (type, text) pairs, ``discharges`` sentences."""
    body = "\n\n".join([title, *(t for _, t in findings), *discharges, salt])
    ex = Extraction(
        source=f"{title}.txt", kind=kind, force=force, cycle=cycle, title=title, published=published
    )
    for type_, text in findings:
        start = body.index(text)
        ex.findings.append(Finding(type=type_, text=text, evidence=text, start=start, end=start + len(text)))  # type: ignore[arg-type]
    for sentence in discharges:
        start = body.index(sentence)
        ex.discharges.append(
            Discharge(
                status="discharged", text=sentence, evidence=sentence, start=start, end=start + len(sentence)
            )
        )
    with store.write() as session:
        stored = store_extraction(
            session,
            content_hash=hashlib.sha256(body.encode()).hexdigest(),
            text=body,
            extraction=ex,
            source=ex.source,
        )
        return stored.document_id


def report_with_findings(
    store: Store, *, force: str = "Kent Police", published: str | None = "2025-03-14"
) -> tuple[int, list[int]]:
    """An inspection report with two areas for improvement and a cause of concern; its finding ids."""
    doc = store_doc(
        store,
        kind="inspection_report",
        force=force,
        published=published,
        title=f"PEEL 2023–25: an inspection of {force}",
        findings=(
            ("area_for_improvement", AFI_CALLS),
            ("area_for_improvement", AFI_CUSTODY),
            ("cause_of_concern", COC_CHILDREN),
        ),
        salt=force,
    )
    with store.read() as session:
        ids = list(
            session.scalars(
                select(FindingRow.id).where(FindingRow.source_document_id == doc).order_by(FindingRow.id)
            )
        )
    return doc, ids
