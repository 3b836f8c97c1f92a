"""The ledger's accounts (users and open sessions) on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from backoffice.errors import NotFound, StateError
from backoffice.ledger import Ledger
from backoffice.ledger.events import iter_events
from backoffice.models import utcnow


@pytest.fixture
def accounts(any_ledger_url: str) -> Iterator[Ledger]:
    ledger = Ledger.open(any_ledger_url)
    ledger.add_account("ada", "admin", "hash-a", actor="setup")
    ledger.add_account("olli", "operator", "hash-o", actor="setup")
    yield ledger
    ledger.close()


def kinds(ledger: Ledger) -> list[str]:
    with ledger.reading() as conn:
        return [e.kind for e in iter_events(conn)]


def test_a_session_is_open_until_it_is_closed_or_expires(accounts: Ledger):
    soon = utcnow() + timedelta(hours=1)
    accounts.open_session("s1", "olli", soon, payload={"role": "operator"})
    accounts.open_session("old", "olli", utcnow() - timedelta(seconds=1), payload={})
    found = accounts.session_account("s1")
    assert found is not None and found.name == "olli" and found.role == "operator"
    assert accounts.session_account("old") is None  # expired
    assert accounts.session_account("nope") is None
    assert accounts.close_session("s1", actor="olli") is True
    assert accounts.session_account("s1") is None
    assert kinds(accounts)[-3:] == ["user.login", "user.login", "user.logout"]


def test_disabling_and_a_new_password_end_sessions_in_the_same_transaction(accounts: Ledger):
    later = utcnow() + timedelta(hours=1)
    for sid in ("a", "b", "c"):
        accounts.open_session(sid, "olli", later, payload={})
    accounts.open_session("ada-1", "ada", later, payload={})
    assert accounts.set_account_password("olli", "hash-2", actor="ada", keep_session="c") == 2
    assert accounts.open_sessions("olli") == 1
    assert accounts.get_account("olli").password_hash == "hash-2"
    disabled = accounts.set_account_disabled("olli", True, actor="ada")
    assert disabled.disabled and accounts.open_sessions("olli") == 0
    assert accounts.open_sessions("ada") == 1
    with accounts.reading() as conn:
        (event,) = iter_events(conn, kind="user.disabled")
    assert event.payload == {"user": "olli", "sessions_ended": 1}
    assert not accounts.set_account_disabled("olli", False, actor="ada").disabled


def test_the_last_enabled_holder_of_a_kept_role_stays(accounts: Ledger):
    with pytest.raises(StateError, match="no enabled admin"):
        accounts.set_account_disabled("ada", True, actor="x", keep_one="admin")
    with pytest.raises(StateError, match="no enabled admin"):
        accounts.set_account_role("ada", "auditor", actor="x", keep_one="admin")
    accounts.set_account_role("olli", "admin", actor="x", keep_one="admin")
    accounts.set_account_disabled("olli", True, actor="x", keep_one="admin")
    with pytest.raises(StateError):  # olli is an admin, but a disabled one
        accounts.set_account_role("ada", "auditor", actor="x", keep_one="admin")
    assert accounts.get_account("ada").role == "admin"


def test_changing_an_unknown_user_names_it(accounts: Ledger):
    with pytest.raises(NotFound, match="user nobody"):
        accounts.set_account_role("nobody", "admin", actor="x")
    with pytest.raises(StateError, match="already exists"):
        accounts.add_account("ada", "admin", "h", actor="x")
