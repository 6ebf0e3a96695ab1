"""The thin layer between the store's queries and what a page or the API shows.

One view, two renderings: every function here returns a JSON-ready dict that the API answers
as it is and the matching page renders with a template. The functions only reshape and link
what the store returns (URLs, grouping, ordering for display); the queries live in the store.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import time
import typing
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any
from urllib.parse import urlencode

from peelwatch.errors import NotFoundError, UnknownNameError
from peelwatch.store import queries
from peelwatch.store.rows import possible_id
from peelwatch.web import national_views, present
from peelwatch.web.deps import Page
from peelwatch.web.errors import BadFilterError
from peelwatch.web.highlight import Mark, Piece, around, pieces
from peelwatch.web.lists import Column, ListSpec, Sort, csv_response, sort_items, to_csv

# The filter lists (force and cycle names) change only when a document names a new force; a
# few seconds of staleness saves two queries on every list page.
OPTIONS_TTL_SECONDS = 10.0
LATEST_FINDINGS = queries.LATEST_FINDINGS
# Ids are 64-bit signed integers in every database we use; a larger number names no record.


def known_id(value: int, what: str) -> int:
    """``value`` when it could be a record's id; else the same "not found" as any unknown id."""
    if not possible_id(value):
        raise NotFoundError(f"no {what} with id {value}")
    return value


def jsonable(value: Any) -> Any:
    """Dataclasses, dates and containers as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _is_date(hint: Any) -> bool:
    return any(isinstance(t, type) and issubclass(t, date) for t in (hint, *typing.get_args(hint)))


@functools.cache
def _row_shape(cls: type) -> tuple[tuple[str, ...], tuple[str, ...], Callable[[Any], Any]]:
    """A row class's field names, those typed as dates, and one getter of them all."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    hints = typing.get_type_hints(cls)
    dated = tuple(n for n in names if _is_date(hints[n]))
    getter = operator.attrgetter(*names)
    return names, dated, (getter if len(names) > 1 else lambda v: (getter(v),))


def flat_item(value: Any) -> dict[str, Any]:
    """A list row (a dataclass of plain values, dates and lists of text) as a JSON-ready dict.

    What :func:`jsonable` gives for such a row, without walking every value: a list page
    converts 50 of them per request.
    """
    names, dated, get = _row_shape(type(value))
    item = dict(zip(names, get(value), strict=True))
    for name in dated:
        if item[name] is not None:
            item[name] = item[name].isoformat()
    return item


def _as_filter(exc: UnknownNameError) -> BadFilterError:
    """An unknown name given as a filter is a bad parameter (422), not a missing page (404)."""
    return BadFilterError(exc.what, str(exc), exc.suggestions)


def _filter_error(exc: Exception) -> BadFilterError:
    allowed = [str(a) for a in getattr(exc, "allowed", [])]
    return BadFilterError(str(getattr(exc, "what", "parameter")), str(exc), allowed)


def document_href(document_id: int | None, anchor: str | None = None) -> str | None:
    """The document page, scrolled to one fact when ``anchor`` is given."""
    if document_id is None:
        return None
    return f"/documents/{document_id}" + (f"#{anchor}" if anchor else "")


# --------------------------------------------------------------------------- forces


FORCES_LIST = ListSpec(
    "forces",
    (
        Column("slug", "Slug"),
        Column("name", "Force"),
        Column("region", "Region"),
        Column("aliases", "Also called", sortable=False),
        Column("documents", "Documents"),
        Column("judgments", "Graded judgments"),
        Column("findings", "Findings"),
        Column("url", "Link", sortable=False),
    ),
    items="forces",
)


def forces_view(store: Any, sort: Sort | None = None) -> dict[str, Any]:
    """Every force with its record counts, and the same forces grouped by region.

    With ``sort`` the forces are in that order (and so within each region).
    """
    forces = [{**flat_item(f), "url": f"/forces/{f.slug}"} for f in queries.list_forces(store)]
    forces = sort_items(forces, FORCES_LIST, sort)
    regions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in forces:
        regions[f["region"]].append(f)
    return {
        "forces": forces,
        "regions": [{"region": r, "forces": fs} for r, fs in regions.items()],
    }


def _claims(cell: Any) -> list[dict[str, Any]]:
    """The commissioner's or force's restatements of one cell's grade, with links to their words.

    A document that states the same grade of the same subject twice (in its summary and again in
    its body) makes one claim, linked to its first statement, with ``times`` saying how often.
    """
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for c in cell.claims:
        key = (c.document_id, (c.grade or "").lower())
        if key in out:
            out[key]["times"] += 1
            continue
        out[key] = {
            "grade": c.grade,
            "agrees": c.agrees,
            "document_id": c.document_id,
            "document_kind": c.document_kind,
            "judgment_id": c.judgment_id,
            "url": document_href(c.document_id, f"judgment-{c.judgment_id}"),
            "times": 1,
        }
    return list(out.values())


def _grade_row(cell: Any, titles: dict[int, str]) -> dict[str, Any]:
    """One inspectorate grade of a force profile, with its source and the claims beside it."""
    return {
        "key": cell.key,
        "subject": cell.subject,
        "scope": cell.scope,
        "grade": cell.grade,
        "judgment_id": cell.judgment_id,
        "document_id": cell.document_id,
        "document_title": titles.get(cell.document_id or -1, f"Document {cell.document_id}"),
        "url": document_href(cell.document_id, f"judgment-{cell.judgment_id}"),
        "claims": _claims(cell),
    }


def force_view(store: Any, slug: str, *, tracking: bool = True, today: date | None = None) -> dict[str, Any]:
    """A force's profile: grades through the cycles with claims beside them, findings, documents.

    ``tracking=False`` (an anonymous reader) blanks the findings' owner and RAG; otherwise each
    RAG is worked out as of ``today`` (default: the real day).
    """
    from peelwatch.store.provenance import provisional_among

    profile = queries.force_profile(store, slug)
    titles = {d.id: d.title or d.source or f"Document {d.id}" for d in profile.documents}
    # Grades from provisional documents are shown, marked, but not counted in the chart.
    provisional = provisional_among(store, {d.id for d in profile.documents})
    cycles_out: list[dict[str, Any]] = []
    unmatched: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for cyc in profile.cycles:
        rows = [_grade_row(cell, titles) for cell in cyc.grades if cell.grade is not None]
        for row in rows:
            row["provisional"] = row["document_id"] in provisional
        for cell in cyc.grades:
            if cell.grade is None:
                # Claims with no inspectorate grade recorded to set them beside; one line per
                # document, subject and grade however often the document repeats it.
                for c in _claims(cell):
                    key = (cyc.cycle, cell.key, c["document_id"], (c["grade"] or "").lower())
                    if key not in seen:
                        seen.add(key)
                        unmatched.append(
                            {**c, "cycle": cyc.cycle, "subject": cell.subject, "inspectorate_grade": None}
                        )
        if rows:
            cycles_out.append(
                {"cycle": cyc.cycle, "scale": list(present.scale_for(cyc.cycle)), "judgments": rows}
            )
    statuses = sorted(profile.finding_counts.get("status", {}))
    by_type = profile.findings_by_type
    table = [
        {"type": t, "counts": dict(by_type[t]), "total": sum(by_type[t].values())}
        for t in [*queries.FINDING_TYPES, *sorted(set(by_type) - set(queries.FINDING_TYPES))]
        if t in by_type
    ]
    return {
        "force": {
            "slug": profile.force.slug,
            "name": profile.force.name,
            "region": profile.force.region,
            "aliases": profile.aliases,
        },
        "counts": {
            "documents": len(profile.documents),
            "judgments": sum(len(c["judgments"]) for c in cycles_out),
            "findings": profile.findings_total,
        },
        "cycles": cycles_out,
        "unmatched_claims": unmatched,
        "claim_checks": national_views.force_claims(store, profile.force.slug),
        "chart": _grade_chart(cycles_out),
        "finding_counts": profile.finding_counts,
        "statuses": statuses,
        "findings_table": table,
        # The newest few (newest cycle first); the whole list is one request away.
        "findings": with_live_rag(
            store, [_finding_item(f, tracking=tracking) for f in profile.findings], tracking, today
        ),
        "findings_url": f"/api/findings?{urlencode({'force': profile.force.slug})}",
        "findings_page_url": f"/findings?{urlencode({'force': profile.force.slug})}",
        "documents": [_document_item(d) for d in reversed(profile.documents)],
        "warnings": present.comparability_warnings(None),
    }


def _grade_chart(cycles: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of areas at each grade per cycle: a stacked bar chart that never implies one area's
    grade is comparable across cycles."""
    grades = [*present.FIVE_TIER, "ungraded"]
    counts = {g: [0] * len(cycles) for g in grades}
    for i, c in enumerate(cycles):
        for j in c["judgments"]:
            if j.get("provisional"):
                continue
            g = (j["grade"] or "").lower()
            counts[g if g in counts else "ungraded"][i] += 1
    return {
        "labels": [c["cycle"] for c in cycles],
        "datasets": [{"grade": g, "counts": counts[g]} for g in grades if any(counts[g])],
    }


# --------------------------------------------------------------------------- matrix


def cycles_view(store: Any) -> dict[str, Any]:
    """The cycles in time order, each with its scale and the comparability warnings."""
    return {
        "cycles": [
            {
                **jsonable(c),
                "scale": list(c.scale) or list(present.scale_for(c.label)),
                "warnings": present.comparability_warnings(c.label),
            }
            for c in queries.list_cycles(store)
        ]
    }


def matrix_view(
    store: Any, *, cycle: str | None, sort: str = "name", group: str = "region"
) -> dict[str, Any]:
    """Forces × subjects for one cycle (default: the latest with grades), grouped and sorted.

    The columns are the cycle's framework subjects (by canonical key, headed by the framework's
    column label with the full name beside it, framework order), then an ``other`` group of
    subjects as written that have no key in the framework. Only grades that count are shown:
    the inspectorate's own documents, not provisional ones; each cell names its source document.
    """
    from peelwatch.store.provenance import counted_grades

    try:
        counted = counted_grades(store, cycle)
    except UnknownNameError as exc:
        raise _as_filter(exc) from None
    label = counted.cycle
    view: dict[str, Any] = {
        "cycle": label,
        "cycles": counted.cycles,
        "sort": sort,
        "group": group,
        "scale": list(present.scale_for(label)),
        "warnings": present.comparability_warnings(label),
        "columns": [],
        "groups": [],
        "column_groups": [],
        "held_out": {"grades": 0, "documents": []},
        "csv_url": None,
    }
    if label is None:
        return view
    view["held_out"] = {
        "grades": counted.held_out,
        "documents": [{"id": d, "url": f"/documents/{d}"} for d in counted.held_out_documents],
    }
    columns = [
        {
            "key": c.key,
            "name": c.name,
            "label": present.column_label(label, c.key, c.name),
            "title": c.official or c.name,
            "scope": c.scope,
            "group": c.group,
            "official": c.official,
        }
        for c in counted.columns
    ]
    keys = [c["key"] for c in columns]
    if sort not in ("name", "grade") and sort not in keys:
        raise BadFilterError("sort", f"cannot sort by {sort!r}: use name, grade or a column key", keys)
    # A few documents grade every cell: each one's source is described once.
    described = {doc_id: _grade_source(src) for doc_id, src in counted.sources.items()}
    rows = [
        {
            "slug": row.force.slug,
            "name": row.force.name,
            "region": row.force.region,
            "cells": _matrix_cells(row.cells, described),
        }
        for row in counted.rows
    ]
    _sort_rows(rows, sort, keys)
    view["columns"] = columns if any(any(r["cells"]) for r in rows) else []
    # Header groups for the table: consecutive columns of the same group, with their span.
    view["column_groups"] = [
        {"group": g, "span": sum(1 for c in view["columns"] if c["group"] == g)}
        for g in ("framework", "other")
        if any(c["group"] == g for c in view["columns"])
    ]
    if group == "region":
        regions: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            regions[r["region"]].append(r)
        view["groups"] = [{"region": k, "forces": v} for k, v in sorted(regions.items())]
    else:
        view["groups"] = [{"region": None, "forces": rows}]
    view["csv_url"] = "/?" + urlencode({"cycle": label, "sort": sort, "group": group, "format": "csv"})
    return view


def _matrix_cells(cells: list[Any], described: dict[int, Any]) -> list[dict[str, Any] | None]:
    """A row's cells: each its grade, where it was read and how many claims restate it.

    One comprehension without a helper per cell: a matrix has a few hundred of them.
    """
    return [
        None
        if c is None
        else {
            "grade": c.grade,
            "judgment_id": c.judgment_id,
            "document_id": c.document_id,
            "url": document_href(c.document_id, f"judgment-{c.judgment_id}"),
            "claims": c.claims,
            "source": described.get(c.document_id),
        }
        for c in cells
    ]


async def matrix_csv_response(store: Any, *, cycle: str | None, sort: str, group: str) -> Any:
    """The matrix as a CSV download, one row per grade (page and API answer the same bytes)."""
    from starlette.concurrency import run_in_threadpool

    view = await run_in_threadpool(matrix_view, store, cycle=cycle, sort=sort, group=group)
    name = "peelwatch-grades-" + "".join(ch if ch.isalnum() else "-" for ch in view["cycle"] or "none")
    return csv_response(dataclasses.replace(MATRIX_CSV, name=name), to_csv(MATRIX_CSV, matrix_rows(view)))


def _grade_source(src: Any) -> dict[str, Any] | None:
    """A grade's source document as the matrix shows it on hover and in its data."""
    if src is None:
        return None
    return {
        "document_id": src.document_id,
        "kind": src.kind,
        "kind_label": present.kind_label(src.kind),
        "title": src.title or src.source or f"Document {src.document_id}",
        "published": src.published,
        "label": present.source_label(src.kind, src.title or src.source, src.published),
        "url": f"/documents/{src.document_id}",
    }


MATRIX_CSV = ListSpec(
    "peelwatch-grades",
    tuple(
        Column(key, key, sortable=False)
        for key in (
            "region",
            "force",
            "force_slug",
            "subject_key",
            "subject",
            "grade",
            "source_kind",
            "source_document_id",
            "source_title",
            "source_published",
            "url",
        )
    ),
)


def matrix_rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The matrix view flattened, one row per force × subject with a grade, in the view's order."""
    rows = []
    for g in view["groups"]:
        for f in g["forces"]:
            for col, cell in zip(view["columns"], f["cells"], strict=True):
                if cell is None:
                    continue
                src = cell["source"] or {}
                rows.append(
                    {
                        "region": f["region"],
                        "force": f["name"],
                        "force_slug": f["slug"],
                        "subject_key": col["key"],
                        "subject": col["title"],
                        "grade": cell["grade"],
                        "source_kind": src.get("kind", ""),
                        "source_document_id": cell["document_id"],
                        "source_title": src.get("title", ""),
                        "source_published": src.get("published") or "",
                        "url": cell["url"],
                    }
                )
    return rows


def _sort_rows(rows: list[dict[str, Any]], sort: str, keys: list[str]) -> None:
    """Order rows for display: by name, by mean grade (best first) or by one column's grade."""
    if sort == "name":
        rows.sort(key=lambda r: r["name"])
        return

    def ranks(row: dict[str, Any]) -> list[int]:
        return [
            present.grade_rank(c["grade"]) for c in row["cells"] if c and present.grade_rank(c["grade"]) >= 0
        ]

    if sort == "grade":
        rows.sort(key=lambda r: (-(sum(ranks(r)) / len(ranks(r))) if ranks(r) else 99, r["name"]))
        return
    i = keys.index(sort)

    def column_rank(row: dict[str, Any]) -> int:
        cell = row["cells"][i]
        return present.grade_rank(cell["grade"]) if cell else -2

    rows.sort(key=lambda r: (-column_rank(r), r["name"]))


# --------------------------------------------------------------------------- findings


FINDINGS_LIST = ListSpec(
    "findings",
    (
        Column("id", "Id"),
        Column("text", "Finding", sortable=False),
        Column("type", "Type"),
        Column("ref", "Ref"),
        Column("force", "Force", field="force_name"),
        Column("force_slug", "Force slug", field="force", sortable=False),
        Column("cycle", "Cycle"),
        Column("area", "Area", field="area_key"),
        Column("status", "Status"),
        Column("rag", "RAG", sortable=False),
        Column("owner", "Owner", sortable=False),
        Column("due_date", "Due"),
        Column("mentions", "Mentions", sortable=False),
        Column("url", "Link", sortable=False),
    ),
)


# A finding's owner and RAG belong to its tracking record, which only logged-in readers see;
# anonymous visitors get ``null`` in their place so the JSON keeps one shape.
TRACKING_FIELDS = ("owner", "rag")


def with_live_rag(
    store: Any, items: list[dict[str, Any]], tracking: bool, today: date | None
) -> list[dict[str, Any]]:
    """The findings' items with each RAG worked out as of ``today`` by the tracker's rules
    (the board's RAG), for readers who may see it; anonymous readers' items are left blank."""
    if not tracking or not items:
        return items
    from peelwatch.track.board import rags_for

    with store.read() as session:
        rags = rags_for(session, [i["id"] for i in items], today=today or date.today())
    for i in items:
        rag = rags.get(i["id"])
        i["rag"] = rag.rag if rag is not None else None
    return items


def without_tracking(item: dict[str, Any]) -> dict[str, Any]:
    """The finding's JSON with its tracking fields (owner, RAG) blanked, for anonymous readers."""
    return {**item, **dict.fromkeys(TRACKING_FIELDS)}


def _finding_item(f: Any, *, tracking: bool = True) -> dict[str, Any]:
    item = flat_item(f)
    item["url"] = f"/findings/{f.id}"
    if not tracking:
        item.update(_NO_TRACKING)  # what without_tracking gives, on the item made just now
    return item


_NO_TRACKING = dict.fromkeys(TRACKING_FIELDS)


def _page_query(filters: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in filters.items() if v})


def findings_view(
    store: Any,
    *,
    force: str | None,
    cycle: str | None,
    type: str | None,
    status: str | None,
    area: str | None,
    q: str | None,
    page: Page,
    sort: Sort | None = None,
    tracking: bool = True,
    today: date | None = None,
) -> dict[str, Any]:
    """One page of findings matching the filters, with the total count, in ``sort`` order.

    ``tracking=False`` (an anonymous reader) blanks each finding's owner and RAG; otherwise each
    RAG is worked out as of ``today`` (default: the real day).
    """
    filters = {"force": force, "cycle": cycle, "type": type, "status": status, "area": area, "q": q}
    item = partial(_finding_item, tracking=tracking)
    view = _paged(queries.list_findings, store, filters, page, item, sort)
    with_live_rag(store, view["items"], tracking, today)
    return view


def finding_view(
    store: Any, finding_id: int, *, tracking: bool = True, today: date | None = None
) -> dict[str, Any]:
    """A finding with each mention's passage, the responses and the related findings.

    ``tracking=False`` (an anonymous reader) blanks the finding's owner and RAG.
    """
    detail = queries.get_finding(store, known_id(finding_id, "finding"))
    f = detail.finding
    mentions = []
    for m in detail.mentions:
        item = jsonable(m)
        # The store gives the words either side; trim them to whole words for reading.
        item["passage"] = around(
            m.before,
            m.text,
            m.after,
            clipped_before=m.start - len(m.before) > 0,
            clipped_after=len(m.after) >= queries.CONTEXT_CHARS,
        )
        item["url"] = document_href(m.document_id, f"finding-{m.id}")
        mentions.append(item)
    from peelwatch.store.provenance import sources_of

    # When and by whom each response was made: the responding document's date, and the
    # responder named (the force's policing body, or the force) where the framework knows it.
    docs = sources_of(store, {r.document_id for r in detail.responses})
    responses = []
    for r in detail.responses:
        item = jsonable(r)
        item["document_title"] = r.document_title or f"Document {r.document_id}"
        item["url"] = document_href(r.document_id, f"response-{r.id}")
        src = docs.get(r.document_id)
        item["published"] = src.published if src else None
        item["document_kind"] = src.kind if src else None
        item["responder"] = present.responder(r.by, f.force, f.force_name)
        responses.append(item)
    discharges = [
        {**jsonable(d), "url": document_href(d.document_id, f"discharge-{d.id}")} for d in detail.discharges
    ]
    related = [{**jsonable(r), "relation": r.kind, "url": f"/findings/{r.id}"} for r in detail.related]
    finding = jsonable(f)
    finding.update(
        {
            "force_slug": f.force,
            "area": f.area_key,
            "section": detail.section,
            "source_document_id": detail.source_document_id,
        }
    )
    from peelwatch.web.correction_views import fact_corrections, links_of

    return {
        "finding": with_live_rag(store, [finding], True, today)[0] if tracking else without_tracking(finding),
        # People's corrections in force on the finding (its type, text), with who and when.
        "corrections": fact_corrections(store, "finding", [f.id]).get(str(f.id), []),
        "mentions": mentions,
        "responses": responses,
        "discharges": discharges,
        "related": related,
        # Every link with its score; an editor can reject a wrong one (and restore it).
        "links": links_of(store, f.id),
    }


# --------------------------------------------------------------------------- documents


DOCUMENTS_LIST = ListSpec(
    "documents",
    (
        Column("id", "Id"),
        Column("title", "Title"),
        Column("kind", "Kind"),
        Column("force", "Force", field="force_name"),
        Column("force_slug", "Force slug", sortable=False),
        Column("cycle", "Cycle"),
        Column("published", "Published"),
        Column("source", "Source", sortable=False),
        Column("reader", "Reader", sortable=False),
        Column("size", "Size"),
        Column("ingested_at", "Ingested"),
        Column("judgments", "Judgments", sortable=False),
        Column("findings", "Findings", sortable=False),
        Column("content_hash", "SHA-256", sortable=False),
        Column("url", "Link", sortable=False),
    ),
)


def _document_item(d: Any) -> dict[str, Any]:
    item = flat_item(d)
    item["force_slug"] = d.force
    item["url"] = f"/documents/{d.id}"
    return item


def documents_view(
    store: Any,
    *,
    force: str | None,
    cycle: str | None,
    kind: str | None,
    page: Page,
    sort: Sort | None = None,
) -> dict[str, Any]:
    """One page of documents, newest first unless ``sort`` says otherwise."""
    filters = {"force": force, "cycle": cycle, "kind": kind}
    return _paged(queries.list_documents, store, filters, page, _document_item, sort)


def _paged(
    list_fn: Callable[..., Any],
    store: Any,
    filters: dict[str, Any],
    page: Page,
    item: Callable[[Any], Any],
    sort: Sort | None = None,
) -> dict[str, Any]:
    """One page of a filtered list; unknown names and bad values become filter errors (4xx)."""
    by = {"sort": sort.param} if sort else {}
    try:
        result = list_fn(store, **filters, limit=page.limit, offset=page.offset, **by)
    except UnknownNameError as exc:
        raise _as_filter(exc) from None
    except queries.InvalidFilterError as exc:
        raise _filter_error(exc) from None
    return {
        "items": [item(x) for x in result.items],
        "total": result.total,
        "total_exact": result.total_exact,
        "limit": result.limit,
        "offset": result.offset,
        "page": {"limit": result.limit, "offset": result.offset},
        "filters": filters,
        "query": _page_query(filters),
    }


def document_view(store: Any, document_id: int) -> dict[str, Any]:
    """A document's text and every extracted fact with its span."""
    from peelwatch.store.provenance import document_standing
    from peelwatch.web.correction_views import judgment_corrections

    detail = queries.get_document(store, known_id(document_id, "document"))
    doc = _document_item(detail.document)
    doc["warnings"] = detail.warnings
    grades = sum(1 for j in detail.judgments if not j.claim)
    return {
        "id": detail.document.id,
        "document": doc,
        "decision": _decision(
            document_standing(store, document_id),
            doc,
            {
                "grades": grades,
                "claims": len(detail.judgments) - grades,
                "findings": len(detail.findings),
                "responses": len(detail.responses),
            },
        ),
        "text": detail.text,
        "judgments": [jsonable(j) for j in detail.judgments],
        # People's corrections in force on the judgments: shown beside each, with who and when.
        "corrections": judgment_corrections(store, [j.id for j in detail.judgments]),
        "findings": [
            {**jsonable(f), "id": f.mention_id, "url": f"/findings/{f.finding_id}"} for f in detail.findings
        ],
        "responses": [jsonable(r) for r in detail.responses],
        "discharges": [jsonable(d) for d in detail.discharges],
        "statistics": [jsonable(s) for s in detail.statistics],
        "counts": {
            "judgments": len(detail.judgments),
            "findings": len(detail.findings),
            "responses": len(detail.responses),
            "discharges": len(detail.discharges),
            "statistics": len(detail.statistics),
        },
    }


def _decision(standing: Any, doc: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    """What peelwatch decided a document is, how sure it was, and whether its grades count."""
    from peelwatch.extract.kind import is_confident

    # None: stored before confidence was kept (such documents count as they always did)
    confident = None if standing.kind_confidence is None else is_confident(standing.kind_confidence)
    if standing.counts:
        effect = "Its grades are on the national matrix."
    elif standing.provisional:
        effect = (
            "Provisional: its kind was not decided with confidence, so its grades are held out of "
            "the national matrix until a person confirms it."
        )
    else:
        effect = (
            "Not the inspectorate's own document: its grades are shown beside the inspectorate's as claims."
        )
    return {
        "kind": standing.kind,
        "kind_label": present.kind_label(standing.kind),
        "reason": standing.kind_reason,
        "confidence": standing.kind_confidence,
        "confident": confident,
        "provisional": standing.provisional,
        "counted": standing.counts,
        "effect": effect,
        "force": doc.get("force_name"),
        "cycle": doc.get("cycle"),
        "counts": counts,
    }


def document_pieces(view: dict[str, Any]) -> list[Piece]:
    """The document's text cut into pieces, each extracted fact highlighted and linked."""
    marks: list[Mark] = []
    for j in view["judgments"]:
        label = f"{'Claimed grade' if j['claim'] else 'Judgment'}: {j['subject']} — {j['grade']}"
        marks.append(Mark("judgment", j["start"], j["end"], f"judgment-{j['id']}", f"#j-{j['id']}", label))
    for f in view["findings"]:
        label = (
            f"{present.finding_type_label(f['type'])}{' ' + f['ref'] if f['ref'] else ''}: open the finding"
        )
        marks.append(Mark("finding", f["start"], f["end"], f"finding-{f['id']}", f["url"], label))
    for r in view["responses"]:
        href = f"/findings/{r['finding_id']}" if r["finding_id"] else f"#r-{r['id']}"
        marks.append(
            Mark(
                "response",
                r["start"],
                r["end"],
                f"response-{r['id']}",
                href,
                f"Response by {present.by_label(r['by'])}",
            )
        )
    for d in view["discharges"]:
        marks.append(
            Mark(
                "discharge",
                d["start"],
                d["end"],
                f"discharge-{d['id']}",
                f"#x-{d['id']}",
                f"Follow-up: {d['status'].replace('_', ' ')}",
            )
        )
    return pieces(view["text"], marks)


# --------------------------------------------------------------------------- search and upload


SEARCH_LIST = ListSpec(
    "search",
    (
        Column("kind", "Kind"),
        Column("id", "Id", sortable=False),
        Column("title", "Result"),
        Column("force", "Force", field="force_name"),
        Column("force_slug", "Force slug", field="force", sortable=False),
        Column("cycle", "Cycle"),
        Column("score", "Relevance"),
        Column(
            "snippet", "Snippet", value=lambda r: "".join(p["text"] for p in r["snippet"]), sortable=False
        ),
        Column("url", "Link", sortable=False),
    ),
    items="results",
)


def search_view(
    store: Any,
    *,
    q: str,
    limit: int,
    force: str | None,
    cycle: str | None,
    offset: int = 0,
    sort: Sort | None = None,
) -> dict[str, Any]:
    """Ranked search results; snippets as pieces of text with ``hit`` flags, never HTML.

    ``offset`` skips the best few; ``sort`` reorders the page of results shown (best first by
    default, and ``score`` sorts by relevance, larger is better).
    """
    from peelwatch.store.search import search

    try:
        found = search(store, q, limit=offset + limit, force=force, cycle=cycle)
    except UnknownNameError as exc:
        raise _as_filter(exc) from None
    except queries.InvalidFilterError as exc:
        raise _filter_error(exc) from None
    results = []
    for hit in found.items[offset:]:
        item = flat_item(hit)
        item["snippet"] = [{"text": s.text, "hit": s.hit} for s in hit.snippet]
        item["url"] = _hit_href(hit.kind, hit.id, hit.document_id)
        item["kind_label"] = _HIT_KINDS.get(hit.kind, hit.kind.capitalize())
        results.append(item)
    return {
        "q": q,
        "total": found.total,
        "total_exact": found.total_exact,
        "limit": limit,
        "offset": offset,
        "filters": {"force": force, "cycle": cycle},
        "results": sort_items(results, SEARCH_LIST, sort),
    }


# --------------------------------------------------------------------------- graded judgments


GRADES_LIST = ListSpec(
    "grades",
    (
        Column("force", "Force", field="force_name"),
        Column("force_slug", "Force slug", field="force", sortable=False),
        Column("cycle", "Cycle"),
        Column("scope", "Scope", sort_value=lambda s: queries.SCOPE_ORDER.get(s, 9)),
        Column("subject", "Subject"),
        Column("area", "Area", field="area_key"),
        Column("grade", "Grade", sort_value=lambda g: -present.grade_rank(g)),
        Column("claim", "Claim", sortable=False),
        Column("document", "Document"),
        Column("judgment_id", "Judgment id", sortable=False),
        Column("document_id", "Document id", sortable=False),
        Column("url", "Link", sortable=False),
    ),
)


def grades_view(
    store: Any,
    *,
    force: str | None,
    cycle: str | None,
    area: str | None,
    claims: bool,
    page: Page,
    sort: Sort | None = None,
) -> dict[str, Any]:
    """One page of graded judgments (force × subject × cycle, the latest statement of each).

    ``claims`` lists the commissioners' and forces' restatements instead of the inspectorate's
    grades. The store returns every matching grade (a few thousand at most): the page is cut here.
    """
    filters = {"force": force, "cycle": cycle, "area": area}
    try:
        rows = queries.list_grades(store, **filters, claims=claims)
    except UnknownNameError as exc:
        raise _as_filter(exc) from None
    except queries.InvalidFilterError as exc:
        raise _filter_error(exc) from None
    items = [{**jsonable(r), "url": document_href(r.document_id, f"judgment-{r.judgment_id}")} for r in rows]
    items = sort_items(items, GRADES_LIST, sort)
    return {
        "items": items[page.offset : page.offset + page.limit],
        "total": len(items),
        "limit": page.limit,
        "offset": page.offset,
        "page": {"limit": page.limit, "offset": page.offset},
        "filters": {**filters, "claims": claims},
        "query": _page_query({**filters, "claims": "true" if claims else None}),
    }


_HIT_KINDS = {"finding": "Finding", "judgment": "Graded judgment", "document": "Document"}


def _hit_href(kind: str, ref_id: int, document_id: int | None) -> str:
    """Where a search result leads: the finding, the judgment in its document, or the document."""
    if kind == "finding":
        return f"/findings/{ref_id}"
    if kind == "judgment" and document_id is not None:
        return f"/documents/{document_id}#judgment-{ref_id}"
    return f"/documents/{document_id if document_id is not None else ref_id}"


def upload(
    store: Any,
    data: bytes,
    name: str,
    max_bytes: int,
    time_budget: float | None = None,
    *,
    actor: Any = None,
) -> tuple[dict[str, Any], bool]:
    """Ingest uploaded bytes as the CLI does; the document's view, and whether it is new.

    Reading and extracting run in a process stopped after ``time_budget`` seconds (when given).
    With an ``actor``, a new document's audit record is written in the same transaction."""
    from peelwatch.ingest import ingest_bytes
    from peelwatch.track.audit import ingest_recorder

    result = ingest_bytes(
        store, data, name, max_bytes=max_bytes, time_budget=time_budget, on_stored=ingest_recorder(actor)
    )
    view = document_view(store, result.document_id)
    created = getattr(result, "status", "") not in ("unchanged", "duplicate", "skipped", "exists")
    doc = view["document"]
    body = {
        **view,
        "id": doc["id"],
        "status": getattr(result, "status", None),
        "title": doc["title"],
        "kind": doc["kind"],
        "force": doc["force"],
        "force_name": doc["force_name"],
        "cycle": doc["cycle"],
        "url": doc["url"],
        "provisional": view["decision"]["provisional"],
    }
    return body, created


def filter_options(store: Any, cache: dict[str, Any] | None = None) -> dict[str, Any]:
    """The values offered in the filter drop-downs: forces, cycles and finding statuses.

    ``cache`` (the application's) keeps them for a few seconds.
    """
    now = time.monotonic()
    cached = cache.get("options") if cache is not None else None
    if cached and now - cached[0] < OPTIONS_TTL_SECONDS:
        return cached[1]
    options = {
        "forces": [
            {"slug": f.slug, "name": f.name} for f in sorted(queries.force_refs(store), key=lambda f: f.name)
        ],
        "cycles": [c.label for c in queries.cycle_refs(store)],
        "statuses": list(queries.FINDING_STATUSES),
    }
    if cache is not None:
        cache["options"] = (now, options)
    return options
