"""What the judgment stages hand to the pipeline before scopes and keys are assigned."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class RawJudgment:
    """A judgment before scope and key are assigned: subject words, grade, and source spans."""

    subject: str
    grade: str
    start: int  # evidence span in the source
    end: int
    subject_start: int = -1
    cycle: str | None = None
    explicit_subject: bool = False  # the subject came from a table or list item, not free text
    rule: str = ""


@dataclass(slots=True)
class RawUnattached:
    """A grade expression no relation tied to a subject, and why."""

    grade: str
    start: int
    end: int
    reason: str
