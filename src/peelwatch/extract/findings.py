"""Findings (areas for improvement, causes of concern, recommendations) and the responses to them.

Findings come from sections under a finding heading ("Areas for improvement", "Cause of concern",
"Recommendations"), from numbered labels ("AFI 1:"), and from sentences that say so outright
("This is a cause of concern", "HMIC recommends that …"). A response is the text under a
response heading ("PCC response:") that follows a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from peelwatch.extract.text import Line, flatten, lines, norm
from peelwatch.framework.vocabulary import load_vocabulary

_BULLET = re.compile(r"^(?:[-•·*–▪◦]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+")
_STARTER = re.compile(
    r"^(?:(?:by|within|from|before)\s[^,]{2,30},\s*)?(?:the\s+(?:force|constabulary|service)|[A-Z][\w&'’ -]{2,40}?\s+(?:police|constabulary)|it|we|hmic(?:frs)?|"
    r"to\s+address|within\s+\w+\s+months|by\s+\w+\s+\d{4}|all\s+forces|chief\s+constables|forces)\b[^.]{0,120}?"
    r"\b(?:should|must|needs?\s+to|recommends?|is\s+to|has\s+to|ought)\b",
    re.I,
)
_ITEM_BREAK = re.compile(
    r"^(?:\d{1,2}|completed?|superseded|in progress|open|closed|not started|awaiting[- ]review|being[- ]progressed|ongoing)$",
    re.I,
)
_LABEL_NUM = r"(?P<num>\d{1,2}|[ivx]{1,4})"


@dataclass(slots=True)
class RawFinding:
    type: str
    start: int
    end: int
    ref: str | None = None
    section: str | None = None


@dataclass(slots=True)
class RawResponse:
    finding: int  # index into the raw findings
    by: str
    start: int
    end: int


@dataclass(slots=True)
class _Heads:
    finding: re.Pattern[str]
    finding_type: dict[str, str]
    label: re.Pattern[str]
    label_type: dict[str, str]
    response: re.Pattern[str]
    response_by: dict[str, str]


@lru_cache(maxsize=1)
def _heads() -> _Heads:
    v = load_vocabulary()
    ftype = {h.lower(): t for t, hs in v.finding_headings.items() for h in hs}
    body = "|".join(re.escape(h) for h in sorted(ftype, key=len, reverse=True))
    finding = re.compile(rf"^(?:\d+(?:\.\d+)*\s+)?(?P<h>{body})(?:\s*\(\w+\))?\s*[:.]?$", re.I)
    ltype = {h.lower(): t for t, hs in v.finding_labels.items() for h in hs}
    lbody = "|".join(re.escape(h) for h in sorted(ltype, key=len, reverse=True))
    label = re.compile(rf"^(?P<h>{lbody})\s*{_LABEL_NUM}\s*(?:[:.)–-]\s*|$)(?P<rest>.*)$", re.I)
    rby = {h.lower().replace("’", "'"): by for by, hs in v.response_headings.items() for h in hs}
    rbody = "|".join(re.escape(h) for h in sorted(rby, key=len, reverse=True))
    # a heading on its own line, or followed by a colon or dash and the response itself
    response = re.compile(rf"^(?P<h>{rbody})(?:\s+to\s+\w+\s*\d*)?\s*(?:$|[:–-]\s*(?P<rest>.*)$)", re.I)
    return _Heads(finding, ftype, label, ltype, response, rby)


def _is_heading_like(ln: Line) -> bool:
    t = ln.text
    if not t or _BULLET.match(t):
        return False
    words = t.split()
    return len(words) <= 14 and not t.endswith((".", ",", ";")) and (t[0].isupper() or t[0].isdigit())


def _collect_item(ls: list[Line], i: int) -> tuple[int, int]:
    """From line i, the lines of one item: its paragraph, and if it ends with ':' the bullets that
    follow. Returns (index of the last line, index of the next line)."""
    j = i
    first_bullet = bool(_BULLET.match(ls[i].text))
    while j + 1 < len(ls) and not ls[j + 1].blank:
        nxt = ls[j + 1].text
        if first_bullet and _BULLET.match(nxt) and not ls[j].text.endswith(":"):
            break
        if _heads().response.match(nxt) or _heads().label.match(nxt) or _heads().finding.match(nxt):
            break
        if (
            _ITEM_BREAK.match(nxt)
            or _looks_like_force_line(nxt)
            or (_STARTER.match(nxt) and ls[j].text.endswith((".", ";")))
        ):
            break
        if ls[j].text.endswith((".", ";")) and (_is_heading_like(ls[j + 1]) or nxt.endswith("?")):
            break  # a wrapped PDF paragraph ends and a heading follows without a blank line
        j += 1
    last = j
    # broken bullets: a bullet whose sentence goes on after a blank line in lower case
    while (
        last + 2 < len(ls)
        and ls[last + 1].blank
        and ls[last + 2].text[:1].islower()
        and not _BULLET.match(ls[last + 2].text)
    ):
        last += 2
        while (
            last + 1 < len(ls)
            and not ls[last + 1].blank
            and not _BULLET.match(ls[last + 1].text)
            and not (
                ls[last].text.endswith((".", ";"))
                and (_is_heading_like(ls[last + 1]) or ls[last + 1].text.endswith("?"))
            )
        ):
            last += 1
    if ls[last].text.endswith(":") or re.search(r"\b(?:ensure|that|to)\s*:?$", ls[last].text):
        k = last + 1
        while k < len(ls):
            if ls[k].blank:
                k += 1
                continue
            if _BULLET.match(ls[k].text) or (ls[k].text[:1].islower() and k > last + 1):
                last = k
                k += 1
                continue
            break
    return last, last + 1


def extract_findings(source: str) -> tuple[list[RawFinding], list[RawResponse]]:
    """Every finding listed in the text, and the responses that follow them."""
    heads = _heads()
    ls = lines(source)
    findings: list[RawFinding] = []
    responses: list[RawResponse] = []
    section: str | None = None  # finding type of the current section
    section_name: str | None = None
    prose_misses = 0
    section_bullets = False
    i = 0
    while i < len(ls):
        ln = ls[i]
        t = ln.text
        if ln.blank:
            i += 1
            continue
        m = heads.finding.match(t)
        if m:
            section = heads.finding_type[m.group("h").lower()]
            section_name = t.rstrip(":")
            section_bullets = False
            prose_misses = 0
            i += 1
            continue
        lm = heads.label.match(t)
        if lm:
            ftype = heads.label_type[lm.group("h").lower()]
            ref = f"{_label_prefix(ftype)} {lm.group('num')}"
            start_i = i if lm.group("rest").strip() else _next_nonblank(ls, i + 1)
            if start_i is None:
                break
            last, nxt = _collect_item(ls, start_i)
            s = ls[start_i].start + (lm.start("rest") if start_i == i else 0)
            findings.append(RawFinding(ftype, s, ls[last].end, ref, section_name))
            section = None
            i = nxt
            continue
        rm = heads.response.match(t)
        if rm and findings:
            by = heads.response_by.get(rm.group("h").lower().replace("’", "'"), "other")
            start_i = i if (rm.group("rest") or "").strip() else _next_nonblank(ls, i + 1)
            if start_i is None:
                break
            end_i = _response_end(ls, start_i)
            s = ls[start_i].start + (rm.start("rest") if start_i == i else 0)
            responses.append(RawResponse(len(findings) - 1, by, s, ls[end_i].end))
            section = None
            i = end_i + 1
            continue
        if section:
            body = _BULLET.sub("", t)
            num = re.fullmatch(r"\d{1,2}", t)
            if num or re.fullmatch(
                r"(?:completed?|superseded|in progress|open|closed|not started|awaiting[- ]review|being[- ]progressed|ongoing)",
                t,
                re.I,
            ):
                i += 1
                continue
            if section_bullets and not _BULLET.match(t):
                section = None  # the bulleted list is over; what follows is prose
                i += 1
                continue
            if _BULLET.match(t) or _STARTER.match(body):
                section_bullets = section_bullets or bool(_BULLET.match(t))
                last, nxt = _collect_item(ls, i)
                number = re.match(r"\(?(\d{1,2})[.)]\s", t)
                ref = _ref_before(ls, i) or (number.group(1) if number else None)
                s = ln.start + (len(t) - len(body))
                findings.append(RawFinding(section, s, ls[last].end, ref, section_name))
                prose_misses = 0
                i = nxt
                continue
            if _is_heading_like(ln) and not _looks_like_force_line(t):
                nxt_i = _next_nonblank(ls, i + 1)
                nxt_t = ls[nxt_i].text if nxt_i is not None else ""
                if not (_BULLET.match(nxt_t) or _STARTER.match(nxt_t)):
                    section = None  # a sub-heading ("Investigating crime") keeps the section open
                i += 1
                continue
            if (
                section == "cause_of_concern"
                and prose_misses == 0
                and not re.search(r"\b(?:no|not\s+identify\s+any|did\s+not)\b", t, re.I)
            ):
                last, nxt = _collect_item(ls, i)
                findings.append(RawFinding(section, ln.start, ls[last].end, None, section_name))
                prose_misses = 1
                i = nxt
                continue
            prose_misses += 1
            if prose_misses >= 2:
                section = None
            i += 1
            continue
        i += 1
    findings.extend(_sentence_findings(source, findings))
    return findings, responses


def _label_prefix(ftype: str) -> str:
    return {
        "area_for_improvement": "AFI",
        "cause_of_concern": "Cause of concern",
        "recommendation": "Recommendation",
    }[ftype]


def _looks_like_force_line(t: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][\w&'’ -]+(?:Police|Constabulary|Police Service)", t))


def _ref_before(ls: list[Line], i: int) -> str | None:
    for k in range(i - 1, max(-1, i - 4), -1):
        if re.fullmatch(r"\d{1,2}", ls[k].text):
            return ls[k].text
    return None


def _next_nonblank(ls: list[Line], i: int) -> int | None:
    while i < len(ls) and ls[i].blank:
        i += 1
    return i if i < len(ls) else None


def _response_end(ls: list[Line], i: int) -> int:
    """A response runs until the next finding label, finding heading or response heading."""
    heads = _heads()
    last = i
    k = i
    while k < len(ls):
        t = ls[k].text
        if k > i and (heads.label.match(t) or heads.finding.match(t) or heads.response.match(t)):
            break
        if not ls[k].blank:
            last = k
        k += 1
    return last


_CONCERN = re.compile(
    r"\b(?:is|are|remains?|represents?)\s+(?:a\s+)?(?:serious\s+)?causes?\s+of\s+concern\b", re.I
)
_RECOMMEND = re.compile(
    r"^(?:to\s+address\s+th(?:is|ese)\s+causes?\s+of\s+concern,?\s+)?(?:hmic(?:frs)?|we|the\s+inspectorate)\s+"
    r"(?:recommends?|has\s+recommended|recommended)\s+that\b",
    re.I,
)


def _sentence_findings(source: str, found: list[RawFinding]) -> list[RawFinding]:
    """Paragraphs that state a cause of concern or a recommendation outright, outside any section."""
    covered = [(f.start, f.end) for f in found]
    out: list[RawFinding] = []
    ls = lines(source)
    i = 0
    while i < len(ls):
        ln = ls[i]
        if ln.blank or any(a <= ln.start < b for a, b in covered):
            i += 1
            continue
        # paragraph = this line and following non-blank lines
        j = i
        while (
            j + 1 < len(ls)
            and not ls[j + 1].blank
            and not (ls[j].text.endswith((".", ":", "?")) and len(ls[j].text) > 100)
        ):
            j += 1
        raw = source[ln.start : ls[j].end]
        if "concern" not in raw and "ecommend" not in raw:
            i = j + 1
            continue
        para = flatten(raw).text
        if any(a < ls[j].end and ln.start < b for a, b in covered):
            i = j + 1
            continue
        if _CONCERN.search(para) and not re.search(
            r"\b(?:previous|earlier|last)\b.{0,40}cause of concern", para, re.I
        ):
            out.append(RawFinding("cause_of_concern", ln.start, ls[j].end))
        elif _RECOMMEND.match(para):
            last, _ = _collect_item(ls, i)
            out.append(RawFinding("recommendation", ln.start, ls[max(last, j)].end))
            j = max(last, j)
        i = j + 1
    return out


def dedupe_findings(findings: list[RawFinding], source: str) -> tuple[list[RawFinding], dict[int, int]]:
    """One finding per item: the same words restated (a summary box and a section end) are one.
    Returns the kept findings and a map from old index to new index."""
    kept: list[RawFinding] = []
    keys: list[str] = []
    remap: dict[int, int] = {}
    for idx, f in enumerate(findings):
        key = norm(source[f.start : f.end])[:160]
        hit = next((k for k, other in enumerate(keys) if other == key and kept[k].type == f.type), None)
        if hit is None:
            hit = next(
                (
                    k
                    for k, other in enumerate(keys)
                    if kept[k].type == f.type and len(key) > 40 and (key in other or other in key)
                ),
                None,
            )
        if hit is None:
            remap[idx] = len(kept)
            kept.append(f)
            keys.append(key)
        else:
            remap[idx] = hit
    return kept, remap
