"""Plain text files: decoding, exact characters, and the blocks a reader can find in them."""

from __future__ import annotations

import pytest
from tests.readers.builders import PLAIN_REPORT, text_bytes

from peelwatch.errors import ReadError
from peelwatch.readers import read_bytes


def kinds(doc):
    return [(b.kind, doc.block_text(b)) for b in doc.blocks]


def test_utf8_text_keeps_every_visible_character():
    doc = read_bytes(text_bytes(), "review.txt")
    assert doc.format == "text"
    assert doc.source == "review.txt"
    assert doc.text == PLAIN_REPORT
    assert "“urgent” requests – and" in doc.text
    assert "quick.\tSome tabs" in doc.text
    assert doc.warnings == []


def test_utf8_bom_is_stripped():
    doc = read_bytes(text_bytes(bom=True), "review.txt")
    assert doc.text == PLAIN_REPORT
    assert not doc.text.startswith("\ufeff")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding):
    doc = read_bytes(text_bytes(encoding=encoding, bom=True), "review.txt")
    assert doc.text == PLAIN_REPORT


def test_cp1252_with_curly_quotes_and_pound_sign_is_decoded_with_a_warning():
    note = "The plan costs £2.4m and is “on track” – the board’s view.\n"
    doc = read_bytes(note.encode("cp1252"), "note.txt")
    assert doc.text == note
    assert doc.warnings == ["not valid UTF-8; decoded as cp1252"]


def test_utf8_with_one_bad_byte_stays_utf8():
    # A file that is UTF-8 throughout except for one stray byte, e.g. text cut mid-character.
    data = "Café menus – “daily”.\n".encode() + b"Price \xa3 5\n"
    doc = read_bytes(data, "menu.txt")
    assert doc.text == "Café menus – “daily”.\nPrice \ufffd 5\n"
    assert doc.warnings == ["not valid UTF-8; 1 character replaced"]


def test_invalid_utf8_never_fails():
    data = b"Mostly fine text \xff\xfe\xfa with bad bytes.\n"
    doc = read_bytes(data, "bad.txt")
    assert doc.text.startswith("Mostly fine text ")
    assert doc.warnings and doc.warnings[0].startswith("not valid UTF-8")


def test_windows_and_old_mac_line_ends_become_newlines():
    doc = read_bytes(b"First line\r\nSecond line\rThird line\n", "x.txt")
    assert doc.text == "First line\nSecond line\nThird line\n"


def test_segments_point_at_byte_offsets_of_lines():
    data = "Café opens\r\n\r\nThe £5 fee\n".encode()
    doc = read_bytes(data, "x.txt")
    second = doc.text.index("The")
    locator = doc.locate(second)
    assert locator is not None
    assert data[int(locator.split(":")[1]) :].startswith("The £5".encode())


def test_blocks_headings_paragraphs_lists_and_tab_rows():
    doc = read_bytes(text_bytes(), "review.txt")
    found = kinds(doc)
    assert found[0] == ("heading", "Summary of the review")
    assert found[1][0] == "paragraph" and found[1][1].startswith("The review looked")
    assert ("heading", "What should change") in found
    items = [(b.level, doc.block_text(b)) for b in doc.blocks if b.kind == "list_item"]
    assert items == [
        (1, "Keep a log of every\n  request that is refused"),
        (1, "Tell people why"),
        (2, "in writing"),
        (1, "Review the log monthly"),
    ]
    rows = [doc.cell_texts(b) for b in doc.blocks if b.kind == "table_row"]
    assert rows == [["Measure", "Before", "After"], ["Median wait", "12 days", "4 days"]]


def test_lettered_items_and_a_wrapped_paragraph():
    text = (
        "The board agreed the following steps at its meeting, after a long discussion\n"
        "of the options put to it by the review team.\n"
        "\n"
        "a) publish the figures\n"
        "b) meet again in June\n"
    )
    doc = read_bytes(text.encode(), "minutes.txt")
    assert [b.kind for b in doc.blocks] == ["paragraph", "list_item", "list_item"]
    assert doc.block_text(doc.blocks[1]) == "publish the figures"


def test_a_sentence_on_its_own_is_not_a_heading():
    doc = read_bytes(b"This line is a full sentence.\n\nAnother one follows here.\n", "x.txt")
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


def test_whitespace_only_file_warns():
    doc = read_bytes(b"  \n\n\t\n", "blank.txt")
    assert doc.text.strip() == ""
    assert "no readable text" in doc.warnings


def test_empty_file_is_an_error():
    with pytest.raises(ReadError, match="empty file"):
        read_bytes(b"", "empty.txt")


def test_characters_no_document_shows_are_dropped():
    # A NUL far into the file (one near the start would mark it as binary), a private-use
    # symbol-font bullet and a form feed between pages.
    opening = b"An opening line of ordinary words.\n" * 300
    data = opening + b"First page ends here.\x0cSecond page\x00 starts.\n\xef\x80\xb7 item\n"
    doc = read_bytes(data, "pages.txt")
    assert doc.text == opening.decode() + "First page ends here.\nSecond page starts.\n item\n"
    second = doc.text.index("Second")
    # The form feed split one line of the file in two; both halves point at its start.
    assert doc.locate(second) == f"byte:{len(opening)}"
