"""The section 55 pages and API: one view, a page, JSON and CSV, with the day fixed."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "track"))
from track_seed import report_with_findings, store_doc

from peelwatch.config import Settings
from peelwatch.store import open_store
from peelwatch.web import create_app


@pytest.fixture
def site(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'acc.db'}"
    store = open_store(url)
    report_with_findings(store, published="2025-03-14")
    store_doc(store, kind="pcc_response", published="2025-05-20", title="Kent commissioner's response")
    report_with_findings(store, force="Essex Police", published="2025-03-14")
    report_with_findings(store, force="Dorset Police", published="2025-06-20")
    store.close()
    app = create_app(Settings(db_url=url))
    app.state.track_today = date(2025, 7, 1)
    with TestClient(app) as client:
        yield client


def test_the_api_gives_each_report_its_clock_and_national_counts(site) -> None:
    body = site.get("/api/accountability").json()
    by_force = {c["force_slug"]: (c["status"], c["label"]) for c in body["clocks"]}
    assert by_force == {
        "kent": ("late", "late by 12 days"),
        "essex": ("missing", "missing (54 days past the deadline)"),
        "dorset": ("not_yet_due", "not yet due (44 days left)"),
    }
    assert body["counts"] == {"on_time": 0, "late": 1, "missing": 1, "not_yet_due": 1, "undated": 0}


def test_the_page_and_csv_show_the_same_clocks(site) -> None:
    page = site.get("/accountability")
    assert page.status_code == 200
    assert "late by 12 days" in page.text and "missing (54 days past the deadline)" in page.text
    rows = list(csv.DictReader(io.StringIO(site.get("/accountability.csv").text)))
    assert sorted((r["force"], r["status"], r["days_late"]) for r in rows) == [
        ("Dorset Police", "not_yet_due", ""),
        ("Essex Police", "missing", "54"),
        ("Kent Police", "late", "12"),
    ]


def test_the_page_links_each_report_and_response_to_its_document(site) -> None:
    clocks = site.get("/api/accountability").json()["clocks"]
    kent = next(c for c in clocks if c["force_slug"] == "kent")
    assert kent["report_url"] == f"/documents/{kent['report_id']}"
    assert kent["response_url"] == f"/documents/{kent['response_id']}"
    assert all(c["response_url"] is None for c in clocks if c["force_slug"] != "kent")
    page = site.get("/accountability").text
    for c in clocks:
        assert f'<a href="{c["report_url"]}">' in page
    assert f'<a href="{kent["response_url"]}">' in page


def test_the_force_page_loads_its_section_55_panel(site) -> None:
    assert 'hx-get="/forces/kent/section-55"' in site.get("/forces/kent").text
    fragment = site.get("/forces/kent/section-55", headers={"hx-request": "true"})
    assert "late by 12 days" in fragment.text and "<html" not in fragment.text
    assert "committee-report?format=pdf" in fragment.text
    assert site.get("/api/forces/kent/section-55").json()["counts"]["late"] == 1
    assert site.get("/api/forces/nowhere/section-55").status_code == 404
