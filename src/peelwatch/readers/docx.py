"""DOCX letters and reports: the body in order, with headings, list items and table rows.

The body is walked in order, as python-docx's ``iter_inner_content()`` does, so a table
between two paragraphs stays between them; paragraphs inside content controls are read too. Page headers and footers are not read: in letters
they hold the letterhead and page numbers, not content.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING

from peelwatch.errors import CorruptDocumentError
from peelwatch.readers._builder import TextBuilder
from peelwatch.readers.model import BlockKind, Document

if TYPE_CHECKING:
    from collections.abc import Iterator

    from docx.blkcntnr import BlockItemContainer
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.table import Table
    from docx.text.paragraph import Paragraph

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^list\b.*?(\d)?$", re.IGNORECASE)
_DAMAGED = "DOCX is damaged or truncated"
# Bullets typed by hand (or pasted) at the start of a paragraph, followed by a space or tab.
_TYPED_BULLET = re.compile(r"^[•●▪◦○■□‣⁃·\uf0b7\uf0a7][ \t]+")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, source: str | None = None) -> Document:
    """Read DOCX bytes into a Document."""
    from docx import Document as open_docx
    from docx.table import Table

    try:
        docx = open_docx(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise CorruptDocumentError(f"{_DAMAGED} (not a readable ZIP archive)") from exc
    except KeyError as exc:
        raise CorruptDocumentError(f"{_DAMAGED} (a required part is missing)") from exc
    except Exception as exc:  # python-docx and lxml raise many types for malformed parts
        raise CorruptDocumentError(_DAMAGED) from exc
    builder = TextBuilder()
    try:
        title = (docx.core_properties.title or "").strip() or None
        for index, item in enumerate(body_items(docx)):
            if isinstance(item, Table):
                _add_table(builder, item, index)
            else:
                _add_paragraph(builder, item, index)
    except Exception as exc:  # a damaged part surfaces only when its XML is walked
        raise CorruptDocumentError(_DAMAGED) from exc
    text = builder.text()
    if title is None:
        title = next((text[b.start : b.end] for b in builder.blocks if b.kind == "heading"), None)
    return Document(
        text=text,
        format="docx",
        blocks=builder.blocks,
        source=source,
        title=title,
        segments=builder.segments,
        warnings=[] if text.strip() else ["no readable text"],
    )


def body_items(docx: DocxDocument) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables of the body in order.

    This is what ``Document.iter_inner_content()`` yields, plus the paragraphs and tables inside
    block-level content controls (``w:sdt``), which it skips: report templates put cover pages
    and summaries in them.
    """
    return _items(docx.element.body, docx._body)


def _items(element: BaseOxmlElement, parent: BlockItemContainer) -> Iterator[Paragraph | Table]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == f"{_W}p":
            yield Paragraph(child, parent)
        elif child.tag == f"{_W}tbl":
            yield Table(child, parent)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _items(content, parent)


# Run content that shows as text, and what it shows as.
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
# Text under these is not shown in the paragraph: deleted or moved-away tracked changes, and
# text boxes (their own paragraphs, drawn elsewhere on the page).
_HIDDEN = frozenset((f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent"))


def paragraph_text(p: BaseOxmlElement) -> str:
    """The text a paragraph shows, including tracked insertions and field results.

    python-docx's ``Paragraph.text`` reads only runs directly in the paragraph or a hyperlink,
    so text inserted with track changes on, or inside a simple field, would be lost.
    """
    parts: list[str] = []
    for element in p.iter(f"{_W}t", *_RUN_TEXT):
        parent = element.getparent()
        if parent is None or parent.tag != f"{_W}r" or _is_hidden(element, p):
            continue
        parts.append(element.text or "" if element.tag == f"{_W}t" else _RUN_TEXT[element.tag])
    return "".join(parts)


def _is_hidden(element: BaseOxmlElement, paragraph: BaseOxmlElement) -> bool:
    node = element.getparent()
    while node is not None and node is not paragraph:
        if node.tag in _HIDDEN:
            return True
        node = node.getparent()
    return False


def _style_name(paragraph: Paragraph) -> str:
    style = paragraph.style
    return (style.name or "") if style is not None else ""


def paragraph_kind(paragraph: Paragraph) -> tuple[BlockKind, int]:
    """("heading", level), ("list_item", depth) or ("paragraph", 0) for a DOCX paragraph."""
    name = _style_name(paragraph)
    if name.lower() == "title":
        return "heading", 1
    heading = _HEADING_STYLE.match(name)
    if heading:
        return "heading", max(1, int(heading.group(1)))
    ppr = paragraph._p.pPr
    # A paragraph formatted as a heading by hand rather than by style still has an outline level.
    outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    if outline is not None:
        value = outline.get(f"{_W}val", "")
        if value.isdigit() and int(value) < 9:
            return "heading", int(value) + 1
    num_pr = ppr.numPr if ppr is not None else None
    if num_pr is not None:
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        return "list_item", int(ilvl or 0) + 1
    listed = _LIST_STYLE.match(name)
    if listed:
        return "list_item", int(listed.group(1) or 1)
    return "paragraph", 0


def _add_paragraph(builder: TextBuilder, paragraph: Paragraph, index: int) -> None:
    kind, level = paragraph_kind(paragraph)
    text = paragraph_text(paragraph._p).strip()
    typed = _TYPED_BULLET.match(text)
    if typed and kind == "paragraph":
        kind, level, text = "list_item", 1, text[typed.end() :]
    builder.add(kind, text, level=level, locator=f"docx:{index}")


def _add_table(builder: TextBuilder, table: Table, index: int) -> None:
    for row_number, row in enumerate(table.rows, start=1):
        cells: list[str] = []
        seen: list[object] = []
        for cell in row.cells:
            # A merged cell appears once per grid column it spans; read it once.
            if any(cell._tc is element for element in seen):
                continue
            seen.append(cell._tc)
            cells.append(" ".join(" ".join(paragraph_text(p._p) for p in cell.paragraphs).split()))
        builder.add_row(cells, locator=f"docx:{index}/row:{row_number}")
