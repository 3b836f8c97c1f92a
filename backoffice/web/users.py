"""The control room's users, their roles and their sessions, kept in the ledger.

Every change goes through the ledger's account methods (``backoffice.ledger.accounts``),
each one transaction with its audit event. A session is only as good as its row in the
ledger: signing out, disabling the user or changing their password ends it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher

from backoffice.errors import ConfigError, NotFound
from backoffice.ledger import Ledger
from backoffice.ledger.accounts import Account
from backoffice.web.security import (
    Session,
    hash_password,
    new_session,
    session_key,
    verify_password,
)

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
MIN_PASSWORD = 8


class Role(StrEnum):
    AUDITOR = "auditor"  # reads everything, changes nothing
    # Decides review items but starts no run: the clerk who checks the invoices a robot
    # could not read should not also be able to run the robots.
    REVIEWER = "reviewer"
    OPERATOR = "operator"  # runs workflows, reviews items, reads
    ADMIN = "admin"  # all of the above, and manages users


class Permission(StrEnum):
    READ = "read"
    RUN = "run"
    REVIEW = "review"
    MANAGE_USERS = "manage_users"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.AUDITOR: frozenset({Permission.READ}),
    Role.REVIEWER: frozenset({Permission.READ, Permission.REVIEW}),
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


def _user(account: Account) -> User:
    return User(name=account.name, role=Role(account.role), disabled=account.disabled,
                created_at=account.created_at)


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        known = "|".join(r.value for r in Role)
        raise ConfigError(f"role {text!r} is not one of {known}") from None


def check_password(name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"password for {name}: at least {MIN_PASSWORD} characters")


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
        check_password(name, password)
        account = self.ledger.add_account(name, role.value,
                                          hash_password(password, self.hasher), actor=actor)
        return _user(account)

    def set_disabled(self, name: str, disabled: bool, *, actor: str) -> User:
        """Disable (their sessions end at once) or re-enable ``name``; the last enabled admin
        cannot be disabled."""
        return _user(self.ledger.set_account_disabled(name, disabled, actor=actor,
                                                      keep_one=Role.ADMIN.value))

    def set_role(self, name: str, role: Role, *, actor: str) -> User:
        """Give ``name`` another role (counts from their next request); the last enabled
        admin keeps theirs."""
        return _user(self.ledger.set_account_role(name, role.value, actor=actor,
                                                  keep_one=Role.ADMIN.value))

    def set_password(
        self, name: str, password: str, *, actor: str, keep: Session | None = None
    ) -> int:
        """A new password for ``name``; every session of theirs ends but ``keep`` (the one
        the change was made in). Returns the number of sessions ended."""
        check_password(name, password)
        self.get(name)
        keep_id = session_key(keep.token) if keep is not None and keep.token else None
        return self.ledger.set_account_password(name, hash_password(password, self.hasher),
                                                actor=actor, keep_session=keep_id)

    def get(self, name: str) -> User:
        user = self.find(name)
        if user is None:
            raise NotFound("user", name)
        return user

    def find(self, name: str) -> User | None:
        account = self.ledger.account(name)
        return _user(account) if account else None

    def list(self) -> list[User]:
        return [_user(a) for a in self.ledger.accounts()]

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password is right and the account enabled, else None."""
        account = self.ledger.account(name) if _NAME.match(name) else None
        if account is None:
            # Hash anyway, so a wrong name takes as long as a wrong password.
            verify_password(_dummy_hash(), password)
            return None
        if not verify_password(account.password_hash, password) or account.disabled:
            return None
        return _user(account)

    # ---- sessions ------------------------------------------------------------------------
    def sign_in(self, user: User, minutes: int, *, client: str | None) -> Session:
        """A new session for ``user``, recorded in the ledger with ``user.login``."""
        session = new_session(user.name, minutes)
        assert session.token is not None
        self.ledger.open_session(session_key(session.token), user.name, session.expires,
                                 payload={"role": user.role.value, "client": client})
        return session

    def signed_in(self, session: Session | None) -> User | None:
        """The enabled user whose open session this cookie is, else None."""
        if session is None or session.user is None or session.token is None:
            return None
        account = self.ledger.session_account(session_key(session.token))
        if account is None or account.name != session.user or account.disabled:
            return None
        return _user(account)

    def sign_out(self, session: Session, *, actor: str) -> None:
        if session.token is not None:
            self.ledger.close_session(session_key(session.token), actor=actor)


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")
