"""Extractions built by hand, so store tests do not depend on the extractor's progress."""

from __future__ import annotations

import hashlib

from peelwatch.extract.model import Discharge, Extraction, Finding, Judgment, Response, Statistic

REPORT_TEXT = (
    "PEEL 2021/22: An inspection of Cheshire Constabulary\n\n"
    "Responding to the public: requires improvement\nInvestigating crime: adequate\n\n"
    "The constabulary should make sure that it answers emergency and non-emergency calls promptly, "
    "and that callers who abandon a call are contacted again.\n\n"
    "The constabulary should improve how it records the vulnerability of callers so that missing "
    "children and other people at risk receive the right response.\n\n"
    "The constabulary should make sure investigations are supervised well and that victims are kept "
    "informed of progress throughout.\n"
)
AFI_CALLS = (
    "The constabulary should make sure that it answers emergency and non-emergency calls promptly, "
    "and that callers who abandon a call are contacted again."
)
AFI_VULNERABLE = (
    "The constabulary should improve how it records the vulnerability of callers so that missing "
    "children and other people at risk receive the right response."
)
AFI_SUPERVISION = (
    "The constabulary should make sure investigations are supervised well and that victims are kept "
    "informed of progress throughout."
)


def digest(text: str) -> str:
    """The content hash the store would compute for these bytes."""
    return hashlib.sha256(text.encode()).hexdigest()


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _finding(text: str, words: str, ref: str | None = None, type_: str = "area_for_improvement") -> Finding:
    s, e = _span(text, words)
    return Finding(type_, words, words[:40], s, e, ref=ref)  # type: ignore[arg-type]


def report_2021() -> tuple[str, Extraction]:
    """The inspectorate's report: two grades, three areas for improvement, one statistic."""
    t = REPORT_TEXT
    s1 = _span(t, "Responding to the public: requires improvement")
    s2 = _span(t, "Investigating crime: adequate")
    return t, Extraction(
        source="report_2021.txt",
        kind="inspection_report",
        force="Cheshire Constabulary",
        cycle="2021/22",
        title="PEEL 2021/22: An inspection of Cheshire Constabulary",
        judgments=[
            Judgment(
                "area",
                "Responding to the public",
                "requires improvement",
                t[s1[0] : s1[1]],
                *s1,
                key="responding-to-the-public",
            ),
            Judgment(
                "area", "Investigating crime", "adequate", t[s2[0] : s2[1]], *s2, key="investigating-crime"
            ),
        ],
        findings=[_finding(t, AFI_CALLS), _finding(t, AFI_VULNERABLE), _finding(t, AFI_SUPERVISION)],
        statistics=[Statistic("999 calls answered within 10 seconds", "71%", "Responding", 0, 10, unit="%")],
    )


LETTER_TEXT = (
    "Response of the Police and Crime Commissioner for Cheshire to PEEL 2021/22\n\n"
    "Responding to the public: good\n\n"
    "AFI 1: The Constabulary should make sure that it answers emergency and non emergency calls promptly "
    "and that callers who abandon a call are contacted again.\n\n"
    "PCC response: I have asked the Chief Constable for a plan and will scrutinise it every quarter.\n\n"
    "AFI 2: The constabulary should make sure investigations are supervised well, and that victims are "
    "kept informed of progress throughout.\n\n"
    "PCC response: Supervision of investigations is a priority in my plan.\n"
)


def letter_2021() -> tuple[str, Extraction]:
    """The commissioner's letter: a claimed grade, two AFIs quoted with small differences, responses."""
    t = LETTER_TEXT
    afi1 = t[t.index("AFI 1:") : t.index("again.") + 6]
    afi2 = t[t.index("AFI 2:") : t.index("throughout.") + 11]
    r1 = "I have asked the Chief Constable for a plan and will scrutinise it every quarter."
    r2 = "Supervision of investigations is a priority in my plan."
    js = _span(t, "Responding to the public: good")
    return t, Extraction(
        source="letter_2021.txt",
        kind="pcc_response",
        force="Cheshire Constabulary",
        cycle="2021/22",
        judgments=[
            Judgment(
                "area",
                "Responding to the public",
                "good",
                t[js[0] : js[1]],
                *js,
                key="responding-to-the-public",
            )
        ],
        findings=[_finding(t, afi1, "AFI 1"), _finding(t, afi2, "AFI 2")],
        responses=[
            Response(0, "pcc", r1, r1[:30], *_span(t, r1)),
            Response(1, "pcc", r2, r2[:30], *_span(t, r2)),
        ],
    )


LATER_TEXT = (
    "PEEL 2023–2025: An inspection of Cheshire Constabulary\n\n"
    "Responding to the public: adequate\n\n"
    "In 2021/22 we said the constabulary should make sure that it answers emergency and non-emergency calls "
    "promptly, and that callers who abandon a call are contacted again. This has been discharged.\n\n"
    "The constabulary should make sure investigations are supervised well and that victims are kept "
    "informed about the progress of their case.\n"
)


def report_2023() -> tuple[str, Extraction]:
    """The next cycle's report: a discharge of the calls AFI and a recurring supervision AFI."""
    t = LATER_TEXT
    d = (
        "the constabulary should make sure that it answers emergency and non-emergency calls promptly, and that "
        "callers who abandon a call are contacted again."
    )
    js = _span(t, "Responding to the public: adequate")
    recur = (
        "The constabulary should make sure investigations are supervised well and that victims are kept "
        "informed about the progress of their case."
    )
    return t, Extraction(
        source="report_2023.txt",
        kind="inspection_report",
        force="Cheshire Constabulary",
        cycle="2023–25",
        judgments=[
            Judgment(
                "area",
                "Responding to the public",
                "adequate",
                t[js[0] : js[1]],
                *js,
                key="responding-to-the-public",
            )
        ],
        findings=[_finding(t, recur)],
        discharges=[Discharge("discharged", d, d[:40], *_span(t, d), finding_type="area_for_improvement")],
    )
