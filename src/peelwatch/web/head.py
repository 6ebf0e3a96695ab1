"""``HEAD`` for every ``GET``: uptime monitors and link checkers ask with ``HEAD``.

FastAPI routes declared with ``GET`` answer ``HEAD`` with 405; this middleware runs a ``HEAD``
request as the ``GET`` it stands for and sends the headers (``Content-Length`` included) with
an empty body, so no route needs declaring twice.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    """Answer ``HEAD`` as ``GET`` without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
