"""The control room's accounts in the ledger: users and their open sessions.

Each change is one transaction that writes the row and appends its audit event
(``user.added``, ``user.role_changed``, ``user.password_changed``, ``user.disabled``,
``user.enabled``, ``user.login``, ``user.logout``), so the trail shows who gave whom which
role and when a session began and ended. Disabling a user or changing their password ends
their sessions in the same transaction. Roles are plain strings here: what a role may do is
the control room's business (``backoffice.web.users``), not the ledger's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from backoffice.errors import NotFound, StateError
from backoffice.ledger.base import LedgerBase
from backoffice.ledger.database import lock_for_write
from backoffice.ledger.events import append_event
from backoffice.ledger.schema import sessions, users
from backoffice.models import utcnow


@dataclass(frozen=True, kw_only=True)
class Account:
    name: str
    role: str
    password_hash: str
    disabled: bool
    created_at: datetime


def _account(row: Any) -> Account:
    return Account(name=row.name, role=row.role, password_hash=row.password_hash,
                   disabled=bool(row.disabled), created_at=row.created_at)


class AccountBook(LedgerBase):
    def add_account(self, name: str, role: str, password_hash: str, *, actor: str) -> Account:
        now = utcnow()
        with self.transaction() as conn:
            if conn.execute(select(users.c.name).where(users.c.name == name)).first():
                raise StateError(f"user {name} already exists")
            conn.execute(insert(users).values(name=name, role=role, password_hash=password_hash,
                                              disabled=False, created_at=now))
            append_event(conn, "user.added", actor=actor, payload={"user": name, "role": role},
                         ts=now)
        return self.get_account(name)

    def account(self, name: str) -> Account | None:
        with self.reading() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        return _account(row) if row else None

    def get_account(self, name: str) -> Account:
        found = self.account(name)
        if found is None:
            raise NotFound("user", name)
        return found

    def accounts(self) -> list[Account]:
        with self.reading() as conn:
            return [_account(r) for r in conn.execute(select(users).order_by(users.c.name))]

    def set_account_disabled(
        self, name: str, disabled: bool, *, actor: str, keep_one: str | None = None
    ) -> Account:
        """Disable (ending every session of ``name``) or re-enable a user. ``keep_one``: a
        role that must keep at least one enabled user (the last admin cannot be disabled)."""
        with self.transaction() as conn:
            before = self._locked_account(conn, name)
            if disabled and keep_one is not None:
                self._refuse_leaving_none(conn, before, keep_one, f"disable {name}")
            conn.execute(update(users).where(users.c.name == name).values(disabled=disabled))
            payload: dict[str, Any] = {"user": name}
            if disabled:
                payload["sessions_ended"] = self._end_sessions(conn, name)
            append_event(conn, "user.disabled" if disabled else "user.enabled", actor=actor,
                         payload=payload)
        return self.get_account(name)

    def set_account_role(
        self, name: str, role: str, *, actor: str, keep_one: str | None = None
    ) -> Account:
        with self.transaction() as conn:
            before = self._locked_account(conn, name)
            if before.role == role:
                return before
            if keep_one is not None and role != keep_one:
                self._refuse_leaving_none(conn, before, keep_one,
                                          f"make {name} {role}")
            conn.execute(update(users).where(users.c.name == name).values(role=role))
            append_event(conn, "user.role_changed", actor=actor,
                         payload={"user": name, "from": before.role, "to": role})
        return self.get_account(name)

    def set_account_password(
        self, name: str, password_hash: str, *, actor: str, keep_session: str | None = None
    ) -> int:
        """Store a new password hash and end every session of ``name`` (but ``keep_session``,
        the one the change was made in); returns how many sessions ended."""
        with self.transaction() as conn:
            self._locked_account(conn, name)
            conn.execute(update(users).where(users.c.name == name)
                         .values(password_hash=password_hash))
            ended = self._end_sessions(conn, name, keep=keep_session)
            append_event(conn, "user.password_changed", actor=actor,
                         payload={"user": name, "sessions_ended": ended})
        return ended

    # ---- sessions ------------------------------------------------------------------------
    def open_session(
        self, session_id: str, name: str, expires_at: datetime, *, payload: dict[str, Any]
    ) -> None:
        """Record a sign-in: the session row (by the SHA-256 of its token) and ``user.login``.
        Sessions past their expiry are swept out on the way."""
        now = utcnow()
        with self.transaction() as conn:
            conn.execute(delete(sessions).where(sessions.c.expires_at <= now))
            conn.execute(insert(sessions).values(id=session_id, user_name=name, created_at=now,
                                                 expires_at=expires_at))
            append_event(conn, "user.login", actor=name, payload=payload, ts=now)

    def session_account(self, session_id: str) -> Account | None:
        """The account an open, unexpired session belongs to, else None."""
        query = (select(users).join(sessions, sessions.c.user_name == users.c.name)
                 .where(sessions.c.id == session_id, sessions.c.expires_at > utcnow()))
        with self.reading() as conn:
            row = conn.execute(query).first()
        return _account(row) if row else None

    def close_session(self, session_id: str, *, actor: str) -> bool:
        """End one session (logout): its row goes and ``user.logout`` is recorded."""
        with self.transaction() as conn:
            gone = conn.execute(delete(sessions).where(sessions.c.id == session_id)).rowcount
            append_event(conn, "user.logout", actor=actor, payload={"sessions_ended": gone})
        return bool(gone)

    def open_sessions(self, name: str) -> int:
        with self.reading() as conn:
            return int(conn.execute(
                select(func.count()).select_from(sessions).where(
                    sessions.c.user_name == name, sessions.c.expires_at > utcnow())
            ).scalar_one())

    @staticmethod
    def _locked_account(conn: Connection, name: str) -> Account:
        lock_for_write(conn)  # read under the write lock: the check and the change are one
        row = conn.execute(select(users).where(users.c.name == name)).first()
        if row is None:
            raise NotFound("user", name)
        return _account(row)

    @staticmethod
    def _refuse_leaving_none(conn: Connection, changed: Account, role: str, what: str) -> None:
        if changed.role != role or changed.disabled:
            return
        others = conn.execute(
            select(func.count()).select_from(users).where(
                users.c.role == role, users.c.disabled.is_(False), users.c.name != changed.name)
        ).scalar_one()
        if not others:
            raise StateError(f"cannot {what}: it would leave no enabled {role}")

    @staticmethod
    def _end_sessions(conn: Connection, name: str, keep: str | None = None) -> int:
        query = delete(sessions).where(sessions.c.user_name == name)
        if keep is not None:
            query = query.where(sessions.c.id != keep)
        return int(conn.execute(query).rowcount)
