"""The status a tracker or committee paper states for each finding ("Completed", "Ongoing", RAG).

Vocabulary and mapping are data (``framework/data/statuses.yaml``). A status word counts only as
a label standing after the finding's text and before the next finding: in its own cell or line,
or after ``Status:``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Any

from peelwatch.extract.cues import lowered
from peelwatch.extract.model import Finding, StatedStatus
from peelwatch.framework._load import data_file, read_cached


@dataclass(frozen=True, slots=True)
class StatusVocabulary:
    """Which documents state statuses, how far to look, and the words for each status."""

    kinds: frozenset[str]
    window: int
    pattern: re.Pattern[str]
    meaning: dict[str, str]  # lower-cased word -> lifecycle status


@cache
def load_status_vocabulary() -> StatusVocabulary:
    """Read ``statuses.yaml`` once (it is part of the package and never changes at run time), or
    the copy an earlier process cached, so that a short command does not import a YAML parser."""
    raw = read_cached("statuses", data_file("statuses.yaml"), dict, _parse_statuses)
    meaning = {word.lower(): status for status, words in raw["statuses"].items() for word in words}
    words = "|".join(re.escape(w) for w in sorted(meaning, key=len, reverse=True))
    # A label: at a line start, after a tab, a cell bar or "Status:"; followed by the end of the
    # line, a tab, a bar or a full stop.
    pattern = re.compile(
        rf"(?:^|\t|\|\s*|status\s*:\s*)[ \t]*({words})[ \t]*(?=$|\t|\||\.\s*$)", re.IGNORECASE | re.MULTILINE
    )
    return StatusVocabulary(frozenset(raw["kinds"]), int(raw["window"]), pattern, meaning)


def _parse_statuses() -> dict[str, Any]:
    import yaml  # only when no cached copy can be read

    return yaml.safe_load(data_file("statuses.yaml")["statuses.yaml"])


def mark_statuses(text: str, findings: list[Finding], kind: str) -> None:
    """Set ``stated`` on each finding whose status the document states (trackers, papers only)."""
    vocab = load_status_vocabulary()
    if kind not in vocab.kinds or not findings:
        return
    low = lowered(text)
    if not any(map(low.__contains__, vocab.meaning)):
        return  # no status word anywhere: no finding is followed by one
    starts = sorted(f.start for f in findings)
    for f in findings:
        after = bisect_right(starts, f.start)  # the next finding's start (not every later one)
        stop = min([f.end + vocab.window, len(text), *starts[after : after + 1]])
        m = vocab.pattern.search(text, f.end, stop) if stop > f.end else None
        if m is not None:
            word = m.group(1)
            f.stated = StatedStatus(
                status=vocab.meaning[lowered(word)], word=word, evidence=word, start=m.start(1), end=m.end(1)
            )
