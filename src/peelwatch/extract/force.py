"""Which force a document is about: the force it names most, weighed by how and where it is named.

Every name, alias and former name of the 43 forces (``forces.yaml``) is found by word n-gram
lookup, and so are the names that point to a force without naming it (``force_hints`` in the
vocabulary: "the Police Authority Board" is the City of London's policing body). A full name
("Bedfordshire Police") counts more than a bare place name ("Bedfordshire"); a name in the title
or the first lines counts more than one further down; a name inside a list of forces ("its
collaboration with Hertfordshire and Cambridgeshire") counts less. Two forces named about
equally make a national document: no force.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from pathlib import PurePath

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.text import norm
from peelwatch.framework import Force, load_framework
from peelwatch.framework.vocabulary import load_vocabulary

_TOKEN = lazy_compile(r"[A-Za-z0-9'’]+|&")
_WHOLE = re.Match.group  # a match's whole text
_GENERIC = frozenset({"police", "constabulary", "service", "force"})
SCAN_CHARS = 10000  # the force is named early; a whole 100-page report adds only noise and time
HEAD_CHARS = 600


@dataclass(frozen=True)
class ForceIndex:
    by_alias: dict[str, str]  # normalised alias -> official name
    full: frozenset[str]  # the aliases that are full names ("kent police"), not bare places ("kent")
    longest: int  # the most words in any alias
    first_words: dict[str, int]  # the first word of every alias -> the most words of one starting so
    hints: tuple[tuple[str, str], ...]  # (lower-case phrase, official name): names that only point to a force


@lru_cache(maxsize=1)
def force_index() -> ForceIndex:
    """Every name, alias and former name of every force, normalised, mapped to the official name."""
    fw = load_framework()
    by_alias: dict[str, str] = {}
    full: set[str] = set()
    for force in fw.forces:
        for name in (force.name, *force.aliases, *force.former_names):
            if name in force.ambiguous_aliases:
                continue
            key = _alias_key(name)
            # bare abbreviations (two or three letters) are too easily other words
            if len(key) >= 4 or name.isupper():
                by_alias.setdefault(key, force.name)
                if name in (force.name, *force.former_names) or key.split()[-1] in _GENERIC:
                    full.add(key)
    hints = tuple(
        sorted(
            (
                (phrase.lower(), official)
                for official, ps in load_vocabulary().force_hints.items()
                for phrase in ps
            ),
            key=lambda h: -len(h[0]),
        )
    )
    first_words: dict[str, int] = {}
    for key in by_alias:
        words = key.split()
        first_words[words[0]] = max(first_words.get(words[0], 0), len(words))
    return ForceIndex(
        by_alias,
        frozenset(full),
        max(len(k.split()) for k in by_alias),
        first_words,
        hints,
    )


def _alias_key(text: str) -> str:
    return norm(text.replace("-", " ").replace("’", "'"))


@lru_cache(maxsize=4096)
def _token_key(token: str) -> str:
    if token == "&":
        return "and"
    low = token.lower().replace("’", "'")
    return low[:-2] if low.endswith("'s") else low.rstrip("'")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    name: str  # official name
    full: bool = False  # a full name, not a bare place
    hint: bool = False  # a name that only points to the force (its policing body)


def find_mentions(text: str) -> list[Mention]:
    """Every mention of a force, longest name first at each place.

    Looks word n-grams up in a dictionary rather than running one huge regular expression:
    no compile cost at start-up and linear in the text."""
    idx = force_index()
    found = list(_TOKEN.finditer(text))
    keys = list(map(_token_key, map(_WHOLE, found)))
    out = []
    after = 0  # the token after the last name found: names do not overlap
    # only where a name may start: most words start none, and are passed over in one sweep
    for i in compress(range(len(keys)), map(idx.first_words.__contains__, keys)):
        if i < after:
            continue
        hit = None
        # no name starting with this word is longer (the longest is tried first)
        for n in range(min(idx.first_words[keys[i]], len(keys) - i), 0, -1):
            key = " ".join(keys[i : i + n])
            name = idx.by_alias.get(key)
            if name:
                hit = (n, name, key)
                break
        if hit:
            n, name, key = hit
            start, end = found[i].start(), found[i + n - 1].end()
            raw = text[start:end]
            if len(raw) > 4 or raw.isupper() or (len(raw) == 4 and raw[0].isupper()):
                # short forms count only in capitals ("GMP", not "gmp"; "Kent", not "kent")
                out.append(Mention(start, end, name, key in idx.full))
                after = i + n
    return out + _hint_mentions(text, out)


def _hint_mentions(text: str, named: list[Mention]) -> list[Mention]:
    """Names that point to a force without naming it ("the Police Authority Board"), where no
    force's own name is already found."""
    low = text.lower()
    out: list[Mention] = []
    for phrase, official in force_index().hints:
        at = low.find(phrase)
        while at != -1:
            end = at + len(phrase)
            inside = any(m.start <= at < m.end or at <= m.start < end for m in (*named, *out))
            if not inside:
                out.append(Mention(at, end, official, hint=True))
            at = low.find(phrase, end)
    return out


def force_mentions(text: str) -> list[tuple[int, int, str]]:
    """Every mention of a force as (start, end, official name)."""
    return [(m.start, m.end, m.name) for m in find_mentions(text)]


_LIST_JOIN = lazy_compile(r"^[\s,]*(?:and|&|or|,)?[\s,]*$", re.I)


def _in_a_list(text: str, mentions: list[Mention], i: int) -> bool:
    """Named beside another force ("Hertfordshire and Cambridgeshire", "Kent, Essex and Norfolk")."""
    m = mentions[i]
    for j in (i - 1, i + 1):
        if 0 <= j < len(mentions) and mentions[j].name != m.name:
            a, b = (mentions[j], m) if j < i else (m, mentions[j])
            if b.start - a.end <= 8 and _LIST_JOIN.match(text[a.end : b.start]):
                return True
    return False


@dataclass(frozen=True, slots=True)
class ForceDecision:
    name: str | None
    reason: str
    scope: str = "one"  # how many forces the text is about: "one", "none" or "several"


def decide_force(text: str, title: str | None = None, source: str | None = None) -> ForceDecision:
    """The force the document is about, and why.

    >>> decide_force("Kent Police was inspected. Kent Police is good at investigating crime.").name
    'Kent Police'
    >>> decide_force("The national report was published today.").reason
    'no force named'

    Two forces named about equally: the first named when it is one of them (a document about its
    force that names a neighbour), else none (a national document).
    """
    scan = text[:SCAN_CHARS]
    mentions = sorted(find_mentions(scan), key=lambda m: m.start)
    score: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for i, m in enumerate(mentions):
        weight = 2.0 if m.full or m.hint else 1.0
        if m.start < HEAD_CHARS:
            weight *= 3
        if _in_a_list(scan, mentions, i):
            weight /= 2
        score[m.name] += weight
        count[m.name] += 1
    titled = {m.name for m in find_mentions(title)} if title else set()
    for name in titled:
        score[name] += 6
    if not score:
        return _from_file_name(source)
    ranked = score.most_common(2)
    best = ranked[0][0]
    close = [name for name, v in score.items() if v >= ranked[0][1] * 0.8]
    if len(close) >= 2:
        first = mentions[0].name if mentions else None
        # two forces: the document's own, named first, and a neighbour; three or more: national
        if len(close) > 2 or first not in close or score[first] != ranked[0][1]:
            return ForceDecision(
                None, f"several forces named about equally ({ranked[0][0]}, {ranked[1][0]})", "several"
            )
        best = first
    hints = [scan[m.start : m.end] for m in mentions if m.name == best and m.hint]
    if count[best] == len(hints) and hints and best not in titled:
        why = f"named only by its policing body or chief officer: '{hints[0]}'"
    else:
        where = " (and in the title)" if best in titled else ""
        why = f"named {count[best]} time{'s' if count[best] != 1 else ''}{where}"
        if len(score) > 1:
            why += f"; other forces named less ({', '.join(n for n, _ in score.most_common()[1:3])})"
    return ForceDecision(_name_as_written(best, text), why)


def _from_file_name(source: str | None) -> ForceDecision:
    """Last resort when the text names no force: the file's name ("kent-pcc-response.pdf")."""
    if source:
        stem = PurePath(source).stem.replace("_", " ").replace("-", " ").title()
        named = {m.name for m in find_mentions(stem) if not m.hint}
        if len(named) == 1:
            name = named.pop()
            return ForceDecision(name, f"the text names no force; the file name names {name}", "none")
    return ForceDecision(None, "no force named", "none")


@lru_cache(maxsize=256)
def framework_force(name: str) -> Force | None:
    """The framework's force a name means (:meth:`~peelwatch.framework.Framework.find_force`),
    remembered: normalising the name costs more than the rest of the lookup, and every document
    asks it of the same few official names."""
    return load_framework().find_force(name)


def name_for_cycle(official: str | None, cycle: str | None, text: str) -> str | None:
    """A force renamed after a cycle is named as it was then ("Hampshire Constabulary" in 2018/19),
    unless the document itself uses the new name."""
    if official is None or cycle is None:
        return official
    force = framework_force(official)
    if (
        force is None
        or not force.former_names
        or official != force.name
        or force.name.lower() in text.lower()
    ):
        return official
    order = ["2014", "2015", "2016", "2017", "2018/19", "2021/22"]
    return force.former_names[0] if cycle in order else official


def _name_as_written(official: str, text: str) -> str:
    """A renamed force is named as the document names it ("Hampshire Constabulary" in 2016)."""
    force = framework_force(official)
    if force is None or not force.former_names or re.search(re.escape(force.name), text, re.I):
        return official
    for former in force.former_names:
        if re.search(re.escape(former), text, re.I):
            return former
    return official
