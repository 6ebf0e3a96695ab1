"""Facts beside the grades: "Force in numbers" statistics (discharge statements: discharges.py)."""

from __future__ import annotations

import re

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.model import Statistic
from peelwatch.extract.text import evidence, lines
from peelwatch.framework.vocabulary import load_vocabulary

_CELL_GAP = lazy_compile(r"\t|\s{2,}")
_NUM = lazy_compile(r"^[£$]?-?\d[\d,]*(?:\.\d+)?\s*(?:%|p|m|k|per\s*cent)?$", re.I)
_UNIT = lazy_compile(r"\b(per\s+1,?000(?:\s+population)?|percentage|%|£|per\s+head|rate)\b", re.I)
_PERIOD = lazy_compile(r"\b(?:(?:12\s+months\s+to\s+)?\w+\s+20\d\d|20\d\d/\d\d|20\d\d)\b")


def extract_statistics(text: str) -> list[Statistic]:
    """Rows of a "Force in numbers" panel: a measure followed by the force's and the national value."""
    heads = tuple(load_vocabulary().statistics_headings)
    ls = lines(text)
    out: list[Statistic] = []
    active = False
    misses = 0
    for ln in ls:
        t = ln.text
        if not t:
            continue
        if t.lower().startswith(heads) and len(t.split()) <= 6:
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
