"""Read-only queries shared by the web pages, the JSON API and the CLI.

Every function takes an open :class:`~peelwatch.store.engine.Store` and returns plain
dataclasses (``dataclasses.asdict`` gives JSON-ready dicts). Filter values are names as users
type them: forces by slug, name or alias, cycles by any common spelling. Unknown values raise
:class:`~peelwatch.errors.UnknownNameError` (with suggestions) or :class:`InvalidFilterError`.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson
from rapidfuzz import process
from sqlalchemy import (
    Connection,
    Float,
    Integer,
    Select,
    Text,
    bindparam,
    case,
    func,
    literal_column,
    null,
    or_,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from peelwatch.errors import NotFoundError, PeelwatchError
from peelwatch.store.engine import Store
from peelwatch.store.models import (
    Cycle,
    Discharge,
    Document,
    DocumentCounts,
    Finding,
    FindingMention,
    Force,
    Judgment,
    Link,
    Response,
    Statistic,
)
from peelwatch.store.names import load_framework_or_none, resolve_area, resolve_cycle, resolve_force, slugify

FINDING_TYPES = ("area_for_improvement", "cause_of_concern", "recommendation")
FINDING_STATUSES = ("open", "in_progress", "discharged", "closed", "not_discharged")
DOCUMENT_KINDS = ("inspection_report", "pcc_response", "force_statement", "news", "other")
TYPE_ALIASES = {
    "afi": "area_for_improvement",
    "afis": "area_for_improvement",
    "area for improvement": "area_for_improvement",
    "coc": "cause_of_concern",
    "cause of concern": "cause_of_concern",
    "rec": "recommendation",
    "recommendations": "recommendation",
}
SCOPE_ORDER = {"overall": 0, "pillar": 1, "question": 2, "area": 3}
CONTEXT_CHARS = 160
MAX_LIMIT = 1000
LATEST_FINDINGS = 20
# Matrix columns for judgments whose subject has no canonical key: "other/<subject as a slug>".
OTHER_PREFIX = "other/"


class InvalidFilterError(PeelwatchError, ValueError):
    """A filter value (type, status, kind, limit) that is not one of the allowed ones."""

    def __init__(self, what: str, value: str, allowed: list[str]) -> None:
        self.what, self.value, self.allowed = what, value, allowed
        close = [c for c, _s, _i in process.extract(value, allowed, limit=2, score_cutoff=50)]
        hint = (
            f"; did you mean {', '.join(repr(c) for c in close)}?"
            if close
            else f"; one of {', '.join(allowed)}"
        )
        super().__init__(f"unknown {what} {value!r}{hint}")


# --------------------------------------------------------------------------- result types


@dataclass(slots=True)
class ForceRef:
    """A force as other results refer to it."""

    slug: str
    name: str
    region: str = ""


@dataclass(slots=True)
class ForceSummary:
    """A force with the size of its record."""

    slug: str
    name: str
    region: str
    aliases: list[str]
    documents: int
    judgments: int
    findings: int


@dataclass(slots=True)
class CycleSummary:
    """A PEEL cycle with the size of its record."""

    label: str
    scale: list[str]
    documents: int
    judgments: int
    findings: int


@dataclass(slots=True)
class CycleRef:
    """A PEEL cycle without counts: enough for selectors and the matrix's default cycle."""

    label: str
    scale: list[str]
    graded: bool  # the inspectorate graded something of this cycle in the record


@dataclass(slots=True)
class GradeRow:
    """One graded judgment: force × subject × cycle, with its source document."""

    force: str
    force_name: str
    cycle: str | None
    scope: str
    subject: str
    area_key: str | None
    grade: str
    claim: bool
    judgment_id: int
    document_id: int
    document: str | None
    evidence: str


@dataclass(slots=True)
class Claim:
    """A non-inspectorate restatement of a grade, shown beside the inspectorate's grade."""

    grade: str
    judgment_id: int
    document_id: int
    document_kind: str
    agrees: bool | None


@dataclass(slots=True)
class GradeCell:
    """The grade of one subject in one cycle, with the judgment that states it."""

    key: str
    subject: str
    scope: str
    grade: str | None
    judgment_id: int | None
    document_id: int | None
    claims: list[Claim] = field(default_factory=list)


@dataclass(slots=True)
class CycleGrades:
    """A force's grades in one cycle."""

    cycle: str
    grades: list[GradeCell]


@dataclass(slots=True)
class FindingItem:
    """A canonical finding in a list."""

    id: int
    force: str | None
    force_name: str | None
    cycle: str | None
    type: str
    ref: str | None
    text: str
    area_key: str | None
    status: str
    rag: str | None
    owner: str | None
    due_date: date | None
    authoritative: bool
    mentions: int


@dataclass(slots=True)
class Page:
    """One page of a list, with the total number of matching records.

    ``total_exact`` is false when a search matched more than it counts
    (:data:`~peelwatch.store.search.COUNT_LIMIT`): ``total`` is then "at least".
    """

    items: list[Any]
    total: int
    limit: int
    offset: int
    total_exact: bool = True


@dataclass(slots=True)
class DocumentItem:
    """A stored document in a list."""

    id: int
    content_hash: str
    source: str | None
    kind: str
    force: str | None
    force_name: str | None
    cycle: str | None
    title: str | None
    published: str | None
    reader: str | None
    size: int
    ingested_at: datetime
    judgments: int
    findings: int


@dataclass(slots=True)
class ForceProfile:
    """Everything about one force: grades through the cycles, findings and documents.

    ``findings`` holds only the latest few (newest cycle first); ``findings_total`` and the
    counts cover all of them, and ``list_findings(force=...)`` pages through the rest.
    """

    force: ForceRef
    aliases: list[str]
    cycles: list[CycleGrades]
    findings: list[FindingItem]
    finding_counts: dict[str, dict[str, int]]
    documents: list[DocumentItem]
    findings_total: int = 0
    findings_by_type: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(slots=True)
class MatrixColumn:
    """A subject column of the national grade matrix.

    ``group`` is ``framework`` for a subject of the cycle's framework (``key`` is its canonical
    key, ``name`` its short label, ``official`` its official wording, in the framework's order),
    ``other`` for judgments whose subject is not one of them (``name`` as written).
    """

    key: str
    name: str
    scope: str
    group: str = "framework"
    official: str | None = None


@dataclass(slots=True)
class MatrixRow:
    """One force's row of the grade matrix; ``cells`` is keyed by column key."""

    force: ForceRef
    cells: dict[str, GradeCell]


@dataclass(slots=True)
class GradeMatrix:
    """Forces (ordered by region) × subjects of one cycle."""

    cycle: str
    columns: list[MatrixColumn]
    rows: list[MatrixRow]


@dataclass(slots=True)
class MentionItem:
    """Where one document states a finding, with the words around it."""

    id: int
    document_id: int
    document_title: str | None
    document_kind: str
    source: str | None
    ref: str | None
    type: str
    text: str
    evidence: str
    start: int
    end: int
    before: str
    after: str
    score: float


@dataclass(slots=True)
class ResponseItem:
    """A response to a finding as one document states it."""

    id: int
    finding_id: int | None
    document_id: int
    by: str
    text: str
    evidence: str
    start: int
    end: int
    document_title: str | None = None


@dataclass(slots=True)
class RelatedItem:
    """A finding linked to another one (recurs, discharges, same)."""

    id: int
    kind: str
    score: float
    cycle: str | None
    type: str
    text: str


@dataclass(slots=True)
class DischargeItem:
    """A discharge statement of a document."""

    id: int
    document_id: int
    finding_id: int | None
    status: str
    finding_type: str | None
    text: str
    evidence: str
    start: int
    end: int


@dataclass(slots=True)
class FindingDetail:
    """One finding with its evidence in every document, responses and related findings."""

    finding: FindingItem
    section: str | None
    source_document_id: int | None
    mentions: list[MentionItem]
    responses: list[ResponseItem]
    related: list[RelatedItem]
    discharges: list[DischargeItem]


@dataclass(slots=True)
class JudgmentItem:
    """A judgment as a document states it, with its span."""

    id: int
    scope: str
    subject: str
    area_key: str | None
    grade: str
    claim: bool
    cycle: str | None
    evidence: str
    start: int
    end: int


@dataclass(slots=True)
class DocFinding:
    """A finding as one document lists it (a mention), with the canonical finding id."""

    mention_id: int
    finding_id: int
    position: int
    type: str
    ref: str | None
    text: str
    evidence: str
    start: int
    end: int


@dataclass(slots=True)
class StatisticItem:
    """A statistic of a document."""

    id: int
    measure: str
    force_value: str
    national_value: str | None
    unit: str | None
    period: str | None
    evidence: str
    start: int
    end: int


@dataclass(slots=True)
class DocumentDetail:
    """A document's text and every fact extracted from it, each with its span."""

    document: DocumentItem
    text: str
    warnings: list[str]
    judgments: list[JudgmentItem]
    findings: list[DocFinding]
    responses: list[ResponseItem]
    discharges: list[DischargeItem]
    statistics: list[StatisticItem]


# --------------------------------------------------------------------------- helpers


def _force_ref(force: Force | None) -> ForceRef | None:
    return ForceRef(force.slug, force.name, force.region) if force else None


@contextmanager
def _connection(store: Store) -> Iterator[Connection]:
    """A connection for a read of plain columns, rolled back at the end.

    What :meth:`Store.read` gives without the ORM session around it: the lists run one to three
    prebuilt statements, and creating and closing a session cost as much as running one.
    """
    with store.engine.connect() as conn:
        yield conn


# The SQLite dialect prebuilt statements are compiled with for :func:`plain_rows`.
_SQLITE = sqlite_dialect.dialect()


@functools.cache
def _sqlite_sql(statement: Executable) -> tuple[str, tuple[str, ...]]:
    compiled = statement.compile(dialect=_SQLITE)
    return compiled.string, tuple(compiled.positiontup or ())


def plain_rows(conn: Connection, statement: Executable, params: dict[str, Any] | None = None) -> list[Any]:
    """The rows of a prebuilt statement as plain tuples.

    On SQLite its SQL, compiled once, goes to the driver's cursor as it is: for a few hundred rows
    a request, SQLAlchemy's result rows and its execution path cost as much as the query. Only
    for statements of plain columns (integers and text; a boolean is read as 0 or 1 there) with
    scalar parameters. Other databases run it through SQLAlchemy.
    """
    if conn.dialect.name != "sqlite":
        return list(conn.execute(statement, params or {}).all())
    sql, names = _sqlite_sql(statement)
    return sqlite_rows(conn, sql, [params[name] for name in names] if params else [])


def sqlite_rows(conn: Connection, sql: str, params: dict[str, Any] | list[Any]) -> list[Any]:
    """The rows of SQL written for SQLite (``:name`` parameters, or ``?`` with a list) as plain
    tuples, through the driver's cursor as :func:`plain_rows` runs a prebuilt statement: for SQL
    made per request (a search's words decide its shape), with nothing for SQLAlchemy to compile
    or wrap."""
    if not conn.in_transaction():
        conn.begin()  # as ``execute`` would: every statement of the read sees one snapshot
    return conn.connection.driver_connection.execute(sql, params).fetchall()  # type: ignore[union-attr]


@dataclass(frozen=True)
class JsonRows:
    """Prebuilt statements whose rows the database hands over in one row: a JSON array of arrays
    per statement.

    For reads of a few hundred rows a request: the driver then builds no row object, and on
    SQLite a view thread gives up the interpreter once for the lot instead of once per row (under
    load, handing it back and forth between the view threads cost more than the rows). Rows come
    in no particular order: a statement that needs one says it in a column (``row_number()``).
    """

    sqlite: Select[Any]
    postgresql: Select[Any]

    @classmethod
    def of(cls, *statements: Select[Any]) -> JsonRows:
        """The rows of each of ``statements`` (plain columns: integers, text, booleans)."""
        subqueries = [statement.subquery() for statement in statements]
        return cls(
            select(
                *(select(func.json_group_array(func.json_array(*q.c))).scalar_subquery() for q in subqueries)
            ),
            select(
                *(select(func.json_agg(func.json_build_array(*q.c))).scalar_subquery() for q in subqueries)
            ),
        )


def json_rows(conn: Connection, rows: JsonRows, params: dict[str, Any] | None = None) -> list[list[Any]]:
    """The rows of each statement of ``rows`` as lists (a boolean reads as 0 or 1 on SQLite)."""
    if conn.dialect.name != "sqlite":
        return [list(value or []) for value in conn.execute(rows.postgresql, params or {}).one()]
    return [orjson.loads(value) for value in plain_rows(conn, rows.sqlite, params)[0]]


def _json_list(value: Any) -> list[Any]:
    """A JSON list column read as text (SQLite) or as the driver decoded it (PostgreSQL)."""
    if value is None:
        return []
    return list(orjson.loads(value)) if isinstance(value, str | bytes) else list(value)


def _check_page(limit: int, offset: int) -> None:
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidFilterError("limit", str(limit), [f"1..{MAX_LIMIT}"])
    if offset < 0:
        raise InvalidFilterError("offset", str(offset), ["0 or more"])


def finding_type(value: str) -> str:
    """A finding type from a user's spelling ("AFI", "cause of concern"); error if unknown."""
    key = value.strip().lower().replace("-", " ")
    key = TYPE_ALIASES.get(key, key.replace(" ", "_"))
    if key not in FINDING_TYPES:
        raise InvalidFilterError("finding type", value, list(FINDING_TYPES))
    return key


def _status(session: Session, value: str) -> str:
    known = sorted(set(FINDING_STATUSES) | set(session.scalars(select(Finding.status).distinct())))
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in known:
        raise InvalidFilterError("status", value, known)
    return key


def _kind(value: str) -> str:
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in DOCUMENT_KINDS:
        raise InvalidFilterError("document kind", value, list(DOCUMENT_KINDS))
    return key


def _subject_key(area_key: str | None, subject: str) -> str:
    return area_key or slugify(subject)


# The columns of a FindingItem / DocumentItem, in the dataclass's order. Plain columns, not ORM
# entities: loading entities cost more than the queries. The counts are columns kept by
# triggers (migration 0014), so no list counts rows per item.
_FINDING_ITEM_COLUMNS = (
    Finding.id,
    Force.slug,
    Force.name,
    Cycle.label,
    Finding.type,
    Finding.ref,
    Finding.text,
    Finding.area_key,
    Finding.status,
    Finding.rag,
    Finding.owner,
    Finding.due_date,
    Finding.authoritative,
    Finding.mention_count,
)
_DOCUMENT_ITEM_COLUMNS = (
    Document.id,
    Document.content_hash,
    Document.source,
    Document.kind,
    Force.slug,
    Force.name,
    Cycle.label,
    Document.title,
    Document.published,
    Document.reader,
    Document.size,
    Document.ingested_at,
    func.coalesce(DocumentCounts.judgment_count, 0),
    func.coalesce(DocumentCounts.mention_count, 0),
)


def _finding_rows(query: Select[Any]) -> Select[Any]:
    return (
        query.with_only_columns(*_FINDING_ITEM_COLUMNS)
        .outerjoin(Force, Force.id == Finding.force_id)
        .outerjoin(Cycle, Cycle.id == Finding.cycle_id)
    )


# One page of the findings list by id, built once (its ids are one expanding parameter).
_FINDINGS_BY_ID = _finding_rows(select(Finding).where(Finding.id.in_(bindparam("ids", expanding=True))))


def _finding_items(session: Session, query: Select[Any]) -> list[FindingItem]:
    """The findings a ``select(Finding)...`` picks, as list items (its filters and order kept)."""
    return [FindingItem(*row) for row in session.connection().execute(_finding_rows(query))]


def _document_rows(query: Select[Any]) -> Select[Any]:
    return (
        query.with_only_columns(*_DOCUMENT_ITEM_COLUMNS)
        .outerjoin(Force, Force.id == Document.force_id)
        .outerjoin(Cycle, Cycle.id == Document.cycle_id)
        .outerjoin(DocumentCounts, DocumentCounts.document_id == Document.id)
    )


def _document_items(session: Session, query: Select[Any]) -> list[DocumentItem]:
    """The documents a ``select(Document)...`` picks, as list items (its filters and order kept)."""
    return [DocumentItem(*row) for row in session.connection().execute(_document_rows(query))]


# --------------------------------------------------------------------------- queries


# Every force with its kept counts; the aliases as JSON text, decoded here (faster than the
# JSON type's own decoder, which was most of this list's time).
_FORCES = select(
    Force.slug,
    Force.name,
    Force.region,
    type_coerce(Force.aliases, Text),
    Force.document_count,
    Force.judgment_count,
    Force.finding_count,
).order_by(Force.region, Force.name)


def list_forces(store: Store) -> list[ForceSummary]:
    """Every known force (by region, then name) with counts of documents, judgments and findings.

    The counts are the force's own columns, kept by triggers (migration 0014): one read of the
    forces, however large the record.
    """
    with _connection(store) as conn:
        return [
            ForceSummary(slug, name, region, _json_list(aliases), docs, judgments, findings)
            for slug, name, region, aliases, docs, judgments, findings in conn.execute(_FORCES)
        ]


def list_cycles(store: Store) -> list[CycleSummary]:
    """Every known cycle in time order with counts of documents, judgments and findings."""
    with store.read() as session:
        docs = dict(
            session.execute(select(Document.cycle_id, func.count()).group_by(Document.cycle_id)).all()
        )
        judg = dict(
            session.execute(
                select(Judgment.cycle_id, func.count())
                .where(Judgment.claim.is_(False))
                .group_by(Judgment.cycle_id)
            ).all()
        )
        finds = dict(session.execute(select(Finding.cycle_id, func.count()).group_by(Finding.cycle_id)).all())
        return [
            CycleSummary(
                label=c.label,
                scale=list(c.scale or []),
                documents=docs.get(c.id, 0),
                judgments=judg.get(c.id, 0),
                findings=finds.get(c.id, 0),
            )
            for c in session.scalars(select(Cycle).order_by(Cycle.position, Cycle.label))
        ]


def force_refs(store: Store) -> list[ForceRef]:
    """Every known force (by region, then name) without counts: for selectors."""
    with store.read() as session:
        return [
            ForceRef(slug, name, region)
            for slug, name, region in session.execute(
                select(Force.slug, Force.name, Force.region).order_by(Force.region, Force.name)
            )
        ]


def cycle_refs(store: Store) -> list[CycleRef]:
    """Every known cycle in time order, and whether the inspectorate graded anything in it.

    The cheap counterpart of :func:`list_cycles` for selectors and the matrix's default cycle: it
    reads the distinct cycles of the judgments (through their cycle index), not every finding.
    """
    with _connection(store) as conn:
        graded = set(conn.execute(_GRADED_CYCLES).scalars())
        return [
            CycleRef(label=label, scale=_json_list(scale), graded=cycle_id in graded)
            for cycle_id, label, scale in conn.execute(_CYCLES_IN_ORDER)
        ]


_GRADED_CYCLES = select(Judgment.cycle_id).where(Judgment.claim.is_(False)).distinct()
_CYCLES_IN_ORDER = select(Cycle.id, Cycle.label, type_coerce(Cycle.scale, Text)).order_by(
    Cycle.position, Cycle.label
)


def list_grades(
    store: Store,
    *,
    force: str | None = None,
    cycle: str | None = None,
    area: str | None = None,
    claims: bool = False,
) -> list[GradeRow]:
    """Graded judgments, one row per force × subject × cycle (the latest inspectorate statement).

    ``area`` matches the canonical area key or the subject's words; ``claims=True`` lists the
    commissioners' and forces' restatements instead of the inspectorate's grades.
    """
    fw = load_framework_or_none() if (force or cycle or area) else None
    with store.read() as session:
        # Plain columns, not ORM objects: listing every grade of the record is thousands of rows.
        q = (
            select(
                Judgment.id,
                Judgment.force_id,
                Judgment.cycle_id,
                Judgment.scope,
                Judgment.subject,
                Judgment.area_key,
                Judgment.grade,
                Judgment.claim,
                Judgment.document_id,
                Judgment.evidence,
                Force.slug,
                Force.name,
                Cycle.label,
                Document.source,
                Document.title,
            )
            .join(Document, Document.id == Judgment.document_id)
            .outerjoin(Force, Force.id == Judgment.force_id)
            .outerjoin(Cycle, Cycle.id == Judgment.cycle_id)
            .where(Judgment.claim.is_(claims), Judgment.hidden.is_(False))
            .order_by(Force.name, Cycle.position, Judgment.document_id.desc(), Judgment.position)
        )
        if force:
            q = q.where(Judgment.force_id == resolve_force(session, force, fw).id)
        if cycle:
            q = q.where(Judgment.cycle_id == resolve_cycle(session, cycle, fw).id)
        if area:
            key = resolve_area(area, fw)
            q = q.where(
                or_(
                    Judgment.area_key == key,
                    func.lower(Judgment.subject).contains(area.strip().lower(), autoescape=True),
                )
            )
        rows: list[GradeRow] = []
        seen: set[tuple[Any, ...]] = set()
        for j in session.execute(q):
            key = (
                j.force_id,
                j.cycle_id,
                _subject_key(j.area_key, j.subject),
                j.document_id if claims else None,
            )
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                GradeRow(
                    force=j.slug or "",
                    force_name=j.name or "",
                    cycle=j.label,
                    scope=j.scope,
                    subject=j.subject,
                    area_key=j.area_key,
                    grade=j.grade,
                    claim=j.claim,
                    judgment_id=j.id,
                    document_id=j.document_id,
                    document=j.title or j.source,
                    evidence=j.evidence,
                )
            )
        rows.sort(key=lambda r: (r.force_name, r.cycle or "", SCOPE_ORDER.get(r.scope, 9)))
        return rows


# Where two documents grade the same thing, the most recent one counts: latest publication date
# (ISO dates sort as text; undated last), then the latest ingested.
_RECENT_FIRST = (Document.published.desc().nulls_last(), Judgment.document_id.desc())


def _cells_for(
    session: Session, force_ids: list[int] | None, cycle_id: int | None
) -> dict[tuple[int, int], dict[str, GradeCell]]:
    """Grade cells keyed by (force id, cycle id) then subject key; claims attached to their cell."""
    q = (
        select(Judgment, Document.kind)
        .join(Document, Document.id == Judgment.document_id)
        .where(Judgment.hidden.is_(False))
        .order_by(Judgment.claim, *_RECENT_FIRST, Judgment.position)
    )
    if force_ids is not None:
        q = q.where(Judgment.force_id.in_(force_ids))
    if cycle_id is not None:
        q = q.where(Judgment.cycle_id == cycle_id)
    cells: dict[tuple[int, int], dict[str, GradeCell]] = defaultdict(dict)
    for j, kind in session.execute(q):
        if j.force_id is None or j.cycle_id is None:
            continue
        key = _subject_key(j.area_key, j.subject)
        bucket = cells[(j.force_id, j.cycle_id)]
        cell = bucket.get(key)
        if not j.claim:
            if cell is None:
                bucket[key] = GradeCell(key, j.subject, j.scope, j.grade, j.id, j.document_id)
            continue
        if cell is None:
            # A claim with no inspectorate grade beside it yet: the cell shows no grade.
            cell = bucket[key] = GradeCell(key, j.subject, j.scope, None, None, None)
        cell.claims.append(Claim(j.grade, j.id, j.document_id, kind, None))
    for bucket in cells.values():
        for cell in bucket.values():
            for claim in cell.claims:
                claim.agrees = None if cell.grade is None else claim.grade == cell.grade
    return cells


def force_profile(store: Store, slug: str, *, latest: int = LATEST_FINDINGS) -> ForceProfile:
    """A force's grades by cycle and subject (claims beside them), finding counts, the ``latest``
    findings (newest cycle first) and the documents."""
    fw = load_framework_or_none()
    with store.read() as session:
        force = resolve_force(session, slug, fw)
        cells = _cells_for(session, [force.id], None)
        cycles = {c.id: c for c in session.scalars(select(Cycle))}
        grades = [
            CycleGrades(
                cycle=cycles[cid].label,
                grades=sorted(bucket.values(), key=lambda c: (SCOPE_ORDER.get(c.scope, 9), c.subject)),
            )
            for (_fid, cid), bucket in sorted(cells.items(), key=lambda kv: cycles[kv[0][1]].position)
        ]
        # Counts by type and status in one indexed GROUP BY; only the latest few findings loaded.
        by_type: dict[str, dict[str, int]] = defaultdict(dict)
        by_status: Counter[str] = Counter()
        for type_, status, n in session.execute(
            select(Finding.type, Finding.status, func.count())
            .where(Finding.force_id == force.id, Finding.hidden.is_(False))
            .group_by(Finding.type, Finding.status)
        ):
            by_type[type_][status] = n
            by_status[status] += n
        latest_ids = list(
            session.scalars(
                select(Finding.id)
                .outerjoin(Cycle, Cycle.id == Finding.cycle_id)
                .where(Finding.force_id == force.id, Finding.hidden.is_(False))
                .order_by(Cycle.position.desc().nulls_last(), Finding.id.desc())
                .limit(latest)
            )
        )
        findings = _ordered(
            _finding_items(session, select(Finding).where(Finding.id.in_(latest_ids))), latest_ids
        )
        counts = {
            "type": {t: sum(c.values()) for t, c in by_type.items()},
            "status": dict(by_status),
        }
        documents = _document_items(
            session, select(Document).where(Document.force_id == force.id).order_by(Document.id)
        )
        return ForceProfile(
            force=ForceRef(force.slug, force.name, force.region),
            aliases=list(force.aliases or []),
            cycles=grades,
            findings=findings,
            finding_counts=counts,
            documents=documents,
            findings_total=sum(by_status.values()),
            findings_by_type={t: dict(c) for t, c in by_type.items()},
        )


def _ordered(items: list[FindingItem], ids: list[int]) -> list[FindingItem]:
    order = {fid: i for i, fid in enumerate(ids)}
    return sorted(items, key=lambda it: order[it.id])


def _framework_subjects(fw: Any, label: str) -> dict[str, Any]:
    """Canonical key -> framework subject of one cycle, in the framework's order ({} if unknown)."""
    if fw is None:
        return {}
    try:
        return {subject.key: subject for subject in fw.subjects(cycle=label)}
    except PeelwatchError:  # a cycle the framework does not know (created by a document)
        return {}


def matrix_key(area_key: str | None, subject: str) -> str:
    """The matrix column of a judgment: its canonical key, or ``other/<slug>`` without one."""
    return area_key or OTHER_PREFIX + slugify(subject)


def grade_matrix(store: Store, cycle: str) -> GradeMatrix:
    """Every force (grouped by region) × the framework subjects graded in ``cycle``.

    Columns are the cycle's framework subjects that have at least one inspectorate grade, keyed
    by canonical key, named by the framework's short label and in the framework's order; then,
    as an ``other`` group, subjects with no key (or a key the cycle's framework lacks) as written.
    Where a force has several inspectorate grades for one column, the most recent document's
    counts. Claims never fill a cell: they are attached (and compared) to the inspectorate's
    cell of the same key, and a claim without one is left to the force's page.
    """
    fw = load_framework_or_none()
    with store.read() as session:
        cyc = resolve_cycle(session, cycle, fw)
        return build_matrix(
            session,
            cyc,
            _framework_subjects(fw, cyc.label),
            fills=lambda claim, _kind: not claim,
            statement=_MATRIX,
        )


def matrix_statement(*where: Any) -> Select[Any]:
    """The judgments of one cycle (bound as ``cycle_id``) that :func:`build_matrix` reads, newest
    document first, hidden ones left out; ``where`` narrows them (joined with their document).

    Built once by each caller and kept: building a statement cost more than running it.
    """
    return (
        select(
            Judgment.id,
            Judgment.force_id,
            Judgment.scope,
            Judgment.subject,
            Judgment.area_key,
            Judgment.grade,
            Judgment.claim,
            Judgment.document_id,
            Document.kind,
        )
        .join(Document, Document.id == Judgment.document_id)
        .where(
            Judgment.cycle_id == bindparam("cycle_id", type_=Integer),
            Judgment.force_id.is_not(None),
            Judgment.hidden.is_(False),
            *where,
        )
        .order_by(Judgment.claim, *_RECENT_FIRST, Judgment.position)
    )


def build_matrix(
    session: Session,
    cyc: Cycle,
    subjects: dict[str, Any],
    *,
    fills: Callable[[bool, str], bool],
    statement: Select[Any],
) -> GradeMatrix:
    """The matrix of one cycle from the judgments ``statement`` reads (made once by
    :func:`matrix_statement`: newest document first, hidden ones left out).

    ``fills(claim, kind)`` says whether a judgment (a claim or not, from a document of ``kind``) may
    fill a cell; the others are attached as claims to the cell of the same key.
    """
    cells: dict[int, dict[str, GradeCell]] = defaultdict(dict)
    others: dict[str, MatrixColumn] = {}
    # Plain rows from the connection, unpacked once: the ORM's row handling cost more than the
    # query for the few hundred judgments of a cycle.
    for j in session.connection().execute(statement, {"cycle_id": cyc.id}).all():
        jid, force_id, scope, subject, area_key, grade, claim, document_id, kind = j
        key = matrix_key(area_key, subject)
        bucket = cells[force_id]
        cell = bucket.get(key)
        if not fills(claim, kind):
            if cell is not None:
                cell.claims.append(Claim(grade, jid, document_id, kind, grade == cell.grade))
            continue
        if cell is not None:
            continue  # an older document's grade of the same subject
        bucket[key] = GradeCell(key, subject, scope, grade, jid, document_id)
        if key not in subjects and key not in others:
            others[key] = MatrixColumn(key, subject, scope, "other")
    columns = matrix_columns(subjects, {key for bucket in cells.values() for key in bucket}, others)
    rows = [
        MatrixRow(force=ForceRef(slug, name, region), cells=dict(cells.get(force_id, {})))
        for force_id, slug, name, region in session.connection().execute(_FORCE_ROWS).all()
    ]
    return GradeMatrix(cycle=cyc.label, columns=columns, rows=rows)


def matrix_columns(
    subjects: dict[str, Any], used: set[str], others: dict[str, MatrixColumn]
) -> list[MatrixColumn]:
    """A matrix's columns: the framework's subjects some cell fills (``used``), in the
    framework's order, then the subjects it lacks (``others``) by name."""
    columns = [
        MatrixColumn(key, s.short or s.name, s.scope, "framework", s.name)
        for key, s in subjects.items()
        if key in used
    ]
    columns += sorted(others.values(), key=lambda c: (c.name.lower(), c.key))
    return columns


_MATRIX = matrix_statement()
_FORCE_ROWS = select(Force.id, Force.slug, Force.name, Force.region).order_by(Force.region, Force.name)


_NOT_HIDDEN = Finding.hidden.is_(False)
# The cycles newest first (by position, then id) with their visible findings, kept by triggers.
_CYCLE_COUNTS = select(Cycle.id, Cycle.finding_count).order_by(Cycle.position.desc(), Cycle.id)
# The same, then the visible findings of no cycle (counted through the (hidden, cycle_id, id)
# index), in one statement: the unfiltered list's total and where its page starts.
_ALL_CYCLE_COUNTS = union_all(
    select(
        Cycle.id.label("cycle_id"),
        Cycle.finding_count.label("n"),
        literal_column("0", Integer).label("orphans"),
        Cycle.position.label("position"),
    ),
    select(
        null().label("cycle_id"),
        func.count().label("n"),
        literal_column("1", Integer).label("orphans"),
        null().label("position"),
    )
    .select_from(Finding)
    .where(_NOT_HIDDEN, Finding.cycle_id.is_(None)),
).order_by(literal_column("orphans"), literal_column("position").desc(), literal_column("cycle_id"))


def _in_cycle_page(where: list[Any], cycle: Any) -> Select[Any]:
    """The rows of one cycle's part of a page, in id order (the order of ``ix_finding_listed``)."""
    return _finding_rows(
        select(Finding)
        .where(*where, Finding.cycle_id.is_(None) if cycle is None else Finding.cycle_id == cycle)
        .order_by(Finding.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )


# One cycle's page of the unfiltered list, built once: the statement nearly every list runs.
_CYCLE_PAGE = _in_cycle_page([_NOT_HIDDEN], bindparam("cycle_id", type_=Integer))


def _cycle_counts(conn: Connection, where: list[Any]) -> list[tuple[int | None, int | None]]:
    """``(cycle id, findings matching where)`` newest cycle first, ``None`` (no cycle) last.

    Unfiltered, the counts are the cycles' own columns; filtered, each is left ``None`` to be
    counted only when a page has to skip past the cycle.
    """
    if len(where) == 1 and where[0] is _NOT_HIDDEN:
        return [(i, n) for i, n, _o, _p in conn.execute(_ALL_CYCLE_COUNTS)]
    return [(i, None) for i, _n in conn.execute(_CYCLE_COUNTS)] + [(None, None)]


def _page_by_cycle(
    conn: Connection, where: list[Any], limit: int, offset: int
) -> tuple[int, list[FindingItem]]:
    """The total and one page of the findings matching ``where``, newest cycle first, then by id.

    The page is read from the cycles it falls in, each in the order of the ``(hidden, cycle_id,
    id)`` index; a cycle the page starts past is skipped by its count. Unfiltered, the counts
    and so the total are the cycles' counters (migration 0014): nothing grows with the record
    but the page itself. Nothing is sorted.
    """
    cycles = _cycle_counts(conn, where)
    counted = all(n is not None for _c, n in cycles)
    if counted:
        total = sum(n or 0 for _c, n in cycles)
    else:
        total = conn.execute(select(func.count()).select_from(Finding).where(*where)).scalar_one()
    items: list[FindingItem] = []
    skip = offset
    for cycle_id, n in cycles:
        if skip >= total or len(items) >= limit:
            break
        if n is not None and skip >= n:
            skip -= n
            continue
        params = {"cycle_id": cycle_id, "limit": limit - len(items), "offset": skip}
        page = _CYCLE_PAGE if counted and cycle_id is not None else _in_cycle_page(where, cycle_id)
        got = [FindingItem(*row) for row in conn.execute(page, params).all()]
        if got:
            items += got
            skip = 0
        elif skip:
            in_cycle = [
                *where,
                Finding.cycle_id.is_(None) if cycle_id is None else Finding.cycle_id == cycle_id,
            ]
            skip -= conn.execute(select(func.count()).select_from(Finding).where(*in_cycle)).scalar_one()
            skip = max(skip, 0)
    return total, items


def _ranked_window(score: str) -> str:
    """One page of the newest RANK_WINDOW matches of ``:m`` (findings only) ranked by ``score``,
    then newest cycle first, with the window's size.

    The same order as joining every match to its finding for the cycle's place, cheaper: the
    window is ranked once, and only the matches ranked as high as the page's last one (ties
    included) are joined, since the cycle only breaks ties.
    """
    return (
        "WITH hits AS MATERIALIZED ("
        f" SELECT e.ref_id AS finding_id, {score} AS rank"
        " FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid"
        " WHERE search_fts MATCH :m AND e.kind = 'finding'"
        " ORDER BY search_fts.rowid DESC LIMIT :window),"
        " cut AS (SELECT rank FROM hits ORDER BY rank LIMIT 1 OFFSET :last)"
        " SELECT hits.finding_id"
        " FROM hits JOIN finding ON finding.id = hits.finding_id"
        " LEFT JOIN cycle ON cycle.id = finding.cycle_id"
        " WHERE (SELECT rank FROM cut) IS NULL OR hits.rank <= (SELECT rank FROM cut)"
        " ORDER BY hits.rank, coalesce(cycle.position, -1) DESC, hits.finding_id"
        " LIMIT :limit OFFSET :offset"
    )


# Unranked (a query of very common words) and ranked by bm25 over the findings' own words.
_RANKED_WINDOW = (_ranked_window("0.0"), _ranked_window("bm25(search_fts, 0.0, 1.0, 0.0)"))


def _fts_page(
    session: Session,
    q: str,
    tags: dict[str, int],
    filters: list[Any],
    limit: int,
    offset: int,
) -> tuple[int, list[int], bool]:
    """The total (and whether it is exact) and one page of ids of the findings whose own words
    match ``q`` (SQLite FTS5).

    Best first by bm25 among the newest :data:`~peelwatch.store.search.RANK_WINDOW` matches, then
    newest cycle first; the matches past the window follow, newest first (they are the same
    entries in the same order whether a page is ranked or not, so pages never overlap). A query
    of very common words is not ranked (see :func:`peelwatch.store.search.rankable`). The count
    is made in the full-text index alone (force, cycle and kind are tags, migrations 0002 and
    0003) unless ``filters`` (type, status, area) need the finding rows.
    """
    from peelwatch.store.search import RANK_WINDOW, fts5_query, query_terms, rankable

    terms = query_terms(q)
    if not terms:
        return 0, [], True
    match = "{body} : (" + fts5_query(q) + ")"
    if "force_id" in tags:
        match += f' AND tags : "pwforce{int(tags["force_id"])}"'
    if "cycle_id" in tags:
        match += f' AND tags : "pwcycle{int(tags["cycle_id"])}"'
    if not filters:
        return _fts_window_page(session.connection(), match, terms, limit, offset)
    score = "bm25(search_fts, 0.0, 1.0, 0.0)" if rankable(session, terms, "{body}") else "0.0"

    def matches(score: str) -> Select[Any]:
        hits = (
            text(
                f"SELECT e.ref_id AS finding_id, {score} AS rank, search_fts.rowid AS entry"
                " FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid"
                " WHERE search_fts MATCH :pw_fmatch AND e.kind = 'finding'"
            )
            .bindparams(pw_fmatch=match)
            .columns(finding_id=Integer, rank=Float, entry=Integer)
            .subquery("hits")
        )
        return (
            select(hits.c.finding_id, hits.c.rank, Cycle.position)
            .select_from(hits)
            .join(Finding, Finding.id == hits.c.finding_id)
            .outerjoin(Cycle, Cycle.id == Finding.cycle_id)
            .where(*filters)
            .order_by(hits.c.entry.desc())
        )

    # The window is ranked by SQLite and only the page comes back (sorting the window's rows in
    # Python cost more than the search); the same pass counts the window.
    window = matches(score).limit(RANK_WINDOW).subquery("window")
    top = session.execute(
        select(window.c.finding_id, func.count().over().label("n"))
        .order_by(window.c.rank, func.coalesce(window.c.position, -1).desc(), window.c.finding_id)
        .limit(limit)
        .offset(offset)
    ).all()
    if top:
        in_window = top[0].n
    else:  # a page past the window's end: count the window alone
        window = matches(score).limit(RANK_WINDOW).subquery("window")
        in_window = session.scalar(select(func.count()).select_from(window)) or 0
    exact = True
    if in_window < RANK_WINDOW:
        total = in_window
    else:
        total, exact = _bounded_count(session, matches("0.0").order_by(None))
    ids = [r.finding_id for r in top]
    if len(ids) < limit and total > RANK_WINDOW:
        start = max(offset, RANK_WINDOW)
        later = matches("0.0").with_only_columns(Finding.id).limit(limit - len(ids)).offset(start)
        ids += session.scalars(later)
    return total, ids, exact


# The matches past the ranked window, newest first (a page that ends beyond RANK_WINDOW).
_FTS_LATER = (
    "SELECT e.ref_id FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid"
    " JOIN finding ON finding.id = e.ref_id"
    " WHERE search_fts MATCH :m AND e.kind = 'finding' ORDER BY search_fts.rowid DESC LIMIT :n OFFSET :start"
)


def _fts_window_page(
    conn: Connection, match: str, terms: Any, limit: int, offset: int
) -> tuple[int, list[int], bool]:
    """:func:`_fts_page` without filters on the finding rows: the count and whether the words are
    ranked in one statement (:func:`peelwatch.store.search.counted`), the page in a second."""
    from peelwatch.store.search import RANK_WINDOW, counted

    # Counted in the index alone: the entry's kind is a tag beside force and cycle (migration 0003).
    total, exact, ranked = counted(conn, match + ' AND tags : "pwkindfinding"', terms, "{body} : ")
    if not total:
        return 0, [], True
    page = {"m": match, "window": RANK_WINDOW, "limit": limit, "offset": offset, "last": offset + limit - 1}
    ids = [row[0] for row in sqlite_rows(conn, _RANKED_WINDOW[ranked], page)]
    if len(ids) < limit and total > RANK_WINDOW:
        start = max(offset, RANK_WINDOW)
        later = {"m": match, "n": limit - len(ids), "start": start}
        ids += [row[0] for row in sqlite_rows(conn, _FTS_LATER, later)]
    return total, ids, exact


def _bounded_count(session: Session, query: Select[Any]) -> tuple[int, bool]:
    """``(count, exact)`` of a search's matching rows, counted up to ``COUNT_LIMIT``."""
    from peelwatch.store.search import COUNT_LIMIT, capped

    return capped(
        session.scalar(select(func.count()).select_from(query.limit(COUNT_LIMIT + 1).subquery())) or 0
    )


def _pg_ranked_findings(q: str, ids: dict[str, int]) -> Any | None:
    """A subquery ``(finding_id, rank)`` of the findings whose own words match ``q`` (PostgreSQL).

    ts_filter keeps the body's lexemes (weight B): the GIN index finds the candidates, the filter
    drops those that matched only in the title. All values are bound parameters.
    """
    from peelwatch.store.search import websearch_query

    q = websearch_query(q)
    if not q:
        return None
    where = "".join(f" AND e.{column} = :pw_{column}" for column in sorted(ids))
    sql = text(
        "SELECT e.ref_id AS finding_id, -ts_rank_cd(e.tsv, fq.tq) AS rank"
        " FROM search_entry e, websearch_to_tsquery('english', :pw_fq) AS fq(tq)"
        " WHERE e.tsv @@ fq.tq AND ts_filter(e.tsv, '{b}') @@ fq.tq AND e.kind = 'finding'" + where
    ).bindparams(pw_fq=q, **{f"pw_{column}": value for column, value in ids.items()})
    return sql.columns(finding_id=Integer, rank=Float).subquery("ranked")


# The columns a list may be sorted by, each mapped to the SQL expression it orders by.
FINDING_SORTS: dict[str, Any] = {
    "id": Finding.id,
    "force": Force.name,
    "cycle": Cycle.position,
    "type": Finding.type,
    "ref": Finding.ref,
    "area": Finding.area_key,
    "status": Finding.status,
    "due_date": Finding.due_date,
}
DOCUMENT_SORTS: dict[str, Any] = {
    "id": Document.id,
    "title": Document.title,
    "kind": Document.kind,
    "force": Force.name,
    "cycle": Cycle.position,
    "published": Document.published,
    "size": Document.size,
    "ingested_at": Document.ingested_at,
}


def _sort_by(sort: str, columns: dict[str, Any]) -> Any:
    """``"force"`` / ``"-force"`` as an ORDER BY term from a whitelist of columns."""
    key = sort.lstrip("-")
    if key not in columns:
        raise InvalidFilterError("sort", sort, sorted(columns))
    return columns[key].desc() if sort.startswith("-") else columns[key].asc()


def list_findings(
    store: Store,
    *,
    force: str | None = None,
    cycle: str | None = None,
    type: str | None = None,
    status: str | None = None,
    area: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
    sort: str | None = None,
) -> Page:
    """Canonical findings with their mention counts, filtered, newest cycle first.

    ``sort`` (a key of :data:`FINDING_SORTS`, ``-key`` for descending) orders by that column first.

    ``q`` searches the findings' words through the full-text index (FTS5 on SQLite, the GIN
    ``tsvector`` on PostgreSQL: every word must occur, stemmed) and orders the matches by rank,
    best first, then newest cycle first (on SQLite the newest 1,000 matches are ranked and the
    rest follow newest first; see :func:`_fts_page`).
    """
    _check_page(limit, offset)
    if not (force or cycle or type or status or area or sort or (q and q.strip())):
        # The plain list, the one most asked for: prebuilt statements on a bare connection.
        with _connection(store) as conn:
            total, items = _page_by_cycle(conn, [_NOT_HIDDEN], limit, offset)
        return Page(items=items, total=total, limit=limit, offset=offset)
    fw = load_framework_or_none() if (force or cycle or area) else None
    with store.read() as session:
        ids: dict[str, int] = {}
        # A finding an editor hid is out of every list (its search entry is gone too).
        where: list[Any] = [_NOT_HIDDEN]
        if force:
            ids["force_id"] = resolve_force(session, force, fw).id
            where.append(Finding.force_id == ids["force_id"])
        if cycle:
            ids["cycle_id"] = resolve_cycle(session, cycle, fw).id
            where.append(Finding.cycle_id == ids["cycle_id"])
        rest: list[Any] = []
        if type:
            rest.append(Finding.type == finding_type(type))
        if status:
            rest.append(Finding.status == _status(session, status))
        if area:
            rest.append(Finding.area_key == resolve_area(area, fw))
        if q is not None and q.strip():
            if sort:
                total, page_ids, exact = _sorted_page(
                    session, store.dialect, q, ids, [*where, *rest], sort, limit, offset
                )
            elif store.dialect == "sqlite":
                total, page_ids, exact = _fts_page(session, q, ids, rest, limit, offset)
            else:
                total, page_ids, exact = _pg_page(session, q, ids, [*where, *rest], limit, offset)
        elif sort:
            total, page_ids, exact = _sorted_page(
                session, store.dialect, None, ids, [*where, *rest], sort, limit, offset
            )
        else:
            total, items = _page_by_cycle(session.connection(), [*where, *rest], limit, offset)
            return Page(items=items, total=total, limit=limit, offset=offset)
        rows = session.connection().execute(_FINDINGS_BY_ID, {"ids": page_ids}) if page_ids else []
        items = [FindingItem(*row) for row in rows]
        return Page(_ordered(items, page_ids), total=total, limit=limit, offset=offset, total_exact=exact)


def _sorted_page(
    session: Session,
    dialect: str,
    q: str | None,
    ids: dict[str, int],
    where: list[Any],
    sort: str,
    limit: int,
    offset: int,
) -> tuple[int, list[int], bool]:
    """The total (and whether it is exact) and one page of ids in the order ``sort`` asks for
    (then newest cycle first).

    An explicit column order has no index to walk, so this path joins and sorts; with ``q`` the
    matches are found through the full-text index first, and the newest ``COUNT_LIMIT`` of them
    are counted and sorted (``exact`` false when there were more).
    """
    query = select(Finding.id).where(*where)
    exact = True
    if q is not None and q.strip():
        matching = _matching_ids(dialect, q, ids)
        if matching is None:
            return 0, [], True
        from peelwatch.store.search import COUNT_LIMIT

        # More matches than the bound: the total and the order are of the newest ones only.
        exact = (session.scalar(select(func.count()).select_from(matching.subquery())) or 0) <= COUNT_LIMIT
        query = query.where(Finding.id.in_(matching))
    page_q = query.outerjoin(Cycle, Cycle.id == Finding.cycle_id)
    if sort.lstrip("-") == "force":
        page_q = page_q.outerjoin(Force, Force.id == Finding.force_id)
    order = [_sort_by(sort, FINDING_SORTS), Cycle.position.desc().nulls_last(), Finding.id]
    # The sort's own pass counts the rows too (a window count), so the matches are read once.
    rows = session.execute(
        page_q.add_columns(func.count().over()).order_by(*order).limit(limit).offset(offset)
    ).all()
    total = rows[0][1] if rows else (session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    if not exact:
        from peelwatch.store.search import COUNT_LIMIT

        total = min(total, COUNT_LIMIT)
    return total, [r[0] for r in rows], exact


def _matching_ids(dialect: str, q: str, ids: dict[str, int]) -> Any | None:
    """A subquery of the ids of the newest ``COUNT_LIMIT + 1`` findings whose own words match
    ``q``, or None if none can. A sorted search orders these: sorting every match of a word found in
    every finding cost more than the answer may."""
    from peelwatch.store.search import COUNT_LIMIT, fts5_query, query_terms

    if dialect != "sqlite":
        ranked = _pg_ranked_findings(q, ids)
        if ranked is None:
            return None
        return select(ranked.c.finding_id).order_by(ranked.c.finding_id.desc()).limit(COUNT_LIMIT + 1)

    if not query_terms(q):
        return None
    match = "{body} : (" + fts5_query(q) + ")"
    for column, tag in (("force_id", "pwforce"), ("cycle_id", "pwcycle")):
        if column in ids:
            match += f' AND tags : "{tag}{int(ids[column])}"'
    hits = (
        text(
            "SELECT e.ref_id AS finding_id FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid"
            " WHERE search_fts MATCH :pw_smatch AND e.kind = 'finding'"
            " ORDER BY search_fts.rowid DESC LIMIT :pw_scap"
        )
        .bindparams(pw_smatch=match, pw_scap=COUNT_LIMIT + 1)
        .columns(finding_id=Integer)
        .subquery("matching")
    )
    return select(hits.c.finding_id)


def _pg_page(
    session: Session, q: str, ids: dict[str, int], where: list[Any], limit: int, offset: int
) -> tuple[int, list[int], bool]:
    ranked = _pg_ranked_findings(q, ids)
    if ranked is None:
        return 0, [], True
    query = select(Finding.id).join(ranked, ranked.c.finding_id == Finding.id).where(*where)
    total, exact = _bounded_count(session, query)
    page_q = (
        query.outerjoin(Cycle, Cycle.id == Finding.cycle_id)
        .order_by(ranked.c.rank, Cycle.position.desc().nulls_last(), Finding.id)
        .limit(limit)
        .offset(offset)
    )
    return total, list(session.scalars(page_q)), exact


# get_finding serves the finding pages, nearly every one a cache miss: its statements are built
# once, select plain columns and run on the connection, because building and ORM-loading them on
# every call cost several times what the SQL itself costs.
_FID = bindparam("finding_id", type_=Integer)
# Constants written into the SQL, not bound: PostgreSQL has no substr(text, bigint, bigint).
_CONTEXT = literal_column(str(CONTEXT_CHARS), Integer)
_ONE = literal_column("1", Integer)
_BEFORE_FROM = case(
    (FindingMention.start > _CONTEXT, FindingMention.start - _CONTEXT), else_=literal_column("0", Integer)
)
_FINDING_ROW = (
    select(
        *_FINDING_ITEM_COLUMNS,
        Finding.section,
        Finding.source_document_id,
    )
    .select_from(Finding)
    .outerjoin(Force, Force.id == Finding.force_id)
    .outerjoin(Cycle, Cycle.id == Finding.cycle_id)
    .where(Finding.id == _FID)
)
# The words around a mention are cut out by the database (characters, as Python slices them),
# so a long report's text is not loaded for each of its findings.
_MENTIONS = (
    select(
        FindingMention.id,
        Document.id,
        Document.title,
        Document.kind,
        Document.source,
        FindingMention.ref,
        FindingMention.type,
        FindingMention.text,
        FindingMention.evidence,
        FindingMention.start,
        FindingMention.end,
        func.substr(Document.text, _BEFORE_FROM + _ONE, FindingMention.start - _BEFORE_FROM),
        func.substr(Document.text, FindingMention.end + _ONE, _CONTEXT),
        FindingMention.score,
    )
    .join(Document, Document.id == FindingMention.document_id)
    .where(FindingMention.finding_id == _FID)
    .order_by(Document.id, FindingMention.position)
)
_RESPONSES = (
    select(
        Response.id,
        Response.finding_id,
        Response.document_id,
        Response.by,
        Response.text,
        Response.evidence,
        Response.start,
        Response.end,
        Document.title,
    )
    .join(Document, Document.id == Response.document_id)
    .where(Response.finding_id == _FID)
    .order_by(Response.id)
)
_RELATED = (
    select(Finding.id, Link.kind, Link.score, Cycle.label, Finding.type, Finding.text)
    .select_from(Link)
    .join(Finding, or_(Finding.id == Link.other_id, Finding.id == Link.finding_id))
    .outerjoin(Cycle, Cycle.id == Finding.cycle_id)
    .where(or_(Link.finding_id == _FID, Link.other_id == _FID), Finding.id != _FID)
    .order_by(Link.score.desc(), Finding.id)
)
_DISCHARGES = (
    select(
        Discharge.id,
        Discharge.document_id,
        Discharge.finding_id,
        Discharge.status,
        Discharge.finding_type,
        Discharge.text,
        Discharge.evidence,
        Discharge.start,
        Discharge.end,
    )
    .where(Discharge.finding_id == _FID)
    .order_by(Discharge.id)
)


def get_finding(store: Store, finding_id: int) -> FindingDetail:
    """One finding: its mentions with evidence in context, responses, related findings, discharges."""
    params = {"finding_id": finding_id}
    with store.read() as session:
        conn = session.connection()
        row = conn.execute(_FINDING_ROW, params).first()
        if row is None:
            raise NotFoundError(f"no finding with id {finding_id}")
        *item, section, source_document_id = row
        return FindingDetail(
            finding=FindingItem(*item),
            section=section,
            source_document_id=source_document_id,
            mentions=[MentionItem(*r) for r in conn.execute(_MENTIONS, params)],
            responses=[ResponseItem(*r) for r in conn.execute(_RESPONSES, params)],
            related=[RelatedItem(*r) for r in conn.execute(_RELATED, params)],
            discharges=[DischargeItem(*r) for r in conn.execute(_DISCHARGES, params)],
        )


def _response_item(r: Response, document_title: str | None) -> ResponseItem:
    return ResponseItem(
        r.id, r.finding_id, r.document_id, r.by, r.text, r.evidence, r.start, r.end, document_title
    )


def _discharge_item(d: Discharge) -> DischargeItem:
    return DischargeItem(
        d.id, d.document_id, d.finding_id, d.status, d.finding_type, d.text, d.evidence, d.start, d.end
    )


_DOCUMENTS_TOTAL = select(func.count()).select_from(Document)
_DOCUMENTS_PAGE = _document_rows(
    select(Document)
    .order_by(Document.id.desc())
    .limit(bindparam("limit", type_=Integer))
    .offset(bindparam("offset", type_=Integer))
)


def list_documents(
    store: Store,
    *,
    force: str | None = None,
    cycle: str | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
    sort: str | None = None,
) -> Page:
    """Stored documents, newest first, with counts of judgments and findings.

    ``sort`` (a key of :data:`DOCUMENT_SORTS`, ``-key`` for descending) orders by that column first.
    """
    _check_page(limit, offset)
    if not (force or cycle or kind or sort):
        # The plain list, newest first: statements built once, the page walked by id.
        with _connection(store) as conn:
            total = conn.execute(_DOCUMENTS_TOTAL).scalar_one()
            rows = conn.execute(_DOCUMENTS_PAGE, {"limit": limit, "offset": offset}).all()
        return Page([DocumentItem(*r) for r in rows], total=total, limit=limit, offset=offset)
    fw = load_framework_or_none() if (force or cycle) else None
    with store.read() as session:
        conn = session.connection()
        query = select(Document)
        if force:
            query = query.where(Document.force_id == resolve_force(session, force, fw).id)
        if cycle:
            query = query.where(Document.cycle_id == resolve_cycle(session, cycle, fw).id)
        if kind:
            query = query.where(Document.kind == _kind(kind))
        total = conn.execute(query.with_only_columns(func.count())).scalar_one()
        order: list[Any] = [Document.id.desc()]
        if sort:
            # Force and cycle are joined by _document_items, which the ORDER BY then uses.
            order.insert(0, _sort_by(sort, DOCUMENT_SORTS))
        items = _document_items(session, query.order_by(*order).limit(limit).offset(offset))
        return Page(items=items, total=total, limit=limit, offset=offset)


def get_document(store: Store, document_id: int) -> DocumentDetail:
    """A document's text and every judgment, finding, response, discharge and statistic with spans."""
    with store.read() as session:
        items = _document_items(session, select(Document).where(Document.id == document_id))
        if not items:
            raise NotFoundError(f"no document with id {document_id}")
        doc = session.get(Document, document_id)
        assert doc is not None
        cycles = dict(session.execute(select(Cycle.id, Cycle.label)).all())
        judgments = [
            JudgmentItem(
                j.id,
                j.scope,
                j.subject,
                j.area_key,
                j.grade,
                j.claim,
                cycles.get(j.cycle_id),
                j.evidence,
                j.start,
                j.end,
            )
            for j in session.scalars(
                select(Judgment).where(Judgment.document_id == document_id).order_by(Judgment.position)
            )
        ]
        findings = [
            DocFinding(m.id, m.finding_id, m.position, m.type, m.ref, m.text, m.evidence, m.start, m.end)
            for m in session.scalars(
                select(FindingMention)
                .where(FindingMention.document_id == document_id)
                .order_by(FindingMention.position)
            )
        ]
        responses = [
            _response_item(r, doc.title)
            for r in session.scalars(
                select(Response).where(Response.document_id == document_id).order_by(Response.position)
            )
        ]
        discharges = [
            _discharge_item(d)
            for d in session.scalars(
                select(Discharge).where(Discharge.document_id == document_id).order_by(Discharge.position)
            )
        ]
        statistics = [
            StatisticItem(
                s.id, s.measure, s.force_value, s.national_value, s.unit, s.period, s.evidence, s.start, s.end
            )
            for s in session.scalars(
                select(Statistic).where(Statistic.document_id == document_id).order_by(Statistic.position)
            )
        ]
        return DocumentDetail(
            document=items[0],
            text=doc.text,
            warnings=list(doc.warnings or []),
            judgments=judgments,
            findings=findings,
            responses=responses,
            discharges=discharges,
            statistics=statistics,
        )
