"""Discharge statements: a later document saying whether an earlier finding was dealt with.

A statement is an outcome (``discharged`` or ``not_discharged``) and the finding it names. The
sentences that state one are rules in ``framework/data/discharges.yaml`` ("{finding} has been
discharged", "closing {finding}", "{subject} remains {a_finding}"); which finding is meant is
read from the words the rule matched, the most specific first:

1. what the finding is about, after "regarding", "to" ...: "the cause of concern regarding
   responding to the public" names *responding to the public*;
2. "many", "some" ... before the finding word: some findings, unnamed (the statement is kept, and
   names none);
3. a plural finding word ("the force's remaining causes of concern"): every finding of that type
   the document itself lists, one statement each;
4. a singular one, or "this"/"it" as the subject ("this area for improvement has been
   discharged"): the nearest finding of that type listed before the statement;
5. any other subject ("Crime data integrity remains a cause of concern") names the finding by it.

A statement whose finding cannot be read this way is kept with ``referent="context"``: the
linker then reads the words around it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.model import Discharge, Finding
from peelwatch.extract.text import Paragraph, evidence, flatten, paragraph_spans, sentences
from peelwatch.framework._load import data_file, read_cached

__all__ = ["DischargeRules", "extract_discharges", "load_discharge_rules"]

_WORD = r"[\w’'\-]+"


@dataclass(frozen=True, slots=True)
class _Rule:
    status: str
    sentence: str  # the rule as written in the data file
    pattern: re.Pattern[str]
    words: tuple[str, ...]  # its literal words, lower-cased: a sentence lacking one cannot match


@dataclass(frozen=True, slots=True)
class DischargeRules:
    """The discharge vocabulary, compiled: rules, finding words and the referent word lists."""

    rules: tuple[_Rule, ...]
    types: dict[str, str]  # lower-cased finding word -> finding type
    anchors: tuple[str, ...]  # a word of every rule, lower-cased (a cheap first pass)
    finding_anchors: tuple[str, ...]  # words, lower-cased, one of which every finding word holds
    about_ends: re.Pattern[str]
    this_words: frozenset[str]
    all_words: frozenset[str]
    some_words: frozenset[str]
    subject_openers: frozenset[str]
    not_stated: frozenset[str]
    lookback: int


def _phrase(words: str) -> str:
    """A literal phrase as a pattern: any run of spaces between words, either apostrophe."""
    parts = [re.escape(w).replace("’", "['’]").replace("'", "['’]") for w in words.split()]
    return r"\s+".join(parts)


def _alternatives(phrases: list[str]) -> str:
    return "|".join(_phrase(p) for p in sorted(phrases, key=len, reverse=True))


def _compile_rule(sentence: str, types: str, about: str, breaks: str) -> re.Pattern[str]:
    """One rule as a pattern; slots become named groups, a final full stop the end of a clause."""
    body = sentence.strip()
    ends_clause = body.endswith(".")
    # what a finding is about runs to the end of its clause when nothing of the rule follows it
    about_end = r"(?=\s*(?:[.;:,!?]|$))" if body.rstrip(".").endswith("{finding}") else ""
    slots = {
        "{finding}": (
            rf"(?<![\w’'\-])(?P<pre>(?:(?!(?:{breaks})\s){_WORD}\s+){{0,5}}?)(?P<type>{types})"
            rf"(?:\s+(?P<link>{about})\s+(?P<about>[^.;:!?,]+?){about_end})?"
        ),
        "{a_finding}": rf"an?\s+(?P<type>{types})",
        "{subject}": rf"(?<![\w’'\-])(?P<subject>(?:{_WORD}\s+){{0,5}}?{_WORD})",
    }
    out = []
    for token in re.split(r"(\{\w+\})", body.rstrip(".")):
        if token in slots:
            out.append(slots[token])
        elif token.strip():
            out.append(_phrase(token.strip()))
    pattern = r"\s+".join(out)
    if not body.startswith("{"):
        pattern = r"\b" + pattern
    pattern += r"\s*(?=[.;:,!?]|$)" if ends_clause else r"\b"
    return lazy_compile(pattern, re.IGNORECASE)


def _parse_discharges() -> dict[str, Any]:
    import yaml  # only when no cached copy can be read

    return yaml.safe_load(data_file("discharges.yaml")["discharges.yaml"])


@cache
def load_discharge_rules() -> DischargeRules:
    """Read ``discharges.yaml`` once (it is part of the package and never changes at run time), or
    the copy an earlier process cached, so that a short command does not import a YAML parser."""
    raw = read_cached("discharges", data_file("discharges.yaml"), dict, _parse_discharges)
    types = {w.lower(): t for t, words in raw["finding_words"].items() for w in words}
    type_alt = r"\b(?:" + _alternatives(list(types)) + r")\b"
    about_alt = _alternatives(raw["about_words"])
    breaks = _alternatives(raw["pre_breaks"])
    rules = tuple(
        _Rule(
            status,
            sentence,
            _compile_rule(sentence, type_alt, about_alt, breaks),
            tuple(w.lower() for w in _literal_words(sentence)),
        )
        for status, sentences_ in raw["outcomes"].items()
        for sentence in sentences_
    )
    common = {w.lower() for w in raw["common_words"]}
    anchors = _fewest(
        max(reversed(words), key=len)
        for r in rules
        if (words := [w for w in r.words if w not in common] or list(r.words))
    )
    return DischargeRules(
        rules=rules,
        types=types,
        anchors=anchors,
        finding_anchors=_fewest(types),
        about_ends=lazy_compile(r"\s+(?:" + _alternatives(raw["about_ends"]) + r")\b.*$", re.I | re.S),
        this_words=frozenset(w.lower() for w in raw["this_words"]),
        all_words=frozenset(w.lower() for w in raw["all_words"]),
        some_words=frozenset(w.lower() for w in raw["some_words"]),
        subject_openers=frozenset(w.lower() for w in raw["subject_openers"]),
        not_stated=frozenset(w.lower() for w in raw["not_stated"]),
        lookback=int(raw["lookback"]),
    )


def _fewest(words: Iterable[str]) -> tuple[str, ...]:
    """The words, without those holding another of them (finding "close" finds "closed")."""
    unique = {w.lower() for w in words}
    return tuple(sorted(w for w in unique if not any(o != w and o in w for o in unique)))


def _literal_words(sentence: str) -> list[str]:
    """The words of a rule outside its slots."""
    return [w for w in re.sub(r"\{\w+\}", " ", sentence).replace(".", " ").split() if w]


@dataclass(frozen=True, slots=True)
class _Match:
    status: str
    rule: str
    start: int  # in the sentence
    end: int
    type: str
    plural: bool
    pre: list[str]
    about: str | None
    subject: str | None


def _matches(text: str, rules: DischargeRules) -> list[_Match]:
    """Every rule's matches in one sentence, earliest first, overlapping ones dropped."""
    found: list[_Match] = []
    low = text.lower()
    if not any(map(low.__contains__, rules.types)):
        return []
    for rule in rules.rules:
        # a rule's pattern scans every position; most sentences lack one of its words
        if not all(map(low.__contains__, rule.words)):
            continue
        for m in rule.pattern.finditer(text):
            if rules.not_stated.intersection(w.lower() for w in text[: m.start()].split()[-4:]):
                continue
            word = re.sub(r"\s+", " ", m.group("type")).lower().replace("’", "'")
            groups = m.groupdict()
            found.append(
                _Match(
                    status=rule.status,
                    rule=rule.sentence,
                    start=m.start(),
                    end=m.end(),
                    type=rules.types.get(word, rules.types.get(word.replace("'", "’"), "")),
                    plural=word.split()[0].endswith("s"),
                    pre=(groups.get("pre") or "").lower().split(),
                    about=_about(groups.get("about"), rules),
                    subject=groups.get("subject"),
                )
            )
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[_Match] = []
    for f in found:
        if all(f.start >= k.end or f.end <= k.start for k in kept):
            kept.append(f)
    return kept


def _about(words: str | None, rules: DischargeRules) -> str | None:
    if not words:
        return None
    cut = rules.about_ends.sub("", words).strip(" ,’'\"“”")
    return cut or None


def _subject(words: str | None, rules: DischargeRules) -> str | None:
    """The subject's own words: those after the last opener ("We found that CDI" -> "CDI")."""
    if not words:
        return None
    tokens = words.split()
    last = max((i for i, t in enumerate(tokens) if t.lower() in rules.subject_openers), default=-1)
    return " ".join(tokens[last + 1 :]) or None


def _preceding(findings: list[Finding], type_: str, at: int, lookback: int) -> int | None:
    """Index of the nearest finding of ``type_`` listed before offset ``at`` (within ``lookback``)."""
    best = None
    for i, f in enumerate(findings):
        if (
            f.type == type_
            and at - lookback <= f.start < at
            and (best is None or f.start > findings[best].start)
        ):
            best = i
    return best


def _statements(
    m: _Match, findings: list[Finding], at: int, rules: DischargeRules
) -> list[tuple[str | None, int | None, str, str]]:
    """(names, finding index, referent, how) for one match: usually one, one per finding for a
    plural that means every finding the document lists."""
    if m.about:
        return [(m.about, None, "named", "about")]
    pre = set(m.pre)
    if pre & rules.some_words:
        return [(None, None, "unnamed", "some")]
    subject = _subject(m.subject, rules)
    if m.subject is not None and subject and subject.lower() not in rules.this_words:
        return [(subject, None, "named", "subject")]
    if m.plural:
        listed = [i for i, f in enumerate(findings) if f.type == m.type]
        if pre & rules.all_words and listed:
            return [(findings[i].text, i, "finding", "every listed") for i in listed]
        return [(None, None, "unnamed", "plural")]
    i = _preceding(findings, m.type, at, rules.lookback)
    if i is not None:
        return [(findings[i].text, i, "finding", "listed before")]
    return [(None, None, "context", "not listed")]


def extract_discharges(
    text: str, findings: list[Finding] | None = None, paras: list[Paragraph] | None = None
) -> list[Discharge]:
    """The document's discharge statements, each with the finding it names where the text names one.

    ``findings`` are the document's own (so "this area for improvement" can point back to the
    one just quoted); ``paras`` its paragraphs, when already split.
    """
    rules = load_discharge_rules()
    findings = findings or []
    low = text.lower()
    if len(low) != len(text):  # a character that lower-cases to two would shift the offsets
        low = text
    # only paragraphs holding a finding word and one of a rule's words are read: str.find and
    # `in` are far quicker than running every rule over a long report
    named = sorted(i for word in rules.finding_anchors for i in _find_all(low, word))
    if not named or not _holds_any(low, rules.anchors):
        return []  # (a paragraph holding no rule's word anywhere in the text is never read)
    spans = ((p.start, p.end) for p in paras) if paras is not None else paragraph_spans(text)
    candidates = [
        Paragraph(a, b, flatten(text[a:b], a))
        for a, b in spans
        if _any_within(named, a, b) and _holds_any(low[a:b], rules.anchors)
    ]
    out: list[Discharge] = []
    for s in sentences(candidates):
        for m in _matches(s.text, rules):
            start, end = s.start, s.end
            for names, index, referent, how in _statements(m, findings, start, rules):
                out.append(
                    Discharge(
                        status=m.status,  # type: ignore[arg-type]
                        text=s.text,
                        evidence=evidence(text, start, end),
                        start=start,
                        end=end,
                        finding_type=m.type or None,  # type: ignore[arg-type]
                        names=names,
                        finding=index,
                        referent=referent,  # type: ignore[arg-type]
                        rule=f"{m.rule} ({how})",
                    )
                )
    return out


def _holds_any(text: str, phrases: Iterable[str]) -> bool:
    return any(map(text.__contains__, phrases))


def _any_within(at: list[int], start: int, end: int) -> bool:
    i = bisect_left(at, start)
    return i < len(at) and at[i] < end


def _find_all(text: str, phrase: str) -> list[int]:
    out, i = [], text.find(phrase)
    while i != -1:
        out.append(i)
        i = text.find(phrase, i + 1)
    return out
