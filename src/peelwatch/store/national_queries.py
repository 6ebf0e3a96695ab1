"""Questions across the whole record: claims against grades, the national picture, what changed,
themes and the feed of what is new.

Read-only, over the stored tables: ``judgment`` (``claim`` and ``area_key``), ``finding``,
``link`` (``recurs`` / ``theme``), ``discharge``, ``document``, ``force`` and ``cycle``. Every
function takes an open :class:`~peelwatch.store.engine.Store`, names forces by slug, name or
alias and cycles by any common spelling (unknown ones raise
:class:`~peelwatch.errors.UnknownNameError`), and returns dataclasses.

Where a force has several inspectorate grades for one key in one cycle (two documents), the
most recent document's counts, as in the national matrix: the latest publication date, then the
latest ingested.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from peelwatch.errors import PeelwatchError
from peelwatch.store.engine import Store
from peelwatch.store.models import Cycle, Discharge, Document, Finding, Force, Judgment, Link
from peelwatch.store.names import load_framework_or_none, resolve_cycle, resolve_force
from peelwatch.store.queries import matrix_key

__all__ = [
    "CLAIM_OUTCOMES",
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
    "claim_checks",
    "compare_claim",
    "feed_entries",
    "grade_distribution",
    "grade_rank",
    "themes",
    "trajectory",
    "what_changed",
]

Outcome = Literal["agrees", "higher", "lower", "no_inspectorate_grade", "not_comparable"]
CLAIM_OUTCOMES: tuple[str, ...] = ("agrees", "higher", "lower", "no_inspectorate_grade", "not_comparable")
GRADE_CHANGES: tuple[str, ...] = ("up", "down", "same", "new", "gone", "not_comparable")
# Links that say two findings raise the same issue: within a force (recurs) or across forces.
SAME_ISSUE_KINDS = ("recurs", "theme")
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
    key: str
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
    judgment_id: int
    document_id: int
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
    change: str  # "new", "recurring", "discharged", "not_discharged", "no_statement"
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


# --------------------------------------------------------------------------- grades


def grade_rank(grade: str | None) -> int | None:
    """The framework's rank of a grade (4 outstanding .. 0 inadequate); None for ungraded or unknown."""
    if not grade:
        return None
    fw = load_framework_or_none()
    found = fw.grade(grade) if fw is not None else None
    if found is None or found.rank < 0:
        return None
    return int(found.rank)


def compare_claim(claimed: str, inspectorate: str | None) -> str:
    """``agrees``; ``higher`` (the claim is better than the inspectorate's grade) or ``lower``;
    ``no_inspectorate_grade`` when none is recorded (or it is ungraded); ``not_comparable`` when
    the claim is not a grade on the scale."""
    theirs = grade_rank(inspectorate)
    if inspectorate is None or theirs is None:
        return "no_inspectorate_grade"
    ours = grade_rank(claimed)
    if ours is None:
        return "not_comparable"
    if ours == theirs:
        return "agrees"
    return "higher" if ours > theirs else "lower"


@dataclass(slots=True)
class _Official:
    grade: str
    judgment_id: int
    document_id: int
    subject: str


def _official_grades(
    session: Session, *, force_id: int | None = None, cycle_ids: list[int] | None = None
) -> dict[tuple[int, int, str], _Official]:
    """(force id, cycle id, key) -> the inspectorate's grade from the most recent document."""
    q = (
        select(
            Judgment.id,
            Judgment.force_id,
            Judgment.cycle_id,
            Judgment.area_key,
            Judgment.subject,
            Judgment.grade,
            Judgment.document_id,
        )
        .join(Document, Document.id == Judgment.document_id)
        .where(Judgment.claim.is_(False), Judgment.force_id.is_not(None), Judgment.cycle_id.is_not(None))
        .order_by(*_RECENT_FIRST)
    )
    if force_id is not None:
        q = q.where(Judgment.force_id == force_id)
    if cycle_ids is not None:
        q = q.where(Judgment.cycle_id.in_(cycle_ids))
    out: dict[tuple[int, int, str], _Official] = {}
    for j in session.execute(q):
        out.setdefault(
            (j.force_id, j.cycle_id, matrix_key(j.area_key, j.subject)),
            _Official(j.grade, j.id, j.document_id, j.subject),
        )
    return out


def _labels(fw: Any, cycle: str | None = None) -> dict[str, str]:
    """Canonical key -> the framework's short label (any cycle's, this cycle's winning)."""
    if fw is None:
        return {}
    labels: dict[str, str] = {}
    for s in fw.subjects():
        labels.setdefault(s.key, s.short or s.name)
    if cycle is not None:
        # A cycle the framework does not know keeps the general labels.
        with contextlib.suppress(PeelwatchError):
            labels.update({s.key: s.short or s.name for s in fw.subjects(cycle=cycle)})
    return labels


def _label(labels: dict[str, str], key: str, subject: str | None = None) -> str:
    return labels.get(key) or subject or key.removeprefix("other/").replace("-", " ").capitalize()


# --------------------------------------------------------------------------- claims


def claim_checks(
    store: Store, *, force: str | None = None, cycle: str | None = None, outcome: str | None = None
) -> list[ClaimCheck]:
    """Every claimed grade compared with the inspectorate's grade for the same force, cycle and key.

    ``outcome`` keeps one of :data:`CLAIM_OUTCOMES`; ``"differs"`` keeps ``higher`` and ``lower``.
    Claims with no force or cycle can have no inspectorate grade: ``no_inspectorate_grade``.
    """
    fw = load_framework_or_none()
    with store.read() as session:
        force_id = resolve_force(session, force, fw).id if force else None
        cycle_id = resolve_cycle(session, cycle, fw).id if cycle else None
        official = _official_grades(
            session, force_id=force_id, cycle_ids=[cycle_id] if cycle_id is not None else None
        )
        q = (
            select(
                Judgment, Document.kind, Document.title, Document.source, Force.slug, Force.name, Cycle.label
            )
            .join(Document, Document.id == Judgment.document_id)
            .outerjoin(Force, Force.id == Judgment.force_id)
            .outerjoin(Cycle, Cycle.id == Judgment.cycle_id)
            .where(Judgment.claim.is_(True))
            .order_by(Force.name, Cycle.position, Judgment.document_id, Judgment.position)
        )
        if force_id is not None:
            q = q.where(Judgment.force_id == force_id)
        if cycle_id is not None:
            q = q.where(Judgment.cycle_id == cycle_id)
        out: list[ClaimCheck] = []
        for j, kind, title, source, slug, name, label in session.execute(q):
            key = matrix_key(j.area_key, j.subject)
            theirs = official.get((j.force_id, j.cycle_id, key)) if j.force_id and j.cycle_id else None
            result = compare_claim(j.grade, theirs.grade if theirs else None)
            if outcome == "differs" and result not in ("higher", "lower"):
                continue
            if outcome not in (None, "differs") and result != outcome:
                continue
            out.append(
                ClaimCheck(
                    judgment_id=j.id,
                    document_id=j.document_id,
                    document_kind=kind,
                    document_title=title or source or f"Document {j.document_id}",
                    force=slug,
                    force_name=name,
                    cycle=label,
                    key=key,
                    subject=j.subject,
                    claimed=j.grade,
                    inspectorate=theirs.grade if theirs else None,
                    inspectorate_judgment_id=theirs.judgment_id if theirs else None,
                    inspectorate_document_id=theirs.document_id if theirs else None,
                    outcome=result,
                    evidence=j.evidence,
                )
            )
        return out


# --------------------------------------------------------------------------- national picture


def _latest_graded_cycle(session: Session) -> Cycle | None:
    return session.scalar(
        select(Cycle)
        .where(Cycle.id.in_(select(Judgment.cycle_id).where(Judgment.claim.is_(False))))
        .order_by(Cycle.position.desc(), Cycle.label.desc())
        .limit(1)
    )


def grade_distribution(store: Store, cycle: str | None = None) -> Distribution:
    """Per key of one cycle (default: the latest the inspectorate graded), how many forces got
    each grade, in the framework's order of keys (unkeyed subjects after, as written)."""
    fw = load_framework_or_none()
    with store.read() as session:
        cyc = resolve_cycle(session, cycle, fw) if cycle else _latest_graded_cycle(session)
        cycles = [c for (c,) in session.execute(select(Cycle.label).order_by(Cycle.position, Cycle.label))]
        n_forces = len(session.scalars(select(Force.id)).all())
        if cyc is None:
            return Distribution(None, cycles, [], "", n_forces, [])
        official = _official_grades(session, cycle_ids=[cyc.id])
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        subjects: dict[str, str] = {}
        for (_f, _c, key), o in official.items():
            counts[key][o.grade] += 1
            subjects.setdefault(key, o.subject)
        labels = _labels(fw, cyc.label)
        order = _key_order(fw, cyc.label)
        scale = list(cyc.scale or [])
        rows = [
            DistributionRow(
                cycle=cyc.label,
                key=key,
                label=_label(labels, key, subjects.get(key)),
                counts=dict(sorted(counts[key].items(), key=lambda kv: -(grade_rank(kv[0]) or -1))),
                graded=sum(counts[key].values()),
                not_graded=max(n_forces - sum(counts[key].values()), 0),
            )
            for key in sorted(counts, key=lambda k: (order.get(k, len(order)), labels.get(k, k)))
        ]
        return Distribution(cyc.label, cycles, scale, _comparability(fw, cyc.label), n_forces, rows)


def _key_order(fw: Any, cycle: str) -> dict[str, int]:
    if fw is None:
        return {}
    try:
        return {s.key: i for i, s in enumerate(fw.subjects(cycle=cycle))}
    except PeelwatchError:  # a cycle the framework does not know: keys by label
        return {}


def _comparability(fw: Any, cycle: str) -> str:
    """The framework's own words on comparing this cycle's grades with earlier ones."""
    if fw is None:
        return ""
    for c in fw.cycles.values() if isinstance(fw.cycles, dict) else fw.cycles:
        if c.label == cycle:
            return c.comparability or ""
    return ""


def _question(fw: Any, key: str, cycle: str) -> str | None:
    if fw is None:
        return None
    subject = fw.subject_by_key(key, cycle)
    return subject.name if subject is not None else None


def trajectory(store: Store, force: str) -> list[TrajectoryPoint]:
    """A force's inspectorate grades by canonical key across the cycles, oldest first per key.

    Each point says whether the scale changed since the key's previous point (four tiers to five)
    and whether the framework words the key differently in this cycle (or lacks it).
    """
    fw = load_framework_or_none()
    with store.read() as session:
        f = resolve_force(session, force, fw)
        cycles = {c.id: c for c in session.scalars(select(Cycle))}
        official = _official_grades(session, force_id=f.id)
        by_key: dict[str, list[tuple[Cycle, _Official]]] = defaultdict(list)
        for (_f, c, key), o in official.items():
            by_key[key].append((cycles[c], o))
        labels = _labels(fw)
        order = {s.key: i for i, s in enumerate(fw.subjects())} if fw is not None else {}
        points: list[TrajectoryPoint] = []
        for key in sorted(by_key, key=lambda k: (order.get(k, len(order)), k)):
            previous: tuple[Cycle, str | None] | None = None
            for cyc, o in sorted(by_key[key], key=lambda co: (co[0].position, co[0].label)):
                question = _question(fw, key, cyc.label)
                points.append(
                    TrajectoryPoint(
                        key=key,
                        label=_label(labels, key, o.subject),
                        cycle=cyc.label,
                        grade=o.grade,
                        rank=grade_rank(o.grade),
                        judgment_id=o.judgment_id,
                        document_id=o.document_id,
                        scale_changed=previous is not None
                        and list(previous[0].scale or []) != list(cyc.scale or []),
                        question_changed=previous is not None
                        and (question is None or question != previous[1]),
                        question=question,
                    )
                )
                previous = (cyc, question)
        return points


def _move(before: str | None, after: str | None, same_scale: bool) -> str:
    if before is None:
        return "new"
    if after is None:
        return "gone"
    a, b = grade_rank(before), grade_rank(after)
    if a is None or b is None:
        return "not_comparable"
    if a == b and (same_scale or before == after):
        return "same"
    return "up" if b > a else "down" if b < a else "same"


def _same_issue_pairs(session: Session, ids: list[int]) -> list[tuple[int, int]]:
    """Links saying two of these findings raise the same issue (never a finding with itself)."""
    if not ids:
        return []
    q = select(Link.finding_id, Link.other_id).where(
        Link.kind.in_(SAME_ISSUE_KINDS),
        Link.finding_id != Link.other_id,
        or_(Link.finding_id.in_(ids), Link.other_id.in_(ids)),
    )
    rejected = getattr(Link, "rejected", None)  # links an editor rejected do not count
    if rejected is not None:
        q = q.where(rejected.is_not(True))
    return [(a, b) for a, b in session.execute(q) if a is not None and b is not None]


def what_changed(store: Store, force: str, before: str, after: str) -> WhatChanged:
    """A force between two cycles: each key's grade (up, down, same, new, gone) and each finding's fate.

    A finding of the later cycle is ``recurring`` when a link ties it to one of the earlier cycle,
    else ``new``. A finding of the earlier cycle is ``discharged`` or ``not_discharged`` when a
    later statement says so, ``recurring`` when raised again, else ``no_statement``.
    """
    fw = load_framework_or_none()
    with store.read() as session:
        f = resolve_force(session, force, fw)
        c1, c2 = resolve_cycle(session, before, fw), resolve_cycle(session, after, fw)
        if (c1.position, c1.label) > (c2.position, c2.label):
            c1, c2 = c2, c1
        same_scale = list(c1.scale or []) == list(c2.scale or [])
        official = _official_grades(session, force_id=f.id, cycle_ids=[c1.id, c2.id])
        labels = _labels(fw, c2.label)
        keys = sorted({k for (_f, _c, k) in official}, key=lambda k: _label(labels, k))
        grades = []
        for key in keys:
            o1, o2 = official.get((f.id, c1.id, key)), official.get((f.id, c2.id, key))
            grades.append(
                GradeChange(
                    key=key,
                    label=_label(labels, key, (o2 or o1).subject if (o2 or o1) else None),
                    before=o1.grade if o1 else None,
                    after=o2.grade if o2 else None,
                    change=_move(o1.grade if o1 else None, o2.grade if o2 else None, same_scale),
                    before_judgment_id=o1.judgment_id if o1 else None,
                    before_document_id=o1.document_id if o1 else None,
                    after_judgment_id=o2.judgment_id if o2 else None,
                    after_document_id=o2.document_id if o2 else None,
                )
            )
        rows = session.execute(
            select(Finding.id, Finding.cycle_id, Finding.type, Finding.area_key, Finding.text)
            .where(Finding.force_id == f.id, Finding.cycle_id.in_([c1.id, c2.id]))
            .order_by(Finding.cycle_id, Finding.id)
        ).all()
        earlier = {r.id for r in rows if r.cycle_id == c1.id}
        later = {r.id for r in rows if r.cycle_id == c2.id}
        related: dict[int, set[int]] = defaultdict(set)
        for a, b in _same_issue_pairs(session, [r.id for r in rows]):
            if (a in earlier and b in later) or (a in later and b in earlier):
                related[a].add(b)
                related[b].add(a)
        statements = _discharge_statements(session, list(earlier))
        findings = []
        for r in rows:
            if r.id in later:
                change = "recurring" if related[r.id] else "new"
            else:
                change = statements.get(r.id) or ("recurring" if related[r.id] else "no_statement")
            label = c2.label if r.id in later else c1.label
            findings.append(
                FindingChange(r.id, label, r.type, r.area_key, r.text, change, tuple(sorted(related[r.id])))
            )
        return WhatChanged(f.slug, f.name, c1.label, c2.label, not same_scale, grades, findings)


def _discharge_statements(session: Session, ids: list[int]) -> dict[int, str]:
    """Finding id -> ``discharged`` / ``not_discharged`` from the latest statement about it."""
    if not ids:
        return {}
    out: dict[int, str] = {}
    q = (
        select(Discharge.finding_id, Discharge.status)
        .where(Discharge.finding_id.in_(ids))
        .order_by(Discharge.document_id, Discharge.position)
    )
    for finding_id, status in session.execute(q):
        out[finding_id] = status  # later documents overwrite earlier ones
    return out


# --------------------------------------------------------------------------- themes


def _components(pairs: list[tuple[int, int]]) -> list[set[int]]:
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, set[int]] = defaultdict(set)
    for x in list(parent):
        groups[root(x)].add(x)
    return list(groups.values())


def themes(store: Store, *, area: str | None = None, min_forces: int = 2) -> list[Theme]:
    """Clusters of findings tied by same-issue links that span ``min_forces`` forces or more,
    largest first. ``area`` keeps the clusters of one canonical key."""
    fw = load_framework_or_none()
    with store.read() as session:
        q = select(Link.finding_id, Link.other_id).where(
            Link.kind.in_(SAME_ISSUE_KINDS), Link.finding_id != Link.other_id, Link.other_id.is_not(None)
        )
        rejected = getattr(Link, "rejected", None)
        if rejected is not None:
            q = q.where(rejected.is_not(True))
        groups = _components([(a, b) for a, b in session.execute(q)])
        ids = [i for g in groups for i in g]
        other = aliased(Cycle)
        info: dict[int, Any] = {}
        for chunk in range(0, len(ids), 900):  # SQLite's bound-parameter limit
            part = ids[chunk : chunk + 900]
            for r in session.execute(
                select(
                    Finding.id,
                    Finding.type,
                    Finding.text,
                    Finding.area_key,
                    Force.slug,
                    Force.name,
                    other.label,
                )
                .outerjoin(Force, Force.id == Finding.force_id)
                .outerjoin(other, other.id == Finding.cycle_id)
                .where(Finding.id.in_(part))
            ):
                info[r.id] = r
        labels = _labels(fw)
        out: list[Theme] = []
        for group in groups:
            rows = [info[i] for i in sorted(group) if i in info]
            forces = sorted({(r.slug, r.name) for r in rows if r.slug}, key=lambda sn: sn[1])
            if len(forces) < min_forces:
                continue
            keys = [r.area_key for r in rows if r.area_key]
            key = max(set(keys), key=keys.count) if keys else None
            if area is not None and key != area:
                continue
            shortest = min(rows, key=lambda r: len(r.text))
            out.append(
                Theme(
                    id=rows[0].id,
                    area_key=key,
                    label=(_label(labels, key) + ": " if key else "") + _clip(shortest.text),
                    count=len(rows),
                    forces=forces,
                    findings=[ThemeFinding(r.id, r.slug, r.name, r.label, r.type, r.text) for r in rows],
                )
            )
        return sorted(out, key=lambda t: (-len(t.forces), -t.count, t.id))


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
