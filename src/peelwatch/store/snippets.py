"""Search snippets: a few words of a matched text around the first hit, hits marked.

The full-text index stems words (Porter) and folds accents; a word of the text is a hit when it
stems, folded, to the stem of a query word, as the index would have matched it. The work is
bounded whatever the text or the query: the text is scanned by one compiled pattern for words
that could stem to a query word, and only those are stemmed, up to :data:`MAX_CANDIDATES`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import snowballstemmer

# Private-use characters mark the hits inside snippets; they never occur in the documents we
# store (readers drop them), so splitting on them is unambiguous.
HIT_START = "\ue000"
HIT_END = "\ue001"
ELLIPSIS = "…"
# Words looked at (and stemmed) before giving up on finding a hit in a text: a match in the
# title only leaves none in the body, and a report-length body must not be stemmed whole.
MAX_CANDIDATES = 2000
_WORD = re.compile(r"[^\W_]+")


def fold(word: str) -> str:
    """``word`` lower-cased without accents, as the index's tokenizer folds it."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Highlighter:
    """Finds and marks the words of a text that match any of ``words`` once stemmed."""

    def __init__(self, words: Iterable[str]) -> None:
        self._stemmer = snowballstemmer.stemmer("porter")
        # Stemming is pure Python and the same few words recur in every snippet of a search.
        self._stemmed: dict[str, str] = {}
        self._stems = {self._stem(w) for w in words if w}
        self._stems.discard("")
        # A Porter stem less its last letter is a prefix of every word it comes from (the
        # algorithm rewrites endings only, "happy" -> "happi"), so the pattern finds every
        # candidate; a candidate is a hit when its own stem is one of the query's.
        prefixes = sorted({s[:-1] if len(s) > 1 else s for s in self._stems}, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, prefixes)) + r")[^\W_]*", re.IGNORECASE)
            if prefixes
            else None
        )

    def _stem(self, word: str) -> str:
        stem = self._stemmed.get(word)
        if stem is None:
            stem = self._stemmed[word] = str(self._stemmer.stemWord(fold(word)))
        return stem

    def hits(self, text: str, start: int = 0, end: int | None = None) -> Iterable[tuple[int, int]]:
        """The spans of the matching words of ``text[start:end]``, in order (bounded scan)."""
        if self._pattern is None:
            return
        for n, m in enumerate(self._pattern.finditer(text, start, len(text) if end is None else end)):
            if n >= MAX_CANDIDATES:
                return
            if self._stem(m.group()) in self._stems:
                yield m.span()

    def snippet(self, text: str, words: int) -> str:
        """About ``words`` words of ``text`` from just before its first hit, hits between
        :data:`HIT_START` and :data:`HIT_END`, an ellipsis where the text was cut."""
        first = next(iter(self.hits(text)), None)
        at = first[0] if first else 0
        lead = max(1, words // 4)  # a few words of what comes before the hit
        before = list(_WORD.finditer(text, max(0, at - 40 * lead), at))[-lead:] if at else []
        begin = before[0].start() if before else at
        tokens = []
        for m in _WORD.finditer(text, begin):
            tokens.append(m)
            if len(tokens) >= words:
                break
        if not tokens:
            return text[:200]
        stop = tokens[-1].end()
        out: list[str] = [ELLIPSIS] if begin > 0 else []
        pos = begin
        for a, b in self.hits(text, begin, stop):
            out += [text[pos:a], HIT_START, text[a:b], HIT_END]
            pos = b
        out.append(text[pos:stop])
        if stop < len(text):
            out.append(ELLIPSIS)
        return "".join(out)
