"""The root command group and the one place errors become a single line and an exit status."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from peelwatch import __version__
from peelwatch.errors import PeelwatchError


class PeelwatchGroup(click.Group):
    """A click group that turns peelwatch errors into one clear line and exit status 1, and
    imports a command's module only when the command is asked for (click's lazy group).

    :attr:`command_modules` maps a command's name to the module under ``peelwatch.cli`` that
    registers it on the group when imported; a name not in it makes every listed module load.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.command_modules: dict[str, str] = {}

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            module = self.command_modules.get(cmd_name)
            for name in [module] if module else sorted(set(self.command_modules.values())):
                importlib.import_module(f"{__package__}.{name}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for name in sorted(set(self.command_modules.values())):
            importlib.import_module(f"{__package__}.{name}")
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PeelwatchError as exc:
            click.echo(f"peelwatch: error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("peelwatch: interrupted", err=True)
            sys.exit(130)


@click.group(cls=PeelwatchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="peelwatch")
def main() -> None:
    """peelwatch: police inspection (PEEL) records — read, extract, store, search and serve."""
