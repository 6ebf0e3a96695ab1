"""``peelwatch overview``, ``confirm`` and cut lists, run as a user runs them: a run prints one
screen, a list cut short says what it shows, and a provisional document counts once confirmed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "web" / "fixtures"
NOTE = "We inspected Kent Police (PEEL 2023-25). Protecting vulnerable people: Inadequate\n"


def run(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100", "PEELWATCH_DB": db}
    return subprocess.run(
        [sys.executable, "-m", "peelwatch", *args], capture_output=True, text=True, env=env, timeout=180
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("docs")
    for name in ("northshire-style-2023-25-report.txt", "kent-pcc-response-2023-25.txt"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    (folder / "note.txt").write_text(NOTE, encoding="utf-8")
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'cli.db'}"
    result = run(url, "ingest", str(folder), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "3 ingested, 0 unchanged, 0 failed" in result.stdout
    return url


def test_overview_fits_one_screen_and_says_where_to_look(db: str) -> None:
    result = run(db, "overview", "--address", "http://127.0.0.1:8000/")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) <= 30, result.stdout
    out = result.stdout
    assert "3 documents" in out and "1 provisional (kind a guess; 1 grade held out" in out
    assert "2023–25" in out and "Kent Police" in out
    assert "peelwatch findings" in out and "http://127.0.0.1:8000/" in out


def test_overview_as_json_counts_by_cycle(db: str) -> None:
    data = json.loads(run(db, "overview", "--format", "json").stdout)
    assert data["documents"] == 3 and data["provisional"] == 1
    cycle = next(c for c in data["cycles"] if c["cycle"] == "2023–25")
    # the report's eight grades count; the note's grade waits, as on the matrix
    assert cycle["grades"] == 8 and data["held_out"] == 1
    assert data["totals"]["findings"] == sum(c["findings"] for c in data["cycles"])
    assert data["top_forces"][0]["name"] == "Kent Police"


def test_a_cut_list_says_what_it_shows(db: str) -> None:
    total = json.loads(run(db, "findings", "--format", "json").stdout)["total"]
    assert total >= 2
    out = run(db, "findings", "--limit", "1").stdout
    assert f"findings: showing 1 of {total}" in out
    assert f"findings ({total})" in run(db, "findings").stdout


def test_confirm_makes_a_provisional_document_count(db: str) -> None:
    docs = json.loads(
        run(db, "ingest", str(FIXTURES / "northshire-style-2023-25-report.txt"), "--format", "json").stdout
    )
    assert docs[0]["status"] == "unchanged"
    before = json.loads(run(db, "overview", "--format", "json").stdout)["provisional"]
    assert before == 1
    ids = [
        d["id"]
        for d in json.loads(
            subprocess.run(
                [sys.executable, "-c", _PROVISIONAL_IDS, db], capture_output=True, text=True, timeout=60
            ).stdout
        )
    ]
    assert len(ids) == 1
    result = run(db, "confirm", str(ids[0]), "--as", "tester")
    assert result.returncode == 0, result.stderr
    assert f"document {ids[0]} confirmed" in result.stdout
    assert json.loads(run(db, "overview", "--format", "json").stdout)["provisional"] == 0
    again = run(db, "confirm", str(ids[0]))
    assert "was not provisional" in again.stdout
    missing = run(db, "confirm", "999999")
    assert (
        missing.returncode == 1 and missing.stderr.strip() == "peelwatch: error: there is no document 999999"
    )


_PROVISIONAL_IDS = """
import json, sys
from sqlalchemy import select
from peelwatch.store import open_store
from peelwatch.store.models import Document
store = open_store(sys.argv[1])
with store.read() as s:
    print(json.dumps([{"id": i} for i in s.scalars(select(Document.id).where(Document.provisional))]))
store.close()
"""
