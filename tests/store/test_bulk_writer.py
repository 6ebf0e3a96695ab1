"""The writer stores a document's facts with bulk inserts: every row and search entry as before."""

from __future__ import annotations

import samples
from sqlalchemy import select

from peelwatch.ingest import _extract_processes
from peelwatch.store.models import Judgment, Response, SearchEntry, Statistic
from peelwatch.store.repository import counts, store_extraction
from peelwatch.web.cache import ViewCache


def _notes(folder, count: int) -> list:
    """``count`` one-line notes written into ``folder``, in order."""
    files = [folder / f"{n}.txt" for n in range(count)]
    for n, path in enumerate(files):
        path.write_text(f"Kent Police. Note {n}.\n")
    return files


def _put(store, text, extraction) -> int:
    with store.write() as session:
        return store_extraction(
            session,
            content_hash=samples.digest(text),
            text=text,
            extraction=extraction,
            source=extraction.source,
        ).document_id


def test_each_judgment_has_its_search_entry_in_order(store) -> None:
    text, extraction = samples.report_2021()
    doc_id = _put(store, text, extraction)
    with store.read() as session:
        judgments = session.execute(
            select(Judgment.id, Judgment.position, Judgment.subject, Judgment.grade)
            .where(Judgment.document_id == doc_id)
            .order_by(Judgment.position)
        ).all()
        entries = dict(
            session.execute(
                select(SearchEntry.ref_id, SearchEntry.title).where(SearchEntry.kind == "judgment")
            ).all()
        )
        n = counts(session)
        responses = session.scalars(select(Response.position).where(Response.document_id == doc_id)).all()
        stats = session.scalars(select(Statistic.position).where(Statistic.document_id == doc_id)).all()
    assert [j.position for j in judgments] == list(range(len(extraction.judgments)))
    assert len(judgments) == len(extraction.judgments) > 0
    for j in judgments:
        assert entries[j.id].startswith(f"{j.subject}: {j.grade}")
    assert sorted(responses) == list(range(len(extraction.responses)))
    assert sorted(stats) == list(range(len(extraction.statistics)))
    assert n["search_entries"] == 1 + n["judgments"] + n["findings"]


def test_extracting_processes_leave_the_writer_a_core() -> None:
    assert _extract_processes(2, cpus=2) == 1
    assert _extract_processes(8, cpus=2) == 1
    assert _extract_processes(3, cpus=8) == 3
    assert _extract_processes(16, cpus=8) == 7
    assert _extract_processes(4, cpus=1) == 1


def test_with_one_spare_core_extraction_runs_beside_the_writer_without_a_pool(tmp_path, monkeypatch) -> None:
    import peelwatch.ingest as ingest

    def no_pool(*args, **kwargs):
        raise AssertionError("no process pool on two cores")

    monkeypatch.setattr(ingest.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(ingest, "ProcessPoolExecutor", no_pool)
    files = _notes(tmp_path, 3)
    done = list(ingest._extract_all(files, 2, 1 << 20))
    assert [path for path, _ in done] == files
    assert not [outcome for _, outcome in done if isinstance(outcome, BaseException)]


def test_a_view_cache_of_no_entries_computes_every_time(tmp_path) -> None:
    calls = []
    cache = ViewCache(f"sqlite:///{tmp_path / 'x.db'}", max_entries=0)
    for _ in range(3):
        assert cache.get("k", lambda: calls.append(1) or len(calls)) == len(calls)
    assert len(calls) == 3 and cache.hits == 0
    kept = ViewCache(f"sqlite:///{tmp_path / 'x.db'}")
    assert kept.get("k", lambda: 1) == kept.get("k", lambda: 2) == 1


def test_budgeted_extraction_also_leaves_the_writer_a_core(tmp_path, monkeypatch) -> None:
    import peelwatch.extract.budget as budget
    import peelwatch.ingest as ingest

    started = []

    class CountedWorker(budget.Worker):
        def __init__(self) -> None:
            super().__init__()
            started.append(self)

    monkeypatch.setattr(budget, "Worker", CountedWorker)
    monkeypatch.setattr(ingest.os, "cpu_count", lambda: 2)
    files = _notes(tmp_path, 3)
    done = list(ingest._extract_budgeted(files, 4, 1 << 20, 30.0))
    assert len(started) == 1  # four workers asked for, one core spare beside the writer
    assert sorted(path for path, _ in done) == files
    assert not [outcome for _, outcome in done if isinstance(outcome, BaseException)]


def test_an_extraction_process_is_handed_at_most_ahead_files_at_once(tmp_path, monkeypatch) -> None:
    import peelwatch.extract.budget as budget
    import peelwatch.ingest as ingest

    most = []

    class CountedWorker(budget.Worker):
        queued = 0

        def submit(self, *args) -> None:
            super().submit(*args)
            self.queued += 1
            most.append(self.queued)

        def receive(self, *args):
            self.queued -= 1
            return super().receive(*args)

    monkeypatch.setattr(budget, "Worker", CountedWorker)
    monkeypatch.setattr(ingest.os, "cpu_count", lambda: 2)
    files = _notes(tmp_path, 9)
    done = list(ingest._extract_budgeted(files, 2, 1 << 20, 30.0, ahead=3))
    assert max(most) == 3 and len(most) == 9  # queued three ahead, each file sent once
    assert sorted(path for path, _ in done) == files
    assert not [outcome for _, outcome in done if isinstance(outcome, BaseException)]
