"""Which force, which cycle, what kind of document, and when it was published."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from peelwatch.extract.text import norm
from peelwatch.framework import load_framework
from peelwatch.framework.vocabulary import load_vocabulary

_TOKEN = re.compile(r"[A-Za-z0-9'’]+|&")


@dataclass(frozen=True)
class ForceIndex:
    by_alias: dict[str, str]  # normalised alias -> official name
    longest: int  # the most words in any alias
    first_words: frozenset[str]  # the first word of every alias, to skip most words at once


@lru_cache(maxsize=1)
def force_index() -> ForceIndex:
    """Every name, alias and former name of every force, normalised, mapped to the official name."""
    fw = load_framework()
    by_alias: dict[str, str] = {}
    for force in fw.forces:
        for name in (force.name, *force.aliases, *force.former_names):
            if name in force.ambiguous_aliases:
                continue
            key = _alias_key(name)
            # bare abbreviations (two or three letters) are too easily other words
            if len(key) >= 4 or name.isupper():
                by_alias.setdefault(key, force.name)
    return ForceIndex(
        by_alias, max(len(k.split()) for k in by_alias), frozenset(k.split()[0] for k in by_alias)
    )


def _alias_key(text: str) -> str:
    return norm(text.replace("-", " ").replace("’", "'"))


@lru_cache(maxsize=4096)
def _token_key(token: str) -> str:
    if token == "&":
        return "and"
    low = token.lower().replace("’", "'")
    return low[:-2] if low.endswith("'s") else low.rstrip("'")


def force_mentions(text: str) -> list[tuple[int, int, str]]:
    """Every mention of a force: (start, end, official name), longest name first at each place.

    Looks word n-grams up in a dictionary rather than running one huge regular expression:
    no compile cost at start-up and linear in the text."""
    idx = force_index()
    toks = [(m.start(), m.end(), _token_key(m.group(0))) for m in _TOKEN.finditer(text)]
    out = []
    i = 0
    while i < len(toks):
        hit = None
        if toks[i][2] not in idx.first_words:
            i += 1
            continue
        for n in range(min(idx.longest, len(toks) - i), 0, -1):
            name = idx.by_alias.get(" ".join(t[2] for t in toks[i : i + n]))
            if name:
                hit = (n, name)
                break
        if hit:
            n, name = hit
            start, end = toks[i][0], toks[i + n - 1][1]
            raw = text[start:end]
            if len(raw) > 4 or raw.isupper():  # short forms count only in capitals ("GMP", not "gmp")
                out.append((start, end, name))
                i += n
                continue
        i += 1
    return out


def detect_force(text: str, title: str | None = None) -> str | None:
    """The force the document is about: the most-named one, early and title mentions weighing more.

    ``None`` when no force is named, or when two are named about equally (a national document).
    """
    # the force is named early; scanning a whole 100-page report costs time and adds only noise
    mentions = force_mentions(text[:20000])
    if title:
        mentions += [(0, 0, name) for _, _, name in force_mentions(title)] * 3
    if not mentions:
        return None
    score: Counter[str] = Counter()
    head = min(len(text), 600)
    for start, _, name in mentions:
        score[name] += 3 if start < head else 1
    ranked = score.most_common(2)
    if len(ranked) == 2 and ranked[1][1] >= ranked[0][1] * 0.8:
        first = mentions[0][2]
        return first if first in (ranked[0][0], ranked[1][0]) and score[first] == ranked[0][1] else None
    return _name_as_written(ranked[0][0], text)


def name_for_cycle(official: str | None, cycle: str | None, text: str) -> str | None:
    """A force renamed after a cycle is named as it was then ("Hampshire Constabulary" in 2018/19),
    unless the document itself uses the new name."""
    if official is None or cycle is None:
        return official
    force = load_framework().find_force(official)
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
    force = load_framework().find_force(official)
    if force is None or not force.former_names or re.search(re.escape(force.name), text, re.I):
        return official
    for former in force.former_names:
        if re.search(re.escape(former), text, re.I):
            return former
    return official


_DATE_PATTERNS = [
    re.compile(r"\b(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>20\d\d)\b"),
    re.compile(
        r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>January|February|March|April|May|June|July|August|"
        r"September|October|November|December),?\s+(?P<y>20\d\d)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)"
        r"\s+(?P<d>\d{1,2}),?\s+(?P<y>20\d\d)\b",
        re.IGNORECASE,
    ),
]
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}


def find_dates(text: str) -> list[tuple[int, date]]:
    """Dates written in the text, with their offsets."""
    out = []
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(text):
            try:
                month = (
                    int(m.group("m"))
                    if "m" in m.groupdict() and m.group("m")
                    else _MONTHS[m.group("mon").lower()]
                )
                out.append((m.start(), date(int(m.group("y")), month, int(m.group("d")))))
            except (ValueError, KeyError, IndexError):
                continue
    return sorted(out)


def cycle_for_date(d: date) -> str | None:
    """The cycle whose reports were being published on a given date (``publication_windows``)."""
    iso = d.isoformat()
    for cycle, first, after_last in load_vocabulary().publication_windows:
        if first <= iso < after_last:
            return cycle
    return None


@lru_cache(maxsize=1)
def _cycle_phrase_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    vocab = load_vocabulary()
    lookup = {}
    for cycle, phrases in vocab.cycle_phrases.items():
        for p in phrases:
            lookup[p.lower()] = cycle
    body = "|".join(re.escape(p) for p in sorted(lookup, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{body})(?![\w/])", re.IGNORECASE), lookup


def cycle_phrases(text: str) -> list[tuple[int, str]]:
    """(offset, phrase) of every cycle phrase in the text, leftmost-longest and not overlapping.

    The phrases are literals, so each is found with ``str.find`` on the lower-cased text: much
    faster over a long report than one regular expression with hundreds of alternatives."""
    pattern, lookup = _cycle_phrase_pattern()
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased: offsets would drift
        return [(m.start(), m.group(0)) for m in pattern.finditer(text)]
    hits = []
    for phrase in lookup:
        at = low.find(phrase)
        while at != -1:
            end = at + len(phrase)
            if (at == 0 or not _word_char(low[at - 1])) and (
                end == len(low) or not (_word_char(low[end]) or low[end] == "/")
            ):
                hits.append((at, end))
            at = low.find(phrase, at + 1)
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    out: list[tuple[int, str]] = []
    matched_to = 0
    for at, end in hits:
        if at >= matched_to:
            out.append((at, text[at:end]))
            matched_to = end
    return out


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# "our 2016 legitimacy inspection", "the 2018 inspection", "In 2021, HMICFRS graded …"
_YEAR_INSPECTION = re.compile(
    r"\b(?:the|our|its|their|latest|hmic(?:frs)?[’']?s?)\s+(?P<y>20\d\d)\s+(?:peel\s+)?(?:police\s+)?"
    r"(?:effectiveness\s+|efficiency\s+|legitimacy\s+|leadership\s+|integrated\s+)?(?:peel\s+)?(?:inspection|assessment|report)\b"
    r"|\bin\s+(?P<y2>20\d\d),\s+(?:hmic(?:frs)?|the\s+inspectorate|inspectors)\s+(?:graded|rated|judged|found)",
    re.I,
)


def cycle_from_scale(text: str, subject_cycles: list[str]) -> str | None:
    """Last resort: the cycles whose subjects the document's graded subjects name, and whether the
    five-tier scale ('adequate') is in use."""
    votes: Counter[str] = Counter(subject_cycles)
    five_tier = bool(
        re.search(r"[‘'\"“]adequate[’'\"”]|\badequate\s+(?:in|at|for)\b|^\s*adequate\s*$", text, re.I | re.M)
    )
    if five_tier:
        for c in list(votes):
            if c not in {"2021/22", "2023–25", "2025–27"}:
                del votes[c]
    if votes:
        best = votes.most_common()
        if len(best) == 1 or best[0][1] > best[1][1]:
            return best[0][0]
    low = text.lower()
    for cycle, hints in load_vocabulary().cycle_hints.items():
        if any(re.search(rf"\b{re.escape(h)}\b", low) for h in hints):
            return cycle
    return None


def detect_cycle(text: str, published: str | None = None) -> str | None:
    """The PEEL cycle the document is about.

    Explicit phrases ("PEEL 2021/22", "fourth PEEL assessment", "nine areas of policing") win;
    failing those, the publication date or the dates in the text ("Last updated 22/03/2018").
    """
    lookup = _cycle_phrase_pattern()[1]
    votes: Counter[str] = Counter()
    for i, (start, phrase) in enumerate(cycle_phrases(text)):
        if i >= 30:
            break
        votes[lookup[phrase.lower()]] += 3 if start < 800 else 1
    ordinal = re.search(r"\b(first|second|third|fourth|fifth)\s+peel\b", text[:3000], re.I)
    if ordinal:
        votes[
            {"first": "2014", "second": "2015", "third": "2016", "fourth": "2017", "fifth": "2018/19"}[
                ordinal.group(1).lower()
            ]
        ] += 4
    title_year = re.search(r"^[^\n]{0,60}?\b(?:peel\s+)?(2014|2015|2016|2017)\s*$", text[:400], re.I | re.M)
    if title_year:
        votes[title_year.group(1)] += 3
    if published:
        try:
            dated = cycle_for_date(date.fromisoformat(published[:10]))
        except ValueError:
            dated = None
        if dated:
            votes[dated] += 5
    for m in _YEAR_INSPECTION.finditer(text[:6000]):
        label = load_vocabulary().cycle_years.get(m.group("y") or m.group("y2"))
        if label:
            votes[label] += 2
    if votes:
        # a later cycle's report mentions earlier cycles ("in our 2017 inspection"), rarely the reverse
        best = votes.most_common()
        top = best[0][1]
        leaders = [c for c, v in best if v >= top * 0.6]
        order = ["2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023–25", "2025–27"]
        return max(leaders, key=order.index) if len(leaders) > 1 else best[0][0]
    if published:
        try:
            c = cycle_for_date(date.fromisoformat(published[:10]))
            if c:
                return c
        except ValueError:
            pass
    m = re.search(r"last updated\s*:?\s*(\d{1,2})/(\d{1,2})/(20\d\d)", text, re.IGNORECASE)
    if m:
        try:
            return cycle_for_date(date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
        except ValueError:
            return None
    # the first full date near the top is usually the publication date of a letter or article
    for _offset, d in find_dates(text[:1500]):
        cycle = cycle_for_date(d)
        if cycle:
            return cycle
    return None


def detect_published(text: str) -> str | None:
    """An explicit publication date near the top ("date 2022-11-29", "Published: 3 May 2019")."""
    head = text[:600]
    m = re.search(r"(?:published|date|posted)\s*(?:on)?\s*:?\s*", head, re.IGNORECASE)
    dates = find_dates(head[m.end() :] if m else "")
    if dates and dates[0][0] < 40:
        return dates[0][1].isoformat()
    return None


def detect_kind(text: str) -> str:
    """inspection_report, pcc_response, force_statement, news or other, by weighted cue phrases."""
    vocab = load_vocabulary()
    # the voice of a document shows in its opening pages; counting cues through a long report adds nothing
    low = text[:30000].lower().replace("’", "'")
    if not re.search(r"hmic|inspectorate|inspector|peel|inspection", low):
        return "other"  # nothing here is about a police inspection
    scores = {kind: 0 for kind in vocab.kind_cues}
    for kind, cues in vocab.kind_cues.items():
        for phrase, weight in cues:
            phrase = phrase.replace("’", "'")
            n = low.count(phrase)
            if n:
                scores[kind] += weight * min(n, 3)
    head = text[:2000]
    for kind, patterns in vocab.kind_patterns.items():
        for pattern, weight in patterns:
            if re.search(pattern, head):
                scores[kind] = scores.get(kind, 0) + weight
    best = max(scores, key=lambda k: scores[k])
    if scores[best] <= 0:
        # no voice at all, but about an inspection: a bare page of the inspectorate's grades
        return "inspection_report" if re.search(r"\bpeel\b|hmic", low) else "other"
    return best
