"""The extractor's output: what a document states, each fact tied to its words.

``Extraction.to_dict()`` gives the JSON object of the extraction contract (SCHEMA.md) plus extra
keys (spans, canonical keys, discharges, statistics) that the contract allows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["inspection_report", "pcc_response", "force_statement", "news", "other"]
Scope = Literal["overall", "pillar", "question", "area"]
Grade = Literal["outstanding", "good", "adequate", "requires improvement", "inadequate", "ungraded"]
FindingType = Literal["area_for_improvement", "cause_of_concern", "recommendation"]
By = Literal["pcc", "force", "inspectorate", "other"]


@dataclass(slots=True)
class Judgment:
    """A grade the document states outright for a subject."""

    scope: Scope
    subject: str
    grade: Grade
    evidence: str
    start: int
    end: int
    key: str | None = None  # canonical question/area key from the framework
    cycle: str | None = None  # set when the document states an earlier cycle's grade
    claim: bool = False  # stated by a commissioner, force or third party, not the inspectorate
    rule: str = ""  # the relation that tied the grade to its subject (``extract --explain``)


@dataclass(slots=True)
class StatedStatus:
    """The status a tracker or paper states for a finding, mapped to the lifecycle, with its span."""

    status: str
    word: str
    evidence: str
    start: int
    end: int


@dataclass(slots=True)
class Finding:
    """One area for improvement, cause of concern or recommendation as the document lists it."""

    type: FindingType
    text: str
    evidence: str
    start: int
    end: int
    ref: str | None = None
    key: str | None = None
    section: str | None = None  # heading under which it was listed
    rule: str = ""  # the rule that recognised the item as a finding (``extract --explain``)
    stated: StatedStatus | None = None  # the status a tracker states for it (extract/statuses.py)


@dataclass(slots=True)
class Response:
    """A commissioner's or force's answer to one of the document's findings."""

    finding: int
    by: By
    text: str
    evidence: str
    start: int
    end: int
    rule: str = ""  # the layout that tied the response to its finding (``extract --explain``)


@dataclass(slots=True)
class Discharge:
    """A statement that an earlier finding has (or has not) been discharged."""

    status: Literal["discharged", "not_discharged"]
    text: str
    evidence: str
    start: int
    end: int
    finding_type: FindingType | None = None
    # the words that name the finding: its text when the document lists it, else what the
    # statement says it is about ("responding to the public"); None when it names none
    names: str | None = None
    finding: int | None = None  # index, in this extraction's findings, of the finding named
    # how the finding is named: "finding" (one the document lists), "named" (by its subject),
    # "context" (only by the words around the statement), "unnamed" (some findings, none named)
    referent: Literal["finding", "named", "context", "unnamed"] = "context"
    rule: str = ""  # the rule that read the statement (``extract --explain``)


@dataclass(slots=True)
class Statistic:
    """One row of a "Force in numbers" style table."""

    measure: str
    force_value: str
    evidence: str
    start: int
    end: int
    unit: str | None = None
    national_value: str | None = None
    period: str | None = None


@dataclass(slots=True)
class Unattached:
    """A grade expression that no relation tied to a subject, and why (``extract --explain``)."""

    grade: str
    text: str
    start: int
    end: int
    reason: str


@dataclass(slots=True)
class Extraction:
    """Everything the extractor found in one document."""

    source: str | None
    kind: Kind = "other"
    force: str | None = None
    cycle: str | None = None
    published: str | None = None
    title: str | None = None
    judgments: list[Judgment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    discharges: list[Discharge] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # what decided kind, force, cycle, title and published: {"cycle": "phrase 'PEEL 2021/22'"}
    reasons: dict[str, str] = field(default_factory=dict)
    unattached: list[Unattached] = field(default_factory=list)

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        """The extraction contract's object; ``explain`` adds ``reasons`` and ``unattached``."""
        out = asdict(self)
        if not explain:
            del out["reasons"], out["unattached"]
        return out

    @property
    def is_empty(self) -> bool:
        return not (self.judgments or self.findings or self.responses or self.discharges or self.statistics)
