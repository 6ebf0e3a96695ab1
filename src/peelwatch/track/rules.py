"""The tracking rules read from ``rules.yaml``: lifecycle, action statuses, RAG rules, clocks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from peelwatch.errors import PeelwatchError

RAG_CONDITIONS = ("finding_finished", "action_overdue", "no_action_after", "action_due_within", "otherwise")
RAG_COLOURS = ("red", "amber", "green", "complete")


class TrackRulesError(PeelwatchError):
    """The tracking rules file is malformed."""


@dataclass(frozen=True, slots=True)
class RagRule:
    """One RAG rule: when ``condition`` holds, the finding is ``rag`` for the stated reason."""

    condition: str
    rag: str
    reason: str
    days: int | None = None


@dataclass(frozen=True, slots=True)
class TrackRules:
    """Everything the tracker decides by data rather than code."""

    initial: str
    statuses: dict[str, str]
    transitions: dict[str, tuple[str, ...]]
    reason_required: tuple[str, ...]
    finished: tuple[str, ...]
    action_statuses: tuple[str, ...]
    action_initial: str
    action_open: tuple[str, ...]
    rag: tuple[RagRule, ...]
    response_days: int
    publication_day_counts: bool
    report_kinds: tuple[str, ...]
    response_kinds: tuple[str, ...]
    due_soon_days: int
    recently_finished_days: int

    @property
    def response_offset(self) -> int:
        """Days from publication to the last day of the response window."""
        return self.response_days - 1 if self.publication_day_counts else self.response_days


def _rag_rule(raw: dict[str, Any]) -> RagRule:
    condition = raw.get("when")
    if condition not in RAG_CONDITIONS:
        raise TrackRulesError(f"rules.yaml: unknown RAG condition {condition!r}")
    if raw.get("rag") not in RAG_COLOURS:
        raise TrackRulesError(f"rules.yaml: unknown RAG colour {raw.get('rag')!r}")
    days = raw.get("days")
    if condition in ("no_action_after", "action_due_within") and not isinstance(days, int):
        raise TrackRulesError(f"rules.yaml: RAG condition {condition} needs a whole number of days")
    return RagRule(condition=condition, rag=raw["rag"], reason=str(raw["reason"]), days=days)


def parse_rules(raw: dict[str, Any]) -> TrackRules:
    """Check and type the rules read from YAML (raises :class:`TrackRulesError`)."""
    life, acts, clock = raw["lifecycle"], raw["actions"], raw["clock"]
    statuses = dict(life["statuses"])
    transitions = {k: tuple(v) for k, v in life["transitions"].items()}
    for source, targets in transitions.items():
        unknown = [s for s in (source, *targets) if s not in statuses]
        if unknown:
            raise TrackRulesError(f"rules.yaml: transition names unknown status {unknown[0]!r}")
    rules = TrackRules(
        initial=life["initial"],
        statuses=statuses,
        transitions=transitions,
        reason_required=tuple(life["reason_required"]),
        finished=tuple(life["finished"]),
        action_statuses=tuple(acts["statuses"]),
        action_initial=acts["initial"],
        action_open=tuple(acts["open"]),
        rag=tuple(_rag_rule(r) for r in raw["rag"]),
        response_days=int(clock["response_days"]),
        publication_day_counts=bool(clock.get("publication_day_counts", True)),
        report_kinds=tuple(clock["report_kinds"]),
        response_kinds=tuple(clock["response_kinds"]),
        due_soon_days=int(clock["due_soon_days"]),
        recently_finished_days=int(clock["recently_finished_days"]),
    )
    if rules.rag[-1].condition != "otherwise":
        raise TrackRulesError("rules.yaml: the last RAG rule must be 'otherwise'")
    return rules


@cache
def load_rules() -> TrackRules:
    """The rules shipped with peelwatch (read once; the file is part of the package)."""
    text = resources.files("peelwatch.track").joinpath("rules.yaml").read_text("utf-8")
    return parse_rules(yaml.safe_load(text))
