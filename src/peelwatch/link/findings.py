"""Matching findings by their words: the same finding quoted in several documents.

A commissioner's letter quotes an area for improvement with small differences (a dropped
"The force should", a typo, different quotes or bullets); a press release shortens it. The
comparison therefore works on a normalised form and uses rapidfuzz ratios, with a threshold
high enough that two different findings of the same force and cycle stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process

# Scores are 0..100. Measured on our fixture pairs: restatements score 88-100, different
# findings of one report 35-75.
MATCH_THRESHOLD = 85.0
# A finding of another type (a letter calling a recommendation an AFI) must be closer still.
CROSS_TYPE_THRESHOLD = 93.0
# Recurrence across cycles is looser: the inspectorate rewords a finding it makes again.
RECUR_THRESHOLD = 80.0
COMPARE_CHARS = 400

_REF = re.compile(
    r"^\s*(?:[-*\u2022\u25cf\u25aa]+\s*)?"
    r"(?:(?:afi|area for improvement|cause of concern|recommendation|aoi)\s*\d*\s*[:.)\-\u2013]?\s*|\d+[.)]\s+)",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[^0-9a-z]+")
_LEAD = re.compile(r"^(?:the force|the constabulary|force|constabulary)\s+(?:should|must|needs? to)\s+")


def normalise(text: str) -> str:
    """Lower-case words only, without a leading reference ("AFI 3:") or "the force should"."""
    stripped = _REF.sub("", text, count=1)
    words = _NON_WORD.sub(" ", stripped.lower()).strip()
    return _LEAD.sub("", words)[:COMPARE_CHARS]


def similarity(a: str, b: str) -> float:
    """How alike two normalised findings are, 0..100 (order of words matters only a little)."""
    if not a or not b:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


class Candidate(NamedTuple):
    """A stored finding that a new one may restate (a tuple: thousands are built per document)."""

    id: int
    norm: str
    type: str


@lru_cache(maxsize=65536)  # a stored finding is shortlisted against every finding of its report
def _sorted_words(norm: str) -> str:
    """The words of ``norm`` in sorted order: what ``token_sort_ratio`` compares by ``ratio``."""
    return " ".join(sorted(norm.split()))


def _shortlist(norm: str, candidates: list[Candidate], cutoff: float, limit: int) -> list[Candidate]:
    """The candidates worth scoring exactly, found by rapidfuzz's C++ loop (fast at 100k).

    Ranked by ``token_sort_ratio``, computed as the ``ratio`` of the words sorted (the same
    number): each stored finding's words are sorted once, not once per finding compared."""
    if not norm or not candidates:
        return []
    hits = process.extract(
        _sorted_words(norm),
        [_sorted_words(c.norm) for c in candidates],
        scorer=fuzz.ratio,
        score_cutoff=cutoff,
        limit=limit,
    )
    return [candidates[index] for _choice, _score, index in hits]


def best_match(
    norm: str, type_: str, candidates: Iterable[Candidate], *, exclude: set[int] | None = None
) -> tuple[Candidate, float] | None:
    """The candidate this finding restates, with its score, or ``None`` when none is close enough."""
    pool = [c for c in candidates if not (exclude and c.id in exclude)]
    best: tuple[Candidate, float] | None = None
    # token_sort_ratio is within a few points of ratio on these texts; the margin keeps any
    # candidate whose exact score could pass.
    core = _core(norm)
    for cand in _shortlist(norm, pool, MATCH_THRESHOLD - 15, 10):
        # A restatement often changes only the frame ("needs to improve how it identifies" in
        # the report, "was failing to identify" in the revisit letter): compare the cores too.
        score = max(similarity(norm, cand.norm), similarity(core, _core(cand.norm)))
        needed = MATCH_THRESHOLD if cand.type == type_ else CROSS_TYPE_THRESHOLD
        if score >= needed and (best is None or score > best[1]):
            best = (cand, score)
    return best


def _core(norm: str) -> str:
    from peelwatch.link.recurrence import core_text  # the framing rules live with recurrence

    return core_text(norm)


def recurrences(norm: str, candidates: Iterable[Candidate], limit: int = 3) -> list[tuple[Candidate, float]]:
    """Findings of other cycles that this one repeats, best first."""
    shortlist = _shortlist(norm, list(candidates), RECUR_THRESHOLD - 15, limit * 4)
    found = [(c, s) for c in shortlist if (s := similarity(norm, c.norm)) >= RECUR_THRESHOLD]
    return sorted(found, key=lambda pair: -pair[1])[:limit]


def is_authoritative_kind(kind: str) -> bool:
    """Whether a document of this kind is the inspectorate's own (its text and grades win)."""
    return kind == "inspection_report"


# A discharge statement wraps the quoted finding in the report's own words: "In our 2021/22
# inspection we said the force should ... This area for improvement has been discharged."
_DISCHARGE_LEAD = re.compile(
    r"^.*?\b(?:we|hmicfrs|hmic|the inspectorate)\s+(?:said|found|recommended|reported|stated)\s+(?:that\s+)?",
    re.IGNORECASE | re.DOTALL,
)
_DISCHARGE_SENTENCE = re.compile(r"[^.]*\bdischarged\b[^.]*\.?", re.IGNORECASE)
DISCHARGE_THRESHOLD = 90.0
MIN_QUOTE_CHARS = 30


def discharge_quote(text: str) -> str:
    """The finding a discharge statement quotes, normalised, without the statement's own words."""
    core = _DISCHARGE_SENTENCE.sub(" ", text)
    core = _DISCHARGE_LEAD.sub("", core, count=1)
    return normalise(core.strip() or text)


def discharge_match(text: str, candidates: Iterable[Candidate]) -> tuple[Candidate, float] | None:
    """The earlier finding a discharge statement is about, or ``None`` when unclear.

    The quote is often only the opening of the finding, so it is aligned against the finding
    (partial ratio) as well as compared whole.
    """
    quote = discharge_quote(text)
    if len(quote) < MIN_QUOTE_CHARS:
        return None
    pool = list(candidates)
    hits = process.extract(
        quote, [c.norm for c in pool], scorer=fuzz.partial_ratio, score_cutoff=DISCHARGE_THRESHOLD, limit=5
    )
    best: tuple[Candidate, float] | None = None
    for _choice, _score, index in hits:
        cand = pool[index]
        # partial_ratio aligns the shorter text inside the longer: only count it when the quote
        # is the shorter one (an opening quoted from a longer finding), else compare whole texts.
        score = similarity(quote, cand.norm)
        if len(cand.norm) >= len(quote):
            score = max(score, fuzz.partial_ratio(quote, cand.norm))
        if score >= DISCHARGE_THRESHOLD and (best is None or score > best[1]):
            best = (cand, score)
    return best
