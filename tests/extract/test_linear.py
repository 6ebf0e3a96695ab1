"""Extraction time grows linearly with the document: over-long sentences are read in pieces, a
sentence full of grade words in bounded slices, and a document's running-text grades up to a cap.
These tests pin what is read, not how fast (speed is measured by benchmarks/bench_pathological.py)."""

from __future__ import annotations

import random
from dataclasses import replace

from peelwatch.extract import extract_bytes
from peelwatch.extract.finding_stage import _LONE_NUMBER, SubjectMatcher
from peelwatch.extract.findings import RawFinding, _stems, dedupe_findings
from peelwatch.extract.grades import GradeMention, grade_mentions
from peelwatch.extract.judgments import (
    MAX_GRADES_PER_DOCUMENT,
    MAX_GRADES_PER_SENTENCE,
    _bounded,
    _span_index,
    units,
)
from peelwatch.extract.relations import Context, words
from peelwatch.extract.responses import _latest, _run_starts, first_of_run
from peelwatch.extract.text import MAX_SENTENCE_CHARS, Flat, flat_sentences, flatten, norm
from peelwatch.extract.tokens import tokenize
from peelwatch.framework import load_framework
from peelwatch.framework._text import subject_words

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


def _dedupe_by_scanning(findings: list[RawFinding], source: str) -> tuple[list[RawFinding], dict[int, int]]:
    """The rule :func:`dedupe_findings` follows, comparing each finding with every kept one."""
    kept: list[RawFinding] = []
    keys: list[str] = []
    remap: dict[int, int] = {}
    for idx, f in enumerate(findings):
        key = norm(source[f.start : f.end])[:160]
        hit = next(
            (
                k
                for k, other in enumerate(keys)
                if kept[k].type == f.type
                and (other == key or (len(key) > 40 and (key in other or other in key)))
            ),
            None,
        )
        if hit is None:
            stems = _stems(key)
            for k, other in enumerate(keys):
                if (
                    kept[k].type != f.type
                    or len(other.split()) > 15
                    or len(key.split()) <= len(other.split())
                ):
                    continue
                short = _stems(other)
                if len(short) >= 4 and len(short & stems) >= 0.7 * len(short):
                    kept[k] = replace(f, ref=f.ref or kept[k].ref)
                    keys[k] = key
                    hit = k
                    break
        if hit is None:
            remap[idx] = len(kept)
            kept.append(f)
            keys.append(key)
        else:
            remap[idx] = hit
    return kept, remap


def _restated_findings(rng: random.Random, n: int) -> tuple[list[RawFinding], str]:
    """``n`` findings that restate each other every way the rule knows: the same words, words held
    in a longer finding, a short mention later given in full, and unrelated ones."""
    words = [
        "force",
        "should",
        "improve",
        "crime",
        "records",
        "victims",
        "review",
        "area",
        "county",
        "demand",
        "supervision",
    ]
    texts: list[str] = []
    for k in range(n):
        roll = rng.random()
        if texts and roll < 0.2:
            text = rng.choice(texts)  # said again
        elif texts and roll < 0.4:
            other = rng.choice(texts)  # a piece of an earlier one, or an earlier one inside more words
            a = rng.randrange(len(other))
            text = (
                other[a : a + rng.randint(5, 70)]
                if rng.random() < 0.5
                else f"{rng.choice(words)} {other} {k}"
            )
        elif texts and roll < 0.55:
            other = rng.choice(texts)  # a short mention given in full later
            text = f"{other} and {' '.join(rng.sample(words, 3))}"
        elif roll < 0.65:
            text = rng.choice(["AFI 1", "Act now", "Review"])  # too short for a piece
        else:
            text = " ".join(rng.choices(words, k=rng.randint(3, 20))) + f" number {rng.randint(0, 30)}"
        texts.append(text.strip() or "review")
    spans, source = _paragraphs(texts)
    findings = [
        RawFinding(
            rng.choice(["area_for_improvement", "recommendation"]),
            a,
            b,
            "test",
            ref=str(k) if k % 3 else None,
        )
        for k, (a, b) in enumerate(spans)
    ]
    return findings, source


def test_restated_findings_are_merged_as_comparing_with_every_kept_one_merges_them() -> None:
    """Past a few dozen kept findings, a finding is compared only with those its words can
    restate, found through an index; what is merged is what comparing with every one merges."""
    rng = random.Random(11)
    for n in (10, 80, 300, 300, 600):
        findings, source = _restated_findings(rng, n)
        assert dedupe_findings(list(findings), source) == _dedupe_by_scanning(list(findings), source)


def _paragraphs(texts: list[str]) -> tuple[list[tuple[int, int]], str]:
    """``texts`` as one source, a blank line between them, and where each one lies in it."""
    spans, pos = [], 0
    for text in texts:
        spans.append((pos, pos + len(text)))
        pos += len(text) + 2
    return spans, "\n\n".join(texts)


def _oddly_worded_findings(rng: random.Random, n: int) -> tuple[list[RawFinding], str]:
    """Findings whose words do not tell them apart, or hardly have words: the same few words with
    a number at either end, one long run of letters, over 160 characters (cut mid-word or just
    after a space), mixed with pieces and restatements of each other."""
    common = ["the", "force", "should", "crime", "area"]
    texts: list[str] = []
    for _ in range(n):
        roll = rng.random()
        filler = " ".join(rng.choices(common, k=rng.randint(1, 12)))
        if texts and roll < 0.25:
            other = rng.choice(texts)
            a = rng.randrange(len(other))
            text = other[a : a + rng.randint(3, 90)]  # a piece, starting and ending mid-word
        elif texts and roll < 0.35:
            text = f"{rng.choice(common)} {rng.choice(texts)} {rng.choice(common)}"
        elif roll < 0.5:
            text = f"{rng.randint(0, 40)} {filler}"  # what tells it apart is its first word
        elif roll < 0.6:
            text = f"{filler} {rng.randint(0, 40)}"  # … or its last
        elif roll < 0.7:
            text = "x" * rng.randint(30, 60) + str(rng.randint(0, 9))  # one long word
        elif roll < 0.8:
            text = f"{'ab' * rng.randint(15, 30)} {rng.randint(0, 99)}x"  # two words, one long
        elif roll < 0.9:
            text = " ".join(rng.choices(common, k=40))[: rng.choice([159, 160, 161, 170])]
        else:
            text = f"{filler} improve records victims review county {rng.randint(0, 9)}"
        texts.append(text.strip() or "review")
    spans, source = _paragraphs(texts)
    findings = [
        RawFinding(rng.choice(["area_for_improvement", "recommendation"]), a, b, "test") for a, b in spans
    ]
    return findings, source


def test_findings_whose_words_do_not_tell_them_apart_are_merged_as_comparing_with_each_merges_them() -> None:
    """The index looks a key up by its words where they tell kept keys apart, and by pieces of
    characters where they do not (common words only, one or two long words, words cut at either
    end); either way what is merged is what comparing with every kept one merges."""
    rng = random.Random(3)
    for n in (100, 400, 400, 900):
        findings, source = _oddly_worded_findings(rng, n)
        assert dedupe_findings(list(findings), source) == _dedupe_by_scanning(list(findings), source)


def test_an_answer_finds_the_finding_before_it_and_the_first_of_its_run_as_a_walk_back_does() -> None:
    """An answer goes to the latest finding before it, then back to the first of the run of
    findings in adjacent blocks it ends; worked out once for all findings, as walking back gives."""
    rng = random.Random(5)
    findings, block = [], 0
    for _ in range(400):
        block += rng.choice([0, 1, 1, 2, 3])
        last = block + rng.choice([0, 0, 1])
        findings.append(
            RawFinding("recommendation", 10 * block, 10 * last + 5, "test", None, None, block, last)
        )
        block = last
    rng.shuffle(findings)
    order = sorted(range(len(findings)), key=lambda j: findings[j].start)
    run_start = _run_starts(findings)
    for i in range(len(findings)):
        pos = order.index(i)
        while pos > 0 and findings[order[pos]].first_block <= findings[order[pos - 1]].last_block + 1:
            pos -= 1
        assert run_start(i) == first_of_run(findings, i) == order[pos]
    last_by_block = sorted((f.last_block, i) for i, f in enumerate(findings))
    for k in range(-1, block + 3):
        before = [i for last, i in last_by_block if last < k]
        assert _latest(last_by_block, k) == (before[-1] if before else None)


def test_findings_differing_only_in_numbers_are_matched_to_a_subject_once_and_as_each_alone() -> None:
    """Thousands of findings "… in area 1", "… in area 2" name one subject: the match is made once
    for the words with their lone numbers set aside, and gives what matching each phrase gives."""
    fw = load_framework()
    rng = random.Random(13)
    pieces = [
        "The force should improve how it investigates crime",
        "protecting vulnerable people",
        "responding to the public",
        "in area",
        "Question",
        "x2",
        "2nd",
        "1.2",
        "(3)",
        "5's",
        "a-7-b",
        "co-op",
        "²5",
        "year 2023/24",
        "“managing offenders”",
        "victims’",
        "&",
        ";",
        "-",
        "'",
        "é9",
    ]
    phrases = []
    for _ in range(400):
        words = rng.choices(pieces, k=rng.randint(1, 6))
        numbers = [str(rng.randint(0, 3000)) for _ in range(rng.randint(0, 3))]
        joined = rng.choice([" ", "", ". ", "-", "'"]).join(rng.sample(words + numbers, len(words + numbers)))
        phrases.append(joined)
    matcher = SubjectMatcher()
    for phrase in phrases:
        assert matcher(phrase) == fw.match_subject(phrase)
        # what makes that so: setting lone numbers aside leaves the subject words as they were
        assert subject_words(_LONE_NUMBER.sub("0", phrase)) == subject_words(phrase)
    assert matcher("improve how it investigates crime in area 12.") == fw.match_subject(
        "improve how it investigates crime in area 3."
    )


def test_text_that_folding_leaves_as_it_was_maps_offsets_as_the_map_does() -> None:
    """A block of one line with single spaces is its own folded text: its offsets map back to the
    source without building the map, and to the same places the map gives (past either end too)."""
    rng = random.Random(17)
    for _ in range(300):
        raw = "".join(rng.choices(["ab", "c", " ", "  ", "\n", "\t", "\u00a0", "é"], k=rng.randint(0, 12)))
        base = rng.randint(0, 50)
        flat, mapped = Flat(raw, base), Flat(raw, base)
        mapped._same = False  # always through the map
        for pos in range(-3, len(raw) + 4):
            assert flat.to_source(pos) == mapped.to_source(pos)
    assert Flat("one line", 10).to_source(4) == 14 and Flat("one\nline", 10).to_source(4) == 14
