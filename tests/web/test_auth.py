"""Logins, roles, CSRF tokens and cross-site refusals of the web application."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import pytest
from conftest import CSRF_INPUT, PASSWORD, log_in, make_user
from fastapi import Depends, Request
from fastapi.testclient import TestClient
from web_seed import FIXTURES, SMALL_LIMIT

from peelwatch.config import Settings
from peelwatch.track import Actor, cli_actor
from peelwatch.track.users import create_token, revoke_token
from peelwatch.web import create_app
from peelwatch.web.auth import CsrfDep, current_actor, require_role

DOC = (FIXTURES / "kent-pcc-response-2023-25.txt").read_bytes()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[TestClient]:
    """An app with three users and two probe routes that show what the auth interface gives."""
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'auth.db'}", max_bytes=SMALL_LIMIT))

    @app.get("/probe/whoami")
    async def whoami(request: Request) -> dict[str, str | None]:
        actor = current_actor(request)
        return {"name": actor.name if actor else None, "via": actor.via if actor else None}

    @app.post("/probe/edit")
    async def edit(actor: Annotated[Actor, Depends(require_role("editor"))]) -> dict[str, str]:
        return {"by": actor.name, "role": actor.role}

    @app.post("/probe/form")
    async def form(_csrf: CsrfDep) -> dict[str, bool]:
        return {"ok": True}

    with TestClient(app) as client:
        for name, role in (("vera", "viewer"), ("ed", "editor"), ("ada", "admin")):
            make_user(client, name, role)
        yield client


def _token(client: TestClient, user: str, role: str) -> str:
    _info, secret = create_token(client.app.state.store, cli_actor("t"), user, "script", role)
    return secret


def test_anonymous_is_nobody_and_a_login_makes_the_actor(site: TestClient) -> None:
    assert site.get("/probe/whoami").json() == {"name": None, "via": None}
    log_in(site, "ed")
    assert site.get("/probe/whoami").json() == {"name": "ed", "via": "web"}


def test_a_bearer_token_makes_an_api_actor(site: TestClient) -> None:
    secret = _token(site, "ed", "editor")
    answer = site.get("/probe/whoami", headers={"Authorization": f"Bearer {secret}"}).json()
    assert answer == {"name": "ed", "via": "api"}  # a token is a script, wherever it asks
    assert site.post("/probe/edit", headers={"Authorization": f"Bearer {secret}"}).json() == {
        "by": "ed",
        "role": "editor",
    }


def test_require_role_refuses_anonymous_with_401_and_a_low_role_with_403(site: TestClient) -> None:
    anonymous = site.post("/api/documents", files={"file": ("a.txt", DOC, "text/plain")})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"] == "not_logged_in"
    assert anonymous.headers["www-authenticate"] == "Bearer"
    viewer = _token(site, "vera", "viewer")
    low = site.post(
        "/api/documents",
        files={"file": ("a.txt", DOC, "text/plain")},
        headers={"Authorization": f"Bearer {viewer}"},
    )
    assert low.status_code == 403
    assert low.json() == {
        "error": "forbidden",
        "status": 403,
        "message": "vera is a viewer; this needs the editor role",
    }


def test_an_anonymous_page_write_is_sent_to_the_login_page(site: TestClient) -> None:
    response = site.post(
        "/upload",
        files={"file": ("a.txt", DOC, "text/plain")},
        headers={"Referer": "http://testserver/upload"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/upload"


def test_a_token_acts_no_higher_than_its_user_and_revoked_tokens_are_refused(site: TestClient) -> None:
    store = site.app.state.store
    info, secret = create_token(store, cli_actor("t"), "vera", "admin-wish", "admin")
    auth = {"Authorization": f"Bearer {secret}"}
    assert site.post("/probe/edit", headers=auth).status_code == 403  # vera is only a viewer
    editor_info, editor_secret = create_token(store, cli_actor("t"), "ed", "ci", "editor")
    assert site.post("/probe/edit", headers={"Authorization": f"Bearer {editor_secret}"}).status_code == 200
    revoke_token(store, cli_actor("t"), editor_info.id)
    refused = site.post("/api/documents", headers={"Authorization": f"Bearer {editor_secret}"})
    assert refused.status_code == 401
    assert "revoked" in refused.json()["message"]
    assert info.role == "admin"


def test_a_session_write_needs_its_csrf_token(site: TestClient) -> None:
    token = log_in(site, "ed")
    assert site.post("/probe/edit").status_code == 403
    assert "did not come from this site" in site.post("/probe/edit").text
    assert site.post("/probe/edit", headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert site.post("/probe/edit", headers={"X-CSRF-Token": token}).json() == {"by": "ed", "role": "editor"}
    assert site.post("/probe/form", data={"csrf_token": token}).json() == {"ok": True}
    assert site.post("/probe/form", data={"csrf_token": "x" + token}).status_code == 403


def test_the_login_form_itself_needs_its_token(site: TestClient) -> None:
    site.get("/login")
    response = site.post("/login", data={"name": "ed", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403
    assert "peelwatch_session" not in response.cookies


def test_the_page_upload_works_for_a_logged_in_editor_with_the_form_token(site: TestClient) -> None:
    log_in(site, "ed")
    page = site.get("/upload")
    token = CSRF_INPUT.search(page.text).group(1)
    without = site.post("/upload", files={"file": ("a.txt", DOC, "text/plain")}, follow_redirects=False)
    assert without.status_code == 403
    response = site.post(
        "/upload",
        files={"file": ("a.txt", DOC, "text/plain")},
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/documents/")


def test_session_cookie_flags_over_http(site: TestClient) -> None:
    site.get("/login")
    token = site.cookies["peelwatch_csrf"]
    response = site.post(
        "/login", data={"name": "ed", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("peelwatch_session=")
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=lax", "path=/"} <= flags
    assert "secure" not in flags
    assert "max-age=43200" in flags


def test_session_cookie_is_secure_over_https(tmp_path: Path) -> None:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 's.db'}"))
    with TestClient(app, base_url="https://testserver") as client:
        make_user(client, "ed", "editor")
        page = client.get("/login")
        assert "secure" in page.headers["set-cookie"].lower()  # the pre-login CSRF cookie too
        token = CSRF_INPUT.search(page.text).group(1)
        response = client.post(
            "/login", data={"name": "ed", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
        )
        flags = {part.strip().lower() for part in response.headers["set-cookie"].split(";")}
        assert {"httponly", "samesite=lax", "secure"} <= flags


def test_logout_ends_the_session_on_the_server(site: TestClient) -> None:
    token = log_in(site, "ed")
    stolen = site.cookies["peelwatch_session"]
    response = site.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert site.get("/probe/whoami").json()["name"] is None
    # The old cookie, replayed, is worth nothing once logged out.
    assert site.get("/probe/whoami", cookies={"peelwatch_session": stolen}).json()["name"] is None


def test_a_wrong_password_is_refused_in_the_page(site: TestClient) -> None:
    page = site.get("/login")
    token = CSRF_INPUT.search(page.text).group(1)
    response = site.post("/login", data={"name": "ed", "password": "not it at all", "csrf_token": token})
    assert response.status_code == 401
    assert "wrong name or password" in response.text
    assert "peelwatch_session" not in response.cookies


def test_logins_are_rate_limited_per_account(site: TestClient) -> None:
    page = site.get("/login")
    token = CSRF_INPUT.search(page.text).group(1)
    limit = site.app.state.settings.login_limits.per_account
    for _ in range(limit):
        bad = site.post("/login", data={"name": "ed", "password": "guess-guess", "csrf_token": token})
        assert bad.status_code == 401
    # Now even the right password waits: the guesser cannot tell when they hit it.
    throttled = site.post("/login", data={"name": "ed", "password": PASSWORD, "csrf_token": token})
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0


def test_the_next_parameter_never_leaves_the_site(site: TestClient) -> None:
    page = site.get("/login", params={"next": "//evil.example/x"})
    assert 'name="next" value="/"' in page.text
    token = CSRF_INPUT.search(page.text).group(1)
    response = site.post(
        "/login",
        data={"name": "ed", "password": PASSWORD, "csrf_token": token, "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


# Cross-site writes (a page elsewhere auto-submitting a form here) ----------------------------------


def _count_documents(client: TestClient) -> int:
    return client.get("/api/documents").json()["total"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.testserver"},
    ],
    ids=["foreign-origin", "null-origin", "fetch-cross-site", "fetch-same-site"],
)
def test_a_cross_site_post_is_refused_and_stores_nothing(site: TestClient, headers: dict[str, str]) -> None:
    token = log_in(site, "ed")  # even a logged-in editor's browser, with a valid token
    before = _count_documents(site)
    response = site.post(
        "/upload", files={"file": ("x.txt", DOC, "text/plain")}, data={"csrf_token": token}, headers=headers
    )
    assert response.status_code == 403
    assert "another site" in response.text
    api = site.post("/api/documents", files={"file": ("x.txt", DOC, "text/plain")}, headers=headers)
    assert api.status_code == 403 and api.json()["error"] == "cross_site"
    assert _count_documents(site) == before


def test_a_same_site_form_and_an_api_client_still_work(site: TestClient) -> None:
    token = log_in(site, "ed")
    same_site = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    response = site.post(
        "/upload",
        files={"file": ("x.txt", DOC, "text/plain")},
        data={"csrf_token": token},
        headers=same_site,
        follow_redirects=False,
    )
    assert response.status_code == 303
    site.cookies.clear()
    script = _token(site, "ed", "editor")
    copy = DOC + b"\nA second copy.\n"
    api = site.post(
        "/api/documents",
        files={"file": ("y.txt", copy, "text/plain")},
        headers={"Authorization": f"Bearer {script}"},
    )
    assert api.status_code == 201, api.text


def test_reading_stays_open_to_anonymous_visitors_of_a_public_instance(site: TestClient) -> None:
    assert site.get("/api/documents").status_code == 200
    assert site.get("/findings").status_code == 200


def test_a_private_instance_asks_anonymous_visitors_to_log_in(tmp_path: Path) -> None:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'p.db'}", public=False))
    with TestClient(app) as client:
        make_user(client, "vera", "viewer")
        assert client.get("/api/documents").status_code == 401
        page = client.get("/findings", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login?next=/findings"
        assert client.get("/login").status_code == 200
        log_in(client, "vera")
        assert client.get("/api/documents").status_code == 200


def test_openapi_declares_the_session_cookie_and_bearer_schemes(site: TestClient) -> None:
    schema = site.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["HTTPBearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token made with `peelwatch tokens add`",
    }
    assert (
        schemes["APIKeyCookie"]["in"] == "cookie" and schemes["APIKeyCookie"]["name"] == "peelwatch_session"
    )
    upload = schema["paths"]["/api/documents"]["post"]
    assert {"HTTPBearer": []} in upload["security"] and {"APIKeyCookie": []} in upload["security"]
