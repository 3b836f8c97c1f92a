"""Sessions end on the server: a copied cookie is refused after logout, after the user is
disabled and after their password changes (issue 14, item 2). Over a real uvicorn server."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote_plus

import httpx
import pytest

from backoffice.ledger.events import iter_events
from backoffice.web.security import SESSION_COOKIE
from tests.web.conftest import PASSWORD, LiveServer, WebEnv, csrf_of


@pytest.fixture
def server(web_env: WebEnv) -> Iterator[str]:
    with LiveServer(web_env.app) as live:
        yield live.url


def signed_in(url: str, name: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
    """A client signed in as ``name`` and the CSRF token of its session."""
    client = httpx.Client(base_url=url, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": name, "password": password,
                                           "csrf_token": token, "next": "/runs"})
    assert response.status_code == 303, response.text
    return client, csrf_of(client.get("/runs").text)


def copy_of(client: httpx.Client, url: str) -> httpx.Client:
    """Another client holding the same session cookie (as if it were stolen)."""
    copy = httpx.Client(base_url=url, follow_redirects=False)
    copy.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE])
    return copy


def refused(client: httpx.Client) -> bool:
    response = client.get("/runs")
    return response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_copied_cookie_stops_working_after_logout(web_env: WebEnv, server: str):
    client, csrf = signed_in(server, "olli")
    copy = copy_of(client, server)
    assert copy.get("/runs").status_code == 200  # the copy works while the session is open
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert refused(copy)
    # Not even a post with the session's own CSRF token gets through.
    assert copy.post("/workflows/file-digest/run", data={"csrf_token": csrf}).status_code == 401
    assert web_env.ledger.open_sessions("olli") == 0
    with web_env.ledger.reading() as conn:
        (logout,) = iter_events(conn, kind="user.logout")
    assert logout.actor == "olli" and logout.payload == {"sessions_ended": 1}


def test_disabling_a_user_ends_their_sessions_for_good(web_env: WebEnv, server: str):
    client, _ = signed_in(server, "olli")
    admin, csrf = signed_in(server, "ada")
    assert admin.post("/users/olli/disable", data={"csrf_token": csrf}).status_code == 303
    assert refused(client)
    assert admin.post("/users/olli/enable", data={"csrf_token": csrf}).status_code == 303
    assert refused(client)  # enabled again, but the old session stays ended
    signed_in(server, "olli")  # a new sign-in works


def test_a_password_change_ends_every_other_session(web_env: WebEnv, server: str):
    olli, _ = signed_in(server, "olli")
    first, csrf = signed_in(server, "ada")
    second, _ = signed_in(server, "ada")
    response = first.post("/users/ada/password",
                          data={"csrf_token": csrf, "password": "a-brand-new-pw"})
    assert response.status_code == 303
    assert first.get("/runs").status_code == 200  # the session the change was made in stays
    assert refused(second)
    assert olli.get("/runs").status_code == 200  # other users are untouched
    response = first.post("/users/olli/password",
                          data={"csrf_token": csrf, "password": "olli-new-pass"})
    assert "1 session(s) ended" in unquote_plus(response.headers["location"])
    assert refused(olli)
    signed_in(server, "olli", "olli-new-pass")
