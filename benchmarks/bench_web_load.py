"""Load benchmark of the web dashboard: a real ``peelwatch serve`` on 127.0.0.1 under concurrent clients.

Builds (once, cached beside the results) a database of 43 forces × 7 cycles with 50,000 findings,
inserted in bulk through the store's own models, starts the server as a separate process, then
drives four pages with 16 concurrent asyncio clients (keep-alive HTTP/1.1; ``--client httpx`` for httpx),
a bounded number of requests each:

* the national matrix (``/?cycle=...``),
* a force profile (``/forces/{slug}``, forces chosen at random),
* a findings search (``/findings?q=...`` with words that occur in many findings),
* a finding page (``/findings/{id}``, ids chosen at random),

and reports median and 95th-percentile latency, requests per second and errors for each.

Usage::

    python benchmarks/bench_web_load.py [--requests 800] [--concurrency 16] [--workers 1] [--findings 50000]
                                        [--db FILE] [--rebuild] [--json FILE]
    python benchmarks/bench_web_load.py --datasette [--sizes 10000,100000] [--duration 5] [--repeat 3]
    python benchmarks/bench_web_load.py --layers [--sizes 10000,100000] [--repeat 3]

``--datasette`` runs every list (forces, grades, findings, findings search, documents, search;
JSON and pages) against peelwatch with its view cache off and then against Datasette serving
the same SQLite file (installed on first use into benchmarks/.venv-datasette, not a dependency
of peelwatch), under wrk with 16 connections, and prints each list's req/s, p50 and p95 for
both and the ratio, as medians of ``--repeat`` runs.

``--layers`` takes HTTP away: each of those lists' requests goes through the application in this
process, one at a time, with the view cache on (every answer a hit: routing, parameter
validation, middleware) and off (plus the view, its thread hop and the encoding), and prints
the CPU microseconds of each per request (the least of ``--repeat`` runs).

Exit status 1 when any request failed or a p95 is over the target (100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TARGET_P95_MS = 100.0
# A server starting on a machine busy with other work can take a while to import.
START_SECONDS = 120
CYCLES = 7
# The 2023–25 areas as the reports write them, with the framework's canonical keys.
AREAS = {
    "Preventing crime": "preventing-crime",
    "Responding to the public": "responding-to-the-public",
    "Investigating crime": "investigating-crime",
    "Protecting vulnerable people": "protecting-vulnerable-people",
    "Managing offenders": "managing-offenders",
    "Developing a positive workplace": "workforce",
    "Leadership and force management": "leadership",
    "Police powers and public treatment": "treatment-of-the-public",
}
# Phrases the generated findings are made of: varied enough that a word search hits a few
# thousand findings, not all of them.
SUBJECTS = [
    "missing children",
    "domestic abuse victims",
    "call handling",
    "stop and search records",
    "crime recording",
    "digital forensics",
    "neighbourhood teams",
    "vetting checks",
    "sex offender management",
    "anti-social behaviour",
    "use of force",
    "officer wellbeing",
]
VERBS = ["improve", "review", "make sure of", "strengthen", "monitor", "resource", "train staff in"]
TAILS = [
    "so that victims get a consistent service",
    "within six months",
    "and report progress to the commissioner",
    "so that supervisors can see the risk",
    "in line with national guidance",
    "across every district",
]
STATUSES = ["open", "open", "in_progress", "discharged", "not_discharged"]
TYPES = ["area_for_improvement"] * 6 + ["cause_of_concern", "recommendation", "recommendation"]


# --------------------------------------------------------------------------- the database


def build_database(url: str, n_findings: int, seed: int = 7) -> dict[str, Any]:
    """Fill an empty database through the store's models; return what was made."""
    from sqlalchemy import insert, select

    from peelwatch.store import open_store
    from peelwatch.store.models import Cycle, Document, Finding, FindingMention, Force, Judgment, SearchEntry

    rng = random.Random(seed)
    store = open_store(url)
    started = time.perf_counter()
    with store.write() as s:
        forces = list(s.execute(select(Force.id, Force.slug, Force.name)).all())
        cycles = list(s.execute(select(Cycle.id, Cycle.label, Cycle.scale).order_by(Cycle.position)).all())[
            :CYCLES
        ]
        if len(forces) < 43 or len(cycles) < CYCLES:
            raise SystemExit(
                f"the framework seeded {len(forces)} forces and {len(cycles)} cycles; need 43 and 7"
            )
        per_doc = n_findings // (len(forces) * len(cycles))
        extra = n_findings - per_doc * len(forces) * len(cycles)
        doc_id = judgment_id = finding_id = mention_id = search_id = 0
        docs, judgments, findings, mentions, entries = [], [], [], [], []
        for f_id, _slug, f_name in forces:
            for c_id, label, scale in cycles:
                doc_id += 1
                grades = [
                    g
                    for g in (scale or ["outstanding", "good", "requires improvement", "inadequate"])
                    if g != "ungraded"
                ]
                parts = [f"PEEL {label}: an inspection of {f_name}\n\nArea of policing\tGrade\n"]
                offset = len(parts[0])
                for position, area in enumerate(AREAS):
                    line = f"{area}\t{rng.choice(grades).capitalize()}\n"
                    judgment_id += 1
                    judgments.append(
                        {
                            "id": judgment_id,
                            "document_id": doc_id,
                            "force_id": f_id,
                            "cycle_id": c_id,
                            "position": position,
                            "scope": "area",
                            "subject": area,
                            "area_key": AREAS[area],
                            "grade": line.split("\t")[1].strip().lower(),
                            "claim": False,
                            "evidence": line.strip(),
                            "start": offset,
                            "end": offset + len(line) - 1,
                        }
                    )
                    parts.append(line)
                    offset += len(line)
                parts.append("\nAreas for improvement\n\n")
                offset += len(parts[-1])
                count = per_doc + (1 if extra > 0 else 0)
                extra -= 1 if extra > 0 else 0
                for position in range(count):
                    text = (
                        f"The force should {rng.choice(VERBS)} {rng.choice(SUBJECTS)} "
                        f"and {rng.choice(SUBJECTS)} {rng.choice(TAILS)}."
                    )
                    finding_id += 1
                    mention_id += 1
                    type_ = rng.choice(TYPES)
                    findings.append(
                        {
                            "id": finding_id,
                            "force_id": f_id,
                            "cycle_id": c_id,
                            "type": type_,
                            "ref": None,
                            "text": text,
                            "norm_text": text.lower(),
                            "area_key": rng.choice(list(AREAS.values())),
                            "section": "Areas for improvement",
                            "authoritative": True,
                            "source_document_id": doc_id,
                            "status": rng.choice(STATUSES),
                        }
                    )
                    mentions.append(
                        {
                            "id": mention_id,
                            "finding_id": finding_id,
                            "document_id": doc_id,
                            "position": position,
                            "ref": None,
                            "type": type_,
                            "text": text,
                            "section": "Areas for improvement",
                            "evidence": text,
                            "start": offset,
                            "end": offset + len(text),
                            "score": 100.0,
                        }
                    )
                    search_id += 1
                    entries.append(
                        {
                            "id": search_id,
                            "kind": "finding",
                            "ref_id": finding_id,
                            "document_id": None,
                            "force_id": f_id,
                            "cycle_id": c_id,
                            "title": f"Finding · {f_name} · {label}",
                            "body": text,
                        }
                    )
                    parts.append(text + "\n\n")
                    offset += len(text) + 2
                body = "".join(parts)
                docs.append(
                    {
                        "id": doc_id,
                        "content_hash": f"{doc_id:064x}",
                        "source": f"generated-{doc_id}.txt",
                        "kind": "inspection_report",
                        "force_id": f_id,
                        "cycle_id": c_id,
                        "title": f"PEEL {label}: an inspection of {f_name}",
                        "published": None,
                        "text": body,
                        "reader": "text",
                        "size": len(body.encode()),
                        "warnings": [],
                    }
                )
                search_id += 1
                entries.append(
                    {
                        "id": search_id,
                        "kind": "document",
                        "ref_id": doc_id,
                        "document_id": doc_id,
                        "force_id": f_id,
                        "cycle_id": c_id,
                        "title": docs[-1]["title"],
                        "body": body[:20000],
                    }
                )
        for model, rows in [
            (Document, docs),
            (Judgment, judgments),
            (Finding, findings),
            (FindingMention, mentions),
            (SearchEntry, entries),
        ]:
            for i in range(0, len(rows), 5000):
                s.execute(insert(model), rows[i : i + 5000])
    with store.write() as s:
        s.execute(__import__("sqlalchemy").text("ANALYZE"))
    store.close()
    return {
        "forces": len(forces),
        "cycles": [c[1] for c in cycles],
        "documents": doc_id,
        "judgments": judgment_id,
        "findings": finding_id,
        "seconds": round(time.perf_counter() - started, 1),
        "slugs": [f[1] for f in forces],
    }


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    db_url: str, port: int, workers: int = 1, *, view_cache: bool = True
) -> subprocess.Popen[bytes]:
    """``peelwatch serve`` as a separate process, waited for until it answers.

    ``view_cache=False`` turns the view cache off, so every request runs its queries.
    """
    cmd = [
        sys.executable,
        "-m",
        "peelwatch",
        "serve",
        "--db",
        db_url,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    env = dict(os.environ)
    if not view_cache:
        env["PEELWATCH_VIEW_CACHE"] = "0"
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    return _wait_listening(proc, port)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server started here: SIGTERM, then SIGKILL after 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _wait_listening(proc: subprocess.Popen[bytes], port: int) -> subprocess.Popen[bytes]:
    """Wait until ``proc`` accepts connections on ``port`` (at most :data:`START_SECONDS`)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise SystemExit(f"the server stopped (exit {proc.returncode}): {out}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit(f"the server did not start within {START_SECONDS} s")


# --------------------------------------------------------------------------- Datasette beside it

DATASETTE_VENV = Path(__file__).resolve().parent / ".venv-datasette"


def datasette_command() -> list[str]:
    """The ``datasette`` of the benchmark's own environment, made on first use (never a
    dependency of peelwatch: it lives in benchmarks/.venv-datasette, which git ignores)."""
    exe = DATASETTE_VENV / "bin" / "datasette"
    if not exe.exists():
        print(f"installing Datasette into {DATASETTE_VENV}…", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        subprocess.run([str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", "datasette"], check=True)
    return [str(exe)]


def start_datasette(db: Path, port: int) -> subprocess.Popen[bytes]:
    """Datasette serving the same SQLite file with its HTTP caching and facet suggestions off.

    ``default_cache_ttl 0`` turns off its only cache of answers; SQLite's page cache is left at
    the default for both servers.
    """
    cmd = [
        *datasette_command(),
        "serve",
        str(db),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "default_cache_ttl",
        "0",
        # Facet suggestions are not part of serving a list: with them on, every table page ran a
        # query per column and took 0.6-1.2 s. Off, Datasette does no more than we do.
        "--setting",
        "suggest_facets",
        "off",
    ]
    # Its request log goes nowhere: a pipe nobody reads fills up and stalls the server.
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return _wait_listening(proc, port)


# Datasette's table search (``?_search=``) lists the matches in the table's order, unranked, while
# ours ranks them (bm25 over the newest RANK_WINDOW matches, see peelwatch.store.search): asked
# that way, Datasette answered an easier question with other rows. Its documented way to rank is
# SQL of its own (``/db.json?sql=...``), so the searches and the matrix are asked through SQL that
# returns the rows ours returns, in our order, named as ours names them, counted as ours counts
# them (up to 10,001): the benchmark checks the rows are the same before it measures.
_DS_SEARCH_SQL = (
    "select e.kind, e.ref_id, e.title, substr(e.body, 1, 200) as body, e.document_id, f.slug,"
    " f.name as force_name, c.label as cycle, w.rank,"
    " (select count(*) from (select rowid from search_fts where search_fts match :m limit 10001)) as total"
    " from (select rowid as id, {score} as rank from search_fts where search_fts match :m"
    " order by rowid desc limit 1000) w"
    " join search_entry e on e.id = w.id left join force f on f.id = e.force_id"
    " left join cycle c on c.id = e.cycle_id order by w.rank, w.id desc limit 20"
)
_DS_FINDINGS_Q_SQL = (
    "select f.id, f.type, f.ref, f.text, f.status, f.area_key, fo.slug, fo.name as force_name,"
    " c.label as cycle, h.rank,"
    " (select count(*) from (select rowid from search_fts where search_fts match :c limit 10001)) as total"
    " from (select e.ref_id as fid, {score} as rank from search_fts"
    " join search_entry e on e.id = search_fts.rowid where search_fts match :m and e.kind = 'finding'"
    " order by search_fts.rowid desc limit 1000) h"
    " join finding f on f.id = h.fid left join cycle c on c.id = f.cycle_id"
    " left join force fo on fo.id = f.force_id"
    " order by h.rank, coalesce(c.position, -1) desc, f.id limit 50"
)
# The matrix's rows: the cycle's counted grades (the inspectorate's, not provisional), each with
# its force (name, region) and its source document (kind, title, date), as the matrix names them.
_DS_GRADES_SQL = (
    "select f.region, f.name as force, f.slug, j.area_key, j.subject, j.grade, j.id as judgment_id,"
    " d.id as document_id, d.kind, d.title, d.published"
    " from judgment j join document d on d.id = j.document_id join force f on f.id = j.force_id"
    " where j.cycle_id = :cycle and j.claim = 0 and j.hidden = 0 and j.force_id is not null"
    " and d.kind = 'inspection_report' and d.provisional = 0"
    " order by f.region, f.name, j.position"
)


def _ranked(db: Path, q: str, columns: str) -> bool:
    """Whether peelwatch ranks ``q`` on this database (it does not when a word is very common)."""
    from peelwatch.store import open_store
    from peelwatch.store.search import query_terms, rankable

    store = open_store(f"sqlite:///{db}")
    try:
        with store.read() as session:
            return rankable(session, query_terms(q), columns)
    finally:
        store.close()


def compare_scenarios(
    info: dict[str, Any], db: Path, rng: random.Random, n: int = 200
) -> list[tuple[str, list[str], list[str]]]:
    """Each list as peelwatch serves it and the Datasette view that answers the same question.

    Tables as they are for the plain lists (findings newest cycle first against ``finding``
    sorted by ``cycle_id``, documents without their text, forces); SQL for the searches and the
    matrix (see :data:`_DS_SEARCH_SQL`). The ``, theirs unranked`` lists are the earlier pairing
    of the searches with Datasette's table search, measured only when named in ``--lists``.
    """
    from urllib.parse import quote, urlencode

    from peelwatch.store.search import fts5_query

    name = db.stem
    words = [
        "missing children",
        "domestic abuse",
        "vetting",
        "digital forensics",
        "call handling",
        "wellbeing",
    ]
    picks = [rng.choice(words) for _ in range(n)]
    qs = [quote(w) for w in picks]
    latest = info["cycles"][-1]
    import sqlite3

    # Datasette does not recognise an external-content FTS5 table by itself: name it.
    fts = "_fts_table=search_fts&_fts_pk=id"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        (cycle_id,) = conn.execute("SELECT id FROM cycle WHERE label = ?", (latest,)).fetchone()

    def sql(template: str, columns: str, bm25: str, word: str) -> str:
        # Ranked as ours ranks this word on this database, matched and counted as ours matches.
        score = bm25 if _ranked(db, word, columns) else "0.0"
        match = f"{columns} : ({fts5_query(word)})"
        params = {"sql": template.format(score=score), "m": match}
        if ":c" in template:  # the findings' count: the entry's kind is a tag in the index
            params["c"] = match + ' AND tags : "pwkindfinding"'
        return f"/{name}.json?" + urlencode(params)

    searched = {w: sql(_DS_SEARCH_SQL, "{title body}", "bm25(search_fts, 3.0, 1.0, 0.0)", w) for w in words}
    found = {w: sql(_DS_FINDINGS_Q_SQL, "{body}", "bm25(search_fts, 0.0, 1.0, 0.0)", w) for w in words}
    grades = f"/{name}.json?" + urlencode({"sql": _DS_GRADES_SQL, "cycle": cycle_id})
    return [
        ("forces json", ["/api/forces"], [f"/{name}/force.json"]),
        ("grades json", [f"/api/grades?cycle={quote(latest)}"], [grades]),
        (
            "findings json",
            ["/api/findings"],
            [f"/{name}/finding.json?_sort_desc=cycle_id&_size=50"],
        ),
        (
            "findings html",
            ["/findings"],
            [f"/{name}/finding?_sort_desc=cycle_id&_size=50"],
        ),
        ("findings q json", [f"/api/findings?q={q}" for q in qs], [found[w] for w in picks]),
        (
            "documents json",
            ["/api/documents"],
            [f"/{name}/document.json?_nocol=text&_sort_desc=id&_size=50"],
        ),
        (
            "documents html",
            ["/documents"],
            [f"/{name}/document?_nocol=text&_sort_desc=id&_size=50"],
        ),
        ("search json", [f"/api/search?q={q}" for q in qs], [searched[w] for w in picks]),
        (
            "search html",
            [f"/search?q={q}" for q in qs],
            [f"/{name}/search_entry?_search={q}&{fts}&_size=20" for q in qs],
        ),
        (
            "findings q json, theirs unranked",
            [f"/api/findings?q={q}" for q in qs],
            [f"/{name}/search_entry.json?_search={q}&{fts}&kind=finding&_size=50" for q in qs],
        ),
        (
            "search json, theirs unranked",
            [f"/api/search?q={q}" for q in qs],
            [f"/{name}/search_entry.json?_search={q}&{fts}&_size=20" for q in qs],
        ),
    ]


def _rows_answered(name: str, ours: dict[str, Any], theirs: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """What identifies the rows each server answered for a list asked through SQL, in order."""
    rows = [dict(zip(theirs["columns"], r, strict=True)) for r in theirs["rows"]]
    if name == "search json":
        return [(r["kind"], r["id"]) for r in ours["results"]], [(r["kind"], r["ref_id"]) for r in rows]
    if name == "findings q json":
        from peelwatch.store.search import COUNT_LIMIT

        # Ours counts up to COUNT_LIMIT and says "at least" past it; the SQL counts one more.
        total = min(rows[0]["total"] if rows else 0, COUNT_LIMIT)
        return [ours["total"], *(r["id"] for r in ours["items"])], [total, *(r["id"] for r in rows)]
    cells = [c for g in ours["groups"] for f in g["forces"] for c in f["cells"] if c]
    return sorted(c["judgment_id"] for c in cells), sorted(r["judgment_id"] for r in rows)


def check_same_rows(scen: list[Any], ports: dict[str, int]) -> None:
    """Stop unless both servers answer the same rows for each list asked of Datasette in SQL."""
    import urllib.request

    def get(port: int, path: str) -> Any:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
            return json.loads(r.read())

    for name, ours, theirs in scen:
        if name not in ("search json", "findings q json", "grades json"):
            continue
        for mine, their in sorted(set(zip(ours, theirs, strict=True))):
            a, b = _rows_answered(name, get(ports["peelwatch"], mine), get(ports["datasette"], their))
            if a != b:
                raise SystemExit(f"{name}: the servers answer different rows for {mine}: {a[:5]} / {b[:5]}")


_WRK_SCRIPT = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("PWRESULT %%d %%d %%d %%.1f %%.1f %%.1f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency.max / 1000))
end
"""


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk_load(
    base: str, name: str, paths: list[str], concurrency: int, seconds: float, pid: int | None = None
) -> Result:
    """``seconds`` of load from wrk (C, two threads: not the bottleneck) over ``paths`` in turn.

    With the server's ``pid``, also the requests it answered per second of its own CPU time.
    """
    cpu_before = cpu_seconds(pid) if pid else 0.0
    with tempfile.TemporaryDirectory(prefix="pw-wrk-") as tmp:
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "paths.lua"
        script.write_text(_WRK_SCRIPT % listing)
        out = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(concurrency),
                "-d",
                f"{seconds:g}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                base,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        out = out.stdout + out.stderr
    line = next((ln for ln in out.splitlines() if ln.startswith("PWRESULT")), None)
    if line is None:
        raise SystemExit(f"wrk gave no figures for {name}: {out}")
    requests, errors, duration_us, p50, p95, high = line.split()[1:]
    cpu = cpu_seconds(pid) - cpu_before if pid else 0.0
    return Result(
        page=name,
        requests=int(requests),
        errors=int(errors),
        median_ms=float(p50),
        p95_ms=float(p95),
        max_ms=float(high),
        req_per_s=round(int(requests) / (int(duration_us) / 1e6), 1),
        req_per_cpu_s=round(int(requests) / cpu, 1) if cpu > 0 else 0.0,
    )


def paired(mine: list[Result], theirs: list[Result], field: str) -> float:
    """The median of each round's ratio ours/theirs: a round's two runs met the same other load.

    A round in which either server answered nothing in time (every request past wrk's 10 s
    timeout) has no ratio; ``nan`` when no round has one.
    """
    ratios = [
        getattr(a, field) / getattr(b, field)
        for a, b in zip(mine, theirs, strict=True)
        if a.requests and b.requests and getattr(b, field)
    ]
    return statistics.median(ratios) if ratios else float("nan")


def _chosen(scenarios: list[Any], names: str | None) -> list[Any]:
    """The scenarios named in ``--lists`` (comma-separated, e.g. ``"forces json,search json"``), or
    all but the earlier pairings kept for comparison (``, theirs unranked``)."""
    if not names:
        return [s for s in scenarios if ", theirs" not in s[0]]
    wanted = [n.strip() for n in names.split(";" if ";" in names else ",")]
    unknown = set(wanted) - {s[0] for s in scenarios}
    if unknown:
        raise SystemExit(
            f"no such list: {', '.join(sorted(unknown))}; the lists: {', '.join(s[0] for s in scenarios)}"
        )
    return [s for s in scenarios if s[0] in wanted]


def compare_with_datasette(args: argparse.Namespace) -> int:
    """Per size: peelwatch (view cache off) and Datasette in turn on the same file, each list
    ``--repeat`` times; print medians of req/s, p50 and p95 and the ratio ours/theirs."""
    import shutil

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for --datasette (Debian: apt-get install wrk)")
    from peelwatch.store import open_store

    summary: dict[str, Any] = {"sizes": {}}
    for size in [int(x) for x in args.sizes.split(",")]:
        db, info = ensure_database(args, size)
        open_store(f"sqlite:///{db}").close()  # migrated before either server reads it
        scen = _chosen(compare_scenarios(info, db, random.Random(11)), args.lists)
        runs: dict[tuple[str, str], list[Result]] = {}
        # Both servers run side by side (the idle one costs nothing) and each list is measured on
        # one and then the other, the order swapped every round, so a change in the machine's
        # other load falls on both alike.
        ports = {"peelwatch": free_port(), "datasette": free_port()}
        procs = {
            "peelwatch": start_server(f"sqlite:///{db}", ports["peelwatch"], args.workers, view_cache=False),
            "datasette": start_datasette(db, ports["datasette"]),
        }
        try:
            check_same_rows(scen, ports)
            for round_ in range(args.repeat):
                order = ("peelwatch", "datasette") if round_ % 2 == 0 else ("datasette", "peelwatch")
                for name, ours, theirs in scen:
                    for who in order:
                        base = f"http://127.0.0.1:{ports[who]}"
                        paths = ours if who == "peelwatch" else theirs
                        wrk_load(base, name, paths, args.concurrency, 1)  # warm-up, not counted
                        runs.setdefault((name, who), []).append(
                            wrk_load(base, name, paths, args.concurrency, args.duration, procs[who].pid)
                        )
        finally:
            for proc in procs.values():
                stop(proc)
        print(
            f"\n{size:,} findings; {args.concurrency} clients (wrk), {args.duration:g} s per list, median of "
            f"{args.repeat} runs, the two servers alternated; view cache off; load average "
            f"{os.getloadavg()[0]:.1f} at the end"
        )
        print(
            f"{'list':<17}{'ours req/s':>11}{'p50':>7}{'p95':>7}{'Datasette req/s':>17}{'p50':>7}{'p95':>7}"
            f"{'ratio':>7}{'ours /cpu-s':>12}{'theirs /cpu-s':>14}{'ratio':>7}"
        )
        rows = {}
        for name, _ours, _theirs in scen:
            mine, theirs = runs[(name, "peelwatch")], runs[(name, "datasette")]
            keys = ("req_per_s", "median_ms", "p95_ms", "req_per_cpu_s")
            m = {k: statistics.median(getattr(r, k) for r in mine) for k in keys}
            t = {k: statistics.median(getattr(r, k) for r in theirs) for k in keys}

            ratio, cpu_ratio = paired(mine, theirs, "req_per_s"), paired(mine, theirs, "req_per_cpu_s")
            errors = sum(r.errors for r in mine), sum(r.errors for r in theirs)
            rows[name] = {
                "peelwatch": m,
                "datasette": t,
                "ratio": round(ratio, 2),
                "cpu_ratio": round(cpu_ratio, 2),
                "errors": errors,
            }
            print(
                f"{name:<17}{m['req_per_s']:>11.0f}{m['median_ms']:>7.1f}{m['p95_ms']:>7.1f}"
                f"{t['req_per_s']:>17.0f}{t['median_ms']:>7.1f}{t['p95_ms']:>7.1f}{ratio:>7.2f}"
                f"{m['req_per_cpu_s']:>12.0f}{t['req_per_cpu_s']:>14.0f}{cpu_ratio:>7.2f}"
                + (f"  errors {errors[0]}/{errors[1]}" if any(errors) else "")
            )
        summary["sizes"][size] = rows
    sizes = sorted(summary["sizes"])
    if len(sizes) > 1:
        small, large = summary["sizes"][sizes[0]], summary["sizes"][sizes[-1]]
        print(
            f"\nours, {sizes[0]:,} -> {sizes[-1]:,} findings: requests per CPU-second at the smaller "
            "and the larger, and their quotient (flat: <= 1.5)"
        )
        for name in small:
            a, b = small[name]["peelwatch"]["req_per_cpu_s"], large[name]["peelwatch"]["req_per_cpu_s"]
            print(f"{name:<17}{a:>8.0f}{b:>8.0f}{(a / b if b else float('inf')):>7.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


async def _asgi_get(app: Any, path: str) -> int:
    """One GET through the application's ASGI interface in this process; its status."""
    route, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


async def _cpu_per_request(app: Any, paths: list[str], n: int) -> float:
    """CPU microseconds (every thread of this process) per request, ``n`` requests one at a time."""
    for path in paths[:20]:  # warm-up: connections, prebuilt statements, the cache when it is on
        if (code := await _asgi_get(app, path)) != 200:
            raise SystemExit(f"{path} answered {code}")
    started = time.process_time()
    for i in range(n):
        await _asgi_get(app, paths[i % len(paths)])
    return (time.process_time() - started) / n * 1e6


def layer_costs(args: argparse.Namespace) -> int:
    """Where an uncached list's time goes, in this process without HTTP: each list's requests
    through the application with the view cache on (after a warm-up every answer is a hit: what
    is left is routing, parameter validation, middleware and the cache lookup) and with it off
    (the view, its thread hop and the JSON encoding added). The least of ``--repeat`` runs."""
    from peelwatch.config import load_settings
    from peelwatch.web import create_app

    n = 400
    for size in [int(x) for x in args.sizes.split(",")]:
        db, info = ensure_database(args, size)
        scen = _chosen(compare_scenarios(info, db, random.Random(11)), args.lists)
        apps = {
            cached: create_app(load_settings(db_url=f"sqlite:///{db}", view_cache=2048 if cached else 0))
            for cached in (True, False)
        }

        async def measure(
            apps: dict[bool, Any] = apps, scen: list[Any] = scen
        ) -> dict[str, dict[bool, float]]:
            out: dict[str, dict[bool, list[float]]] = {}
            async with (
                apps[True].router.lifespan_context(apps[True]),
                apps[False].router.lifespan_context(apps[False]),
            ):
                for _ in range(args.repeat):
                    for name, ours, _theirs in scen:
                        for cached, app in apps.items():
                            cost = await _cpu_per_request(app, ours, n if cached else n // 4)
                            out.setdefault(name, {}).setdefault(cached, []).append(cost)
            # The least disturbed run: on a shared machine other work only ever adds to a cost.
            return {k: {c: min(v) for c, v in d.items()} for k, d in out.items()}

        costs = asyncio.run(measure())
        print(
            f"\n{size:,} findings, in-process, one request at a time, CPU µs per request (least of "
            f"{args.repeat} runs); load average {os.getloadavg()[0]:.1f}"
        )
        print(f"{'list':<17}{'framework':>11}{'uncached':>10}{'view':>8}")
        for name, by in costs.items():
            print(f"{name:<17}{by[True]:>11.0f}{by[False]:>10.0f}{by[False] - by[True]:>8.0f}")
    return 0


# Queries chosen to cost the most: words in every finding (and every title), stop words only, one
# word typed many times, a long quoted phrase, many common words, a word found nowhere, and the
# load test's own phrases.
WORST_QUERIES = [
    "force should",
    "the force should and",
    "force " * 100,
    '"the force should improve missing children and domestic abuse victims so that victims get"',
    "force should improve review monitor resource train staff",
    "the and of to",
    "a",
    "zzzunmatched",
    "finding",
    "missing children",
    "domestic abuse",
]
SEARCH_TARGET_MS = 100.0


def worst_searches(args: argparse.Namespace) -> int:
    """Time every search path (``search`` and the findings list's ``q``, ranked and sorted) on the
    largest database for each of :data:`WORST_QUERIES`; medians of ``--repeat`` runs, in-process."""
    from peelwatch.store import open_store
    from peelwatch.store.queries import list_findings
    from peelwatch.store.search import search

    size = max(int(x) for x in args.sizes.split(","))
    db, _info = ensure_database(args, size)
    store = open_store(f"sqlite:///{db}")
    calls = {
        "search": lambda q: search(store, q, limit=20).total,
        "findings q": lambda q: list_findings(store, q=q).total,
        "findings q sorted": lambda q: list_findings(store, q=q, sort="-due_date").total,
    }
    print(f"{size:,} findings; median of {args.repeat} runs after one warm-up, wall ms (CPU ms)")
    print(f"{'path':<19}{'q':<34}{'total':>8}{'ms':>9}{'cpu ms':>9}")
    worst = 0.0
    for q in WORST_QUERIES:
        for name, call in calls.items():
            call(q)
            walls, cpus = [], []
            for _ in range(args.repeat):
                w, c = time.perf_counter(), time.process_time()
                total = call(q)
                walls.append((time.perf_counter() - w) * 1000)
                cpus.append((time.process_time() - c) * 1000)
            wall = statistics.median(walls)
            worst = max(worst, wall)
            print(f"{name:<19}{q[:32]!r:<34}{total:>8}{wall:>9.1f}{statistics.median(cpus):>9.1f}")
    store.close()
    print(
        f"slowest {worst:.1f} ms (target < {SEARCH_TARGET_MS:.0f} ms); load average {os.getloadavg()[0]:.1f}"
    )
    return 1 if worst >= SEARCH_TARGET_MS else 0


def ensure_database(args: argparse.Namespace, findings: int) -> tuple[Path, dict[str, Any]]:
    """The benchmark database of ``findings`` findings, built once and reused (``--rebuild``)."""
    # The name changes when the generated data does, so an older cached file is not reused.
    db = (
        args.db
        if args.db and not (args.datasette or args.worst_search or args.layers)
        else Path(tempfile.gettempdir()) / f"peelwatch-bench-{findings}-keys.db"
    )
    info_file = db.with_suffix(".json")
    if args.rebuild or not db.exists() or not info_file.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        print(f"building {db} ({findings:,} findings)…", flush=True)
        info_file.write_text(json.dumps(build_database(f"sqlite:///{db}", findings)))
    return db, json.loads(info_file.read_text())


# --------------------------------------------------------------------------- the load


@dataclass
class Result:
    """Figures for one page."""

    page: str
    requests: int
    errors: int
    median_ms: float
    p95_ms: float
    max_ms: float
    req_per_s: float
    # Requests answered per second of the server's own CPU time (0 when not measured): on a
    # machine shared with other work, req/s is mostly the CPU the scheduler gave the server.
    req_per_cpu_s: float = 0.0


class RawConnection:
    """A minimal HTTP/1.1 keep-alive client over asyncio streams (one per virtual user).

    The clients share the machine with the server; a full-featured client spends more CPU per
    request than the server does on a cached page, and would measure itself. This one only
    writes a GET and reads the status line, the headers and a ``Content-Length`` or chunked body.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, int]:
        """Send one GET; return (status, body length). Reconnects when the server closed the line."""
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None and self.writer is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
            size = len(body)
        else:  # chunked
            size = 0
            while True:
                chunk_len = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(chunk_len + 2)
                size += chunk_len
                if chunk_len == 0:
                    break
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, size

    async def close(self) -> None:
        """Close the connection."""
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def drive(base: str, name: str, paths: list[str], concurrency: int, client: str = "raw") -> Result:
    """Send every path once with ``concurrency`` virtual users in parallel; time each request.

    ``client="raw"`` uses :class:`RawConnection`; ``client="httpx"`` an ``httpx.AsyncClient`` per user.
    """
    import httpx

    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    latencies: list[float] = []
    errors: list[str] = []
    url = urlsplit(base)

    async def worker() -> None:
        raw = RawConnection(url.hostname or "127.0.0.1", url.port or 80)
        async with httpx.AsyncClient(base_url=base, timeout=30) as hx:
            while True:
                try:
                    path = queue.get_nowait()
                except asyncio.QueueEmpty:
                    break
                t0 = time.perf_counter()
                try:
                    if client == "raw":
                        status, _size = await asyncio.wait_for(raw.get(path), timeout=30)
                    else:
                        response = await hx.get(path)
                        await response.aread()
                        status = response.status_code
                    if status != 200:
                        errors.append(f"{status} {path}")
                except (
                    TimeoutError,
                    OSError,
                    asyncio.IncompleteReadError,
                    ValueError,
                    httpx.HTTPError,
                ) as exc:
                    errors.append(f"{type(exc).__name__} {path}")
                    await raw.close()
                latencies.append((time.perf_counter() - t0) * 1000)
        await raw.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    if errors:
        print(f"  {name}: {len(errors)} errors, e.g. {errors[:3]}", file=sys.stderr)
    return Result(
        page=name,
        requests=len(paths),
        errors=len(errors),
        median_ms=round(statistics.median(latencies), 1),
        p95_ms=round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        max_ms=round(latencies[-1], 1),
        req_per_s=round(len(paths) / elapsed, 1),
    )


def scenarios(info: dict[str, Any], n: int, rng: random.Random) -> dict[str, list[str]]:
    """The request paths of each page, ``n`` per page."""
    from urllib.parse import quote

    latest = info["cycles"][-1]
    words = [
        "missing children",
        "domestic abuse",
        "vetting",
        "digital forensics",
        "call handling",
        "wellbeing",
    ]
    return {
        "matrix page": [f"/?cycle={quote(latest)}"] * n,
        "force profile": [f"/forces/{rng.choice(info['slugs'])}" for _ in range(n)],
        "findings search": [f"/findings?q={quote(rng.choice(words))}" for _ in range(n)],
        "finding page": [f"/findings/{rng.randint(1, info['findings'])}" for _ in range(n)],
    }


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the database, start the server, run each page's load, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=800, help="requests per page (default 800)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument(
        "--findings", type=int, default=50_000, help="findings in the database (default 50,000)"
    )
    parser.add_argument(
        "--client",
        choices=["raw", "httpx"],
        default="raw",
        help="load client (default raw: least CPU per request)",
    )
    parser.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    parser.add_argument("--db", type=Path, default=None, help="SQLite file to build or reuse")
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if it exists")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument(
        "--datasette",
        action="store_true",
        help="side by side with Datasette on the same file, view cache off, every list (needs wrk)",
    )
    parser.add_argument("--sizes", default="10000,100000", help="findings per database for --datasette")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per list (--datasette)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per list and server (--datasette)")
    parser.add_argument(
        "--worst-search",
        action="store_true",
        help="time the costliest queries through every search path at the largest --sizes (in-process)",
    )
    parser.add_argument(
        "--lists",
        default=None,
        help='only these lists for --datasette/--layers, e.g. "forces json,search json" (";" between '
        'names that hold a comma, e.g. "search json;search json, theirs unranked")',
    )
    parser.add_argument(
        "--layers",
        action="store_true",
        help="in-process CPU per request of every list with the view cache on and off (no HTTP)",
    )
    args = parser.parse_args(argv)
    if args.layers:
        return layer_costs(args)
    if args.worst_search:
        return worst_searches(args)
    if args.datasette:
        return compare_with_datasette(args)

    db, info = ensure_database(args, args.findings)
    url = f"sqlite:///{db}"
    print(
        f"database: {info['forces']} forces × {len(info['cycles'])} cycles, {info['documents']} documents, "
        f"{info['judgments']:,} judgments, {info['findings']:,} findings"
    )
    port = free_port()
    server = start_server(url, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    rng = random.Random(11)
    load_before = os.getloadavg()[0]
    results = []
    try:
        for name, paths in scenarios(info, args.requests, rng).items():
            # Warm-up, not counted: every distinct path once (at most 100) plus a few repeats, so the
            # figures are the steady state of a dashboard whose pages have been visited before.
            warm = list(dict.fromkeys(paths))[:100] + paths[:20]
            asyncio.run(drive(base, name, warm, args.concurrency, args.client))
            results.append(asyncio.run(drive(base, name, paths, args.concurrency, args.client)))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"\n{args.concurrency} concurrent clients, {args.requests} requests per page, {args.workers} server "
        f"process(es), {args.client} client; server and clients on one "
        f"machine ({os.cpu_count()} CPUs, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    print(f"{'page':<18}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'req/s':>9}{'errors':>8}")
    for r in results:
        print(f"{r.page:<18}{r.median_ms:>11}{r.p95_ms:>9}{r.max_ms:>9}{r.req_per_s:>9}{r.errors:>8}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "database": {k: v for k, v in info.items() if k != "slugs"},
                    "concurrency": args.concurrency,
                    "workers": args.workers,
                    "client": args.client,
                    "cpu_count": os.cpu_count(),
                    "load_average_before": load_before,
                    "results": [asdict(r) for r in results],
                },
                indent=2,
            )
        )
    failed = [r for r in results if r.errors or r.p95_ms > TARGET_P95_MS]
    if failed:
        print(
            f"\nover the target (p95 < {TARGET_P95_MS:.0f} ms, no errors): {', '.join(r.page for r in failed)}"
        )
        return 1
    print(f"\nevery page within the target (p95 < {TARGET_P95_MS:.0f} ms, no errors)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
