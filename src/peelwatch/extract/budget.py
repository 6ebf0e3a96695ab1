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

A one-shot command needs none of that machinery: :func:`run_within` with ``fork=True`` forks
one child with :func:`os.fork` and reads its answer from a pipe, without importing
:mod:`multiprocessing` (which, with the sockets, temporary files and compressors it brings in,
cost a tenth of a short command's start-up).
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from peelwatch.errors import ReadError, TimeBudgetError
from peelwatch.extract._lazy import save_startup_caches

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")

# The collector's youngest-generation threshold in an extraction process (Python's default is 700).
# Extracting a large document makes hundreds of thousands of objects that live until it is done
# (lines, blocks, segments): with the default, every 7,000 new objects a middle collection and
# every quarter's growth of the heap a full one walk them again (a sixth of the CPU time of a
# 10 MB document). Collecting the youngest objects every 50,000 instead leaves cyclic garbage a
# little longer; set only in the processes this module starts, which do nothing else.
EXTRACTION_GC_THRESHOLD = 50_000

__all__ = ["EXTRACTION_GC_THRESHOLD", "Worker", "become_extraction_process", "run_within"]


class Worker:
    """A child process that runs one call at a time and is killed when a call overruns.

    Use as a context manager (or call :meth:`close`) so the child ends with its owner.

    ``fork=True`` starts the child as a copy of this process: quick, and safe only in a process
    that holds no threads or connections (a one-shot command); by default children fork from a
    clean server process."""

    def __init__(self, *, fork: bool = False) -> None:
        import multiprocessing

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
        if self._proc is not None and not self._proc.is_alive():
            self.close()  # a child that died since its last call: start afresh
        self.submit(fn, *args)
        return self.receive(budget, source, time.monotonic())

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Queue ``fn(*args)`` in the child (started if need be) without waiting for it.

        The child runs the calls submitted one after another, in order; :meth:`receive` takes
        their answers in the same order. Several calls queued keep the child busy while the
        caller is not there to hand it the next one (a writer holding the interpreter lock)."""
        # a child that has ended is found by receive, which reports it against the call it ran
        conn = self._conn if self._proc is not None else self._start()
        conn.send((fn, args))

    @property
    def connection(self) -> Connection | None:
        """The pipe to the child, to wait on with :func:`multiprocessing.connection.wait`
        (None before the first call)."""
        return self._conn

    @property
    def running(self) -> bool:
        """Whether a child is started (and not stopped since): calls submitted to it are kept."""
        return self._proc is not None

    def receive(self, budget: float, source: str, since: float) -> Any:
        """The answer to the oldest call submitted and not yet received: its result, or the
        exception it raised.

        Raises :class:`~peelwatch.errors.TimeBudgetError` when no answer comes within ``budget``
        seconds of ``since`` (:func:`time.monotonic`; when the call could start: when it was
        submitted or the one before it answered, whichever was later), and
        :class:`~peelwatch.errors.ReadError` if the child dies; in both cases the child is
        stopped and every call still queued in it is lost (submit them again)."""
        conn = self._conn
        if conn is None:
            raise ReadError("reading stopped: the extraction process ended", source)
        if not conn.poll(max(0.0, since + budget - time.monotonic())):
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


def run_within(
    budget: float,
    source: str,
    fn: Callable[..., T],
    *args: Any,
    fork: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> T:
    """``fn(*args)`` in a child process of its own, killed after ``budget`` seconds (see
    :class:`Worker`, also for ``fork``); for a single document, such as an upload.

    ``meanwhile`` is called in this process while a forked child works (its time counts
    against the budget), or before the call otherwise: a command loads what will show the
    answer while the answer is being made."""
    if fork and hasattr(os, "fork") and hasattr(select, "poll"):
        return _run_forked(budget, source, fn, *args, meanwhile=meanwhile)
    if meanwhile is not None:
        meanwhile()
    with Worker(fork=fork) as worker:
        return worker.call(budget, source, fn, *args)


def _run_forked(
    budget: float,
    source: str,
    fn: Callable[..., T],
    *args: Any,
    meanwhile: Callable[[], object] | None = None,
) -> T:
    """``fn(*args)`` in a child forked from this process, as :meth:`Worker.call` answers."""
    deadline = time.monotonic() + budget
    readable, writable = os.pipe()
    _flush_std_streams()  # or the child would write this process's pending output a second time
    # Python's recipe for forking: objects that exist now are left out of the child's garbage
    # collections, which would otherwise visit them all and so copy their memory pages. (Not
    # when the caller froze objects itself: unfreezing after the fork would undo that too.)
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        pid = os.fork()
    except OSError:  # no process to be had: this one is left as it was
        if freeze:
            gc.unfreeze()
        os.close(readable)
        os.close(writable)
        raise
    if pid == 0:  # the child: never returns into the caller's code
        become_extraction_process()
        os.close(readable)
        _answer_and_exit(writable, fn, args)
    if freeze:
        gc.unfreeze()
    os.close(writable)
    try:
        if meanwhile is not None:
            meanwhile()
        data = _read_all(readable, deadline)
    except BaseException:  # interrupted (Ctrl-C), or ``meanwhile`` failed: the child goes too
        _end(pid, kill=True)
        raise
    finally:
        os.close(readable)
    if data is None:
        _end(pid, kill=True)
        raise TimeBudgetError(budget, source)
    code = _end(pid, kill=False)
    if not data:
        raise ReadError(f"reading stopped: the extraction process ended (exit code {code})", source)
    ok, value = pickle.loads(data)
    if ok:
        return value
    raise value


def _answer_and_exit(writable: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> NoReturn:
    """In the forked child: run the call, write ``(True, result)`` or ``(False, exception)``
    pickled to ``writable``, and end without running the parent's exit handlers."""
    code = 1
    try:
        try:
            result: tuple[bool, Any] = (True, fn(*args))
        except Exception as exc:  # sent to the parent, which raises it there
            result = (False, exc)
        save_startup_caches()
        data = memoryview(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(writable, data) :]
        code = 0
    except KeyboardInterrupt:
        code = 130
    except BaseException:  # an answer that cannot be pickled: say why, the parent reports the exit
        import traceback

        traceback.print_exc()
    finally:
        _flush_std_streams()
        os._exit(code)


def _read_all(readable: int, deadline: float) -> bytes | None:
    """Everything written to the pipe until the child closes it, or None once the monotonic
    clock has passed ``deadline`` first."""
    poller = select.poll()
    poller.register(readable, select.POLLIN)
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not poller.poll(max(1, int(left * 1000 + 0.999))):
            return None
        chunk = os.read(readable, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _end(pid: int, *, kill: bool) -> int:
    """Reap the child (killed first if ``kill``); its exit code, negative for a signal."""
    if kill:  # an unreaped child that has ended is still there to be sent a signal
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _flush_std_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (AttributeError, ValueError, OSError):
            pass  # a closed or replaced stream has nothing pending to write twice


def become_extraction_process() -> None:
    """Set this process's garbage collector for extracting documents and nothing else (see
    :data:`EXTRACTION_GC_THRESHOLD`): collection on, whatever the parent chose, and the youngest
    generation collected less often. Only for a process that exists to extract: never in a
    caller's own process."""
    gc.enable()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(EXTRACTION_GC_THRESHOLD, middle, oldest)


def _serve(conn: Connection) -> None:
    """The child's loop: run each call sent, answer ``(True, result)`` or ``(False, exception)``."""
    become_extraction_process()
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
        save_startup_caches()
        conn.send(result)
