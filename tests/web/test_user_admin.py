"""Changing a role or a password, disabling and enabling a user: from `bots users` and from
the Users page (admins only), each one an audit event (issue 14, item 7)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backoffice.engine import Engine
from backoffice.errors import ConfigError, NotFound, StateError
from backoffice.states import ItemState
from backoffice.web.users import Role, UserStore
from tests.web.conftest import PASSWORD, TEST_HASHER, WebEnv, login, write_texts
from tests.web.test_cli import _events, bots


def add(ledger, name: str, role: Role) -> None:  # noqa: ANN001
    UserStore(ledger, hasher=TEST_HASHER).add(name, role, PASSWORD, actor="setup")


def test_cli_changes_a_role_and_records_from_and_to(settings, ledger):
    add(ledger, "ada", Role.ADMIN)
    add(ledger, "maria", Role.OPERATOR)
    result = bots(settings, "users", "role", "maria", "reviewer")
    assert result.exit_code == 0, result.output
    assert UserStore(ledger).get("maria").role is Role.REVIEWER
    (event,) = _events(ledger, "user.role_changed")
    assert event.payload == {"user": "maria", "from": "operator", "to": "reviewer"}
    assert bots(settings, "users", "role", "maria", "boss").exit_code != 0
    assert isinstance(bots(settings, "users", "role", "nobody", "auditor").exception, NotFound)


def test_cli_sets_a_password_the_old_one_stops_working(settings, ledger):
    add(ledger, "maria", Role.OPERATOR)
    result = bots(settings, "users", "password", "maria", "--password-stdin",
                  stdin="a-new-password\n")
    assert result.exit_code == 0, result.output
    store = UserStore(ledger)
    assert store.authenticate("maria", PASSWORD) is None
    assert store.authenticate("maria", "a-new-password") is not None
    assert _events(ledger, "user.password_changed")[0].payload == {
        "user": "maria", "sessions_ended": 0}
    short = bots(settings, "users", "password", "maria", "--password-stdin", stdin="short\n")
    assert isinstance(short.exception, ConfigError)
    assert store.authenticate("maria", "a-new-password") is not None


def test_cli_disables_and_enables_again(settings, ledger):
    add(ledger, "maria", Role.OPERATOR)
    assert bots(settings, "users", "disable", "maria").exit_code == 0
    assert UserStore(ledger).authenticate("maria", PASSWORD) is None
    assert bots(settings, "users", "enable", "maria").exit_code == 0
    assert UserStore(ledger).authenticate("maria", PASSWORD) is not None
    assert [e.payload for e in _events(ledger, "user.enabled")] == [{"user": "maria"}]


def test_the_last_enabled_admin_can_be_neither_disabled_nor_demoted(settings, ledger):
    add(ledger, "ada", Role.ADMIN)
    add(ledger, "olli", Role.OPERATOR)
    store = UserStore(ledger)
    for refused in (lambda: store.set_disabled("ada", True, actor="x"),
                    lambda: store.set_role("ada", Role.OPERATOR, actor="x")):
        with pytest.raises(StateError, match="no enabled admin"):
            refused()
    assert isinstance(bots(settings, "users", "disable", "ada").exception, StateError)
    store.set_role("olli", Role.ADMIN, actor="x")
    assert store.set_role("ada", Role.AUDITOR, actor="x").role is Role.AUDITOR


def _client(env: WebEnv) -> TestClient:
    return TestClient(env.app, base_url="http://127.0.0.1")


def test_admin_makes_an_auditor_a_reviewer_who_may_decide_but_not_run(web_env: WebEnv):
    paths = write_texts(web_env.settings.inputs / "files", {"b.txt": ""})
    Engine(web_env.settings, web_env.ledger, web_env.registry).run("file-digest", inputs=paths)
    (item,) = web_env.ledger.items(states=[ItemState.REVIEW])
    with _client(web_env) as admin, _client(web_env) as aino:
        admin_csrf = login(admin, "ada")
        aino_csrf = login(aino, "aino")
        denied = aino.post(f"/review/{item.id}/reject",
                           data={"csrf_token": aino_csrf, "reason": "not ours"})
        assert denied.status_code == 403
        changed = admin.post("/users/aino/role", data={"csrf_token": admin_csrf,
                                                       "role": "reviewer"},
                             follow_redirects=False)
        assert changed.status_code == 303 and "error" not in changed.headers["location"]
        # The same session, the new role: review decisions yes, Run now no.
        assert aino.post("/workflows/file-digest/run",
                         data={"csrf_token": aino_csrf}).status_code == 403
        decided = aino.post(f"/review/{item.id}/reject",
                            data={"csrf_token": aino_csrf, "reason": "not ours"},
                            follow_redirects=False)
        assert decided.status_code == 303
    assert web_env.ledger.item(item.id).state is ItemState.REJECTED
    assert [e.actor for e in _events(web_env.ledger, "user.role_changed")] == ["ada"]


def test_an_admin_cannot_disable_or_demote_themselves_on_the_users_page(web_env: WebEnv):
    with _client(web_env) as admin:
        csrf = login(admin, "ada")
        for path, data in (("/users/ada/disable", {}), ("/users/ada/role", {"role": "auditor"})):
            response = admin.post(path, data={"csrf_token": csrf, **data},
                                  follow_redirects=False)
            assert "error=" in response.headers["location"]
        assert admin.get("/users").status_code == 200
    assert UserStore(web_env.ledger).get("ada").role is Role.ADMIN


@pytest.mark.parametrize("name", ["olli", "rita", "aino"])
def test_non_admins_cannot_change_roles_passwords_or_enable_users(web_env: WebEnv, name: str):
    web_env.app.state.web.users.set_disabled("aino" if name != "aino" else "rita", True,
                                             actor="ada")
    with _client(web_env) as client:
        csrf = login(client, name)
        for path, data in (("/users/ada/role", {"role": "auditor"}),
                           ("/users/ada/password", {"password": "taken-over-1"}),
                           ("/users/aino/enable", {}), ("/users/rita/enable", {})):
            response = client.post(path, data={"csrf_token": csrf, **data})
            assert response.status_code == 403, path
    store = UserStore(web_env.ledger)
    assert store.get("ada").role is Role.ADMIN
    assert store.authenticate("ada", PASSWORD) is not None
