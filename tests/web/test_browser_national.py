"""The national picture, "what changed" and the claims check in a real headless Chromium.

Against a live uvicorn server over the record of ``tests/store/national_seed.py``. Skipped with
the reason when Chromium is missing (a failure under ``CI``). Screenshots go to
``artifacts/screenshots/``.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, Watch, _require_chromium, _Server

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from national_seed import NationalSeed, seed_national

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, NationalSeed]]:
    """A live server over the national test record."""
    _require_chromium()
    from peelwatch.store import open_store
    from peelwatch.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('browser-national') / 'site.db'}"
    store = open_store(url)
    try:
        ids = seed_national(store)
    finally:
        store.close()
    with _Server(create_app(url)) as base:
        yield base, ids


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, site: tuple[str, NationalSeed]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    pg.watch = Watch(pg, site[0])  # type: ignore[attr-defined]
    yield pg
    context.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _download_csv(page: Any) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").first.click()
    path = info.value.path()
    return list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8"))))


def test_national_picture_draws_the_chart_with_its_table_and_csv(page: Any, site: Any) -> None:
    base, _ids = site
    page.goto(f"{base}/")
    page.get_by_role("link", name="National", exact=True).click()
    page.wait_for_url(f"{base}/national")
    page.select_option("select[name=cycle]", "2023–25")
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("#distribution-chart[data-rendered=true]")
    assert page.locator("aside.notice").first.is_visible()
    assert "not directly comparable" in page.locator("aside.notice").first.inner_text()
    rows = page.locator("#distribution-table tbody tr")
    shown = [
        rows.nth(i).locator("th").inner_text().split(" findings")[0].strip() for i in range(rows.count())
    ]
    assert "Investigating crime" in shown
    # The chart sits beside the table on a wide screen.
    chart, table = (
        page.locator("#distribution-chart").bounding_box(),
        page.locator("#distribution-table").bounding_box(),
    )
    assert table["x"] > chart["x"] + chart["width"] - 1
    downloaded = _download_csv(page)
    assert [r["area"] for r in downloaded] == shown
    inv = next(r for r in downloaded if r["key"] == "investigating-crime")
    assert (inv["requires_improvement"], inv["inadequate"]) == ("1", "1")
    _shot(page, "national-distribution")
    page.watch.check()  # type: ignore[attr-defined]


def test_what_changed_compares_two_cycles_and_leads_to_the_findings(page: Any, site: Any) -> None:
    base, ids = site
    page.goto(f"{base}/forces/kent/changes")
    page.select_option("select[name=before]", "2021/22")
    page.select_option("select[name=after]", "2023–25")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("#grade-changes")
    grades = page.locator("#grade-changes tbody tr")
    moves = {
        grades.nth(i).locator("th").inner_text(): grades.nth(i).locator(".change").inner_text()
        for i in range(grades.count())
    }
    assert moves["Investigating crime"] == "Down"
    assert moves["Preventing crime"] == "Up"
    findings = page.locator("#finding-changes")
    assert "Discharged" in findings.inner_text() and "Recurring" in findings.inner_text()
    assert len(_download_csv(page)) == grades.count() + findings.locator("tbody tr").count()
    _shot(page, "national-what-changed")
    findings.get_by_role("link", name="The force needs to answer non-emergency calls sooner.").click()
    page.wait_for_url(f"{base}/findings/{ids.findings['kent-calls-2023']}")
    page.watch.check()  # type: ignore[attr-defined]


def test_claims_page_filters_the_differences_and_downloads_them(page: Any, site: Any) -> None:
    base, _ids = site
    page.goto(f"{base}/")
    page.get_by_role("link", name="Claims", exact=True).click()
    page.wait_for_url(f"{base}/claims")
    assert page.locator("#claims-table tbody tr").count() == 5
    page.select_option("select[name=outcome]", "differs")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**outcome=differs**")
    rows = page.locator("#claims-table tbody tr")
    assert rows.count() == 3
    outcomes = sorted(rows.nth(i).locator(".outcome").inner_text() for i in range(3))
    assert outcomes == ["Differs: claims higher", "Differs: claims higher", "Differs: claims lower"]
    downloaded = _download_csv(page)
    assert sorted(r["outcome"] for r in downloaded) == ["higher", "higher", "lower"]
    _shot(page, "claims-differences")
    # From a claim to the force page, which shows its claims check beside the grades.
    rows.first.get_by_role("link", name="Essex Police").click()
    page.wait_for_url(f"{base}/forces/essex")
    assert "Differs: claims lower" in page.locator("#claim-check").inner_text()
    page.watch.check()  # type: ignore[attr-defined]


def test_national_pages_fit_a_phone(page: Any, site: Any) -> None:
    base, _ids = site
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "/national",
        "/claims",
        "/forces/kent/changes",
        "/forces/kent/trajectory",
        "/national/themes",
    ):
        page.goto(f"{base}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 392, f"{path} scrolls sideways on a phone ({width}px)"
    page.watch.check()  # type: ignore[attr-defined]


def test_trajectory_marks_the_scale_change_and_themes_lead_to_findings(page: Any, site: Any) -> None:
    base, ids = site
    page.goto(f"{base}/forces/kent")
    page.locator("#claim-check").get_by_role("link", name="Grades across cycles").click()
    page.wait_for_url(f"{base}/forces/kent/trajectory")
    row = page.locator("#trajectory-table tbody tr", has_text="Investigating crime")
    cells = row.locator("td")
    assert "scale changed" not in cells.nth(0).inner_text()
    assert "scale changed" in cells.nth(1).inner_text()  # 2018/19 four tiers -> 2021/22 five
    _shot(page, "national-trajectory")
    page.goto(f"{base}/national/themes")
    theme = page.locator("section.theme").first
    assert "Essex Police" in theme.inner_text() and "Kent Police" in theme.inner_text()
    theme.get_by_role("link", name="Supervisors do not review investigations often enough.").click()
    page.wait_for_url(f"{base}/findings/{ids.findings['essex-supervision-2023']}")
    page.watch.check()  # type: ignore[attr-defined]
