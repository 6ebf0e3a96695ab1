"""An editor rejects a link the linker made, and restores it: through the API, the finding's page
and the CLI. A rejected discharge no longer sets the finding's status. Texts written for this test."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from auth_helpers import editor_client, log_in, make_user
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "link"))
from test_discharge_flow import LETTER, REPORT

from peelwatch.cli import main
from peelwatch.config import Settings
from peelwatch.ingest import ingest_bytes
from peelwatch.store import open_store
from peelwatch.store.models import Finding, Link
from peelwatch.web import create_app, schemas


def _record(tmp_path: Path) -> tuple[str, int, int]:
    """A report and the letter closing its cause of concern: the database, the cause of
    concern's id and its discharges link's id."""
    url = f"sqlite:///{tmp_path / 'links.db'}"
    store = open_store(url)
    for name, text in (("report.txt", REPORT), ("letter.txt", LETTER)):
        ingest_bytes(store, text.encode(), name, time_budget=None)
    with store.read() as s:
        concern = s.scalars(select(Finding).where(Finding.type == "cause_of_concern")).one()
        link = s.scalars(select(Link).where(Link.kind == "discharges", Link.finding_id == concern.id)).one()
        ids = (concern.id, link.id)
    store.close()
    return url, *ids


def test_a_rejected_discharge_withdraws_the_status_and_a_restored_one_sets_it_again(tmp_path) -> None:
    url, concern, link = _record(tmp_path)
    with TestClient(create_app(Settings(db_url=url))) as client:
        shown = client.get(f"/api/findings/{concern}").json()
        schemas.FindingDetail.model_validate(shown)
        assert shown["finding"]["status"] == "discharged"
        [listed] = [x for x in shown["links"] if x["link_id"] == link]
        assert (listed["kind"], listed["rejected"]) == ("discharges", False)

        editor = editor_client(client, "ed")
        rejected = editor.post(f"/api/links/{link}/reject", json={"reason": "names another concern"})
        assert rejected.status_code == 200, rejected.text
        assert rejected.json()["rejected"] is True
        assert client.get(f"/api/findings/{concern}").json()["finding"]["status"] == "open"

        restored = editor.post(f"/api/links/{link}/restore")
        assert restored.json()["rejected"] is False
        assert client.get(f"/api/findings/{concern}").json()["finding"]["status"] == "discharged"
        assert editor.post("/api/links/99999999999999999999/reject").status_code == 404


def test_editors_get_the_reject_form_on_the_finding_page_and_viewers_do_not(tmp_path) -> None:
    url, concern, link = _record(tmp_path)
    with TestClient(create_app(Settings(db_url=url))) as client:
        make_user(client, "vera", "viewer")
        make_user(client, "ed", "editor")
        log_in(client, "vera")
        assert f'action="/links/{link}/reject"' not in client.get(f"/findings/{concern}").text
        client.cookies.clear()
        token = log_in(client, "ed")
        page = client.get(f"/findings/{concern}").text
        assert f'action="/links/{link}/reject"' in page
        sent = client.post(
            f"/links/{link}/reject",
            data={"csrf_token": token, "reason": "wrong", "next": f"/findings/{concern}"},
            follow_redirects=False,
        )
        assert (sent.status_code, sent.headers["location"]) == (303, f"/findings/{concern}")
        page = client.get(f"/findings/{concern}").text
        assert f'action="/links/{link}/restore"' in page and "rejected" in page


def test_the_cli_lists_rejects_and_restores_links(tmp_path) -> None:
    url, concern, link = _record(tmp_path)
    runner = CliRunner()
    listed = runner.invoke(main, ["links", "list", str(concern), "--db", url, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert [x["link_id"] for x in json.loads(listed.output) if x["kind"] == "discharges"] == [link]
    done = runner.invoke(
        main, ["links", "reject", str(link), "--reason", "wrong", "--db", url, "--format", "json"]
    )
    assert done.exit_code == 0 and json.loads(done.output)[0]["rejected"] is True
    missing = runner.invoke(main, ["links", "reject", "424242", "--db", url])
    assert missing.exit_code != 0 and "there is no link 424242" in missing.output
