"""Claims check: a grade stated by a commissioner, force or news item against the inspectorate's.

The comparison is a pure function of the two grade values, ranked by the framework's grade
scale; finding the two grades (same force, cycle and canonical key) is the store's query
(:func:`peelwatch.store.link_queries.claims`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from peelwatch.framework import load_framework

Outcome = Literal["agrees", "higher", "lower", "no_inspectorate_grade", "not_comparable"]
OUTCOMES: tuple[Outcome, ...] = ("agrees", "higher", "lower", "no_inspectorate_grade", "not_comparable")


@lru_cache(maxsize=64)
def grade_rank(value: str) -> int | None:
    """The framework rank of a grade value (4 outstanding .. 0 inadequate), None if unknown."""
    found = load_framework().grade(value)
    return None if found is None or found.rank < 0 else found.rank


def compare_grades(claimed: str, inspectorate: str | None) -> Outcome:
    """``agrees``; ``higher`` (the claim is better than the inspectorate's grade) or ``lower``;
    ``no_inspectorate_grade`` when none is recorded for the key (or it is "ungraded"); and
    ``not_comparable`` when the claim itself is no grade on the scale."""
    if inspectorate is None or grade_rank(inspectorate) is None:
        return "no_inspectorate_grade"
    if claimed == inspectorate:
        return "agrees"
    a, b = grade_rank(claimed), grade_rank(inspectorate)
    if a is None or b is None:
        return "not_comparable"
    if a == b:
        return "agrees"
    return "higher" if a > b else "lower"
