"""Configuration in one place: defaults, overridden by environment variables, then by arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_DB_FILE = "peelwatch.db"
# Seconds one document may take to be read and extracted. Ordinary documents take well under a
# second; the budget only stops hostile or broken input from holding a worker.
DEFAULT_TIME_BUDGET = 30.0


def _default_db() -> str:
    return os.environ.get("PEELWATCH_DB") or f"sqlite:///{Path.cwd() / DEFAULT_DB_FILE}"


def _default_max_bytes() -> int:
    raw = os.environ.get("PEELWATCH_MAX_BYTES")
    return int(raw) if raw and raw.isdigit() else DEFAULT_MAX_BYTES


def _default_time_budget() -> float:
    raw = os.environ.get("PEELWATCH_TIME_BUDGET")
    try:
        value = float(raw) if raw else DEFAULT_TIME_BUDGET
    except ValueError:
        return DEFAULT_TIME_BUDGET
    return value if value > 0 else DEFAULT_TIME_BUDGET


@dataclass(frozen=True)
class Settings:
    """Run-time settings. Build one with :func:`load_settings`; pass it down, never store it globally."""

    db_url: str = field(default_factory=_default_db)
    max_bytes: int = field(default_factory=_default_max_bytes)
    time_budget: float = field(default_factory=_default_time_budget)  # seconds per document
    workers: int = field(default_factory=lambda: max(1, min(os.cpu_count() or 1, 8)))


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with any non-``None`` keyword overriding it."""
    base = Settings()
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**{**base.__dict__, **clean}) if clean else base
