"""RAG per finding from its actions and dates, by the rules in ``rules.yaml``, with the reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from peelwatch.track.actions import ActionView
from peelwatch.track.rules import RagRule, TrackRules, load_rules


@dataclass(frozen=True, slots=True)
class Rag:
    """A RAG colour and how it was reached."""

    rag: str
    reason: str


def _overdue(actions: Sequence[ActionView], today: date) -> ActionView | None:
    late = [a for a in actions if a.due is not None and a.due < today]
    return min(late, key=lambda a: (a.due, a.id)) if late else None


def _due_within(actions: Sequence[ActionView], today: date, days: int) -> ActionView | None:
    soon = [a for a in actions if a.due is not None and 0 <= (a.due - today).days <= days]
    return min(soon, key=lambda a: (a.due, a.id)) if soon else None


def _detail(actions: Sequence[ActionView], published: date | None, today: date, rules: TrackRules) -> str:
    upcoming = [a for a in actions if a.due is not None and a.due >= today]
    if upcoming:
        nxt = min(upcoming, key=lambda a: (a.due, a.id))
        return f"next action '{nxt.title}' due {nxt.due}"
    if actions:
        n = len(actions)
        return f"{n} open action{'s' if n != 1 else ''} without a due date"
    if published is not None:
        return f"no action yet; published {published}"
    return "no action yet and no publication date"


def _apply(
    rule: RagRule,
    status: str,
    open_actions: Sequence[ActionView],
    any_action: bool,
    published: date | None,
    today: date,
    rules: TrackRules,
) -> str | None:
    """The reason text when ``rule`` matches, else ``None``."""
    if rule.condition == "finding_finished":
        return rule.reason.format(status=status) if status in rules.finished else None
    if rule.condition == "action_overdue":
        a = _overdue(open_actions, today)
        return rule.reason.format(action=a.title, due=a.due, days=(today - a.due).days) if a else None
    if rule.condition == "no_action_after":
        if any_action or published is None or (today - published).days < (rule.days or 0):
            return None
        return rule.reason.format(days=(today - published).days, published=published)
    if rule.condition == "action_due_within":
        a = _due_within(open_actions, today, rule.days or 0)
        return rule.reason.format(action=a.title, due=a.due, days=(a.due - today).days) if a else None
    return rule.reason.format(detail=_detail(open_actions, published, today, rules))


def compute_rag(
    status: str,
    actions: Sequence[ActionView],
    published: date | None,
    today: date,
    rules: TrackRules | None = None,
) -> Rag:
    """The first RAG rule that holds for a finding with this status, these actions and dates."""
    rules = rules or load_rules()
    open_actions = [a for a in actions if a.status in rules.action_open]
    any_action = any(a.status != "dropped" for a in actions)
    for rule in rules.rag:
        reason = _apply(rule, status, open_actions, any_action, published, today, rules)
        if reason is not None:
            return Rag(rule.rag, reason)
    raise AssertionError("the last RAG rule is 'otherwise' and always matches")  # checked on load
