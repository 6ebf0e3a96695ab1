"""Linking a stored document into the record: recurrence, themes and discharge statements.

:func:`link_document` runs after a document's facts are stored, in the same transaction. It

* re-links every finding the document mentions (new ones, and stored ones whose canonical
  words it may have replaced) to the findings that raise the same issue: ``recurs`` for the
  same force in another cycle, ``theme`` for another force;
* ties each discharge statement of the force's documents to the earlier finding it speaks of,
  with a ``discharges`` link carrying the statement's words as evidence: by the words the
  statement names it with (:mod:`peelwatch.link.discharges`), else by the words around it.

Every link is recomputed from the two findings' current texts alone, and a document's arrival
re-examines whatever it could change (its findings' links, its force's discharge statements),
so the record ends the same whatever order the documents came in. A link an editor rejected
is never recomputed away or recreated (:func:`reject_link`).

Candidates are blocked by area key (a finding is compared with the findings of its area, and
with its own force's findings that have no key) and retrieved from an inverted index of
content stems kept in the store (``link_key``, written when a finding is linked), so linking
costs a few index lookups per finding whatever the size of the record.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from sqlalchemy import Connection, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from peelwatch.link.discharges import match_named
from peelwatch.link.findings import Candidate as _TextCandidate
from peelwatch.link.findings import discharge_match, normalise
from peelwatch.link.recurrence import (
    MIN_LENGTH_RATIO,
    MIN_SHARED_SHARE,
    MIN_SHARED_STEMS,
    RECURRENCE_THRESHOLD,
    Profile,
    content_stems,
    core_text,
    profile,
    rescore,
    score_profiles,
    shares_enough,
    vectors,
)
from peelwatch.store.models import (
    Cycle,
    Discharge,
    Document,
    Finding,
    FindingMention,
    Force,
    Link,
    LinkSignature,
    utcnow,
)
from peelwatch.track.audit import Actor, record

RECURRENCE_KINDS = ("recurs", "theme")
# A discharge statement that quotes no finding is tied by its own words, more loosely than a
# recurrence (it paraphrases: "has developed its advisory group arrangements").
DISCHARGE_WORDS_THRESHOLD = 45.0
DISCHARGE_CONTEXT_CHARS = 1200
EVIDENCE_CHARS = 600
# Findings retrieved for scoring per finding linked, those sharing the most stems first. A
# safety valve, not a filter: the pair rule is applied before it, and on the corpus the most
# candidates any finding has is 16 (docs/linking.md). Were it to bind, which of the weakest
# candidates are kept would depend on what is stored.
CANDIDATE_CAP = 400


class LinkError(LookupError):
    """A link asked for does not exist."""


class _Row(NamedTuple):
    id: int
    force_id: int | None
    cycle_id: int | None
    area_key: str | None
    text: str
    type: str


class _Place(NamedTuple):
    """Where a finding stands: all that deciding whether it is compared with another
    (:func:`_eligible`), and which way a link between them points, needs of it."""

    id: int
    force_id: int | None
    cycle_id: int | None
    area_key: str | None


@dataclass(frozen=True, slots=True)
class LinkSummary:
    """What linking one document changed."""

    findings: int
    recurrence_links: int
    discharge_links: int
    # documents whose discharge statements now name another finding (or none): the statuses
    # they state must be applied again, whichever document arrived
    statements_moved: tuple[int, ...] = ()


@dataclass(slots=True)
class LinkIndex:
    """What one ingest run remembers between documents: whether findings stored before the
    linker's index existed have been indexed, and the content order of cycles and forces.

    The index itself (``link_signature``, ``link_key``) lives in the store, written in the
    same transaction as the links, so it is never stale across runs.
    """

    backfilled: bool = False
    cycle_pos: dict[int, int] = field(default_factory=dict)
    force_slug: dict[int, str] = field(default_factory=dict)

    def clear(self) -> None:
        """Forget everything (after a rolled-back transaction, whose ids may be reused)."""
        self.backfilled = False
        self.cycle_pos.clear()
        self.force_slug.clear()


def _index_blocks(row: _Row) -> list[str]:
    """The blocks a finding is indexed under: its area, and its force for the findings without
    a key (``force:``); a finding without a key under its force alone (``keyless:``)."""
    if row.area_key:
        return [f"area:{row.area_key}"] + ([f"force:{row.force_id}"] if row.force_id is not None else [])
    return [f"keyless:{row.force_id}"] if row.force_id is not None else []


def _probe_blocks(row: _Row) -> list[str]:
    """The blocks a finding's candidates are looked up in, one per kind of finding it is
    compared with (:func:`_eligible`), so no finding is found twice: a finding with a key, its
    area's findings and its force's findings without one; a finding without, all its force's."""
    if row.force_id is None:
        return [f"area:{row.area_key}"] if row.area_key else []
    own = [f"area:{row.area_key}"] if row.area_key else [f"force:{row.force_id}"]
    # a finding with a key never reads its force's other areas, which it is not compared with
    return [*own, f"keyless:{row.force_id}"]


_ROW_COLUMNS = (Finding.id, Finding.force_id, Finding.cycle_id, Finding.area_key, Finding.text, Finding.type)


def _rows(session: Session, ids: Iterable[int]) -> list[_Row]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return [_Row(*r) for r in session.execute(select(*_ROW_COLUMNS).where(Finding.id.in_(wanted)))]


def _same_report(a: _Row | _Place, b: _Row | _Place) -> bool:
    return a.force_id == b.force_id and a.cycle_id == b.cycle_id


def _eligible(x: _Row | _Place, y: _Row | _Place) -> bool:
    """Whether two findings are compared at all (symmetric, so arrival order cannot matter)."""
    if x.id == y.id or _same_report(x, y):
        return False
    if x.area_key and y.area_key:
        return x.area_key == y.area_key
    # a finding without a key is compared with its own force's findings only
    return x.force_id is not None and x.force_id == y.force_id


def _order_key(
    session: Session, index: LinkIndex, row: _Row | _Place, core: str
) -> tuple[int, str, str, int]:
    """Content order of findings: a link points from the later finding to the earlier."""
    if (row.cycle_id is not None and row.cycle_id not in index.cycle_pos) or (
        row.force_id is not None and row.force_id not in index.force_slug
    ):
        index.cycle_pos.update({i: p for i, p in session.execute(select(Cycle.id, Cycle.position))})
        index.force_slug.update({i: s for i, s in session.execute(select(Force.id, Force.slug))})
    pos = index.cycle_pos.get(row.cycle_id, -1) if row.cycle_id is not None else -1
    return (pos, index.force_slug.get(row.force_id, "") if row.force_id else "", core, row.id)


def _digest(row: _Row) -> str:
    """What a finding's index entry was computed from: its words, area key and force."""
    return hashlib.sha1(f"{row.force_id}|{row.area_key}|{row.text}".encode()).hexdigest()


def _driver(session: Session) -> tuple[Connection, str]:
    """The session's connection and its driver's parameter mark, for statements written for
    the driver: those run for every document, whose shape changes with it, and whose building
    through the ORM cost more than running them."""
    connection = session.connection()
    return connection, "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _index_rows(session: Session, rows: list[_Row]) -> dict[int, str]:
    """Write the index entries of ``rows`` (replacing old ones); returns their core texts."""
    if not rows:
        return {}
    ids = [r.id for r in rows]
    if max(ids) >= _ENTRY:
        raise OverflowError(f"finding id {max(ids)} is beyond what the link index holds ({_ENTRY})")
    connection, mark = _driver(session)
    for table in ("link_key", "link_signature"):
        connection.exec_driver_sql(
            f"DELETE FROM {table} WHERE finding_id IN ({', '.join([mark] * len(ids))})", tuple(ids)
        )
    cores = {r.id: core_text(r.text) for r in rows}
    stems = {i: content_stems(c) for i, c in cores.items()}
    profiles = {i: profile(c) for i, c in cores.items()}
    _insert_many(
        session,
        "link_signature (finding_id, digest, core, stems, head_chars, subjects, core_norm2, head_norm2,"
        " force_id, cycle_id, area_key, changed)",
        [
            (
                r.id,
                _digest(r),
                cores[r.id],
                len(stems[r.id]),
                *_stored_profile(profiles[r.id]),
                r.force_id,
                r.cycle_id,
                r.area_key,
                False,
            )
            for r in rows
        ],
    )
    keys = [
        (block, stem, r.id, len(stems[r.id]))
        for r in rows
        for block in _index_blocks(r)
        for stem in sorted(stems[r.id])
    ]
    if keys:
        _insert_many(session, "link_key (block, stem, finding_id, stems)", keys)
    return cores


# subject names never hold it (``distinguishing`` in ``data/linking.yaml`` is words)
_SUBJECTS_SEPARATOR = "|"


def _stored_profile(p: Profile) -> tuple[int, str, int, int]:
    """A profile as ``link_signature`` keeps it beside the core: the head as its length (a
    head is the start of its core), the subjects joined."""
    return len(p.head), _joined_subjects(p.subjects), p.norm2, p.head_norm2


def _joined_subjects(subjects: frozenset[str]) -> str:
    """Subjects as ``link_signature.subjects`` keeps them (and :func:`_indexed_rows` asks)."""
    return _SUBJECTS_SEPARATOR.join(sorted(subjects))


@lru_cache(maxsize=4096)  # few distinct sets: most findings name none or one subject
def _subject_set(joined: str) -> frozenset[str]:
    return frozenset(joined.split(_SUBJECTS_SEPARATOR)) if joined else frozenset()


def _insert_many(session: Session, into: str, rows: list[tuple[object, ...]]) -> None:
    """One driver-level executemany: a few hundred index rows per document, where building an
    ORM parameter set per row cost more than the rest of linking."""
    connection, mark = _driver(session)
    marks = ", ".join([mark] * len(rows[0]))
    connection.exec_driver_sql(f"INSERT INTO {into} VALUES ({marks})", rows)


def index_findings(session: Session, batch: int = 5000) -> int:
    """Index every finding that has no index entry yet (findings stored before the index
    existed, or written in bulk); returns how many were indexed."""
    done = 0
    while True:
        indexed = select(LinkSignature.finding_id).where(LinkSignature.finding_id == Finding.id)
        rows = [
            _Row(*r)
            for r in session.execute(
                select(*_ROW_COLUMNS).where(~indexed.exists()).order_by(Finding.id).limit(batch)
            )
        ]
        if not rows:
            return done
        _index_rows(session, rows)
        done += len(rows)


def _index_complete(session: Session) -> bool:
    """Whether every finding has its index entry: as many entries as findings, since an entry
    belongs to one finding and goes with it. Two counts, where looking for a finding without
    an entry read every finding's entry (a tenth of a second at 100,000 findings, paid by
    every upload)."""
    findings = select(func.count()).select_from(Finding).scalar_subquery()
    entries = select(func.count()).select_from(LinkSignature).scalar_subquery()
    return bool(session.scalar(select(findings == entries)))


# A posting read from the index is one number, stem count * _ENTRY + finding id: cheaper for
# the database to join into a list than two columns (finding ids stay under 2**32).
_ENTRY = 2**32


def _postings(session: Session, wanted: dict[str, set[str]]) -> dict[tuple[str, str], np.ndarray]:
    """The findings indexed under each wanted (block, stem), as arrays of ``_ENTRY`` numbers
    (stem count and id in one): one query for a whole document, each posting list read once
    and joined by the database."""
    connection, mark = _driver(session)
    entry = f"CAST(stems AS BIGINT) * {_ENTRY} + finding_id"
    joined = (
        f"group_concat({entry})"
        if connection.dialect.name == "sqlite"
        else f"string_agg(CAST({entry} AS TEXT), ',')"
    )
    parts: list[str] = []
    params: list[str] = []
    for block, stems in sorted(wanted.items()):
        parts.append(
            f"SELECT block, stem, {joined} FROM link_key WHERE block = {mark}"
            f" AND stem IN ({', '.join([mark] * len(stems))}) GROUP BY block, stem"
        )
        params += [block, *sorted(stems)]
    # fetched at once: a row at a time cost more than the query; parsed by numpy, which reads
    # the joined numbers in a third of the time splitting them did
    rows = connection.exec_driver_sql(" UNION ALL ".join(parts), tuple(params)).all()
    return {(block, stem): np.fromstring(found, dtype=np.int64, sep=",") for block, stem, found in rows}


def _kept_candidates(
    x: _Row, stems: frozenset[str], postings: dict[tuple[str, str], np.ndarray]
) -> list[int]:
    """The ids of the findings of x's blocks that share enough stems with x to be scored
    (:func:`~peelwatch.link.recurrence.shares_enough`, from the stem counts in the entries),
    the ``CANDIDATE_CAP`` sharing most, ties by id."""
    lists = [
        postings[key] for block in _probe_blocks(x) for stem in stems if (key := (block, stem)) in postings
    ]
    if not lists:
        return []
    # x's probe blocks hold different findings, so an entry's count over all of them is the
    # number of x's stems its finding has
    entries, counts = np.unique(np.concatenate(lists), return_counts=True)
    sizes, ids = np.divmod(entries, _ENTRY)
    n = len(stems)
    keep = (
        (counts >= MIN_SHARED_STEMS)
        & (ids != x.id)
        & (MIN_LENGTH_RATIO * n <= sizes)
        & (sizes <= n / MIN_LENGTH_RATIO)
        & (counts >= MIN_SHARED_SHARE * np.minimum(sizes, n))
    )
    ids, counts = ids[keep], counts[keep]
    order = np.lexsort((ids, -counts))[:CANDIDATE_CAP]
    return ids[order].tolist()


def _candidate_ids(
    session: Session, xs: list[_Row], stems: dict[int, frozenset[str]]
) -> dict[int, list[int]]:
    """For each finding x, the ids of the findings of its blocks whose stems overlap x's enough
    to be scored (:func:`_kept_candidates`): one query for all of ``xs``."""
    linked = [x for x in xs if len(stems[x.id]) >= MIN_SHARED_STEMS and _probe_blocks(x)]
    wanted: dict[str, set[str]] = defaultdict(set)
    for x in linked:
        for block in _probe_blocks(x):
            wanted[block] |= stems[x.id]
    postings = _postings(session, wanted) if wanted else {}
    out: dict[int, list[int]] = {x.id: [] for x in xs}
    for x in linked:
        out[x.id] = _kept_candidates(x, stems[x.id], postings)
    return out


class _Indexed(NamedTuple):
    """A candidate as the index holds it: where it stands, its scoring profile, and whether the
    index entry was computed from its current words (else the profile is worked out from them)."""

    row: _Place
    profile: Profile
    current: bool


_PROFILE_COLUMNS = "s.core, s.head_chars, s.subjects, s.core_norm2, s.head_norm2"
# Bound parameters per statement, under what SQLite (32,766) and PostgreSQL (65,535) take: a
# large batch's candidates are read in several statements.
_IDS_PER_PART = 5000
_PARAMS_PER_STATEMENT = 30000


def _indexed_rows(session: Session, wanted: dict[str, set[int]]) -> dict[int, _Indexed]:
    """Findings with the scoring profiles they are indexed under, asked for by the subjects
    (as ``link_signature`` joins them) of the findings they are to be scored against.

    Findings naming other subjects than those are not read: they would score 0
    (:func:`~peelwatch.link.recurrence.score_profiles`). An entry no write of its finding has
    marked since (``changed``, set by a trigger) is read alone: it holds the finding's force,
    cycle and key, and its profile was worked out from the finding's words. A marked one is read
    whatever subjects it keeps, and checked against its finding, as every entry once was.
    """
    wanted = {named: ids for named, ids in wanted.items() if ids}
    if not wanted:
        return {}
    connection, mark = _driver(session)
    statements: list[tuple[list[str], list[object]]] = [([], [])]
    for named, ids in sorted(wanted.items()):
        ordered = sorted(ids)
        for start in range(0, len(ordered), _IDS_PER_PART):
            chunk = ordered[start : start + _IDS_PER_PART]
            parts, params = statements[-1]
            if parts and len(params) + len(chunk) + 2 > _PARAMS_PER_STATEMENT:
                statements.append(([], []))
                parts, params = statements[-1]
            parts.append(
                f"SELECT s.finding_id, s.force_id, s.cycle_id, s.area_key, s.changed, {_PROFILE_COLUMNS}"
                f" FROM link_signature s WHERE s.finding_id IN ({', '.join([mark] * len(chunk))})"
                f" AND (s.subjects = {mark} OR s.changed = {mark})"
            )
            params += [*chunk, named, True]
    found = [
        row
        for parts, params in statements
        for row in connection.exec_driver_sql(" UNION ALL ".join(parts), tuple(params)).all()
    ]
    out = {}
    marked = set()
    for y_id, force_id, cycle_id, area_key, changed, *kept in found:
        if changed:
            marked.add(y_id)
        else:
            out[y_id] = _Indexed(_Place(y_id, force_id, cycle_id, area_key), _profile_kept(*kept), True)
    if marked:
        out.update(_checked_rows(connection, mark, sorted(marked)))
    return out


def _profile_kept(core: str, head_chars: int, named: str, norm2: int, head_norm2: int) -> Profile:
    return Profile(core, core[:head_chars], _subject_set(named), norm2, head_norm2)


def _checked_rows(connection: Connection, mark: str, ids: list[int]) -> dict[int, _Indexed]:
    """Marked entries, read with their findings: an entry computed from other words, force or
    key than the finding's now (a correction made outside the linker) is not trusted."""
    sql = (
        "SELECT f.id, f.force_id, f.cycle_id, f.area_key, f.text, f.type,"
        f" s.digest, {_PROFILE_COLUMNS}"
        " FROM finding f JOIN link_signature s ON s.finding_id = f.id"
        f" WHERE f.id IN ({', '.join([mark] * len(ids))})"
    )
    out = {}
    for *row, digest, core, head_chars, named, norm2, head_norm2 in connection.exec_driver_sql(
        sql, tuple(ids)
    ).all():
        y = _Row(*row)
        place = _Place(y.id, y.force_id, y.cycle_id, y.area_key)
        if digest == _digest(y):
            out[y.id] = _Indexed(place, _profile_kept(core, head_chars, named, norm2, head_norm2), True)
        else:
            out[y.id] = _Indexed(place, profile(core_text(y.text)), False)
    return out


def relink_finding(session: Session, finding_id: int, index: LinkIndex | None = None) -> int:
    """Recompute the ``recurs``/``theme`` links of one finding; return how many it has now.

    Links an editor rejected stay as they are and are not created again.
    """
    index = index if index is not None else LinkIndex()
    found = _rows(session, [finding_id])
    if not found:
        raise LinkError(f"no finding {finding_id}")
    return _relink(session, found, _index_rows(session, found), index)


def _relink(session: Session, xs: list[_Row], cores: dict[int, str], index: LinkIndex) -> int:
    """Recompute the recurrence links of the (indexed) findings ``xs``; how many they have now."""
    ids = [x.id for x in xs]
    touches = or_(Link.finding_id.in_(ids), Link.other_id.in_(ids))
    session.execute(delete(Link).where(Link.kind.in_(RECURRENCE_KINDS), Link.rejected.is_(False), touches))
    # read and written on the connection: the ORM delete above has flushed the session, and no
    # object is loaded or made here (building them through the ORM cost more than the statements)
    connection = session.connection()
    links = Link.__table__
    rejected = {
        (a, b)
        for a, b in connection.execute(
            select(links.c.finding_id, links.c.other_id).where(links.c.kind.in_(RECURRENCE_KINDS), touches)
        ).all()
    }
    stems = {x.id: content_stems(cores[x.id]) for x in xs}
    wanted = _candidate_ids(session, xs, stems)
    profiles = {x.id: profile(cores[x.id]) for x in xs}
    # a candidate is scored only if it names x's subjects: read only those (see _indexed_rows)
    by_subjects: dict[str, set[int]] = defaultdict(set)
    for x in xs:
        by_subjects[_joined_subjects(profiles[x.id].subjects)].update(wanted[x.id])
    indexed = _indexed_rows(session, by_subjects)
    # A candidate whose entry is current shares enough stems with x: its index entries, which
    # the lookup counted, are its stems. One read on other words is checked on those.
    pools = {
        x.id: [
            indexed[i]
            for i in sorted(wanted[x.id])
            if i in indexed
            and indexed[i].profile.subjects == profiles[x.id].subjects
            and _eligible(x, indexed[i].row)
            and (indexed[i].current or shares_enough(stems[x.id], content_stems(indexed[i].profile.core)))
        ]
        for x in xs
    }
    scored = score_profiles([(profiles[x.id], [c.profile for c in pools[x.id]]) for x in xs])
    made: dict[tuple[int, int], dict[str, object]] = {}
    for x, scores in zip(xs, scored, strict=True):
        core = cores[x.id]
        for (y, y_profile, _current), score in zip(pools[x.id], scores, strict=True):
            y_core = y_profile.core
            if score < RECURRENCE_THRESHOLD:
                continue
            key_x, key_y = _order_key(session, index, x, core), _order_key(session, index, y, y_core)
            later, earlier = (x, y) if key_x > key_y else (y, x)
            if (later.id, earlier.id) in rejected:
                continue
            kind = "recurs" if x.force_id is not None and x.force_id == y.force_id else "theme"
            made[(later.id, earlier.id)] = {
                "finding_id": later.id,
                "other_id": earlier.id,
                "kind": kind,
                "score": float(score),
            }
    if made:
        connection.execute(insert(links), list(made.values()))
    return len(made) + len(rejected)


def _discharge_context(doc_text: str, d: Discharge) -> str:
    """The statement with the paragraph before it, where the finding is usually quoted."""
    if not (0 <= d.start < d.end <= len(doc_text)):
        return d.text
    para = doc_text.rfind("\n\n", 0, d.start) + 1
    start = max(para, d.start - DISCHARGE_CONTEXT_CHARS)
    return doc_text[start : d.end]


class _StatingDocument(NamedTuple):
    """What matching a discharge statement needs of its document (read as columns: loading
    documents as ORM objects, each force's with every batch, cost more than matching)."""

    id: int
    force_id: int | None
    cycle_id: int | None
    text: str


def _discharge_candidates(session: Session, doc: _StatingDocument) -> list[_Row]:
    """The force's findings of this document's cycle or earlier (any cycle when it is unknown)."""
    if doc.force_id is None:
        return []
    query = select(*_ROW_COLUMNS).where(Finding.force_id == doc.force_id)
    if doc.cycle_id is not None:
        position = select(Cycle.position).where(Cycle.id == doc.cycle_id).scalar_subquery()
        query = query.outerjoin(Cycle, Cycle.id == Finding.cycle_id).where(
            or_(Finding.cycle_id.is_(None), Cycle.position <= position)
        )
    return [_Row(*r) for r in session.execute(query).all()]


def match_discharge(
    text: str, context: str, finding_type: str | None, candidates: list[_Row]
) -> tuple[int, float] | None:
    """The finding a discharge statement speaks of, with its score, or None when unclear.

    The finding quoted near the statement wins; failing a quote, the statement's own words are
    compared with the candidates of its type ("this area for improvement"), and only a clear
    best is taken.
    """
    if not candidates:
        return None
    quoted = discharge_match(context, [_TextCandidate(r.id, normalise(r.text), r.type) for r in candidates])
    if quoted is not None:
        return quoted[0].id, float(quoted[1])
    pool = [r for r in candidates if finding_type is None or r.type == finding_type] or candidates
    core = core_text(text)
    cores = [core_text(r.text) for r in pool]
    if not core:
        return None
    matrix = vectors([core, *cores])
    cosines = (matrix[1:] @ matrix[0].T).toarray().ravel()
    scored = sorted(
        ((rescore(core, c, float(cos)), r.id) for r, c, cos in zip(pool, cores, cosines, strict=True)),
        reverse=True,
    )
    if not scored or scored[0][0] < DISCHARGE_WORDS_THRESHOLD:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # two findings fit equally: say nothing rather than guess
    return scored[0][1], scored[0][0]


def link_discharges(session: Session, force_id: int | None, moved: set[int] | None = None) -> int:
    """Tie the discharge statements of a force's documents to the findings they speak of.

    Every statement is matched again (an earlier finding may have arrived since), except those
    whose link an editor rejected. Returns the number of ``discharges`` links of the force;
    ``moved``, when given, receives the ids of documents whose statements' findings changed.
    """
    if force_id is None:
        return 0
    statements = [
        (d, _StatingDocument(*doc))
        for d, *doc in session.execute(
            select(Discharge, Document.id, Document.force_id, Document.cycle_id, Document.text)
            .join(Document, Document.id == Discharge.document_id)
            .where(Document.force_id == force_id)
        ).all()
    ]
    if not statements:
        return 0  # no statement, no discharge link: the queries below would find nothing
    made = 0
    # each statement's link, read in one query rather than one per statement (a statement
    # has one link at most)
    links = {
        link.discharge_id: link
        for link in session.scalars(
            select(Link)
            .join(Discharge, Discharge.id == Link.discharge_id)
            .join(Document, Document.id == Discharge.document_id)
            .where(Document.force_id == force_id)
        )
    }
    candidates_by_doc: dict[int, list[_Row]] = {}
    cycles = {
        i: (label, pos) for i, label, pos in session.execute(select(Cycle.id, Cycle.label, Cycle.position))
    }
    positions = {i: pos for i, (_label, pos) in cycles.items()}
    for d, doc in statements:
        link = links.get(d.id)
        if link is not None and link.rejected:
            continue
        if doc.id not in candidates_by_doc:
            candidates_by_doc[doc.id] = _discharge_candidates(session, doc)
        context = _discharge_context(doc.text, d)
        if d.referent == "unnamed":
            found = None  # "many of the causes of concern": no finding is named
        elif d.names:
            cycle = cycles[doc.cycle_id][0] if doc.cycle_id in cycles else None
            found = match_named(d.names, d.finding_type, cycle, candidates_by_doc[doc.id], positions)
        else:
            found = match_discharge(d.text, context, d.finding_type, candidates_by_doc[doc.id])
        target, score = found if found is not None else (None, 0.0)
        if moved is not None and d.finding_id != target:
            moved.add(doc.id)
        if target is None:
            d.finding_id = None
            if link is not None:
                session.delete(link)
            continue
        d.finding_id = target
        evidence = context[-EVIDENCE_CHARS:]
        if link is None:
            session.add(
                Link(
                    finding_id=target,
                    other_id=None,
                    kind="discharges",
                    score=score,
                    discharge_id=d.id,
                    evidence=evidence,
                )
            )
        else:
            link.finding_id, link.score, link.evidence = target, score, evidence
        made += 1
    return made


def link_document(session: Session, document_id: int, index: LinkIndex | None = None) -> LinkSummary:
    """Link one stored document into the record (see the module's description)."""
    return link_documents(session, [document_id], index)


def link_documents(
    session: Session, document_ids: Iterable[int], index: LinkIndex | None = None
) -> LinkSummary:
    """Link stored documents into the record together: what linking each in turn gives.

    Every link is recomputed from the findings' current texts, so linking a batch once after
    all of it is stored ends where linking each document after storing it does, at the cost of
    one pass: each finding the batch mentions is indexed and relinked once, each force's
    discharge statements matched once. The caller's transaction holds the whole batch.
    """
    wanted = sorted(set(document_ids))
    found = dict(session.execute(select(Document.id, Document.force_id).where(Document.id.in_(wanted))).all())
    missing = [i for i in wanted if i not in found]
    if missing:
        raise LinkError(f"no document {missing[0]}")
    session.flush()
    index = index if index is not None else LinkIndex()
    mentioned = select(FindingMention.finding_id).where(FindingMention.document_id.in_(wanted))
    rows = [
        _Row(*r)
        for r in session.execute(
            select(*_ROW_COLUMNS).where(Finding.id.in_(mentioned)).order_by(Finding.id)
        ).all()
    ]
    # every finding of the documents is indexed before any is linked, so none is missed
    cores = _index_rows(session, rows)
    # then whatever else lacks an entry: after the documents' own, which were just stored and
    # would otherwise make the record look unindexed and be searched for among all findings
    if not index.backfilled:
        if not _index_complete(session):
            index_findings(session)
        index.backfilled = True
    recurrence = _relink(session, rows, cores, index) if rows else 0
    session.flush()
    moved: set[int] = set()
    forces = sorted({force for force in found.values() if force is not None})
    discharges = sum(link_discharges(session, force, moved) for force in forces)
    session.flush()
    return LinkSummary(
        findings=len(rows),
        recurrence_links=recurrence,
        discharge_links=discharges,
        statements_moved=tuple(sorted(moved)),
    )


def relink_all(session: Session) -> LinkSummary:
    """Recompute every link of the record (after a change of the linking rules)."""
    index = LinkIndex()
    index_findings(session)
    index.backfilled = True
    ids = list(session.scalars(select(Finding.id).order_by(Finding.id)))
    recurrence = sum(relink_finding(session, fid, index) for fid in ids)
    session.flush()
    forces = set(session.scalars(select(Document.force_id).where(Document.force_id.is_not(None))))
    moved: set[int] = set()
    discharges = sum(link_discharges(session, f, moved) for f in sorted(forces))
    session.flush()
    return LinkSummary(
        findings=len(ids),
        recurrence_links=recurrence,
        discharge_links=discharges,
        statements_moved=tuple(sorted(moved)),
    )


def reject_link(session: Session, actor: Actor, link_id: int, *, reason: str = "") -> Link:
    """Mark a link wrong (an editor's decision); it stays rejected through every re-linking."""
    actor.require("editor")
    link = session.get(Link, link_id)
    if link is None:
        raise LinkError(f"no link {link_id}")
    before = {"rejected": link.rejected}
    link.rejected, link.rejected_by, link.rejected_at = True, actor.name, utcnow()
    if link.kind == "discharges" and link.discharge_id is not None:
        statement = session.get(Discharge, link.discharge_id)
        if statement is not None:
            statement.finding_id = None
    record(
        session,
        actor,
        action="reject",
        entity="link",
        entity_id=link.id,
        before=before,
        after={"rejected": True, "kind": link.kind, "reason": reason},
    )
    return link


def restore_link(session: Session, actor: Actor, link_id: int) -> Link:
    """Undo a rejection; the link is then recomputed like any other on the next re-linking."""
    actor.require("editor")
    link = session.get(Link, link_id)
    if link is None:
        raise LinkError(f"no link {link_id}")
    link.rejected, link.rejected_by, link.rejected_at = False, None, None
    if link.kind == "discharges" and link.discharge_id is not None:
        statement = session.get(Discharge, link.discharge_id)
        if statement is not None:
            statement.finding_id = link.finding_id
    record(
        session,
        actor,
        action="restore",
        entity="link",
        entity_id=link.id,
        before={"rejected": True},
        after={"rejected": False},
    )
    return link
