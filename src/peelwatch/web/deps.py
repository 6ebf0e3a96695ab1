"""Request dependencies shared by the API and the pages."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from peelwatch.config import INLINE_MAX_ROWS, VIEW_LANES

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page:
    """Which slice of a list to return."""

    limit: int
    offset: int


def get_today(request: Request) -> date:
    """The day the clocks and RAGs count to: today, unless the app was built with a fixed day
    (tests)."""
    fixed = getattr(request.app.state, "track_today", None)
    return fixed if fixed is not None else date.today()


def view_lanes() -> dict[str, ThreadPoolExecutor]:
    """The application's view threads, a pool per lane (see :data:`peelwatch.config.VIEW_LANES`).

    A pool starts no thread until it is used."""
    return {
        lane: ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"peelwatch-{lane}")
        for lane, threads in VIEW_LANES.items()
    }


async def off_loop(request: Request, fn: Callable[[], T], lane: str = "view") -> T:
    """``fn()`` run in one of the threads of the application's view lane ``lane``, so a query
    never holds up the event loop."""
    return await asyncio.get_running_loop().run_in_executor(request.app.state.view_lanes[lane], fn)


def runs_inline(store: Any, rows: int = 0) -> bool:
    """Whether a bounded read that ends ``rows`` into its list may run on the event loop's thread.

    Only on a SQLite file, where a read waits on no network and (in WAL mode) on no writer, and
    only up to :data:`~peelwatch.config.INLINE_MAX_ROWS`: the caller vouches that the view reads
    no more than its page through prebuilt statements. Under load, the hop to a view thread and
    the GIL handed between it and the event loop cost more CPU than such a view does.
    """
    return store.dialect == "sqlite" and rows <= INLINE_MAX_ROWS


async def get_store(request: Request) -> Any:
    """The store opened by the application factory (as a dependency, for routes that write)."""
    return request.app.state.store


def store_of(request: Request) -> Any:
    """The store opened by the application factory, read directly.

    The read routes take it this way rather than as a dependency: each dependency FastAPI
    resolves costs about 25 µs a request, a tenth of what a cached answer costs in all.
    """
    return request.app.state.store


LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT} items")]
OffsetParam = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")]


async def page_params(limit: LimitParam = 50, offset: OffsetParam = 0) -> Page:
    """Pagination bounds: a limit of 1–200 and a non-negative offset; anything else is a 422."""
    return Page(limit=limit, offset=offset)


def json_bytes(value: Any) -> bytes:
    """A view as compact UTF-8 JSON (what ``json.dumps(..., ensure_ascii=False)`` writes, faster:
    encoding is a fair part of an uncached list's time)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


StoreDep = Annotated[Any, Depends(get_store)]
PageDep = Annotated[Page, Depends(page_params)]


def _key(request: Request, kind: str) -> tuple[Any, ...]:
    # htmx asks for the same URL as a fragment: a different answer, so a different key. Pages
    # differ per login too (names, CSRF tokens), so the session and token are part of the key.
    # The path and query come from the ASGI scope as they are: building ``request.url`` for the
    # key cost more than looking the key up.
    from peelwatch.web.auth import cache_identity

    scope = request.scope
    return (
        kind,
        scope["path"],
        scope["query_string"],
        request.headers.get("hx-request", ""),
        *cache_identity(request),
    )


async def cached_value(
    request: Request, kind: str, compute: Callable[[], T], *, inline: bool = False, lane: str = "view"
) -> T:
    """A value from the view cache (keyed by URL, kind and who asks); a miss is computed in a
    thread of the view lane ``lane`` (queries block), or right here when ``inline`` (see
    :func:`runs_inline`)."""
    cache = request.app.state.views_cache
    if not cache.enabled:
        return compute() if inline else await off_loop(request, compute, lane)
    key = _key(request, kind)
    found, value, version = cache.lookup(key)
    if not found:
        value = compute() if inline else await off_loop(request, compute, lane)
        cache.store(key, version, value)
    return value  # type: ignore[no-any-return]


async def cached_json(request: Request, compute: Callable[[], Any], *, lane: str = "view") -> Response:
    """The JSON of a view, computed once per database version (see :mod:`peelwatch.web.cache`)."""

    def encode() -> bytes:
        return json_bytes(compute())

    return Response(await cached_value(request, "json", encode, lane=lane), media_type="application/json")


async def cached_page(request: Request, compute: Callable[[], Response], *, lane: str = "view") -> Response:
    """A rendered page, computed once per database version; errors are never cached."""

    def render() -> bytes:
        return bytes(compute().body)

    return HTMLResponse(await cached_value(request, "page", render, lane=lane))
