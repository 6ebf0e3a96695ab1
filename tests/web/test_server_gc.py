"""While it runs, the server keeps what it built at start-up out of the collector's full passes.

Frozen, the modules, the app and its store are not walked again every hundred or so requests
(see docs/web.md, "Seventh round"); the app unfreezes them when it stops, so a process that
starts and stops apps (the tests) leaves nothing frozen behind.
"""

from __future__ import annotations

import gc
from pathlib import Path

from fastapi.testclient import TestClient

from peelwatch.config import Settings
from peelwatch.web import create_app


def test_start_up_objects_are_frozen_while_the_app_runs(tmp_path: Path) -> None:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'gc.db'}", max_bytes=1024 * 1024))
    # Another test's app may still be running in this process, with its own start-up frozen.
    gc.unfreeze()
    with TestClient(app) as client:
        assert gc.get_freeze_count() > 0
        assert client.get("/api/grades").status_code == 200
    assert gc.get_freeze_count() == 0
