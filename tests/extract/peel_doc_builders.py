"""Build the binary test documents (PDF, DOCX) from their text sources.

The test documents under ``documents/`` are plain text, HTML, or a small markup (``NAME.pdf.md``,
``NAME.docx.md``) that is rendered here, at test time, into ``NAME.pdf`` or ``NAME.docx``. Nothing
binary is committed.

Markup, one item per block (blocks are separated by blank lines; lines of a paragraph are joined):

    # Heading 1 / ## Heading 2 / ### Heading 3
    - a bullet (one line each; consecutive bullets form a list)
    | cell | cell |      a table row; consecutive rows form one table, the first row is its header
    @page                start a new page (PDF) / insert a page break (DOCX)
    @columns             start a two-column layout: what follows goes into the left column ...
    @next-column         ... then into the right column ...
    @end-columns         ... and the layout ends (DOCX renders the columns one after the other)

Run as a script to build a complete folder (documents + expectations) for ``peelwatch evaluate``:

    python tests/extract/peel_doc_builders.py OUT_DIR
"""

from __future__ import annotations

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
    kind: str  # heading, paragraph, bullet, table, page, columns, next-column, end-columns
    text: str = ""
    level: int = 0
    rows: list[list[str]] | None = None


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
            items.append(Item(line[1:].strip()))
        elif line.startswith("#"):
            flush()
            level = len(line) - len(line.lstrip("#"))
            items.append(Item("heading", line[level:].strip(), level=level))
        elif line.startswith("- "):
            flush()
            items.append(Item("bullet", line[2:].strip()))
        else:
            para.append(line.strip())
    flush()
    return items


def plain_text(source: str) -> str:
    """The words of a markup source as a reader should find them (used to check expectations)."""
    out: list[str] = []
    for item in parse(source):
        if item.kind in ("heading", "paragraph", "bullet"):
            out.append(item.text)
        elif item.kind == "table":
            out.extend("\t".join(row) for row in item.rows or [])
    return "\n\n".join(out)


def _unicode_font() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


def build_pdf(source: str, out: Path) -> Path:
    """Render markup to a PDF with fpdf2 (Unicode font when available)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    fonts = _unicode_font()
    if fonts:
        pdf.add_font("Body", "", str(fonts[0]))
        pdf.add_font("Body", "B", str(fonts[1]))
        family, fix = "Body", (lambda s: s)
    else:
        family, fix = "Helvetica", (lambda s: s.translate(_LATIN1_FALLBACK))
    pdf.add_page()
    left, width = pdf.l_margin, pdf.epw
    column: dict | None = None
    gap = 10.0

    def write(text: str, size: float, style: str = "", indent: float = 0.0, after: float = 2.0) -> None:
        pdf.set_font(family, style, size)
        pdf.set_x(left + indent)
        pdf.multi_cell(width - indent, size * 0.5, fix(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(after)

    for item in parse(source):
        if item.kind == "heading":
            write(item.text, {1: 16, 2: 13}.get(item.level, 11), "B", after=2)
        elif item.kind == "paragraph":
            write(item.text, 10)
        elif item.kind == "bullet":
            write(("\u2022 " if fonts else "- ") + item.text, 10, indent=5, after=1)
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


def build_docx(source: str, out: Path) -> Path:
    """Render markup to a Word document with python-docx."""
    import docx

    document = docx.Document()
    for item in parse(source):
        if item.kind == "heading":
            document.add_heading(item.text, level=min(item.level, 3))
        elif item.kind == "paragraph":
            document.add_paragraph(item.text)
        elif item.kind == "bullet":
            document.add_paragraph(item.text, style="List Bullet")
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
