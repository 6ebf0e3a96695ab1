"""Recurrence: the same issue raised again, in a later cycle or for another force.

Two findings are compared on their *core* words: lower case, without the framing every finding
shares ("The force should immediately", "Within three months, Northshire Police needs to",
force names; see ``data/linking.yaml``). Candidates are retrieved by the cosine of character
n-gram vectors (``char_wb`` 3–5, as scikit-learn builds them), which tolerates reworded and
re-inflected findings, and re-scored with rapidfuzz, which punishes findings that share
vocabulary but not sentence.

The score of a pair depends on the two texts alone (the vectors are hashed term frequencies,
with no weight learnt from the rest of the record), so the links do not depend on the order
in which documents arrive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from rapidfuzz import fuzz
from scipy.sparse import csr_matrix, vstack
from sklearn.feature_extraction.text import HashingVectorizer

from peelwatch.link.findings import normalise

RULES_FILE = Path(__file__).parent / "data" / "linking.yaml"
# Chosen on the labelled pairs (tests/link/recurrence_pairs.yaml; see docs/linking.md).
RECURRENCE_THRESHOLD = 50.0
# Cosine below which a pair is not re-scored: far under any pair that reaches the threshold.
RETRIEVAL_COSINE = 0.3
N_FEATURES = 2**20
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class LinkRules:
    """The linker's wording rules, read from ``data/linking.yaml``."""

    framing: tuple[str, ...]
    heading_labels: tuple[str, ...]
    purpose_openers: tuple[str, ...]


@lru_cache(maxsize=1)
def link_rules() -> LinkRules:
    """The wording rules (read once per process; the file is part of the package)."""
    raw = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return LinkRules(
        framing=tuple(sorted(raw["framing"], key=len, reverse=True)),
        heading_labels=tuple(sorted(raw["heading_labels"], key=len, reverse=True)),
        purpose_openers=tuple(raw["purpose_openers"]),
    )


@lru_cache(maxsize=1)
def _purpose_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in link_rules().purpose_openers) + r")\b")


HEAD_MIN_WORDS = 4


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


def core_text(text: str) -> str:
    """The words of a finding that say what it is about (framing and force names removed)."""
    words = " ".join(_WORDS.findall(normalise(text)))
    return " ".join(_framing_pattern().sub(" ", words).split())


@lru_cache(maxsize=1)
def _vectoriser() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), n_features=N_FEATURES, alternate_sign=False, norm="l2"
    )


def vectors(cores: Sequence[str]) -> csr_matrix:
    """Unit-length character n-gram vectors of core texts, one row each."""
    return _vectoriser().transform(list(cores))


def _score(a: str, b: str, cosine: float) -> float:
    return 50.0 * cosine + 0.5 * fuzz.token_set_ratio(a, b)


def rescore(a: str, b: str, cosine: float) -> float:
    """The recurrence score of two core texts, 0..100.

    Half is the whole texts' score (n-gram cosine and rapidfuzz's token-set ratio averaged),
    half the same score of their heads, so a shared purpose clause cannot carry two different
    findings over the threshold.
    """
    if not a or not b:
        return 0.0
    ha, hb = head_text(a), head_text(b)
    if (ha, hb) == (a, b):
        head = _score(a, b, cosine)
    else:
        m = vectors([ha, hb])
        head = _score(ha, hb, float(m[0].multiply(m[1]).sum()))
    return round(0.5 * _score(a, b, cosine) + 0.5 * head, 2)


def pair_score(a: str, b: str) -> float:
    """The recurrence score of two finding texts as written (0..100)."""
    ca, cb = core_text(a), core_text(b)
    if not ca or not cb:
        return 0.0
    m = vectors([ca, cb])
    return rescore(ca, cb, float(m[0].multiply(m[1]).sum()))


@dataclass(slots=True)
class Block:
    """The findings of one area key, vectorised; grows as findings are added."""

    ids: list[int]
    cores: list[str]
    matrix: csr_matrix

    @classmethod
    def empty(cls) -> Block:
        return cls([], [], csr_matrix((0, N_FEATURES), dtype=np.float64))

    def add(self, ids: Sequence[int], cores: Sequence[str]) -> None:
        """Append findings (their ids and core texts)."""
        if not ids:
            return
        self.ids.extend(ids)
        self.cores.extend(cores)
        self.matrix = vstack([self.matrix, vectors(cores)], format="csr")

    def similar(self, core: str, threshold: float = RECURRENCE_THRESHOLD) -> list[tuple[int, float]]:
        """(id, score) of the block's findings that reach ``threshold`` against ``core``."""
        if not core or not self.ids:
            return []
        cos = (self.matrix @ vectors([core]).T).toarray().ravel()
        out: list[tuple[int, float]] = []
        for i in np.flatnonzero(cos >= RETRIEVAL_COSINE):
            score = rescore(core, self.cores[i], float(cos[i]))
            if score >= threshold:
                out.append((self.ids[i], score))
        return out
