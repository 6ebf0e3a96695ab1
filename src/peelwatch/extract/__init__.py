"""Extraction: a :class:`~peelwatch.readers.Document` in, an :class:`Extraction` out.

Stages, in order: metadata (kind, force, cycle, date) -> judgments (sentences, then layout:
tables, grade lines) -> findings and responses -> discharges -> statistics. Every fact keeps the
character span it came from and an ``evidence`` string that is an exact substring of the text.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from peelwatch.errors import PeelwatchError, ReadError
from peelwatch.extract.model import (
    Discharge,
    Extraction,
    Finding,
    Judgment,
    Response,
    Statistic,
    Unattached,
)
from peelwatch.readers import Document

__all__ = [
    "Discharge",
    "Extraction",
    "Finding",
    "Judgment",
    "Response",
    "Statistic",
    "Unattached",
    "extract_bytes",
    "extract_document",
    "extract_file",
    "extract_folder",
    "extract_with_reader_meta",
]


def extract_document(doc: Document) -> Extraction:
    """Everything ``doc`` states: kind, force, cycle, judgments, findings, responses and more."""
    from peelwatch.extract.pipeline import run

    return run(doc)


def extract_with_reader_meta(doc: Document) -> Extraction:
    """:func:`extract_document`, with the title and date the reader found in the file's own
    metadata where the text gives none (what ingest stores)."""
    extraction = extract_document(doc)
    if extraction.title is None:
        extraction.title = doc.title
    if extraction.published is None:
        extraction.published = doc.published
    return extraction


def extract_bytes(data: bytes, name: str | None = None, *, max_bytes: int | None = None) -> Extraction:
    """Read ``data`` (any supported format) and extract it. Raises ReadError subclasses."""
    from peelwatch.config import DEFAULT_MAX_BYTES
    from peelwatch.readers import read_bytes

    doc = read_bytes(data, name, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    return extract_document(doc)


def extract_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int | None = None,
    time_budget: float | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> Extraction:
    """Read the file at ``path`` and extract it. Raises ReadError subclasses on bad input.

    With ``time_budget`` (seconds) the work runs in a child process of this one, killed when it
    takes longer, which raises :class:`~peelwatch.errors.TimeBudgetError`; the child is a copy of
    this process, so call it so only where this process holds no threads or connections (a
    command). ``None``: here, no limit. ``meanwhile`` is called in this process while the child
    works (before the work when there is no child): see
    :func:`~peelwatch.extract.budget.run_within`."""
    if time_budget is None:
        if meanwhile is not None:
            meanwhile()
        return _read_and_extract_file(path, max_bytes)
    # The extractor's modules are imported here, once, rather than by every child forked below.
    from peelwatch.extract import pipeline  # noqa: F401
    from peelwatch.extract.budget import run_within

    return run_within(
        time_budget, str(path), _read_and_extract_file, path, max_bytes, fork=True, meanwhile=meanwhile
    )


def _read_and_extract_file(path: str | os.PathLike[str], max_bytes: int | None) -> Extraction:
    from peelwatch.config import DEFAULT_MAX_BYTES
    from peelwatch.readers import read_file

    doc = read_file(path, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    return extract_document(doc)


def iter_documents(folder: Path) -> list[Path]:
    """Every regular file under ``folder`` (recursively), sorted, hidden files skipped."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def extract_folder(
    folder: str | os.PathLike[str],
    *,
    max_bytes: int | None = None,
    progress: bool | Callable[[Path], None] = False,
) -> tuple[list[Extraction], list[tuple[str, str]]]:
    """Extract every file under ``folder``. Returns the extractions and (file, reason) failures;
    a bad file never stops the rest."""
    paths = iter_documents(Path(folder))
    results: list[Extraction] = []
    failures: list[tuple[str, str]] = []
    for path in _with_progress(paths, progress):
        try:
            results.append(extract_file(path, max_bytes=max_bytes))
        except ReadError as exc:
            failures.append((str(path), exc.reason))
        except PeelwatchError as exc:
            failures.append((str(path), str(exc)))
    return results, failures


def _with_progress(paths: list[Path], progress: bool | Callable[[Path], None]) -> Iterable[Path]:
    if callable(progress):
        for p in paths:
            progress(p)
            yield p
        return
    if not progress:
        yield from paths
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("Extracting", total=len(paths))
        for p in paths:
            yield p
            bar.advance(task)
