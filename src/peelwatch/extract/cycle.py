"""Which PEEL cycle a document is about, from every cue it gives, weighed by how strong each is.

Cues, strongest first:

* a cycle named in the title or the first lines ("PEEL 2021/22 – An inspection of …",
  "Kent PEEL 2017", "fourth PEEL assessment");
* when the inspection took place ("Between 6 and 17 September 2021, we inspected …",
  "In January 2022, we conducted a victim service assessment as part of our … inspection"):
  a revisit letter dated 2024 is about the inspection it revisits;
* the document's own date, and the dates it gives for the report's publication ("its report was
  published in December 2023");
* cycles named further down, and "our 2016 legitimacy inspection"; a later document names
  earlier cycles, so these weigh little;
* last, after the judgments are read: which cycle's subjects the graded subjects name, and
  whether the five-tier scale ("adequate") is in use (:func:`cycle_from_subjects`).

A pair of years before a money word ("the 2021/22 budget") is a financial year, not a cycle. A
document about an inspection that is not PEEL (``not_police_subjects``, ``not_peel_subjects``: a
fire and rescue service, a thematic review), or a national document placed only by its dates,
gets no cycle. The weight of each kind of evidence is data (``cycle_weights``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.dates import Dated, find_month_years, stated_date
from peelwatch.extract.subjects import matcher, pillar_named
from peelwatch.framework import load_framework
from peelwatch.framework.vocabulary import CycleCue, load_vocabulary

ORDER = ("2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023–25", "2025–27")
FIVE_TIER = frozenset({"2021/22", "2023–25", "2025–27"})
TITLE_CHARS = 300  # the title zone: the first lines
HEAD_CHARS = 1500
SCAN_CHARS = 20000


def _weight(name: str) -> float:
    """The weight of one kind of cycle evidence (``cycle_weights`` in the vocabulary)."""
    return load_vocabulary().cycle_weights[name]


_DASH_PAIRS = (("–", "-"), ("—", "-"), ("‒", "-"), ("/", "-"), ("’", "'"))
_YEAR = lazy_compile(r"(?<![\d-])(20[12]\d)(?:-(\d\d(?:\d\d)?))?(?![\d])")


@dataclass
class Votes:
    """Evidence for each cycle: total weight, the weight of the cues that place a cycle by
    themselves (``strong``: not the weak cues of :func:`weak_votes`), and the reasons given."""

    weight: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    reasons: dict[str, list[tuple[float, str]]] = field(default_factory=lambda: defaultdict(list))
    strong: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, cycle: str | None, weight: float, reason: str, weak: bool = False) -> None:
        if cycle is None:
            return
        self.weight[cycle] += weight
        if not weak:
            self.strong[cycle] += weight
        self.reasons[cycle].append((weight, reason))

    def copy(self) -> Votes:
        out = Votes()
        for c, w in self.weight.items():
            out.weight[c] = w
        for c, w in self.strong.items():
            out.strong[c] = w
        for c, rs in self.reasons.items():
            out.reasons[c] = list(rs)
        return out


@dataclass(frozen=True, slots=True)
class CycleDecision:
    cycle: str | None
    reason: str
    final: bool = False  # no cycle, and the graded subjects must not give one (a look-alike)
    strength: float = 0.0  # the weight of the strong cues behind the cycle chosen
    votes: Votes | None = None  # every cue's vote, for the graded subjects to join later
    lookalike: Lookalike | None = None  # the inspection that is not PEEL the document is about

    @property
    def open(self) -> bool:
        """Whether the graded subjects may still decide: nothing, or only weak cues, placed it."""
        return not self.final and self.strength < _weight("open_below")


@lru_cache(maxsize=8)
def lowered(text: str) -> str:
    """Lower case with every dash and slash made '-' and one kind of apostrophe (one character for
    one, so offsets stay; cached, as every rule reads the same view)."""
    low = text.lower()
    if len(low) != len(text):
        low = text  # a character that lower-cases to two would shift every offset after it
    for ch, to in _DASH_PAIRS:
        low = low.replace(ch, to)
    return low


def in_window(d: date, windows: tuple[tuple[str, str, str], ...]) -> str | None:
    iso = d.isoformat()
    return next((c for c, first, after in windows if first <= iso < after), None)


def cycle_for_date(d: date) -> str | None:
    """The cycle whose reports were being published on a given date (``publication_windows``)."""
    return in_window(d, load_vocabulary().publication_windows)


def fieldwork_cycle(d: date) -> str | None:
    """The cycle whose inspections were under way on a given date (``fieldwork_windows``)."""
    return in_window(d, load_vocabulary().fieldwork_windows)


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, str], ...]:
    """(dash-normalised phrase, cycle), longest first."""
    vocab = load_vocabulary()
    pairs = {lowered(p): c for c, ps in vocab.cycle_phrases.items() for p in ps}
    return tuple(sorted(pairs.items(), key=lambda p: -len(p[0])))


def phrase_hits(low: str) -> list[tuple[int, str, str]]:
    """(offset, phrase, cycle) of every cycle phrase, leftmost-longest, not overlapping, and not
    a financial year. ``low`` is the text through :func:`lowered`.

    >>> [(p, c) for _, p, c in phrase_hits(lowered("PEEL 2021/22 and the 2022/23 budget; the 2021-22 budget"))]
    [('2021-22', '2021/22')]
    """
    hits = []
    for phrase, cycle in _phrases():
        at = low.find(phrase)
        while at != -1:
            end = at + len(phrase)
            if _bounded(low, at, end) and not _financial_year(low, end, phrase):
                hits.append((at, end, phrase, cycle))
            at = low.find(phrase, at + 1)
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    out = []
    matched_to = 0
    for at, end, phrase, cycle in hits:
        if at >= matched_to:
            out.append((at, phrase, cycle))
            matched_to = end
    return out


def _bounded(low: str, at: int, end: int) -> bool:
    before = low[at - 1] if at else " "
    after = low[end] if end < len(low) else " "
    if low[at].isdigit() and (before.isdigit() or (before == "-" and at >= 2 and low[at - 2].isdigit())):
        return False  # inside a longer number or date
    return not (before.isalnum() or after.isalnum() or (after == "-" and low[end + 1 : end + 2].isdigit()))


def _financial_year(low: str, end: int, phrase: str) -> bool:
    """ "the 2021/22 budget", "financial year 2021-22": a pair of years that is not a cycle."""
    if not phrase[:1].isdigit():
        return False
    after = low[end : end + 30]
    before = low[max(0, end - len(phrase) - 20) : end - len(phrase)]
    if "peel" in before or "peel" in after[:15]:
        return False
    words = load_vocabulary().financial_year_words
    return any(after.lstrip(" ,").startswith(w) for w in words) or "financial year" in before


def peel_year_hits(low: str) -> list[tuple[int, str, str]]:
    """(offset, words, cycle) for every year written next to "PEEL": "PEEL 2019", "the 2023-24
    PEEL inspection", "PEEL: Police effectiveness 2015", "peel-2017" in a web address.

    >>> [c for _, _, c in peel_year_hits(lowered("our 2023–24 PEEL inspection; PEEL Legitimacy Inspection 2017"))]
    ['2023–25', '2017']
    """
    years = load_vocabulary().peel_years
    out = []
    at = low.find("peel")
    while at != -1:
        end = at + 4
        if not (at and low[at - 1].isalnum()) and not (end < len(low) and low[end].isalnum()):
            after = re.split(r"[.;\n]", low[end : end + 45])[0]
            skip = len(after) - len(after.lstrip(" :-"))  # "peel-2017", "PEEL: 2015"
            m = _YEAR.search(after[skip:])
            if m and len(after[skip : skip + m.start()].split()) <= 3:
                out.append((end + skip + m.start(), low[at : end + skip + m.end()], years.get(m.group(1))))
            else:
                before = re.split(r"[.;\n]", low[max(0, at - 25) : at])[-1]
                m = next(reversed(list(_YEAR.finditer(before))), None)
                if m and len(before[m.end() :].split()) <= 2:
                    out.append(
                        (at - len(before) + m.start(), before[m.start() :] + "peel", years.get(m.group(1)))
                    )
        at = low.find("peel", at + 1)
    return [(o, w, c) for o, w, c in out if c]


def title_year_hits(text: str) -> list[tuple[int, str, str]]:
    """A short line at the top naming a force and ending in a year: "Warwickshire 2015",
    "Metropolitan 2018/19" (a force page's heading).

    >>> title_year_hits("Skip to content\\n\\nWarwickshire 2015\\n\\nRead more")
    [(17, 'Warwickshire 2015', '2015')]
    """
    from peelwatch.extract.force import find_mentions

    years = load_vocabulary().peel_years
    out = []
    offset = 0
    for line in text[:TITLE_CHARS].split("\n"):
        stripped = line.strip()
        m = re.search(r"\b(20[12]\d)(?:[/-]\d\d)?$", stripped)
        if (
            m
            and len(stripped.split()) <= 6
            and years.get(m.group(1))
            and find_mentions(stripped[: m.start()])
        ):
            out.append((offset + line.index(stripped), stripped, years[m.group(1)]))
        offset += len(line) + 1
    return out


def named_cycles(low: str) -> list[tuple[int, str, str]]:
    """Every place a cycle is named outright, as a phrase or as a year beside "PEEL"; where both
    read the same words ("PEEL 2023-2025"), the longer reading.

    >>> [w for _, w, _ in named_cycles(lowered("PEEL 2023–2025: An inspection"))]
    ['peel 2023-2025']
    """
    hits = sorted(phrase_hits(low) + peel_year_hits(low), key=lambda h: (h[0], -len(h[1])))
    out: list[tuple[int, str, str]] = []
    for at, words, cycle in hits:
        if out and at < out[-1][0] + len(out[-1][1]) and cycle == out[-1][2]:
            continue  # the same name read twice
        out.append((at, words, cycle))
    return out


def ordinal_hit(low: str) -> tuple[str, str] | None:
    """ "HMIC's fourth PEEL assessment", "HMIC's second assessment of the effectiveness …": (phrase, cycle).

    >>> ordinal_hit("this is hmic's second assessment of the force")
    ('second assessment', '2015')
    """
    pattern, cycles = _ordinals()
    head = low[:3000]
    if not any(word in head for word in cycles):
        return None  # no ordinal written: the pattern, which needs one, cannot match
    m = pattern.search(head)
    return (m.group(0), cycles[m.group(1) or m.group(2)]) if m else None


@lru_cache(maxsize=1)
def _ordinals() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern for an ordinal before "assessment" or "PEEL", and the cycle each ordinal names
    (the framework's ``ordinal``: "fourth" is 2017)."""
    cycles = {c.ordinal.lower(): c.label for c in load_framework().cycles if c.ordinal}
    words = "|".join(map(re.escape, cycles))
    return lazy_compile(rf"\b({words})\s+(?:peel\s+)?assessment\b|\b({words})\s+peel\b"), cycles


_YEAR_INSPECTION = lazy_compile(
    r"\b(?:the|our|its|their|latest|hmic(?:frs)?'?s?)\s+(?P<y>20\d\d)\s+(?:peel\s+)?(?:police\s+)?"
    r"(?:effectiveness\s+|efficiency\s+|legitimacy\s+|leadership\s+|integrated\s+)?(?:peel\s+)?"
    r"(?:inspection|assessment|report)\b"
    r"|\bin\s+(?P<y2>20\d\d),\s+(?:hmic(?:frs)?|the\s+inspectorate|inspectors)\s+(?:graded|rated|judged|found)"
)


CUE_REACH = 80  # a cue word says when something happened only if it is close to the date
_SENTENCE_END = lazy_compile(r"[.!?](?=\s)|\n\s*\n|:[ \t]*\n")


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding ``text[start:end]``: a full stop, a blank line, or a line
    ending in a colon (a list's lead-in) ends a sentence."""
    window_start = max(0, start - 400)
    left = window_start
    for m in _SENTENCE_END.finditer(text, window_start, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end, end + 400)
    return left, m.end() if m else min(len(text), end + 400)


def _near(text: str, d: Dated) -> str:
    """The words around a date, within its sentence: what the date is said of."""
    left, right = _sentence_around(text, d.start, d.end)
    start, end = max(left, d.start - CUE_REACH), min(right, d.end + CUE_REACH)
    if start > left:
        start = text.find(" ", start, d.start) + 1 or start  # from a word's start
    if end < right:
        end = text.rfind(" ", d.end, end) if text.rfind(" ", d.end, end) != -1 else end
    return text[start:end]


def dated_sentences(
    text: str, cues: tuple[str, ...], dates: list[Dated] | None = None
) -> list[tuple[Dated, str]]:
    """Dates (full, or a month and year) with one of ``cues`` close by in the same sentence.

    >>> [s for _, s in dated_sentences("Between 6 and 17 May 2019, we inspected the force.", ("inspected",))]
    ['Between 6 and 17 May 2019, we inspected the force.']
    """
    out = []
    for d in find_month_years(text) if dates is None else dates:
        near = _near(text, d).lower()
        if any(c in near for c in cues):
            left, right = _sentence_around(text, d.start, d.end)
            out.append((d, " ".join(text[left:right].split())))
    return out


_INSPECTORATE_NAME = lazy_compile(
    r"(?:inspectorate|inspectors?) of (?:constabulary,? (?:and|&) )?fire (?:and|&) rescue services"
)


@dataclass(frozen=True, slots=True)
class Lookalike:
    """An inspection that is not PEEL, as the title names it."""

    subject: str
    police: bool  # False for a fire and rescue service: no police force either


def _names_one_force(text: str) -> bool:
    from peelwatch.extract.force import find_mentions

    return len({m.name for m in find_mentions(text)}) == 1


def _heading_like(line: str) -> bool:
    """A short line that is not a sentence of running text."""
    stripped = line.strip()
    return len(stripped.split()) <= 20 and not stripped.endswith((".", ",", ";", ":"))


def lookalike(text: str, title: str | None) -> Lookalike | None:
    """The inspection that is not PEEL which the document is about: a fire and rescue service (named
    in the title or more than once) when fire is named more than the police, or a subject the title
    names (a thematic review, a crime-recording audit) in a text that hardly names PEEL.

    >>> lookalike("Kent Fire and Rescue Service inspection\\nThe fire service was inspected.", None).police
    False
    >>> lookalike("PEEL 2021/22 – HM Inspectorate of Constabulary and Fire & Rescue Services", None) is None
    True
    """
    lines = [line for line in text[:2000].split("\n") if line.strip()]
    # the title, and the first line when it reads as a heading: a first sentence naming "England and
    # Wales" or a fire service in passing says nothing of what the document is about
    first = lines[0] if lines and _heading_like(lines[0]) else ""
    named = title if title and _heading_like(title) else ""
    top = _INSPECTORATE_NAME.sub(" ", lowered(f"{named}\n{first}"))
    if "peel" in top:
        return None
    vocab = load_vocabulary()
    low = _INSPECTORATE_NAME.sub(" ", lowered(text[:SCAN_CHARS]))
    police, fire = low.count("police"), low.count("fire")
    for subject in vocab.not_police_subjects:
        # named in the title or twice, or once in a text about fire that never names the police
        named = subject in top or low.count(subject) >= 2 or (subject in low and police == 0)
        if named and fire > police:
            return Lookalike(subject, police=False)
    # another inspectorate in the title or the first lines (a masthead may stand above the headline)
    heading = lowered(f"{title or ''}\n" + "\n".join(lines[:3]))
    for other in vocab.other_inspectorates:
        if _has_phrase(heading, other) and "peel" not in low:
            return Lookalike(f"an inspection by {other}", police=False)
    for subject in vocab.not_peel_subjects:
        if subject in top and low.count("peel") <= 2:
            if subject in vocab.national_subjects and _names_one_force(f"{named}\n{first}"):
                continue
            return Lookalike(subject, police=True)
    return None


def decide_cycle(
    text: str, title: str | None = None, published: str | None = None, forces: str = "one"
) -> CycleDecision:
    """The PEEL cycle the document is about, and why (``None`` when nothing says).

    ``forces`` says how many forces the text is about: "one", "none" (it names none) or
    "several" (a national document). A PEEL assessment is of one force, so a national document,
    or one that names neither a force nor PEEL, is placed in a cycle only by naming the cycle;
    its dates alone say nothing (a thematic review dated 2023 is not PEEL 2023–25).

    >>> decide_cycle("Between 6 and 17 September 2021, we inspected Kent Police.").cycle
    '2021/22'
    >>> decide_cycle("PEEL 2023–2025: An inspection of Essex Police").reason
    "'peel 2023-2025' in the title"
    """
    other = lookalike(text, title)
    if other:
        return CycleDecision(
            None, f"not a PEEL inspection: about '{other.subject}'", final=True, lookalike=other
        )
    scan = text[:SCAN_CHARS]
    low = lowered(scan)
    votes = Votes()
    title_low = lowered(title or "")
    for _, words, cycle in named_cycles(title_low):
        votes.add(cycle, _weight("title"), f"'{words}' in the title")
    body_weight: dict[str, float] = defaultdict(float)
    for at, words, cycle in named_cycles(low):
        # the words before the whole name ("the previous PEEL inspection, in March 2019")
        earlier = _names_an_earlier_one(low, max(0, low.find(words, max(0, at - len(words)))))
        if earlier:
            # "improved since the last PEEL inspection in 2022": the document is about the next one
            _vote_later(votes, earlier, cycle, words, _weight("head_phrase"))
            continue
        if at < TITLE_CHARS:
            votes.add(cycle, _weight("title"), f"'{words}' in the title")
            continue
        weight = _weight("head_phrase") if at < HEAD_CHARS else _weight("body_phrase")
        if body_weight[cycle] < _weight("body_cap"):
            body_weight[cycle] += weight
            votes.add(cycle, weight, f"'{words}' in the text")
    for _, words, cycle in title_year_hits(scan):
        votes.add(cycle, _weight("title"), f"'{words}' heads the page")
    ordinal = ordinal_hit(low)
    if ordinal:
        votes.add(ordinal[1], _weight("ordinal"), f"'{ordinal[0]}'")
    if forces == "several" or (forces == "none" and "peel" not in low):
        if not votes.weight:
            why = "a national document" if forces == "several" else "names neither a force nor PEEL"
            return CycleDecision(None, f"{why}: its dates alone place no PEEL cycle", final=True)
        return _verdict(votes, five_tier(scan))
    weak_votes(low, votes)
    dates = find_month_years(scan)
    _fieldwork_votes(scan, dates, votes)
    _date_votes(scan, dates, published, votes, follow_up=_follows_up(title, scan))
    for m in _YEAR_INSPECTION.finditer(low[:6000]):
        label = load_vocabulary().cycle_years.get(m.group("y") or m.group("y2"))
        earlier = _names_an_earlier_one(low, m.start())
        if earlier and label:
            _vote_later(votes, earlier, label, m.group(0), _weight("year_inspection"))
        else:
            votes.add(label, _weight("year_inspection"), f"'{m.group(0)}'")
    _inspected_in_year_votes(low[:6000], votes)
    _earlier_inspection_votes(low[:6000], votes)
    return _verdict(votes, five_tier(scan))


def next_cycle(cycle: str | None) -> str | None:
    """The cycle after ``cycle`` ("2018/19" -> "2021/22": there was none in 2020)."""
    if cycle not in ORDER or cycle == ORDER[-1]:
        return None
    return ORDER[ORDER.index(cycle) + 1]


def _names_an_earlier_one(low: str, at: int) -> str | None:
    """The words just before a named cycle or year that make it the one before the document's:
    "since the last", "the previous", "in the earlier" (up to four words back), "following the",
    "after the" (up to two)."""
    vocab = load_vocabulary()
    before = re.split(r"[.;,\n]", low[max(0, at - 40) : at])[-1]
    words = before.split()
    earlier = next((cue for cue in vocab.earlier_cycle_cues if cue in words[-4:]), None)
    return earlier or next((cue for cue in vocab.after_cycle_cues if cue in words[-2:]), None)


def _vote_later(votes: Votes, cue: str, cycle: str | None, words: str, weight: float) -> None:
    """A cycle named as the one before ("since the last PEEL inspection in 2022") votes for the
    next. "Following the 2019 inspection" says only that the document is not earlier: the
    inspection's own follow-up or the next report, a weak vote for each."""
    if cue in load_vocabulary().after_cycle_cues:
        for c in (cycle, next_cycle(cycle)):
            votes.add(c, _weight("after_cue"), f"'{cue} … {words}': that cycle or a later one", weak=True)
        return
    votes.add(next_cycle(cycle), weight, f"'{cue} … {words}' names the cycle before")


# "since our last inspection in 2019", "the previous PEEL report, in March 2022": the year of the
# inspection before, so the document is about the next cycle
# the words the pattern starts with, also asked for on their own before it runs
_EARLIER_WORDS = ("last", "previous", "earlier", "prior", "original")
_EARLIER_IN_YEAR = lazy_compile(
    rf"\b(?:{'|'.join(_EARLIER_WORDS)})\s+(?:[a-z]+\s+){{0,2}}?(?:inspection|report|assessment)s?"
    r",?\s+(?:was\s+)?(?:carried\s+out\s+|published\s+)?(?:in|of|from|during)\s+(?:[a-z]+\s+)?(20[12]\d)\b"
)


def _earlier_inspection_votes(low: str, votes: Votes) -> None:
    """ "Since our last inspection in 2019 …": the cycle after the one that year names.

    >>> v = Votes(); _earlier_inspection_votes("since our last inspection in 2019, the force", v); dict(v.weight)
    {'2021/22': 3.0}
    """
    if not any(word in low for word in _EARLIER_WORDS):
        return  # the pattern needs one of them: most texts are passed without running it
    for m in _EARLIER_IN_YEAR.finditer(low):
        label = load_vocabulary().cycle_years.get(m.group(1))
        votes.add(next_cycle(label), _weight("earlier_inspection"), f"'{m.group(0)}' names the cycle before")


def _has_phrase(low: str, phrase: str) -> bool:
    """``phrase`` stands in ``low`` as whole words ("hmic" is not the start of "hmicfrs")."""
    at = low.find(phrase)
    while at != -1:
        end = at + len(phrase)
        if not (at and low[at - 1].isalnum()) and not (end < len(low) and low[end].isalnum()):
            return True
        at = low.find(phrase, at + 1)
    return False


@lru_cache(maxsize=1)
def _weak_cues() -> tuple[tuple[CycleCue, tuple[tuple[str, str], ...], tuple[str, ...]], ...]:
    """Each weak cue with its (phrase, phrase as :func:`lowered` reads it) pairs and the phrases
    as read alone, worked out once: lowering them on every call also pushed the document's text
    out of that function's cache."""
    out = []
    for cue in load_vocabulary().cycle_weak_cues:
        pairs = tuple((p, lowered(p)) for p in cue.phrases)
        out.append((cue, pairs, tuple(read for _, read in pairs)))
    return tuple(out)


def weak_votes(low: str, votes: Votes) -> None:
    """Weak cues (``cycle_weak_cues``): the inspectorate's name of the time ("His Majesty's" after
    September 2022), a four-grade scale stated, a commissioner "elected in May", areas of policing
    named in one cycle's words. Each adds a little weight to every cycle it allows, so together
    they settle what the strong cues leave open.

    >>> v = Votes(); weak_votes(lowered("His Majesty’s Inspectorate said the force must improve."), v)
    >>> sorted(v.weight)
    ['2021/22', '2023–25']
    """
    for cue, phrases, reads in _weak_cues():
        if not any(map(low.__contains__, reads)):
            continue  # none of its phrases in the text (most cues): nothing to weigh
        # (a phrase not in the text at all is passed over before asking whether it stands whole)
        if cue.unless and any(u in low and _has_phrase(low, u) for u in cue.unless):
            continue
        hits = list(islice((p for p, read in phrases if read in low and _has_phrase(low, read)), cue.cap))
        if not hits:
            continue
        said = ", ".join(f"'{h}'" for h in hits)
        for cycle in cue.cycles:
            votes.add(cycle, cue.weight * len(hits), f"{cue.what} ({said})", weak=True)


_INSPECTED_IN = lazy_compile(
    r"\b(?:inspected|inspection of the (?:force|constabulary|service))\s+in\s+"
    r"(?:(?:the\s+)?(?:spring|summer|autumn|winter)\s+(?:of\s+)?)?(20[12]\d)\b"
)


def _inspected_in_year_votes(low: str, votes: Votes) -> None:
    """ "The report follows an inspection of the force in 2024", "inspected in 2019", "inspected
    in the autumn of 2021": the year of the fieldwork, when no month is given ("HMIC's crime
    inspection in 2014" names another inspection, so a bare "inspection in" does not count)."""
    if "inspected" not in low and "inspection of the " not in low:
        return  # the pattern needs one of them: most texts are passed without running it
    for m in _INSPECTED_IN.finditer(low):
        if _names_an_earlier_one(low, m.start()):
            continue
        cycle = fieldwork_cycle(date(int(m.group(1)), 7, 1))
        votes.add(cycle, _weight("fieldwork_more") * 3, f"'{m.group(0)}'")


def _fieldwork_votes(scan: str, dates: list[Dated], votes: Votes) -> None:
    vocab = load_vocabulary()
    dated = [
        (d, sentence)
        for d, sentence in dated_sentences(scan, vocab.inspection_date_cues, dates)
        # "the report published today, 14 October 2022, following the latest inspection" dates the report
        if not any(c in scan[max(0, d.start - 40) : d.start].lower() for c in vocab.publication_date_cues)
        and not any(w in _near(scan, d).lower() for w in vocab.revisit_words)
        and not _said_of_an_earlier_one(scan, d)
    ]
    for i, (d, _) in enumerate(dated):
        cycle = fieldwork_cycle(d.value)
        weight = _weight("fieldwork") if i == 0 else _weight("fieldwork_more")
        said = " ".join(_near(scan, d).split())
        votes.add(cycle, weight, f"inspection dated {scan[d.start : d.end]} ('{_clip(said, 90)}')")


def _said_of_an_earlier_one(scan: str, d: Dated) -> bool:
    """ "At the previous inspection, in March 2019, …": the date of the inspection before, which
    :func:`_earlier_inspection_votes` reads as placing the next cycle."""
    left, _ = _sentence_around(scan, d.start, d.end)
    words = re.findall(r"[a-z]+", scan[max(left, d.start - 60) : d.start].lower())
    return any(cue in words for cue in ("last", "previous", "earlier", "prior"))


def _follows_up(title: str | None, scan: str) -> bool:
    """A revisit or closure letter, by its title: its own date comes after the inspection it follows."""
    top = lowered(f"{title or ''}\n{scan[:TITLE_CHARS]}")
    return any(w in top for w in (*load_vocabulary().revisit_words, *load_vocabulary().follow_up_words))


def _date_votes(
    scan: str, dates: list[Dated], published: str | None, votes: Votes, follow_up: bool = False
) -> None:
    stated = None
    if published:
        try:
            stated = date.fromisoformat(published[:10])
        except ValueError:
            stated = None
    found = stated_date(scan)
    if stated is None and found is not None:
        stated = found.value
    if stated is not None:
        weight = _weight("follow_up_date") if follow_up else _weight("stated_date")
        votes.add(cycle_for_date(stated), weight, f"dated {stated.isoformat()}")
    used = {found.start} if found is not None else set()
    head = [d for d in dates if d.end <= 6000]
    for d, _ in dated_sentences(scan, load_vocabulary().publication_date_cues, head):
        if d.start not in used:
            used.add(d.start)
            votes.add(
                cycle_for_date(d.value), _weight("published_in"), f"report published {scan[d.start : d.end]}"
            )
    # the first full date near the top, whatever it dates, is usually close to the publication
    first = next((d for d in head if d.has_day and d.end <= HEAD_CHARS and d.start not in used), None)
    if first is not None:
        votes.add(
            cycle_for_date(first.value),
            _weight("first_date"),
            f"first date near the top {scan[first.start : first.end]}",
        )


def _clip(sentence: str, n: int = 60) -> str:
    return sentence if len(sentence) <= n else sentence[: n - 1].rsplit(" ", 1)[0] + " …"


_NEAR_WEAK = 0.25  # weak cues' weights within this of each other are level


def _verdict(votes: Votes, five: bool) -> CycleDecision:
    weight = dict(votes.weight)
    if five and any(c in FIVE_TIER for c in weight):
        weight = {c: w for c, w in weight.items() if c in FIVE_TIER}
    if not weight:
        return CycleDecision(None, "no cycle named, no date that places one", votes=votes)
    ranked = sorted(weight.items(), key=lambda cw: (-cw[1], -ORDER.index(cw[0])))
    best, top = ranked[0]
    # near the top: within a fifth of the strong evidence behind it (weak cues shared by two cycles
    # add to both and move neither), or level when only weak cues speak
    margin = 0.2 * votes.strong.get(best, 0.0) + _NEAR_WEAK
    near = [c for c, w in ranked if top - w <= margin]
    if not any(votes.strong.get(c) for c in near) and (top < _weight("weak_minimum") or len(near) > 2):
        # weak cues alone place a cycle only when together they point to one or two cycles
        spread = ", ".join(f"{c} {w:.3g}" for c, w in ranked[:4])
        return CycleDecision(None, f"weak cues only, pointing to no one cycle ({spread})", votes=votes)
    # a later document names earlier cycles, rarely the reverse: on a near tie take the later
    later = [c for c in near if ORDER.index(c) > ORDER.index(best)]
    if later:
        best = max(later, key=ORDER.index)
    # the heaviest reasons first (a stable sort keeps the order of equal ones)
    said = [r for _, r in sorted(votes.reasons[best], key=lambda wr: -wr[0])]
    reason = "; ".join(list(dict.fromkeys(said))[:3])
    others = [f"{c} {w:.3g}" for c, w in ranked if c != best]
    if others:
        reason += f" (against {', '.join(others[:2])})"
    return CycleDecision(best, reason, strength=votes.strong.get(best, 0.0), votes=votes)


def five_tier(text: str) -> bool:
    """Whether the five-tier scale is in use: 'adequate' written as a grade."""
    # A quick test first: no letter but an ASCII one matches these case-blind, so a text whose
    # lower case lacks the word cannot match, and most texts are passed without the pattern.
    if "adequate" not in text and "adequate" not in text.lower():
        return False
    return bool(_FIVE_TIER_GRADE.search(text))


_FIVE_TIER_GRADE = lazy_compile(
    r"[‘'\"“]adequate[’'\"”]|\badequate\s+(?:in|at|for)\b|^\s*adequate\s*$", re.I | re.M
)


def cycle_from_subjects(text: str, subjects: list[str], votes: Votes | None = None) -> CycleDecision:
    """After the judgments are read: the cycle whose subjects the graded subjects name, among the
    cycles the grade scale allows ("adequate" is 2021/22 or later). A subject several cycles share
    gives each a share of its vote; every subject graded being of one pillar (efficiency and its
    questions) votes for the cycles of pillar reports (``pillar_report_cycles``).

    With ``votes`` (those :func:`decide_cycle` gathered, when they left the cycle open) the
    subjects' votes join them and the whole is weighed again; without, the subjects decide alone
    when one cycle has the most.

    >>> cycle_from_subjects("", ["Police powers and public treatment", "Leadership and force management"]).cycle
    '2023–25'
    """
    five = five_tier(text)
    shares, pillars = _subject_shares(subjects, five)
    if votes is None:
        if shares:
            best = sorted(shares.items(), key=lambda cv: -cv[1])
            if len(best) == 1 or best[0][1] > best[1][1] + 1e-9:
                return CycleDecision(
                    best[0][0],
                    f"graded subjects are {best[0][0]} subjects ({best[0][1]:.3g} of {len(subjects)})",
                )
        return CycleDecision(None, "no cycle named, no date that places one")
    joined = votes.copy()
    for cycle, share in shares.items():
        joined.add(
            cycle,
            _weight("subject") * share,
            f"graded subjects are {cycle} subjects ({share:.3g} of {len(subjects)})",
            weak=True,
        )
    if len(pillars) == 1 and not five and (len(subjects) > 1 or pillar_named(subjects[0])):
        for cycle in load_vocabulary().pillar_report_cycles:
            joined.add(
                cycle,
                _weight("pillar_report"),
                f"every grade is of one pillar ({next(iter(pillars))}): a pillar report",
                weak=True,
            )
    return _verdict(joined, five)


def _subject_shares(subjects: list[str], five: bool) -> tuple[dict[str, float], set[str]]:
    """Each cycle's share of the graded subjects, and the pillars those subjects belong to in the
    cycles that had pillars."""
    shares: dict[str, float] = defaultdict(float)
    pillars: set[str] = set()
    seen: dict[str, list[str]] = {}  # a subject graded again (a repeated sentence) is matched once
    for subject in subjects:
        hits = seen.get(subject)
        if hits is None:
            hits = seen[subject] = _subject_hits(subject, five, pillars)
        for cycle in hits:
            shares[cycle] += 1 / len(hits)
    return dict(shares), pillars


def _subject_hits(subject: str, five: bool, pillars: set[str]) -> list[str]:
    """The cycles whose own wording the subject names best ("Police powers and public treatment"
    is 2023–25's alone; "Investigating crime" is several cycles'); adds its pillars to ``pillars``."""
    found = {c: m for c in ORDER if (m := matcher().match(subject, c, only_cycle=True))}
    for c, m in found.items():
        if c not in FIVE_TIER and m.score >= 0.8:
            pillars.add(m.subject.pillar or (m.subject.key if m.subject.scope == "pillar" else "?"))
    fits = {c: m.score for c, m in found.items() if not five or c in FIVE_TIER}
    best = max(fits.values(), default=0.0)
    return [c for c, f in fits.items() if f >= best - 1e-9] if best >= 0.8 else []
