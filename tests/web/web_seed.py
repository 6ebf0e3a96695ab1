"""A small, known record for the web tests, written through the store's own write path.

The documents are short texts written for these tests. Their extractions are spelled out here
(spans found with ``str.index``) so the page tests do not depend on how well the extractor does;
the upload tests exercise the real read-and-extract pipeline separately.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from peelwatch.extract.model import Extraction, Finding, Judgment, Response
from peelwatch.store.engine import Store

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_LIMIT = 4096  # bytes: the upload limit of the test apps, small enough to test without big files

XSS_SCRIPT = "<script>window.__xss = 1; alert('xss')</script>"
XSS_IMG = '"><img src=x onerror="window.__xss=2;alert(2)">'
XSS_LINK = '<a href="javascript:window.__xss=4">javascript:window.__xss=4</a>'


@dataclass
class Seeded:
    """Ids of what was stored, for the tests to open."""

    documents: dict[str, int] = field(default_factory=dict)


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


# The canonical keys the extractor gives these subjects (the framework's area keys).
KEYS = {
    "Police powers and public treatment": "treatment-of-the-public",
    "Preventing crime": "preventing-crime",
    "Responding to the public": "responding-to-the-public",
    "Investigating crime": "investigating-crime",
    "Protecting vulnerable people": "protecting-vulnerable-people",
    "Managing offenders": "managing-offenders",
    "Developing a positive workplace": "workforce",
    "Leadership and force management": "leadership",
}


def _judgment(text: str, subject: str, grade: str, line: str, *, claim: bool = False) -> Judgment:
    start, end = _span(text, line)
    return Judgment(
        scope="area",
        subject=subject,
        grade=grade,
        evidence=line,
        start=start,
        end=end,
        key=KEYS.get(subject),  # subjects not listed (the hostile one) have no key
        claim=claim,  # type: ignore[arg-type]
    )


def _finding(text: str, type_: str, words: str, ref: str | None = None) -> Finding:
    start, end = _span(text, words)
    return Finding(type=type_, text=words, evidence=words, start=start, end=end, ref=ref)  # type: ignore[arg-type]


def report_2023() -> tuple[str, Extraction]:
    """A 2023–25 inspection report of Kent Police with grades and three findings."""
    text = (FIXTURES / "northshire-style-2023-25-report.txt").read_text(encoding="utf-8")
    grades = [
        ("Police powers and public treatment", "good"),
        ("Preventing crime", "adequate"),
        ("Responding to the public", "requires improvement"),
        ("Investigating crime", "adequate"),
        ("Protecting vulnerable people", "inadequate"),
        ("Managing offenders", "good"),
        ("Developing a positive workplace", "outstanding"),
        ("Leadership and force management", "adequate"),
    ]
    ex = Extraction(
        source="kent-2023-25-report.txt",
        kind="inspection_report",
        force="Kent Police",
        cycle="2023–25",
        title="PEEL 2023–25: an inspection of Kent Police",
        published="2025-03-14",
    )
    for subject, grade in grades:
        line = next(ln for ln in text.splitlines() if ln.startswith(subject + "\t"))
        ex.judgments.append(_judgment(text, subject, grade, line))
    ex.findings += [
        _finding(
            text,
            "area_for_improvement",
            "The force should make sure that it answers emergency calls within the national target time "
            "and that call handlers record the risk assessment for every caller.",
        ),
        _finding(
            text,
            "cause_of_concern",
            "The force is not doing enough to find and safeguard children who go missing from home repeatedly.",
        ),
        _finding(
            text,
            "recommendation",
            "Within six months, the force should make sure that every child reported missing three or more "
            "times in a year has a documented safety plan reviewed by a supervisor.",
        ),
    ]
    return text, ex


def report_2021() -> tuple[str, Extraction]:
    """An earlier (2021/22) report of the same force: a second cycle for the chart."""
    text = (
        "PEEL 2021/22: an inspection of Kent Police\n\n"
        "Area of policing\tGrade\n"
        "Preventing crime\tGood\n"
        "Responding to the public\tAdequate\n"
        "Investigating crime\tGood\n\n"
        "Area for improvement\n\n"
        "The force should improve how it records the outcome of stop and search encounters.\n"
    )
    ex = Extraction(
        source="kent-2021-22-report.txt",
        kind="inspection_report",
        force="Kent Police",
        cycle="2021/22",
        title="PEEL 2021/22: an inspection of Kent Police",
    )
    for subject, grade in [
        ("Preventing crime", "good"),
        ("Responding to the public", "adequate"),
        ("Investigating crime", "good"),
    ]:
        line = next(ln for ln in text.splitlines() if ln.startswith(subject + "\t"))
        ex.judgments.append(_judgment(text, subject, grade, line))
    ex.findings.append(
        _finding(
            text,
            "area_for_improvement",
            "The force should improve how it records the outcome of stop and search encounters.",
        )
    )
    return text, ex


def pcc_response() -> tuple[str, Extraction]:
    """The commissioner's response: restates a finding, answers it and claims two grades."""
    text = (FIXTURES / "kent-pcc-response-2023-25.txt").read_text(encoding="utf-8")
    ex = Extraction(
        source="kent-pcc-response.txt",
        kind="pcc_response",
        force="Kent Police",
        cycle="2023–25",
        title="Commissioner's response to the PEEL 2023–25 inspection of Kent Police",
    )
    ex.judgments += [
        _judgment(
            text,
            "Developing a positive workplace",
            "outstanding",
            "graded outstanding in developing a positive workplace",
            claim=True,
        ),
        _judgment(text, "Managing offenders", "good", "good in managing offenders", claim=True),
    ]
    ex.findings.append(
        _finding(
            text,
            "area_for_improvement",
            "The force should make sure that it answers emergency calls within the national target time "
            "and that call handlers record the risk assessment for every caller.",
            ref="AFI 1",
        )
    )
    answer = (
        "The Chief Constable has appointed a superintendent to lead a review of the control room. "
        "I will scrutinise progress at my quarterly performance meeting."
    )
    start, end = _span(text, answer)
    ex.responses.append(Response(finding=0, by="pcc", text=answer, evidence=answer, start=start, end=end))
    return text, ex


def xss_document() -> tuple[str, Extraction]:
    """A report whose text, title, subjects and findings carry script, markup and javascript: links."""
    text = (FIXTURES / "xss-attempt.txt").read_text(encoding="utf-8")
    ex = Extraction(
        source=f"essex-{XSS_IMG}.txt",
        kind="inspection_report",
        force="Essex Police",
        cycle="2023–25",
        title=f"An inspection of Essex Police {XSS_SCRIPT}",
    )
    line = "Preventing crime\tGood"
    ex.judgments.append(_judgment(text, f"Preventing crime {XSS_IMG}", "good", line))
    line2 = "Responding to the public\tRequires improvement"
    ex.judgments.append(_judgment(text, "Responding to the public", "requires improvement", line2))
    words = next(ln for ln in text.splitlines() if ln.startswith("The force should stop"))
    ex.findings.append(_finding(text, "area_for_improvement", words))
    link_line = next(ln for ln in text.splitlines() if ln.startswith("Read more"))
    ex.findings.append(_finding(text, "recommendation", link_line, ref=XSS_LINK))
    return text, ex


ALL = {
    "report_2023": report_2023,
    "report_2021": report_2021,
    "pcc_response": pcc_response,
    "xss": xss_document,
}


def seed(store: Store) -> Seeded:
    """Store every seed document through the store's write path; return their ids."""
    from peelwatch.store.repository import store_extraction

    out = Seeded()
    for name, build in ALL.items():
        text, ex = build()
        with store.write() as session:
            stored = store_extraction(
                session,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                text=text,
                extraction=ex,
                source=ex.source,
                reader="text",
                size=len(text.encode()),
            )
            out.documents[name] = stored.document_id
    return out
