"""Judgments given by layout rather than by sentences: grade tables (also flattened to tabs),
"Subject: Good" lines, a grade on its own line after a question, grade headings over lists,
and two-column pages where the grades follow the questions in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from peelwatch.extract._lazy import lazy_compile
from peelwatch.extract.grades import QUOTE, grade_matcher
from peelwatch.extract.raw import RawJudgment
from peelwatch.extract.subjects import is_content_word, matcher
from peelwatch.extract.text import Line, lines, norm
from peelwatch.extract.tokens import BULLETS
from peelwatch.framework.wording import load_wording

_PSEUDO = lazy_compile(
    r"^(?:summary\s+of\s+findings|overall\s+judge?ment\d?|our\s+judge?ment|judge?ment|grade|grading|rating|"
    r"last\s+updated.*|published.*|\d{1,2}/\d{1,2}/\d{4}|page\s+\d+.*|\d+)$",
    re.I,
)
# a list mark: a bullet, a number, a letter, or a Word sub-bullet written as "o " before a capital
_BULLET = lazy_compile(rf"^\s*(?:[-–{re.escape(BULLETS)}]|\d{{1,2}}[.)]|[a-z][.)]|o(?=\s+[A-Z]))\s+")


# ----------------------------------------------------------------------------- free-text subjects
# A layout says outright which words are graded (a table row, a "Subject: Good" line, a list under
# a grade heading), so its subject may be words the framework does not know; these checks keep
# out what is plainly not a subject.


_JOINING_WORD = lazy_compile(r"^(?:and|or|but|while|whilst|whereas|although|for|in|at|respect\s+of)\s+", re.I)
_TRAILING_JOIN = lazy_compile(r"\s+(?:and|or|as\s+well)$", re.I)
_TRAILING_JOIN_ENDS = ("and", "or", "well", "and\n", "or\n", "well\n")  # ($ matches before a last newline)
_JOINING_FIRST = frozenset("aobwfirAOBWFIRİı")  # first letters of the joining words, either case
_TRAILING_STARS = lazy_compile(r"\s*\*+$")
_SECTION_LABEL = lazy_compile(r"^[A-Z][\w ]{0,24}?\s[–—-]\s+(?=\S.*\?$)")
_YEAR_FIRST = lazy_compile(r"(?:in )?(?:19|20)\d\d\b")
_LOOK_BACK_MARK = lazy_compile(r"summary|overall|our", re.I)


def clean_subject(text: str) -> str:
    """Trim a layout's subject to the words that name what is graded: bullets, quotes and the
    words joining it to a list go; "Overview – How well …?" loses its section label."""
    s = text.strip(" \t,:;–-•·*‘’'\"“”")
    # each pattern runs only where a quick test says it can match: most subjects need none of them
    if s[:1] in _JOINING_FIRST:
        s = _JOINING_WORD.sub("", s, count=1)
    if s.lower().endswith(_TRAILING_JOIN_ENDS):
        s = _TRAILING_JOIN.sub("", s, count=1)
    if "*" in s:
        s = _TRAILING_STARS.sub("", s, count=1)
    if "?" in s and any(d in s[:27] for d in "–—-"):  # a label of at most 25 characters, a dash
        s = _SECTION_LABEL.sub("", s, count=1)
    return s.strip(" \t,:;–-•·‘’'\"“”")


@lru_cache(maxsize=4)
def _padded(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Each phrase with a space either side: a whole-word test on a space-padded text."""
    return tuple(f" {w} " for w in phrases)


# Cached: a layout's subject lines come again (a question and its grade on every page, a table's
# row names in each year's table), and several rules ask about the same words.
@lru_cache(maxsize=4096)
def acceptable_subject(s: str) -> bool:
    """A layout's subject reads as one: a few words with at least one that says something, not a
    count ("six areas"), a year, a report or grade word ("this inspection"), nor a phrase ending
    in an everyday noun ("a good job")."""
    words = norm(s).split()
    if not words or len(words) > 25:
        return False
    wording = load_wording()
    first = words[1] if words[0] == "the" and len(words) > 1 else words[0]
    counting = first in wording.numbers or first in wording.count_words or first.isdigit()
    if counting and " ".join(words[1:3]) not in {"the people", "of the"}:
        return False
    joined = f" {' '.join(words)} "
    if _YEAR_FIRST.match(joined, 1):
        return False
    if any(map(joined.__contains__, _padded(wording.not_subject_words))):
        return False
    if not any(len(w) >= 4 and is_content_word(w) for w in words):
        return False
    return not (words[-1] in wording.not_subject_heads and len(words) <= 3)


_BULLET_LINE = lazy_compile(
    rf"^[ \t]*(?:[-–{re.escape(BULLETS)}]|\d{{1,2}}[.)])[ \t]+(?P<body>\S[^\n]*)$", re.M
)
_LAST_SENTENCE = lazy_compile(r"(?<=[.!?]\s)[A-Z][^.!?]*\?$")
_PREPOSITION_FIRST = lazy_compile(r"\s*(?:in|at|for|on|across)\s", re.I)


def bullets_after(source: str, pos: int, grade: str) -> list[RawJudgment]:
    """The list lines right after ``pos`` ("… rated 'good' at:" then "• preventing crime"). A line
    without a bullet character still counts when it is short and names a framework subject (a
    list whose bullets were lost)."""
    out: list[RawJudgment] = []
    line_end = source.find("\n", pos)
    cursor = len(source) if line_end == -1 else line_end + 1
    while cursor < len(source) and len(out) < 20:
        nl = source.find("\n", cursor)
        end = len(source) if nl == -1 else nl
        line = source[cursor:end]
        if line.strip():
            m = _BULLET_LINE.match(line)
            if m:
                body_start, body = cursor + m.start("body"), m.group("body")
            elif len(line.split()) <= 12 and not line.rstrip().endswith(".") and matcher().match(line):
                body_start, body = cursor + len(line) - len(line.lstrip()), line.strip()
            else:
                break
            subject = clean_subject(body)
            if acceptable_subject(subject):
                rule = "grade-over-bullets" if m else "grade-over-list-lines"
                out.append(
                    RawJudgment(subject, grade, body_start, end, body_start, explicit_subject=True, rule=rule)
                )
        cursor = end + 1
    return out


@dataclass(slots=True)
class Item:
    start: int
    end: int
    text: str  # flattened
    grade: str | None
    words: int

    @property
    def is_question(self) -> bool:
        return self.text.endswith("?")


def _items(text: str) -> list[Item | None]:
    """Blank-line separated items; a paragraph holding a grade line is split into its lines.
    ``None`` marks a long prose paragraph, which ends a layout run."""
    gm = grade_matcher()
    out: list[Item | None] = []
    block: list[Line] = []

    def flush() -> None:
        if not block:
            return
        # a one-line block is one part either way; its line's match serves its flattened text
        # when that is the same string
        one = block[0].text if len(block) == 1 else None
        one_match = gm.line.match(one) if one is not None else None
        if one is not None:
            parts = [block[:]]
        elif any(gm.line.match(ln.text) for ln in block) or all(_BULLET.match(ln.text) for ln in block):
            parts = [[ln] for ln in block]
        else:
            parts = [block[:]]
        for part in parts:
            start, end = part[0].start, part[-1].end
            chunk = text[start:end]
            if chunk.rstrip().endswith("?"):
                # a wrapped paragraph's last sentence running straight into a question heading
                cut = max(chunk.rfind(". "), chunk.rfind(".\n"))
                if cut != -1:
                    start += cut + 2
                    while start < end and text[start].isspace():
                        start += 1
            split = text[start:end].split()
            flat = " ".join(split)
            m = one_match if flat == one else gm.line.match(flat)
            words = len(split)
            if m is None and (words > 30 or (flat.endswith(".") and words > 14)):
                out.append(None)
                continue
            out.append(Item(start, end, flat, gm.grade_of(m.group("grade")) if m else None, words))
        block.clear()

    for ln in lines(text):
        if ln.blank:
            flush()
        else:
            block.append(ln)
    flush()
    return out


def _subject_ok(text: str) -> bool:
    t = _BULLET.sub("", text)
    return (
        bool(t)
        and not t.endswith(":")
        and not _PSEUDO.match(t)
        and len(t.split()) <= 30
        and acceptable_subject(clean_subject(t))
    )


def _pair(subject: Item, grade: Item, rule: str) -> RawJudgment:
    subj = clean_subject(_BULLET.sub("", subject.text))
    return RawJudgment(
        subj, grade.grade or "", subject.start, grade.end, subject.start, explicit_subject=True, rule=rule
    )


def grade_line_judgments(source: str) -> list[RawJudgment]:
    """Grades standing on their own line, paired with the subject lines around them."""
    items = _items(source)
    out: list[RawJudgment] = []
    run: list[Item] = []
    history: list[Item] = []  # every item so far, for "Summary of findings" look-backs

    def close_run() -> None:
        if not any(it.grade for it in run):
            run.clear()
            return
        first = next(k for k, it in enumerate(run) if it.grade)
        if (first == 0 or run[first - 1].text.endswith(":")) and any(not it.grade for it in run[first + 1 :]):
            _heading_layout(run[first:], out, source)
        else:
            _pair_layout(run, out, source, history)
        run.clear()

    for it in items:
        if it is None:
            close_run()
            continue
        run.append(it)
        history.append(it)
    close_run()
    return out


def _heading_layout(run: list[Item], out: list[RawJudgment], source: str) -> None:
    """Grade headings, each over the subjects it grades. The list ends at a line that is a table
    row, or that names no framework subject once the lines before it did (the next section's
    heading: "Areas for improvement and the force's response")."""
    current: Item | None = None
    known = 0
    for it in run:
        if it.grade:
            current = it
            continue
        if "\t" in source[it.start : it.end]:
            break
        is_known = matcher().match(it.text) is not None
        if known and not is_known:
            break
        known += is_known
        if current and _subject_ok(it.text) and not it.is_question:
            j = _pair(it, current, "grade-heading-over-list")
            j.start, j.end = current.start, it.end
            out.append(j)


def _pair_layout(run: list[Item], out: list[RawJudgment], source: str, history: list[Item]) -> None:
    pending: list[Item] = []
    i = 0
    while i < len(run):
        it = run[i]
        if not it.grade:
            if _PSEUDO.match(_BULLET.sub("", it.text)):
                if _LOOK_BACK_MARK.match(it.text) and not pending:
                    back = _look_back(history, it)
                    if back:
                        pending.append(back)
                i += 1
                continue
            if _subject_ok(it.text):
                pending.append(it)
            i += 1
            continue
        grades = []
        while i < len(run) and run[i].grade:
            grades.append(run[i])
            i += 1
        if len(grades) > 1 and len(pending) >= len(grades):
            # two-column pages: the questions come first, then their grades in the same order
            for subj, g in zip(pending[-len(grades) :], grades, strict=True):
                out.append(_pair(subj, g, "grades-after-subjects-in-order"))
        elif pending:
            out.append(_pair(pending[-1], grades[0], "grade-line-after-subject"))
        pending = []


def _look_back(history: list[Item], marker: Item) -> Item | None:
    idx = next((k for k in range(len(history) - 1, -1, -1) if history[k] is marker), len(history))
    for k in range(idx - 1, max(-1, idx - 60), -1):
        cand = history[k]
        if cand.is_question and _subject_ok(cand.text):
            return cand
    return None


def _line_re() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    g = grade_matcher().pattern.pattern
    subj_first = lazy_compile(
        # "Subject: Good", "Subject – Good", and a question glued to its grade: "…people safe?Good"
        rf"^(?P<s>[^\t:]{{3,160}}?)\s*(?::|\s[–—-]|(?<=\?))\s*{QUOTE}?{g}{QUOTE}?\s*\.?\*?$",
        re.I,
    )
    grade_first = lazy_compile(rf"^{QUOTE}?{g}{QUOTE}?\s*(?::|[–—-])\s+(?P<s>[^\t]{{3,160}})$", re.I)
    trailing = lazy_compile(rf"^(?P<s>[^\t]{{3,160}}?)\s+{g}\s*$", re.I)
    return subj_first, grade_first, trailing


def inline_line_judgments(source: str, known: callable) -> list[RawJudgment]:
    """ "Subject: Good", "Good – Subject", "Subject<tab>Good" and "Subject Good" (known subjects) lines."""
    gm = grade_matcher()
    subj_first, grade_first, trailing = _line_re()
    out: list[RawJudgment] = []
    for ln in lines(source):
        t = ln.text
        if not t or len(t) > 220 or not gm.pattern.search(t) or gm.line.match(t):
            continue
        cells = [c.strip() for c in t.split("\t") if c.strip()]
        if len(cells) == 2 and gm.line.match(cells[1]) and not gm.line.match(cells[0]):
            subj = clean_subject(_BULLET.sub("", cells[0]))
            if acceptable_subject(subj):
                out.append(
                    RawJudgment(
                        subj,
                        gm.grade_of(cells[1]) or "",
                        ln.start,
                        ln.end,
                        ln.start,
                        explicit_subject=True,
                        rule="subject-tab-grade",
                    )
                )
            continue
        if "\t" in t:
            continue
        body = _BULLET.sub("", t)
        patterns = (
            (subj_first, False, "subject-then-grade-line"),
            (grade_first, False, "grade-then-subject-line"),
            (trailing, True, "known-subject-then-grade-line"),
        )
        for pat, needs_known, rule in patterns:
            m = pat.match(body)
            if not m:
                continue
            # a question glued to its grade after the sentences before it: only the question
            last_sentence = _LAST_SENTENCE.search(m.group("s"))
            subj = clean_subject(last_sentence.group(0) if last_sentence else m.group("s"))
            if rule == "grade-then-subject-line" and _PREPOSITION_FIRST.match(m.group("s")):
                break  # "Good – in A, B and C": a grade, a preposition and a list, read by the relations
            if m.group("s").rstrip().endswith(".") or re.match(
                r"(?:the\s+)?(?:force|constabulary|forces)\b", subj, re.I
            ):
                break  # a grade definition ("Outstanding: the force substantially exceeds …")
            if not subj.endswith("?") and re.search(
                r"\b(?:is|are|was|were|be|been|has|have|had|will|would)\b", subj, re.I
            ):
                break  # a sentence, handled by the sentence rules (a question heading is a subject)
            if gm.pattern.search(subj) and not known(subj):
                break
            if not acceptable_subject(subj) or (needs_known and not known(subj)):
                break
            out.append(
                RawJudgment(
                    subj,
                    gm.grade_of(m.group("grade")) or "",
                    ln.start,
                    ln.end,
                    ln.start,
                    explicit_subject=True,
                    rule=rule,
                )
            )
            break
    return out


def table_judgments(source: str) -> list[RawJudgment]:
    """Tables whose columns are the grades ("Outstanding<tab>Good<tab>Adequate…"), as tab-separated
    lines: each cell's subject takes the grade of its column."""
    gm = grade_matcher()
    out: list[RawJudgment] = []
    all_lines = lines(source)
    i = 0
    while i < len(all_lines):
        if "\t" not in all_lines[i].text:
            i += 1
            continue
        raw = source[all_lines[i].start - _lead(source, all_lines[i].start) : all_lines[i].end]
        header = raw.split("\t")
        graded = [gm.grade_of(c) if c.strip() else None for c in header]
        named = [c for c in header if c.strip()]
        cycles = [_cycle_label(c) for c in header]
        if sum(1 for c in cycles if c) >= 2 and not cycles[0]:
            i = _cycle_columns(source, all_lines, i + 1, cycles, out)
            continue
        if len(named) >= 2 and all(gm.line.match(c) for c in named):
            i += 1
            while i < len(all_lines):
                ln = all_lines[i]
                row_start = _line_start(source, ln.start)
                row_text = source[row_start : _line_end(source, ln.end)]
                if "\t" not in row_text and not ln.blank:
                    break
                if ln.blank:
                    i += 1
                    if (
                        i < len(all_lines)
                        and "\t" not in source[_line_start(source, all_lines[i].start) : all_lines[i].end]
                    ):
                        break
                    continue
                pos = row_start
                for col, cell in enumerate(row_text.split("\t")):
                    c = cell.strip()
                    if c and col < len(graded) and graded[col]:
                        cs = pos + cell.find(c)
                        subj = clean_subject(c)
                        if acceptable_subject(subj):
                            out.append(
                                RawJudgment(
                                    subj,
                                    graded[col],
                                    cs,
                                    cs + len(c),
                                    cs,
                                    explicit_subject=True,
                                    rule="grade-columns",
                                )
                            )
                    pos += len(cell) + 1
                i += 1
            continue
        i += 1
    return out


def _cycle_label(cell: str) -> str | None:
    """The cycle a table heading names ("2021/22", "PEEL 2023–25", "2016 grade"), if any."""
    from peelwatch.errors import UnknownNameError
    from peelwatch.framework import load_framework

    m = re.fullmatch(
        r"\s*(?:peel\s+)?(20\d\d(?:\s*[/–-]\s*(?:20)?\d\d)?)(?:\s+(?:grade|grading|judge?ment|rating))?\s*",
        cell,
        re.I,
    )
    if not m:
        return None
    try:
        return load_framework().cycle(re.sub(r"\s+", "", m.group(1))).label
    except UnknownNameError:
        return None


def _cycle_columns(source: str, all_lines, i: int, cycles: list[str | None], out: list[RawJudgment]) -> int:
    """Rows of a table comparing cycles ("Area<tab>2021/22<tab>2023–25"): one judgment per graded cell,
    tagged with its column's cycle."""
    gm = grade_matcher()
    while i < len(all_lines) and "\t" in all_lines[i].text:
        ln = all_lines[i]
        row_start = _line_start(source, ln.start)
        cells = source[row_start : _line_end(source, ln.end)].split("\t")
        subject = clean_subject(cells[0]) if cells else ""
        pos = row_start + len(cells[0]) + 1
        for col, cell in enumerate(cells[1:], start=1):
            grade = gm.grade_of(cell) if cell.strip() else None
            if grade and col < len(cycles) and cycles[col] and acceptable_subject(subject):
                cs = pos + cell.find(cell.strip())
                out.append(
                    RawJudgment(
                        subject,
                        grade,
                        row_start,
                        cs + len(cell.strip()),
                        row_start,
                        cycles[col],
                        explicit_subject=True,
                        rule="cycle-columns",
                    )
                )
            pos += len(cell) + 1
        i += 1
    return i


def _lead(source: str, start: int) -> int:
    return start - _line_start(source, start)


def _line_start(source: str, pos: int) -> int:
    return source.rfind("\n", 0, pos) + 1


def _line_end(source: str, pos: int) -> int:
    e = source.find("\n", pos)
    return len(source) if e == -1 else e


def rating_judgments(source: str) -> list[RawJudgment]:
    """A title naming a pillar followed by "Rating Good" (policing bodies' report listings)."""
    gm = grade_matcher()
    out = []
    ls = [ln for ln in lines(source) if not ln.blank]
    for k, ln in enumerate(ls):
        if ln.text[:1] not in "RrGgOoJj" or len(ln.text) > 40:
            continue  # only short "Rating …", "Grade …", "Overall grade …", "Judgment …" lines
        m = re.match(
            rf"^(?:rating|grade|overall\s+grade|judge?ment)\s*:?\s*{gm.pattern.pattern}\s*$", ln.text, re.I
        )
        if m and k > 0:
            title = ls[k - 1].text
            p = re.search(r"\b(effectiveness|efficiency|legitimacy|leadership)\b", title, re.I)
            if p:
                out.append(
                    RawJudgment(
                        p.group(1).capitalize(),
                        gm.grade_of(m.group("grade")) or "",
                        ls[k - 1].start,
                        ln.end,
                        ls[k - 1].start,
                        explicit_subject=True,
                        rule="rating-under-title",
                    )
                )
    return out
