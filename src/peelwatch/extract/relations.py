"""The relations that tie a grade to what it grades, in running text.

Every PEEL judgment is a grade expression and a graded subject joined by a relation. The grade
words and the framework's subjects do not vary from document to document; the relations are
few. Each relation below is one small function, read as a sentence about word classes kept in
``framework/data/wording.yaml``:

========================  =====================================================================
``grade-then-subjects``   the grade, then a preposition, then a list: "good at A, B and C",
                          "Requires improvement – in five areas including A; B; C and D"
``subjects-then-grade``   a list, then a copula, maybe a rating verb, then the grade: "A and B
                          were judged to require improvement", "A, which is now outstanding"
``rated-subject-as``      a rating verb, the subject, then the grade: "rated our management of
                          offenders as good", "grades the force's crime recording as good"
``grade-noun-subject``    a grade, the subject, then a grade noun: "received a good efficiency
                          rating"
``force-graded``          the force itself is graded, and no subject follows: the pillar its
                          report reference names ("in an annual review of efficiency"), the
                          document's one pillar, or the overall grade ("rated inadequate overall")
========================  =====================================================================

A relation either attaches the grade (returns :class:`Attached`) or says why it cannot
(:class:`Unattached` reason). In running text a subject must name a framework subject (see
:mod:`.subjects`): a free-text subject is accepted only from explicit layouts (tables, lines,
lists under a grade heading; :mod:`.layout`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from peelwatch.extract.coordination import Piece, split_list
from peelwatch.extract.grades import GradeMention
from peelwatch.extract.subjects import graded_pillar_keys, is_function_word, matcher, pillar_named
from peelwatch.extract.tokens import PhraseSet, Token
from peelwatch.framework.wording import load_wording


@dataclass(frozen=True)
class Words:
    """The word classes of wording.yaml as phrase sets (built once)."""

    copulas: PhraseSet
    rating_verbs: PhraseSet
    adverbs: PhraseSet
    links: PhraseSet
    prepositions: PhraseSet
    grade_nouns: PhraseSet
    quantities: PhraseSet
    categories: PhraseSet
    openers: PhraseSet
    possessives: PhraseSet
    hedges: PhraseSet
    negations: PhraseSet
    national: PhraseSet
    report_nouns: PhraseSet
    overall: PhraseSet
    force_nouns: PhraseSet
    same_grade: PhraseSet
    clause_breaks: PhraseSet
    change_verbs: PhraseSet
    noun_determiners: frozenset[str]
    predicate_followers: frozenset[str]
    earlier_words: frozenset[str]
    clause_openers: frozenset[str]


@lru_cache(maxsize=1)
def words() -> Words:
    w = load_wording()
    return Words(
        copulas=PhraseSet.of(w.copulas),
        rating_verbs=PhraseSet.of(w.rating_verbs),
        adverbs=PhraseSet.of(w.adverbs),
        links=PhraseSet.of(w.complement_links),
        prepositions=PhraseSet.of(w.subject_prepositions),
        grade_nouns=PhraseSet.of(w.grade_nouns),
        quantities=PhraseSet.of(w.quantities),
        categories=PhraseSet.of(w.categories),
        openers=PhraseSet.of(w.list_openers),
        possessives=PhraseSet.of(w.possessives),
        hedges=PhraseSet.of(w.hedges),
        negations=PhraseSet.of(w.negations),
        national=PhraseSet.of(w.national),
        report_nouns=PhraseSet.of(w.report_nouns),
        overall=PhraseSet.of(w.overall_words),
        force_nouns=PhraseSet.of(w.force_nouns),
        same_grade=PhraseSet.of(w.same_grade),
        clause_breaks=PhraseSet.of(w.clause_breaks),
        change_verbs=PhraseSet.of(w.change_verbs),
        noun_determiners=frozenset(w.noun_determiners),
        predicate_followers=frozenset(w.predicate_followers),
        earlier_words=frozenset(w.earlier_words),
        clause_openers=frozenset(w.clause_openers),
    )


@dataclass
class Context:
    """One sentence, its grade expressions, and what the document around it says."""

    text: str  # the flat sentence
    toks: Sequence[Token]
    grades: Sequence[GradeMention]
    cycle: str | None = None
    doc_pillar: str | None = None  # the one pillar the document is about, if any
    force_spans: Sequence[tuple[int, int, str]] = ()  # token spans naming a force, with its name
    doc_force: str | None = None
    inspectorate: bool = False  # the document is the inspectorate's own
    consumed: int = 0  # tokens before this index already belong to an earlier grade's list
    # Running counts over the tokens, built on first use: each grade asks of every span it tries
    # whether a grade or a quotation mark lies in it and where its clause begins, and scanning the
    # sentence each time costs its grades times its length (a run-on "sentence" holds 40 grades).
    _graded: tuple[Sequence[GradeMention], list[int] | None] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _marks: list[int] | None = field(default=None, init=False, repr=False, compare=False)
    _clauses: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    def span_text(self, a: int, b: int) -> str:
        return self.text[self.toks[a].start : self.toks[b - 1].end]

    def holds_grade(self, a: int, b: int) -> bool:
        """Whether a grade expression overlaps ``toks[a:b]`` (``a < b``)."""
        n = len(self.toks)
        if self._graded is None or self._graded[0] is not self.grades:  # (a relation may set grades)
            inside = [0] * n
            for g in self.grades:
                for x in range(max(0, g.i), min(n, g.j)):
                    inside[x] = 1
            counts = [0, *accumulate(inside)]
            # (a running count answers only for spans within the sentence and grades of one token
            # or more; anything else is asked of the grades one by one)
            exact = all(g.i < g.j for g in self.grades)
            self._graded = (self.grades, counts if exact else None)
        counts = self._graded[1]
        if counts is None or not 0 <= a < b <= n:
            return any(g.i < b and a < g.j for g in self.grades)
        return counts[b] > counts[a]

    def holds_quote_or_semicolon(self, a: int, b: int) -> bool:
        """Whether ``toks[a:b]`` holds a quotation mark or a semicolon."""
        toks = self.toks
        n = len(toks)
        if not (0 <= a <= n and 0 <= b <= n):
            return any(t.is_quote or t.text == ";" for t in toks[a:b])
        if a >= b:
            return False
        if self._marks is None:
            counts = [0] * (n + 1)
            total = 0
            for x, t in enumerate(toks):
                if t.is_quote or t.text == ";":
                    total += 1
                counts[x + 1] = total
            self._marks = counts
        return self._marks[b] > self._marks[a]

    def clause_start(self, k: int) -> int:
        """Where the clause holding ``toks[k-1]`` begins: after a colon, a bracket or a clause
        opener ("that", "whether", "but" …), or the sentence start."""
        if k <= 0:
            return 0
        if self._clauses is None:
            toks = self.toks
            openers = words().clause_openers
            starts = [0] * (len(toks) + 1)
            last = 0
            for x, t in enumerate(toks):
                if t.text in {":", "(", ")"} or t.low in openers:
                    last = x + 1
                starts[x + 1] = last
            self._clauses = starts
        return self._clauses[k]


@dataclass
class Attached:
    """A grade tied to its subjects by a relation; each subject is a token span or a fixed name."""

    rule: str
    subjects: list[tuple[str, int, int]] = field(default_factory=list)  # (subject text, tok start, tok end)


@dataclass
class Unattached:
    """Why a relation could not attach a grade; ``final`` when no other relation should try."""

    reason: str
    final: bool = False


Outcome = Attached | Unattached | None


# ----------------------------------------------------------------------------- naming subjects

OTHER_CYCLE = 0.7  # the fit of a subject only another cycle has
SAME_THEME = 0.8  # the fit of another cycle's wording of a theme the document's cycle has too
_JOIN_WORDS = frozenset({"and", "or", "but", "nor", "as", "plus"})


def subject_fit(ctx: Context, a: int, b: int) -> float | None:
    """How well ``toks[a:b]`` names a framework subject (0 to 1), or None when it names none.

    The span must start and end on a word, and must not hold a grade or run into a new clause.
    """
    toks = ctx.toks
    while a < b and toks[a].is_quote:
        a += 1  # a subject in quotation marks: "‘keeping people safe,’"
    while b > a and toks[b - 1].is_quote:
        b -= 1
    if b - a > 2 and toks[b - 1].text == ")":
        # a short aside after the subject: "anti-social behaviour (ASB)"
        opening = next((x for x in range(b - 2, max(a, b - 6), -1) if toks[x].text == "("), None)
        if opening is not None:
            b = opening
    if b <= a or not toks[a].is_word or not toks[b - 1].is_word or toks[a].low in _JOIN_WORDS:
        return None
    if is_function_word(toks[b - 1].low):
        return None
    if ctx.holds_grade(a, b):
        return None
    if ctx.holds_quote_or_semicolon(a + 1, b):
        return None  # quotation marks enclose a whole subject ("the grade for 'Investigating crime'"); a semicolon ends one
    text = ctx.span_text(a, b)
    if pillar_named(text):
        return 1.0
    if ctx.cycle:  # a subject of the document's own cycle fits better than another cycle's wording
        found = matcher().match(text, ctx.cycle, only_cycle=True)
        if found:
            return found.score
        found = matcher().match(text, ctx.cycle)
        if found is None:
            return None
        same_theme = matcher().in_cycle(found, ctx.cycle).cycle == ctx.cycle
        return found.score * (SAME_THEME if same_theme else OTHER_CYCLE)
    found = matcher().match(text)
    return found.score if found else None


def _pieces_to_subjects(ctx: Context, pieces: list[Piece]) -> list[tuple[str, int, int]]:
    out = []
    w = words()
    for p in pieces:
        a, end = p.start, p.end
        while a < end - 1 and ctx.toks[a].is_quote:
            a += 1
        while end > a + 1 and ctx.toks[end - 1].is_quote:
            end -= 1
        p = Piece(a, end, p.score)
        # "… and for treating its workforce fairly": the preposition repeated in a list and the
        # join are not part of the subject; the subject's own words ("its", "how it") are
        while a < p.end - 1:
            n = w.prepositions.match_at(ctx.toks, a)
            if ctx.toks[a].low in {"and", "or", "both", "either", "also"}:
                n = max(n, 1)
            if not n or a + n >= p.end:
                break
            a += n
        if a >= p.end or subject_fit(ctx, a, p.end) is None:
            a = p.start
        a = _past_force_possessor(ctx, a, p.end)
        out.append((ctx.span_text(a, p.end), a, p.end))
    return out


def _past_force_possessor(ctx: Context, a: int, end: int) -> int:
    """ "the constabulary's use of resources" names "use of resources": whose it is goes when
    the owner is the force (the document's own "its" stays)."""
    for x in range(a, min(end - 1, a + 4)):
        low = ctx.toks[x].low
        if low.endswith("'s") and (
            words().force_nouns.match_at(ctx.toks, x)
            or any(s <= x < e for s, e, _ in ctx.force_spans)
            or low[:-2] in {"force", "constabulary", "service", "police"}
        ):
            rest = x + 1
            return rest if subject_fit(ctx, rest, end) is not None else a
    return a


# ----------------------------------------------------------------------------- helpers


def _skip(ctx: Context, k: int, *sets: PhraseSet) -> int:
    """Move right from ``k`` past any run of phrases from ``sets`` and quotation marks."""
    toks = ctx.toks
    while k < len(toks):
        if toks[k].is_quote:
            k += 1
            continue
        if toks[k].text == "(":  # "rated 'good' (one level below outstanding) at": an aside
            close = next((x for x in range(k + 1, min(len(toks), k + 30)) if toks[x].text == ")"), None)
            if close is not None:
                k = close + 1
                continue
        n = max((s.match_at(toks, k) for s in sets), default=0)
        if not n:
            break
        k += n
    return k


def _skip_back(ctx: Context, k: int, *sets: PhraseSet) -> int:
    """Move left from ``k`` (exclusive end) past phrases from ``sets`` and quotation marks."""
    toks = ctx.toks
    while k > 0:
        if toks[k - 1].is_quote:
            k -= 1
            continue
        n = max((s.match_ending_at(toks, k) for s in sets), default=0)
        if not n:
            break
        k -= n
    return k


def _next_grade_start(ctx: Context, g: GradeMention) -> int:
    later = [x.i for x in ctx.grades if x.i >= g.j]
    return min(later) if later else len(ctx.toks)


def _prev_grade_end(ctx: Context, g: GradeMention) -> int:
    earlier = [x.j for x in ctx.grades if x.j <= g.i]
    return max(earlier) if earlier else 0


def _right_list(ctx: Context, g: GradeMention, k: int) -> list[Piece]:
    """The subjects listed from ``toks[k]`` on, up to the next grade or the end of the stretch.
    A last piece followed by a verb of its own ("…; and its planning for future demand is judged
    to …") is the subject of the next clause, not of this grade."""
    stop = _sentence_stop(ctx, k, _next_grade_start(ctx, g))
    pieces = split_list(ctx.toks, k, stop, lambda a, b: subject_fit(ctx, a, b))
    w = words()
    if len(pieces) > 1:
        end = _skip(ctx, pieces[-1].end, w.adverbs)
        if w.copulas.match_at(ctx.toks, end) or w.rating_verbs.match_at(ctx.toks, end):
            pieces = pieces[:-1]
    if pieces:
        ctx.consumed = max(ctx.consumed, pieces[-1].end)
    return pieces


def _sentence_stop(ctx: Context, k: int, stop: int) -> int:
    """The end of the stretch starting at ``k`` that can hold a list: a full stop, a colon that
    introduces something else, or a long aside in brackets (a short one, "(ASB)", is part of the
    subject before it)."""
    toks = ctx.toks
    m = k
    while m < stop:
        t = toks[m].text
        if t == "(":
            close = next((x for x in range(m + 1, min(stop, m + 6)) if toks[x].text == ")"), None)
            if close is None:
                return m
            m = close + 1
            continue
        if t in {")", "."} or (t == ":" and m > k):
            return m
        m += 1
    return stop


def _force_reference(ctx: Context, a: int, b: int) -> bool:
    """The noun phrase ending at ``toks[b-1]`` (and starting at or after ``a``) is the force
    itself: "the force", "it", "Cleveland Police", "… Durham Constabulary"."""
    if b <= a:
        return False
    if any(a <= s and e == b for s, e, _ in ctx.force_spans):
        return True
    n = words().force_nouns.match_ending_at(ctx.toks, b)
    if not n or b - n < a:
        return False
    before = ctx.toks[b - n - 1] if b - n - 1 >= a else None
    return before is None or not before.is_word or before.low in {"the", "this", "our", "that", "and"}


def _force_named_in(ctx: Context, a: int, b: int) -> list[str]:
    return [name for s, e, name in ctx.force_spans if a <= s and e <= b]


# ----------------------------------------------------------------------------- the relations


def grade_then_subjects(ctx: Context, g: GradeMention) -> Outcome:
    """The grade, then a preposition, then the subjects: "good at preventing crime and
    investigating crime", "Requires improvement – in five areas including responding to the
    public; investigating crime and managing offenders", "'inadequate' for all three areas
    assessed: efficiency, effectiveness and legitimacy", "an overall grading of 'requires
    improvement' for efficiency"."""
    w, toks = words(), ctx.toks
    if (
        g.i > 0
        and toks[g.i - 1].low in w.noun_determiners
        and not w.grade_nouns.match_at(toks, _skip(ctx, g.j))
    ):
        return None  # "a good service in …": the grade describes a noun ("an outstanding grade for" is fine)
    k = _after_grade(ctx, g)
    if k < len(toks) and (toks[k].is_dash or toks[k].text in {":", ","}):
        k += 1
    n = w.prepositions.match_at(toks, k)
    if not n:
        return None
    prep = " ".join(t.text for t in toks[k : k + n])
    k += n
    if _list_follows(ctx, k):
        return Attached("grade-then-bullets")
    starts, counted = _after_count(ctx, k, _next_grade_start(ctx, g))
    if starts == [FOLLOWING]:
        return Attached("grade-then-bullets")
    if counted and not starts:
        back = _listed_before(ctx, g, k)
        if back:
            return Attached("grade-for-the-list-before", _pieces_to_subjects(ctx, back))
        return Unattached(f"counts areas after '{prep}' without naming them", final=True)
    for start in starts:
        pieces = _right_list(ctx, g, start)
        if pieces:
            return Attached("grade-then-subjects", _pieces_to_subjects(ctx, pieces))
    if counted and any(t.low == "following" for t in toks[k : k + 6]):
        return Attached("grade-then-bullets")  # "in the following areas, which were …" then bullets
    if counted:
        return Unattached(f"counts areas after '{prep}', then names no framework subject", final=True)
    named = _report_pillar(ctx, k, _sentence_stop(ctx, k, len(toks)))
    if named:
        return Attached("grade-in-report", [named])
    return Unattached(f"no framework subject after '{prep}'")


def _listed_before(ctx: Context, g: GradeMention, k: int) -> list[Piece]:
    """ "… three main headings: effectiveness, efficiency and legitimacy; and the force was rated
    good in all three": a count that ends the sentence points back to the list just before it in
    the same sentence, when the list has that many subjects."""
    toks, w = ctx.toks, words()
    if any(t.is_word for t in toks[_skip(ctx, k, w.quantities, w.categories) :]):
        return []  # the sentence goes on after the count: it names nothing before
    numbers = load_wording().numbers
    counted = next((numbers.index(t.low) + 1 for t in toks[k : k + 4] if t.low in numbers), None)
    if counted is None and not any(t.low in {"all", "both", "each"} for t in toks[k : k + 3]):
        return []
    for end in range(g.i, max(0, g.i - 30), -1):
        if toks[end - 1].is_word and any(
            subject_fit(ctx, a, end) is not None for a in range(max(0, end - 8), end)
        ):
            pieces = split_list(
                toks, max(0, end - 40), end, lambda a, b: subject_fit(ctx, a, b), backwards=True
            )
            if len(pieces) >= 2 and (counted is None or len(pieces) == counted):
                return pieces
    return []


def _after_grade(ctx: Context, g: GradeMention) -> int:
    """Where the words about a grade go on: past quotes, "overall", grade nouns, an aside in
    brackets, and a grade coordinated with it ("'good' or 'adequate' in all areas")."""
    w, toks = words(), ctx.toks
    k = _skip(ctx, g.j, w.overall, w.grade_nouns)
    if k < len(toks) and toks[k].is_dash and not w.prepositions.match_at(toks, k + 1):
        # an aside between dashes: "Good – the second best of four – on all counts"
        close = next((x for x in range(k + 2, min(len(toks), k + 14)) if toks[x].is_dash), None)
        inside_grade = any(k < x.i < (close or k) for x in ctx.grades)
        if close is not None and not inside_grade and w.prepositions.match_at(toks, close + 1):
            k = close + 1
    while k < len(toks) and toks[k].low in {"or", "and", ","}:
        other = next((x for x in ctx.grades if x.i in (k + 1, k + 2)), None)
        if other is None:
            break
        k = _skip(ctx, other.j, w.overall, w.grade_nouns)
    return k


def _list_follows(ctx: Context, k: int) -> bool:
    """The sentence ends in a colon after the preposition ("rated good in the following areas:",
    "good at:"): the subjects are the bulleted lines that follow."""
    toks = ctx.toks
    end = len(toks)
    if end and toks[end - 1].is_dash and end > 1 and toks[end - 2].text == ":":
        end -= 1  # "good at:-"
    if not end or toks[end - 1].text != ":":
        return False
    w = words()
    return all(w.quantities.match_at(toks, x) or w.categories.match_at(toks, x) for x in range(k, end - 1))


FOLLOWING = -1  # the list is the bulleted lines after the sentence


def _after_count(ctx: Context, k: int, stop: int) -> tuple[list[int], bool]:
    """Past a count of areas to where their list may begin: "five areas including", "all three
    areas assessed: ", "a number of critical areas including", "six, including", "all three
    strands of the assessment for 2016 (A, B and C)". Returns (possible list starts, nearest
    first; whether a count was there). No start: the count names nothing; ``[FOLLOWING]``: the
    list is the bulleted lines after the sentence ("in the following areas, which …")."""
    w, toks = words(), ctx.toks
    if k >= stop or not (
        w.quantities.match_at(toks, k) or toks[k].low == "a" or w.categories.match_at(toks, k)
    ):
        return [k], False
    numbers = load_wording().numbers
    m = k
    while m < min(stop, k + 7) and toks[m].is_word and not w.categories.match_at(toks, m):
        m += 1
    if m < stop and w.categories.match_at(toks, m):
        m += w.categories.match_at(toks, m)
    elif m > k and toks[m - 1].low in numbers and not any(t.is_word for t in toks[m:stop]):
        return [], True  # "rated good in all three." counts what came before
    elif not (m > k and toks[m - 1].low in numbers and w.openers.match_at(toks, m)):
        return [k], False  # "in only one: A" and "in six, including A" count too
    starts = [x + n for x in range(m, min(stop, m + 12)) if (n := w.openers.match_at(toks, x))]
    if not starts and any(t.low == "following" for t in toks[k:m]):
        return [FOLLOWING], True
    return starts, True


def _report_pillar(ctx: Context, a: int, b: int) -> tuple[str, int, int] | None:
    """ "in an annual review of efficiency", "the PEEL legitimacy report, which graded …": the
    pillar a report reference in ``toks[a:b]`` names (a pillar word within three words of a
    report noun), when it names exactly one."""
    w, toks, pillars = words(), ctx.toks, graded_pillar_keys()
    if len({toks[x].low for x in range(a, min(b, len(toks))) if toks[x].low in pillars}) > 1:
        return None  # "an inspection of police effectiveness, efficiency and legitimacy" is all of PEEL
    found: dict[str, int] = {}
    for x in range(a, min(b, len(toks))):
        pillar = pillar_named(toks[x].text) if toks[x].low in pillars else None
        near = range(max(a, x - 3), min(b, x + 4))
        if pillar and any(w.report_nouns.match_at(toks, y) for y in near if y != x):
            found.setdefault(pillar, x)
    if len(found) != 1:
        return None
    x = next(iter(found.values()))
    return toks[x].text, x, x + 1


def subjects_then_grade(ctx: Context, g: GradeMention) -> Outcome:
    """The subjects, a copula, maybe a rating verb and a link, then the grade: "Investigating
    crime and managing offenders were judged as requiring improvement", "its planning for future
    demand is also assessed to be outstanding", "Crime data accuracy, which is rated as
    'Outstanding'", "except investigating crime, where it 'requires improvement'"."""
    w, toks = words(), ctx.toks
    bare = _skip_back(ctx, g.i, w.adverbs)  # "its investigation of crime also required improvement"
    k = _skip_back(ctx, g.i, w.links)
    if k > 0 and toks[k - 1].text == ":":  # "… is: good"
        k = _skip_back(ctx, k - 1, w.links)
    verb = w.rating_verbs.match_ending_at(toks, k)
    k -= verb
    k = _skip_back(ctx, k, w.adverbs)
    copula = w.copulas.match_ending_at(toks, k)
    k -= copula
    if copula and k > 0 and toks[k - 1].low in {"has", "have", "had"}:
        k -= 1
    k = _skip_back(ctx, k, w.adverbs)
    as_verb = g.grade == "requires improvement" and not g.weak and not (copula or verb)
    if as_verb:
        k = bare
    if not (copula or verb or as_verb):
        return None
    if g.weak and not verb:
        return None
    # a relative clause: the subject is the noun phrase before ", which" / "where it"
    if k > 0 and toks[k - 1].low in {"it", "they"} and k > 1 and toks[k - 2].low == "where":
        k -= 2
    elif k > 0 and toks[k - 1].low in {"which", "that", "who"}:
        k -= 1
        while k > 1 and toks[k - 1].low in {"and", ","}:
            earlier = next((x for x in range(k - 2, max(0, k - 25), -1) if toks[x].low == "which"), None)
            if earlier is None:
                break
            k = earlier
    while k > 0 and (toks[k - 1].is_quote or toks[k - 1].text == ","):
        k -= 1
    start = max(_prev_grade_end(ctx, g), ctx.clause_start(k), ctx.consumed)
    if _force_reference(ctx, _np_start(ctx, start, k), k):
        return force_graded(ctx, g, "subjects-then-grade")
    pieces = split_list(toks, start, k, lambda a, b: subject_fit(ctx, a, b), backwards=True)
    if pieces:
        return Attached("subjects-then-grade", _pieces_to_subjects(ctx, pieces))
    if verb:
        return rated_subject_as(ctx, g, k + copula)
    return Unattached("no framework subject before the verb")


def grade_changed(ctx: Context, g: GradeMention) -> Outcome:
    """A grade changed: "the grade for 'Responding to the public' was changed from 'adequate' to
    'requires improvement'", "A went from good to outstanding". The new grade is the subject's;
    the old one is not a judgment of this document."""
    w, toks = words(), ctx.toks
    old = next((x for x in ctx.grades if x.j <= g.i and g.i - x.j <= 4), None)
    if (
        old is not None
        and toks[_skip(ctx, old.j)].low == "to"
        and old.i > 0
        and toks[_skip_back(ctx, old.i) - 1].low == "from"
    ):
        k = _skip_back(ctx, old.i) - 1
    else:
        new = next((x for x in ctx.grades if x.i >= g.j and x.i - g.j <= 4), None)
        if (
            new is not None
            and toks[_skip(ctx, g.j)].low == "to"
            and g.i > 0
            and toks[_skip_back(ctx, g.i) - 1].low == "from"
        ):
            return Unattached("the grade a subject changed from", final=True)
        return None
    verb = w.change_verbs.match_ending_at(toks, k)
    if not verb:
        return None
    # the subject after the new grade: "improved from inadequate to requires improvement in A"
    after = grade_then_subjects(ctx, g)
    if isinstance(after, Attached):
        after.rule = "grade-changed"
        return after
    # the subject before the verb: "the grade for 'A' was changed from adequate to good"
    k = _skip_back(ctx, k - verb, w.adverbs)
    k -= w.copulas.match_ending_at(toks, k)
    if k > 0 and toks[k - 1].low in {"has", "have", "had"}:
        k -= 1
    k = _skip_back(ctx, k)
    start = max(_prev_grade_end(ctx, old), ctx.clause_start(k), ctx.consumed)
    pieces = split_list(toks, start, k, lambda a, b: subject_fit(ctx, a, b), backwards=True)
    if pieces:
        return Attached("grade-changed", _pieces_to_subjects(ctx, pieces))
    return Unattached("a grade changed, but no framework subject is named")


def subject_dash_grade(ctx: Context, g: GradeMention) -> Outcome:
    """A subject, a dash or colon, and its grade, standing alone: "Preventing crime – adequate.",
    "Treatment of the public: good", a question and its grade ("How well does the force plan for
    the future?Good"), and such pairs run together when a list lost its line breaks ("Preventing
    crime: Good Responding to the public: Inadequate …")."""
    toks = ctx.toks
    end = _skip(ctx, g.j)
    # (by index: a slice of the rest of a long sentence would copy it for every grade)
    after = next(
        (toks[x] for x in range(end, len(toks)) if toks[x].is_word or toks[x].text in {".", ";"}), None
    )
    if after is not None and after.is_word and not after.text[0].isupper():
        return None  # the sentence goes on: "Investigating crime: good progress was made"
    k = _skip_back(ctx, g.i)  # the separator is toks[k - 1]
    if k == 0 or not (toks[k - 1].is_dash or toks[k - 1].text in {":", "?"}):
        return None
    start = _prev_grade_end(ctx, g)
    while start < k - 1 and not toks[start].is_word:
        start += 1  # a bullet or an opening quote
    last = _skip_back(ctx, k - 1)
    if subject_fit(ctx, start, last) is None:
        return Unattached("a dash before the grade, but no framework subject before it")
    shown = k if toks[k - 1].text == "?" else last  # a question keeps its question mark
    return Attached("subject-dash-grade", [(ctx.span_text(start, shown), start, shown)])


def grade_as_was(ctx: Context, g: GradeMention) -> Outcome:
    """A second subject shares the grade: "Its prevention work was rated 'adequate', as was its
    support and protection of the workforce", "A is good, and so is B"."""
    w, toks = words(), ctx.toks
    k = g.j
    while k < len(toks) and (toks[k].is_quote or toks[k].text == ","):
        k += 1  # "rated as “adequate,” as was …"
    if k + 1 < len(toks) and toks[k].low == "as" and w.copulas.match_at(toks, k + 1):
        k += 1 + w.copulas.match_at(toks, k + 1)
    elif (
        k + 2 < len(toks)
        and toks[k].low == "and"
        and toks[k + 1].low == "so"
        and w.copulas.match_at(toks, k + 2)
    ):
        k += 2 + w.copulas.match_at(toks, k + 2)
    else:
        return None
    pieces = _right_list(ctx, g, k)
    if not pieces:
        return None
    return Attached("grade-as-was", _pieces_to_subjects(ctx, pieces))


def graded_areas_are(ctx: Context, g: GradeMention) -> Outcome:
    """The areas given a grade, then a copula or "include", then the list: "the areas requiring
    improvement are A; B and C", "the 'inadequate' areas included A and B", "Under the 'adequate'
    grade was: A; B", "Areas found to require improvement were A, B and C"."""
    w, toks = words(), ctx.toks
    lo = max(_prev_grade_end(ctx, g), g.i - 6)
    before = range(lo, g.i)
    named_before = any(w.categories.match_at(toks, x) for x in before) or any(
        toks[x].low == "under" for x in before
    )
    k = _skip(ctx, g.j, w.grade_nouns, w.categories)
    named_after = k > g.j and any(
        w.categories.match_at(toks, x) or w.grade_nouns.match_at(toks, x) for x in range(g.j, k)
    )
    if not (named_before or named_after):
        return None
    n = w.copulas.match_at(toks, k) or (
        toks[k].low in {"include", "includes", "included", "including"} if k < len(toks) else 0
    )
    if not n:
        return None
    k += int(n)
    if k < len(toks) and toks[k].text == ":":
        k += 1
    if _list_follows(ctx, k) or k >= len(toks):
        return Attached("grade-then-bullets")
    pieces = _right_list(ctx, g, k)
    if pieces:
        return Attached("graded-areas-are", _pieces_to_subjects(ctx, pieces))
    return Unattached("no framework subject in the list of graded areas")


def _np_start(ctx: Context, start: int, end: int) -> int:
    """The start of the noun phrase ending at ``end`` (back to the last clause word or comma)."""
    w = words()
    for x in range(end - 1, start - 1, -1):
        if (
            ctx.toks[x].text in {",", ";"}
            or w.clause_breaks.match_at(ctx.toks, x)
            or ctx.toks[x].low == "and"
        ):
            return x + 1
    return start


def rated_subject_as(ctx: Context, g: GradeMention, end: int | None = None) -> Outcome:
    """A rating verb, the subject, a link, then the grade: "they rated our management of
    offenders as good", "The report grades Cleveland Police's crime recording processes as
    'good'". When the subject is the force, see :func:`force_graded`."""
    w, toks = words(), ctx.toks
    k = _skip_back(ctx, g.i, w.links) if end is None else end
    lo = max(_prev_grade_end(ctx, g), k - 20)
    verb_at = next((x for x in range(k - 1, lo - 1, -1) if w.rating_verbs.match_at(toks, x)), None)
    if verb_at is None:
        return None
    a = verb_at + w.rating_verbs.match_at(toks, verb_at)
    if a >= k:
        return None
    if _force_reference(ctx, a, k):
        return force_graded(ctx, g, "rated-force-as")
    named = _force_named_in(ctx, a, k)
    pieces = split_list(toks, a, k, lambda s, e: subject_fit(ctx, s, e), backwards=True)
    if pieces and pieces[0].start <= a + 4:
        if named and ctx.doc_force and ctx.doc_force not in named:
            return Unattached(f"grades another force ({named[0]})")
        return Attached("rated-subject-as", _pieces_to_subjects(ctx, pieces))
    return Unattached("no framework subject between the rating verb and the grade")


def grade_noun_subject(ctx: Context, g: GradeMention) -> Outcome:
    """A grade, the subject, then a grade noun: "received a good efficiency rating", "an
    'outstanding' crime recording grade"."""
    w, toks = words(), ctx.toks
    for end in range(g.j + 1, min(len(toks), g.j + 6)):
        if w.grade_nouns.match_at(toks, end):
            a = g.j + (1 if g.j < len(toks) and toks[g.j].is_quote else 0)
            fit = subject_fit(ctx, a, end)
            if fit is not None:
                return Attached("grade-noun-subject", [(ctx.span_text(a, end), a, end)])
            return None
    return None


def force_graded(ctx: Context, g: GradeMention, how: str) -> Outcome:
    """The force itself is graded and no subject follows the grade ("Cleveland Police has been
    rated inadequate overall", "has graded the Force as 'Requires Improvement'"). The subject is
    all of PEEL when the sentence says "overall", else the pillar a report reference in the
    sentence names ("in an annual review of efficiency"), else the document's one pillar; with
    none of these it is left unread."""
    w, toks = words(), ctx.toks
    after = _after_grade(ctx, g)
    if _looks_back(ctx, g):
        return Unattached("the force's grade in an earlier inspection")
    opening = next((x for x in range(len(toks)) if toks[x].is_word), 0)
    if (
        any(w.overall.match_at(toks, x) for x in range(g.j, after))
        or (g.i > 0 and w.overall.match_ending_at(toks, g.i))
        or w.overall.match_at(toks, opening)  # "Overall, Kent Police is good."
    ):
        return Attached("force-graded-overall", [("overall", g.i, g.j)])
    named = _report_pillar(ctx, 0, len(toks))
    if named:
        return Attached("force-graded-in-report", [named])
    if after < len(toks) and w.prepositions.match_at(toks, after):
        return Unattached("the force is graded, but what follows names no framework subject")
    if ctx.inspectorate:
        # in the inspectorate's own report "the force requires improvement" restates the grade of
        # the section it stands in, which the section's own layout gives
        return Unattached("the force is graded without a subject, in the inspectorate's report")
    if ctx.doc_pillar:
        return Attached("force-graded-document-pillar", [(ctx.doc_pillar.capitalize(), g.i, g.j)])
    # "Durham Constabulary has been rated as 'outstanding'" says the force is outstanding, but not
    # at what: all of PEEL, or the one report the text goes on to describe. Saying nothing is safer.
    return Unattached(f"the force is graded without a subject ({how})")


def _looks_back(ctx: Context, g: GradeMention) -> bool:
    """The clause speaks of an earlier inspection: "last year, when we judged the force to be
    good", "since our inspection in 2015, when it was judged as good", "previously rated"."""
    lo = max(0, g.i - 14)
    earlier = words().earlier_words
    for x in range(lo, g.i):
        low = ctx.toks[x].low
        if low in earlier:
            return True
        if low.isdigit() and len(low) == 4 and ctx.cycle and low < ctx.cycle[:4]:
            return True
    return False


def overall_grading(ctx: Context, g: GradeMention) -> Outcome:
    """ "The overall grading for West Mercia in the latest report was 'requires improvement'",
    "an overall rating of good": the document's one pillar, else all of PEEL."""
    w, toks = words(), ctx.toks
    lo = max(_prev_grade_end(ctx, g), g.i - 14)
    for x in range(g.i - 1, lo - 1, -1):
        n = w.overall.match_at(toks, x)
        noun = w.grade_nouns.match_at(toks, x + n) if n else 0
        if noun:
            end = x + n + noun
            named = _force_named_in(ctx, end, g.i)
            if named and ctx.doc_force and ctx.doc_force not in named:
                return Unattached(f"grades another force ({named[0]})")
            named_report = _report_pillar(ctx, 0, len(toks))
            if named_report:
                return Attached("overall-grading-of-report", [named_report])
            if ctx.doc_pillar:
                return Attached("overall-grading", [(ctx.doc_pillar.capitalize(), x, end)])
            return Attached("overall-grading", [("overall", x, end)])
    return None


RELATIONS = (
    subject_dash_grade,
    grade_changed,
    grade_then_subjects,
    graded_areas_are,
    overall_grading,
    subjects_then_grade,
    rated_subject_as,
    grade_noun_subject,
)


# ----------------------------------------------------------------------------- precision rules


def why_not(ctx: Context, g: GradeMention) -> str | None:
    """A reason this grade expression states no judgment of this force, or None.

    * ``negated``: "is not good at", "was never rated outstanding";
    * ``hypothetical``: "could be graded inadequate", "if it fails it would be …";
    * ``national``: "24 forces were rated good", "no force was outstanding";
    * ``other force``: the sentence grades another force than the document's.
    """
    w, toks = words(), ctx.toks
    if _attributive(ctx, g):
        return f"describes a noun ('{ctx.span_text(g.i, g.j + 1)}')"
    lo = ctx.clause_start(g.i)
    window = range(max(lo, g.i - 4), g.i)
    if any(w.negations.match_at(toks, x) for x in window):
        return "negated"
    clause = range(max(lo, _prev_grade_end(ctx, g), g.i - 10), g.i)
    if any(w.hedges.match_at(toks, x) for x in clause):
        return "hypothetical"
    # the sentence up to the grade, not only its last clause: in "Kent was the only force in England
    # and Wales that we judged outstanding" the subject comes before "that"
    sentence = max(_prev_grade_end(ctx, g), g.i - 20)
    if any(w.national.match_at(toks, x) for x in range(sentence, g.i)) and not _one_of(ctx, g):
        return "about forces in general"
    # the first force named is the one graded: "Suffolk Constabulary, which shares services with
    # Norfolk, was rated outstanding" grades Suffolk, in a document about Norfolk
    named = _force_named_in(ctx, sentence, g.i)
    if named and ctx.doc_force and named[0] != ctx.doc_force:
        return f"grades another force ({named[0]})"
    return None


def _attributive(ctx: Context, g: GradeMention) -> bool:
    """ "a good level of understanding", "good progress": the grade word describes the noun after
    it. A grade noun ("an outstanding rating"), a preposition, "overall" or a capital after it
    (a flattened table row) do not count."""
    w, toks = words(), ctx.toks
    if g.quoted or g.j >= len(toks) or g.j - g.i > 1 or g.grade in {"requires improvement", "ungraded"}:
        return False
    nxt = toks[g.j]
    if not nxt.is_word or not nxt.text[0].islower():
        return False
    if any(w.grade_nouns.match_at(toks, x) for x in range(g.j + 1, min(len(toks), g.j + 4))):
        return False  # "a good efficiency rating": the words between name what was graded
    if any(
        s.match_at(toks, g.j) for s in (w.grade_nouns, w.prepositions, w.overall, w.copulas, w.categories)
    ):
        return False
    return nxt.low not in w.predicate_followers


def _one_of(ctx: Context, g: GradeMention) -> bool:
    """ "one of only five forces rated outstanding": national words, but about this force."""
    return any(
        t.low == "one" and u.low == "of" for t, u in zip(ctx.toks[: g.i], ctx.toks[1 : g.i], strict=False)
    )
