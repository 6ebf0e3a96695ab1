"""Corrections by people, kept apart from what the extractor found.

An editor can correct a document's kind, force, cycle, title or date, a judgment's grade or
subject, a finding's type or text; hide a wrong fact; or add a finding the extractor missed.

Each correction is a row of its own (``correction``) holding the extracted value it replaced,
the corrected value, who made it and when. The value is also written through to the fact's own
row, so every page, list, export and deadline reads the corrected record without a join.

A correction is anchored to where its fact stands in the document (the span of the judgment or
the finding's mention). When a document's facts are stored again by a better extractor, the
fact ids change: :func:`reapply` finds each correction's fact again by that anchor and writes
the value through once more, so a correction is never lost to re-extraction. A correction whose
fact the new extraction no longer states is kept and reported as detached, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from peelwatch.errors import CorrectionError, NotFoundError, UnknownNameError
from peelwatch.link import is_authoritative_kind, normalise
from peelwatch.store.models import (
    Correction,
    Cycle,
    Document,
    Finding,
    FindingMention,
    Force,
    Judgment,
    Response,
    SearchEntry,
)
from peelwatch.store.names import load_framework_or_none, resolve_cycle, resolve_force
from peelwatch.track.audit import Actor, record

# What may be corrected, per kind of fact. "hidden" takes true/false.
FIELDS: dict[str, tuple[str, ...]] = {
    "document": ("kind", "force", "cycle", "title", "published"),
    "judgment": ("grade", "subject", "hidden"),
    "finding": ("type", "text", "hidden"),
    "response": ("hidden",),
}
DOCUMENT_KINDS = ("inspection_report", "pcc_response", "force_statement", "news", "other")
FINDING_TYPES = ("area_for_improvement", "cause_of_concern", "recommendation")
ADDED = "added"  # the field name of a correction that added a finding the extractor missed
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class CorrectionInfo:
    """A correction as the pages, the API and exports show it."""

    id: int
    entity: str
    entity_id: int | None
    document_id: int | None
    field: str
    original: Any
    value: Any
    note: str
    actor: str
    at: datetime
    active: bool
    detached: bool


def _info(row: Correction) -> CorrectionInfo:
    return CorrectionInfo(
        id=row.id,
        entity=row.entity,
        entity_id=row.entity_id,
        document_id=row.document_id,
        field=row.field,
        original=row.original,
        value=row.value,
        note=row.note or "",
        actor=row.actor,
        at=row.at,
        active=row.active,
        detached=row.entity_id is None and row.entity != "document",
    )


def _check_field(entity: str, field: str) -> None:
    if entity not in FIELDS:
        raise CorrectionError(f"cannot correct a {entity!r}; facts are {', '.join(FIELDS)}")
    if field not in FIELDS[entity]:
        raise CorrectionError(
            f"a {entity}'s {field!r} cannot be corrected; fields are {', '.join(FIELDS[entity])}"
        )


def _row(session: Session, entity: str, entity_id: int) -> Any:
    model = {"document": Document, "judgment": Judgment, "finding": Finding, "response": Response}[entity]
    row = session.get(model, entity_id)
    if row is None:
        raise NotFoundError(f"no {entity} {entity_id}")
    return row


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "hide", "hidden"):
        return True
    if text in ("false", "no", "0", "show", "shown"):
        return False
    raise CorrectionError(f"hidden takes true or false, not {value!r}")


# ---------------------------------------------------------------- reading and writing a field


def _current(session: Session, entity: str, row: Any, field: str) -> Any:
    """The value a field has now, in the form a correction stores (names, not ids)."""
    if entity == "document" and field == "force":
        return row.force.slug if row.force else None
    if entity == "document" and field == "cycle":
        return row.cycle.label if row.cycle else None
    if entity == "judgment" and field == "subject":
        return {"subject": row.subject, "area_key": row.area_key}
    return getattr(row, field)


def _normalise_value(session: Session, entity: str, row: Any, field: str, value: Any) -> Any:
    """The value checked against the framework and put in its stored form."""
    fw = load_framework_or_none()
    if field == "hidden":
        return _as_bool(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CorrectionError(f"a {entity}'s {field} cannot be corrected to nothing")
    text = str(value).strip()
    try:
        if entity == "document":
            if field == "kind":
                if text not in DOCUMENT_KINDS:
                    raise CorrectionError(f"unknown kind {text!r}; kinds are {', '.join(DOCUMENT_KINDS)}")
                return text
            if field == "force":
                return resolve_force(session, text, fw).slug
            if field == "cycle":
                return resolve_cycle(session, text, fw).label
            if field == "published":
                if not _ISO_DATE.match(text):
                    raise CorrectionError(f"a date is written YYYY-MM-DD, not {text!r}")
                date.fromisoformat(text)
                return text
            return text
        if entity == "judgment" and field == "grade":
            grade = fw.grade(text) if fw is not None else None
            if fw is not None and grade is None:
                raise CorrectionError(
                    f"{text!r} is not a grade; grades are {', '.join(g.value for g in fw.grades)}"
                )
            return grade.value if grade is not None else text.lower()
        if entity == "judgment" and field == "subject":
            subject = fw.match_subject(text) if fw is not None else None
            if subject is None:
                return {"subject": text, "area_key": None}
            return {"subject": subject.name, "area_key": subject.key}
        if entity == "finding" and field == "type":
            wanted = text.lower().replace(" ", "_")
            wanted = {"afi": "area_for_improvement", "coc": "cause_of_concern"}.get(wanted, wanted)
            if wanted not in FINDING_TYPES:
                raise CorrectionError(f"unknown finding type {text!r}; types are {', '.join(FINDING_TYPES)}")
            return wanted
        return text
    except UnknownNameError as exc:
        raise CorrectionError(str(exc)) from exc
    except ValueError as exc:
        raise CorrectionError(f"{text!r} is not a date") from exc


def _write_through(session: Session, entity: str, row: Any, field: str, value: Any) -> None:
    """Put a value onto the fact's own row, and onto what copies it (judgments, search entries)."""
    writer = _WRITERS.get((entity, field))
    if writer is not None:
        writer(session, row, value)
    else:
        setattr(row, field, value)
    if field in ("text", "type", "hidden", "grade", "subject") and entity in ("finding", "judgment"):
        _sync_search(session, entity, row)


def _set_kind(session: Session, doc: Document, kind: str) -> None:
    doc.kind = kind
    # A person decided the kind: it is no longer a guess held out of the matrix.
    doc.provisional = False
    authoritative = is_authoritative_kind(kind)
    for judgment in session.scalars(select(Judgment).where(Judgment.document_id == doc.id)):
        judgment.claim = not authoritative
    for finding in session.scalars(select(Finding).where(Finding.source_document_id == doc.id)):
        finding.authoritative = authoritative


def _set_force(session: Session, doc: Document, slug: str) -> None:
    force = session.scalar(select(Force).where(Force.slug == slug))
    old = doc.force_id
    doc.force_id = force.id if force else None
    _move(session, doc, "force_id", old, doc.force_id)


def _set_cycle(session: Session, doc: Document, label: str) -> None:
    cycle = session.scalar(select(Cycle).where(Cycle.label == label))
    old = doc.cycle_id
    doc.cycle_id = cycle.id if cycle else None
    _move(session, doc, "cycle_id", old, doc.cycle_id)


def _move(session: Session, doc: Document, column: str, old: int | None, new: int | None) -> None:
    """Carry a document's new force or cycle to the facts that took it from the document.

    A judgment of an earlier cycle stated in this document keeps its own cycle; a finding also
    stated by other documents keeps its force and cycle (they agree with those documents).
    """
    for judgment in session.scalars(select(Judgment).where(Judgment.document_id == doc.id)):
        if getattr(judgment, column) == old:
            setattr(judgment, column, new)
    for finding in session.scalars(select(Finding).where(Finding.source_document_id == doc.id)):
        others = session.scalar(
            select(FindingMention.id)
            .where(FindingMention.finding_id == finding.id, FindingMention.document_id != doc.id)
            .limit(1)
        )
        if others is None and getattr(finding, column) == old:
            setattr(finding, column, new)
            # a finding's search entry names no document, so the loop below cannot reach it,
            # and the search's force and cycle filters read the entry
            session.execute(
                update(SearchEntry)
                .where(SearchEntry.kind == "finding", SearchEntry.ref_id == finding.id)
                .values({column: new})
            )
    for entry in session.scalars(select(SearchEntry).where(SearchEntry.document_id == doc.id)):
        if getattr(entry, column) == old:
            setattr(entry, column, new)


def _set_subject(_session: Session, judgment: Judgment, value: dict[str, Any]) -> None:
    judgment.subject = value["subject"]
    judgment.area_key = value.get("area_key")


def _set_finding_text(_session: Session, finding: Finding, text: str) -> None:
    finding.text = text
    finding.norm_text = normalise(text)


def _sync_search(session: Session, entity: str, row: Any) -> None:
    """A hidden fact leaves the search index; a shown or corrected one is indexed as it now reads."""
    entry = session.scalar(
        select(SearchEntry).where(SearchEntry.kind == entity, SearchEntry.ref_id == row.id)
    )
    if row.hidden:
        if entry is not None:
            session.delete(entry)
        return
    if entry is None:
        entry = SearchEntry(
            kind=entity,
            ref_id=row.id,
            force_id=row.force_id,
            cycle_id=row.cycle_id,
            document_id=row.document_id if entity == "judgment" else None,
        )
        session.add(entry)
    if entity == "finding":
        entry.title = entry.title or row.type.replace("_", " ").capitalize()
        entry.body = row.text
    else:
        entry.title = f"{row.subject}: {row.grade}"
        entry.body = row.evidence or row.subject


_WRITERS: dict[tuple[str, str], Callable[[Session, Any, Any], None]] = {
    ("document", "kind"): _set_kind,
    ("document", "force"): _set_force,
    ("document", "cycle"): _set_cycle,
    ("judgment", "subject"): _set_subject,
    ("finding", "text"): _set_finding_text,
}


# ---------------------------------------------------------------- anchors


def _anchor(session: Session, entity: str, row: Any) -> tuple[int | None, int, int, str]:
    """Where the fact stands: its document and span there, and the words of that span."""
    if entity == "document":
        return row.id, 0, 0, ""
    if entity in ("judgment", "response"):
        return row.document_id, row.start, row.end, row.evidence or ""
    mention = session.scalar(
        select(FindingMention)
        .where(FindingMention.finding_id == row.id)
        .order_by(FindingMention.document_id == row.source_document_id, FindingMention.id)
        .limit(1)
    )
    if mention is None:
        return row.source_document_id, 0, 0, row.text
    return mention.document_id, mention.start, mention.end, mention.evidence or mention.text


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _find_again(session: Session, correction: Correction) -> int | None:
    """The id of the fact a correction was made on, found by its anchor in a fresh extraction."""
    if correction.entity == "document" or correction.document_id is None:
        return correction.document_id
    if (
        correction.entity == "finding"
        and correction.entity_id is not None
        and session.get(Finding, correction.entity_id) is not None
    ):
        # A finding is canonical, not the document's: re-extraction keeps its id (it holds the
        # tracking), so the finding itself is the fact, wherever the new extraction puts it.
        return correction.entity_id
    span = (correction.anchor_start, correction.anchor_end)
    if correction.entity == "finding":
        rows = session.execute(
            select(
                FindingMention.finding_id, FindingMention.start, FindingMention.end, FindingMention.evidence
            ).where(FindingMention.document_id == correction.document_id)
        ).all()
    else:
        model = Judgment if correction.entity == "judgment" else Response
        rows = session.execute(
            select(model.id, model.start, model.end, model.evidence).where(
                model.document_id == correction.document_id
            )
        ).all()
    best: tuple[int, int] | None = None
    for fact_id, start, end, evidence in rows:
        score = _overlap(span, (start, end))
        if score == 0 and evidence and evidence == correction.anchor_text:
            score = 1
        if score and (best is None or score > best[1]):
            best = (fact_id, score)
    return best[0] if best else None


# ---------------------------------------------------------------- public functions


def correct(
    session: Session,
    actor: Actor,
    entity: str,
    entity_id: int,
    field: str,
    value: Any,
    *,
    note: str = "",
) -> CorrectionInfo:
    """Correct one field of one fact; the extracted value is kept beside the correction.

    Needs the editor role. A later correction of the same field replaces the earlier one (which
    stays in the history, inactive). Raises :class:`CorrectionError` for an unknown fact, field
    or value.
    """
    actor.require("editor")
    _check_field(entity, field)
    row = _row(session, entity, entity_id)
    new = _normalise_value(session, entity, row, field, value)
    before = _current(session, entity, row, field)
    earlier = _active(session, entity, entity_id, field)
    original = earlier.original if earlier is not None else before
    if earlier is not None:
        earlier.active = False
    document_id, start, end, words = _anchor(session, entity, row)
    correction = Correction(
        entity=entity,
        entity_id=entity_id,
        document_id=document_id,
        field=field,
        original=original,
        value=new,
        note=note,
        user_id=actor.user_id,
        actor=actor.name,
        active=True,
        anchor_start=start,
        anchor_end=end,
        anchor_text=words[:2000],
    )
    session.add(correction)
    _write_through(session, entity, row, field, new)
    session.flush()
    record(
        session,
        actor,
        action="correct",
        entity=entity,
        entity_id=entity_id,
        before={field: before},
        after={field: new, "note": note} if note else {field: new},
    )
    return _info(correction)


def revert(session: Session, actor: Actor, correction_id: int, *, note: str = "") -> CorrectionInfo:
    """Take a correction back: the extracted value returns to the fact's row."""
    actor.require("editor")
    correction = session.get(Correction, correction_id)
    if correction is None:
        raise NotFoundError(f"no correction {correction_id}")
    if not correction.active:
        raise CorrectionError(f"correction {correction_id} is not in force")
    correction.active = False
    if correction.field == ADDED:
        finding = session.get(Finding, correction.entity_id) if correction.entity_id else None
        if finding is not None:
            finding.hidden = True
            _sync_search(session, "finding", finding)
    elif correction.entity_id is not None:
        row = _row(session, correction.entity, correction.entity_id)
        _write_through(session, correction.entity, row, correction.field, correction.original)
    record(
        session,
        actor,
        action="revert",
        entity=correction.entity,
        entity_id=correction.entity_id,
        before={correction.field: correction.value},
        after={correction.field: correction.original, "note": note},
    )
    session.flush()
    return _info(correction)


def add_finding(
    session: Session,
    actor: Actor,
    document_id: int,
    finding_type: str,
    text: str,
    *,
    ref: str | None = None,
    note: str = "",
) -> CorrectionInfo:
    """Add a finding the extractor missed, as a finding of the document's force and cycle.

    When the words stand in the document they become its mention (with their span), so the
    finding page can show them in place.
    """
    actor.require("editor")
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFoundError(f"no document {document_id}")
    ftype = _normalise_value(session, "finding", None, "type", finding_type)
    words = text.strip()
    if not words:
        raise CorrectionError("a finding needs its text")
    finding = Finding(
        force_id=doc.force_id,
        cycle_id=doc.cycle_id,
        type=ftype,
        ref=ref,
        text=words,
        norm_text=normalise(words),
        authoritative=is_authoritative_kind(doc.kind),
        source_document_id=doc.id,
        status="open",
    )
    session.add(finding)
    session.flush()
    start = doc.text.find(words)
    if start >= 0:
        position = 1 + max(
            session.scalars(select(FindingMention.position).where(FindingMention.document_id == doc.id)),
            default=-1,
        )
        session.add(
            FindingMention(
                finding_id=finding.id,
                document_id=doc.id,
                position=position,
                ref=ref,
                type=ftype,
                text=words,
                evidence=words,
                start=start,
                end=start + len(words),
            )
        )
    session.add(
        SearchEntry(
            kind="finding",
            ref_id=finding.id,
            document_id=None,
            force_id=finding.force_id,
            cycle_id=finding.cycle_id,
            title=f"{ftype.replace('_', ' ')} (added)",
            body=words,
        )
    )
    correction = Correction(
        entity="finding",
        entity_id=finding.id,
        document_id=doc.id,
        field=ADDED,
        original=None,
        value={"type": ftype, "text": words, "ref": ref},
        note=note,
        user_id=actor.user_id,
        actor=actor.name,
        active=True,
        anchor_start=max(start, 0),
        anchor_end=max(start, 0) + len(words) if start >= 0 else 0,
        anchor_text=words[:2000],
    )
    session.add(correction)
    session.flush()
    record(
        session,
        actor,
        action="add",
        entity="finding",
        entity_id=finding.id,
        before=None,
        after={"type": ftype, "text": words, "document": doc.id},
    )
    return _info(correction)


def _active(session: Session, entity: str, entity_id: int, field: str) -> Correction | None:
    return session.scalar(
        select(Correction).where(
            Correction.entity == entity,
            Correction.entity_id == entity_id,
            Correction.field == field,
            Correction.active.is_(True),
        )
    )


def corrections_for(session: Session, entity: str, ids: Iterable[int]) -> dict[int, list[CorrectionInfo]]:
    """The corrections in force on the given facts, by fact id (for "corrected by … on …")."""
    wanted = list(ids)
    if not wanted:
        return {}
    found: dict[int, list[CorrectionInfo]] = {}
    rows = session.scalars(
        select(Correction)
        .where(Correction.entity == entity, Correction.entity_id.in_(wanted), Correction.active.is_(True))
        .order_by(Correction.id)
    )
    for row in rows:
        found.setdefault(row.entity_id, []).append(_info(row))
    return found


# The columns a list of corrections can be sorted by (``-column`` for descending).
SORTS: dict[str, Any] = {
    "id": Correction.id,
    "at": Correction.at,
    "entity": Correction.entity,
    "field": Correction.field,
    "actor": Correction.actor,
    "document_id": Correction.document_id,
}


@dataclass(frozen=True)
class CorrectionsPage:
    """One page of corrections and how many match in all."""

    items: list[CorrectionInfo]
    total: int
    limit: int
    offset: int


def list_corrections(
    session: Session,
    *,
    document_id: int | None = None,
    entity: str | None = None,
    active_only: bool = False,
    limit: int = 1000,
    offset: int = 0,
    sort: str | None = None,
) -> list[CorrectionInfo]:
    """Every correction, newest first (or by ``sort``), optionally of one document or one kind of fact."""
    return corrections_page(
        session,
        document_id=document_id,
        entity=entity,
        active_only=active_only,
        limit=limit,
        offset=offset,
        sort=sort,
    ).items


def corrections_page(
    session: Session,
    *,
    document_id: int | None = None,
    entity: str | None = None,
    active_only: bool = False,
    limit: int = 50,
    offset: int = 0,
    sort: str | None = None,
) -> CorrectionsPage:
    """One page of corrections with the total; ``sort`` is a key of :data:`SORTS`, ``-key`` descending."""
    if entity is not None and entity not in FIELDS:
        raise CorrectionError(f"no such kind of fact {entity!r}; facts are {', '.join(FIELDS)}")
    conditions = []
    if document_id is not None:
        conditions.append(Correction.document_id == document_id)
    if entity is not None:
        conditions.append(Correction.entity == entity)
    if active_only:
        conditions.append(Correction.active.is_(True))
    order = [Correction.id.desc()]
    if sort:
        column = SORTS.get(sort.lstrip("-"))
        if column is None:
            raise CorrectionError(f"cannot sort corrections by {sort!r}; use one of {', '.join(SORTS)}")
        order = [column.desc() if sort.startswith("-") else column.asc(), Correction.id.desc()]
    total = session.scalar(select(func.count()).select_from(Correction).where(*conditions)) or 0
    rows = session.scalars(select(Correction).where(*conditions).order_by(*order).limit(limit).offset(offset))
    return CorrectionsPage([_info(row) for row in rows], total, limit, offset)


def reapply(session: Session, document_id: int) -> list[CorrectionInfo]:
    """Write every correction of a document through again after its facts were stored anew.

    Each correction finds its fact by its anchor (the span it stood at); one whose fact is gone
    is kept, detached, and returned so that the caller can say so.
    """
    detached: list[CorrectionInfo] = []
    rows = list(
        session.scalars(
            select(Correction)
            .where(Correction.document_id == document_id, Correction.active.is_(True))
            .order_by(Correction.id)
        )
    )
    for correction in rows:
        if correction.field == ADDED:
            continue  # an added finding is not the extractor's: storing the document again keeps it
        fact_id = _find_again(session, correction)
        correction.entity_id = fact_id
        if fact_id is None:
            detached.append(_info(correction))
            continue
        row = _row(session, correction.entity, fact_id)
        _write_through(session, correction.entity, row, correction.field, correction.value)
    session.flush()
    return detached
