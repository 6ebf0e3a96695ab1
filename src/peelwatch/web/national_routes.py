"""Routes of the questions across the record: the claims check, the national picture, a force's
trajectory and what changed, themes, and the Atom feeds.

Each page and its API route hand the same view function (:mod:`peelwatch.web.national_views`) to
:func:`~peelwatch.web.lists.list_response`, so the page, its JSON and its CSV cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from peelwatch.web import national_views as nv
from peelwatch.web import schemas
from peelwatch.web.atom import ATOM_TYPE, atom_feed
from peelwatch.web.deps import MAX_LIMIT, MAX_OFFSET, Page, StoreDep
from peelwatch.web.lists import Sort, list_response

__all__ = ["api_router", "page_router", "register"]

api_router = APIRouter(prefix="/api", tags=["national"])
page_router = APIRouter(include_in_schema=False)

Name = Annotated[str | None, Query(max_length=200)]
SortParam = Annotated[
    str | None,
    Query(max_length=60, description="A column to sort by; `-column` for descending (422 lists the columns)"),
]
FormatParam = Annotated[
    Literal["json", "csv"] | None,
    Query(description="`csv` answers the same list as CSV (so does `Accept: text/csv`)"),
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": schemas.ErrorBody, "description": "Unknown force (with `suggestions`)"},
    422: {"model": schemas.ErrorBody, "description": "A parameter has a value that cannot be used"},
}


class ClaimItem(schemas._Open):
    force: str | None
    force_name: str | None
    cycle: str | None
    key: str
    subject: str
    claimed: str
    inspectorate: str | None
    outcome: str
    document_kind: str
    url: str | None
    inspectorate_url: str | None


class ClaimsPage(schemas.ListPage[ClaimItem]):
    """Claims against the inspectorate's grades, with counts by outcome nationally and per force."""

    outcomes: list[dict[str, Any]]
    differences: int
    forces: list[dict[str, Any]]


class DistributionView(schemas._Open):
    """Per key of one cycle, the number of forces at each grade, the chart's data and the warnings."""

    cycle: str | None
    cycles: list[str]
    scale: list[str]
    forces: int
    warnings: list[str]
    rows: list[dict[str, Any]]
    chart: dict[str, Any]


class TrajectoryView(schemas._Open):
    """A force's grades by key across cycles, marked where the scale or question changed."""

    force: dict[str, Any]
    points: list[dict[str, Any]]
    keys: list[dict[str, Any]]
    warnings: list[str]


class ChangesView(schemas._Open):
    """A force between two cycles: grades up/down/same, findings new/recurring/discharged."""

    force: dict[str, Any]
    before: str | None
    after: str | None
    items: list[dict[str, Any]]
    grades: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    summary: dict[str, Any]
    scale_changed: bool
    warnings: list[str]


class ThemesView(schemas._Open):
    """Clusters of recurring findings across forces."""

    themes: list[dict[str, Any]]
    total: int


class FeedView(schemas._Open):
    """The newest documents with their inspectorate grades and findings (also as Atom)."""

    title: str
    updated: str | None
    entries: list[dict[str, Any]]


def _list(model: Any, description: str) -> dict[int | str, dict[str, Any]]:
    return {**schemas.json_and_csv(model, description), **_ERRORS}


def _blank(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def _render(request: Request, template: str, nav: str) -> Any:
    def render(view: dict[str, Any], listing: dict[str, Any]) -> Response:
        context = {"view": view, "listing": listing, "nav": nav}
        return request.app.state.templates.TemplateResponse(request, template, context)

    return render


# --------------------------------------------------------------------------- claims


def _claims(
    store: Any, force: str | None, cycle: str | None, outcome: str | None, page: Page
) -> Callable[[Sort | None], dict[str, Any]]:
    return lambda by: nv.claims_view(
        store, force=_blank(force), cycle=_blank(cycle), outcome=_blank(outcome), page=page, sort=by
    )


@api_router.get("/claims", responses=_list(ClaimsPage, "One page of claims"), summary="Claims check")
async def api_claims(
    request: Request,
    store: StoreDep,
    force: Name = None,
    cycle: Name = None,
    outcome: Annotated[str | None, Query(description=f"One of {', '.join(nv.CLAIM_FILTERS)}")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    sort: SortParam = None,
    format: FormatParam = None,
) -> Response:
    """Every grade a commissioner, force or news item stated, against the inspectorate's grade for
    the same force, cycle and key: agrees, higher, lower or no inspectorate grade recorded."""
    view = _claims(store, force, cycle, outcome, Page(limit, offset))
    return await list_response(request, nv.CLAIMS_LIST, view)


@page_router.get("/claims", response_class=HTMLResponse)
async def claims_page(
    request: Request,
    store: StoreDep,
    force: Name = None,
    cycle: Name = None,
    outcome: Name = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """The claims check: filters, counts per outcome and per force, the list with CSV."""
    from peelwatch.web.views import filter_options

    options = filter_options(store, request.app.state.cache)

    def render(view: dict[str, Any], listing: dict[str, Any]) -> Response:
        context = {"view": view, "listing": listing, "nav": "claims", "options": options}
        context["outcomes"] = nv.CLAIM_FILTERS
        context["outcome_labels"] = {**nv.OUTCOME_LABELS, "differs": "Differs (either way)"}
        return request.app.state.templates.TemplateResponse(request, "claims.html", context)

    return await list_response(
        request, nv.CLAIMS_LIST, _claims(store, force, cycle, outcome, Page(limit, offset)), render=render
    )


# --------------------------------------------------------------------------- national picture


def _distribution(store: Any, cycle: str | None) -> Callable[[Sort | None], dict[str, Any]]:
    return lambda by: nv.distribution_view(store, cycle=_blank(cycle), sort=by)


def _themes(store: Any, area: str | None) -> Callable[[Sort | None], dict[str, Any]]:
    return lambda by: nv.themes_view(store, area=_blank(area), sort=by)


def _changes(
    store: Any, slug: str, before: str | None, after: str | None
) -> Callable[[Sort | None], dict[str, Any]]:
    return lambda by: nv.changes_view(store, slug, before=_blank(before), after=_blank(after), sort=by)


@api_router.get(
    "/national/distribution",
    responses=_list(DistributionView, "The distribution"),
    summary="Grades across the forces, per area, for one cycle",
)
async def api_distribution(
    request: Request, store: StoreDep, cycle: Name = None, sort: SortParam = None, format: FormatParam = None
) -> Response:
    """How many forces the inspectorate gave each grade, per area of one cycle (default the latest
    graded), with the comparability warnings."""
    view = _distribution(store, cycle)
    return await list_response(request, nv.DISTRIBUTION_LIST, view)


@page_router.get("/national", response_class=HTMLResponse)
async def national_page(request: Request, store: StoreDep, cycle: Name = None) -> Response:
    """The national picture: a stacked bar chart per area with the table beside it."""
    view = _distribution(store, cycle)
    render = _render(request, "national_distribution.html", "national")
    return await list_response(request, nv.DISTRIBUTION_LIST, view, render=render)


@api_router.get("/national/themes", responses=_list(ThemesView, "The themes"), summary="National themes")
async def api_themes(
    request: Request, store: StoreDep, area: Name = None, sort: SortParam = None, format: FormatParam = None
) -> Response:
    """Clusters of findings raised again across forces, with their forces and findings."""
    view = _themes(store, area)
    return await list_response(request, nv.THEMES_LIST, view)


@page_router.get("/national/themes", response_class=HTMLResponse)
async def themes_page(request: Request, store: StoreDep, area: Name = None) -> Response:
    """Themes: recurring findings across forces."""
    view = _themes(store, area)
    return await list_response(
        request, nv.THEMES_LIST, view, render=_render(request, "national_themes.html", "national")
    )


@api_router.get(
    "/forces/{slug}/trajectory",
    responses=_list(TrajectoryView, "The trajectory"),
    summary="A force's grades across cycles by area",
)
async def api_trajectory(
    request: Request, slug: str, store: StoreDep, sort: SortParam = None, format: FormatParam = None
) -> Response:
    """A force's inspectorate grades by canonical key across cycles, with scale and question changes."""
    return await list_response(request, nv.TRAJECTORY_LIST, lambda by: nv.trajectory_view(store, slug, by))


@page_router.get("/forces/{slug}/trajectory", response_class=HTMLResponse)
async def trajectory_page(request: Request, slug: str, store: StoreDep) -> Response:
    """A force's trajectory: one row per area, one cell per cycle."""
    render = _render(request, "national_trajectory.html", "forces")
    return await list_response(
        request, nv.TRAJECTORY_LIST, lambda by: nv.trajectory_view(store, slug, by), render=render
    )


@api_router.get(
    "/forces/{slug}/changes",
    responses=_list(ChangesView, "What changed"),
    summary="What changed for a force between two cycles",
)
async def api_changes(
    request: Request,
    slug: str,
    store: StoreDep,
    before: Name = None,
    after: Name = None,
    sort: SortParam = None,
    format: FormatParam = None,
) -> Response:
    """Grades up, down or the same; findings new, recurring or discharged (default: the force's
    last two graded cycles)."""
    view = _changes(store, slug, before, after)
    return await list_response(request, nv.CHANGES_LIST, view)


@page_router.get("/forces/{slug}/changes", response_class=HTMLResponse)
async def changes_page(
    request: Request, slug: str, store: StoreDep, before: Name = None, after: Name = None
) -> Response:
    """What changed for a force between two cycles, with a cycle selector."""
    view = _changes(store, slug, before, after)
    return await list_response(
        request, nv.CHANGES_LIST, view, render=_render(request, "changes.html", "forces")
    )


# --------------------------------------------------------------------------- feeds


@api_router.get("/feed", responses=_list(FeedView, "What is new"), summary="What is new (the feeds' entries)")
async def api_feed(
    request: Request, store: StoreDep, force: Name = None, sort: SortParam = None, format: FormatParam = None
) -> Response:
    """The newest documents with their inspectorate grades and findings; `/feed.atom` and
    `/forces/{slug}/feed.atom` are the same as Atom feeds."""
    return await list_response(
        request, nv.FEED_LIST, lambda by: nv.feed_view(store, force=_blank(force), sort=by)
    )


async def _atom(request: Request, store: Any, force: str | None) -> Response:
    """The feed as Atom, cached per URL like every view; the host is part of the key because the
    feed's links are absolute."""
    base = str(request.base_url)
    cache = request.app.state.views_cache
    key = ("atom", base, request.url.path)
    found, body, version = cache.lookup(key)
    if not found:
        body = await run_in_threadpool(lambda: atom_feed(nv.feed_view(store, force=force), base))
        cache.store(key, version, body)
    return Response(body, media_type=ATOM_TYPE)


@page_router.get("/feed.atom")
async def national_feed(request: Request, store: StoreDep) -> Response:
    """The national Atom feed of new documents, grades and findings."""
    return await _atom(request, store, None)


@page_router.get("/forces/{slug}/feed.atom")
async def force_feed(request: Request, slug: str, store: StoreDep) -> Response:
    """A force's Atom feed of new documents, grades and findings."""
    return await _atom(request, store, slug)


def register(app: FastAPI, dependencies: list[Any] | None = None) -> None:
    """Add these routes to the application (with the dependencies every route of it has)."""
    app.include_router(api_router, dependencies=dependencies)
    app.include_router(page_router, dependencies=dependencies)
