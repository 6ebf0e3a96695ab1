"""A small record for the national questions (claims, distribution, what changed, themes, feeds).

Written straight into the tables through the store's models, with the links and canonical keys
the linker gives findings, so these tests pin the questions and pages, not the linker. The
documents are a few lines written for these tests.

Kent is inspected in 2018/19, 2021/22 and 2023–25; Essex in 2023–25. Kent's commissioner and an
Essex news item and force statement restate grades, one of each outcome.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from peelwatch.store.engine import Store
from peelwatch.store.models import Cycle, Discharge, Document, Finding, Force, Judgment, Link

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass
class NationalSeed:
    """Ids of what was stored, by the names used below."""

    documents: dict[str, int] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)
    judgments: dict[str, int] = field(default_factory=dict)


# (name, force, cycle, kind, published, text, grades [(key, subject, grade, claim)],
#  findings [(name, key, type, text)])
DOCUMENTS = [
    (
        "kent-2018",
        "kent",
        "2018/19",
        "inspection_report",
        "2019-05-02",
        "PEEL 2018/19 Kent. Investigating crime was graded good.",
        [("investigating-crime", "Investigating crime", "good", False)],
        [],
    ),
    (
        "kent-2021",
        "kent",
        "2021/22",
        "inspection_report",
        "2022-03-01",
        "PEEL 2021/22 Kent. Investigating crime good. Preventing crime adequate. Leadership requires "
        "improvement. The force should improve how supervisors review investigations. The force should "
        "publish its workforce plan. Cause of concern: the force does not safeguard missing children.",
        [
            ("investigating-crime", "Investigating crime", "good", False),
            ("preventing-crime", "Preventing crime", "adequate", False),
            ("leadership", "Leadership and force management", "requires improvement", False),
        ],
        [
            (
                "kent-supervision-2021",
                "investigating-crime",
                "area_for_improvement",
                "The force should improve how supervisors review investigations.",
            ),
            (
                "kent-workforce-2021",
                "leadership",
                "area_for_improvement",
                "The force should publish its workforce plan.",
            ),
            (
                "kent-missing-2021",
                "protecting-vulnerable-people",
                "cause_of_concern",
                "The force does not safeguard missing children well enough.",
            ),
        ],
    ),
    (
        "kent-2023",
        "kent",
        "2023–25",
        "inspection_report",
        "2024-06-10",
        "PEEL 2023–25 Kent. Investigating crime requires improvement. Preventing crime good. Leadership "
        "requires improvement. Responding to the public adequate. Supervisors still do not review "
        "investigations well. The force needs to answer 101 calls sooner. The cause of concern about "
        "missing children has been discharged.",
        [
            ("investigating-crime", "Investigating crime", "requires improvement", False),
            ("preventing-crime", "Preventing crime", "good", False),
            ("leadership", "Leadership and force management", "requires improvement", False),
            ("responding-to-the-public", "Responding to the public", "adequate", False),
        ],
        [
            (
                "kent-supervision-2023",
                "investigating-crime",
                "area_for_improvement",
                "Supervisors still do not review investigations well enough.",
            ),
            (
                "kent-calls-2023",
                "responding-to-the-public",
                "area_for_improvement",
                "The force needs to answer non-emergency calls sooner.",
            ),
        ],
    ),
    (
        "kent-pcc-2023",
        "kent",
        "2023–25",
        "pcc_response",
        "2024-07-01",
        "The commissioner welcomes the report: Kent is good at investigating crime, good at preventing "
        "crime and outstanding in its workforce.",
        [
            ("investigating-crime", "Investigating crime", "good", True),
            ("preventing-crime", "Preventing crime", "good", True),
            ("workforce", "Developing a positive workplace", "outstanding", True),
        ],
        [],
    ),
    (
        "essex-2023",
        "essex",
        "2023–25",
        "inspection_report",
        "2024-09-01",
        "PEEL 2023–25 Essex. Investigating crime inadequate. Preventing crime good. Supervisors do not "
        "review investigations often enough.",
        [
            ("investigating-crime", "Investigating crime", "inadequate", False),
            ("preventing-crime", "Preventing crime", "good", False),
        ],
        [
            (
                "essex-supervision-2023",
                "investigating-crime",
                "area_for_improvement",
                "Supervisors do not review investigations often enough.",
            ),
        ],
    ),
    (
        "essex-news-2023",
        "essex",
        "2023–25",
        "news",
        "2024-09-03",
        "Essex Police said it requires improvement in investigating crime and is adequate at preventing crime.",
        [
            ("investigating-crime", "Investigating crime", "requires improvement", True),
            ("preventing-crime", "Preventing crime", "adequate", True),
        ],
        [],
    ),
]


def _ids(session: object, model: type, column: str) -> dict[str, int]:
    return {getattr(r, column): r.id for r in session.scalars(select(model))}  # type: ignore[attr-defined]


def seed_national(store: Store) -> NationalSeed:
    """Store the documents, their grades and findings, and the links between the findings."""
    out = NationalSeed()
    with store.write() as s:
        forces = _ids(s, Force, "slug")
        cycles = _ids(s, Cycle, "label")
        for n, (name, force, cycle, kind, published, text, grades, findings) in enumerate(DOCUMENTS):
            doc = Document(
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                source=f"{name}.txt",
                kind=kind,
                force_id=forces[force],
                cycle_id=cycles[cycle],
                title=f"{name.replace('-', ' ').title()}",
                published=published,
                text=text,
                reader="text",
                size=len(text),
                ingested_at=T0 + timedelta(hours=n),
            )
            s.add(doc)
            s.flush()
            out.documents[name] = doc.id
            for pos, (key, subject, grade, claim) in enumerate(grades):
                j = Judgment(
                    document_id=doc.id,
                    force_id=forces[force],
                    cycle_id=cycles[cycle],
                    position=pos,
                    scope="area",
                    subject=subject,
                    area_key=key,
                    grade=grade,
                    claim=claim,
                    evidence=subject,
                    start=0,
                    end=10,
                )
                s.add(j)
                s.flush()
                out.judgments[f"{name}/{key}"] = j.id
            for fname, key, type_, ftext in findings:
                f = Finding(
                    force_id=forces[force],
                    cycle_id=cycles[cycle],
                    type=type_,
                    text=ftext,
                    norm_text=ftext.lower(),
                    area_key=key,
                    authoritative=True,
                    source_document_id=doc.id,
                )
                s.add(f)
                s.flush()
                out.findings[fname] = f.id
        ids = out.findings
        s.add_all(
            [
                Link(
                    finding_id=ids["kent-supervision-2023"],
                    other_id=ids["kent-supervision-2021"],
                    kind="recurs",
                    score=0.93,
                ),
                # Across forces the linker writes a theme link.
                Link(
                    finding_id=ids["essex-supervision-2023"],
                    other_id=ids["kent-supervision-2023"],
                    kind="theme",
                    score=0.91,
                ),
                # An editor rejected this one: the calls issue is not the workforce plan.
                Link(
                    finding_id=ids["kent-calls-2023"],
                    other_id=ids["kent-workforce-2021"],
                    kind="recurs",
                    score=0.55,
                    rejected=True,
                    rejected_by="editor",
                ),
            ]
        )
        statement = Discharge(
            document_id=out.documents["kent-2023"],
            finding_id=ids["kent-missing-2021"],
            position=0,
            status="discharged",
            finding_type="cause_of_concern",
            text="The cause of concern about missing children has been discharged.",
        )
        s.add(statement)
        s.flush()
        s.add(
            Link(
                finding_id=ids["kent-missing-2021"],
                other_id=None,
                kind="discharges",
                score=0.9,
                discharge_id=statement.id,
                evidence=statement.text,
            )
        )
    return out
