"""Response headers that keep a page inert even if some text ever slipped through unescaped."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Scripts only from our own files (no inline script, no eval): escaping is the first defence,
# this is the second. Inline style attributes are allowed because Chart.js and Swagger UI set them.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP response (a plain ASGI middleware: it costs little)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# What a browser says in Sec-Fetch-Site for a request this site's own pages made ("none": typed
# into the address bar or from a bookmark). "same-site" (a sibling subdomain) is refused too.
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})
CROSS_SITE_MESSAGE = "a page on another site may not change anything here"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def is_cross_site(scope: Scope) -> bool:
    """Whether a request says it came from another site (``Sec-Fetch-Site`` or ``Origin``).

    Requests without either header (curl, scripts, older browsers) are not cross-site by this
    test; they still need a session with its CSRF token, or a Bearer token, to write.
    """
    fetch_site = _header(scope, b"sec-fetch-site")
    if fetch_site is not None and fetch_site.lower() not in ALLOWED_FETCH_SITES:
        return True
    origin = _header(scope, b"origin")
    if origin is None:
        return False
    host = _header(scope, b"host") or ""
    _scheme, _, rest = origin.partition("://")
    # "null" is what sandboxed frames and file:// pages send: never our own pages.
    return origin == "null" or not rest or rest.rstrip("/").lower() != host.lower()


class CrossSiteWriteMiddleware:
    """Refuse POST/PUT/PATCH/DELETE that a browser marks as coming from another site.

    This sits beside the CSRF token (:mod:`peelwatch.web.auth`): either alone stops a forged
    form; together a gap in one is not enough.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in UNSAFE_METHODS or not is_cross_site(scope):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path == "/api" or path.startswith("/api/"):
            body = b'{"error":"cross_site","status":403,"message":"' + CROSS_SITE_MESSAGE.encode() + b'"}'
            content_type = b"application/json"
        else:
            body = (
                b"<!doctype html><title>Not allowed</title><h1>Not allowed</h1><p>"
                + CROSS_SITE_MESSAGE.encode()
                + b".</p>"
            )
            content_type = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
