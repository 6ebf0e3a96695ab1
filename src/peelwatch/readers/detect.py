"""Decide what kind of document some bytes are, from their content first and their name second."""

from __future__ import annotations

import re

from peelwatch.errors import EncryptedDocumentError, UnsupportedFormatError

FORMATS = ("text", "html", "pdf", "docx")

NOT_A_DOCUMENT = "not a text, HTML, PDF or DOCX document"

# Magic numbers of formats people are likely to hand us by mistake; naming them helps the user.
_KNOWN_BINARY: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Excel (OLE) file; save it as DOCX or PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image, not a document"),
    (b"\xff\xd8\xff", "a JPEG image, not a document"),
    (b"GIF87a", "a GIF image, not a document"),
    (b"GIF89a", "a GIF image, not a document"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"{\\rtf", "an RTF document; save it as DOCX or PDF"),
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Word saves a password-protected DOCX as an OLE container holding this stream (UTF-16 name).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"

# Tags that only HTML has; any of them near the top settles it.
_STRONG_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
# Tags that also turn up in text *about* HTML; the file name can overrule them.
_WEAK_HTML = re.compile(rb"<(?:p|div|h[1-6]|table|ul|ol|br|article|main|section)[\s>/]", re.IGNORECASE)

_TEXT_SUFFIXES = (".txt", ".text", ".md", ".csv", ".tsv")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")

# Control bytes other than tab, newline, vertical tab, form feed and carriage return never
# appear in a real text file in any single-byte or UTF-8 encoding.
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32)) + b"\x7f"


def _suffix(name: str | None) -> str:
    if not name:
        return ""
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def _control_count(sample: bytes) -> int:
    """Number of bytes in ``sample`` that are control characters a text file would not contain."""
    return len(sample) - len(sample.translate(None, _CONTROL_BYTES))


def utf16_without_bom(sample: bytes) -> str | None:
    """Name the UTF-16 byte order if ``sample`` looks like BOM-less UTF-16 of mostly ASCII text."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    # ASCII text in UTF-16 has a zero in every other byte; demand most of them to be sure.
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def looks_like_text(data: bytes) -> bool:
    """True if ``data`` reads as text in some encoding rather than as binary."""
    if data.startswith(_UTF16_BOMS) or utf16_without_bom(data[:4096]):
        return True
    sample = data[:8192]
    # A stray control byte or two can happen in a pasted document; a binary file has plenty.
    return b"\x00" not in sample and _control_count(sample) <= max(2, len(sample) // 100)


def _html_head(data: bytes) -> bytes:
    """The first KB of ``data`` as bytes in which ASCII tags can be searched, whatever the encoding."""
    head = data[:2048]
    if head.startswith(_UTF16_BOMS) or utf16_without_bom(head):
        # UTF-16 interleaves zeros with ASCII; dropping them leaves searchable tags.
        head = head.replace(b"\x00", b"")
    return head[:1024]


def detect_format(data: bytes, name: str | None = None) -> str:
    """Return "text", "html", "pdf" or "docx" for ``data``.

    The content decides (magic bytes, HTML tags in the first KB); the extension of ``name`` only
    breaks ties. Raises UnsupportedFormatError for anything else, e.g. images or random bytes,
    and EncryptedDocumentError for a password-protected Word file.
    """
    suffix = _suffix(name)
    head = data[:1024]
    # Some producers put junk before the header; PDF readers accept it within the first KB.
    if head.startswith(b"%PDF") or b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, suffix)
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_PACKAGE in data:
        raise EncryptedDocumentError("DOCX is encrypted")
    for magic, what in _KNOWN_BINARY:
        if data.startswith(magic):
            raise UnsupportedFormatError(f"{what}")
    if not looks_like_text(data):
        raise UnsupportedFormatError(NOT_A_DOCUMENT)
    html_head = _html_head(data)
    if _STRONG_HTML.search(html_head):
        return "html"
    if _WEAK_HTML.search(html_head) and suffix not in _TEXT_SUFFIXES:
        return "html"
    if suffix in _HTML_SUFFIXES:
        return "html"
    return "text"


def _zip_format(data: bytes, suffix: str) -> str:
    """A ZIP file is a DOCX if it holds the main Word part; the local headers name it in clear."""
    if b"word/document.xml" in data or suffix == ".docx":
        # A .docx that lost its main part is a damaged DOCX, which the DOCX reader reports.
        return "docx"
    raise UnsupportedFormatError("a ZIP archive but not a DOCX document")
