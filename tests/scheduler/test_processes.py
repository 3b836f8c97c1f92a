"""``bots scheduler`` as an operator runs it: SIGTERM stops it gracefully, and of two
schedulers on one PostgreSQL database exactly one fires while the other waits."""

from __future__ import annotations

import os
import signal
from collections import Counter
from pathlib import Path

import pytest

from backoffice.ledger import Ledger
from backoffice.states import ItemState, RunState
from tests.scheduler.conftest import (
    APPEND_WORKFLOW,
    TICK_WORKFLOW,
    Processes,
    events,
    wait_until,
    write_project,
)

pytestmark = pytest.mark.slow


def test_sigterm_lets_the_item_in_hand_finish_and_records_the_run_as_cancelled(
    tmp_path: Path, processes: Processes
) -> None:
    postings = tmp_path / "postings.txt"
    workflow = APPEND_WORKFLOW.format(ledger_file=postings, work_seconds=1.5, lease_seconds=60)
    workflow = workflow.replace('name = "append"', 'name = "append"\n[input]\nglob = "*.txt"')
    (tmp_path / "inputs").mkdir()
    for n in range(4):
        (tmp_path / "inputs" / f"invoice-{n}.txt").write_text(str(n), encoding="utf-8")
    settings = write_project(tmp_path, workflows={"append": workflow}, schedules="""
[[schedule]]
id = "post-invoices"
workflow = "append"
every = "1s"
overlap = "skip"
""")
    ledger = Ledger.open(settings.db_url)
    proc = processes.start(["scheduler", "--poll", "0.2"], tmp_path, "scheduler")
    fired = wait_until(lambda: events(ledger, "schedule.fired"), 30, "the first fire")
    run_id = fired[0].run_id
    wait_until(lambda: ledger.items(run_id, states=[ItemState.DONE]), 30, "a finished item")

    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=30) == 0, processes.log("scheduler")

    run = ledger.run(run_id)
    assert run.state is RunState.CANCELLED
    states = Counter(i.state for i in ledger.items(run_id))
    assert ItemState.RESERVED not in states  # nothing left half-done
    assert states[ItemState.DONE] >= 1 and states[ItemState.PENDING] >= 1
    # Every posting made was recorded: the item in hand reached its safe point.
    assert len(postings.read_text(encoding="utf-8").splitlines()) == states[ItemState.DONE]
    assert events(ledger, "scheduler.stopped")
    ledger.close()


@pytest.mark.postgres
def test_of_two_schedulers_on_one_postgres_database_exactly_one_fires(
    tmp_path: Path, pg_url: str, processes: Processes
) -> None:
    settings = write_project(tmp_path, database_url=pg_url, workflows={"tick": TICK_WORKFLOW},
                             schedules="""
[[schedule]]
id = "tick"
workflow = "tick"
every = "1s"
missed = "skip"
grace_seconds = 1
""")
    ledger = Ledger.open(settings.db_url)
    first = processes.start(["scheduler", "--poll", "0.3"], tmp_path, "first")
    wait_until(lambda: events(ledger, "scheduler.leading"), 30, "a leader")
    second = processes.start(["scheduler", "--poll", "0.3"], tmp_path, "second")
    wait_until(lambda: "standby" in processes.log("second"), 30, "the second to stand by")
    wait_until(lambda: len(events(ledger, "schedule.fired")) >= 4, 30, "four fires")

    leaders = {e.payload["owner"] for e in events(ledger, "scheduler.leading")}
    firing = {e.payload["scheduler"] for e in events(ledger, "schedule.fired")}
    assert len(leaders) == 1 and firing == leaders
    assert leaders == {next(iter(leaders))}
    assert next(iter(leaders)).split(":")[1] == str(first.pid)

    os.killpg(first.pid, signal.SIGKILL)  # the leader dies: the standby takes over
    first.wait(timeout=30)
    wait_until(lambda: {e.payload["scheduler"] for e in events(ledger, "schedule.fired")}
               - leaders, 30, "the standby to fire")

    fired = events(ledger, "schedule.fired")
    by_pid = Counter(e.payload["scheduler"].split(":")[1] for e in fired)
    assert set(by_pid) == {str(first.pid), str(second.pid)}
    due = Counter(e.payload["due"] for e in fired)
    assert max(due.values()) == 1, "a due time fired twice"
    ledger.close()
