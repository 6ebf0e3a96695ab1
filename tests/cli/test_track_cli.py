"""The tracking commands, run as a user would run them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "track"))
from track_seed import report_with_findings

from peelwatch.cli import main
from peelwatch.store import open_store

SRC = Path(__file__).resolve().parents[2] / "src"


def _db(tmp_path: Path) -> tuple[str, list[int]]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(url)
    try:
        _, ids = report_with_findings(store, published="2025-03-14")
    finally:
        store.close()
    return url, ids


def test_status_assign_action_and_due_from_the_command_line(tmp_path: Path) -> None:
    url, (a, b, _) = _db(tmp_path)
    run = CliRunner().invoke
    out = run(
        main,
        [
            "track",
            "status",
            str(a),
            "in_progress",
            "--note",
            "started",
            "--user",
            "pat",
            "--db",
            url,
            "--format",
            "json",
        ],
    )
    assert out.exit_code == 0, out.output
    assert (
        json.loads(out.output)[0]["to_status"] == "in_progress"
        and json.loads(out.output)[0]["actor"] == "pat"
    )
    assert run(main, ["track", "assign", str(a), "Ops team", "--db", url]).exit_code == 0
    out = run(
        main,
        [
            "track",
            "action",
            "add",
            str(b),
            "Write policy",
            "--owner",
            "Ops team",
            "--due",
            "2025-05-01",
            "--db",
            url,
            "--format",
            "json",
        ],
    )
    action_id = json.loads(out.output)[0]["id"]
    out = run(main, ["track", "due", "--today", "2025-05-10", "--db", url, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [(r["title"], r["state"], r["days"]) for r in rows] == [("Write policy", "overdue", "-9")]
    assert run(main, ["track", "action", "done", str(action_id), "--db", url]).exit_code == 0
    out = run(main, ["track", "due", "--today", "2025-05-10", "--db", url, "--format", "json"])
    assert json.loads(out.output) == []


def test_a_refused_move_is_one_line_and_exit_status_one(tmp_path: Path) -> None:
    url, (a, *_) = _db(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run(
        [sys.executable, "-m", "peelwatch", "track", "status", str(a), "discharged", "--db", url],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "peelwatch: error: a finding cannot go from open to discharged; from open it may go to "
        "in_progress, completed, superseded, closed"
    )


def test_the_committee_report_and_response_letter_are_written_to_files(tmp_path: Path) -> None:
    url, _ = _db(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for args in (
        ["report", "committee", "--force", "Kent Police", "--format", "pdf", "-o", str(tmp_path / "c.pdf")],
        ["report", "response", "--document", "1", "--format", "html", "-o", str(tmp_path / "r.html")],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "peelwatch", *args, "--db", url],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    assert "The force should answer emergency calls" in (tmp_path / "r.html").read_text()
