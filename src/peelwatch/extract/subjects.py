"""From the words a document uses for what it grades to a scope and a canonical framework key."""

from __future__ import annotations

import re

from peelwatch.extract.text import norm
from peelwatch.framework import load_framework

_PILLAR_WORDS = {
    "effectiveness": "effectiveness",
    "effective": "effectiveness",
    "effectively": "effectiveness",
    "efficiency": "efficiency",
    "efficient": "efficiency",
    "efficiently": "efficiency",
    "legitimacy": "legitimacy",
    "legitimate": "legitimacy",
    "legitimately": "legitimacy",
    "leadership": "leadership",
}
_HEADLINE = re.compile(
    r"\b(effective|efficient|legitimate|effectively|efficiently|legitimately)\b(?:\s+[\w']+){0,5}?\s+(?:at\s+)?"
    r"(keep(?:s|ing)? people safe|reduc(?:e|es|ing) crime and keep|treat(?:s|ing)? the public and its workforce|operates?\b)",
)
AREA_CYCLES = {"2021/22", "2023–25", "2025–27"}


def pillar_of(subject: str) -> str | None:
    """The pillar a subject names outright ("Effectiveness", "the extent to which the force is
    efficient at keeping people safe and reducing crime"), else ``None``."""
    n = norm(subject)
    words = n.split()
    if len(words) <= 2 and words and words[-1] in _PILLAR_WORDS:
        return _PILLAR_WORDS[words[-1]]
    m = _HEADLINE.search(n)
    if m:
        return _PILLAR_WORDS[m.group(1)]
    if n in {"how well the force tackles crime"}:
        return "effectiveness"
    if ("value for money" in n and len(words) <= 8) or n.startswith("the efficiency with which"):
        return "efficiency"
    if "legitimately keeps people safe" in n or n.startswith("how legitimately"):
        return "legitimacy"
    return None


def classify(subject: str, cycle: str | None) -> tuple[str, str | None]:
    """(scope, canonical key) for a subject as written."""
    if norm(subject) in {"overall", "overall judgment", "overall judgement", "overall grade"}:
        return "overall", "overall"
    pillar = pillar_of(subject)
    # from 2021/22 there are no pillar grades: "value for money" is then an area, not efficiency
    if pillar and (cycle not in AREA_CYCLES or len(norm(subject).split()) <= 2):
        return "pillar", pillar
    fw = load_framework()
    match = fw.match_subject(subject, cycle=cycle) if cycle else None
    if match is None:
        match = fw.match_subject(subject)
    key = match.key if match else None
    if match is not None and match.scope == "pillar":
        return "pillar", key
    if cycle in AREA_CYCLES:
        return "area", key
    return "question", key
