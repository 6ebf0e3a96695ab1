"""Regular expressions compiled on first use, and their compiled form kept between processes.

The extractor holds over a hundred patterns, many built from the vocabulary; compiling them all
when a module is imported or a rule set is built cost most of a short command's start-up, while a
short document needs only some of them. A :class:`LazyPattern` is used like the compiled pattern
it stands for.

Compiling the forty or so that a one-line document needs still took about 15 ms of every start,
so what the compiler makes of each pattern (its program for the matching engine) is also kept
in the cache folder (:func:`peelwatch._cache.cache_dir`), in one file per Python version, and
handed straight to the engine by the next process. A copy is only made when
the rebuilt pattern is equal to what :func:`re.compile` gives (same program), and the engine
checks a program before running it; a copy that cannot be read, or a Python whose engine takes
programs differently, simply compiles as before.
"""

from __future__ import annotations

import atexit
import functools
import pickle
import re
import sys
import zlib
from pathlib import Path
from typing import Any

from peelwatch._cache import cache_dir, class_code_store, write_whole

# (flags, program, number of groups, group names to numbers, numbers to names) per pattern.
_Parts = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
# Copies of patterns no longer used (an edited vocabulary builds new ones) are dropped once the
# file holds this many, about three times as many as the extractor declares.
_MAX_KEPT = 600


class LazyPattern:
    """A pattern compiled the first time one of its methods or attributes is asked for.

    After that, the compiled pattern's bound methods sit in the instance's own attributes, so a
    call costs what a call on the compiled pattern costs.
    """

    __slots__ = ("__dict__", "_flags", "_source")

    def __init__(self, source: str, flags: int | re.RegexFlag = 0) -> None:
        self._source = source
        self._flags = flags

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        pattern = self.__dict__.get("_compiled")
        if pattern is None:
            pattern = compiled_patterns().compile(self._source, int(self._flags))
            self.__dict__["_compiled"] = pattern
        return pattern

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not yet in __dict__: compile, then keep the attribute.
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self.compiled(), name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self._source!r}, {self._flags!r})"


def lazy_compile(source: str, flags: int | re.RegexFlag = 0) -> Any:
    """A pattern that compiles ``source`` with ``flags`` when first used (typed as ``Any`` so
    that it stands wherever a ``re.Pattern`` is expected)."""
    return LazyPattern(source, flags)


class PatternStore:
    """Compiled patterns rebuilt from the programs an earlier process kept in ``path``, and new
    ones added for the next (written by :meth:`save`); no file at all when ``path`` is None."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._parts: dict[tuple[str, int], _Parts] = self._read() if path is not None else {}
        self._used: set[tuple[str, int]] = set()
        self._added = False

    def _read(self) -> dict[tuple[str, int], _Parts]:
        assert self.path is not None
        from peelwatch.framework._load import read_pickle

        parts = read_pickle(self.path)  # no usable copy: every pattern compiles
        return parts if isinstance(parts, dict) else {}

    def compile(self, source: str, flags: int) -> re.Pattern[str]:
        """``re.compile(source, flags)``, from the kept program when there is one."""
        flags = int(flags)
        key = (source, flags)
        self._used.add(key)
        parts = self._parts.get(key)
        if parts is not None:
            try:
                return _engine().compile(source, *parts)
            except (TypeError, ValueError, RuntimeError, OverflowError):
                del self._parts[key]  # not a program this engine takes: compile it below
        pattern = re.compile(source, flags)
        if self.path is not None and (parts := _parts_of(source, flags, pattern)) is not None:
            self._parts[key] = parts
            if not self._added:
                self._added = True
                # Written once, when the process ends, rather than after each new pattern.
                atexit.register(self.save)
        return pattern

    def save(self) -> None:
        """Write the kept programs (with those compiled here) for the next process."""
        if self.path is None or not self._added:
            return
        kept = self._parts
        if len(kept) > _MAX_KEPT:
            kept = {key: parts for key, parts in kept.items() if key in self._used}
        write_whole(self.path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        self._added = False


@functools.cache
def compiled_patterns() -> PatternStore:
    """The process's store of compiled patterns, kept beside the framework's cached data."""
    folder = cache_dir()
    if folder is None or _engine() is None:
        return PatternStore(None)
    engine = _engine()
    # Programs are the engine's own: one file per Python version and engine revision.
    tag = f"{sys.version}\0{getattr(engine, 'MAGIC', '')}\0{getattr(engine, 'CODESIZE', '')}"
    return PatternStore(folder / f"patterns-{zlib.crc32(tag.encode()):08x}.pickle")


def save_startup_caches() -> None:
    """Keep what this process compiled (patterns, generated dataclass code) for the next one now:
    for a child process, which ends with :func:`os._exit` and so runs no exit handlers."""
    compiled_patterns().save()
    if class_code_store.cache_info().currsize:  # only a process that made dataclasses through it
        class_code_store().save()


@functools.cache
def _engine() -> Any:
    """CPython's matching engine, which builds a pattern from a compiled program (None elsewhere)."""
    try:
        import _sre
    except ImportError:
        return None
    return _sre if hasattr(_sre, "compile") else None


def _parts_of(source: str, flags: int, pattern: re.Pattern[str]) -> _Parts | None:
    """What the engine needs to rebuild ``pattern``, as ``re`` compiles it; None if the pieces
    of ``re`` this relies on are not there or the rebuilt pattern differs from ``pattern``."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        tree = _parser.parse(source, flags)
        # Plain ints: the compiler's opcodes are named int constants that do not pickle.
        code = [int(op) for op in _compiler._code(tree, flags)]
        names = tree.state.groupdict
        numbers: list[str | None] = [None] * tree.state.groups
        for name, number in names.items():
            numbers[number] = name
        parts: _Parts = (
            int(flags | tree.state.flags),
            code,
            tree.state.groups - 1,
            dict(names),
            tuple(numbers),
        )
        rebuilt = _engine().compile(source, *parts)
    except (ImportError, AttributeError, TypeError, ValueError, RuntimeError):
        return None  # the internals of another Python: do without the copy
    if rebuilt != pattern or rebuilt.groupindex != pattern.groupindex:
        return None
    return parts
