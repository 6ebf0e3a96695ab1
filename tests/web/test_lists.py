"""Every list answers JSON, CSV or its page from one view, sorted by its columns, with page links.

The lists: findings, documents, graded judgments, search results and forces. Each is asked for
as JSON, as CSV (``?format=csv`` and ``Accept: text/csv``) and as its page, and sorted both ways
by every column it offers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from peelwatch.web import views
from peelwatch.web.lists import Column, ListSpec, Sort, csv_cell, sort_items, to_csv

# (API path, page path, the view's list key, the list's spec)
LISTS = [
    ("/api/findings", "/findings", "items", views.FINDINGS_LIST),
    ("/api/documents", "/documents", "items", views.DOCUMENTS_LIST),
    ("/api/judgments", "/judgments", "items", views.GRADES_LIST),
    ("/api/search?q=force", "/search?q=force", "results", views.SEARCH_LIST),
    ("/api/forces", "/forces", "forces", views.FORCES_LIST),
]
IDS = [spec.name for *_rest, spec in LISTS]


def _join(path: str, **params: str) -> str:
    from urllib.parse import urlencode

    return path + ("&" if "?" in path else "?") + urlencode(params)


def _rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


# --------------------------------------------------------------------------- the CSV itself


def test_cells_a_spreadsheet_would_run_as_formulas_are_made_literal() -> None:
    for text in ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(text) == "'" + text
    assert csv_cell("Kent Police") == "Kent Police"
    assert csv_cell(None) == "" and csv_cell(True) == "true" and csv_cell(3) == "3"


def test_csv_has_a_header_row_and_keeps_commas_quotes_and_newlines_in_their_cell() -> None:
    spec = ListSpec("things", (Column("name", "Name"), Column("note", "Note", field="n")))
    body = to_csv(spec, [{"name": 'a, "b"', "n": "line one\nline two"}, {"name": "=1+1", "n": "é"}])
    assert body.decode("utf-8").splitlines()[0] == "name,note"
    assert _rows(body) == [
        {"name": 'a, "b"', "note": "line one\nline two"},
        {"name": "'=1+1", "note": "é"},
    ]


def test_in_memory_sorting_puts_missing_values_last_both_ways() -> None:
    spec = ListSpec("x", (Column("n", "N"),))
    items = [{"n": 2}, {"n": None}, {"n": 1}, {"n": 3}]
    assert [i["n"] for i in sort_items(items, spec, Sort("n"))] == [1, 2, 3, None]
    assert [i["n"] for i in sort_items(items, spec, Sort("n", descending=True))] == [3, 2, 1, None]


# --------------------------------------------------------------------------- CSV of every list


@pytest.mark.parametrize(("api", "page", "key", "spec"), LISTS, ids=IDS)
def test_every_list_downloads_as_csv_with_the_rows_of_its_json(
    client: TestClient, api: str, page: str, key: str, spec: ListSpec
) -> None:
    items = client.get(api).json()[key]
    assert items, f"the seed has rows for {api}"
    for response in (client.get(_join(api, format="csv")), client.get(api, headers={"Accept": "text/csv"})):
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == f'attachment; filename="{spec.name}.csv"'
        rows = _rows(response.content)
        assert list(rows[0]) == [c.key for c in spec.columns]
        assert [r["url"] for r in rows] == [i["url"] for i in items]
    # The page's own CSV is the same file.
    assert client.get(_join(page, format="csv")).content == client.get(_join(api, format="csv")).content


def test_csv_keeps_the_filters_and_the_sort(client: TestClient) -> None:
    api = client.get("/api/findings", params={"force": "kent", "sort": "-id"}).json()["items"]
    rows = _rows(
        client.get("/api/findings", params={"force": "kent", "sort": "-id", "format": "csv"}).content
    )
    assert [int(r["id"]) for r in rows] == [f["id"] for f in api]
    assert {r["force_slug"] for r in rows} == {"kent"}
    assert [int(r["id"]) for r in rows] == sorted((int(r["id"]) for r in rows), reverse=True)


def test_an_unknown_format_is_a_422(client: TestClient) -> None:
    body = client.get("/api/findings", params={"format": "xlsx"}).json()
    assert body["status"] == 422 and "format" in body["message"]


# --------------------------------------------------------------------------- sorting


def _sortable_value(item: dict[str, Any], column: Column) -> Any:
    return column.get(item)


@pytest.mark.parametrize(("api", "page", "key", "spec"), LISTS, ids=IDS)
def test_every_sortable_column_sorts_both_ways(
    client: TestClient, api: str, page: str, key: str, spec: ListSpec
) -> None:
    for name in spec.sortable:
        col = spec.column(name)
        up = client.get(_join(api, sort=name))
        down = client.get(_join(api, sort=f"-{name}"))
        assert up.status_code == 200 and down.status_code == 200, (name, up.text)
        assert up.json()["sort"] == name and down.json()["sort"] == f"-{name}"
        values = [v for v in (col.get(i) for i in up.json()[key]) if v is not None]
        rev = [v for v in (col.get(i) for i in down.json()[key]) if v is not None]
        order = col.sort_value or (lambda v: v.casefold() if isinstance(v, str) else v)
        if name in ("force", "cycle"):
            continue  # ordered by the force's name / the cycle's position in time, checked below
        assert values == sorted(values, key=order), name
        assert rev == sorted(rev, key=order, reverse=True), name


def test_findings_sort_by_force_name_and_cycle_position(client: TestClient) -> None:
    names = [f["force_name"] for f in client.get("/api/findings", params={"sort": "force"}).json()["items"]]
    assert names == sorted(names) and len(set(names)) > 1
    down = [f["force_name"] for f in client.get("/api/findings", params={"sort": "-force"}).json()["items"]]
    assert down == sorted(names, reverse=True)
    cycles = [f["cycle"] for f in client.get("/api/findings", params={"sort": "cycle"}).json()["items"]]
    assert cycles == sorted(cycles)  # the seed's labels sort in time order as text


@pytest.mark.parametrize(("api", "page", "key", "spec"), LISTS, ids=IDS)
def test_an_unknown_sort_column_is_a_422_naming_the_allowed_ones(
    client: TestClient, api: str, page: str, key: str, spec: ListSpec
) -> None:
    response = client.get(_join(api, sort="-shoe_size"))
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "bad_parameter" and body["parameter"] == "sort"
    assert body["allowed"] == spec.sortable and "shoe_size" in body["message"]
    assert client.get(_join(page, sort="shoe_size")).status_code == 422


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize(("api", "page", "key", "spec"), LISTS, ids=IDS)
def test_every_list_page_has_a_csv_link_and_sorting_headers(
    client: TestClient, api: str, page: str, key: str, spec: ListSpec
) -> None:
    html = client.get(page).text
    assert "Download CSV" in html
    sortable = {"findings": "type", "documents": "title", "forces": "name"}.get(spec.name, spec.sortable[0])
    assert f"sort={sortable}" in html
    sorted_html = client.get(_join(page, sort=sortable)).text
    assert 'aria-sort="ascending"' in sorted_html
    assert f"sort=-{sortable}" in sorted_html  # the active header now sorts the other way
    assert 'aria-sort="descending"' in client.get(_join(page, sort=f"-{sortable}")).text


def test_the_csv_link_of_a_page_keeps_its_filters_and_sort(client: TestClient) -> None:
    html = client.get("/findings", params={"force": "kent", "type": "cause_of_concern", "sort": "-id"}).text
    assert 'href="/findings?force=kent&amp;type=cause_of_concern&amp;sort=-id&amp;format=csv"' in html
    # Sorting by a header starts again at the first page and keeps the filters.
    assert 'href="/findings?force=kent&amp;type=cause_of_concern&amp;sort=status"' in html


def test_sorted_forces_are_one_table_with_the_region_column(client: TestClient) -> None:
    html = client.get("/forces", params={"sort": "-findings"}).text
    assert html.count("<table") == 1 and "show them by region" in html
    assert html.index("Kent Police") < html.index("Derbyshire Constabulary")


# --------------------------------------------------------------------------- page links


def test_api_lists_link_to_the_next_and_previous_pages_keeping_filters(client: TestClient) -> None:
    first = client.get("/api/findings", params={"force": "kent", "sort": "id", "limit": 1}).json()
    assert first["total"] > 2 and first["previous"] is None
    assert first["next"] == "/api/findings?force=kent&sort=id&offset=1&limit=1"
    second = client.get(first["next"]).json()
    assert second["offset"] == 1 and second["items"][0]["id"] > first["items"][0]["id"]
    assert second["previous"] == "/api/findings?force=kent&sort=id&offset=0&limit=1"
    assert client.get(second["previous"]).json()["items"] == first["items"]
    last = client.get("/api/findings", params={"force": "kent", "offset": first["total"] - 1, "limit": 1})
    assert last.json()["next"] is None


@pytest.mark.parametrize(("api", "page", "key", "spec"), LISTS, ids=IDS)
def test_every_api_list_has_total_next_and_previous(
    client: TestClient, api: str, page: str, key: str, spec: ListSpec
) -> None:
    body = client.get(api).json()
    assert isinstance(body["total"], int) and body["total"] >= len(body[key])
    assert "next" in body and "previous" in body


def test_search_pages_through_its_ranked_results(client: TestClient) -> None:
    everything = client.get("/api/search", params={"q": "force", "limit": 100}).json()["results"]
    first = client.get("/api/search", params={"q": "force", "limit": 2}).json()
    assert first["next"] is not None
    second = client.get(first["next"]).json()
    assert [r["url"] for r in first["results"] + second["results"]] == [r["url"] for r in everything[:4]]
