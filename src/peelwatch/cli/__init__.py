"""The ``peelwatch`` command line: a thin layer over the library.

Each sub-module registers its commands on :data:`main`. Heavy imports happen inside the commands so
that ``peelwatch --help`` and ``peelwatch extract`` start quickly.
"""

from __future__ import annotations

from peelwatch.cli import (
    auth_cmd,  # noqa: F401
    correct_cmd,  # noqa: F401
    evaluate_cmd,  # noqa: F401
    extract_cmd,  # noqa: F401  (registers commands)
    overview_cmd,  # noqa: F401
    reextract_cmd,  # noqa: F401
    store_cmd,  # noqa: F401
    track_cmd,  # noqa: F401
    web_cmd,  # noqa: F401
)
from peelwatch.cli.base import main

__all__ = ["main"]
