"""Corrections by people: ``peelwatch correct``, ``peelwatch corrections list|revert|add-finding``
and ``peelwatch links list|reject|restore``."""

from __future__ import annotations

import click

from peelwatch.cli.base import main
from peelwatch.cli.store_cmd import _emit, _open, db_option, format_option

CORRECTION_COLUMNS = ["id", "entity", "entity_id", "document_id", "field", "original", "value", "actor", "at",
                      "active", "note"]  # fmt: skip
user_option = click.option(
    "--user", default=None, help="Name recorded in the audit trail (default: your login)."
)
note_option = click.option("--note", default="", help="Why the correction was made.")


@main.command("correct")
@click.argument("entity", type=click.Choice(["document", "judgment", "finding", "response"]))
@click.argument("fact_id", type=int)
@click.argument("field")
@click.argument("value")
@note_option
@user_option
@db_option
@format_option
def correct_cmd(
    entity: str, fact_id: int, field: str, value: str, note: str, user: str | None, db: str | None, fmt: str
) -> None:
    """Correct one field of a fact, e.g. ``peelwatch correct judgment 12 grade good``.

    Fields: a document's kind, force, cycle, title, published (YYYY-MM-DD); a judgment's grade or
    subject; a finding's type or text; ``hidden true|false`` on a judgment, finding or response.
    The extracted value is kept beside the correction.
    """
    from peelwatch.track.audit import cli_actor
    from peelwatch.track.corrections import correct

    with _open(db) as store, store.write() as session:
        info = correct(session, cli_actor(user), entity, fact_id, field, value, note=note)
    _emit(fmt, [info], CORRECTION_COLUMNS, "correction")


@main.group("corrections")
def corrections_group() -> None:
    """List, take back or add to people's corrections."""


@corrections_group.command("list")
@click.option(
    "--document", "document_id", type=int, default=None, help="Only the corrections of this document."
)
@click.option("--entity", type=click.Choice(["document", "judgment", "finding", "response"]), default=None)
@click.option("--active", "active_only", is_flag=True, help="Only the corrections in force.")
@click.option("--limit", type=int, default=1000, show_default=True)
@db_option
@format_option
def corrections_list(
    document_id: int | None, entity: str | None, active_only: bool, limit: int, db: str | None, fmt: str
) -> None:
    """Every correction, newest first."""
    from peelwatch.track.corrections import list_corrections

    with _open(db) as store, store.read() as session:
        rows = list_corrections(
            session, document_id=document_id, entity=entity, active_only=active_only, limit=limit
        )
    _emit(fmt, rows, CORRECTION_COLUMNS, f"corrections ({len(rows)})")


@corrections_group.command("revert")
@click.argument("correction_id", type=int)
@note_option
@user_option
@db_option
def corrections_revert(correction_id: int, note: str, user: str | None, db: str | None) -> None:
    """Take a correction back: the extracted value returns."""
    from peelwatch.track.audit import cli_actor
    from peelwatch.track.corrections import revert

    with _open(db) as store, store.write() as session:
        info = revert(session, cli_actor(user), correction_id, note=note)
    click.echo(
        f"correction {info.id} taken back: {info.entity} {info.entity_id} {info.field} is {info.original!r}"
    )


@corrections_group.command("add-finding")
@click.argument("document_id", type=int)
@click.argument("finding_type")
@click.argument("text")
@click.option("--ref", default=None, help="The finding's reference in the document, e.g. 'AFI 3'.")
@note_option
@user_option
@db_option
def corrections_add_finding(
    document_id: int,
    finding_type: str,
    text: str,
    ref: str | None,
    note: str,
    user: str | None,
    db: str | None,
) -> None:
    """Add a finding the extractor missed (type: afi, cause_of_concern, recommendation)."""
    from peelwatch.track.audit import cli_actor
    from peelwatch.track.corrections import add_finding

    with _open(db) as store, store.write() as session:
        info = add_finding(session, cli_actor(user), document_id, finding_type, text, ref=ref, note=note)
    click.echo(f"finding {info.entity_id} added to document {document_id}")


LINK_COLUMNS = ["link_id", "kind", "direction", "other_id", "score", "rejected", "other_text"]


@main.group("links")
def links_group() -> None:
    """A finding's links with their scores; reject a wrong one, or restore it."""


@links_group.command("list")
@click.argument("finding_id", type=int)
@db_option
@format_option
def links_list(finding_id: int, db: str | None, fmt: str) -> None:
    """Every link of a finding (rejected ones too), with its score."""
    from peelwatch.errors import NotFoundError
    from peelwatch.store.link_queries import finding_links
    from peelwatch.store.models import Finding
    from peelwatch.store.rows import get_row

    with _open(db) as store, store.read() as session:
        if get_row(session, Finding, finding_id) is None:
            raise NotFoundError(f"there is no finding {finding_id}")
        rows = finding_links(session, finding_id)
    _emit(fmt, rows, LINK_COLUMNS, f"links of finding {finding_id} ({len(rows)})")


@links_group.command("reject")
@click.argument("link_id", type=int)
@click.option("--reason", default="", help="Why the link is wrong.")
@user_option
@db_option
@format_option
def links_reject(link_id: int, reason: str, user: str | None, db: str | None, fmt: str) -> None:
    """Reject a link: it stays rejected when documents are linked again, and a rejected
    discharge withdraws the status it set."""
    _decide(link_id, True, reason, user, db, fmt)


@links_group.command("restore")
@click.argument("link_id", type=int)
@user_option
@db_option
@format_option
def links_restore(link_id: int, user: str | None, db: str | None, fmt: str) -> None:
    """Undo a rejection."""
    _decide(link_id, False, "", user, db, fmt)


def _decide(link_id: int, reject: bool, reason: str, user: str | None, db: str | None, fmt: str) -> None:
    from peelwatch.track.audit import cli_actor
    from peelwatch.track.link_decisions import decide_link

    with _open(db) as store, store.write() as session:
        link = decide_link(session, cli_actor(user), link_id, reject=reject, reason=reason)
    _emit(fmt, [link], LINK_COLUMNS, "link")
