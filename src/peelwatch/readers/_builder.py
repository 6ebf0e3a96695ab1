"""Assemble a Document's text, blocks and source segments while a reader walks its source.

Readers that rebuild text from structure (HTML, PDF, DOCX) all follow the same rules, so that
the text reads like a plain-text copy of the document and the same extraction rules work for
every format:

* blocks are joined by a blank line; the items of one list by a single line break, each item on
  a line of its own that starts with its marker ("• ", "◦ ", "1. ", "a) "), indented two spaces
  per nesting level below the first;
* table rows are one line each, directly below each other, with their cells joined by a tab.

Keeping those rules in one place means every reader's offsets mean the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peelwatch.readers.model import Block, BlockKind, SourceSegment

BLOCK_SEPARATOR = "\n\n"
ITEM_SEPARATOR = "\n"
CELL_SEPARATOR = "\t"
# Blocks set one per line, directly below a block of the same kind.
_LINE_KINDS = frozenset(("list_item", "table_row"))
# List markers by nesting level when the source gives none of its own (HTML <ul>, bullet styles).
BULLET_MARKERS = ("•", "◦", "▪")


def bullet_marker(level: int) -> str:
    """The bullet shown before a list item at nesting ``level`` (1 = top): •, ◦, ▪, ▪, ..."""
    return BULLET_MARKERS[min(max(level, 1), len(BULLET_MARKERS)) - 1]


_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(number: int) -> str:
    """``number`` in lowercase Roman numerals: 4 -> "iv" (0 and below give "0")."""
    if number <= 0:
        return "0"
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _alphabetic(number: int) -> str:
    """``number`` as list letters: 1 -> "a", 26 -> "z", 27 -> "aa"."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters or "0"


def list_number(number: int, style: str = "1") -> str:
    """``number`` as a numbered list shows it in ``style``, HTML's ``type`` letters: "1" -> 3,
    "a" -> c, "A" -> C, "i" -> iii, "I" -> III."""
    if style in ("a", "A"):
        label = _alphabetic(number)
    elif style in ("i", "I"):
        label = _roman(number)
    else:
        label = str(number)
    return label.upper() if style.isupper() else label


# Characters no document shows: C0 controls other than tab, newline, vertical tab and form
# feed, DEL, private-use code points (symbol-font glyphs such as bullets, icon fonts) and the
# two noncharacters. PostgreSQL refuses NUL in text, and the search snippets use private-use
# characters as markers, so none of these may reach a Document.
UNSHOWN = re.compile("[\x00-\x08\x0e-\x1f\x7f\ue000-\uf8ff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without the characters in UNSHOWN; vertical tabs and form feeds become spaces."""
    if text.isprintable():
        # The common case, and a much faster check than the pattern: nothing to remove.
        return text
    text = UNSHOWN.sub("", text)
    if "\f" in text or "\v" in text:
        text = text.replace("\f", " ").replace("\v", " ")
    return text


@dataclass(slots=True)
class TextBuilder:
    """Collects blocks in reading order and produces consistent offsets for them."""

    parts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    segments: list[SourceSegment] = field(default_factory=list)
    length: int = 0

    def _append(self, kind: BlockKind, text: str, prefix: str = "") -> tuple[int, int]:
        """Append ``prefix`` and ``text`` after the separator if needed; return the span of ``text``."""
        if self.parts:
            # A list item below a list item, or a row below a row, goes on the next line.
            follows = kind in _LINE_KINDS and self.blocks[-1].kind == kind
            separator = ITEM_SEPARATOR if follows else BLOCK_SEPARATOR
            self.parts.append(separator)
            self.length += len(separator)
        if prefix:
            self.parts.append(prefix)
            self.length += len(prefix)
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def add(
        self,
        kind: BlockKind,
        text: str,
        *,
        level: int = 0,
        page: int | None = None,
        locator: str | None = None,
        marker: str | None = None,
    ) -> Block | None:
        """Add a heading, paragraph or list item; empty text adds nothing and returns None.

        A list item is shown on its own line after ``marker`` (a bullet when none is given),
        indented by its level, directly below the item before it; the block spans the item's
        words, not the marker.
        """
        text = clean(text).strip()
        if not text:
            return None
        prefix = ""
        if kind == "list_item":
            marker = clean(marker or "").strip() or bullet_marker(level)
            prefix = f"{'  ' * (max(level, 1) - 1)}{marker} "
        start, end = self._append(kind, text, prefix)
        block = Block(kind, start, end, level=level, page=page)
        self.blocks.append(block)
        if locator is not None:
            self.segments.append(SourceSegment(start, end, locator))
        return block

    def add_row(
        self, cells: list[str], *, page: int | None = None, locator: str | None = None
    ) -> Block | None:
        """Add a table row whose cells are joined by tabs; a row of empty cells adds nothing."""
        # A tab or line break inside a cell would split it when the text is read back: show it
        # as a space.
        cells = [" ".join(clean(cell).split()) for cell in cells]
        if not any(cells):
            return None
        start, end = self._append("table_row", CELL_SEPARATOR.join(cells))
        offsets: list[tuple[int, int]] = []
        pos = start
        for cell in cells:
            offsets.append((pos, pos + len(cell)))
            pos += len(cell) + len(CELL_SEPARATOR)
        block = Block("table_row", start, end, cells=tuple(offsets), page=page)
        self.blocks.append(block)
        if locator is not None:
            self.segments.append(SourceSegment(start, end, locator))
        return block

    def page_break(self, page: int) -> None:
        """Mark the start of ``page`` (1-based) with an empty ``page_break`` block."""
        self.blocks.append(Block("page_break", self.length, self.length, page=page))

    def text(self) -> str:
        return "".join(self.parts)
