"""The findings-and-responses stage as one call: blocks -> findings by role -> responses -> facts.

``read_findings(text, kind, force)`` is what the pipeline calls; it joins ``findings.py`` (which
items are findings), ``responses.py`` (which blocks answer them) and turns both into the
extraction's :class:`Finding` and :class:`Response` facts, with spans, evidence and rule names.
"""

from __future__ import annotations

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.findings import dedupe_findings, drop_other_forces, extract_findings
from peelwatch.extract.model import Finding, Response
from peelwatch.extract.responses import extract_responses
from peelwatch.extract.text import evidence
from peelwatch.framework import load_framework
from peelwatch.framework.model import Subject

_WRAP = lazy_compile(r"[ \t]*\n(?![ \t]*[-•·*–▪◦])[ \t]*")  # a wrapped line, not a bullet
# A number standing alone between spaces or ASCII punctuation (not "'", which "'s" folding joins
# to the next word): the framework's subject words drop such numbers ("area 12" names no
# subject), so two phrases that differ only in them name the same subject.
_LONE_NUMBER = lazy_compile(r"(?<![^ \t\n\r\f\v.,;:!?()\[\]/\"-])[0-9]+(?![^ \t\n\r\f\v.,;:!?()\[\]/\"-])")


def read_findings(
    text: str, kind: str = "other", force: str | None = None
) -> tuple[list[Finding], list[Response]]:
    """The document's findings (each listed once) and the responses to them.

    ``kind`` decides who answers when a response's own words do not (a commissioner's response is
    ``pcc``); ``force`` drops findings addressed by name to another force.
    """
    raw_f = extract_findings(text)
    raw_r = extract_responses(text, raw_f, kind, force)
    kept, remap = dedupe_findings(raw_f, text)
    kept, index = drop_other_forces(kept, remap, text, force)
    subject_of = SubjectMatcher()
    findings = []
    for f in kept:
        body = text[f.start : f.end].strip()
        match = subject_of(body[:200]) if len(body) < 400 else None
        findings.append(
            Finding(
                type=f.type,  # type: ignore[arg-type]
                text=_WRAP.sub(" ", body),
                evidence=evidence(text, f.start, f.end, limit=200),
                start=f.start,
                end=f.end,
                ref=f.ref,
                key=match.key if match else None,
                section=f.section,
                rule=f.rule,
            )
        )
    responses = []
    for r in raw_r:
        target = index.get(r.finding)
        if target is None:
            continue
        responses.append(
            Response(
                finding=target,
                by=r.by,  # type: ignore[arg-type]
                text=text[r.start : r.end].strip(),
                evidence=evidence(text, r.start, r.end, limit=200),
                start=r.start,
                end=r.end,
                rule=r.rule,
            )
        )
    return findings, responses


class SubjectMatcher:
    """The framework subject a finding's words name (:meth:`Framework.match_subject`), matched once
    for findings that differ only in their numbers: a tracker of thousands of findings, "… in
    area 1", "… in area 2", … would otherwise fuzzy-match the same words thousands of times."""

    def __init__(self) -> None:
        self._framework = load_framework()
        self._found: dict[str, Subject | None] = {}

    def __call__(self, phrase: str) -> Subject | None:
        key = _LONE_NUMBER.sub("0", phrase)
        if key not in self._found:
            self._found[key] = self._framework.match_subject(phrase)
        return self._found[key]
