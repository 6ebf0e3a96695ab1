"""Small documents built by hand (text and extraction), so linking tests do not depend on the extractor."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from peelwatch.extract.model import Discharge, Extraction, Finding, Judgment
from peelwatch.link import link_document, link_documents
from peelwatch.store.models import LinkSignature
from peelwatch.store.repository import store_extraction


@dataclass
class Doc:
    """A document: its force, cycle and kind, and what it states, in order."""

    name: str
    force: str
    cycle: str | None
    kind: str = "inspection_report"
    findings: list[tuple[str, str]] = field(default_factory=list)  # (type, words)
    grades: list[tuple[str, str]] = field(default_factory=list)  # (subject, grade)
    discharges: list[tuple[str, str]] = field(default_factory=list)  # (status, words)
    section: str | None = None

    def build(self) -> tuple[str, Extraction]:
        parts = [f"{self.name}: {self.force} {self.cycle or ''}"]
        parts += [f"{s}: {g}" for s, g in self.grades]
        if self.section:
            parts.append(self.section)
        parts += [w for _t, w in self.findings]
        parts += [w for _s, w in self.discharges]
        text = "\n\n".join(parts) + "\n"

        def span(words: str) -> tuple[int, int]:
            start = text.index(words)
            return start, start + len(words)

        ext = Extraction(
            source=self.name, kind=self.kind, force=self.force, cycle=self.cycle, title=self.name
        )
        for subject, grade in self.grades:
            s, e = span(f"{subject}: {grade}")
            ext.judgments.append(
                Judgment("area", subject, grade, f"{subject}: {grade}", s, e, key=_key(subject))  # type: ignore[arg-type]
            )
        for type_, words in self.findings:
            s, e = span(words)
            ext.findings.append(Finding(type_, words, words, s, e, section=self.section))  # type: ignore[arg-type]
        for status, words in self.discharges:
            s, e = span(words)
            ext.discharges.append(Discharge(status, words, words, s, e, finding_type="area_for_improvement"))  # type: ignore[arg-type]
        return text, ext


def _key(subject: str) -> str | None:
    from peelwatch.extract.subjects import classify

    return classify(subject, None)[1]


def _store(session, doc: Doc) -> int:
    text, ext = doc.build()
    stored = store_extraction(
        session,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        extraction=ext,
        source=doc.name,
    )
    return stored.document_id


def put(store, doc: Doc) -> int:
    """Store and link one document in one transaction, as ingest does; return its id."""
    with store.write() as session:
        document_id = _store(session, doc)
        link_document(session, document_id)
        return document_id


def put_all(store, docs: list[Doc]) -> list[int]:
    """Store documents and link them together in one pass, in one transaction, as ingest does
    with a batch; return their ids."""
    with store.write() as session:
        ids = [_store(session, doc) for doc in docs]
        link_documents(session, ids)
    return ids


@contextmanager
def indexed(store, docs: list[Doc]) -> Iterator[tuple[Any, list[LinkSignature]]]:
    """Store and link ``docs`` one by one, then read: the session and every link index entry
    (there is at least one)."""
    for doc in docs:
        put(store, doc)
    with store.read() as session:
        entries = list(session.scalars(select(LinkSignature)))
        assert entries
        yield session, entries
