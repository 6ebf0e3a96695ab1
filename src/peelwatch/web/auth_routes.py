"""Login and logout pages; for admins, the audit trail (page, JSON, CSV) and the users and tokens."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from peelwatch.errors import NotFoundError
from peelwatch.track.audit import ROLES, AuditFilter, audit_names, events_csv, list_events
from peelwatch.track.users import (
    AuthError,
    LoginFailedError,
    LoginThrottledError,
    UserExistsError,
    authenticate,
    create_token,
    create_user,
    disable_user,
    enable_user,
    end_session,
    list_tokens,
    list_users,
    revoke_token,
    set_role,
    start_session,
)
from peelwatch.web import schemas, track_schemas
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
    previous = request.cookies.get(SESSION_COOKIE)
    if previous:  # logging in again (perhaps as someone else) ends the session this browser had
        await run_in_threadpool(end_session, store, previous)
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
    chosen = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(filters).items()}
    return {
        "query": urlencode({k: v for k, v in chosen.items() if v is not None}),
        "total": total,
        "limit": limit,
        "offset": offset,
        "filters": chosen,
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
    responses={
        **schemas.json_and_csv(
            track_schemas.AuditPage | list[track_schemas.AuditEntry],
            "One page of records; with `format=json` every matching record as a list, with"
            " `format=csv` the same as CSV (both as attachments)",
        ),
        **track_schemas.errors(401, 403, 422, e403="Not an admin"),
    },
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


# Users and tokens, managed by admins -----------------------------------------------------------

RoleForm = Annotated[Literal["viewer", "editor", "admin"], Form()]


def users_view(store: Any) -> dict[str, Any]:
    """Every user and API token (never a secret), as the page shows them and the API returns them."""
    return {
        "users": [asdict(u) for u in list_users(store)],
        "tokens": [asdict(t) for t in list_tokens(store)],
        "roles": list(ROLES),
    }


async def _users_page(request: Request, status_code: int = 200, **extra: Any) -> HTMLResponse:
    view = await run_in_threadpool(users_view, request.app.state.store)
    return _render(request, "users.html", {"view": view, "nav": "users", **extra}, status_code=status_code)


async def _users_write(request: Request, fn: Any, *args: Any, done: str) -> Response:
    """Run one user or token change; back to the page with what happened, or why not."""
    try:
        await run_in_threadpool(fn, request.app.state.store, *args)
    except (AuthError, NotFoundError) as exc:
        status = 409 if isinstance(exc, UserExistsError) else 404 if isinstance(exc, NotFoundError) else 422
        return await _users_page(request, status_code=status, error=str(exc))
    request.app.state.views_cache.clear()
    return await _users_page(request, message=done)


@router.get("/users", response_class=HTMLResponse)
async def users_page(request: Request, _admin: AdminDep) -> HTMLResponse:
    """Users with their roles, and API tokens, with forms to change them."""
    return await _users_page(request)


@api_router.get(
    "/users",
    tags=["audit"],
    summary="Users and API tokens (admins)",
    responses={
        **track_schemas.model_of(track_schemas.Users, "Every user and token"),
        **track_schemas.errors(401, 403, e403="Not an admin"),
    },
)
async def api_users(request: Request, _admin: AdminDep) -> Response:
    """Every user (name, role, whether active) and every API token without its secret."""
    view = await run_in_threadpool(users_view, request.app.state.store)
    return Response(json.dumps(view, ensure_ascii=False), media_type="application/json")


@router.post("/users", response_model=None)
async def users_add_form(
    request: Request,
    actor: AdminDep,
    _csrf: CsrfDep,
    name: Annotated[str, Form(max_length=120)],
    role: RoleForm,
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Add a user."""
    return await _users_write(
        request, create_user, actor, name, role, password, done=f"Added {name} ({role})."
    )


@router.post("/users/{name}/role", response_model=None)
async def users_role_form(
    request: Request, name: str, actor: AdminDep, _csrf: CsrfDep, role: RoleForm
) -> Response:
    """Give a user another role."""
    return await _users_write(request, set_role, actor, name, role, done=f"{name} is now {role}.")


@router.post("/users/{name}/disable", response_model=None)
async def users_disable_form(request: Request, name: str, actor: AdminDep, _csrf: CsrfDep) -> Response:
    """Disable a user (logged out everywhere; tokens stop working)."""
    return await _users_write(request, disable_user, actor, name, done=f"{name} is disabled.")


@router.post("/users/{name}/enable", response_model=None)
async def users_enable_form(request: Request, name: str, actor: AdminDep, _csrf: CsrfDep) -> Response:
    """Let a disabled user log in again."""
    return await _users_write(request, enable_user, actor, name, done=f"{name} is enabled.")


@router.post("/tokens", response_model=None)
async def tokens_add_form(
    request: Request,
    actor: AdminDep,
    _csrf: CsrfDep,
    user: Annotated[str, Form(max_length=120)],
    role: RoleForm,
    name: Annotated[str, Form(max_length=120)] = "token",
) -> Response:
    """Issue a token; its secret is shown on this one answer and never again."""
    store = request.app.state.store
    try:
        info, secret = await run_in_threadpool(create_token, store, actor, user, name, role)
    except (AuthError, NotFoundError) as exc:
        return await _users_page(
            request, status_code=404 if isinstance(exc, NotFoundError) else 422, error=str(exc)
        )
    response = await _users_page(request, new_token={"secret": secret, **asdict(info)})
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/tokens/{token_id}/revoke", response_model=None)
async def tokens_revoke_form(
    request: Request, token_id: Annotated[int, Path(ge=1, le=2**31)], actor: AdminDep, _csrf: CsrfDep
) -> Response:
    """Revoke a token for good."""
    return await _users_write(request, revoke_token, actor, token_id, done=f"Token {token_id} is revoked.")
