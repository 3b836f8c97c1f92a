"""Throttling password guesses: per user name and per client address.

Each key keeps the times of its recent failures. When a key reaches its limit within the
window it is blocked for the window's length, and the sign-in page answers 429 with
``Retry-After`` without checking any password (so the right one works again only after the
block). The counts live in the server process: enough for ``bots serve`` (one process); a
restart forgets them. The clock is injectable so tests move time instead of sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from backoffice.config import LoginThrottleSettings
from backoffice.untrusted import bounded

# A stranger can send endless new names: past this many keys the idle ones are forgotten.
MAX_KEYS = 10_000


class ThrottleBy(StrEnum):
    USER = "user"
    CLIENT = "client"


@dataclass
class _Window:
    failures: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0


class LoginThrottle:
    def __init__(
        self, settings: LoginThrottleSettings, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.settings = settings
        self.clock = clock
        self._windows: dict[tuple[ThrottleBy, str], _Window] = {}
        self._lock = threading.Lock()

    def _keys(self, user: str, client: str) -> list[tuple[ThrottleBy, str]]:
        return [(ThrottleBy.USER, bounded(user, 200)), (ThrottleBy.CLIENT, client)]

    def _limit(self, by: ThrottleBy) -> int:
        s = self.settings
        return s.failures_per_user if by is ThrottleBy.USER else s.failures_per_client

    def retry_after(self, user: str, client: str) -> int:
        """Seconds until ``user`` may try again from ``client``; 0 when they may now."""
        now = self.clock()
        with self._lock:
            waits = [w.blocked_until - now for k in self._keys(user, client)
                     if (w := self._windows.get(k)) is not None]
        longest = max(waits, default=0.0)
        return math.ceil(longest) if longest > 0 else 0

    def failed(self, user: str, client: str) -> list[ThrottleBy]:
        """Count a wrong password; returns what this failure blocked (user, client)."""
        now = self.clock()
        window = self.settings.window_seconds
        blocked = []
        with self._lock:
            for key in self._keys(user, client):
                w = self._windows.get(key)
                if w is None:
                    self._make_room(now)
                    w = self._windows[key] = _Window()
                w.failures.append(now)
                while w.failures and w.failures[0] <= now - window:
                    w.failures.popleft()
                if len(w.failures) >= self._limit(key[0]):
                    w.failures.clear()
                    w.blocked_until = now + window
                    blocked.append(key[0])
        return blocked

    def succeeded(self, user: str) -> None:
        """A right password: the user name's count starts again (the address's does not,
        or one known account would hide guessing at all the others)."""
        with self._lock:
            self._windows.pop((ThrottleBy.USER, bounded(user, 200)), None)

    def _make_room(self, now: float) -> None:
        if len(self._windows) < MAX_KEYS:
            return
        window = self.settings.window_seconds
        idle = [k for k, w in self._windows.items()
                if w.blocked_until <= now and (not w.failures or w.failures[-1] <= now - window)]
        for key in idle:
            del self._windows[key]
        while len(self._windows) >= MAX_KEYS:  # all busy: forget the oldest
            del self._windows[next(iter(self._windows))]
