"""Ingest: files -> read and extract (in parallel) -> stored, one document per transaction.

Reading and extracting are CPU work and run in a process pool across the cores; writing goes
through one writer (this process), so the database sees one short transaction per document.
A document's identity is the sha256 of its bytes: the same bytes again are reported
``unchanged`` without being extracted again.
"""

from __future__ import annotations

import glob
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError

from peelwatch.config import DEFAULT_MAX_BYTES
from peelwatch.errors import PeelwatchError, ReadError, StoreError
from peelwatch.extract.model import Extraction
from peelwatch.link.linker import LinkIndex, link_document
from peelwatch.store.engine import Store
from peelwatch.store.names import load_framework_or_none
from peelwatch.store.repository import document_id_by_hash, store_extraction

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


Progress = Callable[[int, int, IngestResult], None]


def content_hash(data: bytes) -> str:
    """The identity of a document: the sha256 of its bytes, hex."""
    return hashlib.sha256(data).hexdigest()


def read_and_extract(data: bytes, name: str, max_bytes: int) -> _Extracted:
    """Read bytes into a document and extract it (runs in a worker process)."""
    from peelwatch.extract import extract_document
    from peelwatch.readers import read_bytes

    doc = read_bytes(data, name, max_bytes=max_bytes)
    extraction = extract_document(doc)
    if extraction.title is None:
        extraction.title = doc.title
    if extraction.published is None:
        extraction.published = doc.published
    return _Extracted(
        content_hash=content_hash(data),
        text=doc.text,
        reader=doc.format,
        title=doc.title,
        published=doc.published,
        size=len(data),
        extraction=extraction,
    )


def _extract_path(path: str, max_bytes: int) -> _Extracted:
    """Worker entry point: read the file itself so only a path crosses the process boundary."""
    size = os.path.getsize(path)
    if size > max_bytes:
        from peelwatch.errors import FileTooLargeError

        raise FileTooLargeError(f"file is {size} bytes, over the limit of {max_bytes}", path)
    with open(path, "rb") as fh:
        data = fh.read()
    return read_and_extract(data, path, max_bytes)


def _write(
    store: Store, item: _Extracted, name: str, fw: Any | None, index: LinkIndex | None = None
) -> IngestResult:
    """Store and link one extracted document in its own transaction; ``unchanged`` if the bytes are stored."""
    ext = item.extraction
    index = index if index is not None else LinkIndex()

    def attempt() -> IngestResult:
        try:
            return _store_and_link()
        except Exception:
            index.clear()  # it may hold findings of the rolled-back transaction
            raise

    def _store_and_link() -> IngestResult:
        try:
            with store.write() as session:
                existing = document_id_by_hash(session, item.content_hash)
                if existing is not None:
                    return IngestResult(
                        name, "unchanged", existing, kind=ext.kind, force=ext.force, cycle=ext.cycle
                    )
                stored = store_extraction(
                    session,
                    content_hash=item.content_hash,
                    text=item.text,
                    extraction=ext,
                    source=name,
                    reader=item.reader,
                    size=item.size,
                    fw=fw,
                )
                link_document(session, stored.document_id, index)
                return IngestResult(
                    name, "ingested", stored.document_id, kind=ext.kind, force=ext.force, cycle=ext.cycle
                )
        except IntegrityError:
            # Another process stored the same bytes between our check and our insert.
            with store.read() as session:
                existing = document_id_by_hash(session, item.content_hash)
            if existing is None:
                raise
            return IngestResult(name, "unchanged", existing, kind=ext.kind, force=ext.force, cycle=ext.cycle)

    return store.retry_locked(attempt)


def ingest_bytes(store: Store, data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestResult:
    """Read, extract and store one document given as bytes (an upload).

    Returns status ``ingested`` or ``unchanged`` with the document id. Raises
    :class:`~peelwatch.errors.ReadError` for a bad document; nothing is stored then.
    """
    if len(data) > max_bytes:
        from peelwatch.errors import FileTooLargeError

        raise FileTooLargeError(f"file is {len(data)} bytes, over the limit of {max_bytes}", name)
    digest = content_hash(data)
    with store.read() as session:
        existing = document_id_by_hash(session, digest)
    if existing is not None:
        return IngestResult(name, "unchanged", existing)
    return _write(store, read_and_extract(data, name, max_bytes), name, load_framework_or_none())


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[IngestResult]]:
    """Files named, found under folders (recursively, hidden ones skipped) or matched by globs.

    Returns the files in a stable order without repeats, and a failure for each argument that
    names nothing.
    """
    files: list[Path] = []
    missing: list[IngestResult] = []
    for raw in paths:
        text = os.fspath(raw)
        path = Path(text)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif GLOB_CHARS & set(text):
            matched = sorted(Path(m) for m in glob.glob(text, recursive=True) if Path(m).is_file())
            if matched:
                files.extend(matched)
            else:
                missing.append(IngestResult(text, "failed", reason="no file matches this pattern"))
        else:
            missing.append(IngestResult(text, "failed", reason="no such file or folder"))
    unique = list(dict.fromkeys(files))
    return unique, missing


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


def _extract_all(
    files: list[Path], workers: int, max_bytes: int
) -> Iterator[tuple[Path, _Extracted | BaseException]]:
    """Yield each file's extraction (or the error) as soon as it is ready."""
    if workers <= 1 or len(files) <= 1:
        for path in files:
            try:
                yield path, _extract_path(str(path), max_bytes)
            except Exception as exc:  # reported per file, the run goes on
                yield path, exc
        return
    # forkserver: workers start from a clean process, not a copy of one holding database
    # connections and a progress-bar thread.
    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures: dict[Future[_Extracted], Path] = {
            pool.submit(_extract_path, str(path), max_bytes): path for path in files
        }
        for future in as_completed(futures):
            path = futures[future]
            try:
                yield path, future.result()
            except Exception as exc:
                yield path, exc


def ingest_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int = 1,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestReport:
    """Ingest files, folders and globs; a bad file is reported and the rest go on.

    ``progress(done, total, result)`` is called after each document. Each document is written in
    its own transaction, so an interrupted run leaves only whole documents and a rerun skips them.
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
    pending: list[Path] = []
    with store.read() as session:
        for path in files:
            try:
                digest = _hash_file(path)
            except OSError as exc:
                report(_failure(str(path), exc))
                continue
            existing = document_id_by_hash(session, digest)
            if existing is not None:
                report(IngestResult(str(path), "unchanged", existing))
            else:
                pending.append(path)

    fw = load_framework_or_none()
    index = LinkIndex()  # the linker's run state, kept across the run's documents
    for path, outcome in _extract_all(pending, workers, max_bytes):
        if isinstance(outcome, BaseException):
            report(_failure(str(path), outcome))
            continue
        try:
            report(_write(store, outcome, str(path), fw, index))
        except StoreError:
            raise
        except Exception as exc:  # a write that fails for one document must not lose the others
            report(_failure(str(path), exc))
    order = {name: i for i, name in enumerate([*map(str, files)])}
    results.sort(key=lambda r: order.get(r.name, -1))
    return IngestReport(results)
