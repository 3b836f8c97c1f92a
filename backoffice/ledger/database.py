"""Connecting to the ledger database: SQLite in WAL mode by default, PostgreSQL when configured.

Every write transaction is serialised (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL transaction
advisory lock) because each one appends to the single audit hash chain: two writers must never
read the same previous hash.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url

from backoffice.errors import ConfigError

# Arbitrary but fixed: the advisory lock key that serialises ledger writes on PostgreSQL.
WRITE_LOCK_KEY = 0x0B0775
MIGRATION_LOCK_KEY = 0x0B0776


def make_engine(url: str) -> Engine:
    """An engine for ``url``; creates the SQLite file's folder when needed."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ConfigError(f"database_url {url!r} is not a database URL: {exc}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10)
        _discard_connections_across_fork(engine)
        return engine
    raise ConfigError(f"database_url: unsupported database {backend!r} (use sqlite or postgresql)")


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # A small pool: reusing connections saves the PRAGMA round-trips of a fresh one.
    engine = create_engine(
        url, pool_size=8, max_overflow=8, connect_args={"timeout": 60, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Autocommit at the driver, so SQLAlchemy's "begin" below decides the lock mode.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    _discard_connections_across_fork(engine)
    return engine


def _discard_connections_across_fork(engine: Engine) -> None:
    """A forked child (a Celery prefork worker) must never reuse its parent's connections:
    the SQLAlchemy recipe that invalidates a pooled connection checked out in another pid."""

    @event.listens_for(engine, "connect")
    def _remember_pid(_dbapi_conn: Any, record: Any) -> None:
        record.info["pid"] = os.getpid()

    @event.listens_for(engine, "checkout")
    def _check_pid(_dbapi_conn: Any, record: Any, proxy: Any) -> None:
        if record.info.get("pid") != os.getpid():
            record.dbapi_connection = proxy.dbapi_connection = None
            raise exc.DisconnectionError("connection belongs to another process")


def is_postgres(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "postgresql"


def lock_for_write(conn: Connection) -> None:
    """Serialise this transaction with every other ledger writer (no-op on SQLite, where
    ``BEGIN IMMEDIATE`` already holds the write lock)."""
    if is_postgres(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (safe to call from many processes)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as conn:
        if is_postgres(conn):
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
