"""Export to CSV/JSON/Parquet and import into an empty database gives the same record."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import samples
from sqlalchemy import select

from peelwatch.errors import StoreError
from peelwatch.ingest import store_document
from peelwatch.store import get_finding, list_findings, open_store, search
from peelwatch.store.export import TABLES, export_store, import_store
from peelwatch.store.models import Finding, Judgment
from peelwatch.track import cli_actor
from peelwatch.track.actions import add_action, add_evidence, add_note
from peelwatch.track.corrections import correct

STABLE_COLUMNS = {
    "findings": ["id", "force", "cycle", "type", "ref", "text", "norm_text", "area_key", "section", "authoritative",
                 "source_document_id", "status", "rag", "owner", "due_date", "created_at", "updated_at", "hidden"],
    "mentions": ["id", "finding_id", "document_id", "position", "ref", "type", "text", "section", "evidence",
                 "start", "end", "score"],
}  # fmt: skip


def put(store, pair) -> int:
    """Store a document as ingest does: facts, links, and the statuses it states (a discharge)."""
    text, extraction = pair
    with store.write() as session:
        return store_document(
            session,
            content_hash=samples.digest(text),
            text=text,
            extraction=extraction,
            source=extraction.source,
        ).document_id


def _fill(store) -> None:
    report = put(store, samples.report_2021())
    put(store, samples.letter_2021())
    put(store, samples.report_2023())
    # People's work travels with the record too: an action with a note and evidence, and a correction.
    actor = cli_actor("analyst")
    with store.write() as session:
        supervision = session.scalar(select(Finding.id).where(Finding.text == samples.AFI_SUPERVISION))
        action = add_action(session, actor, supervision, "Audit supervision monthly", due=date(2026, 3, 1))
        add_note(session, actor, action, "First audit done", on=date(2026, 1, 15))
        add_evidence(session, actor, action, document_id=report, label="the report")
        judgment = session.scalar(select(Judgment.id).where(Judgment.subject == "Investigating crime"))
        correct(session, actor, "judgment", judgment, "grade", "good", note="the table says good")


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_round_trip(store, db_url: str, tmp_path: Path, fmt: str) -> None:
    _fill(store)
    first = tmp_path / "first"
    written = export_store(store, first, fmt)
    assert {t for t, _p, _n in written} == set(TABLES)
    target_url = db_url.replace("test.db", "target.db") if db_url.startswith("sqlite") else None
    if target_url is None:
        import pg

        target_url = pg.backend_url("postgresql", tmp_path)
    target = open_store(target_url)
    import_store(target, first)
    second = tmp_path / "second"
    export_store(target, second, fmt)
    for table in TABLES:
        assert (first / f"{table}.{fmt}").read_bytes() == (second / f"{table}.{fmt}").read_bytes(), table
    # The imported record works: search index rebuilt, links and mentions intact, new ids continue.
    assert search(target, "missing children").total == search(store, "missing children").total
    calls = next(f for f in list_findings(target, limit=100).items if f.text == samples.AFI_CALLS)
    assert calls.mentions == 2
    assert [d.status for d in get_finding(target, calls.id).discharges] == ["discharged"]
    put(target, (samples.LATER_TEXT + " again", samples.report_2023()[1]))
    assert get_finding(target, calls.id).finding.id == calls.id
    with pytest.raises(StoreError, match="empty database"):
        import_store(target, first)
    target.close()


def test_csv_columns_are_stable(store, tmp_path: Path) -> None:
    _fill(store)
    export_store(store, tmp_path, "csv")
    for table, columns in STABLE_COLUMNS.items():
        with (tmp_path / f"{table}.csv").open() as fh:
            assert next(csv.reader(fh)) == columns


def test_import_of_a_folder_without_export(store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no peelwatch export"):
        import_store(store, tmp_path)
