"""Lists of subjects: where "A, B and C" splits, decided by the framework, not by punctuation.

"building, supporting and protecting the workforce" is one area; "preventing crime, police
powers and public treatment" is two. Commas and "and" cannot tell these apart, the framework
can: the list is cut where every piece names a framework subject, preferring the cut whose
pieces explain the most words. The piece furthest from the grade may stop early ("planning
future demand using innovative technology" names "planning for future demand" and then
says how), and the list ends at the first piece that names nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from peelwatch.extract.subjects import is_content_word
from peelwatch.extract.tokens import PhraseSet, Token
from peelwatch.framework.wording import load_wording

MAX_TOKENS = 60  # a list of subjects is never longer; bounds the work on run-on sentences
PIECE_COST = 0.5  # in words: of two cuts explaining the same words, the one with fewer pieces wins
SKIP_COST = 1.0  # in words: passing over one unknown item of a semicolon list


@dataclass(frozen=True, slots=True)
class Piece:
    """One subject of a list: ``toks[start:end]`` (token indices of the sentence) and its fit."""

    start: int
    end: int
    score: float


Namer = Callable[[int, int], float | None]  # (start, end) token span -> fit 0..1, or None


def _can_edge(tok: Token) -> bool:
    """A list piece cut short must still begin and end on a word that says something."""
    return tok.is_word and is_content_word(tok.low) and tok.low not in _joins()


@lru_cache(maxsize=1)
def _joins() -> PhraseSet:
    return PhraseSet.of(load_wording().list_joins)


def split_list(
    toks: Sequence[Token], start: int, stop: int, name: Namer, *, backwards: bool = False
) -> list[Piece]:
    """The subjects listed in ``toks[start:stop]``, read away from the grade.

    Forwards (the grade comes first: "good at A, B and C") the list starts at ``start``;
    backwards (the grade comes after: "A, B and C were good") it ends at ``stop``. ``name``
    scores a token span as a subject. Returns the pieces in reading order; empty when the
    first piece names nothing.
    """
    if backwards:
        start = max(start, stop - MAX_TOKENS)
    else:
        stop = min(stop, start + MAX_TOKENS)
    joins = _joins()
    # where each join is, and how long: pieces lie between joins
    join_at: dict[int, int] = {}
    k = start
    while k < stop:
        n = joins.match_at(toks, k)
        if n and k + n <= stop:
            join_at[k] = n
            k += n
        elif toks[k].is_quote and k > start and (k - 1 in join_at or joins.match_at(toks, k + 1)):
            join_at[k] = 1  # a quotation mark beside a join belongs to it: "crime,’ ‘keeping"
            k += 1
        else:
            k += 1
    if backwards:
        return _split_backwards(toks, start, stop, join_at, name)
    return _split_forwards(toks, start, stop, join_at, name)


_OBJECT_OF = frozenset(["to", "of", "for", "with", "by", "from", "about", "on"])


def _object_of_noun(toks: Sequence[Token], s: int, start: int) -> bool:
    """``toks[s]`` is the object of a preposition after a noun ("the response to victims"), unless
    that noun only names a category or a grade ("the area of crime data accuracy")."""
    if s <= start or toks[s - 1].low not in _OBJECT_OF:
        return False
    head = toks[s - 2].low if s >= 2 else ""
    return head not in _CATEGORY_HEADS


_CATEGORY_HEADS = frozenset(
    ["area", "areas", "aspect", "aspects", "grade", "grading", "rating", "question", "theme"]
)


def _between_semicolons(toks: Sequence[Token], s: int, e: int, stop: int) -> bool:
    return s > 0 and toks[s - 1].text == ";" and e < stop and toks[e].text == ";"


def _words(toks: Sequence[Token], a: int, b: int) -> int:
    """The words of a piece that say something (joins and function words do not count)."""
    return sum(1 for t in toks[a:b] if t.is_word and is_content_word(t.low))


def _split_forwards(
    toks: Sequence[Token], start: int, stop: int, join_at: dict[int, int], name: Namer
) -> list[Piece]:
    ends = sorted([*join_at, stop])
    best: dict[int, tuple[float, list[Piece]]] = {start: (0.0, [])}
    finals: list[tuple[float, list[Piece]]] = []
    for s in sorted({start} | {k + n for k, n in join_at.items()}):
        if s not in best or s >= stop:
            continue
        total, pieces = best[s]
        for e in ends:
            if e <= s:
                continue
            fit = name(s, e)
            if fit is None:
                if pieces and _between_semicolons(toks, s, e, stop):
                    # "A; B; an unknown item; D": semicolons leave no doubt where items end
                    nxt = e + join_at.get(e, 0)
                    if nxt not in best or total - SKIP_COST > best[nxt][0]:
                        best[nxt] = (total - SKIP_COST, pieces)
                continue
            piece = Piece(s, e, fit)
            candidate = (total + fit * _words(toks, s, e) - PIECE_COST, [*pieces, piece])
            finals.append(candidate)
            nxt = e
            while nxt in join_at:  # ", and" is one join made of two
                nxt += join_at[nxt]
            if e < stop and (nxt not in best or candidate[0] > best[nxt][0]):
                best[nxt] = candidate
        # the last piece may stop early: "planning future demand using innovative technology"
        for e in range(s + 1, min(stop, s + 25) + 1):
            if not _can_edge(toks[e - 1]):
                continue
            fit = name(s, e)
            if fit is not None:
                finals.append((total + fit * _words(toks, s, e) - PIECE_COST, [*pieces, Piece(s, e, fit)]))
    if not finals:
        return []
    return max(finals, key=lambda f: (f[0], -len(f[1])))[1]


def _split_backwards(
    toks: Sequence[Token], start: int, stop: int, join_at: dict[int, int], name: Namer
) -> list[Piece]:
    starts = sorted({start} | {k + n for k, n in join_at.items()}, reverse=True)
    best: dict[int, tuple[float, list[Piece]]] = {stop: (0.0, [])}
    finals: list[tuple[float, list[Piece]]] = []
    for e in sorted({stop} | set(join_at), reverse=True):
        if e not in best or e <= start:
            continue
        total, pieces = best[e]
        for s in starts:
            if s >= e:
                continue
            fit = name(s, e)
            if fit is None:
                continue
            piece = Piece(s, e, fit)
            candidate = (total + fit * _words(toks, s, e) - PIECE_COST, [piece, *pieces])
            finals.append(candidate)
            before = next((k for k, n in join_at.items() if k + n == s), None)
            while (
                before is not None
                and (earlier := next((k for k, n in join_at.items() if k + n == before), None)) is not None
            ):
                before = earlier  # ", and" is one join made of two
            if before is not None and (before not in best or candidate[0] > best[before][0]):
                best[before] = candidate
        # the first piece may start late: "work is needed in treating the public fairly, …", but not
        # inside a noun phrase: "the response to victims" is not about "victims"
        for s in range(e - 1, max(start, e - 25) - 1, -1):
            if not _can_edge(toks[s]) or _object_of_noun(toks, s, start):
                continue
            fit = name(s, e)
            if fit is not None:
                finals.append((total + fit * _words(toks, s, e) - PIECE_COST, [Piece(s, e, fit), *pieces]))
    if not finals:
        return []
    return max(finals, key=lambda f: (f[0], -len(f[1])))[1]
