"""Every route with every role (and with none), and every form post with a missing or bad
CSRF token, through FastAPI's TestClient over the real app and a real SQLite ledger."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from backoffice.engine import Engine
from backoffice.ledger.events import iter_events
from backoffice.ledger.schema import events
from backoffice.states import ItemState
from backoffice.web.auth import api_routes, unguarded_routes
from backoffice.web.users import Role
from tests.web.conftest import ROLE_USER, WebEnv, login, write_texts

ANON = None
ALL_ROLES = [ANON, Role.AUDITOR, Role.REVIEWER, Role.OPERATOR, Role.ADMIN]


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # {run} and {item} are filled in from the seeded run
    allowed: frozenset[Role]
    data: tuple[tuple[str, str], ...] = ()


READERS = frozenset(Role)
RUNNERS = frozenset({Role.OPERATOR, Role.ADMIN})
REVIEWERS = frozenset({Role.REVIEWER, Role.OPERATOR, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})

CASES = [
    Case("GET", "/", READERS),
    Case("GET", "/runs", READERS),
    Case("GET", "/runs/{run}", READERS),
    Case("GET", "/runs/{run}/log", READERS),
    Case("GET", "/runs/{run}/evidence/{item}/screen.png", READERS),
    Case("GET", "/workflows", READERS),
    Case("GET", "/review", READERS),
    Case("GET", "/review/{item}", READERS),
    Case("GET", "/items/{item}/files/0", READERS),
    Case("GET", "/roi", READERS),
    Case("GET", "/roi/report", READERS),
    Case("GET", "/audit", READERS),
    Case("GET", "/users", ADMINS),
    Case("POST", "/workflows/file-digest/run", RUNNERS),
    Case("POST", "/review/{item}/validate", REVIEWERS),
    Case("POST", "/review/{item}/approve", REVIEWERS),
    Case("POST", "/review/{item}/reject", REVIEWERS, (("reason", "not ours"),)),
    Case("POST", "/audit/verify", READERS),
    Case("POST", "/audit/export", READERS, (("run_id", "{run}"),)),
    Case("POST", "/users", ADMINS,
         (("username", "newbie"), ("role", "auditor"), ("password", "a-long-password"))),
    Case("POST", "/users/aino/disable", ADMINS),
    Case("POST", "/users/aino/enable", ADMINS),
    Case("POST", "/users/aino/role", ADMINS, (("role", "reviewer"),)),
    Case("POST", "/users/aino/password", ADMINS, (("password", "another-long-pw"),)),
    Case("POST", "/logout", READERS),
]


@dataclass
class Seeded:
    env: WebEnv
    client: TestClient
    run: str
    item: str

    def fill(self, text: str) -> str:
        return text.replace("{run}", self.run).replace("{item}", self.item)

    def event_count(self) -> int:
        with self.env.ledger.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(events)).scalar_one())


@pytest.fixture
def seeded(web_env: WebEnv) -> Iterator[Seeded]:
    """A run of file-digest with one item DONE and one (an empty file) in REVIEW, and a
    screenshot in the review item's evidence folder."""
    paths = write_texts(web_env.settings.inputs / "files", {"a.txt": "alpha\n", "b.txt": ""})
    run = Engine(web_env.settings, web_env.ledger, web_env.registry).run("file-digest",
                                                                         inputs=paths)
    (item,) = web_env.ledger.items(run.id, states=[ItemState.REVIEW])
    shots = web_env.settings.run_dir(run.id) / "evidence" / item.id
    shots.mkdir(parents=True)
    (shots / "screen.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with TestClient(web_env.app, base_url="http://127.0.0.1") as client:
        yield Seeded(web_env, client, run.id, item.id)


def test_the_cases_cover_every_route_of_the_app(web_env: WebEnv):
    routes = {
        (method, route.path)
        for route in api_routes(web_env.app.routes)
        if route.path not in ("/login", "/healthz")
        for method in route.methods
    }
    covered = {(c.method, c.path.replace("{run}", "{run_id}").replace("{item}", "{item_id}")
                .replace("screen.png", "{name}").replace("file-digest", "{name}")
                .replace("files/0", "files/{n}").replace("/users/aino/", "/users/{name}/"))
               for c in CASES}
    assert routes == covered


def test_a_route_without_a_role_check_is_found(web_env: WebEnv):
    assert unguarded_routes(web_env.app) == []

    @web_env.app.get("/forgotten")
    def forgotten() -> dict[str, str]:
        return {"secret": "data"}

    assert unguarded_routes(web_env.app) == ["['GET'] /forgotten"]


@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_route_answers_each_role_as_its_permissions_say(seeded: Seeded, case: Case,
                                                        role: Role | None):
    client = seeded.client
    token = login(client, ROLE_USER[role]) if role else "no-session-no-token"
    before = seeded.event_count()
    path = seeded.fill(case.path)
    if case.method == "GET":
        response = client.get(path, follow_redirects=False)
    else:
        data = {k: seeded.fill(v) for k, v in case.data} | {"csrf_token": token}
        response = client.post(path, data=data, follow_redirects=False)

    if role is None:
        expected = 303 if case.method == "GET" else 401
        assert response.status_code == expected, response.text
        if case.method == "GET":
            assert response.headers["location"].startswith("/login?next=")
    elif role in case.allowed:
        assert response.status_code in (200, 303), response.text
        if case.method == "POST" and case.path != "/review/{item}/validate":
            assert seeded.event_count() > before  # every action leaves an audit event
    else:
        assert response.status_code == 403, response.text
    if role is None or role not in case.allowed:
        assert seeded.event_count() == before  # a refused request changes nothing


POSTS = [c for c in CASES if c.method == "POST"]


@pytest.mark.parametrize("token", ["", "forged-token"], ids=["missing", "bad"])
@pytest.mark.parametrize("case", POSTS, ids=lambda c: c.path)
def test_form_post_without_the_sessions_csrf_token_is_refused(seeded: Seeded, case: Case,
                                                              token: str):
    login(seeded.client, ROLE_USER[Role.ADMIN])  # admin: allowed everything but a bad token
    before = seeded.event_count()
    data = {k: seeded.fill(v) for k, v in case.data}
    if token:
        data["csrf_token"] = token
    response = seeded.client.post(seeded.fill(case.path), data=data, follow_redirects=False)
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert seeded.event_count() == before


def test_csrf_token_of_another_session_is_refused(seeded: Seeded, web_env: WebEnv):
    with TestClient(web_env.app, base_url="http://127.0.0.1") as other:
        foreign = login(other, ROLE_USER[Role.OPERATOR])
    login(seeded.client, ROLE_USER[Role.OPERATOR])
    response = seeded.client.post("/workflows/file-digest/run", data={"csrf_token": foreign},
                                  follow_redirects=False)
    assert response.status_code == 403


def test_login_form_needs_its_csrf_token(web_env: WebEnv):
    with TestClient(web_env.app, base_url="http://127.0.0.1") as client:
        client.get("/login")
        response = client.post("/login", data={"username": "olli", "password": "x" * 12},
                               follow_redirects=False)
    assert response.status_code == 403


def test_verify_in_the_control_room_names_an_item_changed_in_the_table(seeded: Seeded):
    token = login(seeded.client, ROLE_USER[Role.AUDITOR])
    intact = seeded.client.post("/audit/verify", data={"csrf_token": token})
    assert "recorded state matches the audit trail" in intact.text
    with seeded.env.ledger.engine.begin() as conn:
        conn.execute(text("UPDATE items SET state = 'DONE' WHERE id = :i"), {"i": seeded.item})
    broken = seeded.client.post("/audit/verify", data={"csrf_token": token})
    assert "recorded state differs from the audit trail in 1 place(s)" in broken.text
    assert f"item {seeded.item}: state is &#39;DONE&#39; in the table" in broken.text
    with seeded.env.ledger.reading() as conn:
        (last,) = iter_events(conn, kind="audit.verified", newest_first=True, limit=1)
    assert last.payload["ok"] is False and last.payload["rows"] == [f"item {seeded.item}"]
