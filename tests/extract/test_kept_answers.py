"""Answers kept for lines asked about again (a heading is read as a heading, then as a finding's
lead; the blocks after it look back at it) are the answers the plain rules give."""

from __future__ import annotations

import random

from peelwatch.extract.blocks import starts_demand
from peelwatch.extract.cues import _types_named, types_named

_PIECES = (
    "The force should",
    "Within three months, the force should",
    "Kent Police needs to",
    "Make sure that",
    "make sure that",
    "Area for improvement",
    "areas for improvement",
    "Recommendation",
    "cause of concern",
    "no causes of concern",
    "we identified no causes of concern but two areas for improvement",
    "By March, the chief constable should",
    "“The force should",
    "review case",
    "records crime in area",
    "Investigating crime",
    "AFI",
)


def _lines(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        words = [rng.choice(_PIECES) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.5:
            words.append(str(rng.randint(1, 120)))
        out.append(" ".join(words) + rng.choice(("", ".", ":", " improve.")))
    return out


def test_a_kept_demand_answer_is_the_plain_rules_answer() -> None:
    rng = random.Random(19)
    lines = _lines(rng, 600)
    plain = [starts_demand.__wrapped__(t) for t in lines]
    assert any(plain) and not all(plain)
    for _ in range(2):  # asked twice: the second answer is the kept one
        assert [starts_demand(t) for t in lines] == plain


def test_kept_type_words_are_the_plain_rules_type_words() -> None:
    rng = random.Random(23)
    lines = _lines(rng, 600)
    plain = [list(_types_named.__wrapped__(t)) for t in lines]
    assert any(plain) and not all(plain)
    for _ in range(2):
        assert [types_named(t) for t in lines] == plain


def test_changing_a_returned_list_does_not_change_the_kept_answer() -> None:
    text = "we identified no causes of concern but two areas for improvement"
    first = types_named(text)
    assert [t for _, _, t in first] == ["area_for_improvement"]
    first.clear()
    assert types_named(text) != []
