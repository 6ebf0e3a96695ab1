"""Readers: turn the bytes of a text file, HTML page, PDF or DOCX into a :class:`Document`.

Every failure is a :class:`~peelwatch.errors.ReadError` subclass with a short reason; the format
readers are imported only when a document of their format arrives, so reading a text file does
not pay for loading the PDF, DOCX or HTML libraries.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from peelwatch.config import max_inflated
from peelwatch.errors import FileTooLargeError, ReadError
from peelwatch.readers._builder import clean
from peelwatch.readers.detect import detect_format
from peelwatch.readers.model import Block, Document, SourceSegment

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Block",
    "Document",
    "SourceSegment",
    "detect_format",
    "path_problem",
    "read_bytes",
    "read_file",
    "size_text",
    "too_large",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Longer "titles" are whole paragraphs set in large type; keep the start only.
_MAX_META = 300


def size_text(size: int) -> str:
    """A byte count as people write it: "820 bytes", "12.5 KB", "50 MB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.1f} KB".replace(".0 KB", " KB")
    return f"{size} bytes"


def too_large(size: int | None, max_bytes: int) -> str:
    """The one message for a file over the size limit; ``size`` is None for an upload refused
    while it arrives, before its size is known."""
    if size is None:
        return f"file is over the {size_text(max_bytes)} upload limit"
    return f"file is {size_text(size)}, over the {size_text(max_bytes)} limit"


def _check_size(size: int, max_bytes: int, source: str | None) -> None:
    if size > max_bytes:
        raise FileTooLargeError(too_large(size, max_bytes), source=source)


def path_problem(path: str | os.PathLike[str], max_bytes: int | None = None) -> ReadError | None:
    """What stops the file at ``path`` from being read, as the error to raise or report, or None.

    The one description of a path's problem, so that ``extract``, ``ingest`` (named files and
    folders alike) and the upload say the same thing for the same condition. The size is
    checked only when ``max_bytes`` is given.
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        return ReadError("no such file or folder", source=str(path))
    except OSError as exc:
        return ReadError(f"cannot open file ({exc.strerror or exc})", source=str(path))
    except ValueError:
        # A NUL character in the path: the operating system cannot even look it up.
        return ReadError("invalid file name", source=repr(str(path)))
    if stat.S_ISDIR(info.st_mode):
        return ReadError("is a directory, not a file", source=str(path))
    if not stat.S_ISREG(info.st_mode):
        # Reading a pipe or a device could block for ever or never end.
        return ReadError("not a regular file", source=str(path))
    if max_bytes is not None and info.st_size > max_bytes:
        return FileTooLargeError(too_large(info.st_size, max_bytes), source=str(path))
    return None


def read_bytes(data: bytes, name: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read ``data`` (named ``name``, used as the Document's source) into a Document.

    Raises a ReadError subclass, never anything else, when the bytes cannot be read: too large,
    empty, not a supported format, encrypted or damaged.
    """
    if not isinstance(data, bytes):
        data = bytes(data)  # a bytearray or memoryview from a caller's buffer
    _check_size(len(data), max_bytes, name)
    if not data:
        raise ReadError("empty file", source=name)
    try:
        fmt = detect_format(data, name)
        if fmt == "docx":
            from peelwatch.readers.docx import read_docx

            doc = read_docx(data, name, max_inflated=max_inflated(max_bytes))
        else:
            doc = _reader(fmt)(data, name)
    except ReadError as exc:
        if exc.source is None and name is not None:
            # Readers do not know the file name; add it so the message says which file failed.
            raise type(exc)(exc.reason, source=name) from exc
        raise
    doc.title = _one_line(doc.title)
    doc.published = _one_line(doc.published)
    doc.site = _one_line(doc.site)
    return doc


def _one_line(value: str | None) -> str | None:
    """Metadata as one clean line: titles come from metadata fields that may hold anything."""
    if value is None:
        return None
    value = " ".join(clean(value).split())[:_MAX_META]
    return value or None


def _reader(fmt: str) -> Callable[[bytes, str | None], Document]:
    """The reader function for ``fmt``, imported on first use."""
    if fmt == "text":
        from peelwatch.readers.text import read_text

        return read_text
    if fmt == "html":
        from peelwatch.readers.html import read_html

        return read_html
    if fmt == "pdf":
        from peelwatch.readers.pdf import read_pdf

        return read_pdf
    from peelwatch.readers.docx import read_docx

    return read_docx


def read_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read the file at ``path`` into a Document whose source is the file name.

    The size is checked before the file is read, so an oversized file costs nothing.
    """
    path = Path(path)
    problem = path_problem(path, max_bytes)
    if problem is not None:
        raise problem
    try:
        data = path.read_bytes()
    except PermissionError as exc:
        raise ReadError("permission denied", source=str(path)) from exc
    except OSError as exc:
        raise ReadError(f"cannot read file ({exc.strerror or exc})", source=str(path)) from exc
    return read_bytes(data, path.name, max_bytes=max_bytes)
