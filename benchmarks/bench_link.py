"""Benchmark: linking a new document into a record of 100,000 findings.

Run from the project folder:

    .venv/bin/python benchmarks/bench_link.py [--findings 100000] [--docs 40] [--repeat 3]

1. Bulk-inserts ``--findings`` synthetic findings (43 forces x 7 cycles, spread over 15 of the
   framework's area keys) into a new SQLite database. Each is a verb phrase of the ingest
   benchmark and a dozen words from a large vocabulary; 2 % restate one of 200 stock findings,
   as the inspectorate raises the same finding for many forces.
2. Stores ``--docs`` new documents of 10 findings each (three restating stock findings), one write transaction per document as
   ingest does, timing the store step (``store_extraction``, given the findings' area keys as
   ingest's writer is: ingest works them out in its extraction processes, so their CPU time is
   reported apart, ``area_keys_cpu_median_ms``) and the link step
   (``link_document``, with one ``LinkIndex`` kept across the run as ingest keeps it).
   Before step 2 the linker's index of the bulk-inserted findings is built once
   (``index_findings``, timed apart: a record stored before the index existed pays it once).
3. Reports the first document (cold) and the median of the rest, and the documents per
   second of the write path with and without linking. SQLite runs in this process, so the
   CPU time of each step is reported too: its cost without the waiting that other work on a
   busy machine adds to the wall time.

``--repeat`` runs step 2 again on fresh copies and reports the median of the run medians.
Figures are printed and written to ``benchmarks/results/link.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "store"))

from bench_ingest_search import FILLER, OBJECTS, VERBS  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from peelwatch.extract.model import Extraction, Finding  # noqa: E402
from peelwatch.link import LinkIndex, index_findings, link_document  # noqa: E402
from peelwatch.store import open_store  # noqa: E402
from peelwatch.store.models import Cycle, Document, Force  # noqa: E402
from peelwatch.store.models import Finding as FindingRow  # noqa: E402
from peelwatch.store.repository import area_keys_of, store_extraction  # noqa: E402

KEYS = (
    "preventing-crime",
    "responding-to-the-public",
    "investigating-crime",
    "protecting-vulnerable-people",
    "managing-offenders",
    "serious-organised-crime",
    "treatment-of-the-public",
    "ethical-behaviour",
    "use-of-resources",
    "planning-for-the-future",
    "crime-recording",
    "victim-service",
    "leadership",
    "workforce",
    "specialist-capabilities",
)
SUBJECT_WORDS = {
    "preventing-crime": "to prevent crime",
    "responding-to-the-public": "when it responds to the public",
    "investigating-crime": "in its investigations",
    "protecting-vulnerable-people": "to protect vulnerable people",
    "managing-offenders": "when it manages offenders",
}


_LETTERS = "eeeeeeeeeeeettttttttaaaaaaaoooooooiiiiiiinnnnnnnsssssshhhhhhrrrrrrddddllllccuummwwffggyypbbvk"


def _vocabulary(size: int = 5000, seed: int = 1) -> list[str]:
    """Made-up words with English letter frequencies: varied character n-grams, as real text has."""
    rng = random.Random(seed)
    made = {"".join(rng.choices(_LETTERS, k=rng.randint(4, 10))) for _ in range(size)}
    return sorted(made | {w for phrase in (*VERBS, *OBJECTS, *FILLER) for w in phrase.split()})


VOCABULARY = _vocabulary()
STOCK_SHARE = 0.02  # share of findings that restate one of the stock findings
STOCK_TEXTS = 200


def _random_text(rng: random.Random) -> str:
    """A finding's words: a verb phrase and a dozen words drawn from a large vocabulary."""
    words = " ".join(rng.sample(VOCABULARY, rng.randint(8, 16)))
    return f"The force should make sure that it {rng.choice(VERBS)} {words}."


def stock_texts(seed: int = 17) -> list[str]:
    """Findings the inspectorate raises for many forces (each appears many times in the record)."""
    rng = random.Random(seed)
    return [_random_text(rng) for _ in range(STOCK_TEXTS)]


def _finding_text(rng: random.Random, stock: list[str]) -> str:
    return rng.choice(stock) if rng.random() < STOCK_SHARE else _random_text(rng)


def fill(path: Path, findings: int, seed: int = 5) -> float:
    """Bulk-insert ``findings`` findings with area keys (and one document per force and cycle)."""
    rng = random.Random(seed)
    stock = stock_texts()
    store = open_store(str(path))
    start = time.perf_counter()
    with store.write() as session:
        forces = list(session.scalars(select(Force)))
        cycles = [c for c in session.scalars(select(Cycle)) if c.label != "2025–27"]
        pairs = [(f, c) for f in forces for c in cycles]
        session.execute(
            insert(Document),
            [
                {
                    "content_hash": hashlib.sha256(f"{f.slug}{c.label}".encode()).hexdigest(),
                    "source": f"bench/{f.slug}-{c.position}.txt",
                    "kind": "inspection_report",
                    "force_id": f.id,
                    "cycle_id": c.id,
                    "title": "bench",
                    "text": " ".join(rng.choices(FILLER, k=200)),
                    "size": 2000,
                    "warnings": [],
                }
                for f, c in pairs
            ],
        )
        docs = {(d.force_id, d.cycle_id): d.id for d in session.scalars(select(Document))}
        for first in range(0, findings, 5000):
            rows = []
            for _ in range(min(5000, findings - first)):
                f, c = rng.choice(pairs)
                text = _finding_text(rng, stock)
                rows.append(
                    {
                        "force_id": f.id,
                        "cycle_id": c.id,
                        "type": "area_for_improvement",
                        "text": text,
                        "norm_text": text.lower()[:400],
                        "area_key": rng.choice(KEYS),
                        "status": "open",
                        "authoritative": True,
                        "source_document_id": docs[(f.id, c.id)],
                    }
                )
            session.execute(insert(FindingRow), rows)
    seconds = time.perf_counter() - start
    with store.write() as session:
        t0 = time.perf_counter()
        index_findings(session)  # what the first link run does to a record stored without an index
        index_seconds = time.perf_counter() - t0
    store.close()
    return seconds, index_seconds


def new_documents(count: int, seed: int = 9) -> list[tuple[str, Extraction]]:
    """``count`` new reports of 10 findings each, for random forces of the 2023–25 cycle."""
    rng = random.Random(seed)
    stock = stock_texts()
    forces = ["Kent Police", "Cheshire Constabulary", "Dorset Police", "Merseyside Police", "Essex Police"]
    out = []
    for i in range(count):
        lines = [f"Bench report {i}"]
        findings = []
        for n in range(10):
            key = rng.choice(list(SUBJECT_WORDS))
            # three of ten restate stock findings: a realistic share of recurrence
            words = rng.choice(stock) if n < 3 else _random_text(rng)
            lines.append(words.rstrip(".") + f" {SUBJECT_WORDS[key]}.")
        text = "\n\n".join(lines) + "\n"
        for line in lines[1:]:
            start = text.index(line)
            findings.append(Finding("area_for_improvement", line, line, start, start + len(line)))
        ext = Extraction(
            source=f"bench-{i}.txt",
            kind="inspection_report",
            force=rng.choice(forces),
            cycle="2023–25",
            title=f"Bench report {i}",
            findings=findings,
        )
        out.append((text, ext))
    return out


def run(path: Path, docs: list[tuple[str, Extraction]]) -> dict[str, Any]:
    """Store and link each document in its own transaction; per-document times in ms."""
    store = open_store(str(path))
    index = LinkIndex()
    store_ms, link_ms, store_cpu, link_cpu, keys_cpu, links = [], [], [], [], [], 0
    try:
        for text, ext in docs:
            # ingest works the area keys out in its extraction processes, beside the reading,
            # and hands them to the writer: timed apart, as that process's work
            k0 = time.process_time()
            keys = area_keys_of(ext, text)
            keys_cpu.append((time.process_time() - k0) * 1000)
            with store.write() as session:
                t0, c0 = time.perf_counter(), time.process_time()
                stored = store_extraction(
                    session,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    text=text,
                    extraction=ext,
                    source=ext.source,
                    area_keys=keys,
                )
                t1, c1 = time.perf_counter(), time.process_time()
                summary = link_document(session, stored.document_id, index)
                t2, c2 = time.perf_counter(), time.process_time()
            store_ms.append((t1 - t0) * 1000)
            link_ms.append((t2 - t1) * 1000)
            # SQLite runs in this process, so CPU time is the link step's cost without the
            # waiting that other work on a busy machine adds to the wall time.
            link_cpu.append((c2 - c1) * 1000)
            store_cpu.append((c1 - c0) * 1000)
            links += summary.recurrence_links
    finally:
        store.close()
    warm_store, warm_link = store_ms[1:], link_ms[1:]
    total = [s + k for s, k in zip(warm_store, warm_link, strict=True)]
    total_cpu = [s + k for s, k in zip(store_cpu[1:], link_cpu[1:], strict=True)]
    return {
        "cold_link_ms": round(link_ms[0], 1),
        "link_median_ms": round(statistics.median(warm_link), 2),
        "link_cpu_median_ms": round(statistics.median(link_cpu[1:]), 2),
        "link_p95_ms": round(sorted(warm_link)[int(0.95 * (len(warm_link) - 1))], 2),
        "store_median_ms": round(statistics.median(warm_store), 2),
        "store_cpu_median_ms": round(statistics.median(store_cpu[1:]), 2),
        "area_keys_cpu_median_ms": round(statistics.median(keys_cpu[1:]), 2),
        "docs_per_s_store_only": round(1000 / statistics.median(warm_store), 1),
        "docs_per_s_store_and_link": round(1000 / statistics.median(total), 1),
        "docs_per_cpu_s_store_and_link": round(1000 / statistics.median(total_cpu), 1),
        "recurrence_links_made": links,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.db"
        fill_s, index_s = fill(base, args.findings)
        docs = new_documents(args.docs)
        runs = []
        for i in range(args.repeat):
            copy = Path(tmp) / f"run{i}.db"
            shutil.copy(base, copy)
            runs.append(run(copy, docs))
            print(json.dumps(runs[-1]))
    result = {
        "findings": args.findings,
        "documents": args.docs,
        "fill_seconds": round(fill_s, 1),
        "index_seconds": round(index_s, 1),
        "runs": runs,
        "link_median_ms": statistics.median(r["link_median_ms"] for r in runs),
        "link_cpu_median_ms": statistics.median(r["link_cpu_median_ms"] for r in runs),
        "store_cpu_median_ms": statistics.median(r["store_cpu_median_ms"] for r in runs),
        "docs_per_cpu_s_store_and_link": statistics.median(r["docs_per_cpu_s_store_and_link"] for r in runs),
        "docs_per_s_store_and_link": statistics.median(r["docs_per_s_store_and_link"] for r in runs),
        "docs_per_s_store_only": statistics.median(r["docs_per_s_store_only"] for r in runs),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "link.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
