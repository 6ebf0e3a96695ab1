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

from peelwatch.extract._lazy import lazy_compile
from peelwatch.framework.vocabulary import KindEvidence, load_vocabulary

KINDS = ("inspection_report", "pcc_response", "force_statement", "news", "other")
SCAN_CHARS = 10000  # the voice of a document shows in its opening pages
_MAX_COUNT = 3  # a cue repeated more often says nothing new

_QUOTED = lazy_compile(r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)", re.M)
# the end of the sentence before a "said": a full stop after a word, not after an initial ("A. Person")
_CLAUSE_END = lazy_compile(r"(?<=[a-z0-9]{2})[.!?]\s|\n")
_SPEECH = lazy_compile(
    r"\b(?:said|says|added|told|stated|commented)\b"
    # a verb that introduces the quotation after its colon: "has responded to these concerns:"
    r"|\b(?:responded|responds|reacted|replied)\b(?=[^.:\n]{0,60}:)"
)


# How sure the decision is. A kind is decided with confidence when it clearly outweighs every
# other kind and rests on more than a phrase or two: several distinct cues, or two cues in a text
# long enough for its voice to show, or a signed letter. A one-line note saying "we found" is a
# guess, whatever it says.
CONFIDENT_CUES = 3  # distinct cues (phrases, patterns, a signature) for the kind
CONFIDENT_WORDS = 150  # a text this long shows its voice: two distinct cues suffice
CONFIDENT_MARGIN = 2.0  # the winner's evidence at least twice the runner-up's
SIGNED = "letter signed"  # a letter signed by its author decides on its own
HIGH, LOW = "high", "low"


@dataclass(frozen=True, slots=True)
class KindDecision:
    kind: str
    reason: str
    scores: dict[str, float]
    # "high" or "low", then why: "high: 3 groups of cues, 14 against 2"
    confidence: str = f"{LOW}: no evidence"

    @property
    def confident(self) -> bool:
        """Whether the kind was decided with confidence (see :func:`is_confident`)."""
        return is_confident(self.confidence)


def is_confident(confidence: str | None) -> bool:
    """Whether a confidence note (``KindDecision.confidence``, kept as the ``kind_confidence``
    reason of an extraction) says the kind was decided with confidence.

    >>> is_confident("high: 3 groups of cues, 14 against 2"), is_confident("low: one cue"), is_confident(None)
    (True, False, False)
    """
    return (confidence or "").split(":", 1)[0].strip() == HIGH


def confidence_of(evidence: list[Evidence], kind: str, scores: dict[str, float], words: int) -> str:
    """How sure a decision for ``kind`` is: "high" or "low", then the counts that decided it.

    ``words`` is the length of the text read, in words.

    >>> confidence_of([Evidence("inspection_report", "voice", 4.0, ("'we found'",))], "inspection_report", {"inspection_report": 4.0}, 12)
    'low: 1 distinct cue in 12 words, 4 against 0'
    """
    own = [e for e in evidence if e.kind == kind and e.weight > 0]
    cues = sum(len(e.seen) for e in own)
    best = scores.get(kind, 0.0)
    runner = max([0.0, *(v for k, v in scores.items() if k != kind)])
    enough = (
        cues >= CONFIDENT_CUES
        or (cues >= 2 and words >= CONFIDENT_WORDS)
        or any(e.what == SIGNED for e in own)
    )
    clear = best > 0 and best >= CONFIDENT_MARGIN * runner
    note = f"{cues} distinct cue{'s' if cues != 1 else ''} in {words} words, {best:g} against {runner:g}"
    return f"{HIGH if enough and clear else LOW}: {note}"


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


@lru_cache(maxsize=1)
def _cue_groups() -> tuple[tuple[KindEvidence, tuple[bytes, ...], tuple[tuple[str, int], ...]], ...]:
    """Each group of cues with every cue as counted (one kind of apostrophe, a line start's after
    a newline; in UTF-8, see :func:`_cue_evidence`) and as quoted in the explanation with its
    weight, worked out once rather than for every document."""
    out = []
    for group in load_vocabulary().kind_evidence:
        lead = "\n" if group.view == "line_start" else ""
        counted = tuple((lead + phrase.replace("’", "'")).encode() for phrase, _ in group.cues)
        quoted = tuple((f"'{phrase.strip()}'", weight) for phrase, weight in group.cues)
        out.append((group, counted, quoted))
    return tuple(out)


def _cue_evidence(author: str, anywhere: str) -> list[Evidence]:
    """The evidence of every group of cues with a hit."""
    out = []
    line_starts = "\n".join(line.lstrip(" \t•-*·#") for line in anywhere.split("\n"))
    views = {"author": author, "line_start": line_starts}
    # Each cue is counted in the text of its view: two hundred counts of which a few find
    # anything. Counted in the UTF-8 bytes, which give the same counts (a character's encoding
    # never starts inside another's), a text holding one dash or curly quote no longer makes
    # each count first widen the cue to the text's width.
    encoded: dict[str, bytes] = {}
    for group, counted, quoted in _cue_groups():
        haystack = encoded.get(group.view)
        if haystack is None:
            haystack = encoded[group.view] = views.get(group.view, anywhere).encode("utf-8", "surrogatepass")
        counts = list(map(haystack.count, counted))
        if not any(counts):
            continue
        total = 0.0
        seen = []
        for n, (cue, weight) in zip(counts, quoted, strict=True):
            if n:
                n = min(n, _MAX_COUNT)  # a cue repeated more often says nothing new
                total += weight * n
                seen.append(cue + (f" ×{n}" if n > 1 else ""))
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
    # a short letter is read once: its last lines are its first lines again
    for part in (text[:3000], text[-1500:]) if len(text) > 1500 else (text,):
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


@lru_cache(maxsize=4096)  # signature blocks, labels and mastheads come again
def _signatory(line: str) -> str | None:
    """The kind of document a job title standing alone on a line signs for, if it is one."""
    low = line.lower().replace("’", "'")
    if not line or len(line.split()) > 12 or line.endswith((".", ":")) or _SPEECH.search(low):
        return None
    if low.startswith(("office of", "the office of")):
        return None  # the publisher's masthead ("Office of the Police and Crime Commissioner for Kent")
    for kind, names, inside in _signatory_forms():
        if low.endswith(names) or any(form in low for form in inside):
            return kind
    return None


@lru_cache(maxsize=1)
def _signatory_forms() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """For each kind, its signatory titles and the forms they take inside a line ("… for Kent",
    "…, Kent"), spelt out once rather than for every line."""
    return tuple(
        (kind, names, tuple(form for n in names for form in (f"{n} for ", f"{n},")))
        for kind, names in load_vocabulary().signatory_titles.items()
    )


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
        # the role word ending nearest the verb; of two ending together the longer ("deputy
        # commissioner" is the Met's, "commissioner" alone a policing body's)
        best: tuple[int, int, str] | None = None
        for role, words in roles.items():
            for w in words:
                at = window.rfind(w)
                if at != -1 and (best is None or (at + len(w), len(w)) > best[:2]):
                    best = (at + len(w), len(w), role)
        if best is None:
            best = next(
                (
                    (-1, 0, role)
                    for role, words in roles.items()
                    for w in words
                    if re.search(rf"\b{re.escape(w.strip())}\b", after)
                ),
                None,
            )
        if best:
            out[best[2]] += 1
    return out


_SIDE_KIND = {"inspectorate": "inspection_report", "pcc": "pcc_response", "force": "force_statement"}


def _quoted_evidence(quoted: Counter[str], evidence: list[Evidence]) -> list[Evidence]:
    """Whose words the document quotes. One side quoted is that side's statement; several sides
    quoted on one side's own site (a commissioner's bulletin quoting the commissioner and the chief
    constable) is that side's statement; several sides quoted by a document with no voice or site
    of its own is a third party reporting them."""
    publishers = {e.kind for e in evidence if e.publisher}
    # a side the text shows is not writing it ("Peel", never the inspectorate's spelling)
    denied = {e.kind for e in evidence if e.weight < 0}
    sides = [s for s in quoted if s in _SIDE_KIND and _SIDE_KIND[s] not in denied]
    own = [s for s in sides if _SIDE_KIND[s] in publishers]
    if len(quoted) == 1 and sides:
        own = sides
    if len(quoted) == 1 and not sides and any(_SIDE_KIND.get(s) in denied for s in quoted):
        side, n = next(iter(quoted.items()))
        return [Evidence("news", "reports what others said", 2.0 * min(n, 3), (f"quotes the {side}",))]
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


_SITE_SEPARATOR = lazy_compile(r"\s(?:\||-|–|—|::)\s")
_BODY_SITE = (
    "police and crime commissioner",
    "fire and crime commissioner",
    "opcc",
    "pcc",
    "pfcc",
    "mayor's office for policing",
    "police authority",
)


def site_evidence(title: str | None, site: str | None = None) -> list[Evidence]:
    """Who publishes the page, from the site's name (``site``: the reader's ``Document.site``) or,
    failing that, the site part of its title ("News | Nottinghamshire Police", "… - HMICFRS"): the
    inspectorate's site speaks for the inspectorate, a force's for the force, and a policing body's
    names its publisher.

    >>> [e.kind for e in site_evidence(None, "Nottinghamshire Police")]
    ['force_statement']
    """
    if site:
        names = [site]
    elif title and len(parts := _SITE_SEPARATOR.split(title)) >= 2:
        names = [parts[-1], parts[0]]
    else:
        return []
    from peelwatch.framework import load_framework

    for name in names:
        low = name.lower().strip().replace("’", "'")
        if low in {"hmicfrs", "hmic"} or "inspectorate of constabulary" in low:
            return [Evidence("inspection_report", "the inspectorate's site", 4.0, (f"'{name.strip()}'",))]
        if any(re.search(rf"\b{re.escape(b)}\b", low) for b in _BODY_SITE):
            return [
                Evidence("pcc_response", "policing body's site", 3.0, (f"'{name.strip()}'",), publisher=True)
            ]
        force = load_framework().find_force(name.strip())
        if force is not None:
            return [Evidence("force_statement", "force's site", 3.0, (f"'{name.strip()}'",), publisher=True)]
    return []


_HEADLINE_SEPARATORS = lazy_compile(r"\s[-–—|:]\s|:\s")


def headline_evidence(headline: str | None) -> list[Evidence]:
    """Whose response or statement a title says the document is: "Met response to HMIC PEEL
    assessment", "Chief's statement following …", "PCC responds to …", "Response of the Police and
    Crime Commissioner to …". The words before the speech act (after any "Topic – ") name the
    speaker (``headline_speakers``).

    >>> [e.kind for e in headline_evidence("Chief’s statement following the publication of our report")]
    ['force_statement']
    >>> headline_evidence("PEEL: Police Effectiveness 2016 - Lord A. Person responds")
    []
    """
    if not headline:
        return []
    words = _headline_words()
    low = headline.lower().replace("’", "'")
    for act in words.acts:
        m = act.search(low)
        if m is None:
            continue
        subject = _HEADLINE_SEPARATORS.split(low[: m.start()])[-1]
        if not subject.strip():  # "Response of the Commissioner to …"
            of = _SPEAKER_AFTER.match(low[m.end() :])
            subject = of.group(1) if of else ""
        if not subject.strip() or len(subject.split()) > 8:
            continue
        if words.not_speakers.search(subject):
            return []
        for kind, speakers in words.speakers:
            said = next((w for w in speakers if w.search(subject)), None)
            if said:
                return [
                    Evidence(
                        kind, "the title names the speaker", 3.0, (f"'{headline.strip()[:60]}'",), voice=True
                    )
                ]
        return []
    return []


_SPEAKER_AFTER = lazy_compile(r"\s+(?:of|from|by)\s+(.*?)(?:\bto\b|\bon\b|:|$)")


@dataclass(frozen=True, slots=True)
class _HeadlineWords:
    acts: tuple[re.Pattern[str], ...]  # each speech act as a whole word, in the vocabulary's order
    not_speakers: re.Pattern[str]  # any of the words that say whose response it is not
    speakers: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]  # each kind's speakers


@lru_cache(maxsize=1)
def _headline_words() -> _HeadlineWords:
    """The headline vocabulary as whole-word patterns, built once (compiled when first used)."""
    vocab = load_vocabulary()
    return _HeadlineWords(
        tuple(lazy_compile(rf"\b{act}\b") for act in vocab.headline_speech_acts),
        # one word of several found: the same answer as asking for each in turn
        lazy_compile("|".join(rf"\b{re.escape(w)}\b" for w in vocab.headline_not_speakers) or r"(?!)"),
        tuple(
            (kind, tuple(lazy_compile(rf"\b{re.escape(w)}\b") for w in words))
            for kind, words in vocab.headline_speakers.items()
        ),
    )


def _commissioner_in_third_person(author: str, evidence: list[Evidence]) -> list[Evidence]:
    """A policing body's own page speaking of its commissioner in the third person ("The PCC has
    sought assurance …", "The Police and Crime Commissioner (PCC) shares …"): the body's voice,
    when its site is named by at least two cues (one abbreviation is also a newspaper's)."""
    site = [e for e in evidence if e.publisher and e.kind == "pcc_response"]
    if not site or sum(len(e.seen) for e in site) < 2:
        return []
    vocab = load_vocabulary()
    verbs = set(vocab.third_person_verbs)
    n = 0
    for subject in sorted(vocab.commissioner_third_person, key=len, reverse=True):
        at = author.find(subject + " ")
        while at != -1:
            end = at + len(subject) + 1
            nxt = author[end : end + 20].split(" ", 1)[0].strip(",.")
            if nxt in verbs and not (at and author[at - 1].isalnum()):
                n += 1
            at = author.find(subject + " ", end)
    if not n:
        return []
    return [
        Evidence(
            "pcc_response",
            "the commissioner spoken of on its own site",
            2.0 * min(n, 3),
            (f"{n} time{'s' if n > 1 else ''}",),
            voice=True,
        )
    ]


def decide_kind(
    text: str, title: str | None = None, site: str | None = None, headline: str | None = None
) -> KindDecision:
    """inspection_report, pcc_response, force_statement, news or other, and why.

    ``title`` is the file's own title (HTML, PDF, DOCX), ``site`` the publisher an HTML page names,
    ``headline`` the title chosen for the document (a plain text's first title-like line).

    >>> decide_kind("Between May and June we inspected Kent Police. We found that it is good.").kind
    'inspection_report'
    >>> decide_kind("The village fete raised money for the church roof.").kind
    'other'
    """
    head = text[:SCAN_CHARS]
    anywhere = "\n" + head.lower().replace("’", "'")
    vocab = load_vocabulary()
    about = anywhere + "\n" + (title or "").lower() + "\n" + (site or "").lower()
    if not any(word in about for word in vocab.inspection_topic):
        # nothing to weigh: sure that it is no inspection document of any side
        return KindDecision("other", "nothing about a police inspection", {}, f"{HIGH}: no inspection topic")
    author = author_text(head)
    author = author_text(_first_line(head)) + "\n" + author  # the headline speaks twice
    evidence = _cue_evidence(author, anywhere) + _pattern_evidence(head[:2000]) + site_evidence(title, site)
    evidence += headline_evidence(headline)
    signed = signed_by(text)
    if signed:
        evidence.append(Evidence(signed[0], SIGNED, 8.0, (f"'{signed[1]}'",), voice=True))
    evidence += _commissioner_in_third_person(author, evidence)
    evidence += _quoted_evidence(speakers(author), evidence)
    scores: dict[str, float] = defaultdict(float)
    for e in evidence:
        scores[e.kind] += e.weight
    if not any(v > 0 for v in scores.values()):
        return KindDecision(
            "other",
            "no voice of its own: neither the inspectorate's, a commissioner's, a force's nor a reporter's",
            dict(scores),
            f"{LOW}: no cue of any side",
        )
    best = max(KINDS, key=lambda k: scores.get(k, 0.0))
    parts = sorted((e for e in evidence if e.kind == best), key=lambda e: -e.weight)
    reason = "; ".join(e.describe() for e in parts[:3])
    runner = sorted(((v, k) for k, v in scores.items() if k != best), reverse=True)
    if best == "pcc_response" and all(e.publisher for e in parts):
        # the policing body's own site, but nobody speaks: a page that lists or summarises reports
        # (a force's own site speaks for the force even in the third person: its statement),
        # unless another voice is heard (a magazine naming the commissioner's office)
        voiced = [(v, k) for v, k in runner if v > 0 and k != "other"]
        if not voiced:
            return KindDecision(
                "other",
                f"published on its site ({reason}) but no voice of its own",
                dict(scores),
                f"{LOW}: a publisher named, no voice",
            )
        best = voiced[0][1]
        parts = sorted((e for e in evidence if e.kind == best), key=lambda e: -e.weight)
        reason = "; ".join(e.describe() for e in parts[:3]) + f" (a policing body only named: {reason})"
        return KindDecision(
            best, reason, dict(scores), confidence_of(evidence, best, scores, len(head.split()))
        )
    if runner:
        reason += f" (against {runner[0][1]} {runner[0][0]:g})"
    return KindDecision(best, reason, dict(scores), confidence_of(evidence, best, scores, len(head.split())))
