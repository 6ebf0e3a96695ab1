"""A document's metadata: kind, force, cycle, published date and title, each with its reason.

The rules live in small modules: :mod:`~peelwatch.extract.kind` (who is writing),
:mod:`~peelwatch.extract.force` (which force is named), :mod:`~peelwatch.extract.cycle` (which
PEEL cycle), :mod:`~peelwatch.extract.dates` (the date the document states) and
:mod:`~peelwatch.extract.title` (a title that is not site furniture). :func:`detect_meta` runs
them in order; :func:`cycle_from_subjects` is the late fallback the pipeline calls once the
graded subjects are known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peelwatch.extract.cycle import Votes, cycle_from_subjects, decide_cycle
from peelwatch.extract.dates import stated_date
from peelwatch.extract.force import decide_force, force_mentions, name_for_cycle
from peelwatch.extract.kind import decide_kind
from peelwatch.extract.title import choose_title
from peelwatch.readers import Document

__all__ = ["Meta", "cycle_from_subjects", "detect_meta", "force_mentions"]


@dataclass(slots=True)
class Meta:
    """What the document is: each field with a short human reason in ``reasons``."""

    kind: str = "other"
    force: str | None = None
    cycle: str | None = None
    published: str | None = None
    title: str | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    # whether the graded subjects may still name the cycle: nothing, or only weak cues, placed it
    # (never for a look-alike or a national document)
    cycle_open: bool = True
    # every cue's vote for a cycle, for the graded subjects to join (see cycle_from_subjects)
    cycle_votes: Votes | None = None
    # what the document is about when it is not PEEL (a fire and rescue inspection, a thematic
    # review): its grades are not PEEL judgments
    not_peel: str | None = None


def detect_meta(doc: Document) -> Meta:
    """Kind, force, cycle, published date and title of ``doc``, with the reason for each."""
    text = doc.text
    meta = Meta()
    headings = tuple(doc.block_text(b) for b in doc.blocks[:40] if b.kind == "heading")
    title = choose_title(text, doc.title, doc.format, doc.source, headings)
    # a plain text's "title" is only its first line
    file_title = doc.title if doc.format != "text" else None
    kind = decide_kind(text, file_title, doc.site, title.title)
    meta.kind, meta.reasons["kind"] = kind.kind, kind.reason
    meta.reasons["kind_confidence"] = kind.confidence  # whether its grades count before a person confirms

    if doc.published:
        meta.published, meta.reasons["published"] = doc.published, "the file's own metadata"
    else:
        stated = stated_date(text)
        if stated is not None:
            meta.published, meta.reasons["published"] = stated.value.isoformat(), stated.reason
        else:
            meta.reasons["published"] = "the document states no date of its own"

    force = decide_force(text, file_title, doc.source)
    meta.title, meta.reasons["title"] = title.title, title.reason

    cycle = decide_cycle(text, meta.title, meta.published, force.scope)
    meta.cycle, meta.reasons["cycle"] = cycle.cycle, cycle.reason
    meta.cycle_open, meta.cycle_votes = cycle.open, cycle.votes
    meta.force = name_for_cycle(force.name, meta.cycle, text)
    meta.reasons["force"] = force.reason
    other = cycle.lookalike
    if other is not None:
        meta.not_peel = other.subject
        if not other.police and meta.force is not None:
            meta.force = None
            meta.reasons["force"] = f"about a {other.subject}, not a police force"
    return meta
