"""Sentences that state a finding outright, wherever they stand.

These rules read one sentence of a block (with the sentences just before it) and say what it
states, as spans of the block's folded text; ``findings.py`` turns the spans into findings. Each
rule is a small function:

* ``recommends-sentence``: "HMIC recommends that the force …", "To address this cause of concern,
  we recommend …", "In our 2017 report, we recommended that all forces should:" (with its bullets);
* ``deadline-sentence``: "Within three months, the force should …", "Forces should, by March 2024, …";
* ``concern-sentence``: "Neighbourhood policing isn't a priority and this is a cause of concern."
  (that sentence), or "The force does not X. This is a cause of concern. …" (from the sentence
  before the verdict to the end of the paragraph);
* ``letter-concern``: a type named, then the finding in a "that" clause: "the causes of concern
  were that the force was failing to X and was not Y" (two findings), "In areas for improvement
  the report highlighted that the force should …", "One of them … This was that the force …";
* ``label-appositive``: "how AFI No. 5, relating to complaint updates, would be addressed";
* ``lead-in-list`` on one line: "causes of concern about how it is: answering calls; supporting
  victims" (one finding per item), or flattened text where each item opens "The force should …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.blocks import starts_demand
from peelwatch.extract.cues import cues, fold, is_plural, last_type_named, types_named

_SENTENCE = lazy_compile(r"(?<=[.!?])[’”\"']?\s+(?=[A-Z‘“\"'(•\-–\d])")
_ABBREVIATIONS = frozenset(
    ["no.", "nos.", "e.g.", "i.e.", "mr.", "mrs.", "ms.", "dr.", "st.", "para.", "ref."]
)
COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_COUNT = lazy_compile(r"\b(\d{1,2}|a|an|one|two|three|four|five|six)\s+(?:[\w-]+\s+){0,2}$", re.I)
_SECTION_NUMBER = lazy_compile(r"(?<=\s)\d{1,2}\.\d{1,2}\s+[A-Z]")
_CONDITIONAL = lazy_compile(r"\b(?:if|when|whether|unless|where)\b", re.I)
_EARLIER = lazy_compile(r"\b(?:previous|earlier|former|no\s+longer|last)\b", re.I)
_REPORTED = lazy_compile(r"\b(?:said|says|added|found|noted|concluded|stated|warned)(?:\s+that)?\s*$", re.I)
_BACK_REFERENCE = lazy_compile(r"\b(?:this|which|it|that)\s*$", re.I)
_THIS_WAS_THAT = lazy_compile(
    r"^(?:this|it|that|one\s+of\s+(?:them|these|those|which))\s+(?:was|is)\s+that\s+", re.I
)
_SAID_THAT = lazy_compile(
    r"\b(?:were|was|is|are|being|highlighted|said|stated|found|identified|noted|concluded)\s+that\s+", re.I
)
_AND_BEFORE_VERB = lazy_compile(r"(?:is|was|does|did|has)\b")
_SEMICOLON_CUT = lazy_compile(r";\s*(?:and\s+|or\s+)?")
_AND_CUT = lazy_compile(r",?\s+and\s+(?=\S)")
_CAPITAL_AFTER_SPACE = lazy_compile(r"(?<=\s)(?=[A-Z])")
_GERUND = lazy_compile(r"[A-Z][a-z]+ing\b")
_TYPE_HINTS = ("concern", "recommend", "improvement", "afi", "development")
# a lead-in about progress, a summary or an answer introduces no findings
NOT_FINDING_LEADS = lazy_compile(r"\b(?:progress|summary|response\s+to|update\s+on|in\s+answer)\b", re.I)
PREFIX = {
    "area_for_improvement": "AFI",
    "cause_of_concern": "Cause of concern",
    "recommendation": "Recommendation",
}

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Stated:
    """Findings one sentence states: their type, the rule, and spans of the block's folded text.
    ``to_block_end`` findings run to the end of the block and take the bullets after it."""

    type: str
    rule: str
    spans: tuple[Span, ...]
    ref: str | None = None
    to_block_end: bool = False


# --- text helpers -------------------------------------------------------------------------------


def split_sentences(text: str) -> list[Span]:
    """Spans of the sentences of folded text: a full stop, then a capital. "AFI No. 5" and
    "e.g. the" do not end a sentence."""
    out, pos = [], 0
    for m in _SENTENCE.finditer(text):
        if text[max(0, m.start() - 6) : m.start()].lower().split(" ")[-1] in _ABBREVIATIONS:
            continue
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def announced_count(text: str, at: int) -> int | None:
    """The number a lead-in gives before its type word at ``at``: "two causes of concern" -> 2."""
    m = _COUNT.search(text[max(0, at - 40) : at])
    if not m:
        return None
    word = m.group(1).lower()
    return int(word) if word.isdigit() else COUNT_WORDS[word]


def opens_with_condition(text: str) -> bool:
    """A sentence that opens with a condition ("When we find a serious shortcoming, we report it as
    a cause of concern") explains what a finding is; it states none."""
    first = text.lstrip("“\"‘'").split(" ", 1)[0].lower().rstrip(",")
    return first in ("if", "when", "whether", "unless", "where", "whenever")


def reads_as_finding(text: str) -> bool:
    """Whether an item's words read as a finding rather than as news of progress: a demand ("The
    force should …"), a fragment completing a lead-in ("carry out …", "is failing to …"), an
    imperative or a gerund ("Improving …"), or a failing ("The force doesn't …")."""
    c = cues()
    t = text.lstrip("“\"‘'")
    return bool(
        c.demand.match(t)
        or t[:1].islower()
        or c.imperative.match(t)
        or _GERUND.match(t)
        or c.concern_in(t[:80])
    )


def deadline_form(text: str) -> bool:
    """A demand with a deadline: "Within three months, the force should …", "Forces should, by
    March 2024, …"."""
    c = cues()
    m = c.demand.match(text)
    if not m:
        return False
    return bool(c.deadline.match(text) or c.deadline.match(text[m.end() :].lstrip(" ,")))


def inline_parts(clause: str, plural: bool) -> list[Span]:
    """The parts of a clause listing several findings: split on semicolons and, when the type is
    plural, on "and" before a failing ("… was failing to X and wasn't Y") or before the clause's
    own first word ("how we X, and how we Y")."""
    end = len(clause.rstrip(". "))
    cuts = [(m.start(), m.end()) for m in _SEMICOLON_CUT.finditer(clause)]
    if plural and not cuts:
        c = cues()
        lead_word = clause.split(None, 1)[0].lower() if clause.strip() else ""
        cuts = [
            (m.start(), m.end())
            for m in _AND_CUT.finditer(clause)
            if c.concern_phrase.match(clause, m.end())
            or _AND_BEFORE_VERB.match(clause, m.end())
            or clause[m.end() :].split(" ", 1)[0].lower() == lead_word
        ]
    parts, pos = [], 0
    for a, z in cuts:
        parts.append((pos, a))
        pos = z
    parts.append((pos, end))
    return [(a, z) for a, z in parts if z - a > 8]


# --- the rules ----------------------------------------------------------------------------------


def read_sentence(text: str, spans: list[Span], n: int, before: list[str]) -> Stated | None:
    """What sentence ``n`` of a block's folded ``text`` states, if it states a finding; ``before``
    holds the sentences just before the block (for "This was that …")."""
    s0, s1 = spans[n]
    sent = text[s0:s1]
    low = sent.lower()
    typed = any(map(low.__contains__, _TYPE_HINTS))
    return (
        ("recommend" in low and recommends_sentence(sent, s0))
        or (deadline_sentence(sent, s0) if cues().modal.search(low) else None)
        or ("concern" in low and concern_sentence(text, spans, n))
        or (" that " in low and letter_concern(text, spans, n, before))
        or (typed and label_appositive(sent, s0))
        or (":" in sent and typed and inline_list(text, spans, n))
        or None
    )


def recommends_sentence(sent: str, s0: int) -> Stated | None:
    """ "HMIC recommends that the force reviews its custody contract." -> one recommendation, from
    the sentence to the end of its paragraph; "If we recommend …" is not one."""
    m = cues().recommends.search(sent)
    if not m or m.start() > 70 or _CONDITIONAL.search(sent[: m.start()]):
        return None
    return Stated("recommendation", "recommends-sentence", ((s0, -1),), to_block_end=True)


def deadline_sentence(sent: str, s0: int) -> Stated | None:
    """ "By January 2024, forces should publish their data." -> a recommendation standing alone."""
    if not deadline_form(sent):
        return None
    return Stated("recommendation", "deadline-sentence", ((s0, -1),), to_block_end=True)


def concern_sentence(text: str, spans: list[Span], n: int) -> Stated | None:
    """ "Crime prevention isn't a priority and this is a cause of concern." -> that sentence;
    "The force does not X. This is a cause of concern. Y." -> from "The force" to the paragraph's
    end. Past tense ("was a cause of concern"), an earlier or closed one, a condition ("If …") and a
    bare name ("Crime recording remains a cause of concern") are not findings."""
    s0, s1 = spans[n]
    sent = text[s0:s1]
    m = cues().concern_verdict.search(sent)
    if not m or _EARLIER.search(sent) or opens_with_condition(sent):
        return None
    before = sent[: m.start()]
    back = _BACK_REFERENCE.search(before)
    if back and (not before[: back.start()].strip(" ,") or _REPORTED.search(before[: back.start()])):
        first = spans[n - 1][0] if n > 0 else s0
        return Stated("cause_of_concern", "concern-sentence", ((first, len(text)),))
    if not back and len(before.split()) < 4:
        return None
    return Stated("cause_of_concern", "concern-sentence", ((s0, s1),))


def letter_concern(text: str, spans: list[Span], n: int, before: list[str]) -> Stated | None:
    """A type named, then described in a "that" clause.

    "the causes of concern were that the force was failing to X and was not Y" -> two causes of
    concern; "This was that the force doesn't X. …" after a sentence naming a type -> one, to the
    end of the paragraph, and so does "One of them is that the force should …". A clause that is
    not a demand or a failing ("we found that the force has made progress") states nothing."""
    s0, s1 = spans[n]
    sent = text[s0:s1]
    m = _THIS_WAS_THAT.match(sent)
    if m:
        earlier = [text[a:z] for a, z in spans[max(0, n - 2) : n]]
        ftype = _type_named_in([*before, *earlier][-2:])
        if ftype and reads_as_finding(sent[m.end() :]):
            return Stated(ftype, "letter-concern", ((s0 + m.end(), len(text)),))
        return None
    if not any(w in sent.lower() for w in _TYPE_HINTS):
        return None
    c = cues()
    for tm in _SAID_THAT.finditer(sent):
        clause = sent[tm.end() :]
        named = types_named(sent[: tm.start()])
        if not named or clause.rstrip().endswith(":"):
            continue
        if not (c.demand.match(clause) or c.concern_in(clause[:60])):
            continue
        plural = is_plural(sent[named[-1][0] : named[-1][1]])
        begin = s0 + tm.end()
        parts = tuple((begin + a, begin + z) for a, z in inline_parts(clause, plural))
        return Stated(named[-1][2], "letter-concern", parts) if parts else None
    return None


def _type_named_in(texts: list[str]) -> str | None:
    """The type named nearest the end of ``texts``."""
    for t in reversed(texts):
        ftype = last_type_named(t)
        if ftype:
            return ftype
    return None


def label_appositive(sent: str, s0: int) -> Stated | None:
    """ "The Chairman asked how AFI No. 5, relating to complaint updates, would be addressed" ->
    "relating to complaint updates"; "The Chair asked about AFI 4 – the force should …" -> the
    clause after the dash."""
    m = cues().appositive.search(sent)
    if not m:
        return None
    part = "app" if m.group("app") else "clause"
    if part == "clause" and not reads_as_finding(m.group("clause")):
        return None
    ftype = cues().label_type[fold(m.group("label"))]
    ref = f"{PREFIX[ftype]} {m.group('num')}"
    return Stated(ftype, "label-appositive", ((s0 + m.start(part), s0 + m.end(part)),), ref)


def inline_list(text: str, spans: list[Span], n: int) -> Stated | None:
    """Items on the same line as their lead-in.

    "… causes of concern about how it is: answering calls; supporting victims." -> one cause of
    concern per item (none when the items count findings by area: "A and B, each with 3 AFIs");
    flattened text in which each item opens "The force should …" runs on to the
    next section number ("2.4 …"), at most three sentences past the lead-in."""
    s0, s1 = spans[n]
    sent = text[s0:s1]
    colon = sent.find(":")
    if colon < 0 or not sent[colon + 1 :].strip():
        return None
    lead = sent[:colon]
    named = types_named(lead)
    if not named or NOT_FINDING_LEADS.search(lead) or cues().demand_anywhere.search(lead):
        return None
    start = s0 + colon + 1
    end = spans[min(n + 3, len(spans) - 1)][1]
    stop = _SECTION_NUMBER.search(text, start, end)
    body = text[start : stop.start() if stop else end]
    starts = [m.start() for m in _CAPITAL_AFTER_SPACE.finditer(body) if starts_demand(body[m.start() :])]
    if body.lstrip()[:1].isupper() and starts_demand(body.lstrip()):
        starts = [len(body) - len(body.lstrip()), *starts]
    if len(starts) >= 2:
        cuts = [*starts, len(body)]
        parts = [(cuts[i], cuts[i + 1]) for i in range(len(starts))]
    else:
        body = text[start:s1]
        parts = inline_parts(body, True)
    if announced_count(lead, named[-1][0]) == 1 and len(parts) > 1:
        parts = [(parts[0][0], parts[-1][1])]
    if any(counts_findings(body[a:z]) for a, z in parts):
        return None  # a breakdown by area ("'Protecting vulnerable people' with 3 AFIs") lists none
    kept = tuple((start + a, start + z) for a, z in parts if reads_as_finding(body[a:z].strip()))
    return Stated(named[-1][2], "lead-in-list", kept) if kept else None


def counts_findings(text: str) -> bool:
    """Whether ``text`` counts findings of a type ("each having 3 AFIs", "which had five
    recommendations") rather than stating one."""
    return any(announced_count(text, at) not in (None, 1) for at, _, _ in types_named(text))
