"""Tracking commands: ``peelwatch track status|assign|action|note|due|board|clock`` and ``peelwatch report``.

Each is a thin wrapper over :mod:`peelwatch.track`; writes act as :func:`~peelwatch.track.cli_actor`
under the ``--user`` name (default: the login name) and leave an audit record.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import click

from peelwatch.cli.base import main
from peelwatch.cli.store_cmd import _emit, _open, db_option, format_option

user_option = click.option("--user", default=None, help="Name recorded in the history and audit trail.")
today_option = click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Count dates as of this day (YYYY-MM-DD).",
)


def _today(value: Any) -> date:
    return value.date() if value is not None else date.today()


def _row(obj: Any) -> dict[str, Any]:
    return dataclasses.asdict(obj) if dataclasses.is_dataclass(obj) else dict(obj)


@main.group()
def track() -> None:
    """Follow findings to closure: status, owner, actions, what is due."""


@track.command("status")
@click.argument("finding", type=int)
@click.argument("status")
@click.option("--note", default="", help="Why (needed to close or supersede).")
@user_option
@db_option
@format_option
def track_status(finding: int, status: str, note: str, user: str | None, db: str | None, fmt: str) -> None:
    """Move FINDING to STATUS (open, in_progress, completed, discharged, superseded, closed)."""
    from peelwatch.track import change_status, cli_actor, status_history

    with _open(db) as store:
        with store.write() as session:
            change_status(session, cli_actor(user), finding, status, note=note)
        with store.read() as session:
            rows = [_row(e) for e in status_history(session, finding)]
    _emit(fmt, rows, ["at", "from_status", "to_status", "actor", "source", "note"], f"finding {finding}")


@track.command("assign")
@click.argument("finding", type=int)
@click.argument("owner")
@user_option
@db_option
@format_option
def track_assign(finding: int, owner: str, user: str | None, db: str | None, fmt: str) -> None:
    """Make OWNER (a person or team) the owner of FINDING; an empty OWNER clears it."""
    from peelwatch.track import assign_owner, cli_actor

    with _open(db) as store, store.write() as session:
        assign_owner(session, cli_actor(user), finding, owner)
    _emit(fmt, [{"finding": finding, "owner": owner or None}], ["finding", "owner"], "owner")


@track.group("action")
def track_action() -> None:
    """Add actions to a finding, mark them done, note progress."""


@track_action.command("add")
@click.argument("finding", type=int)
@click.argument("description")
@click.option("--owner", default=None)
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Due date (YYYY-MM-DD).")
@user_option
@db_option
@format_option
def track_action_add(
    finding: int, description: str, owner: str | None, due: Any, user: str | None, db: str | None, fmt: str
) -> None:
    """Add an action (DESCRIPTION) to FINDING."""
    from peelwatch.track import add_action, cli_actor, finding_actions

    with _open(db) as store:
        with store.write() as session:
            add_action(
                session, cli_actor(user), finding, description, owner=owner, due=due.date() if due else None
            )
        with store.read() as session:
            rows = [_row(a) for a in finding_actions(session, finding)]
    _emit(fmt, rows, ["id", "title", "owner", "due", "status"], f"actions of finding {finding}")


@track_action.command("done")
@click.argument("action", type=int)
@user_option
@db_option
@format_option
def track_action_done(action: int, user: str | None, db: str | None, fmt: str) -> None:
    """Mark ACTION done."""
    from peelwatch.track import cli_actor, complete_action

    with _open(db) as store, store.write() as session:
        complete_action(session, cli_actor(user), action)
    _emit(fmt, [{"action": action, "status": "done"}], ["action", "status"], "action")


@track_action.command("note")
@click.argument("action", type=int)
@click.argument("text")
@user_option
@db_option
@format_option
def track_action_note(action: int, text: str, user: str | None, db: str | None, fmt: str) -> None:
    """Add a progress note (dated today) to ACTION."""
    from peelwatch.track import add_note, cli_actor

    with _open(db) as store, store.write() as session:
        note_id = add_note(session, cli_actor(user), action, text)
    _emit(fmt, [{"action": action, "note": note_id, "text": text}], ["action", "note", "text"], "note")


@track.command("due")
@click.option("--within", type=int, default=None, help="Days ahead counted as due soon (default 14).")
@click.option("--owner", default=None, help="Only this owner's actions ('my items').")
@click.option("--force", default=None, help="Only this force (slug).")
@today_option
@db_option
@format_option
def track_due(
    within: int | None, owner: str | None, force: str | None, today: Any, db: str | None, fmt: str
) -> None:
    """Open actions that are overdue or fall due soon, soonest first."""
    from peelwatch.track import due_actions

    with _open(db) as store, store.read() as session:
        items = due_actions(session, today=_today(today), within_days=within, owner=owner, force=force)
    cols = ["action_id", "finding_id", "force", "title", "owner", "due", "days", "state"]
    _emit(fmt, [_row(i) for i in items], cols, "overdue and due soon")


@track.command("clock")
@click.option("--force", default=None, help="Only this force (slug).")
@today_option
@db_option
@format_option
def track_clock(force: str | None, today: Any, db: str | None, fmt: str) -> None:
    """The section 55 clock: each report's response deadline and whether it was met."""
    from peelwatch.track import response_clocks

    with _open(db) as store, store.read() as session:
        clocks = response_clocks(session, today=_today(today), force=force)
    rows = [{**_row(c), "label": c.label} for c in clocks]
    cols = ["force", "cycle", "report_title", "published", "deadline", "response_date", "status", "label"]
    _emit(fmt, rows, cols, "56-day clock")


@main.group()
def report() -> None:
    """Papers: the committee progress report and the draft section 55 response letter."""


@report.command("committee")
@click.option("--force", "force", required=True, help="Force name, alias or slug.")
@click.option("--cycle", default=None)
@click.option(
    "--format", "fmt", type=click.Choice(["docx", "pdf", "html"]), default="docx", show_default=True
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@today_option
@db_option
def report_committee(
    force: str, cycle: str | None, fmt: str, output: Path | None, today: Any, db: str | None
) -> None:
    """Every open and recently finished finding of a force, with owners, actions, RAG and the 56-day clock."""
    from peelwatch.track.reports import committee_report, render_committee

    with _open(db) as store, store.read() as session:
        content = render_committee(committee_report(session, force, cycle=cycle, today=_today(today)), fmt)
    path = output or Path(f"committee-{force.lower().replace(' ', '-')}.{fmt}")
    path.write_bytes(content)
    click.echo(str(path))


@report.command("response")
@click.option("--document", "document_id", type=int, required=True, help="The inspection report's id.")
@click.option("--format", "fmt", type=click.Choice(["docx", "html"]), default="docx", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@db_option
def report_response(document_id: int, fmt: str, output: Path | None, db: str | None) -> None:
    """A draft of the commissioner's section 55 response letter to one inspection report."""
    from peelwatch.track.reports import render_letter, response_letter

    with _open(db) as store, store.read() as session:
        content = render_letter(response_letter(session, document_id), fmt)
    path = output or Path(f"response-{document_id}.{fmt}")
    path.write_bytes(content)
    click.echo(str(path))
