"""Subject mentions: does a phrase name a pillar, question or area of the framework, and which?

Every cycle's pillars, questions and areas, with their short labels and aliases, are the
candidates. A phrase is compared with each candidate word by word, tolerantly:

* words are reduced to stems ("investigation", "investigating" and "investigative" meet), and
  two stems are the same when one extends the other or they differ by a typo;
* word order, punctuation and the frame of a question ("How effective is the force at") are
  ignored, and so are nouns that add nothing to what a subject is about ("its crime recording
  *processes*", "its *ability* to reduce crime");
* words count by how much they tell subjects apart: "crime" is in many subjects and says
  little, "vulnerable" in few and says much (inverse document frequency over the framework).

A phrase names a candidate when nearly all of the phrase is explained by the candidate
(precision) and the phrase covers enough of the candidate (recall), so "investigation" names
"Investigating crime" but "crime" alone names nothing, and "working with outside partners"
names nothing at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from peelwatch.errors import UnknownNameError
from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.text import norm
from peelwatch.framework import PILLARS, load_framework
from peelwatch.framework.model import Subject
from peelwatch.framework.wording import load_wording

PRECISION_MIN = 0.8  # share of the phrase (by weight) the candidate explains
RECALL_MIN = 0.5  # share of the candidate (by weight) the phrase covers
SINGLE_RECALL_MIN = 1.0  # one word must be a whole name: "investigation", "vulnerability", not "planning"
WEIGHT_MIN = 2.0  # a mention must say this much: "crime" alone (weight 1.5) names no subject
_WORD = lazy_compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def graded_pillar_keys() -> frozenset[str]:
    """The pillars a PEEL report grades (leadership was assessed but never graded)."""
    return frozenset(s.key for s in load_framework().subjects() if s.scope == "pillar" and s.graded)


@lru_cache(maxsize=1)
def _area_cycles() -> frozenset[str]:
    """The cycles that grade areas rather than questions (2021/22 onwards)."""
    return frozenset(c.label for c in load_framework().cycles if any(s.scope == "area" for s in c.subjects))


@dataclass(frozen=True, slots=True)
class Mention:
    """A framework subject named by a phrase, with how well the phrase fits it (0 to 1)."""

    subject: Subject
    score: float
    precision: float
    recall: float


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1)
def _known_stems() -> dict[str, str]:
    from peelwatch.framework._load import read_stems

    return read_stems()


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case word: "investigating" -> "investig"."""
    # The framework's own words come stemmed from its cache; the stemmer is only started for
    # words it does not hold.
    known = _known_stems().get(word)
    return known if known is not None else _stemmer().stemWord(word)


@lru_cache(maxsize=65536)
def same_stem(a: str, b: str) -> bool:
    """Two stems name the same word: equal, one extends the other ("legitim", "legitimaci"),
    or a typo apart ("effecitv", "effect")."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 5 and long_.startswith(short):
        return True
    if len(short) >= 6 and a[:6] == b[:6]:
        return True
    return len(short) >= 5 and similar(a, b, 85)


def similar(a: str, b: str, score: int) -> bool:
    """Whether rapidfuzz's ``fuzz.ratio(a, b)`` is at least ``score``: two words a typo apart.

    The ratio is ``200 * L / (len(a) + len(b))``, L the length of the longest common
    subsequence, which is at most the number of letters the two words share (counted with
    repeats). Where even that count falls short of ``score``, the answer is no without
    computing the ratio, and rapidfuzz, whose import costs a tenth of a short command's
    start-up, is not loaded: most pairs of different stems share too few letters."""
    total = len(a) + len(b)
    if 200 * min(len(a), len(b)) < score * total or 200 * _shared(a, b) < score * total:
        return False
    from rapidfuzz.fuzz import ratio

    return ratio(a, b) >= score


def _shared(a: str, b: str) -> int:
    """How many letters ``a`` and ``b`` have in common, a letter counted as often as both hold it."""
    shared = 0
    for letter in set(a).intersection(b):
        here, there = a.count(letter), b.count(letter)
        shared += here if here < there else there
    return shared


@lru_cache(maxsize=1)
def _word_sets() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """Function words (with the words of force names: "Dorset Police uses its resources" is
    about resources), noise nouns and abbreviations."""
    w = load_wording()
    function = set(w.function_words)
    for force in load_framework().forces:
        for name in (force.name, *force.aliases, *force.former_names):
            function.update(norm(name).split())
    expansions = {k: norm(v) for k, v in w.abbreviations.items()}
    return frozenset(function), frozenset(w.subject_noise), expansions


@lru_cache(maxsize=65536)
def content_stems(text: str) -> tuple[str, ...]:
    """The stems of the words of ``text`` that say what a subject is about, in order.

    >>> content_stems("How effective is the force at investigating crime?")
    ('effect', 'forc', 'investig', 'crime')
    """
    function, noise, abbreviations = _word_sets()
    words = [abbreviations.get(w) or w for w in _WORD.findall(norm(text).replace("'s ", " "))]
    low = " ".join(words).replace("anti social", "antisocial").replace("re offend", "reoffend")
    words = _WORD.findall(low)
    out = []
    for w in words:
        if w in function or w in noise or w.isdigit():
            continue
        s = stem(w)
        if s not in out:
            out.append(s)
    return tuple(out)


def is_content_word(word: str) -> bool:
    """A lower-case word that can say what a subject is about (not "the", "its", "processes")."""
    function, noise, _ = _word_sets()
    return word not in function and word not in noise


def is_function_word(word: str) -> bool:
    """A lower-case word that never ends a subject's name ("the", "of", "and")."""
    return word in _word_sets()[0] and not word.isupper()


class SubjectMatcher:
    """Every framework subject phrase, indexed for tolerant lookup (build with :func:`matcher`)."""

    def __init__(self) -> None:
        fw = load_framework()
        entries: list[tuple[tuple[str, ...], Subject]] = []
        # every word of any of a subject's phrases "explains" a word of a mention of it
        self._union: dict[str, tuple[str, ...]] = {}
        for s in fw.subjects():
            if s.scope == "overall":
                continue  # "overall" is a relation's business (rated good overall), not a name
            union: list[str] = []
            for phrase in (s.name, s.short, *s.aliases):
                stems = content_stems(phrase or "")
                if stems:
                    entries.append((stems, s))
                    union.extend(x for x in stems if x not in union)
            self._union[s.id] = tuple(union)
        # a phrase of one common word ("force management" is "management" here) names no subject
        # on its own, so it is not a candidate; weights are counted before that choice
        keys: dict[str, set[str]] = {}
        for stems, s in entries:
            for st in stems:
                keys.setdefault(st, set()).add(s.key)
        n = len({s.key for _, s in entries})
        self._weight = {st: math.log(1 + n / len(ks)) for st, ks in keys.items()}
        self._unknown = math.log(1 + n)
        entries = [(stems, s) for stems, s in entries if sum(map(self.weight, stems)) >= WEIGHT_MIN]
        self._entries = entries
        self._by_prefix: dict[str, list[int]] = {}
        for i, (stems, _) in enumerate(entries):
            for st in stems:
                self._by_prefix.setdefault(st[:3], []).append(i)
        self._cycle_order = {c.label: k for k, c in enumerate(fw.cycles)}

    def weight(self, st: str) -> float:
        """How much a stem tells subjects apart (unknown words weigh the most)."""
        w = self._weight.get(st)
        if w is not None:
            return w
        return next((v for k, v in self._weight.items() if same_stem(k, st)), self._unknown)

    def match(self, text: str, cycle: str | None = None, *, only_cycle: bool = False) -> Mention | None:
        """The framework subject ``text`` names, or None. With ``cycle``, that cycle's subject
        is preferred among equally good ones; with ``only_cycle`` too, only that cycle's
        subjects are candidates."""
        return self._match(content_stems(text), cycle, only_cycle)

    @lru_cache(maxsize=8192)  # noqa: B019 - one matcher lives for the process; its data never changes
    def _match(self, stems: tuple[str, ...], cycle: str | None, only_cycle: bool = False) -> Mention | None:
        if not stems:
            return None
        seen: set[int] = set()
        for st in stems:
            seen.update(self._by_prefix.get(st[:3], ()))
        best: Mention | None = None
        best_key: tuple = ()
        total = sum(self.weight(s) for s in stems)
        for i in seen:
            cand, subject = self._entries[i]
            if only_cycle and subject.cycle != cycle:
                continue
            union = self._union[subject.id]
            hit_q = sum(self.weight(s) for s in stems if any(same_stem(s, c) for c in union))
            precision = hit_q / total
            if precision < PRECISION_MIN or hit_q < WEIGHT_MIN:
                continue
            hit_c = sum(self.weight(c) for c in cand if any(same_stem(s, c) for s in stems))
            recall = hit_c / sum(self.weight(c) for c in cand)
            if recall < (RECALL_MIN if len(stems) > 1 else SINGLE_RECALL_MIN):
                continue
            score = 2 * precision * recall / (precision + recall)
            rank = (round(score, 6), subject.cycle == cycle, self._cycle_order.get(subject.cycle, 0))
            if best is None or rank > best_key:
                best, best_key = Mention(subject, score, precision, recall), rank
        return best

    def in_cycle(self, mention: Mention, cycle: str | None) -> Subject:
        """The subject with the mention's key in ``cycle`` when that cycle has one."""
        if cycle is None or mention.subject.cycle == cycle:
            return mention.subject
        try:
            other = load_framework().subject_by_key(mention.subject.key, cycle)
        except UnknownNameError:  # an unknown cycle label: keep the subject found
            return mention.subject
        return other or mention.subject


@lru_cache(maxsize=1)
def matcher() -> SubjectMatcher:
    """The process-wide subject matcher (built once from the immutable framework data)."""
    return SubjectMatcher()


@lru_cache(maxsize=8192)  # every span a list is cut into is asked, and spans come again
def pillar_named(text: str) -> str | None:
    """The pillar a short phrase names outright ("Effectiveness", "police efficiency"), else None."""
    words = [w for w in norm(text).split() if w not in {"police", "the", "pillar", "peel", "overall", "its"}]
    if len(words) != 1:
        return None
    if words[0] in PILLARS:  # "effectively" alone names no pillar
        return words[0]
    # a typo ("effecitveness"), judged against the nouns alone
    return next((p for p in PILLARS if len(words[0]) >= 8 and similar(words[0], p, 88)), None)


def classify(subject: str, cycle: str | None) -> tuple[str, str | None]:
    """(scope, canonical key) for a subject as written.

    "Overall" is the overall grade; a pillar named outright is a pillar (in every cycle: a
    document may restate an earlier cycle's pillar grades); otherwise the framework subject the
    phrase names decides, and an unmatched phrase is an area from 2021/22 and a question before.
    """
    if norm(subject) in {
        "overall",
        "overall judgment",
        "overall judgement",
        "overall grade",
        "overall rating",
    }:
        return "overall", "overall"
    pillar = pillar_named(subject)
    if pillar:
        return "pillar", pillar
    found = matcher().match(subject, cycle)
    if found is not None:
        s = matcher().in_cycle(found, cycle)
        if s.scope == "pillar":
            return "pillar", s.key
        return ("area" if cycle in _area_cycles() else s.scope), s.key
    return ("area" if cycle in _area_cycles() else "question"), None


def covers(words: Sequence[str]) -> bool:
    """True when the words name some framework subject (a cheap yes/no for layout rules)."""
    return matcher().match(" ".join(words)) is not None
