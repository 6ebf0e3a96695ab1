"""Document metadata, one cue or trap each: kind, cycle, force, title and published date.

Every fixture is a short text written for these tests; each says what a real document of its kind
says, in different words.
"""

from __future__ import annotations

import pytest

from peelwatch.extract import Extraction, extract_bytes
from peelwatch.extract.cycle import cycle_from_subjects, decide_cycle, lookalike
from peelwatch.extract.dates import stated_date
from peelwatch.extract.force import decide_force
from peelwatch.extract.kind import author_text, decide_kind, signed_by
from peelwatch.extract.title import choose_title, is_boilerplate


def run(text: str, name: str = "doc.txt") -> Extraction:
    return extract_bytes(text.encode("utf-8"), name)


# --- kind: who is writing ------------------------------------------------------------------------


def test_the_inspectorate_writes_we_inspected_and_we_found() -> None:
    text = (
        "PEEL 2023–2025: An inspection of Essex Police\n\n"
        "We inspected the force in the spring. We found that it answers emergency calls quickly, "
        "but our inspection also found that too many investigations are closed early."
    )
    decision = decide_kind(text)
    assert decision.kind == "inspection_report"
    assert "inspectorate voice" in decision.reason


def test_a_letter_signed_by_an_inspector_is_the_inspectorate_s() -> None:
    text = (
        "Letter information\n\nFrom\nJane Roe\nHis Majesty’s Inspector of Constabulary\n\n"
        "To\nA. Chief\nChief Constable\nSurrey Police\n\nCc\nB. Elected\n"
        "Police and Crime Commissioner for Surrey\n\n"
        "Thank you for meeting my team last month. I am writing about the cause of concern on call handling."
    )
    assert decide_kind(text).kind == "inspection_report"


def test_addressees_listed_first_do_not_sign_the_letter() -> None:
    text = "To\nPolice and Crime Commissioner for Kent\n\nFrom\nHM Inspector of Constabulary\n\nDear Commissioner,"
    assert signed_by(text) == ("inspection_report", "HM Inspector of Constabulary")


def test_a_commissioner_s_section_55_letter_is_a_pcc_response() -> None:
    text = (
        "Dear Home Secretary,\n\nI enclose my comments on the inspectorate's PEEL report on Essex Police, "
        "as section 55 of the Police Act 1996 requires. I welcome the report and I will be monitoring "
        "progress on each area for improvement.\n\nYours sincerely\n\nA. Elected\n"
        "Police, Fire and Crime Commissioner for Essex"
    )
    assert decide_kind(text).kind == "pcc_response"


def test_minutes_of_a_policing_body_are_its_response() -> None:
    text = (
        "Minutes:\n\nMembers considered a report of the Chief Constable on the force's progress since "
        "the PEEL inspection. A Member asked how quickly the call-handling backlog would be cleared.\n\n"
        "RESOLVED, that the report be noted."
    )
    decision = decide_kind(text)
    assert decision.kind == "pcc_response"
    assert "minutes" in decision.reason


def test_a_paper_for_a_committee_is_other() -> None:
    text = (
        "Report to the Joint Audit Committee\n\nPURPOSE OF THE REPORT\n\nThis paper summarises the "
        "inspectorate's recent activity, including the PEEL inspection. The Committee is requested "
        "to note this report."
    )
    assert decide_kind(text).kind == "other"


def test_a_policing_body_s_page_listing_reports_is_other() -> None:
    text = (
        "Inspection reports\n\nThe Office of the Police and Crime Commissioner publishes every HMICFRS "
        "report about the force. The reports are listed below.\n\nPEEL assessment 2023\nVetting review 2022"
    )
    decision = decide_kind(text)
    assert decision.kind == "other"


def test_a_link_to_the_commissioner_s_response_does_not_make_a_response() -> None:
    text = (
        "Inspection reports\n\nEach HMICFRS report on Kent Police is below, with the Commissioner's response.\n\n"
        "PEEL 2021/22 – An inspection of Kent Police – read the report – read the Commissioner's response\n"
        "Vetting and counter-corruption – read the report\n"
    )
    assert decide_kind(text).kind == "other"


def test_a_commissioner_s_page_quoting_the_commissioner_is_a_pcc_response() -> None:
    text = (
        "Commissioner's news\n\nThe latest PEEL report on Kent Police was published today by HMICFRS. "
        "It is part of the police and crime plan scrutiny cycle.\n\n"
        "Commissioner A. Elected said: “The force has work to do on investigations.”"
    )
    assert decide_kind(text).kind == "pcc_response"


def test_a_reporter_quoting_the_inspector_and_the_chief_constable_is_news() -> None:
    text = (
        "Police force told to speed up investigations\n\n"
        "Kent Police must improve how it investigates burglaries, inspectors say.\n\n"
        "HM Inspector of Constabulary Jane Roe said: “We found too many cases closed without proper checks.”\n\n"
        "Chief Constable Sam Doe said: “We accept the findings and have a plan.”"
    )
    decision = decide_kind(text)
    assert decision.kind == "news"


def test_the_inspector_s_quoted_words_are_not_the_author_s_voice() -> None:
    quoted = "“We found that we inspected too few files and we judged the service poor,” the inspector said."
    assert "we found" not in author_text(quoted)


def test_a_staff_association_article_is_news() -> None:
    text = (
        "Inspection findings no reflection of members' efforts, says Fed\n\n"
        "The branch secretary of the Police Federation said the PEEL report did not reflect the hard "
        "work of officers on the front line."
    )
    assert decide_kind(text).kind == "news"


def test_a_force_writing_about_itself_is_a_force_statement() -> None:
    text = (
        "We have been graded good at preventing crime in the latest PEEL inspection by HMICFRS. "
        "Our officers work hard for our communities and we are proud of them."
    )
    assert decide_kind(text).kind == "force_statement"


def test_a_reprinted_inspectorate_press_release_is_still_the_inspectorate_s() -> None:
    text = (
        "Kent Police must improve response times\n\n"
        "Kent Police needs to answer calls more quickly, the police inspectorate has said.\n\n"
        "HMICFRS graded the force across eight areas of policing.\n\n"
        "HM Inspector of Constabulary Jane Roe said: “I am concerned about call handling.”"
    )
    assert decide_kind(text).kind == "inspection_report"


def test_a_text_about_no_inspection_is_other() -> None:
    assert decide_kind("The allotment society met on Tuesday to discuss the new shed.").kind == "other"


# --- cycle ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "PEEL 2023–2025: Kent Police",
        "PEEL 2023-25 – Kent Police",
        "PEEL 2023/25 Kent Police",
        "PEEL 2023 to 2025",
    ],
)
def test_cycle_named_in_the_title_in_any_spelling(title: str) -> None:
    assert decide_cycle(f"{title}\n\nThe force is adequate at most things.").cycle == "2023–25"


def test_inspection_dates_place_the_cycle() -> None:
    decision = decide_cycle(
        "Between 4 and 15 October 2021, we inspected Kent Police as part of our programme."
    )
    assert decision.cycle == "2021/22"
    assert "inspection dated 15 October 2021" in decision.reason


def test_a_letter_dated_later_is_about_the_inspection_it_follows() -> None:
    text = (
        "Sent on\n12 June 2024\n\nIn February 2022, we conducted a victim service assessment as part of "
        "our inspection of the force, and identified two causes of concern. We can now close both."
    )
    assert decide_cycle(text).cycle == "2021/22"


def test_a_closure_letter_s_own_date_gives_way_to_the_cycle_it_names() -> None:
    filler = "Thank you for the thorough discussion at our meeting last week about the force's progress. " * 4
    text = (
        "Kent Police: closure of cause of concern letter\n\nPublished on: 2 May 2024\n\n"
        f"{filler}\n\nIn our PEEL 2021/22 inspection we raised a cause of concern about call handling."
    )
    assert decide_cycle(text).cycle == "2021/22"


def test_a_revisit_date_does_not_move_the_cycle() -> None:
    text = (
        "Kent Police has improved\n\nThe force was graded inadequate in PEEL: Police effectiveness 2015. "
        "In May 2016, we revisited the force to see what had changed."
    )
    assert decide_cycle(text).cycle == "2015"


def test_a_financial_year_is_not_a_cycle() -> None:
    text = "Published: 2 May 2019\n\nThe PEEL report arrives as the force sets its 2021/22 budget."
    assert decide_cycle(text).cycle == "2018/19"


@pytest.mark.parametrize(
    ("text", "cycle"),
    [
        ("This is the fourth PEEL assessment of the force.", "2017"),
        ("This is HMIC's second assessment of the force's efficiency.", "2015"),
        ("Skip to content\n\nKent 2016\n\nRead more", "2016"),
        ("See peel-assessments/peel-2017/kent/ for the full report.", "2017"),
        ("The report is at peel-reports/kent-2021-22/ on the inspectorate's site.", "2021/22"),
        ("Our 2023–24 PEEL inspection found the force adequate.", "2023–25"),
        ("Published on: 3 May 2019\n\nThe inspectorate's annual report on the force.", "2018/19"),
    ],
)
def test_cycle_cues(text: str, cycle: str) -> None:
    assert decide_cycle(text).cycle == cycle


def test_a_later_report_naming_an_earlier_cycle_keeps_its_own() -> None:
    text = (
        "PEEL 2023–2025: An inspection of Kent Police\n\n"
        "In our PEEL 2021/22 inspection we found the force required improvement in investigations."
    )
    assert decide_cycle(text).cycle == "2023–25"


def test_graded_subjects_name_the_cycle_when_nothing_else_does() -> None:
    text = "The force was rated 'adequate' in two areas."
    late = cycle_from_subjects(
        text, ["Police powers and public treatment", "Leadership and force management"]
    )
    assert late.cycle == "2023–25"


def test_the_pipeline_falls_back_to_the_graded_subjects() -> None:
    result = run(
        "Kent Police was rated good at police powers and public treatment, "
        "and adequate at leadership and force management."
    )
    assert result.cycle == "2023–25"
    assert "graded subjects" in result.reasons["cycle"]


def test_a_fire_and_rescue_inspection_has_no_cycle_and_no_force() -> None:
    text = (
        "Kent Fire and Rescue Service: effectiveness, efficiency and people 2022\n\n"
        "The fire and rescue service responds well to fires. Fire prevention and fire protection "
        "are good; the service's firefighters are well trained."
    )
    assert lookalike(text, None) is not None
    result = run(text)
    assert (result.cycle, result.force) == (None, None)


def test_a_national_thematic_review_has_no_cycle() -> None:
    text = (
        "A review of stalking investigations in the police service\n\n"
        "Between October 2021 and March 2022, we inspected six forces, among them Kent Police, Essex Police "
        "and Surrey Police. Police forces do not always recognise stalking. The forces were rated 'adequate'."
    )
    result = run(text)
    assert (result.cycle, result.force) == (None, None)
    assert "not a PEEL inspection" in result.reasons["cycle"]


def test_the_inspectorate_s_own_name_is_not_a_fire_service() -> None:
    text = "PEEL 2021/22 – An inspection of Kent Police\n\nHis Majesty’s Inspectorate of Constabulary and Fire & Rescue Services"
    assert lookalike(text, None) is None


# --- force ----------------------------------------------------------------------------------------


def test_a_policing_body_names_its_force() -> None:
    text = "The Police, Fire and Crime Commissioner for Northamptonshire has received the PEEL report."
    assert decide_force(text).name == "Northamptonshire Police"


def test_a_body_that_only_points_to_its_force() -> None:
    text = (
        "Minutes\n\nMembers of the Police Authority Board considered the Force's response to the inspection."
    )
    decision = decide_force(text)
    assert decision.name == "City of London Police"
    assert "policing body" in decision.reason


def test_forces_named_in_a_list_count_less() -> None:
    text = (
        "The Force was praised for its collaboration with Hertfordshire and Cambridgeshire. "
        "The chair of Bedfordshire Police Federation said the grade was disappointing. "
        "HMIC said Bedfordshire Police must do more."
    )
    assert decide_force(text).name == "Bedfordshire Police"


def test_three_forces_named_alike_make_a_national_document() -> None:
    text = "Kent Police, Essex Police and Surrey Police were all inspected this year. Each was graded good."
    decision = decide_force(text)
    assert (decision.name, decision.scope) == (None, "several")


def test_the_file_name_is_the_last_resort() -> None:
    decision = decide_force(
        "The Constabulary was inspected last year.", source="uploads/kent-pcc-response.pdf"
    )
    assert decision.name == "Kent Police"
    assert "file name" in decision.reason


# --- title ----------------------------------------------------------------------------------------

BOILERPLATE = [
    "Skip to content",
    "Skip to main content",
    "Accessibility settings",
    "Cookie settings",
    "We use cookies on this website",
    "Text only",
    "On Air Now",
    "Please ask for: A. Clerk",
    "Menu",
    "Search",
    "Home",
    "Home > News > Policing",
    "Overall judgment1",
    "12 March 2024",
    "08:45 14/10/2022",
    "Telephone: 01234 567890",
    "Agenda item",
    "Get the report",
    "Print this document",
    "Letter information",
    "Jane Roe, His Majesty’s Inspector of Constabulary",
    "Investigating crime – Good",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_lines_are_never_titles(line: str) -> None:
    assert is_boilerplate(line)
    text = "\n\n".join([line, "Kent Police praised by inspectors", "The force was inspected in May."])
    assert choose_title(text).title == "Kent Police praised by inspectors"


def test_every_boilerplate_form_at_once_is_skipped() -> None:
    text = (
        "\n".join(BOILERPLATE) + "\n\nPEEL 2021/22 – An inspection of Kent Police\n\nWe inspected the force."
    )
    assert choose_title(text).title == "PEEL 2021/22 – An inspection of Kent Police"


@pytest.mark.parametrize(
    "line",
    [
        "Kent Police | PEEL 2021/22 report",
        "Kent Police inspection report, 3 May 2019",
        "Kent Police: PEEL – May 2024",
    ],
)
def test_titles_that_look_like_furniture_but_are_not(line: str) -> None:
    assert not is_boilerplate(line)


def test_a_masthead_gives_way_to_the_headline() -> None:
    text = "Kent Police Federation\n\nPEEL findings do not reflect members' efforts, says Fed\n\nThe branch said …"
    assert choose_title(text).title == "PEEL findings do not reflect members' efforts, says Fed"


def test_a_title_wrapped_over_two_lines_is_joined() -> None:
    text = "Overview – How well does the force keep people\nsafe and reduce crime?\n\nGood\n"
    assert choose_title(text).title == "Overview – How well does the force keep people safe and reduce crime?"


def test_a_date_label_glued_to_the_headline_is_dropped() -> None:
    assert choose_title(" date 2023-03-01 Kent Police praised by inspectors\nThe report …").title == (
        "Kent Police praised by inspectors"
    )


def test_an_html_title_is_used_unless_it_is_boilerplate() -> None:
    html = (
        b"<html><head><title>Kent Police: PEEL 2021/22 report</title></head>"
        b"<body><p>Skip to content</p><p>We inspected the force.</p></body></html>"
    )
    assert extract_bytes(html, "page.html").title == "Kent Police: PEEL 2021/22 report"
    html = b"<html><head><title>Home</title></head><body><h1>Kent PEEL 2017</h1><p>Text.</p></body></html>"
    assert extract_bytes(html, "page.html").title == "Kent PEEL 2017"


def test_a_document_without_a_title_is_named_by_its_file() -> None:
    result = run("• good\n• adequate\n", "uploads/board-paper-7.txt")
    assert result.title == "board-paper-7"


# --- published ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "how"),
    [
        (
            "Kent Police: revisit letter\n\nPublished on: 27 September 2024\n\nLetter information",
            "2024-09-27",
            "published",
        ),
        ("Letter information\nSent on\n26 September 2024\n\nDear Chief Constable", "2024-09-26", "sent"),
        ("Force praised in report\n\nMay 14, 2025\nBy Jane Roe\n\nThe force …", "2025-05-14", "line"),
        ("Kent PEEL 2014\n\nLast updated 13/11/2014\nGood", "2014-11-13", "updated"),
        (
            "Minutes of the panel meeting held on 14 July 2020.\n\nMembers considered …",
            "2020-07-14",
            "meeting",
        ),
        (" date 2021-11-24 Kent Police praised by inspectors", "2021-11-24", "published"),
        ("Commissioner welcomes the PEEL report (12 Apr 2017)\n\nThe commissioner …", "2017-04-12", "title"),
        ("Posted on 27th November 2014\n\nThe force has welcomed the report.", "2014-11-27", "published"),
    ],
)
def test_the_date_a_document_states(text: str, date: str, how: str) -> None:
    stated = stated_date(text)
    assert stated is not None
    assert (stated.value.isoformat(), stated.how) == (date, how)


@pytest.mark.parametrize(
    "text",
    [
        "Between 6 and 17 September 2021, we inspected the force.",
        "The force should complete the review by 30 June 2023.",
        "The working group approved the plan at its meeting on 4 September 2019.",
        "The second report, which was published on 11 February 2016, graded the force good.",
    ],
)
def test_a_date_in_passing_is_not_the_document_s_date(text: str) -> None:
    assert stated_date(text) is None


# --- reasons --------------------------------------------------------------------------------------


def test_every_decided_field_has_a_reason() -> None:
    text = (
        "PEEL 2021/22 – An inspection of Kent Police\n\nPublished on: 3 March 2022\n\n"
        "We inspected Kent Police in the autumn. We found it good at preventing crime."
    )
    result = run(text)
    assert (result.kind, result.force, result.cycle, result.published) == (
        "inspection_report",
        "Kent Police",
        "2021/22",
        "2022-03-03",
    )
    assert set(result.reasons) >= {"kind", "force", "cycle", "title", "published"}
    assert "in the title" in result.reasons["cycle"]
    assert result.to_dict(explain=True)["reasons"]["kind"].startswith("inspectorate")
