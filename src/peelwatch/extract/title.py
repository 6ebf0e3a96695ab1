"""A document's title: a real one, never the site's furniture ("Skip to content", "Text only").

The reader's title (an HTML ``<title>`` or first heading, a DOCX core title, PDF metadata) is used
when it is not boilerplate and the document is not plain text (a text file's "title" is only its
first line). Otherwise the title is the line near the top that reads most like the title of a
document about an inspection: a short line naming PEEL, a report, an inspection or a force, not
a label, date, phone number or widget. Failing everything, the file name. The boilerplate forms
are data (``title_boilerplate`` in the vocabulary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.dates import find_dates
from peelwatch.framework.vocabulary import load_vocabulary

_CANDIDATE_LINES = 25  # the title stands among the first lines
_MAX_TITLE_WORDS = 30
_TITLE_WORDS = 25  # a longer line is a sentence of the text
_BODY_LINES = 2  # after two sentences of running text the title has been passed
_MAX_TITLE_CHARS = 200
# " date 2021-11-24 Northamptonshire Police praised …": a date label glued to the first line
_LEADING_DATE_LABEL = lazy_compile(
    r"^\s*(?:date|published|posted)\s*:?\s*(?:\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{4})\s+", re.I
)
_FOOTNOTE = lazy_compile(r"(?<=[a-z])\d{1,2}$")  # "Overall judgment1"
_NOT_WORDS = lazy_compile(r"[^a-z0-9&' ]+")
_PHONE = lazy_compile(r"^[+\d][\d ()-]{6,}$")
_WEB = lazy_compile(r"(?:https?://|www\.|@[a-z0-9-]+\.[a-z])", re.I)
_GRADE_ROW = lazy_compile(
    r"(?:\s?[-–:|]\s*|\t)(?:outstanding|good|adequate|requires? improvement|inadequate)\s*\*?$", re.I
)
_SENTENCE_END = lazy_compile(r"(?<=[a-z0-9’”\"')])[.!?](?=\s+[A-Z‘“\"'])")
_CRUMBS = lazy_compile(r"\s[>»›]\s")  # "Home > News > Policing"


@dataclass(frozen=True, slots=True)
class TitleChoice:
    title: str | None
    reason: str


def boilerplate_key(line: str) -> str:
    """The line as compared with the boilerplate lists: lower case, words only, no footnote mark.

    >>> boilerplate_key("Overall judgment1")
    'overall judgment'
    """
    text = line.strip()
    if text[-1:].isdecimal():  # the footnote pattern ends in a digit: most lines need no search
        text = _FOOTNOTE.sub("", text)
    return " ".join(_NOT_WORDS.sub(" ", text.lower().replace("’", "'")).split())


@lru_cache(maxsize=4096)  # the same furniture, labels and headings come again, page after page
def is_boilerplate(line: str) -> bool:
    """Site furniture, a label, a date, a widget or a grade: never a title.

    >>> is_boilerplate("Skip to main content"), is_boilerplate("Please ask for: A. Person")
    (True, True)
    >>> is_boilerplate("PEEL 2021/22 – An inspection of Kent Police")
    False
    """
    vocab = load_vocabulary()
    text = line.strip()
    key = boilerplate_key(text)
    low = text.lower()
    if not key or len(key) < 3 or key in vocab.title_boilerplate_exact:
        return True
    if low.startswith(vocab.title_boilerplate_starts) or key.startswith(vocab.title_boilerplate_starts):
        return True
    if any(s in low for s in vocab.title_boilerplate_contains):
        return True
    if _PHONE.match(text) or _WEB.search(text) or (_CRUMBS.search(text) and len(text.split()) <= 12):
        return True
    if len([p for p in text.split("|") if p.strip()]) >= 3:
        return True  # a navigation bar: "Home | About the Commissioner | Publications"
    if re.match(r"(?:agenda\s+)?item\s+\d", low):
        return True  # a numbered agenda item heads one item of the minutes, not the minutes
    label = low.split(":", 1)[0].strip()
    if ":" in low and label in vocab.title_field_labels:
        return True  # a field of a form or minutes: "Present: …", "Report: …", "Date: …"
    if _is_mostly_a_date(text) or _GRADE_ROW.search(text) or _is_signature(low) or _is_masthead(low):
        return True
    if _IMAGE.search(low):
        return True  # an image's file name or alt text: "Name: chief.jpg", "HMICFRS logo"
    # a label ("Letter information:", "From:"); a longer line ending in a colon introduces a quotation
    return text.endswith(":") and len(text.split()) <= _LABEL_WORDS


_IMAGE = lazy_compile(r"\.(?:jpe?g|png|gif|svg|webp)\b|\blogo$")
_LABEL_WORDS = 8


# words a publisher's own name holds: they do not make a masthead a title
_PUBLISHER_WORDS = frozenset(["inspectorate", "hmic", "hmicfrs", "commissioner"])


def _is_masthead(low: str) -> bool:
    """A publisher's name above its document ("Office of the Police and Crime Commissioner for
    Gwent", "HM Inspectorate of Constabulary and Fire & Rescue Services"), unless the line also
    says what the document is ("… Commissioner's response to PEEL 2014")."""
    vocab = load_vocabulary()
    low = low.replace("’", "'")
    if not low.startswith(vocab.title_mastheads) and not (
        len(low.split()) <= 8 and low.endswith(vocab.title_masthead_ends)
    ):
        return False
    return not any(w in low for w in vocab.title_topic_words if w not in _PUBLISHER_WORDS)


def _is_signature(low: str) -> bool:
    """A name and a job title ("A. Person - Deputy Mayor for Policing, Fire and Crime"): a masthead
    or a signature, unless the line also names a report or an inspection."""
    vocab = load_vocabulary()
    low = low.replace("’", "'")
    signed = any(t in low for ts in vocab.signatory_titles.values() for t in ts)
    return signed and not any(w in low for w in vocab.title_topic_words)


def _is_mostly_a_date(text: str) -> bool:
    """A line that is a date, a time stamp or a date widget ("90 days from today is Thu, 5 March 2026")."""
    dates = find_dates(text)
    if not dates:
        return not re.search(r"[A-Za-z]{3,}", text)  # "08:45", "2 | 3"
    rest = text
    for d in reversed(dates):
        rest = rest[: d.start] + rest[d.end :]
    return len(re.findall(r"[A-Za-z]{3,}", rest)) <= 3


def clean_title(line: str) -> str:
    """The title as shown: one line, no date label glued in front, a long lede cut to its first sentence.

    >>> clean_title(" date 2021-11-24 Kent Police praised by inspectors")
    'Kent Police praised by inspectors'
    """
    text = " ".join(_LEADING_DATE_LABEL.sub("", line).split()).lstrip("•·▪►*- ")
    if len(text) > _MAX_TITLE_CHARS or len(text.split()) > _MAX_TITLE_WORDS:
        m = _SENTENCE_END.search(text)
        if m and m.start() + 1 <= _MAX_TITLE_CHARS:
            text = text[: m.start() + 1]
        else:
            text = text[:_MAX_TITLE_CHARS].rsplit(" ", 1)[0] + " …"
    return text


def reads_as_title(line: str) -> bool:
    """Short, not a sentence, not a list item: "Kent PEEL 2017", "Force welcomes HMIC reports".

    >>> reads_as_title("Kent Police praised by inspectors"), reads_as_title("The force is good at it.")
    (True, False)
    """
    words = len(line.split())
    bare = line.rstrip("’'\"”)")
    return (
        2 <= words <= _TITLE_WORDS
        and not bare.endswith((".", ",", ";", ":"))  # a lead-in to a quotation or a list
        and not _is_body(line)
        and not line.startswith(("•", "-", "*", "·", "“", '"', "‘"))
        and not re.match(r"\d+[.)]\s", line)  # a numbered item
    )


def _is_body(line: str) -> bool:
    """A line of running text: a long line holding a sentence end. The title stands above it."""
    return len(line.split()) >= 12 and bool(re.search(r"[a-z0-9)’”\"']\.(?:\s|$)", line))


def _score(line: str, heading: bool) -> int:
    """How much a title-like line names the subject: an inspection or report (2), a force (1)."""
    from peelwatch.extract.force import find_mentions

    low = line.lower()
    score = 2 if any(w in low for w in load_vocabulary().title_topic_words) else 0
    mentions = find_mentions(line)
    if re.search(r"\b20\d\d\b", line) and mentions:
        score += 2  # "Staffordshire 2015": a force's page for one year
    elif mentions and sum(m.end - m.start for m in mentions) < 0.5 * len(line) and len(line.split()) > 3:
        score += 1  # names a force, and says more than a name ("Kent Police Federation" is a masthead)
    if heading:
        score += 1
    return score


def choose_title(
    text: str,
    reader_title: str | None = None,
    fmt: str = "text",
    source: str | None = None,
    headings: tuple[str, ...] = (),
) -> TitleChoice:
    """The document's title and where it came from.

    The reader's title wins for HTML, PDF and DOCX unless it is boilerplate. Otherwise, among the
    first lines that read as titles, the one that names the subject best (ties: the first); with
    no title-like line, the first sentence of the first line; with no text, the file name.

    >>> choose_title("Skip to content\\n\\nKent 2017\\n\\nThis is the fourth PEEL assessment of Kent Police.").title
    'Kent 2017'
    >>> choose_title("", source="uploads/kent-response.docx").title
    'kent-response'
    """
    from_text = _title_from_text(text, fmt, source, headings)
    # a PDF's or Word file's first heading is what a reader sees; its stored title is often a
    # template's or an author's shorthand, so it comes second
    if fmt in {"pdf", "docx"}:
        opening = text[:400]
        first = next(
            (
                h
                for h in headings
                if h in opening and reads_as_title(h) and not is_boilerplate(clean_title(h))
            ),
            None,
        )
        if first is not None and not _outnamed(clean_title(first), from_text):
            return TitleChoice(clean_title(first), "first heading")
    if reader_title and fmt != "text":
        cleaned = clean_title(reader_title)
        if not is_boilerplate(cleaned) and not _far_down(cleaned, text) and not _outnamed(cleaned, from_text):
            return TitleChoice(cleaned, f"the {fmt.upper()} file's own title")
    return from_text


def _far_down(title: str, text: str) -> bool:
    """A heading the reader took for the title that stands well down the text (a PDF or Word file
    with no title of its own and its first heading at the end), not at its top."""
    at = " ".join(text.split()).find(title)
    return at > _FAR_DOWN


_FAR_DOWN = 1000


def _outnamed(title: str, from_text: TitleChoice) -> bool:
    """A title that names nothing of the subject (a newspaper's masthead, an addressee's name)
    while a line above the text names the inspection or report: the line is the title.

    >>> _outnamed("The Courier", TitleChoice("Force praised by inspectors", "title-like line naming the inspection or report most fully"))
    True
    """
    return (
        _score(title, heading=False) == 0
        and from_text.title is not None
        and not from_text.reason.startswith(("first sentence", "file name"))
        and _score(from_text.title, heading=False) >= 2
    )


def _title_from_text(text: str, fmt: str, source: str | None, headings: tuple[str, ...]) -> TitleChoice:
    """The title read from the text's first lines (see :func:`choose_title`)."""
    # a plain-text reader guesses headings from the text itself: they say nothing more here
    heading_set = {" ".join(h.split()) for h in headings} if fmt != "text" else set()
    candidates: list[str] = []
    # (bodies seen before it, how much it names the subject, position, line) per title-like line
    titled: list[tuple[int, int, int, str]] = []
    bodies = 0  # sentences of running text seen so far: a title stands above them
    for line in _first_lines(text):
        cleaned = clean_title(line)
        if "\t" in line or is_boilerplate(cleaned):
            continue  # a table row is never a title
        candidates.append(cleaned)
        bare = " ".join(_LEADING_DATE_LABEL.sub("", line).split())
        if _is_body(bare):
            bodies += 1
            if bodies >= _BODY_LINES:
                break
        elif reads_as_title(bare):
            titled.append((bodies, _score(cleaned, cleaned in heading_set), len(titled), cleaned))
    # above the text: the first line saying what the document is about (an inspection, a report,
    # a response), else the first naming a force, else the first title-like line; below a notice
    # or a lede: the first line naming the subject
    above = [t for t in titled if t[0] == 0]
    best = max((t[1] for t in above), default=0)
    for rule, how in (
        (
            lambda t: t[0] == 0 and t[1] == best >= 2,
            "title-like line naming the inspection or report most fully",
        ),
        (lambda t: t[0] == 0 and t[1] >= 1, "first title-like line naming the subject"),
        (lambda t: t[0] == 0, "first line that reads as a title"),
        (lambda t: t[1] >= 1, "title-like line naming the subject, below the first paragraph"),
    ):
        found = next((t for t in titled if rule(t)), None)
        if found is not None:
            return TitleChoice(found[3], "heading" if found[3] in heading_set else how)
    if candidates:
        # a notice ("This is a re-issue of the previous message") before the first sentence that
        # says what the document is about
        named = next(
            (c for c in candidates if _score(c, heading=False) >= 1 and not re.match(r"\d+[.)]\s", c)),
            candidates[0],
        )
        return TitleChoice(named, "first sentence (no line reads as a title)")
    if source:
        return TitleChoice(PurePath(source).stem, "file name (no title in the text)")
    return TitleChoice(None, "no title found")


def _first_lines(text: str) -> list[str]:
    """The first non-empty lines, a line wrapped onto the next joined back ("… keep people" /
    "safe and reduce crime?")."""
    out: list[str] = []
    joinable = False
    for line in text[:6000].splitlines():
        stripped = line.strip()
        if not stripped:
            joinable = False
            continue
        if (
            joinable
            and out
            and stripped[0].islower()
            and len(out[-1].split()) < 60
            and not is_boilerplate(stripped)
        ):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(stripped)
        joinable = not stripped.endswith((".", ":", "?", "!"))
        if len(out) >= _CANDIDATE_LINES:
            break
    return out
