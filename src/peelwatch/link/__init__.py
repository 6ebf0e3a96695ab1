"""peelwatch.link: decide which stored finding a newly read finding restates.

The rules are pure functions over text so that the store can apply them inside its write
transaction; nothing here touches the database.
"""

from __future__ import annotations

from peelwatch.link.findings import (
    MATCH_THRESHOLD,
    RECUR_THRESHOLD,
    Candidate,
    best_match,
    discharge_match,
    discharge_quote,
    is_authoritative_kind,
    normalise,
    recurrences,
    similarity,
)

__all__ = [
    "MATCH_THRESHOLD",
    "RECUR_THRESHOLD",
    "Candidate",
    "best_match",
    "discharge_match",
    "discharge_quote",
    "is_authoritative_kind",
    "normalise",
    "recurrences",
    "similarity",
]
