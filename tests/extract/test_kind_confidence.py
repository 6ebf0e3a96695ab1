"""How sure the kind decision is: a kind resting on one or two phrases of a short note is a guess;
several distinct cues, or two in a text long enough to show its voice, or a signed letter, are not."""

from __future__ import annotations

from peelwatch.extract.kind import decide_kind, is_confident

REPORT = (
    "PEEL 2023–25: An inspection of Kent Police. Last updated 5 March 2024.\n"
    "HM Inspector's summary\n"
    "We inspected how well Kent Police protects vulnerable people. We found that the force is good "
    "at preventing crime. Our findings are set out below, area by area. "
    + "The force works with partners to keep people safe and it understands its demand. "
    * 12
)


def test_a_one_line_note_saying_we_found_is_a_guess() -> None:
    decision = decide_kind("PEEL inspection: we found Kent Police good at protecting vulnerable people.")
    assert decision.kind == "inspection_report"
    assert not decision.confident
    assert decision.confidence.startswith("low: 1 distinct cue in")


def test_a_cue_repeated_by_the_headline_is_still_one_cue() -> None:
    # the first line is read twice (as headline and text); repeats must not make a note sure
    decision = decide_kind("We inspected Kent Police. We found that it is good at preventing crime.")
    assert decision.kind == "inspection_report"
    assert not decision.confident
    assert "2 distinct cues" in decision.confidence


def test_a_report_with_several_cues_is_decided_with_confidence() -> None:
    decision = decide_kind(REPORT)
    assert decision.kind == "inspection_report"
    assert decision.confident, decision.confidence


def test_a_signed_letter_decides_on_its_own() -> None:
    text = (
        "Dear Chief Constable,\nThank you for the PEEL inspection report. I welcome it.\n"
        "Yours sincerely\nPolice and Crime Commissioner for Kent\n"
    )
    decision = decide_kind(text)
    assert decision.kind == "pcc_response"
    assert decision.confident, decision.confidence


def test_a_close_call_is_not_confident() -> None:
    # the inspectorate quoted, and a force's site: two sides of nearly equal weight
    decision = decide_kind(
        "West Midlands Police said the PEEL inspection was fair. HM Inspector of Constabulary said: "
        "“We found the force requires improvement.”",
        site="West Midlands Police",
    )
    assert not decision.confident, decision


def test_nothing_about_an_inspection_is_surely_other() -> None:
    decision = decide_kind("The village fete raised money for the church roof.")
    assert decision.kind == "other" and decision.confident


def test_confidence_notes_read_back() -> None:
    assert is_confident("high: 4 distinct cues in 900 words, 12 against 2")
    assert not is_confident("low: 1 distinct cue in 11 words, 4 against 0")
    assert not is_confident(None) and not is_confident("")
