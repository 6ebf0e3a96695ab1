"""A DOCX that unpacks to far more than its size is refused with one line before it is parsed.

The archives are built here: repetitive XML deflates about a thousandfold, so a few hundred
kilobytes on disk unpack to hundreds of megabytes. The limit follows the upload limit
(``peelwatch.config.max_inflated``), so a small ``max_bytes`` keeps these tests fast.
"""

from __future__ import annotations

import pytest
from tests.readers.builders import docx_bomb, letter_docx, understate_sizes

from peelwatch.config import max_inflated
from peelwatch.errors import CorruptDocumentError, FileTooLargeError
from peelwatch.readers import read_bytes

LIMIT = 10_000_000  # upload limit: parts may unpack to max_inflated(LIMIT) = 2 MB together


@pytest.mark.parametrize("shape", ["run", "paragraphs"])
def test_a_docx_whose_parts_unpack_past_the_limit_is_refused_in_one_line(shape):
    bomb = docx_bomb(20_000_000, shape)
    assert len(bomb) < LIMIT  # the file itself is well within the upload limit
    with pytest.raises(FileTooLargeError) as raised:
        read_bytes(bomb, "bomb.docx", max_bytes=LIMIT)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("bomb.docx: DOCX unpacks to 20.8 MB,")
    assert message.endswith("over the 1.9 MB limit for unpacked documents")


def test_a_part_that_understates_its_size_is_refused_as_damaged():
    bomb = understate_sizes(docx_bomb(5_000_000, "paragraphs"))
    with pytest.raises(
        CorruptDocumentError,
        match=r"^bomb.docx: DOCX is damaged or truncated \(a part does not match its header\)$",
    ):
        read_bytes(bomb, "bomb.docx", max_bytes=LIMIT)


def test_the_limit_is_a_share_of_the_upload_limit():
    assert max_inflated(50 * 1024 * 1024) == 10 * 1024 * 1024
    # A letter made by python-docx unpacks to some 800 KB (styles and theme): read under a 10 MB
    # upload limit, refused under 2 MB.
    letter = letter_docx()
    assert "Dear Chair" in read_bytes(letter, "letter.docx", max_bytes=LIMIT).text
    with pytest.raises(FileTooLargeError, match="limit for unpacked documents"):
        read_bytes(letter, "letter.docx", max_bytes=2_000_000)
