"""Text normalisation shared by the lookups: one place decides what counts as "the same name"."""

from __future__ import annotations

import re
import unicodedata

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_QUOTES = dict.fromkeys(map(ord, "‘’‛′"), "'")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_INNER_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_SPACE = re.compile(r"\s+")


def plain(text: str) -> str:
    """Fold typography: NFKC, curly quotes and every dash to ASCII, runs of space to one."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip()


def name_key(text: str) -> str:
    """Normalise a force name: case, "&" vs "and", punctuation and the word "the" ignored.

    "The Met" -> "met"; "Avon & Somerset" and "avon-and-somerset" -> "avon and somerset".
    """
    text = plain(text).lower().replace("&", " and ")
    words = [w for w in _NON_WORD.sub(" ", text).split() if w != "the"]
    return " ".join(words)


def label_key(text: str) -> str:
    """Normalise a cycle label: case, dash forms, spaces and a leading "PEEL" ignored.

    "PEEL 2023–25" -> "2023-25"; " 2021/22 " -> "2021/22"; "PEEL: 2014" -> "2014".
    """
    text = plain(text).lower()
    text = re.sub(r"^peel\b[\s:,-]*", "", text)
    return _SPACE.sub(" ", text).strip(" .:")


# Words carrying no subject meaning: the frame of a question ("how effective is the force at")
# minus the pillar adjective, which is kept because it separates "How effective ..." from
# "How efficient ..." headlines.
_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "does",
        "do",
        "for",
        "force",
        "forces",
        "constabulary",
        "good",
        "has",
        "have",
        "how",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "police",
        "the",
        "their",
        "them",
        "this",
        "to",
        "well",
        "what",
        "which",
        "with",
        "extent",
        # Grade words: a heading often carries its grade ("Investigating crime: Requires
        # improvement"), and no subject is named by them.
        "outstanding",
        "adequate",
        "inadequate",
        "requires",
        "require",
        "requiring",
        "improvement",
        "graded",
        "ungraded",
    }
)

# Light stemming for the words that tell pillars apart, so "effectively", "effectiveness" and
# "effective" compare equal while "efficient" stays different.
_STEMS = {
    "effectiveness": "effective",
    "effectively": "effective",
    "efficiency": "efficient",
    "efficiently": "efficient",
    "legitimacy": "legitimate",
    "legitimately": "legitimate",
}


def subject_words(text: str) -> list[str]:
    """The meaningful words of a subject phrase, in order.

    Hyphens inside words are dropped ("anti-social" = "antisocial", "re-offending" =
    "reoffending"), the pillar words stemmed and frame words ("how", "is", "the", "force", ...)
    removed.
    """
    text = plain(text).lower().replace("&", " and ").replace("'s", "")
    text = _INNER_HYPHEN.sub("", text)
    words = (_STEMS.get(w, w) for w in _NON_WORD.sub(" ", text).split())
    # Numbers are dropped too: "Question 2", "Area 3" number a subject, they do not name it.
    return [w for w in words if w not in _STOPWORDS and not w.isdigit()]


def subject_key(text: str) -> str:
    """The meaningful words of a subject phrase, sorted, so word order does not matter."""
    return " ".join(sorted(subject_words(text)))


def grade_key(text: str) -> str:
    """Normalise a grade word: case, hyphens, surrounding punctuation and spaces ignored."""
    text = plain(text).lower().replace("-", " ").replace("_", " ")
    return _SPACE.sub(" ", text).strip(" .,;:!?*()[]'\"")
