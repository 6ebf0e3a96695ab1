"""The extractor's vocabulary (``data/vocabulary.yaml``): grade words, headings and cue phrases."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class KindEvidence:
    """One group of cues for one kind of document ("inspectorate voice": "we inspected", …)."""

    kind: str
    what: str  # how the group is named in an explanation
    view: str  # "author" (quoted speech removed) or "anywhere"
    cues: tuple[tuple[str, int], ...]  # (phrase, weight)
    publisher: bool = False  # names who publishes the page, not who speaks in it
    voice: bool = False  # the author speaking for itself ("we inspected", "I welcome")


@dataclass(frozen=True)
class KindPattern:
    """A cue that is a pattern rather than a phrase (a byline)."""

    kind: str
    what: str
    pattern: str
    weight: int


@dataclass(frozen=True)
class CycleCue:
    """A weak cue of the cycle ("His Majesty's Inspectorate" was written after September 2022):
    each phrase found adds ``weight`` to every cycle in ``cycles``, at most ``cap`` phrases count,
    and none when an ``unless`` phrase is in the text."""

    what: str
    phrases: tuple[str, ...]
    cycles: tuple[str, ...]
    weight: float
    cap: int = 1
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """Word lists the extractor matches against; see the comments in vocabulary.yaml."""

    grade_words: dict[str, tuple[str, ...]]
    pending_grade: tuple[str, ...]
    ungraded_statements: tuple[str, ...]
    # findings and responses: see the comments in vocabulary.yaml
    finding_type_words: dict[str, tuple[str, ...]]
    finding_labels: dict[str, tuple[str, ...]]
    finding_negations: tuple[str, ...]
    finding_heading_topics: tuple[str, ...]
    finding_back_references: tuple[str, ...]
    escalation_phrases: tuple[str, ...]
    escalation_reasons: tuple[str, ...]
    escalation_exits: tuple[str, ...]
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
    statistics_headings: tuple[str, ...]
    kind_evidence: tuple[KindEvidence, ...]
    kind_patterns: tuple[KindPattern, ...]
    signatory_titles: dict[str, tuple[str, ...]]
    speaker_roles: dict[str, tuple[str, ...]]
    headline_speech_acts: tuple[str, ...]
    headline_speakers: dict[str, tuple[str, ...]]
    headline_not_speakers: tuple[str, ...]
    commissioner_third_person: tuple[str, ...]
    third_person_verbs: tuple[str, ...]
    inspection_topic: tuple[str, ...]
    date_labels: dict[str, tuple[str, ...]]
    date_phrases: dict[str, tuple[str, ...]]
    cycle_weak_cues: tuple[CycleCue, ...]
    pillar_report_cycles: tuple[str, ...]
    cycle_weights: dict[str, float]
    publication_windows: tuple[tuple[str, str, str], ...]
    fieldwork_windows: tuple[tuple[str, str, str], ...]
    inspection_date_cues: tuple[str, ...]
    earlier_cycle_cues: tuple[str, ...]
    after_cycle_cues: tuple[str, ...]
    revisit_words: tuple[str, ...]
    follow_up_words: tuple[str, ...]
    publication_date_cues: tuple[str, ...]
    cycle_years: dict[str, str]
    peel_years: dict[str, str]
    cycle_phrases: dict[str, tuple[str, ...]]
    financial_year_words: tuple[str, ...]
    not_police_subjects: tuple[str, ...]
    not_peel_subjects: tuple[str, ...]
    national_subjects: tuple[str, ...]
    other_inspectorates: tuple[str, ...]
    title_boilerplate_exact: frozenset[str]
    title_boilerplate_starts: tuple[str, ...]
    title_boilerplate_contains: tuple[str, ...]
    title_topic_words: tuple[str, ...]
    title_mastheads: tuple[str, ...]
    title_field_labels: tuple[str, ...]
    title_masthead_ends: tuple[str, ...]
    force_hints: dict[str, tuple[str, ...]]


def _tuple_map(raw: dict[str, list[Any]]) -> dict[str, tuple]:
    return {str(k): tuple(v) for k, v in raw.items()}


def _windows(raw: list[list[Any]]) -> tuple[tuple[str, str, str], ...]:
    return tuple((str(c), str(first), str(after)) for c, first, after in raw)


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Parse vocabulary.yaml once (the data is immutable, so caching it is safe), or read the
    copy an earlier process cached."""
    from ._load import data_file, read_cached

    return read_cached("vocabulary", data_file("vocabulary.yaml"), Vocabulary, _read_vocabulary)


def _read_vocabulary() -> Vocabulary:
    import yaml  # only when no cached copy can be read

    from ._load import data_file

    text = data_file("vocabulary.yaml")["vocabulary.yaml"]
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return Vocabulary(
        grade_words=_tuple_map(raw["grade_words"]),
        pending_grade=tuple(raw["pending_grade"]),
        ungraded_statements=tuple(raw["ungraded_statements"]),
        finding_type_words=_tuple_map(raw["finding_type_words"]),
        finding_labels=_tuple_map(raw["finding_labels"]),
        finding_negations=tuple(raw["finding_negations"]),
        finding_heading_topics=tuple(raw["finding_heading_topics"]),
        finding_back_references=tuple(raw["finding_back_references"]),
        escalation_phrases=tuple(raw["escalation_phrases"]),
        escalation_reasons=tuple(raw["escalation_reasons"]),
        escalation_exits=tuple(raw["escalation_exits"]),
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
        statistics_headings=tuple(raw["statistics_headings"]),
        kind_evidence=tuple(
            KindEvidence(
                kind=str(g["kind"]),
                what=str(g["what"]),
                view=str(g["view"]),
                cues=tuple((str(p), int(w)) for p, w in g["cues"]),
                publisher=bool(g.get("publisher", False)),
                voice=bool(g.get("voice", False)),
            )
            for g in raw["kind_evidence"]
        ),
        kind_patterns=tuple(
            KindPattern(str(p["kind"]), str(p["what"]), str(p["pattern"]), int(p["weight"]))
            for p in raw.get("kind_patterns", [])
        ),
        signatory_titles=_tuple_map(raw["signatory_titles"]),
        speaker_roles=_tuple_map(raw["speaker_roles"]),
        headline_speech_acts=tuple(raw.get("headline_speech_acts", ())),
        headline_speakers=_tuple_map(raw.get("headline_speakers", {})),
        headline_not_speakers=tuple(raw.get("headline_not_speakers", ())),
        commissioner_third_person=tuple(raw.get("commissioner_third_person", ())),
        third_person_verbs=tuple(raw.get("third_person_verbs", ())),
        inspection_topic=tuple(raw["inspection_topic"]),
        date_labels=_tuple_map(raw["date_labels"]),
        date_phrases=_tuple_map(raw["date_phrases"]),
        cycle_weak_cues=tuple(
            CycleCue(
                what=str(c["what"]),
                phrases=tuple(str(p) for p in c["phrases"]),
                cycles=tuple(str(x) for x in c["cycles"]),
                weight=float(c["weight"]),
                cap=int(c.get("cap", 1)),
                unless=tuple(str(p) for p in c.get("unless", ())),
            )
            for c in raw.get("cycle_weak_cues", [])
        ),
        pillar_report_cycles=tuple(str(c) for c in raw.get("pillar_report_cycles", ())),
        cycle_weights={str(k): float(v) for k, v in raw["cycle_weights"].items()},
        publication_windows=_windows(raw["publication_windows"]),
        fieldwork_windows=_windows(raw["fieldwork_windows"]),
        inspection_date_cues=tuple(raw["inspection_date_cues"]),
        earlier_cycle_cues=tuple(raw["earlier_cycle_cues"]),
        after_cycle_cues=tuple(raw.get("after_cycle_cues", ())),
        revisit_words=tuple(raw["revisit_words"]),
        follow_up_words=tuple(raw["follow_up_words"]),
        publication_date_cues=tuple(raw["publication_date_cues"]),
        cycle_years={str(k): str(c) for k, c in raw["cycle_years"].items()},
        peel_years={str(k): str(c) for k, c in raw["peel_years"].items()},
        cycle_phrases=_tuple_map(raw["cycle_phrases"]),
        financial_year_words=tuple(raw["financial_year_words"]),
        not_police_subjects=tuple(raw["not_police_subjects"]),
        not_peel_subjects=tuple(raw["not_peel_subjects"]),
        national_subjects=tuple(raw.get("national_subjects", ())),
        other_inspectorates=tuple(raw.get("other_inspectorates", ())),
        title_boilerplate_exact=frozenset(raw["title_boilerplate"]["exact"]),
        title_boilerplate_starts=tuple(raw["title_boilerplate"]["starts"]),
        title_boilerplate_contains=tuple(raw["title_boilerplate"].get("contains", ())),
        title_topic_words=tuple(raw["title_topic_words"]),
        title_mastheads=tuple(raw["title_mastheads"]),
        title_field_labels=tuple(raw["title_field_labels"]),
        title_masthead_ends=tuple(raw["title_masthead_ends"]),
        force_hints=_tuple_map(raw.get("force_hints", {})),
    )
