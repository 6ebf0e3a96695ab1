"""Benchmark: extracting stored documents again, with people's corrections on them.

Run from the project folder:

    .venv/bin/python benchmarks/bench_reextract.py [--docs 120] [--repeats 3]

Generates ``--docs`` text documents from the test templates, ingests them into a new SQLite
database, corrects a grade and hides a finding in every report, then extracts every document
again ``--repeats`` times. Prints, per run, the seconds for the whole run and the median
milliseconds per document for extracting and for replacing the facts, and checks that every
correction is still in force on its fact after each run (none orphaned, no finding lost).

Figures are printed and written to ``benchmarks/results/reextract.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "store"))  # the document templates live with the tests

import docgen  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from peelwatch.ingest import ingest_paths  # noqa: E402
from peelwatch.reextract import replace_extraction, reread  # noqa: E402
from peelwatch.store import open_store  # noqa: E402
from peelwatch.store.engine import Store  # noqa: E402
from peelwatch.store.models import Document, Finding, FindingMention, Judgment  # noqa: E402
from peelwatch.track.audit import cli_actor  # noqa: E402
from peelwatch.track.corrections import correct, list_corrections  # noqa: E402

ACTOR = cli_actor("bench")


def _correct_reports(store: Store) -> None:
    """A grade corrected and a finding hidden in every document that has them."""
    with store.write() as session:
        for doc_id in session.scalars(select(Document.id).order_by(Document.id)):
            judgment = session.scalar(select(Judgment).where(Judgment.document_id == doc_id).limit(1))
            if judgment is not None:
                grade = "good" if judgment.grade != "good" else "adequate"
                correct(session, ACTOR, "judgment", judgment.id, "grade", grade)
            finding = session.scalar(
                select(FindingMention.finding_id).where(FindingMention.document_id == doc_id).limit(1)
            )
            if finding is not None:
                correct(session, ACTOR, "finding", finding, "hidden", "true")


def _held(store: Store) -> tuple[int, int, int]:
    """Corrections in force; of them, those whose fact carries the corrected value and those without a fact."""
    held = orphaned = 0
    with store.read() as session:
        in_force = list_corrections(session, active_only=True, limit=100_000)
        for c in in_force:
            if c.entity_id is None:
                orphaned += 1
            elif c.entity == "judgment":
                held += session.get(Judgment, c.entity_id).grade == c.value
            else:
                held += bool(session.get(Finding, c.entity_id).hidden)
    return len(in_force), held, orphaned


def _run(store: Store) -> dict[str, Any]:
    with store.read() as session:
        ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    extract_ms: list[float] = []
    write_ms: list[float] = []
    started = time.perf_counter()
    for doc_id in ids:
        t = time.perf_counter()
        with store.read() as session:
            again = reread(session, doc_id)
        extract_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        with store.write() as session:
            replace_extraction(session, ACTOR, doc_id, again.extraction, text=again.text, reader=again.reader)
        write_ms.append((time.perf_counter() - t) * 1000)
    return {
        "documents": len(ids),
        "seconds": round(time.perf_counter() - started, 2),
        "extract_ms_median": round(statistics.median(extract_ms), 1),
        "write_ms_median": round(statistics.median(write_ms), 1),
        "write_ms_max": round(max(write_ms), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        docgen.write_documents(base / "docs", args.docs, seed=3)
        store = open_store(f"sqlite:///{base / 'record.db'}")
        ingest_paths(store, [base / "docs"], time_budget=None)
        _correct_reports(store)
        # A finding stated by a report and its letter is one finding: its second correction
        # replaces the first, so what counts is what is in force.
        corrections, held, _ = _held(store)
        assert held == corrections, "a correction not written through before the runs"
        with store.read() as session:
            findings = session.scalar(select(func.count()).select_from(Finding))
        runs = []
        for _ in range(args.repeats):
            run = _run(store)
            run["corrections_in_force"], run["corrections_held"], run["corrections_orphaned"] = _held(store)
            with store.read() as session:
                run["findings"] = session.scalar(select(func.count()).select_from(Finding))
            runs.append(run)
            print(json.dumps(run))
        store.close()
    summary = {
        "documents": args.docs,
        "corrections_in_force": corrections,
        "findings_before": findings,
        "runs": runs,
        "seconds_median": statistics.median(r["seconds"] for r in runs),
        "write_ms_median": statistics.median(r["write_ms_median"] for r in runs),
    }
    print(json.dumps({k: v for k, v in summary.items() if k != "runs"}))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "reextract.json").write_text(json.dumps(summary, indent=2))
    bad = [
        r
        for r in runs
        if (r["corrections_in_force"], r["corrections_held"]) != (corrections, corrections)
        or r["findings"] != findings
    ]
    if bad:
        sys.exit(f"corrections or findings lost: {bad}")


if __name__ == "__main__":
    main()
