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
