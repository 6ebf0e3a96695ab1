"""Graded judgments stated in running text: "X is good at …", "the extent to which … is good",
"graded 'outstanding' in A, B and C", "the areas requiring improvement are …".

Layout-based judgments (grade tables, grades on their own line) live in :mod:`.layout`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from peelwatch.extract.grades import QUOTE, grade_matcher
from peelwatch.extract.text import Sentence, norm
from peelwatch.framework.vocabulary import load_vocabulary


@dataclass(slots=True)
class RawJudgment:
    """A judgment before scope and key are assigned: subject words, grade, and source spans."""

    subject: str
    grade: str
    start: int  # evidence span in the source
    end: int
    subject_start: int = -1
    cycle: str | None = None
    explicit_subject: bool = False  # the subject came from a table or list item, not free text


_NUMBER_WORDS = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|all|most|some|many|several|each|both|every|other|the other|the remaining|half|none|a number|this|that|these|those|multiple|various|numerous|a\s+range|a\s+new|the\s+following|others|no)"
_BAD_SUBJECT_START = re.compile(rf"^(?:the\s+)?{_NUMBER_WORDS}\b(?!\s+(?:of\s+)?the\s+people)", re.I)
_BAD_SUBJECT_ANY = re.compile(
    r"\b(?:areas? of policing|report|the latest report|this area|this inspection|the report|last year|previous(?:ly)?|"
    r"inspection|grading|grades?|graded|rated|judged|no\s+force|forces|categor(?:y|ies))\b",
    re.I,
)
_NATIONAL = re.compile(
    r"\b(?:(?:no|other|all|most|many|several|\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:other\s+)?(?:police\s+)?forces|"
    r"no\s+force|none\s+(?:of\s+the\s+forces|were)|across\s+england|nationally|other\s+force)\b",
    re.I,
)
_FUNCTION_WORDS = frozenset(
    [
        "when",
        "with",
        "that",
        "this",
        "those",
        "these",
        "there",
        "their",
        "them",
        "they",
        "what",
        "which",
        "where",
        "while",
        "whilst",
        "from",
        "into",
        "onto",
        "over",
        "also",
        "been",
        "being",
        "have",
        "has",
    ]
)
_YEARISH = re.compile(r"^(?:in\s+)?(?:19|20)\d\d\b")
_STOP = re.compile(
    r"(?:,\s+and\s+(?:the|we|it|they|he|she|i|this|that|its|our|there)\b|\s+\(|\s+[–—-]\s+|\s[•·]\s|[.!?](?:\s|$)|;\s+(?:however|but|although|this|it|the\s+force)\b|,?\s+(?:but|although|though|however|which(?<!with\swhich)|where|whereas|while|whilst|"
    r"because|since|as\s+it|with\s+(?:the\s+)?\w+\s+(?:stating|saying|noting|finding|adding|reporting)|as\s+well\s+as\s+being|compared|than|with\s+an?\s+|so\s+that|according|said|says|"
    r"and\s+(?:is|was|are|were|has|have|had|it|that|requires?|required|needs?|the\s+force|the\s+constabulary)\b|"
    r"in\s+(?:its|the|our|their|a|an)\s+(?:[\w-]+\s+){0,3}(?:inspection|report|assessment|review)|in\s+(?:its|the|our)\s+(?:peel|\d{4}|recent|most\s+recent)|specifically|particularly|especially|notably|in\s+particular|for\s+example|such\s+as|this\s+is|in\s+(?:19|20)\d\d|in\s+its\s+(?:latest|last|previous|most)|in\s+the\s+(?:latest|last|previous|most)|"
    r"following|when\s+(?:it|we|compared)|to\s+be\s+considered|overall|last\s+year|this\s+year)\b)",
    re.I,
)
_GRADE_NOUN = r"(?:\s+(?:grades?|gradings?|ratings?|judgments?|judgements?|performance))?"
_PAREN = r"(?:\s*\([^)]{0,90}\))?"
_PREP = (
    r"(?:at|in|for|on|in\s+respect\s+of|with\s+regard\s+to|in\s+relation\s+to|when\s+it\s+comes\s+to|"
    r"in\s+the\s+areas?\s+of|in\s+its|for\s+its|at\s+its|in\s+how|at\s+how|for\s+how|across|to\s+be\s+considered)"
)


def _lead_words() -> str:
    verbs = "|".join(sorted(set(load_vocabulary().judging_verbs), key=len, reverse=True))
    copulas = r"is|are|was|were|be|been|being|as|remains?|remained|now|also|still|both|and|but|it|to\s+be|got|get|gets|has|have|includes?|included|with"
    return rf"(?:{verbs}|{copulas})"


def _compile() -> tuple[re.Pattern[str], ...]:
    g = grade_matcher().pattern.pattern  # contains the named group "grade"
    lead = _lead_words()
    # "is good at", "judged the force to be good at", "graded 'outstanding' in", "requires improvement in"
    at = re.compile(
        rf"(?:(?P<lead>\b{lead})\s+(?:as\s+|to\s+be\s+|to\s+|being\s+|a\s+|an\s+)?|(?P<bare>(?:,|\b(?:police|constabulary|force|service|met|it|we|they|and|but|also|which|that|who))\s+(?:to\s+(?:be\s+)?|as\s+)?)){QUOTE}?{g}{QUOTE}?{_GRADE_NOUN}{_PAREN}(?:\s+overall)?\s+(?P<prep>{_PREP})\b\s*:?\s*",
        re.I,
    )
    # "… is good." / "… requires improvement." / "… is judged to be inadequate"
    tail = re.compile(
        r"(?P<verb>\s+(?:is|was|are|were|remains|has\s+been|have\s+been)"
        r"(?:\s+(?:judged|assessed|found|rated|graded|considered|deemed))?(?:\s+(?:to\s+be|as|to))?"
        r"|\s+(?=requir))"
        rf"\s*:?\s*{QUOTE}?{g}{QUOTE}?(?=\s*(?:[.,;:]|$|and\s|but\s|overall|–|-|\())",
        re.I,
    )
    # "the areas requiring improvement are …", "the 'inadequate' areas included …", "under the 'adequate' grade was: …"
    listed = re.compile(
        rf"(?:\bareas?\s+(?:requiring|that\s+require|which\s+require|needing|in\s+need\s+of)\s+(?P<ri>improvement)|{QUOTE}?{g}{QUOTE}?\s+areas?|under\s+the\s+{QUOTE}?(?P<g2>{grade_matcher().pattern.pattern.replace('?P<grade>', '')}){QUOTE}?\s+(?:grade|grading|rating|category|heading))\s+(?:are|were|was|is|included|include|includes|including|being)\s*:?\s*",
        re.I,
    )
    pillars = re.compile(
        rf"{QUOTE}?{g}{QUOTE}?{_GRADE_NOUN}\s+(?:across|in|for)\s+(?:all|each|every|the)\s+(?:of\s+the\s+)?(?:three|3)\b[^.]{{0,120}}?\(?\s*(?P<list>(?:effectiveness|efficiency|legitimacy)[^)]*?)(?:\)|\.|$)",
        re.I,
    )
    # "the grade for 'Responding to the public' was changed from 'adequate' to 'requires improvement'"
    plain = g.replace("?P<grade>", "")
    changed = re.compile(
        rf"\bgrad(?:e|ing)\s+(?:for|of|in)\s+{QUOTE}?(?P<subj>[^‘'\"“”’]{{3,90}}?){QUOTE}?\s+(?:was|were|has\s+been|had\s+been|is)\s+"
        rf"(?:changed|revised|amended|moved|lowered|raised|downgraded|upgraded|reduced|increased|improved)\s+"
        rf"from\s+{QUOTE}?(?:{plain}){QUOTE}?\s+to\s+{QUOTE}?{g}{QUOTE}?",
        re.I,
    )
    # "the PEEL legitimacy report, which graded Cheshire Constabulary as good": a grade with no subject
    # of its own, given to the pillar the sentence names
    whole = re.compile(
        rf"\b(?:graded|rated|judged|assessed|found)\s+(?:[A-Z][\w&'’-]*\s+){{1,5}}(?:as\s+|to\s+be\s+)?{QUOTE}?{g}{QUOTE}?"
        rf"(?=\s*(?:[.,;:!]|$|and\s|but\s))",
    )
    # "they rated our management of offenders as good", "graded the force's call handling as adequate"
    owned = re.compile(
        rf"\b(?:rated|graded|judged|assessed|found)\s+(?:our|its|their|the\s+(?:force|constabulary|service)[’']s|"
        rf"(?:[A-Z][\w&-]*\s+){{1,4}}(?:Police|Constabulary|Service)[’']s)\s+(?P<subj>[^.,;:]{{3,80}}?)\s+(?:as|to\s+be)\s+"
        rf"{QUOTE}?{g}{QUOTE}?",
    )
    return at, tail, listed, pillars, changed, whole, owned


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    """The sentence patterns, compiled once from the (immutable) vocabulary."""
    return _compile()


@lru_cache(maxsize=1)
def _policing() -> re.Pattern[str]:
    """Word stems that make a phrase read as a policing subject (``policing_words`` in the vocabulary)."""
    return re.compile("|".join(re.escape(w) for w in load_vocabulary().policing_words), re.I)


def clean_subject(text: str) -> str:
    """Trim a captured subject phrase to the words that name what is graded."""
    s = text.strip(" \t,:;–-•·*‘’'\"“”")
    s = re.sub(
        r"^(?:and|or|but|while|whilst|whereas|although|for|in|at|the\s+way\s+in\s+which|respect\s+of)\s+",
        "",
        s,
        flags=re.I,
    )
    s = re.sub(r"\s+(?:and|or|as\s+well)$", "", s, flags=re.I)
    s = re.sub(r"\s*\*+$", "", s)
    return s.strip(" \t,:;–-•·‘’'\"“”")


def acceptable_subject(s: str) -> bool:
    """Reject captures that do not name a policing subject ("six areas", "2019", "this area")."""
    n = norm(s)
    words = n.split()
    if not words or len(words) > 25:
        return False
    if _BAD_SUBJECT_START.match(n) or _YEARISH.match(n) or _BAD_SUBJECT_ANY.search(n):
        return False
    if len(words) == 1 and words[0] in {"it", "this", "that", "them", "all", "police", "policing", "force"}:
        return False
    if not any(len(w) >= 4 and w not in _FUNCTION_WORDS for w in words):
        return False
    vocab = load_vocabulary()
    return not (words[-1] in vocab.not_subjects and len(words) <= 3)


_PROTECT = "\u2063"  # invisible separator: stands in for a comma inside a framework name while splitting


@lru_cache(maxsize=1)
def _framework_names() -> re.Pattern[str]:
    """Every framework subject name that holds a comma or an "and", as one pattern (built once)."""
    from peelwatch.framework import load_framework

    phrases = set()
    for s in load_framework().subjects():
        for name in (s.name, s.short or "", *s.aliases):
            low = name.lower()
            if ("," in low or " and " in low) and len(name) < 120:
                words = re.findall(r"[\w']+", low.replace("anti-social", "antisocial"))
                phrases.add(
                    r"[\s,]+".join(re.escape(w).replace("antisocial", "anti-?\\s?social") for w in words)
                )
    body = "|".join(sorted(phrases, key=len, reverse=True))
    return re.compile(rf"\b(?:{body})\b", re.I)


_AND_MARK = "\u2064"  # stands in for the "a" of an "and" inside a framework name (same length)


def _protect_names(text: str) -> str:
    """Hide the commas and "and"s inside framework names ("building, supporting and protecting
    the workforce", "leadership and force management") so that list splitting passes over them."""

    def hide(m: re.Match[str]) -> str:
        return re.sub(r"(?<=\s)and(?=\s)", _AND_MARK + "nd", m.group(0).replace(",", _PROTECT))

    return _framework_names().sub(hide, text)


# "treating the public and its workforce": a pronoun after "and" continues the same object
_PRONOUN = re.compile(r"(?:its|their|his|her)\b", re.I)
_LISTY = re.compile(
    r"^(?:and\s+|or\s+)?(?:\w+ing\b|how\b|the\s+way|treat|its\s+\w+ing|good\s+use|use\s+of|service|recording|leadership|building|supporting|police\s+powers|strategic|engaging|treatment|crime|managing|protecting|preventing|investigat|respond|disrupt|tackl|develop)",
    re.I,
)


def split_subjects(text: str, known: callable) -> list[tuple[int, int]]:
    """Split a list of subjects ("A, B and C"; "A; B; and C"; "• A • B") into spans of ``text``.

    "and" splits only where both sides read as subjects of their own and the whole does not name
    one framework subject, so "reducing crime and keeping people safe" stays whole.
    """
    # "good at A and at B": a repeated preposition always starts a new subject
    repeated = re.compile(r"\s+and\s+(?=(?:at|in|for)\s)")
    if known(text) and not repeated.search(text):
        return [(0, len(text))]
    text = _protect_names(text)
    text = repeated.sub(lambda m: "," + " " * (len(m.group(0)) - 1), text)
    if "•" in text or "·" in text:
        seps = re.compile(r"\s*[•·]\s*")
    elif ";" in text:
        seps = re.compile(r"\s*;\s*(?:and\s+)?|,\s+and\s+")
    else:
        seps = re.compile(r"\s*,\s*(?:and\s+|or\s+)?")
        pieces = [p for p in seps.split(text) if p.strip()]
        listy = sum(
            1
            for p in pieces
            if known(p) or _LISTY.match(re.sub(r"^(?:and\s+)?(?:at|in|for|on)\s+", "", p.strip(), flags=re.I))
        )
        if len(pieces) > 1 and (
            listy * 2 < len(pieces) or any(len(p.split()) < 2 and not known(p) for p in pieces[:-1])
        ):
            return [(0, len(text))]
    parts: list[tuple[int, int]] = []
    pos = 0
    for m in [*seps.finditer(text), None]:
        end = m.start() if m else len(text)
        if text[pos:end].strip():
            parts.append((pos, end))
        if m:
            pos = m.end()
    out: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(parts):
        piece = text[s:e]
        # the last piece of a comma list usually holds "B and C"
        splits = list(re.finditer(r"\s+(?:and|&)\s+", piece))
        done = False
        both = None
        if _PROTECT not in piece and _AND_MARK not in piece and not known(piece):
            both = next(
                (
                    m
                    for m in reversed(splits)
                    if known(piece[: m.start()])
                    and known(piece[m.end() :])
                    and not _PRONOUN.match(piece[m.end() :])
                ),
                None,
            )
        if both is not None:
            out.append((s, s + both.start()))
            out.append((s + both.end(), e))
            continue
        if re.search(r"\b(?:which|that|who|whom|whose)\b", piece):
            splits = []  # "the legitimacy with which it keeps people safe and reduces crime": one subject
        if splits and not known(piece) and ";" not in text and (i == len(parts) - 1 or len(parts) == 1):
            for m in reversed(splits):
                left, right = piece[: m.start()], piece[m.end() :]
                if (
                    (len(left.split()) >= 2 or known(left))
                    and len(right.split()) >= 2
                    and not _PRONOUN.match(right)
                    and (known(right) or len(parts) > 1 or (_LISTY.match(right) and _LISTY.match(left)))
                ):
                    out.append((s, s + m.start()))
                    out.append((s + m.end(), e))
                    done = True
                    break
        if not done:
            out.append((s, e))
    return out


def _subject_end(ft: str, start: int) -> int:
    m = _STOP.search(ft, start)
    end = m.start() if m else len(ft)
    nxt = grade_matcher().pattern.search(ft, start, end)
    while nxt and re.match(r"\s+use\s+of\b", ft[nxt.end() :]):
        nxt = grade_matcher().pattern.search(ft, nxt.end(), end)
    if nxt:  # "good at A and outstanding at B": the next grade starts another judgment
        end = nxt.start()
        end = ft.rfind(" ", start, end) if " " in ft[start:end] else end
    return end


def _emit_list(
    sent: Sentence, ft: str, s0: int, s1: int, grade: str, known: callable
) -> Iterable[RawJudgment]:
    raw = ft[s0:s1]
    lead_trim = len(raw) - len(raw.lstrip())
    raw = raw.strip()
    base = s0 + lead_trim
    for a, b in split_subjects(raw, known):
        subject = clean_subject(raw[a:b])
        if a == 0 and _BAD_SUBJECT_START.match(norm(subject)) and b < len(raw):
            return  # "in one other, PCC …": a count, not a list of subjects
        if not acceptable_subject(subject):
            continue
        ev0 = base + a
        ev_s, ev_e = sent.flat.source_span(sent.flat_start, sent.flat_start + len(sent.text))
        sub_s, _ = sent.flat.source_span(sent.flat_start + ev0, sent.flat_start + ev0 + 1)
        yield RawJudgment(subject, grade, ev_s, ev_e, sub_s)


_DEFINITIONS = re.compile(
    r"^[ \t]*(?:annex\b[^\n]*judg|[^\n]{0,40}\bjudg(?:e)?ment\s+categories\b|[^\n]{0,40}\bgrade\s+definitions\b|"
    r"our\s+judge?ments\s*$|[^\n]{0,30}\bhow\s+we\s+(?:grade|reach\s+our\s+judge?ments))",
    re.I | re.M,
)


def definitions_start(source: str) -> int:
    """Where an annex defining the grades begins (its sentences describe grades, not the force)."""
    low = source.lower()
    if not any(w in low for w in ("annex", "categories", "definitions", "our judgment", "how we")):
        return len(source)  # cheap test first: most documents have no such annex
    m = _DEFINITIONS.search(source)
    return m.start() if m else len(source)


def sentence_judgments(sents: Iterable[Sentence], known: callable, source: str = "") -> list[RawJudgment]:
    """Apply the running-text rules to every sentence."""
    annex = definitions_start(source) if source else 1 << 62
    doc_end = len(source.rstrip()) if source else 1 << 62
    at, tail, listed, pillars, changed, whole, owned = _patterns()
    gm = grade_matcher()
    vocab = load_vocabulary()
    out: list[RawJudgment] = []
    for sent in sents:
        ft = sent.text
        low = ft.lower()
        if not gm.pattern.search(ft) and "narrative" not in low and "not graded" not in low:
            continue
        if gm.pending.search(ft):
            continue
        if sent.start >= annex:
            break
        taken: list[tuple[int, int]] = []
        for m in at.finditer(ft):
            grade = gm.grade_of(m.group("grade"))
            if not grade or grade == "ungraded":
                continue
            pre = ft[
                max(0, m.start() - 12) : m.start() + (len(m.group("lead") or m.group("bare") or ""))
            ].lower()
            if re.search(r"\bnot\b|\bn't\b|\bnever\b", pre):
                continue
            clause = ft[max(0, m.start() - 80) : m.start()].lower()
            clause = clause.split(",")[-1] if "," in clause else clause
            if _NATIONAL.search(clause) and not re.search(r"\bone\s+of\b", clause):
                continue  # national results or other forces, not this document's force
            continuation = (m.group("bare") or "").split()[:1] in (
                [","],
                ["and"],
                ["but"],
                ["also"],
                ["which"],
                ["that"],
                ["who"],
            )
            if continuation and grade != "requires improvement" and not any(s < m.start() for s, _ in taken):
                continue  # "… and good at …" continues an earlier judgment only when one precedes it
            s0 = m.end()
            colon = m.group(0).rstrip().endswith(":")
            following = re.match(r"the\s+following\b[^:.]*[:.]?", ft[s0:], re.I)
            if (colon and (s0 >= len(ft) or re.match(r"[-•·*–▪]\s", ft[s0:]))) or following:
                # the subjects are the bullet lines after this line ("rated 'good' at:" / "in the following areas:")
                line_at = sent.flat.to_source(
                    sent.flat_start + (s0 + following.end() if following else m.end()) - 1
                )
                out.extend(_bullets_after(source, line_at, grade))
                taken.append((m.start(), len(ft)))
                continue
            s1 = _subject_end(ft, s0)
            if s1 >= len(ft) and sent.end >= doc_end and not re.search(r"[.!?:;)\"'’”]$", ft):
                # the document stops mid-sentence: its last word may be cut ("good at prev")
                s1 = ft.rfind(" ", s0, s1) if ft.rfind(" ", s0, s1) > s0 else s0
            if m.group("prep").lower().startswith("to be considered"):
                s1 = (
                    s0 + len(re.match(r"[^\s.,;]+", ft[s0:] or " ").group(0))
                    if re.match(r"\S", ft[s0:])
                    else s0
                )
            if s1 <= s0:
                continue
            inc = re.match(
                rf"{_NUMBER_WORDS}(?:\s+areas?(?:\s+of\s+policing)?)?\s*(?:,?\s*(?:including|includ(?:es|ed)|namely|which\s+were)\s+|:\s*)",
                ft[s0:s1],
                re.I,
            )
            if inc:
                s0 += inc.end()
            out.extend(_emit_list(sent, ft, s0, s1, grade, known))
            taken.append((m.start(), s1))
        for m in tail.finditer(ft):
            if any(a <= m.start("grade") < b for a, b in taken):
                continue
            grade = gm.grade_of(m.group("grade"))
            if not grade or grade == "ungraded":
                continue
            subj = _subject_before(ft, m.start())
            if not subj:
                continue
            a, text = subj
            subject = clean_subject(text)
            if re.search(r"\d{1,2}/\d{1,2}/\d{2,4}|last updated|:", subject, re.I):
                continue
            if _is_force_reference(subject) and _says_overall(ft, a, m.end()):
                ev_s, ev_e = sent.flat.source_span(sent.flat_start, sent.flat_start + len(ft))
                out.append(RawJudgment("Overall", grade, ev_s, ev_e, ev_s))
                taken.append((a, m.end()))
                continue
            if not acceptable_subject(subject) or _is_force_reference(subject):
                continue
            if not (known(subject) or _policing().search(subject)) or re.search(
                r"\b(?:are|is|was|were|be)$|^i\s", subject, re.I
            ):
                continue
            ev_s, ev_e = sent.flat.source_span(sent.flat_start, sent.flat_start + len(ft))
            sub_s, _ = sent.flat.source_span(sent.flat_start + a, sent.flat_start + a + 1)
            out.append(RawJudgment(subject, grade, ev_s, ev_e, sub_s))
            taken.append((a, m.end()))
        for m in listed.finditer(ft):
            if any(a <= m.start() < b for a, b in taken):
                continue
            grade = (
                "requires improvement"
                if m.group("ri")
                else gm.grade_of(m.group("grade") or m.group("g2") or "")
            )
            if not grade:
                continue
            s0 = m.end()
            s1 = _list_end(ft, s0)
            out.extend(_emit_list(sent, ft, s0, s1, grade, known))
            taken.append((m.start(), s1))
        for m in changed.finditer(ft):
            subject = clean_subject(m.group("subj"))
            grade = gm.grade_of(m.group("grade"))
            if grade and acceptable_subject(subject):
                ev_s, ev_e = sent.flat.source_span(sent.flat_start, sent.flat_start + len(ft))
                sub_s, _ = sent.flat.source_span(
                    sent.flat_start + m.start("subj"), sent.flat_start + m.start("subj") + 1
                )
                out.append(RawJudgment(subject, grade, ev_s, ev_e, sub_s))
                taken.append((m.start(), m.end()))
        for m in owned.finditer(ft):
            if any(a <= m.start("grade") < b for a, b in taken):
                continue
            subject = clean_subject(m.group("subj"))
            grade = gm.grade_of(m.group("grade"))
            if grade and grade != "ungraded" and acceptable_subject(subject):
                ev_s, ev_e = sent.flat.source_span(sent.flat_start, sent.flat_start + len(ft))
                sub_s, _ = sent.flat.source_span(
                    sent.flat_start + m.start("subj"), sent.flat_start + m.start("subj") + 1
                )
                out.append(RawJudgment(subject, grade, ev_s, ev_e, sub_s))
                taken.append((m.start(), m.end()))
        for m in whole.finditer(ft):
            if any(a <= m.start("grade") < b for a, b in taken):
                continue
            named = set(
                re.findall(
                    r"\b(effectiveness|efficiency|legitimacy)\s+(?:report|inspection|assessment|pillar)", low
                )
            )
            grade = gm.grade_of(m.group("grade"))
            if grade and grade != "ungraded" and len(named) == 1:
                ev_s, ev_e = sent.flat.source_span(sent.flat_start, sent.flat_start + len(ft))
                out.append(RawJudgment(named.pop().capitalize(), grade, ev_s, ev_e, ev_s))
                taken.append((m.start(), m.end()))
        for m in pillars.finditer(ft):
            grade = gm.grade_of(m.group("grade"))
            ev_s, ev_e = sent.flat.source_span(sent.flat_start, sent.flat_start + len(ft))
            for word in re.findall(r"effectiveness|efficiency|legitimacy", m.group("list"), re.I):
                out.append(RawJudgment(word.capitalize(), grade, ev_s, ev_e, ev_s))
        if any(p in low for p in vocab.ungraded_statements):
            found = re.findall(r"\b(leadership|effectiveness|efficiency|legitimacy)\b", low)
            if not found and "narrative" in low:
                # "The assessment has led to a narrative rather than graded judgment" under a
                # "Leadership" heading; a vaguer "this part … is not graded" names nothing
                before = source[max(0, sent.start - 400) : sent.start].lower()
                found = re.findall(r"\b(leadership|effectiveness|efficiency|legitimacy)\b", before)[-1:]
            if found:
                ev_s, ev_e = sent.flat.source_span(sent.flat_start, sent.flat_start + len(ft))
                out.append(RawJudgment(found[0].capitalize(), "ungraded", ev_s, ev_e, ev_s))
    return out


_BULLET_LINE = re.compile(r"^[ \t]*(?:[-•·*–▪◦]|\d{1,2}[.)])[ \t]+(?P<body>\S[^\n]*)$", re.M)


def _bullets_after(source: str, pos: int, grade: str) -> list[RawJudgment]:
    """The bullet lines right after ``pos`` ("… rated 'good' at:" then "• preventing crime")."""
    out: list[RawJudgment] = []
    line_end = source.find("\n", pos)
    cursor = len(source) if line_end == -1 else line_end + 1
    while cursor < len(source) and len(out) < 20:
        nl = source.find("\n", cursor)
        end = len(source) if nl == -1 else nl
        line = source[cursor:end]
        if line.strip():
            m = _BULLET_LINE.match(line)
            if not m:
                break
            body_start = cursor + m.start("body")
            subject = clean_subject(m.group("body"))
            if acceptable_subject(subject):
                out.append(RawJudgment(subject, grade, body_start, end, body_start, explicit_subject=True))
        cursor = end + 1
    return out


def _list_end(ft: str, start: int) -> int:
    m = re.search(
        r"[.!?](?:\s|$)|\s+(?:but|although|however|while|whilst|with\s+inspectors)\b", ft[start:], re.I
    )
    return start + m.start() if m else len(ft)


_CLAUSE_START = re.compile(
    r"(?:^|[,;:]\s+|\b(?:that|whether|because|overall|however|therefore|but|and\s+that|so)\s+|\s[–—-]\s)",
    re.I,
)


def _subject_before(ft: str, end: int) -> tuple[int, str] | None:
    """The noun phrase ending at ``end``: back to the start of its clause."""
    head = ft[:end]
    starts = [m.end() for m in _CLAUSE_START.finditer(head)]
    begin = starts[-1] if starts else 0
    # "The extent to which X is effective at …, and …" keeps its commas
    ext = head.lower().rfind("the extent to which")
    if ext != -1 and ext < begin:
        begin = ext
    text = head[begin:]
    if len(text.split()) < 2:
        return None
    return begin, text


def _says_overall(ft: str, subject_start: int, grade_end: int) -> bool:
    """ "The force is good overall" / "Overall, the force is good": a grade for all of PEEL."""
    after = ft[grade_end : grade_end + 12].lower()
    before = ft[max(0, subject_start - 12) : subject_start].lower()
    return bool(re.match(r"\s*overall\s*(?:[.,;:!]|$)", after) or re.search(r"\boverall,?\s*$", before))


def _is_force_reference(subject: str) -> bool:
    n = norm(subject)
    if re.fullmatch(
        r"(?:the\s+)?(?:force|constabulary|service|police|it|they|we|this|that|there|overall)", n
    ):
        return True
    return bool(re.fullmatch(r"[a-z' \-]+ (?:police|constabulary|police service)", n)) and len(n.split()) <= 5
