"""Routes of the tracker: the section 55 clock, the tracking board, a finding's tracking record,
committee reports, and the writes (status, owner, actions, notes, evidence).

Each page and its ``/api`` twin render the same view from :mod:`peelwatch.web.track_views`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from peelwatch.errors import NotFoundError
from peelwatch.track import (
    Actor,
    BoardFilter,
    add_action,
    add_evidence,
    add_note,
    assign_owner,
    change_status,
    update_action,
)
from peelwatch.track.board import BoardFilterError
from peelwatch.track.reports import (
    MEDIA_TYPES,
    committee_report,
    render_committee,
    render_letter,
    response_letter,
)
from peelwatch.web import track_schemas as ts
from peelwatch.web import track_views
from peelwatch.web.auth import EditorDep, NotLoggedInError, ViewerDep, load_actor
from peelwatch.web.deps import StoreDep, cached_json, cached_page, get_today
from peelwatch.web.errors import BadFilterError
from peelwatch.web.lists import Column, ListSpec, csv_response, to_csv
from peelwatch.web.views import jsonable

router = APIRouter()


TodayDep = Annotated[date, Depends(get_today)]
Text = Annotated[str | None, Query(max_length=200)]


def _render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


def _csv(rows: list[dict[str, Any]], columns: list[str], name: str) -> Response:
    """Rows as a CSV download, written by the shared list writer (formula cells made inert)."""
    spec = ListSpec(name, tuple(Column(c, c, sortable=False) for c in columns))
    return csv_response(spec, to_csv(spec, rows))


# A private instance (``PEELWATCH_PUBLIC=0``) asks anonymous callers to log in even for these.
_PRIVATE = ts.errors(401, e401="A private instance, and no login or API token")
_LETTER_TYPES = {f: MEDIA_TYPES[f] for f in ("docx", "html")}


# --------------------------------------------------------------------------- the 56-day clock (public)


@router.get("/accountability", response_class=HTMLResponse, include_in_schema=False)
async def accountability_page(request: Request, store: StoreDep, today: TodayDep) -> Response:
    """The national table of section 55 responses."""

    def build() -> Response:
        view = track_views.accountability_view(store, today=today)
        return _render(request, "accountability.html", {"view": view, "nav": "accountability"})

    return await cached_page(request, build)


@router.get(
    "/api/accountability",
    tags=["accountability"],
    summary="Section 55 responses: on time, late, missing",
    responses={**ts.model_of(ts.Accountability, "Every report's clock"), **_PRIVATE},
)
async def api_accountability(request: Request, store: StoreDep, today: TodayDep) -> Response:
    """Each force inspection report's 56-day clock, with national and per-force counts."""
    return await cached_json(request, lambda: track_views.accountability_view(store, today=today))


@router.get("/accountability.csv", include_in_schema=False)
async def accountability_csv(store: StoreDep, today: TodayDep) -> Response:
    """The national table as CSV, one row per report."""
    view = track_views.accountability_view(store, today=today)
    return _csv(view["clocks"], track_views.CLOCK_COLUMNS, "section-55")


@router.get("/forces/{slug}/section-55", response_class=HTMLResponse, include_in_schema=False)
async def force_accountability_page(
    request: Request, slug: str, store: StoreDep, today: TodayDep
) -> Response:
    """A force's 56-day clocks (a fragment for the force page when asked by htmx)."""
    view = track_views.force_accountability_view(store, slug, today=today)
    template = "partials/track_force.html" if request.headers.get("hx-request") else "track_force.html"
    return _render(request, template, {"view": view, "nav": "forces"})


@router.get(
    "/api/forces/{slug}/section-55",
    tags=["accountability"],
    summary="A force's 56-day clocks",
    responses={
        **ts.model_of(ts.ForceAccountability, "The force's clocks"),
        **_PRIVATE,
        **ts.errors(404, e404="Unknown force"),
    },
)
async def api_force_accountability(slug: str, store: StoreDep, today: TodayDep) -> JSONResponse:
    """The force's inspection reports with their response deadlines and status."""
    return JSONResponse(track_views.force_accountability_view(store, slug, today=today))


# --------------------------------------------------------------------------- reads that need a login


async def _viewer_or_prompt(request: Request) -> Actor | None:
    """The logged-in actor; for an anonymous htmx fragment ``None`` (the page shows a sign-in link)."""
    actor = await load_actor(request)
    if actor is None and not request.headers.get("hx-request"):
        raise NotLoggedInError("log in to see owners, actions and notes")
    return actor


@router.get("/findings/{finding_id}/tracking", response_class=HTMLResponse, include_in_schema=False)
async def finding_tracking_page(
    request: Request, finding_id: int, store: StoreDep, today: TodayDep
) -> Response:
    """A finding's status history, owner, actions and RAG, with the forms to change them."""
    actor = await _viewer_or_prompt(request)
    fragment = bool(request.headers.get("hx-request"))
    if actor is None:
        return _render(request, "partials/track_signin.html", {"next": f"/findings/{finding_id}"})
    view = await run_in_threadpool(track_views.finding_tracking_view, store, finding_id, today=today)
    template = "partials/track_finding.html" if fragment else "track_finding.html"
    return _render(request, template, {"view": view, "can_edit": actor.allows("editor"), "nav": "tracking"})


@router.get(
    "/api/findings/{finding_id}/tracking",
    tags=["tracking"],
    summary="A finding's tracking record",
    responses={
        **ts.model_of(ts.FindingTracking, "The tracking record"),
        **ts.errors(401, 404, 422, e404="Unknown finding"),
    },
)
async def api_finding_tracking(
    finding_id: int, store: StoreDep, today: TodayDep, _actor: ViewerDep
) -> JSONResponse:
    """Status (with history and disagreements), owner, actions with notes and evidence, RAG and why."""
    view = await run_in_threadpool(track_views.finding_tracking_view, store, finding_id, today=today)
    return JSONResponse(jsonable(view))


@dataclass(frozen=True)
class BoardQuery:
    """The board's filters and order as a request gives them (blank values mean "any")."""

    force: str | None
    cycle: str | None
    owner: str | None
    rag: str | None
    status: str | None
    sort: str
    desc: bool
    mine: bool

    def filter(self, me: str) -> BoardFilter:
        """The board filter; ``mine`` puts the asking user in place of the owner."""

        def blank(v: str | None) -> str | None:
            return v.strip() or None if v is not None else None

        return BoardFilter(
            force=blank(self.force),
            cycle=blank(self.cycle),
            owner=blank(me if self.mine else self.owner),
            rag=blank(self.rag),
            status=blank(self.status),
            sort=blank(self.sort) or "rag",
            descending=self.desc,
        )


def board_query(
    force: Text = None,
    cycle: Text = None,
    owner: Text = None,
    rag: Text = None,
    status: Text = None,
    sort: Text = "rag",
    desc: bool = False,
    mine: bool = False,
) -> BoardQuery:
    """The board's query parameters, shared by its page, its JSON and its CSV."""
    return BoardQuery(force, cycle, owner, rag, status, sort or "rag", desc, mine)


BoardQueryDep = Annotated[BoardQuery, Depends(board_query)]


def _board(store: Any, actor: Actor, today: date, query: BoardQuery) -> dict[str, Any]:
    try:
        return track_views.board_view(
            store, query.filter(actor.name), today=today, me=actor.name if query.mine else None
        )
    except BoardFilterError as exc:
        raise BadFilterError(exc.what, str(exc), exc.allowed) from None


@router.get("/tracking", response_class=HTMLResponse, include_in_schema=False)
async def tracking_page(
    request: Request,
    store: StoreDep,
    today: TodayDep,
    actor: ViewerDep,
    query: BoardQueryDep,
) -> Response:
    """The tracking board: filters by force, owner, RAG and status, "my items", sortable."""
    view = await run_in_threadpool(_board, store, actor, today, query)
    return _render(request, "track_board.html", {"view": view, "query": request.url.query, "nav": "tracking"})


@router.get(
    "/api/tracking",
    tags=["tracking"],
    summary="The tracking board",
    responses={
        **ts.model_of(ts.Board, "The findings on the board"),
        **ts.errors(401, 422, e422="An unknown filter value or sort (the answer lists those allowed)"),
    },
)
async def api_tracking(
    store: StoreDep,
    today: TodayDep,
    actor: ViewerDep,
    query: BoardQueryDep,
) -> JSONResponse:
    """Findings with owner, status, RAG (and why) and next due date; ``mine=true`` for your own."""
    view = await run_in_threadpool(_board, store, actor, today, query)
    return JSONResponse(view)


@router.get("/tracking.csv", include_in_schema=False)
async def tracking_csv(
    store: StoreDep,
    today: TodayDep,
    actor: ViewerDep,
    query: BoardQueryDep,
) -> Response:
    """The board as CSV, with the same filters."""
    view = await run_in_threadpool(_board, store, actor, today, query)
    return _csv(view["items"], track_views.BOARD_COLUMNS, "tracking")


def _download(content: bytes, fmt: str, filename: str) -> Response:
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/forces/{slug}/committee-report", include_in_schema=False)
@router.get(
    "/api/forces/{slug}/committee-report",
    tags=["tracking"],
    summary="The committee report of a force",
    response_class=Response,
    responses={
        **ts.download(MEDIA_TYPES, "The report as DOCX, PDF or HTML (`format`), as an attachment"),
        **ts.errors(401, 404, 422, e404="Unknown force or cycle (with `suggestions`)"),
    },
)
async def committee_report_download(
    slug: str,
    store: StoreDep,
    today: TodayDep,
    _actor: ViewerDep,
    format: Annotated[Literal["docx", "pdf", "html"], Query()] = "docx",
    cycle: Text = None,
) -> Response:
    """Every open and recently finished finding of the force with owners, actions, RAG and the clock."""

    def build() -> bytes:
        with store.read() as session:
            content = committee_report(session, slug, cycle=cycle, today=today)
        return render_committee(content, format)

    return _download(await run_in_threadpool(build), format, f"committee-{slug}-{today}.{format}")


@router.get("/documents/{document_id}/response-letter", include_in_schema=False)
@router.get(
    "/api/documents/{document_id}/response-letter",
    tags=["tracking"],
    summary="Draft section 55 response",
    response_class=Response,
    responses={
        **ts.download(_LETTER_TYPES, "The draft letter as DOCX or HTML (`format`), as an attachment"),
        **ts.errors(401, 404, 422, e404="Unknown document"),
    },
)
async def response_letter_download(
    document_id: int,
    store: StoreDep,
    _actor: ViewerDep,
    format: Annotated[Literal["docx", "html"], Query()] = "docx",
) -> Response:
    """A draft of the commissioner's response letter: one heading per finding of the report."""

    def build() -> bytes:
        with store.read() as session:
            return render_letter(response_letter(session, document_id), format)

    return _download(await run_in_threadpool(build), format, f"response-{document_id}.{format}")


# --------------------------------------------------------------------------- writes (editor + CSRF)


def _write(request: Request, fn: Callable[[Session], Any]) -> Any:
    store = request.app.state.store
    with store.write() as session:
        result = fn(session)
    request.app.state.views_cache.clear()
    return result


def _back(finding_id: int) -> RedirectResponse:
    return RedirectResponse(f"/findings/{finding_id}#tracking", status_code=303)


def _finding_of(session: Session, action_id: int) -> int:
    from peelwatch.store.models import Action

    action = session.get(Action, action_id)
    if action is None:
        raise NotFoundError(f"there is no action {action_id}")
    return action.finding_id


def _date(value: str | None) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadFilterError("due", f"{value!r} is not a date (YYYY-MM-DD)") from None


FormText = Annotated[str, Form(max_length=5000)]
OptionalForm = Annotated[str | None, Form(max_length=2000)]


@router.post("/findings/{finding_id}/status", include_in_schema=False)
async def status_form(
    request: Request,
    finding_id: int,
    actor: EditorDep,
    status: Annotated[str, Form(max_length=40)],
    note: OptionalForm = None,
) -> Response:
    """Move the finding to another status (form)."""
    await run_in_threadpool(
        _write, request, lambda s: change_status(s, actor, finding_id, status, note=note or "")
    )
    return _back(finding_id)


@router.post("/findings/{finding_id}/owner", include_in_schema=False)
async def owner_form(
    request: Request, finding_id: int, actor: EditorDep, owner: OptionalForm = None
) -> Response:
    """Set or clear the finding's owner (form)."""
    await run_in_threadpool(_write, request, lambda s: assign_owner(s, actor, finding_id, owner))
    return _back(finding_id)


@router.post("/findings/{finding_id}/actions", include_in_schema=False)
async def action_form(
    request: Request,
    finding_id: int,
    actor: EditorDep,
    title: FormText,
    owner: OptionalForm = None,
    due: OptionalForm = None,
) -> Response:
    """Add an action (form)."""
    when = _date(due)
    await run_in_threadpool(
        _write, request, lambda s: add_action(s, actor, finding_id, title, owner=owner, due=when)
    )
    return _back(finding_id)


@router.post("/actions/{action_id}/status", include_in_schema=False)
async def action_status_form(
    request: Request, action_id: int, actor: EditorDep, status: Annotated[str, Form(max_length=40)]
) -> Response:
    """Change an action's status (form)."""

    def go(s: Session) -> int:
        update_action(s, actor, action_id, status=status)
        return _finding_of(s, action_id)

    return _back(await run_in_threadpool(_write, request, go))


@router.post("/actions/{action_id}/notes", include_in_schema=False)
async def note_form(request: Request, action_id: int, actor: EditorDep, text: FormText) -> Response:
    """Add a progress note to an action (form)."""

    def go(s: Session) -> int:
        add_note(s, actor, action_id, text)
        return _finding_of(s, action_id)

    return _back(await run_in_threadpool(_write, request, go))


@router.post("/actions/{action_id}/evidence", include_in_schema=False)
async def evidence_form(
    request: Request,
    action_id: int,
    actor: EditorDep,
    url: OptionalForm = None,
    document_id: OptionalForm = None,
    label: OptionalForm = None,
) -> Response:
    """Link evidence (a document id or a URL) to an action (form)."""
    doc = _int(document_id)

    def go(s: Session) -> int:
        add_evidence(s, actor, action_id, document_id=doc, url=(url or "").strip() or None, label=label or "")
        return _finding_of(s, action_id)

    return _back(await run_in_threadpool(_write, request, go))


def _int(value: str | None) -> int | None:
    if not value or not value.strip():
        return None
    if not value.strip().isdigit():
        raise BadFilterError("document_id", f"{value!r} is not a document id")
    return int(value.strip())


class StatusIn(BaseModel):
    """A status change."""

    status: str = Field(max_length=40)
    note: str = Field(default="", max_length=5000)


class OwnerIn(BaseModel):
    """An owner (a person or team); empty clears it."""

    owner: str | None = Field(default=None, max_length=200)


class ActionIn(BaseModel):
    """A new action."""

    title: str = Field(max_length=5000)
    owner: str | None = Field(default=None, max_length=200)
    due: date | None = None
    status: str | None = Field(default=None, max_length=40)


class ActionPatch(BaseModel):
    """Changes to an action."""

    status: str | None = Field(default=None, max_length=40)
    owner: str | None = Field(default=None, max_length=200)
    due: date | None = None


class NoteIn(BaseModel):
    """A progress note."""

    text: str = Field(max_length=5000)
    on: date | None = None


class EvidenceIn(BaseModel):
    """Evidence: a stored document's id or a URL."""

    document_id: int | None = None
    url: str | None = Field(default=None, max_length=2000)
    label: str = Field(default="", max_length=500)


async def _tracking_json(
    request: Request, finding_id: int, today: date, status_code: int = 200
) -> JSONResponse:
    view = await run_in_threadpool(
        track_views.finding_tracking_view, request.app.state.store, finding_id, today=today
    )
    return JSONResponse(jsonable(view), status_code=status_code)


@router.post(
    "/api/findings/{finding_id}/status",
    tags=["tracking"],
    summary="Change a finding's status",
    status_code=201,
    responses={
        **ts.model_of(ts.FindingTracking, "The finding's tracking record after the change", 201),
        **ts.errors(401, 403, 404, 409, 422, e404="Unknown finding"),
    },
)
async def api_status(
    request: Request, finding_id: int, body: StatusIn, actor: EditorDep, today: TodayDep
) -> JSONResponse:
    """Record a status event; answers the finding's tracking record."""
    await run_in_threadpool(
        _write, request, lambda s: change_status(s, actor, finding_id, body.status, note=body.note)
    )
    return await _tracking_json(request, finding_id, today, 201)


@router.put(
    "/api/findings/{finding_id}/owner",
    tags=["tracking"],
    summary="Set a finding's owner",
    responses={
        **ts.model_of(ts.FindingTracking, "The finding's tracking record after the change", 200),
        **ts.errors(401, 403, 404, 422, e404="Unknown finding"),
    },
)
async def api_owner(
    request: Request, finding_id: int, body: OwnerIn, actor: EditorDep, today: TodayDep
) -> JSONResponse:
    """Set (or clear) the owner."""
    await run_in_threadpool(_write, request, lambda s: assign_owner(s, actor, finding_id, body.owner))
    return await _tracking_json(request, finding_id, today)


@router.post(
    "/api/findings/{finding_id}/actions",
    tags=["tracking"],
    summary="Add an action",
    status_code=201,
    responses={
        **ts.model_of(ts.FindingTracking, "The finding's tracking record after the change", 201),
        **ts.errors(401, 403, 404, 422, e404="Unknown finding"),
    },
)
async def api_add_action(
    request: Request, finding_id: int, body: ActionIn, actor: EditorDep, today: TodayDep
) -> JSONResponse:
    """Add an action to the finding."""
    await run_in_threadpool(
        _write,
        request,
        lambda s: add_action(
            s, actor, finding_id, body.title, owner=body.owner, due=body.due, status=body.status
        ),
    )
    return await _tracking_json(request, finding_id, today, 201)


@router.patch(
    "/api/actions/{action_id}",
    tags=["tracking"],
    summary="Change an action",
    responses={
        **ts.model_of(ts.FindingTracking, "The finding's tracking record after the change", 200),
        **ts.errors(401, 403, 404, 422, e404="Unknown action"),
    },
)
async def api_patch_action(
    request: Request, action_id: int, body: ActionPatch, actor: EditorDep, today: TodayDep
) -> JSONResponse:
    """Change an action's status, owner or due date."""

    def go(s: Session) -> int:
        update_action(s, actor, action_id, status=body.status, owner=body.owner, due=body.due)
        return _finding_of(s, action_id)

    return await _tracking_json(request, await run_in_threadpool(_write, request, go), today)


@router.post(
    "/api/actions/{action_id}/notes",
    tags=["tracking"],
    summary="Add a progress note",
    status_code=201,
    responses={
        **ts.model_of(ts.FindingTracking, "The finding's tracking record after the change", 201),
        **ts.errors(401, 403, 404, 422, e404="Unknown action"),
    },
)
async def api_note(
    request: Request, action_id: int, body: NoteIn, actor: EditorDep, today: TodayDep
) -> JSONResponse:
    """Add a dated progress note to the action."""

    def go(s: Session) -> int:
        add_note(s, actor, action_id, body.text, on=body.on)
        return _finding_of(s, action_id)

    return await _tracking_json(request, await run_in_threadpool(_write, request, go), today, 201)


@router.post(
    "/api/actions/{action_id}/evidence",
    tags=["tracking"],
    summary="Link evidence to an action",
    status_code=201,
    responses={
        **ts.model_of(ts.FindingTracking, "The finding's tracking record after the change", 201),
        **ts.errors(401, 403, 404, 422, e404="Unknown action or document"),
    },
)
async def api_evidence(
    request: Request, action_id: int, body: EvidenceIn, actor: EditorDep, today: TodayDep
) -> JSONResponse:
    """Link a stored document or a URL as evidence for the action."""

    def go(s: Session) -> int:
        add_evidence(s, actor, action_id, document_id=body.document_id, url=body.url, label=body.label)
        return _finding_of(s, action_id)

    return await _tracking_json(request, await run_in_threadpool(_write, request, go), today, 201)
