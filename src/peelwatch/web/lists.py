"""Lists: one view's result answered as JSON, CSV or a page, sorted and paginated the same way.

A list route describes its columns once in a :class:`ListSpec` and hands the view function's
result to :func:`list_response`, which

* reads ``?sort=column`` / ``?sort=-column`` (descending) against the spec's sortable columns —
  anything else is a 422 naming the allowed ones;
* answers CSV when asked with ``?format=csv`` or ``Accept: text/csv`` (a header row of the
  column keys, UTF-8, a file name in ``Content-Disposition``, cells that a spreadsheet would
  run as a formula made inert);
* adds ``total``, ``next`` and ``previous`` (root-relative URLs keeping every filter) and the
  sort in force to the view, so the JSON and the page show the same thing;
* renders the page template with a ``listing`` object: the CSV link and the column headers as
  links that toggle the sort, each with its ``aria-sort``.

The view function stays the one source of the rows; sorting in SQL (findings, documents) is
passed to it as ``sort``, sorting of small in-memory lists uses :func:`sort_items`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from peelwatch.web.deps import cached_value, json_bytes
from peelwatch.web.errors import BadFilterError

__all__ = [
    "BadSortError",
    "Column",
    "ListSpec",
    "Sort",
    "csv_cell",
    "csv_response",
    "list_response",
    "listing",
    "page_links",
    "parse_format",
    "sort_items",
    "to_csv",
    "url_with",
]

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("json", "csv")


class BadSortError(BadFilterError):
    """``sort`` names a column the list cannot be sorted by."""

    def __init__(self, value: str, allowed: list[str]) -> None:
        self.allowed = allowed
        super().__init__(
            "sort",
            f"cannot sort by {value!r}: use one of {', '.join(allowed)} (prefix '-' for descending)",
            allowed,
        )


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a list: its key (API, CSV header, ``sort`` value), label and where its value is.

    ``field`` is the item's key holding the value (default ``key``); ``value`` computes it instead.
    ``sort_value`` orders in-memory lists by something other than the value (a grade's rank).
    """

    key: str
    label: str
    field: str | None = None
    value: Callable[[dict[str, Any]], Any] | None = None
    sortable: bool = True
    sort_value: Callable[[Any], Any] | None = None

    def get(self, item: dict[str, Any]) -> Any:
        """This column's value in one item of the list."""
        if self.value is not None:
            return self.value(item)
        return item.get(self.field or self.key)


@dataclass(frozen=True, slots=True)
class Sort:
    """A sort order: a column key and its direction."""

    column: str
    descending: bool = False

    @property
    def param(self) -> str:
        """The ``sort`` parameter that asks for this order (``-column`` when descending)."""
        return ("-" if self.descending else "") + self.column


@dataclass(frozen=True, slots=True)
class ListSpec:
    """What a list is: its name (the CSV file name), its columns and where the rows are in the view."""

    name: str
    columns: tuple[Column, ...]
    items: str = "items"
    default_sort: Sort | None = None

    @property
    def sortable(self) -> list[str]:
        """The column keys ``sort`` accepts."""
        return [c.key for c in self.columns if c.sortable]

    def column(self, key: str) -> Column:
        """The column with this key."""
        return next(c for c in self.columns if c.key == key)

    def parse_sort(self, value: str | None) -> Sort | None:
        """``"force"`` -> ascending by force, ``"-force"`` -> descending; blank -> None."""
        value = (value or "").strip()
        if not value:
            return None
        descending = value.startswith("-")
        key = value[1:] if descending else value
        if key not in self.sortable:
            raise BadSortError(value, self.sortable)
        return Sort(key, descending)


def parse_format(request: Request) -> str:
    """``csv`` when the request asks for CSV (``?format=csv`` or ``Accept: text/csv``), else ``json``."""
    value = request.query_params.get("format")
    if value is not None:
        if value not in FORMATS:
            raise BadFilterError("format", f"format must be one of {', '.join(FORMATS)}", list(FORMATS))
        return value
    accept = request.headers.get("accept", "")
    return "csv" if "text/csv" in accept and "application/json" not in accept else "json"


def sort_items(items: list[dict[str, Any]], spec: ListSpec, sort: Sort | None) -> list[dict[str, Any]]:
    """An in-memory list in the given order; missing values last whichever the direction."""
    if sort is None:
        return items
    col = spec.column(sort.column)

    def key(item: dict[str, Any]) -> Any:
        value = col.get(item)
        if col.sort_value is not None:
            return col.sort_value(value)
        return value.casefold() if isinstance(value, str) else value

    present = [i for i in items if col.get(i) is not None]
    missing = [i for i in items if col.get(i) is None]
    return sorted(present, key=key, reverse=sort.descending) + missing


def csv_cell(value: Any) -> str:
    """One CSV cell: text as is, except a leading formula character is made literal with ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        text = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(spec: ListSpec, items: Sequence[dict[str, Any]]) -> bytes:
    """The rows as CSV: a header row of the column keys, then one row per item, UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in spec.columns])
    for item in items:
        writer.writerow([csv_cell(c.get(item)) for c in spec.columns])
    return out.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- links


def url_with(request: Request, **changes: Any) -> str:
    """The request's root-relative URL with some parameters changed (None removes one)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    params += [(k, str(v)) for k, v in changes.items() if v is not None]
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def page_links(request: Request, view: dict[str, Any]) -> dict[str, str | None]:
    """``next`` and ``previous`` for a view with ``total``, ``limit`` and ``offset``."""
    total, limit, offset = view.get("total"), view.get("limit"), view.get("offset")
    if not isinstance(total, int) or not isinstance(limit, int) or not isinstance(offset, int):
        return {"next": None, "previous": None}
    nxt = url_with(request, offset=offset + limit, limit=limit) if offset + limit < total else None
    prev = url_with(request, offset=max(offset - limit, 0), limit=limit) if offset > 0 else None
    return {"next": nxt, "previous": prev}


def listing(request: Request, spec: ListSpec, sort: Sort | None) -> dict[str, Any]:
    """What a page needs to show a list's controls: the CSV link and sortable column headers."""
    current = sort or spec.default_sort
    headers: dict[str, dict[str, Any]] = {}
    for col in spec.columns:
        entry: dict[str, Any] = {"key": col.key, "label": col.label, "url": None, "aria_sort": None}
        if col.sortable:
            active = current is not None and current.column == col.key
            # Clicking the active column flips it; another column starts ascending.
            target = Sort(col.key, not current.descending) if active and current else Sort(col.key)
            entry["url"] = url_with(request, sort=target.param, offset=None, format=None)
            if active and current:
                entry["aria_sort"] = "descending" if current.descending else "ascending"
        headers[col.key] = entry
    return {
        "name": spec.name,
        "csv_url": url_with(request, format="csv"),
        "sort": current.param if current else None,
        "headers": headers,
    }


# --------------------------------------------------------------------------- responses


def _complete(request: Request, spec: ListSpec, view: dict[str, Any], sort: Sort | None) -> dict[str, Any]:
    """The view with the list's common fields: total, next/previous links, the sort in force."""
    view = dict(view)
    view.setdefault("total", len(view.get(spec.items) or []))
    view.update(page_links(request, view))
    current = sort or spec.default_sort
    view["sort"] = current.param if current else None
    return view


# The API answers JSON or CSV at one URL depending on Accept: caches must keep them apart.
_VARY = {"Vary": "Accept"}


def csv_response(spec: ListSpec, body: bytes) -> Response:
    """A CSV download named after the list."""
    return Response(
        body,
        media_type=CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{spec.name}.csv"', **_VARY},
    )


async def list_response(
    request: Request,
    spec: ListSpec,
    compute: Callable[[Sort | None], dict[str, Any]],
    *,
    render: Callable[[dict[str, Any], dict[str, Any]], Response] | None = None,
    inline: bool = False,
) -> Response:
    """Answer a list route: CSV if asked for, else the page (when ``render`` is given) or JSON.

    ``compute(sort)`` is the view function call, given the parsed sort; ``render(view, listing)``
    renders the page. Both run in a worker thread (on the event loop's thread when ``inline``, a
    bound read: see :func:`~peelwatch.web.deps.runs_inline`) and their bytes are cached per URL.
    """
    sort = spec.parse_sort(request.query_params.get("sort"))
    fmt = parse_format(request)

    def view() -> dict[str, Any]:
        return _complete(request, spec, compute(sort), sort)

    if fmt == "csv":
        body = await cached_value(request, "csv", lambda: to_csv(spec, view()[spec.items]), inline=inline)
        return csv_response(spec, body)
    if render is None:

        def encode() -> bytes:
            return json_bytes(view())

        return Response(
            await cached_value(request, "json", encode, inline=inline),
            media_type="application/json",
            headers=_VARY,
        )
    page = render
    controls = listing(request, spec, sort)
    return HTMLResponse(await cached_value(request, "page", lambda: bytes(page(view(), controls).body)))
