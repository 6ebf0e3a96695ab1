"""Grade words: one regular expression built from the vocabulary, and normalisation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.tokens import PhraseSet, Token, phrase_words
from peelwatch.framework.vocabulary import load_vocabulary
from peelwatch.framework.wording import load_wording

QUOTE = "[‘'\"“”’]"
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_WS = lazy_compile(r"\s+")


@dataclass(frozen=True)
class GradeMatcher:
    pattern: re.Pattern[str]  # one grade phrase, group "grade"
    line: re.Pattern[str]  # a line that is only a grade (optionally quoted, with a colon or full stop)
    pending: re.Pattern[str]
    lookup: dict[str, str]

    def grade_of(self, phrase: str) -> str | None:
        return self.lookup.get(_WS.sub(" ", phrase.strip().lower().strip("‘'\"“”’:.")))


@lru_cache(maxsize=1)
def grade_matcher() -> GradeMatcher:
    vocab = load_vocabulary()
    lookup: dict[str, str] = {}
    for grade, words in vocab.grade_words.items():
        for w in words:
            lookup[w.lower()] = grade
    alternatives = sorted(lookup, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alternatives)
    # a look at the first letter before trying every grade phrase at each place (see
    # cues.phrase_pattern), where every phrase starts with a plain letter
    firsts = {w[:1] for w in alternatives}
    ahead = f"(?=[{''.join(sorted(firsts))}])" if firsts and firsts <= _PLAIN else ""
    pattern = lazy_compile(rf"(?<![\w-]){ahead}(?P<grade>{body})(?![\w-])", re.IGNORECASE)
    # a grade alone on its line, perhaps labelled: "Good", "Grade: Adequate", "Our judgment – Good"
    label = r"(?:(?:overall\s+|our\s+)?(?:grade|grading|rating|judge?ment)\s*[:–-]?\s*)?"
    line = lazy_compile(rf"^\s*{label}{QUOTE}?(?P<grade>{body}){QUOTE}?\s*[.:]?\s*\d?\s*$", re.IGNORECASE)
    pending = lazy_compile("|".join(re.escape(p) for p in vocab.pending_grade), re.IGNORECASE)
    return GradeMatcher(pattern, line, pending, lookup)


@dataclass(frozen=True, slots=True)
class GradeMention:
    """A grade expression among a sentence's tokens: ``toks[i:j]`` says ``grade``.

    ``weak`` marks phrases that are grades only after a rating verb ("rated as needing
    improvement"); ``quoted`` marks a grade set in quotation marks ("rated 'good'").
    """

    grade: str
    i: int
    j: int
    weak: bool = False
    quoted: bool = False


@lru_cache(maxsize=1)
def _grade_phrases() -> tuple[PhraseSet, dict[tuple[str, ...], tuple[str, bool]]]:
    vocab = load_vocabulary()
    lookup: dict[tuple[str, ...], tuple[str, bool]] = {}
    for grade, words in vocab.grade_words.items():
        for w in words:
            lookup[phrase_words(w)] = (grade, False)
    for grade, words in load_wording().weak_grades.items():
        for w in words:
            lookup.setdefault(phrase_words(w), (grade, True))
    return PhraseSet.of(" ".join(k) for k in lookup), lookup


@lru_cache(maxsize=1)
def _names_led_by_grade_words() -> PhraseSet:
    """Framework names that begin with a grade word ("Good use of resources"): there the word
    names a subject, it does not grade one."""
    from peelwatch.framework import load_framework

    leads = tuple({w + " " for words in load_vocabulary().grade_words.values() for w in words})
    names = set()
    for s in load_framework().subjects():
        for phrase in (s.name, s.short or "", *s.aliases):
            words = phrase_words(phrase)
            if len(words) > 1 and " ".join(words).startswith(leads):
                names.add(" ".join(words))
    return PhraseSet.of(names)


def may_hold_grade(low: str) -> bool:
    """Whether lower-cased text with straight apostrophes holds every word of some grade phrase:
    without, :func:`grade_mentions` finds nothing in its tokens (a quick test before tokenising)."""
    return any(all(map(low.__contains__, words)) for words in _grade_phrases()[1])


def grade_mentions(toks: Sequence[Token]) -> list[GradeMention]:
    """Every grade expression in a sentence, left to right, not overlapping.

    "rated ‘Requires Improvement’ and good" gives requires improvement (quoted) and good.
    "not yet graded" / "to be graded" are pending, not grades: the caller drops sentences
    that say so before asking.
    """
    phrases, lookup = _grade_phrases()
    names = _names_led_by_grade_words()
    out: list[GradeMention] = []
    i = 0
    while i < len(toks):
        if toks[i].low not in phrases.by_first and toks[i].low not in names.by_first:
            i += 1  # most words start neither a grade phrase nor a name led by one
            continue
        if (skip := names.match_at(toks, i)) and not (i + 1 < len(toks) and toks[i + 1].is_quote):
            i += skip
            continue
        n = phrases.match_at(toks, i)
        if not n:
            i += 1
            continue
        grade, weak = lookup[tuple(t.low for t in toks[i : i + n])]
        quoted = i > 0 and toks[i - 1].is_quote and i + n < len(toks) and toks[i + n].is_quote
        out.append(GradeMention(grade, i, i + n, weak, quoted))
        i += n
    return out
