"""Committee papers and the draft response letter, opened again after they are made."""

from __future__ import annotations

import io
import re
from datetime import date

import pypdfium2
import pytest
from docx import Document as Docx
from track_seed import AFI_CALLS, AFI_CUSTODY, COC_CHILDREN, report_with_findings, store_doc

from peelwatch.track import add_action, add_note, assign_owner, change_status, cli_actor
from peelwatch.track.reports import committee_report, render_committee, render_letter, response_letter

ME = cli_actor("liaison")
TODAY = date(2025, 7, 1)
TEXTS = (AFI_CALLS, AFI_CUSTODY, COC_CHILDREN)


@pytest.fixture
def tracked(store):
    report, (a, b, c) = report_with_findings(store, published="2025-03-14")
    store_doc(store, kind="pcc_response", published="2025-05-20", title="Commissioner's response")
    with store.write() as session:
        assign_owner(session, ME, a, "Head of Contact")
        x = add_action(session, ME, a, "Recruit call handlers", owner="HR", due=date(2025, 6, 1))
        add_note(session, ME, x, "Twelve of twenty recruited", on=date(2025, 6, 20))
        add_action(session, ME, b, "Agree nurse rota", due=date(2025, 7, 10))
        change_status(session, ME, c, "in_progress")
    with store.read() as session:
        content = committee_report(session, "Kent", today=TODAY)
    return store, report, content


def _normal(text: str) -> str:
    # PDF text extraction breaks lines where the page wrapped them.
    return re.sub(r"\s+", " ", text.replace("\r", " "))


def test_the_content_has_every_open_finding_with_its_rag_and_the_clock(tracked) -> None:
    _, _, content = tracked
    assert {i.text: i.rag for i in content.items} == {
        AFI_CALLS: "red",
        AFI_CUSTODY: "amber",
        COC_CHILDREN: "red",
    }
    assert content.rag_counts == {"red": 2, "amber": 1, "green": 0, "complete": 0}
    assert content.status_counts["in_progress"] == 1 and content.status_counts["open"] == 2
    assert [c.label for c in content.clocks] == ["late by 12 days"]


def test_the_docx_holds_every_finding_text_and_rag(tracked) -> None:
    _, _, content = tracked
    doc = Docx(io.BytesIO(render_committee(content, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    for item in content.items:
        assert item.text in text
        assert f"RAG: {item.rag} — {item.rag_reason}" in text
    assert "Latest progress (20 Jun 2025, liaison): Twelve of twenty recruited" in text
    assert "late by 12 days" in text
    bars = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert bars[0][:2] == ["red", "2"] and bars[0][2].count("█") == 30


def test_the_pdf_has_real_text_with_every_finding_and_rag(tracked) -> None:
    _, _, content = tracked
    data = render_committee(content, "pdf")
    pdf = pypdfium2.PdfDocument(data)
    try:
        text = _normal(" ".join(page.get_textpage().get_text_range() for page in pdf))
    finally:
        pdf.close()
    for item in content.items:
        assert _normal(item.text) in text
        assert f"RAG: {item.rag}" in text and _normal(item.rag_reason) in text
    assert "Section 55 response (56-day clock)" in text


def test_the_html_paper_carries_the_chart_and_the_findings(tracked) -> None:
    _, _, content = tracked
    html = render_committee(content, "html").decode()
    assert all(t in html for t in TEXTS)
    assert 'id="chart-rag"' in html and "new Chart(" in html


def test_the_response_letter_has_a_heading_per_finding_with_its_actions(tracked) -> None:
    store, report, _ = tracked
    with store.read() as session:
        letter = response_letter(session, report)
    assert letter.deadline == date(2025, 5, 8)
    doc = Docx(io.BytesIO(render_letter(letter, "docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    a, b, c = (i.finding_id for i in letter.items)
    assert headings == [f"Area for improvement #{a}", f"Area for improvement #{b}", f"Cause of concern #{c}"]
    body = "\n".join(p.text for p in doc.paragraphs)
    assert all(t in body for t in TEXTS)
    assert "Recruit call handlers — HR, due 01 Jun 2025, planned" in body
    assert "[Response to be written.]" in body
    html = render_letter(letter, "html").decode()
    assert all(t in html for t in TEXTS)
