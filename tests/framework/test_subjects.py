"""Subjects: the pillars, questions and areas of each cycle, their keys, and phrase matching."""

from __future__ import annotations

import pytest

from peelwatch.errors import UnknownNameError
from peelwatch.framework import PILLARS, Framework, Subject


def graded(subjects: list[Subject]) -> list[Subject]:
    return [s for s in subjects if s.graded]


class TestEachCycleHasTheSubjectsOfTheFrameworkReference:
    def test_2014_thirteen_questions_six_graded_only_efficiency_has_a_pillar_grade(
        self, fw: Framework
    ) -> None:
        # The efficiency headline question is the efficiency pillar subject; the other 12 are questions.
        questions = fw.subjects("2014", "question")
        pillars = fw.subjects("2014", "pillar")
        efficiency = fw.subject("2014/efficiency")
        assert efficiency.name == "To what extent is the force efficient?"
        assert len(questions) + 1 == 13
        assert len(graded(questions)) + 1 == 6
        assert [p.pillar for p in graded(pillars)] == ["efficiency"]
        assert fw.subject("2014/effectiveness").name == "How well the force tackles crime"

    def test_2014_ungraded_questions(self, fw: Framework) -> None:
        ungraded = {s.key for s in fw.subjects("2014", "question") if not s.graded}
        assert ungraded == {
            "protecting-vulnerable-people",
            "serious-organised-crime",
            "strategic-policing-requirement",
            "treatment-of-the-public",
            "ethical-behaviour",
            "crime-recording",
            "stop-and-search",
        }

    def test_2015_three_graded_pillars_with_eleven_questions_and_ungraded_leadership(
        self, fw: Framework
    ) -> None:
        graded_pillars = [p.pillar for p in graded(fw.subjects("2015", "pillar"))]
        assert graded_pillars == ["effectiveness", "efficiency", "legitimacy"]
        pillar_questions = [s for s in fw.subjects("2015", "question") if s.pillar != "leadership"]
        assert len(pillar_questions) == 11
        assert [s.key for s in pillar_questions if not s.graded] == ["crime-recording"]
        leadership = [s for s in fw.subjects("2015", "question") if s.pillar == "leadership"]
        assert len(leadership) == 4 and not any(s.graded for s in leadership)
        assert not fw.subject("2015/leadership").graded

    def test_2015_pillar_headlines(self, fw: Framework) -> None:
        assert [p.name for p in fw.subjects("2015", "pillar")][:3] == [
            "How effective is the force at keeping people safe and reducing crime?",
            "How efficient is the force at keeping people safe and reducing crime?",
            "How legitimate is the force at keeping people safe and reducing crime?",
        ]

    @pytest.mark.parametrize("label", ["2016", "2017"])
    def test_2016_and_2017_five_three_and_three_questions(self, fw: Framework, label: str) -> None:
        counts = {p: len([s for s in fw.subjects(label, "question") if s.pillar == p]) for p in PILLARS}
        assert counts == {"effectiveness": 5, "efficiency": 3, "legitimacy": 3, "leadership": 0}
        assert fw.subject_by_key("specialist-capabilities", label).name == (
            "How effective are the force's specialist capabilities?"
        )

    def test_leadership_was_separate_in_2016_and_folded_into_the_pillars_in_2017(self, fw: Framework) -> None:
        assert fw.subject_by_key("leadership", "2016") is not None
        assert fw.subject_by_key("leadership", "2017") is None

    def test_2018_19_ten_questions_specialist_capabilities_ungraded(self, fw: Framework) -> None:
        questions = fw.subjects("2018/19", "question")
        assert len(questions) == 10
        assert [s.key for s in questions if not s.graded] == ["specialist-capabilities"]
        assert fw.subject("2018-19/effectiveness/q5").short == "Armed policing"
        assert len(graded(fw.subjects("2018/19", "pillar"))) == 3

    def test_2018_19_pillar_headlines(self, fw: Framework) -> None:
        assert fw.subject_by_key("effectiveness", "2018/19").name == (
            "How effectively does the force reduce crime and keep people safe?"
        )
        assert fw.subject_by_key("legitimacy", "2018/19").name == (
            "How legitimately does the force treat the public and its workforce?"
        )

    def test_2018_19_report_section_names_are_the_short_labels(self, fw: Framework) -> None:
        assert [s.short for s in fw.subjects("2018/19", "question")] == [
            "Preventing crime and tackling anti-social behaviour",
            "Investigating crime",
            "Protecting vulnerable people",
            "Tackling serious and organised crime",
            "Armed policing",
            "Meeting current demands and using resources",
            "Planning for the future",
            "Treating the public fairly",
            "Ethical and lawful workforce behaviour",
            "Treating the workforce fairly",
        ]

    def test_2021_22_original_framework_13_areas_11_graded(self, fw: Framework) -> None:
        original = [s for s in fw.subjects("2021/22", "area") if "revised" not in s.framework_versions]
        assert len(original) == 13
        assert len(graded(original)) == 11
        assert {s.short for s in original if not s.graded} == {
            "Meeting the strategic policing requirement",
            "Armed threats",
        }

    def test_2021_22_revised_framework_11_areas_10_graded(self, fw: Framework) -> None:
        revised = [s for s in fw.subjects("2021/22", "area") if "original" not in s.framework_versions]
        assert len(revised) == 11
        assert len(graded(revised)) == 10
        assert [s.key for s in revised if not s.graded] == ["victim-service"]

    def test_2021_22_short_labels_of_the_grade_tables(self, fw: Framework) -> None:
        shorts = {s.short for s in graded(fw.subjects("2021/22"))}
        assert shorts == {
            "Recording data about crime",
            "Supporting victims",
            "Treatment of the public",
            "Preventing crime",
            "Responding to the public",
            "Investigating crime",
            "Protecting vulnerable people",
            "Managing offenders",
            "Disrupting serious organised crime",
            "Developing a positive workplace",
            "Good use of resources",
        }

    def test_2021_22_has_no_pillars(self, fw: Framework) -> None:
        assert fw.subjects("2021/22", "pillar") == []

    def test_2023_25_nine_areas_eight_graded_victim_service_ungraded(self, fw: Framework) -> None:
        core = [s for s in fw.subjects("2023–25", "area") if s.core]
        assert len(core) == 9
        assert len(graded(core)) == 8
        assert [s.short for s in core if not s.graded] == ["Victim service assessment"]

    def test_2023_25_separate_programmes_are_reported_in_but_not_core(self, fw: Framework) -> None:
        extra = {s.key for s in fw.subjects("2023-25") if not s.core}
        assert extra == {"serious-organised-crime", "crime-recording"}

    def test_2025_27_core_question_1(self, fw: Framework) -> None:
        leadership = fw.subject_by_key("leadership", "2025-27")
        assert leadership.name == "How good is the force at leadership and force management?"


class TestCanonicalKeys:
    @pytest.mark.parametrize(
        ("cycle", "name"),
        [
            (
                "2015",
                "How effective is the force at preventing crime and anti-social behaviour, and keeping people safe?",
            ),
            (
                "2016",
                "How effective is the force at preventing crime, tackling anti-social behaviour and keeping people safe?",
            ),
            (
                "2018/19",
                "How effective is the force at preventing crime, tackling anti-social behaviour and keeping people safe?",
            ),
            ("2021/22", "Preventing crime and anti-social behaviour"),
            (
                "2023–25",
                "Preventing and deterring crime and antisocial behaviour, and reducing vulnerability",
            ),
        ],
    )
    def test_prevention_shares_one_key_across_cycles(self, fw: Framework, cycle: str, name: str) -> None:
        assert fw.subject_by_key("preventing-crime", cycle).name == name

    def test_the_2015_prevention_question_and_2021_22_preventing_crime_relate(self, fw: Framework) -> None:
        old = fw.subject("2015/effectiveness/q1")
        new = fw.match_subject("Preventing crime", cycle="2021/22")
        assert new is not None and old.key == new.key == "preventing-crime"

    @pytest.mark.parametrize(
        "key",
        ["investigating-crime", "protecting-vulnerable-people", "treatment-of-the-public", "workforce"],
    )
    def test_themes_inspected_in_every_cycle_from_2016_to_2023_25(self, fw: Framework, key: str) -> None:
        for label in ("2016", "2017", "2018/19", "2021/22", "2023–25"):
            assert fw.subject_by_key(key, label) is not None, (key, label)

    def test_pillar_subjects_are_keyed_by_pillar(self, fw: Framework) -> None:
        for s in fw.subjects(scope="pillar"):
            assert s.key == s.pillar

    def test_specialist_capabilities_became_armed_threats(self, fw: Framework) -> None:
        assert fw.subject_by_key("specialist-capabilities", "2021/22").short == "Armed threats"

    def test_every_key_is_declared_and_used_once_per_cycle(self, fw: Framework) -> None:
        for cycle in fw.cycles:
            keys = [s.key for s in cycle.subjects]
            assert len(keys) == len(set(keys)), cycle.label
            assert set(keys) <= set(fw.keys)

    def test_every_declared_key_is_used_and_described(self, fw: Framework) -> None:
        used = {s.key for s in fw.subjects()}
        assert used == set(fw.keys)
        assert all(fw.keys[k] for k in fw.keys)

    def test_related_keys(self, fw: Framework) -> None:
        assert "anti-social-behaviour" in fw.related_keys("preventing-crime")
        assert fw.related_keys("overall") == ()

    def test_subject_ids_are_unique_and_look_up(self, fw: Framework) -> None:
        ids = [s.id for s in fw.subjects()]
        assert len(ids) == len(set(ids))
        assert fw.subject("2015/effectiveness/q1").key == "preventing-crime"
        with pytest.raises(UnknownNameError):
            fw.subject("2015/effectiveness/q9")

    def test_a_key_absent_from_a_cycle_gives_none(self, fw: Framework) -> None:
        assert fw.subject_by_key("managing-offenders", "2018/19") is None
        with pytest.raises(UnknownNameError):
            fw.subject_by_key("preventing-crime", "2020")


class TestSubjectsQuery:
    def test_all_subjects_oldest_cycle_first(self, fw: Framework) -> None:
        subjects = fw.subjects()
        assert subjects[0].cycle == "2014" and subjects[-1].cycle == "2025–27"
        assert len(subjects) == sum(len(c.subjects) for c in fw.cycles)

    def test_filter_by_cycle_alias_and_scope(self, fw: Framework) -> None:
        assert all(s.cycle == "2023–25" and s.scope == "area" for s in fw.subjects("2023-25", "area"))

    def test_an_unknown_scope_is_an_error(self, fw: Framework) -> None:
        with pytest.raises(UnknownNameError):
            fw.subjects(scope="theme")


class TestMatchSubject:
    @pytest.mark.parametrize(
        ("text", "cycle", "key"),
        [
            (
                "How effective is the force at investigating crime and reducing re-offending?",
                None,
                "investigating-crime",
            ),
            ("investigating crime", None, "investigating-crime"),
            ("Investigating crime", "2016", "investigating-crime"),
            ("protects vulnerable people", None, "protecting-vulnerable-people"),
            ("Protecting vulnerable people", "2015", "protecting-vulnerable-people"),
            (
                "protecting those who are vulnerable from harm, and supporting victims",
                None,
                "protecting-vulnerable-people",
            ),
            ("the extent to which the force is efficient at keeping people safe", None, "efficiency"),
            ("the extent to which the force is effective at keeping people safe", None, "effectiveness"),
            ("How legitimately does the force treat the public and its workforce?", None, "legitimacy"),
            ("tackling serious and organised crime", "2021/22", "serious-organised-crime"),
            ("Disrupting serious organised crime", None, "serious-organised-crime"),
            ("use of resources", None, "use-of-resources"),
            ("Good use of resources", "2021/22", "use-of-resources"),
            ("treating the public fairly", None, "treatment-of-the-public"),
            ("Treatment of the public", "2018/19", "treatment-of-the-public"),
            ("stop and search", "2015", "stop-and-search"),
            ("Preventing crime and tackling anti-social behaviour", "2021/22", "preventing-crime"),
            ("Preventing crime & tackling antisocial behaviour", "2018/19", "preventing-crime"),
            ("Recording data about crime", "2021/22", "crime-recording"),
            ("Developing a positive workplace", "2023–25", "workforce"),
            ("Leadership and force management", "2023–25", "leadership"),
            ("How good is the force at leadership and force management?", None, "leadership"),
            ("Armed policing", "2018/19", "specialist-capabilities"),
            ("Meeting current demands and using resources", None, "use-of-resources"),
            ("Investigatng crime", "2021/22", "investigating-crime"),  # a typo
            ("Effectiveness", "2017", "effectiveness"),
            ("Investigating crime: Requires improvement", "2021/22", "investigating-crime"),  # grade kept on
            (
                "Question 4: How effective is the force at tackling serious and organised crime?",
                "2018/19",
                "serious-organised-crime",
            ),
        ],
    )
    def test_phrases_that_name_a_subject(self, fw: Framework, text: str, cycle: str | None, key: str) -> None:
        found = fw.match_subject(text, cycle=cycle)
        assert found is not None, text
        assert found.key == key
        if cycle is not None:
            assert found.cycle == fw.cycle(cycle).label

    @pytest.mark.parametrize(
        "text",
        [
            "The chief constable attended the meeting",
            "crime",
            "Reducing crime",  # shares letters with "crime recording", not its meaning
            "Areas for improvement",
            "Cause of concern",
            "Recommendations",
            "Summary",
            "Force in context",
            "Mental health",
            "Domestic abuse",
            "Neighbourhood policing",
            "Vetting and counter-corruption",
            "",
            "   ",
            "the",
            "Requires improvement",
            "Good",
            "Question 3",
        ],
    )
    def test_unrelated_text_matches_nothing(self, fw: Framework, text: str) -> None:
        assert fw.match_subject(text, cycle="2021/22") is None

    def test_unrelated_text_matches_nothing_in_any_cycle(self, fw: Framework) -> None:
        for text in ("The chief constable attended the meeting", "crime", "Force in numbers", "Introduction"):
            assert fw.match_subject(text) is None

    def test_without_a_cycle_ties_go_to_the_most_recent_cycle(self, fw: Framework) -> None:
        assert fw.match_subject("Investigating crime").cycle == "2023–25"

    def test_scope_restricts_the_candidates(self, fw: Framework) -> None:
        assert fw.match_subject("Effectiveness", scope="pillar").scope == "pillar"
        assert fw.match_subject("Investigating crime", cycle="2018/19", scope="pillar") is None

    def test_the_threshold_can_be_raised(self, fw: Framework) -> None:
        assert fw.match_subject("protects vulnerable people", threshold=99) is None
        assert fw.match_subject("protecting vulnerable people", threshold=100) is not None

    def test_it_is_fast(self, fw: Framework) -> None:
        import time

        # CPU time of this process, best of three rounds, so other work on the machine does not
        # make the test flaky. Distinct texts, so the result cache never answers.
        best = float("inf")
        for round_ in range(3):
            texts = [f"investigating crime and item {round_}-{i}" for i in range(200)]
            start = time.process_time()
            for text in texts:
                fw.match_subject(text)
            best = min(best, (time.process_time() - start) / len(texts))
        assert best < 0.002  # typically a few hundred microseconds


def test_names_and_aliases_are_whole_phrases(fw: Framework) -> None:
    # Guards against a comma inside a YAML flow list splitting one phrase into two.
    for s in fw.subjects():
        for phrase in (s.name, s.short, *s.aliases):
            if phrase is None:
                continue
            assert phrase == phrase.strip() and len(phrase) > 3, (s.id, phrase)
            assert not phrase.lower().startswith(("and ", "or ", "of ")), (s.id, phrase)


class TestSubjectsMentioned:
    """Subjects named inside running text, such as an area for improvement."""

    def test_every_subject_named_in_a_sentence(self, fw: Framework) -> None:
        text = "The force should improve how it investigates crime and how it protects vulnerable people."
        assert [s.key for s in fw.subjects_mentioned(text, cycle="2021/22")] == [
            "investigating-crime",
            "protecting-vulnerable-people",
        ]

    def test_older_cycles_know_the_short_forms_too(self, fw: Framework) -> None:
        text = "HMIC found weaknesses in investigating crime."
        assert [s.id for s in fw.subjects_mentioned(text, cycle="2015")] == ["2015/effectiveness/q2"]

    def test_the_longest_phrase_wins(self, fw: Framework) -> None:
        text = "It is good at preventing crime and tackling anti-social behaviour."
        assert [s.id for s in fw.subjects_mentioned(text, cycle="2018/19")] == ["2018-19/effectiveness/q1"]

    def test_text_naming_no_subject(self, fw: Framework) -> None:
        assert fw.subjects_mentioned("The chief constable attended the meeting.") == []
        assert fw.subjects_mentioned("crime") == []
