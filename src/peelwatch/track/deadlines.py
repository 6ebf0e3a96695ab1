"""The 56-day clock: each inspection report's response deadline and whether it was met.

Section 55 of the Police Act 1996 gives the local policing body 56 days from a report's
publication to publish its comments. A commissioner's response document of the same force and
cycle, dated on or after the report, answers it. Everything is computed from dates, with
``today`` passed in so that tests and reports can fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from peelwatch.extract.dates import find_dates
from peelwatch.store.models import Cycle, Document, Force
from peelwatch.track.rules import TrackRules, load_rules

STATUSES = ("on_time", "late", "missing", "not_yet_due")
STATUS_LABELS = {"on_time": "on time", "late": "late", "missing": "missing", "not_yet_due": "not yet due"}


def parse_date(text: str | None) -> date | None:
    """The one full date a stored date string holds, read as the extractor reads dates.

    ``2025-03-14`` (with or without a time), ``14/03/2025`` (day first, the British order),
    ``14 March 2025``, ``14th Mar 2025``, ``March 14, 2025``. A month and year alone is not a date
    a deadline can be counted from, so it gives ``None``; so does a string with two dates.
    """
    found = find_dates(text) if text else []
    return found[0].value if len(found) == 1 else None


def report_date(session: Session, document: Document) -> date | None:
    """The date that counts for a document's clocks: its publication date.

    The one place that decides it. A person's correction of the date is written through to the
    document's row (see :mod:`peelwatch.track.corrections`), so every deadline shifts with it.
    """
    del session  # kept for a date that would need a lookup; the document row is enough today
    return parse_date(document.published)


def response_deadline(published: date, rules: TrackRules | None = None) -> date:
    """The last day on which the response is on time."""
    rules = rules or load_rules()
    return published + timedelta(days=rules.response_offset)


@dataclass(frozen=True, slots=True)
class ResponseClock:
    """One inspection report's 56-day clock and whether the commissioner's response met it."""

    report_id: int
    report_title: str
    force: str
    force_slug: str
    cycle: str | None
    published: date | None
    deadline: date | None
    status: str  # one of STATUSES, or "undated" when the report has no usable date
    response_id: int | None
    response_title: str | None
    response_date: date | None
    days_late: int | None
    days_left: int | None

    @property
    def label(self) -> str:
        """The status in words: ``late by 12 days``, ``on time``, ``missing (5 days overdue)``."""
        if self.status == "late":
            return f"late by {self.days_late} day{'s' if self.days_late != 1 else ''}"
        if self.status == "missing":
            return f"missing ({self.days_late} days past the deadline)"
        if self.status == "not_yet_due" and self.days_left is not None:
            return f"{STATUS_LABELS[self.status]} ({self.days_left} days left)"
        if self.status == "undated":
            return "report date unknown"
        return STATUS_LABELS[self.status]


def classify(
    published: date | None, deadline: date | None, answered: date | None, today: date, has_response: bool
) -> tuple[str, int | None, int | None]:
    """(status, days late, days left) of one clock."""
    if published is None or deadline is None:
        return "undated", None, None
    if answered is not None:
        late = (answered - deadline).days
        return ("late", late, None) if late > 0 else ("on_time", None, None)
    if has_response:
        # A response exists but carries no date: it answered, when is unknown.
        return "on_time" if today <= deadline else "late", None, None
    if today > deadline:
        return "missing", (today - deadline).days, None
    return "not_yet_due", None, (deadline - today).days


def response_clocks(
    session: Session, *, today: date, force: str | None = None, rules: TrackRules | None = None
) -> list[ResponseClock]:
    """Every force inspection report's clock, newest first; ``force`` is a slug to narrow to one."""
    rules = rules or load_rules()
    query = (
        select(Document, Force, Cycle)
        .join(Force, Document.force_id == Force.id)
        .outerjoin(Cycle, Document.cycle_id == Cycle.id)
        .where(Document.kind.in_(rules.report_kinds + rules.response_kinds))
    )
    if force is not None:
        query = query.where(Force.slug == force)
    reports: list[tuple[Document, Force, Cycle | None, date | None]] = []
    responses: dict[tuple[int, int | None], list[tuple[date | None, Document]]] = {}
    for doc, frc, cyc in session.execute(query):
        when = report_date(session, doc)
        if doc.kind in rules.report_kinds:
            reports.append((doc, frc, cyc, when))
        else:
            responses.setdefault((frc.id, doc.cycle_id), []).append((when, doc))
    clocks = [
        _clock(doc, frc, cyc, when, responses.get((frc.id, doc.cycle_id), []), today, rules)
        for doc, frc, cyc, when in reports
    ]
    clocks.sort(key=lambda c: (c.published or date.min, c.report_id), reverse=True)
    return clocks


def _clock(
    doc: Document,
    frc: Force,
    cyc: Cycle | None,
    published: date | None,
    candidates: list[tuple[date | None, Document]],
    today: date,
    rules: TrackRules,
) -> ResponseClock:
    deadline = response_deadline(published, rules) if published else None
    # The earliest response dated on or after the report answers it; an undated one counts last.
    dated = sorted(
        (d, r.id, r) for d, r in candidates if d is not None and (published is None or d >= published)
    )
    undated = sorted((r.id, r) for d, r in candidates if d is None)
    chosen = dated[0][2] if dated else (undated[0][1] if undated else None)
    answered = dated[0][0] if dated else None
    status, late, left = classify(published, deadline, answered, today, chosen is not None)
    return ResponseClock(
        report_id=doc.id,
        report_title=doc.title or f"document {doc.id}",
        force=frc.name,
        force_slug=frc.slug,
        cycle=cyc.label if cyc else None,
        published=published,
        deadline=deadline,
        status=status,
        response_id=chosen.id if chosen else None,
        response_title=(chosen.title or f"document {chosen.id}") if chosen else None,
        response_date=answered,
        days_late=late,
        days_left=left,
    )


def clock_counts(clocks: list[ResponseClock]) -> dict[str, int]:
    """How many clocks are in each status (every status present, zero included)."""
    counts = dict.fromkeys((*STATUSES, "undated"), 0)
    for c in clocks:
        counts[c.status] += 1
    return counts
