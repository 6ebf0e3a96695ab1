"""The extraction stages joined up: Document -> Extraction."""

from __future__ import annotations

import re
from collections.abc import Callable

from peelwatch.extract.extras import extract_discharges, extract_statistics
from peelwatch.extract.finding_stage import read_findings
from peelwatch.extract.judgments import RawJudgment, sentence_judgments
from peelwatch.extract.layout import (
    grade_line_judgments,
    inline_line_judgments,
    rating_judgments,
    table_judgments,
)
from peelwatch.extract.meta import (
    cycle_from_scale,
    detect_cycle,
    detect_force,
    detect_kind,
    detect_published,
    force_mentions,
    name_for_cycle,
)
from peelwatch.extract.model import Extraction, Finding, Judgment, Response
from peelwatch.extract.subjects import classify
from peelwatch.extract.text import evidence, norm, paragraphs, sentences
from peelwatch.framework import load_framework
from peelwatch.framework.vocabulary import load_vocabulary
from peelwatch.readers import Document

_CARRIED = re.compile(r"\b(?:in|from)\s+(?:our\s+|the\s+|hmic[’']?s?\s+)?(20[01]\d)\b", re.I)


def _known() -> Callable[[str], bool]:
    fw = load_framework()

    def known(text: str) -> bool:
        t = text.strip()
        if not t or len(t.split()) > 20:
            return False
        return fw.match_subject(t, threshold=85) is not None

    return known


def run(doc: Document) -> Extraction:
    text = doc.text
    result = Extraction(source=doc.source, title=doc.title)
    result.warnings.extend(doc.warnings)
    if not text.strip():
        if not result.warnings:
            result.warnings.append("no readable text")
        return result
    result.kind = detect_kind(text)  # type: ignore[assignment]
    result.force = detect_force(text, doc.title)
    result.published = doc.published or detect_published(text)
    result.cycle = detect_cycle(text, result.published)
    known = _known()
    result.force = name_for_cycle(result.force, result.cycle, text)
    paras = paragraphs(text)
    raw: list[RawJudgment] = []
    raw += table_judgments(text)
    raw += rating_judgments(text)
    raw += inline_line_judgments(text, known)
    raw += grade_line_judgments(text)
    raw += sentence_judgments(sentences(paras), known, text)
    claim = result.kind != "inspection_report"
    raw = [r for r in raw if not _about_other_force(text, r, result.force)]
    if result.cycle is None:
        result.cycle = cycle_from_scale(text, _subject_cycles(raw))
    result.judgments = _finish_judgments(raw, text, result.cycle, claim)
    result.findings, result.responses = _findings(text, result.kind, result.force)
    result.discharges = extract_discharges(text, paras)
    result.statistics = extract_statistics(text)
    if result.is_empty and not result.warnings:
        result.warnings.append("no judgments, findings or responses found")
    return result


def _finish_judgments(raw: list[RawJudgment], text: str, cycle: str | None, claim: bool) -> list[Judgment]:
    out: list[tuple[Judgment, bool]] = []
    seen: set[tuple[str, str, str | None]] = set()
    seen_keys: set[tuple[str, str, str | None]] = set()
    for r in sorted(raw, key=lambda r: (not r.explicit_subject, r.start)):
        if not r.grade:
            continue
        carried = r.cycle if r.cycle and r.cycle != cycle else None
        carried = carried or _carried_cycle(text, r, cycle)
        scope, key = classify(r.subject, carried or cycle)
        ident = (norm(r.subject), r.grade, carried)
        if ident in seen:
            continue
        if key and not r.explicit_subject and (key, r.grade, carried) in seen_keys:
            continue
        seen.add(ident)
        if key:
            seen_keys.add((key, r.grade, carried))
        judgment = Judgment(
            scope=scope,  # type: ignore[arg-type]
            subject=r.subject,
            grade=r.grade,  # type: ignore[arg-type]
            evidence=evidence(text, r.start, r.end),
            start=r.start,
            end=r.end,
            key=key,
            cycle=carried,
            claim=claim,
        )
        out.append((judgment, r.explicit_subject))
    out.sort(key=lambda pair: pair[0].start)
    return _drop_restatements(out)


_COMMON = frozenset(
    [
        "force",
        "police",
        "people",
        "public",
        "crime",
        "service",
        "their",
        "which",
        "being",
        "about",
        "extent",
        "effective",
        "effectively",
        "efficient",
        "legitimate",
        "constabulary",
    ]
)


def _stems(text: str) -> set[str]:
    """Crude stems of the content words: "treats" and "treatment" share "treat"."""
    return {_stem(w) for w in norm(text).split() if len(w) >= 5 and w not in _COMMON}


def _stem(word: str) -> str:
    for suffix in ("ment", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)][:6]
    return word[:6]


def _drop_restatements(judgments: list[tuple[Judgment, bool]]) -> list[Judgment]:
    """A summary's "investigation quality requires improvement" restates the graded question
    "How effective is the force at investigating crime …? Requires improvement": keep the graded one.
    Only judgments read from running text are dropped; each line of a table or list stands."""
    keyed = [j for j, _ in judgments if j.key]
    out = []
    for j, explicit in judgments:
        if (
            not explicit
            and j.key is None
            and any(
                k.grade == j.grade
                and k.cycle == j.cycle
                and k.scope != "pillar"
                and _stems(k.subject) & _stems(j.subject)
                for k in keyed
            )
        ):
            continue
        out.append(j)
    return out


def _subject_cycles(raw: list[RawJudgment]) -> list[str]:
    """For each graded subject that names exactly one cycle's subject closely, that cycle."""
    fw = load_framework()
    out = []
    for r in raw:
        hits = {c.label for c in fw.cycles if fw.match_subject(r.subject, cycle=c.label, threshold=88)}
        if len(hits) == 1:
            out.append(hits.pop())
        elif hits and hits <= {"2021/22", "2023–25"}:
            out.append("2021/22" if len(hits) == 2 else hits.pop())
    return out


def _about_other_force(text: str, r: RawJudgment, force: str | None) -> bool:
    """ "Elsewhere, Dyfed-Powys Police was rated good at …" grades another force, not this one."""
    if r.explicit_subject or force is None or r.subject_start <= r.start:
        return False
    named = {name for _, _, name in force_mentions(text[r.start : r.subject_start])}
    return (
        bool(named)
        and force not in named
        and not any(force.startswith(n) or n.startswith(force) for n in named)
    )


def _carried_cycle(text: str, r: RawJudgment, cycle: str | None) -> str | None:
    """An earlier cycle's grade restated ("In 2016, we judged it as good at …")."""
    if r.explicit_subject:
        return None
    m = _CARRIED.search(text[r.start : max(r.subject_start, r.start + 1)])
    if not m:
        return None
    label = load_vocabulary().cycle_years.get(m.group(1))
    return label if label and label != cycle else None


def _findings(text: str, kind: str, force: str | None) -> tuple[list[Finding], list[Response]]:
    """Findings by role, then the responses that answer them (see ``finding_stage.py``)."""
    return read_findings(text, kind, force)
