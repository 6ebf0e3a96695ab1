"""Opening a store: URL checks, engine set-up per backend, and schema migration."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from peelwatch.errors import StoreError

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration's revision. Kept here so that opening an up-to-date database does not
# import Alembic (a second of start-up for every command); a test checks it against the scripts.
HEAD_REVISION = "0017"
SQLITE_BUSY_MS = 30_000
WRITE_LOCK_KEY = 7312025  # PostgreSQL advisory lock held by each write transaction
T = TypeVar("T")


@dataclass
class Store:
    """An open database: the engine, a session factory and what kind of backend it is.

    Use :meth:`read` for queries and :meth:`write` for one atomic unit of change. On SQLite the
    write session starts with ``BEGIN IMMEDIATE`` so two writers queue on the lock instead of
    failing half-way when a read lock cannot be upgraded.
    """

    url: str
    engine: Engine
    _read: sessionmaker[Session] = field(repr=False)
    _write: sessionmaker[Session] = field(repr=False)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; rolled back at the end."""
        with self._read() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session committed at the end of the block, or rolled back on any error.

        Writers are serialised on both backends, so linking a new document sees every document
        committed before it: ``BEGIN IMMEDIATE`` on SQLite, a transaction-scoped advisory lock
        on PostgreSQL (whose READ COMMITTED writers would otherwise miss each other's findings).
        """
        with self._write() as session, session.begin():
            if self.dialect == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            yield session

    def retry_locked(self, fn: Callable[[], T], *, attempts: int = 8) -> T:
        """Run ``fn`` again when SQLite reports the database locked (another writer held it too long)."""
        delay = 0.05
        for attempt in range(attempts):
            try:
                return fn()
            except OperationalError as exc:
                if "locked" not in str(exc).lower() or attempt == attempts - 1:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def normalise_url(url: str) -> URL:
    """Parse a database URL (or a plain file path, taken as SQLite) into an SQLAlchemy URL.

    ``postgresql://`` and ``postgres://`` use psycopg 3. Anything else that is not SQLite or
    PostgreSQL is refused with :class:`StoreError`.
    """
    raw = url.strip()
    if not raw:
        raise StoreError("empty database URL")
    if "://" not in raw:
        if ":" in raw or raw.startswith(("postgres", "sqlite")):
            raise StoreError(
                f"malformed database URL {url!r}: expected sqlite:///FILE or postgresql://HOST/DB"
            )
        return URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise StoreError(f"malformed database URL {url!r}: {exc}") from None
    backend = parsed.get_backend_name()
    if backend == "postgres" or (
        backend == "postgresql" and parsed.get_driver_name() in ("psycopg2", "psycopg", "")
    ):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend == "sqlite":
        parsed = parsed.set(drivername="sqlite")
    else:
        raise StoreError(f"unsupported database URL {url!r}: use sqlite:///FILE or postgresql://HOST/DB")
    return parsed


def _check_sqlite_file(url: URL) -> None:
    """Refuse a SQLite file that cannot be written, with a clear reason.

    The permission bits are checked as well as ``os.access`` because root passes ``os.access``
    for every file, yet a file marked read-only says the owner does not want it changed.
    """
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    parent = path.parent
    if not parent.is_dir():
        raise StoreError(f"database folder {parent} does not exist")
    if path.exists():
        if path.is_dir():
            raise StoreError(f"database path {path} is a folder, not a file")
        mode = path.stat().st_mode
        if not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise StoreError(f"database file {path} is read-only")
    dir_mode = parent.stat().st_mode
    if not os.access(parent, os.W_OK) or not dir_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        # WAL mode needs to create the -wal and -shm files beside the database.
        raise StoreError(f"database folder {parent} is read-only")


def _sqlite_engine(url: URL) -> Engine:
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see _on_begin).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")  # off by default: cascades would silently not happen
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        if url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses no committed data
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("peelwatch_write") else "DEFERRED"
        # Straight to the driver: through ``exec_driver_sql`` the BEGIN cost about as much as a
        # small read's own statement.
        conn.connection.driver_connection.execute(f"BEGIN {mode}")  # type: ignore[union-attr]

    return engine


def _alembic_config(connection: Connection | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of peelwatch knows."""
    return HEAD_REVISION


def script_head() -> str | None:
    """The head revision according to the migration scripts themselves."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database (``None`` for a new database)."""
    with engine.connect() as conn:
        return _revision_on(conn)


def _revision_on(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _check_known(revision: str | None) -> None:
    if revision is None or revision == HEAD_REVISION:
        return
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    script = ScriptDirectory.from_config(_alembic_config())
    try:
        known = script.get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise StoreError(
            f"the database has schema revision {revision!r}, newer than this peelwatch knows "
            f"(newest {head_revision()!r}); upgrade peelwatch"
        )


def migrate(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; return (revision before, revision after).

    Runs under a lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL) so two
    processes opening a new database at once do not both create the tables.
    """
    before = current_revision(engine)
    _check_known(before)
    head = head_revision()
    if before == head:
        return before, head
    with engine.execution_options(peelwatch_write=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7312024)"))
        if _revision_on(conn) != head:
            from alembic import command

            command.upgrade(_alembic_config(conn), "head")
    return before, head


def open_store(url: str | None = None, *, upgrade: bool = True) -> Store:
    """Open (and, if needed, create or migrate) the database at ``url``.

    ``url`` defaults to ``PEELWATCH_DB`` or ``peelwatch.db`` in the current folder. A plain path is
    taken as a SQLite file. Raises :class:`StoreError` for a malformed URL, an unreachable server,
    a read-only file or a schema newer than this peelwatch. With ``upgrade=False`` an older schema
    is refused instead of migrated.
    """
    if url is None:
        from peelwatch.config import load_settings

        url = load_settings().db_url
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_file(parsed)
        engine = _sqlite_engine(parsed)
    else:
        engine = create_engine(parsed, pool_pre_ping=True)
    try:
        if upgrade:
            migrate(engine)
        else:
            rev = current_revision(engine)
            _check_known(rev)
            if rev != head_revision():
                raise StoreError("the database schema is out of date; run 'peelwatch db upgrade'")
        from peelwatch.store.repository import seed_framework

        store = Store(
            url=parsed.render_as_string(hide_password=True),
            engine=engine,
            _read=sessionmaker(engine, expire_on_commit=False),
            _write=sessionmaker(engine.execution_options(peelwatch_write=True), expire_on_commit=False),
        )
        seed_framework(store)
        return store
    except StoreError:
        engine.dispose()
        raise
    except (DBAPIError, OSError) as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
        if "file is not a database" in reason:
            reason = "the file is not a SQLite database"
        raise StoreError(
            f"cannot open database {parsed.render_as_string(hide_password=True)}: {reason}"
        ) from None
