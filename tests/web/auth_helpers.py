"""Helpers of the web tests that need a user: make one, log in through the form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_user(client: TestClient, name: str, role: str, password: str = PASSWORD) -> None:
    """Add a user to the database behind ``client`` (as the command line would)."""
    from peelwatch.track import cli_actor
    from peelwatch.track.users import create_user

    create_user(client.app.state.store, cli_actor("test-setup"), name, role, password)


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log ``client`` in through the login form; returns the session's CSRF token."""
    page = client.get("/login")
    token = CSRF_INPUT.search(page.text).group(1)
    response = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return CSRF_INPUT.search(client.get("/logout").text).group(1)


def editor_client(client: TestClient, name: str = "ed") -> TestClient:
    """Make ``client`` a logged-in editor whose requests carry the session's CSRF token."""
    make_user(client, name, "editor")
    client.headers["X-CSRF-Token"] = log_in(client, name)
    return client
