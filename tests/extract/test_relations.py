"""The judgment relations, one sentence each: which relation ties the grade to which subjects,
and why a grade is left alone. Sentences are written for these tests."""

from __future__ import annotations

import pytest

from peelwatch.extract import Extraction, extract_bytes


def run(text: str) -> Extraction:
    return extract_bytes(text.encode("utf-8"), "note.txt")


def read(text: str) -> list[tuple[str, str, str]]:
    """(rule, grade, subject) of every judgment, in order."""
    return [(j.rule, j.grade, j.subject) for j in run(text).judgments]


def reasons(text: str) -> list[str]:
    return [u.reason for u in run(text).unattached]


# --- grade, preposition, list ---------------------------------------------------------------


def test_grade_then_a_list_split_where_the_framework_says() -> None:
    text = "PEEL 2023–2025. The report found Kent Police good at preventing crime, police powers and public treatment."
    assert read(text) == [
        ("grade-then-subjects", "good", "preventing crime"),
        ("grade-then-subjects", "good", "police powers and public treatment"),
    ]


def test_a_framework_name_holding_commas_stays_whole() -> None:
    text = (
        "PEEL 2021/22. Surrey Police was rated adequate at building, supporting and protecting the workforce."
    )
    assert read(text) == [
        ("grade-then-subjects", "adequate", "building, supporting and protecting the workforce")
    ]


def test_a_dash_and_a_count_before_the_list() -> None:
    text = (
        "PEEL 2023–2025. Its service requires improvement – in four areas including responding to the public; "
        "investigating crime; protecting vulnerable people and leadership and force management."
    )
    assert [s for _, _, s in read(text)] == [
        "responding to the public",
        "investigating crime",
        "protecting vulnerable people",
        "leadership and force management",
    ]


def test_a_count_without_names_is_no_judgment() -> None:
    text = "PEEL 2021/22. Inspectors found the constabulary adequate in three areas and good in two."
    assert read(text) == []
    assert "counts areas after 'in' without naming them" in reasons(text)


def test_the_last_subject_may_stop_before_how_it_is_done() -> None:
    text = "PEEL 2016. Essex Police is good at planning for future demand using its new forecasting model."
    assert read(text) == [("grade-then-subjects", "good", "planning for future demand")]


def test_a_free_text_subject_in_running_text_is_not_a_judgment() -> None:
    text = "PEEL 2018/19. The constabulary is good at working with local schools on road safety."
    assert read(text) == []
    assert reasons(text) == ["no framework subject after 'at'"]


def test_the_preposition_repeated_in_a_list_is_not_part_of_the_subject() -> None:
    text = "PEEL 2016. It was rated outstanding for treating the people it serves with fairness and respect and for ensuring its workforce behaves ethically."
    assert [s for _, _, s in read(text)] == [
        "treating the people it serves with fairness and respect",
        "ensuring its workforce behaves ethically",
    ]


# --- list, copula, grade --------------------------------------------------------------------


def test_subjects_then_a_passive_rating() -> None:
    text = "PEEL 2023–2025. Responding to the public, investigation and management of offenders were rated as needing improvement."
    assert read(text) == [
        ("subjects-then-grade", "requires improvement", "Responding to the public"),
        ("subjects-then-grade", "requires improvement", "investigation"),
        ("subjects-then-grade", "requires improvement", "management of offenders"),
    ]


def test_needing_improvement_without_a_rating_verb_is_no_grade() -> None:
    assert read("PEEL 2023–2025. Investigating crime is an area needing improvement, staff told us.") == []


def test_a_relative_clause_after_the_subject() -> None:
    text = "PEEL 2021/22. Besides these, crime data integrity, which was audited last spring and which is rated as 'Outstanding', stands out."
    assert read(text) == [("subjects-then-grade", "outstanding", "crime data integrity")]


def test_except_where_it() -> None:
    text = "PEEL 2023–2025. Kent Police is good in every area except managing offenders, where it 'requires improvement'."
    assert ("subjects-then-grade", "requires improvement", "managing offenders") in read(text)


def test_the_next_clause_keeps_its_own_subject() -> None:
    text = (
        "PEEL 2017. Its understanding of demand is judged to require improvement; it is judged to be good for its use "
        "of resources; and its planning for future demand is judged to be outstanding."
    )
    assert sorted((g, s) for _, g, s in read(text)) == [
        ("good", "its use of resources"),
        ("outstanding", "its planning for future demand"),
        ("requires improvement", "Its understanding of demand"),
    ]


def test_a_shared_grade_as_was() -> None:
    text = "PEEL 2023–2025. Its crime prevention work was rated adequate, as was its support and protection of the workforce."
    assert [(r, s) for r, _, s in read(text)] == [
        ("subjects-then-grade", "Its crime prevention work"),
        ("subjects-then-grade", "its support and protection of the workforce"),
    ]


# --- the force graded, changed grades, grade nouns ------------------------------------------


def test_the_areas_given_a_grade_are_listed_after_a_copula() -> None:
    text = "PEEL 2021/22. The inspectorate said the inadequate areas were responding to the public and managing offenders."
    assert read(text) == [
        ("graded-areas-are", "inadequate", "responding to the public"),
        ("graded-areas-are", "inadequate", "managing offenders"),
    ]


def test_a_changed_grade_reads_the_new_one_only() -> None:
    text = "PEEL 2023–2025. In May the grade for 'Protecting vulnerable people' was changed from 'good' to 'adequate'."
    assert read(text) == [("grade-changed", "adequate", "Protecting vulnerable people")]
    assert reasons(text) == ["the grade a subject changed from"]


def test_a_grade_that_moved_names_its_subject_after() -> None:
    text = (
        "PEEL 2023–2025. The force has improved from 'inadequate' to 'adequate' in responding to the public."
    )
    assert read(text) == [("grade-changed", "adequate", "responding to the public")]


def test_a_grade_then_subject_then_grade_noun() -> None:
    text = "The panel heard that the constabulary received a good efficiency rating."
    assert read(text) == [("grade-noun-subject", "good", "efficiency")]


def test_the_force_graded_in_a_report_on_one_pillar() -> None:
    text = "The commissioner said the force had again been graded as 'requires improvement' in a review of its legitimacy."
    assert read(text) == [("grade-in-report", "requires improvement", "legitimacy")]


def test_the_force_graded_overall() -> None:
    text = "News: inspectors have rated Cleveland Police inadequate overall."
    assert read(text) == [("force-graded-overall", "inadequate", "overall")]


def test_an_earlier_grade_of_the_force_is_not_this_documents() -> None:
    text = (
        "The chief constable said the force has improved since 2015, when it was previously judged as good."
    )
    assert read(text) == []
    assert reasons(text) == ["the force's grade in an earlier inspection"]


def test_a_same_grade_sentence_takes_the_grade_before() -> None:
    text = (
        "PEEL 2023–2025. Inspectors graded the force as 'good' for crime data integrity. "
        "The same grade was given for managing offenders and suspects."
    )
    assert read(text)[-1] == ("same-grade", "good", "managing offenders and suspects")


# --- precision rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("PEEL 2018/19. The force is not good at investigating crime.", "negated"),
        (
            "PEEL 2018/19. If nothing changes, the force could be graded inadequate at protecting vulnerable people.",
            "hypothetical",
        ),
        (
            "PEEL 2018/19. Twelve forces were rated outstanding at tackling serious and organised crime.",
            "about forces in general",
        ),
        (
            "PEEL 2018/19. The force made good progress in investigating crime.",
            "describes a noun ('good progress')",
        ),
    ],
)
def test_precision_rules_say_why(text: str, reason: str) -> None:
    assert read(text) == []
    assert reasons(text) == [reason]


def test_another_forces_grade_is_not_this_documents() -> None:
    text = (
        "Essex Police news. Essex Police welcomed the report. Elsewhere, Kent Police was rated outstanding "
        "at preventing crime, Essex Police said."
    )
    assert read(text) == []


def test_a_subject_dash_grade_sentence() -> None:
    text = "PEEL 2021/22 grades.\n\n• Preventing crime – adequate. Treatment of the public – good\n"
    assert read(text) == [
        ("subject-dash-grade", "adequate", "Preventing crime"),
        ("subject-dash-grade", "good", "Treatment of the public"),
    ]


def test_good_use_of_resources_names_a_subject_it_grades_nothing() -> None:
    text = "PEEL 2021/22. The areas requiring improvement are responding to the public and good use of resources."
    assert [(g, s) for _, g, s in read(text)] == [
        ("requires improvement", "responding to the public"),
        ("requires improvement", "good use of resources"),
    ]


# --- lists in their many forms ---------------------------------------------------------------


def test_a_count_that_ends_the_sentence_points_back_to_the_list() -> None:
    text = (
        "PEEL 2018/19. Grades come under three headings - effectiveness, efficiency and legitimacy; "
        "and the force was rated good in all three."
    )
    assert read(text) == [
        ("grade-for-the-list-before", "good", "effectiveness"),
        ("grade-for-the-list-before", "good", "efficiency"),
        ("grade-for-the-list-before", "good", "legitimacy"),
    ]


def test_quoted_list_items() -> None:
    text = "PEEL 2018/19. The force ‘requires improvement’ in the areas of ‘reducing crime,’ and ‘operating efficiently.’"
    assert [s for _, _, s in read(text)] == ["reducing crime", "operating efficiently"]


def test_a_short_aside_in_brackets_stays_with_its_subject() -> None:
    text = "PEEL 2021/22.\n\n• Adequate – in preventing crime and anti-social behaviour (ASB) and protecting vulnerable people\n"
    assert [s for _, _, s in read(text)] == [
        "preventing crime and anti-social behaviour (ASB)",
        "protecting vulnerable people",
    ]


def test_a_question_glued_to_its_grade_in_running_text() -> None:
    text = "PEEL 2015. The plan is realistic. How sustainable is the force's financial position for the short and long term?Good"
    assert [(g, s) for _, g, s in read(text)] == [
        ("good", "How sustainable is the force's financial position for the short and long term?")
    ]


def test_bullets_of_any_shape_after_a_grade_and_a_colon() -> None:
    text = "PEEL 2017. The force was also graded as good at:-\n► Understanding demand\n► Planning for the future\n"
    assert [s for _, _, s in read(text)] == ["Understanding demand", "Planning for the future"]


def test_a_cycle_found_late_still_splits_the_lists_by_its_own_names() -> None:
    text = (
        "Chief constable's statement\n\nThe report graded Kent Police as follows.\n\n"
        "• Good – in developing a positive workplace and good use of resources\n"
        "• Requires improvement – in investigating crime, managing offenders\n"
    )
    result = run(text)
    assert result.cycle == "2021/22"
    assert [j.subject for j in result.judgments if j.grade == "requires improvement"] == [
        "investigating crime",
        "managing offenders",
    ]


def test_subject_colon_grade_pairs_run_together() -> None:
    text = (
        "PEEL 2023–2025. Our judgments\n\nPolice powers and public treatment: Good Preventing crime: Adequate "
        "Investigating crime: Requires improvement We don't grade the service to victims."
    )
    assert [(r, g, s) for r, g, s in read(text)] == [
        ("subject-dash-grade", "good", "Police powers and public treatment"),
        ("subject-dash-grade", "adequate", "Preventing crime"),
        ("subject-dash-grade", "requires improvement", "Investigating crime"),
    ]


def test_a_colon_then_a_lower_case_sentence_is_no_grade_pair() -> None:
    assert read("PEEL 2023–2025. Investigating crime: good progress has been made on files.") == []
