"""Ingest: files -> read and extract (in parallel) -> stored, a few documents per transaction.

Reading and extracting are CPU work and run in extraction processes; writing goes through one
writer (this process), which stores a batch of extracted documents in one short transaction
(each document whole or not at all, as the batch is).
A document's identity is the sha256 of its bytes: the same bytes again are reported
``unchanged`` without being extracted again.
"""

from __future__ import annotations

import glob
import hashlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peelwatch.config import DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET, INGEST_BATCH_DOCS, INGEST_BATCH_SECONDS
from peelwatch.errors import PeelwatchError, ReadError, StoreError
from peelwatch.extract.model import Extraction
from peelwatch.link.linker import LinkIndex, LinkSummary, link_documents
from peelwatch.store.engine import Store
from peelwatch.store.names import load_framework_or_none
from peelwatch.store.repository import (
    AreaKeys,
    Names,
    StoredDocument,
    WriteBatch,
    area_keys_of,
    document_id_by_hash,
    documents_by_hash,
    store_extraction,
)
from peelwatch.track.from_documents import apply_document_statuses

if TYPE_CHECKING:
    from peelwatch.extract.budget import Worker

Status = Literal["ingested", "unchanged", "failed"]
GLOB_CHARS = set("*?[")


@dataclass(slots=True)
class IngestResult:
    """What happened to one document."""

    name: str
    status: Status
    document_id: int | None = None
    reason: str | None = None
    kind: str | None = None
    force: str | None = None
    cycle: str | None = None


def _result(name: str, status: Status, document_id: int, ext: Extraction) -> IngestResult:
    """A stored or already stored document's result, with what its extraction decided."""
    return IngestResult(name, status, document_id, kind=ext.kind, force=ext.force, cycle=ext.cycle)


# Called with the write session and the result of a newly stored document, inside its transaction.
OnStored = Callable[[Any, IngestResult], None]


@dataclass(slots=True)
class IngestReport:
    """The results of one ingest run, in input order."""

    results: list[IngestResult] = field(default_factory=list)

    def count(self, status: Status) -> int:
        """How many documents ended with ``status``."""
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[IngestResult]:
        """The failures, each with its reason."""
        return [r for r in self.results if r.status == "failed"]


@dataclass(slots=True)
class _Extracted:
    """A worker's output: everything the writer needs, picklable."""

    content_hash: str
    text: str
    reader: str | None
    title: str | None
    published: str | None
    size: int
    extraction: Extraction
    area_keys: AreaKeys | None = None


Progress = Callable[[int, int, IngestResult], None]


def content_hash(data: bytes) -> str:
    """The identity of a document: the sha256 of its bytes, hex."""
    return hashlib.sha256(data).hexdigest()


def read_and_extract(data: bytes, name: str, max_bytes: int) -> _Extracted:
    """Read bytes into a document and extract it (runs in a worker process)."""
    from peelwatch.extract import extract_with_reader_meta
    from peelwatch.readers import read_bytes

    doc = read_bytes(data, name, max_bytes=max_bytes)
    extraction = extract_with_reader_meta(doc)
    return _Extracted(
        content_hash=content_hash(data),
        text=doc.text,
        reader=doc.format,
        title=doc.title,
        published=doc.published,
        size=len(data),
        extraction=extraction,
        # here, in the extraction process, not in the one writer: a tenth of its work
        area_keys=area_keys_of(extraction, doc.text),
    )


def _extract_path(path: str, max_bytes: int) -> _Extracted:
    """Worker entry point: read the file itself so only a path crosses the process boundary."""
    from peelwatch.readers import path_problem

    problem = path_problem(path, max_bytes)
    if problem is not None:
        raise problem
    with open(path, "rb") as fh:
        data = fh.read()
    return read_and_extract(data, path, max_bytes)


def store_document(
    session: Session,
    *,
    content_hash: str,
    text: str,
    extraction: Extraction,
    source: str | None,
    reader: str | None = None,
    size: int = 0,
    fw: Any | None = None,
    index: LinkIndex | None = None,
    link: bool = True,
    area_keys: AreaKeys | None = None,
    held: WriteBatch | None = None,
) -> StoredDocument:
    """Everything storing one document means, inside the caller's transaction.

    The facts are stored, the findings linked to the record (restatements, recurrences,
    discharges), how sure the kind decision was is recorded, and the statuses the document states
    become dated events of the findings it speaks of. With ``link=False`` only the facts are
    stored: the caller links a batch of documents together afterwards (:func:`link_stored`).
    ``area_keys``: the findings' area keys worked out while extracting (see
    :func:`~peelwatch.store.repository.area_keys_of`). ``held``: a batch whose rows are inserted
    together (see :class:`~peelwatch.store.repository.WriteBatch`), flushed here before linking.
    """
    stored = store_extraction(
        session,
        content_hash=content_hash,
        text=text,
        extraction=extraction,
        source=source,
        reader=reader,
        size=size,
        fw=fw,
        with_kind=True,
        area_keys=area_keys,
        held=held,
    )
    if link:
        if held is not None:
            held.flush(session.connection())
        link_stored(session, [stored.document_id], index)
    return stored


def link_stored(session: Session, document_ids: list[int], index: LinkIndex | None = None) -> LinkSummary:
    """Link stored documents into the record and date the statuses they state, in the caller's
    transaction: one pass for a batch, ending where one document after another would."""
    linked = link_documents(session, document_ids, index if index is not None else LinkIndex())
    for document_id in document_ids:
        apply_document_statuses(session, document_id)
    # a statement stored earlier may only now name its finding (the finding arrived with these)
    for document_id in linked.statements_moved:
        if document_id not in document_ids:
            apply_document_statuses(session, document_id)
    return linked


def _write(
    store: Store,
    item: _Extracted,
    name: str,
    fw: Any | None,
    on_stored: OnStored | None = None,
    index: LinkIndex | None = None,
    names: Names | None = None,
) -> IngestResult:
    """Store and link one extracted document in its own transaction; ``unchanged`` if the bytes are stored.

    ``on_stored(session, result)`` runs inside that transaction (the audit record of an upload)."""
    ext = item.extraction
    index = index if index is not None else LinkIndex()
    try:
        return _write_batch(store, [(name, item)], fw, on_stored, index, names)[0]
    except IntegrityError:
        # Another process stored the same bytes between our check and our insert.
        with store.read() as session:
            existing = document_id_by_hash(session, item.content_hash)
        if existing is None:
            raise
        return _result(name, "unchanged", existing, ext)


def _write_batch(
    store: Store,
    batch: list[tuple[str, _Extracted]],
    fw: Any | None,
    on_stored: OnStored | None,
    index: LinkIndex,
    names: Names | None = None,
) -> list[IngestResult]:
    """Store and link extracted documents in one transaction, in order; ``unchanged`` for bytes
    stored already (or earlier in the batch). Raises whatever one of them raised, nothing stored.

    ``names``: the forces and cycles committed batches found by name, given to this one and
    added to once it is committed."""
    held = WriteBatch()

    def attempt() -> list[IngestResult]:
        nonlocal held
        try:
            with store.write() as session:
                # Checked again inside the write lock: another process may have stored them since.
                known = documents_by_hash(session, [item.content_hash for _, item in batch])
                # the batch's rows, one INSERT per table for all its documents
                held = WriteBatch(names=dict(names) if names is not None else {})
                results = [_store_one(session, name, item, known, fw, held) for name, item in batch]
                held.flush(session.connection())
                new = [r for r in results if r.status == "ingested"]
                if new:
                    # linked once all are stored: one pass, where one per document repeated the
                    # index lookups, the link writes and each force's discharge matching
                    link_stored(session, [r.document_id for r in new if r.document_id is not None], index)
                if on_stored is not None:
                    for result in new:
                        on_stored(session, result)
                return results
        except Exception:
            index.clear()  # it may hold rows of the rolled-back transaction
            raise

    results = store.retry_locked(attempt)
    if names is not None:  # committed: its rows exist for the run's later batches
        names.update(held.names)
    return results


def _store_one(
    session: Session,
    name: str,
    item: _Extracted,
    known: dict[str, int],
    fw: Any | None,
    held: WriteBatch,
) -> IngestResult:
    ext = item.extraction
    existing = known.get(item.content_hash)
    if existing is not None:
        return _result(name, "unchanged", existing, ext)
    stored = store_document(
        session,
        content_hash=item.content_hash,
        text=item.text,
        extraction=ext,
        source=name,
        reader=item.reader,
        size=item.size,
        fw=fw,
        link=False,
        area_keys=item.area_keys,
        held=held,
    )
    known[item.content_hash] = stored.document_id
    return _result(name, "ingested", stored.document_id, ext)


def _write_all(
    store: Store,
    batch: list[tuple[str, _Extracted]],
    fw: Any | None,
    on_stored: OnStored | None,
    index: LinkIndex,
    names: Names | None = None,
) -> list[IngestResult]:
    """Store a batch in one transaction; when that fails, each document in a transaction of its
    own, so a document that cannot be written fails alone (with its error) and the others are stored."""
    if len(batch) == 1:
        return _write_each(store, batch, fw, on_stored, index, names)
    try:
        return _write_batch(store, batch, fw, on_stored, index, names)
    except StoreError:
        raise
    except Exception:
        # Written again one by one, which reports this error against the document that raised it.
        return _write_each(store, batch, fw, on_stored, index, names)


def _write_each(
    store: Store,
    batch: list[tuple[str, _Extracted]],
    fw: Any | None,
    on_stored: OnStored | None,
    index: LinkIndex,
    names: Names | None = None,
) -> list[IngestResult]:
    results = []
    for name, item in batch:
        try:
            results.append(_write(store, item, name, fw, on_stored, index, names))
        except StoreError:
            raise
        except Exception as exc:  # a write that fails for one document must not lose the others
            results.append(_failure(name, exc))
    return results


def ingest_bytes(
    store: Store,
    data: bytes,
    name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_stored: OnStored | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> IngestResult:
    """Read, extract and store one document given as bytes (an upload).

    Returns status ``ingested`` or ``unchanged`` with the document id. Raises
    :class:`~peelwatch.errors.ReadError` for a bad document, and its
    :class:`~peelwatch.errors.TimeBudgetError` when reading and extracting take longer than
    ``time_budget`` seconds (run in a child process then; ``None``: in this process, no limit);
    nothing is stored then.
    """
    if len(data) > max_bytes:
        from peelwatch.errors import FileTooLargeError
        from peelwatch.readers import too_large

        raise FileTooLargeError(too_large(len(data), max_bytes), name)
    digest = content_hash(data)
    with store.read() as session:
        existing = document_id_by_hash(session, digest)
    if existing is not None:
        return IngestResult(name, "unchanged", existing)
    if time_budget is None:
        extracted = read_and_extract(data, name, max_bytes)
    else:
        from peelwatch.extract.budget import run_within

        extracted = run_within(time_budget, name, read_and_extract, data, name, max_bytes)
    return _write(store, extracted, name, load_framework_or_none(), on_stored)


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[IngestResult]]:
    """Files named, found under folders (recursively, hidden ones skipped) or matched by globs.

    Returns the files in a stable order without repeats, and a failure for each argument that
    names nothing.
    """
    from peelwatch.readers import path_problem

    files: list[Path] = []
    missing: list[IngestResult] = []
    for raw in paths:
        text = os.fspath(raw)
        path = Path(text)
        if path.is_dir():
            found, skipped = _walk_folder(path)
            files.extend(found)
            missing.extend(skipped)
        elif path.is_file():
            files.append(path)
        elif GLOB_CHARS & set(text) and not path.exists():
            matched = sorted(Path(m) for m in glob.glob(text, recursive=True) if Path(m).is_file())
            if matched:
                files.extend(matched)
            else:
                missing.append(IngestResult(text, "failed", reason="no file matches this pattern"))
        else:
            problem = path_problem(path)
            missing.append(IngestResult(text, "failed", reason=problem.reason if problem else None))
    unique = list(dict.fromkeys(files))
    return unique, missing


LINK_OUTSIDE = "symbolic link to outside the folder; not followed"


def _walk_folder(folder: Path) -> tuple[list[Path], list[IngestResult]]:
    """The files under ``folder`` (hidden ones skipped), and one failure per entry not read.

    A symbolic link is followed only when it leads to somewhere inside the folder: a folder
    holding a link to /etc/passwd must not put the password file in the database. Pipes,
    sockets and devices are reported as the ``extract`` command reports them.
    """
    from peelwatch.readers import path_problem

    root = folder.resolve()
    files: list[Path] = []
    skipped: list[IngestResult] = []
    for here, folders, names in os.walk(folder):  # does not descend into linked folders
        folders[:] = [name for name in folders if not name.startswith(".")]
        visible = [name for name in names if not name.startswith(".")]
        for name in [*folders, *visible]:
            path = Path(here, name)
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                skipped.append(IngestResult(str(path), "failed", reason=LINK_OUTSIDE))
            elif name in visible:
                problem = path_problem(path)
                if problem is None:
                    files.append(path)
                else:
                    skipped.append(IngestResult(str(path), "failed", reason=problem.reason))
    files.sort()
    skipped.sort(key=lambda result: result.name)
    return files, skipped


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _failure(name: str, exc: BaseException) -> IngestResult:
    if isinstance(exc, ReadError):
        reason = exc.reason
    elif isinstance(exc, PeelwatchError | OSError):
        reason = str(exc)
    else:
        # An extractor bug must not stop the folder: report it as this file's failure.
        reason = f"internal error: {type(exc).__name__}: {exc}"
    return IngestResult(name, "failed", reason=reason)


def _extract_processes(workers: int, cpus: int | None = None) -> int:
    """How many extracting processes ``workers`` means beside the writer: at most the cores
    less one (the writer's), at least one.

    This process writes while the pool extracts; extracting processes past the free cores only
    took turns with the writer, the slower stage, and made two workers slower than one.
    """
    return max(1, min(workers, (cpus or os.cpu_count() or 1) - 1))


def _extract_all(
    files: list[Path],
    workers: int,
    max_bytes: int,
    time_budget: float | None = None,
    ahead: int = 2 * INGEST_BATCH_DOCS,
) -> Iterator[tuple[Path, _Extracted | BaseException]]:
    """Yield each file's extraction (or the error) as soon as it is ready.

    With a time budget each file is extracted in a process stopped at the deadline. Without one,
    and with one spare core or none, extraction runs here between writes: a single extracting
    process beside the writer saved less than it cost to start and to pickle its results.
    """
    if time_budget is not None:
        yield from _extract_budgeted(files, workers, max_bytes, time_budget, ahead)
        return
    if _extract_processes(workers) <= 1 or len(files) <= 1:
        for path in files:
            try:
                yield path, _extract_path(str(path), max_bytes)
            except Exception as exc:  # reported per file, the run goes on
                yield path, exc
        return
    # forkserver: workers start from a clean process, not a copy of one holding database
    # connections and a progress-bar thread.
    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=_extract_processes(workers), mp_context=ctx) as pool:
        futures: dict[Future[_Extracted], Path] = {
            pool.submit(_extract_path, str(path), max_bytes): path for path in files
        }
        for future in as_completed(futures):
            path = futures[future]
            try:
                yield path, future.result()
            except Exception as exc:
                yield path, exc


def _extract_budgeted(
    files: list[Path], workers: int, max_bytes: int, budget: float, ahead: int = 2 * INGEST_BATCH_DOCS
) -> Iterator[tuple[Path, _Extracted | BaseException]]:
    """As :func:`_extract_all`, each file in one of the budgeted extraction processes
    ``workers`` means (:func:`_extract_processes`), which a file over the budget has killed (and
    replaced).

    Each process has up to ``ahead`` files queued in it, so it goes on extracting while the
    caller writes what it was given (a batch); this process hands files over and takes
    extractions back only between the caller's writes, never from a thread that would wait for
    the interpreter lock the writer holds. A file's budget counts from when its process could
    start on it: when it was queued, or when the answer before it was taken, whichever is later
    (so never less than the budget, at most a batch's write more)."""
    from multiprocessing.connection import wait

    from peelwatch.extract.budget import Worker

    count = max(1, min(_extract_processes(workers), len(files)))
    pool = [_Feed(Worker()) for _ in range(count)]
    todo = deque(files)
    left = len(files)
    try:
        while left:
            for feed in pool:
                feed.top_up(todo, ahead, max_bytes)
                while feed.failed:
                    left -= 1
                    yield feed.failed.popleft()
            busy = [feed for feed in pool if feed.queued]
            if not busy:
                continue
            soonest = min(feed.deadline(budget) for feed in busy)
            ready = wait([feed.worker.connection for feed in busy], max(0.0, soonest - time.monotonic()))
            for feed in busy:
                if feed.worker.connection in ready or feed.deadline(budget) <= time.monotonic():
                    left -= 1
                    yield feed.take(budget, todo)
    finally:
        for feed in pool:
            feed.worker.close()


@dataclass(slots=True)
class _Feed:
    """One budgeted extraction process and the files queued in it, oldest first."""

    worker: Worker
    queued: deque[tuple[Path, float]] = field(default_factory=deque)  # each file, and when sent
    answered: float = 0.0  # when the last answer was taken
    failed: deque[tuple[Path, BaseException]] = field(default_factory=deque)  # files it could not be given

    def top_up(self, todo: deque[Path], ahead: int, max_bytes: int) -> None:
        """Queue files from ``todo`` until ``ahead`` are queued (a file the process cannot be
        given is kept in ``failed`` with the error)."""
        while todo and len(self.queued) < ahead:
            path = todo[0]
            try:
                self.worker.submit(_extract_path, str(path), max_bytes)
            except OSError as exc:
                if self.queued:  # the process has ended: taking the answers tells on which file
                    return
                todo.popleft()
                self.worker.close()
                self.failed.append((path, exc))
                continue
            todo.popleft()
            self.queued.append((path, time.monotonic()))

    def deadline(self, budget: float) -> float:
        """When the oldest file queued runs over the budget."""
        return max(self.queued[0][1], self.answered) + budget

    def take(self, budget: float, todo: deque[Path]) -> tuple[Path, _Extracted | BaseException]:
        """The oldest file's extraction or error; when its process was stopped (over the budget)
        or has died, the files queued behind it go back to the front of ``todo``."""
        path, sent = self.queued.popleft()
        try:
            outcome: _Extracted | BaseException = self.worker.receive(
                budget, str(path), max(sent, self.answered)
            )
        except Exception as exc:  # reported per file, the run goes on
            outcome = exc
            if not self.worker.running:
                todo.extendleft(reversed([p for p, _sent in self.queued]))
                self.queued.clear()
        self.answered = time.monotonic()
        return path, outcome


def ingest_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int = 1,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_stored: OnStored | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    batch: int = INGEST_BATCH_DOCS,
) -> IngestReport:
    """Ingest files, folders and globs; a bad file is reported and the rest go on.

    Each file is read and extracted in an extraction process that is stopped when it takes longer
    than ``time_budget`` seconds (the file then fails, nothing of it stored); ``None`` runs without
    a budget, in this process with one worker.

    ``progress(done, total, result)`` is called after each document once it is committed;
    ``on_stored(session, result)`` inside each new document's transaction (the audit record).
    Extracted documents are written ``batch`` at a time in one transaction (sooner when the first
    has waited ``INGEST_BATCH_SECONDS``), so an interrupted run leaves only whole documents and a
    rerun skips them; when a batch fails, its documents are written one per transaction and only
    the one at fault fails.
    """
    files, results = expand_paths(paths)
    total = len(files) + len(results)
    done = 0
    for result in results:
        done += 1
        if progress:
            progress(done, total, result)

    def report(result: IngestResult) -> None:
        nonlocal done
        done += 1
        results.append(result)
        if progress:
            progress(done, total, result)

    # Skip stored bytes before extracting: hashing is far cheaper than reading a PDF.
    hashed: list[tuple[Path, str | OSError]] = []
    for path in files:
        try:
            hashed.append((path, _hash_file(path)))
        except OSError as exc:
            hashed.append((path, exc))
    with store.read() as session:  # one query per 500 files, not one per file
        stored = documents_by_hash(session, [digest for _path, digest in hashed if isinstance(digest, str)])
    pending: list[Path] = []
    for path, digest in hashed:
        if isinstance(digest, OSError):
            report(_failure(str(path), digest))
        elif digest in stored:
            report(IngestResult(str(path), "unchanged", stored[digest]))
        else:
            pending.append(path)

    fw = load_framework_or_none()
    index = LinkIndex()  # the linker's run state, kept across the run's documents
    names: Names = {}  # forces and cycles by name, as committed batches found them
    waiting: list[tuple[str, _Extracted]] = []
    since = 0.0
    # two batches queued ahead in each extraction process: it goes on while the writer writes one
    for path, outcome in _extract_all(pending, workers, max_bytes, time_budget, 2 * batch):
        if isinstance(outcome, BaseException):
            report(_failure(str(path), outcome))
            continue
        if not waiting:
            since = time.monotonic()
        waiting.append((str(path), outcome))
        if len(waiting) >= batch or time.monotonic() - since >= INGEST_BATCH_SECONDS:
            for result in _write_all(store, waiting, fw, on_stored, index, names):
                report(result)
            waiting = []
    for result in _write_all(store, waiting, fw, on_stored, index, names) if waiting else []:
        report(result)
    order = {name: i for i, name in enumerate([*map(str, files)])}
    results.sort(key=lambda r: order.get(r.name, -1))
    return IngestReport(results)
