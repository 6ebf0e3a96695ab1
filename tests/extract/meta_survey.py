"""How well the metadata reads on a folder of documents: titles and stated dates.

    .venv/bin/python tests/extract/meta_survey.py ../shared/corpus/documents --only '0*' --only '1*'
    .venv/bin/python tests/extract/meta_survey.py ../shared/corpus/rendered/documents --only '1*'

For every document it reports whether the title is boilerplate, and whether the document *states a
date of its own* and, if so, whether ``published`` was found. The rule for "states a date" is
written here independently of the extractor, as a cross-check of it:

    Within the first 40 non-empty lines, a full date (day, month and year, in words or figures)
    either stands on a line with little else (a time, a weekday, a label: a letter's date line,
    a byline), or follows one of the labels published, posted, date, dated, sent, (last)
    updated, issued opening its line or standing alone on the line above, or follows "held on"
    (a meeting's date), or closes the first line in brackets ("… welcomes the report (3 May 2019)").

A date met in passing in a sentence ("Between 6 and 17 September 2021, we inspected …") is not
the document's own date.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from peelwatch.extract import extract_file
from peelwatch.extract.title import is_boilerplate

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+20\d\d\b"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+20\d\d\b"
    r"|\b20\d\d-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/20\d\d\b",
    re.I,
)
_LABEL = re.compile(r"^\W*(?:last\s+)?(?:published|posted|date|dated|sent|updated|issued)\b[\s:on]*$", re.I)
_HELD = re.compile(r"\bheld on\s*$", re.I)
_FILLER = re.compile(r"\d{1,2}[:.]\d\d|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|[|,:\s-]", re.I)


def states_a_date(text: str) -> bool:
    """Whether the document states a date of its own (the rule in the module docstring)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:40]
    for i, line in enumerate(lines):
        for m in _DATE.finditer(line):
            before = line[: m.start()]
            rest = _FILLER.sub("", _LABEL.sub("", _DATE.sub("", line)))
            if len(rest) <= 12:  # the date and little else on its line
                return True
            if _LABEL.match(before) or _HELD.search(before):
                return True
            if not before.strip() and i and _LABEL.match(lines[i - 1]):
                return True
            if i == 0 and line[m.end() :].strip() == ")" and before.rstrip().endswith("("):
                return True
    return False


@dataclass
class Row:
    name: str
    title: str | None
    boilerplate_title: bool
    states_date: bool
    published: str | None


def survey(folder: Path, only: list[str]) -> list[Row]:
    rows = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if only and not any(fnmatch.fnmatch(path.name, g) for g in only):
            continue
        result = extract_file(path)
        text = path.read_text(encoding="utf-8", errors="replace") if path.suffix == ".txt" else None
        if text is None:
            from peelwatch.readers import read_file

            text = read_file(path).text
        rows.append(
            Row(
                path.name,
                result.title,
                result.title is None or is_boilerplate(result.title),
                states_a_date(text),
                result.published,
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", action="append", default=[], help="file name glob (repeatable)")
    parser.add_argument("--all", action="store_true", help="list every document, not only the gaps")
    args = parser.parse_args(argv)
    rows = survey(args.folder, args.only)
    stated = [r for r in rows if r.states_date]
    found = [r for r in stated if r.published]
    for r in rows:
        gap = r.boilerplate_title or (r.states_date and not r.published)
        if args.all or gap:
            mark = "BOILERPLATE " if r.boilerplate_title else ""
            date = f"published={r.published}" if r.published else ("no published" if r.states_date else "")
            print(f"{r.name[:50]:50} {mark}{date} | {r.title!r:.70}")
    print(
        f"documents={len(rows)} boilerplate titles={sum(r.boilerplate_title for r in rows)} "
        f"state a date={len(stated)} published found={len(found)}"
        + (f" ({len(found) / len(stated):.0%})" if stated else "")
        + f"; published without a stated date={sum(1 for r in rows if r.published and not r.states_date)}"
    )
    for r in rows:
        if r.published and not r.states_date:
            print(f"  published without a stated date: {r.name} {r.published}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
