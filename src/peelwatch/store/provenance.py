"""Which grades count, and where each came from.

The national matrix shows only grades from the inspectorate's own documents whose kind was
decided with confidence. A document whose kind was a guess (a one-line note that says "we
found") is stored and shown as ``provisional``: its grades wait until a person confirms it. Every
counted grade carries its source document (kind, title, date) so a page can say where it came
from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, bindparam, func, select, update

from peelwatch.errors import NotFoundError
from peelwatch.store.engine import Store
from peelwatch.store.models import Document, Judgment
from peelwatch.store.names import load_framework_or_none, resolve_cycle
from peelwatch.store.queries import GradeMatrix, _framework_subjects, build_matrix, matrix_statement

__all__ = [
    "CountedMatrix",
    "DocumentStanding",
    "GradeSource",
    "confirm_document",
    "counted_grade_matrix",
    "document_standing",
    "provisional_among",
    "sources_of",
]

INSPECTORATE = "inspection_report"


@dataclass(frozen=True, slots=True)
class GradeSource:
    """The document a grade was read from, as a person would name it."""

    document_id: int
    kind: str
    title: str | None
    published: str | None
    source: str | None


@dataclass(slots=True)
class CountedMatrix:
    """The grade matrix of one cycle from counted documents only, with each cell's source.

    ``held_out`` is how many inspectorate grades of the cycle wait on provisional documents, and
    ``held_out_documents`` which documents those are.
    """

    matrix: GradeMatrix
    sources: dict[int, GradeSource] = field(default_factory=dict)
    held_out: int = 0
    held_out_documents: list[int] = field(default_factory=list)


def counted_grade_matrix(store: Store, cycle: str) -> CountedMatrix:
    """Every force × the framework subjects graded in ``cycle``, as
    :func:`peelwatch.store.queries.grade_matrix` builds it, but only from documents that count:
    the inspectorate's own (kind ``inspection_report``) and not provisional. Claims from
    provisional documents are left out too. Each cell's source document is in ``sources``.
    """
    fw = load_framework_or_none()
    with store.read() as session:
        cyc = resolve_cycle(session, cycle, fw)
        matrix = build_matrix(
            session, cyc, _framework_subjects(fw, cyc.label), fills=_counts, statement=_COUNTED_JUDGMENTS
        )
        ids = {c.document_id for r in matrix.rows for c in r.cells.values() if c.document_id is not None}
        sources = _sources(session, ids)
        held = session.connection().execute(_HELD_OUT, {"cycle_id": cyc.id}).all()
        return CountedMatrix(
            matrix=matrix,
            sources=sources,
            held_out=sum(n for _, n in held),
            held_out_documents=[d for d, _ in held],
        )


def _counts(claim: bool, kind: str) -> bool:
    """Whether a judgment of a counted document fills a cell: the inspectorate's, not a claim."""
    return not claim and kind == INSPECTORATE


# The statements of every matrix request, built once: building them cost more than running them.
_COUNTED_JUDGMENTS = matrix_statement(Document.provisional.is_(False))
# Inspectorate grades of the cycle waiting on provisional documents, by document.
_HELD_OUT = (
    select(Judgment.document_id, func.count())
    .join(Document, Document.id == Judgment.document_id)
    .where(
        Judgment.cycle_id == bindparam("cycle_id", type_=Integer),
        Judgment.claim.is_(False),
        Judgment.hidden.is_(False),
        Document.provisional.is_(True),
    )
    .group_by(Judgment.document_id)
    .order_by(Judgment.document_id)
)
_SOURCES = select(Document.id, Document.kind, Document.title, Document.published, Document.source).where(
    Document.id.in_(bindparam("ids", expanding=True))
)


def provisional_among(store: Store, ids: set[int]) -> set[int]:
    """Which of the documents ``ids`` are provisional (their grades do not count yet)."""
    if not ids:
        return set()
    with store.read() as session:
        q = select(Document.id).where(Document.id.in_(sorted(ids)), Document.provisional.is_(True))
        return set(session.scalars(q))


def sources_of(store: Store, ids: set[int]) -> dict[int, GradeSource]:
    """Kind, title, published date and file name of each document in ``ids`` (unknown ids left out)."""
    with store.read() as session:
        return _sources(session, ids)


def _sources(session: Any, ids: set[int]) -> dict[int, GradeSource]:
    if not ids:
        return {}
    rows = session.connection().execute(_SOURCES, {"ids": sorted(ids)}).all()
    return {r[0]: GradeSource(*r) for r in rows}


def confirm_document(store: Store, document_id: int, actor: Any) -> bool:
    """A person confirms a provisional document's kind: its grades count from now on.

    Needs the ``editor`` role; appends an audit record in the same transaction. Returns whether
    the document was provisional (confirming a counted document changes nothing and records
    nothing). Raises :class:`~peelwatch.errors.NotFoundError` for an unknown id.
    """
    from peelwatch.track.audit import record

    actor.require("editor")
    with store.write() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFoundError(f"there is no document {document_id}")
        if not doc.provisional:
            return False
        session.execute(update(Document).where(Document.id == document_id).values(provisional=False))
        record(
            session,
            actor,
            action="confirm",
            entity="document",
            entity_id=document_id,
            before={"provisional": True, "kind": doc.kind},
            after={"provisional": False, "kind": doc.kind},
        )
        return True


@dataclass(frozen=True, slots=True)
class DocumentStanding:
    """How a stored document's kind was decided and whether its grades count."""

    document_id: int
    kind: str
    kind_reason: str | None
    kind_confidence: str | None
    provisional: bool

    @property
    def counts(self) -> bool:
        """Whether its grades are on the national matrix: the inspectorate's own, not provisional."""
        return self.kind == INSPECTORATE and not self.provisional


def document_standing(store: Store, document_id: int) -> DocumentStanding:
    """The kind decision kept for one document; :class:`~peelwatch.errors.NotFoundError` if none."""
    with store.read() as session:
        row = session.execute(
            select(
                Document.id,
                Document.kind,
                Document.kind_reason,
                Document.kind_confidence,
                Document.provisional,
            ).where(Document.id == document_id)
        ).one_or_none()
    if row is None:
        raise NotFoundError(f"there is no document {document_id}")
    return DocumentStanding(row.id, row.kind, row.kind_reason, row.kind_confidence, bool(row.provisional))
