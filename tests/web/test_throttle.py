"""Password guessing is throttled per user name and per client address: 429 with
Retry-After, the right password works again after the window, and the audit trail records
the block (issue 14, item 3). Time is a clock the test moves, never a sleep."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from backoffice.config import LoginThrottleSettings
from backoffice.errors import ConfigError
from backoffice.ledger import Ledger
from backoffice.ledger.events import iter_events
from backoffice.registry import Registry
from backoffice.web import create_app
from backoffice.web.throttle import LoginThrottle, ThrottleBy
from tests.conftest import make_settings
from tests.web.conftest import PASSWORD, add_users, csrf_of


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(tmp_path, clock: Clock) -> Iterator[tuple[TestClient, Ledger]]:  # noqa: ANN001
    settings = make_settings(tmp_path, web={"login_throttle": {
        "failures_per_user": 3, "failures_per_client": 5, "window_seconds": 60}})
    ledger = Ledger.open(settings.db_url)
    add_users(ledger)
    app = create_app(settings, ledger, Registry(settings), clock=clock)
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client, ledger
    ledger.close()


def attempt(client: TestClient, name: str, password: str):  # noqa: ANN201
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": name, "password": password,
                                       "csrf_token": token}, follow_redirects=False)


def events(ledger: Ledger, kind: str) -> list:
    with ledger.reading() as conn:
        return list(iter_events(conn, kind=kind))


def test_guessing_one_users_password_is_blocked_until_the_window_passes(client, clock):
    http, ledger = client
    for _ in range(3):
        assert attempt(http, "olli", "wrong-guess").status_code == 401
    blocked = attempt(http, "olli", PASSWORD)  # the right password, but too late
    assert blocked.status_code == 429
    assert blocked.headers["retry-after"] == "60"
    assert "Too many failed sign-ins" in blocked.text
    clock.now += 45
    assert attempt(http, "olli", PASSWORD).headers["retry-after"] == "15"
    assert attempt(http, "ada", PASSWORD).status_code == 303  # another name is not blocked
    clock.now += 16
    assert attempt(http, "olli", PASSWORD).status_code == 303
    (event,) = events(ledger, "user.login_throttled")
    assert event.actor == "olli"
    assert event.payload == {"by": "user", "client": "testclient", "seconds": 60.0}
    assert len(events(ledger, "user.login_failed")) == 3  # blocked tries write nothing


def test_guessing_many_names_from_one_address_blocks_the_address(client, clock):
    http, ledger = client
    for name in ("a1", "a2", "a3", "a4", "a5"):
        assert attempt(http, name, "wrong-guess").status_code == 401
    blocked = attempt(http, "ada", PASSWORD)
    assert blocked.status_code == 429 and blocked.headers["retry-after"] == "60"
    clock.now += 61
    assert attempt(http, "ada", PASSWORD).status_code == 303
    (event,) = events(ledger, "user.login_throttled")
    assert event.payload["by"] == "client" and event.actor == "a5"


def test_failures_older_than_the_window_do_not_count(clock):
    throttle = LoginThrottle(LoginThrottleSettings(failures_per_user=3, window_seconds=60),
                             clock)
    for _ in range(2):
        assert throttle.failed("olli", "10.0.0.1") == []
    clock.now += 61
    assert throttle.failed("olli", "10.0.0.2") == []
    assert throttle.failed("olli", "10.0.0.3") == []
    assert throttle.retry_after("olli", "10.0.0.4") == 0
    assert throttle.failed("olli", "10.0.0.5") == [ThrottleBy.USER]
    assert throttle.retry_after("olli", "10.0.0.6") == 60
    assert throttle.retry_after("aino", "10.0.0.6") == 0


def test_a_right_password_resets_the_names_count_but_not_the_addresss(clock):
    throttle = LoginThrottle(LoginThrottleSettings(failures_per_user=2, failures_per_client=3,
                                                   window_seconds=60), clock)
    assert throttle.failed("olli", "10.0.0.1") == []
    throttle.succeeded("olli")
    assert throttle.failed("olli", "10.0.0.1") == []
    assert throttle.failed("aino", "10.0.0.1") == [ThrottleBy.CLIENT]


def test_throttle_settings_are_validated():
    with pytest.raises(ConfigError):
        make_settings_with(window_seconds=0)
    with pytest.raises(ConfigError):
        make_settings_with(failures_per_user=0)


def make_settings_with(**throttle: object) -> None:
    from backoffice.config import load_settings

    load_settings(env={}, web={"login_throttle": throttle})
