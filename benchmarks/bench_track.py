"""Tracking benchmarks: the committee report of a busy force, and ``/accountability`` under load.

1. Builds a database with one force (Kent Police) carrying 500 findings and 2,000 actions (each
   with a progress note), plus an inspection report for every force and cycle and commissioners'
   responses for most of them; then times :func:`committee_report` + rendering for DOCX, PDF and
   HTML (``--repeat`` runs each, median quoted). Target: < 2 s per format.
2. Starts ``peelwatch serve`` on that database and sends ``/accountability`` (and
   ``/api/accountability``) with 16 concurrent clients. Target: p95 < 100 ms.

Usage::

    python benchmarks/bench_track.py [--repeat 5] [--requests 800] [--concurrency 16] [--json FILE]

Exit status 1 when a target is missed or a request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_web_load import drive, free_port, start_server

REPORT_TARGET_S = 2.0
PAGE_TARGET_P95_MS = 100.0
TODAY = date(2026, 12, 3)
WORDS = ["call handling", "missing children", "custody", "vetting", "domestic abuse", "crime recording"]


def build_database(url: str, findings: int = 500, actions: int = 2000, seed: int = 3) -> None:
    """The benchmark record, written in bulk through the store's models."""
    from peelwatch.store import open_store
    from peelwatch.store.models import (
        Action,
        ActionNote,
        Cycle,
        Document,
        Finding,
        FindingStatusEvent,
        Force,
    )

    rng = random.Random(seed)
    store = open_store(url)
    with store.write() as session:
        forces = list(session.query(Force).order_by(Force.id))
        cycles = list(session.query(Cycle).order_by(Cycle.position))
        docs = []
        for f in forces:
            for i, c in enumerate(cycles):
                published = date(2014, 11, 1) + timedelta(days=420 * i + rng.randint(0, 300))
                docs.append(
                    Document(
                        content_hash=hashlib.sha256(f"r{f.id}-{c.id}".encode()).hexdigest(),
                        kind="inspection_report",
                        force_id=f.id,
                        cycle_id=c.id,
                        title=f"PEEL {c.label}: {f.name}",
                        published=published.isoformat(),
                        text="report",
                    )
                )
                if rng.random() < 0.85:
                    answered = published + timedelta(days=rng.randint(20, 90))
                    docs.append(
                        Document(
                            content_hash=hashlib.sha256(f"p{f.id}-{c.id}".encode()).hexdigest(),
                            kind="pcc_response",
                            force_id=f.id,
                            cycle_id=c.id,
                            title=f"Commissioner's response: {f.name} {c.label}",
                            published=answered.isoformat(),
                            text="response",
                        )
                    )
        session.add_all(docs)
        session.flush()
        kent = next(f for f in forces if f.slug == "kent")
        latest = cycles[-2]
        source = next(
            d
            for d in docs
            if d.force_id == kent.id and d.cycle_id == latest.id and d.kind == "inspection_report"
        )
        rows = [
            Finding(
                force_id=kent.id,
                cycle_id=latest.id,
                type=rng.choice(["area_for_improvement", "recommendation"]),
                ref=str(i + 1),
                text=f"The force should improve {rng.choice(WORDS)} (item {i + 1}) "
                "so that victims get a better service and the public is kept safe.",
                source_document_id=source.id,
                owner=rng.choice(["Ops", "HR", "Crime", None]),
                status=rng.choice(["open", "open", "in_progress", "completed"]),
            )
            for i in range(findings)
        ]
        session.add_all(rows)
        session.flush()
        acts = [
            Action(
                finding_id=rows[i % findings].id,
                title=f"Action {i + 1} on {rng.choice(WORDS)}",
                owner=rng.choice(["Ops", "HR", "Crime"]),
                due=TODAY + timedelta(days=rng.randint(-120, 200)),
                status=rng.choice(["planned", "in_progress", "done", "dropped"]),
            )
            for i in range(actions)
        ]
        session.add_all(acts)
        session.flush()
        session.add_all(
            ActionNote(
                action_id=a.id,
                on=TODAY - timedelta(days=rng.randint(0, 90)),
                text="Progress reviewed at board.",
                author="bench",
            )
            for a in acts
        )
        session.add_all(
            FindingStatusEvent(
                finding_id=r.id,
                at=datetime(2026, 11, 20, tzinfo=UTC),
                from_status="open",
                to_status=r.status,
                note="",
                source="user",
                actor="bench",
            )
            for r in rows
            if r.status != "open"
        )
    store.close()


def time_reports(url: str, repeat: int) -> dict[str, float]:
    """Median seconds to build and render the Kent committee report, per format."""
    from peelwatch.store import open_store
    from peelwatch.track.reports import committee_report, render_committee

    store = open_store(url)
    out = {}
    try:
        for fmt in ("docx", "pdf", "html"):
            runs = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                with store.read() as session:
                    content = committee_report(session, "kent", today=TODAY)
                render_committee(content, fmt)
                runs.append(time.perf_counter() - t0)
            out[fmt] = round(statistics.median(runs), 3)
            print(
                f"committee report {fmt}: median {out[fmt]:.3f} s over {repeat} runs "
                f"({len(content.items)} findings, {sum(len(i.actions) for i in content.items)} actions)"
            )
    finally:
        store.close()
    return out


def main(argv: list[str] | None = None) -> int:
    """Build the database, time the reports, load the accountability page; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    db = Path(tempfile.mkdtemp(prefix="peelwatch-bench-track-")) / "track.db"
    url = f"sqlite:///{db}"
    build_database(url)
    reports = time_reports(url, args.repeat)
    port = free_port()
    server = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()[0]
    pages = {}
    try:
        for name, path in (
            ("accountability page", "/accountability"),
            ("accountability API", "/api/accountability"),
        ):
            asyncio.run(drive(base, name, [path] * 50, args.concurrency))
            pages[name] = asyncio.run(drive(base, name, [path] * args.requests, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"\n{args.concurrency} concurrent clients, {args.requests} requests; server and clients on one machine "
        f"({os.cpu_count()} CPUs, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    for r in pages.values():
        print(
            f"{r.page:<22} median {r.median_ms} ms  p95 {r.p95_ms} ms  max {r.max_ms} ms  "
            f"{r.req_per_s} req/s  errors {r.errors}"
        )
    if args.json:
        args.json.write_text(
            json.dumps({"reports_s": reports, "pages": {k: vars(v) for k, v in pages.items()}}, indent=2)
        )
    slow = [f for f, s in reports.items() if s > REPORT_TARGET_S]
    bad = [r.page for r in pages.values() if r.errors or r.p95_ms > PAGE_TARGET_P95_MS]
    if slow or bad:
        print(f"over target: {', '.join(slow + bad)}")
        return 1
    print(f"within targets (report < {REPORT_TARGET_S:.0f} s, p95 < {PAGE_TARGET_P95_MS:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
