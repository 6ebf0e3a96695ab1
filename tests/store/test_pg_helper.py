"""The PostgreSQL test helper skips with the reason, except under CI where it fails."""

from __future__ import annotations

from pathlib import Path

import pg
import pytest


def _broken(base: Path | None = None) -> pg.PgServer:
    raise OSError("no server binaries here")


def test_skip_reason_outside_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pg, "_shared", {})
    monkeypatch.setattr(pg, "start_server", _broken)
    monkeypatch.delenv("CI", raising=False)
    assert pg.backend_url("postgresql", tmp_path) is None
    assert pg.skip_reason() == "PostgreSQL could not start: OSError: no server binaries here"


def test_failure_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pg, "_shared", {})
    monkeypatch.setattr(pg, "start_server", _broken)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(RuntimeError, match="under CI"):
        pg.backend_url("postgresql", tmp_path)
