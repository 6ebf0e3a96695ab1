"""What the readers say when they cannot read something: one ReadError with a short reason."""

from __future__ import annotations

import os
import random

import pytest
from tests.readers.builders import html_bytes, letter_docx, paragraphs_pdf, text_bytes

from peelwatch.errors import (
    EncryptedDocumentError,
    FileTooLargeError,
    ReadError,
    UnsupportedFormatError,
)
from peelwatch.readers import detect_format, read_bytes, read_file


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (text_bytes(), "notes.txt", "text"),
        (html_bytes(), "page.html", "html"),
        (paragraphs_pdf(), "report.pdf", "pdf"),
        (letter_docx(), "letter.docx", "docx"),
        # The content decides, whatever the name says.
        (paragraphs_pdf(), "report.txt", "pdf"),
        (letter_docx(), None, "docx"),
        (b"<p>A fragment of a page</p>", None, "html"),
        (b"<body><p>Hello</p></body>", "notes.txt", "html"),
        # A text file that merely mentions a tag stays text when its name says so.
        (b"Use <p> for paragraphs.", "howto.txt", "text"),
        (b"Plain words, no markup.", "page.html", "html"),
        (text_bytes(encoding="utf-16-le", bom=True), "wide.txt", "text"),
    ],
)
def test_detect_format(data, name, expected):
    assert detect_format(data, name) == expected


def test_random_bytes_are_not_a_document():
    noise = random.Random(7).randbytes(4000)
    with pytest.raises(UnsupportedFormatError, match="not a text, HTML, PDF or DOCX document"):
        detect_format(noise, "mystery.bin")
    with pytest.raises(UnsupportedFormatError):
        read_bytes(noise, "mystery.bin")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(50), "PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(50), "old Word"),
        (b"PK\x03\x04" + bytes(50), "ZIP archive but not a DOCX"),
    ],
)
def test_other_formats_are_named(data, reason):
    with pytest.raises(UnsupportedFormatError, match=reason):
        read_bytes(data, "upload")


def test_password_protected_word_file():
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100) + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EncryptedDocumentError, match="DOCX is encrypted"):
        read_bytes(fake, "locked.docx")


def test_errors_name_the_file():
    with pytest.raises(ReadError) as caught:
        read_bytes(b"", "empty.txt")
    assert str(caught.value) == "empty.txt: empty file"
    assert caught.value.reason == "empty file"


def test_oversize_bytes_are_refused_before_reading():
    with pytest.raises(FileTooLargeError, match=r"file is 2 KB, over the 1 KB limit"):
        read_bytes(b"x" * 2048, "big.txt", max_bytes=1024)


def test_oversize_file_is_refused_from_its_size_alone(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        # A sparse file: 61.2 MB on paper, nothing on disk, so the test stays fast.
        handle.truncate(int(61.2 * 1024 * 1024))
    with pytest.raises(FileTooLargeError, match=r"file is 61.2 MB, over the 50 MB limit"):
        read_file(big)


def test_read_file_uses_the_file_name_as_source(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(text_bytes())
    doc = read_file(path)
    assert doc.source == "notes.txt"
    assert doc.format == "text"


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read_file(tmp_path / "absent.pdf")


def test_directory_is_not_a_file(tmp_path):
    with pytest.raises(ReadError, match="is a directory"):
        read_file(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_bytes(b"secret")
    path.chmod(0)
    with pytest.raises(ReadError, match="permission denied"):
        read_file(path)


def test_empty_file_on_disk(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match="empty file"):
        read_file(path)


def test_a_pipe_is_not_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match="not a regular file"):
        read_file(fifo)


def test_path_with_a_nul_character():
    with pytest.raises(ReadError, match="invalid file name"):
        read_file("report\x00.pdf")
