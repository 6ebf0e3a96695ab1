"""Database commands: ingest, db upgrade, forces, grades, findings, search, show, export, import."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from peelwatch.cli.base import main

if TYPE_CHECKING:
    from peelwatch.store import Store

db_option = click.option(
    "--db",
    "db",
    envvar="PEELWATCH_DB",
    default=None,
    metavar="URL",
    help="Database URL or SQLite file (default: $PEELWATCH_DB or peelwatch.db here).",
)
LIST_ALL_UP_TO = 50  # an ingest of more files lists only its failures one by one
format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)


@contextmanager
def _open(db: str | None) -> Iterator[Store]:
    from peelwatch.config import load_settings
    from peelwatch.store import open_store

    store = open_store(load_settings(db_url=db).db_url)
    try:
        yield store
    finally:
        store.close()


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _emit(
    fmt: str, rows: Sequence[Any], columns: list[str], title: str | None = None, *, data: Any = None
) -> None:
    """Print rows as a Rich table, JSON (``data`` if given, else the rows) or CSV."""
    plain_rows = [_plain(r) for r in rows]
    if fmt == "json":
        click.echo(
            json.dumps(
                _plain(data) if data is not None else plain_rows, ensure_ascii=False, indent=2, default=str
            )
        )
        return
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in plain_rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        click.echo(buf.getvalue(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in plain_rows:
        table.add_row(*[_cell(row.get(c)) for c in columns])
    Console().print(table)


# --------------------------------------------------------------------------- ingest


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option(
    "--workers", type=int, default=None, help="Extraction processes (default: the number of cores)."
)
@click.option("--max-bytes", type=int, default=None, help="Refuse files larger than this (default 50 MB).")
@click.option(
    "--time-budget",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds one file may take to read and extract before it fails (default 30).",
)
@click.option("--no-progress", is_flag=True, help="Do not draw the progress bar.")
@click.option(
    "--every-file", is_flag=True, help="List every file in the table, not only the failures of a long run."
)
@format_option
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    workers: int | None,
    max_bytes: int | None,
    time_budget: float | None,
    no_progress: bool,
    every_file: bool,
    fmt: str,
) -> None:
    """Read, extract and store files, folders (recursively) and glob patterns."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from peelwatch.config import load_settings
    from peelwatch.ingest import ingest_paths
    from peelwatch.track.audit import cli_actor, ingest_recorder

    settings = load_settings(db_url=db, workers=workers, max_bytes=max_bytes, time_budget=time_budget)
    budget = {"max_bytes": settings.max_bytes, "time_budget": settings.time_budget}
    err = Console(stderr=True)
    audit = ingest_recorder(cli_actor())
    with _open(settings.db_url) as store:
        if no_progress or fmt != "table":
            report = ingest_paths(store, paths, workers=settings.workers, on_stored=audit, **budget)
        else:
            with Progress(
                TextColumn("ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("", total=None)

                def on_progress(done: int, total: int, result: Any) -> None:
                    bar.update(task, completed=done, total=total, description=Path(result.name).name[:40])

                report = ingest_paths(
                    store, paths, workers=settings.workers, progress=on_progress, on_stored=audit, **budget
                )
    rows = [dataclasses.asdict(r) for r in report.results]
    if fmt == "table":
        from rich.table import Table

        # A long run lists only its failures file by file; the counts say the rest.
        listed = report.results if (every_file or len(report.results) <= LIST_ALL_UP_TO) else report.failed
        table = Table(title="ingest" if listed is report.results else "ingest: failures")
        for col in ("file", "status", "document", "force", "cycle", "reason"):
            table.add_column(col, overflow="fold")
        styles = {"ingested": "green", "unchanged": "dim", "failed": "red"}
        for r in listed:
            table.add_row(
                r.name,
                f"[{styles[r.status]}]{r.status}[/]",
                str(r.document_id or ""),
                r.force or "",
                r.cycle or "",
                r.reason or "",
            )
        console = Console()
        if listed:
            console.print(table)
        console.print(
            f"{report.count('ingested')} ingested, {report.count('unchanged')} unchanged, {report.count('failed')} failed"
        )
    else:
        _emit(fmt, rows, ["name", "status", "document_id", "kind", "force", "cycle", "reason"])
    if report.failed:
        for r in report.failed:
            click.echo(f"peelwatch: error: {r.name}: {r.reason}", err=True)
        sys.exit(1)


# --------------------------------------------------------------------------- db


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@db_option
def db_upgrade(db: str | None) -> None:
    """Create the database or migrate it to the newest schema (keeps every record)."""
    from sqlalchemy import create_engine

    from peelwatch.config import load_settings
    from peelwatch.store.engine import _check_sqlite_file, _sqlite_engine, migrate, normalise_url

    url = normalise_url(load_settings(db_url=db).db_url)
    if url.get_backend_name() == "sqlite":
        _check_sqlite_file(url)
        engine = _sqlite_engine(url)
    else:
        engine = create_engine(url)
    try:
        from sqlalchemy.exc import DBAPIError

        from peelwatch.errors import StoreError

        try:
            before, after = migrate(engine)
        except DBAPIError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise StoreError(f"cannot migrate {url.render_as_string(hide_password=True)}: {reason}") from None
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"database is up to date (schema {after})")
    else:
        click.echo(f"database migrated from schema {before or 'none'} to {after}")


# --------------------------------------------------------------------------- queries


@main.command()
@db_option
@format_option
@click.option("--all", "show_all", is_flag=True, help="Also list forces with no documents.")
def forces(db: str | None, fmt: str, show_all: bool) -> None:
    """The forces with counts of documents, judgments and findings."""
    from peelwatch.store import list_forces

    with _open(db) as store:
        rows = [f for f in list_forces(store) if show_all or f.documents or f.findings]
    _emit(fmt, rows, ["slug", "name", "region", "documents", "judgments", "findings"], "forces")


@main.command()
@db_option
@format_option
@click.option("--force", "force", default=None, help="Force name, slug or alias (e.g. WMP).")
@click.option("--cycle", default=None, help="PEEL cycle, e.g. 2021/22.")
@click.option("--area", default=None, help="Area key or words of the subject.")
@click.option("--claims", is_flag=True, help="List commissioners' and forces' claims instead of the grades.")
def grades(
    db: str | None, fmt: str, force: str | None, cycle: str | None, area: str | None, claims: bool
) -> None:
    """Graded judgments, one row per force × subject × cycle, with the source document."""
    from peelwatch.store import list_grades

    with _open(db) as store:
        rows = list_grades(store, force=force, cycle=cycle, area=area, claims=claims)
    cols = ["force_name", "cycle", "scope", "subject", "grade", "judgment_id", "document_id", "document"]
    _emit(fmt, rows, cols if fmt != "csv" else [*cols, "force", "area_key", "claim", "evidence"], "grades")


@main.command()
@db_option
@format_option
@click.option("--force", "force", default=None, help="Force name, slug or alias.")
@click.option("--cycle", default=None, help="PEEL cycle, e.g. 2021/22.")
@click.option(
    "--type", "type_", default=None, help="area_for_improvement (AFI), cause_of_concern, recommendation."
)
@click.option("--status", default=None, help="open, discharged, ...")
@click.option("--area", default=None, help="Area key.")
@click.option("--limit", type=int, default=1000, show_default=True)
def findings(
    db: str | None,
    fmt: str,
    force: str | None,
    cycle: str | None,
    type_: str | None,
    status: str | None,
    area: str | None,
    limit: int,
) -> None:
    """Findings with their mention counts."""
    from peelwatch.store import list_findings

    with _open(db) as store:
        page = list_findings(
            store, force=force, cycle=cycle, type=type_, status=status, area=area, limit=limit
        )
    cols = ["id", "force_name", "cycle", "type", "ref", "status", "mentions", "text"]
    from peelwatch.cli.render import cut_title

    title = cut_title("findings", len(page.items), page.total)
    _emit(fmt, page.items, cols, title, data=page if fmt == "json" else None)


def _snippet_markup(segments: list[Any]) -> str:
    from rich.markup import escape

    return "".join(f"[bold yellow]{escape(s.text)}[/]" if s.hit else escape(s.text) for s in segments)


@main.command()
@click.argument("query")
@db_option
@format_option
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--force", "force", default=None, help="Only this force (any alias).")
@click.option("--cycle", default=None, help="Only this cycle.")
def search(query: str, db: str | None, fmt: str, limit: int, force: str | None, cycle: str | None) -> None:
    """Ranked full-text search over findings, judgments and documents."""
    from peelwatch.store import search as run_search

    with _open(db) as store:
        results = run_search(store, query, limit=limit, force=force, cycle=cycle)
    if fmt == "table":
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        from peelwatch.cli.render import cut_title

        table = Table(title=cut_title(f"search {query!r}", len(results.items), results.total))
        for col in ("kind", "id", "force", "cycle", "title", "snippet"):
            table.add_column(col, overflow="fold")
        for hit in results.items:
            table.add_row(
                hit.kind,
                str(hit.id),
                hit.force_name or "",
                hit.cycle or "",
                escape(hit.title),
                _snippet_markup(hit.snippet),
            )
        Console().print(table)
        return
    rows = [
        {**dataclasses.asdict(h), "snippet": "".join(f"[{s.text}]" if s.hit else s.text for s in h.snippet)}
        for h in results.items
    ]
    _emit(
        fmt,
        rows,
        ["kind", "id", "score", "force", "cycle", "document_id", "title", "snippet"],
        data=results if fmt == "json" else None,
    )


@main.group()
def show() -> None:
    """Everything known about one record."""


@show.command("finding")
@click.argument("finding_id", type=int)
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def show_finding(finding_id: int, db: str | None, fmt: str) -> None:
    """A finding, its evidence in every document, responses and related findings."""
    from peelwatch.store import get_finding

    with _open(db) as store:
        detail = get_finding(store, finding_id)
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(detail), ensure_ascii=False, indent=2, default=str))
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    f = detail.finding
    console.print(
        f"[bold]Finding {f.id}[/] {f.type} {escape(f.ref or '')} · {f.force_name or '-'} · {f.cycle or '-'}"
    )
    console.print(f"status {f.status} · {f.mentions} mention(s)")
    console.print(escape(f.text))
    for m in detail.mentions:
        console.print(
            f"\n[bold]document {m.document_id}[/] ({m.document_kind}) {escape(m.source or '')} [{m.start}:{m.end}]"
        )
        console.print(f"…{escape(m.before[-80:])}[reverse]{escape(m.evidence)}[/]{escape(m.after[:80])}…")
    for r in detail.responses:
        console.print(f"\n[bold]response[/] by {r.by} (document {r.document_id}): {escape(r.text)}")
    for rel in detail.related:
        console.print(
            f"\n[bold]{rel.kind}[/] finding {rel.id} ({rel.cycle}, score {rel.score:.0f}): {escape(rel.text)}"
        )


@show.command("document")
@click.argument("document_id", type=int)
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--text", "with_text", is_flag=True, help="Print the document's full text too.")
def show_document(document_id: int, db: str | None, fmt: str, with_text: bool) -> None:
    """A document and every judgment, finding and response extracted from it, with spans."""
    from peelwatch.store import get_document

    with _open(db) as store:
        detail = get_document(store, document_id)
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(detail), ensure_ascii=False, indent=2, default=str))
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    d = detail.document
    console.print(f"[bold]Document {d.id}[/] {escape(d.title or d.source or '')}")
    console.print(
        f"{d.kind} · {d.force_name or '-'} · {d.cycle or '-'} · {d.reader} · sha256 {d.content_hash[:16]}…"
    )
    for j in detail.judgments:
        console.print(
            f"judgment [{j.start}:{j.end}] {escape(j.subject)}: {j.grade}{' (claim)' if j.claim else ''}"
        )
    for f in detail.findings:
        console.print(
            f"finding {f.finding_id} [{f.start}:{f.end}] {f.type} {escape(f.ref or '')}: {escape(f.text[:160])}"
        )
    for r in detail.responses:
        console.print(f"response [{r.start}:{r.end}] by {r.by}: {escape(r.text[:160])}")
    for s in detail.discharges:
        console.print(f"discharge [{s.start}:{s.end}] {s.status}: {escape(s.text[:160])}")
    for s in detail.statistics:
        console.print(f"statistic [{s.start}:{s.end}] {escape(s.measure)}: {escape(s.force_value)}")
    if with_text:
        console.print()
        console.print(escape(detail.text))


# --------------------------------------------------------------------------- export / import


@main.command("export")
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json", "parquet"]), default="csv", show_default=True
)
@click.option(
    "--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write."
)
def export_cmd(db: str | None, fmt: str, out: Path) -> None:
    """Write one file per table (forces, cycles, documents, judgments, findings, mentions, ...)."""
    from peelwatch.store.export import export_store

    with _open(db) as store:
        written = export_store(store, out, fmt)
    for table, path, count in written:
        click.echo(f"{table}: {count} rows -> {path}")


@main.command("import")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@db_option
def import_cmd(folder: Path, db: str | None) -> None:
    """Load an export folder into an empty database."""
    from peelwatch.store.export import import_store

    with _open(db) as store:
        counts = import_store(store, folder)
    for table, count in counts.items():
        click.echo(f"{table}: {count} rows")
