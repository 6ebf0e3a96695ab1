"""The extractor's vocabulary (``data/vocabulary.yaml``): grade words, headings and cue phrases."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Vocabulary:
    """Word lists the extractor matches against; see the comments in vocabulary.yaml."""

    grade_words: dict[str, tuple[str, ...]]
    pending_grade: tuple[str, ...]
    ungraded_statements: tuple[str, ...]
    judging_verbs: tuple[str, ...]
    # findings and responses: see the comments in vocabulary.yaml
    finding_type_words: dict[str, tuple[str, ...]]
    finding_labels: dict[str, tuple[str, ...]]
    finding_negations: tuple[str, ...]
    finding_subjects: tuple[str, ...]
    finding_modals: tuple[str, ...]
    finding_imperatives: tuple[str, ...]
    deadline_words: tuple[str, ...]
    concern_phrases: tuple[str, ...]
    concern_verbs: tuple[str, ...]
    recommenders: tuple[str, ...]
    recommend_verbs: tuple[str, ...]
    finding_appositives: tuple[str, ...]
    tracker_statuses: tuple[str, ...]
    meeting_requests: tuple[str, ...]
    commissioner_led_forces: tuple[str, ...]
    fire_services: tuple[str, ...]
    response_headings: dict[str, tuple[str, ...]]
    responder_titles: dict[str, tuple[str, ...]]
    reply_verbs: tuple[str, ...]
    quoting_verbs: tuple[str, ...]
    author_voice: tuple[str, ...]
    answer_openers: tuple[str, ...]
    inspectorate_voice: tuple[str, ...]
    inspectorate_signatures: tuple[str, ...]
    inspectorate_names: tuple[str, ...]
    discharge_phrases: dict[str, tuple[str, ...]]
    statistics_headings: tuple[str, ...]
    kind_cues: dict[str, tuple[tuple[str, int], ...]]
    kind_patterns: dict[str, tuple[tuple[str, int], ...]]
    cycle_hints: dict[str, tuple[str, ...]]
    publication_windows: tuple[tuple[str, str, str], ...]
    cycle_years: dict[str, str]
    cycle_phrases: dict[str, tuple[str, ...]]
    not_subjects: frozenset[str]
    policing_words: tuple[str, ...]


def _tuple_map(raw: dict[str, list[Any]]) -> dict[str, tuple]:
    return {str(k): tuple(v) for k, v in raw.items()}


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Parse vocabulary.yaml once (the data is immutable, so caching it is safe)."""
    text = resources.files("peelwatch.framework").joinpath("data/vocabulary.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(text, Loader=loader)
    return Vocabulary(
        grade_words=_tuple_map(raw["grade_words"]),
        pending_grade=tuple(raw["pending_grade"]),
        ungraded_statements=tuple(raw["ungraded_statements"]),
        judging_verbs=tuple(raw["judging_verbs"]),
        finding_type_words=_tuple_map(raw["finding_type_words"]),
        finding_labels=_tuple_map(raw["finding_labels"]),
        finding_negations=tuple(raw["finding_negations"]),
        finding_subjects=tuple(raw["finding_subjects"]),
        finding_modals=tuple(raw["finding_modals"]),
        finding_imperatives=tuple(raw["finding_imperatives"]),
        deadline_words=tuple(raw["deadline_words"]),
        concern_phrases=tuple(raw["concern_phrases"]),
        concern_verbs=tuple(raw["concern_verbs"]),
        recommenders=tuple(raw["recommenders"]),
        recommend_verbs=tuple(raw["recommend_verbs"]),
        finding_appositives=tuple(raw["finding_appositives"]),
        tracker_statuses=tuple(raw["tracker_statuses"]),
        meeting_requests=tuple(raw["meeting_requests"]),
        commissioner_led_forces=tuple(raw["commissioner_led_forces"]),
        fire_services=tuple(raw["fire_services"]),
        response_headings=_tuple_map(raw["response_headings"]),
        responder_titles=_tuple_map(raw["responder_titles"]),
        reply_verbs=tuple(raw["reply_verbs"]),
        quoting_verbs=tuple(raw["quoting_verbs"]),
        author_voice=tuple(raw["author_voice"]),
        answer_openers=tuple(raw["answer_openers"]),
        inspectorate_voice=tuple(raw["inspectorate_voice"]),
        inspectorate_signatures=tuple(raw["inspectorate_signatures"]),
        inspectorate_names=tuple(raw["inspectorate_names"]),
        discharge_phrases=_tuple_map(raw["discharge_phrases"]),
        statistics_headings=tuple(raw["statistics_headings"]),
        kind_cues={k: tuple((str(p), int(w)) for p, w in v) for k, v in raw["kind_cues"].items()},
        kind_patterns={
            k: tuple((str(p), int(w)) for p, w in v) for k, v in raw.get("kind_patterns", {}).items()
        },
        cycle_hints=_tuple_map(raw.get("cycle_hints", {})),
        publication_windows=tuple(tuple(str(x) for x in w) for w in raw["publication_windows"]),
        cycle_years={str(k): str(c) for k, c in raw["cycle_years"].items()},
        cycle_phrases=_tuple_map(raw["cycle_phrases"]),
        not_subjects=frozenset(raw["not_subjects"]),
        policing_words=tuple(raw["policing_words"]),
    )
