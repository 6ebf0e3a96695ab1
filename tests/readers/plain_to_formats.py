"""Turn a plain-text document into the same document as an HTML page, a DOCX and a PDF.

Used by the format-parity tests: the same words, laid out the way each format lays them out,
should give the extractor the same facts. The plain text is read into blocks the way a person
would see them:

* text copied from a web page or a letter has a line per block, so each line is a block, but
  for a line that carries on a sentence (it starts in lower case after a line without a
  closing ``.``, ``!``, ``?``, ``:`` or ``;``);
* text copied from a PDF is wrapped (most lines are under 100 characters): there blocks are
  separated by blank lines and the lines of a paragraph are joined with spaces (HTML, DOCX and
  PDF wrap text themselves);
* a line starting with a bullet (``•``, ``-``, ``–``, ``*``, ``▪``, ``◦``, ``o``) starts a list
  item, indented bullets (or ``◦``/``o``) are second-level items; a line starting ``3.`` or
  ``3)`` starts a numbered item; lines after an item's first line continue it, and so does a
  block starting in lower case right after an item (a bullet broken by a blank line);
* lines holding tabs are table rows; rows on consecutive lines make one table;
* a block of one short line without a closing ``.``, ``,``, ``;`` or ``:`` that starts with a
  capital or a digit is a heading; such a line straight after a sentence end starts a new block
  (a heading set under a list item without a blank line, or over a list).

Then:

* :func:`to_html` writes a page with a cookie banner, a skip link, a header with navigation,
  the content (in ``<main>``, or in plain ``<div>``s) with a breadcrumb trail, an "On this
  page" list of contents, "Back to top" links, share links and a feedback form, then related
  links and a footer;
* :func:`to_docx` writes a Word document with ``Heading 2`` headings, ``List Bullet`` /
  ``List Bullet 2`` items, numbered items using Word numbering that restarts for each list,
  tables, and a page header and footer;
* :func:`to_pdf` writes an A4 PDF with fpdf2, in one or two columns, with a running header and
  page numbers; ``interleaved=True`` draws each two-column page line by line across both
  columns (left line, right line, ...), as some producers do. In two columns, a table of three
  or more columns is set across the top of a new page, above the columns.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>[•●▪◦·*–-]|o(?=\s))\s+(?P<body>\S.*)$")
_NUMBER = re.compile(r"^(?P<indent>[ \t]*)\(?(?P<num>\d{1,2})[.)]\s+(?P<body>\S.*)$")
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


@dataclass
class Block:
    """One block of a document: a heading, a paragraph, a list item or a table."""

    kind: str  # heading, paragraph, bullet, number, table
    text: str = ""
    level: int = 1
    number: int = 0
    rows: list[list[str]] = field(default_factory=list)


def _join(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def _is_heading(lines: list[str]) -> bool:
    if len(lines) != 1:
        return False
    line = lines[0].strip()
    return (
        bool(line)
        and len(line.split()) <= 12
        and not line.endswith((".", ",", ";", ":"))
        and (line[0].isupper() or line[0].isdigit())
    )


def _starts_block(line: str, in_item: bool, following: str | None) -> bool:
    """Does ``line``, after a sentence end, start a block of its own?

    After a list item, any heading-like line does; after a paragraph only one that stands
    last or above a list ("Areas for improvement" then "• ..."), since a wrapped line of
    running text can look like a heading too.
    """
    if not _is_heading([line.strip()]):
        return False
    return in_item or following is None or bool(_BULLET.match(following) or _NUMBER.match(following))


def wrap_width(lines: list[str]) -> int | None:
    """The width a text was wrapped at, if it was (a copy of a PDF's text); None for text that
    has a line per block (a copy of a web page or a letter)."""
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if len(lengths) < 30:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    return width if width <= 100 else None


def parse_plain(text: str) -> list[Block]:
    """The blocks of a plain-text document (see the module's description)."""
    blocks: list[Block] = []
    all_lines = text.replace("\r\n", "\n").split("\n")
    wrap = wrap_width(all_lines)
    chunks: list[list[str]] = [[]]
    for raw in all_lines:
        if raw.strip():
            chunks[-1].append(raw.rstrip(" \r"))
        elif chunks[-1]:
            chunks.append([])
    for chunk in chunks:
        if not chunk:
            continue
        plain: list[str] = []
        item: Block | None = None
        if wrap and blocks and blocks[-1].kind in ("bullet", "number") and chunk[0].strip()[:1].islower():
            item = blocks[-1]  # a list item broken by a blank line: its sentence goes on in lower case

        def close_plain(plain: list[str] = plain) -> None:
            if plain:
                blocks.append(Block("heading" if _is_heading(plain) else "paragraph", _join(plain)))
                plain.clear()

        for index, line in enumerate(chunk):
            bullet, number = _BULLET.match(line), _NUMBER.match(line)
            before = item.text if item is not None else (plain[-1].strip() if plain else "")
            following = chunk[index + 1] if index + 1 < len(chunk) else None
            if "\t" in line:
                close_plain()
                item = None
                row = [" ".join(cell.split()) for cell in line.strip(" \n").split("\t")]
                if index and blocks and blocks[-1].kind == "table" and "\t" in chunk[index - 1]:
                    blocks[-1].rows.append(row)
                else:
                    blocks.append(Block("table", rows=[row]))
            elif bullet or number:
                close_plain()
                if bullet:
                    indent = len(bullet.group("indent").expandtabs(4))
                    level = 2 if indent >= 4 or bullet.group("mark") in "◦o" else 1
                    item = Block("bullet", bullet.group("body"), level=level)
                else:
                    item = Block("number", number.group("body"), number=int(number.group("num")))
                blocks.append(item)
            elif not (plain or item):
                plain.append(line)
            elif wrap is None and (
                line.strip()[:1].islower() and not before.endswith((".", "!", "?", ":", ";"))
            ):
                # a sentence broken across two lines: one block
                if item is not None:
                    item.text = _join([item.text, line])
                else:
                    plain.append(line)
            elif wrap is None:
                # text with a line per block
                close_plain()
                item = None
                plain.append(line)
            elif before.endswith((".", ";", "!", "?")) and _starts_block(line, item is not None, following):
                # a sentence ends and a heading follows without a blank line
                close_plain()
                item = None
                plain.append(line)
            elif item is not None:
                item.text = _join([item.text, line])
            else:
                plain.append(line)
        close_plain()
    for block in blocks:
        block.text = " ".join(block.text.split())
    return blocks


def _title(blocks: list[Block]) -> str:
    return next((b.text for b in blocks if b.kind in ("heading", "paragraph")), "Report")[:80]


# --- HTML ---------------------------------------------------------------------------------------


def to_html(text: str, *, semantic: bool = True) -> bytes:
    """The document as a web page with the chrome real sites add around it."""
    blocks = parse_plain(text)
    esc = html.escape
    body: list[str] = []
    open_lists: list[str] = []  # "ul" or "ol", innermost last

    def close_lists(depth: int = 0) -> None:
        while len(open_lists) > depth:
            body.append(f"</li></{open_lists.pop()}>")

    first_heading = True
    for block in blocks:
        if block.kind in ("bullet", "number"):
            tag = "ul" if block.kind == "bullet" else "ol"
            depth = block.level if block.kind == "bullet" else 1
            if len(open_lists) > depth or (len(open_lists) == depth and open_lists[-1] != tag):
                close_lists(depth - 1)
            if len(open_lists) == depth:
                body.append("</li>")
            while len(open_lists) < depth:
                start = f" start='{block.number}'" if tag == "ol" and block.number != 1 else ""
                body.append(f"<{tag}{start}>")
                open_lists.append(tag)
            body.append(f"<li>{esc(block.text)}")
            continue
        close_lists()
        if block.kind == "heading":
            tag = "h1" if first_heading else "h2"
            first_heading = False
            body.append(f"<{tag}>{esc(block.text)}</{tag}>")
        elif block.kind == "paragraph":
            body.append(f"<p>{esc(block.text)}</p>")
        else:
            rows = "".join(
                "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
            )
            body.append(f"<table><tbody>{rows}</tbody></table>")
    close_lists()
    # Sites add a "Back to top" link after each section and an "on this page" list of contents.
    contents = "".join(
        f"<li><a href='#s{i}'>{esc(b.text)}</a></li>" for i, b in enumerate(blocks) if b.kind == "heading"
    )[:4000]
    body = [
        f"{part}<p class='back'><a href='#top'>Back to top</a></p>" if part.startswith("<h2") else part
        for part in body
    ]
    body.insert(
        0, f"<nav class='contents' aria-label='On this page'><h2>On this page</h2><ul>{contents}</ul></nav>"
    )
    body.insert(
        0, "<ol class='breadcrumbs'><li><a href='/'>Home</a></li><li><a href='/reports'>Reports</a></li></ol>"
    )
    body.append(
        "<form class='feedback'><p>Was this page helpful?</p><button>Yes</button><button>No</button></form>"
    )
    content = "\n".join(body)
    title = esc(_title(blocks))
    links = "".join(
        f"<li><a href='/{w.lower()}'>{w}</a></li>" for w in ("Home", "Publications", "News", "Contact")
    )
    share = "<div class='share-links'><a href='#'>Share on X</a> <a href='#'>Share by email</a></div>"
    if semantic:
        main = f"<main id='content'><article>{content}\n{share}</article></main>"
    else:
        main = f"<div id='content' class='page-body'>{content}\n{share}</div>"
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title} | Example site</title>"
        "<script>window.tracking = [];</script><style>body{margin:0}</style></head><body>"
        "<a class='skip-link' href='#content'>Skip to main content</a>"
        "<div class='cookie-banner'><p>We use cookies to make this site work.</p>"
        "<button>Accept all cookies</button><button>Reject</button></div>"
        f"<header class='site-header'><a href='/'>Example site</a><nav><ul>{links}</ul></nav></header>"
        f"{main}"
        "<aside class='related'><h2>Related content</h2><ul><li><a href='/r1'>Another report</a></li>"
        "<li><a href='/r2'>An older report</a></li></ul></aside>"
        "<footer><ul><li><a href='/privacy'>Privacy</a></li><li><a href='/cookies'>Cookies</a></li>"
        "</ul><p>© Example site</p></footer></body></html>"
    )
    return page.encode("utf-8")


# --- DOCX ---------------------------------------------------------------------------------------


def _restart_numbering(document, paragraph, start: int) -> None:
    """Give ``paragraph`` a numbering instance of its own that starts at ``start``."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = document.part.numbering_part.element
    style_num = paragraph.style.element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{new_id}"><w:abstractNumId w:val="{abstract}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
        )
    )
    return new_id


def _set_num(paragraph, num_id: int, ilvl: int = 0) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def _symbol_bullets(document) -> int:
    """A bullet list definition as Word writes it (a Symbol-font glyph, then "o" in Courier New),
    and a numbering instance of it; returns the instance's id."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = document.part.numbering_part.element
    abstract_id = max(int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))) + 1
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="{glyph}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr></w:lvl>'
        for i, (glyph, font) in enumerate([("\uf0b7", "Symbol"), ("o", "Courier New")])
    )
    # abstract definitions come before the instances in numbering.xml
    first_num = numbering.find(qn("w:num"))
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{levels}</w:abstractNum>'
    )
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    return num_id


def to_docx(text: str, *, direct_numbering: bool = False) -> bytes:
    """The document as a Word file: heading styles, list paragraphs, tables, header and footer.

    Bullets use the ``List Bullet`` styles, or with ``direct_numbering`` the ``List Paragraph``
    style numbered with a Symbol-font bullet list, as Word itself writes them.
    """
    import docx

    blocks = parse_plain(text)
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = _title(blocks)
    section.footer.paragraphs[0].text = "Page 1"
    bullets = _symbol_bullets(document) if direct_numbering else None
    num_id: int | None = None
    for block in blocks:
        if block.kind != "number":
            num_id = None
        if block.kind == "heading":
            document.add_heading(block.text, level=2)
        elif block.kind == "paragraph":
            document.add_paragraph(block.text)
        elif block.kind == "bullet" and bullets is not None:
            _set_num(document.add_paragraph(block.text, style="List Paragraph"), bullets, block.level - 1)
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet" if block.level == 1 else "List Bullet 2")
        elif block.kind == "number":
            paragraph = document.add_paragraph(block.text, style="List Number")
            if num_id is None:
                num_id = _restart_numbering(document, paragraph, block.number)
            _set_num(paragraph, num_id)
        else:
            width = max(len(row) for row in block.rows)
            table = document.add_table(rows=len(block.rows), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------------


@dataclass
class _Placed:
    """A line of text ready to draw: where, in what size and style."""

    text: str
    x: float
    size: float
    style: str = ""
    advance: float = 0.0  # space it takes below the previous line
    keep: int = 0  # lines after this one that must stand in the same column (a heading's)
    wide: bool = False  # part of a table set across the whole page, above the columns


def _font_dir() -> Path | None:
    return next((d for d in FONT_DIRS if (d / "DejaVuSans.ttf").exists()), None)


def to_pdf(text: str, *, columns: int = 1, interleaved: bool = False, hyphenate: bool = False) -> bytes:
    """The document as an A4 PDF in one or two columns, with a running header and page numbers.

    ``hyphenate`` breaks long lowercase words at line ends ("investi-" / "gation") and puts a
    running footer ("<title> | Page 2 of 5") at the foot of every page instead of a bare number.
    """
    from fpdf import FPDF

    blocks = parse_plain(text)
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    fonts = _font_dir()
    if fonts is None:
        raise RuntimeError("the DejaVu fonts are needed to write test PDFs")
    pdf.add_font("Body", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("Body", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    page_w, page_h = 595.28, 841.89
    margin, gutter = 56.0, 22.0
    col_w = (page_w - 2 * margin - (columns - 1) * gutter) / columns
    top, bottom = 80.0, page_h - 70.0

    measure = FPDF(format="A4", unit="pt")
    measure.add_font("Body", "", str(fonts / "DejaVuSans.ttf"))
    measure.add_font("Body", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    measure.add_page()

    def wrap(text: str, size: float, style: str, width: float, hyphens: bool = True) -> list[str]:
        measure.set_font("Body", style, size)
        lines = measure.multi_cell(width, size * 1.25, text, dry_run=True, output="LINES")
        if not (hyphenate and hyphens):
            return lines
        for i in range(len(lines) - 1):
            word, _, rest = lines[i + 1].partition(" ")
            if len(word) < 8 or not (word.isalpha() and word.islower()):
                continue
            cut = len(word) // 2
            longer = f"{lines[i]} {word[:cut]}-"
            if measure.get_string_width(longer) <= width - 2 * measure.c_margin:
                lines[i], lines[i + 1] = longer, f"{word[cut:]} {rest}".strip()
        return lines

    # Lay every block out as lines at an x offset inside a column.
    flow: list[_Placed] = []
    for block in blocks:
        if block.kind == "heading":
            lines = wrap(block.text, 13, "B", col_w)
            for i, line in enumerate(lines):
                # a heading stays in one column, with the first line of what follows it
                keep = len(lines) + 1 if i == 0 else 0
                flow.append(_Placed(line, 0, 13, "B", 13 * 1.25 + (10 if i == 0 else 0), keep))
        elif block.kind == "paragraph":
            for i, line in enumerate(wrap(block.text, 10, "", col_w)):
                flow.append(_Placed(line, 0, 10, "", 12.5 + (7 if i == 0 else 0)))
        elif block.kind in ("bullet", "number"):
            indent = 12.0 * block.level
            mark = ("•" if block.level == 1 else "◦") if block.kind == "bullet" else f"{block.number}."
            for i, line in enumerate(wrap(block.text, 10, "", col_w - indent - 4)):
                if i == 0:
                    flow.append(_Placed(mark, indent - 10, 10, "", 12.5 + 4))
                    flow.append(_Placed(line, indent + 4, 10, "", 0))
                else:
                    flow.append(_Placed(line, indent + 4, 10, "", 12.5))
        else:
            # A table of three or more columns is set across the page; a narrow one in a column.
            wide = columns > 1 and max(len(row) for row in block.rows) >= 3
            cell_w = (page_w - 2 * margin if wide else col_w) / max(len(row) for row in block.rows)
            for r, row in enumerate(block.rows):
                # table cells are not hyphenated
                wrapped = [wrap(cell, 9, "B" if r == 0 else "", cell_w - 6, hyphens=False) for cell in row]
                for i in range(max(len(w) for w in wrapped)):
                    first = True
                    for c, cell_lines in enumerate(wrapped):
                        if i < len(cell_lines):
                            advance = (11.5 + (6 if i == 0 else 0)) if first else 0
                            style = "B" if r == 0 else ""
                            flow.append(_Placed(cell_lines[i], c * cell_w, 9, style, advance, wide=wide))
                            first = False
                    if first:  # no cell has a line here; keep the row height
                        flow.append(_Placed("", 0, 9, "", 11.5, wide=wide))

    # Cut the flow into columns and pages: (page, column, y, line).
    # A wide table starts a new page (unless the page is still empty) and the columns of that
    # page start below it.
    placed: list[tuple[int, int, float, _Placed]] = []
    page, column, y = 0, 0, top
    column_top = top
    for index, line in enumerate(flow):
        if line.wide and not (index and flow[index - 1].wide) and (y > top or column):
            page, column, y = page + 1, 0, top
        needed = sum(f.advance for f in flow[index : index + max(line.keep, 1)])
        if line.advance and y + needed > bottom:
            column += 1
            if column == columns or line.wide:
                page, column = page + 1, 0
                column_top = top
            y = column_top
        y += line.advance
        if line.wide:
            column_top = y + 6
        if line.text:
            placed.append((page, -1 if line.wide else column, y, line))
    pages = page + 1
    title = _title(blocks)
    for number in range(pages):
        pdf.add_page()
        pdf.set_font("Body", "", 8)
        pdf.text(margin, 40, title)
        if hyphenate:
            pdf.text(margin, page_h - 36, f"{title[:40]} | Page {number + 1} of {pages}")
        else:
            pdf.text(page_w / 2, page_h - 36, str(number + 1))
        mine = [p for p in placed if p[0] == number]
        if interleaved:
            mine.sort(key=lambda p: (round(p[2]), p[1]))
        for _, col, y, line in mine:
            pdf.set_font("Body", line.style, line.size)
            pdf.text(margin + max(col, 0) * (col_w + gutter) + line.x, y, line.text)
    return bytes(pdf.output())


FORMATS = {
    "html": lambda text: to_html(text),
    "html-divs": lambda text: to_html(text, semantic=False),
    "docx": to_docx,
    "docx-numbered": lambda text: to_docx(text, direct_numbering=True),
    "pdf": lambda text: to_pdf(text),
    "pdf-2col": lambda text: to_pdf(text, columns=2, hyphenate=True),
    "pdf-2col-lines": lambda text: to_pdf(text, columns=2, interleaved=True),
}
SUFFIX = {"html": ".html", "html-divs": ".html", "docx": ".docx", "docx-numbered": ".docx"}


def render(text: str, fmt: str) -> tuple[bytes, str]:
    """``text`` rendered as ``fmt`` (a key of FORMATS), and a file name suffix for it."""
    return FORMATS[fmt](text), SUFFIX.get(fmt, ".pdf")
