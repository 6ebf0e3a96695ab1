"""PDF reports: text in reading order, with two-column pages read column by column.

pypdfium2 gives the page text and the box of every character. From the boxes of each word we
build *runs* (words of one line of one column), find a column gutter, group runs into lines
(and table cells) and lines into paragraphs, re-join hyphenated words and drop the page
headers and footers that repeat on most pages. pdfium's own text order follows the content
stream, which mixes the columns on pages that were drawn line by line across the page;
ordering by position avoids that.
"""

from __future__ import annotations

import codecs
import ctypes
import functools
import re
from collections.abc import Callable, Iterable, Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from peelwatch.errors import CorruptDocumentError, EncryptedDocumentError
from peelwatch.readers._builder import TextBuilder
from peelwatch.readers._pdf_blocks import (
    BlockAssembler,
    FontSizes,
    Table,
    group_tables,
    page_leadings,
    page_segments,
    text_right_margin,
)
from peelwatch.readers._pdf_layout import (
    WIDE_SPACE,
    Line,
    Run,
    drop_running_lines,
    find_gutter,
    gutter_is_free,
    lines_of_region,
    split_at,
    usual_gutter,
)
from peelwatch.readers.model import Document

# pdfium load error codes (fpdfview.h): 4 = wrong or missing password, 5 = unsupported security.
_PASSWORD_ERRORS = (4, 5)
# A word ends at whitespace or just after a hyphen pdfium marked as a line-end hyphen: pdfium
# does not put a line break after such a hyphen, so "investi-" and "gation" arrive as one word.
# Each word comes with the white space before it (where a line break shows).
_SPACED_WORD = re.compile(r"(\s*)([^\s\x02\ufffe]+[\x02\ufffe]?|[\x02\ufffe])")
_LINE_END_HYPHENS = "\x02\ufffe"
_GAP = re.compile(r"\s+")
# The height of a line of type, in font sizes, that a rectangle of one line stays within.
_ONE_LINE = 1.6
# The widest a line of plain words gets per character, in font sizes (about 0.5 in prose).
_WIDEST = 0.8
# Letters that reach below the baseline (a word starting with one does not show where it is).
_DESCENDERS = frozenset("gjpqyQJ")


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """Open PDF bytes, turning pdfium's load errors into our encrypted/corrupt errors."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in _PASSWORD_ERRORS:
            raise EncryptedDocumentError("PDF is encrypted") from exc
        raise CorruptDocumentError("PDF is damaged or truncated") from exc


def read_pdf(data: bytes, source: str | None = None) -> Document:
    """Read a PDF into a Document: blocks per page, page breaks, repeated headers/footers removed."""
    pdf = open_pdf(data)
    try:
        page_count = len(pdf)
        if page_count <= 0:
            raise CorruptDocumentError("PDF is damaged or truncated (no pages)")
        page_runs = [_page_runs(pdf, index) for index in range(page_count)]
        title = _metadata_title(pdf)
    finally:
        pdf.close()
    gutters = [find_gutter(runs, width, height) for runs, width, height in page_runs]
    usual = usual_gutter(gutters, [width for _, width, _ in page_runs])
    # Each page's runs are let go as soon as its lines are made: as many objects are freed as
    # made, so the collector's youngest generation does not fill up and is not walked again and
    # again while the lines are made.
    pages: list[list[Line]] = []
    page_runs.reverse()
    for gutter in gutters:
        runs, width, height = page_runs.pop()
        pages.append(_page_lines(runs, width, height, gutter, usual))
    pages = drop_running_lines(pages)
    fonts = FontSizes.of(pages)
    builder = TextBuilder()
    assembler = BlockAssembler(builder, fonts, text_right_margin(pages))
    for number, (lines, leading) in enumerate(zip(pages, page_leadings(pages), strict=True), start=1):
        assembler.start_page(number, lines, leading)
        for item in group_tables(lines, leading):
            if isinstance(item, Table):
                assembler.add_table(item)
            else:
                assembler.add_line(item)
    assembler.flush()
    builder.segments.extend(page_segments(builder))
    text = builder.text()
    warnings = [] if text.strip() else ["no text layer (scanned PDF?)"]
    if not title:
        title = next((text[b.start : b.end] for b in builder.blocks if b.kind == "heading"), None)
    return Document(
        text=text,
        format="pdf",
        blocks=builder.blocks,
        source=source,
        title=title,
        pages=page_count,
        segments=builder.segments,
        warnings=warnings,
    )


def _metadata_title(pdf: pdfium.PdfDocument) -> str | None:
    try:
        title = (pdf.get_metadata_value("Title") or "").strip()
    except (pdfium.PdfiumError, UnicodeDecodeError, ValueError):
        # A broken metadata string is not worth refusing the document over.
        return None
    # Producers often put a file name or "Untitled" here; only a title-like string is useful.
    if not title or title.lower().startswith("untitled") or re.search(r"\.(docx?|pdf|indd)$", title, re.I):
        return None
    return title


# --- characters to runs ---------------------------------------------------------------------


def _page_runs(pdf: pdfium.PdfDocument, index: int) -> tuple[list[Run], float, float]:
    """The runs of page ``index`` and the page's width and height; the page is closed after.

    The page and its text page are pdfium's own handles, not pypdfium2's page objects: those
    register finalizers and parent links on every page, about a twentieth of what reading a
    page costs, and this reader closes both before it moves on.
    """
    page = pdfium_c.FPDF_LoadPage(pdf.raw, index)
    if not page:
        raise CorruptDocumentError(f"PDF is damaged or truncated (page {index + 1})")
    try:
        width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            raise CorruptDocumentError(f"PDF is damaged or truncated (page {index + 1})")
        try:
            runs = _runs(textpage)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
    finally:
        pdfium_c.FPDF_ClosePage(page)
    return runs, width, height


def _page_lines(
    runs: list[Run], width: float, height: float, gutter: float | None, usual: float | None = None
) -> list[Line]:
    """The lines of a page in reading order, its columns split at ``gutter``, or where the
    document's other pages have theirs (``usual``) if the page leaves that strip free."""
    if gutter is None and usual is not None and gutter_is_free(runs, usual, height):
        gutter = usual
    regions = split_at(runs, gutter)
    lines: list[Line] = []
    for number, region in enumerate(regions):
        lines.extend(lines_of_region(region, number, height, width))
    return lines


@functools.cache
def _untyped_calls() -> tuple[
    Callable[..., int], Callable[..., float], Callable[..., int], Callable[..., int]
]:
    """pdfium's ``FPDFText_GetCharBox``, ``FPDFText_GetFontSize``, ``FPDFText_CountRects`` and
    ``FPDFText_GetRect`` without declared argument types.

    With the bindings' declared types ctypes converts every ``byref`` into a typed pointer on
    each call, which made a box cost about 5 microseconds, ten times the call itself; a page of
    prose asks for some seven hundred. Called here only with a text page, integers and
    ``byref(c_double)``, which is what these functions take.

    They are called holding the GIL (``PYFUNCTYPE``): each only reads or sums values pdfium has
    worked out already, and letting go of the GIL and taking it back cost about a sixth of a call.
    """

    def untyped(function: object, result: type) -> Callable[..., object]:
        return ctypes.PYFUNCTYPE(result)(ctypes.cast(function, ctypes.c_void_p).value)

    return (
        untyped(pdfium_c.FPDFText_GetCharBox, ctypes.c_int),
        untyped(pdfium_c.FPDFText_GetFontSize, ctypes.c_double),
        untyped(pdfium_c.FPDFText_CountRects, ctypes.c_int),
        untyped(pdfium_c.FPDFText_GetRect, ctypes.c_int),
    )


class _Calls:
    """pdfium's box calls and the four doubles they write to, made once per page."""

    __slots__ = (
        "bottom",
        "count_rects",
        "get_box",
        "get_rect",
        "get_size",
        "left",
        "p_bottom",
        "p_left",
        "p_right",
        "p_top",
        "right",
        "top",
    )

    def __init__(self) -> None:
        self.get_box, self.get_size, self.count_rects, self.get_rect = _untyped_calls()
        self.left, self.right, self.bottom, self.top = (ctypes.c_double() for _ in range(4))
        self.p_left, self.p_right, self.p_bottom, self.p_top = (
            ctypes.byref(v) for v in (self.left, self.right, self.bottom, self.top)
        )


def _spaced_words(text: str) -> Iterable[tuple[str, str]]:
    """The words of ``text`` (without trailing white space), each with the white space before it.

    Without line-end hyphens (nearly every page) the words are what ``str.split`` gives, whose
    white space is the pattern's, and the gaps are what lies between them: made in C, not by
    the pattern one word at a time.
    """
    if "\x02" in text or "\ufffe" in text:
        return _SPACED_WORD.findall(text)
    gaps = _GAP.findall(text)
    if text and not text[0].isspace():
        gaps.insert(0, "")
    return zip(gaps, text.split(), strict=True)


def _page_text(textpage: pdfium_c.FPDF_TEXTPAGE, count: int) -> str:
    """The text of the page's ``count`` characters, as pypdfium2's ``get_text_range()`` gives it.

    Characters at either end that pdfium leaves out of its text (they have no text index) are
    left out of the range asked for, so that pdfium does not read past it; the buffer is sized
    by text indexes, which count the characters pdfium puts in.
    """
    text_index = pdfium_c.FPDFText_GetTextIndexFromCharIndex
    first, last = 0, count - 1
    while first <= last and text_index(textpage, first) == -1:
        first += 1
    while first <= last and text_index(textpage, last) == -1:
        last -= 1
    if first > last:
        return ""
    size = text_index(textpage, last) + 2 - text_index(textpage, first)  # with the closing NUL
    buffer = (ctypes.c_ushort * size)()
    written = pdfium_c.FPDFText_GetText(textpage, first, last - first + 1, buffer)
    if written > size:
        raise CorruptDocumentError("PDF is damaged or truncated (text longer than its characters)")
    return codecs.decode(memoryview(buffer)[: written - 1], "utf-16-le", errors="ignore")


def _runs(raw: pdfium_c.FPDF_TEXTPAGE) -> list[Run]:
    """Group the page's words into runs, in content-stream order.

    A run ends where pdfium put a line break, at a jump up or down, on going back left, or at a
    horizontal gap wider than about two characters (the space between two columns). Digits set
    smaller and raised above the line are footnote markers and are left out, so a word with a
    marker glued to it still reads as one word.

    The page's text is taken a line (between pdfium's line breaks) at a time: a line that is
    one text object of plain words becomes a run from pdfium's rectangle of it
    (:func:`_rect_run`); any other line is cut into words and the boxes of each word's first
    and last character are asked for (:func:`_word_runs`).
    """
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return []
    text = _page_text(raw, count)
    if len(text) != count:
        # Characters outside the Basic Multilingual Plane take two code units; ask one by one.
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0xFFFD) for i in range(count))
    calls = _Calls()
    runs: list[Run] = []
    for start, line in _text_lines(text):
        run = _rect_run(raw, line, start, calls)
        if run is not None:
            runs.append(run)
        else:
            _word_runs(raw, line, start, calls, runs)
    return runs


def _text_lines(text: str) -> Iterator[tuple[int, str]]:
    """The lines of a page's text (pdfium puts a line break between text objects on different
    lines), without the white space at either end, each with where its first character is;
    empty ones left out.

    Cut by ``str.split``, not a pattern: a carriage return becomes a line feed (one character
    for one, so every offset stays), then the text is split at line feeds.
    """
    start = 0
    for piece in text.replace("\r", "\n").split("\n"):
        line = piece.rstrip()
        if line:
            if line[0].isspace():
                # Rare: white space before the first word, left out and counted.
                words = line.lstrip()
                yield start + len(line) - len(words), words
            else:
                yield start, line
        start += len(piece) + 1


def _rect_run(raw: pdfium_c.FPDF_TEXTPAGE, text: str, offset: int, calls: _Calls) -> Run | None:
    """The run of ``text``, one line of the page's text (no white space at either end) starting
    at character ``offset``, from
    pdfium's rectangle of its characters, or None if the line must be read word by word.

    A line of three words or more parted by single spaces, drawn as one text object (pdfium
    gives one rectangle for it: one font, one size, one line), as high as one line of type,
    starting at its left end and not far wider than its characters, is one run: its first letter gives where it starts, the
    first word starting with a letter or digit without a descender where it stands (its
    baseline), and the rectangle (the union of every letter's box) its end, bottom and top.
    Four or five calls instead of two for every word. The words' own gaps are not seen: a wide
    space inside one text object does not part the run (see "Limits" in docs/readers.md).
    """
    words = text
    # Printable characters parted by single spaces: every other kind of white space, and
    # pdfium's marks for a line-end hyphen, are not printable. A hyphen mark may end the line.
    if words.count(" ") < 2 or "  " in words:
        return None
    if not words.isprintable():
        head = words[:-1]
        if words[-1] not in _LINE_END_HYPHENS or not head.isprintable() or head.endswith(" "):
            return None
    first = offset
    if calls.count_rects(raw, first, len(words)) != 1:
        return None
    left, right, bottom, top = calls.left, calls.right, calls.bottom, calls.top
    p_left, p_right, p_bottom, p_top = calls.p_left, calls.p_right, calls.p_bottom, calls.p_top
    calls.get_rect(raw, 0, p_left, p_top, p_right, p_bottom)
    leftmost, end, low, high = left.value, right.value, bottom.value, top.value
    get_box = calls.get_box
    get_box(raw, first, p_left, p_right, p_bottom, p_top)
    start = left.value
    # The baseline: where the first word starting with a letter or digit that has no
    # descender stands.
    initial = words[0]
    if not initial.isalnum() or initial in _DESCENDERS:
        mark = first
        for word in words.split(" "):
            initial = word[0]
            if initial.isalnum() and initial not in _DESCENDERS:
                break
            mark += len(word) + 1
        else:
            return None
        get_box(raw, mark, p_left, p_right, p_bottom, p_top)
    base = bottom.value
    size = calls.get_size(raw, first)
    unit = size if size > 1.0 else 1.0
    if (
        high - low > _ONE_LINE * unit
        or leftmost < start - 0.5 * unit
        or end - start > _WIDEST * unit * len(words)
    ):
        # Not one line of type (turned text), going back left of its first letter (text set
        # upside down, or drawn over itself), or far wider than its characters (a wide space
        # inside the text object, perhaps between table cells): look at each word.
        return None
    # The words and their single spaces as one text: cutting the line into words only to join
    # them again when the line is made cost a list and a string a word. By position, the
    # baseline last: its run is finished (see ``Run.finish``).
    return Run(words, start, end, low, high, size, base)


def _word_runs(raw: pdfium_c.FPDF_TEXTPAGE, text: str, offset: int, calls: _Calls, runs: list[Run]) -> None:
    """Add to ``runs`` the runs of ``text``, one line of the page's text (no line break in it,
    no white space at its end; white space before its first word is counted) starting at
    character ``offset``, built word by word.

    Boxes are asked for per word (its first and last character), not per character: the calls
    into pdfium are the cost of reading a PDF, and this keeps them to about two per word.
    """
    left, bottom, right, top = calls.left, calls.bottom, calls.right, calls.top
    p_left, p_right, p_bottom, p_top = calls.p_left, calls.p_right, calls.p_bottom, calls.p_top
    get_box, get_size = calls.get_box, calls.get_size
    run: Run | None = None
    words: list[str] = []
    marks: list[float] = []  # the run's baselines
    x1 = lo = hi = size = unit = drift = back = apart = wide = low_reach = high_reach = step = 0.0
    hyphens, descenders = _LINE_END_HYPHENS, _DESCENDERS
    end = offset  # where the word before ended
    broken = False  # the word before ended in a line-end hyphen
    # Without its trailing white space every gap and word follows the one before, so the
    # offsets are counted rather than asked of match objects (and no match scans the tail).
    for gap, word in _spaced_words(text):
        first = end + len(gap)
        end = first + len(word)
        last = end - 1
        if broken and run is not None:
            run.finish(x1, lo, hi, marks)
            run = None
        tail = word[-1]
        broken = tail in hyphens
        if not get_box(raw, first, p_left, p_right, p_bottom, p_top):
            # No box (a character pdfium made up): keep the word with the run it follows.
            if run is not None:
                words.append(" ")
                words.append(word)
            continue
        wx0, b, t = left.value, bottom.value, top.value
        # A letter or digit without a descender sits on the baseline: its bottom is the line's.
        lead = word[0]
        base = b if lead.isalnum() and lead not in descenders else None
        # Only a word ending in a digit can be or carry a footnote number: one test for both.
        numeric = tail.isdigit()
        if last == first:
            wx1 = right.value
        else:
            if numeric and not lead.isdigit():
                # A footnote number glued to the end of a word: compare it with the letter before it.
                digits = len(word) - len(word.rstrip("0123456789"))
                marker = last - digits + 1
                get_box(raw, marker - 1, p_left, p_right, p_bottom, p_top)
                letter_bottom, letter_right = bottom.value, right.value
                get_box(raw, marker, p_left, p_right, p_bottom, p_top)
                word_size = get_size(raw, first)
                if (
                    bottom.value > letter_bottom + 0.2 * word_size
                    and get_size(raw, marker) < 0.85 * word_size
                ):
                    word, last = word[:-digits], marker - 1
                    get_box(raw, last, p_left, p_right, p_bottom, p_top)  # the word now ends at the letter
                    wx1 = letter_right
                else:
                    get_box(raw, last, p_left, p_right, p_bottom, p_top)
                    wx1 = right.value
            else:
                get_box(raw, last, p_left, p_right, p_bottom, p_top)
                wx1 = right.value
            # The word's last character may reach lower or higher than its first.
            low, high = bottom.value, top.value
            if low < b:
                b = low
            if high > t:
                t = high
        if run is not None:
            if numeric and word.isdigit() and b > lo + 0.35 * size and get_size(raw, first) < 0.85 * size:
                continue  # a footnote number standing on its own
            middle = (b + t) / 2
            step = wx0 - x1
            if middle < low_reach or middle > high_reach or wx0 < x1 - back or step > apart:
                run.finish(x1, lo, hi, marks)
                run = None
        if run is None:
            size = get_size(raw, first)
            unit = size if size > 1.0 else 1.0
            # The run's limits in its own font size, worked out once rather than per word.
            drift, back, apart, wide = 0.2 * unit, 0.5 * unit, 1.8 * unit, WIDE_SPACE * unit
            words = [word]
            marks = []
            x1, lo, hi = wx1, b, t
            # By position, its limits as they stand (``finish`` sets them when it ends):
            # made with keyword arguments and its default lists, a run cost over twice as much.
            run = Run(words, wx0, x1, lo, hi, size)
            runs.append(run)
            # How far up or down a word's middle may be and still sit on the run's line, kept
            # as the run grows rather than worked out for every word.
            low_reach, high_reach = lo - drift, hi + drift
        else:
            if step > wide:
                # Wider than a word space: perhaps two table cells set close together.
                if run.breaks:
                    run.breaks.append((len(words) + 1, x1, wx0))
                else:
                    run.breaks = [(len(words) + 1, x1, wx0)]
            # Two appends cost a third of adding a tuple made for each word.
            words.append(" ")
            words.append(word)
            if wx1 > x1:
                x1 = wx1
            if b < lo:
                lo = b
                low_reach = lo - drift
            if t > hi:
                hi = t
                high_reach = hi + drift
        if base is not None:
            marks.append(base)
    if run is not None:
        run.finish(x1, lo, hi, marks)
