"""Server-rendered pages. Each renders the same view the matching API route returns as JSON."""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from peelwatch.web import views
from peelwatch.web.auth import CsrfDep, EditorDep, current_actor, load_actor
from peelwatch.web.correction_views import GRADES
from peelwatch.web.deps import MAX_LIMIT, MAX_OFFSET, Page, StoreDep, cached_page, get_today, store_of
from peelwatch.web.errors import BadFilterError, human_bytes
from peelwatch.web.lists import list_response

router = APIRouter(include_in_schema=False)

FINDING_TYPES = ("area_for_improvement", "cause_of_concern", "recommendation")
DOCUMENT_KINDS = ("inspection_report", "pcc_response", "force_statement", "news", "other")

# Form fields arrive as "" when left empty; a page treats that as "no filter".
Text = Annotated[str | None, Query(max_length=200)]


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    value = _blank(value)
    if value is not None and value not in allowed:
        raise BadFilterError(name, f"{name} must be one of {', '.join(allowed)}", list(allowed))
    return value


def _page(limit: int, offset: int) -> Page:
    return Page(limit=limit, offset=offset)


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render a page template with the request in its context."""
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
async def matrix_page(
    request: Request,
    cycle: Text = None,
    sort: Annotated[str, Query(pattern=r"^(name|grade|[a-z0-9][a-z0-9_/.-]{0,119})$")] = "name",
    group: Annotated[str, Query(pattern=r"^(region|none)$")] = "region",
    format: Annotated[str, Query(pattern=r"^(html|csv)$")] = "html",
) -> Response:
    """The national matrix: forces × areas for one cycle (``format=csv``: one row per grade)."""
    store = store_of(request)
    if format == "csv" or (format == "html" and "text/csv" in request.headers.get("accept", "")):
        return await views.matrix_csv_response(store, cycle=_blank(cycle), sort=sort, group=group)

    def build() -> Response:
        view = views.matrix_view(store, cycle=_blank(cycle), sort=sort, group=group)
        return render(request, "matrix.html", {"view": view, "nav": "matrix"})

    return await cached_page(request, build, lane="matrix")


@router.get("/forces", response_class=HTMLResponse)
async def forces_page(request: Request) -> Response:
    """Every force, by region; sorted by a column, one table."""
    store = store_of(request)
    return await list_response(
        request,
        views.FORCES_LIST,
        lambda by: views.forces_view(store, by),
        render=lambda view, listing: render(
            request, "forces.html", {"view": view, "listing": listing, "nav": "forces"}
        ),
    )


@router.get("/forces/{slug}", response_class=HTMLResponse)
async def force_page(request: Request, slug: str) -> Response:
    """A force's profile: grades through the cycles, findings, documents, claims."""
    store = store_of(request)
    tracking = await load_actor(request) is not None

    def build() -> Response:
        view = views.force_view(store, slug, tracking=tracking, today=get_today(request))
        return render(request, "force.html", {"view": view, "nav": "forces"})

    return await cached_page(request, build)


@router.get("/findings", response_class=HTMLResponse)
async def findings_page(
    request: Request,
    force: Text = None,
    cycle: Text = None,
    type: Text = None,
    status: Text = None,
    area: Text = None,
    q: Text = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    """Findings with filters, sortable columns, pages and a CSV download."""
    store = store_of(request)
    tracking = await load_actor(request) is not None

    def view(by: Any) -> dict[str, Any]:
        return views.findings_view(
            store,
            force=_blank(force),
            cycle=_blank(cycle),
            type=_choice("type", type, FINDING_TYPES),
            status=_blank(status),
            area=_blank(area),
            q=_blank(q),
            page=_page(limit, offset),
            sort=by,
            tracking=tracking,
            today=get_today(request),
        )

    def page(view: dict[str, Any], listing: dict[str, Any]) -> Response:
        options = views.filter_options(store, request.app.state.cache)
        template = "partials/findings_results.html" if request.headers.get("hx-request") else "findings.html"
        context = {"view": view, "listing": listing, "options": options, "types": FINDING_TYPES}
        return render(request, template, {**context, "nav": "findings"})

    return await list_response(request, views.FINDINGS_LIST, view, render=page)


@router.get("/findings/{finding_id}", response_class=HTMLResponse)
async def finding_page(request: Request, finding_id: int) -> Response:
    """One finding with its highlighted sources, responses and related findings; editors also get
    forms to correct its type or text, or hide it."""
    store = store_of(request)
    actor = await load_actor(request)
    editor = actor is not None and actor.allows("editor")

    def build() -> Response:
        view = views.finding_view(store, finding_id, tracking=actor is not None, today=get_today(request))
        context = {"view": view, "nav": "findings", "editor": editor, "types": FINDING_TYPES}
        return render(request, "finding.html", context)

    return await cached_page(request, build)


@router.get("/documents", response_class=HTMLResponse)
async def documents_page(
    request: Request,
    force: Text = None,
    cycle: Text = None,
    kind: Text = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    """Ingested documents with filters, sortable columns, pages and a CSV download."""
    store = store_of(request)

    def view(by: Any) -> dict[str, Any]:
        return views.documents_view(
            store,
            force=_blank(force),
            cycle=_blank(cycle),
            kind=_choice("kind", kind, DOCUMENT_KINDS),
            page=_page(limit, offset),
            sort=by,
        )

    def page(view: dict[str, Any], listing: dict[str, Any]) -> Response:
        options = views.filter_options(store, request.app.state.cache)
        context = {"view": view, "listing": listing, "options": options, "kinds": DOCUMENT_KINDS}
        return render(request, "documents.html", {**context, "nav": "documents"})

    return await list_response(request, views.DOCUMENTS_LIST, view, render=page)


@router.get("/judgments", response_class=HTMLResponse)
async def judgments_page(
    request: Request,
    force: Text = None,
    cycle: Text = None,
    area: Text = None,
    claims: Annotated[bool, Query()] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    """Every graded judgment as a list: filters, sortable columns, pages and a CSV download."""
    store = store_of(request)

    def view(by: Any) -> dict[str, Any]:
        return views.grades_view(
            store,
            force=_blank(force),
            cycle=_blank(cycle),
            area=_blank(area),
            claims=claims,
            page=_page(limit, offset),
            sort=by,
        )

    def page(view: dict[str, Any], listing: dict[str, Any]) -> Response:
        options = views.filter_options(store, request.app.state.cache)
        context = {"view": view, "listing": listing, "options": options, "nav": "matrix"}
        return render(request, "judgments.html", context)

    return await list_response(request, views.GRADES_LIST, view, render=page)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
async def document_page(request: Request, document_id: int) -> Response:
    """The full text with every extracted fact highlighted."""
    store = store_of(request)

    actor = current_actor(request)
    editor = actor is not None and actor.allows("editor")

    def build() -> Response:
        view = views.document_view(store, document_id)
        context = {"view": view, "pieces": views.document_pieces(view), "nav": "documents"}
        # Editors get a form beside each judgment to correct its grade.
        return render(request, "document.html", {**context, "editor": editor, "grades": GRADES})

    return await cached_page(request, build)


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request,
    q: Text = None,
    force: Text = None,
    cycle: Text = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=900)] = 0,
) -> Response:
    """Ranked search results with highlighted snippets, sortable, with a CSV download."""
    store = store_of(request)
    query = _blank(q)

    def view(by: Any) -> dict[str, Any]:
        if not query:
            return {"q": "", "total": 0, "results": [], "empty": True}
        found = views.search_view(
            store, q=query, limit=limit, offset=offset, force=_blank(force), cycle=_blank(cycle), sort=by
        )
        return found

    def page(view: dict[str, Any], listing: dict[str, Any]) -> Response:
        template = "partials/search_results.html" if request.headers.get("hx-request") else "search.html"
        context = {
            "view": None if view.get("empty") else view,
            "listing": listing,
            "q": query or "",
            "force": _blank(force),
            "cycle": _blank(cycle),
            "options": views.filter_options(store, request.app.state.cache),
            "header_q": query or "",
        }
        return render(request, template, context)

    return await list_response(request, views.SEARCH_LIST, view, render=page)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> HTMLResponse:
    """Drag-and-drop upload; the page posts to the API and links to the result."""
    limit = request.app.state.settings.max_bytes
    return render(request, "upload.html", {"limit": limit, "limit_text": human_bytes(limit), "nav": "upload"})


@router.post("/upload", response_model=None)
async def upload_form(request: Request, store: StoreDep, actor: EditorDep, _csrf: CsrfDep) -> Response:
    """The upload form without JavaScript: ingest, then go to the document (or explain the failure)."""
    from starlette.concurrency import run_in_threadpool

    from peelwatch.errors import PeelwatchError
    from peelwatch.web.api import read_limited
    from peelwatch.web.errors import error_body

    limit = request.app.state.settings.max_bytes
    form = await request.form()
    upload = form.get("file")
    try:
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise BadFilterError("file", "choose a file to upload")
        data = await read_limited(upload, limit)
        budget = request.app.state.settings.time_budget
        body, _created = await run_in_threadpool(
            views.upload, store, data, upload.filename, limit, budget, actor=actor
        )
        request.app.state.views_cache.clear()
    except PeelwatchError as exc:
        err = error_body(exc)
        context = {"limit": limit, "limit_text": human_bytes(limit), "nav": "upload", "error": err["message"]}
        return render(request, "upload.html", context, status_code=err["status"])
    return RedirectResponse(f"/documents/{body['id']}", status_code=303)


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    """The OpenAPI documentation, with Swagger UI served from our own static files."""
    return render(request, "docs.html", {"nav": "api"})


@functools.cache
def _icon() -> bytes:
    from peelwatch.web.app import HERE

    return (HERE / "static" / "favicon.svg").read_bytes()


@router.get("/favicon.ico")
async def favicon() -> Response:
    """Browsers and monitors ask for ``/favicon.ico`` whatever the page links: the site's icon.

    Served from memory and cached for a day: as a file response it took a thread and cost 0.9 ms
    of CPU, four times a cached list."""
    return Response(_icon(), media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/redoc")
def redoc_redirect() -> Response:
    """Old habit: ``/redoc`` goes to the one documentation page there is."""
    return RedirectResponse("/docs", status_code=307)
