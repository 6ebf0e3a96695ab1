"""DOCX letters: the body in order, with headings, list items and table rows."""

from __future__ import annotations

import io
import zipfile

import pytest
from tests.readers.builders import letter_docx
from tests.readers.plain_to_formats import to_docx

from peelwatch.errors import CorruptDocumentError
from peelwatch.readers import read_bytes


@pytest.fixture(scope="module")
def letter():
    return read_bytes(letter_docx(), "letter.docx")


def test_body_is_read_in_order_with_its_structure(letter):
    assert letter.format == "docx"
    assert letter.title == "Response to the review"
    found = [(b.kind, b.level, letter.block_text(b)) for b in letter.blocks if b.kind != "table_row"]
    assert found == [
        ("heading", 1, "Response to the review"),
        ("paragraph", 0, "Dear Chair,"),
        ("paragraph", 0, "Thank you for the report. This letter sets out what we will do – and by when."),
        ("heading", 1, "Our actions"),
        ("list_item", 1, "Train every supervisor by June."),
        ("list_item", 1, "Publish the results each quarter."),
        ("list_item", 2, "Including the waiting times."),
        ("heading", 2, "Progress so far"),
        ("list_item", 1, "First step agreed."),
        ("list_item", 1, "A bullet typed by hand."),
        ("paragraph", 0, "Yours sincerely,"),
    ]


def test_text_reads_like_a_plain_text_copy_of_the_letter(letter):
    """List items one a line with the marker Word shows, nested ones indented; table rows one a
    line; a blank line between other blocks."""
    assert letter.text == (
        "Response to the review\n\n"
        "Dear Chair,\n\n"
        "Thank you for the report. This letter sets out what we will do – and by when.\n\n"
        "Our actions\n\n"
        "• Train every supervisor by June.\n"
        "• Publish the results each quarter.\n"
        "  ◦ Including the waiting times.\n\n"
        "Progress so far\n\n"
        "Action\tStatus\n"
        "Training\tStarted\n"
        "Reporting\tNot started\n\n"
        "1. First step agreed.\n"
        "• A bullet typed by hand.\n\n"
        "Yours sincerely,"
    )


def test_numbered_lists_show_the_numbers_word_shows():
    """Each numbered list starts where its numbering says (here, the second list restarts at 4);
    items count on within a list."""
    source = "Our plan\n\n1. Hire call handlers\n2. Train them\n\nLater steps\n\n4. Review the rota\n5. Report back\n"
    doc = read_bytes(to_docx(source), "plan.docx")
    assert "1. Hire call handlers\n2. Train them" in doc.text
    assert "4. Review the rota\n5. Report back" in doc.text


def test_word_bullet_numbering_shows_plain_bullets():
    """Word writes bullets as a numbering definition whose glyph is in the Symbol font (a
    private-use character no text may hold) and "o" for the second level: shown as • and ◦."""
    source = (
        "Points\n\n• First point made here\n    • A detail of the first point\n• Second point made here\n"
    )
    doc = read_bytes(to_docx(source, direct_numbering=True), "points.docx")
    assert doc.text == (
        "Points\n\n• First point made here\n  ◦ A detail of the first point\n• Second point made here"
    )
    levels = [b.level for b in doc.blocks if b.kind == "list_item"]
    assert levels == [1, 2, 1]


def test_table_rows_keep_their_place_and_cells(letter):
    kinds = [b.kind for b in letter.blocks]
    first_row = kinds.index("table_row")
    assert letter.block_text(letter.blocks[first_row - 1]) == "Progress so far"
    rows = [letter.cell_texts(b) for b in letter.blocks if b.kind == "table_row"]
    assert rows == [["Action", "Status"], ["Training", "Started"], ["Reporting", "Not started"]]
    assert "Reporting\tNot started" in letter.text


def test_segments_give_the_body_index(letter):
    heading = next(b for b in letter.blocks if letter.block_text(b) == "Our actions")
    assert letter.locate(heading.start) == "docx:3"


def test_truncated_docx_is_damaged():
    data = letter_docx()
    with pytest.raises(CorruptDocumentError, match="DOCX is damaged or truncated"):
        read_bytes(data[: len(data) // 2], "cut.docx")


def test_zip_with_a_broken_document_part_is_damaged():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(letter_docx())) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = content[: len(content) // 2]
            target.writestr(item, content)
    with pytest.raises(CorruptDocumentError):
        read_bytes(buffer.getvalue(), "broken.docx")


def test_empty_docx_warns():
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    doc = read_bytes(buffer.getvalue(), "blank.docx")
    assert doc.text == ""
    assert doc.warnings == ["no readable text"]


def test_paragraphs_inside_content_controls_are_read():
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    doc.add_paragraph("After the cover.")
    cover = parse_xml(
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:sdtContent><w:p><w:r><w:t>Cover page title</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    doc.element.body.insert(0, cover)
    buffer = io.BytesIO()
    doc.save(buffer)
    read = read_bytes(buffer.getvalue(), "cover.docx")
    assert read.text == "Cover page title\n\nAfter the cover."


def test_tracked_insertions_and_field_results_are_read_and_deletions_are_not():
    from docx import Document
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    doc = Document()
    paragraph = doc.add_paragraph("The plan was ")
    paragraph._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="x"><w:r><w:t>approved</w:t></w:r></w:ins>'))
    paragraph._p.append(
        parse_xml(f'<w:del {w} w:id="2" w:author="x"><w:r><w:delText>rejected</w:delText></w:r></w:del>')
    )
    paragraph._p.append(
        parse_xml(f'<w:fldSimple {w} w:instr="DATE"><w:r><w:t> on 3 May</w:t></w:r></w:fldSimple>')
    )
    paragraph.add_run("\tfor the year.")
    buffer = io.BytesIO()
    doc.save(buffer)
    assert (
        read_bytes(buffer.getvalue(), "tracked.docx").text == "The plan was approved on 3 May\tfor the year."
    )


def test_zip_needing_an_unknown_zip_version_is_damaged():
    # A flipped byte in the central directory's "version needed to extract" makes the ZIP
    # module raise NotImplementedError; to a user that is a damaged file like any other.
    data = bytearray(letter_docx())
    entry = data.index(b"PK\x01\x02")
    data[entry + 6] = 72  # version needed: 7.2
    with pytest.raises(CorruptDocumentError, match="not a readable ZIP archive"):
        read_bytes(bytes(data), "odd-version.docx")
