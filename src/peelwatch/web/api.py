"""The JSON API. Each route returns exactly what the matching page renders (see ``views``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from peelwatch.web import schemas, views
from peelwatch.web.auth import EditorDep, load_actor
from peelwatch.web.deps import (
    LimitParam,
    OffsetParam,
    Page,
    StoreDep,
    cached_json,
    get_today,
    runs_inline,
    store_of,
)
from peelwatch.web.errors import UploadTooLargeError
from peelwatch.web.lists import list_response, parse_format

router = APIRouter(prefix="/api")

FindingType = Literal["area_for_improvement", "cause_of_concern", "recommendation"]
DocumentKind = Literal["inspection_report", "pcc_response", "force_statement", "news", "other"]
SortBy = Annotated[
    str,
    Query(
        pattern=r"^(name|grade|[a-z0-9][a-z0-9_/.-]{0,119})$",
        description="`name`, `grade` (best first) or a column key to sort by that column's grade",
    ),
]

SortParam = Annotated[
    str | None,
    Query(max_length=60, description="A column to sort by; `-column` for descending (422 lists the columns)"),
]
FormatParam = Annotated[
    Literal["json", "csv"] | None,
    Query(description="`csv` answers the same list as CSV (so does `Accept: text/csv`)"),
]
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {
        "model": schemas.ErrorBody,
        "description": "Unknown force, finding or document (with `suggestions`)",
    },
    422: {"model": schemas.ErrorBody, "description": "A parameter has a value that cannot be used"},
}


def _list(model: Any, description: str) -> dict[int | str, dict[str, Any]]:
    return {**schemas.json_and_csv(model, description), **_ERRORS}


def _one(model: Any, description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model, "description": description}, **_ERRORS}


@router.get(
    "/forces",
    tags=["forces"],
    responses=_list(schemas.ForcesList, "The forces"),
    summary="Every force with its region and record counts",
)
async def api_forces(request: Request, sort: SortParam = None, format: FormatParam = None) -> Response:
    """The forces, with how many documents, judgments and findings each has, and by region."""
    store = store_of(request)
    spec = views.FORCES_LIST
    # One read of the forces' rows with their kept counts: cheap at any size of the record.
    return await list_response(
        request, spec, lambda by: views.forces_view(store, by), inline=runs_inline(store)
    )


@router.get(
    "/forces/{slug}",
    tags=["forces"],
    responses=_one(schemas.ForceProfile, "The force's profile"),
    summary="A force's profile",
)
async def api_force(request: Request, slug: str) -> Response:
    """Grades by cycle (inspectorate and claims), findings by type and status, documents.
    The findings' owner and RAG are ``null`` unless the caller is logged in."""
    store = store_of(request)
    tracking = await load_actor(request) is not None
    return await cached_json(
        request, lambda: views.force_view(store, slug, tracking=tracking, today=get_today(request))
    )


@router.get(
    "/grades",
    tags=["grades"],
    responses=_one(schemas.Matrix, "The matrix"),
    summary="The national grade matrix of a cycle",
)
async def api_grades(
    request: Request,
    cycle: Annotated[str | None, Query(description="Cycle label such as 2021/22; default the latest")] = None,
    sort: SortBy = "name",
    group: Annotated[Literal["region", "none"], Query()] = "region",
    format: Annotated[Literal["json", "csv"], Query(description="csv: one row per grade")] = "json",
) -> Response:
    """Forces (grouped by region) × areas or questions, each cell a grade with its evidence and
    source document; ``format=csv`` (or ``Accept: text/csv``) answers one CSV row per grade."""
    store = store_of(request)
    if parse_format(request) == "csv":
        return await views.matrix_csv_response(store, cycle=cycle, sort=sort, group=group)
    return await cached_json(
        request, lambda: views.matrix_view(store, cycle=cycle, sort=sort, group=group), lane="matrix"
    )


@router.get(
    "/judgments",
    tags=["grades"],
    responses=_list(schemas.ListPage[schemas.GradeItem], "One page of graded judgments"),
    summary="Graded judgments as a list, filtered, sorted and paginated",
)
async def api_judgments(
    request: Request,
    force: Annotated[str | None, Query(description="Force slug")] = None,
    cycle: Annotated[str | None, Query(description="Cycle label")] = None,
    area: Annotated[str | None, Query(max_length=120, description="Area key or words of the subject")] = None,
    claims: Annotated[bool, Query(description="The commissioners' and forces' claims instead")] = False,
    sort: SortParam = None,
    format: FormatParam = None,
    limit: LimitParam = 50,
    offset: OffsetParam = 0,
) -> Response:
    """One row per force × subject × cycle: the latest inspectorate grade (or the claims)."""
    store = store_of(request)
    return await list_response(
        request,
        views.GRADES_LIST,
        lambda by: views.grades_view(
            store, force=force, cycle=cycle, area=area, claims=claims, page=Page(limit, offset), sort=by
        ),
    )


@router.get(
    "/findings",
    tags=["findings"],
    responses=_list(schemas.ListPage[schemas.FindingItem], "One page of findings"),
    summary="Findings, filtered, sorted and paginated",
)
async def api_findings(
    request: Request,
    force: Annotated[str | None, Query(description="Force slug")] = None,
    cycle: Annotated[str | None, Query(description="Cycle label")] = None,
    type: Annotated[FindingType | None, Query(description="Finding type")] = None,
    status: Annotated[
        str | None, Query(pattern=r"^[a-z_]{1,40}$", description="open, discharged, ...")
    ] = None,
    area: Annotated[str | None, Query(max_length=120, description="Canonical area key")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words the finding contains")] = None,
    sort: SortParam = None,
    format: FormatParam = None,
    limit: LimitParam = 50,
    offset: OffsetParam = 0,
) -> Response:
    """Findings with their force, cycle, type, status and area; ``total`` counts all matches.
    Owner and RAG are ``null`` unless the caller is logged in (or sends an API token)."""
    store = store_of(request)
    tracking = await load_actor(request) is not None
    # The plain list (prebuilt statements walking an index, counts kept by the database) reads
    # only its page; a filter, a search, a sort or a reader's RAGs may read more.
    plain = not (force or cycle or type or status or area or q or sort or tracking)
    return await list_response(
        request,
        views.FINDINGS_LIST,
        lambda by: views.findings_view(
            store,
            force=force,
            cycle=cycle,
            type=type,
            status=status,
            area=area,
            q=q,
            page=Page(limit, offset),
            sort=by,
            tracking=tracking,
            today=get_today(request),
        ),
        inline=plain and runs_inline(store, offset + limit),
    )


@router.get(
    "/findings/{finding_id}",
    tags=["findings"],
    responses=_one(schemas.FindingDetail, "The finding"),
    summary="One finding",
)
async def api_finding(request: Request, finding_id: int) -> Response:
    """The finding, each mention with its span and passage, responses and related findings.
    Its owner and RAG are ``null`` unless the caller is logged in (or sends an API token)."""
    store = store_of(request)
    tracking = await load_actor(request) is not None
    return await cached_json(
        request, lambda: views.finding_view(store, finding_id, tracking=tracking, today=get_today(request))
    )


@router.get(
    "/documents",
    tags=["documents"],
    responses=_list(schemas.ListPage[schemas.DocumentItem], "One page of documents"),
    summary="Ingested documents, filtered, sorted and paginated",
)
async def api_documents(
    request: Request,
    force: Annotated[str | None, Query(description="Force slug")] = None,
    cycle: Annotated[str | None, Query(description="Cycle label")] = None,
    kind: Annotated[DocumentKind | None, Query(description="Document kind")] = None,
    sort: SortParam = None,
    format: FormatParam = None,
    limit: LimitParam = 50,
    offset: OffsetParam = 0,
) -> Response:
    """Documents, newest first unless sorted, with their kind, force and cycle."""
    store = store_of(request)
    return await list_response(
        request,
        views.DOCUMENTS_LIST,
        lambda by: views.documents_view(
            store, force=force, cycle=cycle, kind=kind, page=Page(limit, offset), sort=by
        ),
        # Unfiltered and unsorted: a count of the documents (an index of a few thousand entries
        # at most) and one page walked by id, as for findings.
        inline=not (force or cycle or kind or sort) and runs_inline(store, offset + limit),
    )


@router.get(
    "/documents/{document_id}",
    tags=["documents"],
    responses=_one(schemas.DocumentDetail, "The document"),
    summary="One document",
)
async def api_document(request: Request, document_id: int) -> Response:
    """The document's text and every extracted fact with its ``start``/``end`` span."""
    store = store_of(request)
    return await cached_json(request, lambda: views.document_view(store, document_id))


@router.post(
    "/documents",
    tags=["documents"],
    status_code=201,
    response_model=schemas.UploadResult,
    responses={
        200: {
            "model": schemas.UploadResult,
            "description": "The same bytes were ingested before; nothing changed",
        },
        401: {"model": schemas.ErrorBody, "description": "No login or API token"},
        403: {
            "model": schemas.ErrorBody,
            "description": "Not an editor or admin, or a browser request without its CSRF token",
        },
        413: {"model": schemas.ErrorBody, "description": "The file is larger than the upload limit"},
        415: {"model": schemas.ErrorBody, "description": "Not a document format peelwatch can read"},
        422: {
            "model": schemas.ErrorBody,
            "description": "The document is damaged, encrypted or empty, or took too long to read",
        },
    },
    summary="Upload and ingest a document",
)
async def api_upload(
    request: Request,
    file: Annotated[UploadFile, File(description="A text, HTML, PDF or DOCX document")],
    store: StoreDep,
    actor: EditorDep,
) -> JSONResponse:
    """Ingest the uploaded file exactly as ``peelwatch ingest`` does; answer the document's JSON.

    Needs an editor or admin (an API token, or a browser session with its CSRF token)."""
    limit: int = request.app.state.settings.max_bytes
    data = await read_limited(file, limit)
    from starlette.concurrency import run_in_threadpool

    # Reading and extracting is CPU work: keep it off the event loop.
    budget = request.app.state.settings.time_budget
    body, created = await run_in_threadpool(
        views.upload, store, data, file.filename or "upload", limit, budget, actor=actor
    )
    request.app.state.views_cache.clear()
    return JSONResponse(body, status_code=201 if created else 200)


SEARCH_MAX_OFFSET = 900  # the index ranks at most offset + limit (<= 1000) results


@router.get(
    "/search",
    tags=["search"],
    responses=_list(schemas.SearchResults, "Ranked results"),
    summary="Full-text search",
)
async def api_search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to find")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=SEARCH_MAX_OFFSET, description="Results to skip")] = 0,
    force: Annotated[str | None, Query(description="Force slug")] = None,
    cycle: Annotated[str | None, Query(description="Cycle label")] = None,
    sort: SortParam = None,
    format: FormatParam = None,
) -> Response:
    """Ranked results with snippets; hits are marked as ``{"text", "hit": true}`` pieces, never HTML."""
    store = store_of(request)
    return await list_response(
        request,
        views.SEARCH_LIST,
        lambda by: views.search_view(
            store, q=q, limit=limit, offset=offset, force=force, cycle=cycle, sort=by
        ),
    )


@router.get(
    "/cycles",
    tags=["grades"],
    responses={200: {"model": schemas.CyclesList, "description": "The cycles"}},
    summary="The PEEL cycles and their grade scales",
)
async def api_cycles(request: Request) -> Response:
    """Every cycle with its scale and the inspectorate's comparability warnings."""
    store = store_of(request)
    return await cached_json(request, lambda: views.cycles_view(store))


async def read_limited(file: UploadFile, limit: int) -> bytes:
    """Read an uploaded file, refusing it as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await file.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise UploadTooLargeError(limit)
        chunks.append(chunk)
    return b"".join(chunks)
