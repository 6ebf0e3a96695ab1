"""Small documents, written for these tests, in every format the readers take.

Other test packages may import these builders to get realistic input without real reports.
"""

from __future__ import annotations

import io

# A page that surrounds its content with everything a real site adds: a skip link, a header
# with navigation, a cookie banner, scripts, a side bar and a footer.
ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Riverside Constabulary inspection - Example Inspectorate</title>
  <meta property="article:published_time" content="2024-03-14T09:30:00Z">
  <style>body { font-family: sans-serif; }</style>
  <script>window.analytics = {track: function () {}};</script>
</head>
<body>
  <a class="skip-link" href="#content">Skip to main content</a>
  <div id="cookie-notice" class="banner">We use cookies to improve this site. <button>Accept</button></div>
  <header class="site-header">
    <a href="/">Example Inspectorate</a>
    <nav><ul><li><a href="/reports">Reports</a></li><li><a href="/about">About us</a></li></ul></nav>
  </header>
  <main id="content">
    <p class="breadcrumb"><a href="/">Home</a> / <a href="/reports">Reports</a></p>
    <h1>Riverside Constabulary &amp; its neighbours</h1>
    <p>The inspection found that the constabulary <strong>answers calls</strong> promptly, but
       its records of what happened next were often incomplete.</p>
    <h2>Areas to look at</h2>
    <ul>
      <li>Recording of repeat calls
        <ul><li>especially at night</li></ul>
      </li>
      <li>Supervision of new staff</li>
    </ul>
    <table>
      <thead><tr><th>Area</th><th>Grade</th></tr></thead>
      <tbody>
        <tr><td>Answering calls</td><td>Good</td></tr>
        <tr><td>Keeping records</td><td>Requires improvement</td></tr>
      </tbody>
    </table>
    <dl><dt>Report date</dt><dd>March 2024</dd></dl>
    <script>document.write("injected");</script>
    <p><a href="#content">Back to top</a></p>
  </main>
  <aside><h2>Related reports</h2><p>Other constabularies in the region.</p></aside>
  <footer><p>Copyright Example Inspectorate. All rights reserved.</p></footer>
</body>
</html>
"""

# The same kind of content with no <main> or <article>: only class names hint at what is chrome.
DIV_SOUP_PAGE = """<html><head><title>Quarterly update</title>
<meta name="DC.date" content="2022-11-02"></head>
<body>
<div class="top-menu"><a href="/">Home</a> | <a href="/news">News</a> | <a href="/contact">Contact</a></div>
<div class="cookieBar">This site uses cookies. Find out more.</div>
<div class="content">
  <h1>Quarterly update on the improvement plan</h1>
  <p>Since the last update the team has reviewed every open action and closed eleven of them,
  mostly those about training records and the handling of property.</p>
  <p>Three actions remain open. Each has a named owner and a date by which it should be closed,
  and the board will review progress again at its next meeting in the spring.</p>
  <h2>Open actions</h2>
  <ul><li>Publish the revised complaints guidance for the public.</li>
  <li>Finish the audit of custody records started in the summer.</li></ul>
</div>
<div class="footer">Site map | Accessibility | Privacy notice</div>
</body></html>
"""

PLAIN_REPORT = (
    "Summary of the review\n"
    "\n"
    "The review looked at how the service handles “urgent” requests – and found it\n"
    "generally quick.\tSome tabs stay inside lines.\n"
    "\n"
    "What should change\n"
    "- Keep a log of every\n"
    "  request that is refused\n"
    "- Tell people why\n"
    "    * in writing\n"
    "1. Review the log monthly\n"
    "\n"
    "Measure\tBefore\tAfter\n"
    "Median wait\t12 days\t4 days\n"
)


def text_bytes(text: str = PLAIN_REPORT, encoding: str = "utf-8", bom: bool = False) -> bytes:
    """``text`` encoded as a text file would be, optionally with a byte-order mark."""
    data = text.encode(encoding)
    if bom:
        prefix = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
        data = prefix + data
    return data


def html_bytes(page: str = ARTICLE_PAGE) -> bytes:
    return page.encode("utf-8")


def bytes_io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


# --- PDF ---------------------------------------------------------------------------------------

LEFT_COLUMN = [
    "The review team visited four",
    "stations over two weeks and",
    "spoke to officers about their",
    "work. Most said that the investi-",
    "gation of burglary had improved",
    "since the new unit started.",
]
RIGHT_COLUMN = [
    "Second column text begins",
    "here and should only be read",
    "after every line of the first",
    "column, even though each of its",
    "lines was drawn straight after",
    "the matching left line.",
]


PART_TITLES = ["What the team found", "How the work was planned", "What happens next"]


def _pdf(**kwargs):
    from fpdf import FPDF

    pdf = FPDF(format="A4", **kwargs)
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    return pdf


def _running_lines(pdf, number: int, total: int) -> None:
    pdf.set_font("Helvetica", size=8)
    pdf.text(20, 12, "Annual Review of Local Services")
    pdf.text(100, 287, f"Page {number} of {total}")
    pdf.set_font("Helvetica", size=10)


def two_column_pdf(pages: int = 3, compress: bool = True) -> bytes:
    """Pages with a title across the top, then two columns drawn row by row (left, right, left...).

    Read in drawing order the columns interleave; read by position they do not. Each page has a
    running header and a "Page N of M" footer.
    """
    pdf = _pdf()
    # Uncompressed content streams let byte-level mutation tests reach the layout code.
    pdf.set_compression(compress)
    for number in range(1, pages + 1):
        pdf.add_page()
        _running_lines(pdf, number, pages)
        pdf.set_font("Helvetica", "B", size=16)
        pdf.text(20, 30, PART_TITLES[number % len(PART_TITLES)])
        pdf.set_font("Helvetica", size=10)
        for row, (left, right) in enumerate(zip(LEFT_COLUMN, RIGHT_COLUMN, strict=True)):
            y = 45 + row * 5
            pdf.text(20, y, left)
            pdf.text(110, y, right)
        pdf.text(
            20,
            90,
            f"A closing note across the whole width of the page, below both columns: {number * 7} cases.",
        )
    return bytes(pdf.output())


def paragraphs_pdf() -> bytes:
    """One column: a heading, two paragraphs, a bullet list and a footnote marker glued to a word."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", size=16)
    pdf.text(20, 25, "Findings in brief")
    pdf.set_font("Helvetica", size=10)
    pdf.text(20, 40, "The first paragraph explains what was looked at during the")
    pdf.text(20, 45, "visit and who took part in the interviews.")
    pdf.text(20, 58, "A second paragraph starts after a wider gap and mentions an")
    x = 20 + pdf.get_string_width("inspection")
    pdf.text(20, 63, "inspection")
    pdf.set_font("Helvetica", size=6)
    pdf.text(x + 0.2, 61.5, "7")
    pdf.set_font("Helvetica", size=10)
    pdf.text(x + 0.2 + pdf.get_string_width("7") * 0.6 + 0.6, 63, "with a footnote.")
    pdf.text(20, 76, "\x95 First point to act on")
    pdf.text(20, 81, "\x95 Second point, which is long enough that it")
    pdf.text(23, 86, "wraps onto a second line")
    return bytes(pdf.output())


def table_pdf() -> bytes:
    """A two-column table of questions and ratings; one question wraps and its rating is centred."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", size=14)
    pdf.text(20, 25, "Ratings at a glance")
    pdf.set_font("Helvetica", size=10)
    pdf.text(20, 40, "Question")
    pdf.text(150, 40, "Rating")
    pdf.text(20, 48, "How quickly are calls answered?")
    pdf.text(150, 48, "Strong")
    pdf.text(20, 56, "How well are records kept for")
    pdf.text(20, 61, "later review?")
    pdf.text(150, 58.5, "Weak")
    return bytes(pdf.output())


def rating_grid_pdf() -> bytes:
    """A grid with one column per rating and topics placed under their rating.

    Two header cells and several topic cells wrap onto a second line, and the rows have
    different numbers of filled cells, as in a summary table of a typeset report.
    """
    pdf = _pdf()
    pdf.add_page()
    pdf.text(20, 25, "Each topic sits under the rating it received.")
    columns = [20, 60, 100, 140]
    pdf.set_font("Helvetica", "B", size=10)
    pdf.text(columns[2], 36, "Needs")
    for x, header in zip(columns, ["Excellent", "Sound", "attention", "Poor"], strict=True):
        pdf.text(x, 40, header)
    pdf.set_font("Helvetica", size=10)
    rows = [
        [("Waiting", "times"), ("Record keeping",), ("Staff training",), ()],
        [(), ("Public", "information"), (), ("Follow-up", "letters")],
        [(), ("Complaints handling",), (), ()],
    ]
    y = 48
    for row in rows:
        for x, cell in zip(columns, row, strict=True):
            for offset, text in enumerate(cell):
                pdf.text(x, y + offset * 4, text)
        y += 11
    pdf.text(20, y + 6, "Topics without a rating are not listed in this grid.")
    return bytes(pdf.output())


def side_by_side_pdf() -> bytes:
    """Questions down the left and their ratings down the right, spaced independently."""
    pdf = _pdf()
    pdf.add_page()
    questions = [
        ("How quickly are letters", "answered?"),
        ("How well are visitors", "welcomed at the front desk?"),
        ("How clear is the", "guidance on the website?"),
        ("How often are records", "checked for mistakes?"),
    ]
    y = 30.0
    for first, second in questions:
        pdf.text(20, y, first)
        pdf.text(20, y + 4.5, second)
        y += 12
    for index, rating in enumerate(["Sound", "Excellent", "Needs attention", "Poor"]):
        pdf.text(110, 31.7 + index * 6.8, rating)
    return bytes(pdf.output())


def continued_pdf() -> bytes:
    """A sentence that runs from the foot of page 1 onto page 2, then a new paragraph."""
    pdf = _pdf()
    pdf.add_page()
    pdf.text(20, 30, "A short opening paragraph that ends properly.")
    pdf.text(20, 45, "At the end of the visit the review team found that")
    pdf.add_page()
    pdf.text(20, 30, "most calls were answered within the target time.")
    pdf.text(20, 45, "A new paragraph starts here on the second page.")
    return bytes(pdf.output())


# A TrueType font for PDFs that need characters beyond Latin-1 (curly quotes, ligatures). It is
# looked for where Debian-like systems install it; tests that need it skip when it is absent.
UNICODE_FONT = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"


def unicode_pdf() -> bytes:
    """Curly quotes, a pound sign, an en dash and an "fi" ligature, as typeset reports have them."""
    pdf = _pdf()
    pdf.add_font("Body", fname=UNICODE_FONT)
    pdf.set_font("Body", size=11)
    pdf.add_page()
    pdf.text(20, 30, "The board’s “target” is £2.5m – identi\ufb01ed in March.")
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner-secret", user_password="reader-secret")
    pdf.add_page()
    pdf.text(20, 30, "Only for those with the password.")
    return bytes(pdf.output())


def image_only_pdf() -> bytes:
    """A page that is one picture of "text" (grey bars) and has no text layer, like a scan."""
    from PIL import Image, ImageDraw

    scan = Image.new("L", (600, 800), color=255)
    draw = ImageDraw.Draw(scan)
    for row in range(20):
        draw.rectangle((60, 60 + row * 34, 540, 76 + row * 34), fill=90)
    pdf = _pdf()
    pdf.add_page()
    pdf.image(scan, x=0, y=0, w=210)
    return bytes(pdf.output())


def long_pdf(pages: int = 100, columns: int = 2) -> bytes:
    """A long report of dense pages, for timing the PDF reader."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=9)
    sentence = "Officers recorded the incident and passed it to the team that reviews repeat calls. "
    for number in range(1, pages + 1):
        pdf.add_page()
        _running_lines(pdf, number, pages)
        pdf.set_font("Helvetica", size=9)
        width = 170 / columns - 5
        for column in range(columns):
            pdf.set_xy(20 + column * (width + 10), 25)
            pdf.multi_cell(width, 4.2, sentence * (12 if columns == 2 else 24))
    return bytes(pdf.output())


# --- DOCX --------------------------------------------------------------------------------------


def letter_docx() -> bytes:
    """A short letter: a title, headings, bullets, a numbered list, a table and closing text."""
    from docx import Document

    doc = Document()
    doc.core_properties.title = "Response to the review"
    doc.add_heading("Response to the review", level=0)
    doc.add_paragraph("Dear Chair,")
    doc.add_paragraph("Thank you for the report. This letter sets out what we will do – and by when.")
    doc.add_heading("Our actions", level=1)
    doc.add_paragraph("Train every supervisor by June.", style="List Bullet")
    doc.add_paragraph("Publish the results each quarter.", style="List Bullet")
    doc.add_paragraph("Including the waiting times.", style="List Bullet 2")
    doc.add_heading("Progress so far", level=2)
    table = doc.add_table(rows=3, cols=2)
    for row, (left, right) in zip(
        table.rows, [("Action", "Status"), ("Training", "Started"), ("Reporting", "Not started")], strict=True
    ):
        row.cells[0].text = left
        row.cells[1].text = right
    doc.add_paragraph("First step agreed.", style="List Number")
    doc.add_paragraph("•\tA bullet typed by hand.")
    doc.add_paragraph("Yours sincerely,")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_bomb(inflated: int, shape: str = "run") -> bytes:
    """A small DOCX whose document part inflates to about ``inflated`` bytes of repetitive XML.

    ``shape`` "run" puts it all in one text run; "paragraphs" in many short paragraphs. The
    other parts come from a real (python-docx) document, so only the size is unusual.
    """
    import zipfile

    base = zipfile.ZipFile(io.BytesIO(letter_docx()))
    out = io.BytesIO()
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W_NS}><w:body>'.encode()
    tail = b"</w:body></w:document>"
    if shape == "run":
        opening, unit, closing = b"<w:p><w:r><w:t>", b"Kent Police is good. " * 50, b"</w:t></w:r></w:p>"
    else:
        opening, unit, closing = b"", b"<w:p><w:r><w:t>Kent Police is good.</w:t></w:r></w:p>" * 20, b""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, base.read(info.filename))
        with archive.open("word/document.xml", "w", force_zip64=inflated > 0x7FFF0000) as part:
            part.write(head + opening)
            chunk = unit * max(1, (1 << 20) // len(unit))
            written = 0
            while written < inflated:
                part.write(chunk)
                written += len(chunk)
            part.write(closing + tail)
    return out.getvalue()


def understate_sizes(docx: bytes, part: str = "word/document.xml", declared: int = 1000) -> bytes:
    """``docx`` with the headers of ``part`` claiming it inflates to only ``declared`` bytes."""
    import struct
    import zipfile

    info = zipfile.ZipFile(io.BytesIO(docx)).getinfo(part)
    if info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF:
        raise ValueError("understate_sizes works on parts without ZIP64 sizes")
    archive = zipfile.ZipFile(io.BytesIO(docx))
    data = bytearray(docx)
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header
    entry = archive.start_dir
    while data[entry : entry + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, entry + 28)
        if bytes(data[entry + 46 : entry + 46 + name_length]) == part.encode():
            struct.pack_into("<I", data, entry + 24, declared)  # central directory
            return bytes(data)
        entry += 46 + name_length + extra_length + comment_length
    raise ValueError(f"{part} not found in the central directory")


def large_page(size: int = 100_000, semantic: bool = True) -> bytes:
    """A page of about ``size`` bytes: site chrome around many sections of content."""
    section = (
        "<h2>Section {n}: how the service worked</h2>\n"
        "<p>In section {n} the reviewers describe how requests were handled, who handled them, "
        "and how long people waited for an answer. Most requests were answered within a week, "
        "although some took much longer when staff were away.</p>\n"
        "<ul><li>Requests received: {n}0</li><li>Answered in a week: {n}5 per cent</li></ul>\n"
        "<table><tr><th>Measure</th><th>Value</th></tr><tr><td>Average wait</td><td>{n} days</td></tr></table>\n"
    )
    chrome_top = (
        '<div class="cookie-banner">We use cookies.</div><header><nav><ul>'
        + "".join(f'<li><a href="/p{i}">Link {i}</a></li>' for i in range(40))
        + "</ul></nav></header>"
    )
    chrome_bottom = "<footer>" + "".join(f'<a href="/f{i}">Footer {i}</a> ' for i in range(40)) + "</footer>"
    body: list[str] = []
    n = 0
    while sum(map(len, body)) < size - len(chrome_top) - len(chrome_bottom) - 400:
        n += 1
        body.append(section.format(n=n))
    wrap_open, wrap_close = ("<main>", "</main>") if semantic else ('<div class="content">', "</div>")
    page = (
        "<!DOCTYPE html><html><head><title>Service review</title><script>var a = 1;</script></head><body>"
        + chrome_top
        + wrap_open
        + "<h1>Service review</h1>"
        + "".join(body)
        + wrap_close
        + chrome_bottom
        + "</body></html>"
    )
    return page.encode()


def title_header_pdf() -> bytes:
    """One page whose running header repeats the title in small type above the title itself."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=7)
    pdf.text(20, 12, "Quarterly report on neighbourhood policing in the northern dist")
    pdf.set_font("Helvetica", "B", size=14)
    pdf.text(20, 30, "Quarterly report on neighbourhood")
    pdf.text(20, 37, "policing in the northern district")
    pdf.set_font("Helvetica", size=10)
    pdf.text(20, 50, "The teams answered more calls this quarter than in any quarter before.")
    pdf.set_font("Helvetica", size=7)
    pdf.text(105, 290, "1")
    return bytes(pdf.output())


# A paragraph long enough to fill most of a narrow column, in short lines.
COLUMN_LINES = [
    "The board heard that the service had",
    "agreed a new way of handling calls",
    "from people who had been reported",
    "missing more than once in a year.",
    "Each call is now passed to a single",
    "team, which keeps the history of the",
    "person and of the places where they",
    "were found before, and which shares",
    "that history with the council and the",
    "hospital trust. The members asked",
]


def continued_column_pdf(last_left: str, right: list[str]) -> bytes:
    """A page of two columns: a long left column ending with ``last_left``, and a right column
    holding only ``right`` at its top (the end of the text)."""
    pdf = _pdf()
    pdf.add_page()
    y = 30.0
    for line in [*COLUMN_LINES, last_left]:
        pdf.text(20, y, line)
        y += 5
    for row, line in enumerate(right):
        pdf.text(110, 30 + row * 5, line)
    return bytes(pdf.output())


JUSTIFIED_TEXT = (
    "Neighbourhood officers in the eastern district now spend most of their shifts in the "
    "communities they serve, and residents told the reviewers that they recognise them. "
    "Partnership meetings take place monthly; the council, the fire service and two housing "
    "associations attend, and each meeting ends with a list of named actions. Problem-solving "
    "plans are written for persistent nuisance, although several were closed before anyone "
    "checked whether the nuisance had stopped. Supervisors review a sample of plans every "
    "quarter and record what they find in a shared register. "
)


def justified_columns_pdf(pages: int = 3, width: float = 80) -> bytes:
    """Two columns of justified text: every word space of a line stretched alike, often far
    wider than a normal space."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("Body", "", str(UNICODE_FONT))
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("Body", size=9)
        for column in range(2):
            pdf.set_xy(20 + column * (width + 10), 20)
            pdf.multi_cell(width, 4.2, JUSTIFIED_TEXT * 6, align="J")
    return bytes(pdf.output())
