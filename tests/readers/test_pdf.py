"""PDF reports: reading order, paragraphs, running headers, and PDFs that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.readers.builders import (
    LEFT_COLUMN,
    PART_TITLES,
    RIGHT_COLUMN,
    UNICODE_FONT,
    continued_column_pdf,
    continued_pdf,
    encrypted_pdf,
    image_only_pdf,
    paragraphs_pdf,
    rating_grid_pdf,
    side_by_side_pdf,
    table_pdf,
    title_header_pdf,
    two_column_pdf,
    unicode_pdf,
)

from peelwatch.errors import CorruptDocumentError, EncryptedDocumentError
from peelwatch.readers import read_bytes


@pytest.fixture(scope="module")
def columns_doc():
    return read_bytes(two_column_pdf(pages=3), "review.pdf")


def test_two_columns_are_read_left_then_right(columns_doc):
    text = columns_doc.text
    # The columns were drawn row by row, so reading in drawing order would put
    # "Second column text begins" straight after the first left line.
    last_left = text.index("since the new unit started.")
    first_right = text.index("Second column text begins")
    assert text.index("The review team visited four") < last_left < first_right
    assert "four Second" not in text


def test_title_across_both_columns_comes_first_and_the_closing_note_last(columns_doc):
    first_page = [b for b in columns_doc.blocks if b.page == 1 and b.kind != "page_break"]
    assert first_page[0].kind == "heading"
    assert columns_doc.block_text(first_page[0]) == PART_TITLES[1]
    assert columns_doc.block_text(first_page[-1]).startswith("A closing note across the whole width")


def test_lines_of_a_column_are_joined_into_one_paragraph(columns_doc):
    paragraphs = [columns_doc.block_text(b) for b in columns_doc.blocks if b.kind == "paragraph"]
    assert paragraphs[0].startswith(LEFT_COLUMN[0]) and paragraphs[0].endswith(LEFT_COLUMN[-1])
    assert paragraphs[1].startswith(RIGHT_COLUMN[0]) and paragraphs[1].endswith(RIGHT_COLUMN[-1])


def test_hyphenated_line_break_is_rejoined(columns_doc):
    assert "the investigation of burglary" in columns_doc.text
    assert "investi-" not in columns_doc.text


def test_running_header_and_page_numbers_are_dropped(columns_doc):
    assert "Annual Review of Local Services" not in columns_doc.text
    assert "Page 2 of 3" not in columns_doc.text


def test_pages_and_page_breaks(columns_doc):
    assert columns_doc.pages == 3
    breaks = [b.page for b in columns_doc.blocks if b.kind == "page_break"]
    assert breaks == [2, 3]
    heading_of_page_3 = next(b for b in columns_doc.blocks if b.page == 3 and b.kind == "heading")
    assert columns_doc.locate(heading_of_page_3.start) == "page:3"


def test_headings_paragraphs_and_wrapped_bullets():
    doc = read_bytes(paragraphs_pdf(), "brief.pdf")
    found = [(b.kind, doc.block_text(b)) for b in doc.blocks]
    assert found == [
        ("heading", "Findings in brief"),
        (
            "paragraph",
            "The first paragraph explains what was looked at during the visit and who took part in the interviews.",
        ),
        (
            "paragraph",
            "A second paragraph starts after a wider gap and mentions an inspection with a footnote.",
        ),
        ("list_item", "First point to act on"),
        ("list_item", "Second point, which is long enough that it wraps onto a second line"),
    ]


def test_footnote_marker_does_not_break_the_word():
    doc = read_bytes(paragraphs_pdf(), "brief.pdf")
    assert "inspection with a footnote" in doc.text


def test_encrypted_pdf_is_refused():
    with pytest.raises(EncryptedDocumentError, match="PDF is encrypted"):
        read_bytes(encrypted_pdf(), "secret.pdf")


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_pdf_is_reported_as_damaged(keep):
    data = two_column_pdf(pages=2)
    with pytest.raises(CorruptDocumentError, match="PDF is damaged or truncated"):
        read_bytes(data[: int(len(data) * keep)], "cut.pdf")


def test_pdf_without_text_warns_instead_of_failing():
    doc = read_bytes(image_only_pdf(), "scan.pdf")
    assert doc.text == ""
    assert doc.pages == 1
    assert doc.warnings == ["no text layer (scanned PDF?)"]


def test_table_lines_become_rows_with_cells():
    doc = read_bytes(table_pdf(), "ratings.pdf")
    rows = [doc.cell_texts(b) for b in doc.blocks if b.kind == "table_row"]
    assert rows[:2] == [["Question", "Rating"], ["How quickly are calls answered?", "Strong"]]
    # A rating centred beside a question that wraps goes with the whole question.
    assert rows[2] == ["How well are records kept for later review?", "Weak"]
    assert len(rows) == 3
    assert "How quickly are calls answered?\tStrong" in doc.text


def test_sentence_broken_across_pages_is_kept_whole():
    doc = read_bytes(continued_pdf(), "continued.pdf")
    found = [(b.kind, b.page, doc.block_text(b)) for b in doc.blocks]
    assert found == [
        ("paragraph", 1, "A short opening paragraph that ends properly."),
        (
            "paragraph",
            1,
            "At the end of the visit the review team found that most calls were answered within the target time.",
        ),
        ("page_break", 2, ""),
        ("paragraph", 2, "A new paragraph starts here on the second page."),
    ]
    assert [s.locator for s in doc.segments] == ["page:1", "page:2"]


@pytest.mark.skipif(not Path(UNICODE_FONT).exists(), reason="needs a TrueType font with curly quotes")
def test_typeset_characters_are_kept_and_ligatures_become_letters():
    doc = read_bytes(unicode_pdf(), "typeset.pdf")
    assert doc.text == "The board’s “target” is £2.5m – identified in March."


def test_rating_grid_keeps_each_topic_under_its_rating():
    doc = read_bytes(rating_grid_pdf(), "grid.pdf")
    rows = [doc.cell_texts(b) for b in doc.blocks if b.kind == "table_row"]
    assert rows == [
        ["Excellent", "Sound", "Needs attention", "Poor"],
        ["Waiting times", "Record keeping", "Staff training", ""],
        ["", "Public information", "", "Follow-up letters"],
        ["", "Complaints handling", "", ""],
    ]
    paragraphs = [doc.block_text(b) for b in doc.blocks if b.kind == "paragraph"]
    assert paragraphs == [
        "Each topic sits under the rating it received.",
        "Topics without a rating are not listed in this grid.",
    ]


def test_two_lists_side_by_side_are_read_one_after_the_other():
    doc = read_bytes(side_by_side_pdf(), "ratings.pdf")
    assert [doc.block_text(b) for b in doc.blocks] == [
        "How quickly are letters answered?",
        "How well are visitors welcomed at the front desk?",
        "How clear is the guidance on the website?",
        "How often are records checked for mistakes?",
        "Sound",
        "Excellent",
        "Needs attention",
        "Poor",
    ]


def test_bullets_stay_at_the_start_of_their_items():
    """The extractor reads list items by their bullets, as in a text file."""
    doc = read_bytes(paragraphs_pdf(), "brief.pdf")
    assert "\n\n• First point to act on\n• Second point, which is long enough that it wraps" in doc.text


def test_a_header_repeating_the_title_of_a_one_page_document_is_dropped():
    """With one page there is no repetition to go by: the small line above the title, whose words
    the title starts with, is the running header."""
    doc = read_bytes(title_header_pdf(), "report.pdf")
    assert doc.text.count("Quarterly report on neighbourhood") == 1
    assert doc.text.startswith("Quarterly report on neighbourhood policing in the northern district")


def test_a_column_that_carries_on_for_two_lines_is_still_a_column():
    """The right column holds only the end of the text: it is read after the left one, not as
    table cells beside the first left lines."""
    doc = read_bytes(
        continued_column_pdf(
            "for a report in the spring.", ["The chair thanked the team for", "the work so far."]
        ),
        "minutes.pdf",
    )
    assert "\t" not in doc.text
    assert doc.text.index("for a report in the spring.") < doc.text.index("The chair thanked the team")


def test_a_paragraph_stopping_on_a_word_no_sentence_ends_on_carries_on_in_the_next_column():
    """ "… agreed arrangements with" at the foot of a column goes on with "Kent Police …" at the top
    of the next, though that starts with a capital."""
    doc = read_bytes(
        continued_column_pdf("for a review of its arrangements with", ["Kent Police to share the work."]),
        "minutes.pdf",
    )
    assert "arrangements with Kent Police to share the work." in doc.text


GRADE_GRID = (
    "Summary of grades\n\n"
    "Outstanding\tGood\tAdequate\tRequires improvement\tInadequate\n"
    "\tAnswering emergency calls\tRecording crime accurately\tSupporting victims of crime\t\n"
    "\tManaging registered offenders\t\tProtecting children\t\n"
    "\tTraining new officers\t\t\t\n"
)
GRID_ROWS = [
    ["Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate"],
    ["", "Answering emergency calls", "Recording crime accurately", "Supporting victims of crime", ""],
    ["", "Managing registered offenders", "", "Protecting children", ""],
    ["", "Training new officers", "", "", ""],
]
FILLER = " ".join(
    f"Paragraph {n} describes what the inspectors saw in the {place}, who they spoke to and what "
    "the staff there said about the changes of the last year."
    for n, place in enumerate(["control room", "custody suite", "response teams", "training school"] * 3)
)


def grid_rows(doc) -> list[list[str]]:
    # trailing empty cells depend on how wide the last row is drawn; compare what is filled
    rows = [doc.cell_texts(b) for b in doc.blocks if b.kind == "table_row"]
    return [row + [""] * (5 - len(row)) for row in rows]


def test_table_cells_set_close_together_are_split_where_the_columns_line_up():
    """A five-column grid fills its cells almost to the next one (gaps of about one character):
    where a gap lines up with a cell edge in the rows around it, it parts two cells."""
    from tests.readers.plain_to_formats import to_pdf

    doc = read_bytes(to_pdf(GRADE_GRID), "grid.pdf")
    assert grid_rows(doc) == GRID_ROWS


def test_a_table_across_a_two_column_page_is_read_as_a_table_before_the_columns():
    from tests.readers.plain_to_formats import to_pdf

    doc = read_bytes(to_pdf(f"{FILLER}\n\n{GRADE_GRID}\n{FILLER}\n", columns=2, interleaved=True), "grid.pdf")
    assert grid_rows(doc) == GRID_ROWS
    assert doc.text.count("Paragraph 11 describes") == 2


def test_footers_that_name_the_page_are_dropped():
    """ "<title> | Page 2 of 3" at the foot of each page, and on a one-page document too."""
    from tests.readers.plain_to_formats import to_pdf

    for text in (FILLER, f"{FILLER}\n\n" * 6):
        doc = read_bytes(to_pdf(f"A short title\n\n{text}", columns=2, hyphenate=True), "report.pdf")
        assert "Page" not in doc.text
        assert doc.text.count("A short title") == 1


def test_justified_columns_are_running_text_not_table_cells():
    """Justified lines have wide word spaces, all alike: not the gaps between table cells."""
    from tests.readers.builders import justified_columns_pdf

    doc = read_bytes(justified_columns_pdf(), "justified.pdf")
    assert "\t" not in doc.text
    assert {b.kind for b in doc.blocks} <= {"paragraph", "page_break"}


@pytest.mark.parametrize("build", [two_column_pdf, unicode_pdf, table_pdf, rating_grid_pdf])
def test_page_text_is_what_pypdfium2_gives(build):
    # The reader asks pdfium for a page's text through its own handle; it must get the same
    # characters as pypdfium2's text page, the offsets of every word box depending on them.
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from peelwatch.readers.pdf import _page_text

    pdf = pdfium.PdfDocument(build())
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            count = pdfium_c.FPDFText_CountChars(textpage.raw)
            assert count > 0
            assert _page_text(textpage.raw, count) == textpage.get_text_range(0, count)
            textpage.close()
            page.close()
    finally:
        pdf.close()


def test_a_run_stands_on_the_median_bottom_of_its_undescended_first_letters():
    # A run's baseline is worked out when it ends, from the bottoms of its words' first letters
    # that have no descender; a run without any (a line of "g"s, a lone comma) stands on its bottom.
    from peelwatch.readers._pdf_layout import Run

    run = Run(["Officers", " ", "recorded", " ", "it"], 10.0, 10.0, 100.0, 110.0, 9.0)
    run.finish(60.0, 99.2, 109.0, [100.4, 100.0, 100.1])
    assert (run.x1, run.bottom, run.top, run.baseline) == (60.0, 99.2, 109.0, 100.1)

    bare = Run(["gg"], 10.0, 10.0, 98.0, 108.0, 9.0)
    bare.finish(20.0, 98.0, 108.0, [])
    assert bare.baseline == 98.0
    assert bare.breaks == ()


# --- lines read from pdfium's rectangle of them ---------------------------------------------------


def _line_runs(build_page) -> list[tuple[str, object, list]]:
    """For each line of the first page's text: the line, the run made from its rectangle (or
    None) and the runs made word by word."""
    import pypdfium2.raw as pdfium_c

    from peelwatch.readers import pdf as reader

    pdf = reader.open_pdf(build_page())
    page = pdfium_c.FPDF_LoadPage(pdf.raw, 0)
    textpage = pdfium_c.FPDFText_LoadPage(page)
    try:
        text = reader._page_text(textpage, pdfium_c.FPDFText_CountChars(textpage))
        calls = reader._Calls()
        found = []
        for start, line in reader._text_lines(text):
            by_words: list = []
            reader._word_runs(textpage, line, start, calls, by_words)
            found.append((line, reader._rect_run(textpage, line, start, calls), by_words))
        return found
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
        pdfium_c.FPDF_ClosePage(page)
        pdf.close()


def _one_page(*lines: tuple[float, float, str], char_spacing: float = 0.0, turned: float = 0):
    from tests.readers.builders import _pdf

    def build() -> bytes:
        pdf = _pdf()
        pdf.add_page()
        for x, y, text in lines:
            pdf.set_char_spacing(char_spacing)
            if turned:
                with pdf.rotation(turned, x, y):
                    pdf.text(x, y, text)
            else:
                pdf.text(x, y, text)
        return bytes(pdf.output())

    return build


def test_a_line_drawn_as_one_text_object_is_one_run_from_its_rectangle():
    # Most first letters stand flat on the baseline, so the word-by-word baseline (their median)
    # is the first one's.
    [(line, run, by_words)] = _line_runs(_one_page((20, 40, "The Home Office helped its review later")))
    assert run is not None and by_words and len(by_words) == 1
    word_run = by_words[0]
    assert run.text == word_run.text == line
    assert (run.x0, run.x1, run.size, run.baseline) == (
        word_run.x0,
        word_run.x1,
        word_run.size,
        word_run.baseline,
    )
    assert run.breaks == ()
    # The rectangle holds every letter: the "p" inside "helped" reaches lower than any first or
    # last letter the words are measured by.
    assert run.bottom < word_run.bottom
    assert run.top >= word_run.top


def test_the_baseline_of_a_line_from_its_rectangle_is_its_first_undescended_first_letter():
    # "p" and "q" reach below the line; "h", "i" and "l" stand flat on it.
    [(_, run, by_words)] = _line_runs(_one_page((20, 40, "packed quarters held in line")))
    assert run is not None
    assert run.baseline == by_words[0].baseline
    assert run.bottom < run.baseline


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (_one_page((20, 40, "Question asked here"), (120, 40, "Strong answer given")), "two text objects"),
        (_one_page((20, 40, "Two words")), "fewer than three words"),
        (_one_page((20, 40, "go play quietly")), "no first letter standing on the baseline"),
        (_one_page((20, 40, "The team recorded it"), char_spacing=12), "far wider than its characters"),
        (_one_page((100, 200, "Written up the page"), turned=90), "turned text"),
        (_one_page((100, 200, "Written upside down"), turned=180), "text going right to left"),
    ],
)
def test_other_lines_are_read_word_by_word(page, reason):
    found = _line_runs(page)
    assert found, reason
    assert all(run is None for _, run, _ in found), reason
    assert all(by_words for _, _, by_words in found), reason


@pytest.mark.parametrize(
    "build",
    [
        two_column_pdf,
        paragraphs_pdf,
        table_pdf,
        rating_grid_pdf,
        side_by_side_pdf,
        continued_pdf,
        title_header_pdf,
    ],
)
def test_documents_are_the_same_as_when_every_line_is_read_word_by_word(build, monkeypatch):
    from peelwatch.readers import pdf as reader

    data = build()
    fast = read_bytes(data, "report.pdf")
    monkeypatch.setattr(reader, "_rect_run", lambda *args: None)
    slow = read_bytes(data, "report.pdf")
    assert (fast.text, fast.blocks, fast.segments, fast.title) == (
        slow.text,
        slow.blocks,
        slow.segments,
        slow.title,
    )
