"""Grade words: one regular expression built from the vocabulary, and normalisation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from peelwatch.framework.vocabulary import load_vocabulary

QUOTE = "[‘'\"“”’]"


@dataclass(frozen=True)
class GradeMatcher:
    pattern: re.Pattern[str]  # one grade phrase, group "grade"
    line: re.Pattern[str]  # a line that is only a grade (optionally quoted, with a colon or full stop)
    pending: re.Pattern[str]
    lookup: dict[str, str]

    def grade_of(self, phrase: str) -> str | None:
        return self.lookup.get(re.sub(r"\s+", " ", phrase.strip().lower().strip("‘'\"“”’:.")))


@lru_cache(maxsize=1)
def grade_matcher() -> GradeMatcher:
    vocab = load_vocabulary()
    lookup: dict[str, str] = {}
    for grade, words in vocab.grade_words.items():
        for w in words:
            lookup[w.lower()] = grade
    alternatives = sorted(lookup, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alternatives)
    pattern = re.compile(rf"(?<![\w-])(?P<grade>{body})(?![\w-])", re.IGNORECASE)
    # a grade alone on its line, perhaps labelled: "Good", "Grade: Adequate", "Our judgment – Good"
    label = r"(?:(?:overall\s+|our\s+)?(?:grade|grading|rating|judge?ment)\s*[:–-]?\s*)?"
    line = re.compile(rf"^\s*{label}{QUOTE}?(?P<grade>{body}){QUOTE}?\s*[.:]?\s*\d?\s*$", re.IGNORECASE)
    pending = re.compile("|".join(re.escape(p) for p in vocab.pending_grade), re.IGNORECASE)
    return GradeMatcher(pattern, line, pending, lookup)
