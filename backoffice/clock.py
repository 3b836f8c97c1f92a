"""The time the engine, the ledger and the scheduler go by, injectable so tests of leases,
backoff and schedules move time forward instead of sleeping (APScheduler and Prefect do the
same). Production uses ``SystemClock``; ``ManualClock`` is the tests' one."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Wait up to ``seconds`` for ``event``; True when it was set (like ``Event.wait``)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def wait(self, event: threading.Event, seconds: float) -> bool:
        return event.wait(max(0.0, seconds))


class ManualClock:
    """Time that moves only when told: ``advance(seconds)``, or by whoever waits on it (a
    wait of n seconds moves the clock n seconds on at once, after giving other threads a
    moment to run). Thread-safe."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now

    def wait(self, event: threading.Event, seconds: float) -> bool:
        if event.wait(0.001):  # let the threads that do the work run first
            return True
        self.advance(max(0.0, seconds))
        return event.is_set()
