"""Questions across the whole record: claims against grades, the national picture, what changed,
themes and the feed of what is new.

The answers come from the link library's queries (:mod:`peelwatch.store.link_queries`:
claims, distribution, trajectory, what changed, themes); this module opens the session, adds
what pages need beside them (names, the framework's labels, the passage each grade was read
from, where the question changed) and answers the one question they do not: the feed of what
is new. Every function takes an open :class:`~peelwatch.store.engine.Store`, names forces by
slug, name or alias and cycles by any common spelling (unknown ones raise
:class:`~peelwatch.errors.UnknownNameError`), and returns dataclasses.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from peelwatch.errors import PeelwatchError
from peelwatch.link.claims import OUTCOMES
from peelwatch.link.claims import grade_rank as _grade_rank
from peelwatch.store import link_queries
from peelwatch.store.engine import Store
from peelwatch.store.models import Cycle, Document, Finding, Force, Judgment
from peelwatch.store.names import load_framework_or_none, resolve_cycle, resolve_force

__all__ = [
    "CLAIM_OUTCOMES",
    "FINDING_CHANGES",
    "GRADE_CHANGES",
    "ClaimCheck",
    "Distribution",
    "DistributionRow",
    "FeedEntry",
    "FindingChange",
    "GradeChange",
    "Theme",
    "ThemeFinding",
    "TrajectoryPoint",
    "WhatChanged",
    "area_label",
    "claim_checks",
    "feed_entries",
    "force_cycles",
    "grade_distribution",
    "grade_rank",
    "themes",
    "trajectory",
    "what_changed",
]

CLAIM_OUTCOMES: tuple[str, ...] = tuple(OUTCOMES)
GRADE_CHANGES: tuple[str, ...] = ("up", "down", "same", "new", "gone")
FINDING_CHANGES: tuple[str, ...] = ("new", "recurring", "discharged", "not_discharged", "open")
_RECENT_FIRST = (Document.published.desc().nulls_last(), Judgment.document_id.desc(), Judgment.position)


# --------------------------------------------------------------------------- result types


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """A grade a commissioner, force or news item stated, against the inspectorate's for the key."""

    judgment_id: int
    document_id: int
    document_kind: str
    document_title: str
    force: str | None
    force_name: str | None
    cycle: str | None
    key: str | None
    area_label: str
    subject: str
    claimed: str
    inspectorate: str | None
    inspectorate_judgment_id: int | None
    inspectorate_document_id: int | None
    outcome: str
    evidence: str


@dataclass(frozen=True, slots=True)
class DistributionRow:
    """How many forces the inspectorate gave each grade for one key in one cycle."""

    cycle: str
    key: str
    label: str
    counts: dict[str, int]
    graded: int
    not_graded: int  # forces in the record with no inspectorate grade for the key


@dataclass(frozen=True, slots=True)
class Distribution:
    """The grade distribution of one cycle across the forces, key by key."""

    cycle: str | None
    cycles: list[str]
    scale: list[str]
    comparability: str
    forces: int
    rows: list[DistributionRow]


@dataclass(frozen=True, slots=True)
class TrajectoryPoint:
    """A force's inspectorate grade for one key in one cycle, and what changed since its last point."""

    key: str
    label: str
    cycle: str
    grade: str
    rank: int | None
    judgment_id: int | None
    document_id: int | None
    scale_changed: bool  # the cycle grades on another scale than the key's previous point
    question_changed: bool  # the framework words the key differently (or lacks it) in this cycle
    question: str | None


@dataclass(frozen=True, slots=True)
class GradeChange:
    """One key's grade in the two cycles and which way it moved."""

    key: str
    label: str
    before: str | None
    after: str | None
    change: str  # one of GRADE_CHANGES
    before_judgment_id: int | None = None
    before_document_id: int | None = None
    after_judgment_id: int | None = None
    after_document_id: int | None = None


@dataclass(frozen=True, slots=True)
class FindingChange:
    """A finding of one of the two cycles and what became of it."""

    finding_id: int
    cycle: str
    type: str
    area_key: str | None
    text: str
    change: str  # one of FINDING_CHANGES
    related_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class WhatChanged:
    """A force between two cycles."""

    force: str
    force_name: str
    before: str
    after: str
    scale_changed: bool
    grades: list[GradeChange]
    findings: list[FindingChange]


@dataclass(frozen=True, slots=True)
class ThemeFinding:
    """One finding of a theme."""

    id: int
    force: str | None
    force_name: str | None
    cycle: str | None
    type: str
    text: str


@dataclass(frozen=True, slots=True)
class Theme:
    """Findings of several forces linked as raising the same issue."""

    id: int  # the smallest finding id in it: stable while the links stay
    area_key: str | None
    label: str
    count: int
    forces: list[tuple[str, str]]  # (slug, name)
    findings: list[ThemeFinding]


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """Something new in the record: a document, an inspectorate grade or a finding."""

    kind: Literal["document", "grade", "finding"]
    id: int
    document_id: int
    title: str
    summary: str
    updated: datetime
    force: str | None
    cycle: str | None


# --------------------------------------------------------------------------- shared


def grade_rank(grade: str | None) -> int | None:
    """The framework's rank of a grade (4 outstanding .. 0 inadequate); None for ungraded or unknown."""
    return _grade_rank(grade) if grade else None


@dataclass(slots=True)
class _Ids:
    """Slug <-> id of forces and label <-> id of cycles, loaded once per question."""

    force: dict[str, int] = field(default_factory=dict)
    force_name: dict[str, str] = field(default_factory=dict)
    cycle: dict[str, Cycle] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> _Ids:
        ids = cls()
        for i, slug, name in session.execute(select(Force.id, Force.slug, Force.name)):
            ids.force[slug], ids.force_name[slug] = i, name
        ids.cycle = {c.label: c for c in session.scalars(select(Cycle))}
        return ids


def _evidence(
    session: Session, *, force_id: int | None = None, cycle_ids: list[int] | None = None
) -> dict[tuple[int, int, str, str], tuple[int, int]]:
    """(force id, cycle id, key, grade) -> (judgment id, document id) of the most recent
    inspectorate statement of that grade: where a grade the link library settled on was said."""
    q = (
        select(
            Judgment.id,
            Judgment.force_id,
            Judgment.cycle_id,
            Judgment.area_key,
            Judgment.grade,
            Judgment.document_id,
        )
        .join(Document, Document.id == Judgment.document_id)
        .where(Judgment.claim.is_(False), Judgment.area_key.is_not(None))
        .order_by(*_RECENT_FIRST)
    )
    if force_id is not None:
        q = q.where(Judgment.force_id == force_id)
    if cycle_ids is not None:
        q = q.where(Judgment.cycle_id.in_(cycle_ids))
    out: dict[tuple[int, int, str, str], tuple[int, int]] = {}
    for j in session.execute(q):
        out.setdefault((j.force_id, j.cycle_id, j.area_key, j.grade), (j.id, j.document_id))
    return out


@lru_cache(maxsize=64)
def _cycle_labels(cycle: str | None) -> dict[str, str]:
    """Canonical key -> the framework's short label: the cycle's own, else the latest cycle's."""
    fw = load_framework_or_none()
    if fw is None:
        return {}
    # The framework lists subjects cycle by cycle, oldest first: the latest wording wins.
    labels = {s.key: s.short or s.name for s in fw.subjects()}
    if cycle is not None:
        # A cycle the framework does not know keeps the general labels.
        with contextlib.suppress(PeelwatchError):
            labels.update({s.key: s.short or s.name for s in fw.subjects(cycle=cycle)})
    return labels


def area_label(key: str | None, cycle: str | None = None, subject: str | None = None) -> str:
    """How the framework names a canonical key in ``cycle`` (else in its latest cycle); the
    subject as written, or the key in words, when the framework does not know it."""
    if not key:
        return subject or ""
    return _cycle_labels(cycle).get(key) or subject or key.replace("-", " ").capitalize()


# --------------------------------------------------------------------------- claims


def claim_checks(
    store: Store, *, force: str | None = None, cycle: str | None = None, outcome: str | None = None
) -> list[ClaimCheck]:
    """Every claimed grade compared with the inspectorate's grade for the same force, cycle and key
    (:func:`peelwatch.store.link_queries.claims`), with the names and the inspectorate's evidence.

    ``outcome`` keeps one of :data:`CLAIM_OUTCOMES`; ``"differs"`` keeps ``higher`` and ``lower``.
    """
    with store.read() as session:
        checks = link_queries.claims(session, force, cycle, None if outcome == "differs" else outcome)
        if outcome == "differs":
            checks = [c for c in checks if c.outcome in ("higher", "lower")]
        ids = _Ids.load(session)
        force_id = resolve_force(session, force, load_framework_or_none()).id if force else None
        evidence = _evidence(session, force_id=force_id)
        titles = _titles(session, {c.document_id for c in checks})
        out = []
        for c in checks:
            fid = ids.force.get(c.force or "")
            cyc = ids.cycle.get(c.cycle or "")
            ref = (
                evidence.get((fid, cyc.id, c.key, c.inspectorate))
                if fid and cyc and c.key and c.inspectorate
                else None
            )
            out.append(
                ClaimCheck(
                    judgment_id=c.judgment_id,
                    document_id=c.document_id,
                    document_kind=c.document_kind,
                    document_title=titles.get(c.document_id, f"Document {c.document_id}"),
                    force=c.force,
                    force_name=ids.force_name.get(c.force or ""),
                    cycle=c.cycle,
                    key=c.key,
                    area_label=area_label(c.key, c.cycle, c.subject),
                    subject=c.subject,
                    claimed=c.claimed,
                    inspectorate=c.inspectorate,
                    inspectorate_judgment_id=ref[0] if ref else None,
                    inspectorate_document_id=ref[1] if ref else None,
                    outcome=c.outcome,
                    evidence=c.evidence,
                )
            )
        return out


def _titles(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Document.id, Document.title, Document.source).where(Document.id.in_(ids)))
    return {i: title or source or f"Document {i}" for i, title, source in rows}


# --------------------------------------------------------------------------- national picture


def _latest_graded_cycle(session: Session) -> Cycle | None:
    return session.scalar(
        select(Cycle)
        .where(Cycle.id.in_(select(Judgment.cycle_id).where(Judgment.claim.is_(False))))
        .order_by(Cycle.position.desc(), Cycle.label.desc())
        .limit(1)
    )


def _key_order(fw: Any, cycle: str | None = None) -> dict[str, int]:
    if fw is None:
        return {}
    try:
        return {s.key: i for i, s in enumerate(fw.subjects(cycle=cycle))}
    except PeelwatchError:  # a cycle the framework does not know: keys by label
        return {}


def grade_distribution(store: Store, cycle: str | None = None) -> Distribution:
    """Per key of one cycle (default: the latest the inspectorate graded), how many forces got
    each grade (:func:`peelwatch.store.link_queries.grade_distribution`), in the framework's order
    of keys, with the forces that have no grade for the key."""
    fw = load_framework_or_none()
    with store.read() as session:
        cyc = resolve_cycle(session, cycle, fw) if cycle else _latest_graded_cycle(session)
        cycles = [c for (c,) in session.execute(select(Cycle.label).order_by(Cycle.position, Cycle.label))]
        n_forces = len(session.scalars(select(Force.id)).all())
        if cyc is None:
            return Distribution(None, cycles, [], "", n_forces, [])
        counts = link_queries.grade_distribution(session, cyc.label)
        order = _key_order(fw, cyc.label)
        rows = [
            DistributionRow(
                cycle=c.cycle,
                key=c.key,
                label=area_label(c.key, cyc.label),
                counts=dict(c.counts),
                graded=c.forces,
                not_graded=max(n_forces - c.forces, 0),
            )
            for c in sorted(
                counts, key=lambda c: (order.get(c.key, len(order)), area_label(c.key, cyc.label))
            )
        ]
        comparability = counts[0].comparability if counts else ""
        return Distribution(cyc.label, cycles, list(cyc.scale or []), comparability, n_forces, rows)


def _question(fw: Any, key: str, cycle: str) -> str | None:
    if fw is None:
        return None
    subject = fw.subject_by_key(key, cycle)
    return subject.name if subject is not None else None


def trajectory(store: Store, force: str) -> list[TrajectoryPoint]:
    """A force's inspectorate grades by canonical key across the cycles, oldest first per key
    (:func:`peelwatch.store.link_queries.trajectory`): each point says whether the scale changed
    since the key's previous point and whether the framework words the key differently in this
    cycle (or lacks it), with the passage the grade was read from."""
    fw = load_framework_or_none()
    with store.read() as session:
        points = link_queries.trajectory(session, force)
        ids = _Ids.load(session)
        f = resolve_force(session, force, fw)
        evidence = _evidence(session, force_id=f.id)
        order = _key_order(fw)
        out: list[TrajectoryPoint] = []
        previous: dict[str, str | None] = {}
        for p in sorted(points, key=lambda p: (order.get(p.key, len(order)), p.key, p.position)):
            question = _question(fw, p.key, p.cycle)
            ref = evidence.get((f.id, ids.cycle[p.cycle].id, p.key, p.grade), (None, None))
            out.append(
                TrajectoryPoint(
                    key=p.key,
                    label=area_label(p.key),
                    cycle=p.cycle,
                    grade=p.grade,
                    rank=p.rank,
                    judgment_id=ref[0],
                    document_id=ref[1],
                    scale_changed=p.scale_changed,
                    question_changed=p.key in previous and (question is None or question != previous[p.key]),
                    question=question,
                )
            )
            previous[p.key] = question
        return out


def force_cycles(store: Store, force: str) -> list[str]:
    """The cycles with something to compare for a force: an inspectorate grade or a finding,
    oldest first."""
    with store.read() as session:
        f = resolve_force(session, force, load_framework_or_none())
        graded = select(Judgment.cycle_id).where(Judgment.force_id == f.id, Judgment.claim.is_(False))
        found = select(Finding.cycle_id).where(Finding.force_id == f.id)
        q = (
            select(Cycle.label)
            .where(or_(Cycle.id.in_(graded), Cycle.id.in_(found)))
            .order_by(Cycle.position, Cycle.label)
        )
        return list(session.scalars(q))


def what_changed(store: Store, force: str, before: str, after: str) -> WhatChanged:
    """A force between two cycles, given in either order (:func:`peelwatch.store.link_queries.what_changed`):
    each key's grade up, down, same, new or gone, and each finding ``new`` or ``recurring`` (later
    cycle), ``discharged``, ``not_discharged`` or ``open`` (earlier cycle); with labels, the
    passages of the grades, and whether the two cycles grade on different scales."""
    fw = load_framework_or_none()
    with store.read() as session:
        f = resolve_force(session, force, fw)
        c1, c2 = resolve_cycle(session, before, fw), resolve_cycle(session, after, fw)
        if (c1.position, c1.label) > (c2.position, c2.label):
            c1, c2 = c2, c1
        changed = link_queries.what_changed(session, f.slug, c1.label, c2.label)
        evidence = _evidence(session, force_id=f.id, cycle_ids=[c1.id, c2.id])

        def ref(cycle_id: int, key: str, grade: str | None) -> tuple[int | None, int | None]:
            return evidence.get((f.id, cycle_id, key, grade or ""), (None, None))

        grades = []
        for g in sorted(changed.grades, key=lambda g: area_label(g.key, c2.label)):
            b, a = ref(c1.id, g.key, g.before), ref(c2.id, g.key, g.after)
            grades.append(
                GradeChange(g.key, area_label(g.key, c2.label), g.before, g.after, g.change, *b, *a)
            )
        findings = [
            FindingChange(x.finding_id, x.cycle, x.type, x.area_key, x.text, x.change, tuple(x.related_ids))
            for x in changed.findings
        ]
        scale_changed = list(c1.scale or []) != list(c2.scale or [])
        return WhatChanged(f.slug, f.name, c1.label, c2.label, scale_changed, grades, findings)


# --------------------------------------------------------------------------- themes


def themes(store: Store, *, area: str | None = None, min_forces: int = 2) -> list[Theme]:
    """Clusters of findings raised again across ``min_forces`` forces or more
    (:func:`peelwatch.store.link_queries.themes`), largest first, each with its findings and the
    forces' names. ``area`` keeps the clusters of one canonical key."""
    with store.read() as session:
        found = [t for t in link_queries.themes(session, min_forces) if area is None or t.area_key == area]
        ids = sorted({i for t in found for i in t.finding_ids})
        info: dict[int, Any] = {}
        for chunk in range(0, len(ids), 900):  # SQLite's bound-parameter limit
            for r in session.execute(
                select(Finding.id, Finding.type, Finding.text, Force.slug, Force.name, Cycle.label)
                .outerjoin(Force, Force.id == Finding.force_id)
                .outerjoin(Cycle, Cycle.id == Finding.cycle_id)
                .where(Finding.id.in_(ids[chunk : chunk + 900]))
            ):
                info[r.id] = r
        names = dict(session.execute(select(Force.slug, Force.name)).all())
        return [
            Theme(
                id=min(t.finding_ids),
                area_key=t.area_key,
                label=(area_label(t.area_key) + ": " if t.area_key else "") + _clip(t.label),
                count=t.count,
                forces=sorted(((s, names.get(s, s)) for s in t.forces), key=lambda sn: sn[1]),
                findings=[
                    ThemeFinding(r.id, r.slug, r.name, r.label, r.type, r.text)
                    for r in (info[i] for i in t.finding_ids if i in info)
                ],
            )
            for t in found
        ]


def _clip(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# --------------------------------------------------------------------------- feed


@dataclass(slots=True)
class _Doc:
    id: int
    title: str
    kind: str
    ingested_at: datetime
    force: str | None
    force_name: str | None
    cycle: str | None
    facts: list[FeedEntry] = field(default_factory=list)


def _aware(at: datetime) -> datetime:
    """SQLite hands back the stored UTC times without their zone; feeds need it stated."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def feed_entries(store: Store, *, force: str | None = None, documents: int = 20) -> list[FeedEntry]:
    """The newest ``documents`` ingested (of one force, or all), each followed by its
    inspectorate grades and findings, newest document first."""
    fw = load_framework_or_none()
    with store.read() as session:
        q = (
            select(
                Document.id,
                Document.title,
                Document.source,
                Document.kind,
                Document.ingested_at,
                Force.slug,
                Force.name,
                Cycle.label,
            )
            .outerjoin(Force, Force.id == Document.force_id)
            .outerjoin(Cycle, Cycle.id == Document.cycle_id)
            .order_by(Document.ingested_at.desc(), Document.id.desc())
            .limit(documents)
        )
        if force:
            q = q.where(Document.force_id == resolve_force(session, force, fw).id)
        docs = {
            r.id: _Doc(
                r.id,
                r.title or r.source or f"Document {r.id}",
                r.kind,
                _aware(r.ingested_at),
                r.slug,
                r.name,
                r.label,
            )
            for r in session.execute(q)
        }
        if not docs:
            return []
        for j in session.execute(
            select(Judgment.id, Judgment.document_id, Judgment.subject, Judgment.grade)
            .where(Judgment.document_id.in_(list(docs)), Judgment.claim.is_(False))
            .order_by(Judgment.document_id, Judgment.position)
        ):
            d = docs[j.document_id]
            who = d.force_name or "A force"
            d.facts.append(
                FeedEntry(
                    "grade",
                    j.id,
                    d.id,
                    f"{who}: {j.subject} — {j.grade}" + (f" ({d.cycle})" if d.cycle else ""),
                    f"The inspectorate graded {j.subject} {j.grade}.",
                    d.ingested_at,
                    d.force,
                    d.cycle,
                )
            )
        for fr in session.execute(
            select(Finding.id, Finding.source_document_id, Finding.type, Finding.text)
            .where(Finding.source_document_id.in_(list(docs)))
            .order_by(Finding.source_document_id, Finding.id)
        ):
            d = docs[fr.source_document_id]
            kind = fr.type.replace("_", " ")
            d.facts.append(
                FeedEntry(
                    "finding",
                    fr.id,
                    d.id,
                    f"{d.force_name or 'A force'}: new {kind}",
                    fr.text,
                    d.ingested_at,
                    d.force,
                    d.cycle,
                )
            )
        out: list[FeedEntry] = []
        for d in docs.values():
            summary = f"{d.kind.replace('_', ' ').capitalize()}" + (
                f" about {d.force_name}" if d.force_name else ""
            )
            out.append(
                FeedEntry(
                    "document",
                    d.id,
                    d.id,
                    d.title,
                    summary + (f", {d.cycle}" if d.cycle else ""),
                    d.ingested_at,
                    d.force,
                    d.cycle,
                )
            )
            out.extend(d.facts)
        return out
