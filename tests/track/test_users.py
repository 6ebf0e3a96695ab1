"""Users, passwords, sessions, API tokens and the login rate limit, on SQLite and PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import pg

from peelwatch.config import LoginLimits
from peelwatch.store import open_store
from peelwatch.store.models import ApiToken, AuthSession, Event, User
from peelwatch.track import Actor, AuditFilter, RoleError, cli_actor, events_csv, list_events
from peelwatch.track.users import (
    BadPasswordError,
    LoginFailedError,
    LoginThrottledError,
    UnknownUserError,
    UserExistsError,
    authenticate,
    create_token,
    create_user,
    disable_user,
    enable_user,
    end_session,
    hash_password,
    list_tokens,
    list_users,
    revoke_token,
    session_for,
    set_password,
    set_role,
    start_session,
    token_actor,
    verify_password,
)

PASSWORD = "a long enough password"
ADMIN = cli_actor("setup")
LIMITS = LoginLimits(per_account=3, per_address=5, window_seconds=600)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    url = pg.backend_url(request.param, tmp_path)
    if url is None:
        pytest.skip(pg.skip_reason())
    st = open_store(url)
    yield st
    st.close()


def test_passwords_are_hashed_with_argon2id_and_salted() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$") and first != second
    assert verify_password(first, PASSWORD)
    assert not verify_password(first, PASSWORD + "!")
    assert not verify_password(None, PASSWORD)
    assert not verify_password("not a hash", PASSWORD)


def test_a_short_password_is_refused() -> None:
    with pytest.raises(BadPasswordError, match="at least 10 characters"):
        hash_password("short")


def test_users_are_added_listed_and_changed_by_an_admin_only(store) -> None:
    create_user(store, ADMIN, "ada", "admin", PASSWORD)
    create_user(store, ADMIN, "ed", "editor", PASSWORD)
    assert [(u.name, u.role, u.active) for u in list_users(store)] == [
        ("ada", "admin", True),
        ("ed", "editor", True),
    ]
    with pytest.raises(UserExistsError):
        create_user(store, ADMIN, "ed", "viewer", PASSWORD)
    editor = Actor(name="ed", role="editor", via="web")
    with pytest.raises(RoleError):
        create_user(store, editor, "mallory", "admin", PASSWORD)
    with pytest.raises(RoleError):
        set_role(store, editor, "ed", "admin")
    assert set_role(store, ADMIN, "ed", "viewer").role == "viewer"
    with pytest.raises(UnknownUserError):
        set_role(store, ADMIN, "nobody", "viewer")
    with store.read() as session:
        stored = session.scalars(select(User.password_hash).where(User.name == "ed")).one()
    assert PASSWORD not in stored and stored.startswith("$argon2id$")


def test_authenticate_accepts_the_right_password_only(store) -> None:
    create_user(store, ADMIN, "ed", "editor", PASSWORD)
    assert authenticate(store, "ed", PASSWORD, "10.0.0.1", LIMITS).name == "ed"
    with pytest.raises(LoginFailedError, match="wrong name or password"):
        authenticate(store, "ed", "wrong password!", "10.0.0.1", LIMITS)
    with pytest.raises(LoginFailedError, match="wrong name or password"):
        authenticate(store, "nobody", PASSWORD, "10.0.0.1", LIMITS)


def test_failed_logins_are_limited_per_account(store) -> None:
    create_user(store, ADMIN, "ed", "editor", PASSWORD)
    for n in range(LIMITS.per_account):
        with pytest.raises(LoginFailedError):
            authenticate(store, "ed", f"guess number {n}", f"10.0.0.{n}", LIMITS)
    with pytest.raises(LoginThrottledError, match="too many failed logins; try again in 10 minutes"):
        authenticate(store, "ed", PASSWORD, "10.9.9.9", LIMITS)


def test_failed_logins_are_limited_per_address(store) -> None:
    create_user(store, ADMIN, "ed", "editor", PASSWORD)
    for n in range(LIMITS.per_address):
        with pytest.raises(LoginFailedError):
            authenticate(store, f"name-{n}", PASSWORD, "10.0.0.66", LIMITS)
    with pytest.raises(LoginThrottledError):
        authenticate(store, "ed", PASSWORD, "10.0.0.66", LIMITS)
    # Another address is not held up by that one.
    assert authenticate(store, "ed", PASSWORD, "10.0.0.67", LIMITS).name == "ed"


def test_old_failures_age_out_of_the_window(store) -> None:
    create_user(store, ADMIN, "ed", "editor", PASSWORD)
    for n in range(LIMITS.per_account):
        with pytest.raises(LoginFailedError):
            authenticate(store, "ed", f"guess number {n}", "10.0.0.1", LIMITS)
    short = LoginLimits(per_account=3, per_address=5, window_seconds=0)
    assert authenticate(store, "ed", PASSWORD, "10.0.0.1", short).name == "ed"


def test_a_session_lives_until_logout_and_stores_only_a_hash(store) -> None:
    user = create_user(store, ADMIN, "ed", "editor", PASSWORD)
    secret, info = start_session(store, user, hours=1)
    assert session_for(store, secret).actor == Actor(name="ed", role="editor", user_id=user.id, via="web")
    assert session_for(store, secret).csrf == info.csrf and len(info.csrf) >= 32
    with store.read() as session:
        hashes = list(session.scalars(select(AuthSession.token_hash)))
    assert secret not in hashes and len(hashes) == 1
    end_session(store, secret)
    assert session_for(store, secret) is None


def test_an_expired_session_is_worth_nothing(store) -> None:
    user = create_user(store, ADMIN, "ed", "editor", PASSWORD)
    secret, _info = start_session(store, user, hours=0)
    assert session_for(store, secret) is None


def test_disabling_a_user_ends_their_sessions_and_tokens(store) -> None:
    user = create_user(store, ADMIN, "ed", "editor", PASSWORD)
    secret, _info = start_session(store, user, hours=1)
    _token, token_secret = create_token(store, ADMIN, "ed", "ci", "editor")
    disable_user(store, ADMIN, "ed")
    assert session_for(store, secret) is None
    assert token_actor(store, token_secret) is None
    with pytest.raises(LoginFailedError):
        authenticate(store, "ed", PASSWORD, "10.0.0.1", LIMITS)
    enable_user(store, ADMIN, "ed")
    assert token_actor(store, token_secret).name == "ed"


def test_a_new_password_ends_old_sessions(store) -> None:
    user = create_user(store, ADMIN, "ed", "editor", PASSWORD)
    secret, _info = start_session(store, user, hours=1)
    set_password(store, ADMIN, "ed", "another long password")
    assert session_for(store, secret) is None
    assert authenticate(store, "ed", "another long password", "10.0.0.1", LIMITS).name == "ed"


def test_tokens_are_stored_hashed_capped_by_the_user_role_and_revocable(store) -> None:
    vera = create_user(store, ADMIN, "vera", "viewer", PASSWORD)
    info, secret = create_token(store, ADMIN, "vera", "reports", "admin")
    assert secret.startswith("pw_") and len(secret) > 40
    assert token_actor(store, secret) == Actor(name="vera", role="viewer", user_id=vera.id, via="api")
    with store.read() as session:
        assert secret not in set(session.scalars(select(ApiToken.token_hash)))
    assert [t.name for t in list_tokens(store, "vera")] == ["reports"]
    assert list_tokens(store, "nobody") == []
    revoked = revoke_token(store, ADMIN, info.id)
    assert revoked.revoked_at is not None
    assert token_actor(store, secret) is None
    assert token_actor(store, "pw_made-up") is None
    assert token_actor(store, "") is None


def test_every_user_change_is_in_the_audit_trail_without_secrets(store) -> None:
    create_user(store, ADMIN, "ed", "editor", PASSWORD)
    set_role(store, ADMIN, "ed", "admin")
    info, secret = create_token(store, ADMIN, "ed", "ci", "editor")
    revoke_token(store, ADMIN, info.id)
    disable_user(store, ADMIN, "ed")
    entries, total = list_events(store)
    assert total == 5
    assert [(e.action, e.entity) for e in reversed(entries)] == [
        ("create", "user"),
        ("set_role", "user"),
        ("create", "api_token"),
        ("revoke", "api_token"),
        ("disable", "user"),
    ]
    role_change = entries[3]
    assert (role_change.before["role"], role_change.after["role"]) == ("editor", "admin")
    assert role_change.user == "setup" and role_change.via == "cli"
    exported = events_csv(entries)
    assert PASSWORD not in exported and secret not in exported and "$argon2" not in exported


def test_the_audit_trail_filters_by_user_entity_action_and_date(store) -> None:
    create_user(store, ADMIN, "ed", "editor", PASSWORD)
    create_user(store, cli_actor("other"), "vera", "viewer", PASSWORD)
    set_role(store, ADMIN, "vera", "editor")
    assert list_events(store, AuditFilter(user="other"))[1] == 1
    assert list_events(store, AuditFilter(action="set_role"))[1] == 1
    assert list_events(store, AuditFilter(entity="user", user="setup"))[1] == 2
    today = date.today()
    assert list_events(store, AuditFilter(since=today, until=today))[1] == 3
    assert list_events(store, AuditFilter(until=date(2000, 1, 1)))[1] == 0
    newest, total = list_events(store, limit=1)
    assert total == 3 and newest[0].action == "set_role"


def test_the_database_refuses_to_change_or_delete_audit_records(store) -> None:
    create_user(store, ADMIN, "ed", "editor", PASSWORD)
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError, match="append-only"), store.write() as session:
        session.execute(update(Event).values(action="forged"))
    with pytest.raises(DBAPIError, match="append-only"), store.write() as session:
        session.execute(delete(Event))
    if store.dialect == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), store.write() as session:
            session.execute(text("TRUNCATE event"))
    assert [e.action for e in list_events(store)[0]] == ["create"]
