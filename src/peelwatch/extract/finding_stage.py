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

_WRAP = lazy_compile(r"[ \t]*\n(?![ \t]*[-•·*–▪◦])[ \t]*")  # a wrapped line, not a bullet


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
    fw = load_framework()
    findings = []
    for f in kept:
        body = text[f.start : f.end].strip()
        match = fw.match_subject(body[:200]) if len(body) < 400 else None
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
