"""Request dependencies shared by the API and the pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000


@dataclass(frozen=True, slots=True)
class Page:
    """Which slice of a list to return."""

    limit: int
    offset: int


def get_store(request: Request) -> Any:
    """The store opened by the application factory."""
    return request.app.state.store


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT} items")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")] = 0,
) -> Page:
    """Pagination bounds: a limit of 1–200 and a non-negative offset; anything else is a 422."""
    return Page(limit=limit, offset=offset)


StoreDep = Annotated[Any, Depends(get_store)]
PageDep = Annotated[Page, Depends(page_params)]
