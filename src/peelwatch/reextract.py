"""Re-extraction: a stored document read again by the current extractor, its facts replaced.

Storing the same bytes again changes nothing (a document is its bytes). When the extractor
improves, :func:`reextract` reads each stored document again, from its stored text or from its
own file, and :func:`replace_extraction` replaces the document's facts (judgments, finding
mentions, responses, discharge statements, statistics) with the new extraction in the caller's
transaction, losing nothing people added:

* a canonical finding keeps its id when the new extraction states it again, in the same or
  slightly different words (or at the same place in the text), so its owner, actions, status
  decisions, links and corrections stay with it; the document's wording becomes its text again
  when the document is its source;
* a finding the document no longer states is deleted only when nothing holds it: no other
  document states or answers it and it has no owner, due date, action, status set by a person,
  rejected link or correction; otherwise it is *retained*;
* every correction in force is written through again (:func:`peelwatch.track.corrections.reapply`);
  one whose fact the document no longer states is reported as *orphaned*, never dropped;
* a kind a person confirmed stays confirmed while the new extraction gives the same kind;
* the document is linked again, then the statuses it states are withdrawn and applied again
  from its new statements (after the corrections, so a corrected date dates them).

The new facts are first stored by the one write path of ingest
(:func:`~peelwatch.store.repository.store_extraction`) under a scratch document that exists
only inside the transaction, then moved onto the document: the new extraction is stored and
matched to the record exactly as an ingest would, and the document keeps its id, its bytes'
identity and everything that points at it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session

from peelwatch.config import DEFAULT_MAX_BYTES
from peelwatch.errors import NotFoundError, PeelwatchError, ReadError, StoreError
from peelwatch.extract.budget import Worker
from peelwatch.extract.model import Extraction
from peelwatch.link.findings import CROSS_TYPE_THRESHOLD, MATCH_THRESHOLD, normalise, similarity
from peelwatch.link.linker import LinkIndex, link_document
from peelwatch.readers.model import Document as ReadDocument
from peelwatch.store.engine import Store
from peelwatch.store.models import (
    Action,
    Correction,
    Discharge,
    Document,
    Event,
    Finding,
    FindingMention,
    FindingStatusEvent,
    Judgment,
    Link,
    Response,
    SearchEntry,
    Statistic,
)
from peelwatch.store.repository import record_kind, store_extraction
from peelwatch.store.rows import get_row
from peelwatch.track.audit import Actor, record
from peelwatch.track.corrections import ADDED, CorrectionInfo, corrections_for, reapply
from peelwatch.track.from_documents import apply_document_statuses

__all__ = [
    "STORED_TEXT",
    "ReextractError",
    "ReextractFailure",
    "ReextractReport",
    "ReextractResult",
    "Reread",
    "reextract",
    "replace_extraction",
    "reread",
]

STORED_TEXT = "stored text"
# The facts a document states, counted before and after (the keys of ReextractResult.before).
FACT_MODELS: dict[str, Any] = {
    "judgments": Judgment,
    "mentions": FindingMention,
    "responses": Response,
    "discharges": Discharge,
    "statistics": Statistic,
}
# Two mentions at the same place in an unchanged text are the same finding when they share this
# much of the shorter span, whatever their words: a better extractor that now takes the whole
# sentence, or calls it a recommendation, still speaks of the finding people track.
SAME_PLACE = 0.5


class ReextractError(PeelwatchError):
    """A re-extraction that cannot be made as asked (a file that is not the document's bytes)."""


@dataclass(frozen=True)
class Reread:
    """A stored document read and extracted again, ready to replace its facts."""

    document_id: int
    text: str
    reader: str | None
    extraction: Extraction
    read_from: str  # STORED_TEXT or the file's path


@dataclass(frozen=True)
class ReextractResult:
    """What replacing one document's extraction changed."""

    document_id: int
    read_from: str
    before: dict[str, int]
    after: dict[str, int]
    findings_added: int  # findings the document states now and did not before
    findings_kept: int  # findings it states again, under the same id
    findings_removed: int  # findings no longer stated and held by nothing: deleted
    findings_retained: int  # findings no longer stated, kept for their tracking or other documents
    status_events: int  # status events the document states, after re-applying them
    corrections_reapplied: int
    orphaned: list[CorrectionInfo] = field(default_factory=list)


@dataclass(frozen=True)
class ReextractFailure:
    """A document that could not be read or extracted again (its facts are unchanged)."""

    document_id: int
    reason: str


@dataclass(frozen=True)
class ReextractReport:
    """The results of one run, in the order of the documents, and the failures."""

    results: list[ReextractResult]
    failed: list[ReextractFailure]


Progress = Callable[[int, int, int], None]  # (done, total, document id)


# ---------------------------------------------------------------- reading again


@dataclass(frozen=True)
class _Stored:
    """What reading a stored document again needs from the store (it crosses to a worker process)."""

    document_id: int
    text: str
    source: str | None
    content_hash: str
    reader: str | None


def _stored(session: Session, document_id: int) -> _Stored:
    doc = get_row(session, Document, document_id)
    if doc is None:
        raise NotFoundError(f"there is no document {document_id}")
    return _Stored(doc.id, doc.text, doc.source, doc.content_hash, doc.reader)


def _stored_text_document(stored: _Stored) -> ReadDocument:
    """The stored text as a reader's document: its spans are the stored facts' spans."""
    from peelwatch.readers.text import find_blocks

    blocks = find_blocks(stored.text)
    title = next((stored.text[b.start : b.end] for b in blocks if b.kind == "heading"), None)
    return ReadDocument(text=stored.text, format="text", blocks=blocks, source=stored.source, title=title)


def _file_document(stored: _Stored, source: Path, max_bytes: int) -> ReadDocument:
    from peelwatch.readers import path_problem, read_bytes

    problem = path_problem(source, max_bytes)
    if problem is not None:
        raise problem
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != stored.content_hash:
        raise ReextractError(
            f"{source} is not the file of document {stored.document_id} (its bytes differ); "
            "ingest it to store it as a document of its own"
        )
    return read_bytes(data, str(source), max_bytes=max_bytes)


def _own_file(stored: _Stored) -> str | None:
    """The file the document was ingested from, when it is still there with the same bytes."""
    if not stored.source:
        return None
    path = Path(stored.source)
    try:
        if not path.is_file():
            return None
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except (OSError, ValueError):  # unreadable, or a name the system cannot look up
        return None
    return stored.source if digest.hexdigest() == stored.content_hash else None


def _extract_again(stored: _Stored, source: str | None, max_bytes: int) -> Reread:
    from peelwatch.extract import extract_with_reader_meta

    read = (
        _stored_text_document(stored) if source is None else _file_document(stored, Path(source), max_bytes)
    )
    extraction = extract_with_reader_meta(read)
    return Reread(
        document_id=stored.document_id,
        text=read.text,
        reader=stored.reader if source is None else read.format,
        extraction=extraction,
        read_from=STORED_TEXT if source is None else source,
    )


def reread(
    session: Session,
    document_id: int,
    *,
    source: str | Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Reread:
    """Extract a stored document again with the current extractor, in this process.

    From its stored text, or from ``source``, which must be the document's own file (the same
    bytes); a new reader may then give a better text. Raises :class:`NotFoundError`,
    :class:`ReextractError` for a file of other bytes, and a ``ReadError`` for a file it cannot read.
    """
    return _extract_again(_stored(session, document_id), None if source is None else str(source), max_bytes)


# ---------------------------------------------------------------- replacing the facts


class _Said(NamedTuple):
    """How a document stated a finding: normalised words, type and span."""

    norm: str
    type: str
    start: int
    end: int


def _fact_counts(session: Session, document_id: int) -> dict[str, int]:
    return {
        name: session.scalar(select(func.count()).select_from(model).where(model.document_id == document_id))
        or 0
        for name, model in FACT_MODELS.items()
    }


def _mentioned(session: Session, document_id: int) -> set[int]:
    return set(
        session.scalars(select(FindingMention.finding_id).where(FindingMention.document_id == document_id))
    )


def _said(session: Session, document_id: int) -> dict[int, list[_Said]]:
    """Each finding the document states, with the words it was extracted with (not corrected ones)."""
    said: dict[int, list[_Said]] = {}
    rows = session.execute(
        select(
            FindingMention.finding_id,
            FindingMention.text,
            FindingMention.type,
            FindingMention.start,
            FindingMention.end,
            Finding.norm_text,
        )
        .join(Finding, Finding.id == FindingMention.finding_id)
        .where(FindingMention.document_id == document_id)
    )
    for finding_id, text, type_, start, end, canonical in rows:
        said.setdefault(finding_id, []).append(_Said(normalise(text), type_, start, end))
        said[finding_id].append(_Said(canonical, type_, start, end))
    return said


def _likeness(new: _Said, old: list[_Said], same_text: bool) -> float:
    """How surely a new mention states an old finding, 0 when it does not."""
    best = 0.0
    for said in old:
        score = similarity(new.norm, said.norm)
        if score >= (MATCH_THRESHOLD if said.type == new.type else CROSS_TYPE_THRESHOLD):
            best = max(best, score)
        shorter = min(new.end - new.start, said.end - said.start)
        if same_text and shorter > 0:
            shared = min(new.end, said.end) - max(new.start, said.start)
            if shared / shorter >= SAME_PLACE:
                best = max(best, 100.0 * shared / shorter)
    return best


def _fold_new_into_old(
    session: Session, scratch_id: int, created: set[int], old: dict[int, list[_Said]], same_text: bool
) -> dict[int, str | None]:
    """Give the findings the new extraction created back the ids of the old ones they restate.

    The store matched what it could to the record; what is left are findings whose words changed
    more than a restatement's (a corrected text, a better cut) and that still stand where the old
    ones stood. Returns the area key each kept finding was given by the new extraction.
    """
    restated = _mentioned(session, scratch_id)
    open_old = {fid: said for fid, said in old.items() if fid not in restated}
    mentions = session.execute(
        select(FindingMention.finding_id, FindingMention.text, FindingMention.type, FindingMention.start,
               FindingMention.end)
        .where(FindingMention.document_id == scratch_id, FindingMention.finding_id.in_(created))
    ).all()  # fmt: skip
    pairs = sorted(
        (
            (score, new_id, old_id)
            for new_id, text, type_, start, end in mentions
            for old_id, said in open_old.items()
            if (score := _likeness(_Said(normalise(text), type_, start, end), said, same_text)) > 0
        ),
        reverse=True,
    )
    areas: dict[int, str | None] = {}
    taken: set[int] = set()
    for _score, new_id, old_id in pairs:
        if new_id in taken or old_id in areas:
            continue
        taken.add(new_id)
        fresh = session.get(Finding, new_id)
        areas[old_id] = fresh.area_key if fresh is not None else None
        session.execute(
            update(FindingMention).where(FindingMention.finding_id == new_id).values(finding_id=old_id)
        )
        session.execute(update(Response).where(Response.finding_id == new_id).values(finding_id=old_id))
        session.execute(
            delete(SearchEntry).where(SearchEntry.kind == "finding", SearchEntry.ref_id == new_id)
        )
        session.execute(delete(Finding).where(Finding.id == new_id))
    return areas


def _drop_facts(session: Session, document_id: int) -> None:
    """Delete the document's extracted facts (links of its discharge statements go with them)."""
    session.execute(
        delete(SearchEntry).where(SearchEntry.kind == "judgment", SearchEntry.document_id == document_id)
    )
    for model in FACT_MODELS.values():
        session.execute(delete(model).where(model.document_id == document_id))


def _move_facts(session: Session, scratch_id: int, doc: Document) -> None:
    """Put the scratch document's facts and what it decided onto the document."""
    for model in FACT_MODELS.values():
        session.execute(update(model).where(model.document_id == scratch_id).values(document_id=doc.id))
    session.execute(
        update(SearchEntry)
        .where(SearchEntry.document_id == scratch_id, SearchEntry.kind != "document")
        .values(document_id=doc.id)
    )
    session.execute(
        update(Finding).where(Finding.source_document_id == scratch_id).values(source_document_id=doc.id)
    )
    scratch = session.get(Document, scratch_id)
    assert scratch is not None
    doc.kind, doc.force_id, doc.cycle_id = scratch.kind, scratch.force_id, scratch.cycle_id
    doc.title, doc.published, doc.warnings = scratch.title, scratch.published, list(scratch.warnings)
    doc.text, doc.reader = scratch.text, scratch.reader
    entry = session.scalar(
        select(SearchEntry).where(SearchEntry.kind == "document", SearchEntry.ref_id == doc.id)
    )
    fresh = session.scalar(
        select(SearchEntry).where(SearchEntry.kind == "document", SearchEntry.ref_id == scratch_id)
    )
    if entry is not None and fresh is not None:
        entry.force_id, entry.cycle_id = doc.force_id, doc.cycle_id
        entry.title, entry.body = fresh.title, fresh.body
    session.delete(scratch)  # its own search entry goes with it
    session.flush()


def _added_by_people(session: Session, document_id: int) -> dict[int, Correction]:
    rows = session.scalars(
        select(Correction).where(
            Correction.document_id == document_id,
            Correction.field == ADDED,
            Correction.active.is_(True),
            Correction.entity_id.is_not(None),
        )
    )
    return {row.entity_id: row for row in rows if row.entity_id is not None}


def _restore_added(session: Session, doc: Document, added: dict[int, Correction]) -> None:
    """Findings people added keep their place in the document when the extractor still misses them."""
    stated = _mentioned(session, doc.id)
    position = 1 + max(
        session.scalars(select(FindingMention.position).where(FindingMention.document_id == doc.id)),
        default=-1,
    )
    for finding_id, correction in added.items():
        finding = session.get(Finding, finding_id)
        if finding is None or finding_id in stated:
            continue
        words = correction.anchor_text
        start = correction.anchor_start
        if not words or doc.text[start : start + len(words)] != words:
            start = doc.text.find(words) if words else -1
        if start < 0:
            continue
        session.add(
            FindingMention(
                finding_id=finding_id,
                document_id=doc.id,
                position=position,
                ref=finding.ref,
                type=finding.type,
                text=words,
                evidence=words,
                start=start,
                end=start + len(words),
            )
        )
        position += 1
    session.flush()


def _stated_elsewhere(session: Session, finding_id: int, document_id: int) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    FindingMention.finding_id == finding_id, FindingMention.document_id != document_id
                )
                | exists().where(Response.finding_id == finding_id)
                | exists().where(Discharge.finding_id == finding_id)
            )
        )
    )


def _tracked(session: Session, finding: Finding) -> bool:
    """Whether people have put anything on the finding that deleting it would lose."""
    if finding.owner or finding.due_date:
        return True
    fid = finding.id
    return bool(
        session.scalar(
            select(
                exists().where(Action.finding_id == fid)
                | exists().where(FindingStatusEvent.finding_id == fid, FindingStatusEvent.source == "user")
                | exists().where(Correction.entity == "finding", Correction.entity_id == fid)
                | exists().where((Link.finding_id == fid) | (Link.other_id == fid), Link.rejected.is_(True))
            )
        )
    )


def _settle_unstated(session: Session, document_id: int, unstated: set[int]) -> tuple[list[int], list[int]]:
    """Delete the findings the document no longer states that nothing holds; return (removed, retained)."""
    removed: list[int] = []
    retained: list[int] = []
    for finding_id in sorted(unstated):
        finding = session.get(Finding, finding_id)
        if finding is None:
            continue
        if _stated_elsewhere(session, finding_id, document_id) or _tracked(session, finding):
            retained.append(finding_id)
            continue
        session.execute(
            delete(SearchEntry).where(SearchEntry.kind == "finding", SearchEntry.ref_id == finding_id)
        )
        session.delete(finding)
        removed.append(finding_id)
    session.flush()
    return removed, retained


def _refresh_canonical(
    session: Session, doc: Document, extraction: Extraction, areas: dict[int, str | None], added: set[int]
) -> None:
    """Findings whose source is this document read as its new extraction words them.

    Corrections are written through again afterwards, so a corrected text or type still wins; a
    finding a person added keeps that person's words.
    """
    rows = session.execute(
        select(FindingMention.finding_id, FindingMention.position).where(FindingMention.document_id == doc.id)
    ).all()
    for finding_id, position in rows:
        finding = session.get(Finding, finding_id)
        if finding is None or finding.source_document_id != doc.id or finding_id in added:
            continue
        if not 0 <= position < len(extraction.findings):
            continue
        said = extraction.findings[position]
        finding.text, finding.norm_text, finding.type = said.text, normalise(said.text), said.type
        finding.ref, finding.section = said.ref, said.section
        finding.area_key = said.key or areas.get(finding_id) or finding.area_key
        if not _stated_elsewhere(session, finding_id, doc.id):
            finding.force_id, finding.cycle_id = doc.force_id, doc.cycle_id
        entry = session.scalar(
            select(SearchEntry).where(SearchEntry.kind == "finding", SearchEntry.ref_id == finding_id)
        )
        if entry is not None:
            entry.body, entry.force_id, entry.cycle_id = finding.text, finding.force_id, finding.cycle_id
    session.flush()


def _confirmed_kind(session: Session, document_id: int) -> str | None:
    """The kind a person last confirmed the document to be (the audit trail keeps confirmations)."""
    detail = session.scalar(
        select(Event.detail)
        .where(Event.action == "confirm", Event.entity == "document", Event.entity_id == document_id)
        .order_by(Event.id.desc())
        .limit(1)
    )
    after = (detail or {}).get("after") or {}
    return after.get("kind")


def _reapply(session: Session, document_id: int, retained: list[int]) -> tuple[int, list[CorrectionInfo]]:
    """Write the document's corrections through again; return how many found their fact, and the orphans.

    An orphan is a correction whose fact the document no longer states: detached when the fact is
    gone, or still on a finding that is retained for its tracking.
    """
    in_force = session.scalar(
        select(func.count())
        .select_from(Correction)
        .where(Correction.document_id == document_id, Correction.active.is_(True), Correction.field != ADDED)
    )
    orphaned = list(reapply(session, document_id))
    for infos in corrections_for(session, "finding", retained).values():
        orphaned += [c for c in infos if c.document_id == document_id and c.field != ADDED]
    return (in_force or 0) - len(orphaned), sorted(orphaned, key=lambda c: c.id)


def replace_extraction(
    session: Session,
    actor: Actor,
    document_id: int,
    extraction: Extraction,
    *,
    text: str | None = None,
    reader: str | None = None,
    read_from: str = STORED_TEXT,
    index: LinkIndex | None = None,
) -> ReextractResult:
    """Replace a stored document's facts with ``extraction``, in the caller's transaction.

    ``text`` is the text the extraction's spans refer to (the stored text when ``None``);
    ``index`` the linker's run state when many documents are extracted again in a row. Keeps
    findings people track, re-applies the document's statuses and everyone's corrections (see the
    module's description), relinks the document and appends an audit record. Needs the editor role.
    """
    actor.require("editor")
    doc = get_row(session, Document, document_id)
    if doc is None:
        raise NotFoundError(f"there is no document {document_id}")
    session.flush()
    new_text = doc.text if text is None else text
    before = _fact_counts(session, doc.id)
    old = _said(session, doc.id)
    last_id = session.scalar(select(func.max(Finding.id))) or 0
    scratch = store_extraction(
        session,
        content_hash=f"reextract-{uuid.uuid4().hex}",
        text=new_text,
        extraction=extraction,
        source=doc.source,
        reader=reader or doc.reader,
        size=doc.size,
    )
    created = {fid for fid in _mentioned(session, scratch.document_id) if fid > last_id}
    areas = _fold_new_into_old(session, scratch.document_id, created, old, new_text == doc.text)
    _drop_facts(session, doc.id)
    _move_facts(session, scratch.document_id, doc)
    added = _added_by_people(session, doc.id)
    _restore_added(session, doc, added)
    stated = _mentioned(session, doc.id)
    _refresh_canonical(session, doc, extraction, areas, set(added))
    removed, retained = _settle_unstated(session, doc.id, set(old) - stated)
    record_kind(session, doc.id, extraction)
    # Corrections first: a corrected force, cycle or date decides what the document links to and
    # when the statuses it states took effect.
    reapplied, orphaned = _reapply(session, doc.id, retained)
    if doc.provisional and _confirmed_kind(session, doc.id) == doc.kind:
        doc.provisional = False  # a person confirmed this kind: a new guess does not undo that
    link_document(session, doc.id, index if index is not None else LinkIndex())
    apply_document_statuses(session, doc.id)
    session.flush()
    events = session.scalar(
        select(func.count())
        .select_from(FindingStatusEvent)
        .where(FindingStatusEvent.document_id == doc.id, FindingStatusEvent.source == "document")
    )
    result = ReextractResult(
        document_id=doc.id,
        read_from=read_from,
        before=before,
        after=_fact_counts(session, doc.id),
        findings_added=len(stated - set(old)),
        findings_kept=len(stated & set(old)),
        findings_removed=len(removed),
        findings_retained=len(retained),
        status_events=events or 0,
        corrections_reapplied=reapplied,
        orphaned=orphaned,
    )
    record(
        session,
        actor,
        action="reextract",
        entity="document",
        entity_id=doc.id,
        before=before,
        after={
            **result.after,
            "read_from": read_from,
            "findings_added": result.findings_added,
            "findings_kept": result.findings_kept,
            "findings_removed": removed,
            "findings_retained": retained,
            "corrections_reapplied": reapplied,
            "orphaned": [c.id for c in orphaned],
        },
    )
    for correction in orphaned:
        record(
            session,
            actor,
            action="correction_orphaned",
            entity=correction.entity,
            entity_id=correction.entity_id,
            before={correction.field: correction.value, "correction": correction.id},
            after={"document": doc.id, "detached": correction.detached},
        )
    return result


# ---------------------------------------------------------------- many documents


def _document_ids(store: Store, document_ids: Iterable[int] | None) -> list[int]:
    with store.read() as session:
        if document_ids is None:
            return list(session.scalars(select(Document.id).order_by(Document.id)))
        wanted = list(dict.fromkeys(document_ids))
        missing = [i for i in wanted if get_row(session, Document, i) is None]
    if missing:
        raise NotFoundError(f"there is no document {', '.join(map(str, missing))}")
    return wanted


def reextract(
    store: Store,
    actor: Actor,
    document_ids: Iterable[int] | None = None,
    *,
    source: str | Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    time_budget: float | None = None,
    own_files: bool = False,
    progress: Progress | None = None,
) -> ReextractReport:
    """Extract stored documents again and replace their facts, one transaction per document.

    ``document_ids`` ``None`` means every stored document. ``source`` is the file of the one
    document named (see :func:`reread`); ``own_files`` reads each document from the file it was
    ingested from when that is still there with the same bytes (its stored text otherwise).
    Extraction runs outside the write transaction, so the
    database is locked only while the facts are replaced; with a ``time_budget`` (seconds) it runs
    in a worker process stopped when one document takes longer. A document that cannot be read,
    extracted or stored again is reported in ``failed`` (its facts unchanged) and the others go
    on; an unknown id raises :class:`NotFoundError` before anything is written.
    """
    actor.require("editor")
    ids = _document_ids(store, document_ids)
    if source is not None and len(ids) != 1:
        raise ReextractError("a source file is the file of one document: name exactly one document id")
    results: list[ReextractResult] = []
    failed: list[ReextractFailure] = []
    index = LinkIndex()  # the linker's run state, kept across the run's documents
    with ExitStack() as stack:
        worker = stack.enter_context(Worker()) if time_budget is not None else None
        for done, document_id in enumerate(ids, start=1):
            try:
                with store.read() as session:
                    stored = _stored(session, document_id)
                path = str(source) if source is not None else (_own_file(stored) if own_files else None)
                if worker is None or time_budget is None:
                    again = _extract_again(stored, path, max_bytes)
                else:
                    name = path or f"document {document_id}"
                    again = worker.call(time_budget, name, _extract_again, stored, path, max_bytes)
                results.append(store.retry_locked(lambda again=again: _write(store, actor, again, index)))
            except (ReextractError, StoreError):
                raise  # a file that is not the document's, or a database that cannot be written
            except ReadError as exc:
                failed.append(ReextractFailure(document_id, exc.reason))
            except PeelwatchError as exc:
                failed.append(ReextractFailure(document_id, str(exc)))
            except Exception as exc:  # an extractor bug on one document must not stop the others
                failed.append(ReextractFailure(document_id, f"internal error: {type(exc).__name__}: {exc}"))
            if progress is not None:
                progress(done, len(ids), document_id)
    return ReextractReport(results, failed)


def _write(store: Store, actor: Actor, again: Reread, index: LinkIndex) -> ReextractResult:
    try:
        with store.write() as session:
            return replace_extraction(
                session,
                actor,
                again.document_id,
                again.extraction,
                text=again.text,
                reader=again.reader,
                read_from=again.read_from,
                index=index,
            )
    except Exception:
        index.clear()  # it may hold what the rolled-back transaction wrote
        raise
