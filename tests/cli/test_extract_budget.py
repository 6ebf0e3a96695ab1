"""``peelwatch extract`` has the same per-document time budget as ingest and uploads: a file that
takes longer fails with the same one line and exit status 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peelwatch.errors import TimeBudgetError
from peelwatch.extract import extract_file

GOOD = "Northshire Police is good at preventing crime.\n"
# About 11 MB of grade words: two seconds of extraction (the extractor reads about 5 MB of this a
# second), at least four times every budget below; 4 MB left too small a margin once it got faster.
SLOW = "good outstanding requires improvement adequate inadequate preventing crime " * 150_000


def peelwatch(*args: str, budget_env: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PEELWATCH_TIME_BUDGET"}
    if budget_env is not None:
        env["PEELWATCH_TIME_BUDGET"] = budget_env
    return subprocess.run(
        [sys.executable, "-m", "peelwatch", "extract", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture
def slow(tmp_path: Path) -> Path:
    path = tmp_path / "slow.txt"
    path.write_text(SLOW)
    return path


def test_the_option_stops_a_slow_file_with_the_ingest_line(slow: Path) -> None:
    run = peelwatch(str(slow), "--time-budget", "0.3", "--format", "json")
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.strip().splitlines() == [
        f"peelwatch: error: {slow}: took longer than 0.3 s to read and extract; not stored"
    ]


def test_the_environment_sets_the_budget(slow: Path) -> None:
    run = peelwatch(str(slow), budget_env="0.25")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        f"peelwatch: error: {slow}: took longer than 0.25 s to read and extract; not stored"
    )


def test_a_file_within_the_budget_gives_the_same_extraction(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    budgeted = peelwatch(str(good), "--time-budget", "60", "--format", "json")
    unbudgeted = extract_file(good)
    assert budgeted.returncode == 0, budgeted.stderr
    assert json.loads(budgeted.stdout) == json.loads(json.dumps(unbudgeted.to_dict(), ensure_ascii=False))
    assert [j["grade"] for j in json.loads(budgeted.stdout)["judgments"]] == ["good"]


def test_the_library_call_raises_the_budget_error(slow: Path) -> None:
    with pytest.raises(TimeBudgetError, match=r"took longer than 0\.3 s to read and extract"):
        extract_file(slow, time_budget=0.3)


def test_errors_from_the_reader_come_back_unchanged(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(GOOD * 10)
    with pytest.raises(Exception) as budgeted:
        extract_file(big, max_bytes=100, time_budget=60)
    with pytest.raises(Exception) as here:
        extract_file(big, max_bytes=100)
    assert type(budgeted.value) is type(here.value)
    assert str(budgeted.value) == str(here.value)
