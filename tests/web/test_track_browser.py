"""The tracker in a real headless Chromium: an editor works a finding through the pages.

Skipped with the reason when Chromium is not installed (a failure under CI), like test_browser.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, Watch, _require_chromium, _Server

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "track"))
from track_seed import AFI_CALLS, report_with_findings

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[int]]]:
    _require_chromium()
    from peelwatch.config import Settings
    from peelwatch.store import open_store
    from peelwatch.track import cli_actor
    from peelwatch.track.users import create_user
    from peelwatch.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('track-browser') / 'site.db'}"
    store = open_store(url)
    try:
        _, ids = report_with_findings(store, published="2025-03-14")
        create_user(store, cli_actor("setup"), "ed", "editor", PASSWORD)
    finally:
        store.close()
    app = create_app(Settings(db_url=url))
    app.state.track_today = date(2025, 7, 1)
    with _Server(app) as base:
        yield base, ids


@pytest.fixture
def page(live: tuple[str, list[int]]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        pg.watch = Watch(pg, live[0])  # type: ignore[attr-defined]
        yield pg
        browser.close()


def test_an_editor_assigns_adds_an_action_moves_the_status_and_downloads_the_paper(
    page, live, tmp_path
) -> None:
    base, (a, *_) = live
    page.goto(f"{base}/findings/{a}")
    page.wait_for_selector("#tracking")  # loaded by htmx
    assert "Log in" in page.inner_text("#tracking")
    page.goto(f"{base}/login?next=/findings/{a}")
    page.fill("#login-name", "ed")
    page.fill("#login-password", PASSWORD)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_selector("#t-owner")
    page.fill("#t-owner", "Head of Contact")
    page.click(f"form[action='/findings/{a}/owner'] button")
    page.wait_for_selector("#t-title")
    page.fill("#t-title", "Recruit call handlers")
    page.fill("#t-due", "2025-06-01")
    page.click(f"form[action='/findings/{a}/actions'] button")
    page.wait_for_selector("text=Recruit call handlers")
    page.select_option("#t-status", "in_progress")
    page.fill("#t-note", "plan agreed")
    page.click(f"form[action='/findings/{a}/status'] button")
    page.wait_for_selector("[data-testid=status]:has-text('in progress')")
    assert page.inner_text("[data-testid=owner]") == "Head of Contact"
    assert "30 days overdue" in page.inner_text("[data-testid=rag-reason]")
    assert "plan agreed" in page.inner_text("#tracking")
    page.goto(f"{base}/forces/kent")
    page.wait_for_selector("#section-55")
    with page.expect_download() as info:
        page.click("#section-55 a:has-text('PDF')")
    saved = tmp_path / "committee.pdf"
    info.value.save_as(saved)
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(saved))
    try:
        text = " ".join(p.get_textpage().get_text_range() for p in pdf).replace("\r", " ").replace("\n", " ")
    finally:
        pdf.close()
    assert AFI_CALLS.split(" within")[0] in text and "RAG: red" in text
    page.watch.check()
