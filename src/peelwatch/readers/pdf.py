"""PDF reader (not written yet: reports the format as unsupported for now)."""

from __future__ import annotations

from peelwatch.errors import UnsupportedFormatError
from peelwatch.readers.model import Document


def read_pdf(data: bytes, source: str | None = None) -> Document:
    """Placeholder until the PDF reader lands."""
    raise UnsupportedFormatError("PDF reading is not available yet", source=source)
