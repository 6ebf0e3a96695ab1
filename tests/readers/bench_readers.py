"""Time the readers on generated documents and print the figures.

Run from the project root: ``.venv/bin/python -m tests.readers.bench_readers``.
Not a test (pytest does not collect it): timings depend on the machine. Each line gives the
fastest run and the median: on a machine shared with other work the fastest run is the one
least disturbed by it, and the reference loop shows how busy the machine was.
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


def timings(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(fastest, median) wall time of ``action`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def show(label: str, action: Callable[[], object], repeat: int, per: float | None = None) -> None:
    """Print milliseconds, or items per second when ``per`` (items per run) is given."""
    fastest, median = timings(action, repeat)
    if per is None:
        print(f"{label:<40} fastest {fastest * 1000:7.1f} ms   median {median * 1000:7.1f} ms")
    else:
        print(f"{label:<40} fastest {per / fastest:7.0f} /s   median {per / median:7.0f} /s")


def cold_start(path: Path) -> None:
    """A fresh interpreter importing the readers and reading one text file."""
    code = f"from peelwatch.readers import read_file; read_file({str(path)!r})"
    subprocess.run([sys.executable, "-c", code], check=True)


def main() -> None:
    show("Reference loop (sum of a million ints)", lambda: sum(range(1_000_000)), 21)
    page = large_page(100_000, semantic=True)
    soup = large_page(100_000, semantic=False)
    show("HTML 100 KB with <main>", lambda: read_bytes(page, "p.html"), 41)
    show("HTML 100 KB without <main>", lambda: read_bytes(soup, "p.html"), 41)
    for columns in (2, 1):
        pdf = long_pdf(100, columns)
        show(
            f"PDF 100 pages, {columns} column(s) (pages)",
            lambda pdf=pdf: read_bytes(pdf, "r.pdf"),
            7,
            per=100,
        )
    docx = letter_docx()
    show("DOCX letter", lambda: read_bytes(docx, "l.docx"), 21)
    text = text_bytes() * 4000
    show(f"Text {len(text) / 1e6:.1f} MB", lambda: read_bytes(text, "t.txt"), 7)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "note.txt"
        path.write_bytes(text_bytes())
        show("Cold start: import readers, read a .txt", lambda: cold_start(path), 7)
    show("Reference loop (sum of a million ints)", lambda: sum(range(1_000_000)), 21)


if __name__ == "__main__":
    main()
