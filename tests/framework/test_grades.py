"""Grade values and the many ways they are written; pending phrases are not grades."""

from __future__ import annotations

import pytest

from peelwatch.errors import UnknownNameError
from peelwatch.framework import Framework


def test_the_grade_values_and_their_ranks(fw: Framework) -> None:
    assert [(g.value, g.rank) for g in fw.grades] == [
        ("outstanding", 4),
        ("good", 3),
        ("adequate", 2),
        ("requires improvement", 1),
        ("inadequate", 0),
        ("ungraded", -1),
    ]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("Outstanding", "outstanding"),
        ("GOOD", "good"),
        ("good.", "good"),
        ("Adequate", "adequate"),
        ("requires improvement", "requires improvement"),
        ("Requires Improvement", "requires improvement"),
        ("require improvement", "requires improvement"),
        ("requiring improvement", "requires improvement"),
        ("Requires-improvement", "requires improvement"),
        ("requires  improvement", "requires improvement"),
        ("Inadequate", "inadequate"),
        ("Ungraded", "ungraded"),
        ("not graded", "ungraded"),
        ("RI", "requires improvement"),
    ],
)
def test_grade_variants(fw: Framework, written: str, value: str) -> None:
    grade = fw.grade(written)
    assert grade is not None and grade.value == value


def test_ri_is_a_table_abbreviation_only(fw: Framework) -> None:
    assert "RI" in fw.grade_value("requires improvement").abbreviations
    assert fw.grade("ri") is None  # lower case "ri" is not a grade
    assert fw.grade("RI", abbreviations=False) is None


@pytest.mark.parametrize("phrase", ["not yet graded", "Not yet graded", "To be graded", "yet to be graded"])
def test_pending_phrases_are_not_grades(fw: Framework, phrase: str) -> None:
    assert fw.grade(phrase) is None
    assert fw.is_pending(phrase)


def test_pending_phrases_are_found_inside_text(fw: Framework) -> None:
    assert fw.is_pending("Legitimacy: to be graded in spring")
    assert not fw.is_pending("Legitimacy: good")
    assert not fw.is_pending("not graded")


@pytest.mark.parametrize("word", ["excellent", "fair", "poor", "", "good at", "very good", "satisfactory"])
def test_other_words_are_not_peel_grades(fw: Framework, word: str) -> None:
    assert fw.grade(word) is None


def test_grade_value_returns_the_canonical_grade_or_raises(fw: Framework) -> None:
    assert fw.grade_value("adequate").rank == 2
    with pytest.raises(UnknownNameError):
        fw.grade_value("excellent")


def test_every_cycle_scale_uses_known_grades_best_first(fw: Framework) -> None:
    rank = {g.value: g.rank for g in fw.grades}
    for cycle in fw.cycles:
        ranks = [rank[v] for v in cycle.scale]
        assert ranks == sorted(ranks, reverse=True)
