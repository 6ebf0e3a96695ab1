"""The markup behind the PDF and DOCX test documents renders what the test documents rely on."""

from __future__ import annotations

from pathlib import Path

import peel_doc_builders as builders

SOURCE = """@title A report's own title
@header Running header of every page
@footer Page {page} of {pages}

# First heading

1. The first numbered item.

2. The second numbered item.

@columns rows

Left column words that wrap onto more than one line in a column of half the page width.

@next-column

Right column words that also wrap onto more than one line in their own half of the page.

@end-columns

@columns pairs

How well does the force plan for the future?

@next-column

Good

@end-columns
"""


def test_numbered_items_keep_their_number_in_a_pdf_only() -> None:
    """Word numbers a list itself, so the number is not part of a DOCX paragraph's text."""
    assert "1. The first numbered item." in builders.plain_text(SOURCE, fmt="pdf")
    docx_text = builders.plain_text(SOURCE, fmt="docx")
    assert "The first numbered item." in docx_text and "1. The first" not in docx_text


def test_page_furniture_is_not_text_to_quote() -> None:
    text = builders.plain_text(SOURCE)
    for furniture in ("Running header", "Page {page}", "A report's own title"):
        assert furniture not in text


def test_rows_layout_mixes_the_columns_in_the_file(tmp_path: Path) -> None:
    """In ``@columns rows`` the PDF's own text order runs across both columns, line by line; in
    ``@columns pairs`` a question and its grade share one printed line."""
    import pypdfium2 as pdfium

    pdf = builders.build_pdf(SOURCE, tmp_path / "doc.pdf")
    document = pdfium.PdfDocument(str(pdf))
    raw = document[0].get_textpage().get_text_range()
    assert document.get_metadata_value("Title") == "A report's own title"
    lines = raw.splitlines()
    assert any(line.startswith("Left column") and "Right column" in line for line in lines)
    assert any(
        line.startswith("How well does the force plan") and line.rstrip().endswith("Good") for line in lines
    )
    assert "Running header of every page" in raw and "Page 1 of 1" in raw


def test_docx_uses_word_numbering_header_and_title(tmp_path: Path) -> None:
    import docx

    document = docx.Document(str(builders.build_docx(SOURCE, tmp_path / "doc.docx")))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["The first numbered item.", "The second numbered item."]
    assert document.sections[0].header.paragraphs[0].text == "Running header of every page"
    assert document.core_properties.title == "A report's own title"
