"""Candidate items: the text cut into blocks (headings, list items, paragraphs, table rows, markers).

This is the first stage of reading findings: it knows nothing of findings, only of layout. A block
is one heading line, one bullet or numbered item (with the lines it wraps onto), one paragraph,
one table row, or one marker line of a flattened tracker (a bare number, a status, a force name).

    Areas for improvement                      -> heading
    • The force should review its             -> item (two lines, one block)
      use of stop and search.
    1\tThe force should …\tComplete            -> row with three cells
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.cues import cues, in_author_voice, is_force_line
from peelwatch.extract.text import Line, flatten, lines

BULLET = lazy_compile(r"^(?:[-•·*–▪◦●]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+")
_NUMBER = lazy_compile(r"^\(?(\d{1,2})[.)]")
_MD_HEADING = lazy_compile(r"^#{1,6}\s+")
_PARA_NUMBER = lazy_compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+(?=\S)")  # "12.2 " before a paragraph of minutes
_SEPARATOR_ROW = lazy_compile(r"^\|?\s*:?-{3,}")
_REF_CELL = lazy_compile(r"^[A-Za-z]{0,4}\s?\d{1,3}[a-z]?\.?$")
_SENTENCE_END = (".", "!", "?", ";", ":")
_SPEAKER_CLAUSE = lazy_compile(r",\s+(?:I|we|We)\s+[a-z]")  # "Since 2016, I have …": a sentence, not a title
_CONNECTORS = frozenset(
    ["and", "or", "that", "to", "the", "of", "a", "an", "in", "with", "for", "by", "which", "who", "as"]
)


@dataclass(frozen=True, slots=True)
class Cell:
    start: int
    end: int
    text: str


class Block(NamedTuple):
    """One candidate item. ``start``/``end`` are offsets in the text; ``text`` is the block's words
    with white space folded and any bullet or heading mark removed. (A named tuple, as
    :class:`~peelwatch.extract.text.Line` is, for the time taken to make one per paragraph.)"""

    kind: str  # "heading", "item", "para", "row", "marker"
    start: int
    end: int
    first: int  # index of its first line
    last: int  # index of its last line
    text: str
    marker: str = ""  # the bullet or number that opened an item
    gap: bool = False  # a blank line stands before it
    cells: tuple[Cell, ...] = ()

    @property
    def number(self) -> str | None:
        """The number of a numbered item: "2." gives "2"."""
        m = _NUMBER.match(self.marker)
        return m.group(1) if m else None

    def to_source(self, source: str, pos: int) -> int:
        """The offset in ``source`` of position ``pos`` in the block's words with white space folded
        (its ``text``, but for a row, whose text leaves out the cell separators)."""
        return flatten(source[self.start : self.end], self.start).to_source(pos)


def is_marker_line(text: str) -> bool:
    """A line of a flattened tracker that is only a cell: "3", "T2", "Completed", "Kent Police"."""
    if len(text) > 60 or text.endswith((".", ":", ",", ";")):
        return False
    # (the reference-cell pattern matches at most 11 characters: not worth running on longer lines)
    return bool(
        (len(text) <= 11 and _REF_CELL.match(text)) or cues().status.match(text) or is_force_line(text)
    )


def is_row_line(text: str) -> bool:
    """A table row: cells between pipes, or two or more cells between tabs."""
    if text.startswith("|") and text.endswith("|") and text.count("|") >= 3:
        return True
    return "\t" in text and sum(1 for c in text.split("\t") if c.strip()) >= 2


def starts_demand(text: str) -> bool:
    """Whether a line opens with a demand on the force: "The force should …", "Kent Police needs to …",
    "Within three months, the force should …", or an imperative ("Make sure that …")."""
    c = cues()
    text = text.lstrip("“\"‘'")
    return bool(c.demand.match(text) or (text[:1].isupper() and c.imperative.match(text)))


@lru_cache(maxsize=4096)  # short lines come again: running heads, labels, grades
def heading_like(text: str) -> bool:
    """A short line without closing punctuation that could title what follows: "Areas for
    improvement", "Investigating crime", "How effective is the force at …?". A demand ("The force
    should …") or a failing ("The force doesn't …") is never a heading however short, nor a clause
    whose speaker follows a comma ("Since my election, I have …")."""
    if len(text) > 160:
        return False
    t = _MD_HEADING.sub("", text) if text.startswith("#") else text
    if not t or BULLET.match(t):
        return False
    words = t.split()
    if len(words) > 14 or t.rstrip("”’\"'").endswith((".", ",", ";")):
        return False
    if t.endswith(":") and len(words) > 5:
        return False
    if not (t[0].isupper() or t[0].isdigit() or t[0] in "‘“'\"(") or _SPEAKER_CLAUSE.search(t):
        return False
    return not (starts_demand(t) or cues().concern_in(t))


@lru_cache(maxsize=4)
def blocks(text: str) -> tuple[Block, ...]:
    """The text as blocks, in order (see the module docstring). Cached: findings and responses
    walk the same blocks."""
    lay = _Layout(lines(text))
    ls = lay.ls
    out: list[Block] = []
    i, gap = 0, True
    while i < len(ls):
        ln = ls[i]
        t = ln.text
        if not t:
            gap, i = True, i + 1
            continue
        if t[0] in "|:-" and _SEPARATOR_ROW.match(t) and set(t) <= set("|-: \t"):
            i += 1
            continue
        if is_row_line(t):
            out.append(_row(ln, i, gap))
            i, gap = i + 1, False
            continue
        m = BULLET.match(t)
        if m:
            last = lay.item_end(i)
            out.append(_block("item", ls, i, last, gap, marker=m.group(0).strip(), skip=m.end()))
        elif lay.marker(i):
            last = i
            out.append(_block("marker", ls, i, i, gap))
        elif lay.heading(i) and lay.stands_alone(i):
            last = i
            md = _MD_HEADING.match(t)
            out.append(_block("heading", ls, i, i, gap, skip=md.end() if md else 0))
        else:
            last = lay.para_end(i)
            num = _PARA_NUMBER.match(t)
            marker, skip = (num.group(0).strip(), num.end()) if num else ("", 0)
            out.append(_block("para", ls, i, last, gap, marker=marker, skip=skip))
        i, gap = last + 1, False
    return tuple(out)


class ResponseHeads:
    """The response heading each block opens with (:meth:`Cues.response_heading_at` of its text),
    read once per block: the finding rules and the response rules both ask of most blocks. The
    quick test before it (:meth:`Cues.may_open_heading`), which the finding rules also ask of
    every block, is kept too."""

    __slots__ = ("_cued", "_read", "bs")

    def __init__(self, bs: tuple[Block, ...]) -> None:
        self.bs = bs
        self._read: dict[int, re.Match[str] | None] = {}
        self._cued: dict[int, bool] = {}

    def cued(self, k: int) -> bool:
        """:meth:`Cues.may_open_heading` of block ``k``'s text."""
        found = self._cued.get(k)
        if found is None:
            found = self._cued[k] = cues().may_open_heading(self.bs[k].text)
        return found

    def __call__(self, k: int) -> re.Match[str] | None:
        if k in self._read:
            return self._read[k]
        m = self._read[k] = cues().response_heading.match(self.bs[k].text) if self.cued(k) else None
        return m


@lru_cache(maxsize=4)
def _response_heads(text: str) -> ResponseHeads:
    return ResponseHeads(blocks(text))


def response_heads(source: str, bs: tuple[Block, ...]) -> ResponseHeads:
    """The :class:`ResponseHeads` of blocks ``bs`` of ``source``: shared by every caller when they
    are the text's own :func:`blocks` (cached like them), else read afresh."""
    return _response_heads(source) if bs is blocks(source) else ResponseHeads(bs)


def _block(
    kind: str, ls: tuple[Line, ...], i: int, last: int, gap: bool, marker: str = "", skip: int = 0
) -> Block:
    start = ls[i].start + skip
    words = ls[i].text if i == last else " ".join(ln.text for ln in ls[i : last + 1] if ln.text)
    return Block(kind, start, ls[last].end, i, last, " ".join(words[skip:].split()), marker, gap)


def _row(ln: Line, i: int, gap: bool) -> Block:
    raw = ln.text
    sep = "|" if raw.startswith("|") else "\t"
    cells = []
    pos = 0
    for part in raw.split(sep):
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        if body:
            s = ln.start + pos + lead
            cells.append(Cell(s, s + len(body), body))
        pos += len(part) + 1
    text = " ".join(c.text for c in cells)
    return Block("row", ln.start, ln.end, i, i, text, "", gap, tuple(cells))


def _wrap_width(ls: tuple[Line, ...]) -> int | None:
    """The width at which the text's paragraphs were wrapped (the median length of lines whose
    sentence runs on in lower case on the next line), or ``None`` when nothing was wrapped."""
    widths = sorted(
        len(ls[i].text)
        for i in range(len(ls) - 1)
        if ls[i].text and not ls[i].text.endswith(_SENTENCE_END) and ls[i + 1].text[:1].islower()
    )
    return widths[len(widths) // 2] if len(widths) >= 3 else None


class _Layout:
    """The lines of a text with what each looks like, worked out once per line."""

    def __init__(self, ls: tuple[Line, ...]) -> None:
        self.ls = ls
        self.width = _wrap_width(ls)
        self._opens: dict[int, bool] = {}
        self._heading: dict[int, bool] = {}
        self._marker: dict[int, bool] = {}

    def marker(self, i: int) -> bool:
        if i not in self._marker:
            self._marker[i] = is_marker_line(self.ls[i].text)
        return self._marker[i]

    def heading(self, i: int) -> bool:
        if i not in self._heading:
            self._heading[i] = heading_like(self.ls[i].text)
        return self._heading[i]

    def opens(self, i: int) -> bool:
        """Whether line ``i`` always starts a block: a bullet, a row, a marker, a label ("AFI 2:")
        or a response heading ("PCC response")."""
        if i not in self._opens:
            t = self.ls[i].text
            c = cues()
            self._opens[i] = bool(
                not t
                or BULLET.match(t)
                or is_row_line(t)
                or self.marker(i)
                or (c.may_open_heading(t) and (c.label.match(t) or c.response_heading.match(t)))
            )
        return self._opens[i]

    def stands_alone(self, i: int) -> bool:
        """A heading-like line is a heading only where a block may start and the next line does not
        carry on its sentence in lower case."""
        prev = self.ls[i - 1].text if i else ""
        if prev and not (prev.endswith(_SENTENCE_END) or self.heading(i - 1) or self.marker(i - 1)):
            return False
        nxt = self.ls[i + 1].text if i + 1 < len(self.ls) else ""
        return not (nxt[:1].islower() and not BULLET.match(nxt))

    def breaks_before(self, j: int, item: bool = False) -> bool:
        """Whether line ``j`` starts a new block after line ``j - 1`` without a blank line between.

        A sentence that ends a line ends its paragraph, unless the line is as long as the text's
        wrapped lines (a wrap that fell at a full stop). A list item's sentence followed by a capital
        ends the item. A line opening a demand ("The force should …") starts a new item unless the
        line before stops mid-phrase: a list whose bullets were lost. A line in the author's voice
        under a title without a full stop starts the answer (``answers_title``)."""
        if self.opens(j):
            return True
        cur, nxt = self.ls[j - 1].text, self.ls[j].text
        if cur.endswith(_SENTENCE_END):
            width = self.width
            short = width is None or len(cur) < 0.8 * width or len(cur) > 1.5 * width
            if short or self.heading(j) or nxt.endswith("?") or (item and nxt[:1].isupper()):
                return True
            return nxt[:1].isupper() and starts_demand(nxt)
        if nxt[:1].isupper() and starts_demand(nxt):
            return cur.split()[-1].lower() not in _CONNECTORS
        return self.answers_title(j)

    def answers_title(self, j: int) -> bool:
        """Whether line ``j`` starts an answer in the author's own voice right under a finding's
        title that has no full stop ("Recommendation 2: By January 2024, forces should review …" /
        "Since 2016, I have …"): a line as long as the wrapped lines is a wrap, not a title."""
        cur, nxt = self.ls[j - 1].text, self.ls[j].text
        width = self.width
        if not nxt[:1].isupper() or (width is not None and len(cur) >= 0.8 * width):
            return False
        return cur.split()[-1].lower() not in _CONNECTORS and in_author_voice(nxt)

    def para_end(self, i: int, item: bool = False) -> int:
        """The last line of the paragraph (or item) that starts at line ``i``."""
        j = i
        while j + 1 < len(self.ls) and not self.breaks_before(j + 1, item):
            j += 1
        return j

    def item_end(self, i: int) -> int:
        """The last line of a list item: its wrapped lines, and lines after a blank line that carry
        on its sentence in lower case (a bullet broken by the reader)."""
        ls = self.ls
        j = self.para_end(i, item=True)
        while (
            j + 2 < len(ls)
            and not ls[j + 1].text
            and ls[j + 2].text[:1].islower()
            and not ls[j].text.endswith((".", "!", "?", ":"))
            and not BULLET.match(ls[j + 2].text)
        ):
            j = self.para_end(j + 2, item=True)
        return j
