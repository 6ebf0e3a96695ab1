"""Dates written in a document, and the one date the document states as its own.

A document states its date in a few recognisable places: a label ("Published on: 27 September
2024", "Posted on 27th November 2014", "Sent on" over a date line, "Last updated 13/11/2014", a
minutes' "meeting held on 14 July 2020"), a line holding nothing but a date (a letter's date line,
a byline's "May 14, 2025" or "2 May 2019, 08:15"), or a date in brackets closing the title line.
A date met in passing ("Between 6 and 17 September 2021, we inspected …", "by 30 June") is not
the document's date. The labels are data (``date_labels`` in the vocabulary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from peelwatch.extract._lazy import lazy_compile
from peelwatch.framework.vocabulary import load_vocabulary

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}

_YEAR = r"(?P<y>(?:19|20)\d\d)"
# a month name as printed: "May", "Sept", "DECEMBER" (looked up in the table; a capital first
# letter keeps the scan fast over long texts)
_MON = r"(?P<mon>[A-Z][a-zA-Z]{2,8})"
# "27th November 2014", "12 Apr 2017", "14 October, 2022"
_DAY_MONTH_YEAR = lazy_compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON}\.?,?\s+{_YEAR}\b")
# "May 14, 2025", "March 12th 2024"
_MONTH_DAY_YEAR = lazy_compile(rf"(?<![A-Za-z]){_MON}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b")
# "2019-05-02" (also "2019-05-02T08:15")
_ISO = lazy_compile(rf"\b{_YEAR}-(?P<m>\d\d)-(?P<d>\d\d)(?![\d-])")
# "13/11/2014", "13.11.2014", "13-11-2014": day first, as in British documents
_NUMERIC = lazy_compile(rf"\b(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-]{_YEAR}\b")
# "May 2019", "in September 2021": a month without a day
_MONTH_YEAR = lazy_compile(rf"(?<![A-Za-z]){_MON}\.?,?\s+{_YEAR}\b")


@dataclass(frozen=True, slots=True)
class Dated:
    """A date written in the text: ``text[start:end]`` is how it is written."""

    start: int
    end: int
    value: date
    has_day: bool = True


def _month(word: str | None) -> int | None:
    return _MONTHS.get(word.lower()) if word else None


_YEAR_ONLY = lazy_compile(r"(?:19|20)\d\d(?!\d)")
_REACH = 26  # the longest way a date is written before its year: "Wednesday 27th September "
_ISO_TAIL = 6  # and after it, in ISO form: "-05-02"


def _year_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around a year: every date holds one, so only these are searched (one
    quick scan for years instead of a scan per date pattern over a long report)."""
    out: list[tuple[int, int]] = []
    for m in _YEAR_ONLY.finditer(text):
        start, end = max(0, m.start() - _REACH), min(len(text), m.end() + _ISO_TAIL)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def find_dates(text: str) -> list[Dated]:
    """Every full date (day, month and year) in the text, in order.

    >>> [d.value.isoformat() for d in find_dates("Sent on 26 September 2024; updated 01/10/2024")]
    ['2024-09-26', '2024-10-01']
    """
    return list(_dates_in(text))


@lru_cache(maxsize=4)
def _dates_in(text: str) -> tuple[Dated, ...]:
    # cached: the document's own date and its cycle both read the dates of the same opening
    found: dict[int, Dated] = {}
    windows = _year_windows(text)
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _ISO, _NUMERIC):
        for start, end in windows:
            for m in pattern.finditer(text, start, end):
                if m.start() in found:
                    continue
                month = _month(m.groupdict().get("mon")) or (
                    int(m.group("m")) if m.groupdict().get("m") else None
                )
                if month is None:
                    continue
                try:
                    value = date(int(m.group("y")), month, int(m.group("d")))
                except ValueError:
                    continue
                found[m.start()] = Dated(m.start(), m.end(), value)
    return tuple(_without_overlaps(sorted(found.values(), key=lambda d: (d.start, -d.end))))


def find_month_years(text: str) -> list[Dated]:
    """Every date in the text, full ones and months without a day ("in May 2019": the 1st).

    >>> [(d.value.isoformat(), d.has_day) for d in find_month_years("fieldwork in May 2019")]
    [('2019-05-01', False)]
    """
    full = find_dates(text)
    covered = [(d.start, d.end) for d in full]
    out = list(full)
    for start, end in _year_windows(text):
        for m in _MONTH_YEAR.finditer(text, start, end):
            month = _month(m.group("mon"))
            if month is None or any(s <= m.start() < e or s < m.end() <= e for s, e in covered):
                continue
            out.append(Dated(m.start(), m.end(), date(int(m.group("y")), month, 1), has_day=False))
    return sorted(out, key=lambda d: d.start)


def _without_overlaps(dates: list[Dated]) -> list[Dated]:
    out: list[Dated] = []
    for d in dates:
        if out and d.start < out[-1].end:
            continue
        out.append(d)
    return out


@lru_cache(maxsize=1)
def _labels() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(label, role) pairs, longest first: labels that open a line, and phrases met mid-sentence."""
    vocab = load_vocabulary()

    def pairs(groups: dict[str, tuple[str, ...]]) -> tuple[tuple[str, str], ...]:
        out = [(label.lower(), role) for role, labels in groups.items() for label in labels]
        return tuple(sorted(out, key=lambda p: -len(p[0])))

    return pairs(vocab.date_labels), pairs(vocab.date_phrases)


# How much a kind of date says "this is the document's own date": lower is better.
_RANK = {"published": 0, "sent": 1, "line": 1, "title": 1, "heading": 2, "updated": 2, "meeting": 3}
_WHY = {
    "published": "publication label",
    "sent": "letter's 'sent on' or date label",
    "line": "date on a line of its own",
    "title": "date closing the title line",
    "heading": "date closing a heading",
    "updated": "'last updated' label",
    "meeting": "meeting date",
}


@dataclass(frozen=True, slots=True)
class Stated:
    """The date a document states as its own, and how it says so."""

    value: date
    start: int
    how: str  # a key of _WHY

    @property
    def reason(self) -> str:
        return f"{_WHY[self.how]} ({self.value.isoformat()})"


LABEL_CHARS = 6000  # a document states its date near the top
LINE_CHARS = 3000  # a date line stands in the first lines (a letter's date, a byline)
_DATE_LINE_MAX_WORDS = 12  # "2 May 2019, 08:15 | Updated: 2 May 2019, 08:16"
_OPENERS = " \t:|(–-•·*"


def stated_date(text: str) -> Stated | None:
    """The document's own date: a labelled date, a date line, or a date closing the title line.

    >>> stated_date("Letter information\\nSent on\\n26 September 2024\\n\\nDear Chief Constable").how
    'sent'
    >>> stated_date("Between 6 and 17 September 2021, we inspected the force.") is None
    True
    """
    return _stated_in(text[:LABEL_CHARS])


@lru_cache(maxsize=4)
def _stated_in(head: str) -> Stated | None:
    # cached: both the published date and the cycle ask for the same document's own date
    candidates = [c for d in find_dates(head) if (c := _how_stated(head, d)) is not None]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (_RANK[c.how], c.start))


def _how_stated(head: str, d: Dated) -> Stated | None:
    line_start = head.rfind("\n", 0, d.start) + 1
    line_end = head.find("\n", d.end)
    line = head[line_start : len(head) if line_end == -1 else line_end]
    before = head[line_start : d.start]
    role = _label_before(before) or _label_above(head, line_start, before)
    if role is not None:
        return Stated(d.value, d.start, role)
    if d.start < LINE_CHARS and _is_date_line(line):
        return Stated(d.value, d.start, "line")
    if (
        _is_title_line(head, line_start)
        and line.rstrip().endswith(")")
        and line.rfind("(") <= d.start - line_start
    ):
        return Stated(d.value, d.start, "title")  # "… welcomes the 2016 PEEL Assessment (12 Apr 2017)"
    if d.start < LINE_CHARS and _closes_a_heading(line, d.start - line_start, d.end - line_start):
        return Stated(
            d.value, d.start, "heading"
        )  # "Police and Crime Panel - Tuesday, 18th April, 2023 10.00 am"
    return None


_HEADING_DATE_WORDS = 15
# a dash, a bar or a comma before the date; a colon makes a field ("Date of report: …"), which
# only the labels of ``date_labels`` may make the document's own date
_DATE_SEPARATOR = lazy_compile(
    r"(?:\s[-–—|]\s|,)\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?$", re.I
)


def _closes_a_heading(line: str, start: int, end: int) -> bool:
    """A date that closes a short heading after a dash, a bar or a comma, perhaps with a time after
    it: a meeting's, a notice's or a byline's own date ("Police and Crime Panel - Tuesday, 18th
    April, 2023 10.00 am", "By Local Reporter | 16 May 2025"), not a date inside a sentence.

    >>> _closes_a_heading("Panel - Tuesday, 18th April, 2023 10.00 am", 17, 33)
    True
    >>> _closes_a_heading("The report was published on 18 April 2023", 28, 41)
    False
    """
    before, after = line[:start], line[end:]
    return (
        len(line.split()) <= _HEADING_DATE_WORDS
        and bool(before.strip())
        and not _TIME.sub("", after).strip(" .,")
        and bool(_DATE_SEPARATOR.search(before))
        and not before.rstrip().endswith(".")
    )


def _label_before(before: str) -> str | None:
    """The role of a label just before a date on its line: "Published on: ", "… meeting held on "."""
    tail = before.lower().rstrip(_OPENERS + ",")
    if len(before) - len(tail) > 12:
        return None
    labels, phrases = _labels()
    for label, role in labels:
        # a label opens its line (or follows a separator): "Posted on 27th November 2014"
        if tail.endswith(label) and not tail[: -len(label)].strip(_OPENERS):
            return role
        cut = tail.rfind("|")
        if cut != -1 and tail.endswith(label) and not tail[cut + 1 : -len(label)].strip(_OPENERS):
            return role
        # a capitalised label run into the line before it, as PDF text often has it
        # ("… an inspection of Kent Police Published: 6 March 2025")
        if tail.endswith(label) and _capitalised_label(before, len(tail) - len(label), label):
            return role
    for phrase, role in phrases:
        if tail.endswith(phrase) and (len(tail) == len(phrase) or not tail[-len(phrase) - 1].isalnum()):
            return role
    return None


def _capitalised_label(before: str, at: int, label: str) -> bool:
    written = before[at : at + len(label)]
    return (
        written[:1].isupper()
        and (at == 0 or before[at - 1] in " \t")
        and before[at + len(label) :].strip(" \t").startswith(":")
    )


def _label_above(head: str, line_start: int, before: str) -> str | None:
    """A label alone on the line above a date that opens its line ("Sent on" / "26 September 2024")."""
    if before.strip(_OPENERS) or line_start == 0:
        return None
    prev_start = head.rfind("\n", 0, line_start - 1) + 1
    above = head[prev_start : line_start - 1].strip().lower().rstrip(":").strip()
    return next((role for label, role in _labels()[0] if above == label), None)


def _is_title_line(head: str, line_start: int) -> bool:
    return not head[:line_start].strip()


_TIME = lazy_compile(r"\b\d{1,2}[:.]\d\d\s*(?:am|pm)?\b", re.I)
_WEEKDAY = lazy_compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)


def _is_date_line(line: str) -> bool:
    """A line that holds a date and little else: a date line, a byline's date, a time stamp.

    >>> _is_date_line("2 May 2019, 08:15 | Updated: 2 May 2019, 08:16")
    True
    >>> _is_date_line("On 24 November 2021, the inspectorate published its report")
    False
    """
    rest = _TIME.sub(" ", line)
    rest = _WEEKDAY.sub(" ", rest)
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _ISO, _NUMERIC):
        rest = pattern.sub(" ", rest)
    words = re.findall(r"[A-Za-z]{2,}", rest)
    labels = {label for label, _ in _labels()[0]}
    words = [w for w in words if w.lower() not in labels and w.lower() not in {"at", "on", "by"}]
    return len(words) <= 1 and len(line.split()) <= _DATE_LINE_MAX_WORDS
