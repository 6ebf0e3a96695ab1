"""Every write route of the application, tried by every kind of caller.

The routes are found by walking the application, so a write route added later is tried too; it
must also be listed in :data:`MIN_ROLE` with the least role that may use it, or the first test
fails and says which route is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from auth_helpers import PASSWORD, log_in, make_user
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from web_seed import SMALL_LIMIT

from peelwatch.config import Settings
from peelwatch.track import ROLES, cli_actor
from peelwatch.track.users import create_token, revoke_token
from peelwatch.web import create_app

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# The least role each write route needs. None: open to anyone, but still CSRF-checked (logging
# in and out). Add every new write route here.
MIN_ROLE: dict[tuple[str, str], str | None] = {
    ("POST", "/api/documents"): "editor",
    ("POST", "/upload"): "editor",
    ("POST", "/users"): "admin",
    ("POST", "/users/{name}/role"): "admin",
    ("POST", "/users/{name}/disable"): "admin",
    ("POST", "/users/{name}/enable"): "admin",
    ("POST", "/tokens"): "admin",
    ("POST", "/tokens/{token_id}/revoke"): "admin",
    ("POST", "/login"): None,
    ("POST", "/logout"): None,
    # Tracking: status, owner, actions, notes and evidence (API and page forms).
    ("POST", "/api/findings/{finding_id}/status"): "editor",
    ("PUT", "/api/findings/{finding_id}/owner"): "editor",
    ("POST", "/api/findings/{finding_id}/actions"): "editor",
    ("PATCH", "/api/actions/{action_id}"): "editor",
    ("POST", "/api/actions/{action_id}/notes"): "editor",
    ("POST", "/api/actions/{action_id}/evidence"): "editor",
    ("POST", "/findings/{finding_id}/status"): "editor",
    ("POST", "/findings/{finding_id}/owner"): "editor",
    ("POST", "/findings/{finding_id}/actions"): "editor",
    ("POST", "/actions/{action_id}/status"): "editor",
    ("POST", "/actions/{action_id}/notes"): "editor",
    ("POST", "/actions/{action_id}/evidence"): "editor",
    # Corrections: correct, take back, add a missed finding (API and page forms).
    ("POST", "/api/corrections"): "editor",
    ("POST", "/api/corrections/{correction_id}/revert"): "editor",
    ("POST", "/api/documents/{document_id}/findings"): "editor",
    ("POST", "/corrections"): "editor",
    ("POST", "/corrections/{correction_id}/revert"): "editor",
    ("POST", "/documents/{document_id}/findings"): "editor",
    # Links: an editor rejects a wrong one, or restores it (API and page forms).
    ("POST", "/api/links/{link_id}/reject"): "editor",
    ("POST", "/api/links/{link_id}/restore"): "editor",
    ("POST", "/links/{link_id}/reject"): "editor",
    ("POST", "/links/{link_id}/restore"): "editor",
}


@dataclass(frozen=True)
class Caller:
    """One way of asking: anonymous, a browser session of a role, a token, a revoked token."""

    label: str
    role: str | None  # None: never allowed anything that needs a role
    cookie: str | None = None
    csrf: str | None = None
    bearer: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        if self.bearer:
            headers["Authorization"] = f"Bearer {self.bearer}"
        return headers


def _walk(routes, prefix: str = "") -> Iterator[tuple[str, str]]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield from ((method, prefix + route.path) for method in route.methods)
        elif hasattr(route, "original_router"):
            # FastAPI keeps an included router as one entry that points at the original router.
            inner = prefix + getattr(getattr(route, "include_context", None), "prefix", "")
            yield from _walk(route.original_router.routes, inner)
        elif hasattr(route, "routes"):  # a mounted sub-application or router
            yield from _walk(route.routes, prefix + getattr(route, "path", ""))


def write_routes(app) -> list[tuple[str, str]]:
    """Every (method, path) of the application that can change something."""
    return sorted({(method, path) for method, path in _walk(app.routes) if method in WRITE_METHODS})


def test_the_walk_finds_the_reading_routes_too(matrix_site) -> None:
    client, _callers = matrix_site
    found = set(_walk(client.app.routes))
    assert {("GET", "/api/findings"), ("GET", "/findings/{finding_id}"), ("GET", "/audit")} <= found


def _url(path: str) -> str:
    # An id nothing has, so an allowed call changes nothing the other calls rely on; the role
    # check comes before the lookup anyway.
    return re.sub(r"\{[^}]+\}", "999999", path)


@pytest.fixture(scope="module")
def matrix_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, list[Caller]]]:
    path: Path = tmp_path_factory.mktemp("matrix") / "m.db"
    app = create_app(Settings(db_url=f"sqlite:///{path}", max_bytes=SMALL_LIMIT))
    with TestClient(app) as client:
        store = app.state.store
        callers = [Caller("anonymous", None)]
        for role in ROLES:
            make_user(client, role, role)
            client.cookies.clear()
            csrf = log_in(client, role)
            callers.append(Caller(f"{role} session", role, client.cookies["peelwatch_session"], csrf))
            _info, secret = create_token(store, cli_actor("t"), role, "script", role)
            callers.append(Caller(f"{role} token", role, bearer=secret))
        revoked, secret = create_token(store, cli_actor("t"), "admin", "old", "admin")
        revoke_token(store, cli_actor("t"), revoked.id)
        callers.append(Caller("revoked admin token", None, bearer=secret))
        client.cookies.clear()
        yield client, callers


def _call(client: TestClient, method: str, path: str, caller: Caller, *, with_csrf: bool = True):
    client.cookies.clear()
    if caller.cookie:
        client.cookies.set("peelwatch_session", caller.cookie)
    headers = (
        caller.headers() if with_csrf else {k: v for k, v in caller.headers().items() if k != "X-CSRF-Token"}
    )
    return client.request(method, _url(path), headers=headers, follow_redirects=False)


def _refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 303 and response.headers["location"].startswith("/login")


def test_every_write_route_is_listed_with_its_least_role(matrix_site) -> None:
    client, _callers = matrix_site
    unlisted = [route for route in write_routes(client.app) if route not in MIN_ROLE]
    assert not unlisted, f"add these write routes to MIN_ROLE with the least role they need: {unlisted}"
    gone = [route for route in MIN_ROLE if route not in write_routes(client.app)]
    assert not gone, f"MIN_ROLE lists routes the application no longer has: {gone}"


def test_only_the_expected_callers_may_write(matrix_site) -> None:
    client, callers = matrix_site
    table = []
    for method, path in write_routes(client.app):
        needed = MIN_ROLE.get((method, path))
        if needed is None:
            continue  # login and logout: see the CSRF test
        for caller in callers:
            response = _call(client, method, path, caller)
            allowed = caller.role is not None and ROLES.index(caller.role) >= ROLES.index(needed)
            table.append((method, path, caller.label, allowed, response.status_code, _refused(response)))
    wrong = [row for row in table if row[3] == row[5]]
    assert not wrong, "\n".join(
        f"{m} {p} as {c}: expected {'allowed' if a else 'refused'}, got {s}" for m, p, c, a, s, _ in wrong
    )
    # The matrix really ran: each write route was tried by all eight callers.
    assert len(table) == 8 * sum(1 for r in write_routes(client.app) if MIN_ROLE.get(r))


def test_every_browser_write_without_its_csrf_token_is_refused(matrix_site) -> None:
    client, _callers = matrix_site
    client.cookies.clear()
    csrf = log_in(client, "admin")  # a session of its own: this test ends it
    admin = Caller("admin session", "admin", client.cookies["peelwatch_session"], csrf)
    # Logging out ends the session the other routes are tried with: try it last.
    routes = sorted(write_routes(client.app), key=lambda r: r == ("POST", "/logout"))
    for method, path in routes:
        response = _call(client, method, path, admin, with_csrf=False)
        assert response.status_code == 403, (
            f"{method} {path} without a CSRF token answered {response.status_code}"
        )
        if not path.startswith("/api/"):
            assert "did not come from this site" in response.text
        else:
            assert response.json()["error"] == "csrf"
        # With the token the same request gets past the check (an empty login still fails: 401).
        with_token = _call(client, method, path, admin)
        assert with_token.status_code != 403, f"{method} {path} with its token answered 403"


def test_the_login_form_without_its_token_is_refused(matrix_site) -> None:
    client, _callers = matrix_site
    client.cookies.clear()
    client.get("/login")
    response = client.post("/login", data={"name": "admin", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/audit", "/api/audit", "/users", "/api/users"])
def test_only_admins_read_the_audit_trail_and_the_users(matrix_site, path: str) -> None:
    client, callers = matrix_site
    for caller in callers:
        response = _call(client, "GET", path, caller)
        if caller.role == "admin":
            assert response.status_code == 200, (caller.label, response.status_code)
        else:
            assert _refused(response), (caller.label, response.status_code)
