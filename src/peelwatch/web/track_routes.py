"""Routes of the tracker: the section 55 clock, the tracking board, a finding's tracking record,
committee reports, and the writes (status, owner, actions, notes, evidence).

Each page and its ``/api`` twin render the same view from :mod:`peelwatch.web.track_views`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from peelwatch.web import track_views
from peelwatch.web.deps import StoreDep, cached_json, cached_page

router = APIRouter()


def get_today(request: Request) -> date:
    """The day the clocks count to: today, unless the app was built with a fixed day (tests)."""
    fixed = getattr(request.app.state, "track_today", None)
    return fixed if fixed is not None else date.today()


TodayDep = Annotated[date, Depends(get_today)]


def _render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


# --------------------------------------------------------------------------- the 56-day clock (public)


@router.get("/accountability", response_class=HTMLResponse, include_in_schema=False)
async def accountability_page(request: Request, store: StoreDep, today: TodayDep) -> Response:
    """The national table of section 55 responses."""

    def build() -> Response:
        view = track_views.accountability_view(store, today=today)
        return _render(request, "accountability.html", {"view": view, "nav": "accountability"})

    return await cached_page(request, build)


@router.get(
    "/api/accountability", tags=["accountability"], summary="Section 55 responses: on time, late, missing"
)
async def api_accountability(request: Request, store: StoreDep, today: TodayDep) -> Response:
    """Each force inspection report's 56-day clock, with national and per-force counts."""
    return await cached_json(request, lambda: track_views.accountability_view(store, today=today))


@router.get("/accountability.csv", include_in_schema=False)
async def accountability_csv(store: StoreDep, today: TodayDep) -> Response:
    """The national table as CSV, one row per report."""
    view = track_views.accountability_view(store, today=today)
    return _csv(track_views.to_csv(view["clocks"], track_views.CLOCK_COLUMNS), "section-55.csv")


@router.get("/forces/{slug}/section-55", response_class=HTMLResponse, include_in_schema=False)
async def force_accountability_page(
    request: Request, slug: str, store: StoreDep, today: TodayDep
) -> Response:
    """A force's 56-day clocks (a fragment for the force page when asked by htmx)."""
    view = track_views.force_accountability_view(store, slug, today=today)
    template = "partials/track_force.html" if request.headers.get("hx-request") else "track_force.html"
    return _render(request, template, {"view": view, "nav": "forces"})


@router.get("/api/forces/{slug}/section-55", tags=["accountability"], summary="A force's 56-day clocks")
async def api_force_accountability(slug: str, store: StoreDep, today: TodayDep) -> JSONResponse:
    """The force's inspection reports with their response deadlines and status."""
    return JSONResponse(track_views.force_accountability_view(store, slug, today=today))


Text = Annotated[str | None, Query(max_length=200)]
