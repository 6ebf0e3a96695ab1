"""Questions across the record, answered from the links: the query functions pages and the API use.

* :func:`claims` - every grade a commissioner, force or news item states, against the
  inspectorate's grade for the same force, cycle and key;
* :func:`grade_distribution` - per cycle and key, how many forces got each grade;
* :func:`trajectory` - a force's inspectorate grades across cycles by canonical key;
* :func:`what_changed` - a force between two cycles: grades up/down/same, findings
  new/recurring/discharged;
* :func:`themes` - clusters of findings raised again across forces;
* :func:`finding_links` - the links of one finding, rejected ones included and marked.

Every function returns dataclasses and reads only; forces are named by slug (or any name the
framework knows) and cycles by label.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from peelwatch.link.claims import Outcome, compare_grades, grade_rank
from peelwatch.store.models import Cycle, Discharge, Document, Finding, Force, Judgment, Link
from peelwatch.store.names import load_framework_or_none, resolve_cycle, resolve_force

LINK_KINDS = ("recurs", "theme", "discharges", "same")
CLUSTER_KINDS = ("recurs", "theme")


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """One claimed grade and what the inspectorate said for the same force, cycle and key."""

    judgment_id: int
    document_id: int
    document_kind: str
    force: str | None
    cycle: str | None
    key: str | None
    subject: str
    claimed: str
    inspectorate: str | None
    outcome: Outcome
    evidence: str


@dataclass(frozen=True, slots=True)
class GradeCount:
    """How many forces got each grade for one key in one cycle (inspectorate grades only)."""

    cycle: str
    key: str
    counts: dict[str, int]
    forces: int
    comparability: str = ""


@dataclass(frozen=True, slots=True)
class TrajectoryPoint:
    """A force's inspectorate grade for one key in one cycle."""

    key: str
    cycle: str
    position: int
    grade: str
    rank: int | None
    scale_changed: bool  # the cycle grades on another scale than the force's previous point


@dataclass(frozen=True, slots=True)
class GradeChange:
    """One key's grade in two cycles and which way it moved."""

    key: str
    before: str | None
    after: str | None
    change: str  # "up", "down", "same", "new", "gone"


@dataclass(frozen=True, slots=True)
class FindingChange:
    """A finding of one of the two cycles and what became of it."""

    finding_id: int
    cycle: str
    type: str
    area_key: str | None
    text: str
    change: str  # "new", "recurring", "discharged", "not_discharged", "open"
    related_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class WhatChanged:
    """A force between two cycles."""

    force: str
    before: str
    after: str
    grades: list[GradeChange]
    findings: list[FindingChange]


@dataclass(frozen=True, slots=True)
class Theme:
    """Findings of several forces that raise the same issue, linked by recurrence."""

    area_key: str | None
    label: str
    finding_ids: tuple[int, ...]
    forces: tuple[str, ...]
    count: int


@dataclass(frozen=True, slots=True)
class FindingLink:
    """A link of a finding, seen from that finding."""

    link_id: int
    kind: str
    direction: str  # "to" an earlier finding, "from" a later one, "statement" for discharges
    other_id: int | None
    other_text: str
    other_force: str | None
    other_cycle: str | None
    score: float
    rejected: bool
    evidence: str = ""
    discharge_id: int | None = None
    status: str | None = None


@dataclass(slots=True)
class _Names:
    force: dict[int, str] = field(default_factory=dict)
    cycle: dict[int, str] = field(default_factory=dict)
    position: dict[int, int] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> _Names:
        names = cls()
        names.force = {i: s for i, s in session.execute(select(Force.id, Force.slug))}
        for i, label, pos in session.execute(select(Cycle.id, Cycle.label, Cycle.position)):
            names.cycle[i], names.position[i] = label, pos
        return names


def _pick(grades: list[str]) -> str:
    """The grade several inspectorate documents give one key (the most stated; ties by name)."""
    counted = Counter(grades)
    return sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _inspectorate_grades(
    session: Session, force_id: int | None = None, cycle_id: int | None = None
) -> dict[tuple[int, int, str], str]:
    """(force id, cycle id, key) -> the inspectorate's grade."""
    query = select(Judgment.force_id, Judgment.cycle_id, Judgment.area_key, Judgment.grade).where(
        Judgment.claim.is_(False),
        Judgment.force_id.is_not(None),
        Judgment.cycle_id.is_not(None),
        Judgment.area_key.is_not(None),
    )
    if force_id is not None:
        query = query.where(Judgment.force_id == force_id)
    if cycle_id is not None:
        query = query.where(Judgment.cycle_id == cycle_id)
    stated: dict[tuple[int, int, str], list[str]] = defaultdict(list)
    for f, c, k, g in session.execute(query):
        stated[(f, c, k)].append(g)
    return {key: _pick(grades) for key, grades in stated.items()}


def claims(
    session: Session, force: str | None = None, cycle: str | None = None, outcome: str | None = None
) -> list[ClaimCheck]:
    """Every claimed grade compared with the inspectorate's (filter by force, cycle, outcome)."""
    force_id = resolve_force(session, force).id if force else None
    cycle_id = resolve_cycle(session, cycle).id if cycle else None
    names = _Names.load(session)
    official = _inspectorate_grades(session, force_id, cycle_id)
    query = (
        select(Judgment, Document.kind)
        .join(Document, Document.id == Judgment.document_id)
        .where(Judgment.claim.is_(True))
        .order_by(Judgment.force_id, Judgment.cycle_id, Judgment.area_key, Judgment.id)
    )
    if force_id is not None:
        query = query.where(Judgment.force_id == force_id)
    if cycle_id is not None:
        query = query.where(Judgment.cycle_id == cycle_id)
    out: list[ClaimCheck] = []
    for j, kind in session.execute(query):
        theirs = None
        if j.force_id is not None and j.cycle_id is not None and j.area_key:
            theirs = official.get((j.force_id, j.cycle_id, j.area_key))
        result = compare_grades(j.grade, theirs)
        if outcome is not None and result != outcome:
            continue
        out.append(
            ClaimCheck(
                judgment_id=j.id,
                document_id=j.document_id,
                document_kind=kind,
                force=names.force.get(j.force_id) if j.force_id else None,
                cycle=names.cycle.get(j.cycle_id) if j.cycle_id else None,
                key=j.area_key,
                subject=j.subject,
                claimed=j.grade,
                inspectorate=theirs,
                outcome=result,
                evidence=j.evidence,
            )
        )
    return out


def _comparability(cycle: str) -> str:
    fw = load_framework_or_none()
    if fw is None:
        return ""
    for c in fw.cycles:
        if c.label == cycle:
            return c.comparability
    return ""


def grade_distribution(
    session: Session, cycle: str | None = None, key: str | None = None
) -> list[GradeCount]:
    """Per cycle and key, the number of forces at each inspectorate grade."""
    cycle_id = resolve_cycle(session, cycle).id if cycle else None
    names = _Names.load(session)
    per: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for (_f, c, k), grade in _inspectorate_grades(session, cycle_id=cycle_id).items():
        if key is None or k == key:
            per[(c, k)][grade] += 1
    rows = [
        GradeCount(
            cycle=names.cycle[c],
            key=k,
            counts=dict(sorted(counts.items(), key=lambda kv: -(grade_rank(kv[0]) or -1))),
            forces=sum(counts.values()),
            comparability=_comparability(names.cycle[c]),
        )
        for (c, k), counts in per.items()
    ]
    return sorted(rows, key=lambda r: (names.position.get(_cycle_id(names, r.cycle), 0), r.key))


def _cycle_id(names: _Names, label: str) -> int:
    return next(i for i, lab in names.cycle.items() if lab == label)


def trajectory(session: Session, force: str) -> list[TrajectoryPoint]:
    """A force's inspectorate grades by key across cycles, oldest first within each key."""
    force_row = resolve_force(session, force)
    names = _Names.load(session)
    scales = {i: tuple(s or ()) for i, s in session.execute(select(Cycle.id, Cycle.scale))}
    grades = _inspectorate_grades(session, force_row.id)
    by_key: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (_f, c, k), g in grades.items():
        by_key[k].append((c, g))
    out: list[TrajectoryPoint] = []
    for k in sorted(by_key):
        previous: int | None = None
        for c, g in sorted(by_key[k], key=lambda cg: names.position.get(cg[0], 0)):
            changed = previous is not None and scales.get(previous) != scales.get(c)
            out.append(
                TrajectoryPoint(k, names.cycle[c], names.position.get(c, 0), g, grade_rank(g), changed)
            )
            previous = c
    return out


def _direction(before: str | None, after: str | None) -> str:
    if before is None:
        return "new"
    if after is None:
        return "gone"
    a, b = grade_rank(before), grade_rank(after)
    if a is None or b is None or a == b:
        return "same"
    return "up" if b > a else "down"


def what_changed(session: Session, force: str, before: str, after: str) -> WhatChanged:
    """A force between two cycles: each key's grade move and each finding's fate.

    A finding of the later cycle is ``recurring`` when it is linked to one of the earlier
    cycle (``recurs``), else ``new``; a finding of the earlier cycle is ``discharged`` or
    ``not_discharged`` when a later statement says so, else ``open``.
    """
    force_row = resolve_force(session, force)
    c_before, c_after = resolve_cycle(session, before), resolve_cycle(session, after)
    grades = _inspectorate_grades(session, force_row.id)
    keys = sorted({k for (_f, c, k) in grades if c in (c_before.id, c_after.id)})
    changes = [
        GradeChange(
            k,
            grades.get((force_row.id, c_before.id, k)),
            grades.get((force_row.id, c_after.id, k)),
            _direction(grades.get((force_row.id, c_before.id, k)), grades.get((force_row.id, c_after.id, k))),
        )
        for k in keys
    ]
    rows = session.scalars(
        select(Finding)
        .where(Finding.force_id == force_row.id, Finding.cycle_id.in_([c_before.id, c_after.id]))
        .order_by(Finding.cycle_id, Finding.id)
    ).all()
    ids_before = {f.id for f in rows if f.cycle_id == c_before.id}
    ids_after = {f.id for f in rows if f.cycle_id == c_after.id}
    recur: dict[int, set[int]] = defaultdict(set)
    for a, b in session.execute(
        select(Link.finding_id, Link.other_id).where(
            Link.kind == "recurs", Link.rejected.is_(False), Link.finding_id.in_(ids_after | ids_before)
        )
    ):
        recur[a].add(b)
        recur[b].add(a)
    discharged: dict[int, str] = {}
    for fid, status in session.execute(
        select(Link.finding_id, Discharge.status)
        .join(Discharge, Discharge.id == Link.discharge_id)
        .where(Link.kind == "discharges", Link.rejected.is_(False), Link.finding_id.in_(ids_before))
    ):
        # "discharged" wins over an earlier "not discharged" for the same finding
        discharged[fid] = "discharged" if status == "discharged" else discharged.get(fid, "not_discharged")
    findings: list[FindingChange] = []
    for f in rows:
        label = c_before.label if f.id in ids_before else c_after.label
        if f.id in ids_after:
            earlier = tuple(sorted(recur.get(f.id, set()) & ids_before))
            change, related = ("recurring", earlier) if earlier else ("new", ())
        else:
            change, related = discharged.get(f.id, "open"), tuple(sorted(recur.get(f.id, set()) & ids_after))
        findings.append(FindingChange(f.id, label, f.type, f.area_key, f.text, change, related))
    return WhatChanged(force_row.slug, c_before.label, c_after.label, changes, findings)


def themes(session: Session, min_forces: int = 2) -> list[Theme]:
    """Clusters of findings joined by recurrence links (rejected links cut), with ``min_forces``+ forces."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in session.execute(
        select(Link.finding_id, Link.other_id).where(Link.kind.in_(CLUSTER_KINDS), Link.rejected.is_(False))
    ):
        if b is not None:
            parent[root(a)] = root(b)
    groups: dict[int, list[int]] = defaultdict(list)
    for x in list(parent):
        groups[root(x)].append(x)
    names = _Names.load(session)
    out: list[Theme] = []
    for members in groups.values():
        rows = session.execute(
            select(Finding.id, Finding.force_id, Finding.area_key, Finding.text, Finding.cycle_id).where(
                Finding.id.in_(members)
            )
        ).all()
        forces = tuple(sorted({names.force[r.force_id] for r in rows if r.force_id is not None}))
        if len(forces) < min_forces:
            continue
        keys = Counter(r.area_key for r in rows if r.area_key)
        # the label is the earliest finding's words (content order, not arrival order)
        first = min(rows, key=lambda r: (names.position.get(r.cycle_id, 9999), r.text))
        out.append(
            Theme(
                area_key=keys.most_common(1)[0][0] if keys else None,
                label=first.text,
                finding_ids=tuple(sorted(r.id for r in rows)),
                forces=forces,
                count=len(rows),
            )
        )
    return sorted(out, key=lambda t: (-len(t.forces), -t.count, t.label))


def finding_links(session: Session, finding_id: int) -> list[FindingLink]:
    """The links of one finding: to earlier findings, from later ones, and discharge statements."""
    names = _Names.load(session)
    other = aliased(Finding)
    out: list[FindingLink] = []
    outgoing = session.execute(
        select(Link, other).join(other, other.id == Link.other_id).where(Link.finding_id == finding_id)
    )
    for link, o in outgoing:
        out.append(_finding_link(link, "to", o, names))
    incoming = session.execute(
        select(Link, other).join(other, other.id == Link.finding_id).where(Link.other_id == finding_id)
    )
    for link, o in incoming:
        out.append(_finding_link(link, "from", o, names))
    statements = session.execute(
        select(Link, Discharge)
        .join(Discharge, Discharge.id == Link.discharge_id)
        .where(Link.finding_id == finding_id)
    )
    for link, d in statements:
        out.append(
            FindingLink(
                link_id=link.id,
                kind=link.kind,
                direction="statement",
                other_id=None,
                other_text=d.text,
                other_force=None,
                other_cycle=None,
                score=link.score,
                rejected=link.rejected,
                evidence=link.evidence,
                discharge_id=d.id,
                status=d.status,
            )
        )
    return sorted(out, key=lambda x: (x.kind, -x.score, x.link_id))


def _finding_link(link: Link, direction: str, o: Finding, names: _Names) -> FindingLink:
    return FindingLink(
        link_id=link.id,
        kind=link.kind,
        direction=direction,
        other_id=o.id,
        other_text=o.text,
        other_force=names.force.get(o.force_id) if o.force_id else None,
        other_cycle=names.cycle.get(o.cycle_id) if o.cycle_id else None,
        score=link.score,
        rejected=link.rejected,
        evidence=link.evidence,
    )


__all__ = [
    "ClaimCheck",
    "FindingChange",
    "FindingLink",
    "GradeChange",
    "GradeCount",
    "Theme",
    "TrajectoryPoint",
    "WhatChanged",
    "claims",
    "finding_links",
    "grade_distribution",
    "themes",
    "trajectory",
    "what_changed",
]
