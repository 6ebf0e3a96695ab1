"""Each command's module is imported only when the command runs, so ``peelwatch extract`` does
not load the store's, the web server's and the other commands' modules."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import peelwatch.cli
from peelwatch.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"


def test_every_command_is_listed_with_the_module_that_registers_it():
    modules = [m.name for m in pkgutil.iter_modules(peelwatch.cli.__path__) if m.name.endswith("_cmd")]
    for name in modules:
        importlib.import_module(f"peelwatch.cli.{name}")
    registered = {name: command.callback.__module__ for name, command in main.commands.items()}
    assert registered == {name: f"peelwatch.cli.{module}" for name, module in main.command_modules.items()}


def test_extract_imports_its_own_module_only(tmp_path: Path):
    note = tmp_path / "note.txt"
    note.write_text("Kent Police was rated good at preventing crime.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from peelwatch.cli import main\n"
        f"main(['extract', {str(note)!r}, '--format', 'json'], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('peelwatch.cli.')), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert '"grade": "good"' in run.stdout
    assert run.stderr.strip() == "['peelwatch.cli.base', 'peelwatch.cli.extract_cmd']"


def test_help_lists_every_command():
    run = subprocess.run(
        [sys.executable, "-m", "peelwatch", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        check=True,
    )
    listed = {line.split()[0] for line in run.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == set(main.command_modules)
