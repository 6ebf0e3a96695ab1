"""PDF reports: text in reading order, with two-column pages read column by column.

pypdfium2 gives the page text and the box of every character. From the boxes of each word we
build *runs* (words of one line of one column), find a column gutter, group runs into lines
(and table cells) and lines into paragraphs, re-join hyphenated words and drop the page
headers and footers that repeat on most pages. pdfium's own text order follows the content
stream, which mixes the columns on pages that were drawn line by line across the page;
ordering by position avoids that.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from peelwatch.errors import CorruptDocumentError, EncryptedDocumentError
from peelwatch.readers._builder import TextBuilder
from peelwatch.readers.model import Document, SourceSegment

# pdfium load error codes (fpdfview.h): 4 = wrong or missing password, 5 = unsupported security.
_PASSWORD_ERRORS = (4, 5)
# pdfium reports a hyphen at a line end as one of these instead of "-".
_SOFT_HYPHENS = "\x02\ufffe\u00ad"
_HYPHENS = "-\u2010\u2011" + _SOFT_HYPHENS
# Bullets as they come out of PDFs, including the private-use code points of the Symbol and
# Wingdings fonts that word processors use for list bullets.
_BULLETS = "•●▪◦○■□‣⁃–-·\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8"
_LIST_START = re.compile(rf"^(?:[{re.escape(_BULLETS)}]|\(?\d{{1,3}}[.)]|\(?[a-z][.)])\s")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–(]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–)]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
_DIGITS = re.compile(r"\d+")
_MARKER_ONLY = re.compile(rf"^(?:[{re.escape(_BULLETS)}]|\(?\d{{1,3}}[.)]|\(?[a-z][.)])$")
# Runs on one line further apart than this many font sizes are separate table cells.
_CELL_GAP = 1.5
# A table goes on past a gap of up to this many line spacings: cells have padding, and a row
# of two-line cells puts its next row well below its first line.
_TABLE_GAP = 3.0
# Text at least this much larger than the body text is a heading (11 pt over 10 pt counts).
_HEADING_RATIO = 1.08
# A "heading" longer than this is an introduction set in larger type, not a heading.
_HEADING_MAX = 200
# A block whose text ends with one of these is complete; anything else may carry on.
_SENTENCE_ENDS = (".", "!", "?", ":", ";", "”", '"', ")")
# A word ends at whitespace or just after a hyphen pdfium marked as a line-end hyphen: pdfium
# does not put a line break after such a hyphen, so "investi-" and "gation" arrive as one word.
_WORD = re.compile(r"[^\s\x02\ufffe]+[\x02\ufffe]?|[\x02\ufffe]")
_SPACES = re.compile(r"[ \t\u00a0]+")
# Typesetting ligatures stand for plain letters; "identiﬁed" must read as "identified".
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)


@dataclass(slots=True)
class Run:
    """Words that sit side by side on one baseline in one text column (``chars`` holds the words
    and the spaces between them)."""

    chars: list[str] = field(default_factory=list)
    x0: float = 1e9
    x1: float = -1e9
    bottom: float = 1e9
    top: float = -1e9
    size: float = 0.0

    @property
    def text(self) -> str:
        return "".join(self.chars)

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(slots=True)
class Line:
    """One visual line of one column, in reading order."""

    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    size: float
    region: int
    page_height: float = 0.0
    page_width: float = 0.0
    # The line's parts when wide gaps split it, as in a table row; empty for running text.
    cells: tuple[str, ...] = ()
    # (x0, x1) of each part in ``cells``.
    cell_spans: tuple[tuple[float, float], ...] = ()

    @property
    def in_margin(self) -> bool:
        """In the top or bottom 9% of the page, where running headers and footers live."""
        return self.bottom > 0.91 * self.page_height or self.top < 0.09 * self.page_height


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
        pages = [_page_lines(pdf, index) for index in range(page_count)]
        title = _metadata_title(pdf)
    finally:
        pdf.close()
    pages = drop_running_lines(pages)
    fonts = FontSizes.of(pages)
    builder = TextBuilder()
    assembler = BlockAssembler(builder, fonts, text_right_margin(pages))
    for number, lines in enumerate(pages, start=1):
        assembler.start_page(number, lines)
        for item in group_tables(lines, assembler.leading):
            if isinstance(item, Table):
                assembler.add_table(item)
            else:
                assembler.add_line(item)
    assembler.flush()
    builder.segments.extend(_page_segments(builder))
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


def text_right_margin(pages: list[list[Line]]) -> float:
    """Where full lines end: the 90th percentile of line ends over the document."""
    ends = sorted(line.x1 for lines in pages for line in lines)
    return ends[int(0.9 * (len(ends) - 1))] if ends else 0.0


def _page_segments(builder: TextBuilder) -> list[SourceSegment]:
    """One segment per page, from its first block to its last (a block belongs to the page it
    starts on)."""
    spans: dict[int, tuple[int, int]] = {}
    for block in builder.blocks:
        if block.kind == "page_break" or block.page is None:
            continue
        start, _ = spans.get(block.page, (block.start, block.end))
        spans[block.page] = (start, block.end)
    return [SourceSegment(start, end, f"page:{page}") for page, (start, end) in sorted(spans.items())]


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


def _page_lines(pdf: pdfium.PdfDocument, index: int) -> list[Line]:
    """The lines of page ``index`` in reading order; the page is closed before returning."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise CorruptDocumentError(f"PDF is damaged or truncated (page {index + 1})") from exc
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            runs = _runs(textpage)
        finally:
            textpage.close()
    except pdfium.PdfiumError as exc:
        raise CorruptDocumentError(f"PDF is damaged or truncated (page {index + 1})") from exc
    finally:
        page.close()
    regions = split_columns(runs, width, height)
    lines: list[Line] = []
    for number, region in enumerate(regions):
        lines.extend(_lines(region, number, height))
    for line in lines:
        line.page_width = width
    return lines


def _runs(textpage: pdfium.PdfTextPage) -> list[Run]:
    """Group the page's words into runs, in content-stream order.

    A run ends where pdfium put a line break, at a jump up or down, on going back left, or at a
    horizontal gap wider than about two characters (the space between two columns). Digits set
    smaller and raised above the line are footnote markers and are left out, so a word with a
    marker glued to it still reads as one word.

    Boxes are asked for per word (its first and last character), not per character: the calls
    into pdfium are the cost of reading a PDF, and this keeps them to about two per word.
    """
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    if len(text) != count:
        # Characters outside the Basic Multilingual Plane take two code units; ask one by one.
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0xFFFD) for i in range(count))
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    refs = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
    get_box = pdfium_c.FPDFText_GetCharBox
    get_size = pdfium_c.FPDFText_GetFontSize
    runs: list[Run] = []
    run: Run | None = None
    words: list[str] = []
    x1 = lo = hi = size = unit = 0.0
    previous_end = 0
    for match in _WORD.finditer(text):
        first, last = match.start(), match.end() - 1
        word = match.group()
        gap = text[previous_end:first]
        broken = previous_end > 0 and text[previous_end - 1] in "\x02\ufffe"
        previous_end = last + 1
        if run is not None and (broken or "\n" in gap or "\r" in gap):
            run.x1, run.bottom, run.top = x1, lo, hi
            run = None
        if not get_box(raw, first, *refs):
            # No box (a character pdfium made up): keep the word with the run it follows.
            if run is not None:
                words.append(" ")
                words.append(word)
            continue
        wx0, b, t = left.value, bottom.value, top.value
        if last != first and word[-1].isdigit() and not word[0].isdigit():
            # A footnote number glued to the end of a word: compare it with the letter before it.
            digits = len(word) - len(word.rstrip("0123456789"))
            marker = last - digits + 1
            get_box(raw, marker - 1, *refs)
            letter_bottom, letter_right = bottom.value, right.value
            get_box(raw, marker, *refs)
            word_size = get_size(raw, first)
            if bottom.value > letter_bottom + 0.2 * word_size and get_size(raw, marker) < 0.85 * word_size:
                word, last = word[:-digits], marker - 1
                get_box(raw, last, *refs)  # the word now ends at the letter
                wx1 = letter_right
            else:
                get_box(raw, last, *refs)
                wx1 = right.value
        elif last != first:
            get_box(raw, last, *refs)
            wx1 = right.value
        else:
            wx1 = right.value
        if bottom.value < b:
            b = bottom.value
        if top.value > t:
            t = top.value
        if run is not None:
            if word.isdigit() and b > lo + 0.35 * size and get_size(raw, first) < 0.85 * size:
                continue  # a footnote number standing on its own
            middle = (b + t) / 2
            if (
                middle < lo - 0.2 * unit
                or middle > hi + 0.2 * unit
                or wx0 < x1 - 0.5 * unit
                or wx0 - x1 > 1.8 * unit
            ):
                run.x1, run.bottom, run.top = x1, lo, hi
                run = None
        if run is None:
            size = get_size(raw, first)
            unit = size if size > 1.0 else 1.0
            words = []
            run = Run(chars=words, size=size, x0=wx0)
            runs.append(run)
            x1, lo, hi = wx1, b, t
        else:
            words.append(" ")
            if wx1 > x1:
                x1 = wx1
            if b < lo:
                lo = b
            if t > hi:
                hi = t
        words.append(word)
    if run is not None:
        run.x1, run.bottom, run.top = x1, lo, hi
    return runs


# --- columns ----------------------------------------------------------------------------------


def split_columns(runs: list[Run], page_width: float, page_height: float) -> list[list[Run]]:
    """Split a page's runs into regions to read one after the other.

    A two-column page has a vertical gutter near the middle that no column line crosses. Runs
    that do cross it (a title or a footer across the page) separate bands; in each band the
    left column is read before the right one. A page without such a gutter is one region.
    """
    gutter = find_gutter(runs, page_width, page_height)
    if gutter is None:
        return [runs]
    regions: list[list[Run]] = []
    left: list[Run] = []
    right: list[Run] = []
    # Walk from the top of the page; a spanning run closes the band above it.
    for run in sorted(runs, key=lambda r: -r.top):
        if run.x0 < gutter < run.x1:
            regions.extend(part for part in (left, right) if part)
            regions.append([run])
            left, right = [], []
        elif run.x1 <= gutter:
            left.append(run)
        else:
            right.append(run)
    regions.extend(part for part in (left, right) if part)
    return regions


def find_gutter(runs: list[Run], page_width: float, page_height: float) -> float | None:
    """The x of a column gutter in the middle of the page, or None for a one-column page.

    Only the body of the page counts (running headers and footers are often centred across the
    gutter), and lines wider than most of the text block are left out: they are titles or notes
    set across both columns. A stray short line across the gutter (a centred caption) is allowed.
    """
    body = [r for r in runs if 0.07 * page_height < (r.top + r.bottom) / 2 < 0.93 * page_height]
    if len(body) < 8:
        return None
    x_min = min(r.x0 for r in body)
    span = max(r.x1 for r in body) - x_min
    if span <= 0:
        return None
    band_start, band_end = x_min + 0.25 * span, x_min + 0.75 * span
    step = 2.0
    bins = max(1, int((band_end - band_start) / step))
    cover = [0] * (bins + 1)
    for run in body:
        if run.width >= 0.6 * span or run.x1 <= band_start or run.x0 >= band_end:
            continue
        first = max(0, int((run.x0 - band_start) / step))
        last = min(bins - 1, int((run.x1 - band_start) / step))
        cover[first] += 1
        cover[last + 1] -= 1
    counts, total = [], 0
    for delta in cover[:bins]:
        total += delta
        counts.append(total)
    least = min(counts)
    if least > max(1, 0.05 * len(body)):
        return None
    # Every stretch free of lines (but for the allowed stray one) is a candidate, widest first:
    # the widest is not always the gutter when one line reaches into the other column.
    stretches: list[tuple[int, int]] = []
    start = None
    for index, count in enumerate([*counts, least + 1]):
        if count == least and start is None:
            start = index
        elif count != least and start is not None:
            stretches.append((index - start, start))
            start = None
    for length, first in sorted(stretches, reverse=True):
        if length * step < max(6.0, 0.012 * page_width):
            break
        middle = band_start + (first + length / 2) * step
        if _both_sides_flow(body, middle) or _independent_sides(body, middle):
            return middle
    return None


def _both_sides_flow(runs: list[Run], gutter: float) -> bool:
    """True if both sides hold several lines of running text (not a two-column table of labels)."""
    left = [r for r in runs if r.x1 <= gutter]
    right = [r for r in runs if r.x0 >= gutter]
    for side in (left, right):
        if len(side) < 4:
            return False
        extent = max(r.x1 for r in side) - min(r.x0 for r in side)
        wide = sum(1 for r in side if r.width >= 0.6 * extent)
        if wide < 0.5 * len(side):
            return False
    return True


def _independent_sides(runs: list[Run], gutter: float) -> bool:
    """True if the lines either side of the gutter do not line up: two separate flows of text.

    In a table every cell lines up with its row: its baseline, or its middle, matches a line
    or the middle of two lines on the other side. Text in two columns, such as a list of
    questions beside a list of grades, lines up only by chance.
    """
    left = [r for r in runs if r.x1 <= gutter]
    right = [r for r in runs if r.x0 >= gutter]
    if len(left) < 3 or len(right) < 3:
        return False
    fewer, more = (left, right) if len(left) <= len(right) else (right, left)
    bottoms = [r.bottom for r in more]
    middles = sorted((r.bottom + r.top) / 2 for r in more)
    between = [(a + b) / 2 for a, b in itertools.pairwise(middles)]
    aligned = 0
    for run in fewer:
        # Tight on purpose: with loose limits some mark is always near by chance.
        tolerance = 0.1 * max(run.size, 1.0)
        middle = (run.bottom + run.top) / 2
        if any(abs(b - run.bottom) <= tolerance for b in bottoms) or any(
            abs(m - middle) <= tolerance for m in between
        ):
            aligned += 1
    return aligned < 0.5 * len(fewer)


# --- runs to lines ----------------------------------------------------------------------------


def _lines(runs: list[Run], region: int, page_height: float) -> list[Line]:
    """Group a region's runs into lines (runs that overlap vertically), top to bottom."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: -r.top):
        if lines and _same_line(lines[-1], run):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [_make_line(group, region, page_height) for group in lines]


def _same_line(group: list[Run], run: Run) -> bool:
    """Does ``run`` sit on the line ``group``?

    Runs that overlap the line by half their height do. So does a run well to the side of the
    line that overlaps it at all: a table cell centred against a neighbour cell of two lines
    (a grade beside a question that wraps) belongs with the neighbour's first line.
    """
    bottom = min(r.bottom for r in group)
    top = max(r.top for r in group)
    overlap = min(top, run.top) - max(bottom, run.bottom)
    if overlap > 0.5 * min(top - bottom, run.top - run.bottom):
        return True
    if overlap <= 0:
        return False
    margin = _CELL_GAP * max(run.size, 1.0)
    return all(run.x0 > r.x1 + margin or run.x1 < r.x0 - margin for r in group)


def _make_line(group: list[Run], region: int, page_height: float) -> Line:
    """Join the runs of one line left to right; wide gaps between runs make table cells."""
    group.sort(key=lambda r: r.x0)
    cells: list[list[str]] = [[group[0].text]]
    spans: list[list[float]] = [[group[0].x0, group[0].x1]]
    for prev, run in itertools.pairwise(group):
        gap = run.x0 - prev.x1
        unit = max(prev.size, run.size, 1.0)
        if gap > _CELL_GAP * unit:
            cells.append([run.text])
            spans.append([run.x0, run.x1])
            continue
        if gap > 0.15 * unit and not cells[-1][-1].endswith(" "):
            cells[-1].append(" ")
        cells[-1].append(run.text)
        spans[-1][1] = max(spans[-1][1], run.x1)
    texts = [_SPACES.sub(" ", "".join(parts)).strip().translate(_LIGATURES) for parts in cells]
    if len(texts) > 1 and _MARKER_ONLY.match(texts[0]):
        # A bullet or number set apart from its text by a tab stop belongs to that text.
        texts[:2] = [f"{texts[0]} {texts[1]}"]
        spans[:2] = [[spans[0][0], spans[1][1]]]
    kept = [(text, (span[0], span[1])) for text, span in zip(texts, spans, strict=True) if text]
    size = max(group, key=lambda r: len(r.chars)).size
    split = len(kept) > 1
    return Line(
        text=" ".join(text for text, _ in kept),
        x0=group[0].x0,
        x1=max(r.x1 for r in group),
        bottom=min(r.bottom for r in group),
        top=max(r.top for r in group),
        size=size,
        region=region,
        page_height=page_height,
        cells=tuple(text for text, _ in kept) if split else (),
        cell_spans=tuple(span for _, span in kept) if split else (),
    )


# --- running headers and footers -----------------------------------------------------------


def _running_key(text: str) -> str:
    """Header/footer text with its numbers blanked, so "Page 3" and "Page 4" match."""
    return _DIGITS.sub("#", text.lower()).strip()


def _edge_lines(lines: list[Line]) -> list[int]:
    """Indexes of the two highest and two lowest lines on a page, if they are in its margins."""
    if not lines:
        return []
    order = sorted(range(len(lines)), key=lambda i: -lines[i].top)
    return sorted(i for i in set(order[:2] + order[-2:]) if lines[i].in_margin)


def _numbered_edge(line: Line) -> bool:
    """A page number alone, or set apart at either end of a margin line ("Chapter 2    17")."""
    if _PAGE_NUMBER.match(line.text):
        return True
    return bool(line.cells) and bool(_PAGE_NUMBER.match(line.cells[0]) or _PAGE_NUMBER.match(line.cells[-1]))


def drop_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Remove page headers and footers: edge lines repeated on most pages, and page numbers.

    Only the two highest and two lowest lines of a page, and only if they lie in its margins,
    are candidates, so body text that happens to repeat is never removed.
    """
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_running_key(lines[i].text) for i in _edge_lines(lines)})
    needed = max(2, (len(pages) + 1) // 2)
    cleaned: list[list[Line]] = []
    for lines in pages:
        drop = {
            i
            for i in _edge_lines(lines)
            if counts[_running_key(lines[i].text)] >= needed or _numbered_edge(lines[i])
        }
        cleaned.append([line for i, line in enumerate(lines) if i not in drop])
    return cleaned


# --- tables -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Table:
    """Rows of a table rebuilt from lines whose parts sit in columns; "" for an empty cell."""

    rows: list[list[str]]


def group_tables(lines: list[Line], leading: float) -> list[Line | Table]:
    """Replace each run of table lines with a Table whose rows have one cell per column.

    A table starts at a line split into cells; its columns are where its cells start. Lines that
    follow belong to it while they are close below and each part fits inside one column, so a
    cell that wraps onto a second line ("Managing offenders" / "and suspects") stays in its
    cell instead of becoming a paragraph. A short fragment just above the first row, in a column
    that row leaves empty (the first line of a header cell that wraps), is taken in too.
    """
    items: list[Line | Table] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.cells:
            items.append(line)
            index += 1
            continue
        columns = _column_starts(lines, index, leading)
        members = [line]
        above = items[-1] if items else None
        if isinstance(above, Line) and _header_fragment(above, line, columns, leading):
            members.insert(0, above)
            items.pop()
        index += 1
        while index < len(lines) and _continues_table(lines[index], members[-1], columns, leading):
            members.append(lines[index])
            index += 1
        items.append(Table(_table_rows(members, columns)))
    return items


def _column_starts(lines: list[Line], first: int, leading: float) -> list[float]:
    """Left edges of the columns of the table that starts at ``lines[first]``."""
    tolerance = max(lines[first].size, 1.0)
    starts: list[float] = []
    previous = lines[first]
    for line in lines[first:]:
        if line.region != previous.region or previous.bottom - line.bottom > _TABLE_GAP * max(
            leading, line.size
        ):
            break
        starts.extend(x0 for x0, _ in line.cell_spans)
        previous = line
    merged: list[float] = []
    for x0 in sorted(starts):
        if not merged or x0 - merged[-1] > tolerance:
            merged.append(x0)
    return merged


def _column_of(x0: float, columns: list[float], tolerance: float) -> int:
    """The column a part starting at ``x0`` is in: the last column starting at or before it."""
    found = 0
    for number, start in enumerate(columns):
        if start <= x0 + tolerance:
            found = number
    return found


def _parts(line: Line, columns: list[float]) -> list[tuple[int, str, float]]:
    """(column, text, right edge) of each part of ``line``."""
    tolerance = max(line.size, 1.0)
    spans = line.cell_spans or ((line.x0, line.x1),)
    texts = line.cells or (line.text,)
    return [
        (_column_of(x0, columns, tolerance), text, x1) for (x0, x1), text in zip(spans, texts, strict=False)
    ]


def _within_columns(line: Line, columns: list[float]) -> bool:
    """Does every part of ``line`` fit inside one column?"""
    tolerance = max(line.size, 1.0)
    return all(
        column + 1 >= len(columns) or right <= columns[column + 1] + tolerance
        for column, _, right in _parts(line, columns)
    )


def _continues_table(line: Line, previous: Line, columns: list[float], leading: float) -> bool:
    if line.region != previous.region or line.in_margin:
        return False
    gap = previous.bottom - line.bottom
    return 0 < gap <= _TABLE_GAP * max(leading, line.size) and _within_columns(line, columns)


def _header_fragment(above: Line, first: Line, columns: list[float], leading: float) -> bool:
    """Is ``above`` the first line of a header cell that wraps, set above the rest of the row?"""
    if above.cells or above.region != first.region or len(above.text.split()) > 3:
        return False
    if abs(above.size - first.size) > 0.07 * max(first.size, 1.0):
        return False  # a heading over the table, not part of it
    gap = above.bottom - first.bottom
    if not 0 < gap <= 1.5 * max(leading, first.size) or not _within_columns(above, columns):
        return False
    # The row's own line leaves that column empty, or only carries on the fragment there.
    column = _parts(above, columns)[0][0]
    return column not in {part for part, text, _ in _parts(first, columns) if not text[:1].islower()}


def _join(before: str | None, text: str) -> str:
    return f"{before} {text}" if before else text


def _table_rows(lines: list[Line], columns: list[float]) -> list[list[str]]:
    """Logical rows: a line with capitalised parts starts a row, lowercase parts carry on a cell."""
    rows: list[dict[int, str]] = []
    lines_in_row: list[int] = []
    for line in lines:
        parts = [(column, text) for column, text, _ in _parts(line, columns)]
        starting = [(column, text) for column, text in parts if not text[:1].islower()]
        going_on = [(column, text) for column, text in parts if text[:1].islower()]
        previous = rows[-1] if rows else None
        if previous is None:
            new_row = True
        elif not starting:
            new_row = False
        else:
            # A row whose first line held only a fragment (a header cell that wraps) goes on
            # with this line when the line fills other columns.
            fragment = lines_in_row[-1] == 1 and previous.keys().isdisjoint(c for c, _ in starting)
            new_row = not fragment
        if new_row:
            rows.append({})
            lines_in_row.append(0)
        row = rows[-1]
        lines_in_row[-1] += 1
        for column, text in starting:
            row[column] = _join(row.get(column), text)
        for column, text in going_on:
            if column not in row and new_row and previous is not None and column in previous:
                previous[column] = _join(previous[column], text)
            else:
                row[column] = _join(row.get(column), text)
    return [[row.get(column, "") for column in range(len(columns))] for row in rows]


# --- lines to blocks --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FontSizes:
    """The document's body text size and its larger sizes, which mark headings by rank."""

    body: float
    headings: tuple[float, ...]

    @classmethod
    def of(cls, pages: list[list[Line]]) -> FontSizes:
        # Weight each size by the amount of text set in it: the body size is the one most read.
        weight: Counter[float] = Counter()
        for lines in pages:
            for line in lines:
                weight[round(line.size * 2) / 2] += len(line.text)
        if not weight:
            return cls(0.0, ())
        body = weight.most_common(1)[0][0]
        headings = tuple(sorted((size for size in weight if size >= _HEADING_RATIO * body), reverse=True))
        return cls(body, headings)

    def heading_level(self, size: float) -> int:
        """1 for the largest heading size, 2 for the next, ...; 0 for text that is not a heading."""
        if not self.body or round(size * 2) / 2 < _HEADING_RATIO * self.body:
            return 0
        rounded = round(size * 2) / 2
        for level, heading in enumerate(self.headings, start=1):
            if rounded >= heading:
                return min(level, 6)
        return min(len(self.headings), 6) or 1


class BlockAssembler:
    """Turns lines, page after page, into heading, paragraph, list-item and table-row blocks.

    A paragraph or list item left mid-sentence at the foot of a column or page carries on with
    the next column or page when that starts with a lowercase word: findings often break
    across pages, and an extractor needs the whole sentence. The page break is then placed
    after the block it interrupted.
    """

    def __init__(self, builder: TextBuilder, fonts: FontSizes, right_margin: float = 0.0) -> None:
        self.builder = builder
        self.fonts = fonts
        # Where full lines of running text end in this document (see text_right_margin).
        self.right_margin = right_margin
        self.region_edges: dict[int, tuple[float, float]] = {}
        self.kind, self.level, self.text, self.page = "paragraph", 0, "", 1
        self.prev: Line | None = None
        self.leading = 0.0
        self.current_page = 1
        self.pending_breaks: list[int] = []

    def start_page(self, page: int, lines: list[Line]) -> None:
        if page > 1:
            self.pending_breaks.append(page)
        self.prev = None
        self.leading = _typical_leading(lines) if lines else 0.0
        self.current_page = page
        edges: dict[int, list[float]] = {}
        for line in lines:
            left, right = edges.setdefault(line.region, [line.x0, line.x1])
            edges[line.region] = [min(left, line.x0), max(right, line.x1)]
        self.region_edges = {}
        # Pages have margins of about the same width left and right, so full lines of text end
        # about as far from the right edge as they start from the left one.
        page_right = (
            max(self.right_margin, lines[0].page_width - min(line.x0 for line in lines)) if lines else 0.0
        )
        for region, (left, right) in edges.items():
            # A region as wide as the page's text runs to the margin even when none of its own
            # lines does (a page of one-line paragraphs); a column ends where its lines end.
            full_width = right > 0.7 * page_right
            self.region_edges[region] = (left, max(right, page_right) if full_width else right)

    def add_table(self, table: Table) -> None:
        self.flush()
        for row in table.rows:
            self.builder.add_row(row, page=self.current_page)
        self.kind, self.prev = "table_row", None

    def add_line(self, line: Line) -> None:
        page = self.current_page
        line_kind, line_level = _line_kind(line, self.fonts)
        prev = self.prev
        moved = prev is None or line.region != prev.region
        broken = (
            moved
            or abs(line.size - prev.size) > 0.07 * max(prev.size, 1.0)
            or prev.bottom - line.bottom > 1.45 * self.leading
            or (self.kind == "paragraph" and _ends_short(prev, line))
            or (self.kind in ("paragraph", "list_item") and self._ends_paragraph(prev, line))
        )
        if moved and self._carries_on(line_kind, line):
            broken = False
            line_kind = self.kind
        elif self.kind == "list_item" and line_kind == "paragraph" and not broken:
            # A bullet wrapped onto the next line: the line continues the item.
            line_kind = "list_item"
        elif line_kind == "list_item" or line_kind != self.kind:
            broken = True
        if broken:
            self.flush()
            self.kind, self.level, self.page = line_kind, line_level, page
            self.text = _strip_bullet(line.text) if line_kind == "list_item" else line.text
        else:
            self.text = join_lines(self.text, line.text)
        self.prev = line

    def _ends_paragraph(self, prev: Line, line: Line) -> bool:
        """Does ``prev`` end a paragraph: a sentence end on a line stopping well short of the
        margin, with a capitalised line next? Running text fills its lines up to the last."""
        if not prev.text.endswith((".", "?", "!", ":")) or not line.text[:1].isupper():
            return False
        left, right = self.region_edges.get(prev.region, (prev.x0, prev.x1))
        return right > left and prev.x1 - left < 0.85 * (right - left)

    def _carries_on(self, line_kind: str, line: Line) -> bool:
        """Does ``line``, first in a new column or page, continue the open block?"""
        return (
            bool(self.text)
            and self.kind in ("paragraph", "list_item")
            and line_kind == "paragraph"
            and line.text[:1].islower()
            and not self.text.rstrip().endswith(_SENTENCE_ENDS)
        )

    def flush(self) -> None:
        """Add the open block, then any page breaks that came while it was open."""
        _add(self.builder, self.kind, self.text, self.level, self.page)
        self.text = ""
        for page in self.pending_breaks:
            self.builder.page_break(page)
        self.pending_breaks.clear()


def _ends_short(prev: Line, line: Line) -> bool:
    """A line of three words or fewer followed by a capitalised line ends its paragraph.

    Running text only has such a short line at the end of a paragraph; a list of short items
    set without gaps (grades in a column: "Good", "Requires improvement") is one item a line.
    """
    return len(prev.text.split()) <= 3 and (line.text[:1].isupper() or line.text[:1].isdigit())


def _add(builder: TextBuilder, kind: str, text: str, level: int, page: int) -> None:
    if not text:
        return
    if kind == "heading" and len(text) > _HEADING_MAX:
        kind, level = "paragraph", 0
    # A hyphen pdfium marked as soft but that stayed (no line was joined after it) is shown.
    text = text.replace("\x02", "-").replace("\ufffe", "-").replace("\u00ad", "")
    builder.add(kind, text, level=level, page=page)  # type: ignore[arg-type]


def _typical_leading(lines: list[Line]) -> float:
    gaps = [
        a.bottom - b.bottom
        for a, b in itertools.pairwise(lines)
        if a.region == b.region and 0 < a.bottom - b.bottom < 4 * max(a.size, 1.0)
    ]
    if not gaps:
        return max((line.size for line in lines), default=10.0) * 1.2
    # The lower quartile, not the median: on a page of short paragraphs the gaps between
    # paragraphs can outnumber the gaps between lines.
    gaps.sort()
    return gaps[len(gaps) // 4]


def _line_kind(line: Line, fonts: FontSizes) -> tuple[str, int]:
    if len(line.text) < _HEADING_MAX:
        level = fonts.heading_level(line.size)
        if level:
            return "heading", level
    if _LIST_START.match(line.text):
        return "list_item", 1
    return "paragraph", 0


def _strip_bullet(text: str) -> str:
    """Drop a symbol bullet (kept numbers: "1." can be referred to in the text)."""
    if text and text[0] in _BULLETS:
        return text[1:].lstrip()
    return text


def join_lines(text: str, line: str) -> str:
    """Join a line onto the paragraph so far, re-joining a word hyphenated across the break.

    Only a lowercase continuation loses the hyphen ("investi-" + "gation"); "Anglo-" + "Saxon"
    and "2019-" + "20" keep it and are glued without a space.
    """
    if not text:
        return line
    if text[-1] in _HYPHENS and len(text) > 1 and not text[-2].isspace():
        if text[-2].isalpha() and line[:1].islower():
            return text[:-1] + line
        return text[:-1] + "-" + line
    return f"{text} {line}"
