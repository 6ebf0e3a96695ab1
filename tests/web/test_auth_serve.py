"""The whole round for real: users and a token made with the CLI, `peelwatch serve` with two
workers, a script uploading with its token, a forged cross-site form refused, and the audit trail
read back with the CLI."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from web_seed import FIXTURES

SRC = Path(__file__).resolve().parents[2] / "src"
PASSWORD = "a long serve password"


def _cli(*args: str, stdin: str = "") -> str:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-m", "peelwatch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(base: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/api/cycles", timeout=2)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_cli_users_tokens_and_a_served_upload_with_audit(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'served.db'}"
    by = ("--by", "setup", "--db", db)
    _cli("users", "add", "ada", "--role", "admin", "--password-stdin", *by, stdin=PASSWORD + "\n")
    _cli("users", "add", "ed", "--role", "editor", "--password-stdin", *by, stdin=PASSWORD + "\n")
    secret = _cli("tokens", "add", "ed", "--name", "nightly", *by).strip()
    port = _port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    server = subprocess.Popen(
        [sys.executable, "-m", "peelwatch", "serve", "--db", db, "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        _wait(base)
        data = (FIXTURES / "kent-pcc-response-2023-25.txt").read_bytes()
        files = {"file": ("letter.txt", data, "text/plain")}
        assert httpx.post(base + "/api/documents", files=files, timeout=60).status_code == 401
        forged = httpx.post(
            base + "/upload",
            files=files,
            headers={"Origin": "http://evil.example", "Authorization": f"Bearer {secret}"},
            timeout=60,
        )
        assert forged.status_code == 403
        uploaded = httpx.post(
            base + "/api/documents", files=files, headers={"Authorization": f"Bearer {secret}"}, timeout=60
        )
        assert uploaded.status_code == 201, uploaded.text

        # A browser login through the form, against whichever worker answers.
        with httpx.Client(base_url=base, timeout=30) as browser:
            page = browser.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            done = browser.post("/login", data={"name": "ada", "password": PASSWORD, "csrf_token": token})
            assert done.status_code == 303
            assert browser.get("/api/audit", params={"action": "upload"}).json()["total"] == 1
    finally:
        server.terminate()
        server.wait(timeout=20)

    trail = json.loads(_cli("audit", "--format", "json", "--db", db))
    assert [(e["user"], e["via"], e["action"], e["entity"]) for e in reversed(trail)] == [
        ("setup", "cli", "create", "user"),
        ("setup", "cli", "create", "user"),
        ("setup", "cli", "create", "api_token"),
        ("ed", "api", "upload", "document"),
        ("ada", "web", "login", "user"),
    ]
