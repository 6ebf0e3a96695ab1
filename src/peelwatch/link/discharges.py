"""Which stored finding a discharge statement names, from the words the extractor read as naming it.

The extractor keeps, with each statement, the words that name its finding
(:mod:`peelwatch.extract.discharges`): the finding's own text when the document lists it, else
what the statement says it is about ("responding to the public", "update its vetting
assessments"). They are matched against the force's findings of the statement's finding type:

1. as the finding's words: the finding whose text they quote or are contained in (partial
   alignment, as a quotation in a letter is matched); of equal matches the earliest raised wins,
   since a later report restating a finding to report on it quotes the original;
2. as its subject: the findings tied to the framework subject the words name (their area key);
   of those, the latest cycle's, when there is exactly one (a closure letter closes the cause of
   concern still open on that subject). Two equally good answers give none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rapidfuzz import fuzz

from peelwatch.link.areas import key_from_heading, key_from_words
from peelwatch.link.findings import DISCHARGE_THRESHOLD, MIN_QUOTE_CHARS, normalise, similarity

__all__ = ["SUBJECT_SCORE", "match_named"]

# The score recorded for a link made through the subject a statement names (no words compared).
SUBJECT_SCORE = 100.0


class _FindingRow(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def cycle_id(self) -> int | None: ...
    @property
    def area_key(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def type(self) -> str: ...


def _quote_score(quote: str, finding: str) -> float:
    """How well the named words match a finding's (0..100): whole texts, or the words found
    inside a longer finding."""
    score = similarity(quote, finding)
    if len(finding) >= len(quote):
        score = max(score, fuzz.partial_ratio(quote, finding))
    return score


def match_named(
    names: str,
    finding_type: str | None,
    cycle: str | None,
    candidates: Sequence[_FindingRow],
    cycle_position: dict[int, int],
) -> tuple[int, float] | None:
    """The finding ``names`` names among ``candidates``, with its score, or None when unclear.

    ``cycle`` is the statement's cycle label (subjects are named in its framework);
    ``cycle_position`` orders the candidates' cycles.
    """
    pool = [r for r in candidates if finding_type is None or r.type == finding_type]
    if not pool:
        return None

    def raised(r: _FindingRow) -> int:
        return cycle_position.get(r.cycle_id, -1) if r.cycle_id is not None else -1

    quote = normalise(names)
    if len(quote) >= MIN_QUOTE_CHARS:
        scored = [
            (s, r) for r in pool if (s := _quote_score(quote, normalise(r.text))) >= DISCHARGE_THRESHOLD
        ]
        if scored:
            score, best = min(scored, key=lambda sr: (-sr[0], raised(sr[1]), sr[1].id))
            return best.id, float(score)
    key = key_from_heading(names, cycle) or key_from_words(names, cycle)
    keyed = [r for r in pool if key and r.area_key == key]
    if not keyed:
        return None
    latest = max(raised(r) for r in keyed)
    newest = [r for r in keyed if raised(r) == latest]
    return (newest[0].id, SUBJECT_SCORE) if len(newest) == 1 else None
