"""The national matrix in a real headless Chromium: it fits a 1280 px screen however many columns a
cycle has, keeps the force column and region names in view, shows one card per force on a phone,
sorts and downloads as CSV.

The record is the worst case for width: every force of England and Wales graded in every subject
of the densest cycles, each grade the longest word ("requires improvement"), plus one subject as
written that the framework lacks. Screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, Watch, _require_chromium, _Server

from peelwatch.extract.model import Extraction, Judgment

pytestmark = pytest.mark.browser

# The cycles with the most columns: 2018/19 (twelve graded questions and pillars) and 2021/22.
CYCLES = ("2018/19", "2021/22", "2023–25")
LONGEST = "requires improvement"

# Whatever a page does, these must hold: nothing in the matrix box is wider than the box, no
# heading or grade spills out of its cell, and no word is broken inside (long words overflow
# their cell instead, so a too-narrow column is caught here); only a subject as written, which
# comes from a document, may break anywhere.
OVERFLOW = """() => {
  const out = [];
  const box = document.querySelector('.matrix-scroll');
  const table = document.querySelector('table.matrix');
  if (box.scrollWidth > box.clientWidth + 1) out.push(`box ${box.scrollWidth} > ${box.clientWidth}`);
  if (table.getBoundingClientRect().width > box.clientWidth + 1) out.push('table wider than its box');
  for (const el of document.querySelectorAll('.matrix th.area a, .matrix td a.grade, .matrix th.force a')) {
    const cell = el.closest('th, td').getBoundingClientRect();
    const r = el.getBoundingClientRect();
    const spills = r.right > cell.right + 1 || r.left < cell.left - 1 || r.bottom > cell.bottom + 1 || r.top < cell.top - 1;
    const clipped = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
    if (clipped || spills) {
      out.push(`${el.textContent.trim()}: ${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(cell.left)}–${Math.round(cell.right)}`);
    }
  }
  return out;
}"""


def _dense_record(store: Any) -> None:
    """Every force × every graded subject of each cycle, graded "requires improvement"."""
    from peelwatch.framework import load_framework
    from peelwatch.store.repository import store_extraction

    fw = load_framework()
    for cycle in CYCLES:
        subjects = [s for s in fw.subjects(cycle=cycle) if s.graded and s.scope != "overall"]
        # a subject as written that the framework lacks; in one cycle a long unbroken string, as
        # a document may carry, which must not widen its column either
        other = "Understanding of demand" if cycle != "2023–25" else "CrimeDataIntegrityAuditFollowUp2024"
        for force in fw.forces:
            lines = [f"{s.name}: {LONGEST}" for s in subjects] + [f"{other}: {LONGEST}"]
            text = f"PEEL {cycle}: an inspection of {force.name}.\n" + "\n".join(lines) + "\n"
            ex = Extraction(
                source=f"{force.slug}-{cycle}.txt",
                kind="inspection_report",
                force=force.name,
                cycle=cycle,
                title=f"PEEL {cycle}: {force.name}",
                published=f"{2019 + CYCLES.index(cycle) * 2}-03-01",
            )
            at = len(text.split("\n", 1)[0]) + 1
            for s, line in zip([*subjects, None], lines, strict=True):
                ex.judgments.append(
                    Judgment(
                        scope=s.scope if s else "area",
                        subject=s.name if s else other,
                        grade=LONGEST,  # type: ignore[arg-type]
                        evidence=line,
                        start=at,
                        end=at + len(line),
                        key=s.key if s else None,
                    )
                )
                at += len(line) + 1
            with store.write() as session:
                store_extraction(
                    session,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    text=text,
                    extraction=ex,
                    source=ex.source,
                    reader="text",
                    size=len(text.encode()),
                )


@pytest.fixture(scope="module")
def dense_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_chromium()
    from peelwatch.config import Settings
    from peelwatch.store import open_store
    from peelwatch.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('dense') / 'dense.db'}"
    store = open_store(url)
    try:
        _dense_record(store)
    finally:
        store.close()
    app = create_app(Settings(db_url=url))
    from peelwatch.track import cli_actor
    from peelwatch.track.users import create_user

    create_user(app.state.store, cli_actor("test-setup"), UPLOADER, "editor", UPLOADER_PASSWORD)
    with _Server(app) as base:
        yield base


UPLOADER, UPLOADER_PASSWORD = "editor-uma", "a matrix test password"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(chromium: Any, base: str, width: int, **kw: Any) -> tuple[Any, Any, Watch]:
    context = chromium.new_context(viewport={"width": width, "height": 900}, **kw)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page, Watch(page, base)


def _shot(page: Any, name: str, *, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


@pytest.mark.parametrize("width", [1280, 1440, 1920])
@pytest.mark.parametrize("cycle", CYCLES)
def test_every_column_fits_on_a_desktop_screen(
    chromium: Any, dense_site: str, cycle: str, width: int
) -> None:
    context, page, watch = _page(chromium, dense_site, width)
    page.goto(f"{dense_site}/?cycle={cycle}")
    columns = page.locator(".matrix thead th.area").count()
    assert columns >= 9  # the cycle's graded subjects and the one as written
    assert page.evaluate(OVERFLOW) == []
    # Every column's heading is on screen without scrolling sideways.
    last = page.locator(".matrix thead th.area").last.bounding_box()
    assert last["x"] + last["width"] <= width
    if width == 1280:
        _shot(page, f"21-matrix-1280-{cycle.replace('/', '-')}")
    context.close()
    watch.check()


def test_the_headings_are_short_labels_with_the_full_name_on_hover_and_in_the_legend(
    chromium: Any, dense_site: str
) -> None:
    context, page, watch = _page(chromium, dense_site, 1280)
    page.goto(f"{dense_site}/?cycle=2021/22")
    head = page.locator(".matrix thead th.area").filter(has_text="Prevention")
    assert head.get_attribute("title") == "Preventing crime and anti-social behaviour"
    legend = page.locator(".matrix-legend")
    assert legend.get_by_text("Prevention", exact=True).is_visible()
    assert legend.get_by_text("Preventing crime and anti-social behaviour").is_visible()
    # each grade says on hover where it came from
    cell = page.get_by_role(
        "link", name="Kent Police, Preventing crime and anti-social behaviour: Requires improvement"
    )
    assert "from Inspection report: PEEL 2021/22: Kent Police" in (cell.get_attribute("title") or "")
    context.close()
    watch.check()


def test_force_column_and_region_names_stay_in_view_when_scrolled(chromium: Any, dense_site: str) -> None:
    # Below the matrix's least width (a tablet) the box scrolls; the force names and the region
    # headings must not scroll away with the grades.
    context, page, watch = _page(chromium, dense_site, 700)
    page.goto(f"{dense_site}/?cycle=2018/19")
    box = page.locator(".matrix-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # it does scroll here
    force = page.locator(".matrix tbody th.force").first
    region = page.locator(".matrix tr.region .region-name").first
    before_force, before_region = force.bounding_box(), region.bounding_box()
    box.evaluate("el => el.scrollLeft = el.scrollWidth")
    after_force, after_region = force.bounding_box(), region.bounding_box()
    assert after_force["x"] == pytest.approx(before_force["x"], abs=1)
    assert after_region["x"] == pytest.approx(before_region["x"], abs=1)
    assert region.inner_text() and after_region["width"] > 0
    _shot(page, "22-matrix-700-scrolled")
    context.close()
    watch.check()


def test_a_phone_shows_one_card_per_force(chromium: Any, dense_site: str) -> None:
    context, page, watch = _page(chromium, dense_site, 390, is_mobile=True, has_touch=True)
    page.goto(f"{dense_site}/?cycle=2021/22")
    assert not page.locator(".matrix-scroll").is_visible()  # the table gives way to the cards
    cards = page.locator(".matrix-card")
    assert cards.count() == page.locator(".matrix tbody th.force").count()
    kent = cards.filter(has=page.get_by_role("heading", name="Kent Police"))
    assert kent.is_visible()
    assert kent.locator("dt").count() == page.locator(".matrix thead th.area").count()
    assert kent.get_by_role("link", name="Requires improvement").first.is_visible()
    # Nothing on the page is wider than the phone, and no card spills out sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    spill = page.evaluate(
        "() => [...document.querySelectorAll('.matrix-card')].filter(c => c.scrollWidth > c.clientWidth + 1).length"
    )
    assert spill == 0
    kent.scroll_into_view_if_needed()
    _shot(page, "23-matrix-phone-cards", full=False)
    context.close()
    watch.check()


def test_sorting_by_a_column_and_downloading_the_csv(chromium: Any, dense_site: str) -> None:
    context, page, watch = _page(chromium, dense_site, 1280)
    page.goto(f"{dense_site}/?cycle=2021/22")
    page.locator(".matrix thead th.force a").click()
    page.wait_for_url("**sort=name**")
    names = page.locator(".matrix tbody th.force").all_inner_texts()
    page.goto(f"{dense_site}/?cycle=2021/22&group=none")
    flat = page.locator(".matrix tbody th.force").all_inner_texts()
    assert flat == sorted(flat) and sorted(names) == flat
    page.locator(".matrix thead th.area a").first.click()
    page.wait_for_url("**sort=**")
    assert page.locator(".matrix thead th.area a[aria-current='true']").count() == 1
    with page.expect_download() as info:
        page.locator("#matrix-csv").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    columns = page.locator(".matrix thead th.area").count()
    assert len(rows) == len(flat) * columns
    assert {r["grade"] for r in rows} == {LONGEST}
    assert {r["source_kind"] for r in rows} == {"inspection_report"}
    context.close()
    watch.check()


def test_an_upload_shows_what_was_decided_before_it_counts(chromium: Any, dense_site: str) -> None:
    context, page, watch = _page(chromium, dense_site, 1280)
    page.goto(f"{dense_site}/login?next=/upload")  # uploading needs an editor
    page.get_by_label("Name").fill(UPLOADER)
    page.get_by_label("Password").fill(UPLOADER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{dense_site}/upload")
    note = b"We inspected Kent Police (PEEL 2023-25). Protecting vulnerable people: Inadequate\n"
    page.set_input_files(
        "#file-input", files=[{"name": "note.txt", "mimeType": "text/plain", "buffer": note}]
    )
    page.get_by_role("button", name="Upload and extract").click()
    page.locator("#extraction-link").wait_for()
    decided = page.locator("#upload-decision").inner_text()
    assert "Read as: Inspection report (a guess)" in decided
    assert "force: Kent Police" in decided and "cycle: 2023–25" in decided and "1 grade" in decided
    assert "held out of the national matrix" in page.locator("#upload-effect").inner_text()
    _shot(page, "24-upload-provisional")
    page.locator("#extraction-link").click()
    page.wait_for_url("**/documents/*")
    assert page.locator("#provisional-notice").is_visible()
    page.goto(f"{dense_site}/?cycle=2023–25")
    assert "not decided with confidence" in page.locator("#held-out").inner_text()
    kent = page.get_by_role("link", name="Kent Police, Protecting vulnerable people: Requires improvement")
    assert kent.is_visible()  # the report's grade stands; the note's "inadequate" waits
    context.close()
    watch.check()
