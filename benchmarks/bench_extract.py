"""Extraction speed and memory.

Run from the repository root:

    .venv/bin/python benchmarks/bench_extract.py [--runs 7]

Measures, and compares with the targets:

* in-process extraction time (median over runs, after one warm-up) of every document in the
  shared corpus beside the repository (skipped with a message when it is absent), and of a
  generated 100-page PDF;
* peak memory while extracting the 100-page PDF: Python allocations (tracemalloc) in this
  process, and the maximum resident set size (ru_maxrss) of a fresh process doing only that;
* whole-process time of ``peelwatch extract FILE --format json`` on the 86 KB corpus report and
  of ``peelwatch --version`` (start-up), median over runs.

Prints a table and writes the figures as JSON to ``benchmarks/results/`` (not committed).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "documents"
RESULTS = ROOT / "benchmarks" / "results"
TARGETS = {
    "report_003_in_process_ms": 150.0,
    "extract_process_ms": 1000.0,
    "pdf100_peak_mb": 300.0,
}

PARAGRAPHS = [
    "{force} is good at preventing crime and anti-social behaviour. Neighbourhood teams in {place} know "
    "their communities well and work with the council to solve long-running problems.",
    "How effective is the force at investigating crime and reducing re-offending?",
    "Requires improvement",
    "Investigations in {place} are not always supervised well enough, and victims are not told how their "
    "case is progressing. The force has started a programme of training for new investigators.",
    "Areas for improvement",
    "\u2022 The force should make sure that investigations in {place} are allocated to officers with the skills "
    "and time to carry them out, and that supervisors review them at regular intervals.",
    "The extent to which the force is efficient at keeping people safe and reducing crime is good.",
    "Recorded crime (excluding fraud) per 1,000 population in {place} was {rate} in the 12 months to March, "
    "compared with {national} for England and Wales.",
]
PLACES = [
    "the north of the county",
    "the coastal towns",
    "the city centre",
    "the rural west",
    "the market towns",
]
FORCES = [
    "Kent Police",
    "Lancashire Constabulary",
    "Durham Constabulary",
    "Gwent Police",
    "Suffolk Constabulary",
]


def build_pdf(pages: int, out: Path) -> Path:
    """A report-like PDF of ``pages`` pages from our own text, varied page by page."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if font.exists():
        pdf.add_font("Body", "", str(font))
        family, fix = "Body", (lambda s: s)
    else:
        family, fix = "Helvetica", (lambda s: s.replace("\u2022", "-"))
    for page in range(pages):
        pdf.add_page()
        pdf.set_font(family, size=14)
        pdf.multi_cell(
            0,
            8,
            fix(f"Section {page + 1}: {FORCES[page % len(FORCES)]}"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.set_font(family, size=10)
        for k in range(14):
            text = PARAGRAPHS[(page + k) % len(PARAGRAPHS)].format(
                force=FORCES[(page + k) % len(FORCES)],
                place=PLACES[(page * 3 + k) % len(PLACES)],
                rate=40 + (page * 7 + k) % 30,
                national=round(60 + (page % 9) * 0.7, 1),
            )
            if pdf.get_y() > 260:
                break
            pdf.multi_cell(0, 5, fix(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
    pdf.output(str(out))
    return out


def median_ms(fn, runs: int) -> tuple[float, list[float]]:
    fn()  # warm-up: imports, caches, compiled patterns
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


def peelwatch_command() -> list[str]:
    script = Path(sys.executable).with_name("peelwatch")
    return [str(script)] if script.exists() else [sys.executable, "-m", "peelwatch"]


def process_ms(args: list[str], runs: int) -> tuple[float, int]:
    times, status = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(args, capture_output=True, timeout=300)
        times.append((time.perf_counter() - start) * 1000)
        status = done.returncode
    return statistics.median(times), status


def rss_of_fresh_process(path: Path) -> float:
    """Maximum resident set size, in MB, of a new interpreter that extracts only ``path``."""
    code = (
        "import resource, sys\n"
        "from peelwatch.extract import extract_file\n"
        "extract_file(sys.argv[1])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed")
    kb = int(out.stdout.strip().splitlines()[-1])
    return kb / 1024 if sys.platform != "darwin" else kb / (1024 * 1024)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7, help="timed runs per measurement (at least 5)")
    ap.add_argument("--pages", type=int, default=100, help="pages of the generated PDF")
    args = ap.parse_args()
    runs = max(5, args.runs)

    from rich.console import Console
    from rich.table import Table

    from peelwatch.extract import extract_file

    console = Console()
    if not console.is_terminal:
        console = Console(width=120)
    results: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": runs,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "documents": [],
        "targets": TARGETS,
    }

    table = Table(title=f"In-process extraction (median of {runs} runs)")
    for col in ("document", "KB", "median ms", "min ms", "max ms", "judgments", "findings"):
        table.add_column(col, justify="left" if col == "document" else "right")

    if CORPUS.is_dir():
        for path in sorted(p for p in CORPUS.iterdir() if p.is_file()):
            try:
                med, times = median_ms(lambda p=path: extract_file(p), runs)
                ex = extract_file(path)
                row = {
                    "document": path.name,
                    "bytes": path.stat().st_size,
                    "median_ms": round(med, 2),
                    "min_ms": round(min(times), 2),
                    "max_ms": round(max(times), 2),
                    "judgments": len(ex.judgments),
                    "findings": len(ex.findings),
                }
            except Exception as exc:
                row = {
                    "document": path.name,
                    "bytes": path.stat().st_size,
                    "error": f"{type(exc).__name__}: {exc}",
                }
            results["documents"].append(row)
            if "error" in row:
                table.add_row(path.name, f"{row['bytes'] / 1024:.1f}", "error", "", "", "", row["error"][:40])
            else:
                table.add_row(
                    path.name,
                    f"{row['bytes'] / 1024:.1f}",
                    f"{row['median_ms']:.1f}",
                    f"{row['min_ms']:.1f}",
                    f"{row['max_ms']:.1f}",
                    str(row["judgments"]),
                    str(row["findings"]),
                )
    else:
        console.print(f"[yellow]Corpus not found at {CORPUS}: corpus documents skipped.[/yellow]")

    with tempfile.TemporaryDirectory() as tmp:
        pdf = build_pdf(args.pages, Path(tmp) / f"generated-{args.pages}-pages.pdf")
        size = pdf.stat().st_size
        med, times = median_ms(lambda: extract_file(pdf), runs)
        tracemalloc.start()
        extract_file(pdf)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = rss_of_fresh_process(pdf)
        results["pdf100"] = {
            "pages": args.pages,
            "bytes": size,
            "median_ms": round(med, 1),
            "min_ms": round(min(times), 1),
            "max_ms": round(max(times), 1),
            "tracemalloc_peak_mb": round(peak / 2**20, 1),
            "maxrss_mb": round(rss, 1),
        }
        table.add_row(
            f"generated {args.pages}-page PDF",
            f"{size / 1024:.1f}",
            f"{med:.1f}",
            f"{min(times):.1f}",
            f"{max(times):.1f}",
            "",
            "",
        )
    console.print(table)

    command = peelwatch_command()
    report = next(iter(sorted(CORPUS.glob("003_*"))), None) if CORPUS.is_dir() else None
    startup, status = process_ms([*command, "--version"], runs)
    results["process"] = {
        "command": " ".join(Path(c).name for c in command),
        "version_ms": round(startup, 1),
        "version_exit": status,
    }
    if report is not None:
        whole, status = process_ms([*command, "extract", str(report), "--format", "json"], runs)
        results["process"].update(
            {"extract_document": report.name, "extract_ms": round(whole, 1), "extract_exit": status}
        )

    r003 = next(
        (d for d in results["documents"] if d["document"].startswith("003_") and "median_ms" in d), None
    )
    checks = Table(title="Targets")
    for col in ("measure", "value", "target", "met"):
        checks.add_column(col, justify="left" if col == "measure" else "right")

    def check(label: str, value: float | None, target: float, unit: str) -> None:
        met = value is not None and value < target
        results.setdefault("checks", {})[label] = {"value": value, "target": target, "met": met}
        checks.add_row(
            label,
            "n/a" if value is None else f"{value:.1f} {unit}",
            f"< {target:.0f} {unit}",
            "[green]yes[/green]" if met else ("[yellow]n/a[/yellow]" if value is None else "[red]no[/red]"),
        )

    check(
        "003 report, in-process",
        r003["median_ms"] if r003 else None,
        TARGETS["report_003_in_process_ms"],
        "ms",
    )
    check(
        "peelwatch extract 003, whole process",
        results["process"].get("extract_ms"),
        TARGETS["extract_process_ms"],
        "ms",
    )
    check(
        "peelwatch --version, start-up", results["process"]["version_ms"], TARGETS["extract_process_ms"], "ms"
    )
    check(
        f"{args.pages}-page PDF peak (tracemalloc)",
        results["pdf100"]["tracemalloc_peak_mb"],
        TARGETS["pdf100_peak_mb"],
        "MB",
    )
    check(
        f"{args.pages}-page PDF peak (ru_maxrss, fresh process)",
        results["pdf100"]["maxrss_mb"],
        TARGETS["pdf100_peak_mb"],
        "MB",
    )
    console.print(checks)
    console.print(f"{args.pages}-page PDF: median {results['pdf100']['median_ms']:.0f} ms in-process")

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-extract-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    console.print(f"Results written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
