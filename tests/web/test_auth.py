"""Logins, roles, CSRF tokens and cross-site refusals of the web application."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import pytest
from auth_helpers import CSRF_INPUT, PASSWORD, log_in, make_user
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


def _whoami_with(client: TestClient, session_cookie: str) -> str | None:
    """Who the site takes a browser sending only ``session_cookie`` for (the client's cookies kept)."""
    kept = dict(client.cookies)
    client.cookies.clear()
    client.cookies.set("peelwatch_session", session_cookie)
    try:
        return client.get("/probe/whoami").json()["name"]
    finally:
        client.cookies.clear()
        for name, value in kept.items():
            client.cookies.set(name, value)


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
    assert _whoami_with(site, stolen) is None


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


# The audit trail over the web --------------------------------------------------------------------


def test_uploads_leave_audit_records_that_admins_can_filter_and_export(site: TestClient) -> None:
    editor = _token(site, "ed", "editor")
    created = site.post(
        "/api/documents",
        files={"file": ("letter.txt", DOC, "text/plain")},
        headers={"Authorization": f"Bearer {editor}"},
    )
    assert created.status_code == 201
    again = site.post(
        "/api/documents",
        files={"file": ("again.txt", DOC, "text/plain")},
        headers={"Authorization": f"Bearer {editor}"},
    )
    assert again.status_code == 200  # the same bytes: nothing changed, nothing to record
    admin = {"Authorization": f"Bearer {_token(site, 'ada', 'admin')}"}
    trail = site.get("/api/audit", params={"entity": "document"}, headers=admin).json()
    assert trail["total"] == 1
    (entry,) = trail["items"]
    assert (entry["user"], entry["role"], entry["via"], entry["action"]) == ("ed", "editor", "api", "upload")
    assert entry["entity_id"] == created.json()["id"]
    assert entry["after"]["source"] == "letter.txt" and entry["before"] is None

    exported = site.get("/api/audit", params={"format": "csv", "action": "upload"}, headers=admin)
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.splitlines()[0] == "id,at,user,role,via,action,entity,entity_id,before,after"
    assert len(exported.text.splitlines()) == 2
    as_json = site.get("/api/audit", params={"format": "json", "user": "ed"}, headers=admin).json()
    assert [e["action"] for e in as_json] == ["upload"]
    assert site.get("/api/audit", params={"user": "nobody"}, headers=admin).json()["total"] == 0


def test_the_audit_page_lists_filters_and_offers_downloads(site: TestClient) -> None:
    token = log_in(site, "ed")
    site.post("/upload", files={"file": ("p.txt", DOC, "text/plain")}, data={"csrf_token": token})
    site.cookies.clear()
    log_in(site, "ada")
    page = site.get("/audit", params={"action": "upload"})
    assert page.status_code == 200
    assert "1 record." in page.text and "p.txt" in page.text
    assert 'href="/audit?action=upload&amp;format=csv"' in page.text
    assert site.get("/audit", params={"action": "upload", "format": "csv"}).text.count("\n") == 2
    assert '<a href="/audit"' in site.get("/").text  # admins see the Audit link


def test_nothing_in_the_application_can_change_the_audit_trail(site: TestClient) -> None:
    admin = {"Authorization": f"Bearer {_token(site, 'ada', 'admin')}"}
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        assert site.request(method, "/api/audit", headers=admin).status_code == 405
        assert site.request(method, "/audit", headers=admin).status_code == 405


# Users and tokens managed in the browser --------------------------------------------------------


def test_an_admin_adds_an_editor_who_can_then_log_in_and_upload(site: TestClient) -> None:
    token = log_in(site, "ada")
    page = site.post(
        "/users", data={"name": "new-ed", "role": "editor", "password": PASSWORD, "csrf_token": token}
    )
    assert page.status_code == 200 and "Added new-ed (editor)." in page.text
    again = site.post(
        "/users", data={"name": "new-ed", "role": "viewer", "password": PASSWORD, "csrf_token": token}
    )
    assert again.status_code == 409 and "exists already" in again.text
    short = site.post(
        "/users", data={"name": "x", "role": "viewer", "password": "short", "csrf_token": token}
    )
    assert short.status_code == 422 and "at least 10 characters" in short.text
    site.cookies.clear()
    editor_token = log_in(site, "new-ed")
    response = site.post(
        "/upload",
        files={"file": ("a.txt", DOC, "text/plain")},
        data={"csrf_token": editor_token},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_an_admin_changes_roles_disables_and_issues_and_revokes_tokens(site: TestClient) -> None:
    token = log_in(site, "ada")
    assert (
        "ed is now viewer." in site.post("/users/ed/role", data={"role": "viewer", "csrf_token": token}).text
    )
    assert "vera is disabled." in site.post("/users/vera/disable", data={"csrf_token": token}).text
    issued = site.post(
        "/tokens", data={"user": "ed", "name": "nightly", "role": "editor", "csrf_token": token}
    )
    assert issued.headers["cache-control"] == "no-store"
    secret = re.search(r'<code id="new-token">([^<]+)</code>', issued.text).group(1)
    bearer = {"Authorization": f"Bearer {secret}"}
    # ed is a viewer now, so the editor token acts as a viewer.
    assert (
        site.post("/api/documents", files={"file": ("a.txt", DOC, "text/plain")}, headers=bearer).status_code
        == 403
    )
    users = site.get("/api/users").json()
    (listed,) = [t for t in users["tokens"] if t["name"] == "nightly"]
    assert "secret" not in listed and secret not in json.dumps(users)
    assert (
        f"Token {listed['id']} is revoked."
        in site.post(f"/tokens/{listed['id']}/revoke", data={"csrf_token": token}).text
    )
    assert site.get("/api/documents", headers=bearer).status_code == 200  # reading is public
    assert site.post("/api/documents", headers=bearer).status_code == 401
    assert site.post("/users/nobody/disable", data={"csrf_token": token}).status_code == 404
    actions = [e["action"] for e in site.get("/api/audit", params={"entity": "user"}).json()["items"]]
    assert actions[:2] == ["disable", "set_role"]


def test_logging_in_again_ends_the_previous_session(site: TestClient) -> None:
    log_in(site, "ed")
    first = site.cookies["peelwatch_session"]
    log_in(site, "ada")
    assert site.cookies["peelwatch_session"] != first
    assert _whoami_with(site, first) is None
    assert site.get("/probe/whoami").json()["name"] == "ada"


def test_cookies_can_be_marked_secure_behind_a_proxy_that_hides_https(tmp_path: Path) -> None:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 's.db'}", secure_cookies=True))
    with TestClient(app) as client:  # plain http, as a TLS-terminating proxy would forward it
        make_user(client, "ed", "editor")
        page = client.get("/login")
        assert "secure" in page.headers["set-cookie"].lower()
        token = CSRF_INPUT.search(page.text).group(1)
        client.cookies.set("peelwatch_csrf", token)  # the browser behind the proxy sees https and keeps it
        response = client.post(
            "/login", data={"name": "ed", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
        )
        assert "secure" in {part.strip().lower() for part in response.headers["set-cookie"].split(";")}
