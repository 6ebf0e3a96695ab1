"""The server-rendered pages: content, escaping, error pages and the upload form without script."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web_seed import FIXTURES, XSS_IMG, XSS_LINK, XSS_SCRIPT, Seeded

from peelwatch.web.highlight import Mark, pieces


def _page(client: TestClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_matrix_page_shows_grades_in_words_and_the_warning(client: TestClient) -> None:
    html = _page(client, "/")
    assert "National grades, PEEL 2023–25" in html
    assert "not directly comparable" in html
    assert "5-tier scale" in html
    assert 'class="grade g-inadequate" href="/documents/' in html
    assert ">Inadequate</a>" in html  # the words, not only the colour
    assert "South East" in html  # grouped by region


def test_matrix_page_heads_columns_with_framework_labels(client: TestClient) -> None:
    html = _page(client, "/?cycle=2023-25")
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert "PEEL 2023–25 framework" in head and "Other subjects, as written in the reports" in head
    # the framework's column labels, with the cycle's full wording on hover
    assert ">Workforce</a>" in head
    assert 'title="Building, supporting and protecting the workforce"' in head
    assert head.index(">Public treatment<") < head.index(">Leadership<")


def test_finding_page_names_the_responding_document(client: TestClient) -> None:
    afi = client.get("/api/findings", params={"q": "emergency calls"}).json()["items"][0]
    html = _page(client, f"/findings/{afi['id']}")
    responses = html.split('id="responses-heading"')[1]
    assert "Commissioner&#39;s response to the PEEL 2023–25 inspection of Kent Police</a>" in responses


def test_matrix_page_four_tier_cycle(client: TestClient) -> None:
    html = _page(client, "/?cycle=2016")
    assert (
        "4-tier scale" in html and "g-adequate" not in html.split("Grade scale of 2016")[1].split("</ul>")[0]
    )


def test_force_page_has_chart_data_tables_and_claims(client: TestClient) -> None:
    html = _page(client, "/forces/kent")
    assert '<canvas id="grade-chart"' in html and 'id="grade-chart-data"' in html
    assert "/static/vendor/chart.umd.min.js" in html
    assert "PEEL 2021/22" in html and "PEEL 2023–25" in html
    assert "by Commissioner&#39;s response" in html  # the claim beside the inspectorate's grade
    assert "Findings by type and status" in html


def test_finding_page_highlights_each_mention(client: TestClient) -> None:
    afi = client.get("/api/findings", params={"q": "emergency calls"}).json()["items"][0]
    html = _page(client, f"/findings/{afi['id']}")
    assert html.count("<mark>The force should make sure that it answers emergency calls") == 2
    assert "superintendent" in html  # the commissioner's response


def test_document_page_highlights_every_fact_with_links(client: TestClient, ids: Seeded) -> None:
    html = _page(client, f"/documents/{ids.documents['report_2023']}")
    assert html.count('class="hl hl-judgment"') == 8
    assert html.count('class="hl hl-finding"') == 3
    assert re.search(r'<a class="hl hl-finding" href="/findings/\d+" id="finding-\d+"', html)
    assert 'href="#j-' in html and 'id="j-' in html


def test_search_page_marks_hits(client: TestClient) -> None:
    html = _page(client, "/search?q=missing")
    assert '<mark class="hit">missing</mark>' in html
    assert "result" in html
    assert "Type some words" in _page(client, "/search")


def test_list_pages(client: TestClient) -> None:
    assert "Kent Police" in _page(client, "/forces")
    assert "finding" in _page(client, "/findings?force=kent&type=")
    assert "4 documents" in _page(client, "/documents")
    partial = client.get("/findings?force=kent", headers={"HX-Request": "true"}).text
    assert "<html" not in partial and "finding" in partial


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/forces/kentt", 404, "Kent Police"),
        ("/findings/999999", 404, "no finding"),
        ("/documents/999999", 404, "no document"),
        ("/findings?type=wish", 422, "type must be one of"),
        ("/findings?limit=0", 422, "limit"),
        ("/?cycle=1990", 422, "unknown cycle"),
        ("/no/such/page", 404, "no page"),
    ],
)
def test_error_pages_are_html_in_plain_words(client: TestClient, path: str, status: int, words: str) -> None:
    html = _page(client, path, status)
    assert words in html and "Traceback" not in html


@pytest.mark.parametrize("path", ["/", "/forces/essex", "/findings", "/documents", "/search?q=force+stop"])
def test_hostile_text_is_escaped_on_every_page(client: TestClient, ids: Seeded, path: str) -> None:
    html = _page(client, path)
    _assert_inert(html)


def test_hostile_text_is_escaped_on_document_finding_and_search_pages(
    client: TestClient, ids: Seeded
) -> None:
    doc = client.get(f"/api/documents/{ids.documents['xss']}").json()
    pages = [f"/documents/{ids.documents['xss']}", "/search?q=window", "/search?q=javascript"]
    pages += [f"/findings/{f['finding_id']}" for f in doc["findings"]]
    for path in pages:
        html = _page(client, path)
        _assert_inert(html)
    html = _page(client, f"/documents/{ids.documents['xss']}")
    assert "&lt;script&gt;window.__xss = 1" in html
    assert "&#34;&gt;&lt;img src=x onerror=" in html or "&quot;&gt;&lt;img src=x onerror=" in html


def _assert_inert(html: str) -> None:
    for raw in (XSS_SCRIPT, XSS_IMG, XSS_LINK, "<script>window.__xss"):
        assert raw not in html
    assert not re.search(r"<img[^>]*onerror", html)
    assert 'href="javascript:' not in html.lower()
    # The only scripts are our own files.
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag


def test_pieces_split_nested_and_overlapping_spans() -> None:
    text = "abcdefghij"
    marks = [
        Mark("finding", 0, 6, "finding-1", "/findings/1"),
        Mark("judgment", 2, 4, "judgment-1", "#j-1"),
        Mark("response", 5, 9, "response-1", "#r-1"),
        Mark("judgment", 8, 40, "judgment-2", "#j-2"),  # runs past the end: clipped
        Mark("judgment", 7, 3, "judgment-3", "#j-3"),  # empty: dropped
    ]
    got = [(p.text, p.top.anchor if p.top else None, p.anchors) for p in pieces(text, marks)]
    assert "".join(t for t, _a, _n in got) == text
    assert got[0] == ("ab", "finding-1", ["finding-1"])
    assert got[1] == ("cd", "judgment-1", ["judgment-1"])
    assert ("f", "response-1", ["response-1"]) in got  # the shorter span wins the click
    assert got[-1] == ("j", "judgment-2", [])


def test_upload_form_without_script_redirects_to_the_document(fresh_client: TestClient) -> None:
    data = (FIXTURES / "kent-pcc-response-2023-25.txt").read_bytes()
    response = fresh_client.post(
        "/upload", files={"file": ("letter.txt", data, "text/plain")}, follow_redirects=False
    )
    assert response.status_code == 303
    assert re.fullmatch(r"/documents/\d+", response.headers["location"])


def test_upload_form_explains_failures_in_plain_words(fresh_client: TestClient) -> None:
    response = fresh_client.post(
        "/upload", files={"file": ("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")}
    )
    assert response.status_code == 415
    assert "The file was not added." in response.text
    big = b"word " * 2000
    response = fresh_client.post("/upload", files={"file": ("big.txt", big, "text/plain")})
    assert response.status_code == 413 and "upload limit" in response.text


def test_upload_form_with_a_huge_body_gets_a_page_not_json(fresh_client: TestClient) -> None:
    huge = b"x" * 200_000
    response = fresh_client.post(
        "/upload", content=huge, headers={"content-type": "multipart/form-data; boundary=zzz"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "The file was not added" in response.text and "upload limit" in response.text
