"""Pathological inputs: extraction time per MB must stay flat as the input grows.

Run from the repository root:

    .venv/bin/python benchmarks/bench_pathological.py [--sizes 100k,1m,10m] [--runs 3]
        [--only NAME,...] [--timeout 120] [--check] [--caller-process]

Each generator writes a hostile document of about the size asked for (a long line of grade words,
one sentence repeated without spaces, repeated findings, many headings, many labelled findings, many
distinct findings each with an answer, a sentence with no full stop, links in nested divs, deeply
nested divs). Each case is read and extracted in a child process, which is killed after
``--timeout`` seconds (shown as ``>T``); the
median over ``--runs`` runs is printed as seconds and seconds per MB, of wall-clock time and of
the child's CPU time (which other work on a loaded machine changes less). The parent first
extracts a small document of each kind (patterns compiled, vocabularies loaded) and each child
runs a full garbage collection before its clock starts, as a worker that has read a document
already would: neither first-use cost is counted in a case. The child sets its garbage collector
as the extraction processes of ingest and the commands do
(:func:`peelwatch.extract.budget.become_extraction_process`); ``--caller-process`` leaves it as
Python sets it, as when a program calls ``extract_bytes`` in its own process. The search case stores a
small generated record and times :func:`peelwatch.store.search` for long query strings (seconds
per request, not per MB).

Also prints the time for the 83 KB repeated sentence ("… vulnerable people." x 1,600).

Exits non-zero only with ``--check`` and a case over 1 s/MB (or over the timeout).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

LIMIT_S_PER_MB = 1.0
MB = 1_000_000


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def grade_line(size: int) -> tuple[bytes, str]:
    """One line, no newline and few full stops, full of grade words and subjects."""
    unit = (
        "good outstanding requires improvement adequate inadequate effectiveness legitimacy "
        "efficiency preventing crime good at protecting vulnerable people graded as "
    )
    return _repeat(unit, size).encode(), "grade-line.txt"


def repeated_sentence(size: int) -> tuple[bytes, str]:
    """One sentence repeated with no space between the copies (so never split into sentences)."""
    return _repeat("Kent Police is good at protecting vulnerable people.", size).encode(), "repeated.txt"


FINDINGS_BLOCK = """Cause of concern

The force does not understand the demand it faces. The force should, within three months, review
how it assesses demand for its services.

Areas for improvement

The force should improve how it supervises investigations.
The force should make sure that victims are told how their case is progressing.

Recommendation 1

By 31 March, the force should make sure that officers record crime accurately.

"""


def repeated_findings(size: int) -> tuple[bytes, str]:
    """A section of causes of concern, areas for improvement and recommendations, many times."""
    return _repeat(FINDINGS_BLOCK, size).encode(), "findings.txt"


def many_headings(size: int) -> tuple[bytes, str]:
    """Question headings and grade lines, one after another."""
    unit = (
        "How effective is the force at preventing crime and anti-social behaviour?\n\nGood\n\n"
        "How well does the force treat the public and its workforce?\n\nRequires improvement\n\n"
    )
    return _repeat(unit, size).encode(), "headings.txt"


def many_labelled(size: int) -> tuple[bytes, str]:
    """Numbered labelled findings, each its own short paragraph."""
    parts, n, total = [], 0, 0
    while total < size:
        n += 1
        part = (
            f"Area for improvement {n}\n\nThe force should improve how it records crime in area {n}.\n\n"
            if n % 2
            else f"Recommendation {n}\n\nBy March, the chief constable should review case {n}.\n\n"
        )
        parts.append(part)
        total += len(part)
    return "".join(parts).encode(), "labelled.txt"


def many_findings(size: int) -> tuple[bytes, str]:
    """Distinct labelled findings, none restating another, each answered by the force (the
    labelled findings above stop being labels past number 99)."""
    parts, n, total = [], 0, 0
    while total < size:
        n += 1
        part = (
            f"Area for improvement: The force should improve how it records crime in area {n} of the county."
            f"\n\nForce response: We have reviewed crime recording in area {n} and trained its officers.\n\n"
        )
        parts.append(part)
        total += len(part)
    return "".join(parts).encode(), "findings-answered.txt"


def no_full_stop(size: int) -> tuple[bytes, str]:
    """One paragraph that never ends a sentence: a "sentence" as long as the document."""
    unit = "the force is good at protecting vulnerable people and requires improvement in investigating crime and "
    return _repeat(unit, size).encode(), "no-stop.txt"


def nested_links(size: int) -> tuple[bytes, str]:
    """``<div><a href="#">link text</a> `` x N, then ``</div>`` x N."""
    unit = '<div><a href="#">link text</a> '
    n = max(1, size // (len(unit) + 6))
    return (f"<html><body>{unit * n}{'</div>' * n}</body></html>").encode(), "links.html"


def nested_divs(size: int) -> tuple[bytes, str]:
    """Divs nested 100,000 deep (or as deep as the size allows), text in the innermost."""
    depth = min(100_000, max(1, size // 12))
    body = "<div>" * depth + "The force is good at preventing crime." + "</div>" * depth
    pad = max(0, size - len(body) - 30)
    filler = "<p>Neighbourhood teams know their areas.</p>" * (pad // 44)
    return f"<html><body>{filler}{body}</body></html>".encode(), "divs.html"


GENERATORS: dict[str, Callable[[int], tuple[bytes, str]]] = {
    "grade_line": grade_line,
    "repeated_sentence": repeated_sentence,
    "repeated_findings": repeated_findings,
    "many_headings": many_headings,
    "many_labelled": many_labelled,
    "many_findings": many_findings,
    "no_full_stop": no_full_stop,
    "nested_links": nested_links,
    "nested_divs": nested_divs,
}


def _extract_once(name: str, size: int, caller: bool, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from peelwatch.extract import extract_bytes

    if not caller:
        from peelwatch.extract.budget import become_extraction_process

        become_extraction_process()

    data, filename = GENERATORS[name](size)
    # The first full garbage collection in a freshly forked process walks the whole heap it
    # inherited, copying each page it touches (about 0.04 s of CPU, a tenth of a 100 KB case):
    # a cost of the process, paid once, not of the document. Collect before the clock starts, as
    # an extraction worker that has read one document already has.
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    extract_bytes(data, filename, max_bytes=len(data) + 1)
    out.put((len(data), time.perf_counter() - start, time.process_time() - cpu))


def _timed(target: Callable[..., None], args: tuple, timeout: float) -> tuple[int, float, float] | None:  # type: ignore[type-arg]
    """Run ``target`` in a child process; its (bytes, seconds, CPU seconds), or None when killed at
    the timeout."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=target, args=(*args, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    if child.exitcode != 0:
        raise RuntimeError(f"{args}: child exited with {child.exitcode}")
    return queue.get()


def _search_once(q: str, folder: str, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from peelwatch.store import open_store, search

    store = open_store(f"sqlite:///{folder}/bench.db")
    search(store, q, limit=20)  # warm: first query opens the database
    start, cpu = time.perf_counter(), time.process_time()
    search(store, q, limit=20)
    out.put((len(q), time.perf_counter() - start, time.process_time() - cpu))


def _search_store(folder: str) -> None:
    from peelwatch.ingest import ingest_paths
    from peelwatch.store import open_store

    docs = Path(folder) / "docs"
    docs.mkdir()
    for k in range(40):
        text = (
            FINDINGS_BLOCK.replace("demand", f"demand {k} aaa") + "\nThe force is good at preventing crime.\n"
        )
        (docs / f"doc{k}.txt").write_text(text * 3)
    ingest_paths(open_store(f"sqlite:///{folder}/bench.db"), [docs], workers=1)


def _size(text: str) -> int:
    text = text.lower().strip()
    for suffix, mult in (("k", 1000), ("m", MB)):
        if text.endswith(suffix):
            return int(float(text[:-1]) * mult)
    return int(text)


def _median(runs: list[tuple[int, float, float] | None]) -> tuple[int, float | None, float | None]:
    """Bytes, median seconds and median CPU seconds (``None`` when a run was killed)."""
    done = [r for r in runs if r is not None]
    if len(done) < len(runs):
        return (done[0][0] if done else 0), None, None
    return done[0][0], statistics.median(r[1] for r in done), statistics.median(r[2] for r in done)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1m,10m")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated generator names (and/or 'search')")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a case is killed")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 when a case is over {LIMIT_S_PER_MB} s/MB"
    )
    parser.add_argument(
        "--caller-process",
        action="store_true",
        help="leave the garbage collector as Python sets it (a program calling extract_bytes itself)",
    )
    args = parser.parse_args(argv)
    from peelwatch.extract import extract_bytes

    # warm the caches (vocabularies, patterns compiled on first use) once, with a small document of
    # each kind: the children inherit them, as an extraction worker keeps them for every document,
    # so a case's time is its own work and not the first use of a pattern
    extract_bytes(b"The force is good at preventing crime.", "warm.txt")
    for make in GENERATORS.values():
        extract_bytes(*make(2_000))
    sizes = [_size(s) for s in args.sizes.split(",")]
    only = {n for n in args.only.split(",") if n}
    failed = False

    n, secs, cpu = _median(
        [
            _timed(_extract_once, ("repeated_sentence", 83_200, args.caller_process), args.timeout)
            for _ in range(args.runs)
        ]
    )
    shown = f"{secs:.3f} s (CPU {cpu:.3f} s)" if secs is not None else f">{args.timeout:g} s"
    print(f"repeated sentence, {n / 1000:.0f} KB: {shown} (goal < 0.2 s)")
    print(f"{'generator':<20}{'size':>12}{'seconds':>10}{'s/MB':>8}{'CPU s':>8}{'CPU s/MB':>10}")
    for name in GENERATORS:
        if only and name not in only:
            continue
        for size in sizes:
            runs = []
            for _ in range(args.runs):
                runs.append(_timed(_extract_once, (name, size, args.caller_process), args.timeout))
                if runs[-1] is None:
                    break  # one timeout is enough: do not spend the timeout again
            n, secs, cpu = _median(runs)
            if secs is None or cpu is None:
                print(f"{name:<20}{n or size:>12}{'>' + format(args.timeout, 'g'):>10}{'-':>8}", flush=True)
                failed = True
                continue
            per_mb = secs / (n / MB)
            failed |= per_mb > LIMIT_S_PER_MB
            print(
                f"{name:<20}{n:>12}{secs:>10.3f}{per_mb:>8.2f}{cpu:>8.3f}{cpu / (n / MB):>10.2f}", flush=True
            )
    if not only or "search" in only:
        with tempfile.TemporaryDirectory() as folder:
            _search_store(folder)
            for q in ("a" * 200, "a " * 100, "aaa " * 250, '"' + "a" * 1000, "a" * 10_000):
                n, secs, _ = _median(
                    [_timed(_search_once, (q, folder), args.timeout) for _ in range(args.runs)]
                )
                label = f"search q={q[:6]!r}…"
                shown = f"{secs:>10.3f}" if secs is not None else f"{'>' + format(args.timeout, 'g'):>10}"
                print(f"{label:<20}{n:>12}{shown}{'(s per request)':>16}", flush=True)
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
