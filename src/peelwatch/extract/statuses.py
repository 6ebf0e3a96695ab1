"""The status a tracker or committee paper states for each finding ("Completed", "Ongoing", RAG).

Vocabulary and mapping are data (``framework/data/statuses.yaml``). A status word counts only as
a label standing after the finding's text and before the next finding: in its own cell or line,
or after ``Status:``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from peelwatch.extract.model import Finding, StatedStatus


@dataclass(frozen=True, slots=True)
class StatusVocabulary:
    """Which documents state statuses, how far to look, and the words for each status."""

    kinds: frozenset[str]
    window: int
    pattern: re.Pattern[str]
    meaning: dict[str, str]  # lower-cased word -> lifecycle status


@cache
def load_status_vocabulary() -> StatusVocabulary:
    """Read ``statuses.yaml`` once (it is part of the package and never changes at run time)."""
    raw = yaml.safe_load(
        resources.files("peelwatch.framework").joinpath("data/statuses.yaml").read_text("utf-8")
    )
    meaning = {word.lower(): status for status, words in raw["statuses"].items() for word in words}
    words = "|".join(re.escape(w) for w in sorted(meaning, key=len, reverse=True))
    # A label: at a line start, after a tab, a cell bar or "Status:"; followed by the end of the
    # line, a tab, a bar or a full stop.
    pattern = re.compile(
        rf"(?:^|\t|\|\s*|status\s*:\s*)[ \t]*({words})[ \t]*(?=$|\t|\||\.\s*$)", re.IGNORECASE | re.MULTILINE
    )
    return StatusVocabulary(frozenset(raw["kinds"]), int(raw["window"]), pattern, meaning)


def mark_statuses(text: str, findings: list[Finding], kind: str) -> None:
    """Set ``stated`` on each finding whose status the document states (trackers, papers only)."""
    vocab = load_status_vocabulary()
    if kind not in vocab.kinds or not findings:
        return
    starts = sorted(f.start for f in findings)
    for f in findings:
        later = [s for s in starts if s > f.start]
        stop = min([f.end + vocab.window, len(text), *later[:1]])
        m = vocab.pattern.search(text, f.end, stop) if stop > f.end else None
        if m is not None:
            word = m.group(1)
            f.stated = StatedStatus(
                status=vocab.meaning[word.lower()], word=word, evidence=word, start=m.start(1), end=m.end(1)
            )
