"""``peelwatch serve``: the web dashboard and JSON API under uvicorn."""

from __future__ import annotations

import os

import click

from peelwatch.cli.base import main


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@click.option(
    "--db",
    "db_url",
    default=None,
    help="Database URL or SQLite file (default: PEELWATCH_DB or peelwatch.db).",
)
@click.option(
    "--max-bytes", type=int, default=None, help="Largest upload accepted, in bytes (default 50 MB)."
)
@click.option(
    "--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Server processes to run."
)
def serve(host: str, port: int, db_url: str | None, max_bytes: int | None, workers: int) -> None:
    """Serve the dashboard and the API (documentation at /docs)."""
    import uvicorn

    from peelwatch.config import load_settings
    from peelwatch.web import create_app

    settings = load_settings(db_url=db_url, max_bytes=max_bytes)
    app = create_app(settings)  # opens the store now, so a bad --db fails before listening
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"peelwatch: serving {safe_url(settings.db_url)} at http://{shown}:{port}/  (Ctrl+C to stop)")
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    # Several processes: each builds its own app from the environment.
    app.state.store.close()
    os.environ["PEELWATCH_DB"] = settings.db_url
    os.environ["PEELWATCH_MAX_BYTES"] = str(settings.max_bytes)
    uvicorn.run(
        "peelwatch.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


def safe_url(url: str) -> str:
    """The database URL without any password, for the start-up line."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url
