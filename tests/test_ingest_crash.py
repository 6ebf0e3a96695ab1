"""Crash safety and concurrent writers, with real processes.

* An ingest killed with SIGKILL midway leaves a consistent database; a rerun finishes the job
  with no duplicates and the same record as an uninterrupted run.
* Two ingest processes on one SQLite file at once lose nothing and duplicate nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "store"))
import docgen
import pg

from peelwatch.ingest import ingest_paths
from peelwatch.store import open_store
from peelwatch.store.repository import counts

N_DOCS = 150
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """Generated documents and the counts an uninterrupted single ingest gives."""
    base = tmp_path_factory.mktemp("crash")
    folder = base / "docs"
    docgen.write_documents(folder, N_DOCS, seed=11)
    ref = open_store(f"sqlite:///{base / 'reference.db'}")
    report = ingest_paths(ref, [folder], workers=2)
    assert report.count("ingested") == N_DOCS
    with ref.read() as session:
        expected = counts(session)
    ref.close()
    return folder, expected


def _ingest_cmd(folder: Path, db: Path | str, *extra: str) -> list[str]:
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    return [sys.executable, "-m", "peelwatch", "ingest", str(folder), "--db", url, "--no-progress", *extra]


def _doc_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM document").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created or not migrated yet


def _check_consistent(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # Every stored document is whole: its search entry, and for reports and letters their findings.
        assert conn.execute(
            "SELECT count(*) FROM document d WHERE NOT EXISTS "
            "(SELECT 1 FROM search_entry e WHERE e.kind = 'document' AND e.ref_id = d.id)"
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM document d WHERE d.kind IN ('inspection_report', 'pcc_response') AND NOT EXISTS "
            "(SELECT 1 FROM finding_mention m WHERE m.document_id = d.id)"
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM document d WHERE d.kind = 'inspection_report' AND NOT EXISTS "
            "(SELECT 1 FROM judgment j WHERE j.document_id = d.id)"
        ).fetchone() == (0,)
        assert (
            conn.execute("SELECT count(*) FROM search_fts").fetchone()[0]
            == conn.execute("SELECT count(*) FROM search_entry").fetchone()[0]
        )


def test_sigkill_midway_then_rerun(corpus: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    folder, expected = corpus
    db = tmp_path / "crash.db"
    proc = subprocess.Popen(
        _ingest_cmd(folder, db, "--workers", "2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while _doc_count(db) < 10:
            assert proc.poll() is None, "ingest ended before it could be killed"
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        # The extraction workers of the killed run exit when their parent's pipes close;
        # make sure of it for this process group only.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    partial = _doc_count(db)
    assert 10 <= partial < N_DOCS, "the kill did not land midway"
    _check_consistent(db)

    rerun = subprocess.run(
        _ingest_cmd(folder, db, "--format", "json"), capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == 0, rerun.stderr
    statuses = [r["status"] for r in json.loads(rerun.stdout)]
    assert statuses.count("unchanged") == partial
    assert statuses.count("ingested") == N_DOCS - partial
    _check_consistent(db)
    store = open_store(f"sqlite:///{db}")
    with store.read() as session:
        assert counts(session) == expected
    store.close()


def test_two_ingest_processes_on_one_file(corpus: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    folder, expected = corpus
    db = tmp_path / "shared.db"  # new: both processes also race to create the schema
    procs = [
        subprocess.Popen(
            _ingest_cmd(folder, db, "--format", "json", "--workers", "1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    results = [json.loads(out) for out, _err in outputs]
    ingested = [r["name"] for rs in results for r in rs if r["status"] == "ingested"]
    assert len(ingested) == len(set(ingested)) == N_DOCS  # each document written by exactly one
    assert all(r["status"] in ("ingested", "unchanged") for rs in results for r in rs)
    _check_consistent(db)
    store = open_store(f"sqlite:///{db}")
    with store.read() as session:
        got = counts(session)
    store.close()
    assert got == expected


@pytest.mark.postgres
def test_two_ingest_processes_on_postgresql(corpus: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    folder, expected = corpus
    url = pg.backend_url("postgresql", tmp_path)
    if url is None:
        pytest.skip(pg.skip_reason())
    procs = [
        subprocess.Popen(
            _ingest_cmd(folder, url, "--format", "json", "--workers", "1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    ingested = [r["name"] for out, _err in outputs for r in json.loads(out) if r["status"] == "ingested"]
    assert len(ingested) == len(set(ingested)) == N_DOCS
    store = open_store(url)
    with store.read() as session:
        got = counts(session)
    store.close()
    assert got == expected
