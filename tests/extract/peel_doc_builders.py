"""Build the binary test documents (PDF, DOCX) from their text sources.

The test documents under ``documents/`` are plain text, HTML, or a small markup (``NAME.pdf.md``,
``NAME.docx.md``) that is rendered here, at test time, into ``NAME.pdf`` or ``NAME.docx``. Nothing
binary is committed.

Markup, one item per block (blocks are separated by blank lines; lines of a paragraph are joined):

    # Heading 1 / ## Heading 2 / ### Heading 3
    - a bullet (one line each; consecutive bullets form a list)
    1. a numbered item (PDF prints "1. "; DOCX uses Word's own numbering, so the number is not
       part of the paragraph's text, as in real Word files)
    | cell | cell |      a table row; consecutive rows form one table, the first row is its header
    @page                start a new page (PDF) / insert a page break (DOCX)
    @columns             start a two-column layout: what follows goes into the left column ...
    @next-column         ... then into the right column ...
    @end-columns         ... and the layout ends (DOCX renders the columns one after the other)
    @columns rows        the same, but the PDF draws the two columns line by line across the page
                         (left line, right line, next row ...), so the file's text order runs
                         across both columns as in many real reports; a reader must split them
    @columns pairs       like rows, and the n-th item of the right column starts on the same
                         printed line as the n-th item of the left one (a question and its grade
                         side by side in a summary box)
    @header TEXT         a running header on every page (PDF top line; DOCX page header)
    @footer TEXT         a running footer; "{page}" and "{pages}" become page numbers (DOCX: fields)
    @title TEXT          the file's metadata title (PDF Title, DOCX core property)

Running headers, footers and the metadata title are not part of the words a reader should find
(``plain_text`` leaves them out), exactly like a real report's page furniture.

Run as a script to build a complete folder (documents + expectations) for ``peelwatch evaluate``:

    python tests/extract/peel_doc_builders.py OUT_DIR
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

DOCUMENTS = Path(__file__).parent / "documents"
SOURCE_SUFFIXES = (".pdf.md", ".docx.md")
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))

# Characters the PDF core fonts cannot show, used only when no Unicode font is installed.
_LATIN1_FALLBACK = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2022": "-"}
)


@dataclass
class Item:
    kind: str  # heading, paragraph, bullet, number, table, page, columns, next-column, end-columns,
    #            header, footer, title
    text: str = ""
    level: int = 0
    rows: list[list[str]] | None = None
    label: str = ""  # "rows" for @columns rows; the printed number of a numbered item ("3.")


_NUMBERED = re.compile(r"^(\d{1,3}[.)])\s+(.*)$")
_DIRECTIVES_WITH_TEXT = ("header", "footer", "title")


def parse(source: str) -> list[Item]:
    """Split the markup into items."""
    items: list[Item] = []
    para: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if para:
            items.append(Item("paragraph", " ".join(para)))
            para.clear()
        if table:
            items.append(Item("table", rows=[row[:] for row in table]))
            table.clear()

    for raw in source.splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        if line.startswith("|"):
            if para:
                flush()
            table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
            continue
        if table:
            flush()
        if line.startswith("@"):
            flush()
            word, _, rest = line[1:].strip().partition(" ")
            if word in _DIRECTIVES_WITH_TEXT:
                items.append(Item(word, rest.strip()))
            else:
                items.append(Item(word, label=rest.strip()))
        elif line.startswith("#"):
            flush()
            level = len(line) - len(line.lstrip("#"))
            items.append(Item("heading", line[level:].strip(), level=level))
        elif line.startswith("- "):
            flush()
            items.append(Item("bullet", line[2:].strip()))
        elif _NUMBERED.match(line) and not para:
            flush()
            number = _NUMBERED.match(line)
            items.append(Item("number", number.group(2).strip(), label=number.group(1)))
        else:
            para.append(line.strip())
    flush()
    return items


def plain_text(source: str, fmt: str = "pdf") -> str:
    """The words of a markup source as a reader should find them (used to check expectations).

    ``fmt`` is ``"pdf"`` or ``"docx"``: a numbered item's number is printed in a PDF but is Word's
    automatic numbering (not text) in a DOCX.
    """
    out: list[str] = []
    for item in parse(source):
        if item.kind in ("heading", "paragraph", "bullet"):
            out.append(item.text)
        elif item.kind == "number":
            out.append(f"{item.label} {item.text}" if fmt == "pdf" else item.text)
        elif item.kind == "table":
            out.extend("\t".join(row) for row in item.rows or [])
    return "\n\n".join(out)


def _unicode_font() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


def _page_furniture(items: list[Item]) -> dict[str, str]:
    """The document-wide directives: running header, footer and metadata title."""
    return {item.kind: item.text for item in items if item.kind in _DIRECTIVES_WITH_TEXT}


def _column_groups(items: list[Item]) -> list[Item | tuple[list[Item], list[Item], str]]:
    """Items, with each ``@columns rows|pairs`` … ``@end-columns`` section folded into
    (left items, right items, "rows" or "pairs")."""
    out: list[Item | tuple[list[Item], list[Item], str]] = []
    current: tuple[list[Item], list[Item], str] | None = None
    side = 0
    for item in items:
        if item.kind == "columns" and item.label in ("rows", "pairs"):
            current, side = ([], [], item.label), 0
        elif current is not None and item.kind == "next-column":
            side = 1
        elif current is not None and item.kind == "end-columns":
            out.append(current)
            current = None
        elif current is not None:
            if item.kind not in ("heading", "paragraph", "bullet", "number"):
                raise ValueError(f"@columns rows holds text only, not {item.kind}")
            current[side].append(item)
        else:
            out.append(item)
    if current is not None:
        out.append(current)
    return out


def build_pdf(source: str, out: Path) -> Path:
    """Render markup to a PDF with fpdf2 (Unicode font when available)."""
    from fpdf import FPDF
    from fpdf.enums import MethodReturnValue, XPos, YPos

    items = parse(source)
    furniture = _page_furniture(items)
    fonts = _unicode_font()

    class Report(FPDF):
        def header(self) -> None:
            if furniture.get("header"):
                self.set_font(family, "", 8)
                self.set_y(6)
                self.cell(0, 4, fix(furniture["header"]), align="R")
                self.set_y(self.t_margin)

        def footer(self) -> None:
            if furniture.get("footer"):
                self.set_font(family, "", 8)
                self.set_y(-11)
                text = furniture["footer"].replace("{page}", str(self.page_no())).replace("{pages}", "{nb}")
                self.cell(0, 4, fix(text), align="C")

    pdf = Report(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    if fonts:
        pdf.add_font("Body", "", str(fonts[0]))
        pdf.add_font("Body", "B", str(fonts[1]))
        family, fix = "Body", (lambda s: s)
    else:
        family, fix = "Helvetica", (lambda s: s.translate(_LATIN1_FALLBACK))
    if furniture.get("title"):
        pdf.set_title(furniture["title"])
    pdf.add_page()
    left, width = pdf.l_margin, pdf.epw
    column: dict | None = None
    gap = 10.0
    bullet = "\u2022 " if fonts else "- "

    def style_of(item: Item) -> tuple[str, float, str, float, float]:
        """(text, font size, style, indent, space after) of a text item."""
        if item.kind == "heading":
            return item.text, {1: 16, 2: 13}.get(item.level, 11), "B", 0.0, 2.0
        if item.kind == "bullet":
            return bullet + item.text, 10, "", 5.0, 1.0
        if item.kind == "number":
            return f"{item.label} {item.text}", 10, "", 5.0, 1.0
        return item.text, 10, "", 0.0, 2.0

    def write(text: str, size: float, style: str = "", indent: float = 0.0, after: float = 2.0) -> None:
        pdf.set_font(family, style, size)
        pdf.set_x(left + indent)
        pdf.multi_cell(width - indent, size * 0.5, fix(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(after)

    def column_lines(
        column_items: list[Item], col_width: float, starts: list[float] | None = None
    ) -> list[tuple[float, float, str, float, str, float]]:
        """(y offset, x indent, line text, size, style, line height) of one column's lines;
        ``starts`` forces the offset at which each item begins."""
        lines, y = [], 0.0
        for n, item in enumerate(column_items):
            if starts is not None:
                y = starts[n]
            text, size, style, indent, after = style_of(item)
            pdf.set_font(family, style, size)
            wrapped = pdf.multi_cell(
                col_width - indent, size * 0.5, fix(text), dry_run=True, output=MethodReturnValue.LINES
            )
            for k, line in enumerate(wrapped):
                # continuation lines of a bullet hang under its text, as word processors set them
                hang = pdf.get_string_width(bullet) if item.kind == "bullet" and k else 0.0
                lines.append((y, indent + hang, line.strip() if hang else line, size, style, size * 0.5))
                y += size * 0.5
            y += after
        return lines

    def item_height(item: Item, col_width: float) -> float:
        text, size, style, indent, after = style_of(item)
        pdf.set_font(family, style, size)
        wrapped = pdf.multi_cell(
            col_width - indent, size * 0.5, fix(text), dry_run=True, output=MethodReturnValue.LINES
        )
        return len(wrapped) * size * 0.5 + after

    def pair_starts(left_items: list[Item], right_items: list[Item], col_width: float) -> list[float]:
        """Where each pair of items begins when item n of both columns shares a first line."""
        starts, y = [], 0.0
        for n in range(max(len(left_items), len(right_items))):
            starts.append(y)
            y += max(item_height(side[n], col_width) for side in (left_items, right_items) if n < len(side))
        return starts

    def write_rows(left_items: list[Item], right_items: list[Item], mode: str) -> None:
        """Two columns drawn row by row across the page (left line, then right line, ...)."""
        col_width = (pdf.epw - gap) / 2
        starts = pair_starts(left_items, right_items, col_width) if mode == "pairs" else None
        left_lines = column_lines(left_items, col_width, starts[: len(left_items)] if starts else None)
        right_lines = column_lines(right_items, col_width, starts[: len(right_items)] if starts else None)
        placed = [(y, 0, x, t, sz, st, h) for y, x, t, sz, st, h in left_lines]
        placed += [(y, 1, x, t, sz, st, h) for y, x, t, sz, st, h in right_lines]
        placed.sort(key=lambda row: (round(row[0], 1), row[1]))
        top, shift = pdf.get_y(), 0.0
        bottom = pdf.h - pdf.b_margin
        pdf.set_auto_page_break(auto=False)
        last_y = top
        for y, side, indent, text, size, style, height in placed:
            if top + y - shift + height > bottom:
                pdf.add_page()
                top, shift = pdf.t_margin, y
            pdf.set_font(family, style, size)
            x = pdf.l_margin + (col_width + gap) * side + indent
            pdf.set_xy(x, top + y - shift)
            pdf.cell(col_width - indent, height, text)
            last_y = max(last_y, top + y - shift + height)
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.set_xy(pdf.l_margin, last_y + 3)

    for entry in _column_groups(items):
        if isinstance(entry, tuple):
            write_rows(*entry)
            continue
        item = entry
        if item.kind in ("heading", "paragraph", "bullet", "number"):
            write(*style_of(item))
        elif item.kind == "table":
            pdf.set_font(family, "", 9)
            with pdf.table(text_align="LEFT", line_height=5, width=width if column else None) as table:
                for cells in item.rows or []:
                    row = table.row()
                    for cell in cells:
                        row.cell(fix(cell))
            pdf.ln(3)
        elif item.kind == "page":
            pdf.add_page()
        elif item.kind == "columns":
            column = {"top": pdf.get_y(), "page": pdf.page, "bottom": pdf.get_y()}
            width = (pdf.epw - gap) / 2
        elif item.kind == "next-column" and column:
            column["bottom"] = max(column["bottom"], pdf.get_y())
            pdf.page = column["page"]
            pdf.set_y(column["top"])
            left = pdf.l_margin + width + gap
        elif item.kind == "end-columns" and column:
            bottom = max(column["bottom"], pdf.get_y())
            left, width = pdf.l_margin, pdf.epw
            pdf.set_y(bottom)
            column = None
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def _add_field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) at the end of a paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _furniture_paragraph(paragraph, text: str) -> None:
    """Header/footer text with "{page}" / "{pages}" as Word fields."""
    for part in re.split(r"(\{page\}|\{pages\})", text):
        if part == "{page}":
            _add_field(paragraph, "PAGE")
        elif part == "{pages}":
            _add_field(paragraph, "NUMPAGES")
        elif part:
            paragraph.add_run(part)


def build_docx(source: str, out: Path) -> Path:
    """Render markup to a Word document with python-docx."""
    import docx

    document = docx.Document()
    items = parse(source)
    furniture = _page_furniture(items)
    section = document.sections[0]
    if furniture.get("header"):
        _furniture_paragraph(section.header.paragraphs[0], furniture["header"])
    if furniture.get("footer"):
        _furniture_paragraph(section.footer.paragraphs[0], furniture["footer"])
    if furniture.get("title"):
        document.core_properties.title = furniture["title"]
    for item in items:
        if item.kind == "heading":
            document.add_heading(item.text, level=min(item.level, 3))
        elif item.kind == "paragraph":
            document.add_paragraph(item.text)
        elif item.kind == "bullet":
            document.add_paragraph(item.text, style="List Bullet")
        elif item.kind == "number":
            document.add_paragraph(item.text, style="List Number")
        elif item.kind == "table":
            rows = item.rows or []
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
        elif item.kind == "page":
            document.add_page_break()
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out


def source_files(folder: Path = DOCUMENTS) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(SOURCE_SUFFIXES))


def built_name(source: Path) -> str:
    """``foo.pdf.md`` -> ``foo.pdf``."""
    return source.name[: -len(".md")]


def build_all(out_dir: Path, folder: Path = DOCUMENTS) -> Path:
    """Copy every text document and expectation into ``out_dir`` and render the binary ones."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(folder.iterdir()):
        if path.name.endswith(SOURCE_SUFFIXES):
            target = out_dir / built_name(path)
            source = path.read_text(encoding="utf-8")
            (build_pdf if target.suffix == ".pdf" else build_docx)(source, target)
        elif path.is_file():
            shutil.copyfile(path, out_dir / path.name)
    return out_dir


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: peel_doc_builders.py OUT_DIR")
    print(build_all(Path(sys.argv[1])))
