"""How judgments are worded (``data/wording.yaml``): the word classes the judgment relations read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Wording:
    """Closed word classes around a grade; see the comments in wording.yaml for each."""

    weak_grades: dict[str, tuple[str, ...]]
    copulas: tuple[str, ...]
    rating_verbs: tuple[str, ...]
    adverbs: tuple[str, ...]
    complement_links: tuple[str, ...]
    subject_prepositions: tuple[str, ...]
    grade_nouns: tuple[str, ...]
    quantities: tuple[str, ...]
    categories: tuple[str, ...]
    list_openers: tuple[str, ...]
    clause_breaks: tuple[str, ...]
    list_joins: tuple[str, ...]
    possessives: tuple[str, ...]
    subject_noise: tuple[str, ...]
    hedges: tuple[str, ...]
    negations: tuple[str, ...]
    national: tuple[str, ...]
    report_nouns: tuple[str, ...]
    overall_words: tuple[str, ...]
    force_nouns: tuple[str, ...]
    same_grade: tuple[str, ...]
    function_words: tuple[str, ...]
    change_verbs: tuple[str, ...]
    not_subject_words: tuple[str, ...]
    not_subject_heads: tuple[str, ...]
    numbers: tuple[str, ...]
    count_words: tuple[str, ...]
    abbreviations: dict[str, str]
    noun_determiners: tuple[str, ...]
    predicate_followers: tuple[str, ...]
    earlier_words: tuple[str, ...]
    clause_openers: tuple[str, ...]


@lru_cache(maxsize=1)
def load_wording() -> Wording:
    """Parse wording.yaml once (the data is immutable, so caching it is safe), or read the copy
    an earlier process cached."""
    from ._load import data_file, read_cached

    return read_cached("wording", data_file("wording.yaml"), Wording, _read_wording)


def _read_wording() -> Wording:
    import yaml  # only when no cached copy can be read

    from ._load import data_file

    text = data_file("wording.yaml")["wording.yaml"]
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    fields = {}
    for name in Wording.__dataclass_fields__:
        value = raw[name]
        if isinstance(value, dict):
            fields[name] = {
                str(k): str(v) if isinstance(v, str) else tuple(str(x) for x in v) for k, v in value.items()
            }
        else:
            fields[name] = tuple(dict.fromkeys(str(x) for x in value))
    return Wording(**fields)
