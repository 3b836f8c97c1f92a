"""Fixtures for the scheduler tests: a project folder (bots.toml, workflows, schedules),
the machine's Redis on a dedicated database with a queue name per test, and subprocesses
(``bots scheduler`` / ``bots worker``) that are always stopped afterwards."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from backoffice.config import Settings, load_settings
from backoffice.ledger import Ledger
from backoffice.ledger.events import iter_events
from tests.conftest import REPO

REDIS_TEST_URL = os.environ.get("BOTS_TEST_SCHEDULER_REDIS_URL", "redis://127.0.0.1:6379/5")
BOTS = str(Path(sys.executable).with_name("bots"))

TICK_WORKFLOW = """
name = "tick"
description = "No inputs: each run is just the fact that it started"
[input]
glob = "nothing/*.none"
[[steps]]
robot = "noop"
"""

APPEND_WORKFLOW = """
name = "append"
[[steps]]
robot = "tests.scheduler.robots:AppendLineRobot"
params = {{ ledger_file = "{ledger_file}", work_seconds = {work_seconds} }}
[retry]
max_attempts = 3
backoff_seconds = 0.2
[concurrency]
lease_seconds = {lease_seconds}
"""

CPU_WORKFLOW = """
name = "cpu"
[[steps]]
robot = "tests.scheduler.robots:CpuRobot"
params = {{ rounds = {rounds} }}
"""


def write_project(
    base: Path,
    *,
    database_url: str | None = None,
    broker_url: str | None = None,
    queue: str | None = None,
    visibility_timeout: float | None = None,
    schedules: str = "",
    workflows: dict[str, str] | None = None,
) -> Settings:
    """A project folder as an operator would have it; returns its settings."""
    (base / "inputs").mkdir(parents=True, exist_ok=True)
    (base / "outputs").mkdir(parents=True, exist_ok=True)
    wf_dir = base / "workflows"
    wf_dir.mkdir(exist_ok=True)
    for name, text in (workflows or {"tick": TICK_WORKFLOW}).items():
        (wf_dir / f"{name}.toml").write_text(text, encoding="utf-8")
    (base / "schedules.toml").write_text(schedules, encoding="utf-8")
    lines = ['workflow_dirs = ["workflows"]']
    if database_url:
        lines.append(f"database_url = {json.dumps(database_url)}")
    if broker_url:
        lines.append(f"broker_url = {json.dumps(broker_url)}")
    lines += ["[scheduler]", 'schedules_file = "schedules.toml"']
    if queue:
        lines.append(f"queue = {json.dumps(queue)}")
    if visibility_timeout:
        lines.append(f"visibility_timeout = {visibility_timeout}")
    (base / "bots.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_settings(base_dir=base, env={})


def subprocess_env() -> dict[str, str]:
    """The environment a child ``bots`` gets: no BOTS_* from outside, tests importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOTS_")}
    env["PYTHONPATH"] = str(REPO)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def events(ledger: Ledger, kind: str) -> list[Any]:
    with ledger.reading() as conn:
        return list(iter_events(conn, kind=kind))


def wait_until(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


class Processes:
    """Child processes, each in its own process group, stopped when the test ends."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, args: list[str], cwd: Path, name: str) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen([BOTS, *args], cwd=cwd, env=subprocess_env(), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append(proc)
        return proc

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=15)
                except (subprocess.TimeoutExpired, ProcessLookupError):
                    with suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)
            else:  # the group may hold orphans (a pool child) even when the leader is gone
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = Processes(logs)
    yield procs
    procs.stop_all()


@pytest.fixture
def redis_queue() -> Iterator[tuple[str, str]]:
    """(broker URL, a queue name for this test only); removes the queue's keys afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_TEST_URL}: {exc}")
    queue = f"bots-test-{uuid.uuid4().hex[:10]}"
    yield REDIS_TEST_URL, queue
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
    client.close()
