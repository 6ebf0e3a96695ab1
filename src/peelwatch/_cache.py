"""Where peelwatch keeps what one process worked out for the next, and the code of generated
dataclass methods kept there.

The extractor, the readers and the framework define some sixty dataclasses. Creating one makes
Python generate the source of its ``__init__``, ``__repr__``, ``__eq__`` and the rest and compile
each with :func:`exec`: about 320 small compilations, 30-50 ms of every short command's start-up,
always giving the same code. Inside :func:`cached_class_code` the dataclasses made compile each
generated source once; the code is kept in the cache folder (one file per Python build) and the
next process runs the kept code, which is what compiling the same source again would give. A copy
that is missing, damaged or written by another Python is not used: the source is compiled as
without this module.

This module imports nothing of peelwatch, so that a command can enter :func:`cached_class_code`
before importing the modules whose classes it should cover.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import CodeType

__all__ = ["ClassCodeStore", "cache_dir", "cached_class_code", "class_code_store", "write_whole"]

# Compiled code is only valid for the Python build that compiled it.
_BUILD = f"{sys.version}\0{sys.implementation.cache_tag}\0{sys.hexversion}\0{marshal.version}"
# When a file holds more than this (far more than the sixty-odd classes peelwatch's commands
# create), only the sources used by the process writing it are kept.
_MAX_KEPT = 2000
# Copies of one kind (framework data, stems, patterns...) kept for different versions at once, so
# that a few installations sharing the folder do not rebuild each other's.
_KEPT_PER_KIND = 6


def cache_dir() -> Path | None:
    """Where copies are kept between processes: ``$PEELWATCH_CACHE``, else
    ``$XDG_CACHE_HOME/peelwatch`` or ``~/.cache/peelwatch``; None (nothing kept) when
    ``PEELWATCH_CACHE`` is set to empty.

    Read here rather than in peelwatch.config because the framework package, which keeps its
    parsed data there, depends on nothing else of peelwatch but its errors and this module.
    """
    raw = os.environ.get("PEELWATCH_CACHE")
    if raw is not None:
        return Path(raw) if raw else None
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "peelwatch"


class ClassCodeStore:
    """Code compiled from generated sources, read from what an earlier process kept at ``path``
    and written back with this process's additions by :meth:`save`; no file at all when
    ``path`` is None."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._codes: dict[str, CodeType] = self._read()
        self._used: set[str] = set()
        self._added = False

    def _read(self) -> dict[str, CodeType]:
        if self.path is None:
            return {}
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        # The build first, then a checksum of the rest: marshal is not asked to read code made by
        # another Python, nor a file cut short or damaged.
        build, _, rest = data.partition(b"\n")
        if build != _BUILD.encode().replace(b"\n", b" ") or len(rest) < 4:
            return {}
        checksum, payload = int.from_bytes(rest[:4], "big"), rest[4:]
        if zlib.crc32(payload) != checksum:
            return {}
        try:
            codes = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return {}
        return codes if isinstance(codes, dict) else {}

    def compile(self, source: str) -> CodeType:
        """``compile(source, "<string>", "exec")`` as :func:`exec` compiles a source given to it
        by the dataclasses module (which uses no ``__future__`` features), or the kept copy."""
        self._used.add(source)
        code = self._codes.get(source)
        if code is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self._codes[source] = code
            self._added = True
        return code

    def save(self) -> None:
        """Write the kept code, with what this process compiled and what another process wrote
        meanwhile, for the next process."""
        if self.path is None or not self._added:
            return
        kept = {**self._read(), **self._codes}
        if len(kept) > _MAX_KEPT:
            kept = {source: code for source, code in kept.items() if source in self._used}
        payload = marshal.dumps(kept)
        header = _BUILD.encode().replace(b"\n", b" ") + b"\n" + zlib.crc32(payload).to_bytes(4, "big")
        write_whole(self.path, header + payload)
        self._added = False


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a file beside it renamed into place, so that a process
    reading at the same time sees all of it or none; nothing is written on a read-only or full
    disk, which costs the next process start-up time, never correctness. Older copies of the same
    kind beyond the newest few are removed (:func:`_prune_siblings`)."""
    try:
        import tempfile  # only when something new is kept: its imports cost start-up time

        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.stem}-", delete=False) as fh:
            fh.write(data)
        os.replace(fh.name, path)
        _prune_siblings(path, _KEPT_PER_KIND)
    except OSError:
        pass


def _prune_siblings(path: Path, keep: int) -> None:
    """Remove all but the ``keep`` newest files of ``path``'s kind beside it.

    Each version of the data files or the code writes copies under new names (``framework-<hash>``
    and so on); without this the folder would grow by a few files with every upgrade. A copy
    removed while another installation still uses it is only rebuilt by that installation.
    """
    kind = path.name.split("-", 1)[0]
    ages: list[tuple[float, Path]] = []
    for sibling in path.parent.glob(f"{kind}-*{path.suffix}"):
        with contextlib.suppress(FileNotFoundError):  # removed by another process meanwhile
            ages.append((sibling.stat().st_mtime, sibling))
    ages.sort(reverse=True)
    for _, old in ages[keep:]:
        if old != path:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()


@functools.cache
def class_code_store() -> ClassCodeStore:
    """The process's store of generated dataclass code, kept in :func:`cache_dir`."""
    folder = cache_dir()
    if folder is None:
        return ClassCodeStore(None)
    name = f"classcode-{sys.implementation.cache_tag}-{zlib.crc32(_BUILD.encode()):08x}.marshal"
    return ClassCodeStore(folder / name)


@contextlib.contextmanager
def cached_class_code() -> Iterator[None]:
    """Within: dataclasses compile each method source they generate once, kept for the next
    process (see the module's docstring). What is new is written when the block ends; a forked
    child that ends with :func:`os._exit` saves through :meth:`ClassCodeStore.save` itself."""
    import dataclasses

    store = class_code_store()
    if store.path is None or "exec" in vars(dataclasses):  # nothing to keep, or already inside
        yield
        return

    def exec_kept(source: str | CodeType, globals: dict | None = None, locals: dict | None = None, /) -> None:
        exec(store.compile(source) if isinstance(source, str) else source, globals, locals)

    # The dataclasses module calls exec by its global name: a module attribute of that name is
    # found first. Only for the duration of the block, so the module is as Python left it after.
    dataclasses.exec = exec_kept  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del dataclasses.exec  # type: ignore[attr-defined]
        store.save()
