"""The extraction stages joined up: Document -> Extraction."""

from __future__ import annotations

import re

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.discharges import extract_discharges
from peelwatch.extract.extras import extract_statistics
from peelwatch.extract.finding_stage import read_findings
from peelwatch.extract.force import framework_force
from peelwatch.extract.judgments import (
    MAX_GRADES_PER_DOCUMENT,
    DocumentContext,
    definitions_start,
    document_pillar,
    may_judge,
    sentence_judgments,
)
from peelwatch.extract.layout import (
    grade_line_judgments,
    inline_line_judgments,
    rating_judgments,
    table_judgments,
)
from peelwatch.extract.meta import Meta, cycle_from_subjects, detect_meta
from peelwatch.extract.model import Extraction, Judgment, Unattached
from peelwatch.extract.raw import RawJudgment, RawUnattached
from peelwatch.extract.statuses import mark_statuses
from peelwatch.extract.subjects import classify, covers
from peelwatch.extract.text import evidence, norm
from peelwatch.framework.vocabulary import load_vocabulary
from peelwatch.readers import Document

_CARRIED = lazy_compile(r"\b(?:in|from)\s+(?:our\s+|the\s+|hmic[’']?s?\s+)?(20[01]\d)\b", re.I)


def _known(text: str) -> bool:
    """A short phrase names a framework subject (for layout rules that need to be sure)."""
    t = text.strip()
    return bool(t) and len(t.split()) <= 20 and covers(t.split())


def _official(name: str | None) -> str | None:
    force = framework_force(name) if name else None
    return force.name if force else None


def run(doc: Document) -> Extraction:
    text = doc.text
    result = Extraction(source=doc.source, title=doc.title)
    result.warnings.extend(doc.warnings)
    if not text.strip():
        if not result.warnings:
            result.warnings.append("no readable text")
        return result
    meta = detect_meta(doc)
    result.kind = meta.kind  # type: ignore[assignment]
    result.force, result.cycle, result.published, result.title = (
        meta.force,
        meta.cycle,
        meta.published,
        meta.title,
    )
    result.reasons.update(meta.reasons)
    raw, loose = _read_judgments(doc, meta, result)
    result.unattached = [
        Unattached(u.grade, evidence(text, u.start, u.end), u.start, u.end, u.reason) for u in loose
    ]
    result.judgments = _finish_judgments(raw, text, result.cycle, claim=result.kind != "inspection_report")
    result.findings, result.responses = read_findings(text, result.kind, result.force)
    mark_statuses(text, result.findings, result.kind)
    result.discharges = extract_discharges(text, result.findings)
    result.statistics = extract_statistics(text)
    if result.is_empty and not result.warnings:
        result.warnings.append("no judgments, findings or responses found")
    return result


def _read_judgments(
    doc: Document, meta: Meta, result: Extraction
) -> tuple[list[RawJudgment], list[RawUnattached]]:
    """Judgments from layouts (tables, grade lines), then from running text by relation. When the
    document's cues left its cycle open, the subjects graded may settle it; running text is then
    read again knowing the cycle, whose own names decide how lists split ("investigating crime,
    managing offenders" is two 2021/22 areas)."""
    text = doc.text
    if meta.not_peel:
        # a fire and rescue inspection or a thematic review grades things PEEL does not
        result.reasons["judgments"] = f"none read: not a PEEL document (about {meta.not_peel})"
        _settle_cycle(text, [], meta, result)
        return [], []
    if not may_judge(text):
        # no grade word anywhere (findings and their answers alone): no rule below reads a judgment
        _settle_cycle(text, [], meta, result)
        return [], []
    annex = definitions_start(text)
    graded_part = text[:annex]  # an annex defining the grades grades nothing
    laid_out = [
        *table_judgments(graded_part),
        *rating_judgments(graded_part),
        *inline_line_judgments(graded_part, _known),
        *grade_line_judgments(graded_part),
    ]
    context = DocumentContext(
        text,
        cycle=result.cycle,
        force=_official(result.force),
        inspectorate=result.kind == "inspection_report",
        pillar=document_pillar(text, doc.title),
        taken=[(r.start, r.end) for r in laid_out],
        annex=annex,
    )
    running, loose = sentence_judgments(context)
    if _settle_cycle(text, [r.subject for r in laid_out + running], meta, result):
        context.cycle = result.cycle
        running, loose = sentence_judgments(context)
    if context.skipped_grades:
        result.warnings.append(
            f"{context.skipped_grades} grade expressions in running text not read: "
            f"over {MAX_GRADES_PER_DOCUMENT} in one document"
        )
    return laid_out + running, loose


def _settle_cycle(text: str, subjects: list[str], meta: Meta, result: Extraction) -> bool:
    """Set the cycle from the subjects graded when the document's cues left it open; True if set."""
    if not meta.cycle_open:
        return False
    late = cycle_from_subjects(text, subjects, meta.cycle_votes)
    if not late.cycle:
        return False
    result.cycle, result.reasons["cycle"] = late.cycle, late.reason
    return True


def _finish_judgments(raw: list[RawJudgment], text: str, cycle: str | None, claim: bool) -> list[Judgment]:
    """Scope, key and carried cycle for each judgment; one judgment per subject and grade. Layout
    judgments come first: running text that restates a grade a table or grade line gives (same
    key and grade, "In 2017 we judged it good at …" included) adds nothing."""
    out: list[Judgment] = []
    seen: set[tuple[str, str, str | None]] = set()
    seen_keys: set[tuple[str, str, str | None]] = set()
    laid_out: set[tuple[str, str]] = set()  # (key, grade) given by a layout
    for r in sorted(raw, key=lambda r: (not r.explicit_subject, r.start)):
        if not r.grade:
            continue
        carried = r.cycle if r.cycle and r.cycle != cycle else None
        carried = carried or _carried_cycle(text, r, cycle)
        ident = (norm(r.subject), r.grade, carried)
        if ident in seen:
            continue
        scope, key = classify(r.subject, carried or cycle)
        if (
            key
            and not r.explicit_subject
            and ((key, r.grade, carried) in seen_keys or (key, r.grade) in laid_out)
        ):
            continue
        seen.add(ident)
        if key:
            seen_keys.add((key, r.grade, carried))
            if r.explicit_subject:
                laid_out.add((key, r.grade))
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
            rule=r.rule,
        )
        out.append(judgment)
    out.sort(key=lambda j: j.start)
    return out


def _carried_cycle(text: str, r: RawJudgment, cycle: str | None) -> str | None:
    """An earlier cycle's grade restated ("In 2016, we judged it as good at …")."""
    if r.explicit_subject:
        return None
    before = text[r.start : max(r.subject_start, r.start + 1)]
    if "20" not in before:  # a quick test: the pattern needs a year
        return None
    m = _CARRIED.search(before)
    if not m:
        return None
    label = load_vocabulary().cycle_years.get(m.group(1))
    return label if label and label != cycle else None
