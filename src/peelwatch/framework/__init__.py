"""The PEEL framework as data: forces, cycles, subjects (pillars, questions, areas) and grades.

The reference data lives in ``data/*.yaml``; this package only loads, checks and looks it up::

    from peelwatch.framework import load_framework

    fw = load_framework()
    fw.force("West Mids").name                      # 'West Midlands Police'
    fw.cycle("2023-25").label                       # '2023–25'
    fw.match_subject("investigating crime", cycle="2021/22").key   # 'investigating-crime'
    fw.grade("requiring improvement").value         # 'requires improvement'

Importing this package is cheap: YAML is parsed on the first ``load_framework()`` call and
rapidfuzz is imported on the first fuzzy lookup.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .model import PILLARS, Cycle, Force, Grade, Scope, Subject

if TYPE_CHECKING:
    from ._framework import Framework

__all__ = [
    "PILLARS",
    "Cycle",
    "Force",
    "Framework",
    "Grade",
    "Scope",
    "Subject",
    "load_framework",
    "pillar_for",
]


@lru_cache(maxsize=1)
def load_framework() -> Framework:
    """Load and check the framework data once per process and return it.

    Cached because the data files are immutable at run time; every caller shares the same
    read-only object. Raises ``peelwatch.errors.FrameworkError`` if a data file is missing or
    inconsistent.
    """
    from ._framework import Framework
    from ._load import read_framework

    return Framework(read_framework())


def __getattr__(name: str) -> object:
    # Framework is exported lazily so that `import peelwatch.framework` does not pay for it.
    if name == "Framework":
        from ._framework import Framework

        return Framework
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_PILLAR_WORDS = re.compile(
    r"\b(?:(effective(?:ness|ly)?)|(efficien(?:t|cy|tly))|(legitima(?:te|cy|tely))|(leadership|well[- ]led))\b",
    re.IGNORECASE,
)


def pillar_for(text: str) -> str | None:
    """The pillar a word or phrase points to, by its first pillar word, or None.

    "How effectively does the force ..." -> "effectiveness"; "efficient" -> "efficiency";
    "legitimately" -> "legitimacy"; "leadership" or "well led" -> "leadership".
    """
    m = _PILLAR_WORDS.search(text)
    if m is None:
        return None
    return PILLARS[m.lastindex - 1]  # type: ignore[operator]  # a match always has a group
