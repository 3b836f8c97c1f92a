"""What every part of the ledger shares: the engine and its transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from backoffice.clock import Clock, SystemClock


class LedgerBase:
    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self.engine = engine
        # Leases, backoff and activity go by this clock (a test's ManualClock moves it).
        self.clock: Clock = clock or SystemClock()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction (serialised with every other ledger writer)."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn
