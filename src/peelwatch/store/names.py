"""Resolving force and cycle names given by users or extracted from documents.

The framework package owns the reference data (43 forces with aliases, the cycles). The store
copies it into its ``force`` and ``cycle`` tables so queries can join on it; names are resolved
through the framework when it is available and through those tables otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rapidfuzz import process
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from peelwatch.errors import PeelwatchError, UnknownNameError
from peelwatch.store.models import Cycle, Force

# Cycle order when the framework cannot be loaded; labels as the extraction contract writes them.
KNOWN_CYCLES = ("2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023–25", "2025–27")


def load_framework_or_none() -> Any | None:
    """The PEEL framework, or ``None`` when it cannot be loaded (the store still works without it)."""
    try:
        from peelwatch.framework import load_framework  # type: ignore[attr-defined]

        return load_framework()
    except (ImportError, PeelwatchError, OSError):
        return None


def _values(items: Any) -> list[Any]:
    if isinstance(items, dict):
        return list(items.values())
    return list(items or [])


def framework_forces(fw: Any) -> list[Any]:
    """The framework's forces as a list, whatever container it keeps them in."""
    return _values(getattr(fw, "forces", None))


def framework_cycles(fw: Any) -> list[Any]:
    """The framework's cycles as a list, in the framework's order."""
    return _values(getattr(fw, "cycles", None))


def slugify(name: str) -> str:
    """A force slug from a name: "Devon & Cornwall Police" -> "devon-and-cornwall"."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).split()
    while words and words[-1] in ("police", "constabulary", "service", "force"):
        words.pop()
    return "-".join(words) or "unknown"


def normalise_cycle_label(label: str) -> str:
    """Common spellings of a cycle label mapped to the canonical one ("2021-22" -> "2021/22")."""
    raw = label.strip().lower().removeprefix("peel").strip()
    m = re.fullmatch(r"(20\d\d)\s*(?:[-/–—]|to)\s*(?:20)?(\d\d)", raw)
    if m:
        first, second = m.group(1), m.group(2)
        dash = "/" if first in ("2018", "2021") else "–"
        return f"{first}{dash}{second}"
    return label.strip()


def _suggest(name: str, choices: Iterable[str]) -> list[str]:
    found = process.extract(name, list(choices), limit=3, score_cutoff=60)
    seen: list[str] = []
    for choice, _score, _idx in found:
        if choice not in seen:
            seen.append(choice)
    return seen


def resolve_force(session: Session, name: str, fw: Any | None = None) -> Force:
    """The stored force for a slug, official name or alias; :class:`UnknownNameError` otherwise."""
    raw = name.strip()
    if fw is not None and hasattr(fw, "force"):
        try:
            slug = fw.force(raw).slug
        except UnknownNameError:
            slug = None
        if slug:
            row = session.scalar(select(Force).where(Force.slug == slug))
            if row is not None:
                return row
    forces = list(session.scalars(select(Force)))
    key = raw.lower()
    for force in forces:
        names = [force.slug, force.name, *(force.aliases or [])]
        if key in (n.lower() for n in names) or slugify(raw) == force.slug:
            return force
    labels = {force.name: force for force in forces}
    for force in forces:
        for alias in force.aliases or []:
            labels.setdefault(alias, force)
    suggestions = [labels[s].name for s in _suggest(raw, labels)]
    raise UnknownNameError("force", raw, list(dict.fromkeys(suggestions)))


def cycle_label(label: str, fw: Any | None = None) -> str:
    """The canonical label a user's spelling of a cycle stands for (stored or not)."""
    raw = label.strip()
    if fw is not None and hasattr(fw, "cycle"):
        try:
            return str(fw.cycle(raw).label)
        except UnknownNameError:
            pass
    return normalise_cycle_label(raw)


# Built once: every matrix and filtered list resolves a cycle, and building cost more than running.
_CYCLE_BY_LABEL = select(Cycle).where(Cycle.label == bindparam("label"))


def resolve_cycle(session: Session, label: str, fw: Any | None = None) -> Cycle:
    """The stored cycle for a label or one of its spellings; :class:`UnknownNameError` otherwise."""
    raw = label.strip()
    row = session.scalar(_CYCLE_BY_LABEL, {"label": cycle_label(raw, fw)})
    if row is None:
        labels = [c.label for c in session.scalars(select(Cycle).order_by(Cycle.position))]
        raise UnknownNameError("cycle", raw, _suggest(raw, labels) or labels[-3:])
    return row


def ensure_force(session: Session, name: str | None, fw: Any | None) -> Force | None:
    """The force an extracted name refers to.

    Without the framework an unknown name becomes a new force row; with it, an unknown name is
    left unresolved (``None``) rather than polluting the force list with misspellings.
    """
    if not name:
        return None
    try:
        return resolve_force(session, name, fw)
    except UnknownNameError:
        if fw is not None:
            return None
    slug = slugify(name)
    row = session.scalar(select(Force).where(Force.slug == slug))
    if row is None:
        row = Force(slug=slug, name=name.strip(), region="", aliases=[])
        session.add(row)
        session.flush()
    return row


def ensure_cycle(session: Session, label: str | None, fw: Any | None) -> Cycle | None:
    """The cycle an extracted label refers to, created when it is new."""
    if not label:
        return None
    try:
        return resolve_cycle(session, label, fw)
    except UnknownNameError:
        pass
    canonical = normalise_cycle_label(label)
    row = session.scalar(select(Cycle).where(Cycle.label == canonical))
    if row is None:
        year = re.match(r"\d{4}", canonical)
        row = Cycle(label=canonical, position=int(year.group()) if year else 9999, scale=[])
        session.add(row)
        session.flush()
    return row


def resolve_area(name: str, fw: Any | None) -> str:
    """The canonical area key for an area's name, short label, alias or key.

    Raises :class:`UnknownNameError` with the closest names when the framework knows no such
    area. Without the framework the name is only turned into a key.
    """
    raw = name.strip()
    if fw is None or not hasattr(fw, "subjects"):
        return slugify(raw)
    subjects = list(fw.subjects())
    keys = {s.key for s in subjects}
    if raw.lower() in keys:
        return raw.lower()
    found = fw.match_subject(raw) if hasattr(fw, "match_subject") else None
    if found is not None:
        return found.key
    labels: dict[str, str] = {}
    for s in subjects:
        for label in (s.short, s.name, s.key):
            if label:
                labels.setdefault(label, s.key)
    raise UnknownNameError("area", raw, _suggest(raw, labels))
