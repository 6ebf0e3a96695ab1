"""Findings (areas for improvement, causes of concern, recommendations), found by the role their
context gives them.

Stage 1 (``blocks.py``) cuts the text into candidate items. Stage 2, here, walks the blocks and
decides each one's role from its context: the nearest heading or lead-in that names a type of
finding, a label that numbers it, or a sentence that says outright what it is. Stage 3
(``responses.py``) attaches the answers that commissioners, forces and minutes give.

Each finding carries the name of the rule that recognised it:

* ``heading-list``: items under a heading that names a type ("Areas for improvement", "Cause of
  concern: responding to the public", "Recommendations (9)"); a cause-of-concern heading or a
  singular heading ("AFI", "Recommendation") also takes the paragraph right after it;
* ``lead-in-list``: items after a sentence that names a type ("We made the following
  recommendations:", "we identified two causes of concern, which were that the force:",
  "One area for improvement remained from that inspection."), including items on the same line
  after the colon ("causes of concern about: A; B; and C");
* ``numbered-label``: "AFI 1:", "Action for Further Improvement (AFI) 7 –", "Recommendation 2";
* ``label-appositive``: "AFI No. 5, relating to …, would be addressed" in minutes;
* ``table-row``: a row of cells (a reference, the finding, a status), typed by a column heading,
  an inline label ("Cause of concern: … Recommendation: …") or the heading above;
* ``recommends-sentence``: "HMIC recommends that …", "In our 2017 report, we recommended that all
  forces should:" with its bullets;
* ``deadline-sentence``: "Within three months, the force should …", "The force should, by March 2024:";
* ``concern-sentence``: "… and this is a cause of concern." (that sentence) or a sentence followed
  by "This is a cause of concern." (from that sentence to the end of its paragraph);
* ``letter-concern``: a type named and then described with "that": "the causes of concern were
  that the force was failing to …", "One of them … This was that the force doesn't …";
* ``quoted-finding``: in a letter that announced causes of concern without listing them, the
  quotation after "Our inspection found:".

A lead sentence with a modal ("The force should:", "HMIC recommends that the force should
immediately:") and its bullets is one finding; a lead-in that only names the type ("the
following recommendations:") makes each bullet a finding.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import repeat

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.blocks import Block, blocks, response_heads, starts_demand
from peelwatch.extract.cues import (
    cues,
    first_sentence,
    fold,
    in_author_voice,
    is_plural,
    last_type_named,
    types_named,
)
from peelwatch.extract.finding_sentences import (
    COUNT_WORDS,
    NOT_FINDING_LEADS,
    PREFIX,
    Stated,
    announced_count,
    deadline_form,
    opens_with_condition,
    read_sentence,
    reads_as_finding,
    split_sentences,
)
from peelwatch.extract.meta import force_mentions
from peelwatch.extract.text import norm

_OPEN_END = lazy_compile(r"(?::|\b(?:that|to|ensure|should|by|must))$", re.I)
_OPEN_END_REACH = 8  # a match of _OPEN_END starts in the last 8 characters (a newline after it)
_HEADING_PARTS = lazy_compile(r"\s[–—-]\s|:")
_LIST_TAIL = lazy_compile(r"(?:\s*;\s*(?:and|or)?|\s+and|,)\s*$")
_COLON_NEXT = lazy_compile(r"\s*:")
_FOUND_COLON = lazy_compile(r"\bfound:$")
_HEADING_NUMBER = lazy_compile(r"^(?:#+\s*)?(?:\d{1,2}(?:\.\d{1,2})*\.?\s+(?=[A-Z]))?")
_HEADING_COUNT = lazy_compile(r"\s*\(\d+\)\s*$")
_REF_CELL = lazy_compile(
    r"[A-Za-z]{0,4}[\s-]?\d{1,3}(?:[-./]\d{1,3}){0,2}[a-z]?\.?"
)  # "3", "AFI 2", "SX-22-01"
_LISTING_VERBS = lazy_compile(
    r"\b(?:were|are|was|is|remained|remain|identified|found|made|set|raised|issued|included|following)\b"
)
_FOUND_VERBS = lazy_compile(r"\b(?:identified|found|made|raised|issued|set\s+out|gave)\b", re.I)
_NONE_NAMED = lazy_compile(r"\b(?:no|not\s+identify\s+any|did\s+not|none)\b", re.I)
_THE_SERVICE = lazy_compile(r"the\s+service\b", re.I)
_INSPECTORATE_TITLE_END = lazy_compile(r"(?:constabulary\s+(?:and|&)|inspector\w*\s+of)\s*$", re.I)
_QUOTE_OPEN = ("“", '"', "‘", "'")
_QUOTE_CLOSE = ("”", '"', "’", "'")
# words without which no sentence rule can fire (a cheap first test on each block)
_SENTENCE_CUES = (
    "concern",
    "recommend",
    "should",
    "must",
    "need",
    "afi",
    "improvement",
    ":",
    "was that",
    "is that",
)


@dataclass(slots=True)
class RawFinding:
    """A finding before it is turned into a :class:`~peelwatch.extract.model.Finding`."""

    type: str
    start: int
    end: int
    rule: str
    ref: str | None = None
    section: str | None = None
    first_block: int = -1
    last_block: int = -1
    # a response given beside the finding in the same table row: (start, end, by)
    reply: tuple[int, int, str] | None = None


@dataclass(slots=True)
class _Context:
    """What the blocks after a heading or lead-in are: items of ``type``."""

    type: str
    rule: str  # "heading-list" or "lead-in-list"
    section: str | None = None
    takes_prose: bool = False  # the next paragraph is the item (a cause-of-concern heading)
    expected: int | None = None  # the count a lead-in announced ("two areas for improvement")
    lead_in: bool = False  # a lead-in's list ends at the first block that is not an item
    colon: bool = False  # the lead-in ended with a colon
    found: int = 0
    misses: int = 0
    bullets: bool = False


def extract_findings(source: str) -> list[RawFinding]:
    """Every finding the text lists, in order of appearance (restatements not yet merged)."""
    return _Reader(source, blocks(source)).run()


# --- helpers on text ---------------------------------------------------------------------------


@lru_cache(maxsize=4096)  # findings and responses both ask of each heading; headings come again
def heading_type(text: str) -> tuple[str, bool] | None:
    """The type a heading names and whether it names one item (singular), or ``None``.

    "Areas for improvement" -> (area_for_improvement, False); "Cause of concern: responding to the
    public" -> (cause_of_concern, True); "Protecting vulnerable people: areas for improvement" ->
    (area_for_improvement, False); "AFI" -> (area_for_improvement, True). A count ("17 areas for
    improvement"), a negation ("No causes of concern") or a topic ("About causes of concern") is
    not a finding heading.
    """
    t = text.strip()
    if t[:1] == "#" or t[:1].isdecimal():  # (otherwise the pattern matches nothing)
        t = _HEADING_NUMBER.sub("", t)
    if ")" in t:
        t = _HEADING_COUNT.sub("", t)
    t = t.rstrip(":. ")
    # (the pattern needs a colon or a dash: most headings have neither)
    parts = _HEADING_PARTS.split(t, maxsplit=1) if ":" in t or "-" in t or "–" in t or "—" in t else [t]
    for n, head in enumerate(parts):
        named = _heading_part_type(head.strip(), 3 if n == 0 else 0)
        if named:
            return named
    return None


def _heading_part_type(head: str, lead_words: int) -> tuple[str, bool] | None:
    """The type one part of a heading names when at most ``lead_words`` words stand before it (the
    part after a colon must open with the type: "Investigating crime: areas for improvement")."""
    words = head.split()
    if not words or len(words) > 7 or words[0][0].isdigit() or words[0].lower() in COUNT_WORDS:
        return None
    named = types_named(head)
    if not named or len(head[: named[0][0]].split()) > lead_words:
        return None
    if cues().heading_topic.search(head[: named[0][0]]):
        return None  # "About accelerated causes of concern" explains the type
    after = head[named[-1][1] :].split()
    if after and after[0].lower() not in ("and", "&"):
        return None  # "Cleveland Police cause of concern revisit" is about one, not a list of them
    return named[0][2], not is_plural(head[named[0][0] : named[0][1]])


def referred_type(lead: str, before: str, para_before: str = "") -> str | None:
    """The type of the items after a colon lead-in that does not name one itself.

    A short lead-in pointing back to the sentence before ("We identified two causes of concern. The
    reasons for this were:", "… six causes of concern. Among them, it found that the force:") takes
    the type that sentence names when it says they were found or made ("identified two causes of
    concern"); "The force was moved into Engage because it is not:" lists the causes of concern
    that moved it into enhanced monitoring (so does "The decision follows concerns about how the
    force:" after a sentence saying it was moved into Engage).
    """
    c = cues()
    context = before or para_before
    escalated = c.escalation.search(lead) or c.escalation.search(context)
    if escalated and c.escalation_reason.search(lead) and not c.escalation_exit.search(f"{context} {lead}"):
        return "cause_of_concern"  # (not "moved out of Engage because it has:")
    if len(lead.split()) > 12 or not c.back_reference.search(lead) or NOT_FINDING_LEADS.search(before):
        return None
    named = types_named(before)
    if not named or not (_FOUND_VERBS.search(before) or announced_count(before, named[-1][0])):
        return None
    return named[-1][2]


# --- the reader --------------------------------------------------------------------------------


class _Reader:
    """Walks the blocks once, keeping the context (heading or lead-in) that gives items their role."""

    def __init__(self, source: str, bs: tuple[Block, ...]) -> None:
        self.source = source
        self.bs = bs
        self.out: list[RawFinding] = []
        self.ctx: _Context | None = None
        self.pending_ref: str | None = None
        self.announced: str | None = None  # a type announced by a lead-in that listed nothing
        self.in_response = False
        self.suspended: _Context | None = None  # a heading's list interrupted by a response heading
        self.header: dict[int, str] | None = None  # column roles of the last table header row
        self.heads = response_heads(source, bs)

    def run(self) -> list[RawFinding]:
        k = 0
        while k < len(self.bs):
            k = self.step(k)
        return self.out

    def add(
        self, ftype: str, start: int, end: int, rule: str, first: int, last: int, ref: str | None = None
    ) -> None:
        """Record a finding spanning ``start``..``end`` (trimmed of white space and closing "; and");
        a quoted finding ends at its closing quote ("“The force should …,” the report said.")."""
        text = self.source[start:end]
        end = start + _quotation_end(text)
        text = text[: end - start]
        start += len(text) - len(text.lstrip(' \t\n“"‘'))
        stripped = _LIST_TAIL.sub("", text.rstrip(' \t\n”"’'))
        end = start + len(stripped.strip(' \t\n“"‘'))
        if end - start < 12 or cues().meeting_request_in(self.source[start : min(end, start + 120)]):
            return  # too short to be a finding, or a meeting's own recommendation ("That the panel notes …")
        section = self.ctx.section if self.ctx else None
        self.out.append(RawFinding(ftype, start, end, rule, ref, section, first, last))

    # --- one block ---

    def step(self, k: int) -> int:
        b = self.bs[k]
        c = cues()
        cued = self.heads.cued(k)  # (the quick test before both patterns below)
        if b.kind == "marker":
            if cued and c.label.match(b.text):
                return self.numbered_label(k)
            if _REF_CELL.fullmatch(b.text):
                self.pending_ref = b.text.rstrip(".")
            return k + 1
        if cued and self.out and self.heads(k):
            # (before any finding it is the document's title)
            if self.ctx is not None and self.ctx.rule == "heading-list":
                self.suspended = self.ctx
            self.ctx, self.in_response = None, True
            return k + 1
        if cued and c.label.match(b.text):
            return self.numbered_label(k)
        if b.kind in ("para", "item") and c.type_word.match(b.text):
            nxt = self.inline_label(k)
            if nxt is not None:
                return nxt
        if b.kind == "heading":
            return self.heading(k)
        if b.kind == "row":
            return self.table_row(k)
        if self.header is not None and _cell_tail(b.text) and k > 0 and self.bs[k - 1].kind == "row":
            return k + 1  # the tail of a wrapped cell ("being trialled."): the table goes on
        self.header = None
        if self.ctx is not None:
            nxt = self.context_item(k)
            if nxt is not None:
                return nxt
        if self.in_response:
            if self.resumes_list(b):
                self.ctx, self.in_response = self.suspended, False
                return self.context_item(k) or k + 1
            return k + 1
        return self.free_block(k)

    def resumes_list(self, b: Block) -> bool:
        """Whether a block after a response is the next item of the list the response interrupted:
        "Areas for improvement / 1. The force should … / Response: … / 2. The force should …"."""
        ctx = self.suspended
        if ctx is None or not starts_demand(b.text):
            return False
        return b.kind == "item" or not ctx.bullets

    # --- headings and labels ---

    def heading(self, k: int) -> int:
        """A heading naming a type opens a section; another heading keeps a section open only when
        items like its own follow it ("Areas for improvement" / "Investigating crime" / "• The force
        should …"), not bullets after findings given as paragraphs (a signature, then links)."""
        b = self.bs[k]
        self.in_response = False
        self.suspended = None
        self.header = None
        named = heading_type(b.text)
        if named:
            ftype, singular = named
            self.ctx = _Context(
                ftype, "heading-list", b.text.rstrip(":"), takes_prose=singular or ftype == "cause_of_concern"
            )
            return k + 1
        if b.text.endswith(":") and len(b.text.split()) > 1:
            self.ctx = None
            return self.free_block(k)  # "We made the following recommendations:" on a line of its own
        if self.ctx is not None and self.ctx.lead_in and self.lost_bullet(k):
            return self.context_item(k) or k + 1
        if self.ctx is not None:
            nxt = self.next_content(k + 1)
            if nxt is None or not self.item_like(self.bs[nxt]):
                self.ctx = None
            elif self.ctx.found and not self.ctx.bullets and self.bs[nxt].kind == "item":
                self.ctx = None  # a list of prose findings does not go on as bullets under a new heading
        return k + 1

    def lost_bullet(self, k: int) -> bool:
        """A short line after a colon lead-in that reads as an item ("Carrying out effective
        investigations") is a bullet whose mark was lost, unless items follow it (then it is a
        sub-heading)."""
        ctx = self.ctx
        if ctx is None or not ctx.colon or not reads_as_finding(self.bs[k].text):
            return False
        nxt = self.next_content(k + 1)
        return nxt is None or not self.item_like(self.bs[nxt])

    def numbered_label(self, k: int) -> int:
        """ "AFI 1:" with its words on the same line or in the next block: one finding, ref "AFI 1"."""
        b = self.bs[k]
        m = cues().label_at(b.text)
        assert m is not None
        ftype = cues().label_type[fold(m.group("label"))]
        ref = f"{PREFIX[ftype]} {m.group('num')}"
        self.in_response = False
        if b.text[m.end() :].strip():
            offset = b.to_source(self.source, m.end())
            last = self.absorb_sub_items(k)
            if last == k:
                last = self.absorb_description(k)
            self.add(ftype, offset, self.bs[last].end, "numbered-label", k, last, ref)
        else:
            nxt = self.next_content(k + 1)
            if nxt is None or self.bs[nxt].kind == "heading" or cues().label_at(self.bs[nxt].text):
                return k + 1
            last = self.absorb_sub_items(nxt)
            self.add(ftype, self.bs[nxt].start, self.bs[last].end, "numbered-label", k, last, ref)
        self.ctx = None
        return last + 1

    def inline_label(self, k: int) -> int | None:
        """A block that opens with a type and a colon: "Area for improvement: The force should …",
        "Cause of concern: … Recommendation: …" (each label starts a finding)."""
        b = self.bs[k]
        pieces = self.labelled_pieces(b.start, b.end)
        if not pieces or pieces[0][1] - b.start > len(b.text.split(":", 1)[0]) + 2:
            return None
        self.in_response = False
        for ftype, s, e in pieces:
            if reads_as_finding(self.source[s:e].strip()):
                self.add(ftype, s, e, "inline-label", k, k)
        return k + 1

    # --- items in a context ---

    def item_like(self, b: Block) -> bool:
        """Whether a block can be an item of a list: a bullet, a numbered item, a label, a demand."""
        return b.kind == "item" or bool(cues().label_at(b.text)) or starts_demand(b.text)

    def context_item(self, k: int) -> int | None:
        """The block as an item of the open heading or lead-in, or ``None`` when it is not one (the
        context may close; the block is then read on its own)."""
        ctx = self.ctx
        assert ctx is not None
        b = self.bs[k]
        is_item = b.kind == "item" or (b.kind == "heading" and self.lost_bullet(k))
        prose_item = False
        if not is_item:
            if starts_demand(b.text) or (ctx.lead_in and b.text[:1].islower()):
                is_item = True
            elif (
                ctx.takes_prose
                and ctx.found == 0
                and ctx.misses == 0
                and not self.names_none(b.text)
                and not opens_with_condition(b.text)
                and not self.introduces_type(b.text)
                and (ctx.type == "cause_of_concern" or reads_as_finding(b.text))
            ):
                is_item = prose_item = True
        if is_item and ctx.lead_in and ctx.expected is None and not reads_as_finding(b.text):
            is_item = False
        if not is_item:
            return self.context_miss(k)
        if ctx.bullets and b.kind != "item" and not prose_item and ctx.lead_in:
            return self.context_miss(k)
        ftype = ctx.type
        rule = ctx.rule
        if ftype == "cause_of_concern" and (cues().recommends.search(b.text[:80]) or deadline_form(b.text)):
            ftype, rule = "recommendation", "deadline-sentence"
        last = self.absorb_sub_items(k)
        if last == k and b.kind == "para" and ctx.takes_prose and ctx.found == 0:
            last = self.absorb_description(k)
        ref = b.number or self.pending_ref
        self.pending_ref = None
        self.add(ftype, b.start, self.bs[last].end, rule, k, last, ref)
        ctx.found += 1
        ctx.bullets = ctx.bullets or b.kind == "item"
        if ctx.takes_prose and prose_item:
            ctx.takes_prose = ctx.type == "cause_of_concern"
        if ctx.lead_in and ctx.expected is not None and ctx.found >= ctx.expected and ctx.expected > 1:
            ctx.expected = None
        return last + 1

    def context_miss(self, k: int) -> int | None:
        """A block that is not an item: a lead-in's list ends (unless it announced more items than it
        has had), a section ends after a bulleted list or after two prose paragraphs."""
        ctx = self.ctx
        assert ctx is not None
        b = self.bs[k]
        ctx.misses += 1
        if ctx.found > 0 and not ctx.bullets and ctx.misses <= 3 and in_author_voice(b.text):
            return None  # a commissioner's answer between quoted findings does not end their list
        if ctx.lead_in:
            if ctx.expected is not None and 0 < ctx.found < ctx.expected and ctx.misses <= 3:
                return None if self.sentence_level_finding_in(k) else k + 1
            if ctx.found == 0:
                self.announced = ctx.type
            self.ctx = None
            return None
        if ctx.bullets or ctx.misses >= 2 or b.kind == "item":
            self.ctx = None
        return None

    def sentence_level_finding_in(self, k: int) -> bool:
        """Whether a block between counted items holds a finding of its own (read it normally)."""
        return bool(
            cues().recommends.search(self.bs[k].text) or cues().concern_verdict.search(self.bs[k].text)
        )

    def absorb_sub_items(self, k: int) -> int:
        """The last block of an item: a block ending with ":" (or "that", "to") takes the bullets
        and lower-case fragments that follow it, across blank lines."""
        last = k
        text = self.bs[k].text
        if not _OPEN_END.search(text, max(0, len(text) - _OPEN_END_REACH)):
            return last
        j = k + 1
        while j < len(self.bs):
            nb = self.bs[j]
            if nb.kind == "item" or (nb.kind == "para" and nb.text[:1].islower()):
                if cues().label_at(nb.text):
                    break
                last = j
                j += 1
                continue
            break
        return last

    def absorb_description(self, k: int) -> int:
        """An item that is a title (no closing full stop) takes the paragraph that describes it:
        "AFI / The force needs to improve how it records crime / The force is failing to …"; a
        paragraph in the author's voice ("I have asked …") answers it instead."""
        b = self.bs[k]
        if b.text.endswith((".", "!", "?", ";", ":", "”", '"')):
            return k
        nxt = k + 1
        if nxt >= len(self.bs):
            return k
        t = self.bs[nxt].text
        if self.bs[nxt].kind != "para" or self.item_like(self.bs[nxt]) or t[:1].islower() or t.endswith(":"):
            return k
        if in_author_voice(t) or self.heads(nxt):
            return k  # an answer to the finding, not its description
        return k if types_named(t) else nxt

    def next_content(self, k: int) -> int | None:
        """The index of the next block that is not a marker."""
        while k < len(self.bs) and self.bs[k].kind == "marker" and not cues().label_at(self.bs[k].text):
            k += 1
        return k if k < len(self.bs) else None

    def introduces_type(self, text: str) -> bool:
        """A paragraph whose first sentence talks about the type ("I am writing to set out the
        causes of concern we identified.") introduces findings; one that says its subject "is a
        cause of concern" states one."""
        first = first_sentence(text)
        return bool(types_named(first)) and not cues().concern_verdict.search(first)

    def names_none(self, text: str) -> bool:
        """ "We did not identify any causes of concern." says there are none."""
        return bool(_NONE_NAMED.search(text[:120]))

    # --- tables ---

    def table_row(self, k: int) -> int:
        """A row of cells: a header row names the columns; a body row whose text cell reads as a
        finding is one (or, with inline labels, several)."""
        b = self.bs[k]
        cells = b.cells
        if all(len(cell.text.split()) <= 4 for cell in cells):
            roles = self.header_roles(cells)
            if roles:
                self.header = roles
            return k + 1
        roles = self.header or {}
        text_i = next(
            (
                i
                for i, cell in enumerate(cells)
                if i in roles and roles[i] in PREFIX and len(cell.text.split()) >= 5
            ),
            None,
        )
        if text_i is None:
            own = [i for i in range(len(cells)) if not roles.get(i, "").startswith("reply")] or [0]
            text_i = max(own, key=lambda i: len(cells[i].text))  # never the update column
        cell = cells[text_i]
        if len(cell.text.split()) < 5:
            return k + 1
        ref_cell = next((x for x in cells[:text_i] if _REF_CELL.fullmatch(x.text)), None)
        status = any(cues().status.match(x.text) for x in cells[text_i + 1 :])
        column_type = roles.get(text_i)
        if column_type not in PREFIX:  # "AFI | Description | Progress": the reference column types the table
            column_type = next((r for i, r in roles.items() if r in PREFIX and i < text_i), None)
        row_type = next((t for i, x in enumerate(cells) if i != text_i and (t := type_cell(x.text))), None)
        context_type = self.ctx.type if self.ctx else None
        pieces = self.labelled_pieces(cell.start, cell.end)
        if not pieces:
            ftype = row_type or column_type or context_type
            if ftype is None and deadline_form(cell.text):
                ftype = "recommendation"
            typed = ref_cell or status or column_type or row_type
            if ftype is None or not typed or not reads_as_finding(cell.text):
                return k + 1
            pieces = [(ftype, cell.start, cell.end)]
        ref = ref_cell.text.rstrip(".") if ref_cell else None
        for ftype, s, e in pieces:
            self.add(ftype, s, e, "table-row", k, k, ref)
        reply_i = next((i for i, role in roles.items() if role.startswith("reply") and i < len(cells)), None)
        if reply_i is not None and reply_i != text_i and self.out:
            self.out[-1].reply = (cells[reply_i].start, cells[reply_i].end, roles[reply_i].split(":", 1)[1])
        return k + 1

    def header_roles(self, cells: tuple) -> dict[int, str]:
        """Column roles of a header row: a type ("Recommendation"), a reply ("Force response",
        "Update"), or a status."""
        c = cues()
        roles: dict[int, str] = {}
        for i, cell in enumerate(cells):
            t = cell.text.strip()
            rm = c.response_heading_at(t)
            named = types_named(t)
            if rm and not (rm.group("rest") or "").strip():
                roles[i] = "reply:" + c.response_by.get(fold(rm.group("h")), "author")
            elif named:
                roles[i] = named[-1][2]
            elif c.status.match(t) or fold(t) == "status":
                roles[i] = "status"
        return roles if any(r in PREFIX or r.startswith("reply") for r in roles.values()) else {}

    def labelled_pieces(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """Inline labels inside one cell or paragraph: "Cause of concern: A. Recommendation: B." gives
        a cause of concern A and a recommendation B."""
        text = self.source[start:end]
        c = cues()
        marks = []
        for m in c.type_word.finditer(text):
            after = text[m.end() : m.end() + 3]
            before = text[: m.start()].rstrip()
            if _COLON_NEXT.match(after) and (not before or before.endswith((".", "!", "?", ";"))):
                colon = text.index(":", m.end())
                marks.append((m.start(), colon + 1, c.type_of[fold(m.group(0))]))
        out = []
        for i, (_, body, ftype) in enumerate(marks):
            stop = marks[i + 1][0] if i + 1 < len(marks) else len(text)
            out.append((ftype, start + body, start + stop))
        return out

    # --- blocks outside any context ---

    def free_block(self, k: int) -> int:
        """A block outside a heading's or lead-in's list: a lead-in, a modal lead with its bullets,
        or sentences that state a finding outright."""
        nxt = self.lead_in(k)
        if nxt is not None:
            return nxt
        nxt = self.quoted_demand(k)
        if nxt is not None:
            return nxt
        return self.sentences(k)

    def quoted_demand(self, k: int) -> int | None:
        """A paragraph that is wholly a quoted demand ("“The force should make sure …”"), as a
        commissioner's letter quotes each finding before answering it: a finding of the type named
        just before it (a recommendation when it has a deadline)."""
        t = self.bs[k].text
        if not (t.startswith(_QUOTE_OPEN) and t.endswith(_QUOTE_CLOSE) and starts_demand(t)):
            return None
        ftype = "recommendation" if deadline_form(t.lstrip("“\"‘'")) else self.recent_type(k)
        if ftype is None:
            return None
        self.add(ftype, self.bs[k].start, self.bs[k].end, "quoted-finding", k, k)
        return k + 1

    def recent_type(self, k: int) -> str | None:
        """The type named or found nearest before block ``k``, within a few blocks."""
        found = self.out[-1] if self.out else None
        for j in range(k - 1, max(-1, k - 7), -1):
            if found is not None and found.last_block == j:
                return found.type
            ftype = last_type_named(self.bs[j].text)
            if ftype:
                return ftype
        return None

    def lead_in(self, k: int) -> int | None:
        """A block whose last sentence names a type and introduces a list: "We made the following
        recommendations:", "we identified two causes of concern, which were that the force:",
        "One area for improvement remained from that inspection." followed by a bullet."""
        b = self.bs[k]
        colon = b.text.endswith(":")
        nxt = self.next_content(k + 1)
        followed = nxt is not None and (self.bs[nxt].kind == "item" or starts_demand(self.bs[nxt].text))
        if not (colon or followed):
            return None
        spans = split_sentences(b.text)
        s0, s1 = spans[-1]
        last = b.text[s0:s1]
        if NOT_FINDING_LEADS.search(last):
            return None
        named = types_named(last)
        if not named:
            before = b.text[spans[-2][0] : spans[-2][1]] if len(spans) > 1 else ""
            ftype = referred_type(last, before, self.last_sentence_before(k)) if colon else None
            if ftype is None:
                return self.quote_lead(k, last) if colon else None
            self.ctx = _Context(ftype, "lead-in-list", None, lead_in=True, colon=True)
            return k + 1
        c = cues()
        if c.demand_anywhere.search(last) or c.recommends.search(last):
            return None  # a modal lead: the lead and its bullets are one finding (see sentences)
        if (
            not colon
            and last.rstrip(".").split()[-1].lower() not in ("concern", "concerns")
            and not _LISTING_VERBS.search(last)
        ):
            return None
        ftype = named[-1][2]
        expected = announced_count(last, named[-1][0])
        self.ctx = _Context(ftype, "lead-in-list", None, expected=expected, lead_in=True, colon=colon)
        return k + 1

    def quote_lead(self, k: int, last: str) -> int | None:
        """In a letter that announced a type without listing it, "Our inspection found:" and the
        quotation after it state one finding of that type."""
        nxt = self.next_content(k + 1)
        if self.announced is None or nxt is None or not _FOUND_COLON.search(last):
            return None
        nb = self.bs[nxt]
        if not nb.text.startswith(_QUOTE_OPEN):
            return None
        self.add(self.announced, nb.start, nb.end, "quoted-finding", nxt, nxt)
        return nxt + 1

    def sentences(self, k: int) -> int:
        """Sentences that state a finding outright (``finding_sentences.py``): the first one in
        the block that does gives its findings."""
        b = self.bs[k]
        low = b.text.lower()
        if not any(map(low.__contains__, _SENTENCE_CUES)):
            return k + 1
        spans = split_sentences(b.text)
        before = self.sentences_before(k)
        for n in range(len(spans)):
            stated = read_sentence(b.text, spans, n, before)
            if stated:
                return self.add_stated(k, stated)
        return k + 1

    def last_sentence_before(self, k: int) -> str:
        """The last sentence of the paragraph just before block ``k`` ("" after anything else)."""
        if k == 0 or self.bs[k - 1].kind != "para":
            return ""
        prev = self.bs[k - 1].text
        a, z = split_sentences(prev)[-1]
        return prev[a:z]

    def sentences_before(self, k: int) -> list[str]:
        """The last two sentences of the paragraph before block ``k`` ("… six causes of concern.
        One of them …" before "This was that …")."""
        if k == 0 or self.bs[k - 1].kind not in ("para", "item"):
            return []
        prev = self.bs[k - 1].text
        return [prev[a:z] for a, z in split_sentences(prev)[-2:]]

    def add_stated(self, k: int, stated: Stated) -> int:
        """Record what a sentence stated; a finding that runs to the block's end takes the bullets
        after it ("HMIC recommends that the force should:" and its list)."""
        b = self.bs[k]
        last = self.absorb_sub_items(k) if stated.to_block_end else k
        for a, z in stated.spans:
            start = b.to_source(self.source, a)
            end = self.bs[last].end if z < 0 or z >= len(b.text) else b.to_source(self.source, z - 1) + 1
            self.add(stated.type, start, end, stated.rule, k, last, stated.ref)
        return last + 1


# --- the same finding restated -------------------------------------------------------------------

_STOP = frozenset(
    [
        "the",
        "force",
        "should",
        "that",
        "with",
        "from",
        "this",
        "their",
        "have",
        "make",
        "sure",
        "which",
        "them",
        "into",
        "more",
    ]
)


def _stems(text: str) -> set[str]:
    return _key_stems(norm(text))


def _key_stems(key: str) -> set[str]:
    """:func:`_stems` of a key already folded by :func:`norm`."""
    return {w[:5] for w in key.split() if len(w) >= 4 and w not in _STOP}


def dedupe_findings(findings: list[RawFinding], source: str) -> tuple[list[RawFinding], dict[int, int]]:
    """One finding per item: the same words restated (a summary box and a section end) are one, and
    a short mention ("adequately identify vulnerability at first contact") restated in full later
    takes the full words. Returns the kept findings and a map from old index to new index.

    Each finding is compared with the kept findings that can restate it, found through
    :class:`_KeptKeys`, not with every kept finding: a document of ten thousand findings would
    otherwise make a hundred million comparisons."""
    kept: list[RawFinding] = []
    index = _KeptKeys()
    remap: dict[int, int] = {}
    for idx, f in enumerate(findings):
        key = norm(source[f.start : f.end])[:160]
        hit = next(
            (
                k
                for k in index.restating(key)
                if kept[k].type == f.type
                and (
                    index.keys[k] == key or (len(key) > 40 and (key in index.keys[k] or index.keys[k] in key))
                )
            ),
            None,
        )
        stems = None
        if hit is None:
            stems = _key_stems(key)
            hit = _short_restatement(kept, index, f, key, stems)
        if hit is None:
            remap[idx] = len(kept)
            kept.append(f)
            index.add(key, stems)
        else:
            remap[idx] = hit
    return kept, remap


class _KeptKeys:
    """The kept findings' keys (folded words, at most 160 characters), so that a new key meets, in
    order, only the kept keys it may equal, contain or be contained in, and the short mentions it
    may restate (see :func:`_short_restatement`).

    Up to ``_INDEX_FROM`` kept keys, every one is a candidate. Past that, containment is looked
    up by words where a word tells the keys apart, else by pieces of ``_Q`` characters. A key
    (of three words or more) held in a kept key has its inner words, those between spaces, among
    the kept key's words: the kept keys holding its least common inner word are the candidates,
    when there are at most ``_FEW`` of them. Otherwise, the key has, at each of its first ``_Q``
    positions, a run of pieces ``_Q`` apart that all stand at positions of the kept key that are
    multiples of ``_Q`` (the rarest of each run is looked up). A kept key held in a key has its
    inner words among the key's words: it is filed under its inner word that the fewest kept keys
    hold, when at most ``_FEW`` do; else each of its pieces is somewhere in the key (it is filed
    under its rarest piece; one too short for a piece is looked up whole). Short mentions are
    filed by word count and stem."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.words: list[int] = []
        self.stems: list[set[str]] = []
        self.mentions: dict[tuple[int, str], set[int]] = {}  # (word count, stem) of short mentions
        self.mention_words: dict[int, int] = {}  # how many short mentions have each word count
        self.exact: dict[str, set[int]] = {}
        self.indexed = False
        self.by_word: dict[str, set[int]] = {}  # the keys holding each word (between spaces)
        # pieces at positions 0, Q, 2Q … of each key, from the first key that needs them
        self.every_q: dict[str, set[int]] | None = None
        self.inner_seen: Counter[str] = Counter()  # how many kept keys hold each inner word
        self.by_inner: dict[str, set[int]] = {}  # keys under their rarest inner word
        self.seen: Counter[str] = Counter()  # how many keys filed by piece hold each piece
        self.filed: dict[str, set[int]] = {}  # keys under their rarest piece
        self.short: dict[int, dict[str, set[int]]] = {}  # keys under _Q characters, by length
        self.filed_as: dict[int, tuple[dict[str, set[int]], str]] = {}  # where each key is filed
        self._last: tuple[str | None, list[str]] = (None, [])

    def add(self, key: str, stems: set[str]) -> None:
        """Keep ``key`` (whose :func:`_stems` are ``stems``)."""
        self.keys.append(key)
        self.words.append(0)
        self.stems.append(set())
        self._enter(len(self.keys) - 1, key, stems)
        if not self.indexed and len(self.keys) >= _INDEX_FROM:
            self.indexed = True
            for k, kept in enumerate(self.keys):
                self._file(k, kept)

    def replace(self, k: int, key: str, stems: set[str]) -> None:
        self._leave(k, self.keys[k])
        self.keys[k] = key
        self._enter(k, key, stems)

    def restating(self, key: str) -> Iterable[int]:
        """The kept keys, in order, that may equal ``key`` or, for a key over 40 characters,
        contain it or be contained in it (more may be given: the caller checks)."""
        if not self.indexed:
            return range(len(self.keys))
        found = set(self.exact.get(key, ()))
        if len(key) > 40:
            words = key.split(" ")
            # key inside a kept key
            holding = min(map(self.by_word.get, words[1:-1], repeat(_NONE)), key=len, default=None)
            if holding is not None and len(holding) <= _FEW:
                found.update(holding)
            else:
                pieces = self._pieces(key)
                every_q = self._every_q().get
                for r in range(_Q):  # at alignment r
                    found.update(min(map(every_q, pieces[r::_Q], repeat(_NONE)), key=len))
            # a kept key inside key
            for word in self.by_inner.keys() & words:
                found.update(self.by_inner[word])
            if self.filed:
                for piece in self.filed.keys() & self._pieces(key):
                    found.update(self.filed[piece])
            for n, by_text in self.short.items():
                for p in range(len(key) - n + 1):
                    found.update(by_text.get(key[p : p + n], ()))
        return sorted(found)

    def _every_q(self) -> dict[str, set[int]]:
        if self.every_q is None:
            self.every_q = {}
            for k, key in enumerate(self.keys):
                self._file_every_q(k, key)
        return self.every_q

    def _file_every_q(self, k: int, key: str) -> None:
        assert self.every_q is not None
        for p in range(0, len(key) - _Q + 1, _Q):
            self.every_q.setdefault(key[p : p + _Q], set()).add(k)

    def _pieces(self, key: str) -> list[str]:
        """The pieces of ``key`` at every position (kept for the key asked about last: a key looked
        up and then kept is cut once)."""
        if self._last[0] is not key:
            self._last = (key, [key[p : p + _Q] for p in range(len(key) - _Q + 1)])
        return self._last[1]

    def _enter(self, k: int, key: str, stems: set[str]) -> None:
        self.exact.setdefault(key, set()).add(k)
        words = len(key.split())
        self.words[k], self.stems[k] = words, stems
        if words <= _SHORT_WORDS and len(stems) >= 4:
            self.mention_words[words] = self.mention_words.get(words, 0) + 1
            for st in stems:
                self.mentions.setdefault((words, st), set()).add(k)
        if self.indexed:
            self._file(k, key)

    def _file(self, k: int, key: str) -> None:
        words = key.split(" ")
        for word in set(words):
            self.by_word.setdefault(word, set()).add(k)
        if self.every_q is not None:
            self._file_every_q(k, key)
        inner = set(words[1:-1])
        if inner:
            # the inner word the fewest kept keys hold, the first in order of those
            fewest, rarest = min(zip(map(self.inner_seen.get, inner, repeat(0)), inner, strict=True))
            self.inner_seen.update(inner)
            if fewest < _FEW:
                self._file_under(k, self.by_inner, rarest)
                return
        if len(key) < _Q:
            self._file_under(k, self.short.setdefault(len(key), {}), key)
            return
        pieces = set(self._pieces(key))
        _, rarest = min(zip(map(self.seen.get, pieces, repeat(0)), pieces, strict=True))
        self.seen.update(pieces)
        self._file_under(k, self.filed, rarest)

    def _file_under(self, k: int, index: dict[str, set[int]], name: str) -> None:
        index.setdefault(name, set()).add(k)
        self.filed_as[k] = (index, name)

    def _leave(self, k: int, key: str) -> None:
        self.exact[key].discard(k)
        if self.words[k] <= _SHORT_WORDS and len(self.stems[k]) >= 4:
            self.mention_words[self.words[k]] -= 1
            for st in self.stems[k]:
                self.mentions[(self.words[k], st)].discard(k)
        if not self.indexed:
            return
        words = key.split(" ")
        for word in set(words):
            self.by_word[word].discard(k)
        if self.every_q is not None:
            for p in range(0, len(key) - _Q + 1, _Q):
                self.every_q[key[p : p + _Q]].discard(k)
        self.inner_seen.subtract(set(words[1:-1]))
        index, name = self.filed_as.pop(k)
        index[name].discard(k)
        if index is self.filed:
            self.seen.subtract(set(self._pieces(key)))


_NONE: frozenset[int] = frozenset()
_INDEX_FROM = 64  # kept findings before the index pays for itself
_Q = 8
_FEW = 8  # candidates found by a word, at most, before pieces are looked up instead
_SHORT_WORDS = 15  # a short mention has at most this many words


def _short_restatement(
    kept: list[RawFinding], index: _KeptKeys, f: RawFinding, key: str, stems: set[str]
) -> int | None:
    """A kept short mention (at most 15 words) whose content words mostly recur in ``f`` (whose
    key's :func:`_stems` are ``stems``): ``f`` replaces it in place."""
    words = len(key.split())
    # (a mention shares at least one stem with ``f`` and has fewer words)
    candidates: set[int] = set()
    for w, n in index.mention_words.items():
        if n and w < words:
            for st in stems:
                candidates.update(index.mentions.get((w, st), ()))
    for k in sorted(candidates):
        if kept[k].type != f.type:
            continue
        short = index.stems[k]
        if len(short & stems) >= 0.7 * len(short):
            kept[k] = replace(f, ref=f.ref or kept[k].ref)
            index.replace(k, key, stems)
            return k
    return None


def drop_other_forces(
    kept: list[RawFinding], remap: dict[int, int], source: str, force: str | None
) -> tuple[list[RawFinding], dict[int, int | None]]:
    """Findings addressed to someone else are not this document's: another force by name
    ("Dyfed-Powys Police should …" in a report on Kent Police), or a fire and rescue service
    ("The service should …" in a fire inspection, where no police force is named)."""
    new_index: dict[int, int | None] = {}
    out: list[RawFinding] = []
    for k, f in enumerate(kept):
        if _addressed_elsewhere(source[f.start : min(f.end, f.start + 60)], force, source):
            new_index[k] = None
            continue
        new_index[k] = len(out)
        out.append(f)
    return out, {old: new_index[k] for old, k in remap.items()}


@lru_cache(maxsize=1)
def _about_fire_service(source: str) -> bool:
    """Whether the text names a fire and rescue service of its own, not only in the inspectorate's
    title ("Inspectorate of Constabulary and Fire & Rescue Services")."""
    return any(
        not _INSPECTORATE_TITLE_END.search(source[max(0, m.start() - 30) : m.start()])
        for m in cues().fire_service.finditer(source)
    )


def _addressed_elsewhere(head: str, force: str | None, source: str) -> bool:
    """Whether the words opening a finding address another force or a fire and rescue service
    (the whole ``source`` is read only for a finding opening "The service")."""
    named_service = cues().fire_service.search(head)
    if named_service and len(head[: named_service.start()].split()) <= 4:
        return True
    if force is None:
        return bool(_THE_SERVICE.match(head)) and _about_fire_service(source)
    named = {name for s, _, name in force_mentions(head) if s == 0}
    return bool(named) and not any(force.startswith(n) or n.startswith(force) for n in named)


def _quotation_end(text: str) -> int:
    """Where a finding that opens with a quotation mark ends: at its closing mark when only a few
    words of attribution follow it ("“The force should …,” the report said."), else at the end."""
    body = text.lstrip(" \t\n")
    if not body.startswith(("“", '"')):
        return len(text)
    lead = len(text) - len(body)
    close = body.find("”" if body[0] == "“" else '"', 1)
    if close < 0 or len(body[close + 1 :].split()) > 8 or not body[close + 1 :].strip():
        return len(text)
    return lead + close + 1


def type_cell(text: str) -> str | None:
    """The type a table cell names when the cell is only a type ("Area for improvement", "Cause of
    concern", "AFI"): a tracker's Type column gives each row's type."""
    named = types_named(text)
    if len(named) != 1 or named[0][0] > 0 or text[named[0][1] :].strip(" .:"):
        return None
    return named[0][2]


def _cell_tail(text: str) -> bool:
    """A few words starting in lower case: the end of a table cell that wrapped onto its own line."""
    return bool(text) and text[0].islower() and len(text.split()) <= 6
