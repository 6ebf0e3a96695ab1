"""Extraction time grows linearly with the document: over-long sentences are read in pieces, a
sentence full of grade words in bounded slices, and a document's running-text grades up to a cap.
These tests pin what is read, not how fast (speed is measured by benchmarks/bench_pathological.py)."""

from __future__ import annotations

import random

from peelwatch.extract import extract_bytes
from peelwatch.extract.grades import GradeMention, grade_mentions
from peelwatch.extract.judgments import (
    MAX_GRADES_PER_DOCUMENT,
    MAX_GRADES_PER_SENTENCE,
    _bounded,
    _span_index,
    units,
)
from peelwatch.extract.relations import Context, words
from peelwatch.extract.text import MAX_SENTENCE_CHARS, flat_sentences, flatten
from peelwatch.extract.tokens import tokenize

SENTENCE = "Kent Police is good at protecting vulnerable people."


def _facts(text: str) -> set[tuple[str, str]]:
    result = extract_bytes(text.encode(), "doc.txt")
    return {(j.subject, j.grade) for j in result.judgments}


def test_a_sentence_repeated_without_spaces_gives_what_one_copy_gives() -> None:
    one = _facts(SENTENCE)
    assert one == {("protecting vulnerable people", "good")}
    assert _facts(SENTENCE * 1600) == one


def test_a_sentence_over_the_limit_is_read_in_pieces_that_cover_it() -> None:
    text = "the force is good at preventing crime and " * 200  # no full stop: one "sentence"
    flat = flatten(text)
    pieces = list(flat_sentences(flat))
    assert len(pieces) > 1
    assert all(len(p.text) <= MAX_SENTENCE_CHARS for p in pieces)
    assert " ".join(p.text for p in pieces) == flat.text.strip()
    for p in pieces:  # each piece still maps back to its own words in the source
        assert text[p.start : p.end] == p.text


def test_sentences_under_the_limit_are_untouched() -> None:
    long = "Words " + "word " * 300 + "end."  # 1,515 characters
    text = "First it was good. " + long
    assert [s.text for s in flat_sentences(flatten(text))] == ["First it was good.", long]


def test_a_sentence_full_of_grade_words_is_read_in_slices_holding_every_grade() -> None:
    text = "Good outstanding adequate " * 60
    (unit,) = list(units(text, len(text)))
    parts = list(_bounded(unit, lambda t: (tokenize(t), grade_mentions(tokenize(t)))))
    assert len(parts) > 1
    assert all(len(grades) <= MAX_GRADES_PER_SENTENCE for _, _, grades in parts)
    assert sum(len(grades) for _, _, grades in parts) == 180
    for part, _, _ in parts:
        assert text[part.start : part.end] == part.text


def test_grades_past_the_document_cap_are_counted_in_a_warning() -> None:
    per_line = "Northshire Police is good at preventing crime and outstanding at responding.\n\n"
    lines = MAX_GRADES_PER_DOCUMENT // 2 + 50
    result = extract_bytes((per_line * lines).encode(), "doc.txt")
    assert ("preventing crime", "good") in {(j.subject, j.grade) for j in result.judgments}
    assert any("grade expressions in running text not read" in w for w in result.warnings)


def test_an_ordinary_document_has_no_such_warning() -> None:
    result = extract_bytes((SENTENCE + "\n\n").encode() * 10, "doc.txt")
    assert not any("not read" in w for w in result.warnings)


def test_a_repeated_sentence_reads_like_the_same_sentences_apart() -> None:
    glued = extract_bytes((SENTENCE * 50).encode(), "glued.txt")
    apart = extract_bytes(("\n\n".join([SENTENCE] * 50)).encode(), "apart.txt")
    assert [(j.subject, j.grade, j.rule) for j in glued.judgments] == [
        (j.subject, j.grade, j.rule) for j in apart.judgments
    ]


def test_the_span_index_agrees_with_looking_at_every_span() -> None:
    rng = random.Random(7)
    for _ in range(50):
        spans = [
            (a, a + rng.randint(0, 30)) for a in (rng.randint(0, 500) for _ in range(rng.randint(0, 40)))
        ]
        inside = _span_index(spans)
        for pos in range(0, 540, 3):
            assert inside(pos) == any(a <= pos < b for a, b in spans)


def test_a_sentences_running_counts_agree_with_looking_at_every_span() -> None:
    """A grade's relations ask of many spans whether a grade or a quotation mark lies in them and
    where their clause begins; the sentence's running counts answer as a scan of the span would."""
    text = (
        "The force is good at protecting vulnerable people and requires improvement in investigating "
        "crime; ‘legitimacy’ was rated outstanding, but the force was inadequate (in 2019) at: managing "
        "offenders, which is good whereas efficiency was adequate."
    )
    toks = tokenize(text)
    ctx = Context(text, toks, grade_mentions(toks))
    assert len(ctx.grades) >= 5
    n = len(toks)
    openers = words().clause_openers
    for a in range(-2, n + 2):
        for b in range(-2, n + 2):
            quote_or_semicolon = any(t.is_quote or t.text == ";" for t in toks[a:b])
            assert ctx.holds_quote_or_semicolon(a, b) == quote_or_semicolon
            if a < b:
                assert ctx.holds_grade(a, b) == any(g.i < b and a < g.j for g in ctx.grades)
    for k in range(-1, n + 1):
        scanned = next(
            (
                x + 1
                for x in range(k - 1, -1, -1)
                if toks[x].text in {":", "(", ")"} or toks[x].low in openers
            ),
            0,
        )
        assert ctx.clause_start(k) == scanned
    # a relation may put other grades in the context: the counts follow them
    ctx.grades = [GradeMention("good", 3, 5)]
    assert [ctx.holds_grade(a, a + 1) for a in range(7)] == [False, False, False, True, True, False, False]
