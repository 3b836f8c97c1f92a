"""A worker process killed with SIGKILL mid-run: after --resume every item is done exactly
once, checked through the robot's side-effect file, not only the ledger."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backoffice.states import ItemState, RunState
from tests.core.helpers import make_inputs, write_workflow

BOTS = [sys.executable, "-m", "backoffice"]


def wait_for_lines(path: Path, n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().splitlines()) >= n:
            return
        time.sleep(0.02)
    raise AssertionError(f"{path} never reached {n} lines")


@pytest.mark.slow
def test_sigkilled_run_resumes_and_every_item_is_done_exactly_once(settings, ledger, tmp_path):
    effects = tmp_path / "effects.log"
    write_workflow(
        settings,
        "count",
        f"""
[input]
glob = "docs/*.txt"
[[steps]]
robot = "tests.core.robots:CountingRobot"
params = {{ effects = "{effects}", sleep = 0.15 }}
[concurrency]
workers = 2
lease_seconds = 600
""",
    )
    make_inputs(settings, "docs", 24)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [*BOTS, "run", "count", "--user", "tester"],
        cwd=settings.base_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_lines(effects, 6)
        wait_for_an_item_in_hand(ledger)  # kill it mid-item, so there is a lease to recover
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    (run,) = ledger.runs(workflow="count")
    assert run.state is RunState.RUNNING  # nobody recorded an end: the process vanished
    # the items the dead process held, as it left them (it may have finished one between
    # the look above and the kill: what counts is what the ledger says now)
    held = ledger.items(run.id, states=[ItemState.RESERVED])
    done_before = len(effects.read_text().splitlines())
    assert 6 <= done_before < 24

    resumed = subprocess.run(
        [*BOTS, "run", "--resume", run.id, "--user", "tester"],
        cwd=settings.base_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr

    keys = [line.split("\t")[0] for line in effects.read_text().splitlines()]
    assert len(keys) == 24, "every item done"
    assert len(set(keys)) == 24, "no item done twice"
    final = ledger.run(run.id)
    assert final.state is RunState.COMPLETED
    assert final.counts == {"DONE": 24, "total": 24}
    # the items the killed process held were recovered, and the ledger says so
    lost = [a for a in ledger.attempts(run_id=run.id) if a.outcome == "lost"]
    assert sorted(a.item_id for a in lost) == sorted(i.id for i in held)
    assert all(a.error_code == "worker_lost" for a in lost)
    events = [e.kind for e in ledger_events(ledger, run.id)]
    assert "run.crashed" in events and events[-1] == "run.completed"
    report = ledger.verify_state()
    assert report.ok, [m.describe() for m in report.mismatches]


def wait_for_an_item_in_hand(ledger, timeout: float = 10) -> None:  # noqa: ANN001
    """Until the running process holds an item (RESERVED, its robot at work on it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = ledger.runs(workflow="count")
        if runs and ledger.items(runs[0].id, states=[ItemState.RESERVED]):
            return
        time.sleep(0.01)
    raise AssertionError("the run never held an item")


def ledger_events(ledger, run_id):
    from backoffice.ledger.events import iter_events

    with ledger.reading() as conn:
        return list(iter_events(conn, run_id=run_id))
