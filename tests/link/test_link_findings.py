"""Matching findings by their words: restatements match, different findings do not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from peelwatch.link import (
    Candidate,
    best_match,
    discharge_match,
    discharge_quote,
    normalise,
    recurrences,
    similarity,
)

CALLS = (
    "The force should make sure that it answers emergency and non-emergency calls promptly, "
    "and that callers who abandon a call are contacted again."
)
SUPERVISION = (
    "The force should make sure investigations are supervised well and that victims are kept informed."
)
VULNERABLE = "The force should improve how it identifies vulnerable people when they first contact it."


def test_normalise_drops_references_and_the_usual_opening() -> None:
    assert normalise("AFI 3: The force should improve X.") == "improve x"
    assert normalise("• Recommendation 2 – The Constabulary must review Y") == "review y"
    assert normalise("1. The force needs to train staff") == "train staff"


def test_restatements_match_and_different_findings_do_not() -> None:
    stored = [
        Candidate(1, normalise(CALLS), "area_for_improvement"),
        Candidate(2, normalise(SUPERVISION), "area_for_improvement"),
    ]
    letter = "AFI 1: The Force should make sure that it answers emergency and non emergency calls promptly and that callers who abandon a call are contacted again"
    match = best_match(normalise(letter), "area_for_improvement", stored)
    assert match is not None and match[0].id == 1 and match[1] > 90
    assert best_match(normalise(VULNERABLE), "area_for_improvement", stored) is None
    # Already taken by an earlier item of the same document: not matched twice.
    assert best_match(normalise(letter), "area_for_improvement", stored, exclude={1}) is None


def test_a_different_type_needs_a_closer_text() -> None:
    stored = [Candidate(1, normalise(CALLS), "recommendation")]
    assert best_match(normalise(CALLS), "area_for_improvement", stored) is not None
    reworded = CALLS.replace("promptly", "quickly").replace("contacted again", "called back")
    assert best_match(normalise(reworded), "area_for_improvement", stored) is None
    assert best_match(normalise(reworded), "recommendation", stored) is not None


def test_recurrence_in_another_cycle() -> None:
    older = [
        Candidate(7, normalise(SUPERVISION), "area_for_improvement"),
        Candidate(8, normalise(VULNERABLE), "area_for_improvement"),
    ]
    again = "The force should make sure investigations are supervised well and that victims are kept informed of progress."
    found = recurrences(normalise(again), older)
    assert [c.id for c, _s in found] == [7]


def test_discharge_statement_finds_the_quoted_finding() -> None:
    text = (
        "In our 2021/22 inspection we said the force should make sure that it answers emergency and "
        "non-emergency calls promptly. This area for improvement has been discharged."
    )
    assert discharge_quote(text).startswith("make sure that it answers emergency")
    stored = [
        Candidate(1, normalise(CALLS), "area_for_improvement"),
        Candidate(2, normalise(SUPERVISION), "area_for_improvement"),
    ]
    match = discharge_match(text, stored)
    assert match is not None and match[0].id == 1
    assert discharge_match("This area for improvement has been discharged.", stored) is None


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(words, min_size=12, max_size=30), st.integers(min_value=0, max_value=200), st.sampled_from("xyz")
)
def test_one_changed_letter_still_matches(parts: list[str], where: int, letter: str) -> None:
    text = "The force should " + " ".join(parts)
    i = 17 + where % (len(text) - 17)
    changed = text[:i] + letter + text[i + 1 :]
    stored = [Candidate(1, normalise(text), "area_for_improvement")]
    assert best_match(normalise(changed), "area_for_improvement", stored) is not None
    assert similarity(normalise(text), normalise(changed)) == similarity(normalise(changed), normalise(text))
