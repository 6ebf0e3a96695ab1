"""The per-document time budget: a call runs in a child process that is killed when it overruns."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from peelwatch.errors import ReadError, TimeBudgetError, UnsupportedFormatError
from peelwatch.extract.budget import Worker, run_within
from peelwatch.ingest import read_and_extract

DOCUMENT = Path(__file__).parent / "documents" / "suffolk-2016-overview.txt"


def test_a_call_within_the_budget_answers_as_in_process() -> None:
    data = DOCUMENT.read_bytes()
    here = read_and_extract(data, "a.txt", 10**6)
    there = run_within(60, "a.txt", read_and_extract, data, "a.txt", 10**6)
    assert there.extraction.to_dict() == here.extraction.to_dict()


def test_a_reader_error_comes_back_as_itself() -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        run_within(60, "b.bin", read_and_extract, b"\x00\x01\x02 not a document", "b.bin", 10**6)
    assert caught.value.source == "b.bin"
    assert str(caught.value).count("b.bin") == 1  # the source is not given twice


def test_an_overrun_kills_the_child_and_the_worker_starts_a_fresh_one() -> None:
    with Worker() as worker:
        start = time.perf_counter()
        with pytest.raises(TimeBudgetError) as caught:
            worker.call(0.5, "slow.txt", time.sleep, 30)
        assert time.perf_counter() - start < 20  # stopped, not waited for
        assert isinstance(caught.value, ReadError)
        assert str(caught.value) == "slow.txt: took longer than 0.5 s to read and extract; not stored"
        assert worker.call(60, "next.txt", sum, [1, 2, 3]) == 6
