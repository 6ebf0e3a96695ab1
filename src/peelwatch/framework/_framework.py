"""The Framework object: typed lookups over the PEEL data files."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import get_args

from peelwatch.errors import UnknownNameError

from ._load import RawFramework
from ._text import grade_key, label_key, name_key, plain, subject_words
from .model import Cycle, Force, Grade, Scope, Subject

SCOPES: tuple[str, ...] = get_args(Scope)

# Generic words that people add to or drop from a force's name ("Cheshire Police" for Cheshire
# Constabulary). Tried only after an exact lookup fails, so they never override a real name.
_GENERIC_TAIL = re.compile(r"\s+(police service|police force|police|constabulary|force)$")
_GENERIC_HEAD = re.compile(r"^heddlu\s+")

_URL_OLD = re.compile(r"/peel-(20\d\d)/([a-z][a-z-]*[a-z])(?:/|$|\?|#)")
_URL_NEW = re.compile(r"/peel-reports/([a-z][a-z-]*?)-(20\d\d-\d\d)(?:/|$|\?|#)")

DEFAULT_THRESHOLD = 80.0


def stems(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Crude word stems: the first five letters of each word, in order.

    Enough to equate "protects"/"protecting" and "investigations"/"investigating" while
    keeping "reducing" apart from "recording" and "efficient" apart from "effective".
    """
    return tuple(w[:5] for w in words)


def _contains_run(seq: tuple[str, ...], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(seq[i : i + n] == run for i in range(len(seq) - n + 1))


def score_subject_text(
    query: str,
    q_stems: tuple[str, ...],
    candidate: str,
    c_stems: tuple[str, ...],
    ratio: Callable[[str, str], float],
) -> float:
    """Similarity 0-100 of two subject phrases given as sorted-word keys and ordered stems.

    The mean of a character score (catches typos and inflections) and a word score (Dice
    overlap of stems; stops "reducing crime" matching "crime recording" on letters alone).
    A query of two or more words that appears, in order, inside a candidate only a little
    longer scores 85 to 90, so "investigating crime" finds "investigating crime and
    reducing re-offending" but "reducing crime" does not; one-word queries get no such
    credit ("crime" would otherwise match everything).
    """
    if query == candidate:
        return 100.0
    shared = sum(1 for st in set(q_stems) if st in c_stems)
    words = 200.0 * shared / (len(set(q_stems)) + len(set(c_stems)))
    score = (ratio(query, candidate) + words) / 2
    if 2 <= len(q_stems) < len(c_stems) <= len(q_stems) + 3 and _contains_run(c_stems, q_stems):
        # 85 to 90: the less the candidate adds to the query, the better the match.
        score = max(score, 85.0 + 5.0 * len(q_stems) / len(c_stems))
    return score


class _SubjectIndex:
    """Candidate phrases of one (cycle, scope) selection, with an exact map and a stem index."""

    __slots__ = ("by_stem", "entries", "exact", "phrases")

    def __init__(self, entries: list[tuple[str, tuple[str, ...], Subject]]) -> None:
        self.entries = entries
        self.exact: dict[str, Subject] = {}
        self.by_stem: dict[str, list[int]] = {}
        for i, (text, text_stems, subject) in enumerate(entries):
            self.exact.setdefault(text, subject)  # first = most recent cycle
            for stem in text_stems:
                self.by_stem.setdefault(stem, []).append(i)
        # For subjects_mentioned: phrase stem runs by first stem, longest first. Entries hold
        # stems in the phrase's own word order.
        self.phrases: dict[str, list[tuple[tuple[str, ...], Subject]]] = {}
        for _text, text_stems, subject in entries:
            if len(text_stems) >= 2:
                self.phrases.setdefault(text_stems[0], []).append((text_stems, subject))
        for runs in self.phrases.values():
            runs.sort(key=lambda r: -len(r[0]))  # stable: most recent cycle first among equals


class Framework:
    """The PEEL framework: forces, cycles, subjects and grades, with lookups.

    Build it with :func:`peelwatch.framework.load_framework`; every lookup is in memory.
    """

    def __init__(self, raw: RawFramework) -> None:
        self.forces: tuple[Force, ...] = raw.forces
        self.cycles: tuple[Cycle, ...] = raw.cycles
        self.grades: tuple[Grade, ...] = raw.grades
        self.pending_phrases: tuple[str, ...] = raw.pending
        # Grade words of the pre-PEEL baseline assessments (Excellent/Fair/Poor): not PEEL grades.
        self.not_peel_words: tuple[str, ...] = raw.not_peel
        self.keys: Mapping[str, str] = MappingProxyType(dict(raw.keys))
        self._related = raw.related
        self._by_slug = {f.slug: f for f in raw.forces}
        self._preferred = dict(raw.preferred)

        # Forces: normalised name -> force; ambiguous names -> every force, preferred first.
        self._force_index: dict[str, Force] = {}
        self._ambiguous: dict[str, tuple[Force, ...]] = {}
        for force in raw.forces:
            for name in (force.slug, force.name, *force.aliases, *force.abbreviations, *force.former_names):
                self._force_index[name_key(name)] = force
        for alias, slug in raw.preferred.items():
            preferred = self._by_slug[slug]
            others = tuple(f for f in raw.forces if alias in f.ambiguous_aliases and f is not preferred)
            self._ambiguous[name_key(alias)] = (preferred, *others)

        # Cycles.
        self._cycle_index: dict[str, Cycle] = {}
        for cycle in raw.cycles:
            for name in (cycle.label, cycle.slug, *cycle.aliases):
                self._cycle_index[label_key(name)] = cycle

        names = sorted(
            {plain(n) for c in raw.cycles for n in (c.label, *c.aliases) if not n.upper().startswith("PEEL")},
            key=len,
            reverse=True,  # longest first, so "2018/2019" wins over "2018"
        )
        self._cycle_in_text = re.compile(
            r"\bPEEL\s*:?\s*(" + "|".join(re.escape(n) for n in names) + r")(?![\w/-])", re.IGNORECASE
        )

        # Subjects: newest cycle first, so that when no cycle is given a tie goes to the most
        # recent wording (the one a new document most likely uses).
        self._subjects: tuple[Subject, ...] = tuple(s for c in raw.cycles for s in c.subjects)
        self._subject_by_id = {s.id: s for s in self._subjects}
        self._subject_by_key = {(s.cycle, s.key): s for s in self._subjects}
        ordered = [s for c in reversed(raw.cycles) for s in c.subjects]
        self._candidates: list[tuple[str, tuple[str, ...], Subject]] = []
        for s in ordered:
            seen: set[str] = set()
            for phrase in (s.name, s.short, *s.aliases):  # name first, then short label, aliases
                words = subject_words(phrase or "")
                key = " ".join(sorted(words))
                if key and key not in seen:
                    seen.add(key)
                    self._candidates.append((key, stems(words), s))
        self._index_cache: dict[tuple[str | None, str | None], _SubjectIndex] = {}
        # Extractors ask about the same headings again and again; the data never changes.
        self._match_cached = lru_cache(maxsize=4096)(self._match)

        # Grades.
        self._grade_index: dict[str, Grade] = {}
        self._grade_abbrev: dict[str, Grade] = {}
        for grade in raw.grades:
            for variant in (grade.value, *grade.variants):
                self._grade_index[grade_key(variant)] = grade
            for abbrev in grade.abbreviations:
                self._grade_abbrev[abbrev] = grade
        self._pending_re = re.compile(
            r"\b(?:" + "|".join(re.escape(grade_key(p)) for p in raw.pending) + r")\b"
        )

    # ------------------------------------------------------------------ forces

    def find_force(self, name: str) -> Force | None:
        """The force a name means, or None.

        Accepts the slug, official name, any alias, abbreviation or former name, ignoring case,
        punctuation, "the" and "&" vs "and". An ambiguous name ("WMP") gives its preferred force
        (see ``forces_for`` for all of them). A generic ending the name does not have in the
        data is tolerated ("Cheshire Police", "Kent Constabulary").
        """
        key = name_key(name)
        if not key:
            return None
        if found := self._force_index.get(key) or self._first_ambiguous(key):
            return found
        bare = _GENERIC_HEAD.sub("", _GENERIC_TAIL.sub("", key))
        if bare != key:
            return self._force_index.get(bare) or self._first_ambiguous(bare)
        return None

    def _first_ambiguous(self, key: str) -> Force | None:
        candidates = self._ambiguous.get(key)
        return candidates[0] if candidates else None

    def force(self, name: str) -> Force:
        """Like :meth:`find_force`, but raise UnknownNameError with up to 3 suggestions."""
        found = self.find_force(name)
        if found is None:
            raise UnknownNameError("force", name, self._force_suggestions(name))
        return found

    def forces_for(self, name: str) -> tuple[Force, ...]:
        """Every force a name may mean: two for "WMP" (preferred first), one or none otherwise."""
        key = name_key(name)
        if key in self._ambiguous:
            return self._ambiguous[key]
        found = self.find_force(name)
        return (found,) if found else ()

    def force_names(self) -> dict[str, Force]:
        """Every name, alias, abbreviation, former name and slug, lower-cased, to its force.

        Ambiguous aliases map to their preferred force ("wmp" -> West Midlands Police); check
        ``Force.ambiguous_aliases`` or ``forces_for`` where the difference matters. Names are
        lower-cased but otherwise as written ("the met", "avon & somerset"), ready for searching
        text; abbreviations should still be searched for case-sensitively (``Force.abbreviations``).
        """
        names: dict[str, Force] = {}
        for force in self.forces:
            for name in (force.slug, force.name, *force.aliases, *force.abbreviations, *force.former_names):
                names[plain(name).lower()] = force
        for alias, slug in self._preferred.items():
            names[plain(alias).lower()] = self._by_slug[slug]
        return names

    def _force_suggestions(self, name: str) -> list[str]:
        from rapidfuzz import fuzz, process  # only needed when a lookup fails

        key = name_key(name)
        if not key:
            return []
        matches = process.extract(key, list(self._force_index), scorer=fuzz.WRatio, limit=12, score_cutoff=60)
        suggestions: list[str] = []
        for matched, _score, _ in matches:
            official = self._force_index[matched].name
            if official not in suggestions:
                suggestions.append(official)
        return suggestions[:3]

    # ------------------------------------------------------------------ cycles

    def find_cycle(self, text: str) -> Cycle | None:
        """The cycle a label means ("2018-19", "PEEL 2021/22", "2023 to 2025"), or None.

        If ``text`` is not itself a label, the first "PEEL <label>" written in it counts
        ("PEEL 2023–2025: An inspection of Essex Police"). A bare year or year range in running
        text does not, because "2021/22" is just as often a financial year.
        """
        found = self._cycle_index.get(label_key(text))
        if found is None and (m := self._cycle_in_text.search(plain(text))):
            found = self._cycle_index.get(label_key(m.group(1)))
        return found

    def cycle(self, label: str) -> Cycle:
        """The cycle a label or alias names; raise UnknownNameError with suggestions otherwise.

        Stricter than :meth:`find_cycle`: the whole string must be a label ("2023-25",
        "PEEL 2021/22"), not text that contains one.
        """
        found = self._cycle_index.get(label_key(label))
        if found is None:
            raise UnknownNameError("cycle", label, self._cycle_suggestions(label))
        return found

    def _cycle_suggestions(self, label: str) -> list[str]:
        # Suggest the cycles whose years appear in the label, or else all of them.
        years = {int(y) for y in re.findall(r"20\d\d", label)}
        near = [c.label for c in self.cycles if years & set(c.years)]
        return near[:3] if near else [c.label for c in self.cycles][:3]

    def parse_url(self, url: str) -> tuple[Force | None, Cycle | None]:
        """Force and cycle from an inspectorate web address, where it follows the known pattern.

        ``…/peel-assessments/peel-2017/cheshire/`` and ``…/peel-reports/cheshire-2023-25/``.
        """
        if m := _URL_NEW.search(url):
            return self.find_force(m.group(1)), self.find_cycle(m.group(2))
        if m := _URL_OLD.search(url):
            return self.find_force(m.group(2)), self.find_cycle(m.group(1))
        return None, None

    # ------------------------------------------------------------------ subjects

    def subjects(self, cycle: str | None = None, scope: str | None = None) -> list[Subject]:
        """The subjects of one cycle (any label form) or of all cycles, optionally of one scope.

        Scope is one of "overall", "pillar", "question", "area". Order: oldest cycle first, then
        as in the data file (pillar, then its questions).
        """
        label = self.cycle(cycle).label if cycle is not None else None
        self._check_scope(scope)
        return [
            s
            for s in self._subjects
            if (label is None or s.cycle == label) and (scope is None or s.scope == scope)
        ]

    def subject(self, subject_id: str) -> Subject:
        """The subject with this id ("2015/effectiveness/q1", "2023-25/preventing-crime")."""
        try:
            return self._subject_by_id[subject_id]
        except KeyError:
            raise UnknownNameError("subject", subject_id) from None

    def subject_by_key(self, key: str, cycle: str) -> Subject | None:
        """The subject with a canonical key in one cycle, or None if the cycle had no such subject."""
        return self._subject_by_key.get((self.cycle(cycle).label, key))

    def related_keys(self, key: str) -> tuple[str, ...]:
        """Keys of themes folded into or split from this one ("anti-social-behaviour" for prevention)."""
        return self._related.get(key, ())

    def match_subject(
        self,
        text: str,
        cycle: str | None = None,
        scope: str | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> Subject | None:
        """The subject a phrase names, or None when nothing is close enough.

        Compares the meaningful words of ``text`` (question frame such as "How effective is the
        force at" removed, word order ignored) with each subject's name, short label and
        aliases, scoring 0-100 (see :func:`score_subject_text`); the best score at or above
        ``threshold`` wins. Without a cycle, ties go to the most recent cycle. Pass a heading,
        label or short phrase, not a whole paragraph.
        """
        label = self.cycle(cycle).label if cycle is not None else None
        self._check_scope(scope)
        return self._match_cached(text, label, scope, float(threshold))

    def _match(self, text: str, label: str | None, scope: str | None, threshold: float) -> Subject | None:
        words = subject_words(text)
        if not words:
            return None
        query = " ".join(sorted(words))
        index = self._index(label, scope)
        if (exact := index.exact.get(query)) is not None:
            return exact
        from rapidfuzz.fuzz import ratio  # imported on first use to keep package import cheap

        q_stems = stems(words)
        q_set = set(q_stems)
        # Count shared stems through the inverted index: a candidate sharing none cannot score.
        shared: dict[int, int] = {}
        for st in q_set:
            for i in index.by_stem.get(st, ()):
                shared[i] = shared.get(i, 0) + 1
        # The score is at most (100 + word score) / 2, so a candidate whose word score is below
        # 2 * threshold - 100, and which cannot earn the containment credit (it lacks some query
        # word), is skipped without computing the character score.
        floor = 2 * threshold - 100
        best_score, best = threshold, None
        for i in sorted(shared):
            candidate, c_stems, subject = index.entries[i]
            n = shared[i]
            if n < len(q_set) and 200.0 * n / (len(q_set) + len(set(c_stems))) < floor:
                continue
            score = score_subject_text(query, q_stems, candidate, c_stems, ratio)
            if score > best_score or (score == best_score and best is None):
                best_score, best = score, subject
        return best

    def subjects_mentioned(
        self, text: str, cycle: str | None = None, scope: str | None = None
    ) -> list[Subject]:
        """Subjects whose name, short label or alias (of two or more meaningful words) occurs in text.

        For running text such as an area for improvement ("The force should improve how it
        investigates crime"), where :meth:`match_subject` would rightly see a sentence, not a
        subject. Words are compared by stem, in order, with frame words skipped; the longest
        phrase wins where phrases overlap. One subject per key, in order of first mention;
        without a cycle the most recent cycle's subject stands for the key.
        """
        label = self.cycle(cycle).label if cycle is not None else None
        self._check_scope(scope)
        words = stems(subject_words(text))
        phrases = self._index(label, scope).phrases
        found: dict[str, Subject] = {}
        i = 0
        while i < len(words):
            for run, subject in phrases.get(words[i], ()):  # longest first
                if words[i : i + len(run)] == run:
                    found.setdefault(subject.key, subject)
                    i += len(run)
                    break
            else:
                i += 1
        return list(found.values())

    def _index(self, label: str | None, scope: str | None) -> _SubjectIndex:
        index = self._index_cache.get((label, scope))
        if index is None:
            entries = [
                (key, word_stems, s)
                for key, word_stems, s in self._candidates
                if (label is None or s.cycle == label) and (scope is None or s.scope == scope)
            ]
            index = _SubjectIndex(entries)
            self._index_cache[(label, scope)] = index
        return index

    @staticmethod
    def _check_scope(scope: str | None) -> None:
        if scope is not None and scope not in SCOPES:
            raise UnknownNameError("scope", scope, list(SCOPES))

    # ------------------------------------------------------------------ grades

    def grade(self, word: str, *, abbreviations: bool = True) -> Grade | None:
        """The grade a word or short phrase names ("Requires Improvement", "requiring improvement").

        Ignores case, hyphens and surrounding punctuation. Table abbreviations ("RI") count only
        in their exact case and only if ``abbreviations`` is true. Pending phrases ("not yet
        graded") and anything else return None: they are not grades.
        """
        stripped = plain(word).strip(" .,;:*()[]")
        if abbreviations and stripped in self._grade_abbrev:
            return self._grade_abbrev[stripped]
        return self._grade_index.get(grade_key(word))

    def grade_value(self, value: str) -> Grade:
        """The Grade object for a canonical value; raise UnknownNameError if there is none."""
        for grade in self.grades:
            if grade.value == value:
                return grade
        raise UnknownNameError("grade", value, [g.value for g in self.grades][:3])

    def is_pending(self, text: str) -> bool:
        """True if the text says a grade is still to come ("Not yet graded", "To be graded")."""
        return bool(self._pending_re.search(grade_key(text)))
