"""The words findings and responses are recognised by, compiled once from the vocabulary.

Every pattern here is built from a list in ``framework/data/vocabulary.yaml``; the rules in
``blocks.py``, ``findings.py`` and ``responses.py`` only ask questions of them ("does this line
name a type of finding?", "who is this speaker?").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from peelwatch.extract._lazy import lazy_compile
from peelwatch.framework.vocabulary import load_vocabulary

# A force named by its own words: "Kent Police", "Devon and Cornwall Police", "Thames Valley Police".
_FORCE_NAME = r"(?-i:[A-Z][\w&'’-]*(?:\s+(?:and\s+|of\s+|the\s+)?[A-Z][\w&'’-]*){0,3}\s+(?:Police|Constabulary)(?:\s+Service)?)"
_FORCE_LINE = lazy_compile(rf"^{_FORCE_NAME}$")
_FIRST_WORD = lazy_compile(r"[#*\s]*([\w'’]+)")
# Under re.IGNORECASE these four also match ASCII letters ("ſ" matches "s"): a quick test for a
# word in lower-cased text folds them first, so that it never misses what a pattern would find.
_CASE_EXTRA = str.maketrans("İıſK", "iisk")
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def lowered(text: str) -> str:
    """``text`` lower-cased for a quick substring test standing before a case-blind pattern."""
    if not text.isascii() and ("İ" in text or "ı" in text or "ſ" in text or "K" in text):
        text = text.translate(_CASE_EXTRA)
    return text.lower()


def phrase_pattern(phrases: Iterable[str]) -> str:
    """One alternation of whole-word phrases, longest first; spaces match any white space and
    an apostrophe matches either kind: ``["pcc response"]`` matches "PCC\\nresponse"."""
    parts = []
    # Ties in length go alphabetically, so that the pattern is the same in every process (a
    # set's order changes with the hash seed) and its compiled form can be kept (see _lazy).
    ordered = sorted({p.lower() for p in phrases}, key=lambda p: (-len(p), p))
    for p in ordered:
        body = re.sub("['’]", "['’]", re.escape(p.replace("’", "'")).replace(r"\ ", r"\s+"))
        parts.append(body.replace("\\{force\\}", _FORCE_NAME).replace("{force}", _FORCE_NAME))
    # The regular expression engine tries every phrase at each word start; a look at the first
    # letter first turns away most words at once (it matches what the phrases' own first letters
    # match, case-blind or not). Only where every phrase starts with a plain letter or digit.
    firsts = {p[:1] for p in ordered}
    ahead = f"(?=[{''.join(sorted(firsts))}])" if firsts and firsts <= _PLAIN else ""
    return r"\b" + ahead + r"(?:" + "|".join(parts) + r")(?!\w)"


def required_word(phrase: str) -> str:
    """The longest run of characters a match of ``phrase`` (as :func:`phrase_pattern` builds it)
    must hold, lower-cased: what a quick substring test looks for."""
    return max(re.split(r"\{force\}|['’\s]+", phrase.lower()), key=len)


def required_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """One word of each phrase that a match of it must hold (see :func:`required_word`), without
    words that hold a shorter one: the text holds none of them, the pattern cannot match."""
    words = sorted({required_word(p) for p in phrases}, key=len)
    kept: list[str] = []
    for w in words:
        if not any(k in w for k in kept):
            kept.append(w)
    return tuple(kept)


def words_test(phrases: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding any of the :func:`required_words` of ``phrases`` in lower-cased text (see
    :func:`lowered`): where it finds none, the phrases' own pattern cannot match. Case-sensitive
    and without word boundaries, it is much quicker than that pattern."""
    return lazy_compile("|".join(re.escape(w) for w in required_words(phrases)))


def any_in(words: re.Pattern[str], low: str) -> bool:
    """Whether lower-cased text ``low`` (see :func:`lowered`) holds any of the words ``words``
    (a :func:`words_test`) looks for."""
    return words.search(low) is not None


def fold(text: str) -> str:
    """Lower case, one space between words, straight apostrophes: the key of a vocabulary phrase."""
    return " ".join(text.lower().replace("’", "'").split())


@dataclass(frozen=True, slots=True)
class Cues:
    """Compiled vocabulary of the finding and response rules (see :func:`cues`)."""

    type_word: re.Pattern[str]
    type_of: dict[str, str]
    negation_before: re.Pattern[str]
    label: re.Pattern[str]
    label_anywhere: re.Pattern[str]
    label_type: dict[str, str]
    demand: re.Pattern[str]
    demand_anywhere: re.Pattern[str]
    modal: re.Pattern[str]
    imperative: re.Pattern[str]
    deadline: re.Pattern[str]
    concern_phrase: re.Pattern[str]
    concern_verdict: re.Pattern[str]
    recommends: re.Pattern[str]
    appositive: re.Pattern[str]
    meeting_request: re.Pattern[str]
    fire_service: re.Pattern[str]
    status: re.Pattern[str]
    response_heading: re.Pattern[str]
    response_by: dict[str, str]
    responder: re.Pattern[str]
    responder_by: dict[str, str]
    reply: re.Pattern[str]
    quoting_verbs: frozenset[str]
    author_voice: re.Pattern[str]
    answer_opener: re.Pattern[str]
    inspectorate_voice: re.Pattern[str]
    inspectorate_subject: re.Pattern[str]
    heading_first_words: frozenset[str]
    heading_first_letters: frozenset[str]
    reply_verb_words: re.Pattern[str]  # finds a word every sentence ``reply`` matches holds
    concern_words: re.Pattern[str]  # ... that ``concern_phrase`` matches
    meeting_words: re.Pattern[str]  # ... that ``meeting_request`` matches
    type_words: re.Pattern[str]  # ... that ``type_word`` matches
    heading_topic: re.Pattern[str]
    titled_reply: re.Pattern[str]
    back_reference: re.Pattern[str]
    escalation: re.Pattern[str]
    escalation_reason: re.Pattern[str]
    escalation_exit: re.Pattern[str]

    def may_open_heading(self, text: str) -> bool:
        """A cheap first test: whether ``text`` starts with the first word of a label or a
        response heading ("AFI", "PCC", "Response" …)."""
        first = text[:1]
        # when the word starts at once, its first letter decides most lines without the pattern
        if (
            first
            and first not in "#*"
            and not first.isspace()
            and first.lower()[:1].replace("’", "'") not in self.heading_first_letters
        ):
            return False
        m = _FIRST_WORD.match(text)
        return bool(m) and m.group(1).lower().replace("’", "'") in self.heading_first_words

    def concern_in(self, text: str) -> re.Match[str] | None:
        """``concern_phrase.search(text)``, not run when no word of the phrases is in ``text``."""
        return self.concern_phrase.search(text) if any_in(self.concern_words, lowered(text)) else None

    def meeting_request_in(self, text: str) -> re.Match[str] | None:
        """``meeting_request.search(text)``, not run when no word of the phrases is in ``text``."""
        return self.meeting_request.search(text) if any_in(self.meeting_words, lowered(text)) else None

    def names_type(self, text: str) -> bool:
        """Whether ``text`` may name a type of finding (a quick test before ``type_word``)."""
        return any_in(self.type_words, lowered(text))

    def label_at(self, text: str) -> re.Match[str] | None:
        """A numbering label at the start of ``text``: "AFI 1:", "Recommendation 2 –"."""
        return self.label.match(text) if self.may_open_heading(text) else None

    def response_heading_at(self, text: str) -> re.Match[str] | None:
        """A response heading at the start of ``text``: "PCC response", "Update:"."""
        return self.response_heading.match(text) if self.may_open_heading(text) else None


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The patterns, built once from the vocabulary."""
    v = load_vocabulary()
    type_of = {fold(w): t for t, ws in v.finding_type_words.items() for w in ws}
    label_type = {fold(w): t for t, ws in v.finding_labels.items() for w in ws}
    labels = phrase_pattern(label_type)
    num = r"(?:no\.?\s*)?(?P<num>\d{1,2}[a-z]?|[ivx]{1,4})(?!\w|\.\d)"
    subjects = phrase_pattern(v.finding_subjects)
    modals = phrase_pattern(v.finding_modals)
    deadline = (
        phrase_pattern(v.deadline_words) + r"\s+(?:[\w,]+\s+){0,4}?(?:days?|weeks?|months?|years?|\d{4})\b"
    )
    # "The force should", "Within three months, the force should", "Kent Police also needs to"
    demand_body = rf"(?:{deadline},?\s+)?{subjects}(?:\s+[\w’',-]+){{0,6}}?\s+{modals}"
    response_by = {fold(h): by for by, hs in v.response_headings.items() for h in hs}
    responder_by = {fold(h): by for by, hs in v.responder_titles.items() for h in hs}
    responders = phrase_pattern(responder_by)
    recommenders = phrase_pattern(v.recommenders)
    return Cues(
        type_word=lazy_compile(phrase_pattern(type_of), re.I),
        type_of=type_of,
        negation_before=lazy_compile(phrase_pattern(v.finding_negations) + r"(?:\s+\S+){0,4}\s*$", re.I),
        label=lazy_compile(
            rf"^(?P<label>{labels})(?:\s*\([A-Za-z]{{2,6}}\))?\s*{num}\s*(?:[:.)–—-]\s*|$)", re.I
        ),
        label_anywhere=lazy_compile(rf"(?P<label>{labels})(?:\s*\([A-Za-z]{{2,6}}\))?\s*{num}", re.I),
        label_type=label_type,
        demand=lazy_compile(rf"^{demand_body}", re.I),
        demand_anywhere=lazy_compile(demand_body, re.I),
        modal=lazy_compile(modals, re.I),
        imperative=lazy_compile(r"^" + phrase_pattern(v.finding_imperatives), re.I),
        deadline=lazy_compile(deadline, re.I),
        concern_phrase=lazy_compile(phrase_pattern(v.concern_phrases), re.I),
        concern_verdict=lazy_compile(
            phrase_pattern(v.concern_verbs)
            + r"\s+(?:a\s+|one\s+of\s+the\s+)?(?:serious\s+|significant\s+|particular\s+)?causes?\s+of\s+concern\b",
            re.I,
        ),
        recommends=lazy_compile(
            rf"{recommenders}\s+{phrase_pattern(v.recommend_verbs)}\s+(?:that\b|to\b|the\s+force\b|all\s+forces\b|forces\b|:)",
            re.I,
        ),
        appositive=lazy_compile(
            rf"(?P<label>{labels})\s*{num}(?:,\s*(?P<app>{phrase_pattern(v.finding_appositives)}[^,;.]{{5,200}}),"
            rf"|\s+[–—-]\s+(?P<clause>.{{12,}}))",
            re.I,
        ),
        meeting_request=lazy_compile(phrase_pattern(v.meeting_requests), re.I),
        fire_service=lazy_compile(phrase_pattern(v.fire_services), re.I),
        status=lazy_compile(r"^" + phrase_pattern(v.tracker_statuses) + r"\.?$", re.I),
        response_heading=lazy_compile(
            r"^(?:#+\s*)?(?P<h>" + phrase_pattern(response_by) + r")(?:\s+(?:to|on|from)\s+[\w’' ]{1,40}?)?"
            r"\s*(?:$|[:–—-]\s*(?P<rest>.*)$)",
            re.I,
        ),
        response_by=response_by,
        responder=lazy_compile(responders, re.I),
        responder_by=responder_by,
        reply=lazy_compile(
            rf"(?P<who>{responders})(?:,?\s+(?-i:[A-Z])[\w'’.-]*){{0,4}},?\s+(?:had\s+|has\s+|also\s+|then\s+|further\s+)?"
            + "(?P<verb>"
            + phrase_pattern(v.reply_verbs)
            + ")",
            re.I,
        ),
        quoting_verbs=frozenset(fold(w) for w in v.quoting_verbs),
        author_voice=lazy_compile(phrase_pattern(v.author_voice), re.I),
        answer_opener=lazy_compile(r"^(?:[“\"']\s*)?" + phrase_pattern(v.answer_openers), re.I),
        inspectorate_voice=lazy_compile(phrase_pattern(v.inspectorate_voice), re.I),
        inspectorate_subject=lazy_compile(
            r"^(?:[“\"‘]\s*)?(?:in\s+\w+\s+\d{4},?\s+)?" + phrase_pattern(v.inspectorate_names), re.I
        ),
        heading_first_words=frozenset(p.split()[0].replace("’", "'") for p in (*label_type, *response_by)),
        heading_first_letters=frozenset(p.replace("’", "'")[0] for p in (*label_type, *response_by)),
        reply_verb_words=words_test(v.reply_verbs),
        concern_words=words_test(v.concern_phrases),
        meeting_words=words_test(v.meeting_requests),
        type_words=words_test(type_of),
        titled_reply=lazy_compile(
            r"^(?:the\s+)?(?P<who>(?-i:[A-Z][\w'’-]*)(?:\s+(?:of\s+|for\s+|and\s+)?(?-i:[A-Z][\w'’-]*)){0,5}),?\s+"
            r"(?:had\s+|has\s+|also\s+|then\s+|further\s+)?(?P<verb>" + phrase_pattern(v.reply_verbs) + ")",
            re.I,
        ),
        heading_topic=lazy_compile(
            phrase_pattern(v.finding_heading_topics) + r"\s*(?:an?\s+|the\s+)?$", re.I
        ),
        back_reference=lazy_compile(phrase_pattern(v.finding_back_references), re.I),
        escalation=lazy_compile(phrase_pattern(v.escalation_phrases), re.I),
        escalation_reason=lazy_compile(phrase_pattern(v.escalation_reasons), re.I),
        escalation_exit=lazy_compile(phrase_pattern(v.escalation_exits), re.I),
    )


def is_force_line(text: str) -> bool:
    """A line that is only a force's name: the "directed at" cell of a tracker ("Kent Police")."""
    # (the name ends in one of these words, in this case)
    return ("Police" in text or "Constabulary" in text) and bool(_FORCE_LINE.match(text))


def types_named(text: str) -> list[tuple[int, int, str]]:
    """Each type word in ``text`` that is not negated, with its span and type.

    "we identified no causes of concern but two areas for improvement" names only
    ``area_for_improvement``: the words just before "causes of concern" say there were none.
    """
    c = cues()
    out: list[tuple[int, int, str]] = []
    if not c.names_type(text):
        return out
    for m in c.type_word.finditer(text):
        if m.start() and c.negation_before.search(text[max(0, m.start() - 48) : m.start()]):
            continue
        out.append((m.start(), m.end(), c.type_of[fold(m.group(0))]))
    return out


def is_plural(phrase: str) -> bool:
    """Whether a type word names several: "causes of concern", "AFIs" (a word ending in s)."""
    return any(w.endswith("s") for w in fold(phrase).split())


def last_type_named(text: str) -> str | None:
    """The type the words nearest the end of ``text`` name: in "our cause of concern had two
    accompanying recommendations:" the list that follows is of recommendations."""
    named = types_named(text)
    return named[-1][2] if named else None


def title_by(title: str, force: str | None = None) -> str | None:
    """Who a title speaks for: "Assistant Commissioner" is the force, "Deputy Mayor" the policing
    body; a bare "Commissioner" is the force's own head in a force led by one (the Met)."""
    key = fold(title)
    by = cues().responder_by.get(key)
    if by == "pcc" and key == "commissioner" and force in load_vocabulary().commissioner_led_forces:
        return "force"
    return by


def speaker_by(text: str, force: str | None = None) -> str | None:
    """Who the first title in ``text`` speaks for (see :func:`title_by`)."""
    m = cues().responder.search(text)
    return title_by(m.group(0), force) if m else None


_FIRST_SENTENCE = lazy_compile(r"(?<=[.!?])[’”\"']?\s+(?=[A-Z“\"‘])")


def first_sentence(text: str) -> str:
    """The words of ``text`` up to its first full stop followed by a capital."""
    m = _FIRST_SENTENCE.search(text)
    return text[: m.start()] if m else text


def in_author_voice(text: str) -> bool:
    """A paragraph that opens in its author's own voice: "I am pleased …", "We have …", "Work is
    already under way …", and not in the inspectorate's ("We found …", "During our inspection …")
    nor introducing findings ("We made these recommendations:")."""
    c = cues()
    first = first_sentence(text)
    if c.inspectorate_voice.search(first) or c.inspectorate_subject.match(first):
        return False
    if c.type_word.search(first) and first.rstrip().endswith(":"):
        return False
    return bool(c.answer_opener.match(first) or c.author_voice.search(first))


def reports_inspectorate(text: str) -> bool:
    """A paragraph that repeats or reports the inspectorate: a quotation, "We found …", "The
    inspectorate revisited the force …"."""
    c = cues()
    return text.startswith(("“", '"', "‘")) or bool(
        c.inspectorate_voice.search(text[:200]) or c.inspectorate_subject.match(text)
    )
