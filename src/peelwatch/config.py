"""Configuration in one place: defaults, overridden by environment variables, then by arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_DB_FILE = "peelwatch.db"
DEFAULT_VIEW_CACHE = 2048
# Seconds one document may take to be read and extracted. Ordinary documents take well under a
# second; the budget only stops hostile or broken input from holding a worker.
DEFAULT_TIME_BUDGET = 30.0
# Ingest writes up to this many documents in one transaction, and commits a batch once its first
# document has waited this many seconds: the commit, the lock and the lookups of a transaction
# were paid per document, and a batch holds the write lock for well under a second.
INGEST_BATCH_DOCS = 32
INGEST_BATCH_SECONDS = 1.0
# An archive (DOCX) may inflate to this share of the upload limit. Its XML is parsed into a tree
# that takes about twenty times the XML's size in memory: 10 MB of document XML already peaks
# near 220 MB, so the default limit of 50 MB allows 10 MB.
INFLATED_SHARE = 0.2
# Threads that compute views (their queries block), by lane: a route's views run in its lane's
# threads, ``view`` unless it names another. Fewer than the database pool keeps (SQLAlchemy's
# default five): with one thread per concurrent request, as the general thread pool gives, every
# request past the fifth opened a new SQLite connection (and read the schema again) and closed it
# afterwards, which cost more than the page itself. On two cores more threads only wait for the
# GIL. The national matrix, the costliest view asked for often, has a lane of one thread: matrix
# requests wait for one another instead of taking the GIL from one another, which cost 8 % more
# CPU a request with four threads (docs/web.md, "Ninth round"), and a page in the other lane
# never waits behind a matrix.
VIEW_LANES = {"view": 4, "matrix": 1}
# A page of a plain list (no filter, search or sort) that ends within this many rows is read on
# the event loop's thread instead, from a SQLite file: its prebuilt statements read no more than
# the page, which costs less than handing it to a view thread and passing the GIL back and forth
# (see docs/web.md, "Cheap reads on the event loop").
INLINE_MAX_ROWS = 1000


def max_inflated(max_bytes: int) -> int:
    """How many bytes the parts of an archive of at most ``max_bytes`` may inflate to, together."""
    return int(max_bytes * INFLATED_SHARE)


def _default_db() -> str:
    return os.environ.get("PEELWATCH_DB") or f"sqlite:///{Path.cwd() / DEFAULT_DB_FILE}"


def _env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    return default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() else default


def _default_max_bytes() -> int:
    raw = os.environ.get("PEELWATCH_MAX_BYTES")
    return int(raw) if raw and raw.isdigit() else DEFAULT_MAX_BYTES


def _default_view_cache() -> int:
    # PEELWATCH_VIEW_CACHE=0 turns the web's view cache off (to measure the queries themselves).
    raw = os.environ.get("PEELWATCH_VIEW_CACHE")
    return int(raw) if raw and raw.isdigit() else DEFAULT_VIEW_CACHE


def _default_time_budget() -> float:
    raw = os.environ.get("PEELWATCH_TIME_BUDGET")
    try:
        value = float(raw) if raw else DEFAULT_TIME_BUDGET
    except ValueError:
        return DEFAULT_TIME_BUDGET
    return value if value > 0 else DEFAULT_TIME_BUDGET


@dataclass(frozen=True)
class Settings:
    """Run-time settings. Build one with :func:`load_settings`; pass it down, never store it globally."""

    db_url: str = field(default_factory=_default_db)
    max_bytes: int = field(default_factory=_default_max_bytes)
    time_budget: float = field(default_factory=_default_time_budget)  # seconds per document
    workers: int = field(default_factory=lambda: max(1, min(os.cpu_count() or 1, 8)))
    # Anonymous visitors may read the extracted record (a local instance is public by default);
    # owners, actions, notes and the audit trail always need a login.
    public: bool = field(default_factory=lambda: _env_flag("PEELWATCH_PUBLIC", True))
    # Session cookies are marked Secure when the request came over HTTPS; force it behind a proxy
    # that does not say so.
    secure_cookies: bool = field(default_factory=lambda: _env_flag("PEELWATCH_SECURE_COOKIES", False))
    session_hours: int = field(default_factory=lambda: _env_int("PEELWATCH_SESSION_HOURS", 12))
    login_limits: LoginLimits = field(default_factory=lambda: LoginLimits())
    view_cache: int = field(default_factory=_default_view_cache)  # entries; 0: no view cache


@dataclass(frozen=True)
class LoginLimits:
    """How many failed logins are allowed per account and per client address within ``window``."""

    per_account: int = field(default_factory=lambda: _env_int("PEELWATCH_LOGIN_PER_ACCOUNT", 5))
    per_address: int = field(default_factory=lambda: _env_int("PEELWATCH_LOGIN_PER_ADDRESS", 20))
    window_seconds: int = field(default_factory=lambda: _env_int("PEELWATCH_LOGIN_WINDOW", 900))


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with any non-``None`` keyword overriding it."""
    base = Settings()
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**{**base.__dict__, **clean}) if clean else base
