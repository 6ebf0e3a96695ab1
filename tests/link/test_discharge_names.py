"""The finding a discharge statement names, found among a force's findings by the naming words."""

from __future__ import annotations

from typing import NamedTuple

from peelwatch.link.discharges import SUBJECT_SCORE, match_named


class Row(NamedTuple):
    id: int
    cycle_id: int | None
    area_key: str | None
    text: str
    type: str


POSITIONS = {1: 10, 2: 20}  # cycle id -> position: cycle 1 before cycle 2

CUSTODY = Row(
    1,
    1,
    None,
    "The force should make sure every detainee is seen by a nurse within an hour.",
    "recommendation",
)
CUSTODY_AGAIN = Row(2, 2, None, CUSTODY.text, "recommendation")
CALLS_OLD = Row(
    3, 1, "responding-to-the-public", "The force is too slow to answer 999 calls.", "cause_of_concern"
)
CALLS_NEW = Row(
    4,
    2,
    "responding-to-the-public",
    "The force does not answer non-emergency calls quickly.",
    "cause_of_concern",
)
CALLS_AFI = Row(
    5,
    2,
    "responding-to-the-public",
    "The force should publish its call answering times.",
    "area_for_improvement",
)


def test_the_findings_own_words_find_it_and_a_restatement_points_to_the_first_raised() -> None:
    found = match_named(
        CUSTODY.text, "recommendation", "2023–25", [CUSTODY_AGAIN, CUSTODY, CALLS_NEW], POSITIONS
    )
    assert found is not None and found[0] == CUSTODY.id and found[1] >= 99


def test_a_paraphrase_contained_in_the_finding_finds_it() -> None:
    found = match_named(
        "seen by a nurse within an hour", "recommendation", None, [CUSTODY, CALLS_NEW], {1: 10}
    )
    assert found is not None and found[0] == CUSTODY.id


def test_a_subject_finds_the_latest_finding_of_that_type_on_it() -> None:
    pool = [CALLS_OLD, CALLS_NEW, CALLS_AFI]
    assert match_named("responding to the public", "cause_of_concern", "2021/22", pool, POSITIONS) == (
        CALLS_NEW.id,
        SUBJECT_SCORE,
    )


def test_two_equally_good_findings_give_none() -> None:
    twin = CALLS_NEW._replace(id=6, text="The force does not send officers to urgent calls in time.")
    assert (
        match_named("responding to the public", "cause_of_concern", "2021/22", [CALLS_NEW, twin], POSITIONS)
        is None
    )


def test_words_that_name_no_finding_and_no_subject_give_none() -> None:
    assert (
        match_named("the catering contract", "cause_of_concern", "2021/22", [CALLS_OLD, CALLS_NEW], POSITIONS)
        is None
    )
    assert (
        match_named("responding to the public", "recommendation", "2021/22", [CALLS_NEW], POSITIONS) is None
    )
