"""The record at a glance (``peelwatch overview``) and confirming a provisional document."""

from __future__ import annotations

import dataclasses
import json

import click

from peelwatch.cli.base import main
from peelwatch.cli.store_cmd import _open, db_option


@main.command()
@db_option
@click.option("--top", type=int, default=5, show_default=True, help="How many forces to list.")
@click.option("--address", default=None, metavar="URL", help="The dashboard's address, to print at the end.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def overview(db: str | None, top: int, address: str | None, fmt: str) -> None:
    """The record in one screen: documents, grades/findings/responses by cycle, top forces."""
    from peelwatch.store.overview import overview as build

    with _open(db) as store:
        ov = build(store, top=top)
    if fmt == "json":
        click.echo(json.dumps({**dataclasses.asdict(ov), "totals": dataclasses.asdict(ov.totals)}, indent=2))
        return
    from peelwatch.cli.render import print_overview

    print_overview(ov, address=address)


@main.command()
@click.argument("document_id", type=int)
@db_option
@click.option("--as", "name", default=None, help="The name the audit trail records (default: your login).")
def confirm(document_id: int, db: str | None, name: str | None) -> None:
    """Confirm a provisional document's kind: its grades count on the national matrix from now on."""
    from peelwatch.store.provenance import confirm_document
    from peelwatch.track.audit import cli_actor

    with _open(db) as store:
        changed = confirm_document(store, document_id, cli_actor(name))
    click.echo(
        f"document {document_id} confirmed: its grades now count"
        if changed
        else f"document {document_id} was not provisional: nothing changed"
    )
