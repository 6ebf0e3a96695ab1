"""Text views the extraction rules work on: lines, paragraphs and sentences, with offsets.

Rules match on whitespace-folded text ("flat" text) so that a sentence wrapped across lines by a
PDF still reads as one; every match maps back to offsets in ``Document.text``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from peelwatch.extract._lazy import lazy_compile

_WS = lazy_compile(r"\s+")
_BLANK_LINE = lazy_compile(r"\n[ \t\f\v\u00a0]*\n")
_SENTENCE_END = lazy_compile(r"(?<=[.!?])[’”\"']?\s+(?=[A-Z‘“\"'(•\-–])")


_RUN = lazy_compile(r"\S+")
_NOT_WORD_CHARS = lazy_compile(r"[^a-z0-9' ]+")


class Flat:
    """Whitespace-folded text with a map from flat offsets back to source offsets.

    The map keeps one anchor per run of non-space characters and is built only when an offset is
    first asked for: most paragraphs hold no fact, so most maps are never needed. Text that folding
    leaves as it was (one line, single spaces: most short paragraphs) needs no map at all.
    """

    __slots__ = ("_anchors", "_same", "base", "raw", "text")

    def __init__(self, raw: str, base: int = 0) -> None:
        self.raw = raw
        self.base = base
        self.text = " ".join(raw.split())
        self._anchors: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]] | None = None
        self._same: bool | None = None  # whether folding left the text as it was

    def _map(self) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        if self._anchors is None:
            src_starts = tuple(self.base + m.start() for m in _RUN.finditer(self.raw))
            lengths = tuple(map(len, self.raw.split()))
            flat_starts = tuple(accumulate((n + 1 for n in lengths[:-1]), initial=0)) if lengths else ()
            self._anchors = (flat_starts, src_starts, lengths)
        return self._anchors

    def to_source(self, pos: int) -> int:
        if self._same is None:
            self._same = bool(self.raw) and self.raw == self.text
        if self._same:  # (what the map below gives for such text)
            return self.base + min(pos, len(self.raw))
        flat_starts, src_starts, lengths = self._map()
        if not flat_starts:
            return self.base
        i = max(0, bisect_right(flat_starts, pos) - 1)
        return src_starts[i] + min(pos - flat_starts[i], lengths[i])

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        end = max(end, start + 1) if self.text else end
        return self.to_source(start), self.to_source(end - 1) + 1


def flatten(source: str, base: int = 0) -> Flat:
    """Fold every whitespace run of ``source`` into one space and strip the ends."""
    return Flat(source, base)


class Line(NamedTuple):
    """One line of a text: its offsets and its words stripped of surrounding white space.

    A named tuple rather than a frozen dataclass: a document has a line for every 20-odd
    characters, and a tuple is made in a third of the time (a tenth of the time a 1 MB text
    of short lines takes to extract went to making its lines and blocks)."""

    start: int
    end: int
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


@lru_cache(maxsize=4)
def lines(text: str) -> tuple[Line, ...]:
    """Every line of the text with its offsets; ``text`` is stripped of surrounding whitespace.

    Cached: every stage walks the same document's lines, and the result is immutable."""
    out = []
    append = out.append
    # (a Line made by tuple.__new__ is what Line(...) makes, without the named tuple's own
    # __new__, a Python call: half the time of a text of short lines)
    new = tuple.__new__
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if len(stripped) == len(raw):  # most lines have no white space around them
            append(new(Line, (pos, pos + len(raw), raw)))
        else:
            lead = len(raw) - len(raw.lstrip())
            append(new(Line, (pos + lead, pos + lead + len(stripped), stripped)))
        pos += len(raw) + 1
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    flat: Flat


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """The spans of the blocks of text separated by blank lines (blocks of white space left out)."""
    pos = 0
    for m in [*_BLANK_LINE.finditer(text), None]:
        end = m.start() if m else len(text)
        if pos < end and not text[pos:end].isspace():
            yield pos, end
        if m:
            pos = m.end()


def paragraphs(text: str) -> list[Paragraph]:
    """Blocks of text separated by blank lines, each flattened."""
    return [Paragraph(a, b, flatten(text[a:b], a)) for a, b in paragraph_spans(text)]


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # flat
    flat: Flat
    flat_start: int  # where the sentence starts in flat.text

    @property
    def start(self) -> int:
        """Offset of the sentence in the source (computed on demand)."""
        return self.flat.to_source(self.flat_start)

    @property
    def end(self) -> int:
        return self.flat.to_source(self.flat_start + len(self.text) - 1) + 1

    def to_source(self, pos: int) -> int:
        """The source offset of position ``pos`` of the sentence text."""
        return self.flat.to_source(self.flat_start + pos)


# The longest sentence read as one. The rules relate each grade to words anywhere in its sentence,
# so their work grows with grades x sentence length: a "sentence" as long as the document (no full
# stop, or copies of one sentence with no space between them) would make extraction quadratic.
# Real sentences in inspection documents stay well under 1,000 characters (the longest seen is 761),
# so a longer run is cut into pieces of at most this many characters, at a space where there is one.
MAX_SENTENCE_CHARS = 2000


def flat_sentences(flat: Flat, ends: re.Pattern[str] = _SENTENCE_END) -> Iterator[Sentence]:
    """The sentences of one flattened block, cut where ``ends`` matches (by default a full stop,
    then a capital); a run longer than :data:`MAX_SENTENCE_CHARS` is cut into pieces that long."""
    ft = flat.text
    pos = 0
    for m in [*ends.finditer(ft), None]:
        end = m.start() if m else len(ft)
        seg = ft[pos:end].strip()
        if seg:
            lead = len(ft[pos:end]) - len(ft[pos:end].lstrip())
            if len(seg) <= MAX_SENTENCE_CHARS:
                yield Sentence(seg, flat, pos + lead)
            else:
                yield from _pieces(seg, flat, pos + lead)
        if m:
            pos = m.end()


def _pieces(seg: str, flat: Flat, start: int) -> Iterator[Sentence]:
    """An over-long sentence in pieces of at most :data:`MAX_SENTENCE_CHARS` characters."""
    at = 0
    while at < len(seg):
        stop = at + MAX_SENTENCE_CHARS
        if stop < len(seg):
            space = seg.rfind(" ", at + 1, stop + 1)
            stop = space if space > at else stop
        piece = seg[at:stop].strip()
        if piece:
            yield Sentence(piece, flat, start + at + (len(seg[at:stop]) - len(seg[at:stop].lstrip())))
        at = stop


def sentences(paras: list[Paragraph]) -> Iterator[Sentence]:
    """Sentences of each paragraph (a simple splitter: full stop then a capital)."""
    for para in paras:
        yield from flat_sentences(para.flat)


def norm(text: str) -> str:
    """Lower-case, straight quotes, letters and digits only: for comparing phrases."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("&", " and ")
    return " ".join(_NOT_WORD_CHARS.sub(" ", text).split())


def evidence(source: str, start: int, end: int, limit: int = 300) -> str:
    """The exact source words for a span, cut at ``limit`` characters (on a word boundary)."""
    snippet = source[start:end].strip()
    if len(snippet) > limit:
        cut = snippet.rfind(" ", 0, limit)
        snippet = snippet[: cut if cut > limit // 2 else limit].rstrip()
    return snippet
