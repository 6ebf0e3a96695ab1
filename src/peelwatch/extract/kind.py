"""What kind of document this is, judged by who is writing.

The inspectorate writes "we inspected", "our findings", signs its letters as an Inspector of
Constabulary and prints "Last updated" and "Get the report" on its pages; a commissioner writes
"I welcome", "section 55", "PCC response", and a policing body's minutes say "Members considered"
and "RESOLVED"; a force writes "our officers", "we have been graded"; a journalist reports what
others said ("said inspectors", "the force said"), quotes several sides, and prints bylines and
advertisements. Quoted speech is set aside before the voice is read: an inspector quoted in a
newspaper saying "we found" does not make the newspaper the inspectorate.

Each group of cues (``kind_evidence`` in the vocabulary) adds its weights to one kind; the kind
with the most evidence wins, and the explanation names the groups and cues that decided it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from peelwatch.framework.vocabulary import load_vocabulary

KINDS = ("inspection_report", "pcc_response", "force_statement", "news", "other")
SCAN_CHARS = 10000  # the voice of a document shows in its opening pages
_MAX_COUNT = 3  # a cue repeated more often says nothing new

_QUOTED = re.compile(r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)", re.M)
# the end of the sentence before a "said": a full stop after a word, not after an initial ("A. Person")
_CLAUSE_END = re.compile(r"(?<=[a-z0-9]{2})[.!?]\s|\n")
_SPEECH = re.compile(r"\b(?:said|says|added|told|stated|commented)\b")


@dataclass(frozen=True, slots=True)
class KindDecision:
    kind: str
    reason: str
    scores: dict[str, float]


def author_text(text: str) -> str:
    """The document's own words: quoted speech removed, lower case, one kind of apostrophe.

    >>> author_text('The inspector said: “We found poor practice.” The force disagreed.')
    'the inspector said:   the force disagreed.'
    """
    # a quotation runs to its closing mark, or to the end of its paragraph when the next
    # paragraph of the same speech opens with another quotation mark
    return _QUOTED.sub(" ", text).lower().replace("’", "'").replace("‘", "'")


def _first_line(text: str) -> str:
    return next((line for line in text.split("\n") if line.strip()), "")


def _count(haystack: str, phrase: str) -> int:
    return min(haystack.count(phrase), _MAX_COUNT)


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str
    what: str  # the group's name, for the explanation
    weight: float
    seen: tuple[str, ...]  # the cues seen, as quoted in the explanation
    publisher: bool = False  # says who publishes the page, not who speaks
    voice: bool = False  # the author speaking for itself

    def describe(self) -> str:
        return f"{self.what}: {', '.join(self.seen[:3])}"


def _cue_evidence(author: str, anywhere: str) -> list[Evidence]:
    """The evidence of every group of cues with a hit."""
    out = []
    line_starts = "\n".join(line.lstrip(" \t•-*·#") for line in anywhere.split("\n"))
    for group in load_vocabulary().kind_evidence:
        haystack = author if group.view == "author" else anywhere
        if group.view == "line_start":
            haystack = line_starts
        total = 0.0
        seen = []
        for phrase, weight in group.cues:
            cue = phrase.replace("’", "'")
            n = _count(haystack, "\n" + cue) if group.view == "line_start" else _count(haystack, cue)
            if n:
                total += weight * n
                seen.append(f"'{phrase.strip()}'" + (f" ×{n}" if n > 1 else ""))
        if total:
            out.append(Evidence(group.kind, group.what, total, tuple(seen), group.publisher, group.voice))
    return out


def _pattern_evidence(head: str) -> list[Evidence]:
    out = []
    for p in load_vocabulary().kind_patterns:
        m = _compiled(p.pattern).search(head)
        if m:
            out.append(Evidence(p.kind, p.what, float(p.weight), (f"'{m.group(0).strip()[:60]}'",)))
    return out


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_SENDER_LABELS = ("from", "yours sincerely", "yours faithfully", "kind regards", "signed")
_ADDRESSEE_LABELS = ("to", "cc", "copy to", "copies to", "addressee")


def signed_by(text: str) -> tuple[str, str] | None:
    """(kind, title) of the sender when a job title stands alone on a line in a letter's "From"
    block or signature ("His Majesty's Inspector of Constabulary", "Police and Crime Commissioner
    for Kent"). Titles under "To" or "Cc", or after "Dear", are the addressees'; without labels
    the first title is the sender's (an inspectorate letter lists its addressees after it).

    >>> signed_by("To\\nPolice and Crime Commissioner for Kent\\nFrom\\nHis Majesty's Inspector of Constabulary")
    ('inspection_report', "His Majesty's Inspector of Constabulary")
    """
    unlabelled = None
    for part in (text[:3000], text[-1500:]):
        role = None
        for line in part.split("\n"):
            stripped = line.strip()
            label = stripped.lower().rstrip(":,").strip()
            if label in _SENDER_LABELS:
                role = "sender"
                continue
            if label in _ADDRESSEE_LABELS or label.startswith("dear "):
                role = "addressee"
                continue
            kind = _signatory(stripped)
            if kind is None or role == "addressee":
                continue
            if role == "sender":
                return kind, stripped
            unlabelled = unlabelled or (kind, stripped)
    return unlabelled


def _signatory(line: str) -> str | None:
    """The kind of document a job title standing alone on a line signs for, if it is one."""
    low = line.lower().replace("’", "'")
    if not line or len(line.split()) > 12 or line.endswith((".", ":")) or _SPEECH.search(low):
        return None
    for kind, names in load_vocabulary().signatory_titles.items():
        if any(low.endswith(n) or f"{n} for " in low or f"{n}," in low for n in names):
            return kind
    return None


def speakers(author: str) -> Counter[str]:
    """Whose words the text reports: for each "said", "says", "told" …, the side named nearest it.

    >>> sorted(speakers("the chief constable said: . hm inspector jane doe said: .").items())
    [('force', 1), ('inspectorate', 1)]
    """
    roles = load_vocabulary().speaker_roles
    out: Counter[str] = Counter()
    for m in _SPEECH.finditer(author):
        window = author[max(0, m.start() - 100) : m.start()]
        window = _CLAUSE_END.split(window)[-1]
        after = author[m.end() : m.end() + 40].split(".")[0]
        best: tuple[int, str] | None = None
        for role, words in roles.items():
            for w in words:
                at = window.rfind(w)
                if at != -1 and (best is None or at > best[0]):
                    best = (at, role)
                if best is None and re.search(rf"\b{re.escape(w)}\b", after):
                    best = (-1, role)
        if best:
            out[best[1]] += 1
    return out


_SIDE_KIND = {"inspectorate": "inspection_report", "pcc": "pcc_response", "force": "force_statement"}


def _quoted_evidence(quoted: Counter[str], evidence: list[Evidence]) -> list[Evidence]:
    """Whose words the document quotes. One side quoted is that side's statement; several sides
    quoted on one side's own site (a commissioner's bulletin quoting the commissioner and the chief
    constable) is that side's statement; several sides quoted by a document with no voice or site
    of its own is a third party reporting them."""
    publishers = {e.kind for e in evidence if e.publisher}
    sides = [s for s in quoted if s in _SIDE_KIND]
    own = [s for s in sides if _SIDE_KIND[s] in publishers]
    if len(quoted) == 1 and sides:
        own = sides
    if own:
        side = max(own, key=lambda s: quoted[s])
        n = quoted[side]
        return [
            Evidence(
                _SIDE_KIND[side], f"{side} quoted", 2.0 * min(n, 3), (f"{n} quotation{'s' if n > 1 else ''}",)
            )
        ]
    voiced = any(e.voice for e in evidence)
    if len(quoted) >= 2 and not voiced:
        names = " and the ".join(sorted(quoted))
        return [Evidence("news", "reports what others said", 2.0 * len(quoted), (f"quotes the {names}",))]
    return []


_SITE_SEPARATOR = re.compile(r"\s(?:\||-|–|—|::)\s")


def site_evidence(title: str | None) -> list[Evidence]:
    """Who publishes the page, from the site's name in its title ("News | Nottinghamshire Police",
    "… - HMICFRS"): a force's site speaks for the force, the inspectorate's for the inspectorate."""
    if not title:
        return []
    parts = _SITE_SEPARATOR.split(title)
    if len(parts) < 2:
        return []
    from peelwatch.framework import load_framework

    for site in (parts[-1], parts[0]):
        low = site.lower().strip()
        if low in {"hmicfrs", "hmic"} or "inspectorate of constabulary" in low:
            return [Evidence("inspection_report", "the inspectorate's site", 4.0, (f"'{site.strip()}'",))]
        force = load_framework().find_force(site.strip())
        if force is not None:
            return [Evidence("force_statement", "force's site", 3.0, (f"'{site.strip()}'",), publisher=True)]
    return []


def decide_kind(text: str, title: str | None = None) -> KindDecision:
    """inspection_report, pcc_response, force_statement, news or other, and why.

    >>> decide_kind("Between May and June we inspected Kent Police. We found that it is good.").kind
    'inspection_report'
    >>> decide_kind("The village fete raised money for the church roof.").kind
    'other'
    """
    head = text[:SCAN_CHARS]
    anywhere = "\n" + head.lower().replace("’", "'")
    vocab = load_vocabulary()
    about = anywhere + "\n" + (title or "").lower()
    if not any(word in about for word in vocab.inspection_topic):
        return KindDecision("other", "nothing about a police inspection", {})
    author = author_text(head)
    author = author_text(_first_line(head)) + "\n" + author  # the headline speaks twice
    evidence = _cue_evidence(author, anywhere) + _pattern_evidence(head[:2000]) + site_evidence(title)
    signed = signed_by(text)
    if signed:
        evidence.append(Evidence(signed[0], "letter signed", 8.0, (f"'{signed[1]}'",), voice=True))
    evidence += _quoted_evidence(speakers(author), evidence)
    scores: dict[str, float] = defaultdict(float)
    for e in evidence:
        scores[e.kind] += e.weight
    if not scores:
        return KindDecision(
            "other",
            "no voice of its own: neither the inspectorate's, a commissioner's, a force's nor a reporter's",
            {},
        )
    best = max(KINDS, key=lambda k: scores.get(k, 0.0))
    parts = sorted((e for e in evidence if e.kind == best), key=lambda e: -e.weight)
    reason = "; ".join(e.describe() for e in parts[:3])
    runner = sorted(((v, k) for k, v in scores.items() if k != best), reverse=True)
    if best == "pcc_response" and all(e.publisher for e in parts):
        # the policing body's own site, but nobody speaks: a page that lists or summarises reports
        # (a force's own site speaks for the force even in the third person: its statement)
        return KindDecision(
            "other", f"published on its site ({reason}) but no voice of its own", dict(scores)
        )
    if runner:
        reason += f" (against {runner[0][1]} {runner[0][0]:g})"
    return KindDecision(best, reason, dict(scores))


def detect_kind(text: str) -> str:
    """The kind of document (see :func:`decide_kind`)."""
    return decide_kind(text).kind
