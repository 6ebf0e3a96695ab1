"""Typed view of the PEEL framework data files (``data/*.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Scope = Literal["overall", "pillar", "question", "area"]

# The pillar names used in Subject.pillar, in the inspectorate's order.
PILLARS: tuple[str, ...] = ("effectiveness", "efficiency", "legitimacy", "leadership")


@dataclass(frozen=True, slots=True)
class Force:
    """One of the 43 territorial forces of England and Wales."""

    slug: str  # "west-midlands", as in the inspectorate's web addresses
    name: str  # official name: "West Midlands Police"
    aliases: tuple[str, ...] = ()  # other names and short forms: "WMP", "West Mids", "West Midlands"
    former_names: tuple[str, ...] = ()  # "Hampshire Constabulary"
    noun: Literal["force", "constabulary"] = "force"
    region: str = ""
    rocu: str | None = None
    policing_body: str = ""
    ambiguous_aliases: tuple[str, ...] = ()  # aliases shared with another force ("WMP")
    # Initialisms ("GMP", "TVP"): aliases that are only safe to look for in running text
    # case-sensitively and as whole words ("MPS" is the Met, "MPs" are members of Parliament).
    abbreviations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subject:
    """A graded (or ungraded) subject of one cycle: a pillar, a question or an area of policing.

    ``id`` is unique ("2015/effectiveness/q1"); ``key`` is the canonical theme shared across
    cycles ("preventing-crime"), so the 2015 question and the 2021/22 area relate.
    """

    id: str
    key: str
    cycle: str
    scope: Scope
    name: str  # official wording
    pillar: str | None = None  # "effectiveness", "efficiency", "legitimacy", "leadership"
    short: str | None = None  # short label ("Preventing crime")
    # the few words heading the subject's column in a wide table ("Prevention"); from the
    # subject's own ``column``, else its key's in keys.yaml, else the short label or name.
    # Presentation only: never matched against a document's words.
    column: str | None = None
    aliases: tuple[str, ...] = ()  # other phrasings seen in reports, letters and press
    graded: bool = True
    # False where the official wording was not confirmed from a source and ``name`` is a
    # faithful reconstruction (e.g. from the short form); the key and grading are still right.
    verified: bool = True
    # False for subjects reported into the cycle from a separate inspection programme (serious
    # organised crime and crime recording in 2023–25), so they are not among the cycle's areas.
    core: bool = True
    # Framework versions within a cycle the subject belongs to ("original", "revised" in
    # 2021/22); empty means every version.
    framework_versions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cycle:
    """One PEEL cycle: its label, the forms the label takes, its grade scale and its subjects."""

    label: str  # "2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023–25", "2025–27"
    aliases: tuple[str, ...] = ()  # "2018-19", "2018/2019", "2023-25", "2023 to 2025", "2023–2025"
    scale: tuple[str, ...] = ()  # the grade words in order, best first
    ordinal: str | None = None  # "fourth" (the "fourth PEEL assessment")
    url_slugs: tuple[str, ...] = ()  # "peel-2017", "-2021-22"
    years: tuple[int, ...] = ()  # publication years
    subjects: tuple[Subject, ...] = field(default_factory=tuple)
    slug: str = ""  # ASCII form of the label for ids and web addresses: "2018-19", "2023-25"
    cues: tuple[str, ...] = ()  # phrases in a document that point to this cycle ("fifth PEEL assessment")
    comparability: str = ""  # the inspectorate's warning about comparing grades with earlier cycles
    framework_versions: tuple[str, ...] = ()  # versions of the assessment framework used in the cycle


@dataclass(frozen=True, slots=True)
class Grade:
    """A grade value with its rank and the ways it is written."""

    value: str  # "requires improvement"
    variants: tuple[str, ...] = ()  # "require improvement", "requiring improvement", "RI"
    rank: int = 0  # 4 outstanding .. 0 inadequate; -1 ungraded
    abbreviations: tuple[str, ...] = ()  # table-only forms, matched case-sensitively: "RI"
