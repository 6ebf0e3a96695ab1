"""Facts beside the grades: discharge statements and "Force in numbers" statistics."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.model import Discharge, Statistic
from peelwatch.extract.text import evidence, lines, paragraphs, sentences
from peelwatch.framework.vocabulary import load_vocabulary

_TYPE_WORDS = (
    ("area_for_improvement", lazy_compile(r"areas?\s+for\s+improvement|\bAFIs?\b", re.I)),
    ("cause_of_concern", lazy_compile(r"causes?\s+of\s+concern", re.I)),
    ("recommendation", lazy_compile(r"recommendations?", re.I)),
)


@lru_cache(maxsize=1)
def _discharge_cues() -> tuple[tuple[str, ...], re.Pattern[str], re.Pattern[str]]:
    """Every discharge phrase in lower case, and a pattern for each status."""
    phrases = load_vocabulary().discharge_phrases
    return (
        tuple(p.lower() for p in (*phrases["not_discharged"], *phrases["discharged"])),
        lazy_compile("|".join(re.escape(p) for p in phrases["not_discharged"]), re.I),
        lazy_compile("|".join(re.escape(p) for p in phrases["discharged"]), re.I),
    )


def extract_discharges(text: str, paras: list | None = None) -> list[Discharge]:
    """Sentences saying that an earlier finding has, or has not, been discharged."""
    phrases, not_re, yes_re = _discharge_cues()
    # where a discharge phrase stands (str.find per phrase: far quicker than one regex over a long
    # report); only those paragraphs are read
    low = text.lower()
    if len(low) != len(text):  # a character that lower-cases to two would shift the offsets
        low = text
    at = sorted(i for phrase in phrases for i in _find_all(low, phrase))
    if not at:
        return []
    candidates = [
        p for p in (paras if paras is not None else paragraphs(text)) if _any_within(at, p.start, p.end)
    ]
    out = []
    for s in sentences(candidates):
        ftype = next((t for t, pat in _TYPE_WORDS if pat.search(s.text)), None)
        if ftype is None:
            continue  # "judgment … remains in place" is about grades, not findings
        status = (
            "not_discharged" if not_re.search(s.text) else "discharged" if yes_re.search(s.text) else None
        )
        if status:
            out.append(Discharge(status, s.text, evidence(text, s.start, s.end), s.start, s.end, ftype))  # type: ignore[arg-type]
    return out


def _any_within(at: list[int], start: int, end: int) -> bool:
    """Whether a sorted list of offsets holds one in ``start``..``end``."""
    i = bisect_left(at, start)
    return i < len(at) and at[i] < end


def _find_all(text: str, phrase: str) -> list[int]:
    out, i = [], text.find(phrase)
    while i != -1:
        out.append(i)
        i = text.find(phrase, i + 1)
    return out


_CELL_GAP = lazy_compile(r"\t|\s{2,}")
_NUM = lazy_compile(r"^[£$]?-?\d[\d,]*(?:\.\d+)?\s*(?:%|p|m|k|per\s*cent)?$", re.I)
_UNIT = lazy_compile(r"\b(per\s+1,?000(?:\s+population)?|percentage|%|£|per\s+head|rate)\b", re.I)
_PERIOD = lazy_compile(r"\b(?:(?:12\s+months\s+to\s+)?\w+\s+20\d\d|20\d\d/\d\d|20\d\d)\b")


def extract_statistics(text: str) -> list[Statistic]:
    """Rows of a "Force in numbers" panel: a measure followed by the force's and the national value."""
    heads = load_vocabulary().statistics_headings
    ls = lines(text)
    out: list[Statistic] = []
    active = False
    misses = 0
    for ln in ls:
        t = ln.text
        if not t:
            continue
        if any(t.lower().startswith(h) for h in heads) and len(t.split()) <= 6:
            active, misses = True, 0
            continue
        if not active:
            continue
        cells = [c.strip() for c in _CELL_GAP.split(t) if c.strip()]
        nums = [c for c in cells[1:] if _NUM.match(c)]
        if len(cells) >= 2 and _NUM.match(cells[1]) and not _NUM.match(cells[0]):
            measure = cells[0]
            unit = _UNIT.search(measure)
            period = _PERIOD.search(measure)
            out.append(
                Statistic(
                    measure=measure,
                    force_value=nums[0],
                    evidence=evidence(text, ln.start, ln.end),
                    start=ln.start,
                    end=ln.end,
                    unit=unit.group(1) if unit else ("%" if nums[0].endswith("%") else None),
                    national_value=nums[1] if len(nums) > 1 else None,
                    period=period.group(0) if period else None,
                )
            )
            misses = 0
        else:
            misses += 1
            if misses > 3:
                active = False
    return out
