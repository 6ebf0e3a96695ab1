"""Extraction rules, one behaviour each, on short texts written for these tests."""

from __future__ import annotations

import pytest

from peelwatch.extract import Extraction, extract_bytes
from peelwatch.extract.text import flatten


def run(text: str, name: str = "doc.txt") -> Extraction:
    return extract_bytes(text.encode("utf-8"), name)


def graded(result: Extraction) -> set[tuple[str, str]]:
    return {(j.subject, j.grade) for j in result.judgments}


# --- running text --------------------------------------------------------------------------


def test_is_good_at_names_the_subject() -> None:
    result = run("Kent Police is good at preventing crime and anti-social behaviour.")
    assert graded(result) == {("preventing crime and anti-social behaviour", "good")}


def test_requires_improvement_in() -> None:
    result = run("Dorset Police requires improvement in how it treats its workforce.")
    assert graded(result) == {("how it treats its workforce", "requires improvement")}


def test_extent_to_which_sentence_is_a_pillar_judgment() -> None:
    result = run(
        "The extent to which the force is efficient at keeping people safe and reducing crime is good."
    )
    [j] = result.judgments
    assert (j.scope, j.key, j.grade) == ("pillar", "efficiency", "good")


def test_named_list_is_split_into_areas() -> None:
    result = run(
        "PEEL 2021/22 – An inspection of Essex Police\n\n"
        "The inspectorate graded the force 'good' in preventing crime, responding to the public and managing offenders."
    )
    assert {s for s, _ in graded(result)} == {
        "preventing crime",
        "responding to the public",
        "managing offenders",
    }
    assert all(j.scope == "area" for j in result.judgments)


def test_and_inside_one_subject_is_kept() -> None:
    result = run("Surrey Police is good at reducing crime and keeping people safe.")
    assert graded(result) == {("reducing crime and keeping people safe", "good")}


def test_commas_inside_a_framework_name_are_kept() -> None:
    result = run(
        "PEEL 2021/22\n\nThe areas requiring improvement are investigating crime; "
        "building, supporting and protecting the workforce; and leadership and force management."
    )
    assert {s for s, _ in graded(result)} == {
        "investigating crime",
        "building, supporting and protecting the workforce",
        "leadership and force management",
    }


def test_bullets_after_a_grade_and_colon() -> None:
    text = "Avon and Somerset Constabulary was rated 'inadequate' in:\n\n• responding to the public\n\n• investigating crime\n\nThe end."
    assert graded(run(text)) == {
        ("responding to the public", "inadequate"),
        ("investigating crime", "inadequate"),
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "The force generally provides a good service to victims.",
        "The force has made good progress since our last inspection.",
        "Across England and Wales, six forces were rated inadequate for responding to the public.",
        "The force was graded adequate in three areas of policing.",
        "The extent to which the force is legitimate at keeping people safe and reducing crime is not yet graded.",
    ],
)
def test_no_grade_is_read_into_these(sentence: str) -> None:
    assert run(f"Gwent Police\n\n{sentence}").judgments == []


def test_another_forces_grade_is_not_this_forces() -> None:
    text = "Cumbria Constabulary is good at investigating crime. Elsewhere, Lancashire Constabulary was rated outstanding at managing offenders."
    result = run(text)
    assert result.force == "Cumbria Constabulary"
    assert graded(result) == {("investigating crime", "good")}


def test_earlier_cycle_grade_is_marked_with_its_cycle() -> None:
    result = run(
        "Humberside PEEL 2018\n\nIn 2016, we judged the force as good at tackling serious and organised crime."
    )
    [j] = result.judgments
    assert j.cycle == "2016"


# --- layout ----------------------------------------------------------------------------------


def test_grade_on_its_own_line_after_a_question() -> None:
    text = "How effective is the force at investigating crime and reducing re-offending?\n\nLast updated 02/05/2019\nRequires improvement\n\nMore text follows here in a long paragraph that explains the grade in many words for the reader."
    assert graded(run(text)) == {
        (
            "How effective is the force at investigating crime and reducing re-offending?",
            "requires improvement",
        )
    }


def test_grade_table_with_grades_as_columns() -> None:
    text = (
        "Outstanding\tGood\tAdequate\tRequires improvement\tInadequate\n"
        "\tPreventing crime\tResponding to the public\t\t\n"
        "\tManaging offenders\t\tInvestigating crime\t\n"
    )
    assert graded(run(text)) == {
        ("Preventing crime", "good"),
        ("Managing offenders", "good"),
        ("Responding to the public", "adequate"),
        ("Investigating crime", "requires improvement"),
    }


def test_subject_colon_grade_lines() -> None:
    text = "Investigating crime: Adequate\nProtecting vulnerable people: Requires improvement\n"
    assert graded(run(text)) == {
        ("Investigating crime", "adequate"),
        ("Protecting vulnerable people", "requires improvement"),
    }


def test_grade_headings_over_lists() -> None:
    text = "The force received these grades:\n\nGood\n\nInvestigating crime\n\nManaging offenders\n\nAdequate\n\nResponding to the public\n"
    assert graded(run(text)) == {
        ("Investigating crime", "good"),
        ("Managing offenders", "good"),
        ("Responding to the public", "adequate"),
    }


def test_two_column_grades_follow_questions_in_order() -> None:
    text = (
        "How effective is the force at preventing crime and anti-social behaviour, and keeping people safe?\n\n"
        "How effective is the force at investigating crime and managing offenders?\n\n"
        "Good\n\nRequires improvement\n"
    )
    result = run(text)
    assert {(j.key, j.grade) for j in result.judgments} == {
        ("preventing-crime", "good"),
        ("investigating-crime", "requires improvement"),
    }


def test_grade_definitions_are_not_judgments() -> None:
    text = "Outstanding: the force substantially exceeds the standard.\nGood: the force meets the standard.\n"
    assert run(text).judgments == []


# --- findings and responses -------------------------------------------------------------------


def test_bullets_under_areas_for_improvement() -> None:
    text = (
        "Areas for improvement\n\n"
        "• The force should improve how it records decisions about\nmissing children.\n"
        "• The force should review its use of stop and search.\n"
    )
    findings = run(text).findings
    assert [f.type for f in findings] == ["area_for_improvement"] * 2
    assert findings[0].text.startswith(
        "The force should improve how it records decisions about missing children"
    )


def test_lead_sentence_and_bullets_are_one_recommendation() -> None:
    text = "Recommendations\n\nWithin six months, the force should:\n- train its call handlers;\n- audit its risk assessments.\n"
    [f] = run(text).findings
    assert f.type == "recommendation"
    assert "train its call handlers" in f.text and "audit its risk assessments" in f.text


def test_numbered_afi_with_commissioner_response() -> None:
    text = (
        "AFI 1:\n\nThe force should make sure victims are kept informed.\n\n"
        "PCC response:\n\nI have asked the Chief Constable for monthly updates on this.\n\n"
        "AFI 2:\n\nThe force should improve its vetting backlog.\n"
    )
    result = run(text)
    assert [f.ref for f in result.findings] == ["AFI 1", "AFI 2"]
    [r] = result.responses
    assert (r.finding, r.by) == (0, "pcc")
    assert r.text.startswith("I have asked the Chief Constable")


def test_cause_of_concern_stated_in_a_sentence() -> None:
    text = "The force does not respond quickly enough to emergency calls. This is a cause of concern.\n"
    [f] = run(text).findings
    assert f.type == "cause_of_concern"


def test_the_same_finding_restated_is_one() -> None:
    item = "The force should improve how it supervises investigations."
    text = f"Areas for improvement\n\n• {item}\n\nSummary\n\nAreas for improvement\n\n• {item}\n"
    assert len(run(text).findings) == 1


def test_discharged_statements_are_their_own_fact() -> None:
    text = "In 2017 we set an area for improvement on call handling. This area for improvement has been discharged."
    [d] = run(text).discharges
    assert (d.status, d.finding_type) == ("discharged", "area_for_improvement")


# --- metadata and evidence --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cycle"),
    [
        ("PEEL 2023–2025: An inspection of Essex Police", "2023–25"),
        ("This is HMIC's fourth PEEL assessment of Kent Police.", "2017"),
        ("Norfolk PEEL 2018\n\nLast updated 02/05/2019", "2018/19"),
        ("PEEL 2021/22 – An inspection of Kent Police", "2021/22"),
    ],
)
def test_cycle_from_explicit_phrases(text: str, cycle: str) -> None:
    assert run(text).cycle == cycle


def test_force_aliases_resolve_to_the_official_name() -> None:
    assert (
        run("The Met was inspected. The Met is good at investigating crime.").force
        == "Metropolitan Police Service"
    )


def test_every_evidence_is_a_substring_of_the_text() -> None:
    text = "Kent Police is good at\npreventing crime.\n\nAreas for improvement\n\n• The force should improve its\nrecords.\n"
    result = run(text)
    flat = " ".join(text.split())
    for fact in [*result.judgments, *result.findings]:
        assert " ".join(fact.evidence.split()) in flat
        assert text[fact.start : fact.end].strip()


def test_flatten_maps_offsets_back_to_the_source() -> None:
    source = "one  two\n three"
    flat = flatten(source)
    assert flat.text == "one two three"
    start, end = flat.source_span(flat.text.index("two"), flat.text.index("two") + 3)
    assert source[start:end] == "two"


def test_each_line_is_its_stripped_words_with_their_offsets() -> None:
    import random

    from peelwatch.extract.text import Line, lines

    rng = random.Random(7)
    pieces = ["a", "bc", " ", "\t", "\n", "\u00a0", "\u2003", "\x0b", "\x0c", "\r", "\u2028"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        pos = 0
        for ln, raw in zip(lines(text), text.split("\n"), strict=True):
            assert type(ln) is Line and ln.text == raw.strip() == text[ln.start : ln.end]
            assert ln.start == pos + len(raw) - len(raw.lstrip())
            pos += len(raw) + 1


def test_grades_continued_after_commas() -> None:
    text = "The inspectorate found the force was good at preventing crime, adequate at investigating crime and requires improvement in responding to the public."
    assert graded(run(f"Kent Police\n\n{text}")) == {
        ("preventing crime", "good"),
        ("investigating crime", "adequate"),
        ("responding to the public", "requires improvement"),
    }


def test_count_then_colon_names_the_areas() -> None:
    text = "Kent Police was graded inadequate in two areas: protecting vulnerable people and managing offenders and suspects."
    assert graded(run(text)) == {
        ("protecting vulnerable people", "inadequate"),
        ("managing offenders and suspects", "inadequate"),
    }


def test_good_overall_is_an_overall_judgment() -> None:
    [j] = run("Overall, Kent Police is good.").judgments
    assert (j.scope, j.key, j.grade) == ("overall", "overall", "good")


def test_overall_followed_by_a_pillar_is_that_pillar() -> None:
    [j] = run("Kent Police requires improvement overall in its effectiveness.").judgments
    assert (j.scope, j.key) == ("pillar", "effectiveness")


def test_table_comparing_cycles_tags_each_grade_with_its_cycle() -> None:
    text = "PEEL 2023–2025 – Dorset Police\n\nArea\t2021/22\t2023–25\nInvestigating crime\tAdequate\tRequires improvement\n"
    result = run(text)
    assert {(j.subject, j.grade, j.cycle) for j in result.judgments} == {
        ("Investigating crime", "adequate", "2021/22"),
        ("Investigating crime", "requires improvement", None),
    }


def test_a_changed_grade_gives_the_new_grade() -> None:
    text = "PEEL 2023–2025 – Kent Police\n\nAfter a review, the grade for 'Investigating crime' was changed from 'good' to 'adequate'."
    assert graded(run(text)) == {("Investigating crime", "adequate")}


def test_circumstance_after_the_subject_is_not_part_of_it() -> None:
    text = "Kent Police was graded as outstanding in disrupting serious organised crime in its regional inspection."
    assert graded(run(text)) == {("disrupting serious organised crime", "outstanding")}


def test_numbered_items_keep_their_number_as_ref() -> None:
    text = "Recommendations\n\n1. The force should review its vetting backlog.\n2. The force should train its call handlers.\n"
    assert [(f.type, f.ref) for f in run(text).findings] == [("recommendation", "1"), ("recommendation", "2")]


def test_repeated_preposition_splits_even_a_known_pair() -> None:
    text = "We have been graded good at investigating crime and at managing offenders and suspects."
    assert graded(run(f"Cambridgeshire Constabulary\n\n{text}")) == {
        ("investigating crime", "good"),
        ("managing offenders and suspects", "good"),
    }


def test_a_document_about_no_inspection_is_other() -> None:
    assert run("The village fete raised money for the church roof. Thanks to all who baked.").kind == "other"


def test_framework_names_with_and_stay_whole_in_a_list() -> None:
    text = (
        "The constabulary was judged good at investigating crime, building, supporting and protecting the workforce "
        "and leadership and force management."
    )
    assert {s for s, _ in graded(run(f"PEEL 2023–2025\n\nLancashire Constabulary\n\n{text}"))} == {
        "investigating crime",
        "building, supporting and protecting the workforce",
        "leadership and force management",
    }


def test_bullets_in_the_same_paragraph_after_the_following_areas() -> None:
    text = (
        "HMICFRS rated Gwent Police as Good in the following areas:\n- Preventing crime\n- Treatment of the public\n\n"
        "It was rated Adequate for:\n- Investigating crime\n- Responding to the public\n"
    )
    assert graded(run(text)) == {
        ("Preventing crime", "good"),
        ("Treatment of the public", "good"),
        ("Investigating crime", "adequate"),
        ("Responding to the public", "adequate"),
    }


def test_a_report_graded_as_good_gives_its_pillar() -> None:
    text = "The Commissioner welcomed the PEEL legitimacy report, which graded Cheshire Constabulary as good."
    [j] = run(text).judgments
    assert (j.scope, j.key, j.grade) == ("pillar", "legitimacy", "good")


def test_a_force_graded_with_no_subject_and_no_overall_is_left_unread() -> None:
    result = run("The Commissioner said the inspectorate graded Cheshire Constabulary as good.")
    assert result.judgments == []
    assert [u.reason for u in result.unattached] == ["the force is graded without a subject (rated-force-as)"]


def test_the_inspectorate_restating_a_section_grade_for_the_force_adds_nothing() -> None:
    text = "We inspected Cheshire Constabulary in May. HMIC judges that the force requires improvement."
    result = run(text)
    assert result.kind == "inspection_report" and result.judgments == []
    assert [u.reason for u in result.unattached] == [
        "the force is graded without a subject, in the inspectorate's report"
    ]


def test_labelled_grade_line_under_an_area_heading() -> None:
    text = "PEEL 2023–2025\n\nInvestigating crime\n\nGrade: Adequate\n\nResponding to the public\n\nOur judgment – Requires improvement\n"
    assert graded(run(text)) == {
        ("Investigating crime", "adequate"),
        ("Responding to the public", "requires improvement"),
    }


def test_rated_our_subject_as_a_grade() -> None:
    text = "West Yorkshire Police said inspectors rated our management of offenders as good."
    assert graded(run(text)) == {("our management of offenders", "good")}


def test_addressed_and_remaining_areas_for_improvement() -> None:
    text = (
        "The force has addressed this area for improvement.\n\n"
        "We said the force should improve its vetting. This remains an area for improvement.\n"
    )
    assert [d.status for d in run(text).discharges] == ["discharged", "not_discharged"]
