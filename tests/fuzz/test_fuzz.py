"""Whatever a document holds, extraction returns facts or a documented error, within the budget.

Every case is a fixture document (written for these tests, rendered as text, HTML, PDF and DOCX)
changed at random: bytes flipped, cut off, inserted, deleted or zeroed; or, before rendering, its
text changed the way hostile uploads change it (a sentence repeated with no space between the
copies, a line of grade words, headings and labelled findings repeated, blank lines or full stops
removed). Each case is read and extracted in this process; the test asserts that it either gives an
:class:`~peelwatch.extract.model.Extraction` or raises a :class:`~peelwatch.errors.ReadError` (the
readers' documented errors), and that it takes less than the per-document time budget.

A normal run tries a few hundred cases (fixed seeds, so a failure repeats). ``PEELWATCH_FUZZ_LONG=1``
also runs the long campaign: ``PEELWATCH_FUZZ_CASES`` cases (default 100,000), the four formats in
turn, stopping early after ``PEELWATCH_FUZZ_SECONDS`` seconds if that is set;
``PEELWATCH_FUZZ_REPORT=path.json`` writes its figures (cases and outcomes per format, the slowest
case) there, refreshed as it goes; ``PEELWATCH_FUZZ_SEED`` (default ``fuzz-long``) seeds it, so a
campaign can run as shards side by side, one per core. The figures of the last long run are in docs/robustness.md.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.extract.peel_doc_builders import build_docx, build_pdf
from tests.readers.plain_to_formats import render

from peelwatch.config import load_settings
from peelwatch.errors import ReadError
from peelwatch.extract import extract_bytes, extract_document
from peelwatch.extract.model import Extraction
from peelwatch.readers import read_bytes

LONG = os.environ.get("PEELWATCH_FUZZ_LONG") == "1"
PER_FORMAT = 75
LONG_CASES = int(os.environ.get("PEELWATCH_FUZZ_CASES", "100000"))
LONG_SECONDS = float(os.environ.get("PEELWATCH_FUZZ_SECONDS", "0")) or None
REPORT = os.environ.get("PEELWATCH_FUZZ_REPORT")
# A campaign can be split into shards run side by side, each with a seed of its own.
LONG_SEED = os.environ.get("PEELWATCH_FUZZ_SEED", "fuzz-long")
FORMATS = ("text", "html", "pdf", "docx")
SUFFIX = {"text": ".txt", "html": ".html", "pdf": ".pdf", "docx": ".docx"}
BUILDER_SOURCES = Path(__file__).parents[1] / "extract" / "documents"

REPORT_TEXT = """PEEL: Police effectiveness, efficiency and legitimacy 2023-25
An inspection of Northshire Police

Overall summary

Northshire Police is good at responding to the public. It requires improvement at
investigating crime, and it is adequate at protecting vulnerable people.

How good is the force at preventing crime?

Good

The force works with schools and councils to stop harm before it happens. Officers know the
people at risk in their beats.

Areas for improvement

• The force should improve how it supervises investigations.
• The force should make sure victims are told how their case is progressing.

Cause of concern

The force does not understand the demand it faces.

Recommendation

Within six months, the force should review how it assesses demand for its services.

Building, supporting and protecting the workforce\tAdequate
Leadership and force management\tInadequate
"""

# Cases stay small so that a long campaign runs many of them; how time grows with size is measured
# by benchmarks/bench_pathological.py, up to 10 MB.
MAX_CASE_CHARS = 12_000
SENTENCE = "Northshire Police is good at protecting vulnerable people."
GRADE_WORDS = "good outstanding requires improvement adequate inadequate effectiveness graded "


def _text_mutations() -> list[Callable[[str, random.Random], str]]:
    """Ways hostile or broken documents differ from good ones, at the level of text."""

    def repeat_sentence(text: str, rng: random.Random) -> str:
        return text + SENTENCE * rng.randint(5, 100)

    def grade_line(text: str, rng: random.Random) -> str:
        at = rng.randint(0, len(text))
        return text[:at] + GRADE_WORDS * rng.randint(5, 60) + text[at:]

    def repeat_block(text: str, rng: random.Random) -> str:
        a = rng.randint(0, len(text))
        b = min(len(text), a + rng.randint(20, 600))
        return text[:b] + text[a:b] * rng.randint(2, 20) + text[b:]

    def no_blank_lines(text: str, rng: random.Random) -> str:
        return text.replace("\n\n", "\n")

    def one_line(text: str, rng: random.Random) -> str:
        return " ".join(text.split())

    def no_full_stops(text: str, rng: random.Random) -> str:
        return text.replace(".", "") * rng.randint(1, 4)

    def shuffle_lines(text: str, rng: random.Random) -> str:
        lines = text.splitlines()
        rng.shuffle(lines)
        return "\n".join(lines)

    def odd_characters(text: str, rng: random.Random) -> str:
        chars = list(text)
        for _ in range(rng.randint(1, 40)):
            chars.insert(
                rng.randint(0, len(chars)), rng.choice("\t\u00a0\u200b\u2022–’“”\x0c\r•◦▪:;?!(){}<>&")
            )
        return "".join(chars)

    return [repeat_sentence, grade_line, repeat_block, no_blank_lines, one_line, no_full_stops, shuffle_lines,
            odd_characters]  # fmt: skip


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """A few bytes flipped, cut off, inserted, deleted, zeroed or a stretch duplicated."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not out:
            break
        at = rng.randrange(len(out))
        action = rng.choice(("flip", "truncate", "insert", "delete", "zero", "duplicate"))
        if action == "flip":
            out[at] = rng.randrange(256)
        elif action == "truncate":
            del out[at:]
        elif action == "insert":
            out[at:at] = rng.randbytes(rng.randint(1, 64))
        elif action == "delete":
            del out[at : at + rng.randint(1, 256)]
        elif action == "zero":
            out[at : at + 16] = bytes(min(16, len(out) - at))
        else:
            out[at:at] = out[at : at + rng.randint(1, 512)] * rng.randint(1, 8)
    return bytes(out)


def _render(text: str, fmt: str) -> bytes:
    if fmt == "text":
        return text.encode("utf-8")
    return render(
        text, {"html": "html-divs" if len(text) % 2 else "html", "pdf": "pdf", "docx": "docx"}[fmt]
    )[0]


@cache
def seeds(fmt: str) -> tuple[bytes, ...]:
    """Good documents of one format: the report above rendered, and for PDF and DOCX the
    extraction test documents built the way those tests build them."""
    out = [_render(REPORT_TEXT, fmt)]
    if fmt in ("pdf", "docx"):
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            for source in sorted(BUILDER_SOURCES.glob(f"*.{fmt}.md"))[:3]:
                target = Path(folder) / source.name[: -len(".md")]
                (build_pdf if fmt == "pdf" else build_docx)(source.read_text(encoding="utf-8"), target)
                out.append(target.read_bytes())
    return tuple(out)


def make_case(fmt: str, rng: random.Random) -> tuple[bytes, str]:
    """One case: a mutated seed (bytes), or a mutated text rendered in ``fmt`` (fewer for the
    slow renderers)."""
    text_share = {"text": 0.6, "html": 0.4, "pdf": 0.05, "docx": 0.1}[fmt]
    if rng.random() < text_share:
        text = REPORT_TEXT
        for mutation in rng.sample(_text_mutations(), rng.randint(1, 3)):
            text = mutation(text, rng)[:MAX_CASE_CHARS]
        data = _render(text, fmt)
        if rng.random() < 0.3:
            data = mutate_bytes(data, rng)
        return data, "text-mutation"
    return mutate_bytes(rng.choice(seeds(fmt)), rng), "byte-mutation"


@dataclass
class Tally:
    """What a campaign saw, for the report."""

    cases: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    over_budget: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "cases": dict(self.cases),
            "errors": dict(self.errors),
            "unexpected": self.unexpected[:20],
            "over_budget": self.over_budget[:20],
            "slowest_seconds": round(self.slowest[0], 3),
            "slowest_case": self.slowest[1],
            "seconds": round(self.seconds, 1),
        }


def run_case(data: bytes, name: str, budget: float, label: str, tally: Tally) -> None:
    """Extract one case and count what happened."""
    start = time.perf_counter()
    try:
        result = extract_bytes(data, name)
        assert isinstance(result, Extraction)
        outcome = "ok"
    except ReadError as exc:
        outcome = type(exc).__name__
    except Exception as exc:  # counted and reported as the failure it is
        outcome = "unexpected"
        tally.unexpected.append(f"{label}: {type(exc).__name__}: {exc}"[:300])
    took = time.perf_counter() - start
    tally.seconds += took
    tally.errors[outcome] += 1
    if took > tally.slowest[0]:
        tally.slowest = (took, f"{label} ({len(data)} bytes)")
    if took > budget:
        tally.over_budget.append(f"{label}: {took:.1f} s")


def _write_report(tallies: dict[str, Tally], started: float) -> None:
    if not REPORT:
        return
    figures = {fmt: t.as_dict() for fmt, t in tallies.items()}
    figures["wall_seconds"] = round(time.perf_counter() - started, 1)  # type: ignore[assignment]
    Path(REPORT).write_text(json.dumps(figures, indent=1, sort_keys=True))


def _check(tally: Tally) -> None:
    assert tally.unexpected == []
    assert tally.over_budget == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_mutated_documents_extract_or_fail_cleanly_within_budget(fmt: str) -> None:
    budget = load_settings().time_budget
    rng = random.Random(f"fuzz-{fmt}")  # fixed: a failing case repeats on the next run
    tally = Tally()
    for k in range(PER_FORMAT):
        data, how = make_case(fmt, rng)
        tally.cases[how] += 1
        run_case(data, f"case{SUFFIX[fmt]}", budget, f"{fmt} case {k} {how}", tally)
    _check(tally)
    assert sum(tally.cases.values()) == PER_FORMAT


@pytest.mark.skipif(not LONG, reason="the long fuzz campaign runs with PEELWATCH_FUZZ_LONG=1")
def test_long_campaign_across_the_four_formats() -> None:
    budget = load_settings().time_budget
    rng = random.Random(LONG_SEED)
    tallies = {fmt: Tally() for fmt in FORMATS}
    started = time.perf_counter()
    for k in range(LONG_CASES):
        fmt = FORMATS[k % len(FORMATS)]
        data, how = make_case(fmt, rng)
        tallies[fmt].cases[how] += 1
        run_case(data, f"case{SUFFIX[fmt]}", budget, f"{fmt} long case {k} {how}", tallies[fmt])
        if k % 1000 == 999:
            _write_report(tallies, started)
        if LONG_SECONDS and time.perf_counter() - started > LONG_SECONDS:
            break
    _write_report(tallies, started)
    for tally in tallies.values():
        _check(tally)


@st.composite
def peel_text(draw: st.DrawFn) -> str:
    """Running text assembled from the report's own lines, grade words and stray characters."""
    pieces = [*REPORT_TEXT.splitlines(), SENTENCE, GRADE_WORDS, "", "•", "Good", "Requires improvement"]
    parts = draw(st.lists(st.sampled_from(pieces) | st.text(max_size=40), max_size=60))
    glue = draw(st.sampled_from(["\n", "\n\n", " ", ""]))
    return glue.join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(peel_text())
def test_generated_text_gives_facts_inside_the_text(text: str) -> None:
    try:
        doc = read_bytes(text.encode("utf-8"), "generated.txt")
    except ReadError:
        return  # an empty or unreadable text is refused, as documented
    result = extract_document(doc)
    for fact in [*result.judgments, *result.findings, *result.responses]:
        assert 0 <= fact.start < fact.end <= len(doc.text)
