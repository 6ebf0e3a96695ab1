"""A small cache of views and rendered pages, dropped whenever the database changes.

The record changes only when documents are ingested (here or by the CLI in another process), so
most page views recompute the same answer. Each entry remembers the database's *version*: for a
SQLite file, the size and modification time of the database and its write-ahead log, which every
commit changes; for other databases, a time bucket. An entry older than ``max_age`` seconds is
dropped in any case, which bounds how stale a page can be if a change ever went unnoticed.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def sqlite_file(db_url: str) -> Path | None:
    """The database file of a SQLite URL (or plain path); ``None`` for other databases."""
    from peelwatch.store.engine import normalise_url

    url = normalise_url(db_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


class ViewCache:
    """Thread-safe LRU of computed values, each valid for one database version.

    ``max_entries=0`` keeps nothing: every view is computed again (how the benchmarks measure
    the queries themselves).
    """

    def __init__(self, db_url: str, *, max_entries: int = 2048, max_age: float = 30.0) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self._file = sqlite_file(db_url)
        self._entries: OrderedDict[Hashable, tuple[Hashable, float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def enabled(self) -> bool:
        """Whether anything is kept (``max_entries`` above 0)."""
        return self.max_entries > 0

    def version(self) -> Hashable:
        """A value that changes whenever the database is written."""
        if self._file is None:
            return int(time.monotonic() // 2)  # other databases: two-second buckets
        parts: list[int] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(f"{self._file}{suffix}")
                parts += [st.st_size, st.st_mtime_ns]
            except OSError:
                parts += [-1, -1]
        return tuple(parts)

    def lookup(self, key: Hashable) -> tuple[bool, Any, Hashable]:
        """``(found, value, version)``; on a miss, store the computed value under ``version``."""
        if self.max_entries <= 0:
            self.misses += 1
            return False, None, None
        version = self.version()
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == version and now - entry[1] < self.max_age:
                self._entries.move_to_end(key)
                self.hits += 1
                return True, entry[2], version
            self.misses += 1
        return False, None, version

    def store(self, key: Hashable, version: Hashable, value: Any) -> None:
        """Remember ``value`` as computed at database ``version`` (read before computing it)."""
        if self.max_entries <= 0:
            return
        with self._lock:
            self._entries[key] = (version, time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key`` for the current database version, computing it if needed."""
        found, value, version = self.lookup(key)
        if found:
            return value  # type: ignore[no-any-return]
        # Computed outside the lock: two requests may compute the same value, harmlessly. The
        # version was read first, so a write during the computation makes the entry stale at once.
        value = compute()
        self.store(key, version, value)
        return value

    def clear(self) -> None:
        """Forget everything (after this process wrote to the database)."""
        with self._lock:
            self._entries.clear()
