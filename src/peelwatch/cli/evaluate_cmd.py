"""``peelwatch evaluate``: run the extractor on documents with known answers and score it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from peelwatch.cli.base import main


@main.command()
@click.option(
    "--gold",
    "gold_dir",
    required=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of expected answers (NAME.json or NAME.expected.json).",
)
@click.option(
    "--docs",
    "docs_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of the documents (default: the --gold folder).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the per-document scores and totals as JSON instead."
)
@click.option(
    "--only",
    "patterns",
    multiple=True,
    metavar="GLOB",
    help="Score only documents whose name matches GLOB (repeatable), e.g. --only '1*'.",
)
@click.option(
    "--groups",
    "groups_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="A NAME<TAB>GROUP file: also print the figures of each group of documents.",
)
@click.option("--misses", is_flag=True, help="List, per document, each expected item missed and each extra.")
def evaluate(
    gold_dir: Path,
    docs_dir: Path | None,
    as_json: bool,
    patterns: tuple[str, ...],
    groups_file: Path | None,
    misses: bool,
) -> None:
    """Extract every document that has an answer in GOLD and print precision, recall and F1.

    Matching follows the extraction contract: same grade and subject similarity >= 0.75 (aliases
    count) for judgments, same type and text similarity >= 0.8 over the first 200 characters for
    findings, responses through their finding; optional answers neither reward nor penalise.
    """
    from fnmatch import fnmatch

    from peelwatch.evaluate import PARTS, by_group, iter_rows, read_groups, score_folder

    try:
        groups = read_groups(groups_file) if groups_file else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--groups") from None
    select = (lambda stem: any(fnmatch(stem, p) for p in patterns)) if patterns else None
    score = score_folder(gold_dir, docs_dir, select=select)
    if as_json:
        payload: dict = {"documents": [d.as_dict() for d in score.documents], "totals": score.summary()}
        if groups is not None:
            payload["groups"] = {name: part.summary() for name, part in by_group(score, groups).items()}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return

    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:  # piped or captured: do not squeeze the table into 80 columns
        console = Console(width=150)
    errors = any(d.error for d in score.documents)
    table = Table(title=f"Extraction scores: {gold_dir}")
    table.add_column("document", overflow="fold")
    for col in ("k/f/c", "judgments", "findings", "responses", "evidence", "ms"):
        table.add_column(col, justify="right", no_wrap=True)
    if errors:
        table.add_column("error", overflow="fold")
    for row in iter_rows(score):
        table.add_row(*(row if errors else row[:-1]))
    console.print(table)

    totals = Table(title="Totals (micro-averaged)")
    for col in ("part", "tp", "fp", "fn", "precision", "recall", "F1"):
        totals.add_column(col, justify="left" if col == "part" else "right")
    for name in (*PARTS, "overall"):
        c = score.overall if name == "overall" else score.part(name)
        totals.add_row(
            name, str(c.tp), str(c.fp), str(c.fn), f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}"
        )
    console.print(totals)
    figures = score.figures()

    def fmt(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    console.print(
        f"documents={len(score.documents)} failures={score.failures}  kind={fmt(figures['kind'])} "
        f"force={fmt(figures['force'])} cycle={fmt(figures['cycle'])} evidence real={fmt(figures['evidence_real'])}"
    )
    if groups is not None:
        grouped = Table(title="By group")
        for col in ("group", "docs", "overall F1", "judgments F1", "findings F1", "responses F1"):
            grouped.add_column(col, justify="left" if col == "group" else "right")
        for col in ("kind", "force", "cycle"):
            grouped.add_column(col, justify="right")
        for name, part in by_group(score, groups).items():
            f = part.figures()
            grouped.add_row(
                name,
                str(len(part.documents)),
                *(fmt(f[k]) for k in ("overall_f1", "judgments_f1", "findings_f1", "responses_f1")),
                *(fmt(f[k]) for k in ("kind", "force", "cycle")),
            )
        console.print(grouped)
    if misses:
        for doc in score.documents:
            if doc.mismatches:
                console.print(f"[bold]{doc.name}[/bold]", highlight=False)
                for line in doc.mismatches:
                    console.print(f"  {line}", highlight=False, markup=False)
