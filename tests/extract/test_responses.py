"""Responses: wherever a commissioner's letter, a force's statement or minutes answer a finding.

Each response links to the index of its finding in the same extraction, says who answers
(``pcc``, ``force`` or ``other``) and names the rule that found it. Texts written for these tests.
"""

from __future__ import annotations

import pytest

from peelwatch.extract.finding_stage import read_findings


def answers(text: str, kind: str = "pcc_response") -> list[tuple[int, str, str, str]]:
    """(finding index, by, rule, first words) of each response."""
    _, responses = read_findings(text, kind)
    return [(r.finding, r.by, r.rule, r.text[:24]) for r in responses]


# --- headings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "by"),
    [
        ("PCC response", "pcc"),
        ("OPCC comment", "pcc"),
        ("Commissioner's comments", "pcc"),
        ("Force response", "force"),
        ("Chief Constable's response", "force"),
        ("Update", "pcc"),  # the author of a commissioner's response
        ("Progress", "pcc"),
        ("Action taken", "pcc"),
    ],
)
def test_a_response_heading_on_its_own_line(heading: str, by: str) -> None:
    text = f"AFI 1: The force should review how it records hate crime.\n\n{heading}\n\nA review started in March.\n"
    assert answers(text) == [(0, by, "response-heading", "A review started in Marc")]


@pytest.mark.parametrize("lead", ["Response: ", "PCC response – ", "Force update - "])
def test_a_response_heading_before_a_colon_or_dash(lead: str) -> None:
    text = f"AFI 2: The force should audit its custody records.\n\n{lead}The audit is booked for June.\n"
    [(index, _, rule, words)] = answers(text)
    assert (index, rule, words) == (0, "response-heading", "The audit is booked for ")


def test_a_heading_naming_its_finding_answers_that_finding() -> None:
    text = (
        "The inspection set out these areas for improvement:\n\n"
        "1. The force should improve how it records crime.\n"
        "2. The force should make sure victims are updated.\n\n"
        "Response to AFI 1\n\nA crime recording audit has begun.\n\n"
        "Response to AFI 2\n\nI receive monthly figures on victim updates.\n"
    )
    assert [(i, w) for i, _, _, w in answers(text)] == [
        (0, "A crime recording audit "),
        (1, "I receive monthly figure"),
    ]


def test_who_answers_a_plain_heading_follows_the_document() -> None:
    text = "AFI 1: The force should review its vetting backlog.\n\nUpdate\n\nThe backlog has halved.\n"
    assert answers(text, kind="force_statement")[0][1] == "force"
    assert answers(text, kind="other")[0][1] == "other"


def test_each_response_links_to_the_finding_above_it() -> None:
    text = (
        "Cause of concern\n\nThe force does not answer emergency calls quickly enough.\n\nPCC response\n\n"
        "I have asked for weekly figures.\n\nRecommendation\n\nWithin three months, the force should recruit "
        "more call handlers.\n\nPCC response\n\nRecruitment is under way.\n"
    )
    assert [(i, w) for i, _, _, w in answers(text)] == [
        (0, "I have asked for weekly "),
        (1, "Recruitment is under way"),
    ]


def test_a_heading_after_a_list_answers_its_first_item() -> None:
    text = (
        "Areas for improvement\n\n• The force should improve how it records crime.\n"
        "• The force should train more detectives.\n\nCommissioner's comments\n\nI will monitor both closely.\n"
    )
    assert answers(text) == [(0, "pcc", "response-heading", "I will monitor both clos")]


def test_an_inspection_reports_own_progress_heading_is_not_a_response() -> None:
    text = "Areas for improvement\n\n• The force should review its use of Taser.\n\nProgress\n\nWe found the force has started.\n"
    assert answers(text, kind="inspection_report") == []


# --- paragraphs in the author's voice ------------------------------------------------------------


def test_the_paragraph_after_a_quoted_finding_answers_it() -> None:
    text = (
        "HMICFRS identified the following cause of concern:\n\n"
        "• The force is failing to supervise investigations well enough.\n\n"
        "I am pleased to confirm that every investigation now has a named supervisor.\n"
    )
    assert answers(text) == [(0, "pcc", "response-paragraph", "I am pleased to confirm ")]


def test_work_already_under_way_answers_without_saying_i() -> None:
    text = (
        "Areas for improvement\n\n• The force should improve how it identifies repeat victims.\n\n"
        "Work is already under way to flag repeat callers in the control room.\n"
    )
    assert answers(text, kind="force_statement") == [
        (0, "force", "response-paragraph", "Work is already under wa")
    ]


def test_one_paragraph_after_several_findings_answers_the_first() -> None:
    text = (
        "The inspectorate set out these areas for improvement:\n\n"
        "• The force should improve its crime recording.\n"
        "• The force should train more detectives.\n\n"
        "We have already begun work on both and will report progress to the panel.\n"
    )
    assert answers(text) == [(0, "pcc", "response-paragraph", "We have already begun wo")]


def test_quoted_inspectorate_text_before_the_answer_is_passed_over() -> None:
    text = (
        "AFI 1: The force should reduce the time victims wait for an update.\n\n"
        "“We found that victims were not always told when their case was closed.”\n\n"
        "We have introduced a text message service for victims.\n"
    )
    assert answers(text)[0][:3] == (0, "pcc", "response-paragraph")


def test_an_inspection_reports_own_text_after_a_finding_is_never_a_response() -> None:
    text = (
        "Areas for improvement\n\n• The force should improve how it supervises investigations.\n\n"
        "We found that supervisors are stretched, and our inspection showed files without plans.\n"
    )
    assert answers(text, kind="inspection_report") == []
    assert answers(text, kind="pcc_response") == []  # the inspectorate's voice, even when quoted


def test_a_letter_signed_by_the_inspectorate_never_answers() -> None:
    text = (
        "From\nA Person\nHis Majesty's Inspector of Constabulary\n\n"
        "We identified two causes of concern, which were that the force:\n\n"
        "- is failing to assess risk; and\n- does not supervise investigations.\n\n"
        "On 3 May we met the chief officer team and our staff will keep in touch.\n"
    )
    assert answers(text, kind="pcc_response") == []


# --- tables -----------------------------------------------------------------------------------


def test_the_response_column_of_a_table_row() -> None:
    text = (
        "| AFI | Recommendation | Force response | Status |\n|---|---|---|---|\n"
        "| 1 | The force should review its domestic abuse training. | New training began in May. | Open |\n"
    )
    assert answers(text, kind="other") == [(0, "force", "table-row", "New training began in Ma")]


# --- minutes ----------------------------------------------------------------------------------


def test_minutes_a_speaker_naming_the_afi() -> None:
    text = (
        "AFI 4 – the force should make sure its counter-corruption unit is fully staffed.\n"
        "AFI 9 – the force should publish its use of force data.\n"
        "In response to a question regarding AFI 4, the Deputy Chief Constable confirmed that two posts had been filled.\n"
    )
    assert answers(text, kind="other") == [(0, "force", "minutes-reply", "In response to a questio")]


def test_minutes_a_bullet_under_the_afi_in_which_an_officer_reports() -> None:
    text = (
        "AFI 2 – the force should improve how it handles complaints.\n"
        "· The Chair asked when the new process would start.\n"
        "· The Head of Professional Standards advised that it would begin in April.\n"
    )
    assert answers(text, kind="other") == [(0, "force", "minutes-reply", "The Head of Professional")]


def test_minutes_a_commissioner_answering_is_the_policing_body() -> None:
    text = (
        "The panel asked how AFI No. 3, regarding the quality of victim updates, would be addressed. "
        "The Police and Crime Commissioner explained that she had commissioned an audit.\n"
    )
    assert answers(text, kind="other") == [(0, "pcc", "minutes-reply", "The Police and Crime Com")]


def test_in_a_force_led_by_a_commissioner_the_commissioner_answers_for_the_force() -> None:
    text = (
        "The Chair asked about AFI 3 – the force should improve how it supervises new officers.\n\n"
        "The Commissioner explained that every new officer now has a named supervisor.\n"
    )
    _, [r] = read_findings(text, "other", force="Metropolitan Police Service")
    assert r.by == "force"
    _, [r] = read_findings(text, "other", force="Kent Police")
    assert r.by == "pcc"


def test_a_news_article_quoting_a_reaction_is_not_minutes() -> None:
    text = (
        "The watchdog said the force had one area for improvement:\n\n"
        "• The force should answer 101 calls faster.\n\n"
        "Chief Constable Pat Jones said the force would study the report.\n"
    )
    assert answers(text, kind="news") == []


def test_a_members_question_is_not_an_answer() -> None:
    text = "AFI 5 – the force should review its vetting.\n· A Member noted that vetting had been raised before.\n"
    assert answers(text, kind="other") == []


def test_every_response_names_its_rule_and_quotes_the_text() -> None:
    text = "AFI 1: The force should review its vetting backlog.\n\nPCC response\n\nThe backlog has halved.\n"
    _, [r] = read_findings(text, "pcc_response")
    assert r.rule == "response-heading" and text[r.start : r.end] == r.text


# --- phase 2 --------------------------------------------------------------------------------------


def test_a_police_authority_comment_is_the_policing_bodys() -> None:
    text = (
        "AFI 1: The force should improve how it supervises investigations.\n\n"
        "Force response\n\nEvery investigation is now reviewed after a week.\n\n"
        "Police Authority comment\n\nThe Board will audit the reviews in the autumn.\n"
    )
    assert [(i, by) for i, by, _, _ in answers(text)] == [(0, "force"), (0, "pcc")]


def test_a_reply_after_a_question_naming_a_finding_answers_that_finding() -> None:
    text = (
        "• AFI 2 – The force should cut the backlog of digital devices awaiting examination.\n"
        "• AFI 6 – The force should make sure that victims are told when a case is closed.\n\n"
        "In response to a question about AFI 2, the Assistant Chief Constable confirmed that two "
        "examiners had been recruited.\n\n"
        "A member asked how AFI 6 would be checked. The Commissioner explained that his office "
        "would sample closed cases.\n"
    )
    assert [(i, by, rule) for i, by, rule, _ in answers(text)] == [
        (0, "force", "minutes-reply"),
        (1, "pcc", "minutes-reply"),
    ]


def test_titles_from_the_attendance_table_answer_for_their_organisation() -> None:
    text = (
        "Present\tOrganisation\n"
        "Director of Intelligence\tNorthshire Constabulary\n"
        "Head of Scrutiny\tOffice of the Police and Crime Commissioner\n\n"
        "AFI 1: The constabulary should review how it shares intelligence with councils.\n\n"
        "The Director of Intelligence reported that a data-sharing agreement was signed in May.\n"
    )
    assert answers(text) == [(0, "force", "minutes-reply", "The Director of Intellig")]


def test_a_title_not_in_the_attendance_table_does_not_answer() -> None:
    text = (
        "AFI 1: The constabulary should review how it shares intelligence with councils.\n\n"
        "The Lead Analyst reported that a data-sharing agreement was signed in May.\n"
    )
    assert answers(text, kind="other") == []


def test_an_answer_after_a_cause_of_concern_and_its_recommendation_answers_the_cause() -> None:
    text = (
        "Cause of concern\n\n"
        "The force does not supervise its domestic abuse investigations well enough.\n\n"
        "Recommendation\n\n"
        "Within three months, the force should introduce supervisory reviews at set points.\n\n"
        "I am pleased to say that reviews now take place at seven and twenty-eight days.\n"
    )
    findings, responses = read_findings(text, "pcc_response")
    assert [f.type for f in findings] == ["cause_of_concern", "recommendation"]
    assert [(r.finding, r.by) for r in responses] == [(0, "pcc")]


def test_a_reported_answer_to_the_commissioner_is_in_his_voice() -> None:
    text = (
        "Areas for improvement\n\n"
        "The force should improve how it allocates investigations to officers with the right skills.\n\n"
        "The Chief Constable has told me that an allocation policy starts in April.\n"
    )
    assert answers(text) == [(0, "pcc", "response-paragraph", "The Chief Constable has ")]


def test_a_spokespersons_reply_after_a_list_answers_its_first_item() -> None:
    text = (
        "The inspectorate gave the force two areas for improvement:\n\n"
        "- the force should record why officers use force; and\n"
        "- the force should improve how it supports officers' wellbeing.\n\n"
        'Deputy Chief Constable Sam Lee said: "We have introduced a new form and a wellbeing app."\n'
    )
    assert [(i, by) for i, by, _, _ in answers(text, kind="force_statement")] == [(0, "force")]
