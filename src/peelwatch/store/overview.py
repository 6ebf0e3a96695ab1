"""What the record holds, in a screenful: documents by kind, counts by cycle, the forces with the
most findings. The full lists stay one command or one page away."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from peelwatch.store.engine import Store
from peelwatch.store.models import Cycle, Document, Finding, Force, Judgment, Response

__all__ = ["CycleCounts", "ForceCount", "Overview", "overview"]

NO_CYCLE = "cycle not identified"


@dataclass(frozen=True, slots=True)
class CycleCounts:
    """How many inspectorate grades, findings and responses one cycle has."""

    cycle: str
    grades: int = 0
    findings: int = 0
    responses: int = 0


@dataclass(frozen=True, slots=True)
class ForceCount:
    """A force and its number of findings."""

    slug: str
    name: str
    findings: int


@dataclass(slots=True)
class Overview:
    """The record at a glance; ``top_forces`` are the forces with the most findings."""

    documents: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    provisional: int = 0
    held_out: int = 0  # inspectorate grades of provisional documents, not counted in ``cycles``
    cycles: list[CycleCounts] = field(default_factory=list)
    top_forces: list[ForceCount] = field(default_factory=list)
    forces_with_findings: int = 0

    @property
    def totals(self) -> CycleCounts:
        """Grades, findings and responses over every cycle."""
        return CycleCounts(
            "all",
            sum(c.grades for c in self.cycles),
            sum(c.findings for c in self.cycles),
            sum(c.responses for c in self.cycles),
        )


def overview(store: Store, *, top: int = 5) -> Overview:
    """Counts of documents (by kind, provisional ones), of inspectorate grades (those that count,
    as on the national matrix), findings and responses by cycle (oldest first), and the ``top``
    forces with the most findings."""
    with store.read() as session:
        by_kind = dict(session.execute(select(Document.kind, func.count()).group_by(Document.kind)).all())
        provisional = session.scalar(
            select(func.count()).select_from(Document).where(Document.provisional.is_(True))
        )
        labels = {
            cid: label
            for cid, label in session.execute(select(Cycle.id, Cycle.label).order_by(Cycle.position))
        }
        # Inspectorate grades that count (as on the matrix), and those waiting on provisional documents.
        graded = (
            select(Judgment.cycle_id, Document.provisional, func.count())
            .join(Document, Document.id == Judgment.document_id)
            .where(Judgment.claim.is_(False))
            .group_by(Judgment.cycle_id, Document.provisional)
        )
        grades: dict[int | None, int] = {}
        held_out = 0
        for cid, is_provisional, n in session.execute(graded):
            if is_provisional:
                held_out += n
            else:
                grades[cid] = grades.get(cid, 0) + n
        findings = dict(
            session.execute(select(Finding.cycle_id, func.count()).group_by(Finding.cycle_id)).all()
        )
        responses = dict(
            session.execute(
                select(Document.cycle_id, func.count())
                .select_from(Response)
                .join(Document, Document.id == Response.document_id)
                .group_by(Document.cycle_id)
            ).all()
        )
        per_force = (
            select(Force.slug, Force.name, func.count(Finding.id).label("n"))
            .join(Finding, Finding.force_id == Force.id)
            .group_by(Force.id, Force.slug, Force.name)
        )
        ranked = session.execute(per_force.order_by(func.count(Finding.id).desc(), Force.name)).all()
    cycles = [
        CycleCounts(label, grades.get(cid, 0), findings.get(cid, 0), responses.get(cid, 0))
        for cid, label in labels.items()
        if grades.get(cid) or findings.get(cid) or responses.get(cid)
    ]
    if grades.get(None) or findings.get(None) or responses.get(None):
        cycles.append(
            CycleCounts(NO_CYCLE, grades.get(None, 0), findings.get(None, 0), responses.get(None, 0))
        )
    return Overview(
        documents=sum(by_kind.values()),
        by_kind=by_kind,
        provisional=provisional or 0,
        held_out=held_out,
        cycles=cycles,
        top_forces=[ForceCount(r.slug, r.name, r.n) for r in ranked[:top]],
        forces_with_findings=len(ranked),
    )
