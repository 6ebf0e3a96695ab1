"""The claims check, national picture, trajectory, what changed, themes and feeds through the app.

On SQLite and PostgreSQL. The record is the small one of ``tests/store/national_seed.py``: Kent in three cycles, Essex in
one, claims of every outcome, a recurrence, a theme across the two forces and a discharge.
"""

from __future__ import annotations

import csv
import io
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import pg
from national_seed import NationalSeed, seed_national

from peelwatch.store import open_store
from peelwatch.web import create_app
from peelwatch.web.present import GENERAL_WARNING

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def national(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, NationalSeed]]:
    """A client over the national test record, on SQLite and on PostgreSQL."""
    url = pg.backend_url(request.param, tmp_path_factory.mktemp("national"))
    if url is None:
        pytest.skip(pg.skip_reason())
    store = open_store(url)
    try:
        ids = seed_national(store)
    finally:
        store.close()
    with TestClient(create_app(url)) as client:
        yield client, ids


def _csv(client: TestClient, path: str) -> list[dict[str, str]]:
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text)))


# --------------------------------------------------------------------------- claims


def test_claims_api_compares_each_claim_and_counts_outcomes(national) -> None:
    client, ids = national
    body = client.get("/api/claims").json()
    assert body["total"] == 5
    assert {o["outcome"]: o["count"] for o in body["outcomes"]} == {
        "agrees": 1,
        "higher": 2,
        "lower": 1,
        "no_inspectorate_grade": 1,
        "not_comparable": 0,
    }
    assert body["differences"] == 3
    per_force = {f["force"]: f["differences"] for f in body["forces"]}
    assert per_force == {"essex": 2, "kent": 1}
    kent = next(i for i in body["items"] if i["force"] == "kent" and i["key"] == "investigating-crime")
    assert (kent["claimed"], kent["inspectorate"], kent["outcome"]) == (
        "good",
        "requires improvement",
        "higher",
    )
    inspectorate = ids.judgments["kent-2023/investigating-crime"]
    assert kent["inspectorate_url"] == f"/documents/{ids.documents['kent-2023']}#judgment-{inspectorate}"
    assert kent["url"].startswith(f"/documents/{ids.documents['kent-pcc-2023']}#judgment-")


def test_claims_filter_by_outcome_force_and_cycle(national) -> None:
    client, _ids = national
    differs = client.get("/api/claims?outcome=differs").json()
    assert sorted(i["outcome"] for i in differs["items"]) == ["higher", "higher", "lower"]
    assert [i["force"] for i in client.get("/api/claims?outcome=lower").json()["items"]] == ["essex"]
    assert {i["force"] for i in client.get("/api/claims?force=Kent Police").json()["items"]} == {"kent"}
    assert client.get("/api/claims?cycle=2021/22").json()["total"] == 0
    bad = client.get("/api/claims?outcome=maybe")
    assert bad.status_code == 422 and bad.json()["parameter"] == "outcome"
    assert client.get("/api/claims?force=Atlantis").status_code == 422


def test_claims_csv_has_the_rows_of_the_json_in_the_same_order(national) -> None:
    client, _ids = national
    rows = _csv(client, "/api/claims?outcome=differs&sort=-claimed&format=csv")
    items = client.get("/api/claims?outcome=differs&sort=-claimed").json()["items"]
    assert [r["claimed"] for r in rows] == [i["claimed"] for i in items]
    assert [r["claimed"] for r in rows][-1] == "good"  # grades sort best first; descending puts it last
    assert set(rows[0]) >= {"force", "cycle", "area", "claimed", "inspectorate", "outcome", "url"}


def test_claims_page_shows_outcomes_nationally_per_force_and_each_claim(national) -> None:
    client, _ids = national
    html = client.get("/claims?outcome=differs").text
    assert "Differs: claims higher" in html and "Differs: claims lower" in html
    assert 'id="claims-by-force"' in html
    assert "Download CSV" in html and "format=csv" in html
    assert "none recorded" not in html  # the claim without an inspectorate grade is filtered out
    assert "none recorded" in client.get("/claims").text


def test_force_page_shows_its_claims_check_beside_the_grades(national) -> None:
    client, _ids = national
    html = client.get("/forces/kent").text
    assert 'id="claim-check"' in html
    assert "Differs: claims higher" in html and "No inspectorate grade recorded" in html
    assert "/claims?force=kent" in html
    assert client.get("/api/forces/kent").json()["claim_checks"]["differences"] == 1


# --------------------------------------------------------------------------- national picture


def test_distribution_counts_forces_and_carries_chart_table_and_warnings(national) -> None:
    client, _ids = national
    view = client.get("/api/national/distribution?cycle=2023-25").json()
    assert view["cycle"] == "2023–25"
    rows = {r["key"]: r for r in view["rows"]}
    assert rows["investigating-crime"]["counts"] == {"requires improvement": 1, "inadequate": 1}
    assert rows["preventing-crime"]["not_graded"] == view["forces"] - 2
    # The chart draws exactly the table's numbers.
    chart = view["chart"]
    assert chart["labels"] == [r["label"] for r in view["rows"]]
    for ds in chart["datasets"]:
        assert ds["counts"] == [r["counts"].get(ds["grade"], 0) for r in view["rows"]]
    assert GENERAL_WARNING in view["warnings"]
    assert any("2021/22" in w for w in view["warnings"])  # the cycle's own comparability warning
    assert len(view["warnings"]) == len(set(view["warnings"])) == 2
    assert client.get("/api/national/distribution").json()["cycle"] == "2023–25"
    assert client.get("/api/national/distribution?cycle=1999").status_code == 422


def test_distribution_csv_is_the_table(national) -> None:
    client, _ids = national
    rows = _csv(client, "/national?cycle=2023-25&format=csv")
    by_key = {r["key"]: r for r in rows}
    assert by_key["investigating-crime"]["inadequate"] == "1"
    assert by_key["preventing-crime"]["good"] == "2"
    assert len(rows) == len(client.get("/api/national/distribution?cycle=2023-25").json()["rows"])


def test_national_page_has_chart_data_table_csv_and_warning_without_inline_script(national) -> None:
    client, _ids = national
    r = client.get("/national?cycle=2023-25")
    html = r.text
    assert 'id="distribution-chart"' in html
    assert '<script type="application/json" id="distribution-data">' in html
    assert 'id="distribution-table"' in html and "Download CSV" in html
    assert GENERAL_WARNING.split(":")[0] in html
    assert "/static/js/grade-chart.js" in html
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_trajectory_marks_scale_changes(national) -> None:
    client, _ids = national
    view = client.get("/api/forces/kent/trajectory").json()
    inv = [p for p in view["points"] if p["key"] == "investigating-crime"]
    assert [(p["cycle"], p["scale_changed"]) for p in inv] == [
        ("2018/19", False),
        ("2021/22", True),
        ("2023–25", False),
    ]
    html = client.get("/forces/kent/trajectory").text
    assert "scale changed" in html and 'id="trajectory-table"' in html
    assert client.get("/forces/atlantis/trajectory").status_code == 404


def test_what_changed_between_two_cycles(national) -> None:
    client, ids = national
    view = client.get("/api/forces/kent/changes?before=2021/22&after=2023-25").json()
    assert view["summary"]["grades"] == {"down": 1, "up": 1, "same": 1, "new": 1}
    fates = {f["id"]: f["change"] for f in view["findings"]}
    assert fates[ids.findings["kent-missing-2021"]] == "discharged"
    assert fates[ids.findings["kent-supervision-2023"]] == "recurring"
    assert fates[ids.findings["kent-calls-2023"]] == "new"
    # Default: the force's last two graded cycles.
    assert (client.get("/api/forces/kent/changes").json()["before"], view["after"]) == ("2021/22", "2023–25")
    # Essex has grades in one cycle only: nothing to compare with until two are chosen.
    essex = client.get("/api/forces/essex/changes").json()
    assert (essex["before"], essex["after"], essex["items"]) == (None, "2023–25", [])
    assert 'id="one-cycle"' in client.get("/forces/essex/changes").text
    html = client.get("/forces/kent/changes?before=2021/22&after=2023-25").text
    for words in ("Down", "Up", "Discharged", "Recurring", "Newly graded", "repeats", "raised again in"):
        assert words in html
    assert f'href="/findings/{ids.findings["kent-supervision-2021"]}">finding' in html
    rows = _csv(client, "/forces/kent/changes?before=2021/22&after=2023-25&format=csv")
    assert len(rows) == len(view["items"]) == 4 + 5


def test_themes_list_the_forces_and_link_the_findings(national) -> None:
    client, ids = national
    view = client.get("/api/national/themes").json()
    assert len(view["themes"]) == 1
    theme = view["themes"][0]
    assert theme["force_names"] == ["Essex Police", "Kent Police"]
    assert {f["url"] for f in theme["findings"]} == {
        f"/findings/{ids.findings[n]}"
        for n in ("kent-supervision-2021", "kent-supervision-2023", "essex-supervision-2023")
    }
    html = client.get("/national/themes").text
    assert f'href="/findings/{ids.findings["essex-supervision-2023"]}"' in html
    assert _csv(client, "/api/national/themes?format=csv")[0]["force_count"] == "2"


# --------------------------------------------------------------------------- feeds


def _feed(client: TestClient, path: str) -> ET.Element:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    return ET.fromstring(r.content)


@pytest.mark.parametrize("path", ["/feed.atom", "/forces/kent/feed.atom"])
def test_feeds_are_valid_atom(national, path: str) -> None:
    client, _ids = national
    feed = _feed(client, path)
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{tag}") or "").strip(), tag
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith(path)
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    for e in entries:
        assert e.findtext(f"{ATOM}title")
        updated = e.findtext(f"{ATOM}updated") or ""
        assert updated.endswith("+00:00") or updated.endswith("Z"), updated  # RFC 3339 with its zone
        assert e.find(f"{ATOM}link").get("href").startswith("http://testserver/")


def test_feeds_list_new_documents_grades_and_findings(national) -> None:
    client, ids = national
    feed = _feed(client, "/feed.atom")
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links[0] == f"http://testserver/documents/{ids.documents['essex-news-2023']}"
    assert f"http://testserver/findings/{ids.findings['kent-calls-2023']}" in links
    grade = ids.judgments["kent-2023/leadership"]
    assert f"http://testserver/documents/{ids.documents['kent-2023']}#judgment-{grade}" in links
    kent = _feed(client, "/forces/kent/feed.atom")
    assert "Kent" in kent.findtext(f"{ATOM}title")
    assert all("Essex" not in (e.findtext(f"{ATOM}title") or "") for e in kent.findall(f"{ATOM}entry"))
    assert client.get("/forces/atlantis/feed.atom").status_code == 404
    assert client.get("/api/feed?force=kent").json()["total"] == len(kent.findall(f"{ATOM}entry"))


def test_pages_of_an_empty_record_say_there_is_nothing_yet(fresh_client: TestClient) -> None:
    assert "No inspectorate grades are recorded" in fresh_client.get("/national").text
    assert fresh_client.get("/api/national/distribution").json()["rows"] == []
    assert "No claims match" in fresh_client.get("/claims").text
    assert "No findings are linked across forces yet" in fresh_client.get("/national/themes").text
    changes = fresh_client.get("/api/forces/kent/changes").json()
    assert (changes["before"], changes["items"]) == (None, [])
    assert fresh_client.get("/forces/kent/trajectory").status_code == 200
    feed = ET.fromstring(fresh_client.get("/feed.atom").content)
    assert feed.findtext(f"{ATOM}updated") and feed.findall(f"{ATOM}entry") == []
