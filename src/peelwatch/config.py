"""Configuration in one place: defaults, overridden by environment variables, then by arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_DB_FILE = "peelwatch.db"
# An archive (DOCX) may inflate to this share of the upload limit. Its XML is parsed into a tree
# that takes about twenty times the XML's size in memory: 10 MB of document XML already peaks
# near 220 MB, so the default limit of 50 MB allows 10 MB.
INFLATED_SHARE = 0.2


def max_inflated(max_bytes: int) -> int:
    """How many bytes the parts of an archive of at most ``max_bytes`` may inflate to, together."""
    return int(max_bytes * INFLATED_SHARE)


def _default_db() -> str:
    return os.environ.get("PEELWATCH_DB") or f"sqlite:///{Path.cwd() / DEFAULT_DB_FILE}"


def _default_max_bytes() -> int:
    raw = os.environ.get("PEELWATCH_MAX_BYTES")
    return int(raw) if raw and raw.isdigit() else DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Settings:
    """Run-time settings. Build one with :func:`load_settings`; pass it down, never store it globally."""

    db_url: str = field(default_factory=_default_db)
    max_bytes: int = field(default_factory=_default_max_bytes)
    workers: int = field(default_factory=lambda: max(1, min(os.cpu_count() or 1, 8)))


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with any non-``None`` keyword overriding it."""
    base = Settings()
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**{**base.__dict__, **clean}) if clean else base
