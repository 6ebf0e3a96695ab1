"""The database commands, run as a user runs them: the real ``peelwatch`` in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[1] / "store" / "fixtures"


def run(*args: str, db: Path | str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None):
    cmd = [sys.executable, "-m", "peelwatch", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    full_env.pop("PEELWATCH_DB", None) if env is None or "PEELWATCH_DB" not in env else None
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=300)


def one_error_line(result, *needles: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("peelwatch: error:")
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "cli.db"
    result = run("ingest", str(FIXTURES), db=db)
    assert result.returncode == 0, result.stderr
    assert "3 ingested, 0 unchanged, 0 failed" in result.stdout
    return db


def test_ingest_again_and_failures(filled: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7 truncated")
    result = run("ingest", str(FIXTURES), str(bad), db=filled)
    assert result.returncode == 1
    assert "0 ingested, 3 unchanged, 1 failed" in result.stdout
    assert "bad.pdf" in result.stdout and "Traceback" not in result.stderr


def test_queries_in_three_formats(filled: Path) -> None:
    forces = json.loads(run("forces", "--format", "json", db=filled).stdout)
    assert [(f["slug"], f["documents"]) for f in forces] == [("cheshire", 3)]
    grades = list(
        csv.DictReader(io.StringIO(run("grades", "--force", "Cheshire", "--format", "csv", db=filled).stdout))
    )
    assert {"force_name", "cycle", "subject", "grade", "document_id"} <= set(grades[0])
    assert any(g["subject"] == "Responding to the public" and g["cycle"] == "2021/22" for g in grades)
    page = json.loads(
        run("findings", "--cycle", "2021-22", "--type", "AFI", "--format", "json", db=filled).stdout
    )
    assert page["total"] == 3 and max(f["mentions"] for f in page["items"]) == 2
    # a discharge statement is linked to its finding and moves its status by a dated event
    table = run("findings", "--status", "discharged", db=filled)
    assert table.returncode == 0 and "answers emergency" in table.stdout
    hits = json.loads(run("search", "missing children", "--format", "json", db=filled).stdout)
    assert hits["total"] >= 1 and hits["items"][0]["snippet"]
    text = run("search", "calls", "--limit", "2", "--force", "Cheshire Police", db=filled)
    assert text.returncode == 0 and "finding" in text.stdout


def test_show_commands(filled: Path) -> None:
    finding = json.loads(run("show", "finding", "1", "--format", "json", db=filled).stdout)
    assert finding["mentions"] and finding["mentions"][0]["evidence"]
    doc = run("show", "document", "1", db=filled)
    assert doc.returncode == 0 and "Document 1" in doc.stdout
    one_error_line(run("show", "finding", "999", db=filled), "no finding with id 999")


def test_unknown_force_and_cycle(filled: Path) -> None:
    one_error_line(
        run("grades", "--force", "Chesire", db=filled), "unknown force 'Chesire'", "did you mean", "Cheshire"
    )
    one_error_line(run("findings", "--cycle", "2019", db=filled), "unknown cycle '2019'")
    one_error_line(run("search", "x", "--force", "Atlantis Police", db=filled), "unknown force")
    one_error_line(run("findings", "--type", "suggestion", db=filled), "unknown finding type")
    one_error_line(run("grades", "--area", "wibble wobble", db=filled), "unknown area")


def test_database_errors(tmp_path: Path) -> None:
    one_error_line(run("forces", db="postgres//localhost/db"), "malformed database URL")
    one_error_line(run("forces", env={"PEELWATCH_DB": "mysql://localhost/x"}), "unsupported database URL")
    ro = tmp_path / "ro.db"
    assert run("db", "upgrade", db=ro).returncode == 0
    ro.chmod(0o444)
    one_error_line(run("ingest", str(FIXTURES), db=ro), "read-only")
    newer = tmp_path / "newer.db"
    assert run("db", "upgrade", db=newer).returncode == 0
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'abcdef123456'")
    one_error_line(run("grades", db=newer), "newer than this peelwatch")
    one_error_line(run("db", "upgrade", db=newer), "newer than this peelwatch")


def test_db_upgrade_and_env_default(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    first = run("db", "upgrade", env={"PEELWATCH_DB": f"sqlite:///{db}"})
    assert first.returncode == 0 and "migrated from schema none" in first.stdout
    again = run("db", "upgrade", db=db)
    assert "up to date" in again.stdout
    default = run("forces", "--all", "--format", "csv", cwd=tmp_path)
    assert default.returncode == 0 and (tmp_path / "peelwatch.db").exists()
    assert len(default.stdout.strip().splitlines()) == 44


def test_export_and_import(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = run("export", "--format", "json", "--out", str(out), db=filled)
    assert result.returncode == 0 and (out / "findings.json").exists()
    target = tmp_path / "copy.db"
    imported = run("import", str(out), db=target)
    assert imported.returncode == 0, imported.stderr
    assert "documents: 3 rows" in imported.stdout
    again = tmp_path / "again"
    run("export", "--format", "json", "--out", str(again), db=target)
    for name in ("documents", "findings", "mentions", "judgments", "responses"):
        assert (out / f"{name}.json").read_text() == (again / f"{name}.json").read_text()
    one_error_line(run("import", str(out), db=target), "empty database")
