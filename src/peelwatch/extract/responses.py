"""Responses: where a commissioner's letter, a force's statement or minutes answer a finding.

The third stage of reading findings. It walks the same blocks as ``findings.py`` and ties each
answer to the finding it follows (or names). Each response carries the rule that found it:

* ``table-row``: the response column of a finding's row (finding | response | status);
* ``response-heading``: a block under "PCC response", "Force response", "OPCC comment", "Update",
  "Progress", "Action taken", "Commissioner's comments" … (on its own line, or before a colon or
  dash) after a finding;
* ``minutes-reply``: in minutes, a speaker answering after the finding ("· The Assistant
  Commissioner noted that …") or naming it ("In response to a question regarding AFI 7, the
  Assistant Commissioner confirmed …");
* ``response-paragraph``: in a commissioner's or a force's own document with no response
  headings, the paragraph right after a quoted finding when it speaks in the author's voice ("I am
  pleased to confirm …", "We have …", "Work is already under way …"); after several findings in a
  row it answers the first of them.

``by`` is who answers: the heading's or speaker's words decide (``pcc`` for a commissioner,
mayor or policing body, ``force`` for a chief officer), and failing that the document's kind.
An inspection report's own text after a finding is never a response.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from peelwatch.extract.blocks import Block, ResponseHeads, blocks, response_heads
from peelwatch.extract.cues import (
    any_in,
    cues,
    fold,
    in_author_voice,
    is_force_line,
    lowered,
    reports_inspectorate,
    speaker_by,
    title_by,
)
from peelwatch.extract.findings import RawFinding, heading_type, split_sentences
from peelwatch.extract.text import lines
from peelwatch.framework.vocabulary import load_vocabulary

_AUTHOR_BY = {"pcc_response": "pcc", "force_statement": "force"}
_OWN_DOCUMENTS = frozenset({"pcc_response", "force_statement"})  # a commissioner's or force's own answer
_NEAR = 3  # blocks after a finding in which a speaker's reply still answers it


@dataclass(slots=True)
class RawResponse:
    """A response before it is turned into a :class:`~peelwatch.extract.model.Response`."""

    finding: int  # index into the findings passed to :func:`extract_responses`
    by: str
    start: int
    end: int
    rule: str


def extract_responses(
    source: str, findings: list[RawFinding], kind: str, force: str | None = None
) -> list[RawResponse]:
    """Every response to one of ``findings`` (as found by ``extract_findings`` on ``source``);
    ``kind`` and ``force`` decide who answers where the words do not."""
    if not findings:
        return []
    bs = blocks(source)
    out = table_replies(findings, kind)
    answered = {r.finding for r in out}
    headed = heading_responses(source, bs, findings, kind, force)
    out += headed
    answered |= {r.finding for r in headed}
    replies = minutes_replies(source, bs, findings, force, kind)
    out += [r for r in replies if r.finding not in answered]
    answered |= {r.finding for r in replies}
    if kind in _OWN_DOCUMENTS and not headed and not signed_by_inspectorate(source):
        out += [
            r for r in paragraph_responses(source, bs, findings, kind, force) if r.finding not in answered
        ]
    out.sort(key=lambda r: r.start)
    return out


def signed_by_inspectorate(source: str) -> bool:
    """Whether a line of the document is an inspector's title, as in the sender block of the
    inspectorate's letters ("His Majesty's Inspector of Constabulary"): its paragraphs after a
    finding are the inspectorate's own, whatever kind the document was taken for."""
    titles = {fold(t) for t in load_vocabulary().inspectorate_signatures}
    return any(fold(ln.text) in titles for ln in lines(source) if 20 < len(ln.text) < 90)


def author_by(kind: str, text: str = "", force: str | None = None) -> str:
    """Who wrote the document, as a ``by``: a commissioner's response is ``pcc``, a force's
    statement ``force``; otherwise the speaker a title in ``text`` names, else ``other``."""
    if kind in _AUTHOR_BY:
        return _AUTHOR_BY[kind]
    return speaker_by(text[:200], force) or "other"


def table_replies(findings: list[RawFinding], kind: str) -> list[RawResponse]:
    """The "Response" / "Update" cell of a finding's table row."""
    out = []
    for i, f in enumerate(findings):
        if f.reply:
            start, end, by = f.reply
            out.append(RawResponse(i, author_by(kind) if by == "author" else by, start, end, "table-row"))
    return out


def heading_responses(
    source: str, bs: tuple[Block, ...], findings: list[RawFinding], kind: str, force: str | None = None
) -> list[RawResponse]:
    """A response heading after a finding: "PCC response:" (the answer below it, or after the colon
    on the same line). Who answers is in the heading ("Force response") or, for a plain "Response"
    or "Update", the document's author. In an inspection report a plain heading is the
    inspectorate's own text, not a response."""
    c = cues()
    starts = {f.first_block for f in findings}
    by_ref = refs_index(findings)
    out = []
    last_by_block = sorted((f.last_block, i) for i, f in enumerate(findings))
    run_start = _run_starts(findings)
    heads = response_heads(source, bs)
    for k, b in enumerate(bs):
        m = heads(k)
        if not m or b.kind == "row":
            continue
        i = _latest(last_by_block, k)
        if i is not None:
            i = run_start(i)
        rest = (m.group("rest") or "").strip()
        named = c.label_anywhere.search(b.text[: m.start("rest")] if rest else b.text)
        if named and _ref_key(named.group(0)) in by_ref:
            i = by_ref[_ref_key(named.group(0))]  # "Response to AFI 2" answers AFI 2 wherever it is
        if i is None:
            continue
        by = c.response_by.get(fold(m.group("h")), "author")
        if by == "author" and kind == "inspection_report":
            continue
        if rest:
            first = k
            start = b.to_source(source, b.text.index(rest, m.start("rest")))
        else:
            nxt = k + 1
            if nxt >= len(bs) or bs[nxt].kind == "heading" or nxt in starts:
                continue
            first, start = nxt, bs[nxt].start
        last = first
        while last + 1 < len(bs) and not _ends_response(bs[last + 1], last + 1, starts, heads):
            last += 1
        text = source[start : bs[last].end]
        if by == "author":
            by = author_by(kind, text, force)
        out.append(RawResponse(i, by, start, bs[last].end, "response-heading"))
    return out


def first_of_run(findings: list[RawFinding], i: int) -> int:
    """The first finding of the run that finding ``i`` ends: findings in the same or adjacent
    blocks, with nothing between them. An answer after a list answers its first item."""
    return _run_starts(findings)(i)


def _run_starts(findings: list[RawFinding]) -> Callable[[int], int]:
    """:func:`first_of_run` for each finding, worked out once for all of them: a document with
    thousands of findings and answers must not sort and walk its findings for every answer."""
    order = sorted(range(len(findings)), key=lambda j: findings[j].start)
    position = {j: pos for pos, j in enumerate(order)}
    first = list(range(len(order)))  # for each position, the position its run starts at
    for pos in range(1, len(order)):
        if findings[order[pos]].first_block <= findings[order[pos - 1]].last_block + 1:
            first[pos] = first[pos - 1]
    return lambda i: order[first[position[i]]]


def _latest(last_by_block: list[tuple[int, int]], k: int) -> int | None:
    """The finding whose last block is the latest before block ``k`` (findings sorted by last block)."""
    before = bisect_left(last_by_block, (k,))  # (every entry before it has a last block under k)
    return last_by_block[before - 1][1] if before else None


def _ends_response(b: Block, k: int, starts: set[int], heads: ResponseHeads) -> bool:
    """A response runs until the next finding, heading, label or response heading (block ``k``,
    ``b``, read through ``heads``)."""
    c = cues()
    return (
        k in starts
        or b.kind == "heading"
        or bool(heads(k) or c.label_at(b.text))
        or (heading_type(b.text) is not None and b.kind != "para")
    )


def minutes_replies(
    source: str,
    bs: tuple[Block, ...],
    findings: list[RawFinding],
    force: str | None = None,
    kind: str = "other",
) -> list[RawResponse]:
    """In minutes, a speaker who answers for the force or the policing body.

    A reply naming a finding's reference ("In response to a question regarding AFI 7, the Assistant
    Commissioner confirmed …"), or following a question that names it ("A member asked about AFI 5.
    The Commissioner explained …"), answers that finding wherever it stands. Otherwise the first
    reply after a finding (within a few blocks, before the next finding) answers it. The chair's or
    members' questions are not answers, and in a news article "the Chief Constable said" quotes a
    reaction. Titles not in the vocabulary are read from the meeting's attendance table ("Head of
    Performance | Durham Constabulary")."""
    if not _may_reply(source):
        return []  # no block of the text can hold a reply verb, which every reply needs
    quotes_only = kind == "news"
    by_ref = refs_index(findings)
    titles = attendance_titles(bs, force)
    out: list[RawResponse] = []
    done: set[int] = set()
    used: set[int] = set()
    first_block = min(f.first_block for f in findings)
    read: dict[int, list[tuple[int, str, int | None]]] = {}

    def replies_at(k: int) -> list[tuple[int, str, int | None]]:
        # both passes below ask about the same blocks: each is read once
        if k not in read:
            read[k] = _replies_in(source, bs[k], force, quotes_only, titles, by_ref)
        return read[k]

    if by_ref and kind != "inspection_report":
        for k in range(first_block, len(bs)):
            for start, by, target in replies_at(k):
                if target is not None and target not in done:
                    out.append(RawResponse(target, by, start, bs[k].end, "minutes-reply"))
                    done.add(target)
                    used.add(k)
                    break
    ordered = sorted(range(len(findings)), key=lambda i: findings[i].start)
    run_start = _run_starts(findings)
    for pos, i in enumerate(ordered):
        if i in done:
            continue
        f = findings[i]
        nxt_start = findings[ordered[pos + 1]].start if pos + 1 < len(ordered) else len(source)
        for k in range(f.last_block, min(len(bs), f.last_block + 1 + _NEAR)):
            b = bs[k]
            if b.start >= nxt_start or (k > f.last_block and b.kind == "heading") or k in used:
                break
            after = max(f.end, b.start)
            hits = [h for h in replies_at(k) if after <= h[0] < nxt_start]
            if not hits:
                continue
            start, by, target = hits[0]
            first = run_start(i)  # a reply after a list answers its first item
            if target is None and first not in done:
                out.append(RawResponse(first, by, start, b.end, "minutes-reply"))
                done.add(first)
            break
    return out


def attendance_titles(bs: tuple[Block, ...], force: str | None) -> dict[str, str]:
    """Titles of those present, from a table row of a title and an organisation: "Head of
    Performance | Durham Constabulary" speaks for the force, "Chief Executive | Office of the PCC"
    for the policing body."""
    out: dict[str, str] = {}
    for b in bs:
        if b.kind != "row" or len(b.cells) != 2 or len(b.cells[0].text.split()) > 6:
            continue
        org = b.cells[1].text
        by = "force" if is_force_line(org) else speaker_by(org, force)
        if by in ("pcc", "force"):
            out[fold(b.cells[0].text)] = by
    return out


def _replies_in(
    source: str,
    b: Block,
    force: str | None,
    quotes_only: bool,
    titles: dict[str, str],
    by_ref: dict[str, int],
) -> list[tuple[int, str, int | None]]:
    """The sentences of block ``b`` in which a force officer or a commissioner answers: (source
    start, by, the finding the sentence or the question just before it names, if any)."""
    if not _may_reply(b.text):
        return []  # no sentence of it can name a speaker who answers
    spans = split_sentences(b.text)
    out: list[tuple[int, str, int | None]] = []
    for n, (a, z) in enumerate(spans):
        sent = b.text[a:z]
        by = _speaker(sent, force, quotes_only, titles)
        if by is None:
            continue
        named = _named_finding(sent, by_ref)
        if named is None and n > 0:
            q0, q1 = spans[n - 1]
            named = _named_finding(b.text[q0:q1], by_ref)
        out.append((b.to_source(source, a), by, named))
    return out


def _named_finding(sent: str, by_ref: dict[str, int]) -> int | None:
    """The finding a sentence names by its reference ("regarding AFI 7"), if any."""
    m = cues().label_anywhere.search(sent)
    return by_ref.get(_ref_key(m.group(0))) if m else None


def _may_reply(text: str) -> bool:
    """Whether ``text`` holds a reply verb, which both speaker patterns need: most text has none."""
    return any_in(cues().reply_verb_words, lowered(text))


def _speaker(sent: str, force: str | None, quotes_only: bool, titles: dict[str, str]) -> str | None:
    """Who answers in a sentence of minutes (``pcc`` or ``force``), or ``None``."""
    c = cues()
    if not _may_reply(sent):
        return None
    m = c.reply.search(sent)
    if m and m.start() <= 80 and not (quotes_only and fold(m.group("verb")) in c.quoting_verbs):
        by = title_by(m.group("who"), force)
        if by in ("pcc", "force"):
            return by
    t = c.titled_reply.match(sent)
    if t and titles and not (quotes_only and fold(t.group("verb")) in c.quoting_verbs):
        return titles.get(fold(t.group("who")))
    return None


def refs_index(findings: list[RawFinding]) -> dict[str, int]:
    """Each finding by the key of its reference: "AFI 3" and a third numbered item under "Areas for
    improvement" both answer to "afi 3"."""
    out: dict[str, int] = {}
    for i, f in enumerate(findings):
        if not f.ref:
            continue
        out.setdefault(_ref_key(f.ref), i)
        if f.ref.isdigit():
            out.setdefault(f"{f.type} {f.ref}", i)
    return out


def _ref_key(ref: str) -> str:
    """ "AFI No. 7", "AFI 7" and "Action for Further Improvement (AFI) 7" share the key "afi 7"."""
    m = cues().label_anywhere.search(ref)
    if not m:
        return fold(ref)
    return f"{cues().label_type[fold(m.group('label'))]} {m.group('num').lower()}"


def paragraph_responses(
    source: str, bs: tuple[Block, ...], findings: list[RawFinding], kind: str, force: str | None = None
) -> list[RawResponse]:
    """In the author's own document, the paragraph after a finding (or after a run of findings)
    that speaks in the author's voice answers the first finding of the run. Quoted inspectorate
    text between them (at most two paragraphs) is passed over."""
    starts = {f.first_block: i for i, f in enumerate(findings)}
    order = sorted(range(len(findings)), key=lambda i: findings[i].start)
    out = []
    n = 0
    while n < len(order):
        first = order[n]
        answer = -1
        while answer == -1 and n < len(order):
            last_block = findings[order[n]].last_block
            while n + 1 < len(order) and findings[order[n + 1]].last_block == last_block:
                n += 1  # several findings in one block (items after a colon)
            answer = _answer_after(bs, last_block, starts)
            n += 1
        if answer is not None and answer >= 0:
            b = bs[answer]
            by = author_by(kind, b.text, force)
            if by != "other" or kind == "other":
                out.append(RawResponse(first, by, b.start, b.end, "response-paragraph"))
    return out


def _answer_after(bs: tuple[Block, ...], k: int, starts: dict[int, int]) -> int | None:
    """The block answering the finding that ends at block ``k``: -1 when another finding follows
    at once (or after only its type's heading), the answer's index, or ``None``."""
    j = k + 1
    skipped = 0
    while j < len(bs) and bs[j].kind == "marker":
        j += 1
    while j < len(bs):
        if j in starts:
            return -1 if skipped == 0 else None
        b = bs[j]
        if b.kind == "heading" and skipped == 0 and j + 1 in starts and heading_type(b.text):
            return -1  # "Cause of concern / … / Recommendation / …": the next finding follows at once
        if b.kind not in ("para", "item") or cues().response_heading_at(b.text):
            return None
        if in_author_voice(b.text):
            return j
        if skipped >= 2 or not reports_inspectorate(b.text):
            return None
        skipped += 1
        j += 1
    return None


__all__ = ["RawResponse", "extract_responses"]
