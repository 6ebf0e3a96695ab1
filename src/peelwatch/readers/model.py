"""The reader's output: a document as normalised text plus its structure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table_row", "page_break"]


@dataclass(frozen=True, slots=True)
class Block:
    """One structural unit of the text: ``text[start:end]`` is its content.

    ``cells`` holds the (start, end) offsets of each cell for a table row; ``level`` is the heading
    level (1 = top) or list nesting depth; ``page`` is the 1-based page for paged sources.
    """

    kind: BlockKind
    start: int
    end: int
    level: int = 0
    cells: tuple[tuple[int, int], ...] = ()
    page: int | None = None


@dataclass(frozen=True, slots=True)
class SourceSegment:
    """Maps ``text[start:end]`` back to where it came from in the source.

    ``locator`` names the place in the source: a byte offset for text files ("byte:1234"),
    a page ("page:3"), an HTML element path ("html:/body/main/p[4]") or a DOCX body index ("docx:17").
    """

    start: int
    end: int
    locator: str


@dataclass(slots=True)
class Document:
    """A document as peelwatch reads it.

    ``text`` is normalised (``\\n`` line ends, no BOM, blocks separated by blank lines) but keeps
    every character the source shows, so an extracted ``text[start:end]`` is the source's own words.
    """

    text: str
    format: Literal["text", "html", "pdf", "docx"]
    blocks: list[Block] = field(default_factory=list)
    source: str | None = None
    title: str | None = None
    published: str | None = None
    # the publisher's name as an HTML page states it ("Nottinghamshire Police" from a <title> of
    # "News | Nottinghamshire Police", or og:site_name)
    site: str | None = None
    pages: int | None = None
    segments: list[SourceSegment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def cell_texts(self, block: Block) -> list[str]:
        return [self.text[s:e] for s, e in block.cells]

    def locate(self, offset: int) -> str | None:
        """Where in the source the character at ``offset`` came from, if known."""
        for seg in self.segments:
            if seg.start <= offset < seg.end:
                return seg.locator
        return None
