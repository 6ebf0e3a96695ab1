"""``peelwatch users``, ``tokens`` and ``audit`` on the command line."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from peelwatch.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "peelwatch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_the_first_admin_is_made_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    done = _run(
        "users", "add", "ada", "--role", "admin", "--password-stdin", "--db", db, stdin="a long password\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "added ada (admin)"
    short = _run("users", "add", "bob", "--password-stdin", "--db", db, stdin="short\n")
    assert short.returncode == 1
    assert short.stderr.strip() == "peelwatch: error: a password needs at least 10 characters"
    listed = _run("users", "list", "--format", "json", "--db", db)
    assert [(u["name"], u["role"], u["active"]) for u in json.loads(listed.stdout)] == [
        ("ada", "admin", True)
    ]


def test_the_password_prompt_asks_twice(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["users", "add", "ed", "--role", "editor", "--db", db],
        input="a long password\na long password\n",
    )
    assert result.exit_code == 0, result.output
    assert "added ed (editor)" in result.output
    assert "a long password" not in result.output  # not echoed


def test_roles_tokens_and_disabling_leave_an_audit_trail(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> str:
        result = runner.invoke(main, [*args, "--db", db], input=input)
        assert result.exit_code == 0, result.output
        return result.output

    run(
        "users", "add", "ed", "--role", "editor", "--password-stdin", "--by", "ops", input="a long password\n"
    )
    assert run("users", "set-role", "ed", "admin", "--by", "ops").strip() == "ed is now admin"
    secret = run("tokens", "add", "ed", "--name", "nightly", "--role", "editor").strip().splitlines()[-1]
    assert secret.startswith("pw_")
    tokens = json.loads(run("tokens", "list", "--format", "json"))
    assert [(t["user"], t["name"], t["role"], t["revoked_at"]) for t in tokens] == [
        ("ed", "nightly", "editor", None)
    ]
    assert secret not in json.dumps(tokens)
    assert "is revoked" in run("tokens", "revoke", str(tokens[0]["id"]))
    assert run("users", "disable", "ed").strip() == "ed is disabled"
    assert run("users", "enable", "ed").strip() == "ed is enabled"

    rows = list(csv.DictReader(io.StringIO(run("audit", "--format", "csv"))))
    assert [r["action"] for r in rows] == ["enable", "disable", "revoke", "create", "set_role", "create"]
    assert {r["via"] for r in rows} == {"cli"}
    by_ops = json.loads(run("audit", "--user", "ops", "--format", "json"))
    assert [e["action"] for e in by_ops] == ["set_role", "create"]
    assert (by_ops[0]["before"]["role"], by_ops[0]["after"]["role"]) == ("editor", "admin")
    table = " ".join(run("audit", "--action", "set_role").split())  # the table wraps long cells
    assert "role: editor" in table and "→ admin" in table


def test_unknown_names_are_one_line_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    result = runner.invoke(main, ["users", "set-role", "nobody", "admin", "--db", db])
    assert result.exit_code == 1
    assert "peelwatch: error: no user is called 'nobody'" in result.output
    result = runner.invoke(main, ["tokens", "revoke", "42", "--db", db])
    assert result.exit_code == 1
    assert "no API token has id 42" in result.output


def test_ingest_from_the_command_line_is_audited(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    doc = tmp_path / "letter.txt"
    doc.write_text(
        "Kent Police and Crime Commissioner\nResponse to the PEEL inspection 2023–25\n\n"
        "I welcome the report and will ask the Chief Constable to act on each area for improvement.\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    for _ in range(2):  # the second run stores nothing new, so it records nothing
        result = runner.invoke(main, ["ingest", str(doc), "--db", db, "--no-progress", "--workers", "1"])
        assert result.exit_code == 0, result.output
    trail = json.loads(runner.invoke(main, ["audit", "--format", "json", "--db", db]).output)
    assert [(e["via"], e["action"], e["entity"]) for e in trail] == [("cli", "ingest", "document")]
    assert trail[0]["after"]["source"] == str(doc)
