"""PDF lines to Document blocks: tables rebuilt as rows, paragraphs, headings and list items."""

from __future__ import annotations

import itertools
import operator
import re
from collections import Counter
from dataclasses import dataclass

from peelwatch.readers._builder import TextBuilder
from peelwatch.readers._pdf_layout import BULLETS, X0, X1, Line
from peelwatch.readers.model import SourceSegment

# pdfium reports a hyphen at a line end as one of these instead of "-".
SOFT_HYPHENS = "\x02\ufffe\u00ad"
_HYPHENS = "-\u2010\u2011" + SOFT_HYPHENS
_LIST_START = re.compile(rf"^(?:[{re.escape(BULLETS)}]|\(?\d{{1,3}}[.)]|\(?[a-z][.)])\s")
# A table goes on past a gap of up to this many line spacings: cells have padding, and a row
# of two-line cells puts its next row well below its first line.
_TABLE_GAP = 3.0
# Text at least this much larger than the body text is a heading (11 pt over 10 pt counts).
_HEADING_RATIO = 1.08
# A "heading" longer than this is an introduction set in larger type, not a heading.
_HEADING_MAX = 200
# A block whose text ends with one of these is complete; anything else may carry on.
_SENTENCE_ENDS = (".", "!", "?", ":", ";", "\u201d", '"')


def text_right_margin(pages: list[list[Line]]) -> float:
    """Where full lines end: the 90th percentile of line ends over the document."""
    ends = sorted(map(X1, itertools.chain.from_iterable(pages)))
    return ends[int(0.9 * (len(ends) - 1))] if ends else 0.0


def page_segments(builder: TextBuilder) -> list[SourceSegment]:
    """One segment per page, from its first block to its last (a block belongs to the page it
    starts on)."""
    spans: dict[int, tuple[int, int]] = {}
    for block in builder.blocks:
        if block.kind == "page_break" or block.page is None:
            continue
        start, _ = spans.get(block.page, (block.start, block.end))
        spans[block.page] = (start, block.end)
    return [SourceSegment(start, end, f"page:{page}") for page, (start, end) in sorted(spans.items())]


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
            row[column] = join_lines(row.get(column, ""), text)
        for column, text in going_on:
            if column not in row and new_row and previous is not None and column in previous:
                previous[column] = join_lines(previous[column], text)
            else:
                row[column] = join_lines(row.get(column, ""), text)
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
        # Summed by size as set first, then by size rounded: a few sizes, thousands of lines. The
        # rounded sizes come in the order they are first met, as when each line was rounded.
        by_size: dict[float, int] = {}
        for lines in pages:
            for line in lines:
                size = line.size
                by_size[size] = by_size.get(size, 0) + len(line.text)
        weight: Counter[float] = Counter()
        for size, length in by_size.items():
            weight[round(size * 2) / 2] += length
        if not weight:
            return cls(0.0, ())
        body = weight.most_common(1)[0][0]
        headings = tuple(sorted((size for size in weight if size >= _HEADING_RATIO * body), reverse=True))
        return cls(body, headings)

    def heading_level(self, size: float) -> int:
        """1 for the largest heading size, 2 for the next, ...; 0 for text that is not a heading."""
        if not self.body:
            return 0
        rounded = round(size * 2) / 2
        if rounded < _HEADING_RATIO * self.body:
            return 0
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
        self.marker: str | None = None
        # Left edges of the bullets of the open list, outermost first: a bullet set further right
        # is a sub-item.
        self.item_edges: list[float] = []
        self.prev: Line | None = None
        # The open block's last line so far and the right edge of its column: kept across a
        # page break, to tell whether the block ran on to the foot of the column.
        self.foot: tuple[Line, float] | None = None
        self.leading = 0.0
        self.current_page = 1
        self.pending_breaks: list[int] = []
        # The heading level of each type size met so far: a document sets its lines in a few sizes.
        self.levels: dict[float, int] = {}

    def start_page(self, page: int, lines: list[Line], leading: float) -> None:
        """Start page ``page`` of ``lines``, whose line spacing is ``leading`` (see page_leadings)."""
        if page > 1:
            self.pending_breaks.append(page)
        self.prev = None
        self.leading = leading
        self.current_page = page
        self.region_edges = {}
        # Pages have margins of about the same width left and right, so full lines of text end
        # about as far from the right edge as they start from the left one.
        page_right = max(self.right_margin, lines[0].page_width - min(map(X0, lines))) if lines else 0.0
        for region, (left, right) in _region_extents(lines).items():
            # A region as wide as the page's text runs to the margin even when none of its own
            # lines does (a page of one-line paragraphs); a column ends where its lines end.
            full_width = right > 0.7 * page_right
            self.region_edges[region] = (left, max(right, page_right) if full_width else right)

    def add_table(self, table: Table) -> None:
        self.flush()
        for row in table.rows:
            self.builder.add_row([_shown_hyphens(cell) for cell in row], page=self.current_page)
        self.kind, self.prev, self.foot = "table_row", None, None

    def add_line(self, line: Line) -> None:
        page = self.current_page
        size = line.size
        level = self.levels.get(size)
        if level is None:
            level = self.levels[size] = self.fonts.heading_level(size)
        line_kind, line_level = _line_kind(line, level)
        prev = self.prev
        moved = prev is None or line.region != prev.region
        # ``1.0 if x < 1.0 else x`` is ``max(x, 1.0)`` (ties and NaN alike) without the call:
        # this runs for every line of a document.
        broken = (
            moved
            or abs(size - prev.size) > 0.07 * (1.0 if prev.size < 1.0 else prev.size)
            or prev.baseline - line.baseline > 1.45 * _larger(self.leading, 1.2 * prev.size)
            or (self.kind == "paragraph" and _ends_short(prev, line) and not _unfinished(prev.text))
            or (self.kind in ("paragraph", "list_item") and self._ends_paragraph(prev, line))
        )
        if moved and self._carries_on(line_kind, line_level, line):
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
            self.text, self.marker = line.text, None
            if line_kind == "list_item":
                self.marker, self.text = split_marker(line.text)
                self.level = self._item_level(line)
            else:
                self.item_edges.clear()
        else:
            self.text = join_lines(self.text, line.text)
        self.prev = line
        edges = self.region_edges.get(line.region)
        self.foot = (line, edges[1]) if edges else None

    def _ends_paragraph(self, prev: Line, line: Line) -> bool:
        """Does ``prev`` end a paragraph: a sentence end on a line that left room for the next
        line's first word, with a capitalised line next? Running text fills each line until the
        next word does not fit; a line that stops short ended on purpose."""
        if not prev.text.endswith((".", "?", "!", ":")) or not line.text[:1].isupper():
            return False
        left, right = self.region_edges.get(prev.region, (prev.x0, prev.x1))
        return right > left and _left_room(prev, right, line)

    def _carries_on(self, line_kind: str, line_level: int, line: Line) -> bool:
        """Does ``line``, first in a new column or page, continue the open block?

        It does when the block stops mid-sentence and the line starts in lower case, or when the
        block stops on a word no sentence ends on ("... agree arrangements with" / "Kent Police
        to ..."). A heading broken across columns goes on with a lowercase line of its size. A
        paragraph whose last line ran to the edge of its column, with no room left for the next
        word, goes on too, even where a sentence ends there: a paragraph's own last line stops
        short.
        """
        if not self.text:
            return False
        if self.kind == "paragraph" and line_kind == "paragraph" and self._ran_full(line):
            return True
        if self.text.rstrip().endswith(_SENTENCE_ENDS):
            return False
        if self.kind == "heading":
            return line_kind == "heading" and line_level == self.level and line.text[:1].islower()
        return (
            self.kind in ("paragraph", "list_item")
            and line_kind == "paragraph"
            and (line.text[:1].islower() or _unfinished(self.text))
        )

    def _ran_full(self, line: Line) -> bool:
        """Did the open block's last line fill its column, leaving no room for ``line``'s first
        word (in type of the same size)? Only a line of running text (six words or more) counts:
        a column of short entries is as wide as its longest one."""
        if self.foot is None:
            return False
        last, right = self.foot
        if len(last.text.split()) < 6 or abs(line.size - last.size) > 0.07 * max(last.size, 1.0):
            return False
        return not _left_room(last, right, line)

    def _item_level(self, line: Line) -> int:
        """Nesting level of a list item from how far right its bullet stands."""
        edges = self.item_edges
        step = 0.8 * max(line.size, 1.0)
        while edges and line.x0 < edges[-1] - step:
            edges.pop()
        if not edges or line.x0 > edges[-1] + step:
            edges.append(line.x0)
        return min(len(edges), 6)

    def flush(self) -> None:
        """Add the open block, then any page breaks that came while it was open."""
        _add(self.builder, self.kind, self.text, self.level, self.page, self.marker)
        self.text, self.marker = "", None
        for page in self.pending_breaks:
            self.builder.page_break(page)
        self.pending_breaks.clear()


# Words no sentence ends on: a block that stops on one (or on a comma) at the foot of a column
# carries on at the top of the next, whatever the case of the word there.
_UNFINISHED = frozenset(
    (
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "than",
        "that",
        "which",
        "who",
        "whose",
        "its",
        "their",
        "our",
        "his",
        "her",
        "your",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "should",
        "must",
        "into",
        "onto",
        "under",
        "over",
        "about",
        "between",
        "within",
        "without",
        "including",
    )
)


def _unfinished(text: str) -> bool:
    """Does ``text`` stop where no sentence can: on a comma or a word like "with" or "the"?"""
    text = text.rstrip()
    if text.endswith(","):
        return True
    last = text.rsplit(None, 1)[-1] if text else ""
    return last in _UNFINISHED


def _left_room(prev: Line, right: float, line: Line) -> bool:
    """Did ``prev``, in a column ending at ``right``, leave room for ``line``'s first word?"""
    char = (prev.x1 - prev.x0 + line.x1 - line.x0) / max(len(prev.text) + len(line.text), 1)
    first_word = line.text.split(" ", 1)[0]
    # Capitals are wider than the average character; a space and some slack for ragged lines.
    width = len(first_word) + 0.4 * sum(map(str.isupper, first_word)) + 3
    return right - prev.x1 > width * char


def _ends_short(prev: Line, line: Line) -> bool:
    """A line of three words or fewer followed by a capitalised line ends its paragraph.

    Running text only has such a short line at the end of a paragraph; a list of short items
    set without gaps (grades in a column: "Good", "Requires improvement") is one item a line.
    """
    # At most four parts are cut: enough to tell three words from more.
    return (line.text[:1].isupper() or line.text[:1].isdigit()) and len(prev.text.split(None, 3)) <= 3


def _add(builder: TextBuilder, kind: str, text: str, level: int, page: int, marker: str | None) -> None:
    if not text:
        return
    if kind == "heading" and len(text) > _HEADING_MAX:
        kind, level = "paragraph", 0
    text = _shown_hyphens(text)
    builder.add(kind, text, level=level, page=page, marker=marker)  # type: ignore[arg-type]


def _shown_hyphens(text: str) -> str:
    """A hyphen pdfium marked as soft but that stayed (no line was joined after it) is shown."""
    return text.replace("\x02", "-").replace("\ufffe", "-").replace("\u00ad", "")


def _line_gaps(lines: list[Line]) -> list[float]:
    """Distances between the baselines of lines of running text: from a line that runs to the
    right edge of its region (its paragraph goes on below it) to the next line.

    Gaps below short lines are left out: they are mostly gaps between paragraphs, and a
    document of one-line paragraphs would otherwise take its paragraph spacing for its line
    spacing."""
    edges = _region_extents(lines)
    gaps = []
    for a, b in itertools.pairwise(lines):
        if a.region != b.region or not 0 < a.baseline - b.baseline < 4 * (1.0 if a.size < 1.0 else a.size):
            continue
        left, right = edges[a.region]
        if a.x1 >= right - 0.15 * (right - left):
            gaps.append(a.baseline - b.baseline)
    return gaps


def _region_extents(lines: list[Line]) -> dict[int, tuple[float, float]]:
    """The leftmost start and rightmost end of the lines of each region."""
    edges: dict[int, tuple[float, float]] = {}
    # A region's lines come one after the other: each stretch of them is measured at once.
    for region, stretch in itertools.groupby(lines, key=operator.attrgetter("region")):
        same = list(stretch)
        left, right = min(map(X0, same)), max(map(X1, same))
        if region in edges:
            before_left, before_right = edges[region]
            left, right = min(before_left, left), max(before_right, right)
        edges[region] = (left, right)
    return edges


def _lower_quartile(gaps: list[float]) -> float:
    # The lower quartile, not the median: some full lines end a paragraph all the same.
    gaps = sorted(gaps)
    return gaps[len(gaps) // 4]


# A page with fewer line gaps than this says little about its own line spacing (a page of a
# few headings and short paragraphs): the document's spacing is used instead, or failing that
# 1.2 times the type size.
_FEW_GAPS = 4


def page_leadings(pages: list[list[Line]]) -> list[float]:
    """The usual line spacing of each page (0.0 for a page without lines), from the gaps
    between its lines of running text, or the whole document's for a page with few of them."""
    page_gaps = [_line_gaps(lines) for lines in pages]
    every = [gap for gaps in page_gaps for gap in gaps]
    document = _lower_quartile(every) if len(every) >= _FEW_GAPS else 0.0
    return [
        _typical_leading(lines, gaps, document) if lines else 0.0
        for lines, gaps in zip(pages, page_gaps, strict=True)
    ]


def _typical_leading(lines: list[Line], gaps: list[float], document: float) -> float:
    if len(gaps) >= _FEW_GAPS:
        return _lower_quartile(gaps)
    if document > 0:
        return document
    sizes = sorted(line.size for line in lines)
    return 1.2 * (sizes[len(sizes) // 2] if sizes else 10.0)


def _larger(a: float, b: float) -> float:
    """``max(a, b)``, the same choice for ties and NaN, without the builtin's call."""
    return b if b > a else a


def _line_kind(line: Line, level: int) -> tuple[str, int]:
    """The kind of block ``line`` starts, with its level; ``level`` is its type size's heading level."""
    if level and len(line.text) < _HEADING_MAX:
        return "heading", level
    if _LIST_START.match(line.text):
        return "list_item", 1
    return "paragraph", 0


# Bullet glyphs as the text shows them: round ones as "•", hollow ones as "◦", squares as "▪";
# dashes and the rest stay as they are. Symbol and Wingdings fonts put their bullets at
# private-use code points, which no text may hold.
_BULLET_SHOWN = str.maketrans(
    {
        "●": "•",
        "\uf0b7": "•",
        "\uf0d8": "•",
        "\uf076": "•",
        "\uf0fc": "•",
        "○": "◦",
        "\uf0a8": "◦",
        "■": "▪",
        "□": "▪",
        "\uf0a7": "▪",
        "‣": "•",
        "⁃": "-",
    }
)


def split_marker(text: str) -> tuple[str, str]:
    """A list item's marker and its words: "• Train staff" -> ("•", "Train staff"),
    "2. Publish" -> ("2.", "Publish"), "(b) Review" -> ("(b)", "Review")."""
    if text and text[0] in BULLETS:
        return text[0].translate(_BULLET_SHOWN), text[1:].lstrip()
    marker, _, rest = text.partition(" ")
    return marker, rest.lstrip()


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
