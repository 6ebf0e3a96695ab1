"""Accounts and accountability: ``peelwatch users``, ``peelwatch tokens`` and ``peelwatch audit``.

Each command is a thin wrapper over :mod:`peelwatch.track.users` or :mod:`peelwatch.track.audit`.
Whoever runs them can open the database directly, so they act as an admin (``--by`` names them
in the audit trail; the default is the login name).
"""

from __future__ import annotations

import dataclasses
import sys
from datetime import date

import click

from peelwatch.cli.base import main
from peelwatch.cli.store_cmd import _emit, _open, db_option, format_option

ROLE_CHOICE = click.Choice(["viewer", "editor", "admin"])
by_option = click.option("--by", "by", default=None, metavar="NAME", help="Your name in the audit trail.")
USER_COLUMNS = ["id", "name", "role", "active", "created_at"]
TOKEN_COLUMNS = ["id", "user", "name", "role", "created_at", "revoked_at"]


def _password(password_stdin: bool) -> str:
    """The new password: the first line of standard input, or asked for twice without echo."""
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@main.group()
def users() -> None:
    """Add, list and change the people who may log in."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICE, default="viewer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@by_option
def users_add(name: str, role: str, password_stdin: bool, db: str | None, by: str | None) -> None:
    """Add a user (the first admin too: `peelwatch users add NAME --role admin`)."""
    from peelwatch.track import cli_actor
    from peelwatch.track.users import create_user

    password = _password(password_stdin)
    with _open(db) as store:
        user = create_user(store, cli_actor(by), name, role, password)
    click.echo(f"added {user.name} ({user.role})")


@users.command("list")
@db_option
@format_option
def users_list(db: str | None, fmt: str) -> None:
    """Every user with their role and whether they may log in."""
    from peelwatch.track.users import list_users

    with _open(db) as store:
        _emit(fmt, list_users(store), USER_COLUMNS, "users")


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=ROLE_CHOICE)
@db_option
@by_option
def users_set_role(name: str, role: str, db: str | None, by: str | None) -> None:
    """Give a user another role."""
    from peelwatch.track import cli_actor
    from peelwatch.track.users import set_role

    with _open(db) as store:
        user = set_role(store, cli_actor(by), name, role)
    click.echo(f"{user.name} is now {user.role}")


@users.command("disable")
@click.argument("name")
@db_option
@by_option
def users_disable(name: str, db: str | None, by: str | None) -> None:
    """Stop a user logging in or using their tokens, and end their sessions."""
    from peelwatch.track import cli_actor
    from peelwatch.track.users import disable_user

    with _open(db) as store:
        user = disable_user(store, cli_actor(by), name)
    click.echo(f"{user.name} is disabled")


@users.command("enable")
@click.argument("name")
@db_option
@by_option
def users_enable(name: str, db: str | None, by: str | None) -> None:
    """Let a disabled user log in again."""
    from peelwatch.track import cli_actor
    from peelwatch.track.users import enable_user

    with _open(db) as store:
        user = enable_user(store, cli_actor(by), name)
    click.echo(f"{user.name} is enabled")


@users.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@by_option
def users_password(name: str, password_stdin: bool, db: str | None, by: str | None) -> None:
    """Set a user's password (their sessions end)."""
    from peelwatch.track import cli_actor
    from peelwatch.track.users import set_password

    password = _password(password_stdin)
    with _open(db) as store:
        user = set_password(store, cli_actor(by), name, password)
    click.echo(f"password of {user.name} changed")


@main.group()
def tokens() -> None:
    """API tokens for scripts (sent as `Authorization: Bearer TOKEN`)."""


@tokens.command("add")
@click.argument("user")
@click.option("--name", "label", default="token", show_default=True, help="What the token is for.")
@click.option("--role", type=ROLE_CHOICE, default=None, help="Default: the user's role.")
@db_option
@by_option
def tokens_add(user: str, label: str, role: str | None, db: str | None, by: str | None) -> None:
    """Issue a token for USER; it is printed once and cannot be shown again."""
    from peelwatch.track import cli_actor
    from peelwatch.track.users import create_token, get_user

    with _open(db) as store:
        chosen = role or get_user(store, user).role
        info, secret = create_token(store, cli_actor(by), user, label, chosen)
    click.echo(
        f"token {info.id} for {info.user} ({info.role}); keep it secret, it is shown only now:", err=True
    )
    click.echo(secret)


@tokens.command("list")
@click.option("--user", default=None, help="Only this user's tokens.")
@db_option
@format_option
def tokens_list(user: str | None, db: str | None, fmt: str) -> None:
    """Every token (never its secret), with whether it was revoked."""
    from peelwatch.track.users import list_tokens

    with _open(db) as store:
        _emit(fmt, list_tokens(store, user), TOKEN_COLUMNS, "API tokens")


@tokens.command("revoke")
@click.argument("token_id", type=int)
@db_option
@by_option
def tokens_revoke(token_id: int, db: str | None, by: str | None) -> None:
    """Revoke a token for good."""
    from peelwatch.track import cli_actor
    from peelwatch.track.users import revoke_token

    with _open(db) as store:
        info = revoke_token(store, cli_actor(by), token_id)
    click.echo(f"token {info.id} of {info.user} is revoked")


@main.command()
@click.option("--user", default=None, help="Only what this user did.")
@click.option("--entity", default=None, help="document, finding, user, api_token, ...")
@click.option("--entity-id", type=int, default=None)
@click.option("--action", default=None, help="upload, create, set_role, status, ...")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last day (YYYY-MM-DD).")
@click.option("--limit", type=int, default=None, help="At most this many, newest first (default all).")
@db_option
@format_option
def audit(
    user: str | None,
    entity: str | None,
    entity_id: int | None,
    action: str | None,
    since: date | None,
    until: date | None,
    limit: int | None,
    db: str | None,
    fmt: str,
) -> None:
    """The audit trail: who changed what, when, with the values before and after."""
    from peelwatch.track.audit import AUDIT_COLUMNS, AuditFilter, change_summary, events_csv, list_events

    filters = AuditFilter(
        user=user,
        entity=entity,
        entity_id=entity_id,
        action=action,
        since=since.date() if since else None,
        until=until.date() if until else None,
    )
    with _open(db) as store:
        entries, _total = list_events(store, filters, limit=limit)
    if fmt == "csv":
        click.echo(events_csv(entries), nl=False)
        return
    if fmt == "json":
        _emit(fmt, entries, list(AUDIT_COLUMNS))
        return
    rows = [
        {
            **dataclasses.asdict(e),
            "at": e.at[:19].replace("T", " "),
            "change": change_summary(e.before, e.after),
        }
        for e in entries
    ]
    _emit(
        fmt, rows, ["id", "at", "user", "via", "action", "entity", "entity_id", "change"], "audit trail (UTC)"
    )
