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
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peelwatch.errors import NotFoundError, PeelwatchError
from peelwatch.store.models import Document, Finding, FindingMention, Response
from peelwatch.store.names import load_framework_or_none, resolve_cycle, resolve_force
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
    doc = session.get(Document, document_id)
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


def _jinja() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("peelwatch.track", "templates"), autoescape=select_autoescape())
    env.globals.update(finding_label=finding_label, type_labels=TYPE_LABELS, statuses=load_rules().statuses)
    return env


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


def _docx_bars(
    doc: Any, title: str, counts: dict[str, int], colours: dict[str, tuple[int, int, int]]
) -> None:
    from docx.shared import RGBColor

    doc.add_paragraph(title, style="Heading 3")
    table = doc.add_table(rows=0, cols=3)
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
    from docx import Document as Docx

    doc = Docx()
    doc.add_heading(report.title, level=1)
    doc.add_paragraph(
        f"Position at {report.today:%d %B %Y}. {len(report.items)} findings open or recently finished."
    )
    doc.add_heading("Summary", level=2)
    _docx_bars(doc, "By status", report.status_counts, {})
    _docx_bars(doc, "By RAG", report.rag_counts, RAG_RGB)
    doc.add_heading("Section 55 response (56-day clock)", level=2)
    if not report.clocks:
        doc.add_paragraph("No inspection report of this force with a publication date is stored.")
    for c in report.clocks:
        doc.add_paragraph(_clock_line(c), style="List Bullet")
    doc.add_heading("Findings", level=2)
    for item in report.items:
        _docx_item(doc, item)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_item(doc: Any, item: TrackedFinding) -> None:
    from docx.shared import RGBColor

    doc.add_heading(f"{finding_label(item)} ({item.cycle or 'no cycle'})", level=3)
    doc.add_paragraph(item.text)
    p = doc.add_paragraph()
    run = p.add_run(f"RAG: {item.rag}")
    run.bold = True
    run.font.color.rgb = RGBColor(*RAG_RGB[item.rag])
    p.add_run(
        f" — {item.rag_reason}. Status: {item.status.replace('_', ' ')}. Owner: {item.owner or 'none'}."
    )
    for a in item.actions:
        doc.add_paragraph(_action_line(a), style="List Bullet")
    note = item.latest_note
    if note:
        doc.add_paragraph(f"Latest progress ({note.on:%d %b %Y}, {note.author}): {note.text}")


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
    from docx import Document as Docx

    doc = Docx()
    doc.add_heading(f"Response to: {letter.report_title}", level=1)
    intro = (
        f"This is the response of the local policing body for {letter.force or 'the force'} under section 55 "
        "of the Police Act 1996"
    )
    if letter.published:
        intro += f" to the report published on {letter.published:%d %B %Y}; it is due by {letter.deadline:%d %B %Y}"
    doc.add_paragraph(intro + ".")
    for item in letter.items:
        doc.add_heading(item.label, level=2)
        doc.add_paragraph(item.text, style="Intense Quote")
        doc.add_paragraph("Response", style="Heading 3")
        for text in item.responses or ["[Response to be written.]"]:
            doc.add_paragraph(text)
        if item.actions:
            doc.add_paragraph("Actions", style="Heading 3")
            for a in item.actions:
                doc.add_paragraph(_action_line(a), style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- PDF


def _pdf() -> Any:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    fonts = resources.files("peelwatch.track").joinpath("fonts")
    with resources.as_file(fonts.joinpath("DejaVuSans.ttf")) as regular:
        pdf.add_font("DejaVu", "", str(regular))
    with resources.as_file(fonts.joinpath("DejaVuSans-Bold.ttf")) as bold:
        pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    return pdf


def _pdf_bars(pdf: Any, title: str, counts: dict[str, int], colours: dict[str, tuple[int, int, int]]) -> None:
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    top = max(counts.values(), default=0) or 1
    for name, n in counts.items():
        y = pdf.get_y()
        pdf.cell(35, 6, name.replace("_", " "))
        pdf.cell(12, 6, str(n), align="R")
        pdf.set_fill_color(*colours.get(name, (60, 90, 150)))
        width = 110 * n / top
        if width > 0:
            pdf.rect(pdf.l_margin + 50, y + 1, width, 4, style="F")
        pdf.ln(6)
    pdf.ln(2)


def committee_pdf(report: CommitteeReport) -> bytes:
    """The committee paper as a PDF with real text and drawn bar charts."""
    pdf = _pdf()
    pdf.set_title(report.title)
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0,
        6,
        f"Position at {report.today:%d %B %Y}. {len(report.items)} findings open or recently finished.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    _pdf_bars(pdf, "By status", report.status_counts, {})
    _pdf_bars(pdf, "By RAG", report.rag_counts, RAG_RGB)
    _pdf_heading(pdf, "Section 55 response (56-day clock)")
    pdf.set_font("DejaVu", "", 9)
    for c in report.clocks or []:
        pdf.multi_cell(0, 5, "• " + _clock_line(c), new_x="LMARGIN", new_y="NEXT")
    if not report.clocks:
        pdf.multi_cell(
            0,
            5,
            "No inspection report of this force with a publication date is stored.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    _pdf_heading(pdf, "Findings")
    for item in report.items:
        _pdf_item(pdf, item)
    return bytes(pdf.output())


def _pdf_heading(pdf: Any, text: str) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")


def _pdf_item(pdf: Any, item: TrackedFinding) -> None:
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(
        0, 5.5, f"{finding_label(item)} ({item.cycle or 'no cycle'})", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 4.8, item.text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*RAG_RGB[item.rag])
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(pdf.get_string_width(f"RAG: {item.rag}") + 1, 5, f"RAG: {item.rag}")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        f" — {item.rag_reason}. Status: {item.status.replace('_', ' ')}. Owner: {item.owner or 'none'}.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for a in item.actions:
        pdf.multi_cell(0, 4.8, "• " + _action_line(a), new_x="LMARGIN", new_y="NEXT")
    note = item.latest_note
    if note:
        pdf.multi_cell(
            0,
            4.8,
            f"Latest progress ({note.on:%d %b %Y}, {note.author}): {note.text}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(2)


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
