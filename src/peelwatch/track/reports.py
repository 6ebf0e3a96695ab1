"""Papers for committees and the draft section 55 response letter.

The content is built once (:func:`committee_report`, :func:`response_letter`) and rendered three
ways from it: HTML (Jinja), DOCX (python-docx) and PDF (fpdf2, with an embedded Unicode font so
the PDF holds real, searchable text).
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peelwatch.errors import NotFoundError, PeelwatchError
from peelwatch.store.models import Document, Finding, FindingMention, Response
from peelwatch.store.names import load_framework_or_none, resolve_cycle, resolve_force
from peelwatch.store.rows import get_row
from peelwatch.track.actions import ActionView, actions_for
from peelwatch.track.board import RAG_ORDER, BoardFilter, TrackedFinding, is_current, tracked_findings
from peelwatch.track.deadlines import ResponseClock, report_date, response_clocks
from peelwatch.track.rules import load_rules

FORMATS = ("docx", "pdf", "html")
TYPE_LABELS = {
    "area_for_improvement": "Area for improvement",
    "cause_of_concern": "Cause of concern",
    "recommendation": "Recommendation",
}
RAG_RGB = {"red": (192, 0, 0), "amber": (230, 145, 0), "green": (0, 128, 60), "complete": (90, 90, 90)}
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


class ReportFormatError(PeelwatchError):
    """A report format peelwatch cannot produce for that report."""


@dataclass(frozen=True, slots=True)
class CommitteeReport:
    """What a committee paper on one force says."""

    force: str
    force_slug: str
    cycle: str | None
    today: date
    items: list[TrackedFinding]
    status_counts: dict[str, int]
    rag_counts: dict[str, int]
    clocks: list[ResponseClock]

    @property
    def title(self) -> str:
        """The paper's title."""
        scope = f" — PEEL {self.cycle}" if self.cycle else ""
        return f"{self.force}{scope}: inspection findings progress report"


def finding_label(item: TrackedFinding | Finding) -> str:
    """``Area for improvement 3`` / ``Cause of concern`` with the finding's reference."""
    label = TYPE_LABELS.get(item.type, item.type)
    return f"{label} {item.ref}" if item.ref else f"{label} #{item.id}"


def committee_report(
    session: Session, force: str, *, cycle: str | None = None, today: date
) -> CommitteeReport:
    """Every open and recently finished finding of ``force`` (name, alias or slug), as of ``today``."""
    fw = load_framework_or_none()
    frc = resolve_force(session, force, fw)
    cycle_label = resolve_cycle(session, cycle, fw).label if cycle else None
    items = [
        t
        for t in tracked_findings(
            session, BoardFilter(force=frc.slug, cycle=cycle_label, sort="rag"), today=today
        )
        if is_current(t, today)
    ]
    rules = load_rules()
    statuses = Counter(t.status for t in items)
    rags = Counter(t.rag for t in items)
    clocks = [
        c for c in response_clocks(session, today=today, force=frc.slug) if cycle_label in (None, c.cycle)
    ]
    return CommitteeReport(
        force=frc.name,
        force_slug=frc.slug,
        cycle=cycle_label,
        today=today,
        items=items,
        status_counts={s: statuses.get(s, 0) for s in rules.statuses},
        rag_counts={r: rags.get(r, 0) for r in RAG_ORDER},
        clocks=clocks,
    )


# --------------------------------------------------------------------------- response letter


@dataclass(frozen=True, slots=True)
class LetterItem:
    """One finding of the report, with what has been said and done about it so far."""

    finding_id: int
    label: str
    text: str
    responses: list[str] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ResponseLetter:
    """The draft of a commissioner's section 55 response to one inspection report."""

    document_id: int
    report_title: str
    force: str | None
    published: date | None
    deadline: date | None
    items: list[LetterItem]


def response_letter(session: Session, document_id: int) -> ResponseLetter:
    """A draft response to the inspection report ``document_id``, one item per finding it states."""
    doc = get_row(session, Document, document_id)
    if doc is None:
        raise NotFoundError(f"there is no document {document_id}")
    mentioned = select(FindingMention.finding_id).where(FindingMention.document_id == document_id)
    findings = list(
        session.scalars(
            select(Finding)
            .where((Finding.source_document_id == document_id) | Finding.id.in_(mentioned))
            .order_by(Finding.id)
        )
    )
    ids = [f.id for f in findings]
    answers: dict[int, list[str]] = {}
    if ids:
        for r in session.scalars(select(Response).where(Response.finding_id.in_(ids)).order_by(Response.id)):
            answers.setdefault(r.finding_id or 0, []).append(r.text)
    actions = actions_for(session, ids)
    published = report_date(session, doc)
    from peelwatch.track.deadlines import response_deadline

    return ResponseLetter(
        document_id=doc.id,
        report_title=doc.title or f"document {doc.id}",
        force=doc.force.name if doc.force else None,
        published=published,
        deadline=response_deadline(published) if published else None,
        items=[
            LetterItem(f.id, finding_label(f), f.text, answers.get(f.id, []), actions.get(f.id, []))
            for f in findings
        ],
    )


# --------------------------------------------------------------------------- HTML


@cache
def _jinja() -> Any:
    """The templates' environment, built once (its templates are compiled on first use)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("peelwatch.track", "templates"), autoescape=select_autoescape())
    env.globals.update(finding_label=finding_label, type_labels=TYPE_LABELS, statuses=load_rules().statuses)
    return env


@cache
def _chart_js() -> str:
    path = resources.files("peelwatch.web").joinpath("static/vendor/chart.umd.min.js")
    # Kept out of a <script> close tag: the library never contains one, but be sure.
    return path.read_text("utf-8").replace("</script", "<\\/script")


def committee_html(report: CommitteeReport, *, embed_chart_js: bool = True) -> str:
    """The committee paper as one self-contained HTML page (chart script inlined)."""
    return (
        _jinja()
        .get_template("committee.html")
        .render(r=report, chart_js=_chart_js() if embed_chart_js else "", rag_rgb=RAG_RGB)
    )


def letter_html(letter: ResponseLetter) -> str:
    """The draft response letter as an HTML page."""
    return _jinja().get_template("response_letter.html").render(letter=letter)


# --------------------------------------------------------------------------- DOCX


class _Docx:
    """A Word document being written, fast enough for a paper of thousands of paragraphs.

    python-docx resolves a style name on every paragraph by scanning the style list, and inserts
    each element with an XPath search: a 500-finding paper took over ten seconds. Here paragraphs
    are written as WordprocessingML text (escaped), parsed once per batch and appended to the
    body; tables still go through python-docx (there are two small ones).
    """

    def __init__(self) -> None:
        from docx import Document as Docx

        self.doc = Docx()
        self._ids: dict[str, str] = {}
        self._pending: list[str] = []

    def _style_id(self, style: str) -> str:
        if style not in self._ids:
            self._ids[style] = self.doc.styles[style].style_id
        return self._ids[style]

    def para(
        self, text: str = "", style: str | None = None, runs: list[tuple[str, bool, RGB | None]] | None = None
    ) -> None:
        """Queue a paragraph: plain ``text``, or ``runs`` of (text, bold, colour)."""
        from xml.sax.saxutils import escape, quoteattr

        ppr = f"<w:pPr><w:pStyle w:val={quoteattr(self._style_id(style))}/></w:pPr>" if style else ""
        parts = []
        for words, bold, rgb in runs if runs is not None else [(text, False, None)]:
            props = ("<w:b/>" if bold else "") + (
                f'<w:color w:val="{rgb[0]:02X}{rgb[1]:02X}{rgb[2]:02X}"/>' if rgb else ""
            )
            rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
            parts.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(_xml_text(words))}</w:t></w:r>')
        self._pending.append(f"<w:p>{ppr}{''.join(parts)}</w:p>")

    def heading(self, text: str, level: int) -> None:
        """Queue a heading of ``level``."""
        self.para(text, f"Heading {level}")

    def flush(self) -> None:
        """Append the queued paragraphs to the body (before its section properties)."""
        if not self._pending:
            return
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        fragment = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self._pending)}</w:body>")
        body = self.doc.element.body
        anchor = body.sectPr
        for child in list(fragment):
            if anchor is not None:
                anchor.addprevious(child)
            else:
                body.append(child)
        self._pending.clear()

    def save(self) -> bytes:
        """The document as bytes."""
        self.flush()
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


RGB = tuple[int, int, int]
# Characters XML 1.0 cannot carry (control characters a PDF text layer sometimes leaves behind).
_XML_BAD = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)], None)


def _xml_text(text: str) -> str:
    return text.translate(_XML_BAD)


def _docx_bars(
    w: _Docx, title: str, counts: dict[str, int], colours: dict[str, tuple[int, int, int]]
) -> None:
    from docx.shared import RGBColor

    w.heading(title, 3)
    w.flush()
    table = w.doc.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    top = max(counts.values(), default=0) or 1
    for name, n in counts.items():
        cells = table.add_row().cells
        cells[0].text = name.replace("_", " ")
        cells[1].text = str(n)
        run = cells[2].paragraphs[0].add_run("█" * max(0, round(30 * n / top)))
        rgb = colours.get(name, (60, 90, 150))
        run.font.color.rgb = RGBColor(*rgb)


def committee_docx(report: CommitteeReport) -> bytes:
    """The committee paper as a Word document."""
    w = _Docx()
    w.heading(report.title, 1)
    w.para(f"Position at {report.today:%d %B %Y}. {len(report.items)} findings open or recently finished.")
    w.heading("Summary", 2)
    _docx_bars(w, "By status", report.status_counts, {})
    _docx_bars(w, "By RAG", report.rag_counts, RAG_RGB)
    w.heading("Section 55 response (56-day clock)", 2)
    if not report.clocks:
        w.para("No inspection report of this force with a publication date is stored.")
    for c in report.clocks:
        w.para(_clock_line(c), "List Bullet")
    w.heading("Findings", 2)
    for item in report.items:
        _docx_item(w, item)
    return w.save()


def _docx_item(w: _Docx, item: TrackedFinding) -> None:
    w.heading(f"{finding_label(item)} ({item.cycle or 'no cycle'})", 3)
    w.para(item.text)
    detail = f" — {item.rag_reason}. Status: {item.status.replace('_', ' ')}. Owner: {item.owner or 'none'}."
    w.para(runs=[(f"RAG: {item.rag}", True, RAG_RGB[item.rag]), (detail, False, None)])
    for a in item.actions:
        w.para(_action_line(a), "List Bullet")
    note = item.latest_note
    if note:
        w.para(f"Latest progress ({note.on:%d %b %Y}, {note.author}): {note.text}")


def _action_line(a: ActionView) -> str:
    due = f"due {a.due:%d %b %Y}" if a.due else "no due date"
    return f"{a.title} — {a.owner or 'no owner'}, {due}, {a.status.replace('_', ' ')}"


def _clock_line(c: ResponseClock) -> str:
    when = (
        f"published {c.published:%d %b %Y}, response due by {c.deadline:%d %b %Y}"
        if c.published
        else "undated"
    )
    answered = f"; answered {c.response_date:%d %b %Y}" if c.response_date else ""
    return f"{c.report_title} ({when}): {c.label}{answered}"


def letter_docx(letter: ResponseLetter) -> bytes:
    """The draft response letter as a Word document, to be edited."""
    w = _Docx()
    w.heading(f"Response to: {letter.report_title}", 1)
    intro = (
        f"This is the response of the local policing body for {letter.force or 'the force'} under section 55 "
        "of the Police Act 1996"
    )
    if letter.published and letter.deadline:
        intro += f" to the report published on {letter.published:%d %B %Y}; it is due by {letter.deadline:%d %B %Y}"
    w.para(intro + ".")
    for item in letter.items:
        w.heading(item.label, 2)
        w.para(item.text, "Intense Quote")
        w.heading("Response", 3)
        for text in item.responses or ["[Response to be written.]"]:
            w.para(text)
        if item.actions:
            w.heading("Actions", 3)
            for a in item.actions:
                w.para(_action_line(a), "List Bullet")
    return w.save()


# --------------------------------------------------------------------------- PDF


class _Pdf:
    """A PDF being written line by line, with its own word wrapping.

    fpdf2's ``multi_cell`` measures the whole line again for every character it adds, which made
    a 500-finding paper take over ten seconds; here each word is measured once (and remembered)
    and every line is placed with ``text``. The embedded DejaVu font keeps the text real and
    searchable, with en dashes and curly quotes intact.
    """

    def __init__(self, title: str) -> None:
        from fpdf import FPDF

        pdf = FPDF(format="A4")
        fonts = resources.files("peelwatch.track").joinpath("fonts")
        for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
            with resources.as_file(fonts.joinpath(name)) as path:
                pdf.add_font("DejaVu", style, str(path))
        pdf.set_auto_page_break(auto=False)
        pdf.set_margins(15, 15, 15)
        pdf.set_title(title)
        pdf.add_page()
        self.pdf = pdf
        self.y = 15.0
        self.bottom = pdf.h - 15
        self.width = pdf.w - 30
        self._widths: dict[tuple[str, float, str], float] = {}
        self._font: tuple[str, float] = ("", 0.0)

    def font(self, style: str, size: float) -> None:
        """Switch to regular (``""``) or bold (``"B"``) at ``size`` points."""
        if self._font != (style, size):
            self.pdf.set_font("DejaVu", style, size)
            self._font = (style, size)

    def _w(self, word: str) -> float:
        key = (self._font[0], self._font[1], word)
        found = self._widths.get(key)
        if found is None:
            found = self._widths[key] = self.pdf.get_string_width(word)
        return found

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` mm fit on this one."""
        if self.y + height > self.bottom:
            self.pdf.add_page()
            self.y = 15.0

    def lines(self, text: str, *, width: float | None = None) -> list[str]:
        """``text`` wrapped to ``width`` mm in the current font (long words are not split)."""
        width = width or self.width
        space = self._w(" ")
        out: list[str] = []
        for paragraph in text.split("\n"):
            line: list[str] = []
            used = 0.0
            for word in paragraph.split():
                w = self._w(word)
                if line and used + space + w > width:
                    out.append(" ".join(line))
                    line, used = [], 0.0
                used += (space if line else 0.0) + w
                line.append(word)
            out.append(" ".join(line))
        return out

    def write(
        self,
        text: str,
        *,
        style: str = "",
        size: float = 9,
        leading: float = 4.8,
        indent: float = 0.0,
        colour: RGB | None = None,
    ) -> None:
        """Write ``text`` as wrapped lines."""
        self.font(style, size)
        if colour:
            self.pdf.set_text_color(*colour)
        for line in self.lines(text, width=self.width - indent):
            self.room(leading)
            self.y += leading
            self.pdf.text(15 + indent, self.y - leading * 0.25, line)
        if colour:
            self.pdf.set_text_color(0, 0, 0)

    def gap(self, mm: float) -> None:
        """Vertical space."""
        self.y += mm

    def bars(self, title: str, counts: dict[str, int], colours: dict[str, RGB]) -> None:
        """A bar chart drawn as a labelled table of filled rectangles."""
        self.room(7 + 6 * len(counts))
        self.write(title, style="B", size=11, leading=7)
        self.font("", 9)
        top = max(counts.values(), default=0) or 1
        for name, n in counts.items():
            self.y += 6
            self.pdf.text(15, self.y - 1.5, name.replace("_", " "))
            self.pdf.text(55 - self._w(str(n)), self.y - 1.5, str(n))
            if n:
                self.pdf.set_fill_color(*colours.get(name, (60, 90, 150)))
                self.pdf.rect(65, self.y - 5, 110 * n / top, 4, style="F")
        self.gap(3)

    def output(self) -> bytes:
        """The finished PDF."""
        return bytes(self.pdf.output())


def committee_pdf(report: CommitteeReport) -> bytes:
    """The committee paper as a PDF with real text and drawn bar charts."""
    w = _Pdf(report.title)
    w.write(report.title, style="B", size=15, leading=8)
    w.write(
        f"Position at {report.today:%d %B %Y}. {len(report.items)} findings open or recently finished.",
        size=10,
        leading=6,
    )
    w.gap(2)
    w.bars("By status", report.status_counts, {})
    w.bars("By RAG", report.rag_counts, RAG_RGB)
    w.write("Section 55 response (56-day clock)", style="B", size=12, leading=8)
    for c in report.clocks:
        w.write("• " + _clock_line(c), leading=5)
    if not report.clocks:
        w.write("No inspection report of this force with a publication date is stored.", leading=5)
    w.gap(2)
    w.write("Findings", style="B", size=12, leading=8)
    for item in report.items:
        w.room(20)  # keep a finding's heading with its first lines
        w.write(f"{finding_label(item)} ({item.cycle or 'no cycle'})", style="B", size=10, leading=5.5)
        w.write(item.text)
        w.write(f"RAG: {item.rag}", style="B", colour=RAG_RGB[item.rag])
        w.write(f"{item.rag_reason}. Status: {item.status.replace('_', ' ')}. Owner: {item.owner or 'none'}.")
        for a in item.actions:
            w.write("• " + _action_line(a), indent=3)
        note = item.latest_note
        if note:
            w.write(f"Latest progress ({note.on:%d %b %Y}, {note.author}): {note.text}")
        w.gap(2)
    return w.output()


# --------------------------------------------------------------------------- entry points


def render_committee(report: CommitteeReport, fmt: str) -> bytes:
    """The committee paper in ``fmt`` (docx, pdf or html) as bytes."""
    if fmt == "docx":
        return committee_docx(report)
    if fmt == "pdf":
        return committee_pdf(report)
    if fmt == "html":
        return committee_html(report).encode("utf-8")
    raise ReportFormatError(f"unknown report format {fmt!r}; formats are docx, pdf, html")


def render_letter(letter: ResponseLetter, fmt: str) -> bytes:
    """The draft response letter in ``fmt`` (docx or html) as bytes."""
    if fmt == "docx":
        return letter_docx(letter)
    if fmt == "html":
        return letter_html(letter).encode("utf-8")
    raise ReportFormatError(f"the response letter is made as docx or html, not {fmt!r}")
