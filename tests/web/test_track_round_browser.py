"""The whole tracking round in a real headless Chromium, against a live server.

An admin creates an editor (and a viewer) on the users page; the editor logs in, assigns an owner,
adds two actions with due dates, moves a finding to in progress and then completed, corrects a
wrongly extracted grade and downloads the committee report; the viewer reads the record but is
refused (403) every write, sent from the page with its own cookies and CSRF token; the admin's
audit page lists every step with the values before and after.

Skipped with the reason when Chromium is not installed (a failure under CI), like test_browser.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, Watch, _require_chromium, _Server

pytestmark = pytest.mark.browser

ADMIN, EDITOR, VIEWER = "admin-ada", "editor-eve", "viewer-vic"
PASSWORD = "a round of tracking"
TODAY = date.today()
PUBLISHED = TODAY - timedelta(days=100)  # past the 56 days a finding may go without an action

# The report says "good"; the stored extraction says "inadequate" (the mistake to correct).
GRADE_LINE = "We judged the force to be good at preventing crime and anti-social behaviour."
AFI_CALLS = "The force should answer non-emergency calls from the public more quickly."
AFI_STOPS = "The force should record the reason for every stop and search it carries out."
REPORT = "\n\n".join(
    [
        "PEEL 2023–25: an inspection of Kent Police",
        "Preventing crime",
        GRADE_LINE,
        "Areas for improvement",
        AFI_CALLS,
        AFI_STOPS,
    ]
)


@dataclass(frozen=True)
class Round:
    """The live server and the ids of the seeded record."""

    base: str
    document: int
    judgment: int
    calls: int  # the finding the editor works
    stops: int  # the finding nobody touches


def _seed(store: Any) -> tuple[int, int, int, int]:
    """Store the report with its (wrong) extraction; ids of the document, judgment and findings."""
    from sqlalchemy import select

    from peelwatch.extract.model import Extraction, Finding, Judgment
    from peelwatch.store.models import Finding as FindingRow
    from peelwatch.store.models import Judgment as JudgmentRow
    from peelwatch.store.repository import store_extraction

    def span(words: str) -> tuple[int, int]:
        start = REPORT.index(words)
        return start, start + len(words)

    ex = Extraction(
        source="kent-round.txt",
        kind="inspection_report",
        force="Kent Police",
        cycle="2023–25",
        title="PEEL 2023–25: an inspection of Kent Police",
        published=PUBLISHED.isoformat(),
    )
    start, end = span(GRADE_LINE)
    ex.judgments.append(
        Judgment(
            scope="area",
            subject="Preventing crime",
            grade="inadequate",  # type: ignore[arg-type]
            evidence=GRADE_LINE,
            start=start,
            end=end,
            key="preventing-crime",
        )
    )
    for text in (AFI_CALLS, AFI_STOPS):
        start, end = span(text)
        ex.findings.append(
            Finding(type="area_for_improvement", text=text, evidence=text, start=start, end=end)
        )
    with store.write() as session:
        stored = store_extraction(
            session,
            content_hash=hashlib.sha256(REPORT.encode()).hexdigest(),
            text=REPORT,
            extraction=ex,
            source=ex.source,
        )
        doc = stored.document_id
    with store.read() as session:
        judgment = session.scalar(select(JudgmentRow.id).where(JudgmentRow.document_id == doc))
        findings = list(
            session.scalars(
                select(FindingRow.id).where(FindingRow.source_document_id == doc).order_by(FindingRow.id)
            )
        )
    assert judgment is not None and len(findings) == 2
    return doc, judgment, findings[0], findings[1]


@pytest.fixture(scope="module")
def round_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Round]:
    """A live server over a database holding the report and one admin (made on the command line)."""
    _require_chromium()
    from peelwatch.config import Settings
    from peelwatch.store import open_store
    from peelwatch.track import cli_actor
    from peelwatch.track.users import create_user
    from peelwatch.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('round') / 'site.db'}"
    store = open_store(url)
    try:
        doc, judgment, calls, stops = _seed(store)
        create_user(store, cli_actor("setup"), ADMIN, "admin", PASSWORD)
    finally:
        store.close()
    app = create_app(Settings(db_url=url, max_bytes=64 * 1024))
    app.state.track_today = TODAY  # the clocks count to the day the test computed its dates from
    with _Server(app) as base:
        yield Round(base, doc, judgment, calls, stops)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(browser: Any, base: str) -> Any:
    """A page in a browser context of its own (its own cookies: one person)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.watch = Watch(page, base)
    return page


def _log_in(page: Any, base: str, name: str, then: str) -> None:
    page.goto(f"{base}/login?next={then}")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}{then}")


def _admin_adds(page: Any, name: str, role: str) -> None:
    form = page.locator("form[action='/users']")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Role").select_option(role)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Add user").click()
    assert f"Added {name} ({role})." in page.locator(".notice.ok").inner_text()


# Sends one write from inside the page, as a script on the page could: the browser adds the
# session cookie; the CSRF token is the session's own (read from a form the site serves).
_SEND = """async ([method, url, kind, fields, token]) => {
    let body;
    const headers = {};
    if (kind === "json") {
        body = JSON.stringify(fields);
        headers["content-type"] = "application/json";
        headers["x-csrf-token"] = token;
    } else if (kind === "file") {
        body = new FormData();
        body.append("file", new Blob(["A report the viewer tries to add."], {type: "text/plain"}), "v.txt");
        headers["x-csrf-token"] = token;
        if (fields.form) body.append("csrf_token", token);
    } else {
        body = new URLSearchParams({...fields, csrf_token: token});
    }
    const answer = await fetch(url, {method, body, headers, redirect: "manual"});
    return {status: answer.status, text: await answer.text()};
}"""

_TOKEN = """async () => {
    const html = await (await fetch("/logout")).text();
    return html.match(/name="csrf_token" value="([^"]+)"/)[1];
}"""


def _viewer_writes(r: Round, action_id: int) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Every kind of write, by page form and by API: (method, url, kind, fields)."""
    a, j = r.calls, r.judgment
    return [
        ("POST", f"/findings/{a}/owner", "form", {"owner": "Someone else"}),
        ("POST", f"/findings/{a}/actions", "form", {"title": "An action", "due": "2030-01-01"}),
        ("POST", f"/findings/{a}/status", "form", {"status": "in_progress"}),
        ("POST", f"/actions/{action_id}/status", "form", {"status": "dropped"}),
        ("POST", f"/actions/{action_id}/notes", "form", {"text": "a note"}),
        (
            "POST",
            "/corrections",
            "form",
            {"entity": "judgment", "id": str(j), "field": "grade", "value": "outstanding"},
        ),
        ("POST", "/corrections", "form", {"entity": "finding", "id": str(a), "field": "text", "value": "x"}),
        ("POST", "/upload", "file", {"form": True}),
        ("POST", "/users", "form", {"name": "viewer-made", "role": "admin", "password": PASSWORD}),
        ("POST", f"/users/{VIEWER}/role", "form", {"role": "admin"}),
        ("PUT", f"/api/findings/{a}/owner", "json", {"owner": "Someone else"}),
        ("POST", f"/api/findings/{a}/actions", "json", {"title": "An action", "due": "2030-01-01"}),
        ("POST", f"/api/findings/{a}/status", "json", {"status": "in_progress"}),
        ("PATCH", f"/api/actions/{action_id}", "json", {"status": "dropped"}),
        (
            "POST",
            "/api/corrections",
            "json",
            {"entity": "judgment", "id": j, "field": "grade", "value": "outstanding"},
        ),
        ("POST", "/api/documents", "file", {}),
    ]


def _audit_rows(page: Any) -> list[dict[str, Any]]:
    """The audit page's table as records; Before and After parsed back from their JSON."""
    cells = page.eval_on_selector_all(
        "table.data tbody tr",
        "rows => rows.map(r => Array.from(r.querySelectorAll('td'), td => td.innerText.trim()))",
    )
    rows = []
    for _when, who, via, action, what, before, after in cells:
        rows.append(
            {
                "user": who.split(" (")[0],
                "via": via,
                "action": action,
                "what": what,
                "before": json.loads(before) if before else None,
                "after": json.loads(after) if after else None,
            }
        )
    return rows


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def test_the_whole_tracking_round(browser: Any, round_site: Round, tmp_path: Path) -> None:
    r = round_site
    base, a = r.base, r.calls

    # An admin creates the editor (and a viewer) on the users page.
    admin = _page(browser, base)
    _log_in(admin, base, ADMIN, "/users")
    _admin_adds(admin, EDITOR, "editor")
    _admin_adds(admin, VIEWER, "viewer")

    # The editor logs in and works the finding through its page.
    ed = _page(browser, base)
    _log_in(ed, base, EDITOR, f"/findings/{a}")
    ed.wait_for_selector("#t-owner")  # the tracking panel, loaded by htmx, with its forms
    ed.fill("#t-owner", "Head of Contact Management")
    ed.click(f"form[action='/findings/{a}/owner'] button")
    ed.wait_for_selector("[data-testid=owner]:has-text('Head of Contact Management')")
    overdue, upcoming = TODAY - timedelta(days=10), TODAY + timedelta(days=40)
    for title, owner, due in (
        ("Recruit twelve call handlers", "Contact Centre Manager", overdue),
        ("Publish answer times each month", "Performance Team", upcoming),
    ):
        ed.wait_for_selector("#t-title")
        ed.fill("#t-title", title)
        ed.fill("#t-aowner", owner)
        ed.fill("#t-due", due.isoformat())
        ed.click(f"form[action='/findings/{a}/actions'] button")
        ed.wait_for_selector(f"#tracking td:has-text('{title}')")
    assert ed.inner_text("[data-testid=rag]") == "red"  # the first action is overdue
    assert "10 days overdue" in ed.inner_text("[data-testid=rag-reason]")
    ed.select_option("#t-status", "in_progress")
    ed.fill("#t-note", "recruitment under way")
    ed.click(f"form[action='/findings/{a}/status'] button")
    ed.wait_for_selector("[data-testid=status]:has-text('in progress')")
    ed.select_option("#t-status", "completed")
    ed.fill("#t-note", "call handlers in post")
    ed.click(f"form[action='/findings/{a}/status'] button")
    ed.wait_for_selector("[data-testid=status]:has-text('completed')")
    assert ed.inner_text("[data-testid=rag]") == "complete"
    history = ed.inner_text("#tracking table.history")
    assert "recruitment under way" in history and "call handlers in post" in history

    # The editor corrects the grade the extractor got wrong, beside the judgment.
    ed.goto(f"{base}/documents/{r.document}")
    item = ed.locator(f"#j-{r.judgment}")
    assert "Inadequate" in item.inner_text()
    item.locator("summary", has_text="Correct the grade").click()
    item.get_by_label("Grade").select_option("good")
    item.get_by_label("Why").fill("the report says good")
    item.get_by_role("button", name="Save correction").click()
    ed.wait_for_url(f"**/documents/{r.document}#j-{r.judgment}")
    corrected = ed.locator(f"#j-{r.judgment}").inner_text()
    assert "Good" in corrected and f"Corrected by {EDITOR}" in corrected and "“inadequate”" in corrected

    # The editor downloads the committee report (Word) through its button on the force page.
    ed.goto(f"{base}/forces/kent")
    ed.wait_for_selector("#section-55")
    with ed.expect_download() as info:
        ed.locator("#section-55").get_by_role("link", name="Word").click()
    paper = tmp_path / "committee.docx"
    info.value.save_as(paper)
    text = _docx_text(paper)
    assert AFI_CALLS in text and AFI_STOPS in text
    worked = text[text.index(AFI_CALLS) :]
    assert worked.split("\n")[1].startswith("RAG: complete")
    assert "Owner: Head of Contact Management" in worked.split("\n")[1]
    assert "Recruit twelve call handlers — Contact Centre Manager" in worked
    untouched = text[text.index(AFI_STOPS) :]
    assert untouched.split("\n")[1].startswith("RAG: red")
    assert f"no action recorded 100 days after publication on {PUBLISHED}" in untouched.split("\n")[1]
    ed.watch.check()

    # A viewer reads the whole record but is offered no form and refused every write.
    vi = _page(browser, base)
    _log_in(vi, base, VIEWER, f"/findings/{a}")
    vi.wait_for_selector("#tracking [data-testid=owner]")
    assert vi.inner_text("[data-testid=owner]") == "Head of Contact Management"
    assert vi.inner_text("[data-testid=status]") == "completed"
    assert "Publish answer times each month" in vi.inner_text("#tracking")
    assert "call handlers in post" in vi.inner_text("#tracking")
    assert vi.locator("main form[method=post]").count() == 0
    assert vi.locator("#correct-finding").count() == 0
    action_id = int(vi.locator("#tracking tr[id^=action-]").first.get_attribute("id").split("-")[1])
    vi.goto(f"{base}/documents/{r.document}")
    assert "Good" in vi.locator(f"#j-{r.judgment}").inner_text()
    assert vi.locator("main form[method=post]").count() == 0
    vi.goto(f"{base}/tracking")
    assert "Head of Contact Management" in vi.locator("main").inner_text()
    token = vi.evaluate(_TOKEN)
    for method, url, kind, fields in _viewer_writes(r, action_id):
        answer = vi.evaluate(_SEND, [method, url, kind, fields, token])
        assert answer["status"] == 403, (method, url, answer)
        # Refused for the role, not for a bad token: the token was the session's own.
        needed = "admin" if url.startswith("/users") else "editor"
        assert f"{VIEWER} is a viewer; this needs the {needed} role" in answer["text"], (method, url)
    vi.goto(f"{base}/findings/{a}")
    vi.wait_for_selector("#tracking [data-testid=owner]")
    assert vi.inner_text("[data-testid=owner]") == "Head of Contact Management"
    assert vi.inner_text("[data-testid=status]") == "completed"
    vi.watch.check()

    # The admin's audit page lists every step, with the values before and after.
    admin.goto(f"{base}/audit")
    rows = _audit_rows(admin)

    def one(user: str, action: str, what: str, **where: Any) -> dict[str, Any]:
        found = [
            row
            for row in rows
            if (row["user"], row["action"], row["what"]) == (user, action, what)
            and all((row["after"] or {}).get(k) == v for k, v in where.items())
        ]
        assert len(found) == 1, (user, action, what, where, rows)
        return found[0]

    for name, role in ((EDITOR, "editor"), (VIEWER, "viewer")):
        made = one(ADMIN, "create", made_what(rows, name), name=name)
        assert made["before"] is None and made["after"] == {"name": name, "role": role, "active": True}
    assigned = one(EDITOR, "assign", f"finding {a}")
    assert (assigned["before"], assigned["after"]) == (
        {"owner": None},
        {"owner": "Head of Contact Management"},
    )
    first = one(EDITOR, "action_add", made_what(rows, "Recruit twelve call handlers", "title"))
    assert first["before"] is None
    assert first["after"] == {
        "finding_id": a,
        "title": "Recruit twelve call handlers",
        "owner": "Contact Centre Manager",
        "due": overdue.isoformat(),
        "status": "planned",
    }
    second = one(EDITOR, "action_add", made_what(rows, "Publish answer times each month", "title"))
    assert second["after"]["due"] == upcoming.isoformat() and second["after"]["owner"] == "Performance Team"
    started = one(EDITOR, "status", f"finding {a}", status="in_progress")
    assert started["before"] == {"status": "open"} and started["after"]["note"] == "recruitment under way"
    finished = one(EDITOR, "status", f"finding {a}", status="completed")
    assert (
        finished["before"] == {"status": "in_progress"}
        and finished["after"]["note"] == "call handlers in post"
    )
    grade = one(EDITOR, "correct", f"judgment {r.judgment}")
    assert (grade["before"], grade["after"]) == (
        {"grade": "inadequate"},
        {"grade": "good", "note": "the report says good"},
    )
    # Nothing the viewer tried left a trace but their login.
    assert {row["action"] for row in rows if row["user"] == VIEWER} == {"login"}
    assert all(row["via"] == "web" for row in rows if row["user"] in (EDITOR, VIEWER))
    admin.watch.check()


def made_what(rows: list[dict[str, Any]], value: str, key: str = "name") -> str:
    """The "What" cell (entity and id) of the record whose After has ``key`` equal to ``value``."""
    found = {row["what"] for row in rows if (row["after"] or {}).get(key) == value}
    assert len(found) == 1, (value, found)
    return found.pop()
