"""Serving an ASGI app in a background thread on a free local port: how the demo, the
tests and the benchmark run the demo ERP (or any other test ERP) in-process."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.types import ASGIApp

from robots.erp.demo.app import DemoErp, create_app


@dataclass
class ServedApp:
    """An app listening on ``url`` until ``stop()``."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve_app(app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0) -> ServedApp:
    """Start ``app`` in a daemon thread; returns once it accepts connections."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name=f"asgi-{sock.getsockname()[1]}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the local web server did not start")
        time.sleep(0.01)
    return ServedApp(url=f"http://{host}:{sock.getsockname()[1]}", server=server, thread=thread)


@dataclass
class RunningErp:
    """A demo ERP running in this process: its URL and ways to look inside it."""

    url: str
    db_path: Path
    erp: DemoErp
    served: ServedApp

    def invoices(self) -> list[dict[str, Any]]:
        """What the ERP stored, through its JSON API (as a test or the control room sees it)."""
        response = httpx.get(f"{self.url}/api/invoices", timeout=10)
        response.raise_for_status()
        data: list[dict[str, Any]] = response.json()
        return data

    def expire_sessions(self) -> None:
        """Log every user out, as a session timeout would."""
        self.erp.store.expire_sessions()

    def user_stats(self, name: str) -> dict[str, int]:
        """Sign-ins and failed sign-ins in a row of ``name``."""
        return self.erp.store.user_stats(name)

    def stop(self) -> None:
        self.served.stop()
        self.erp.store.close()


def start_demo_erp(folder: Path, *, host: str = "127.0.0.1", port: int = 0,
                   **options: Any) -> RunningErp:
    """Start the demo ERP (database ``folder/demo-erp.sqlite3``); ``options`` go to
    ``create_app`` (vendors, users, fail_rate, latency_ms, session_minutes, ...)."""
    db_path = Path(folder) / "demo-erp.sqlite3"
    app = create_app(db_path, **options)
    served = serve_app(app, host=host, port=port)
    return RunningErp(url=served.url, db_path=db_path, erp=app.state.erp, served=served)


@contextmanager
def running_demo_erp(
    folder: Path,
    *,
    vendors: Sequence[Mapping[str, Any]] | None = None,
    users: Mapping[str, str] | None = None,
    **options: Any,
) -> Iterator[RunningErp]:
    """``with running_demo_erp(tmp_path, vendors=..., fail_rate=0.2) as erp: erp.url``."""
    running = start_demo_erp(folder, vendors=vendors, users=users, **options)
    try:
        yield running
    finally:
        running.stop()
