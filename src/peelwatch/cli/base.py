"""The root command group and the one place errors become a single line and an exit status."""

from __future__ import annotations

import sys
from typing import Any

import click

from peelwatch import __version__
from peelwatch.errors import PeelwatchError


class PeelwatchGroup(click.Group):
    """A click group that turns peelwatch errors into one clear line and exit status 1."""

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
