"""How things are shown: grade colours and words, labels, and the comparability warnings.

Presentation only: nothing here decides a grade or a status, it only names and colours them.
"""

from __future__ import annotations

from functools import lru_cache

FOUR_TIER = ("outstanding", "good", "requires improvement", "inadequate")
FIVE_TIER = ("outstanding", "good", "adequate", "requires improvement", "inadequate")

_GRADE_CLASS = {
    "outstanding": "g-outstanding",
    "good": "g-good",
    "adequate": "g-adequate",
    "requires improvement": "g-ri",
    "inadequate": "g-inadequate",
    "ungraded": "g-ungraded",
    "not graded": "g-ungraded",
}

# Best first; the chart's y axis and the "sort by grade" order use it. Ungraded is below the scale.
GRADE_RANK = {"outstanding": 4, "good": 3, "adequate": 2, "requires improvement": 1, "inadequate": 0}

_FINDING_TYPES = {
    "area_for_improvement": "Area for improvement",
    "cause_of_concern": "Cause of concern",
    "recommendation": "Recommendation",
}

_KINDS = {
    "inspection_report": "Inspection report",
    "pcc_response": "Commissioner's response",
    "force_statement": "Force statement",
    "news": "News",
    "other": "Other document",
}

_BY = {
    "pcc": "Commissioner",
    "force": "Force",
    "inspectorate": "Inspectorate",
    "other": "Other",
}

GENERAL_WARNING = (
    "The inspectorate warns that grades from different PEEL cycles are not directly comparable: "
    "the scale, the questions and what was inspected changed between cycles."
)

_CYCLE_WARNINGS = {
    "2021/22": (
        "2021/22 introduced a five-tier scale with “adequate”. The inspectorate says these grades "
        "cannot be compared directly with earlier cycles, and a move from good to adequate is not "
        "necessarily a decline unless the report says so."
    ),
    "2023–25": (
        "The inspectorate says 2023–25 grades are not directly comparable with 2021/22: the "
        "inspection put more weight on outcomes and changed some of the aspects it looked at."
    ),
    "2025–27": (
        "Grades from 2025–27 are not directly comparable with earlier cycles; the inspectorate "
        "changed what it inspects between cycles."
    ),
    "2018/19": (
        "2018/19 graded questions within an integrated inspection; their scope differs from the "
        "pillar grades of 2015–2017."
    ),
    "2017": (
        "Some 2017 grades are the 2016 grades carried forward under the inspectorate's risk-based "
        "approach, and pillar grades differ in scope from later question and area grades."
    ),
    "2016": "Pillar grades (2015–2017) differ in scope from the question and area grades of later cycles.",
    "2015": "Pillar grades (2015–2017) differ in scope from the question and area grades of later cycles.",
    "2014": "2014 graded individual questions, some left ungraded; later cycles graded pillars and areas.",
}


def grade_class(grade: str | None) -> str:
    """The CSS class colouring a grade cell (always shown together with the grade's words)."""
    if not grade:
        return "g-none"
    return _GRADE_CLASS.get(grade.lower(), "g-ungraded")


def grade_label(grade: str | None) -> str:
    """The grade as people write it: ``requires improvement`` -> ``Requires improvement``."""
    if not grade:
        return "No grade"
    return grade[:1].upper() + grade[1:]


def grade_rank(grade: str | None) -> int:
    """Best 4 (outstanding) to worst 0 (inadequate); -1 for ungraded or missing."""
    return GRADE_RANK.get((grade or "").lower(), -1)


def finding_type_label(kind: str | None) -> str:
    """``area_for_improvement`` -> ``Area for improvement``."""
    return _FINDING_TYPES.get(kind or "", (kind or "").replace("_", " ").capitalize())


def kind_label(kind: str | None) -> str:
    """A document kind in words."""
    return _KINDS.get(kind or "", (kind or "other").replace("_", " ").capitalize())


def by_label(by: str | None) -> str:
    """Who made a response or a claim, in words."""
    return _BY.get(by or "", (by or "").capitalize())


@lru_cache(maxsize=1)
def _framework_scales() -> dict[str, tuple[str, ...]]:
    """Cycle label -> grade words, from the framework data when it is available."""
    try:
        from peelwatch.framework import load_framework

        return {c.label: tuple(c.scale) for c in load_framework().cycles if c.scale}
    except Exception:  # the framework is optional for presentation: fall back to the known scales
        return {}


@lru_cache(maxsize=1)
def _policing_bodies() -> dict[str, str]:
    """Force slug -> the local policing body that answers the inspectorate's reports."""
    try:
        from peelwatch.framework import load_framework

        return {f.slug: f.policing_body for f in load_framework().forces if f.policing_body}
    except Exception:  # the framework is optional for presentation: fall back to the role's name
        return {}


def responder(by: str | None, force_slug: str | None, force_name: str | None) -> str:
    """Who answered, named where the framework knows: the force's policing body for a
    commissioner's response ("Police and Crime Commissioner for Kent"), the force by name for its
    own; otherwise the role in words."""
    if by == "pcc" and force_slug and force_slug in _policing_bodies():
        return _policing_bodies()[force_slug]
    if by == "force" and force_name:
        return force_name
    return by_label(by)


@lru_cache(maxsize=1)
def _framework_columns() -> dict[tuple[str, str], str]:
    """(cycle label, subject key) -> the few words heading the subject's column."""
    try:
        from peelwatch.framework import load_framework

        return {(c.label, s.key): s.column for c in load_framework().cycles for s in c.subjects if s.column}
    except Exception:  # the framework is optional for presentation: fall back to the names stored
        return {}


COLUMN_CHARS = 32  # a subject as written is cut to this for a column heading (in full on hover)


def column_label(cycle: str | None, key: str, fallback: str) -> str:
    """The short heading of a matrix column (framework data), or ``fallback`` (a subject as
    written, for columns the framework does not know), cut at a word to a few words.

    >>> column_label(None, "other/x", "How effectively does the force reduce crime and keep people safe?")
    'How effectively does the force…'
    """
    label = _framework_columns().get((cycle or "", key))
    if label:
        return label
    if len(fallback) <= COLUMN_CHARS:
        return fallback
    cut = fallback[:COLUMN_CHARS].rsplit(" ", 1)[0] or fallback[:COLUMN_CHARS]
    return cut.rstrip(" ,;:") + "…"


def source_label(kind: str | None, title: str | None, published: str | None) -> str:
    """Where a grade was read from, in a line: "Inspection report: PEEL 2023–25 Kent (2024-03-01)"."""
    where = kind_label(kind) + (f": {title}" if title else "")
    return where + (f" ({published})" if published else "")


def scale_for(cycle: str | None) -> tuple[str, ...]:
    """The grade words of a cycle's scale, best first: four tiers before 2021/22, five after."""
    if cycle and cycle in _framework_scales():
        return tuple(g for g in _framework_scales()[cycle] if g in GRADE_RANK)
    year = _first_year(cycle)
    return FIVE_TIER if year is not None and year >= 2021 else FOUR_TIER


def comparability_warnings(cycle: str | None = None) -> list[str]:
    """The inspectorate's cautions to show beside grades of ``cycle`` (or all cycles)."""
    warnings = [GENERAL_WARNING]
    if cycle and cycle in _CYCLE_WARNINGS:
        warnings.append(_CYCLE_WARNINGS[cycle])
    elif cycle is None:
        warnings.extend([_CYCLE_WARNINGS["2021/22"], _CYCLE_WARNINGS["2023–25"], _CYCLE_WARNINGS["2017"]])
    return warnings


def _first_year(cycle: str | None) -> int | None:
    digits = "".join(ch if ch.isdigit() else " " for ch in cycle or "").split()
    return int(digits[0]) if digits and len(digits[0]) == 4 else None
