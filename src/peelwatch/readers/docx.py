"""DOCX reader (not written yet: reports the format as unsupported for now)."""

from __future__ import annotations

from peelwatch.errors import UnsupportedFormatError
from peelwatch.readers.model import Document


def read_docx(data: bytes, source: str | None = None) -> Document:
    """Placeholder until the DOCX reader lands."""
    raise UnsupportedFormatError("DOCX reading is not available yet", source=source)
