"""Upload size limits enforced before the body is parsed.

The multipart parser would happily spool a multi-gigabyte body to disk before the route sees it,
so the limit is checked on the raw request: first the declared ``Content-Length``, then the bytes
actually received (a client may send a chunked body with no length at all).
"""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from peelwatch.web.errors import UploadTooLargeError, error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Room for the multipart boundaries and part headers around the file itself; the exact file
# size is checked again by the route.
MULTIPART_OVERHEAD = 64 * 1024


class _BodyTooLarge(HTTPException):
    """Raised from ``receive``; an HTTPException so that body parsing passes it on unchanged."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=str(UploadTooLargeError(limit)))


class UploadLimitMiddleware:
    """Answer 413 as soon as a POST body to an upload path exceeds the limit."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, paths: tuple[str, ...]) -> None:
        self.app = app
        self.max_body = max_bytes + MULTIPART_OVERHEAD
        self.max_bytes = max_bytes
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or scope.get("path") not in self.paths:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await self._refuse(send, json_answer=str(scope.get("path", "")).startswith("/api/"))
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await self._refuse(send, json_answer=str(scope.get("path", "")).startswith("/api/"))

    async def _refuse(self, send: Send, *, json_answer: bool) -> None:
        """Answer 413: JSON for the API, a short page in plain words for the upload form."""
        if json_answer:
            body = json.dumps(error_body(UploadTooLargeError(self.max_bytes))).encode()
            content_type = b"application/json"
        else:
            message = html.escape(str(UploadTooLargeError(self.max_bytes)))
            body = (
                '<!doctype html><html lang="en-GB"><meta charset="utf-8"><title>File too large</title>'
                f"<h1>The file was not added</h1><p>{message[:1].upper()}{message[1:]}.</p>"
                '<p><a href="/upload">Choose another file</a></p></html>'
            ).encode()
            content_type = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
