"""Recurrence: the same issue raised again, in a later cycle or for another force.

Two findings are compared on their *core* words: lower case, without the framing every finding
shares ("The force should immediately", "Within three months, Northshire Police needs to",
force names; see ``data/linking.yaml``). Candidates are retrieved by the cosine of character
n-gram vectors (``char_wb`` 3–5, as scikit-learn builds them), which tolerates reworded and
re-inflected findings, and re-scored with rapidfuzz, which punishes findings that share
vocabulary but not sentence. Only findings that share at least two content stems
(:func:`content_stems`) are scored at all: the linker keeps the stems in an inverted index, so
retrieval costs what a few index lookups cost, not a pass over the record.

The score of a pair depends on the two texts alone (the vectors are hashed term frequencies,
with no weight learnt from the rest of the record), so the links do not depend on the order
in which documents arrive.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import mul
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import yaml
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from peelwatch.link.findings import normalise

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import HashingVectorizer

RULES_FILE = Path(__file__).parent / "data" / "linking.yaml"
# Chosen on the labelled pairs (tests/link/recurrence_pairs.yaml; see docs/linking.md).
RECURRENCE_THRESHOLD = 46.0
# Retrieval: two findings are scored only when their core texts share this many content stems
# (see content_stems). Every labelled "same" pair reaching the threshold shares two or more
# except four whose one shared word is "investigations" (docs/linking.md).
MIN_SHARED_STEMS = 2
# ... and a quarter of the stems of the shorter finding (every labelled pair reaching the
# threshold shares at least 0.27): two long findings sharing a stock opening ("trains its staff
# so that") and nothing else are not compared.
MIN_SHARED_SHARE = 0.25
# ... and the shorter has at least this share of the longer's stem count (see shares_enough).
MIN_LENGTH_RATIO = 0.4
STEM_CHARS = 5
# Token-set ratio below which a retrieved pair is not vectorised and scored in full (it scores
# 0): every labelled pair reaching the threshold has at least 51.8 (see docs/linking.md).
RETRIEVAL_TOKEN_SET = 45.0
N_FEATURES = 2**18
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class LinkRules:
    """The linker's wording rules, read from ``data/linking.yaml``."""

    framing: tuple[str, ...]
    heading_labels: tuple[str, ...]
    purpose_openers: tuple[str, ...]
    common_words: frozenset[str]
    distinguishing: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def link_rules() -> LinkRules:
    """The wording rules (read once per process; the file is part of the package)."""
    raw = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return LinkRules(
        framing=tuple(sorted(raw["framing"], key=len, reverse=True)),
        heading_labels=tuple(sorted(raw["heading_labels"], key=len, reverse=True)),
        purpose_openers=tuple(raw["purpose_openers"]),
        common_words=frozenset(raw["common_words"]),
        distinguishing=tuple(
            tuple(str(p) for p in (s if isinstance(s, list) else [s])) for s in raw["distinguishing"]
        ),
    )


@lru_cache(maxsize=1)
def _purpose_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in link_rules().purpose_openers) + r")\b")


HEAD_MIN_WORDS = 4
# A core of fewer words (a finding cut short by the reader: "The force should make sure it")
# says too little to be compared: token-set ratio would call it contained in anything.
MIN_CORE_WORDS = 3


def head_text(core: str) -> str:
    """The part of a core text before its purpose clause: what the force is told to do."""
    for m in _purpose_pattern().finditer(core):
        if len(core[: m.start()].split()) >= HEAD_MIN_WORDS:
            return core[: m.start()].strip()
    return core


@lru_cache(maxsize=1)
def _framing_pattern() -> re.Pattern[str]:
    from peelwatch.framework import load_framework

    phrases = list(link_rules().framing)
    for force in load_framework().forces:
        for name in (force.name, *force.aliases, *force.former_names):
            phrases.append(" ".join(_WORDS.findall(name.lower())))
    phrases = sorted({p for p in phrases if p}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


@lru_cache(maxsize=65536)  # a pure function of the text; a stored finding is compared again and again
def core_text(text: str) -> str:
    """The words of a finding that say what it is about (framing and force names removed);
    empty when fewer than ``MIN_CORE_WORDS`` remain."""
    words = " ".join(_WORDS.findall(normalise(text)))
    core = _framing_pattern().sub(" ", words).split()
    return " ".join(core) if len(core) >= MIN_CORE_WORDS else ""


# scikit-learn (and SciPy under it) is imported on first use, not with this module: importing it
# takes about a second of CPU, and the extraction processes import this package for its area
# rules without ever comparing two findings.
@lru_cache(maxsize=1)
def _vectoriser() -> HashingVectorizer:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), n_features=N_FEATURES, alternate_sign=False, norm="l2"
    )


def vectors(cores: Sequence[str]) -> csr_matrix:
    """Unit-length character n-gram vectors of core texts, one row each."""
    return _vectoriser().transform(list(cores))


NGRAM_RANGE = (3, 5)
_INT32_MIN = -(2**31)


@lru_cache(maxsize=32768)  # a pure function of the word; a record's vocabulary is small
def _word_features(word: str) -> tuple[int, ...]:
    """The hashed features of one word's character n-grams: the columns :func:`vectors` counts
    for it (scikit-learn's ``char_wb`` n-grams and feature hashing, reproduced so that a text's
    vector is built from its words' cached features instead of from its characters)."""
    padded = f" {word} "
    grams: list[str] = []
    for n in range(NGRAM_RANGE[0], NGRAM_RANGE[1] + 1):
        grams.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
        if len(padded) <= n:  # a short word is counted once, whole
            break
    from sklearn.utils import murmurhash3_32

    out = []
    for gram in grams:
        h = murmurhash3_32(gram, seed=0)
        out.append((2**31 - 1 - (N_FEATURES - 1)) % N_FEATURES if h == _INT32_MIN else abs(h) % N_FEATURES)
    return tuple(out)


@lru_cache(maxsize=8192)  # stock findings recur across a run, and a head is often its core
def _features(text: str) -> tuple[dict[int, int], int]:
    """A text's n-gram counts by feature (what :func:`vectors` holds before scaling) and their
    sum of squares (the squared norm, an exact integer)."""
    counts = Counter(chain.from_iterable(map(_word_features, text.lower().split())))
    return counts, sum(map(mul, counts.values(), counts.values()))


def _cosine(dot: int, norm2_a: int, norm2_b: int) -> float:
    """A cosine from the integer dot product and squared norms of two count vectors."""
    if not norm2_a or not norm2_b:
        return 0.0
    return dot / (math.sqrt(norm2_a) * math.sqrt(norm2_b))


def ngram_cosine(a: str, b: str) -> float:
    """The cosine of two texts' n-gram vectors (the dot product of their :func:`vectors` rows)."""
    (ca, na), (cb, nb) = _features(a), _features(b)
    if not na or not nb:
        return 0.0
    shared = ca.keys() & cb.keys()
    return _cosine(sum(map(mul, map(ca.__getitem__, shared), map(cb.__getitem__, shared))), na, nb)


def _dot_with(text: str) -> Callable[[str], int]:
    """The dot product of ``text``'s n-gram counts with another text's, by the other's words.

    A text's vector is the sum of its words' (n-grams never cross a word boundary), so the dot
    product is the sum, over the other's words, of what each word's features count in ``text``:
    worked out once per word, where building the other's vector cost more than the rest of
    scoring it. Integers throughout, so the result is exactly what :func:`ngram_cosine` sums.
    """
    counts = _features(text)[0]
    per_word: dict[str, int] = {}
    shares = per_word.__getitem__

    def dot(other: str) -> int:
        words = other.lower().split()
        try:
            # summed in C: called for every candidate, where a loop over its words cost more
            return sum(map(shares, words))
        except KeyError:  # a word not met before: work out what each new word's features count
            for word in words:
                if word not in per_word:
                    per_word[word] = sum(counts.get(f, 0) for f in _word_features(word))
            return sum(map(shares, words))

    return dot


def _score(a: str, b: str, cosine: float) -> float:
    return 50.0 * cosine + 0.5 * fuzz.token_set_ratio(a, b)


def rescore(a: str, b: str, cosine: float) -> float:
    """The recurrence score of two core texts, 0..100.

    The lower of the whole texts' score (n-gram cosine and rapidfuzz's token-set ratio
    averaged) and the same score of their heads: a shared purpose clause cannot carry two
    different findings over the threshold, nor can a shared opening ("trains its staff so that").
    """
    if not a or not b:
        return 0.0
    ha, hb = head_text(a), head_text(b)
    whole = _score(a, b, cosine)
    head = whole if (ha, hb) == (a, b) else _score(ha, hb, ngram_cosine(ha, hb))
    return round(min(whole, head), 2)


def pair_score(a: str, b: str) -> float:
    """The recurrence score of two finding texts as written (0..100)."""
    ca, cb = core_text(a), core_text(b)
    if not ca or not cb or not shares_enough(content_stems(ca), content_stems(cb)):
        return 0.0  # the linker never retrieves such a pair for scoring
    return float(score_many(ca, [cb])[0])


@lru_cache(maxsize=1)
def _subject_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    def phrase(p: str) -> str:
        return r"\s+".join(re.escape(w) + r"\w*" for w in p.split())

    return tuple(
        (names[0], re.compile(r"\b(?:" + "|".join(phrase(n) for n in names) + r")\b"))
        for names in link_rules().distinguishing
    )


_WORD_RUN = re.compile(r"\w+")


class _SubjectIndex(NamedTuple):
    by_word: dict[str, tuple[int, ...]]
    lengths: tuple[int, ...]
    always: tuple[int, ...]


@lru_cache(maxsize=1)
def _subject_index() -> _SubjectIndex:
    """The subjects (positions in :func:`_subject_patterns`) whose phrases begin with each first
    word, and the lengths of those words. A pattern matches from the start of a run of word
    characters, spelling its phrase's first word out, so a subject can be named only where a
    word of the head begins with one of its first words (a first word that is not all word
    characters is searched for always)."""
    by_word: dict[str, set[int]] = defaultdict(set)
    always: set[int] = set()
    for k, phrases in enumerate(link_rules().distinguishing):
        for phrase in phrases:
            first = phrase.split()[0]
            if _WORD_RUN.fullmatch(first):
                by_word[first].add(k)
            else:
                always.add(k)
    return _SubjectIndex(
        {w: tuple(sorted(ks)) for w, ks in by_word.items()},
        tuple(sorted({len(w) for w in by_word})),
        tuple(sorted(always)),
    )


@lru_cache(maxsize=65536)  # a pure function of the word; a record's vocabulary is small
def _word_subjects(word: str) -> tuple[int, ...]:
    """The subjects (positions in :func:`_subject_patterns`) a phrase of which could begin at
    this word: those with a first word the word begins with."""
    index = _subject_index()
    found: set[int] = set()
    for n in index.lengths:
        found.update(index.by_word.get(word[:n], ()))
    return tuple(sorted(found))


# A pure function of the text, asked of every candidate a finding is scored against: sized for
# the candidates of a batch of documents in a large record, where a smaller cache was refilled.
@lru_cache(maxsize=65536)
def subjects(core: str) -> frozenset[str]:
    """The distinguishing subjects (``distinguishing`` in ``data/linking.yaml``) that the head
    of a core text names: what the force is told to do, not the purpose it serves."""
    return _head_subjects(head_text(core))


# Keyed by the head: findings that differ only in their purpose clause (a stock instruction
# given for many reasons) share it, and are many more than their heads.
@lru_cache(maxsize=65536)
def _head_subjects(head: str) -> frozenset[str]:
    # only the subjects a word of the head could begin are searched for: most are not named,
    # and a pattern costs a search of the head each
    maybe = set(_subject_index().always)
    for word in set(_WORD_RUN.findall(head)):
        maybe.update(_word_subjects(word))
    patterns = _subject_patterns()
    return frozenset(patterns[k][0] for k in sorted(maybe) if patterns[k][1].search(head))


@lru_cache(maxsize=65536)  # a pure function of the text; each candidate is read once per finding
def content_stems(core: str) -> frozenset[str]:
    """The stems a core text is indexed and retrieved by: the first ``STEM_CHARS`` letters of
    each word of at least four letters that is not one of the rules' ``common_words``
    ("investigates" and "investigations" share ``inves``)."""
    common = link_rules().common_words
    return frozenset(w[:STEM_CHARS] for w in core.split() if len(w) >= 4 and w not in common)


def shares_enough(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two findings' stems overlap enough for them to be scored at all (symmetric):
    at least ``MIN_SHARED_STEMS``, at least ``MIN_SHARED_SHARE`` of the shorter one's, and
    the shorter is not much shorter than the longer (``MIN_LENGTH_RATIO``)."""
    shared, shorter, longer = len(a & b), min(len(a), len(b)), max(len(a), len(b))
    return (
        shared >= MIN_SHARED_STEMS
        and shared >= MIN_SHARED_SHARE * shorter
        # containment is not sameness: a short finding ("carry out effective investigations")
        # whose words all occur in a long one says less than it, not the same
        and shorter >= MIN_LENGTH_RATIO * longer
    )


class Profile(NamedTuple):
    """What scoring a core text against others needs of it: its head, the subjects the head
    names, and the squared norms of both texts' n-gram counts. A pure function of the core
    (:func:`profile`); the linker keeps stored findings' profiles in its index, so a candidate
    read from it is scored without working any of this out again."""

    core: str
    head: str
    subjects: frozenset[str]
    norm2: int
    head_norm2: int


@lru_cache(maxsize=65536)  # a pure function of the text; a finding is scored as often as it is linked
def profile(core: str) -> Profile:
    """The scoring profile of a core text (see :class:`Profile`)."""
    head = head_text(core)
    return Profile(core, head, subjects(core), _features(core)[1], _features(head)[1])


def score_many(core: str, others: Sequence[str]) -> np.ndarray:
    """:func:`rescore` of ``core`` against each of ``others``; 0 where the token-set ratio is
    under ``RETRIEVAL_TOKEN_SET`` or the two name different subjects (:func:`subjects`)."""
    return score_pools([(core, others)])[0]


def score_pools(pools: Sequence[tuple[str, Sequence[str]]]) -> list[np.ndarray]:
    """:func:`score_many` of each (core, others) pool: a document's findings scored together."""
    return score_profiles([(profile(core), [profile(o) for o in others]) for core, others in pools])


def score_profiles(pools: Sequence[tuple[Profile, Sequence[Profile]]]) -> list[np.ndarray]:
    """:func:`score_pools` of texts whose profiles are known (the linker's candidates)."""
    out = [np.zeros(len(others)) for _x, others in pools]
    for k, (x, others) in enumerate(pools):
        if not x.core or not others:
            continue
        tokens = cdist(
            [x.core], [o.core for o in others], scorer=fuzz.token_set_ratio, score_cutoff=RETRIEVAL_TOKEN_SET
        )[0]
        near = np.array([i for i in np.flatnonzero(tokens) if others[i].subjects == x.subjects], dtype=int)
        if not len(near):
            continue
        kept = [others[i] for i in near]
        whole = _dot_with(x.core)
        cos = np.array([_cosine(whole(o.core), x.norm2, o.norm2) for o in kept])
        # Where both heads are the whole texts (most pairs), the heads' score is the texts' own:
        # taken from those, not computed again.
        apart = [j for j, o in enumerate(kept) if x.head != x.core or o.head != o.core]
        head_cos = cos.copy()
        head_tokens = tokens[near]  # a copy (fancy indexing)
        if apart:
            head = _dot_with(x.head)
            head_cos[apart] = [_cosine(head(kept[j].head), x.head_norm2, kept[j].head_norm2) for j in apart]
            head_tokens[apart] = cdist([x.head], [kept[j].head for j in apart], scorer=fuzz.token_set_ratio)[
                0
            ]
        full = 50.0 * cos + 0.5 * tokens[near]
        out[k][near] = np.round(np.minimum(full, 50.0 * head_cos + 0.5 * head_tokens), 2)
    return out
