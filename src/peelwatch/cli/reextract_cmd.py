"""``peelwatch reextract``: stored documents extracted again, people's corrections and tracking kept."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any

import click

from peelwatch.cli.base import main
from peelwatch.cli.store_cmd import _open, db_option

COLUMNS = ("document", "read from", "judgments", "mentions", "findings +/=/-/kept", "statuses", "corrections",
           "orphaned")  # fmt: skip


def _change(result: Any, fact: str) -> str:
    before, after = result.before[fact], result.after[fact]
    return str(after) if before == after else f"{before} → {after}"


def _table(report: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="reextract")
    for column in COLUMNS:
        table.add_column(column, overflow="fold")
    for r in report.results:
        table.add_row(
            str(r.document_id),
            r.read_from,
            _change(r, "judgments"),
            _change(r, "mentions"),
            f"+{r.findings_added} ={r.findings_kept} -{r.findings_removed} kept {r.findings_retained}",
            str(r.status_events),
            str(r.corrections_reapplied),
            ", ".join(f"{c.id} ({c.entity} {c.field})" for c in r.orphaned),
        )
    console = Console()
    if report.results:
        console.print(table)
    orphans = sum(len(r.orphaned) for r in report.results)
    console.print(
        f"{len(report.results)} extracted again, {len(report.failed)} failed, "
        f"{orphans} correction(s) orphaned (kept; `peelwatch corrections list --active` shows them)"
    )


@main.command("reextract")
@click.argument("document_ids", nargs=-1, type=int)
@click.option("--all", "every", is_flag=True, help="Every stored document.")
@click.option(
    "--source",
    default=None,
    metavar="FILE",
    help="Read the one document named from its own file (the same bytes) rather than its stored text.",
)
@click.option(
    "--own-files",
    is_flag=True,
    help="Read each document from the file it was ingested from when that still has the same bytes.",
)
@click.option(
    "--time-budget",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds one document may take to read and extract before it fails (default 30).",
)
@click.option("--user", default=None, help="Name recorded in the audit trail (default: your login).")
@click.option("--no-progress", is_flag=True, help="Do not draw the progress bar.")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def reextract_cmd(
    document_ids: tuple[int, ...],
    every: bool,
    source: str | None,
    own_files: bool,
    time_budget: float | None,
    user: str | None,
    no_progress: bool,
    db: str | None,
    fmt: str,
) -> None:
    """Extract stored documents again with the current extractor and replace their facts.

    Corrections, added findings, owners, actions and status decisions are kept; the statuses
    the documents state are applied again. A correction whose fact the new extraction no longer
    states is kept and listed as orphaned.
    """
    from peelwatch.config import load_settings
    from peelwatch.reextract import ReextractError, reextract
    from peelwatch.track.audit import cli_actor

    if every == bool(document_ids):
        raise ReextractError("name the documents to extract again, or --all (not both)")
    ids = None if every else list(document_ids)
    settings = load_settings(db_url=db, time_budget=time_budget)
    options = {
        "source": source,
        "own_files": own_files,
        "max_bytes": settings.max_bytes,
        "time_budget": settings.time_budget,
    }
    with _open(settings.db_url) as store:
        if no_progress or fmt != "table" or not every:
            report = reextract(store, cli_actor(user), ids, **options)
        else:
            report = _with_bar(store, cli_actor(user), ids, options)
    if fmt == "json":
        out = {
            "results": [dataclasses.asdict(r) for r in report.results],
            "failed": [dataclasses.asdict(f) for f in report.failed],
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        _table(report)
    for failure in report.failed:
        click.echo(f"peelwatch: error: document {failure.document_id}: {failure.reason}", err=True)
    if report.failed:
        sys.exit(1)


def _with_bar(store: Any, actor: Any, ids: list[int] | None, options: dict[str, Any]) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from peelwatch.reextract import reextract

    with Progress(
        TextColumn("reextract"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def on_progress(done: int, total: int, document_id: int) -> None:
            bar.update(task, completed=done, total=total, description=f"document {document_id}")

        return reextract(store, actor, ids, progress=on_progress, **options)
