"""Load benchmark of the national distribution page: a real ``peelwatch serve`` under 16 clients.

Builds (once, cached beside the results) a record of all 43 forces × 7 cycles, each force
graded on every area of every cycle, with generated findings, through the same generator as
``bench_web_load.py``; starts the server as a separate process; then

* times the first request of each cycle's page (``/national?cycle=...``) one at a time — the
  page computed from the database, nothing cached yet;
* drives the pages of every cycle, in turn, with ``--concurrency`` keep-alive clients
  (``/national?cycle=...`` and its JSON ``/api/national/distribution?cycle=...``), and reports
  median and 95th-percentile latency, requests per second and errors.

Usage::

    python benchmarks/bench_national.py [--requests 800] [--concurrency 16] [--findings 20000]
                                        [--repeat 3] [--db FILE] [--rebuild] [--json FILE]

Exit status 1 when any request failed or the page's median p95 over the repeats is over the
target (100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))
from bench_web_load import Result, build_database, drive, free_port, start_server

TARGET_P95_MS = 100.0


def cold_times(base: str, cycles: list[str]) -> list[float]:
    """Milliseconds of the first request of each cycle's page, one after another."""
    times = []
    for label in cycles:
        t0 = time.perf_counter()
        with urllib.request.urlopen(f"{base}/national?cycle={quote(label)}", timeout=30) as r:
            r.read()
            if r.status != 200:
                raise SystemExit(f"/national?cycle={label} answered {r.status}")
        times.append((time.perf_counter() - t0) * 1000)
    return times


def paths(cycles: list[str], n: int, api: bool) -> list[str]:
    """``n`` request paths cycling through every cycle's page (or its JSON)."""
    route = "/api/national/distribution" if api else "/national"
    return [f"{route}?cycle={quote(cycles[i % len(cycles)])}" for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the record, start the server, time the page cold and under load."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=800, help="requests per run (default 800)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument(
        "--findings", type=int, default=20_000, help="findings in the record (default 20,000)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each load; the median is reported")
    parser.add_argument("--db", type=Path, default=None, help="SQLite file to build or reuse")
    parser.add_argument("--rebuild", action="store_true", help="build the record again even if it exists")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)

    db = args.db or Path(tempfile.gettempdir()) / f"peelwatch-bench-national-{args.findings}.db"
    info_file = db.with_suffix(".json")
    url = f"sqlite:///{db}"
    if args.rebuild or not db.exists() or not info_file.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        print(f"building {db} ({args.findings:,} findings)…", flush=True)
        info_file.write_text(json.dumps(build_database(url, args.findings)))
    info = json.loads(info_file.read_text())
    cycles = info["cycles"]
    print(
        f"record: {info['forces']} forces × {len(cycles)} cycles, {info['judgments']:,} inspectorate grades, "
        f"{info['findings']:,} findings"
    )
    port = free_port()
    server = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()[0]
    runs: dict[str, list[Result]] = {"national page": [], "distribution JSON": []}
    try:
        cold = cold_times(base, cycles)
        for name, api in (("national page", False), ("distribution JSON", True)):
            asyncio.run(drive(base, name, paths(cycles, 100, api), args.concurrency))  # warm-up, not counted
            for _ in range(args.repeat):
                runs[name].append(
                    asyncio.run(drive(base, name, paths(cycles, args.requests, api), args.concurrency))
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"\n{args.concurrency} concurrent clients, {args.requests} requests per run, {args.repeat} runs, "
        f"server and clients on one machine ({os.cpu_count()} CPUs, load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after)"
    )
    print(
        f"first request of each cycle's page (computed, not cached): median {statistics.median(cold):.1f} ms, "
        f"max {max(cold):.1f} ms"
    )
    print(
        f"{'page':<20}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'req/s':>9}{'errors':>8}   (median of the runs)"
    )
    summary = {}
    for name, results in runs.items():
        row = {
            "median_ms": statistics.median(r.median_ms for r in results),
            "p95_ms": statistics.median(r.p95_ms for r in results),
            "max_ms": max(r.max_ms for r in results),
            "req_per_s": statistics.median(r.req_per_s for r in results),
            "errors": sum(r.errors for r in results),
            "p95_each_run": [r.p95_ms for r in results],
        }
        summary[name] = row
        print(
            f"{name:<20}{row['median_ms']:>11}{row['p95_ms']:>9}{row['max_ms']:>9}{row['req_per_s']:>9}"
            f"{row['errors']:>8}   p95 of each run: {row['p95_each_run']}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "record": {k: v for k, v in info.items() if k != "slugs"},
                    "concurrency": args.concurrency,
                    "cold_ms": cold,
                    "results": summary,
                    "runs": {k: [asdict(r) for r in v] for k, v in runs.items()},
                    "cpu_count": os.cpu_count(),
                    "load_average_before": load_before,
                },
                indent=2,
            )
        )
    page = summary["national page"]
    if page["errors"] or summary["distribution JSON"]["errors"] or page["p95_ms"] > TARGET_P95_MS:
        print(f"\nover the target (national page p95 < {TARGET_P95_MS:.0f} ms, no errors)")
        return 1
    print(f"\nthe national page is within the target (p95 < {TARGET_P95_MS:.0f} ms, no errors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
