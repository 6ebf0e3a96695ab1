"""Subject mentions: when a phrase names a pillar, question or area of the framework, and how a
list of them is cut. Phrases are written for these tests."""

from __future__ import annotations

import pytest
from rapidfuzz.fuzz import ratio

from peelwatch.extract.coordination import split_list
from peelwatch.extract.grades import grade_mentions
from peelwatch.extract.relations import Context, subject_fit
from peelwatch.extract.subjects import classify, content_stems, matcher, same_stem, similar
from peelwatch.extract.tokens import tokenize


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("investigating crime", "investigating-crime"),
        ("its investigation of crime", "investigating-crime"),  # another inflection, another order
        ("the way it investigates offending", "investigating-crime"),
        ("investgating crime", "investigating-crime"),  # a typo
        ("protection of vulnerable people", "protecting-vulnerable-people"),
        ("Preventing crime and ASB", "preventing-crime"),  # an abbreviation
        ("its crime recording processes", "crime-recording"),  # a noun that adds nothing
        ("Dorset Police's call handling", "responding-to-the-public"),  # a force's name adds nothing
        ("building, supporting and protecting the workforce", "workforce"),
        ("police powers and public treatment", "treatment-of-the-public"),
        ("How well does the force plan for the future?", "planning-for-the-future"),
    ],
)
def test_a_paraphrase_names_its_framework_subject(phrase: str, key: str) -> None:
    found = matcher().match(phrase)
    assert found is not None and found.subject.key == key


@pytest.mark.parametrize(
    "phrase",
    [
        "crime",  # one common word names no subject
        "planning",  # one word must be a whole name
        "working with local schools on road safety",
        "the quality of its files in the more complex cases",
        "assessing intelligence",
        "the public",
    ],
)
def test_everyday_phrases_name_nothing(phrase: str) -> None:
    assert matcher().match(phrase) is None


def test_the_documents_cycle_picks_the_subject_of_that_cycle() -> None:
    found = matcher().match("Investigating crime", "2016")
    assert found is not None and matcher().in_cycle(found, "2016").cycle == "2016"


def test_stems_meet_across_inflections_and_typos() -> None:
    assert content_stems("How effective is the force at investigating crime?") == (
        "effect",
        "forc",  # a word in every question: it weighs almost nothing
        "investig",
        "crime",
    )
    assert same_stem("legitim", "legitimaci") and same_stem("effect", "effecitv")
    assert not same_stem("effect", "effici")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("effect", "effecitv"),  # a typo apart
        ("legitimaci", "legitmaci"),
        ("effect", "effici"),  # different words sharing letters
        ("prevent", "crime"),
        ("abcab", "bacba"),  # every letter shared, in another order
        ("", ""),
        ("a", ""),
    ],
)
@pytest.mark.parametrize("score", [85, 88])
def test_similar_answers_as_the_fuzzy_ratio_does(a: str, b: str, score: int) -> None:
    # (it only skips computing the ratio where the letters two words share rule it out)
    assert similar(a, b, score) is (ratio(a, b) >= score)


def test_a_one_line_document_is_extracted_without_loading_rapidfuzz(fresh_python) -> None:
    # loading it is a tenth of a short command's start-up; the words of one line need no ratio
    code = (
        "import sys; from peelwatch.extract import extract_bytes; "
        "extract_bytes(b'Kent Police was rated good at preventing crime.', 'a.txt'); "
        "print('rapidfuzz' in sys.modules)"
    )
    assert fresh_python(code) == "False"


@pytest.mark.parametrize(
    ("subject", "cycle", "scope", "key"),
    [
        ("Overall", "2018/19", "overall", "overall"),
        ("Efficiency", "2016", "pillar", "efficiency"),
        ("Legitimacy", "2021/22", "pillar", "legitimacy"),  # a pillar restated in a later document
        ("Investigating crime", "2023–25", "area", "investigating-crime"),
        ("Investigating crime", "2017", "question", "investigating-crime"),
        ("Something the framework never names", "2023–25", "area", None),
    ],
)
def test_classify_gives_scope_and_key(subject: str, cycle: str, scope: str, key: str | None) -> None:
    assert classify(subject, cycle) == (scope, key)


def pieces(text: str, cycle: str | None = None) -> list[str]:
    toks = tokenize(text)
    ctx = Context(text, toks, grade_mentions(toks), cycle)
    found = split_list(toks, 0, len(toks), lambda a, b: subject_fit(ctx, a, b))
    return [ctx.span_text(p.start, p.end) for p in found]


def test_a_list_is_cut_where_every_piece_names_a_subject() -> None:
    assert pieces("preventing crime, police powers and public treatment", "2023–25") == [
        "preventing crime",
        "police powers and public treatment",
    ]


def test_a_name_with_commas_and_and_is_one_piece() -> None:
    assert pieces("strategic planning, organisational management and value for money", "2021/22") == [
        "strategic planning, organisational management and value for money"
    ]


def test_the_documents_cycle_decides_an_ambiguous_and() -> None:
    # one question in 2015, two areas from 2021/22
    assert pieces("investigating crime and managing offenders", "2015") == [
        "investigating crime and managing offenders"
    ]
    assert pieces("investigating crime and managing offenders", "2021/22") == [
        "investigating crime",
        "managing offenders",
    ]


def test_the_list_ends_at_the_first_piece_that_names_nothing() -> None:
    assert pieces("protecting vulnerable people, and the way staff feel about it", "2018/19") == [
        "protecting vulnerable people"
    ]


def test_a_semicolon_list_passes_over_one_unknown_item() -> None:
    text = "preventing crime; managing orders; leadership and force management"
    assert pieces(text, "2023–25") == ["preventing crime", "leadership and force management"]
