"""The per-document time budget: a call runs in a child process that is killed when it overruns;
a one-shot call (``fork=True``) forks that child directly."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest

from peelwatch.errors import ReadError, TimeBudgetError, UnsupportedFormatError
from peelwatch.extract.budget import EXTRACTION_GC_THRESHOLD, Worker, run_within
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


def _exit_at_once(code: int) -> None:
    os._exit(code)


def test_a_forked_call_answers_as_in_process() -> None:
    data = DOCUMENT.read_bytes()
    here = read_and_extract(data, "a.txt", 10**6)
    there = run_within(60, "a.txt", read_and_extract, data, "a.txt", 10**6, fork=True)
    assert there.extraction.to_dict() == here.extraction.to_dict()


def test_a_forked_call_brings_back_more_than_a_pipe_holds() -> None:
    big = "x" * (3 << 20)  # the parent reads while the child writes, or both would wait forever
    assert run_within(60, "big.txt", str.upper, big, fork=True) == big.upper()


def test_a_forked_call_raises_what_the_child_raised() -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        run_within(60, "b.bin", read_and_extract, b"\x00\x01\x02 not a document", "b.bin", 10**6, fork=True)
    assert caught.value.source == "b.bin"


def test_a_forked_overrun_kills_the_child_with_the_budget_line() -> None:
    start = time.perf_counter()
    with pytest.raises(TimeBudgetError) as caught:
        run_within(0.5, "slow.txt", time.sleep, 30, fork=True)
    assert time.perf_counter() - start < 20
    assert str(caught.value) == "slow.txt: took longer than 0.5 s to read and extract; not stored"


def test_a_forked_child_that_dies_is_a_read_error_with_its_exit_code() -> None:
    with pytest.raises(ReadError) as caught:
        run_within(60, "gone.txt", _exit_at_once, 3, fork=True)
    assert str(caught.value) == "gone.txt: reading stopped: the extraction process ended (exit code 3)"


def _pid_of_child_after(seconds: float, pipe: int) -> None:
    os.write(pipe, str(os.getpid()).encode())
    time.sleep(seconds)


def test_meanwhile_runs_here_while_the_forked_child_works() -> None:
    readable, writable = os.pipe()
    seen: list[int] = []

    def meanwhile() -> None:  # the child has started: its pid arrives while this waits
        seen.append(int(os.read(readable, 64)))

    run_within(60, "a.txt", _pid_of_child_after, 0.2, writable, fork=True, meanwhile=meanwhile)
    os.close(readable)
    os.close(writable)
    assert seen and seen[0] != os.getpid()


def test_meanwhile_counts_against_the_budget() -> None:
    with pytest.raises(TimeBudgetError):
        run_within(0.5, "slow.txt", sum, [1, 2], fork=True, meanwhile=lambda: time.sleep(1.0))


def test_a_failing_meanwhile_raises_and_takes_the_child_with_it() -> None:
    def meanwhile() -> None:
        raise KeyError("renderer")

    start = time.perf_counter()
    with pytest.raises(KeyError):
        run_within(60, "slow.txt", time.sleep, 30, fork=True, meanwhile=meanwhile)
    assert time.perf_counter() - start < 20  # the child was killed, not waited for


def test_meanwhile_runs_once_without_a_fork_too() -> None:
    calls: list[str] = []
    assert run_within(60, "x", sum, [1, 2], meanwhile=lambda: calls.append("here")) == 3
    assert calls == ["here"]


def test_a_one_shot_budget_does_not_load_multiprocessing(fresh_python) -> None:
    # multiprocessing and what it brings in cost a tenth of a short command's start-up
    code = (
        "import sys; from peelwatch.extract.budget import run_within; "
        "assert run_within(60, 'x', sum, [1, 2], fork=True) == 3; "
        "print(sorted(m for m in sys.modules if m.startswith('multiprocessing')))"
    )
    assert fresh_python(code) == "[]"


def test_a_forked_child_collects_garbage_whatever_the_caller_chose() -> None:
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        assert run_within(60, "x", gc.isenabled, fork=True) is True
        # the caller's collector is as it left it: still off, nothing more left frozen
        assert not gc.isenabled() and gc.get_freeze_count() == frozen
    finally:
        gc.enable()


@pytest.mark.parametrize("fork", [True, False])
def test_an_extraction_process_collects_its_youngest_objects_less_often(fork: bool) -> None:
    # (a large document's lines and blocks live until it is done: walked again at every collection)
    caller = gc.get_threshold()
    child = run_within(60, "x", gc.get_threshold, fork=fork)
    assert child == (EXTRACTION_GC_THRESHOLD, *caller[1:])
    assert gc.get_threshold() == caller  # the caller's own collector is left as it was


def _sleep_then(seconds: float, answer: str) -> str:
    time.sleep(seconds)
    return answer


def test_calls_queued_in_a_worker_answer_in_order_each_with_its_own_budget() -> None:
    # three calls of 1 s queued at once: 3 s in all, each within a budget of 2 s counted from
    # when the one before it answered
    with Worker() as worker:
        assert worker.call(60, "warm", sum, [1]) == 1  # the child started
        for name in "abc":
            worker.submit(_sleep_then, 1.0, name)
        answers, since = [], time.monotonic()
        for name in "abc":
            answers.append(worker.receive(2.0, f"{name}.txt", since))
            since = time.monotonic()
        assert answers == ["a", "b", "c"]
        assert worker.running


def test_a_queued_call_over_its_budget_stops_the_worker_and_the_calls_behind_it() -> None:
    with Worker() as worker:
        worker.submit(_sleep_then, 30, "slow")
        worker.submit(_sleep_then, 0, "behind")
        with pytest.raises(TimeBudgetError) as caught:
            worker.receive(0.5, "slow.txt", time.monotonic())
        assert str(caught.value) == "slow.txt: took longer than 0.5 s to read and extract; not stored"
        assert not worker.running  # the call behind it went with the process: the caller sends it again
        worker.submit(_sleep_then, 0, "again")
        assert worker.receive(60, "again.txt", time.monotonic()) == "again"


def test_an_error_raised_by_a_queued_call_leaves_the_calls_behind_it() -> None:
    with Worker() as worker:
        worker.submit(read_and_extract, b"\x00\x01\x02 not a document", "b.bin", 10**6)
        worker.submit(sum, [1, 2])
        with pytest.raises(UnsupportedFormatError):
            worker.receive(60, "b.bin", time.monotonic())
        assert worker.running and worker.receive(60, "sum", time.monotonic()) == 3
