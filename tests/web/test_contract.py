"""What every route promises: a response schema in OpenAPI, HEAD beside GET, links named ``url``,
ids too large for the database answered as unknown ids (also over a real kept-alive connection)."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from web_seed import Seeded

HUGE_IDS = ["9223372036854775808", "99999999999999999999", str(2**64), "-9223372036854775809"]


def _routes(routes: list[Any]) -> Iterator[Any]:
    """Every route of the app, looking inside included routers (newer FastAPI keeps them apart)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        else:
            yield route


def _paths(client: TestClient, ids: Seeded) -> list[str]:
    """Every GET route of the app with its path parameters filled in with real values."""
    finding = client.get("/api/findings", params={"limit": 1}).json()["items"][0]["id"]
    document = next(iter(ids.documents.values()))
    values = {"slug": "kent", "finding_id": str(finding), "document_id": str(document)}
    paths = []
    for route in _routes(client.app.routes):  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and "GET" in route.methods:
            path = route.path
            for name, value in values.items():
                path = path.replace("{" + name + "}", value)
            assert "{" not in path, f"no value for a parameter of {route.path}"
            paths.append(path + ("?q=force" if path.endswith("/search") else ""))
    assert len(paths) > 20, "the routes were found"
    return [*paths, "/openapi.json"]


# --------------------------------------------------------------------------- OpenAPI


def test_every_api_route_declares_the_schema_of_its_success_answer(client: TestClient) -> None:
    schema = client.app.openapi()  # type: ignore[attr-defined]
    missing = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            success = [code for code in op["responses"] if code.startswith("2")]
            assert success, f"{method.upper()} {path} declares no success answer"
            for code in success:
                content = op["responses"][code].get("content", {})
                # JSON, or for a download its file types; an empty schema ({}), FastAPI's default
                # for a route returning a Response, says nothing.
                if not content or any(not c.get("schema") for c in content.values()):
                    missing.append(f"{method.upper()} {path} {code}")
    assert not missing, f"routes without a response schema: {missing}"


def test_list_routes_document_csv_sort_and_format(client: TestClient) -> None:
    schema = client.app.openapi()  # type: ignore[attr-defined]
    for path in ("/api/findings", "/api/documents", "/api/judgments", "/api/search", "/api/forces"):
        op = schema["paths"][path]["get"]
        assert "text/csv" in op["responses"]["200"]["content"], path
        names = {p["name"] for p in op["parameters"]}
        assert {"sort", "format"} <= names, path
    page = schema["components"]["schemas"]["ListPage_FindingItem_"]
    assert {"items", "total", "next", "previous"} <= set(page["properties"])


# --------------------------------------------------------------------------- HEAD, favicon, docs


def test_every_get_route_answers_head_with_the_headers_and_no_body(client: TestClient, ids: Seeded) -> None:
    for path in [*_paths(client, ids), "/static/favicon.svg"]:
        get = client.get(path, follow_redirects=False)
        head = client.head(path, follow_redirects=False)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == get.headers.get("content-type"), path
        if "content-length" in get.headers:
            assert head.headers["content-length"] == get.headers["content-length"], path


def test_head_of_the_home_page_is_200_for_uptime_monitors(client: TestClient) -> None:
    assert client.head("/").status_code == 200
    assert client.head("/api/findings?format=csv").headers["content-type"].startswith("text/csv")


def test_favicon_ico_is_the_site_icon(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.content == client.get("/static/favicon.svg").content
    # Asked for by every first visit and every uptime check: browsers may keep it a day.
    assert response.headers["cache-control"] == "public, max-age=86400"
    assert client.head("/favicon.ico").status_code == 200


def test_the_api_documentation_page_has_the_site_header(client: TestClient) -> None:
    html = client.get("/docs").text
    assert 'class="site-header"' in html and 'aria-label="Main"' in html
    assert '<a href="/docs" aria-current="page">API</a>' in html
    assert 'id="swagger-ui"' in html and "swagger-ui-bundle.js" in html


# --------------------------------------------------------------------------- links are "url"


def _walk(value: Any, where: str, found: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("href", "link", "links", "page"):
                if isinstance(item, str):
                    found.append(f"{where}.{key}")
            elif (
                isinstance(item, str)
                and item.startswith(("/findings", "/documents", "/forces", "/api/"))
                and key not in ("url", "next", "previous")
                and not key.endswith("_url")
            ):
                found.append(f"{where}.{key}")
            _walk(item, f"{where}.{key}", found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, f"{where}[]", found)


def test_every_link_in_the_api_is_named_url(client: TestClient, ids: Seeded) -> None:
    found: list[str] = []
    paths = [p for p in _paths(client, ids) if p.startswith("/api/")]
    paths += ["/api/judgments?claims=true", "/api/grades?cycle=2021/22"]
    for path in paths:
        body = client.get(path).json()
        _walk(body, path, found)
    assert not found, f"links under another name: {found}"


# --------------------------------------------------------------------------- ids past 64 bits


ID_ROUTES = ["/api/findings/{}", "/api/documents/{}", "/findings/{}", "/documents/{}"]
# Routes with an id that show tracking data, which needs a login (tried as a logged-in editor).
LOGIN_ID_ROUTES = [
    "/api/findings/{}/tracking",
    "/findings/{}/tracking",
    "/api/documents/{}/response-letter",
    "/documents/{}/response-letter",
]


@pytest.mark.parametrize("route", ID_ROUTES)
def test_an_id_too_large_for_the_database_is_not_found(client: TestClient, route: str) -> None:
    for value in HUGE_IDS:
        response = client.get(route.format(value))
        assert response.status_code == 404, (route, value, response.text[:200])
        if route.startswith("/api/"):
            assert response.json()["error"] == "not_found"


@pytest.mark.parametrize("route", LOGIN_ID_ROUTES)
def test_an_id_too_large_is_not_found_behind_a_login_too(fresh_client: TestClient, route: str) -> None:
    for value in HUGE_IDS:
        response = fresh_client.get(route.format(value))
        assert response.status_code == 404, (route, value, response.text[:200])


def test_every_route_with_an_id_is_covered(client: TestClient) -> None:
    with_ids = {
        r.path.replace("{finding_id}", "{}").replace("{document_id}", "{}")
        for r in _routes(client.app.routes)  # type: ignore[attr-defined]
        if isinstance(r, APIRoute) and "_id}" in r.path and "GET" in r.methods
    }
    assert with_ids == set(ID_ROUTES) | set(LOGIN_ID_ROUTES)


@pytest.fixture(scope="module")
def live(seeded_db: tuple[str, Seeded]) -> Iterator[int]:
    """``peelwatch serve`` over the seeded database, as a separate process."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "peelwatch", "serve", "--db", seeded_db[0], "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_huge_ids_over_one_kept_alive_connection_are_404_and_keep_it_open(live: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", live, timeout=10)
    try:
        conn.request("GET", "/api/forces")
        first = conn.getresponse()
        first.read()
        assert first.status == 200
        sock = conn.sock
        for value in HUGE_IDS:
            for route in ID_ROUTES:
                conn.request("GET", route.format(value))
                response = conn.getresponse()
                response.read()
                assert response.status == 404, (route, value)
                assert response.getheader("connection", "").lower() != "close"
                assert conn.sock is sock, "the server closed the connection"
        conn.request("HEAD", "/")
        head = conn.getresponse()
        assert head.status == 200 and head.read() == b""
        conn.request("GET", "/api/findings?limit=1")
        after = conn.getresponse()
        assert after.status == 200 and after.read()
        assert conn.sock is sock
    finally:
        conn.close()
