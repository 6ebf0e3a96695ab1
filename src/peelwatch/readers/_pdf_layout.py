"""PDF page geometry: runs of words into columns, lines and table cells; running headers.

Works on positions only (no pdfium calls), so it can be tested and reasoned about apart from
the PDF library.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

# Bullets as they come out of PDFs, including the private-use code points of the Symbol and
# Wingdings fonts that word processors use for list bullets.
BULLETS = "•●▪◦○■□‣⁃–-·\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8"
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–(]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–)]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
# "Page 3", "Page 3 of 12", "p. 3/12" at either end of a footer or header line.
_PAGE_PHRASE = re.compile(
    r"(?:^|[\s|•·–—-])(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^(?:page|p\.)\s*\d{1,4}\b",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_MARKER_ONLY = re.compile(rf"^(?:[{re.escape(BULLETS)}]|\(?\d{{1,3}}[.)]|\(?[a-z][.)])$")
# Runs on one line further apart than this many font sizes are separate table cells.
CELL_GAP = 1.5
# A gap of this many font sizes is wider than any word space: two cells set close together
# when the same gap is in a line close above or below (a column of a table), else a wide space.
WIDE_SPACE = 0.8
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
    and the spaces between them, or, for a line read whole, is the text of its words parted by
    single spaces: no list to make, and one object fewer per line for the collector to visit)."""

    chars: list[str] | str = field(default_factory=list)
    x0: float = 1e9
    x1: float = -1e9
    bottom: float = 1e9
    top: float = -1e9
    size: float = 0.0
    # Where the words stand: the median bottom of the words' first letters where those have no
    # descender, else the bottom of the lowest glyph (set by ``finish``).
    baseline: float = 0.0
    # Gaps wider than a word space inside the run: (index in ``chars`` of the word after the
    # gap, x where the gap starts, x where that word starts). Most runs have none and share the
    # empty tuple; a run with one gets a list of its own.
    breaks: list[tuple[int, float, float]] | tuple[()] = ()

    @property
    def text(self) -> str:
        chars = self.chars
        return chars if isinstance(chars, str) else "".join(chars)

    def finish(self, x1: float, bottom: float, top: float, marks: list[float]) -> None:
        """Close the run at its right end ``x1``, ``bottom`` and ``top``; ``marks`` are the
        bottoms of its words' first letters that have no descender.

        The baseline is worked out here, once: a run's marks are not kept (one list less per
        run for the collector to visit, and one sort however often the baseline is read).
        """
        self.x1, self.bottom, self.top = x1, bottom, top
        self.baseline = sorted(marks)[len(marks) // 2] if marks else bottom

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
    # Where the words stand, unlike ``bottom`` not lowered by descenders ("g", "y", ","): the
    # distance between two lines' baselines is their spacing.
    baseline: float = 0.0

    @property
    def in_margin(self) -> bool:
        """In the top or bottom 9% of the page, where running headers and footers live."""
        return self.bottom > 0.91 * self.page_height or self.top < 0.09 * self.page_height


# --- columns ----------------------------------------------------------------------------------


def split_at(runs: list[Run], gutter: float | None) -> list[list[Run]]:
    """Split a page's runs into regions to read one after the other, at a column ``gutter``
    found on the page or known from the document.

    A two-column page has a vertical gutter near the middle that no column line crosses. Rows
    that do cross it (a title or a footer across the page) separate bands; in each band the
    left column is read before the right one. A table set across the page spans the gutter
    too, even where no cell crosses it: its rows have two cells or more on each side, where two
    columns of text have one line each, and the rows just below such a row whose parts start
    where its cells start belong to it. A page without a gutter is one region.
    """
    if gutter is None:
        return [runs]
    rows = _rows(runs)
    spanning = _spanning_rows(rows, gutter)
    regions: list[list[Run]] = []
    left: list[Run] = []
    right: list[Run] = []
    across: list[Run] = []
    # Walk from the top of the page; a spanning row closes the band above it.
    for row, spans in zip(rows, spanning, strict=True):
        if spans:
            regions.extend(part for part in (left, right) if part)
            left, right = [], []
            across.extend(row)
            continue
        if across:
            regions.append(across)
            across = []
        for run in row:
            (left if run.x1 <= gutter else right).append(run)
    regions.extend(part for part in (across, left, right) if part)
    return regions


def _rows(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into rows across the whole page (overlapping vertically), top to bottom."""
    rows: list[list[Run]] = []
    low = 0.0
    for run in sorted(runs, key=lambda r: -r.top):
        middle = (run.top + run.bottom) / 2
        if rows and middle >= low:
            rows[-1].append(run)
            bottom = run.bottom
            low = bottom if bottom < low else low  # min(low, bottom), without the call
        else:
            rows.append([run])
            low = run.bottom
    return rows


def _spanning_rows(rows: list[list[Run]], gutter: float) -> list[bool]:
    """Which rows are set across the gutter: a run crossing it, or a row of a table that has
    cells on both sides of it."""
    tables = _table_rows(rows)
    spanning = []
    for row, table in zip(rows, tables, strict=True):
        # A loop, not ``any`` over a generator: this runs for every row of every page.
        crossing = False
        for r in row:
            if r.x0 < gutter < r.x1:
                crossing = True
                break
        # Two cells or more on each side: one line of text beside a two-cell row is a column
        # of text beside a table set in the other column.
        spanning.append(
            crossing
            or (table and sum(r.x1 <= gutter for r in row) >= 2 and sum(r.x0 >= gutter for r in row) >= 2)
        )
    # the rest of a table whose first rows span the gutter spans it too
    for index in range(1, len(rows)):
        if tables[index] and spanning[index - 1] and tables[index - 1]:
            spanning[index] = True
    return spanning


def _table_rows(rows: list[list[Run]]) -> list[bool]:
    """Rows of tables: three or more runs side by side, and the rows just below such a row,
    as close as its lines are, whose runs all start where the table's cells start (a cell
    that wraps, a last row with an empty first cell)."""
    # Runs only, not the wide spaces inside them: justified text is full of those.
    table = [len(row) >= 3 for row in rows]
    starts = sorted(r.x0 for row, is_table in zip(rows, table, strict=True) if is_table for r in row)
    if not starts:
        return table
    for index in range(1, len(rows)):
        if table[index] or not table[index - 1]:
            continue
        above, row = rows[index - 1], rows[index]
        size = max(max(r.size for r in above), 1.0)
        if min(r.bottom for r in above) - max(r.top for r in row) > 1.5 * size:
            continue
        table[index] = all(_has_near(starts, r.x0, max(r.size, 1.0)) for r in row)
    return table


# A run's or a line's left and right edge, for ``map``: no Python call per item.
X0 = operator.attrgetter("x0")
X1 = operator.attrgetter("x1")


def usual_gutter(gutters: list[float | None], widths: list[float]) -> float | None:
    """The gutter most pages of the document share, if at least two pages and a third of them
    have one at about the same place (within 2% of the page width)."""
    found = sorted(g for g in gutters if g is not None)
    if len(found) < max(2, len(gutters) / 3):
        return None
    middle = found[len(found) // 2]
    width = max(widths) if widths else 0.0
    close = [g for g in found if abs(g - middle) <= 0.02 * width]
    return middle if len(close) >= max(2, len(gutters) / 3) else None


def _body(runs: list[Run], page_height: float) -> list[Run]:
    """The runs of the page's body, clear of the top and bottom 7% where headers and footers are."""
    low, high = 0.07 * page_height, 0.93 * page_height
    return [r for r in runs if low < (r.top + r.bottom) / 2 < high]


def gutter_is_free(runs: list[Run], gutter: float, page_height: float) -> bool:
    """Does a page leave the document's usual gutter free: no run of its body crosses it (one
    stray line may), and both sides hold at least three lines?"""
    body = _body(runs, page_height)
    crossing = sum(1 for r in body if r.x0 < gutter < r.x1)
    left = sum(1 for r in body if r.x1 <= gutter)
    right = sum(1 for r in body if r.x0 >= gutter)
    return crossing <= 1 and left >= 3 and right >= 3


def find_gutter(runs: list[Run], page_width: float, page_height: float) -> float | None:
    """The x of a column gutter in the middle of the page, or None for a one-column page.

    Only the body of the page counts (running headers and footers are often centred across the
    gutter), and lines wider than most of the text block are left out: they are titles or notes
    set across both columns. A stray short line across the gutter (a centred caption) is allowed.
    A table set across a two-column page crosses the gutter with its cells; when no gutter is
    found, table rows are left out and both sides must then hold columns of running text.
    """
    body = _body(runs, page_height)
    found = _gutter_of(body, page_width, strict=False)
    if found is not None:
        return found
    rows = _rows(body)
    in_tables = {id(r) for row, table in zip(rows, _table_rows(rows), strict=True) if table for r in row}
    if not in_tables:
        return None
    return _gutter_of([r for r in body if id(r) not in in_tables], page_width, strict=True)


def _gutter_of(body: list[Run], page_width: float, strict: bool) -> float | None:
    """The gutter among ``body`` runs; ``strict``: only between columns of running text."""
    if len(body) < 8:
        return None
    x_min = min(map(X0, body))
    # The text block runs to the right margin, taken as wide as the left one, even where the
    # lines on this page stop short of it (a second column holding only a line or two).
    span = max(max(map(X1, body)), page_width - x_min) - x_min
    if span <= 0:
        return None
    band_start, band_end = x_min + 0.25 * span, x_min + 0.75 * span
    step = 2.0
    bins = max(1, int((band_end - band_start) / step))
    cover = [0] * (bins + 1)
    too_wide = 0.6 * span
    for run in body:
        x0, x1 = run.x0, run.x1
        if x1 - x0 >= too_wide or x1 <= band_start or x0 >= band_end:
            continue
        first = int((x0 - band_start) / step)
        last = int((x1 - band_start) / step)
        cover[first if first > 0 else 0] += 1
        cover[(last if last < bins - 1 else bins - 1) + 1] -= 1
    counts = list(itertools.accumulate(cover[:bins]))
    least = min(counts)
    if least > max(1, 0.05 * len(body)):
        return None
    # Every stretch free of lines (but for the allowed stray one) is a candidate, widest first:
    # the widest is not always the gutter when one line reaches into the other column.
    stretches: list[tuple[int, int]] = []
    start = 0
    # Bins with the same count side by side come as one group: a page has a few such stretches
    # across its hundred-odd bins.
    for count, same in itertools.groupby(counts):
        length = sum(1 for _ in same)
        if count == least:
            stretches.append((length, start))
        start += length
    for length, first in sorted(stretches, reverse=True):
        if length * step < max(6.0, 0.012 * page_width):
            break
        middle = band_start + (first + length / 2) * step
        left = [r for r in body if r.x1 <= middle]
        right = [r for r in body if r.x0 >= middle]
        if _both_sides_flow(left, right) or _column_run_on(left, right):
            return middle
        if not strict and _independent_sides(left, right):
            return middle
    return None


def _column_run_on(left: list[Run], right: list[Run]) -> bool:
    """True if one side is a column of running text and the other holds a few lines of it too.

    A column that runs to the foot of the page carries on at the top of the next column, which
    may then hold only a line or two. Those lines start at one left edge and are about as wide
    as the full column's lines, unlike the short cells of a table (a grade beside a question),
    or they are the last words of the text, level with the top of the full column.
    """
    for full, rest in ((left, right), (right, left)):
        if len(full) < 6 or not rest or len(rest) >= len(full):
            continue
        extent = max(r.x1 for r in full) - min(r.x0 for r in full)
        if sum(1 for r in full if r.width >= 0.6 * extent) < 0.6 * len(full):
            continue
        unit = max(max(r.size for r in rest), 1.0)
        edge = min(r.x0 for r in rest)
        if not all(r.x0 - edge <= unit for r in rest):
            continue
        # A line as wide as the column's lines, or the last words of the text set at the top of
        # the column, level with the first line of the full one.
        level = abs(max(r.top for r in rest) - max(r.top for r in full)) <= unit
        if max(r.width for r in rest) >= 0.6 * extent or (level and len(rest) <= 2):
            return True
    return False


def _both_sides_flow(left: list[Run], right: list[Run]) -> bool:
    """True if both sides hold several lines of running text (not a two-column table of labels)."""
    for side in (left, right):
        if len(side) < 4:
            return False
        extent = max(map(X1, side)) - min(map(X0, side))
        # Each run's width spelled out: the property costs a call per run of the page.
        least = 0.6 * extent
        wide = sum(1 for r in side if r.x1 - r.x0 >= least)
        if wide < 0.5 * len(side):
            return False
    return True


def _independent_sides(left: list[Run], right: list[Run]) -> bool:
    """True if the lines either side of the gutter do not line up: two separate flows of text.

    In a table every cell lines up with its row: its baseline (where its letters stand, not
    where descenders reach), or its middle, matches a line or the middle of two lines on the
    other side. Text in two columns, such as a list of questions beside a list of grades, lines
    up only by chance.
    """
    if len(left) < 3 or len(right) < 3:
        return False
    fewer, more = (left, right) if len(left) <= len(right) else (right, left)
    baselines = [r.baseline for r in more]
    middles = sorted((r.bottom + r.top) / 2 for r in more)
    between = [(a + b) / 2 for a, b in itertools.pairwise(middles)]
    aligned = 0
    for run in fewer:
        # Tight on purpose: with loose limits some mark is always near by chance.
        tolerance = 0.1 * max(run.size, 1.0)
        baseline = run.baseline
        middle = (run.bottom + run.top) / 2
        if any(abs(b - baseline) <= tolerance for b in baselines) or any(
            abs(m - middle) <= tolerance for m in between
        ):
            aligned += 1
    return aligned < 0.5 * len(fewer)


# --- runs to lines ----------------------------------------------------------------------------


def lines_of_region(runs: list[Run], region: int, page_height: float, page_width: float = 0.0) -> list[Line]:
    """Group a region's runs into lines (runs that overlap vertically), top to bottom, on a page
    ``page_width`` wide and ``page_height`` high."""
    groups: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: -r.top):
        if groups and _same_line(groups[-1], run):
            groups[-1].append(run)
        else:
            groups.append([run])
    # A line of one run without wide gaps (nearly every line of running text) is one piece that
    # starts no cell: it stands in the cell checks as one shared piece and is made directly.
    pieces = [_RUNNING if len(group) == 1 and not group[0].breaks else _pieces(group) for group in groups]
    # A region of running text alone (most columns) has no cell to look for.
    if pieces.count(_RUNNING) < len(pieces):
        for parts in pieces:
            if len(parts) >= 3 and _justified(parts):
                for piece in parts[1:]:
                    piece.start = "join"
        _choose_cell_breaks(pieces)
    return [
        _running_line(group[0], region, page_height, page_width)
        if parts is _RUNNING
        else _make_line(group, parts, region, page_height, page_width)
        for group, parts in zip(groups, pieces, strict=True)
    ]


@dataclass(slots=True)
class _Piece:
    """Part of a line between wide gaps: its words, where it lies, and whether it starts a cell."""

    text: str
    x0: float
    x1: float
    size: float
    # "hard": after a gap wide enough to part cells on its own (or the line's first piece);
    # "soft": after a gap wider than a word space, a cell start only where a column lines up.
    start: str = "hard"


# The pieces of a line of running text, as the cell checks see them (they never change a
# line's first piece).
_RUNNING: Sequence[_Piece] = (_Piece("", 0.0, 0.0, 0.0),)


def _pieces(group: list[Run]) -> list[_Piece]:
    """The line's runs left to right, cut at their wide gaps."""
    if len(group) == 1 and not group[0].breaks:
        # Most lines of running text: one run, one piece.
        run = group[0]
        return [_Piece(run.text, run.x0, run.x1, run.size)]
    group.sort(key=lambda r: r.x0)
    out: list[_Piece] = []
    for run in group:
        unit = max(run.size, 1.0)
        if out:
            gap = run.x0 - out[-1].x1
            start = "hard" if gap > CELL_GAP * max(unit, out[-1].size) else "soft"
            if gap <= WIDE_SPACE * unit:
                start = "join"
        else:
            start = "hard"
        if isinstance(run.chars, str):
            # A line read whole: one piece, no wide gaps inside it.
            out.append(_Piece(run.chars, run.x0, run.x1, run.size, start))
            continue
        bounds = [0, *(index for index, _, _ in run.breaks), len(run.chars)]
        lefts = [run.x0, *(x for _, _, x in run.breaks)]
        rights = [*(x for _, x, _ in run.breaks), run.x1]
        for number, (a, b) in enumerate(itertools.pairwise(bounds)):
            text = "".join(run.chars[a:b])
            piece = _Piece(text, lefts[number], rights[number], run.size, start if number == 0 else "soft")
            out.append(piece)
    return out


def _justified(parts: list[_Piece]) -> bool:
    """Is this a line of justified text, its word spaces stretched to fill the line?

    Justification widens every space of a line alike, so most of its spaces are wide and about
    equally so; the cells of a table row are parted by wide gaps while the words inside each
    cell keep narrow spaces, and a row of one-word cells has gaps far wider than any stretched
    space.
    """
    if len(parts) < 3:
        return False
    words = sum(len(piece.text.split()) for piece in parts)
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(parts)]
    if len(gaps) < 0.7 * (words - 1):
        return False
    # Justification stretches a space to a few characters at most; wider gaps part cells.
    return max(gaps) <= min(1.5 * max(min(gaps), 0.1), 3.0 * max(parts[0].size, 1.0))


def _has_near(values: list[float], x: float, tolerance: float) -> bool:
    """Is one of the sorted ``values`` within ``tolerance`` of ``x``? (A binary search: a line
    of thousands of parts must not cost thousands of comparisons per part.)"""
    at = bisect.bisect_left(values, x - tolerance)
    return at < len(values) and values[at] <= x + tolerance


def _choose_cell_breaks(lines: list[Sequence[_Piece]]) -> None:
    """Make a soft gap a cell break where a cell of a line close by starts at the same place.

    A table's columns line up from row to row; a wide space in running text lines up with
    nothing. Cells start at hard breaks of lines that have them (the first piece too) and at
    soft breaks; a soft break counts if a line up to three above or below has a start there.
    """
    # Only lines split into pieces have a soft break, and only the lines near them are looked
    # at: the starts of those are worked out (before any break is chosen) and no others.
    split = [index for index, parts in enumerate(lines) if len(parts) > 1]
    starts: dict[int, list[float]] = {}
    for index in split:
        for other in range(max(0, index - 3), min(len(lines), index + 4)):
            if other not in starts:
                starts[other] = _cell_starts(lines[other])
    for index in split:
        for piece in lines[index][1:]:
            if piece.start != "soft":
                continue
            tolerance = 0.6 * max(piece.size, 1.0)
            near = range(max(0, index - 3), min(len(lines), index + 4))
            if any(_has_near(starts[other], piece.x0, tolerance) for other in near if other != index):
                piece.start = "cell"


def _cell_starts(parts: Sequence[_Piece]) -> list[float]:
    """Where the cells of a line start, sorted: at its soft breaks and, if it has hard breaks,
    at those and its first piece."""
    if len(parts) == 1 and parts[0].start != "soft":
        return []  # a line of running text starts no cell
    hard = len(parts) > 1 and any(p.start == "hard" for p in parts[1:])
    return sorted(
        p.x0 for i, p in enumerate(parts) if p.start == "soft" or (hard and (i == 0 or p.start == "hard"))
    )


def _same_line(group: list[Run], run: Run) -> bool:
    """Does ``run`` sit on the line ``group``?

    Runs that overlap the line by half their height do. So does a run well to the side of the
    line that overlaps it at all: a table cell centred against a neighbour cell of two lines
    (a grade beside a question that wraps) belongs with the neighbour's first line.
    """
    if len(group) == 1:
        bottom, top = group[0].bottom, group[0].top
    else:
        bottom = min(r.bottom for r in group)
        top = max(r.top for r in group)
    # Asked for every run of a page: each two-value min and max is spelled out as a comparison
    # that makes the same choice (ties and NaN included) without calling a builtin.
    run_bottom, run_top = run.bottom, run.top
    overlap = (run_top if run_top < top else top) - (run_bottom if run_bottom > bottom else bottom)
    height, run_height = top - bottom, run_top - run_bottom
    if overlap > 0.5 * (run_height if run_height < height else height):
        return True
    if overlap <= 0:
        return False
    margin = CELL_GAP * max(run.size, 1.0)
    return all(run.x0 > r.x1 + margin or run.x1 < r.x0 - margin for r in group)


def _running_line(run: Run, region: int, page_height: float, page_width: float) -> Line:
    """The line of one run of running text: no cells to part, one run to measure."""
    text = run.chars
    if not isinstance(text, str):
        text = "".join(text)
        # Words come joined by single spaces: the clean-up is needed only where that is not so
        # (a line read whole is printable words parted by single spaces already).
        if (
            "  " in text
            or "\t" in text
            or "\xa0" in text
            or (text and (text[0].isspace() or text[-1].isspace()))
        ):
            text = _SPACES.sub(" ", text).strip()
    # By position: a line of running text is made for nearly every line of a document, and
    # keyword arguments cost the making of a Line about half again.
    return Line(
        text if text.isascii() else text.translate(_LIGATURES),
        run.x0,
        run.x1,
        run.bottom,
        run.top,
        run.size,
        region,
        page_height,
        page_width,
        (),  # cells
        (),  # cell_spans
        run.baseline,
    )


def _pieces_of_text(run: Run) -> int:
    """How many words and spaces ``run`` holds, whether they come one by one or, for a line read
    whole, as one text (whose words are parted by single spaces)."""
    chars = run.chars
    return 2 * chars.count(" ") + 1 if isinstance(chars, str) else len(chars)


def _make_line(
    group: list[Run], parts: list[_Piece], region: int, page_height: float, page_width: float
) -> Line:
    """Join the pieces of one line left to right; wide gaps between them make table cells."""
    if len(parts) == 1 and len(group) == 1:
        return _running_line(group[0], region, page_height, page_width)
    cells: list[list[str]] = [[parts[0].text]]
    spans: list[list[float]] = [[parts[0].x0, parts[0].x1]]
    for prev, piece in itertools.pairwise(parts):
        if piece.start in ("hard", "cell"):
            cells.append([piece.text])
            spans.append([piece.x0, piece.x1])
            continue
        gap = piece.x0 - prev.x1
        if gap > 0.15 * max(prev.size, piece.size, 1.0) and not cells[-1][-1].endswith(" "):
            cells[-1].append(" ")
        cells[-1].append(piece.text)
        spans[-1][1] = max(spans[-1][1], piece.x1)
    texts = [_SPACES.sub(" ", "".join(chunk)).strip().translate(_LIGATURES) for chunk in cells]
    if len(texts) > 1 and _MARKER_ONLY.match(texts[0]):
        # A bullet or number set apart from its text by a tab stop belongs to that text.
        texts[:2] = [f"{texts[0]} {texts[1]}"]
        spans[:2] = [[spans[0][0], spans[1][1]]]
    kept = [(text, (span[0], span[1])) for text, span in zip(texts, spans, strict=True) if text]
    main = max(group, key=_pieces_of_text)
    size = main.size
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
        page_width=page_width,
        cells=tuple(text for text, _ in kept) if split else (),
        cell_spans=tuple(span for _, span in kept) if split else (),
        baseline=main.baseline,
    )


# --- running headers and footers -----------------------------------------------------------


def _running_key(text: str) -> str:
    """Header/footer text with its numbers blanked, so "Page 3" and "Page 4" match."""
    return _DIGITS.sub("#", text.lower()).strip()


def _edge_lines(lines: list[Line]) -> list[int]:
    """Indexes of the two highest and two lowest lines on a page, if they are in its margins."""
    if not lines:
        return []
    # Each line's key made once, and looked up by the sort in C.
    order = sorted(range(len(lines)), key=[-line.top for line in lines].__getitem__)
    return sorted(i for i in set(order[:2] + order[-2:]) if lines[i].in_margin)


def _numbered_edge(line: Line) -> bool:
    """A page number alone, set apart at either end of a margin line ("Chapter 2    17"), or
    named at either end ("Annual report | Page 3 of 12")."""
    if _PAGE_NUMBER.match(line.text) or _PAGE_PHRASE.search(line.text):
        return True
    return bool(line.cells) and bool(_PAGE_NUMBER.match(line.cells[0]) or _PAGE_NUMBER.match(line.cells[-1]))


def drop_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Remove page headers and footers: edge lines repeated on most pages, and page numbers.

    Only the two highest and two lowest lines of a page, and only if they lie in its margins,
    are candidates, so body text that happens to repeat is never removed.
    """
    edges = [_edge_lines(lines) for lines in pages]
    counts: Counter[str] = Counter()
    for lines, edge in zip(pages, edges, strict=True):
        counts.update({_running_key(lines[i].text) for i in edge})
    needed = max(2, (len(pages) + 1) // 2)
    cleaned: list[list[Line]] = []
    for lines, edge in zip(pages, edges, strict=True):
        drop = {
            i
            for i in edge
            if counts[_running_key(lines[i].text)] >= needed
            or _numbered_edge(lines[i])
            or _title_repeated_below(lines, i)
        }
        cleaned.append([line for i, line in enumerate(lines) if i not in drop] if drop else lines[:])
    return cleaned


def _title_repeated_below(lines: list[Line], index: int) -> bool:
    """Is the header line ``lines[index]`` the title the page starts with, set again above it?

    A running header repeats the title, often cut short ("Annual review of eff"); on the first
    page, or in a one-page document, it cannot be told by repetition across pages, but the text
    below it starts with the same words, in type no smaller.
    """
    header = lines[index]
    text = " ".join(header.text.split())
    if header.bottom < 0.5 * header.page_height or len(text) < 8:
        return False
    following: list[str] = []
    length = 0
    for line in lines[index + 1 :]:
        if line.size < header.size or length > len(text):
            break
        following.append(line.text)
        length += len(line.text) + 1
    return " ".join(" ".join(following).split()).startswith(text)
