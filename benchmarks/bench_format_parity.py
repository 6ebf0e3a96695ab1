"""Format parity: does a document read from HTML, PDF or DOCX give what its plain text gives?

Run from the repository root:

    .venv/bin/python benchmarks/bench_format_parity.py [--only '1*'] [--diff] [--text STEM]

For every rendered document (``../shared/corpus/rendered/documents/NAME.{html,pdf,docx}``) whose
name matches ``--only`` (default ``1*``), the same extractor reads it and its plain-text twin
(``../shared/corpus/documents/NAME.txt``). The rendered extraction is scored against the text
extraction, taken as the answer, with the contract's matching rules; so an F1 of 1.000 means the
format changes nothing. Both are also scored against the hand-made answers, so the table shows
whether the gap costs anything that matters.

Printed: per format and overall, the parity F1 per part (rendered vs text) and the gold F1 per
part of text and rendered; then, with ``--diff``, each document whose extraction differs, with
what the text gave and the rendered copy did not (``-``) and the reverse (``+``). ``--text STEM``
prints the text a reader gives for one rendered document, to look at what the extractor saw.

``--converted`` measures the same thing on documents made here instead: every plain-text corpus
document (``--only``, default ``0*`` and ``1*``) is turned into an HTML page (with and without
``<main>``), a DOCX, and one-column, two-column and line-by-line two-column PDFs by
``tests/readers/plain_to_formats.py``, and each is compared with the text it came from.

Documents 2xx are a hold-out: for them only the totals are printed, never a per-document list.
The script exits with a message when the shared corpus is not beside the repository.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
RENDERED = SHARED / "rendered" / "documents"
RENDERED_GOLD = SHARED / "rendered" / "gold"
TEXT = SHARED / "documents"
FORMATS = ("html", "pdf", "docx")
PARTS = ("judgments", "findings", "responses")
META = ("kind", "force", "cycle")


@dataclass
class Pair:
    """One rendered document, its text twin, and how their extractions compare."""

    stem: str
    fmt: str
    text: dict
    rendered: dict
    gold: dict | None
    parity: object  # evaluate.DocScore: rendered scored against text
    gold_text: object | None = None  # DocScore of the text extraction against the gold
    gold_rendered: object | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def differs(self) -> bool:
        p = self.parity
        return not all(getattr(p, k) for k in META) or any(
            getattr(p, part).fp or getattr(p, part).fn for part in PARTS
        )


def extract(path: Path) -> tuple[dict, float]:
    from peelwatch.extract import extract_file

    start = time.perf_counter()
    result = extract_file(path).to_dict()
    return result, time.perf_counter() - start


def rendered_documents(patterns: list[str]) -> list[Path]:
    return sorted(
        p
        for p in RENDERED.iterdir()
        if p.suffix.lstrip(".") in FORMATS and any(fnmatch.fnmatch(p.stem, pat) for pat in patterns)
    )


def compare(path: Path) -> Pair | None:
    """Extract a rendered document and its text twin and score one against the other."""
    from peelwatch.evaluate import document_text, score_extraction

    twin = TEXT / f"{path.stem}.txt"
    if not twin.exists():
        return None
    text, t_text = extract(twin)
    rendered, t_rendered = extract(path)
    gold_path = RENDERED_GOLD / f"{path.stem}.json"
    gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else None
    # The text extraction is the answer here; keep only what the scorer reads.
    answer = {k: text.get(k) for k in (*META, *PARTS)}
    pair = Pair(
        stem=path.stem,
        fmt=path.suffix.lstrip("."),
        text=text,
        rendered=rendered,
        gold=gold,
        parity=score_extraction(rendered, answer, document_text(path), name=path.stem),
        seconds={"text": t_text, "rendered": t_rendered},
    )
    if gold is not None:
        pair.gold_text = score_extraction(text, gold, document_text(twin), name=path.stem)
        pair.gold_rendered = score_extraction(rendered, gold, document_text(path), name=path.stem)
    return pair


def compare_converted(twin: Path, formats: list[str]) -> list[Pair]:
    """Render a plain-text document in each of ``formats`` and compare each with the text."""
    from peelwatch.evaluate import score_extraction
    from peelwatch.extract import extract_document
    from peelwatch.readers import read_bytes

    sys.path.insert(0, str(ROOT))
    from tests.readers.plain_to_formats import render

    text, t_text = extract(twin)
    answer = {k: text.get(k) for k in (*META, *PARTS)}
    source = twin.read_bytes().decode("utf-8", errors="replace")
    pairs = []
    for fmt in formats:
        data, suffix = render(source, fmt)
        start = time.perf_counter()
        doc = read_bytes(data, twin.stem + suffix)
        rendered = extract_document(doc).to_dict()
        seconds = time.perf_counter() - start
        pairs.append(
            Pair(
                stem=twin.stem,
                fmt=fmt,
                text=text,
                rendered=rendered,
                gold=None,
                parity=score_extraction(rendered, answer, doc.text, name=twin.stem),
                seconds={"text": t_text, "rendered": seconds},
            )
        )
    return pairs


def totals(scores: list) -> dict[str, tuple[int, int, int, float]]:
    """Per part (and overall): tp, fp, fn, F1 summed over ``scores`` (DocScore objects)."""
    from peelwatch.evaluate import Counts

    out = {}
    overall = Counts()
    for part in PARTS:
        c = Counts()
        for s in scores:
            c.add(getattr(s, part))
        overall.add(c)
        out[part] = (c.tp, c.fp, c.fn, c.f1)
    out["overall"] = (overall.tp, overall.fp, overall.fn, overall.f1)
    for key in META:
        out[key] = sum(1 for s in scores if getattr(s, key)) / len(scores) if scores else 1.0
    return out


def print_table(pairs: list[Pair]) -> None:
    formats = list(dict.fromkeys(p.fmt for p in pairs))
    groups: dict[str, list[Pair]] = {fmt: [p for p in pairs if p.fmt == fmt] for fmt in formats}
    groups["all"] = pairs
    head = f"{'format':<6} {'docs':>4} {'differ':>6} │ {'parity F1 (rendered vs text)':^34} │"
    head += f" {'gold F1 text → rendered':^50}"
    print(head)
    sub = f"{'':<6} {'':>4} {'':>6} │ {'judg':>7} {'find':>7} {'resp':>7} {'all':>7}   │"
    sub += "".join(f" {part[:4]:>16}" for part in (*PARTS, "overall"))
    print(sub)
    for name, group in groups.items():
        if not group:
            continue
        par = totals([p.parity for p in group])
        row = f"{name[:6]:<6} {len(group):>4} {sum(p.differs for p in group):>6} │"
        row += "".join(f" {par[part][3]:7.3f}" for part in (*PARTS, "overall")) + "   │"
        with_gold = [p for p in group if p.gold is not None]
        if with_gold:
            gt = totals([p.gold_text for p in with_gold])
            gr = totals([p.gold_rendered for p in with_gold])
            row += "".join(f"  {gt[part][3]:.3f} → {gr[part][3]:.3f}" for part in (*PARTS, "overall"))
        print(row)
        meta = "  ".join(f"{k} {par[k]:.3f}" for k in META)
        print(f"{'':<6} {'':>4} {'':>6} │ agree: {meta}")


def describe(item: dict, part: str) -> str:
    from peelwatch.evaluate import normalise

    if part == "judgments":
        return f"{item.get('grade')!r} for {item.get('subject')!r}"
    if part == "findings":
        return f"{item.get('type')} {normalise(item.get('text'))[:90]!r}"
    return f"to finding {item.get('finding')} {normalise(item.get('text'))[:70]!r}"


def print_diffs(pairs: list[Pair]) -> None:
    for pair in pairs:
        if not pair.differs:
            continue
        print(f"\n{pair.stem}.{pair.fmt}")
        for line in pair.parity.mismatches:
            # the scorer says "missed" for what the text had and the rendered copy did not
            line = line.replace("missed ", "- ", 1).replace("extra ", "+ ", 1)
            print(f"    {line}")


def show_text(stem: str) -> None:
    from peelwatch.readers import read_file

    if stem.startswith("2"):
        sys.exit("documents 2xx are held out: their text is not shown")
    matches = [p for p in RENDERED.iterdir() if p.stem == stem or p.name == stem]
    if not matches:
        sys.exit(f"no rendered document named {stem}")
    print(read_file(matches[0]).text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="document name glob (repeatable); default 1*")
    parser.add_argument("--diff", action="store_true", help="list each differing document's differences")
    parser.add_argument("--text", metavar="STEM", help="print the text the reader gives for one document")
    parser.add_argument("--json", metavar="FILE", help="write per-document parity figures as JSON")
    parser.add_argument(
        "--converted",
        action="store_true",
        help="compare plain-text documents with HTML, DOCX and PDF copies made from them here",
    )
    parser.add_argument("--formats", help="with --converted: comma-separated formats (default all)")
    args = parser.parse_args(argv)
    if not RENDERED.is_dir() or not TEXT.is_dir():
        print(f"The shared corpus is not beside the repository ({SHARED}); nothing to measure.")
        return 0
    if args.text:
        show_text(args.text)
        return 0
    if args.converted:
        from tests.readers.plain_to_formats import FORMATS as CONVERTED

        patterns = args.only or ["0*", "1*"]
        formats = args.formats.split(",") if args.formats else list(CONVERTED)
        twins = sorted(p for p in TEXT.glob("*.txt") if any(fnmatch.fnmatch(p.stem, pat) for pat in patterns))
        held_out = any(p.stem.startswith("2") for p in twins)
        pairs = [pair for twin in twins for pair in compare_converted(twin, formats)]
    else:
        patterns = args.only or ["1*"]
        paths = rendered_documents(patterns)
        held_out = any(p.stem.startswith("2") for p in paths)
        pairs = [pair for pair in map(compare, paths) if pair is not None]
    print_table(pairs)
    if held_out:
        print("\n(held-out documents selected: totals only)")
    else:
        differing = [p for p in pairs if p.differs]
        print(f"\nDiffering documents ({len(differing)}):", " ".join(f"{p.stem}.{p.fmt}" for p in differing))
        if args.diff:
            print_diffs(pairs)
    if args.json and not held_out:
        rows = [
            {
                "name": p.stem,
                "format": p.fmt,
                "differs": p.differs,
                "mismatches": p.parity.mismatches,
                "seconds": {k: round(v, 4) for k, v in p.seconds.items()},
            }
            for p in pairs
        ]
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
