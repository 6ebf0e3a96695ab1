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

from sqlalchemy import Integer, bindparam, exists, func, select, update

from peelwatch.errors import NotFoundError
from peelwatch.store.engine import Store
from peelwatch.store.models import Cycle, Document, Force, Judgment
from peelwatch.store.names import cycle_label, load_framework_or_none, resolve_cycle
from peelwatch.store.queries import (
    ForceRef,
    GradeMatrix,
    JsonRows,
    MatrixColumn,
    _connection,
    _framework_subjects,
    build_matrix,
    json_rows,
    matrix_columns,
    matrix_key,
    matrix_statement,
    plain_rows,
)

__all__ = [
    "CountedCell",
    "CountedGrades",
    "CountedMatrix",
    "CountedRow",
    "DocumentStanding",
    "GradeSource",
    "confirm_document",
    "counted_grade_matrix",
    "counted_grades",
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
# Every cycle in time order, and whether the inspectorate graded anything in it.
_CYCLES = select(
    Cycle.id,
    Cycle.label,
    exists().where(Judgment.cycle_id == Cycle.id, Judgment.claim.is_(False)),
).order_by(Cycle.position, Cycle.label)
# What the matrix of one cycle reads, in one statement (see :func:`counted_grades`): the documents
# of its judgments (their source and standing); its judgments that are not hidden; the forces.
# Documents and forces are ordered in Python: on SQLite a ``row_number()`` window over a few dozen
# rows cost more than the rest of their read.
_CYCLE_READ = JsonRows.of(
    select(
        Document.id,
        Document.kind,
        Document.title,
        Document.published,
        Document.source,
        Document.provisional,
    ).where(
        Document.id.in_(
            select(Judgment.document_id).where(Judgment.cycle_id == bindparam("cycle_id", type_=Integer))
        )
    ),
    select(
        Judgment.force_id,
        Judgment.area_key,
        Judgment.subject,
        Judgment.scope,
        Judgment.grade,
        Judgment.id,
        Judgment.document_id,
        Judgment.claim,
        Judgment.position,
    ).where(Judgment.cycle_id == bindparam("cycle_id", type_=Integer), Judgment.hidden.is_(False)),
    select(Force.id, Force.slug, Force.name, Force.region),
)
_SOURCES = select(Document.id, Document.kind, Document.title, Document.published, Document.source).where(
    Document.id.in_(bindparam("ids", expanding=True))
)


@dataclass(slots=True)
class CountedCell:
    """A counted grade of one force and column: the judgment that states it, its document, and
    how many claims (restatements by others, inspectorate grades of older documents aside) sit
    beside it."""

    grade: str
    judgment_id: int
    document_id: int
    claims: int = 0


@dataclass(slots=True)
class CountedRow:
    """One force's row: a cell per column, ``None`` where the force has no counted grade."""

    force: ForceRef
    cells: list[CountedCell | None]


@dataclass(slots=True)
class CountedGrades:
    """What the national matrix shows of one cycle: the cells of :func:`counted_grade_matrix`
    with their claims counted, each row's cells in column order, and every cycle's label.

    ``cycle`` is ``None`` (and the rest empty) when the record has no cycle at all.
    """

    cycle: str | None
    cycles: list[str]
    columns: list[MatrixColumn] = field(default_factory=list)
    rows: list[CountedRow] = field(default_factory=list)
    sources: dict[int, GradeSource] = field(default_factory=dict)
    held_out: int = 0
    held_out_documents: list[int] = field(default_factory=list)


def counted_grades(store: Store, cycle: str | None = None) -> CountedGrades:
    """The matrix of ``cycle`` as :func:`counted_grade_matrix` builds it, for a page or an answer.

    ``cycle`` defaults to the latest cycle the inspectorate graded (else the last one). The same
    cells, columns, sources and held-out grades, but each cell's claims are counted, not listed,
    and it is read in two statements on one connection: the cycles, then the documents of the
    cycle's judgments (their standing and what a cell says of its source), the judgments
    (held-out grades included) and the forces, as JSON in one row. Raises
    :class:`~peelwatch.errors.UnknownNameError` for a cycle the record does not hold.
    """
    fw = load_framework_or_none()
    with _connection(store) as conn:
        cycles = plain_rows(conn, _CYCLES)
        labels = [label for _, label, _ in cycles]
        chosen = cycle or _latest_graded(cycles)
        if chosen is None:
            return CountedGrades(None, labels)
        wanted = cycle_label(chosen, fw)
        cycle_id = next((cid for cid, label, _ in cycles if label == wanted), None)
        if cycle_id is None:
            with store.read() as session:  # raises the error with its suggestions
                cycle_id, wanted = (cyc := resolve_cycle(session, chosen, fw)).id, cyc.label
        subjects = _framework_subjects(fw, wanted)
        documents, judgments, forces = json_rows(conn, _CYCLE_READ, {"cycle_id": cycle_id})
    # The order of every matrix (``matrix_statement``): the inspectorate's before claims, newest
    # document first (``queries._RECENT_FIRST``: by date, undated last, then newest id), then as
    # the document states them. Sorted here, by each document's rank: sorting the judgments
    # joined with their documents in SQLite cost more than reading them.
    documents.sort(key=_recent_first, reverse=True)
    rank = {row[0]: i for i, row in enumerate(documents)}
    judgments.sort(key=lambda j: (j[7], rank[j[6]], j[8]))
    standing = {row[0]: (row[1], row[5]) for row in documents}
    cells, columns, held = _counted_cells(judgments, standing, subjects)
    keys = [c.key for c in columns]
    used = {c.document_id for bucket in cells.values() for c in bucket.values()}
    sources = {row[0]: GradeSource(*row[:5]) for row in documents if row[0] in used}
    forces.sort(key=_by_region)
    rows = [
        CountedRow(ForceRef(slug, name, region), [bucket.get(k) for k in keys])
        if (bucket := cells.get(force_id))
        else CountedRow(ForceRef(slug, name, region), [None] * len(keys))
        for force_id, slug, name, region in forces
    ]
    return CountedGrades(wanted, labels, columns, rows, sources, sum(held.values()), sorted(held))


def _recent_first(document: list[Any]) -> tuple[bool, str, int]:
    """A document's place, sorted in reverse: dated before undated, newest date, then newest id."""
    published = document[3]
    return published is not None, published or "", document[0]


def _by_region(force: list[Any]) -> tuple[str, str]:
    """A force's place: by region, then name (in code point order, as SQLite compares text)."""
    return force[3], force[2]


def _latest_graded(cycles: list[Any]) -> str | None:
    """The matrix's default cycle: the latest the inspectorate graded, else the last one."""
    graded = [label for _, label, is_graded in cycles if is_graded]
    if graded:
        return graded[-1]
    return cycles[-1][1] if cycles else None


def _counted_cells(
    rows: list[Any], standing: dict[int, tuple[str, bool]], subjects: dict[str, Any]
) -> tuple[dict[int, dict[str, CountedCell]], list[MatrixColumn], dict[int, int]]:
    """Cells by force and column key, the columns in order, and held-out grades by document.

    ``rows`` come the inspectorate's before claims, newest document first, so a cell is the
    first judgment that counts (:func:`_counts`) for its force and key; a later one that does
    not count is one more claim beside it. Judgments of provisional documents fill nothing: those
    that are not claims are held out.
    """
    cells: dict[int, dict[str, CountedCell]] = {}
    others: dict[str, MatrixColumn] = {}
    held: dict[int, int] = {}
    for force_id, area_key, subject, scope, grade, jid, document_id, claim, _position in rows:
        kind, provisional = standing[document_id]
        if provisional:
            if not claim:
                held[document_id] = held.get(document_id, 0) + 1
            continue
        if force_id is None:
            continue
        key = matrix_key(area_key, subject)
        bucket = cells.get(force_id)
        if bucket is None:
            bucket = cells[force_id] = {}
        cell = bucket.get(key)
        if not _counts(claim, kind):
            if cell is not None:
                cell.claims += 1
            continue
        if cell is not None:
            continue  # an older document's grade of the same subject
        bucket[key] = CountedCell(grade, jid, document_id)
        if key not in subjects and key not in others:
            others[key] = MatrixColumn(key, subject, scope, "other")
    columns = matrix_columns(subjects, {key for bucket in cells.values() for key in bucket}, others)
    return cells, columns, held


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
