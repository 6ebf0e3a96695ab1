"""DOCX letters and reports: the body in order, with headings, list items and table rows.

The body is walked in order, as python-docx's ``iter_inner_content()`` does, so a table
between two paragraphs stays between them; paragraphs inside content controls are read too. Page headers and footers are not read: in letters
they hold the letterhead and page numbers, not content.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from peelwatch.errors import CorruptDocumentError, FileTooLargeError
from peelwatch.readers._builder import TextBuilder, bullet_marker, list_number
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
_CHUNK = 1 << 20
# Bullets typed by hand (or pasted) at the start of a paragraph, followed by a space or tab.
_TYPED_BULLET = re.compile(r"^[•●▪◦○■□‣⁃·\uf0b7\uf0a7][ \t]+")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Child elements are found with lxml's find: python-docx's generated properties (``_p.pPr``)
# cost ten times as much, and were most of the time spent reading a long document.
_PPR = f"{_W}pPr"
_RUN = f"{_W}r"


def read_docx(data: bytes, source: str | None = None, *, max_inflated: int | None = None) -> Document:
    """Read DOCX bytes into a Document.

    Its parts may inflate to ``max_inflated`` bytes together (by default the share of the default
    upload limit that :func:`peelwatch.config.max_inflated` gives); a larger one is refused
    before anything is parsed, so a small file that unpacks to gigabytes costs little memory.
    """
    from docx import Document as open_docx
    from docx.table import Table

    check_inflated_size(data, max_inflated_default() if max_inflated is None else max_inflated)
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
        styles = Styles.of(docx)
        numbering = Numbering.of(docx)
        for index, item in enumerate(body_items(docx)):
            if isinstance(item, Table):
                _add_table(builder, item, index)
            else:
                _add_paragraph(builder, item, index, styles, numbering)
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


def max_inflated_default() -> int:
    from peelwatch.config import DEFAULT_MAX_BYTES, max_inflated

    return max_inflated(DEFAULT_MAX_BYTES)


def check_inflated_size(data: bytes, limit: int) -> None:
    """Refuse an archive whose parts inflate to more than ``limit`` bytes together.

    The sizes the archive declares are checked first; then every part is inflated and counted,
    a chunk at a time, so a part whose header understates its size is caught too (the ZIP
    reader stops at the declared size and the checksum then fails) without holding it.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, NotImplementedError) as exc:
        raise CorruptDocumentError(f"{_DAMAGED} (not a readable ZIP archive)") from exc
    declared = sum(part.file_size for part in parts)
    if declared > limit:
        raise FileTooLargeError(_too_large(declared, limit))
    total = 0
    for part in parts:
        try:
            with archive.open(part) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise FileTooLargeError(_too_large(None, limit))
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            ValueError,
            OSError,
            NotImplementedError,
            RuntimeError,
        ) as exc:
            raise CorruptDocumentError(f"{_DAMAGED} (a part does not match its header)") from exc


def _too_large(size: int | None, limit: int) -> str:
    """The refusal; ``size`` is None when counting stopped at the limit."""
    from peelwatch.readers import size_text

    unpacked = size_text(size) if size is not None else f"more than {size_text(limit)}"
    return f"DOCX unpacks to {unpacked}, over the {size_text(limit)} limit for unpacked documents"


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
    # Most paragraphs hold no deletion or text box: then no text needs its ancestors checked.
    may_hide = next(p.iter(*_HIDDEN), None) is not None
    for element in p.iter(f"{_W}t", *_RUN_TEXT):
        parent = element.getparent()
        if parent is None or parent.tag != _RUN or (may_hide and _is_hidden(element, p)):
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


@dataclass(slots=True)
class Styles:
    """The document's paragraph styles by id: name, numbering and the style each is based on.

    Read once per document: python-docx finds a paragraph's default style by scanning every
    style each time it is asked, which made long documents slow to read.
    """

    names: dict[str, str] = field(default_factory=dict)
    numbering: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    based_on: dict[str, str] = field(default_factory=dict)
    default: str | None = None

    @classmethod
    def of(cls, docx: DocxDocument) -> Styles:
        styles = cls()
        try:
            root = docx.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            return styles
        for style in root.iterchildren(f"{_W}style"):
            if style.get(f"{_W}type") != "paragraph":
                continue
            sid = style.get(f"{_W}styleId") or ""
            styles.names[sid] = _val(style, "name") or sid
            ppr = style.find(f"{_W}pPr")
            num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
            if num_pr is not None:
                styles.numbering[sid] = (_val(num_pr, "numId"), _val(num_pr, "ilvl"))
            based = _val(style, "basedOn")
            if based:
                styles.based_on[sid] = based
            if style.get(f"{_W}default") in ("1", "true") and styles.default is None:
                styles.default = sid
        return styles

    def style_of(self, ppr: BaseOxmlElement | None) -> str | None:
        """The style id of the paragraph whose properties (``w:pPr``) are ``ppr``."""
        sid = _val(ppr, "pStyle")
        return sid if sid in self.names else self.default

    def name(self, sid: str | None) -> str:
        return self.names.get(sid or "", "")

    def numbering_of(self, sid: str | None) -> tuple[str | None, str | None]:
        """(numId, ilvl) the style or a style it is based on gives its paragraphs."""
        for _ in range(10):
            if sid is None:
                break
            if sid in self.numbering:
                return self.numbering[sid]
            sid = self.based_on.get(sid)
        return None, None


def paragraph_kind(ppr: BaseOxmlElement | None, sid: str | None, styles: Styles) -> tuple[BlockKind, int]:
    """("heading", level), ("list_item", depth) or ("paragraph", 0) for a DOCX paragraph whose
    properties are ``ppr`` and style ``sid``."""
    name = styles.name(sid)
    if name.lower() == "title":
        return "heading", 1
    heading = _HEADING_STYLE.match(name)
    if heading:
        return "heading", max(1, int(heading.group(1)))
    # A paragraph formatted as a heading by hand rather than by style still has an outline level.
    outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    if outline is not None:
        value = outline.get(f"{_W}val", "")
        if value.isdigit() and int(value) < 9:
            return "heading", int(value) + 1
    num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
    if num_pr is not None:
        ilvl = _required_int(num_pr.find(f"{_W}ilvl"))
        return "list_item", int(ilvl or 0) + 1
    listed = _LIST_STYLE.match(name)
    if listed:
        return "list_item", int(listed.group(1) or 1)
    num_id, ilvl = numbering_of(ppr, sid, styles)
    if num_id is not None:
        return "list_item", (ilvl or 0) + 1  # a custom list style that carries numbering
    return "paragraph", 0


def _required_int(element: BaseOxmlElement | None) -> int:
    """The integer ``w:val`` of ``element`` (0 without the element), read as python-docx reads
    it: a missing or non-numeric value is a damaged document (ValueError)."""
    if element is None:
        return 0
    value = element.get(f"{_W}val")
    if value is None:
        raise ValueError(f"{element.tag} has no w:val")
    return int(value)


def _val(element: BaseOxmlElement | None, child: str) -> str | None:
    """The ``w:val`` of ``element``'s child ``child``, if both are there."""
    if element is None:
        return None
    found = element.find(f"{_W}{child}")
    return found.get(f"{_W}val") if found is not None else None


def _int(value: str | None, default: int = 0) -> int:
    return int(value) if value is not None and value.isdigit() and len(value) < 6 else default


# Bullet characters Word's list levels use, as the text shows them; Symbol and Wingdings glyphs
# (private-use code points, "§" for a square) and anything else become the level's usual bullet.
_SHOWN_BULLETS = {"•": "•", "◦": "◦", "▪": "▪", "-": "-", "–": "–", "·": "·", "*": "*", "o": "◦"}


@dataclass(slots=True)
class _Level:
    """One level of a numbering definition: its number format, its text ("%1."), its start."""

    fmt: str = "bullet"
    text: str = ""
    start: int = 1


@dataclass(slots=True)
class Numbering:
    """The document's list numbering, to show each list item with the marker Word shows.

    ``w:num`` instances point at abstract definitions (one :class:`_Level` per indent level) and
    may restart a level (``startOverride``). Items are counted per instance and level; an item
    restarts the count of the levels below it. A paragraph numbered through its style (the
    ``List Number`` style) is counted the same way.
    """

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> ilvl -> level
    counts: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, docx: DocxDocument) -> Numbering:
        try:
            root = docx.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return cls()
        abstract: dict[str, dict[int, _Level]] = {}
        for definition in root.iterchildren(f"{_W}abstractNum"):
            abstract[definition.get(f"{_W}abstractNumId", "")] = {
                _int(lvl.get(f"{_W}ilvl")): _Level(
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") or "",
                    start=_int(_val(lvl, "start"), 1),
                )
                for lvl in definition.iterchildren(f"{_W}lvl")
            }
        levels: dict[str, dict[int, _Level]] = {}
        for num in root.iterchildren(f"{_W}num"):
            base = abstract.get(_val(num, "abstractNumId") or "", {})
            own = {ilvl: _Level(lvl.fmt, lvl.text, lvl.start) for ilvl, lvl in base.items()}
            for override in num.iterchildren(f"{_W}lvlOverride"):
                ilvl = _int(override.get(f"{_W}ilvl"))
                start = _val(override, "startOverride")
                if start is not None:
                    own.setdefault(ilvl, _Level("decimal", f"%{ilvl + 1}.")).start = _int(start, 1)
            levels[num.get(f"{_W}numId", "")] = own
        return cls(levels)

    def marker(self, numbered: tuple[str | None, int | None], level: int) -> str | None:
        """The marker Word shows before a list paragraph numbered ``(numId, ilvl)`` ("3.",
        "b)", "•"), counting it.

        None when the paragraph has no numbering (a ``List ...`` style without one): the reader
        then shows a bullet.
        """
        num_id, ilvl = numbered
        if num_id is None:
            return None
        ilvl = level - 1 if ilvl is None else ilvl
        definition = self.levels.get(num_id, {})
        counts = self.counts.setdefault(num_id, [0] * 9)
        ilvl = min(max(ilvl, 0), 8)
        this = definition.get(ilvl, _Level())
        counts[ilvl] = (counts[ilvl] or this.start - 1) + 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        if this.fmt == "bullet":
            return _SHOWN_BULLETS.get(this.text.strip(), bullet_marker(ilvl + 1))
        if this.fmt == "none":
            return ""

        def number(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            lvl = definition.get(at, _Level("decimal"))
            return list_number(counts[at] or lvl.start, _NUMBER_STYLES.get(lvl.fmt, "1"))

        shown = _PLACEHOLDER.sub(number, this.text).strip()
        return shown or None


_PLACEHOLDER = re.compile(r"%([1-9])")


# Word's number formats as list_number styles; any other format shows the number in digits.
_NUMBER_STYLES = {"lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i", "upperRoman": "I"}


def numbering_of(
    ppr: BaseOxmlElement | None, sid: str | None, styles: Styles
) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a paragraph's own numbering or its style's; numId "0" means none."""
    num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
    num_id = _val(num_pr, "numId")
    ilvl = _val(num_pr, "ilvl")
    if num_id is None:
        num_id, style_ilvl = styles.numbering_of(sid)
        ilvl = ilvl if ilvl is not None else style_ilvl
    if num_id is None or num_id == "0":
        return None, None
    return num_id, None if ilvl is None else _int(ilvl)


def _add_paragraph(
    builder: TextBuilder, paragraph: Paragraph, index: int, styles: Styles, numbering: Numbering
) -> None:
    # The paragraph's properties and style, looked up once: each lookup through python-docx's
    # element classes costs microseconds, and a long document has tens of thousands of paragraphs.
    ppr = paragraph._p.find(_PPR)
    sid = styles.style_of(ppr)
    kind, level = paragraph_kind(ppr, sid, styles)
    text = paragraph_text(paragraph._p).strip()
    marker = None
    typed = _TYPED_BULLET.match(text)
    if typed and kind == "paragraph":
        kind, level, marker, text = "list_item", 1, typed.group().strip(), text[typed.end() :]
    elif kind == "list_item":
        marker = numbering.marker(numbering_of(ppr, sid, styles), level)
        if marker == "":
            kind, level = "paragraph", 0  # numbering that shows nothing
    builder.add(kind, text, level=level, locator=f"docx:{index}", marker=marker)


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
