"""Words and punctuation of one sentence, with offsets: what the judgment relations read.

A relation is a sentence about word classes ("a subject list, a copula, a grade"), so it needs
the sentence as a sequence of words rather than as characters. Tokens keep their offsets into
the flat sentence text, so that every subject and grade maps back to the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from peelwatch.extract._lazy import lazy_compile

# A word (letters/digits, inner apostrophes and hyphens: "force's", "anti-social", "2021/22"),
# a possessive ending written apart ("’s"), or one punctuation character.
_TOKEN = lazy_compile(r"[^\W_]+(?:['’][^\W_]+)*(?:[-/][^\W_]+(?:['’][^\W_]+)*)*|\S", re.UNICODE)
QUOTES = frozenset("‘’'\"“”«»`")
# characters that mark a list item at the start of a line
BULLETS = "•·▪◦●*►➢✓→"
DASHES = frozenset("-–—―−")


class Token(NamedTuple):
    """One word or punctuation mark; ``low`` is lower-cased with straight apostrophes.

    A named tuple rather than a frozen dataclass: every sentence read is cut into tokens, and a
    tuple is made in a third of the time.
    """

    text: str
    low: str
    start: int  # offset in the sentence text
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_quote(self) -> bool:
        return self.text in QUOTES

    @property
    def is_dash(self) -> bool:
        return self.text in DASHES


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``: "It is 'good' at A." -> It / is / ' / good / ' / at / A / ."""
    return [
        Token(m.group(0), m.group(0).lower().replace("’", "'"), m.start(), m.end())
        for m in _TOKEN.finditer(text)
    ]


@lru_cache(maxsize=4096)
def phrase_words(phrase: str) -> tuple[str, ...]:
    """A vocabulary phrase as lower-case token texts: "in respect of" -> ("in", "respect", "of").

    The ``low`` of each of :func:`tokenize`'s tokens, without making the tokens: the first
    document of a process asks this of some 600 vocabulary phrases."""
    return tuple(m.group(0).lower().replace("’", "'") for m in _TOKEN.finditer(phrase))


@dataclass(frozen=True)
class PhraseSet:
    """Multi-word phrases looked up by their first word, longest first.

    >>> PhraseSet.of(["in", "in respect of"]).match_at(tokenize("good in respect of A"), 1)
    3
    """

    by_first: dict[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def of(cls, phrases: Iterable[str]) -> PhraseSet:
        groups: dict[str, list[tuple[str, ...]]] = {}
        for p in phrases:
            words = phrase_words(p)
            if words:
                groups.setdefault(words[0], []).append(words)
        return cls({k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in groups.items()})

    def match_at(self, toks: Sequence[Token], i: int) -> int:
        """The number of tokens of the longest phrase starting at ``toks[i]``, or 0."""
        if i >= len(toks):
            return 0
        for words in self.by_first.get(toks[i].low, ()):
            n = len(words)
            if i + n <= len(toks) and all(toks[i + k].low == words[k] for k in range(1, n)):
                return n
        return 0

    def match_ending_at(self, toks: Sequence[Token], end: int) -> int:
        """The number of tokens of the longest phrase ending just before ``toks[end]``, or 0."""
        for start in range(max(0, end - 6), end):  # furthest start first: the longest phrase
            for words in self.by_first.get(toks[start].low, ()):
                n = len(words)
                if start + n == end and all(toks[start + k].low == words[k] for k in range(1, n)):
                    return n
        return 0

    def __contains__(self, word: str) -> bool:
        return (word,) in self.by_first.get(word, ())
