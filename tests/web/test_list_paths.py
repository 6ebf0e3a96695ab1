"""The lists' short paths answer what the general ones do.

The plain findings and documents lists read through prebuilt statements and kept counts, and a
findings search without filters ranks its window once and looks up the cycles only of the
matches that can reach the page. These tests pin their answers against the filtered paths and
against the order the API promises: best match first, then newest cycle, then id.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from test_store_views import _doc, put

from peelwatch.config import VIEW_LANES, Settings
from peelwatch.store import list_findings, open_store
from peelwatch.web import create_app

# Words of the same length: every finding scores the same, so only the cycle and id order them.
SAME_WORDS = [f"The force should review case {n} of missing children." for n in range(9)]


@pytest.fixture
def store(tmp_path: Path):
    st = open_store(f"sqlite:///{tmp_path / 'paths.db'}")
    put(st, *_doc("a", "Kent Police", "2021/22", [], findings=SAME_WORDS[:3]))
    put(st, *_doc("b", "Kent Police", "2023–25", [], findings=SAME_WORDS[3:6]))
    put(st, *_doc("c", "Cheshire Constabulary", "2018/19", [], findings=SAME_WORDS[6:]))
    put(
        st,
        *_doc(
            "d",
            "Cheshire Constabulary",
            "2023–25",
            [],
            findings=["Missing children wait for missing children checks."],
        ),
    )
    yield st
    st.close()


def _pages(store, size: int, **filters) -> list[int]:
    ids: list[int] = []
    for offset in range(0, 20, size):
        ids += [f.id for f in list_findings(store, limit=size, offset=offset, **filters).items]
    return ids


def test_a_search_ranks_then_breaks_ties_by_newest_cycle_then_id(store) -> None:
    page = list_findings(store, q="missing children", limit=50)
    assert page.total == 10
    cycles = [f.cycle for f in page.items]
    # The finding saying the words twice ranks first; the tied rest newest cycle first.
    assert page.items[0].text.startswith("Missing children wait")
    assert cycles[1:] == ["2023–25"] * 3 + ["2021/22"] * 3 + ["2018/19"] * 3
    for start in (1, 4, 7):
        ids = [f.id for f in page.items[start : start + 3]]
        assert ids == sorted(ids)
    # Pages cut through the ties anywhere: the same sequence, no gaps, no repeats.
    for size in (1, 2, 3, 4, 7):
        assert _pages(store, size, q="missing children") == [f.id for f in page.items]


def test_a_search_with_a_filter_orders_as_the_short_path(store) -> None:
    everything = [f.id for f in list_findings(store, q="missing children", limit=50).items]
    kent = list_findings(store, q="missing children", force="kent", limit=50)
    assert [f.id for f in kent.items] == [i for i in everything if i in {f.id for f in kent.items}]
    typed = list_findings(store, q="missing children", type="area_for_improvement", limit=50)
    assert [f.id for f in typed.items] == [i for i in everything if i in {f.id for f in typed.items}]


def test_a_page_past_the_matches_is_empty_with_the_total(store) -> None:
    past = list_findings(store, q="missing children", limit=5, offset=40)
    assert past.items == [] and past.total == 10


def test_the_plain_lists_agree_with_their_filtered_paths(store, tmp_path: Path) -> None:
    app = create_app(Settings(db_url=store.url, max_bytes=1024 * 1024))
    with TestClient(app) as client:
        plain = client.get("/api/findings", params={"limit": 200}).json()
        assert plain["total"] == len(plain["items"]) == 10
        by_force = [
            i["id"]
            for slug in ("cheshire", "kent")
            for i in client.get("/api/findings", params={"force": slug, "limit": 200}).json()["items"]
        ]
        assert sorted(by_force) == sorted(i["id"] for i in plain["items"])
        cycles = [i["cycle"] for i in plain["items"]]
        assert cycles == ["2023–25"] * 4 + ["2021/22"] * 3 + ["2018/19"] * 3
        documents = client.get("/api/documents").json()
        assert documents["total"] == 4
        assert [d["id"] for d in documents["items"]] == sorted(
            (d["id"] for d in documents["items"]), reverse=True
        )
        forces = client.get("/api/forces").json()["forces"]
        kent = next(f for f in forces if f["slug"] == "kent")
        assert kent["findings"] == 6 and kent["documents"] == 2 and isinstance(kent["aliases"], list)


def _thread_of_view(monkeypatch, client: TestClient, path: str, view: str) -> str:
    """The name of the thread that computed ``views.<view>`` for one GET of ``path``."""
    import threading

    from peelwatch.web import views

    seen: list[str] = []
    real = getattr(views, view)

    def spy(*args, **kwargs):
        seen.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(views, view, spy)
    assert client.get(path).status_code == 200
    monkeypatch.setattr(views, view, real)
    assert len(seen) == 1
    return seen[0]


def test_plain_lists_are_read_on_the_event_loop_and_the_rest_in_view_threads(store, monkeypatch) -> None:
    # Uncached, so every request computes its view.
    app = create_app(Settings(db_url=store.url, max_bytes=1024 * 1024, view_cache=0))
    with TestClient(app) as client:
        where = {
            path: _thread_of_view(monkeypatch, client, path, view)
            for path, view in [
                ("/api/forces", "forces_view"),
                ("/api/findings", "findings_view"),
                ("/api/documents", "documents_view"),
                ("/api/findings?force=kent", "findings_view"),
                ("/api/findings?q=missing", "findings_view"),
                ("/api/findings?sort=-id", "findings_view"),
                ("/api/findings?offset=990&limit=50", "findings_view"),
                ("/api/documents?kind=inspection_report", "documents_view"),
                ("/api/search?q=missing", "search_view"),
            ]
        }
    in_views = {path for path, name in where.items() if name.startswith("peelwatch-view")}
    assert in_views == set(where) - {"/api/forces", "/api/findings", "/api/documents"}


def test_only_bounded_reads_of_a_sqlite_file_run_inline(store) -> None:
    from types import SimpleNamespace

    from peelwatch.config import INLINE_MAX_ROWS
    from peelwatch.web.deps import runs_inline

    assert runs_inline(store) and runs_inline(store, INLINE_MAX_ROWS)
    assert not runs_inline(store, INLINE_MAX_ROWS + 1)
    # A query to a database server waits on the network: never on the event loop.
    assert not runs_inline(SimpleNamespace(dialect="postgresql"))


def test_the_matrix_is_built_in_its_own_lane(store, monkeypatch) -> None:
    app = create_app(Settings(db_url=store.url, max_bytes=1024 * 1024, view_cache=0))
    with TestClient(app) as client:
        for path in ("/api/grades", "/", "/?cycle=2021/22"):
            assert _thread_of_view(monkeypatch, client, path, "matrix_view").startswith("peelwatch-matrix")
        assert _thread_of_view(monkeypatch, client, "/api/search?q=missing", "search_view").startswith(
            "peelwatch-view"
        )


def test_other_views_do_not_wait_behind_matrices_being_built(store, monkeypatch) -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from peelwatch.web import views

    started, release = threading.Event(), threading.Event()
    real = views.matrix_view

    def slow_matrix(*args, **kwargs):
        started.set()
        assert release.wait(10), "the test never let the matrix finish"
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "matrix_view", slow_matrix)
    app = create_app(Settings(db_url=store.url, max_bytes=1024 * 1024, view_cache=0))
    # More matrices asked at once than the view lane has threads: were they built there, the
    # search would wait for one of them to finish.
    asked = VIEW_LANES["view"] + 1
    with TestClient(app) as client, ThreadPoolExecutor(asked) as pool:
        matrices = [pool.submit(client.get, "/api/grades") for _ in range(asked)]
        try:
            assert started.wait(10)
            assert client.get("/api/search", params={"q": "missing"}).json()["total"] > 0
            assert not any(m.done() for m in matrices)
        finally:
            release.set()
        assert [m.result(10).status_code for m in matrices] == [200] * asked
