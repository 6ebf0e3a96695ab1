"""The application factory: one FastAPI app serving the JSON API and the server-rendered pages."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from peelwatch import __version__
from peelwatch.config import Settings, load_settings
from peelwatch.web import present
from peelwatch.web.cache import ViewCache
from peelwatch.web.deps import view_lanes
from peelwatch.web.errors import install_error_handlers
from peelwatch.web.head import HeadAsGetMiddleware
from peelwatch.web.limits import UploadLimitMiddleware
from peelwatch.web.security import CrossSiteWriteMiddleware, SecurityHeadersMiddleware

HERE = Path(__file__).parent
UPLOAD_PATHS = ("/api/documents", "/upload")

DESCRIPTION = """\
Police inspection (PEEL) records as data: forces, graded judgments, findings, responses and the
documents they came from. Every fact carries the character span of the words it was taken from.

Errors answer JSON `{"error": kind, "status": code, "message": "..."}`, with `suggestions` when a
name was not recognised.
"""


def create_app(settings_or_db_url: Settings | str | None = None) -> FastAPI:
    """Build the web application over the store at the given settings or database URL.

    The store is opened here, so a bad database URL fails at start-up with one clear error, and
    closed when the application shuts down.
    """
    settings = _settings(settings_or_db_url)
    from peelwatch.store import open_store

    store = open_store(settings.db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # What was built to get here (modules, this app, its store) lives as long as the server:
        # frozen, the collector's full passes stop walking it. They came about every hundred
        # matrix requests and walked ~145,000 objects each time (docs/web.md, "Seventh round").
        gc.freeze()
        try:
            yield
        finally:
            # Fresh pools start no thread until used: the app can be started again.
            for pool in app.state.view_lanes.values():
                pool.shutdown(wait=False, cancel_futures=True)
            app.state.view_lanes = view_lanes()
            store.close()
            gc.unfreeze()

    app = FastAPI(
        title="peelwatch",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # The stock documentation pages load their scripts from a CDN; ours are served locally.
        docs_url=None,
        redoc_url=None,
        openapi_tags=[
            {"name": "forces", "description": "The 43 forces and their profiles"},
            {"name": "grades", "description": "The national grade matrix"},
            {"name": "findings", "description": "Areas for improvement, causes of concern, recommendations"},
            {"name": "documents", "description": "Ingested documents with every extracted fact"},
            {"name": "search", "description": "Full-text search"},
            {"name": "audit", "description": "Who changed what (admins)"},
        ],
    )
    app.state.settings = settings
    app.state.store = store
    app.state.templates = _templates()
    app.state.cache = {}
    app.state.views_cache = ViewCache(settings.db_url, max_entries=settings.view_cache)
    app.state.view_lanes = view_lanes()

    install_error_handlers(app)
    app.add_middleware(UploadLimitMiddleware, max_bytes=settings.max_bytes, paths=UPLOAD_PATHS)
    app.add_middleware(CrossSiteWriteMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HeadAsGetMiddleware)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from fastapi import Depends

    from peelwatch.web import api, correction_routes, national_routes, pages, track_routes
    from peelwatch.web.auth import install_auth, public_or_login

    # A private instance (PEELWATCH_PUBLIC=0) shows nothing to anonymous visitors.
    app.include_router(api.router, dependencies=[Depends(public_or_login)])
    app.include_router(pages.router, dependencies=[Depends(public_or_login)])
    # The tracker's routes guard themselves: public clocks, login for owners and actions.
    app.include_router(track_routes.router, dependencies=[Depends(public_or_login)])
    national_routes.register(app, dependencies=[Depends(public_or_login)])
    app.include_router(correction_routes.api_router, dependencies=[Depends(public_or_login)])
    app.include_router(correction_routes.router, dependencies=[Depends(public_or_login)])
    install_auth(app)
    return app


def _settings(value: Settings | str | None) -> Settings:
    if isinstance(value, Settings):
        return value
    return load_settings(db_url=value)


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    env = templates.env
    # Autoescaping is on for every template (Jinja2Templates enables it for .html); make sure.
    env.autoescape = True
    env.globals.update(
        version=__version__,
        grade_class=present.grade_class,
        grade_label=present.grade_label,
        finding_type_label=present.finding_type_label,
        kind_label=present.kind_label,
        by_label=present.by_label,
        warnings_for=present.comparability_warnings,
        scale_for=present.scale_for,
    )
    env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    return templates


def app_from_env() -> FastAPI:
    """The application built from the environment (``PEELWATCH_DB``, ``PEELWATCH_MAX_BYTES``).

    Used by ``peelwatch serve --workers N``: each worker process builds its own app.
    """
    return create_app(load_settings())
