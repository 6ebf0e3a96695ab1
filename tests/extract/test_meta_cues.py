"""Metadata read from what a reader would use when a document does not say outright: the
inspectorate's name of the time, the grade scale, one cycle's area names, a commissioner's
election, "since our last inspection in 2019", who a headline says is speaking, whose site the page
is on, and how the inspectorate spells PEEL. Every fixture is a short text written for these tests.
"""

from __future__ import annotations

import pytest

from peelwatch.extract import Extraction, extract_bytes
from peelwatch.extract.cycle import Votes, cycle_from_subjects, decide_cycle, lookalike, lowered, weak_votes
from peelwatch.extract.dates import stated_date
from peelwatch.extract.kind import decide_kind, headline_evidence, site_evidence, speakers
from peelwatch.extract.title import choose_title, clean_title, is_boilerplate


def run(text: str, name: str = "doc.txt") -> Extraction:
    return extract_bytes(text.encode("utf-8"), name)


# --- cycle: weak cues -----------------------------------------------------------------------------


def test_his_majesty_s_inspectorate_dates_a_text_after_september_2022() -> None:
    text = (
        "Riverside news\n\nHis Majesty’s Inspectorate of Constabulary has told Kent Police it must "
        "answer emergency calls faster."
    )
    decision = decide_cycle(text)
    assert decision.cycle in {"2021/22", "2023–25"}
    assert "after September 2022" in decision.reason
    assert decision.open  # only weak cues: the graded subjects may still decide


def test_area_labels_of_one_cycle_settle_between_the_two_the_name_allows() -> None:
    text = (
        "His Majesty’s Inspectorate of Constabulary looked at Kent Police again this winter. Its "
        "treatment of the public and its good use of resources were both looked at closely."
    )
    assert decide_cycle(text).cycle == "2021/22"
    text = text.replace(
        "treatment of the public and its good use of resources", "leadership and force management"
    )
    assert decide_cycle(text).cycle == "2023–25"


def test_the_old_name_and_a_commissioner_elected_in_may_point_to_2016() -> None:
    text = (
        "Commissioner comments on efficiency report\n\nThe commissioner said: “Since I was elected in May "
        "I have pressed the Chief Constable on how the force plans for demand.” HMIC looked at how Kent "
        "Police uses its money and its people."
    )
    assert decide_cycle(text).cycle == "2016"


def test_one_broad_cue_alone_places_no_cycle() -> None:
    decision = decide_cycle("HMICFRS has written to Kent Police about its call handling.")
    assert decision.cycle is None
    assert "weak cues only" in decision.reason


def test_a_named_cycle_outweighs_the_name_of_the_day() -> None:
    text = (
        "PEEL 2018/19 – Kent Police: what happened next\n\nHis Majesty’s Inspectorate of Constabulary "
        "has closed the last of the recommendations it made in that report."
    )
    assert decide_cycle(text).cycle == "2018/19"


@pytest.mark.parametrize(
    "sentence",
    [
        "Since our last inspection in 2019, the force has changed how it answers calls.",
        "At the previous PEEL inspection, in March 2019, calls were answered slowly.",
        "The force has improved since the PEEL inspection in 2019.",
    ],
)
def test_the_inspection_before_places_the_next_cycle(sentence: str) -> None:
    decision = decide_cycle(f"Kent Police update\n\n{sentence}")
    assert decision.cycle == "2021/22"
    assert "names the cycle before" in decision.reason


def test_following_an_inspection_is_that_cycle_or_a_later_one() -> None:
    # the follow-up of the 2019 inspection, or the next report: a weak vote for each, no choice
    decision = decide_cycle("Kent Police update\n\nThe force has improved following the 2019 inspection.")
    assert decision.cycle is None
    assert decision.votes is not None and set(decision.votes.weight) == {"2018/19", "2021/22"}


def test_a_report_published_in_the_summer_of_2023_is_2021_22_s() -> None:
    text = (
        "Dear Home Secretary\n\nI am replying to the national report the inspectorate published on "
        "12 July 2023, drawing on its inspections of every force."
    )
    assert decide_cycle(text).cycle == "2021/22"


def test_weak_cues_each_add_to_every_cycle_they_allow() -> None:
    votes = Votes()
    weak_votes(
        lowered("Her Majesty’s Inspectorate of Constabulary and Fire & Rescue Services said so."), votes
    )
    assert {"2017", "2018/19", "2021/22"} <= set(votes.weight)
    assert not votes.strong  # weak cues never count as strong evidence


def test_the_graded_subjects_join_the_weak_cues() -> None:
    text = (
        "Her Majesty’s Inspectorate of Constabulary and Fire & Rescue Services has reported on Kent Police."
    )
    early = decide_cycle(text)
    assert early.open
    late = cycle_from_subjects(
        text,
        ["Responding to the public", "Good use of resources", "Protecting vulnerable people"],
        early.votes,
    )
    assert late.cycle == "2021/22"


def test_a_report_on_one_pillar_is_a_cycle_of_pillar_reports() -> None:
    text = (
        "Force told to keep improving\n\nHer Majesty’s Inspectorate of Constabulary and Fire & Rescue "
        "Services has given Kent Police a grade of 'requires improvement' for efficiency, and rated it "
        "'good' at how it uses its resources. One of four possible grades was given for each."
    )
    assert run(text).cycle == "2017"
    early = decide_cycle(text)
    late = cycle_from_subjects(text, ["efficiency", "how it uses its resources"], early.votes)
    assert late.votes is not None and any("one pillar" in r for _, r in late.votes.reasons["2017"])
    assert not any("one pillar" in r for _, r in late.votes.reasons["2018/19"])


# --- look-alikes ----------------------------------------------------------------------------------


def test_another_inspectorate_named_above_the_text_is_not_a_police_inspection() -> None:
    text = (
        "The Weekly Courier\n\nCare homes told to improve by the Care Quality Commission\n\n"
        "Inspectors rated two homes 'requires improvement'. Officers from Kent Police attended one "
        "home after a fall last spring."
    )
    other = lookalike(text, None)
    assert other is not None and not other.police
    result = run(text)
    assert (result.force, result.cycle) == (None, None)


def test_a_fire_magazine_that_never_names_the_police_is_about_fire_services() -> None:
    text = (
        "Third round of inspections\n\nFifteen services were inspected this time. Essex and Kent "
        "were graded good at preventing fires; one fire and rescue service was inadequate at training."
    )
    result = run(text)
    assert (result.force, result.cycle) == (None, None)


# --- kind -----------------------------------------------------------------------------------------


def test_peel_in_small_letters_is_not_the_inspectorate_writing() -> None:
    text = (
        "Kent Police rated good across the board\n\nInspectors have graded Kent Police good after the "
        "latest Peel report.\n\nHM Inspector Jane Roe said: “The force keeps people safe.”"
    )
    decision = decide_kind(text)
    assert decision.kind == "news"


def test_a_title_saying_whose_statement_it_is() -> None:
    assert [e.kind for e in headline_evidence("Kent Police response to the PEEL assessment")] == [
        "force_statement"
    ]
    assert [e.kind for e in headline_evidence("PCC responds to inspection report")] == ["pcc_response"]
    assert [
        e.kind for e in headline_evidence("Response of the Police and Crime Commissioner to HMICFRS")
    ] == ["pcc_response"]
    # the words after "Topic – " name the speaker: a person's name names no side
    assert headline_evidence("PEEL 2016: Kent Police – A. Person responds") == []
    # "response" as what an inspection is about names no speaker
    assert headline_evidence("Safer streets: an inspection of the police response to burglary") == []


def test_a_chief_s_statement_on_the_force_s_site_is_the_force_s() -> None:
    text = (
        "Leave site\n\nChief’s statement on our latest inspection\n\nKent Police has received the results "
        "of the latest PEEL assessment, which assessed and graded our service as good in most areas."
    )
    result = run(text)
    assert result.kind == "force_statement"


def test_a_chief_constable_responding_is_not_a_commissioner() -> None:
    text = (
        "Quickly exit this site\n\nInspectors told Kent Police about two concerns after an inspection in "
        "January.\n\nChief Constable A. Person has responded to these concerns: “We are acting on both.”"
    )
    assert decide_kind(text).kind == "force_statement"


def test_the_commissioner_spoken_of_on_the_body_s_own_site() -> None:
    text = (
        "Office of the Police and Crime Commissioner\n\nInspection report\n\nThe inspectorate graded the "
        "force inadequate. The PCC has sought assurance from the Chief Constable. The PCC shares the "
        "public's concern, and the OPCC will report on progress."
    )
    assert decide_kind(text).kind == "pcc_response"


def test_a_magazine_naming_a_commissioner_is_not_the_commissioner_s_page() -> None:
    text = (
        "Fire services inspected\n\nThe PFCC of one county oversees two of the fifteen services "
        "inspected this round, reporters at the briefing heard. The PFCC is pleased with the grades."
    )
    assert decide_kind(text).kind == "news"


def test_the_met_s_deputy_commissioner_speaks_for_the_force() -> None:
    assert speakers("deputy commissioner a. person said: . the commissioner said: .") == {
        "force": 1,
        "pcc": 1,
    }


def test_the_report_quoted_beside_the_force_is_news() -> None:
    text = (
        "Force judged the best in the country\n\nA watchdog says Kent Police is outstanding after its "
        "inspection.\n\n"
        "The report says: “The force goes to great lengths to protect people.”\n\n"
        "Chief Constable A. Person said: “Everyone here should be proud.”"
    )
    assert decide_kind(text).kind == "news"


def test_a_volunteers_tracker_is_other() -> None:
    text = (
        "Community tracker of inspection findings\n\nRef\tFinding\tStatus\nK1\tThe force should answer "
        "calls faster.\tOpen\n\nClosed means the inspectorate has said it is satisfied."
    )
    assert decide_kind(text).kind == "other"


def test_the_site_a_page_names_says_who_publishes_it() -> None:
    assert [e.kind for e in site_evidence(None, "Kent Police")] == ["force_statement"]
    assert [e.kind for e in site_evidence(None, "HMICFRS")] == ["inspection_report"]
    assert [e.kind for e in site_evidence(None, "Kent Police and Crime Commissioner")] == ["pcc_response"]
    page = (
        "<html><head><title>News | Kent Police</title>"
        '<meta property="og:title" content="Inspectors see progress"></head><body><main>'
        "<h1>Inspectors see progress</h1><p>HMICFRS has published its PEEL report on Kent Police. "
        "Inspectors found that response times had improved.</p>"
        "<p>The Chief Constable said: “We are pleased.”</p></main></body></html>"
    )
    result = extract_bytes(page.encode(), "news.html")
    assert result.kind == "force_statement"
    assert "force's site" in result.reasons["kind"]


# --- titles ---------------------------------------------------------------------------------------


def test_a_notice_about_the_message_is_not_its_title() -> None:
    text = (
        "The following message has been sent by Kent Police:\n"
        "This is a re-issue of the earlier message, which did not display properly. Sorry for any confusion.\n"
        "Today the inspectorate published its PEEL report on Kent Police, which grades the force good."
    )
    assert choose_title(text).title == (
        "Today the inspectorate published its PEEL report on Kent Police, which grades the force good."
    )


@pytest.mark.parametrize("line", ["Name: chief-constable.jpg", "Size: 48.2 KB", "Views: 12", "HMICFRS logo"])
def test_an_image_s_name_or_alt_text_is_never_a_title(line: str) -> None:
    assert is_boilerplate(line)


def test_a_lead_in_to_a_quotation_is_a_better_title_than_the_quotation() -> None:
    text = (
        "On the publication of the latest PEEL report on Kent Police, the Police and Crime Commissioner said:\n"
        "“I am glad the inspectors have seen what I have seen: a force that is improving.”\n"
        "“There is more to do on answering calls.”"
    )
    title = choose_title(text).title
    assert title is not None and title.startswith("On the publication of the latest PEEL report")


def test_a_lead_in_ending_in_a_colon_is_not_taken_for_a_heading() -> None:
    text = "Kent Police statement on the PEEL report\n\nThe Chief Constable said of the report today:\n\n“We accept it.”"
    assert choose_title(text).title == "Kent Police statement on the PEEL report"


def test_a_masthead_or_an_addressee_gives_way_to_a_line_naming_the_report() -> None:
    text = "The Riverside Courier\n\nKent Police praised by inspectors\n\nThe force was inspected in May."
    assert choose_title(text, "The Riverside Courier", "html").title == "Kent Police praised by inspectors"
    letter = "Rt Hon A. Minister MP\nHome Office\n\nPEEL report on Kent Police: my response\n\nDear Home Secretary,"
    assert (
        choose_title(letter, "Rt Hon A. Minister MP", "docx").title
        == "PEEL report on Kent Police: my response"
    )


def test_a_heading_far_down_a_file_is_not_its_title() -> None:
    body = "Kent Police was told to improve after an inspection of how it answers calls. " * 20
    text = f"{body}\n\nShe added that the"
    choice = choose_title(text, "She added that the", "docx")
    assert choice.title != "She added that the"


def test_a_bullet_before_the_first_sentence_is_dropped() -> None:
    assert clean_title("• The commissioner has responded to the inspection report.") == (
        "The commissioner has responded to the inspection report."
    )


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        (
            "Agenda and minutes\n\nRiverside Police and Crime Panel - Wednesday, 6th March, 2024 2.00 pm\n\n"
            "Minutes of the meeting held on 10 January 2024 were agreed.",
            "2024-03-06",
        ),
        ("Force praised\n\nBy Our Crime Reporter | 16 May 2025\n\nKent Police was praised …", "2025-05-16"),
        ("Issued by the Kent Police press office, 9 October 2024\n\nThe force has today …", "2024-10-09"),
    ],
)
def test_a_date_closing_a_heading_is_the_document_s_own(text: str, date: str) -> None:
    stated = stated_date(text)
    assert stated is not None and stated.value.isoformat() == date


def test_a_field_naming_another_date_is_not_the_document_s_own() -> None:
    text = "Response to the PEEL report\n\nDate of publication of the report: 23 June 2022\n\nThe commissioner welcomes …"
    assert stated_date(text) is None


def test_a_letter_to_the_home_secretary_by_name_dates_itself() -> None:
    text = (
        "Rt Hon Sajid Javid MP\nHome Secretary\n\nDear Home Secretary\n\nI enclose my response to HMICFRS's "
        "report on Kent Police, as section 55 requires. I welcome its findings."
    )
    votes = decide_cycle(text).votes
    assert votes is not None
    named = {c for c, rs in votes.reasons.items() if any("Home Secretary" in r for _, r in rs)}
    assert named == {"2017", "2018/19"}


def test_a_section_heading_is_not_a_paper_s_title() -> None:
    text = "Joint Audit Committee\n\nPurpose of the report\n\nThis paper summarises the inspectorate's work."
    assert choose_title(text).title == "Joint Audit Committee"


def test_a_masthead_is_not_a_signature() -> None:
    text = (
        "Office of the Police and Crime Commissioner for Kent\n\nInspection results\n\n"
        "The inspectorate's PEEL report on Kent Police is published."
    )
    assert "letter signed" not in decide_kind(text).reason


def test_a_season_and_year_of_fieldwork_place_the_cycle() -> None:
    decision = decide_cycle("Kent Police update\n\nThe force was inspected in the autumn of 2021 by HMICFRS.")
    assert decision.cycle == "2021/22"


def test_another_inspection_named_with_its_year_places_nothing() -> None:
    votes = decide_cycle("Kent Police update\n\nThis is in line with HMIC's crime inspection in 2014.").votes
    assert votes is not None and not votes.strong
