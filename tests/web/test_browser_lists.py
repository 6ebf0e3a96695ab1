"""Lists in a real headless Chromium: each list's "Download CSV" gives the rows shown, with the
header row, and a column header sorts the list (and sorts it back the other way).

Uses the live server and browser of ``test_browser`` (skipped the same way without Chromium).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import test_browser
from web_seed import Seeded

from peelwatch.web import views

# The live server, the browser and the watched page of the other browser tests.
browser = test_browser.browser
site = test_browser.site
page = test_browser.page

pytestmark = pytest.mark.browser

# page path, the list's spec, the selector of each shown row's link to its record (its "url")
LIST_PAGES = [
    ("/findings", views.FINDINGS_LIST, "table.list tbody tr th a"),
    ("/documents", views.DOCUMENTS_LIST, "table.list tbody tr th a"),
    ("/judgments", views.GRADES_LIST, "table.list tbody tr td:last-child a"),
    ("/search?q=force", views.SEARCH_LIST, "table.list tbody tr th > a"),
    ("/forces", views.FORCES_LIST, "table.list tbody tr th a"),
]


def _download(page: Any) -> list[dict[str, str]]:
    """Click the page's "Download CSV" link; the downloaded file's rows."""
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _shown(page: Any, selector: str) -> list[str]:
    return [a.get_attribute("href") for a in page.locator(selector).all()]


@pytest.mark.parametrize(("path", "spec", "selector"), LIST_PAGES, ids=[p[1].name for p in LIST_PAGES])
def test_download_csv_of_each_list_has_the_header_and_the_rows_shown(
    page: Any, site: tuple[str, Seeded], path: str, spec: Any, selector: str
) -> None:
    base, _ids = site
    page.goto(base + path)
    shown = _shown(page, selector)
    assert shown, f"{path} shows rows"
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == f"{spec.name}.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(c.key for c in spec.columns)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["url"] for r in rows] == shown


def test_csv_of_a_filtered_and_sorted_findings_list_keeps_both(page: Any, site: tuple[str, Seeded]) -> None:
    base, _ids = site
    page.goto(base + "/findings")
    # The filter form updates the list in place (htmx); the CSV link follows it.
    page.get_by_label("Force").select_option("kent")
    page.wait_for_url("**/findings?*force=kent*")
    page.get_by_role("link", name="Status").click()
    page.wait_for_url("**sort=status*")
    rows = _download(page)
    assert rows and {r["force_slug"] for r in rows} == {"kent"}
    assert [r["url"] for r in rows] == _shown(page, "table.list tbody tr th a")
    statuses = [r["status"] for r in rows]
    assert statuses == sorted(statuses)


def test_sorting_a_list_by_a_column_header(page: Any, site: tuple[str, Seeded]) -> None:
    base, _ids = site
    page.goto(base + "/documents")
    header = page.get_by_role("columnheader", name="Title")
    assert header.get_attribute("aria-sort") is None
    header.get_by_role("link").click()
    page.wait_for_url("**/documents?sort=title")
    header = page.get_by_role("columnheader", name="Title")
    assert header.get_attribute("aria-sort") == "ascending"
    titles = page.locator("table.list tbody tr th a").all_inner_texts()
    assert titles == sorted(titles, key=str.casefold) and len(set(titles)) > 1

    header.get_by_role("link").click()
    page.wait_for_url("**/documents?sort=-title")
    header = page.get_by_role("columnheader", name="Title")
    assert header.get_attribute("aria-sort") == "descending"
    assert page.locator("table.list tbody tr th a").all_inner_texts() == list(reversed(titles))

    # A number column of the forces list, biggest first on the second click.
    page.goto(base + "/forces")
    page.get_by_role("columnheader", name="Findings").first.get_by_role("link").click()
    page.wait_for_url("**/forces?sort=findings")
    page.get_by_role("columnheader", name="Findings").get_by_role("link").click()
    page.wait_for_url("**/forces?sort=-findings")
    counts = [int(t) for t in page.locator("table.list tbody tr td:last-child").all_inner_texts()]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
