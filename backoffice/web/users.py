"""The control room's users and their roles, kept in the ledger's ``users`` table.

Each change is written in the same transaction as its audit event (``user.added``,
``user.disabled``), so the trail shows who gave whom which role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from sqlalchemy import insert, select, update

from backoffice.audit import append_event
from backoffice.errors import ConfigError, NotFound, StateError
from backoffice.ledger import Ledger
from backoffice.ledger.schema import users
from backoffice.models import utcnow
from backoffice.web.security import hash_password, verify_password

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
MIN_PASSWORD = 8


class Role(StrEnum):
    AUDITOR = "auditor"  # reads everything, changes nothing
    OPERATOR = "operator"  # runs workflows, reviews items, reads
    ADMIN = "admin"  # all of the above, and manages users


class Permission(StrEnum):
    READ = "read"
    RUN = "run"
    REVIEW = "review"
    MANAGE_USERS = "manage_users"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.AUDITOR: frozenset({Permission.READ}),
    Role.OPERATOR: frozenset({Permission.READ, Permission.RUN, Permission.REVIEW}),
    Role.ADMIN: frozenset(Permission),
}


@dataclass(frozen=True, kw_only=True)
class User:
    name: str
    role: Role
    disabled: bool
    created_at: datetime

    def can(self, permission: Permission) -> bool:
        return not self.disabled and permission in GRANTS[self.role]


def _user(row: object) -> User:
    return User(
        name=row.name,  # type: ignore[attr-defined]
        role=Role(row.role),  # type: ignore[attr-defined]
        disabled=bool(row.disabled),  # type: ignore[attr-defined]
        created_at=row.created_at,  # type: ignore[attr-defined]
    )


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        known = "|".join(r.value for r in Role)
        raise ConfigError(f"role {text!r} is not one of {known}") from None


class UserStore:
    """Users over one ledger."""

    def __init__(self, ledger: Ledger, *, hasher: PasswordHasher | None = None) -> None:
        self.ledger = ledger
        self.hasher = hasher  # None: argon2-cffi's recommended parameters

    def add(self, name: str, role: Role, password: str, *, actor: str) -> User:
        if not _NAME.match(name):
            raise ConfigError(
                f"user name {name!r}: use letters, digits and . _ @ - (at most 100)"
            )
        if len(password) < MIN_PASSWORD:
            raise ConfigError(f"password for {name}: at least {MIN_PASSWORD} characters")
        now = utcnow()
        with self.ledger.transaction() as conn:
            if conn.execute(select(users.c.name).where(users.c.name == name)).first():
                raise StateError(f"user {name} already exists")
            conn.execute(
                insert(users).values(
                    name=name,
                    role=role.value,
                    password_hash=hash_password(password, self.hasher),
                    disabled=False,
                    created_at=now,
                )
            )
            append_event(conn, "user.added", actor=actor,
                         payload={"user": name, "role": role.value}, ts=now)
        return self.get(name)

    def set_disabled(self, name: str, disabled: bool, *, actor: str) -> User:
        with self.ledger.transaction() as conn:
            if not conn.execute(select(users.c.name).where(users.c.name == name)).first():
                raise NotFound("user", name)
            conn.execute(update(users).where(users.c.name == name).values(disabled=disabled))
            append_event(conn, "user.disabled" if disabled else "user.enabled", actor=actor,
                         payload={"user": name})
        return self.get(name)

    def get(self, name: str) -> User:
        user = self.find(name)
        if user is None:
            raise NotFound("user", name)
        return user

    def find(self, name: str) -> User | None:
        with self.ledger.reading() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        return _user(row) if row else None

    def list(self) -> list[User]:
        with self.ledger.reading() as conn:
            return [_user(r) for r in conn.execute(select(users).order_by(users.c.name))]

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password is right and the account enabled, else None."""
        with self.ledger.reading() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        if row is None:
            # Hash anyway, so a wrong name takes as long as a wrong password.
            verify_password(_dummy_hash(), password)
            return None
        if not verify_password(row.password_hash, password) or row.disabled:
            return None
        return _user(row)


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")
