"""Findings tied to the framework: the area or question key from heading, words or headings above."""

from __future__ import annotations

from peelwatch.link import finding_area_key
from peelwatch.link.areas import key_from_heading, key_from_words, preceding_headings


def test_a_heading_naming_a_subject_gives_its_key_in_the_findings_cycle() -> None:
    assert (
        key_from_heading("Cause of concern: responding to the public", "2023–25")
        == "responding-to-the-public"
    )
    assert key_from_heading("Investigating crime", "2021/22") == "investigating-crime"
    assert key_from_heading("Areas for improvement", "2021/22") is None


def test_the_findings_own_words_can_name_the_subject() -> None:
    text = "The force needs to improve how it investigates crime and keeps victims informed."
    assert key_from_words(text, "2021/22") == "investigating-crime"
    assert key_from_words("The force should review its estate.", "2021/22") is None


def test_the_nearest_heading_above_decides_when_nothing_else_does() -> None:
    doc = "Protecting vulnerable people\n\nSome narrative here.\n\nThe force should do X better.\n"
    start = doc.index("The force should")
    assert preceding_headings(doc, start)[0] == "Some narrative here."
    found = finding_area_key("The force should do X better.", cycle="2021/22", document_text=doc, start=start)
    assert found is not None and (found.key, found.source) == ("protecting-vulnerable-people", "heading")


def test_section_wins_over_words() -> None:
    found = finding_area_key(
        "The force should investigate crime faster.", cycle="2021/22", section="Responding to the public"
    )
    assert found is not None and (found.key, found.source) == ("responding-to-the-public", "section")
