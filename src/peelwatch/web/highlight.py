"""Cutting a document's text into highlighted pieces from character spans.

The result is plain data (strings and small dicts); the templates render it with autoescaping on,
so a document's text can never become markup, whatever it contains.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Mark:
    """One extracted fact to highlight: its kind, its anchor and where a click should go."""

    kind: str  # "judgment", "finding", "response", "discharge", "statistic", "mention"
    start: int
    end: int
    anchor: str  # element id of the fact's first piece, e.g. "finding-12"
    href: str  # where a click goes: a finding page or the fact's entry in the side list
    label: str = ""  # short accessible description: "Finding: area for improvement"


@dataclass(slots=True)
class Piece:
    """A run of text covered by the same marks (none for plain text)."""

    text: str
    marks: list[Mark] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # ids of the marks that start here, for #links

    @property
    def top(self) -> Mark | None:
        """The innermost (shortest) mark: the one a click on this piece follows."""
        return min(self.marks, key=lambda m: m.end - m.start) if self.marks else None

    @property
    def classes(self) -> str:
        """CSS classes: one per kind of mark covering this piece."""
        kinds = sorted({m.kind for m in self.marks})
        return " ".join(f"hl hl-{k}" for k in kinds) if kinds else ""


def clamp_marks(marks: list[Mark], length: int) -> list[Mark]:
    """Drop marks whose spans do not fit the text; a bad span must not break the page."""
    good = []
    for m in marks:
        start, end = max(0, m.start), min(length, m.end)
        if start < end:
            good.append(m if (start, end) == (m.start, m.end) else _respan(m, start, end))
    return good


def _respan(m: Mark, start: int, end: int) -> Mark:
    return Mark(m.kind, start, end, m.anchor, m.href, m.label)


def pieces(text: str, marks: list[Mark]) -> list[Piece]:
    """Split ``text`` at every span boundary; each piece knows which marks cover it.

    Overlapping and nested spans are allowed: a piece covered by several marks carries all of
    them, and links to the innermost.
    """
    marks = clamp_marks(marks, len(text))
    if not marks:
        return [Piece(text)] if text else []
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    out: list[Piece] = []
    active: list[Mark] = []
    anchored: set[str] = set()
    for a, b in itertools.pairwise(bounds):
        active = [m for m in active if m.end > a] + starts.get(a, [])
        piece = Piece(text[a:b], list(active))
        for m in active:
            # A fact cut into several pieces (by a nested one) gets its id on the first only.
            if m.start == a and m.anchor not in anchored:
                anchored.add(m.anchor)
                piece.anchors.append(m.anchor)
        out.append(piece)
    return out


def around(
    before: str, match: str, after: str, *, clipped_before: bool, clipped_after: bool
) -> dict[str, Any]:
    """A passage as ``before``/``match``/``after``, cut words trimmed where the context was clipped."""
    if clipped_before and " " in before:
        before = before[before.index(" ") + 1 :]
    if clipped_after and " " in after:
        after = after[: after.rindex(" ")]
    return {
        "before": before,
        "match": match,
        "after": after,
        "clipped_before": clipped_before,
        "clipped_after": clipped_after,
    }
