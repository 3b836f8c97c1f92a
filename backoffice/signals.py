"""Installing signal handlers for the length of a block (only possible in the main thread;
elsewhere, e.g. under a test runner's worker thread, the block runs without them)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

Handler = Callable[[int, Any], None]


@contextmanager
def signal_handlers(handlers: Mapping[int, Handler]) -> Iterator[None]:
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig, handler in handlers.items():
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
