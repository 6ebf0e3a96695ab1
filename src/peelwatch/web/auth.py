"""Who is asking: login sessions, API tokens, roles and CSRF tokens for the web application.

The interface other modules use:

* :func:`current_actor` — the :class:`~peelwatch.track.audit.Actor` of a request, or ``None``.
* :func:`require_role` — a dependency factory: ``actor: Annotated[Actor, Depends(require_role("editor"))]``.
  Anonymous → 401 (JSON under ``/api``, a redirect to ``/login?next=…`` for pages); a role too
  low → 403. A browser session writing with it must also send its CSRF token.
* :func:`verify_csrf` (:data:`CsrfDep`) — the CSRF check every state-changing form POST runs;
  templates put the token in a form with ``{{ csrf_field() }}``.

A browser is identified by a random session cookie (``HttpOnly``, ``SameSite=Lax``, ``Secure``
over HTTPS) whose SHA-256 names a row of ``auth_session``; a script by ``Authorization: Bearer``.
Bearer requests need no CSRF token: another site cannot make a browser send that header.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from jinja2 import pass_context
from markupsafe import Markup

from peelwatch.track.audit import Actor, RoleError
from peelwatch.track.users import (
    AuthError,
    LoginFailedError,
    LoginThrottledError,
    SessionInfo,
    UserExistsError,
    session_for,
    token_actor,
)
from peelwatch.web.deps import off_loop

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "AdminDep",
    "CsrfDep",
    "CsrfError",
    "EditorDep",
    "NotLoggedInError",
    "ViewerDep",
    "cache_identity",
    "csrf_field",
    "csrf_token",
    "current_actor",
    "install_auth",
    "load_actor",
    "require_role",
    "set_session_cookie",
    "verify_csrf",
    "wants_json",
]

SESSION_COOKIE = "peelwatch_session"
CSRF_COOKIE = "peelwatch_csrf"  # only for visitors not logged in (the login form itself)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

_bearer_scheme = HTTPBearer(auto_error=False, description="An API token made with `peelwatch tokens add`")
_cookie_scheme = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="The browser session set by logging in at /login"
)


class NotLoggedInError(AuthError):
    """The request needs a login (or a valid API token) and has none."""


class CsrfError(AuthError):
    """A state-changing browser request came without its CSRF token (or with a wrong one)."""


class _State:
    """What this module keeps on ``request.state`` (looked up once per request)."""

    LOADED = "pw_auth_loaded"
    ACTOR = "pw_actor"
    SESSION = "pw_session"
    BEARER = "pw_bearer"
    NEW_CSRF = "pw_new_csrf"
    CSRF_OK = "pw_csrf_ok"


def wants_json(request: Request) -> bool:
    """API paths answer JSON; pages answer HTML."""
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _resolve(request: Request) -> None:
    """Look up the request's token or session (blocking: a database read)."""
    store = request.app.state.store
    via = "api" if wants_json(request) else "web"
    bearer = _bearer(request)
    actor: Actor | None = None
    info: SessionInfo | None = None
    if bearer is not None:
        actor = token_actor(store, bearer)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        info = session_for(store, cookie, via=via) if cookie else None
        actor = info.actor if info else None
    setattr(request.state, _State.BEARER, bearer is not None)
    setattr(request.state, _State.SESSION, info)
    setattr(request.state, _State.ACTOR, actor)
    setattr(request.state, _State.LOADED, True)


async def load_actor(request: Request) -> Actor | None:
    """Look up who is asking without blocking the event loop; later calls are free."""
    if not getattr(request.state, _State.LOADED, False):
        if _bearer(request) is None and not request.cookies.get(SESSION_COOKIE):
            _resolve(request)  # anonymous: nothing to look up, so no thread either
        else:
            await off_loop(request, partial(_resolve, request))
    return current_actor(request)


def current_actor(request: Request) -> Actor | None:
    """The actor of this request: from its Bearer token or its session cookie; ``None`` if anonymous.

    Safe to call from templates and synchronous code; the lookup happens once per request.
    """
    if not getattr(request.state, _State.LOADED, False):
        _resolve(request)
    return getattr(request.state, _State.ACTOR, None)


def _session(request: Request) -> SessionInfo | None:
    current_actor(request)
    return getattr(request.state, _State.SESSION, None)


def csrf_token(request: Request) -> str:
    """The CSRF token forms of this request must carry: the session's, or (before login) the
    visitor's ``peelwatch_csrf`` cookie, created on first use."""
    info = _session(request)
    if info is not None:
        return info.csrf
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, _State.NEW_CSRF, None)
    if not token:
        token = secrets.token_urlsafe(32)
        setattr(request.state, _State.NEW_CSRF, token)
    return token


@pass_context
def csrf_field(context: Any) -> Markup:
    """Jinja global: ``{{ csrf_field() }}`` is the hidden input carrying the CSRF token."""
    token = csrf_token(context["request"])
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, token)


@pass_context
def _template_user(context: Any) -> Actor | None:
    return current_actor(context["request"])


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing request from a browser unless it carries its CSRF token.

    The token comes in the ``csrf_token`` form field or the ``X-CSRF-Token`` header. Requests
    authenticated with a Bearer token are exempt; cross-site requests were refused before
    reaching here (:class:`peelwatch.web.security.CrossSiteWriteMiddleware`).
    """
    if request.method in SAFE_METHODS or getattr(request.state, _State.CSRF_OK, False):
        return
    await load_actor(request)
    if getattr(request.state, _State.BEARER, False):
        return
    info = getattr(request.state, _State.SESSION, None)
    expected = info.csrf if info is not None else request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CsrfError("this form has expired or did not come from this site; reload the page and try again")
    setattr(request.state, _State.CSRF_OK, True)


CsrfDep = Annotated[None, Depends(verify_csrf)]


def require_role(role: str) -> Callable[..., Awaitable[Actor]]:
    """A dependency giving the request's :class:`Actor` if its role is at least ``role``.

    Anonymous: :class:`NotLoggedInError` (401 JSON, or a redirect to the login page). Too low:
    :class:`~peelwatch.track.audit.RoleError` (403). A browser session making a write must also
    pass :func:`verify_csrf`.
    """
    Actor(name="check", role=role)  # an unknown role fails here, at import time of the route

    async def dependency(
        request: Request,
        _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
        _cookie: Annotated[str | None, Depends(_cookie_scheme)],
    ) -> Actor:
        actor = await load_actor(request)
        if actor is None:
            bad_token = getattr(request.state, _State.BEARER, False)
            raise NotLoggedInError(
                "this API token is not valid (unknown, revoked or its user disabled)"
                if bad_token
                else "log in (or send an API token) to do this"
            )
        actor.require(role)
        await verify_csrf(request)
        return actor

    dependency.__name__ = f"require_{role}"
    return dependency


ViewerDep = Annotated[Actor, Depends(require_role("viewer"))]
EditorDep = Annotated[Actor, Depends(require_role("editor"))]
AdminDep = Annotated[Actor, Depends(require_role("admin"))]


async def public_or_login(request: Request) -> None:
    """Router dependency: a private instance (``PEELWATCH_PUBLIC=0``) shows nothing to anonymous visitors."""
    if request.app.state.settings.public:
        return
    if await load_actor(request) is None:
        raise NotLoggedInError("this peelwatch is private; log in to read it")


def cache_identity(request: Request) -> tuple[str, str]:
    """What makes a cached page or JSON differ between visitors: their session and token.

    Part of the view cache's key, so one person's page (with their CSRF token) is never served
    to another.
    """
    return request.cookies.get(SESSION_COOKIE, ""), request.headers.get("authorization", "")


def set_session_cookie(request: Request, response: Response, secret: str | None) -> None:
    """Set (or with ``None`` clear) the session cookie with the flags the brief of a login needs."""
    settings = request.app.state.settings
    secure = request.url.scheme == "https" or settings.secure_cookies
    if secret is None:
        response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="lax")
        return
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=settings.session_hours * 3600,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never ``//other.example`` or ``https://…`` (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _error(
    request: Request, status: int, kind: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    if wants_json(request):
        body = {"error": kind, "status": status, "message": message}
        return JSONResponse(body, status_code=status, headers=headers)
    templates = request.app.state.templates
    title = {401: "Please log in", 403: "Not allowed", 409: "Already exists", 429: "Too many attempts"}
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "title": title.get(status, "Error"), "message": message},
        status_code=status,
        headers=headers,
    )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotLoggedInError)
    async def _not_logged_in(request: Request, exc: NotLoggedInError) -> Response:
        if not wants_json(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            if request.method not in SAFE_METHODS:
                target = _safe_next(
                    request.headers.get("referer", "").partition(request.url.netloc)[2] or "/"
                )
            return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
        return _error(request, 401, "not_logged_in", str(exc), {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(RoleError)
    async def _forbidden(request: Request, exc: RoleError) -> Response:
        return _error(request, 403, "forbidden", str(exc))

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, exc: CsrfError) -> Response:
        return _error(request, 403, "csrf", str(exc))

    @app.exception_handler(LoginThrottledError)
    async def _throttled(request: Request, exc: LoginThrottledError) -> Response:
        return _error(request, 429, "too_many_attempts", str(exc), {"Retry-After": str(exc.retry_after)})

    @app.exception_handler(LoginFailedError)
    async def _login_failed(request: Request, exc: LoginFailedError) -> Response:
        return _error(request, 401, "login_failed", str(exc))

    @app.exception_handler(UserExistsError)
    async def _exists(request: Request, exc: UserExistsError) -> Response:
        return _error(request, 409, "exists", str(exc))

    @app.exception_handler(AuthError)
    async def _auth(request: Request, exc: AuthError) -> Response:
        return _error(request, 422, "bad_parameter", str(exc))


class _NewCsrfCookieMiddleware:
    """Send the pre-login CSRF cookie when a page handed out a new token (see :func:`csrf_token`)."""

    def __init__(self, app: Any, *, always_secure: bool = False) -> None:
        self.app = app
        self.always_secure = always_secure

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Any) -> None:
            if message["type"] == "http.response.start":
                token = scope.get("state", {}).get(_State.NEW_CSRF)
                if token:
                    secure = self.always_secure or scope.get("scheme") == "https"
                    cookie = f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax" + (
                        "; Secure" if secure else ""
                    )
                    message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def install_auth(app: FastAPI) -> None:
    """Add logins, roles, CSRF and the audit pages to the application (called by ``create_app``)."""
    from peelwatch.web import auth_routes

    env = app.state.templates.env
    env.globals.update(csrf_field=csrf_field, current_user=_template_user)
    _install_error_handlers(app)
    app.add_middleware(_NewCsrfCookieMiddleware, always_secure=app.state.settings.secure_cookies)
    app.include_router(auth_routes.router)
    app.include_router(auth_routes.api_router)
