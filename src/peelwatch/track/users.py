"""Users, passwords, login sessions and API tokens: plain functions over a :class:`Store`.

Passwords are hashed with argon2id. Session cookies and API tokens are long random secrets, so a
single SHA-256 of each is what the database keeps: a copy of the database lets nobody log in.
Every change made here needs an admin (or is the user's own login) and appends an audit record
in the same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from peelwatch.config import LoginLimits
from peelwatch.errors import NotFoundError, PeelwatchError
from peelwatch.store.models import ApiToken, AuthSession, LoginAttempt, User
from peelwatch.track.audit import ROLES, Actor, record

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "TOKEN_PREFIX",
    "AuthError",
    "BadPasswordError",
    "LoginFailedError",
    "LoginThrottledError",
    "SessionInfo",
    "TokenInfo",
    "UnknownTokenError",
    "UnknownUserError",
    "UserExistsError",
    "UserInfo",
    "authenticate",
    "create_token",
    "create_user",
    "disable_user",
    "enable_user",
    "end_session",
    "get_user",
    "hash_password",
    "hash_secret",
    "list_tokens",
    "list_users",
    "revoke_token",
    "session_for",
    "set_password",
    "set_role",
    "start_session",
    "token_actor",
    "verify_password",
]

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "pw_"
_HASHER = PasswordHasher()
# Verified against when the account does not exist, so an unknown name costs as long as a wrong
# password and the answer time does not tell which names exist.
_DUMMY_HASH = _HASHER.hash("peelwatch-no-such-user")


class AuthError(PeelwatchError):
    """A problem with a user, a login or a token."""


class UserExistsError(AuthError):
    """A user of that name exists already."""


class UnknownUserError(NotFoundError):
    """No user has that name."""


class UnknownTokenError(NotFoundError):
    """No API token has that id."""


class BadPasswordError(AuthError):
    """The new password is unusable (too short)."""


class LoginFailedError(AuthError):
    """Wrong name or password, or a disabled account (the message never says which)."""


class LoginThrottledError(AuthError):
    """Too many failed logins for this account or from this address; try again later."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many failed logins; try again in {max(1, retry_after // 60)} minutes")


@dataclass(frozen=True)
class UserInfo:
    """A user as shown to people (never with the password hash)."""

    id: int
    name: str
    role: str
    active: bool
    created_at: str


@dataclass(frozen=True)
class TokenInfo:
    """An API token as listed (its secret is shown only once, when created)."""

    id: int
    user: str
    name: str
    role: str
    created_at: str
    revoked_at: str | None


@dataclass(frozen=True)
class SessionInfo:
    """A logged-in browser: who it is and the CSRF token its forms must carry."""

    actor: Actor
    csrf: str


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite gives back naive datetimes; every stored time is UTC
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="seconds")


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``; refuses one shorter than :data:`MIN_PASSWORD_LENGTH`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadPasswordError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (``False`` for a missing or damaged hash)."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def hash_secret(secret: str) -> str:
    """SHA-256 of a random session or token secret (enough: the secret has 256 bits of entropy)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _info(user: User) -> UserInfo:
    return UserInfo(user.id, user.name, user.role, bool(user.active), _iso(user.created_at) or "")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")


def _user(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(User.name == name)).one_or_none()
    if user is None:
        raise UnknownUserError(f"no user is called {name!r}")
    return user


def _public(user: User) -> dict[str, Any]:
    return {"name": user.name, "role": user.role, "active": bool(user.active)}


def create_user(store: Any, actor: Actor, name: str, role: str, password: str) -> UserInfo:
    """Add a user (admins only)."""
    actor.require("admin")
    _check_role(role)
    name = name.strip()
    if not name or len(name) > 120:
        raise AuthError("a user name needs 1 to 120 characters")
    password_hash = hash_password(password)
    with store.write() as session:
        if session.scalars(select(User.id).where(User.name == name)).first() is not None:
            raise UserExistsError(f"a user called {name!r} exists already")
        user = User(name=name, role=role, password_hash=password_hash, active=True, created_at=_now())
        session.add(user)
        session.flush()
        record(session, actor, action="create", entity="user", entity_id=user.id, after=_public(user))
        return _info(user)


def get_user(store: Any, name: str) -> UserInfo:
    """One user by name."""
    with store.read() as session:
        return _info(_user(session, name))


def list_users(store: Any) -> list[UserInfo]:
    """Every user, by name."""
    with store.read() as session:
        return [_info(u) for u in session.scalars(select(User).order_by(User.name))]


def _change(store: Any, actor: Actor, name: str, action: str, **values: Any) -> UserInfo:
    actor.require("admin")
    with store.write() as session:
        user = _user(session, name)
        before = _public(user)
        for key, value in values.items():
            setattr(user, key, value)
        if values.get("active") is False:
            # A disabled user is logged out everywhere at once.
            session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
        session.flush()
        record(
            session,
            actor,
            action=action,
            entity="user",
            entity_id=user.id,
            before=before,
            after=_public(user),
        )
        return _info(user)


def set_role(store: Any, actor: Actor, name: str, role: str) -> UserInfo:
    """Give a user another role (admins only)."""
    _check_role(role)
    return _change(store, actor, name, "set_role", role=role)


def disable_user(store: Any, actor: Actor, name: str) -> UserInfo:
    """Stop a user logging in or using tokens, and end their sessions (admins only)."""
    return _change(store, actor, name, "disable", active=False)


def enable_user(store: Any, actor: Actor, name: str) -> UserInfo:
    """Let a disabled user log in again (admins only)."""
    return _change(store, actor, name, "enable", active=True)


def set_password(store: Any, actor: Actor, name: str, password: str) -> UserInfo:
    """Set a user's password (admins only); their sessions end. The audit record omits the hash."""
    actor.require("admin")
    password_hash = hash_password(password)
    with store.write() as session:
        user = _user(session, name)
        user.password_hash = password_hash
        session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
        record(session, actor, action="set_password", entity="user", entity_id=user.id, after=_public(user))
        return _info(user)


def _failures(session: Session, scope: str, key: str, since: datetime) -> int:
    query = select(func.count(LoginAttempt.id)).where(
        LoginAttempt.scope == scope, LoginAttempt.key == key, LoginAttempt.at >= since
    )
    return int(session.scalar(query) or 0)


def authenticate(store: Any, name: str, password: str, address: str, limits: LoginLimits) -> UserInfo:
    """Check a login; raise :class:`LoginThrottledError` or :class:`LoginFailedError` if refused.

    Failures are stored per account and per address; once either passes its limit within the
    window, logins are refused without looking at the password until old failures age out.
    """
    name = name.strip()[:120]
    address = address[:200]
    since = _now() - timedelta(seconds=limits.window_seconds)
    with store.read() as session:
        throttled = (
            _failures(session, "account", name, since) >= limits.per_account
            or _failures(session, "address", address, since) >= limits.per_address
        )
        user = session.scalars(select(User).where(User.name == name)).one_or_none()
        stored = user.password_hash if user is not None else None
        info = _info(user) if user is not None else None
    if throttled:
        raise LoginThrottledError(limits.window_seconds)
    matches = verify_password(stored, password)
    if info is None or not info.active or not matches:
        with store.write() as session:
            session.execute(delete(LoginAttempt).where(LoginAttempt.at < since))
            session.add(LoginAttempt(scope="account", key=name, at=_now()))
            session.add(LoginAttempt(scope="address", key=address, at=_now()))
        raise LoginFailedError("wrong name or password")
    return info


def start_session(store: Any, user: UserInfo, hours: int, via: str = "web") -> tuple[str, SessionInfo]:
    """Open a login session; returns the cookie secret (shown once) and the session."""
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    actor = Actor(name=user.name, role=user.role, user_id=user.id, via=via)
    with store.write() as session:
        session.execute(delete(AuthSession).where(AuthSession.expires_at < now))
        session.execute(
            delete(LoginAttempt).where(LoginAttempt.scope == "account", LoginAttempt.key == user.name)
        )
        session.add(
            AuthSession(
                token_hash=hash_secret(secret),
                user_id=user.id,
                csrf=csrf,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
        record(session, actor, action="login", entity="user", entity_id=user.id)
    return secret, SessionInfo(actor=actor, csrf=csrf)


def session_for(store: Any, secret: str, via: str = "web") -> SessionInfo | None:
    """The live session of a cookie secret, or ``None`` (unknown, expired, or user disabled)."""
    if not secret:
        return None
    with store.read() as session:
        row = session.execute(
            select(AuthSession.csrf, User.id, User.name, User.role)
            .join(User, User.id == AuthSession.user_id)
            .where(
                AuthSession.token_hash == hash_secret(secret),
                AuthSession.expires_at > _now(),
                User.active.is_(True),
            )
        ).first()
    if row is None:
        return None
    csrf, user_id, name, role = row
    return SessionInfo(actor=Actor(name=name, role=role, user_id=user_id, via=via), csrf=csrf)


def end_session(store: Any, secret: str) -> None:
    """Log a session out (nothing happens for an unknown secret)."""
    info = session_for(store, secret)
    with store.write() as session:
        session.execute(delete(AuthSession).where(AuthSession.token_hash == hash_secret(secret)))
        if info is not None:
            record(session, info.actor, action="logout", entity="user", entity_id=info.actor.user_id)


def _token_info(token: ApiToken, user_name: str) -> TokenInfo:
    return TokenInfo(
        token.id, user_name, token.name, token.role, _iso(token.created_at) or "", _iso(token.revoked_at)
    )


def create_token(store: Any, actor: Actor, user: str, name: str, role: str) -> tuple[TokenInfo, str]:
    """Issue an API token for ``user`` with ``role`` (admins only); the secret is returned once.

    A token never acts above its user's role at the time it is used.
    """
    actor.require("admin")
    _check_role(role)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.write() as session:
        owner = _user(session, user)
        token = ApiToken(
            token_hash=hash_secret(secret), user_id=owner.id, name=name.strip()[:120] or "token", role=role
        )
        token.created_at = _now()
        session.add(token)
        session.flush()
        info = _token_info(token, owner.name)
        record(
            session,
            actor,
            action="create",
            entity="api_token",
            entity_id=token.id,
            after={"user": owner.name, "name": token.name, "role": role},
        )
    return info, secret


def list_tokens(store: Any, user: str | None = None) -> list[TokenInfo]:
    """API tokens (never their secrets), optionally of one user."""
    query = select(ApiToken, User.name).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if user is not None:
        query = query.where(User.name == user)
    with store.read() as session:
        return [_token_info(token, owner) for token, owner in session.execute(query)]


def revoke_token(store: Any, actor: Actor, token_id: int) -> TokenInfo:
    """Revoke a token for good (admins only)."""
    actor.require("admin")
    with store.write() as session:
        row = session.execute(
            select(ApiToken, User.name).join(User, User.id == ApiToken.user_id).where(ApiToken.id == token_id)
        ).first()
        if row is None:
            raise UnknownTokenError(f"no API token has id {token_id}")
        token, owner = row
        before = _token_info(token, owner).revoked_at
        if token.revoked_at is None:
            token.revoked_at = _now()
        session.flush()
        record(
            session,
            actor,
            action="revoke",
            entity="api_token",
            entity_id=token.id,
            before={"revoked_at": before},
            after={"revoked_at": _iso(token.revoked_at)},
        )
        return _token_info(token, owner)


def token_actor(store: Any, secret: str) -> Actor | None:
    """The actor behind a Bearer token, or ``None`` (unknown, revoked, or user disabled).

    The role is the lower of the token's and its user's.
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    with store.read() as session:
        row = session.execute(
            select(ApiToken.role, ApiToken.token_hash, User.id, User.name, User.role)
            .join(User, User.id == ApiToken.user_id)
            .where(
                ApiToken.token_hash == hash_secret(secret),
                ApiToken.revoked_at.is_(None),
                User.active.is_(True),
            )
        ).first()
    if row is None or not hmac.compare_digest(row[1], hash_secret(secret)):
        return None
    token_role, _hash, user_id, name, user_role = row
    role = min(token_role, user_role, key=ROLES.index)
    return Actor(name=name, role=role, user_id=user_id, via="api")
