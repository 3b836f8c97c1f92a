"""Shared fixtures: settings rooted in a temporary folder, a ledger on SQLite or on the
machine's real PostgreSQL (a fresh schema per test), the registry and an engine."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from backoffice.config import Settings, load_settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger
from backoffice.registry import Registry

PG_ADMIN_URL = os.environ.get(
    "BOTS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("BOTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REPO = Path(__file__).resolve().parent.parent


def postgres_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A database URL whose search_path is a fresh, empty schema (dropped afterwards)."""
    if not postgres_available():
        # A machine without the server skips these tests (with the reason) instead of
        # failing them; `-m postgres` shows which were skipped.
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_ADMIN_URL else "?"
    yield f"{PG_ADMIN_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def make_settings(base: Path, **overrides: object) -> Settings:
    (base / "inputs").mkdir(parents=True, exist_ok=True)
    (base / "outputs").mkdir(parents=True, exist_ok=True)
    return load_settings(base_dir=base, env={}, **overrides)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Run the test once on SQLite and once on the real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def ledger(settings: Settings) -> Iterator[Ledger]:
    led = Ledger.open(settings.db_url)
    yield led
    led.close()


@pytest.fixture
def registry(settings: Settings) -> Registry:
    return Registry(settings)


@pytest.fixture
def engine(settings: Settings, ledger: Ledger, registry: Registry) -> Engine:
    return Engine(settings, ledger, registry, idle_poll_seconds=0.01)
