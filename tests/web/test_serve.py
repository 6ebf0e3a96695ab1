"""``peelwatch serve`` and the page cache's freshness when another process writes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner
from fastapi.testclient import TestClient
from web_seed import FIXTURES

from peelwatch.cli import main
from peelwatch.config import Settings
from peelwatch.web import create_app


def test_serve_refuses_a_bad_database_in_one_line() -> None:
    result = CliRunner().invoke(main, ["serve", "--db", "mysql://nowhere/db"])
    assert result.exit_code == 1
    assert "peelwatch: error:" in result.output and "Traceback" not in result.output


def test_serve_prints_the_address_and_answers(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "peelwatch", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/forces", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert response.status_code == 200 and len(response.json()["forces"]) >= 43
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_cached_pages_follow_writes_by_another_process(tmp_path: Path) -> None:
    """An ingest through another connection (as the CLI would) shows on the next request."""
    from peelwatch.ingest import ingest_bytes
    from peelwatch.store import open_store

    url = f"sqlite:///{tmp_path / 'shared.db'}"
    app = create_app(Settings(db_url=url))
    with TestClient(app) as client:
        before = client.get("/api/documents").json()["total"]
        page_before = client.get("/documents").text
        assert client.get("/api/documents").json()["total"] == before  # served from the cache
        other = open_store(url)
        try:
            data = (FIXTURES / "kent-pcc-response-2023-25.txt").read_bytes()
            ingest_bytes(other, data, "letter.txt")
        finally:
            other.close()
        assert client.get("/api/documents").json()["total"] == before + 1
        assert client.get("/documents").text != page_before
