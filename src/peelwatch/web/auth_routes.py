"""Login and logout pages, and the audit trail as a page, JSON and CSV (admins only)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from peelwatch.track.audit import AuditFilter, audit_names, events_csv, list_events
from peelwatch.track.users import (
    LoginFailedError,
    LoginThrottledError,
    authenticate,
    end_session,
    start_session,
)
from peelwatch.web.auth import (
    SESSION_COOKIE,
    AdminDep,
    CsrfDep,
    _safe_next,
    current_actor,
    set_session_cookie,
)
from peelwatch.web.deps import MAX_LIMIT, MAX_OFFSET

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api")

Name = Annotated[str | None, Query(max_length=120)]


def _render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: Annotated[str, Query(max_length=500)] = "/") -> HTMLResponse:
    """The login form."""
    return _render(request, "login.html", {"next": _safe_next(next), "nav": "login"})


@router.post("/login", response_model=None)
async def login_form(
    request: Request,
    _csrf: CsrfDep,
    name: Annotated[str, Form(max_length=120)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Check the name and password; on success set the session cookie and go where the user was going."""
    store = request.app.state.store
    settings = request.app.state.settings
    address = request.client.host if request.client else "unknown"
    target = _safe_next(next)
    try:
        user = await run_in_threadpool(authenticate, store, name, password, address, settings.login_limits)
    except (LoginFailedError, LoginThrottledError) as exc:
        status = 429 if isinstance(exc, LoginThrottledError) else 401
        context = {"next": target, "name": name, "error": str(exc), "nav": "login"}
        response = _render(request, "login.html", context, status_code=status)
        if isinstance(exc, LoginThrottledError):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    secret, _info = await run_in_threadpool(start_session, store, user, settings.session_hours)
    request.app.state.views_cache.clear()
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, secret)
    return response


@router.get("/logout", response_class=HTMLResponse)
async def logout_page(request: Request) -> Response:
    """Ask before logging out (a log-out is a POST with the CSRF token, so no link can force it)."""
    if await run_in_threadpool(current_actor, request) is None:
        return RedirectResponse("/", status_code=303)
    return _render(request, "logout.html", {"nav": "logout"})


@router.post("/logout", response_model=None)
async def logout_form(request: Request, _csrf: CsrfDep) -> Response:
    """End the session and clear its cookie."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        await run_in_threadpool(end_session, request.app.state.store, secret)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, None)
    return response


def audit_view(store: Any, filters: AuditFilter, limit: int, offset: int) -> dict[str, Any]:
    """The audit trail as the page shows it and the API returns it."""
    entries, total = list_events(store, filters, limit=limit, offset=offset)
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "filters": {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(filters).items()},
        "items": [asdict(e) for e in entries],
        "options": audit_names(store),
    }


def _filters(
    user: Name = None,
    entity: Annotated[str | None, Query(max_length=40)] = None,
    entity_id: Annotated[int | None, Query(ge=0, le=2**31)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    since: Annotated[date | None, Query(description="First day (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="Last day (YYYY-MM-DD)")] = None,
) -> AuditFilter:
    return AuditFilter(
        user=user or None,
        entity=entity or None,
        entity_id=entity_id,
        action=action or None,
        since=since,
        until=until,
    )


FilterDep = Annotated[AuditFilter, Depends(_filters)]
Format = Annotated[Literal["json", "csv", "html"] | None, Query(description="Export the whole selection")]


def _export(store: Any, filters: AuditFilter, fmt: str) -> Response:
    entries, _total = list_events(store, filters, limit=None)
    if fmt == "csv":
        headers = {"Content-Disposition": 'attachment; filename="peelwatch-audit.csv"'}
        return Response(events_csv(entries), media_type="text/csv; charset=utf-8", headers=headers)
    body = json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=1, default=str)
    headers = {"Content-Disposition": 'attachment; filename="peelwatch-audit.json"'}
    return Response(body, media_type="application/json", headers=headers)


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(
    request: Request,
    _admin: AdminDep,
    filters: FilterDep,
    format: Format = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    """Every write, newest first, with filters and CSV/JSON export of the selection."""
    store = request.app.state.store
    if format in ("csv", "json"):
        return await run_in_threadpool(_export, store, filters, format)
    view = await run_in_threadpool(audit_view, store, filters, limit, offset)
    return _render(request, "audit.html", {"view": view, "nav": "audit"})


@api_router.get(
    "/audit",
    tags=["audit"],
    summary="The audit trail (admins)",
    responses={401: {"description": "Not logged in"}, 403: {"description": "Not an admin"}},
)
async def api_audit(
    request: Request,
    _admin: AdminDep,
    filters: FilterDep,
    format: Format = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    """Audit records (who, when, what, before and after), newest first; ``format=csv|json`` exports
    every matching record at once."""
    store = request.app.state.store
    if format in ("csv", "json"):
        return await run_in_threadpool(_export, store, filters, format)
    view = await run_in_threadpool(audit_view, store, filters, limit, offset)
    return Response(json.dumps(view, ensure_ascii=False, default=str), media_type="application/json")
