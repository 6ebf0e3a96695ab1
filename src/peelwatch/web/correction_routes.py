"""Routes for corrections: the list (public, like the record), and the writes (editors).

The API takes JSON and answers JSON; the page forms post the same fields with their CSRF token
and come back to the page they were sent from.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from peelwatch.web import correction_views as cv
from peelwatch.web import schemas
from peelwatch.web.auth import EditorDep, _safe_next
from peelwatch.web.deps import PageDep, StoreDep
from peelwatch.web.lists import list_response

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["corrections"])

Entity = Literal["document", "judgment", "finding", "response"]
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": schemas.ErrorBody, "description": "No login or API token"},
    403: {"model": schemas.ErrorBody, "description": "Not an editor or admin, or no CSRF token"},
    404: {"model": schemas.ErrorBody, "description": "No such fact, document or correction"},
    422: {
        "model": schemas.ErrorBody,
        "description": "A field that cannot be corrected, or a value not allowed",
    },
}


class CorrectionIn(BaseModel):
    """A correction of one field of one fact."""

    entity: Entity
    id: int = Field(ge=1, le=2**63 - 1)
    field: str = Field(max_length=40)
    value: str | bool = Field(description="The corrected value (``true``/``false`` for ``hidden``)")
    note: str = Field("", max_length=2000)


class RevertIn(BaseModel):
    """Why a correction is taken back."""

    note: str = Field("", max_length=2000)


class FindingIn(BaseModel):
    """A finding the extractor missed."""

    type: str = Field(
        max_length=40, description="area_for_improvement (afi), cause_of_concern, recommendation"
    )
    text: str = Field(min_length=1, max_length=20_000)
    ref: str | None = Field(None, max_length=80)
    note: str = Field("", max_length=2000)


class LinkDecisionIn(BaseModel):
    """Why a link is rejected (or restored)."""

    reason: str = Field("", max_length=2000)


class LinkOut(BaseModel):
    """A link of a finding, seen from that finding: its score and whether a person rejected it."""

    link_id: int
    kind: str
    direction: str = Field(
        description="'to' an earlier finding, 'from' a later one, 'statement' (discharges)"
    )
    other_id: int | None
    other_text: str
    other_force: str | None
    other_cycle: str | None
    score: float
    rejected: bool
    evidence: str
    discharge_id: int | None
    status: str | None
    url: str | None


class CorrectionOut(BaseModel):
    """A correction: the extracted value, the corrected one, who and when."""

    id: int
    entity: str
    entity_id: int | None
    document_id: int | None
    field: str
    original: Any
    value: Any
    note: str
    actor: str
    at: str
    active: bool
    detached: bool
    url: str | None


async def _write(request: Request, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Run a write off the event loop, then drop the cached views it has made stale."""
    result = await run_in_threadpool(fn, *args, **kwargs)
    request.app.state.views_cache.clear()
    return result


# ----------------------------------------------------------------------------- API


@api_router.get(
    "/corrections",
    responses=schemas.json_and_csv(schemas.ListPage[CorrectionOut], "One page of corrections"),
    summary="People's corrections, newest first",
)
async def api_corrections(
    request: Request,
    store: StoreDep,
    page: PageDep,
    document: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    entity: Entity | None = None,
    active: bool = False,
    sort: Annotated[str | None, Query(max_length=60)] = None,
    format: Literal["json", "csv"] | None = None,
) -> Response:
    """Every correction with the extracted value it replaced; ``active`` for those in force only."""
    return await list_response(
        request,
        cv.CORRECTIONS_LIST,
        lambda by: cv.corrections_view(
            store, page=page, document_id=document, entity=entity, active=active, sort=by
        ),
    )


@api_router.post(
    "/corrections",
    status_code=201,
    response_model=CorrectionOut,
    responses=_WRITE_ERRORS,
    summary="Correct a fact",
)
async def api_correct(
    request: Request, body: CorrectionIn, store: StoreDep, actor: EditorDep
) -> dict[str, Any]:
    """Correct one field of a document, judgment, finding or response (editor or admin)."""
    return await _write(
        request,
        cv.make_correction,
        store,
        actor,
        entity=body.entity,
        fact_id=body.id,
        field=body.field,
        value=body.value,
        note=body.note,
    )


@api_router.post(
    "/corrections/{correction_id}/revert",
    response_model=CorrectionOut,
    responses=_WRITE_ERRORS,
    summary="Take a correction back",
)
async def api_revert(
    request: Request, correction_id: int, store: StoreDep, actor: EditorDep, body: RevertIn | None = None
) -> dict[str, Any]:
    """The extracted value returns to the fact; the correction stays in the history, inactive."""
    return await _write(request, cv.take_back, store, actor, correction_id, body.note if body else "")


@api_router.post(
    "/documents/{document_id}/findings",
    status_code=201,
    response_model=CorrectionOut,
    responses=_WRITE_ERRORS,
    summary="Add a finding the extractor missed",
)
async def api_add_finding(
    request: Request, document_id: int, body: FindingIn, store: StoreDep, actor: EditorDep
) -> dict[str, Any]:
    """A new finding of the document's force and cycle, recorded as a correction."""
    return await _write(
        request,
        cv.add_missed_finding,
        store,
        actor,
        document_id,
        finding_type=body.type,
        text=body.text,
        ref=body.ref,
        note=body.note,
    )


@api_router.post(
    "/links/{link_id}/reject",
    response_model=LinkOut,
    responses=_WRITE_ERRORS,
    summary="Reject a link the linker made",
)
async def api_reject_link(
    request: Request, link_id: int, store: StoreDep, actor: EditorDep, body: LinkDecisionIn | None = None
) -> dict[str, Any]:
    """The link stays rejected through every re-linking; a rejected discharge withdraws the status
    event its statement made."""
    return await _write(
        request, partial(cv.decide, store, actor, link_id, reject=True, reason=body.reason if body else "")
    )


@api_router.post(
    "/links/{link_id}/restore",
    response_model=LinkOut,
    responses=_WRITE_ERRORS,
    summary="Restore a rejected link",
)
async def api_restore_link(
    request: Request, link_id: int, store: StoreDep, actor: EditorDep
) -> dict[str, Any]:
    """Undo a rejection; a restored discharge makes its status event again."""
    return await _write(request, partial(cv.decide, store, actor, link_id, reject=False))


# ----------------------------------------------------------------------------- pages


@router.get("/corrections")
async def corrections_page(
    request: Request,
    store: StoreDep,
    page: PageDep,
    document: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    entity: Entity | None = None,
    active: bool = False,
    sort: Annotated[str | None, Query(max_length=60)] = None,
    format: Literal["json", "csv"] | None = None,
) -> Response:
    """The corrections page: the same list as ``/api/corrections``."""

    def render(view: dict[str, Any], listing: Any) -> Response:
        context = {"view": view, "listing": listing, "nav": "corrections"}
        return request.app.state.templates.TemplateResponse(request, "corrections.html", context)

    return await list_response(
        request,
        cv.CORRECTIONS_LIST,
        lambda by: cv.corrections_view(
            store, page=page, document_id=document, entity=entity, active=active, sort=by
        ),
        render=render,
    )


def _back(next_url: str) -> RedirectResponse:
    return RedirectResponse(_safe_next(next_url), status_code=303)


@router.post("/corrections")
async def correct_form(
    request: Request,
    store: StoreDep,
    actor: EditorDep,
    entity: Annotated[Entity, Form()],
    id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    field: Annotated[str, Form(max_length=40)],
    value: Annotated[str, Form(max_length=20_000)],
    note: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=500)] = "/corrections",
) -> Response:
    """A correction made from a fact's page; back to that page."""
    await _write(
        request,
        cv.make_correction,
        store,
        actor,
        entity=entity,
        fact_id=id,
        field=field,
        value=value,
        note=note,
    )
    return _back(next)


@router.post("/corrections/{correction_id}/revert")
async def revert_form(
    request: Request,
    correction_id: int,
    store: StoreDep,
    actor: EditorDep,
    note: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=500)] = "/corrections",
) -> Response:
    """Take a correction back from a page; back to that page."""
    await _write(request, cv.take_back, store, actor, correction_id, note)
    return _back(next)


@router.post("/documents/{document_id}/findings")
async def add_finding_form(
    request: Request,
    document_id: int,
    store: StoreDep,
    actor: EditorDep,
    type: Annotated[str, Form(max_length=40)],
    text: Annotated[str, Form(min_length=1, max_length=20_000)],
    ref: Annotated[str, Form(max_length=80)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Add a missed finding from the document page; to the new finding's page."""
    item = await _write(
        request,
        cv.add_missed_finding,
        store,
        actor,
        document_id,
        finding_type=type,
        text=text,
        ref=ref or None,
        note=note,
    )
    return RedirectResponse(item["url"] or f"/documents/{document_id}", status_code=303)


@router.post("/links/{link_id}/reject")
async def reject_link_form(
    request: Request,
    link_id: int,
    store: StoreDep,
    actor: EditorDep,
    reason: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Reject a link from a finding's page; back to that page."""
    await _write(request, partial(cv.decide, store, actor, link_id, reject=True, reason=reason))
    return _back(next)


@router.post("/links/{link_id}/restore")
async def restore_link_form(
    request: Request,
    link_id: int,
    store: StoreDep,
    actor: EditorDep,
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Restore a rejected link from a finding's page; back to that page."""
    await _write(request, partial(cv.decide, store, actor, link_id, reject=False))
    return _back(next)
