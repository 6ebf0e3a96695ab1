"""The web application: a JSON API and server-rendered pages over the store.

Build it with :func:`create_app`; ``peelwatch serve`` runs it under uvicorn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from peelwatch.config import Settings

__all__ = ["create_app"]


def create_app(settings_or_db_url: Settings | str | None = None) -> FastAPI:
    """Build the FastAPI application over the store at the given settings or database URL."""
    from peelwatch.web.app import create_app as _create_app

    return _create_app(settings_or_db_url)
