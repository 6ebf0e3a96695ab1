"""Which framework subject a finding is about: its canonical area or question key.

A finding is tied to the framework so that a grade and the findings that explain it appear
together. The evidence is tried from the most to the least direct:

1. the heading it was listed under, when that heading names a subject ("Cause of concern:
   responding to the public");
2. its own words, when they contain every content word of one of a subject's names or
   aliases ("... how it *investigates crime*" is investigating crime);
3. the nearest heading above it in the document that names a subject (a report lists its
   areas for improvement inside the chapter of the question they belong to).

Subject names are compared through the framework's :class:`SubjectMatcher` (stems, typos,
word weights), and always in the finding's cycle when the cycle is known, so a 2015 finding
gets the key of a 2015 question.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.fuzz import ratio

from peelwatch.extract.subjects import content_stems, matcher, same_stem
from peelwatch.framework import load_framework
from peelwatch.link.recurrence import link_rules

# A subject named inside a finding's words must weigh this much ("crime" alone says nothing).
TEXT_WEIGHT_MIN = 2.0
HEADING_MAX_CHARS = 120  # a longer line is running text, not a heading
HEADING_LOOKBACK_CHARS = 20_000
SUBJECT_SCOPES = ("question", "area")


@dataclass(frozen=True, slots=True)
class AreaKey:
    """The canonical key of a finding and where it came from (``section``, ``text``, ``heading``)."""

    key: str
    source: str


@lru_cache(maxsize=16)
def _phrases(cycle: str | None) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(stems of a name or alias, key) for every question/area of ``cycle`` (all cycles if unknown)."""
    fw = load_framework()
    labels = {c.label for c in fw.cycles}
    subjects = fw.subjects(cycle) if cycle in labels else fw.subjects()
    out: list[tuple[tuple[str, ...], str]] = []
    for s in subjects:
        if s.scope not in SUBJECT_SCOPES:
            continue
        for phrase in (s.name, s.short, *s.aliases):
            stems = content_stems(phrase or "")
            if stems and (stems, s.key) not in out:
                out.append((stems, s.key))
    return tuple(out)


def _strip_label(heading: str) -> str:
    """A heading without a finding label before its subject ("Cause of concern: ...")."""
    low = heading.lower().lstrip()
    for label in link_rules().heading_labels:
        if low.startswith(label):
            rest = heading.lstrip()[len(label) :]
            if not rest or not rest[0].isalpha():
                return rest.strip(" :.-\u2013\u2014()0123456789")
    return heading


@lru_cache(maxsize=16384)  # a pure function of its arguments: headings recur in every report
def key_from_heading(heading: str | None, cycle: str | None) -> str | None:
    """The question/area key a heading names in ``cycle``, or None."""
    if not heading or len(heading) > HEADING_MAX_CHARS:
        return None
    heading = _strip_label(heading)
    if not heading:
        return None
    m = matcher()
    found = m.match(heading, cycle)
    if found is None:
        return None
    subject = m.in_cycle(found, cycle)
    return subject.key if subject.scope in SUBJECT_SCOPES else None


@lru_cache(maxsize=1)
def _phrase_stems() -> tuple[tuple[str, ...], frozenset[str], dict[str, tuple[str, ...]]]:
    """Every stem of any cycle's subject phrases, and those of five letters or more by their
    first five (two stems that extend one another or share six letters share these)."""
    labels = [c.label for c in load_framework().cycles]
    every = sorted({s for cycle in (None, *labels) for stems, _key in _phrases(cycle) for s in stems})
    by_start: dict[str, list[str]] = defaultdict(list)
    for s in every:
        if len(s) >= 5:
            by_start[s[:5]].append(s)
    return tuple(every), frozenset(every), {k: tuple(v) for k, v in by_start.items()}


@lru_cache(maxsize=65536)  # a pure function of the word; a record's vocabulary is small
def _named_stems(word: str) -> frozenset[str]:
    """The subject-phrase stems :func:`~peelwatch.extract.subjects.same_stem` takes ``word``
    for. Only stems that equal it, share its first five letters or come near it by ratio can
    be (what ``same_stem`` accepts), so only those are put to it: comparing every word of a
    finding with every phrase stem, finding by finding, was most of the cost of keying one."""
    every, known, by_start = _phrase_stems()
    near = process.extract(word, every, scorer=ratio, score_cutoff=85, limit=None)
    maybe = {word, *by_start.get(word[:5], ()), *(choice for choice, _score, _index in near)}
    return frozenset(s for s in maybe if s in known and same_stem(s, word))


@lru_cache(maxsize=16)
def _weighed_phrases(cycle: str | None) -> tuple[tuple[frozenset[str], float, str], ...]:
    """:func:`_phrases` of ``cycle`` as (stems, their weight, key), weighed once."""
    weigh = matcher().weight
    return tuple((frozenset(stems), sum(weigh(s) for s in stems), key) for stems, key in _phrases(cycle))


@lru_cache(maxsize=16384)  # a pure function of its arguments: letters quote a report's findings
def key_from_words(text: str, cycle: str | None) -> str | None:
    """The question/area key whose full name or alias the finding's words contain, or None.

    When several do, the one saying the most (by word weight) wins: "protecting vulnerable
    people" over "vulnerability" alone; a tie goes to the first key alphabetically so the answer
    does not depend on the order of the framework files.
    """
    words = content_stems(text)
    if not words:
        return None
    named = frozenset().union(*map(_named_stems, words))
    best: tuple[float, str] | None = None
    for stems, weight, key in _weighed_phrases(cycle):
        if not stems <= named:
            continue
        if weight < TEXT_WEIGHT_MIN:
            continue
        if best is None or weight > best[0] or (weight == best[0] and key < best[1]):
            best = (weight, key)
    return best[1] if best else None


def preceding_headings(document_text: str, start: int) -> list[str]:
    """Short lines above ``start`` in the document, nearest first (candidate headings)."""
    if not 0 < start <= len(document_text):
        return []
    window = document_text[max(0, start - HEADING_LOOKBACK_CHARS) : start]
    lines = [ln.strip(" #*\t") for ln in window.splitlines()]
    return [ln for ln in reversed(lines) if 0 < len(ln) <= HEADING_MAX_CHARS and not ln.endswith((",", ";"))]


def finding_area_key(
    text: str,
    *,
    cycle: str | None,
    section: str | None = None,
    document_text: str = "",
    start: int = 0,
) -> AreaKey | None:
    """The canonical key of a finding, from its heading, its words or the headings above it."""
    key = key_from_heading(section, cycle)
    if key:
        return AreaKey(key, "section")
    key = key_from_words(text, cycle)
    if key:
        return AreaKey(key, "text")
    for line in preceding_headings(document_text, start):
        key = key_from_heading(line, cycle)
        if key:
            return AreaKey(key, "heading")
    return None
