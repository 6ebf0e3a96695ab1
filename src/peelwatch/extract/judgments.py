"""Graded judgments stated in running text, found by relation (see :mod:`.relations`).

The engine walks the document's sentences (a bulleted line is a sentence of its own), finds
every grade expression, drops those a precision rule rules out (negated, hypothetical, about
forces in general or another force, in a grade-definitions annex, "not yet graded"), and asks
the relations in turn to tie each remaining grade to its subjects. A grade no relation ties is
kept, with the reason, for ``peelwatch extract --explain``.

Layout judgments (grade tables, "Subject: Good" lines, grade headings over lists) live in
:mod:`.layout`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, pairwise

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.cues import lowered
from peelwatch.extract.force import force_mentions
from peelwatch.extract.grades import GradeMention, grade_matcher, grade_mentions, may_hold_grade
from peelwatch.extract.layout import bullets_after
from peelwatch.extract.raw import RawJudgment, RawUnattached
from peelwatch.extract.relations import (
    RELATIONS,
    Attached,
    Context,
    Unattached,
    grade_as_was,
    grade_then_subjects,
    why_not,
    words,
)
from peelwatch.extract.subjects import graded_pillar_keys, matcher
from peelwatch.extract.text import Sentence, flat_sentences, flatten
from peelwatch.extract.tokens import BULLETS, Token, tokenize
from peelwatch.framework import PILLARS
from peelwatch.framework.vocabulary import load_vocabulary


@dataclass
class DocumentContext:
    """What the sentence relations need to know about the whole document."""

    source: str
    cycle: str | None = None
    force: str | None = None
    inspectorate: bool = False  # the inspectorate's own document (kind inspection_report)
    pillar: str | None = None  # the one pillar the document is about ("PEEL: Police efficiency 2016")
    taken: list[tuple[int, int]] = field(default_factory=list)  # spans already read by a layout rule
    annex: int | None = None  # where a grade-definitions annex begins (default: found here)
    skipped_grades: int = 0  # grade expressions past MAX_GRADES_PER_DOCUMENT, not read (set here)


_DEFINITIONS = lazy_compile(
    r"^[ \t]*(?:annex\b[^\n]*judg|[^\n]{0,40}\bjudg(?:e)?ment\s+categories\b|[^\n]{0,40}\bgrade\s+definitions\b|"
    r"[^\n]{0,30}\bhow\s+we\s+(?:grade|reach\s+our\s+judge?ments))",
    re.I | re.M,
)


def definitions_start(source: str) -> int:
    """Where an annex defining the grades begins (its sentences describe grades, not the force).

    The last such heading counts: the first is often the contents list ("Annex A – HMIC
    judgments 22"). "Our judgments" alone heads the grades themselves, not their definitions."""
    low = source.lower()
    # cheap test first: most documents have no such annex ("how we" must go on to "grade" or
    # "reach", or "How well does the force …" on every page would run the pattern)
    if not (
        any(map(low.__contains__, ("annex", "categories", "definitions")))
        or ("how we" in low and ("grade" in low or "reach" in low))
    ):
        return len(source)
    last = None
    for last in _DEFINITIONS.finditer(source):  # noqa: B007 - the last match is the one wanted
        pass
    return last.start() if last else len(source)


# ----------------------------------------------------------------------------- sentences


_BULLET_START = lazy_compile(rf"^[ \t]*(?:[{re.escape(BULLETS)}]|[-–](?=\s)|\d{{1,2}}[.)](?=\s))")
# a full stop, then a capital; or a word's full stop run into the next sentence's capitalised word
# with no space ("people.Kent Police"), as text copied from some PDFs has it
_SENTENCE_END = lazy_compile(r"(?<=[.!?])[’”\"']?\s+(?=[A-Z‘“\"'(])|(?<=[a-z]{3}\.)(?=[A-Z][a-z]{2})")


def units(source: str, end: int, trigger: re.Pattern[str] | None = None) -> Iterator[Sentence]:
    """The sentences of ``source[:end]``: paragraphs split at blank lines and at bulleted lines,
    then at a full stop followed by a capital. With ``trigger``, only paragraphs it matches in
    once lower-cased (see :func:`~peelwatch.extract.cues.lowered`)."""
    for block_start, block_end in _blocks(source, end):
        if trigger is not None and not trigger.search(lowered(source[block_start:block_end])):
            continue  # most paragraphs hold no grade word at all: not worth cutting into sentences
        # bulleted lines already start blocks of their own; mid-line, a dash or bullet after a
        # full stop stays in the sentence
        yield from flat_sentences(flatten(source[block_start:block_end], block_start), _SENTENCE_END)


def _blocks(source: str, end: int) -> Iterator[tuple[int, int]]:
    """Spans of paragraphs, a bulleted line starting a block of its own."""
    start = None
    pos = 0
    while pos < end:
        nl = source.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        line = source[pos:line_end]
        if not line.strip():
            if start is not None:
                yield start, pos
                start = None
        elif start is None:
            start = pos
        elif _BULLET_START.match(line):
            yield start, pos
            start = pos
        pos = line_end + 1
    if start is not None:
        yield start, end


# ----------------------------------------------------------------------------- the engine


@lru_cache(maxsize=1)
def _trigger() -> re.Pattern[str]:
    """Any word a sentence needs for the engine to read it: a grade word, "improvement" (weak
    grades), "same" (the same grade), "graded" or "narrative" (ungraded statements). It looks in
    lower-cased text, case-sensitive and anywhere in a word: a quick test, which the rules after
    it make exact."""
    words = {w for ws in load_vocabulary().grade_words.values() for w in ws for w in w.split()[:1]}
    words |= {"improvement", "same", "graded", "narrative"}
    return lazy_compile("|".join(sorted(re.escape(w.lower()) for w in words)))


def may_judge(source: str) -> bool:
    """Whether ``source`` holds, anywhere, every word of a grade phrase (weak grades included), of
    a "the same grade" phrase or of a statement that a subject is not graded: without, neither the
    sentence rules here nor the layout rules (:mod:`.layout`, whose grades are grade phrases) can
    read a judgment in it. A quick test on the whole text, which spares a document with no grade
    word at all (a tracker of findings, a force's action plan) reading every paragraph and line
    for one."""
    low = lowered(source)
    straight = low.replace("’", "'") if "’" in low else low
    if may_hold_grade(straight) or _may_say_same_grade(straight):
        return True
    return any(all(map(low.__contains__, s.split())) for s in load_vocabulary().ungraded_statements)


def sentence_judgments(doc: DocumentContext) -> tuple[list[RawJudgment], list[RawUnattached]]:
    """Every judgment the relations find in running text, and every grade left unattached."""
    source = doc.source
    annex = definitions_start(source) if doc.annex is None else doc.annex
    gm = grade_matcher()
    vocab = load_vocabulary()
    out: list[RawJudgment] = []
    loose: list[RawUnattached] = []
    taken = _span_index(doc.taken)
    read = 0
    doc.skipped_grades = 0
    # A sentence that comes again (a repeated paragraph, a hostile copy-paste) reads the same: its
    # tokens and its grades' relations are worked out once per pass. Only the text decides them
    # (the document's cycle, force and pillar are fixed for the pass), and which of its grades a
    # layout rule already read, which is part of the key.
    tokens_read: dict[str, tuple[Sequence[Token], list[GradeMention]]] = {}
    relations_read: dict[tuple[str, tuple[bool, ...]], list[Attached | Unattached | None]] = {}

    def reading(text: str) -> tuple[Sequence[Token], list[GradeMention]]:
        found = tokens_read.get(text)
        if found is None:
            toks = tokenize(text)
            found = (toks, grade_mentions(toks))
            if len(tokens_read) < _MEMO_SENTENCES:
                tokens_read[text] = found
        return found

    for unit in units(source, annex, _trigger()):
        low = unit.text.lower()
        if any(map(low.__contains__, vocab.ungraded_statements)):
            out.extend(_ungraded(unit, source))
            continue
        if "improvement" not in low and "same" not in low and not gm.pattern.search(unit.text):
            continue
        straight = low.replace("’", "'")
        if not may_hold_grade(straight) and not _may_say_same_grade(straight):
            continue  # no grade phrase nor "the same grade" in its words: not worth tokenising
        if gm.pending.search(unit.text):
            continue  # (after the quick tests above, which turn away more sentences sooner)
        for part, toks, grades in _bounded(unit, reading):
            if not grades and not _may_say_same_grade(straight):
                continue  # no grade, nor "the same grade": nothing to relate
            if read + len(grades) > MAX_GRADES_PER_DOCUMENT:
                doc.skipped_grades += read + len(grades) - MAX_GRADES_PER_DOCUMENT
            wanted = grades[: max(0, MAX_GRADES_PER_DOCUMENT - read)]
            read += len(wanted)
            # grades read by a layout rule (a table row, a "Subject: Good" line) are skipped; with
            # no layout judgments every grade is free, and no grade's offset is needed yet
            if doc.taken:
                free = tuple(not taken(part.to_source(toks[g.i].start)) for g in wanted)
            else:
                free = (True,) * len(wanted)
            key = (part.text, free)
            ctx = None
            outcomes = relations_read.get(key)
            if outcomes is None:
                ctx = _context(doc, part.text, toks, grades)
                if not grades:
                    out.extend(_same_grade(ctx, part, out))
                    continue
                outcomes = [_attach(ctx, g) if ok else None for g, ok in zip(wanted, free, strict=True)]
                if len(relations_read) < _MEMO_SENTENCES:
                    relations_read[key] = outcomes
            part_span: tuple[int, int] | None = None  # (its grades' evidence: worked out once)
            for g, ok, found in zip(wanted, free, outcomes, strict=True):
                if not ok:
                    continue
                if isinstance(found, Attached) and found.rule == "grade-then-bullets":
                    out.extend(bullets_after(source, part.to_source(len(part.text) - 1), g.grade))
                elif isinstance(found, Attached):
                    part_span = part_span or _source_span(part)
                    out.extend(_emit(toks, part, g, found, part_span))
                else:
                    if g.grade == "good" and not g.quoted and found is None:
                        continue  # everyday "good" ("a good service") with no relation at all: not worth a note
                    g_start = part.to_source(toks[g.i].start)
                    g_end = part.to_source(toks[g.j - 1].end - 1) + 1
                    loose.append(
                        RawUnattached(g.grade, g_start, g_end, found.reason if found else "no relation")
                    )
    return out, loose


# The most grade expressions read in one sentence. Each grade's relations look at the other grades
# and tokens of its sentence, so a sentence made of grade words ("Good Good Good …") costs grades
# squared. Real sentences hold at most a dozen (13 in the densest seen); a sentence with more is
# read in pieces holding this many, cut halfway between two grades.
MAX_GRADES_PER_SENTENCE = 40

# The most grade expressions in running text read in one document. Relating a grade to its subjects
# costs a fraction of a millisecond, so a document made of grade words ("Good Good Good …", 200,000
# to the megabyte) would take a minute. The fullest document seen holds 69; a national summary of
# 43 forces in nine areas would hold under 400. Past this many, the rest are counted, not read, and
# the extraction says so in a warning.
MAX_GRADES_PER_DOCUMENT = 2000


_MEMO_SENTENCES = 20_000  # distinct sentences remembered per pass (memory stays bounded)


def _context(doc: DocumentContext, text: str, toks: Sequence[Token], grades: list[GradeMention]) -> Context:
    return Context(
        text,
        toks,
        grades,
        cycle=doc.cycle,
        doc_pillar=doc.pillar,
        force_spans=_force_spans(text, toks),
        doc_force=doc.force,
        inspectorate=doc.inspectorate,
    )


def _bounded(
    unit: Sentence, reading: Callable[[str], tuple[Sequence[Token], list[GradeMention]]]
) -> Iterator[tuple[Sentence, Sequence[Token], list[GradeMention]]]:
    """The sentence with its tokens and grades (from ``reading``), or, over
    :data:`MAX_GRADES_PER_SENTENCE` grades, its pieces with theirs."""
    toks, grades = reading(unit.text)
    if len(grades) <= MAX_GRADES_PER_SENTENCE:
        yield unit, toks, grades
        return
    cuts = [0]
    for k in range(MAX_GRADES_PER_SENTENCE, len(grades), MAX_GRADES_PER_SENTENCE):
        cuts.append(toks[(grades[k - 1].j + grades[k].i) // 2].start)
    cuts.append(len(unit.text))
    for a, b in pairwise(cuts):
        piece = unit.text[a:b]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            part = Sentence(piece, unit.flat, unit.flat_start + a + lead)
            yield (part, *reading(piece))


def _span_index(spans: Sequence[tuple[int, int]]) -> Callable[[int], bool]:
    """A test whether an offset lies in any of ``spans``, in log time: a document with thousands
    of layout judgments must not make every grade scan them all."""
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach = list(accumulate((b for _, b in ordered), max))  # furthest end among spans so far

    def inside(pos: int) -> bool:
        i = bisect_right(starts, pos)
        return i > 0 and reach[i - 1] > pos

    return inside


def _attach(ctx: Context, g: GradeMention) -> Attached | Unattached | None:
    reason = why_not(ctx, g)
    if reason:
        return Unattached(reason)
    last: Unattached | None = None
    for relation in RELATIONS:
        found = relation(ctx, g)
        if isinstance(found, Attached):
            shared = grade_as_was(ctx, g)  # "… was rated adequate, as was its support of the workforce"
            if isinstance(shared, Attached):
                found.subjects += shared.subjects
            return found
        if isinstance(found, Unattached):
            if found.final:
                return found
            last = last or found
    return last


def _source_span(unit: Sentence) -> tuple[int, int]:
    return unit.flat.source_span(unit.flat_start, unit.flat_start + len(unit.text))


def _emit(
    toks: Sequence[Token],
    unit: Sentence,
    g: GradeMention,
    found: Attached,
    span: tuple[int, int] | None = None,
) -> Iterator[RawJudgment]:
    """The judgments of one attached grade; ``span`` is the sentence's source span, when known."""
    ev_s, ev_e = span or _source_span(unit)
    for subject, a, _b in found.subjects:
        sub_s = unit.to_source(toks[a].start) if a < len(toks) else ev_s
        yield RawJudgment(subject.strip(), g.grade, ev_s, ev_e, sub_s, rule=found.rule)


def _force_spans(text: str, toks) -> list[tuple[int, int, str]]:
    """Token spans of force names in a sentence."""
    out = []
    by_start = {t.start: k for k, t in enumerate(toks)}
    by_end = {t.end: k for k, t in enumerate(toks)}
    for s, e, name in force_mentions(text):
        a = by_start.get(s)
        b = by_end.get(e)
        if b is None:  # "Police’s": the possessive is part of the last token
            b = next((k for k, t in enumerate(toks) if t.start < e <= t.end), None)
        if a is not None and b is not None:
            out.append((a, b + 1, name))
    return out


@lru_cache(maxsize=1)
def _same_grade_words() -> tuple[tuple[str, ...], ...]:
    return tuple({words for words in (w for ws in words().same_grade.by_first.values() for w in ws)})


def _may_say_same_grade(low: str) -> bool:
    """Whether a lower-cased sentence (straight apostrophes) holds every word of a "the same grade"
    phrase (a quick test before :func:`_same_grade`)."""
    return any(all(map(low.__contains__, phrase)) for phrase in _same_grade_words())


def _same_grade(ctx: Context, unit: Sentence, so_far: Sequence[RawJudgment]) -> Iterator[RawJudgment]:
    """ "The same grade was given for building, supporting and protecting its workforce": the
    grade of the judgment just before."""
    if not so_far:
        return
    w = words()
    at = next((k for k in range(len(ctx.toks)) if w.same_grade.match_at(ctx.toks, k) >= 3), None)
    if at is None:
        return
    end = at + w.same_grade.match_at(ctx.toks, at)
    # "the same grade was given for A": past the verb to the preposition
    prep = next(
        (x for x in range(end, min(len(ctx.toks), end + 5)) if w.prepositions.match_at(ctx.toks, x)), None
    )
    if prep is None:
        return
    fake = GradeMention(so_far[-1].grade, at, prep)
    ctx.grades = [fake]
    found = grade_then_subjects(ctx, fake)
    if isinstance(found, Attached):
        for j in _emit(ctx.toks, unit, fake, found):
            j.rule = "same-grade"
            yield j


_PILLAR_WORD = lazy_compile(rf"\b({'|'.join(PILLARS)})\b")


def _ungraded(unit: Sentence, source: str) -> list[RawJudgment]:
    """A sentence saying outright that something got no grade: "Leadership is not graded", "a
    narrative rather than graded judgment" (the pillar named, else the pillar of the heading just
    before), "This question has not been inspected or graded" (the question heading just before)."""
    low = unit.text.lower()
    start = unit.to_source(0)
    found = _PILLAR_WORD.findall(low)
    subject = found[0].capitalize() if found else None
    if subject is None and "narrative" in low:
        found = _PILLAR_WORD.findall(source[max(0, start - 400) : start].lower())[-1:]
        subject = found[0].capitalize() if found else None
    if subject is None and re.search(r"\bth(?:is|at) (?:question|area|part|element|aspect)\b", low):
        subject = _heading_before(source, start)
    if subject is None:
        return []
    ev_s, ev_e = unit.flat.source_span(unit.flat_start, unit.flat_start + len(unit.text))
    return [RawJudgment(subject, "ungraded", ev_s, ev_e, ev_s, rule="ungraded-statement")]


def _heading_before(source: str, pos: int) -> str | None:
    """The nearest line before ``pos`` (within a few lines) that is a question of the framework."""
    lines_before = source[max(0, pos - 1500) : pos].splitlines()[-8:]
    for line in reversed(lines_before):
        text = line.strip()
        if text.endswith("?") and len(text.split()) <= 30 and matcher().match(text):
            return text
    return None


# ----------------------------------------------------------------------------- the document


def document_pillar(source: str, title: str | None = None) -> str | None:
    """The one pillar a document is about, from its title or opening ("PEEL: Police efficiency
    2016", "our effectiveness inspection"), or None when it names none, or several in the same
    stretch (a document naming "effectiveness, efficiency and legitimacy" is about all of PEEL).
    The title and first lines are read first, then the first page."""
    for head in (f"{title or ''}\n{source[:400]}", source[:1500]):
        found = _one_pillar(head)
        if found:
            return found
    return None


def _one_pillar(head: str) -> str | None:
    pillars = graded_pillar_keys()
    # most openings name no pillar at all: a substring test spares cutting them into tokens
    low = head.lower()
    if not any(pillar in low for pillar in pillars):
        return None
    # "police effectiveness, efficiency and legitimacy" names PEEL itself, not one pillar
    head = re.sub(r"(?i)effectiveness,?\s+efficiency,?\s+(?:and\s+)?legitimacy", " ", head)
    head = re.sub(r"(?i)efficiency,?\s+effectiveness,?\s+(?:and\s+)?legitimacy", " ", head)
    toks = tokenize(head)
    reports = words().report_nouns
    if len({t.low for t in toks if t.low in pillars}) != 1:
        return None
    for k, t in enumerate(toks):
        if t.low in pillars:
            before = toks[k - 1].low if k else ""
            if before in {"police", "peel", ":"} or reports.match_at(toks, k + 1):
                return t.low
    return None
