"""Time the readers on generated documents and print median figures.

Run from the project root: ``.venv/bin/python -m tests.readers.bench_readers``.
Not a test (pytest does not collect it): timings depend on the machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.readers.builders import large_page, letter_docx, long_pdf, text_bytes

from peelwatch.readers import read_bytes


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    """Median CPU time of ``action``: steadier than wall time when other work shares the machine."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times)


def reference_seconds() -> float:
    """CPU time of a fixed pure-Python loop, to compare machines (about 0.015 s on an idle laptop)."""
    return median_seconds(lambda: sum(range(1_000_000)), 7)


def cold_start_seconds(path: Path) -> float:
    """Wall time of a fresh interpreter importing the readers and reading one text file."""
    code = f"from peelwatch.readers import read_file; read_file({str(path)!r})"
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    print(f"Reference loop (sum of a million ints): {reference_seconds() * 1000:.0f} ms")
    page = large_page(100_000, semantic=True)
    soup = large_page(100_000, semantic=False)
    read_bytes(soup, "warm.html")
    print(
        f"HTML 100 KB with <main>:    {median_seconds(lambda: read_bytes(page, 'p.html'), 21) * 1000:.1f} ms"
    )
    print(
        f"HTML 100 KB without <main>: {median_seconds(lambda: read_bytes(soup, 'p.html'), 21) * 1000:.1f} ms"
    )
    for columns in (2, 1):
        pdf = long_pdf(100, columns)
        seconds = median_seconds(lambda pdf=pdf: read_bytes(pdf, "r.pdf"), 5)
        print(f"PDF 100 pages, {columns} column(s): {100 / seconds:.0f} pages/s")
    docx = letter_docx()
    print(
        f"DOCX letter:                {median_seconds(lambda: read_bytes(docx, 'l.docx'), 21) * 1000:.1f} ms"
    )
    text = text_bytes() * 4000
    print(
        f"Text {len(text) / 1e6:.1f} MB:                {median_seconds(lambda: read_bytes(text, 't.txt'), 5) * 1000:.0f} ms"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "note.txt"
        path.write_bytes(text_bytes())
        print(f"Cold start + read a .txt:   {cold_start_seconds(path) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
