"""Turning errors into answers: JSON for the API, a plain-words page for the browser.

Every error the application raises on purpose becomes one status code and one message; a
traceback never reaches the user. The API answers ``{"error": kind, "message": ..., ...}``.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from peelwatch.errors import (
    CorrectionError,
    CorruptDocumentError,
    EncryptedDocumentError,
    FileTooLargeError,
    FrameworkError,
    NotFoundError,
    PeelwatchError,
    ReadError,
    StoreError,
    UnknownNameError,
    UnsupportedFormatError,
)
from peelwatch.readers import too_large

log = logging.getLogger(__name__)


class BadFilterError(PeelwatchError):
    """A query parameter has a value the application cannot use (unknown cycle, force or type)."""

    def __init__(self, parameter: str, message: str, suggestions: list[str] | None = None) -> None:
        self.parameter = parameter
        self.suggestions = suggestions or []
        super().__init__(message)


class UploadTooLargeError(PeelwatchError):
    """The request body is larger than the configured upload limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(too_large(None, limit))


def human_bytes(n: int) -> str:
    """``52428800`` -> ``"50 MB"``: sizes as people read them."""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if size == int(size) else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"  # pragma: no cover - the loop always returns


def status_for(exc: PeelwatchError) -> tuple[int, str]:
    """The HTTP status and short error kind for one of our exceptions."""
    # Order matters: the most specific classes first.
    from peelwatch.track.actions import ActionError
    from peelwatch.track.lifecycle import TransitionError

    table: list[tuple[type[PeelwatchError], int, str]] = [
        (TransitionError, 409, "invalid_transition"),
        (ActionError, 422, "bad_parameter"),
        (UploadTooLargeError, 413, "too_large"),
        (FileTooLargeError, 413, "too_large"),
        (UnsupportedFormatError, 415, "unsupported_format"),
        (EncryptedDocumentError, 422, "encrypted_document"),
        (CorruptDocumentError, 422, "corrupt_document"),
        (ReadError, 422, "unreadable_document"),
        (BadFilterError, 422, "bad_parameter"),
        (CorrectionError, 422, "bad_correction"),
        (UnknownNameError, 404, "not_found"),
        (NotFoundError, 404, "not_found"),
        (FrameworkError, 422, "bad_parameter"),
        (StoreError, 503, "store_unavailable"),
    ]
    for cls, status, kind in table:
        if isinstance(exc, cls):
            return status, kind
    return 400, "bad_request"


def error_body(exc: PeelwatchError) -> dict[str, Any]:
    """The JSON body describing one of our exceptions."""
    status, kind = status_for(exc)
    message = getattr(exc, "reason", None) if isinstance(exc, ReadError) else None
    body: dict[str, Any] = {"error": kind, "status": status, "message": message or str(exc)}
    suggestions = getattr(exc, "suggestions", None)
    if suggestions is not None:
        body["suggestions"] = list(suggestions)
    parameter = getattr(exc, "parameter", None)
    if parameter:
        body["parameter"] = parameter
    allowed = getattr(exc, "allowed", None)
    if isinstance(exc, BadFilterError) and allowed is not None:
        body["allowed"] = list(allowed)
    return body


def _wants_json(request: Request) -> bool:
    """API paths always answer JSON; pages answer HTML."""
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _html_error(request: Request, status: int, title: str, message: str, extra: dict[str, Any]) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "title": title, "message": message, **extra},
        status_code=status,
    )


_TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "File too large",
    415: "Not a document peelwatch can read",
    422: "Something in the request cannot be used",
    500: "Something went wrong",
    503: "The database is not available",
}


_HTTP_KINDS = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 415: "unsupported_format"}


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error a clear message and the right code."""

    @app.exception_handler(PeelwatchError)
    async def _peelwatch_error(request: Request, exc: PeelwatchError) -> Response:
        body = error_body(exc)
        if body["status"] >= 500:
            log.warning("store error on %s: %s", request.url.path, exc)
        if _wants_json(request):
            return JSONResponse(body, status_code=body["status"])
        return _html_error(
            request,
            body["status"],
            _TITLES.get(body["status"], "Error"),
            body["message"],
            {"suggestions": body.get("suggestions", [])},
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [_describe_validation(err) for err in exc.errors()]
        message = "; ".join(problems) or "invalid request"
        if _wants_json(request):
            return JSONResponse(
                {"error": "bad_parameter", "status": 422, "message": message, "problems": problems},
                status_code=422,
            )
        return _html_error(request, 422, _TITLES[422], message, {})

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "error")
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is no page at {request.url.path}"
        if _wants_json(request):
            return JSONResponse(
                {
                    "error": _HTTP_KINDS.get(exc.status_code, "http_error"),
                    "status": exc.status_code,
                    "message": message,
                },
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        return _html_error(request, exc.status_code, _TITLES.get(exc.status_code, "Error"), message, {})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # A bug: log it with its traceback for us, tell the user in one line.
        log.exception("unexpected error on %s", request.url.path)
        message = "an unexpected error occurred; it has been logged"
        if _wants_json(request):
            return JSONResponse({"error": "internal", "status": 500, "message": message}, status_code=500)
        return HTMLResponse(f"<!doctype html><title>Error</title><p>{message}</p>", status_code=500)


def _describe_validation(err: dict[str, Any]) -> str:
    """One readable phrase per FastAPI validation problem: ``limit: must be at most 200``."""
    loc = [str(part) for part in err.get("loc", ()) if part not in ("query", "path", "body")]
    where = ".".join(loc) or "request"
    msg = str(err.get("msg", "invalid value"))
    ctx = err.get("ctx") or {}
    kind = err.get("type", "")
    if kind == "greater_than_equal":
        msg = f"must be at least {ctx.get('ge')}"
    elif kind == "less_than_equal":
        msg = f"must be at most {ctx.get('le')}"
    elif kind == "missing":
        msg = "is required"
    elif kind == "literal_error" or kind == "enum":
        msg = f"must be one of {ctx.get('expected', '')}"
    return f"{where}: {msg}"
