"""Recurrence: the same issue raised again, in a later cycle or for another force.

Two findings are compared on their *core* words: lower case, without the framing every finding
shares ("The force should immediately", "Within three months, Northshire Police needs to",
force names; see ``data/linking.yaml``). Candidates are retrieved by the cosine of character
n-gram vectors (``char_wb`` 3–5, as scikit-learn builds them), which tolerates reworded and
re-inflected findings, and re-scored with rapidfuzz, which punishes findings that share
vocabulary but not sentence. (At scale the order is turned round for speed: rapidfuzz's C++
token-set pass over a block retrieves, and only what it retrieves is vectorised; see
:class:`Block`.)

The score of a pair depends on the two texts alone (the vectors are hashed term frequencies,
with no weight learnt from the rest of the record), so the links do not depend on the order
in which documents arrive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from scipy.sparse import csr_matrix, vstack
from sklearn.feature_extraction.text import HashingVectorizer

from peelwatch.link.findings import normalise

RULES_FILE = Path(__file__).parent / "data" / "linking.yaml"
# Chosen on the labelled pairs (tests/link/recurrence_pairs.yaml; see docs/linking.md).
RECURRENCE_THRESHOLD = 46.0
# Token-set ratio below which a pair is not scored in full: every labelled pair that reaches
# the threshold has at least 51.8 (see docs/linking.md).
RETRIEVAL_TOKEN_SET = 45.0
N_FEATURES = 2**18
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


def core_text(text: str) -> str:
    """The words of a finding that say what it is about (framing and force names removed);
    empty when fewer than ``MIN_CORE_WORDS`` remain."""
    words = " ".join(_WORDS.findall(normalise(text)))
    core = _framing_pattern().sub(" ", words).split()
    return " ".join(core) if len(core) >= MIN_CORE_WORDS else ""


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

    The lower of the whole texts' score (n-gram cosine and rapidfuzz's token-set ratio
    averaged) and the same score of their heads: a shared purpose clause cannot carry two
    different findings over the threshold, nor can a shared opening ("trains its staff so that").
    """
    if not a or not b:
        return 0.0
    ha, hb = head_text(a), head_text(b)
    if (ha, hb) == (a, b):
        head = _score(a, b, cosine)
    else:
        m = vectors([ha, hb])
        head = _score(ha, hb, float(m[0].multiply(m[1]).sum()))
    return round(min(_score(a, b, cosine), head), 2)


def pair_score(a: str, b: str) -> float:
    """The recurrence score of two finding texts as written (0..100)."""
    ca, cb = core_text(a), core_text(b)
    if not ca or not cb:
        return 0.0
    m = vectors([ca, cb])
    return rescore(ca, cb, float(m[0].multiply(m[1]).sum()))


@dataclass(slots=True)
class Block:
    """Findings compared together (one area key, or one force): their ids and core texts.

    Retrieval is rapidfuzz's token-set ratio over the whole block (one C++ pass, nothing to
    precompute, so a block costs nothing to build); only the findings it retrieves are
    vectorised and scored in full.
    """

    ids: list[int] = field(default_factory=list)
    cores: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)
    latest: dict[int, str] = field(default_factory=dict)
    # vectors of core and head per position, computed the first time a finding is retrieved
    _vectors: dict[int, csr_matrix] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> Block:
        return cls()

    def add(self, ids: Sequence[int], cores: Sequence[str]) -> None:
        """Append findings (their ids and core texts); a finding already held with the same
        words is not added again."""
        for fid, core in zip(ids, cores, strict=True):
            if self.latest.get(fid) == core:
                continue
            self.ids.append(fid)
            self.cores.append(core)
            self.heads.append(head_text(core))
            self.latest[fid] = core

    def _rows(self, positions: np.ndarray) -> tuple[csr_matrix, csr_matrix]:
        missing = [int(i) for i in positions if int(i) not in self._vectors]
        if missing:
            m = vectors([t for i in missing for t in (self.cores[i], self.heads[i])])
            for k, i in enumerate(missing):
                self._vectors[i] = m[2 * k : 2 * k + 2]
        both = vstack([self._vectors[int(i)] for i in positions], format="csr")
        return both[0::2], both[1::2]

    def _score(self, core: str, near: np.ndarray, token_set: np.ndarray) -> np.ndarray:
        """:func:`rescore` of ``core`` against the findings at ``near`` (token-set ratios given)."""
        head = head_text(core)
        query = vectors([core, head])
        cores, heads = self._rows(near)
        cos = (cores @ query[0].T).toarray().ravel()
        head_cos = (heads @ query[1].T).toarray().ravel()
        full = 50.0 * cos + 0.5 * token_set
        head_tokens = cdist([head], [self.heads[i] for i in near], scorer=fuzz.token_set_ratio)[0]
        return np.round(np.minimum(full, 50.0 * head_cos + 0.5 * head_tokens), 2)

    def similar(self, core: str, threshold: float = RECURRENCE_THRESHOLD) -> list[tuple[int, float, str]]:
        """(id, score, the core it was scored on) of the block's findings reaching ``threshold``."""
        if not core or not self.ids:
            return []
        token_set = cdist([core], self.cores, scorer=fuzz.token_set_ratio, score_cutoff=RETRIEVAL_TOKEN_SET)[
            0
        ]
        near = np.flatnonzero(token_set)
        if not len(near):
            return []
        scores = self._score(core, near, token_set[near])
        return [
            (self.ids[i], float(sc), self.cores[i])
            for i, sc in zip(near, scores, strict=True)
            if sc >= threshold
        ]
