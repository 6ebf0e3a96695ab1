"""Reader speed against the libraries' own text reads, pathological inputs, and memory.

Run from the repository root:

    .venv/bin/python benchmarks/bench_readers.py [--runs 5] [--sizes 0.1,1,10] [--only speed,phases,pairs,html,memory,startup] [--before SRC]

Prints, with medians over ``--runs`` (after one warm-up):

* speed: our reader on a generated 100-page PDF and a long DOCX, against the library's plain text
  read of the same bytes (pypdfium2 ``get_text_range`` per page; python-docx ``paragraph.text``
  over the body's paragraphs and table cells), as a ratio of wall times and of CPU times (goal: at
  most 2x);
* pairs (not run unless named, with ``--before SRC``): the PDF reader of another copy of the
  code (its ``src`` folder) against this one, each read paired with a library read in the same
  process and the two versions taking turns read by read (the figure to compare two versions
  by on a busy machine);
* phases (not run unless named): where the PDF reader's CPU time goes on the same two PDFs, each
  phase timed on its own, beside the library's read: opening the pages and their text pages and
  only making the calls a line of plain words is read with (pdfium's rectangle of the line, its
  first letter's box, its font size: the floor of the runs as they are built); opening them and
  building runs; columns and lines; paragraphs, headings, lists and tables;
* html: seconds per MB of generated hostile pages (deep nesting, nested links, many links,
  many tables, one long text node...) at each size in ``--sizes`` MB (goal: at most 1 s/MB and
  flat from the smallest size to the largest);
* memory: peak resident memory of a fresh ``peelwatch extract`` process given a DOCX whose one
  text run, or whose paragraphs, unpack to over a gigabyte (goal: refused in one line, under
  300 MB);
* startup: wall and CPU time of ``peelwatch extract small.txt`` (table and JSON output) in a fresh
  process, with bytecode written as an installed package has it (goal: 200 ms).

Timings depend on the machine and on what else it runs: compare ratios measured in one run.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
if "--pair-worker" in sys.argv:
    # A worker of the "pairs" comparison reads with the code under the source folder it is given.
    sys.path.insert(0, sys.argv[sys.argv.index("--pair-worker") + 1])

from tests.readers.builders import docx_bomb, long_pdf  # noqa: E402

from peelwatch.readers import read_bytes  # noqa: E402

NO_LIMIT = 1 << 40


def median_seconds(action: Callable[[], object], runs: int) -> float:
    return median_times(action, runs)[0]


def median_times(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and median CPU seconds (this process and its children) of ``action``.

    CPU time counts only the work done, so it moves less than wall time when other programs
    share the machine."""
    action()  # warm-up: imports and first-use caches are not what is measured
    walls, cpus = [], []
    for _ in range(runs):
        cpu, start = _cpu_seconds(), time.perf_counter()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu_seconds() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# --- the libraries' plain reads -----------------------------------------------------------------


def pdfium_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        parts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(parts)
    finally:
        pdf.close()


def python_docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def long_docx(paragraphs: int = 3000) -> bytes:
    """A long report: headings, body paragraphs, bulleted and numbered items and small tables."""
    from docx import Document

    doc = Document()
    doc.add_heading("A long inspection report", level=0)
    for number in range(paragraphs // 10):
        doc.add_heading(f"Section {number + 1}: how well the force works", level=1 + number % 2)
        for _ in range(5):
            doc.add_paragraph(
                "The force is good at investigating crime and managing offenders. It should make sure "
                "that call handlers record every repeat caller, and that supervisors review them."
            )
        doc.add_paragraph("Train every supervisor by June.", style="List Bullet")
        doc.add_paragraph("Publish the results each quarter.", style="List Number")
        if number % 10 == 0:
            table = doc.add_table(rows=3, cols=2)
            for row in table.rows:
                row.cells[0].text, row.cells[1].text = "Area", "Good"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def speed(runs: int) -> None:
    print("Reader against the library's plain text read (median seconds, ratio)")
    cases = [
        ("PDF, 100 pages, 2 columns", long_pdf(100, 2), "r.pdf", pdfium_text),
        ("PDF, 100 pages, 1 column", long_pdf(100, 1), "r.pdf", pdfium_text),
        ("DOCX, 3,000 paragraphs", long_docx(3000), "r.docx", python_docx_text),
    ]
    for label, data, name, plain in cases:
        ours, ours_cpu = median_times(
            lambda data=data, name=name: read_bytes(data, name, max_bytes=NO_LIMIT), runs
        )
        theirs, theirs_cpu = median_times(lambda data=data, plain=plain: plain(data), runs)
        print(
            f"  {label:<28} ours {ours:7.3f} s   library {theirs:7.3f} s   ratio {ours / theirs:5.2f}x"
            f"   (CPU: {ours_cpu:7.3f} s / {theirs_cpu:7.3f} s = {ours_cpu / theirs_cpu:5.2f}x)"
        )


def pdf_phases(runs: int) -> None:
    """CPU time of each phase of the PDF reader, alternated with the library's read (medians)."""
    from peelwatch.readers import _pdf_blocks as blocks
    from peelwatch.readers import _pdf_layout as layout
    from peelwatch.readers import pdf as reader
    from peelwatch.readers._builder import TextBuilder

    def runs_of(data: bytes) -> list:
        pdf = reader.open_pdf(data)
        try:
            return [reader._page_runs(pdf, index) for index in range(len(pdf))]
        finally:
            pdf.close()

    def line_calls_of(data: bytes) -> None:
        """What the runs cannot go below as they are built: the pages and text pages opened,
        their text cut into lines, and for each line pdfium's rectangle of it, its first
        letter's box and its font size asked for and read, with nothing built from them."""
        import pypdfium2.raw as pdfium_c

        pdf = reader.open_pdf(data)
        try:
            for index in range(len(pdf)):
                page = pdfium_c.FPDF_LoadPage(pdf.raw, index)
                textpage = pdfium_c.FPDFText_LoadPage(page)
                text = reader._page_text(textpage, pdfium_c.FPDFText_CountChars(textpage))
                calls = reader._Calls()
                for first, line in reader._text_lines(text):
                    length = len(line)
                    calls.count_rects(textpage, first, length)
                    calls.get_rect(textpage, 0, calls.p_left, calls.p_top, calls.p_right, calls.p_bottom)
                    _ = calls.right.value, calls.bottom.value, calls.top.value
                    calls.get_box(textpage, first, calls.p_left, calls.p_right, calls.p_bottom, calls.p_top)
                    _ = calls.left.value, calls.bottom.value
                    calls.get_size(textpage, first)
                pdfium_c.FPDFText_ClosePage(textpage)
                pdfium_c.FPDF_ClosePage(page)
        finally:
            pdf.close()

    def lines_of(page_runs: list) -> list:
        gutters = [layout.find_gutter(r, width, height) for r, width, height in page_runs]
        usual = layout.usual_gutter(gutters, [width for _, width, _ in page_runs])
        pages = [
            reader._page_lines(r, width, height, gutter, usual)
            for (r, width, height), gutter in zip(page_runs, gutters, strict=True)
        ]
        return layout.drop_running_lines(pages)

    def blocks_of(pages: list) -> None:
        builder = TextBuilder()
        assembler = blocks.BlockAssembler(
            builder, blocks.FontSizes.of(pages), blocks.text_right_margin(pages)
        )
        for number, (lines, leading) in enumerate(
            zip(pages, blocks.page_leadings(pages), strict=True), start=1
        ):
            assembler.start_page(number, lines, leading)
            for item in blocks.group_tables(lines, leading):
                if isinstance(item, blocks.Table):
                    assembler.add_table(item)
                else:
                    assembler.add_line(item)
        assembler.flush()

    print("PDF reader by phase, CPU ms (median), against the library's read")
    for label, data in (
        ("PDF, 100 pages, 2 columns", long_pdf(100, 2)),
        ("PDF, 100 pages, 1 column", long_pdf(100, 1)),
    ):
        times: dict[str, list[float]] = {
            "library": [],
            "pages+line calls": [],
            "pages+runs": [],
            "lines": [],
            "blocks": [],
        }
        for _ in range(runs + 1):
            cpu = _cpu_seconds()
            pdfium_text(data)
            times["library"].append(_cpu_seconds() - cpu)
            cpu = _cpu_seconds()
            line_calls_of(data)
            times["pages+line calls"].append(_cpu_seconds() - cpu)
            cpu = _cpu_seconds()
            page_runs = runs_of(data)
            times["pages+runs"].append(_cpu_seconds() - cpu)
            cpu = _cpu_seconds()
            pages = lines_of(page_runs)
            times["lines"].append(_cpu_seconds() - cpu)
            cpu = _cpu_seconds()
            blocks_of(pages)
            times["blocks"].append(_cpu_seconds() - cpu)
        medians = {name: statistics.median(values[1:]) * 1000 for name, values in times.items()}
        print(f"  {label:<28} " + "   ".join(f"{name} {value:6.1f}" for name, value in medians.items()))


def pair_worker() -> None:
    """Read the benchmark PDF named on each line of stdin, then the library's read of it; print
    both CPU times. Started by ``pdf_pairs`` with the code to measure first on the path."""
    documents = {"2": long_pdf(100, 2), "1": long_pdf(100, 1)}
    for data in documents.values():
        read_bytes(data, "r.pdf", max_bytes=NO_LIMIT)
        pdfium_text(data)
    print("ready", flush=True)
    for line in sys.stdin:
        data = documents[line.strip()]
        cpu = _cpu_seconds()
        read_bytes(data, "r.pdf", max_bytes=NO_LIMIT)
        ours = _cpu_seconds() - cpu
        cpu = _cpu_seconds()
        pdfium_text(data)
        print(ours, _cpu_seconds() - cpu, flush=True)


def pdf_pairs(runs: int, before: str) -> None:
    """The PDF reader of the source folder ``before`` against this one's, read by read.

    Two processes, one per version; each read is followed by the library's read of the same
    bytes in the same process, and the two processes take turns (in ABBA order), so load that
    comes and goes falls on both alike. Prints the median of the per-pair ratios and the medians
    of both CPU times.
    """
    versions = {"before": before, "after": str(ROOT / "src")}
    workers = {
        name: subprocess.Popen(
            [sys.executable, __file__, "--pair-worker", src],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name, src in versions.items()
    }
    pairs: dict[tuple[str, str], list[tuple[float, float]]] = {
        (name, columns): [] for name in versions for columns in ("2", "1")
    }
    loads = []
    try:
        for worker in workers.values():
            if worker.stdout is None or worker.stdout.readline().strip() != "ready":
                raise RuntimeError("a pair worker did not start")
        for turn in range(runs):
            loads.append(os.getloadavg()[0])
            order = ("before", "after") if turn % 2 == 0 else ("after", "before")
            for columns in ("2", "1"):
                for name in order:
                    worker = workers[name]
                    assert worker.stdin is not None and worker.stdout is not None
                    worker.stdin.write(columns + "\n")
                    worker.stdin.flush()
                    ours, theirs = map(float, worker.stdout.readline().split())
                    pairs[(name, columns)].append((ours, theirs))
    finally:
        for worker in workers.values():
            if worker.stdin is not None:
                worker.stdin.close()
            worker.wait()
    print(
        f"PDF reader before ({before}) and after, {runs} pairs each, CPU "
        f"(load average {min(loads):.1f}-{max(loads):.1f})"
    )
    for (name, columns), values in pairs.items():
        ours = statistics.median(o for o, _ in values) * 1000
        theirs = statistics.median(t for _, t in values) * 1000
        ratio = statistics.median(o / t for o, t in values)
        print(
            f"  {name:<6} PDF, 100 pages, {columns} column{'s' if columns == '2' else ''}:"
            f"  ratio {ratio:4.2f}x   ours {ours:6.1f} ms   library {theirs:5.1f} ms"
        )


# --- hostile HTML -------------------------------------------------------------------------------


def _repeat(head: str, unit: str, tail_unit: str, tail: str) -> Callable[[int], bytes]:
    def build(size: int) -> bytes:
        count = max(1, size // (len(unit) + len(tail_unit)))
        return (head + unit * count + tail_unit * count + tail).encode()

    return build


HOSTILE_HTML: dict[str, Callable[[int], bytes]] = {
    "nested links in divs": _repeat(
        "<html><body>", '<div><a href="#">link text</a> ', "</div>", "</body></html>"
    ),
    "nested divs": _repeat("<html><body>", "<div>text ", "</div>", "</body></html>"),
    "nested list items": _repeat("<html><body>", "<ul><li>item ", "</li></ul>", "</body></html>"),
    "nested named chrome": _repeat("<html><body>", '<div class="nav x">t ', "</div>", "</body></html>"),
    "nested cookie notices": _repeat("<html><body>", '<div class="cookie">t ', "</div>", "</body></html>"),
    "nested spans": _repeat("<html><body><p>", "<span>w ", "</span>", "</p></body></html>"),
    "many links, one div": _repeat(
        "<html><body><div>", '<a href="#">link text</a> plain words here ', "", "</div></body></html>"
    ),
    "many link paragraphs": _repeat(
        "<html><body>", '<p><a href="#">link text one</a> x</p>', "", "</body></html>"
    ),
    "many tables": _repeat(
        "<html><body>", "<table><tr><td>a</td><td>b</td></tr></table><p>words here</p>", "", "</body></html>"
    ),
    "one long text node": _repeat("<html><body><p>", "Kent Police is good. ", "", "</p></body></html>"),
}


def html(sizes: list[float], runs: int) -> None:
    print("Hostile HTML: seconds per MB (median), by page size")
    print("  " + " " * 24 + "".join(f"{size:>10g} MB" for size in sizes))
    for label, build in HOSTILE_HTML.items():
        cells = []
        for size in sizes:
            page = build(int(size * 1_000_000))
            seconds = median_seconds(lambda page=page: read_bytes(page, "p.html", max_bytes=NO_LIMIT), runs)
            cells.append(f"{seconds / (len(page) / 1e6):10.2f} s")
        print(f"  {label:<24}" + "".join(cells), flush=True)


# --- memory and start-up ------------------------------------------------------------------------


def _peak_of(command: list[str]) -> tuple[float, str]:
    """(peak resident MB, stderr) of a fresh process running ``command``."""
    import psutil

    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        try:
            peak = max(peak, process.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.01)
    stderr = process.stderr.read() if process.stderr else ""
    return peak / (1 << 20), stderr.strip()


def memory() -> None:
    print("DOCX bombs through `peelwatch extract` (peak RSS of the process, sampled every 10 ms)")
    with tempfile.TemporaryDirectory() as folder:
        for label, inflated, shape in (
            ("one run of 1.26 GB", 1_260_000_000, "run"),
            ("paragraphs of 1.1 GB", 1_100_000_000, "paragraphs"),
        ):
            path = Path(folder) / f"{shape}.docx"
            path.write_bytes(docx_bomb(inflated, shape))
            command = [sys.executable, "-m", "peelwatch", "extract", str(path)]
            peak, stderr = _peak_of(command)
            size = path.stat().st_size / 1e6
            print(f"  {label:<22} {size:4.1f} MB on disk   peak {peak:6.1f} MB   {stderr}")
        print("The same files uploaded (POST /api/documents) to `peelwatch serve`")
        server_memory(sorted(Path(folder).glob("*.docx")), Path(folder))


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post_file(url: str, path: Path) -> tuple[int, str]:
    """POST ``path`` as the multipart field ``file``; (status, body)."""
    import urllib.error
    import urllib.request

    boundary = "peelwatchbench"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def server_memory(bombs: list[Path], folder: Path) -> None:
    """Upload each bomb to a running server; its resident memory before, at peak, and after."""
    import threading
    import urllib.request

    import psutil

    port = _free_port()
    command = [sys.executable, "-m", "peelwatch", "serve", "--port", str(port), "--db", str(folder / "b.db")]
    server = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/documents", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        before = server.memory_info().rss / (1 << 20)
        for path in bombs:
            peak = [0.0]
            done = threading.Event()

            def sample(peak: list[float] = peak, done: threading.Event = done) -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], server.memory_info().rss / (1 << 20))
                    time.sleep(0.01)

            sampler = threading.Thread(target=sample)
            sampler.start()
            status, body = _post_file(f"http://127.0.0.1:{port}/api/documents", path)
            done.set()
            sampler.join()
            time.sleep(0.5)
            after = server.memory_info().rss / (1 << 20)
            print(
                f"  upload {path.name:<16} HTTP {status}   server RSS before {before:6.1f} MB, "
                f"peak {peak[0]:6.1f} MB, after {after:6.1f} MB   {body[:110]}"
            )
    finally:
        server.terminate()
        server.wait(30)


def startup(runs: int) -> None:
    # Bytecode is written and used as an installed package's would be (an environment that
    # forbids writing it would measure Python compiling every module on each start).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as folder:
        note = Path(folder) / "small.txt"
        note.write_text("Kent Police was rated good at preventing crime.\n")
        commands = {
            "`peelwatch extract small.txt`": [sys.executable, "-m", "peelwatch", "extract", str(note)],
            "`... --format json`": [
                sys.executable,
                "-m",
                "peelwatch",
                "extract",
                str(note),
                "--format",
                "json",
            ],
            "`peelwatch --version`": [sys.executable, "-m", "peelwatch", "--version"],
        }
        print("Start-up in a fresh process (median wall / median CPU; goal: extract at most 200 ms)")
        for label, command in commands.items():
            wall, cpu = median_times(
                lambda command=command: subprocess.run(command, check=True, capture_output=True, env=env),
                runs,
            )
            print(f"  {label:<30} {wall * 1000:5.0f} ms wall   {cpu * 1000:5.0f} ms CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="0.1,1,10", help="HTML page sizes in MB")
    parser.add_argument("--only", default="speed,html,memory,startup")
    parser.add_argument("--before", help="pairs: the src folder of the code to compare with")
    parser.add_argument("--pair-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pair_worker:
        pair_worker()
        return
    parts = set(args.only.split(","))
    if "speed" in parts:
        speed(args.runs)
    if "phases" in parts:
        pdf_phases(args.runs)
    if "pairs" in parts:
        if not args.before:
            parser.error("--only pairs needs --before SRC (the src folder of the code to compare with)")
        pdf_pairs(args.runs, args.before)
    if "html" in parts:
        html([float(size) for size in args.sizes.split(",")], args.runs)
    if "memory" in parts:
        memory()
    if "startup" in parts:
        startup(args.runs)


if __name__ == "__main__":
    main()
