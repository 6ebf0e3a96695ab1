"""Ingest with the real readers and extractor: identity, linking, failures, parallel workers."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "store"))
import docgen
import pg

from peelwatch.ingest import ingest_bytes, ingest_paths
from peelwatch.store import get_finding, list_findings, list_grades, open_store
from peelwatch.store.repository import counts

FIXTURES = Path(__file__).parent / "store" / "fixtures"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    url = pg.backend_url(request.param, tmp_path)
    if url is None:
        pytest.skip(pg.skip_reason())
    st = open_store(url)
    yield st
    st.close()


def test_folder_ingest_links_mentions_and_is_idempotent(store) -> None:
    seen: list[tuple[int, int, str]] = []
    report = ingest_paths(store, [FIXTURES], progress=lambda d, t, r: seen.append((d, t, r.status)))
    assert [r.status for r in report.results] == ["ingested"] * 3
    assert [(d, t) for d, t, _s in seen] == [(1, 3), (2, 3), (3, 3)]
    findings = list_findings(store, force="Cheshire", cycle="2021/22").items
    calls = next(f for f in findings if "answers emergency" in f.text)
    assert calls.mentions == 2 and calls.authoritative
    assert calls.text.startswith("The constabulary should make sure")  # the report's words, not the letter's
    detail = get_finding(store, calls.id)
    # the 2023–25 report says it was discharged: its statement is tied to the finding
    assert [d.status for d in detail.discharges] == ["discharged"]
    assert {m.document_kind for m in detail.mentions} == {"inspection_report", "pcc_response"}
    assert detail.responses
    grades = list_grades(store, force="cheshire", cycle="2021/22")
    assert ("Responding to the public", "requires improvement") in {(g.subject, g.grade) for g in grades}
    assert any(c.grade == "good" for c in list_grades(store, force="cheshire", claims=True))

    again = ingest_paths(store, [FIXTURES])
    assert [r.status for r in again.results] == ["unchanged"] * 3
    with store.read() as session:
        assert counts(session)["documents"] == 3


def test_bad_files_are_reported_and_the_rest_go_on(store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / ".hidden.txt").write_text("ignored")
    report = ingest_paths(store, [folder, tmp_path / "missing.txt", str(tmp_path / "none-*.pdf")])
    status = {Path(r.name).name: (r.status, r.reason) for r in report.results}
    assert status["empty.txt"][0] == "failed" and status["empty.txt"][1]
    assert status["picture.png"][0] == "failed" and status["picture.png"][1]
    assert status["missing.txt"] == ("failed", "no such file or folder")
    assert status["none-*.pdf"] == ("failed", "no file matches this pattern")
    assert ".hidden.txt" not in status
    assert report.count("ingested") == 3 and len(report.failed) == 4


def test_glob_and_ingest_bytes(store) -> None:
    report = ingest_paths(store, [str(FIXTURES / "report_*.txt")])
    assert report.count("ingested") == 2
    data = (FIXTURES / "pcc_letter_2021.txt").read_bytes()
    first = ingest_bytes(store, data, "letter.txt")
    second = ingest_bytes(store, data, "renamed.txt")
    assert first.status == "ingested" and second.status == "unchanged"
    assert first.document_id == second.document_id


def test_parallel_workers_match_a_single_worker(tmp_path: Path) -> None:
    docs = docgen.write_documents(tmp_path / "docs", 36)
    one = open_store(f"sqlite:///{tmp_path / 'one.db'}")
    two = open_store(f"sqlite:///{tmp_path / 'two.db'}")
    r1 = ingest_paths(one, docs, workers=1)
    r2 = ingest_paths(two, [tmp_path / "docs"], workers=2)
    assert r1.count("ingested") == r2.count("ingested") == 36
    with one.read() as s1, two.read() as s2:
        assert counts(s1) == counts(s2)
    one.close()
    two.close()


def _record(store) -> dict[str, list[tuple]]:
    """Every fact row that ingest writes, without the times it was written."""
    from sqlalchemy import text

    queries = {
        "documents": "SELECT id, content_hash, kind, force_id, cycle_id, kind_reason, provisional FROM document",
        "findings": "SELECT id, force_id, cycle_id, type, text, area_key, authoritative, source_document_id, status "
        "FROM finding",
        "mentions": "SELECT finding_id, document_id, position, score, stated_status FROM finding_mention",
        "judgments": "SELECT id, document_id, cycle_id, subject, grade, claim FROM judgment",
        "discharges": "SELECT id, document_id, finding_id FROM discharge",
        "links": "SELECT finding_id, other_id, kind, score, discharge_id FROM link",
        "entries": "SELECT kind, ref_id, document_id, title, body FROM search_entry",
        "events": "SELECT finding_id, to_status, document_id, basis FROM finding_status_event",
    }
    with store.read() as session:
        return {name: sorted(map(tuple, session.execute(text(sql)))) for name, sql in queries.items()}


def test_documents_written_in_batches_make_the_record_one_per_transaction_makes(tmp_path: Path) -> None:
    docgen.write_documents(tmp_path / "docs", 45, seed=5)
    records = []
    for batch in (1, 16):
        st = open_store(f"sqlite:///{tmp_path / f'batch{batch}.db'}")
        report = ingest_paths(st, [tmp_path / "docs"], time_budget=None, batch=batch)
        assert report.count("ingested") == 45
        records.append(_record(st))
        st.close()
    one, batched = records
    assert one["links"] and one["findings"] and one["mentions"]
    assert one == batched


def test_a_document_that_cannot_be_written_fails_alone_and_the_rest_of_its_batch_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import peelwatch.ingest as ingest

    docgen.write_documents(tmp_path / "docs", 12, seed=5)
    real = ingest.store_document

    def refuses_one(session, **kwargs):
        if kwargs["source"].endswith("00002_letter.txt"):
            raise ValueError("this document cannot be written")
        return real(session, **kwargs)

    monkeypatch.setattr(ingest, "store_document", refuses_one)
    st = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    report = ingest_paths(st, [tmp_path / "docs"], time_budget=None, batch=8)
    [failed] = report.failed
    assert failed.name.endswith("00002_letter.txt")
    assert failed.reason == "internal error: ValueError: this document cannot be written"
    assert report.count("ingested") == 11
    with st.read() as session:
        assert counts(session)["documents"] == 11

    monkeypatch.setattr(ingest, "store_document", real)
    again = ingest_paths(st, [tmp_path / "docs"], time_budget=None, batch=8)
    assert again.count("ingested") == 1 and again.count("unchanged") == 11
    st.close()


def test_the_same_bytes_twice_in_one_batch_are_stored_once(store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    data = (FIXTURES / "pcc_letter_2021.txt").read_bytes()
    (folder / "a.txt").write_bytes(data)
    (folder / "b.txt").write_bytes(data)
    report = ingest_paths(store, [folder], time_budget=None)
    assert sorted(r.status for r in report.results) == ["ingested", "unchanged"]
    assert report.results[0].document_id == report.results[1].document_id
    with store.read() as session:
        assert counts(session)["documents"] == 1


def test_area_keys_worked_out_while_extracting_are_the_ones_the_writer_would_work_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import text

    import peelwatch.ingest as ingest
    from peelwatch.store.repository import AreaKeys

    docgen.write_documents(tmp_path / "docs", 12, seed=3)

    def keys(name: str) -> list[tuple]:
        st = open_store(f"sqlite:///{tmp_path / name}.db")
        assert ingest_paths(st, [tmp_path / "docs"], time_budget=None).count("ingested") == 12
        with st.read() as session:
            found = sorted(map(tuple, session.execute(text("SELECT id, area_key FROM finding"))))
        st.close()
        return found

    worked_out = keys("extracting")
    # keys worked out for another cycle than the document is stored under are not used: the
    # writer works them out itself
    monkeypatch.setattr(ingest, "area_keys_of", lambda ext, _text: AreaKeys("1999", ()))
    by_writer = keys("writer")
    assert any(key for _id, key in worked_out)
    assert worked_out == by_writer
    # and keys worked out for the right cycle are the ones stored
    monkeypatch.setattr(
        ingest, "area_keys_of", lambda ext, _text: AreaKeys(ext.cycle, ("made-up",) * len(ext.findings))
    )
    assert "made-up" in {key for _id, key in keys("given")}


def test_a_cycle_made_in_a_batch_that_was_rolled_back_is_not_handed_to_later_batches(tmp_path: Path) -> None:
    import dataclasses

    from sqlalchemy import select

    from peelwatch.ingest import _write_batch, read_and_extract
    from peelwatch.link.linker import LinkIndex
    from peelwatch.store.models import Cycle, Document

    st = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    item = read_and_extract((FIXTURES / "pcc_letter_2021.txt").read_bytes(), "letter.txt", 10**7)
    # a cycle label the record does not know becomes a new cycle row
    item.extraction = dataclasses.replace(item.extraction, cycle="2031-32")
    names: dict = {}

    def refuse(session, result) -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError):
        _write_batch(st, [("letter.txt", item)], None, refuse, LinkIndex(), names)
    assert names == {}  # the cycle that batch made was rolled back with it

    [result] = _write_batch(st, [("letter.txt", item)], None, None, LinkIndex(), names)
    assert result.status == "ingested"
    with st.read() as session:
        cycle_id = session.scalar(select(Cycle.id).where(Cycle.label == "2031–32"))
        stored_under = session.scalar(select(Document.cycle_id).where(Document.id == result.document_id))
    assert cycle_id is not None
    assert names[("cycle", "2031-32")].id == cycle_id == stored_under
    st.close()
