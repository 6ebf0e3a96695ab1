"""``peelwatch extract`` and ``peelwatch summary``: read documents and show what they state."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from peelwatch._cache import cached_class_code
from peelwatch.cli.base import main


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
@click.option("--max-bytes", type=int, default=None, help="Refuse files larger than this (default 50 MB).")
@click.option(
    "--time-budget",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds FILE may take to read and extract before the command fails (default 30).",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Say which rule produced each fact and its span, what decided kind, force and cycle, "
    "and why each grade left unattached was not read as a judgment.",
)
def extract(file: Path, fmt: str, max_bytes: int | None, time_budget: float | None, explain: bool) -> None:
    """Extract the judgments, findings and responses stated in FILE."""
    # A one-shot command imports the readers and the extractor: their dataclasses' generated
    # methods are compiled once and kept (see peelwatch._cache), and the collector waits.
    with cached_class_code(), _collector_paused():
        from peelwatch.config import load_settings
        from peelwatch.extract import extract_file

        settings = load_settings(max_bytes=max_bytes, time_budget=time_budget)
        # The terminal renderer (rich) takes as long to import as a small document takes to
        # extract: it is imported here while the extraction process works.
        result = extract_file(
            file,
            max_bytes=settings.max_bytes,
            time_budget=settings.time_budget,
            meanwhile=None if fmt == "json" else _import_renderer,
        )
        for warning in result.warnings:
            click.echo(f"peelwatch: warning: {file}: {warning}", err=True)
        if fmt == "json":
            click.echo(json.dumps(result.to_dict(explain=explain), ensure_ascii=False, indent=2))
        elif explain:
            from peelwatch.cli.render import print_explanation

            print_explanation(result)
        else:
            from peelwatch.cli.render import print_extraction

            print_extraction(result)


def _import_renderer() -> None:
    import peelwatch.cli.render  # noqa: F401


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection in this process during the block, and the objects made
    before its end left out of every later one.

    Importing the extractor makes some hundred thousand objects that live as long as the
    process: collecting while they are made, and the full collection Python makes when a
    process ends, only visit them again and again. The document itself is extracted in a forked
    child, which collects as usual (see :func:`peelwatch.extract.budget.run_within`)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--max-bytes", type=int, default=None, help="Refuse files larger than this (default 50 MB).")
def summary(folder: Path, max_bytes: int | None) -> None:
    """Extract every document in FOLDER and print one summary row per document."""
    from peelwatch.cli.render import print_summary
    from peelwatch.config import load_settings
    from peelwatch.extract import extract_folder

    settings = load_settings(max_bytes=max_bytes)
    results, failures = extract_folder(folder, max_bytes=settings.max_bytes, progress=True)
    print_summary(results, failures)
    if failures:
        raise SystemExit(1)
