"""Views of the questions across the record: claims check, national picture, trajectory, what
changed, themes and feeds.

One view, two renderings: each function returns the JSON-ready dict that the API answers and
the matching page renders. The questions are answered by
:mod:`peelwatch.store.national_queries`; this module only reshapes, links and adds the
inspectorate's comparability warnings.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from peelwatch.errors import UnknownNameError
from peelwatch.store import national_queries as nq
from peelwatch.web import present
from peelwatch.web.deps import Page
from peelwatch.web.errors import BadFilterError
from peelwatch.web.lists import Column, ListSpec, Sort, sort_items

__all__ = [
    "CHANGES_LIST",
    "CLAIMS_LIST",
    "CLAIM_FILTERS",
    "DISTRIBUTION_LIST",
    "FEED_LIST",
    "THEMES_LIST",
    "TRAJECTORY_LIST",
    "changes_view",
    "claims_view",
    "distribution_view",
    "feed_view",
    "force_claims",
    "themes_view",
    "trajectory_view",
]

# ``differs`` is the two directions together.
CLAIM_FILTERS: tuple[str, ...] = ("differs", *nq.CLAIM_OUTCOMES)
OUTCOME_LABELS = {
    "agrees": "Agrees",
    "higher": "Differs: claims higher",
    "lower": "Differs: claims lower",
    "no_inspectorate_grade": "No inspectorate grade recorded",
    "not_comparable": "Not a grade on the scale",
}
CHANGE_LABELS = {
    "up": "Up",
    "down": "Down",
    "same": "Same",
    "new": "Newly graded",
    "gone": "Not graded in the later cycle",
}
FINDING_CHANGE_LABELS = {
    "new": "New",
    "recurring": "Recurring",
    "discharged": "Discharged",
    "not_discharged": "Not discharged",
    "open": "Open: no later statement on it",
}
FEED_DOCUMENTS = 20


def _rank_sort(grade: Any) -> int:
    # Best first when ascending, like the other grade columns.
    return -present.grade_rank(grade)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _filter(exc: UnknownNameError) -> BadFilterError:
    """An unknown force or cycle given as a filter is a bad parameter (422)."""
    return BadFilterError(exc.what, str(exc), exc.suggestions)


def _judgment_url(document_id: int | None, judgment_id: int | None) -> str | None:
    if document_id is None or judgment_id is None:
        return None
    return f"/documents/{document_id}#judgment-{judgment_id}"


def _query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v})


# --------------------------------------------------------------------------- claims


CLAIMS_LIST = ListSpec(
    "claims",
    (
        Column("force", "Force", field="force_name"),
        Column("force_slug", "Force slug", field="force", sortable=False),
        Column("cycle", "Cycle"),
        Column("area", "Area", field="area_label"),
        Column("key", "Key"),
        Column("claimed", "Claimed grade", sort_value=_rank_sort),
        Column("inspectorate", "Inspectorate grade", sort_value=_rank_sort),
        Column("outcome", "Outcome"),
        Column("by", "Stated by", field="document_kind"),
        Column("document", "Document", field="document_title"),
        Column("evidence", "Words", sortable=False),
        Column("url", "Link", sortable=False),
        Column("inspectorate_url", "Inspectorate's grade", sortable=False),
    ),
)


def _claim_item(c: nq.ClaimCheck) -> dict[str, Any]:
    return {
        **_plain(c),
        "outcome_label": OUTCOME_LABELS.get(c.outcome, c.outcome),
        "differs": c.outcome in ("higher", "lower"),
        "url": _judgment_url(c.document_id, c.judgment_id),
        "inspectorate_url": _judgment_url(c.inspectorate_document_id, c.inspectorate_judgment_id),
    }


def claims_view(
    store: Any,
    *,
    force: str | None = None,
    cycle: str | None = None,
    outcome: str | None = None,
    page: Page | None = None,
    sort: Sort | None = None,
) -> dict[str, Any]:
    """Every claimed grade against the inspectorate's, filtered, with counts by outcome nationally
    and per force. ``outcome`` is one of :data:`CLAIM_FILTERS` (``differs``: higher or lower)."""
    if outcome is not None and outcome not in CLAIM_FILTERS:
        raise BadFilterError(
            "outcome", f"outcome must be one of {', '.join(CLAIM_FILTERS)}", list(CLAIM_FILTERS)
        )
    page = page or Page(limit=50, offset=0)
    try:
        every = nq.claim_checks(store, force=force, cycle=cycle)
    except UnknownNameError as exc:
        raise _filter(exc) from None
    items = [_claim_item(c) for c in every]
    totals = Counter(i["outcome"] for i in items)
    per_force: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for i in items:
        per_force[(i["force"] or "", i["force_name"] or "No force named")][i["outcome"]] += 1
    if outcome == "differs":
        items = [i for i in items if i["differs"]]
    elif outcome is not None:
        items = [i for i in items if i["outcome"] == outcome]
    items = sort_items(items, CLAIMS_LIST, sort)
    return {
        "items": items[page.offset : page.offset + page.limit],
        "total": len(items),
        "limit": page.limit,
        "offset": page.offset,
        "filters": {"force": force, "cycle": cycle, "outcome": outcome},
        "outcomes": [
            {"outcome": o, "label": OUTCOME_LABELS[o], "count": totals.get(o, 0)} for o in nq.CLAIM_OUTCOMES
        ],
        "differences": totals.get("higher", 0) + totals.get("lower", 0),
        "forces": [
            {
                "force": slug,
                "force_name": name,
                "counts": {o: counts.get(o, 0) for o in nq.CLAIM_OUTCOMES},
                "differences": counts.get("higher", 0) + counts.get("lower", 0),
                "url": "/claims?" + _query(force=slug, cycle=cycle) if slug else None,
            }
            for (slug, name), counts in sorted(per_force.items(), key=lambda kv: kv[0][1])
        ],
    }


def force_claims(store: Any, slug: str) -> dict[str, Any]:
    """A force's claims check for its profile page: every claim with its outcome, and the link
    to the full list."""
    checks = nq.claim_checks(store, force=slug)
    items = [_claim_item(c) for c in checks]
    return {
        "items": items,
        "differences": sum(1 for i in items if i["differs"]),
        "url": "/claims?" + _query(force=slug),
    }


# --------------------------------------------------------------------------- national picture


def _count_column(grade: str) -> Column:
    return Column(
        grade.replace(" ", "_"), present.grade_label(grade), value=lambda r: r["counts"].get(grade, 0)
    )


DISTRIBUTION_LIST = ListSpec(
    "distribution",
    (
        Column("cycle", "Cycle", sortable=False),
        Column("key", "Key"),
        Column("area", "Area", field="label"),
        *(_count_column(g) for g in present.FIVE_TIER),
        Column("ungraded", "Ungraded", value=lambda r: r["counts"].get("ungraded", 0)),
        Column("graded", "Forces graded"),
        Column("not_graded", "Forces without a grade"),
        Column("url", "Matrix", sortable=False),
    ),
    items="rows",
)


def _chart(rows: list[dict[str, Any]], scale: list[str]) -> dict[str, Any]:
    """A stacked bar per key: how many forces at each grade (the table beside it has the numbers)."""
    grades = [*scale, "ungraded"]
    return {
        "labels": [r["label"] for r in rows],
        "datasets": [
            {"grade": g, "label": present.grade_label(g), "counts": [r["counts"].get(g, 0) for r in rows]}
            for g in grades
            if any(r["counts"].get(g, 0) for r in rows)
        ],
    }


def distribution_view(store: Any, *, cycle: str | None = None, sort: Sort | None = None) -> dict[str, Any]:
    """Per key of one cycle, how many of the forces the inspectorate gave each grade, with the
    chart's data and the comparability warnings (the general one, the cycle's, the framework's)."""
    try:
        dist = nq.grade_distribution(store, cycle)
    except UnknownNameError as exc:
        raise _filter(exc) from None
    scale = [g for g in dist.scale if g in present.GRADE_RANK] or list(present.scale_for(dist.cycle))
    rows = [
        {
            **_plain(r),
            "url": "/?" + _query(cycle=r.cycle, sort=r.key),
            "findings_url": "/findings?" + _query(cycle=r.cycle, area=r.key),
        }
        for r in dist.rows
    ]
    warnings = present.comparability_warnings(dist.cycle)
    if dist.comparability and len(warnings) == 1:
        # A cycle the presentation has no caveat for: the framework's own words about it.
        warnings.append(dist.comparability)
    return {
        "cycle": dist.cycle,
        "cycles": dist.cycles,
        "scale": scale,
        "forces": dist.forces,
        "warnings": warnings,
        "rows": sort_items(rows, DISTRIBUTION_LIST, sort),
        "chart": _chart(rows, scale),
        "total": len(rows),
    }


TRAJECTORY_LIST = ListSpec(
    "trajectory",
    (
        Column("key", "Key"),
        Column("area", "Area", field="label"),
        Column("cycle", "Cycle", sortable=False),
        Column("grade", "Grade", sort_value=_rank_sort),
        Column("scale_changed", "Scale changed", sortable=False),
        Column("question_changed", "Question changed", sortable=False),
        Column("question", "Framework wording", sortable=False),
        Column("url", "Link", sortable=False),
    ),
    items="points",
)


def trajectory_view(store: Any, slug: str, sort: Sort | None = None) -> dict[str, Any]:
    """A force's grades by canonical key across cycles, each point marked where the scale or the
    question changed since the key's previous grade; grouped by key for the page."""
    points = nq.trajectory(store, slug)
    items = [{**_plain(p), "url": _judgment_url(p.document_id, p.judgment_id)} for p in points]
    keys: dict[str, dict[str, Any]] = {}
    for p in items:
        keys.setdefault(p["key"], {"key": p["key"], "label": p["label"], "points": []})["points"].append(p)
    force = _force_ref(store, slug)
    return {
        "force": force,
        "points": sort_items(items, TRAJECTORY_LIST, sort),
        "keys": list(keys.values()),
        "cycles": [c for c in _cycle_order(store) if any(p["cycle"] == c for p in items)],
        "warnings": present.comparability_warnings(None),
        "changes_url": f"/forces/{force['slug']}/changes",
        "total": len(items),
    }


def _force_ref(store: Any, slug: str) -> dict[str, str]:
    from peelwatch.store.names import load_framework_or_none, resolve_force

    with store.read() as session:
        f = resolve_force(session, slug, load_framework_or_none())
        return {"slug": f.slug, "name": f.name, "url": f"/forces/{f.slug}"}


def _cycle_order(store: Any) -> list[str]:
    from peelwatch.store.queries import cycle_refs

    return [c.label for c in cycle_refs(store)]


CHANGES_LIST = ListSpec(
    "changes",
    (
        Column("what", "What"),
        Column("key", "Key"),
        Column("area", "Area", field="label"),
        Column("cycle", "Cycle", sortable=False),
        Column("type", "Finding type"),
        Column("text", "Finding", sortable=False),
        Column("before", "Before", sort_value=_rank_sort),
        Column("after", "After", sort_value=_rank_sort),
        Column("change", "Change"),
        Column("url", "Link", sortable=False),
    ),
)


def _default_pair(store: Any, slug: str) -> tuple[str | None, str | None]:
    """The last two cycles with grades or findings for the force; with only one, nothing to
    compare it with yet (``None`` before it)."""
    cycles = nq.force_cycles(store, slug)
    if not cycles:
        return None, None
    return (cycles[-2] if len(cycles) > 1 else None), cycles[-1]


def changes_view(
    store: Any, slug: str, *, before: str | None = None, after: str | None = None, sort: Sort | None = None
) -> dict[str, Any]:
    """What changed for a force between two cycles (default: its last two with grades or findings): each key's
    grade up / down / same, and each finding new, recurring or discharged."""
    force = _force_ref(store, slug)
    default_before, default_after = _default_pair(store, force["slug"])
    before, after = before or default_before, after or default_after
    view: dict[str, Any] = {
        "force": force,
        "before": before,
        "after": after,
        "cycles": _cycle_order(store),
        "items": [],
        "grades": [],
        "findings": [],
        "summary": {},
        "scale_changed": False,
        "warnings": present.comparability_warnings(after),
        "trajectory_url": f"/forces/{force['slug']}/trajectory",
    }
    if before is None or after is None:
        return view
    try:
        changed = nq.what_changed(store, force["slug"], before, after)
    except UnknownNameError as exc:
        raise _filter(exc) from None
    grades = [
        {
            "what": "grade",
            **_plain(g),
            "change_label": CHANGE_LABELS.get(g.change, g.change),
            "url": _judgment_url(g.after_document_id, g.after_judgment_id)
            or _judgment_url(g.before_document_id, g.before_judgment_id),
        }
        for g in changed.grades
    ]
    findings = [
        {
            "what": "finding",
            **_plain(f),
            "key": f.area_key,
            "label": nq.area_label(f.area_key, changed.after),
            "id": f.finding_id,
            "change_label": FINDING_CHANGE_LABELS.get(f.change, f.change),
            "url": f"/findings/{f.finding_id}",
            "related": [{"id": i, "url": f"/findings/{i}"} for i in f.related_ids],
        }
        for f in changed.findings
    ]
    view.update(
        before=changed.before,
        after=changed.after,
        scale_changed=changed.scale_changed,
        grades=grades,
        findings=findings,
        items=sort_items(grades + findings, CHANGES_LIST, sort),
        summary={
            "grades": dict(Counter(g["change"] for g in grades)),
            "findings": dict(Counter(f["change"] for f in findings)),
        },
    )
    view["total"] = len(view["items"])
    return view


THEMES_LIST = ListSpec(
    "themes",
    (
        Column("id", "Theme"),
        Column("area", "Area", field="area_label"),
        Column("label", "Issue", sortable=False),
        Column("force_count", "Forces"),
        Column("count", "Findings"),
        Column("force_names", "Forces named", sortable=False),
        Column("finding_ids", "Finding ids", sortable=False),
        Column("url", "Link", sortable=False),
    ),
    items="themes",
)


def themes_view(store: Any, *, area: str | None = None, sort: Sort | None = None) -> dict[str, Any]:
    """Recurring findings across forces, clustered: each theme with its counts, its forces and
    links to its findings, largest first."""
    themes = [
        {
            **_plain(t),
            "area_label": nq.area_label(t.area_key),
            "force_count": len(t.forces),
            "forces": [{"slug": s, "name": n, "url": f"/forces/{s}"} for s, n in t.forces],
            "force_names": [n for _s, n in t.forces],
            "finding_ids": [f.id for f in t.findings],
            "findings": [{**_plain(f), "url": f"/findings/{f.id}"} for f in t.findings],
            "url": f"/national/themes#theme-{t.id}",
        }
        for t in nq.themes(store, area=area)
    ]
    return {"themes": sort_items(themes, THEMES_LIST, sort), "filters": {"area": area}, "total": len(themes)}


# --------------------------------------------------------------------------- feeds


FEED_LIST = ListSpec(
    "feed",
    (
        Column("kind", "Kind"),
        Column("title", "Title", sortable=False),
        Column("summary", "Summary", sortable=False),
        Column("updated", "Updated"),
        Column("force", "Force"),
        Column("cycle", "Cycle", sortable=False),
        Column("url", "Link", sortable=False),
    ),
    items="entries",
)


def _entry_url(e: nq.FeedEntry) -> str:
    if e.kind == "finding":
        return f"/findings/{e.id}"
    if e.kind == "grade":
        return f"/documents/{e.document_id}#judgment-{e.id}"
    return f"/documents/{e.id}"


def feed_view(store: Any, *, force: str | None = None, sort: Sort | None = None) -> dict[str, Any]:
    """What is new: the latest documents (of one force, or all) with their inspectorate grades and
    findings, newest first. The Atom feeds render this view."""
    # An unknown force is a 404: the force's feed names it in its path.
    entries = nq.feed_entries(store, force=force, documents=FEED_DOCUMENTS)
    ref = _force_ref(store, force) if force else None
    title = f"peelwatch: {ref['name']}" if ref else "peelwatch: the national record"
    return {
        "title": title,
        "force": ref,
        "updated": _plain(max((e.updated for e in entries), default=None)),
        "entries": sort_items([{**_plain(e), "url": _entry_url(e)} for e in entries], FEED_LIST, sort),
        "url": f"/forces/{ref['slug']}" if ref else "/",
        "feed_url": f"/forces/{ref['slug']}/feed.atom" if ref else "/feed.atom",
        "total": len(entries),
    }
