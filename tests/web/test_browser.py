"""The dashboard in a real headless Chromium, against a real uvicorn server on 127.0.0.1.

Skipped with the reason when Chromium is not installed, except in CI (``CI`` set), where a
missing browser is a failure. Screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from web_seed import FIXTURES, Seeded, seed

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("PEELWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _require_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    reason = (
        f"Chromium not found at {CHROMIUM}; install Debian's 'chromium' package (scripts/install-chromium)"
    )
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    """uvicorn in a background thread, stopped at the end of the session."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = _free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Seeded]]:
    """A live server over a freshly seeded database (uploads write to it)."""
    _require_chromium()
    from peelwatch.config import Settings
    from peelwatch.store import open_store
    from peelwatch.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'site.db'}"
    store = open_store(url)
    try:
        ids = seed(store)
    finally:
        store.close()
    app = create_app(Settings(db_url=url, max_bytes=2 * 1024 * 1024))
    from peelwatch.track import cli_actor
    from peelwatch.track.users import create_user

    create_user(app.state.store, cli_actor("test-setup"), EDITOR, "editor", PASSWORD)
    with _Server(app) as base:
        yield base, ids


EDITOR, PASSWORD = "editor-ellis", "a browser test password"


def _log_in(page: Any, base: str, then: str) -> None:
    """Log in through the login page as the editor, then land on ``then``."""
    page.goto(f"{base}/login?next={then}")
    page.get_by_label("Name").fill(EDITOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}{then}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """Collects what must never happen on a page: script errors, dialogs, off-site requests."""

    def __init__(self, page: Any, base: str) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.offsite: list[str] = []
        host = urlparse(base).netloc
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.on(
            "request", lambda r: None if urlparse(r.url).netloc in (host, "") else self.offsite.append(r.url)
        )

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self) -> None:
        assert not self.errors, self.errors
        assert not self.dialogs, f"a script ran and opened a dialog: {self.dialogs}"
        assert not self.offsite, f"the page fetched from elsewhere: {self.offsite}"


@pytest.fixture
def page(browser: Any, site: tuple[str, Seeded]) -> Iterator[Any]:
    """A fresh desktop-sized page that fails the test on script errors, dialogs or off-site requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    watch = Watch(pg, site[0])
    pg.watch = watch  # type: ignore[attr-defined]
    yield pg
    context.close()
    watch.check()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_matrix_force_and_finding_with_highlighted_evidence(page: Any, site: tuple[str, Seeded]) -> None:
    base, _ids = site
    page.goto(base + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "National grades, PEEL 2023–25"
    assert page.get_by_text("not directly comparable").first.is_visible()
    cell = page.get_by_role("link", name="Kent Police, Protecting vulnerable people: Inadequate")
    assert cell.inner_text() == "Inadequate"  # the grade in words, not only its colour
    _shot(page, "01-matrix")

    # A grade opens the passage it was taken from.
    cell.click()
    page.wait_for_url("**/documents/*#judgment-*")
    target = page.locator(":target")
    assert "Protecting vulnerable people" in target.inner_text()
    _shot(page, "02-evidence-of-a-grade")

    page.goto(base + "/")
    page.get_by_role("link", name="Kent Police", exact=True).click()
    page.wait_for_url("**/forces/kent")
    page.wait_for_selector("#grade-chart[data-rendered='true']")
    assert page.get_by_role("heading", name="PEEL 2021/22").is_visible()
    _shot(page, "03-force-profile")

    page.get_by_role(
        "link", name="The force is not doing enough to find and safeguard children"
    ).first.click()
    page.wait_for_url("**/findings/*")
    mark = page.locator("article.mention mark").first
    assert mark.is_visible()
    assert "safeguard children who go missing" in mark.inner_text()
    background = mark.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    _shot(page, "04-finding")

    page.get_by_role("link", name="See it in the full document").first.click()
    page.wait_for_url("**/documents/*#finding-*")
    assert "safeguard children" in page.locator(":target").inner_text()


def test_upload_a_document_and_see_its_extraction(page: Any, site: tuple[str, Seeded]) -> None:
    base, _ids = site
    _log_in(page, base, "/upload")
    # A document the site has not seen: the report with one extra line, so the bytes differ.
    data = (
        FIXTURES / "northshire-style-2023-25-report.txt"
    ).read_bytes() + b"\nAnnex A: a note added for the test.\n"
    page.set_input_files(
        "#file-input", files=[{"name": "new-report.txt", "mimeType": "text/plain", "buffer": data}]
    )
    assert "new-report.txt" in page.locator("#file-name").inner_text()
    page.get_by_role("button", name="Upload and extract").click()
    link = page.locator("#extraction-link")
    link.wait_for()
    assert "The document was added." in page.locator("#upload-result").inner_text()
    _shot(page, "05-upload-done")
    link.click()
    page.wait_for_url("**/documents/*")
    assert page.get_by_text("Annex A: a note added for the test.").is_visible()
    assert page.get_by_role("heading", name="Extracted").is_visible()
    _shot(page, "06-uploaded-document")


def test_upload_by_drag_and_drop(page: Any, site: tuple[str, Seeded]) -> None:
    base, _ids = site
    _log_in(page, base, "/upload")
    text = (FIXTURES / "kent-pcc-response-2023-25.txt").read_text(encoding="utf-8") + "\nDropped copy.\n"
    transfer = page.evaluate_handle(
        """(text) => {
            const dt = new DataTransfer();
            dt.items.add(new File([text], "dropped-letter.txt", { type: "text/plain" }));
            return dt;
        }""",
        text,
    )
    page.dispatch_event("#dropzone", "dragenter", {"dataTransfer": transfer})
    assert "dragging" in (page.get_attribute("#dropzone", "class") or "")
    page.dispatch_event("#dropzone", "drop", {"dataTransfer": transfer})
    assert "dropped-letter.txt" in page.locator("#file-name").inner_text()
    page.get_by_role("button", name="Upload and extract").click()
    page.locator("#extraction-link").wait_for()
    page.locator("#extraction-link").click()
    page.wait_for_url("**/documents/*")
    assert page.get_by_text("Dropped copy.").first.is_visible()


def test_upload_failure_is_explained(page: Any, site: tuple[str, Seeded]) -> None:
    base, _ids = site
    _log_in(page, base, "/upload")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 128
    page.set_input_files("#file-input", files=[{"name": "photo.png", "mimeType": "image/png", "buffer": png}])
    page.get_by_role("button", name="Upload and extract").click()
    error = page.locator("#upload-result .notice.error")
    error.wait_for()
    assert "The file was not added." in error.inner_text()
    _shot(page, "07-upload-refused")


def test_hostile_document_is_inert_on_every_page(page: Any, site: tuple[str, Seeded]) -> None:
    base, ids = site
    xss = ids.documents["xss"]
    import httpx

    findings = httpx.get(f"{base}/api/documents/{xss}").json()["findings"]
    paths = [
        "/",
        "/forces/essex",
        f"/documents/{xss}",
        *(f"/findings/{f['finding_id']}" for f in findings),
        "/findings?force=essex",
        "/documents",
        "/search?q=window",
        "/search?q=javascript",
    ]
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__xss") is None, path
        assert page.locator("img").count() == 0, path
        assert page.locator("a[href^='javascript:' i]").count() == 0, path
    page.goto(base + f"/documents/{xss}")
    assert page.get_by_text("<script>window.__xss = 1; alert('xss')</script>").first.is_visible()
    assert page.get_by_text('"><img src=x onerror="window.__xss=2;alert(2)">').first.is_visible()
    assert page.get_by_text("javascript:window.__xss=4").first.is_visible()
    _shot(page, "08-hostile-document-inert")


def test_keyboard_and_phone(browser: Any, site: tuple[str, Seeded]) -> None:
    base, _ids = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    watch = Watch(pg, base)
    pg.goto(base + "/")
    pg.keyboard.press("Tab")
    assert pg.evaluate("() => document.activeElement.textContent") == "Skip to content"
    pg.keyboard.press("Enter")
    # Nothing but the matrix's own scroll box may be wider than the phone's screen.
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= 392
    _shot(pg, "09-phone-matrix")
    pg.goto(base + "/forces/kent")
    pg.wait_for_selector("#grade-chart[data-rendered='true']")
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= 392
    _shot(pg, "10-phone-force")
    context.close()
    watch.check()


def test_api_docs_work_offline(page: Any, site: tuple[str, Seeded]) -> None:
    base, _ids = site
    page.goto(base + "/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "peelwatch" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.get_by_text("/api/findings/{finding_id}").first.is_visible()
    _shot(page, "11-api-docs")


def test_log_in_upload_and_log_out(page: Any, site: tuple[str, Seeded]) -> None:
    base, _ids = site
    page.goto(base + "/upload")
    assert "Uploading needs an editor or admin account." in page.locator("main").inner_text()
    page.get_by_role("main").get_by_role("link", name="Log in").click()
    page.wait_for_url(lambda url: "/login?next=" in url)
    assert page.get_by_label("Name").is_visible()
    page.get_by_label("Name").fill(EDITOR)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    assert "wrong name or password" in page.locator(".notice.error").inner_text()
    _shot(page, "08-login-refused")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/upload")
    assert "Uploading needs" not in page.locator("main").inner_text()
    assert page.get_by_role("link", name=f"{EDITOR} · Log out").is_visible()
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["peelwatch_session"]["httpOnly"] and cookies["peelwatch_session"]["sameSite"] == "Lax"
    page.get_by_role("link", name=f"{EDITOR} · Log out").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(base + "/")
    assert page.get_by_role("link", name="Log in").is_visible()
