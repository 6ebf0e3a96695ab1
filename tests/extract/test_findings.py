"""Findings by role: each rule, and each trap, on short texts written for these tests.

An item is a finding because of the role its context gives it (a heading or lead-in naming a type,
a label, a sentence that says so), not because of one exact heading. Every finding names the rule
that recognised it.
"""

from __future__ import annotations

import pytest

from peelwatch.extract.finding_stage import read_findings
from peelwatch.extract.model import Finding


def found(text: str, kind: str = "inspection_report", force: str | None = None) -> list[Finding]:
    return read_findings(text, kind, force)[0]


def summary(text: str, **kw) -> list[tuple[str, str]]:
    """(type, rule) of each finding."""
    return [(f.type, f.rule) for f in found(text, **kw)]


AFI, COC, REC = "area_for_improvement", "cause_of_concern", "recommendation"


# --- headings --------------------------------------------------------------------------------


def test_bullets_under_a_heading_are_findings_of_its_type() -> None:
    text = (
        "Areas for improvement\n\n"
        "• The force should check that every missing child gets a return interview.\n"
        "• The force should publish how often officers use Taser.\n"
    )
    assert summary(text) == [(AFI, "heading-list")] * 2


@pytest.mark.parametrize(
    "heading",
    [
        "3.2 Areas for improvement",
        "Areas for development:",
        "Recommendations (2)",
        "## Areas for improvement",
    ],
)
def test_numbered_counted_and_marked_up_headings_still_name_the_type(heading: str) -> None:
    text = f"{heading}\n\n1. The force should audit its use of force forms.\n2. The force should train its call takers.\n"
    assert len(found(text)) == 2


def test_a_cause_of_concern_heading_takes_the_paragraph_after_it() -> None:
    text = (
        "Cause of concern: answering calls\n\n"
        "The force takes too long to answer calls from the public, and callers give up before they get through.\n\n"
        "The control room has lost a third of its staff in a year.\n"
    )
    [f] = found(text)
    assert (f.type, f.rule) == (COC, "heading-list")
    assert f.text.startswith("The force takes too long")


def test_a_list_that_lost_its_bullets_gives_one_finding_per_line() -> None:
    text = (
        "Areas for improvement\n"
        "The force should review how it allocates burglaries\n"
        "The force should make sure supervisors sign off every risk assessment\n"
        "The force should improve its crime data quality\n"
    )
    assert [f.text for f in found(text)] == [
        "The force should review how it allocates burglaries",
        "The force should make sure supervisors sign off every risk assessment",
        "The force should improve its crime data quality",
    ]


def test_short_items_after_a_colon_whose_bullets_were_lost() -> None:
    text = (
        "The inspectorate found causes of concern in the force's approach to:\n\n"
        "Answering emergency calls promptly\n\nSupervising investigations\n\n"
        "The chief inspector said she would return in the spring.\n"
    )
    assert [f.text for f in found(text)] == [
        "Answering emergency calls promptly",
        "Supervising investigations",
    ]


def test_a_sub_heading_after_a_colon_lead_in_is_not_an_item() -> None:
    text = (
        "We made the following recommendations:\n\nInvestigating crime\n\n"
        "• The force should allocate investigations to trained staff.\n"
    )
    assert [f.text[:24] for f in found(text)] == ["The force should allocat"]


def test_an_item_broken_by_a_blank_line_runs_on() -> None:
    text = (
        "Areas for improvement\n\n"
        "• The force should make sure that officers record the reasons for\n\n"
        "every search they carry out.\n"
        "• The force should audit its body-worn video use.\n"
    )
    first, second = found(text)
    assert first.text.endswith("every search they carry out.")
    assert second.text.startswith("The force should audit")


def test_a_count_heading_is_not_a_section() -> None:
    text = "12 areas for improvement\n\nThe inspection covered nine areas of policing.\n"
    assert found(text) == []


# --- lead-ins --------------------------------------------------------------------------------


def test_following_recommendations_make_each_bullet_a_finding() -> None:
    text = (
        "We made the following recommendations:\n\n"
        "• The force should immediately review how it grades emergency calls.\n"
        "• Within six months, the force should replace its call-handling system.\n"
    )
    assert summary(text) == [(REC, "lead-in-list")] * 2


def test_causes_of_concern_which_were_that_the_force() -> None:
    text = (
        "In our inspection we identified two causes of concern, which were that the force:\n\n"
        "- is failing to assess the risk to callers when they first make contact; and\n"
        "- does not supervise investigations well enough.\n\n"
        "We returned in May to look at progress.\n"
    )
    findings = found(text)
    assert [f.type for f in findings] == [COC, COC]
    assert findings[0].text == "is failing to assess the risk to callers when they first make contact"


def test_the_remaining_causes_of_concern_are() -> None:
    text = (
        "We have closed one cause of concern. The remaining causes of concern are:\n"
        "• the force is not recording crime accurately;\n"
        "• the force does not manage registered sex offenders well enough.\n"
    )
    assert [f.type for f in found(text)] == [COC, COC]


def test_a_sentence_naming_one_area_for_improvement_before_a_bullet() -> None:
    text = (
        "Our judgment from 2017 stands. One area for improvement remained from that inspection.\n\n"
        "  • The force should share what it learns from problem-solving with partner agencies.\n\n"
        "We found the force has made good progress on this.\n"
    )
    [f] = found(text)
    assert (f.type, f.rule) == (AFI, "lead-in-list")


def test_a_counted_lead_in_keeps_its_items_across_commentary() -> None:
    text = (
        "In 2017, we identified two areas for improvement:\n\n"
        "  • The force should publish its stop and search data every month.\n\n"
        "This area for improvement has been discharged.\n\n"
        "  • The force should refresh its independent advisory group.\n\n"
        "This area for improvement has not been discharged.\n"
    )
    assert [f.text[:30] for f in found(text)] == [
        "The force should publish its s",
        "The force should refresh its i",
    ]


def test_items_after_a_colon_on_the_same_line() -> None:
    text = (
        "The force was moved into enhanced monitoring after we raised causes of concern about how it is: "
        "answering emergency calls; making sure investigations are supervised; and protecting victims of domestic abuse."
    )
    assert [f.text for f in found(text)] == [
        "answering emergency calls",
        "making sure investigations are supervised",
        "protecting victims of domestic abuse",
    ]


def test_hmicfrs_identified_two_causes_of_concern_in_running_text() -> None:
    text = (
        "HMICFRS identified two causes of concern: the force is failing to answer 999 calls promptly; and "
        "it doesn't have enough trained detectives."
    )
    assert [f.text for f in found(text)] == [
        "the force is failing to answer 999 calls promptly",
        "it doesn't have enough trained detectives",
    ]


def test_the_causes_of_concern_were_that() -> None:
    text = (
        "When we inspected in 2022, the causes of concern were that the force was failing to identify vulnerable "
        "callers and was not allocating investigations to trained staff."
    )
    findings = found(text)
    assert [f.rule for f in findings] == ["letter-concern", "letter-concern"]
    assert findings[1].text == "was not allocating investigations to trained staff"


def test_one_of_them_this_was_that() -> None:
    text = (
        "During our inspection we identified four causes of concern. One of them concerned the control room.\n\n"
        "This was that the force doesn't answer non-emergency calls quickly enough. Callers wait too long.\n"
    )
    [f] = found(text)
    assert (f.type, f.rule) == (COC, "letter-concern")
    assert f.text.startswith("the force doesn't answer")


def test_flattened_lead_in_splits_at_each_demand() -> None:
    text = (
        "3.1 The report set out some broad areas for improvement: The force should understand the demand it "
        "faces. This will help it plan The force should link its costs to its outcomes The force should write a "
        "workforce plan. 3.2 The chief officer team has accepted these."
    )
    assert [f.text[:40] for f in found(text, kind="other")] == [
        "The force should understand the demand i",
        "The force should link its costs to its o",
        "The force should write a workforce plan.",
    ]


# --- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "ftype", "ref"),
    [
        ("AFI 3: The force should review its vetting backlog.", AFI, "AFI 3"),
        (
            "Action for Further Improvement (AFI) 7 – the force should scrutinise its use of force.",
            AFI,
            "AFI 7",
        ),
        ("AFI No. 5 – the force should update complainants promptly.", AFI, "AFI 5"),
        ("Recommendation 2 – The force should replace its crime recording system.", REC, "Recommendation 2"),
    ],
)
def test_numbered_labels(line: str, ftype: str, ref: str) -> None:
    [f] = found(line, kind="other")
    assert (f.type, f.ref, f.rule) == (ftype, ref, "numbered-label")


def test_a_label_on_its_own_line_takes_the_next_paragraph() -> None:
    [f] = found("AFI 1\n\nThe force should improve how it records hate crime.\n", kind="pcc_response")
    assert f.text == "The force should improve how it records hate crime."


def test_an_afi_described_in_minutes() -> None:
    text = "A member asked how AFI No. 4, concerning delays in the complaints process, would be tackled."
    [f] = found(text, kind="other")
    assert (f.text, f.rule) == ("concerning delays in the complaints process", "label-appositive")


def test_an_afi_named_in_a_question_with_a_dash() -> None:
    text = "The Chair asked about AFI 6 – the force should check the welfare of officers on long-term sick leave."
    [f] = found(text, kind="other")
    assert (f.ref, f.rule) == ("AFI 6", "label-appositive")
    assert f.text.startswith("the force should check the welfare")


def test_a_numbered_paragraph_of_minutes_can_hold_a_label() -> None:
    text = "7.1 The report was introduced.\n\n7.2 AFI 2 – the force should publish its complaints data.\n"
    [f] = found(text, kind="other")
    assert (f.ref, f.text) == ("AFI 2", "the force should publish its complaints data.")


def test_a_type_and_a_colon_open_a_finding() -> None:
    text = (
        "Area for improvement: The force should make sure 101 callers are told how long they will wait.\n"
        "Commissioner's comments: The new call-back service started in May.\n"
    )
    assert summary(text, kind="pcc_response") == [(AFI, "inline-label")]


# --- tables and trackers -----------------------------------------------------------------------


def test_tab_separated_tracker_rows() -> None:
    text = (
        "Recommendations\n"
        "1\tThe force should review its crime recording audits.\tawaiting-review\n"
        "2\tThe force should publish its victim satisfaction results.\tbeing-progressed\n"
    )
    assert [(f.type, f.ref, f.rule) for f in found(text, kind="other")] == [
        (REC, "1", "table-row"),
        (REC, "2", "table-row"),
    ]


def test_a_row_with_inline_labels_gives_each_labelled_finding() -> None:
    text = (
        "| Ref | Detail | Status |\n|---|---|---|\n"
        "| C1 | Cause of concern: The force is failing to record violent crime accurately. "
        "Recommendation: The force should immediately audit its crime recording. | Open |\n"
    )
    assert [f.type for f in found(text, kind="other")] == [COC, REC]


def test_a_flattened_tracker_with_numbers_and_statuses() -> None:
    text = (
        "Recommendations\n1\nComplete\nThe force should train all call handlers in risk assessment.\nKent Police\n"
        "2\nOpen\nThe force should review its response times in rural areas.\nKent Police\n"
    )
    assert [(f.ref, f.text[:22]) for f in found(text, kind="other")] == [
        ("1", "The force should train"),
        ("2", "The force should revie"),
    ]


# --- deadlines and sentences -------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Within three months, the force should make sure every 999 call is answered in ten seconds.",
        "By January 2024, forces should publish data on the use of spit guards.",
    ],
)
def test_a_deadline_makes_a_recommendation(sentence: str) -> None:
    assert summary(sentence) == [(REC, "deadline-sentence")]


def test_a_deadline_lead_with_bullets_is_one_recommendation() -> None:
    text = (
        "Kent Police should, within six months:\n"
        "• review its missing persons policy; and\n"
        "• train supervisors in risk assessment.\n"
    )
    [f] = found(text)
    assert f.type == REC and "train supervisors" in f.text


def test_this_is_a_cause_of_concern_takes_the_sentence_before_it_and_the_rest() -> None:
    text = "The force does not protect children who go missing. This is a cause of concern. Risk is not reassessed.\n"
    [f] = found(text)
    assert f.text.startswith("The force does not protect") and f.text.endswith("Risk is not reassessed.")


def test_a_reported_verdict_points_back_to_the_sentence_before() -> None:
    text = "Southshire Police is too slow to attend burglaries, inspectors said. They said this is a cause of concern.\n"
    [f] = found(text, kind="news")
    assert f.text.startswith("Southshire Police is too slow")


def test_and_this_is_a_cause_of_concern_is_that_sentence_only() -> None:
    text = (
        "Neighbourhood policing isn't a priority for the force and this is a cause of concern. "
        "Officers are often taken away to answer calls.\n"
    )
    [f] = found(text)
    assert f.text == "Neighbourhood policing isn't a priority for the force and this is a cause of concern."


@pytest.mark.parametrize(
    "sentence",
    [
        "HMIC recommends that the force reviews its custody healthcare contract within three months.",
        "We recommend that the force puts a plan in place to recruit more detectives.",
        "To address this cause of concern, we recommend that the force immediately audits its crime records.",
    ],
)
def test_recommending_sentences(sentence: str) -> None:
    assert summary(sentence) == [(REC, "recommends-sentence")]


def test_a_recommendation_quoted_from_an_earlier_report_counts_with_its_bullets() -> None:
    text = (
        "In our 2017 legitimacy report, we recommended that all forces should:\n\n"
        "  • monitor and analyse their stop and search data;\n"
        "  • explain any disparities they find.\n\n"
        "We found the force has done some of this.\n"
    )
    [f] = found(text)
    assert f.type == REC and f.text.startswith("In our 2017 legitimacy report") and "explain any" in f.text


def test_the_same_finding_in_a_summary_and_a_section_is_listed_once() -> None:
    item = "The force should make sure that its officers understand coercive control."
    text = f"Summary\n\nAreas for improvement\n\n• {item}\n\nProtecting vulnerable people\n\nAreas for improvement\n\n• {item}\n"
    assert len(found(text)) == 1


# --- precision --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "In total we made three recommendations and four areas for improvement.",
        "We did not identify any causes of concern.",
        "There are no causes of concern.",
        "The area for improvement on stop and search records has been discharged.",
        "In 2019 the force was given a cause of concern about crime recording, which we have now closed.",
        "Crime data integrity was a cause of concern.",
        "Crime recording remains a cause of concern.",
        "A cause of concern will always come with one or more recommendations.",
        "If we identify a cause of concern, we will report it straight away.",
        "The report sets out 11 areas for improvement.",
        "Recommendation\n\nThat the panel notes the progress made against the inspection findings.",
        "RECOMMENDATIONS\n\nThe Committee is asked to note the contents of this report.",
        "3. Recommendation\n3.1 Members are requested to approve the revised action plan.",
    ],
)
def test_mentions_counts_and_definitions_are_not_findings(text: str) -> None:
    assert found(text) == []


def test_a_finding_addressed_to_another_force_is_not_this_documents() -> None:
    text = "Recommendations\n\n• Durham Constabulary should review its vetting.\n• The force should review its vetting.\n"
    findings = found(text, force="Kent Police")
    assert [f.text for f in findings] == ["The force should review its vetting."]


def test_a_fire_and_rescue_services_findings_are_not_a_police_forces() -> None:
    text = (
        "Northshire Fire and Rescue Service – inspection\n\nAreas for improvement\n\n"
        "• The service should make sure its fire safety audits are recorded.\n"
        "• Northshire Fire and Rescue Service should evaluate its prevention work.\n"
    )
    assert found(text) == []


def test_the_inspectorates_own_name_does_not_make_a_document_about_fire() -> None:
    text = (
        "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services\n\n"
        "Recommendations\n\n• The service should review its vetting of new officers.\n"
    )
    assert len(found(text)) == 1


def test_summary_of_findings_is_not_a_list_of_findings() -> None:
    text = (
        "A brief summary of our findings is as follows:\n\n"
        "• The force is now checking for repeat victims more often.\n"
        "• The force isn't yet recording evidence-led prosecutions.\n"
    )
    assert found(text) == []


def test_progress_against_causes_of_concern_is_not_a_list_of_them() -> None:
    text = (
        "We reviewed progress against the causes of concern:\n\n"
        "• The force has introduced a new triage tool.\n"
        "• The force isn't yet meeting its answer-time target.\n"
    )
    assert found(text) == []


def test_every_finding_names_its_rule_and_quotes_the_text() -> None:
    text = "Areas for improvement\n\n• The force should improve how it records hate crime.\n"
    [f] = found(text)
    assert f.rule and text[f.start : f.end] == f.text


# --- phase 2: structures that generalise --------------------------------------------------------


def test_a_type_after_the_headings_colon_opens_a_new_section() -> None:
    text = (
        "Recommendations\n\n"
        "We recommend that within three months, the force should:\n\n"
        "• cut the time it takes to answer 101 calls; and\n"
        "• check on callers who hang up.\n\n"
        "Managing offenders: areas for improvement\n\n"
        "• The force should visit registered offenders when their risk plan says it will.\n"
    )
    assert [f.type for f in found(text)] == [REC, AFI]


@pytest.mark.parametrize("heading", ["About causes of concern", "What is a cause of concern?"])
def test_a_heading_that_explains_a_type_lists_none(heading: str) -> None:
    text = (
        f"{heading}\n\n"
        "When inspectors find a serious failing in how a force works, they report it and ask for a plan.\n"
    )
    assert found(text) == []


def test_a_condition_under_a_cause_of_concern_heading_explains_it() -> None:
    text = (
        "Cause of concern\n\n"
        "Where a failing puts the public at risk, we publish it before the full report.\n\n"
        "Northshire Police is not protecting people who report stalking. This is a cause of concern.\n"
    )
    [f] = found(text)
    assert f.text.startswith("Northshire Police is not protecting")


def test_an_introduction_naming_the_type_is_not_the_finding_under_the_heading() -> None:
    text = (
        "PEEL 2023–25: causes of concern\n\n"
        "I am writing to tell you the causes of concern that our inspection raised.\n\n"
        "The first cause of concern is that the force does not attend urgent calls quickly enough.\n"
    )
    [f] = found(text)
    assert (f.type, f.text) == (COC, "the force does not attend urgent calls quickly enough")


def test_a_response_between_items_does_not_end_the_list() -> None:
    text = (
        "Areas for improvement\n\n"
        "1. The force should check that every missing child gets a return interview.\n\n"
        "Response: Return interviews are now booked by the missing persons unit.\n\n"
        "2. The force should publish how often officers draw Taser.\n\n"
        "Response: The figures go on the website every quarter.\n"
    )
    findings, responses = read_findings(text, "pcc_response")
    assert [f.type for f in findings] == [AFI, AFI]
    assert [r.finding for r in responses] == [0, 1]


@pytest.mark.parametrize(
    ("lead", "ftype"),
    [
        ("We found two causes of concern. The reasons for this were:", COC),
        ("The inspection made five recommendations. Among them, it said that the force:", REC),
    ],
)
def test_a_short_lead_in_pointing_back_takes_the_type_of_the_sentence_before(lead: str, ftype: str) -> None:
    text = (
        f"{lead}\n\n"
        "• does not record the risk to callers who ring more than once; and\n"
        "• does not review the cases of children who go missing often.\n"
    )
    assert [f.type for f in found(text)] == [ftype, ftype]


def test_a_lead_in_pointing_back_at_no_type_gives_nothing() -> None:
    text = (
        "The force has worked hard this year. The reasons for this were:\n\n"
        "• does not record the risk to callers who ring more than once.\n"
    )
    assert found(text) == []


@pytest.mark.parametrize(
    "lead",
    [
        "The inspectorate said Northshire Police had been moved into Engage because:",
        "Northshire Police has entered enhanced monitoring because it is not:",
    ],
)
def test_the_reasons_for_enhanced_monitoring_are_causes_of_concern(lead: str) -> None:
    text = (
        f"{lead}\n\n"
        "- answering emergency calls within the national standard;\n"
        "- making sure that domestic abuse cases are supervised; and\n"
        "- managing the risk from registered sex offenders.\n"
    )
    assert summary(text) == [(COC, "lead-in-list")] * 3


def test_one_of_them_is_that_describes_one_finding() -> None:
    text = (
        "The inspectorate made nine areas for improvement. One of them is that the force should make "
        "sure that custody records show why a detainee was strip searched.\n"
    )
    [f] = found(text, kind="force_statement")
    assert (f.type, f.rule) == (AFI, "letter-concern")
    assert f.text.startswith("the force should make sure that custody records")


def test_a_trackers_type_column_gives_each_rows_type() -> None:
    text = (
        "Ref\tType\tFinding\tStatus\n"
        "NS-01\tCause of concern\tThe force does not answer 999 calls quickly enough.\tOpen\n"
        "NS-02\tArea for improvement\tThe force should train its call handlers in spotting risk.\tPartly met\n"
        "NS-03\tRecommendation\tWithin three months, the force should publish its answer times.\tClosed\n"
    )
    assert [(f.type, f.ref) for f in found(text, kind="other")] == [
        (COC, "NS-01"),
        (AFI, "NS-02"),
        (REC, "NS-03"),
    ]


def test_counts_of_findings_by_area_are_not_findings() -> None:
    text = (
        "Members were told the inspectorate set four areas for improvement and two recommendations: "
        "'Investigating crime' with 4 AFIs and 'Responding to the public' which had 2 recommendations.\n"
    )
    assert found(text, kind="pcc_response") == []


def test_a_quoted_demand_in_a_letter_takes_the_type_named_before_it() -> None:
    text = (
        "The report set out three areas for improvement. I answer two of them here.\n\n"
        "“The force should make sure that every stalking report is risk assessed.”\n\n"
        "I have asked the Chief Constable to report on this to my scrutiny board.\n\n"
        "“Within six months, the force should publish its stop and search data monthly.”\n"
    )
    assert summary(text, kind="pcc_response") == [(AFI, "quoted-finding"), (REC, "quoted-finding")]


def test_a_quoted_demand_with_no_type_named_nearby_is_not_a_finding() -> None:
    text = "The Chief Constable told reporters:\n\n“The force should be proud of its officers.”\n"
    assert found(text, kind="news") == []


def test_a_labelled_title_without_a_full_stop_stops_before_the_authors_answer() -> None:
    text = (
        "Recommendation 3: By March 2025, forces should review how they retain detectives\n"
        "Since taking office, I have funded a detective retention scheme.\n"
    )
    [f] = found(text, kind="pcc_response")
    assert f.text == "By March 2025, forces should review how they retain detectives"


def test_concerns_after_a_move_into_engage_are_causes_of_concern() -> None:
    text = (
        "The inspectorate has moved Northshire Police into its Engage process.\n\n"
        "The move follows concerns about how the force:\n\n"
        "• answers calls from the public; and\n"
        "• protects people at risk of harm.\n"
    )
    assert summary(text) == [(COC, "lead-in-list")] * 2


def test_members_concerns_without_engage_are_not_findings() -> None:
    text = (
        "Members raised concerns about how the force:\n\n"
        "• answers calls from the public; and\n"
        "• protects people at risk of harm.\n"
    )
    assert found(text, kind="other") == []


def test_a_short_lead_in_after_a_finding_is_not_a_list_of_that_type() -> None:
    text = (
        "AFI 2: The force should improve how it supervises investigations.\n\n"
        "This includes making sure that:\n\n"
        "- supervisors record their reviews;\n"
        "- victims are told when a case closes.\n"
    )
    [f] = found(text, kind="pcc_response")
    assert f.ref == "AFI 2"


def test_a_table_typed_by_its_reference_column_with_a_progress_column() -> None:
    text = (
        "AFI\tDescription\tLead\tProgress\tRAG\n"
        "1\tThe force should answer non-emergency calls more quickly.\tHead of Contact\t"
        "A call-back service started in June and waits have halved since then.\tGreen\n"
    )
    findings, responses = read_findings(text, "pcc_response")
    assert [(f.type, f.text) for f in findings] == [
        (AFI, "The force should answer non-emergency calls more quickly.")
    ]
    assert [(r.finding, r.rule) for r in responses] == [(0, "table-row")]


def test_the_reasons_for_leaving_engage_are_not_causes_of_concern() -> None:
    text = (
        "The inspectorate has moved Northshire Police out of Engage because it has:\n\n"
        "• cut the time it takes to answer emergency calls; and\n"
        "• improved how it supervises investigations.\n"
    )
    assert found(text) == []


def test_a_quoted_finding_ends_at_its_closing_quote() -> None:
    text = (
        "The inspectorate identified two areas for improvement.\n\n"
        '"The force should make sure victims are told when their case closes," the report said.\n'
    )
    [f] = found(text, kind="news")
    assert f.text == "The force should make sure victims are told when their case closes"
