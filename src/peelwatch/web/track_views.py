"""Views of the tracker: one JSON-ready dict per page, rendered as HTML or returned by the API.

Like :mod:`peelwatch.web.views`, these only reshape what :mod:`peelwatch.track` returns.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select

from peelwatch.errors import UnknownNameError
from peelwatch.store.models import Force
from peelwatch.track import (
    BoardFilter,
    disagreements,
    finding_actions,
    response_clocks,
    status_history,
    tracked_findings,
)
from peelwatch.track.board import RAG_ORDER, SORTS
from peelwatch.track.deadlines import STATUSES, clock_counts, report_date
from peelwatch.track.lifecycle import get_finding_row
from peelwatch.track.rag import compute_rag
from peelwatch.track.reports import TYPE_LABELS, finding_label
from peelwatch.track.rules import load_rules
from peelwatch.web.views import document_href, jsonable

CLOCK_COLUMNS = [
    "force",
    "cycle",
    "report_title",
    "published",
    "deadline",
    "response_title",
    "response_date",
    "status",
    "days_late",
    "days_left",
    "label",
]
BOARD_COLUMNS = [
    "id",
    "force",
    "cycle",
    "type",
    "ref",
    "status",
    "owner",
    "rag",
    "rag_reason",
    "next_due",
    "text",
]


def _clock(c: Any) -> dict[str, Any]:
    item = jsonable(c)
    item["label"] = c.label
    item["report_url"] = document_href(c.report_id)
    item["response_url"] = document_href(c.response_id)
    return item


def accountability_view(store: Any, *, today: date) -> dict[str, Any]:
    """Every force inspection report's 56-day clock, with national and per-force counts."""
    with store.read() as session:
        clocks = response_clocks(session, today=today)
        forces = list(session.execute(select(Force.slug, Force.name).order_by(Force.name)))
    per_force: dict[str, Counter[str]] = {slug: Counter() for slug, _ in forces}
    for c in clocks:
        per_force[c.force_slug][c.status] += 1
    return {
        "today": today.isoformat(),
        "response_days": load_rules().response_days,
        "statuses": [*STATUSES, "undated"],
        "counts": clock_counts(clocks),
        "forces": [
            {"slug": slug, "name": name, "counts": {s: per_force[slug][s] for s in (*STATUSES, "undated")}}
            for slug, name in forces
            if per_force[slug]
        ],
        "clocks": [_clock(c) for c in clocks],
    }


def force_accountability_view(store: Any, slug: str, *, today: date) -> dict[str, Any]:
    """One force's 56-day clocks (the force page's section 55 panel)."""
    with store.read() as session:
        force = session.scalar(select(Force).where(Force.slug == slug))
        if force is None:
            raise UnknownNameError("force", slug, [])
        name = force.name
        clocks = response_clocks(session, today=today, force=slug)
    return {
        "force": {"slug": slug, "name": name},
        "today": today.isoformat(),
        "counts": clock_counts(clocks),
        "clocks": [_clock(c) for c in clocks],
    }


def _action(a: Any) -> dict[str, Any]:
    item = jsonable(a)
    for ev in item["evidence"]:
        ev["target_url"] = document_href(ev["document_id"]) if ev["document_id"] else ev["url"]
    return item


def finding_tracking_view(store: Any, finding_id: int, *, today: date) -> dict[str, Any]:
    """A finding's tracking record: status and its history, owner, actions, RAG with its reason."""
    rules = load_rules()
    with store.read() as session:
        finding = get_finding_row(session, finding_id)
        history = status_history(session, finding_id)
        disputes = disagreements(session, finding_id)
        actions = finding_actions(session, finding_id)
        published = None
        if finding.source_document_id is not None:
            from peelwatch.store.models import Document

            doc = session.get(Document, finding.source_document_id)
            published = report_date(session, doc) if doc else None
        rag = compute_rag(finding.status, actions, published, today)
        status = finding.status
        summary = {
            "id": finding.id,
            "label": finding_label(finding),
            "type": finding.type,
            "ref": finding.ref,
            "text": finding.text,
            "status": status,
            "owner": finding.owner,
            "rag": rag.rag,
            "rag_reason": rag.reason,
            "published": published,
        }
    return {
        "finding": jsonable(summary),
        "today": today.isoformat(),
        "history": [{**jsonable(e), "document_url": document_href(e.document_id)} for e in history],
        "disagreements": [{**jsonable(d), "document_url": document_href(d.document_id)} for d in disputes],
        "actions": [_action(a) for a in actions],
        "next_statuses": list(rules.transitions.get(status, ())),
        "reason_required": list(rules.reason_required),
        "status_labels": rules.statuses,
        "action_statuses": list(rules.action_statuses),
    }


def board_view(store: Any, flt: BoardFilter, *, today: date, me: str | None = None) -> dict[str, Any]:
    """The tracking board: findings with owner, status, RAG and next due date, filtered and sorted."""
    with store.read() as session:
        items = tracked_findings(session, flt, today=today)
        forces = list(session.execute(select(Force.slug, Force.name).order_by(Force.name)))
    rows = []
    for t in items:
        rows.append(
            {
                "id": t.id,
                "force": t.force,
                "force_slug": t.force_slug,
                "cycle": t.cycle,
                "type": t.type,
                "type_label": TYPE_LABELS.get(t.type, t.type),
                "ref": t.ref,
                "text": t.text,
                "status": t.status,
                "owner": t.owner,
                "rag": t.rag,
                "rag_reason": t.rag_reason,
                "next_due": t.next_due.isoformat() if t.next_due else None,
                "actions": len(t.actions),
                "url": f"/findings/{t.id}",
            }
        )
    rules = load_rules()
    return {
        "today": today.isoformat(),
        "filters": {
            "force": flt.force,
            "cycle": flt.cycle,
            "owner": flt.owner,
            "rag": flt.rag,
            "status": flt.status,
            "sort": flt.sort,
            "descending": flt.descending,
            "me": me,
        },
        "total": len(rows),
        "rag_counts": {r: sum(1 for x in rows if x["rag"] == r) for r in RAG_ORDER},
        "items": rows,
        "options": {
            "forces": [{"slug": s, "name": n} for s, n in forces],
            "rags": list(RAG_ORDER),
            "statuses": list(rules.statuses),
            "sorts": list(SORTS),
        },
    }
