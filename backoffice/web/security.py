"""Passwords, signed session cookies and CSRF tokens.

A session is a cookie holding ``{user, session token, csrf, exp}`` signed with HMAC-SHA256
under the web secret key, so a cookie edited by hand fails the signature. A signed-in session
is also a row in the ledger (keyed by the SHA-256 of its token, ``session_key``): logging out,
disabling the user or changing their password deletes the row, and from then on a copy of the
cookie is refused although its signature is still good.
The CSRF token lives inside the signed session and must come back with every unsafe request
(form field ``csrf_token`` or header ``X-CSRF-Token``), so a page on another site cannot
post on the user's behalf.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from backoffice.config import Settings

SESSION_COOKIE = "bots_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SECRET_FILE_NAME = "web-secret.key"

_hasher = PasswordHasher()


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    """An argon2id hash (salted, with its parameters) of ``password``. Verifying reads the
    parameters from the hash, so a hash made with other parameters still verifies."""
    return (hasher or _hasher).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def load_secret_key(settings: Settings) -> bytes:
    """``web.secret_key`` when configured; else a random key kept under outputs/ (mode 0600),
    so sessions survive a restart without anyone having to invent a secret."""
    if settings.web.secret_key is not None:
        return settings.web.secret_key.get_secret_value().encode("utf-8")
    path = settings.outputs / SECRET_FILE_NAME
    try:
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key.encode("ascii")
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: two servers starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip().encode("ascii")
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key.encode("ascii")


@dataclass(frozen=True, kw_only=True)
class Session:
    """What the cookie says: who (None before login), the session's token (None before
    login), the CSRF token and the expiry."""

    user: str | None
    csrf: str
    expires: datetime
    token: str | None = None

    def expired(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) >= self.expires


def new_session(user: str | None, minutes: int) -> Session:
    return Session(
        user=user,
        csrf=secrets.token_urlsafe(32),
        expires=datetime.now(UTC) + timedelta(minutes=minutes),
        token=secrets.token_urlsafe(32) if user is not None else None,
    )


def session_key(token: str) -> str:
    """The ledger's key for a session: the token's SHA-256, never the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(key: bytes, data: bytes) -> str:
    return _b64(hmac.new(key, data, hashlib.sha256).digest())


def dump_signed(key: bytes, value: dict[str, object]) -> str:
    body = _b64(json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    return f"{body}.{sign(key, body.encode('ascii'))}"


def load_signed(key: bytes, token: str) -> dict[str, object] | None:
    """The signed value, or None when the token is malformed or its signature is wrong."""
    body, sep, mac = token.partition(".")
    if not sep or not hmac.compare_digest(mac, sign(key, body.encode("ascii"))):
        return None
    try:
        value = json.loads(_unb64(body))
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def encode_session(key: bytes, session: Session) -> str:
    return dump_signed(
        key,
        {"u": session.user, "c": session.csrf, "e": int(session.expires.timestamp()),
         "s": session.token},
    )


def decode_session(key: bytes, token: str | None) -> Session | None:
    """The session in a cookie, or None when it is missing, forged or expired."""
    if not token:
        return None
    data = load_signed(key, token)
    if data is None:
        return None
    user, csrf, exp, ident = data.get("u"), data.get("c"), data.get("e"), data.get("s")
    if not isinstance(csrf, str) or not isinstance(exp, int):
        return None
    if user is not None and not (isinstance(user, str) and isinstance(ident, str)):
        return None  # a signed-in session without its server-side token is no session
    session = Session(user=user, csrf=csrf, expires=datetime.fromtimestamp(exp, UTC),
                      token=ident if isinstance(ident, str) else None)
    return None if session.expired() else session


def csrf_matches(session: Session | None, token: str | None) -> bool:
    if session is None or not token:
        return False
    return hmac.compare_digest(session.csrf.encode(), token.encode())

