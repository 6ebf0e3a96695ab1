"""The per-document time budget: reading and extracting one document in a child process that is
killed when it runs over.

Extraction grows linearly with the document, but a reader library or a rule could still meet an
input that makes it slow, and a check inside every loop (a cooperative deadline) would have to be
in every loop of every library. A process can always be stopped: a :class:`Worker` runs one call
at a time in a child process and, when the call takes longer than the budget, kills the child
and raises :class:`~peelwatch.errors.TimeBudgetError`. The next call starts a fresh child. A
worker is kept for many documents, so its start-up (importing the readers, loading the
vocabularies) is paid once, not per document; passing a document to the child and its
extraction back costs a pickle each way.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from peelwatch.errors import ReadError, TimeBudgetError
from peelwatch.extract._lazy import compiled_patterns

T = TypeVar("T")

__all__ = ["Worker", "run_within"]


class Worker:
    """A child process that runs one call at a time and is killed when a call overruns.

    Use as a context manager (or call :meth:`close`) so the child ends with its owner.

    ``fork=True`` starts the child as a copy of this process: quick, and safe only in a process
    that holds no threads or connections (a one-shot command); by default children fork from a
    clean server process."""

    def __init__(self, *, fork: bool = False) -> None:
        if fork and "fork" in multiprocessing.get_all_start_methods():
            self._ctx = multiprocessing.get_context("fork")
        else:
            # forkserver: a child starts from a clean process, never a copy of one holding database
            # connections, server threads or a progress-bar thread
            self._ctx = multiprocessing.get_context("forkserver")
            # children fork from a server that has imported and warmed the extractor once (takes
            # effect when this process starts its fork server, which is then shared by every worker)
            self._ctx.set_forkserver_preload(["peelwatch.extract._warm"])
        self._proc: Any = None
        self._conn: Connection | None = None

    def _start(self) -> Connection:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_serve, args=(child,), daemon=True, name="peelwatch-extract")
        try:
            proc.start()
        finally:
            child.close()
        self._proc = proc
        self._conn = parent
        return parent

    def call(self, budget: float, source: str, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in the child; its result, or the exception it raised.

        Raises :class:`~peelwatch.errors.TimeBudgetError` (the child killed) when ``budget``
        seconds pass first, and :class:`~peelwatch.errors.ReadError` if the child dies (killed
        for memory, say)."""
        conn = self._conn if self._proc is not None and self._proc.is_alive() else None
        conn = conn or self._start()
        conn.send((fn, args))
        if not conn.poll(budget):
            self.close()
            raise TimeBudgetError(budget, source)
        try:
            ok, value = conn.recv()
        except (EOFError, OSError):
            code = self._proc.exitcode if self._proc is not None else None
            self.close()
            raise ReadError(
                f"reading stopped: the extraction process ended (exit code {code})", source
            ) from None
        if ok:
            return value
        raise value

    def close(self) -> None:
        """Stop the child (if any)."""
        if self._proc is not None:
            if self._proc.is_alive():
                self._proc.kill()
            self._proc.join()
            self._proc = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_within(budget: float, source: str, fn: Callable[..., T], *args: Any, fork: bool = False) -> T:
    """``fn(*args)`` in a child process of its own, killed after ``budget`` seconds (see
    :class:`Worker`, also for ``fork``); for a single document, such as an upload."""
    with Worker(fork=fork) as worker:
        return worker.call(budget, source, fn, *args)


def _serve(conn: Connection) -> None:
    """The child's loop: run each call sent, answer ``(True, result)`` or ``(False, exception)``."""
    while True:
        try:
            fn, args = conn.recv()
        except EOFError:
            return
        try:
            result = (True, fn(*args))
        except Exception as exc:  # sent to the parent, which raises it there
            result = (False, exc)
        # A child ends by being killed or by os._exit, never through atexit: the patterns it
        # compiled are kept for the next process now, before the parent can stop it.
        compiled_patterns().save()
        conn.send(result)
