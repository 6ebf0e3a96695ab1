"""The quick tests that stand before the case-blind vocabulary patterns: a word every match must
hold, looked for in lower-cased text. They may let through text the pattern then turns away,
never the other way round, whatever the case of the text and the four non-ASCII letters that
case-blind matching equates with ASCII ones ("ſ" with "s", "ı" and "İ" with "i", the Kelvin sign
with "k")."""

from __future__ import annotations

import re

import pytest

from peelwatch.extract.cues import any_in, cues, lowered, required_words
from peelwatch.extract.grades import grade_mentions, may_hold_grade
from peelwatch.extract.statuses import load_status_vocabulary
from peelwatch.extract.tokens import tokenize
from peelwatch.framework.vocabulary import load_vocabulary


def spellings(phrase: str) -> list[str]:
    """The phrase as written, in capitals, in title case, and with each letter that case-blind
    matching folds from a non-ASCII one written that way."""
    return [
        phrase,
        phrase.upper(),
        phrase.title(),
        phrase.replace("s", "ſ"),
        phrase.replace("i", "ı"),
        phrase.replace("i", "İ"),
        phrase.replace("k", "\u212a"),
    ]


def phrase_lists() -> list[tuple[str, re.Pattern[str], re.Pattern[str], list[str]]]:
    c = cues()
    v = load_vocabulary()
    return [
        ("reply verbs", c.reply, c.reply_verb_words, [f"The Chief Constable {w}" for w in v.reply_verbs]),
        ("concern phrases", c.concern_phrase, c.concern_words, list(v.concern_phrases)),
        ("meeting requests", c.meeting_request, c.meeting_words, list(v.meeting_requests)),
        ("finding types", c.type_word, c.type_words, list(c.type_of)),
    ]


@pytest.mark.parametrize(
    "name,pattern,quick,phrases", phrase_lists(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_the_quick_test_passes_wherever_the_pattern_matches(
    name: str, pattern: re.Pattern[str], quick: re.Pattern[str], phrases: list[str]
) -> None:
    matched = 0
    for phrase in phrases:
        for spelling in spellings(phrase.replace("{force}", "Kent Police")):
            text = f"At the meeting, {spelling} that day."
            if pattern.search(text):
                matched += 1
                assert any_in(quick, lowered(text)), (name, text)
    assert matched >= len(phrases)  # every phrase matched as written at least


def test_lowered_folds_the_letters_case_blind_matching_folds() -> None:
    assert lowered("ſtated İnformed ıt \u212aent") == "stated informed it kent"
    assert lowered("Plain ASCII") == "plain ascii"


def test_text_without_any_of_the_words_is_turned_away() -> None:
    c = cues()
    line = "Neighbourhood teams know their areas."
    assert not any_in(c.concern_words, lowered(line))
    assert c.concern_in(line) is None
    assert not any_in(c.reply_verb_words, lowered(line))
    assert not c.names_type(line)


def test_required_words_keep_the_shortest_word_held_by_others() -> None:
    assert required_words(["afi", "afis", "areas for improvement"]) == ("afi", "improvement")
    assert required_words(["{force} does not", "isn’t"]) == ("isn", "does")


@pytest.mark.parametrize(
    "spelling", ["Requires Improvement", "REQUIRES IMPROVEMENT", "good", "Needs improvement"]
)
def test_a_sentence_with_a_grade_passes_the_grade_test(spelling: str) -> None:
    text = f"The force {spelling} in how it treats the public."
    assert grade_mentions(tokenize(text))
    assert may_hold_grade(lowered(text).replace("’", "'"))


def test_a_sentence_without_grade_words_fails_the_grade_test() -> None:
    text = "Area for improvement 4"
    assert not grade_mentions(tokenize(text))
    assert not may_hold_grade(lowered(text))


def judging_phrases() -> list[str]:
    """Every phrase whose words let the judgment rules read a document: grades, weak grades,
    "the same grade" and statements that a subject is not graded."""
    from peelwatch.framework.wording import load_wording

    v, w = load_vocabulary(), load_wording()
    return [
        *(p for ps in v.grade_words.values() for p in ps),
        *(p for ps in w.weak_grades.values() for p in ps),
        *w.same_grade,
        *v.ungraded_statements,
    ]


@pytest.mark.parametrize("phrase", judging_phrases())
def test_a_document_with_any_judging_phrase_passes_the_document_test(phrase: str) -> None:
    from peelwatch.extract.judgments import may_judge

    for spelling in spellings(phrase):
        assert may_judge(f"Findings\n\nThe force’s work was {spelling} in\nthat year.\n"), spelling


def test_a_document_without_grade_words_fails_the_document_test_and_holds_no_judgment() -> None:
    from peelwatch.extract import extract_bytes
    from peelwatch.extract.judgments import may_judge

    text = (
        "Area for improvement 1\n\nThe force should improve how it records crime.\n\n"
        "Force response: We have trained our officers.\n"
    )
    assert not may_judge(text)
    assert extract_bytes(text.encode(), "plan.txt").judgments == []


@pytest.mark.parametrize(
    "text,rule",
    [
        ("Preventing crime\n\nGood\n", "grade-line-after-subject"),
        ("Preventing crime: Requires improvement\n", "subject-then-grade-line"),
        ("Outstanding\tGood\nPreventing crime\tProtecting vulnerable people\n", "grade-columns"),
        ("Effectiveness\nRating Adequate\n", "rating-under-title"),
        ("The force is good at preventing crime.\n", "grade-then-subjects"),
    ],
)
def test_each_judgment_rule_reads_its_grade_in_a_document_passing_the_document_test(
    text: str, rule: str
) -> None:
    from peelwatch.extract import extract_bytes
    from peelwatch.extract.judgments import may_judge

    assert may_judge(text)
    assert rule in [j.rule for j in extract_bytes(text.encode(), "graded.txt").judgments]


@pytest.mark.parametrize("word", sorted(load_status_vocabulary().meaning))
def test_the_whole_text_test_before_statuses_passes_wherever_the_status_pattern_matches(word: str) -> None:
    from peelwatch.extract.model import Finding
    from peelwatch.extract.statuses import mark_statuses

    vocab = load_status_vocabulary()
    finding = "The force should record crime better."
    for spelling in spellings(word):
        text = f"AFI 1\t{finding}\t{spelling}\n"
        assert vocab.pattern.search(text), spelling
        assert any(map(lowered(text).__contains__, vocab.meaning)), spelling
    found = [
        Finding(type="area_for_improvement", text=finding, evidence=finding, start=6, end=6 + len(finding))
    ]
    mark_statuses(f"AFI 1\t{finding}\t{word.title()}\n", found, "pcc_response")
    assert found[0].stated is not None and found[0].stated.word == word.title()
