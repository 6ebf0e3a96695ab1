"""Rich rendering of extractions for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from peelwatch.extract.model import Extraction

if TYPE_CHECKING:
    from peelwatch.store.overview import Overview


def print_extraction(result: Extraction, console: Console | None = None) -> None:
    """A readable view of one extraction: the header, then judgments, findings and responses."""
    console = console or Console()
    console.print(
        f"[bold]{result.source}[/bold]  kind={result.kind}  force={result.force}  cycle={result.cycle}"
    )
    if result.judgments:
        t = Table(title="Judgments", show_lines=False)
        for col in ("scope", "subject", "grade", "key"):
            t.add_column(col)
        for j in result.judgments:
            t.add_row(j.scope, j.subject, j.grade + (f" ({j.cycle})" if j.cycle else ""), j.key or "")
        console.print(t)
    if result.findings:
        t = Table(title="Findings")
        for col in ("#", "type", "ref", "text"):
            t.add_column(col)
        for i, f in enumerate(result.findings):
            t.add_row(str(i), f.type, f.ref or "", f.text[:160])
        console.print(t)
    if result.responses:
        t = Table(title="Responses")
        for col in ("finding", "by", "text"):
            t.add_column(col)
        for r in result.responses:
            t.add_row(str(r.finding), r.by, r.text[:160])
        console.print(t)
    if result.is_empty:
        console.print("[dim]Nothing graded or listed in this document.[/dim]")


def print_explanation(result: Extraction, console: Console | None = None) -> None:
    """Every fact with the rule that produced it and its span, the reasons behind the metadata,
    and each grade expression that no rule tied to a subject, with why."""
    console = console or Console(soft_wrap=True)
    out = console.print
    out(f"[bold]{result.source}[/bold]", highlight=False)
    for field in ("kind", "force", "cycle", "title", "published"):
        value = getattr(result, field)
        reason = result.reasons.get(field)
        out(f"  {field}: {value!r}" + (f"  [dim]({reason})[/dim]" if reason else ""), highlight=False)
    sections = [
        (
            "Judgments",
            [
                (
                    j.rule,
                    j.start,
                    j.end,
                    f"{j.grade} — {j.subject}  [{j.scope}{', ' + j.key if j.key else ''}]",
                )
                for j in result.judgments
            ],
        ),
        (
            "Findings",
            [
                (f.rule, f.start, f.end, f"#{i} {f.type} {f.ref or ''} {f.text[:90]}")
                for i, f in enumerate(result.findings)
            ],
        ),
        (
            "Responses",
            [(r.rule, r.start, r.end, f"to #{r.finding} by {r.by}: {r.text[:80]}") for r in result.responses],
        ),
    ]
    for title, rows in sections:
        out(f"[bold]{title}[/bold] ({len(rows)})")
        for rule, start, end, text in rows:
            out(f"  {start:>6}-{end:<6} [cyan]{rule or '?'}[/cyan]  ", end="", highlight=False)
            out(text, markup=False, highlight=False)
    out(f"[bold]Grades not read as judgments[/bold] ({len(result.unattached)})")
    for u in result.unattached:
        out(f"  {u.start:>6}-{u.end:<6} {u.grade}: [yellow]{u.reason}[/yellow]  ", end="", highlight=False)
        out(repr(u.text[:100]), markup=False, highlight=False)


def print_summary(
    results: Sequence[Extraction], failures: Sequence[tuple[str, str]], console: Console | None = None
) -> None:
    """One row per document, then the failures with their reasons."""
    console = console or Console()
    t = Table(title=f"{len(results)} documents extracted")
    for col in ("document", "kind", "force", "cycle", "judgments", "findings", "responses"):
        t.add_column(col, overflow="fold")
    for r in results:
        t.add_row(
            r.source or "",
            r.kind,
            r.force or "—",
            r.cycle or "—",
            str(len(r.judgments)),
            str(len(r.findings)),
            str(len(r.responses)),
        )
    console.print(t)
    if failures:
        f = Table(title=f"{len(failures)} failed")
        f.add_column("file")
        f.add_column("reason")
        for path, reason in failures:
            f.add_row(path, reason)
        console.print(f)


def cut_title(what: str, shown: int, total: int) -> str:
    """A list's title that says what it shows: "findings (12)", or "findings: showing 30 of 33"
    when the list was cut.

    >>> cut_title("findings", 30, 33), cut_title("findings", 12, 12)
    ('findings: showing 30 of 33', 'findings (12)')
    """
    return f"{what}: showing {shown} of {total}" if shown < total else f"{what} ({total})"


_KIND_WORDS = {
    "inspection_report": "inspection reports",
    "pcc_response": "commissioners' responses",
    "force_statement": "force statements",
    "news": "news items",
    "other": "other documents",
}


def print_overview(ov: Overview, console: Console | None = None, *, address: str | None = None) -> None:
    """The record in one screen: documents by kind, counts by cycle, the forces with the most
    findings, and where to look next (the full lists are commands of their own)."""
    console = console or Console()
    out = console.print
    kinds = ", ".join(
        f"{n} {_KIND_WORDS.get(k, k)}" for k, n in sorted(ov.by_kind.items(), key=lambda x: -x[1])
    )
    out(f"[bold]{ov.documents} documents[/bold]" + (f": {kinds}" if kinds else ""), highlight=False)
    if ov.provisional:
        held = f"; {ov.held_out} grade{'s' if ov.held_out != 1 else ''} held out" if ov.held_out else ""
        out(
            f"[yellow]{ov.provisional} provisional[/yellow] (kind a guess{held}; peelwatch confirm ID)",
            highlight=False,
        )
    t = Table(title="by cycle", title_justify="left")
    t.add_column("cycle")
    for col in ("grades", "findings", "responses"):
        t.add_column(col, justify="right")
    for c in ov.cycles:
        t.add_row(c.cycle, str(c.grades), str(c.findings), str(c.responses))
    all_ = ov.totals
    t.add_row("[bold]all[/bold]", str(all_.grades), str(all_.findings), str(all_.responses))
    out(t)
    if ov.top_forces:
        title = cut_title("forces with the most findings", len(ov.top_forces), ov.forces_with_findings)
        out(f"[bold]{title}[/bold]", highlight=False)
        width = max(len(f.name) for f in ov.top_forces)
        for f in ov.top_forces:
            out(f"  {f.name:<{width}}  {f.findings:>5}", highlight=False)
    out(
        "Full lists: [cyan]peelwatch grades[/cyan], [cyan]peelwatch findings[/cyan], "
        "[cyan]peelwatch forces[/cyan], [cyan]peelwatch search WORDS[/cyan]",
        highlight=False,
    )
    if address:
        out(f"Open [bold]{address}[/bold] to browse the dashboard.", highlight=False)
