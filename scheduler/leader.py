"""The leader lock: only one scheduler per ledger database fires schedules.

A second ``bots scheduler`` waits as a hot standby, trying the lock every few seconds, and
takes over when the leader's process (or its connection) dies. On PostgreSQL the lock is a
session advisory lock held on a dedicated connection, so the server frees it the moment the
leader's session ends. On SQLite it is an exclusive ``flock`` on a file next to the
database, which the kernel frees when the leader's process exits, however it exits.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from backoffice.errors import ConfigError


class LeaderLock(Protocol):
    def try_acquire(self) -> bool:
        """Take the lock if it is free; True when this process now leads."""

    def still_held(self) -> bool:
        """False when the lock was lost (e.g. the database connection dropped)."""

    def release(self) -> None: ...


def advisory_key(*parts: str) -> int:
    """A signed 64-bit advisory-lock key for a name (PostgreSQL's bigint)."""
    digest = hashlib.sha256("\x00".join(("backoffice-bots:scheduler", *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresLeaderLock:
    """``pg_try_advisory_lock`` on a connection kept for the scheduler's lifetime. The key
    includes the database and schema, so ledgers in separate schemas lead separately."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self._key: int | None = None

    def try_acquire(self) -> bool:
        if self._conn is None:
            self._conn = self._engine.connect()
            row = self._conn.execute(text("SELECT current_database(), current_schema()")).one()
            self._key = advisory_key(str(row[0]), str(row[1]))
            self._conn.commit()
        got = bool(
            self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}).scalar()
        )
        self._conn.commit()  # end the implicit transaction; the session lock stays
        return got

    def still_held(self) -> bool:
        if self._conn is None:
            return False
        try:
            # A session lock lasts as long as its session: a live connection still holds it.
            self._conn.execute(text("SELECT 1"))
            self._conn.commit()
            return True
        except Exception:
            self._drop()
            return False

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
            self._conn.commit()
        except Exception:
            pass  # closing the session below frees it anyway
        self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.invalidate()  # never hand a lock-holding session back to the pool
                self._conn.close()
            except Exception:
                pass
        self._conn = None


class FileLeaderLock:
    """An exclusive, non-blocking ``flock`` on ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def try_acquire(self) -> bool:
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held while leading
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")  # for a person wondering who leads
        handle.flush()
        self._file = handle
        return True

    def still_held(self) -> bool:
        return self._file is not None

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def leader_lock_for(engine: Engine, database_url: str) -> LeaderLock:
    """The right lock for the ledger's database."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "postgresql":
        return PostgresLeaderLock(engine)
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ConfigError("the scheduler needs a file or PostgreSQL ledger, not :memory:")
        return FileLeaderLock(Path(url.database + ".scheduler.lock"))
    raise ConfigError(f"no leader lock for database {backend!r}")
