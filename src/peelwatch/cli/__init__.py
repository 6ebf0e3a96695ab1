"""The ``peelwatch`` command line: a thin layer over the library.

Each sub-module registers its commands on :data:`main`, and is imported only when one of its
commands runs (or ``--help`` lists them all), so that ``peelwatch extract`` does not load the
modules of the store, the web server and the rest. Heavy imports happen inside the commands.
"""

from __future__ import annotations

from peelwatch.cli.base import main

__all__ = ["main"]

# Command -> the module (under peelwatch.cli) that registers it. A command missing here is still
# found: a name not listed makes every command module load (see PeelwatchGroup.get_command).
main.command_modules.update(
    {
        "users": "auth_cmd",
        "tokens": "auth_cmd",
        "correct": "correct_cmd",
        "corrections": "correct_cmd",
        "links": "correct_cmd",
        "evaluate": "evaluate_cmd",
        "extract": "extract_cmd",
        "summary": "extract_cmd",
        "overview": "overview_cmd",
        "confirm": "overview_cmd",
        "reextract": "reextract_cmd",
        "ingest": "store_cmd",
        "db": "store_cmd",
        "forces": "store_cmd",
        "grades": "store_cmd",
        "findings": "store_cmd",
        "search": "store_cmd",
        "show": "store_cmd",
        "export": "store_cmd",
        "import": "store_cmd",
        "audit": "auth_cmd",
        "track": "track_cmd",
        "report": "track_cmd",
        "serve": "web_cmd",
    }
)
