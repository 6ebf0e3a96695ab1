"""A document that takes longer than the time budget fails with one line; nothing of it is stored."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from peelwatch.errors import TimeBudgetError
from peelwatch.ingest import ingest_bytes, ingest_paths
from peelwatch.store import open_store
from peelwatch.store.repository import counts

GOOD = b"Northshire Police is good at preventing crime.\n"
# About 11 MB of grade words: two seconds of extraction (the extractor reads about 5 MB of this a
# second), at least four times every budget below; 4 MB left too small a margin once it got faster.
SLOW = b"good outstanding requires improvement adequate inadequate preventing crime " * 150_000


@pytest.fixture
def store(tmp_path: Path):
    with open_store(f"sqlite:///{tmp_path / 'budget.db'}") as s:
        yield s


def test_ingest_bytes_over_the_budget_raises_and_stores_nothing(store) -> None:
    with pytest.raises(TimeBudgetError, match=r"took longer than 0\.2 s to read and extract; not stored"):
        ingest_bytes(store, SLOW, "slow.txt", time_budget=0.2)
    assert ingest_bytes(store, GOOD, "good.txt", time_budget=60).status == "ingested"
    with store.read() as session:
        assert counts(session)["documents"] == 1


@pytest.mark.parametrize("workers", [1, 2])
def test_folder_ingest_fails_the_slow_file_and_stores_the_others(store, tmp_path: Path, workers: int) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(GOOD)
    (folder / "slow.txt").write_bytes(SLOW)
    (folder / "z.txt").write_bytes(GOOD.replace(b"good", b"outstanding"))
    report = ingest_paths(store, [folder], workers=workers, time_budget=0.5)
    status = {Path(r.name).name: (r.status, r.reason) for r in report.results}
    assert status["slow.txt"] == ("failed", "took longer than 0.5 s to read and extract; not stored")
    assert status["a.txt"][0] == status["z.txt"][0] == "ingested"
    with store.read() as session:
        assert counts(session)["documents"] == 2


def test_the_cli_reports_the_overrun_in_one_line(tmp_path: Path) -> None:
    slow = tmp_path / "slow.txt"
    slow.write_bytes(SLOW)
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    run = subprocess.run(
        [sys.executable, "-m", "peelwatch", "ingest", str(slow), "--db", db, "--time-budget", "0.5",
         "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        f"peelwatch: error: {slow}: took longer than 0.5 s to read and extract; not stored"
    )
    assert "Traceback" not in run.stderr
