"""The watchman on a SQLite ledger, its tasks worked in this process: a run whose worker
vanished (lease expired, or task lost before the item was claimed) finishes by itself, the
outside effect done once."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from backoffice.config import Settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger, NewItem
from backoffice.models import Trigger
from backoffice.registry import Registry
from backoffice.states import ItemState, RunState
from scheduler.dispatch import distributed_owner
from scheduler.watchman import Watchman
from tests.scheduler.conftest import APPEND_WORKFLOW, write_project

LEASE = 0.6


def _setup(tmp_path: Path) -> tuple[Settings, Ledger, Registry, Watchman, list[int], Path]:
    ledger_file = tmp_path / "erp-postings.txt"
    settings = write_project(tmp_path, workflows={"append": APPEND_WORKFLOW.format(
        ledger_file=ledger_file, work_seconds=0.01, lease_seconds=LEASE)})
    ledger = Ledger.open(settings.db_url)
    registry = Registry(settings)
    sent: list[int] = []

    def send(run_id: str, count: int) -> None:  # a live worker taking the new tasks
        sent.append(count)
        for _ in range(count):
            Engine(settings, ledger, registry).execute_one(run_id, owner="host:2:alive")

    watchman = Watchman(settings, ledger, registry, send=send, actor="watchman")
    return settings, ledger, registry, watchman, sent, ledger_file


def _dispatched(settings: Settings, ledger: Ledger, keys: list[str]) -> str:
    """A run as ``start_distributed`` leaves it: RUNNING under the queue's owner."""
    run = Engine(settings, ledger, Registry(settings)).prepare(
        "append", items=[NewItem(key=k) for k in keys], trigger=Trigger(actor="t"))
    ledger.set_run_state(run.id, RunState.RUNNING, actor="t", owner=distributed_owner(settings))
    return run.id


def _watch_until_done(ledger: Ledger, watchman: Watchman, run_id: str) -> float:
    started = time.monotonic()
    while ledger.run(run_id).state is RunState.RUNNING:
        assert time.monotonic() - started < 4 * LEASE + 2, "the run never finished"
        watchman.check_all()
        time.sleep(0.05)
    return time.monotonic() - started


def test_an_item_whose_worker_died_after_posting_is_finished_without_a_second_posting(
    tmp_path: Path,
) -> None:
    settings, ledger, _, watchman, sent, ledger_file = _setup(tmp_path)
    run_id = _dispatched(settings, ledger, ["INV-1"])
    # A worker on another machine claims the item, posts it, and dies before recording it.
    held = ledger.claim(run_id, "otherhost:77:dead", lease_seconds=LEASE)
    assert held is not None
    ledger.start_attempt(held, robot="append_line", robot_version="1", worker="otherhost:77")
    ledger_file.write_text("INV-1 77\n", encoding="utf-8")

    took = _watch_until_done(ledger, watchman, run_id)

    assert took < 2 * LEASE + 1
    assert ledger.run(run_id).state is RunState.COMPLETED
    item = ledger.item(held.id)
    assert item.state is ItemState.DONE and item.payload["posted_by"] == 77
    assert [a.outcome for a in ledger.attempts(item_id=held.id)] == ["lost", "existing"]
    assert ledger_file.read_text(encoding="utf-8").splitlines() == ["INV-1 77"]
    assert sent == [1]


def test_items_whose_tasks_were_lost_before_any_claim_are_dispatched_again(
    tmp_path: Path,
) -> None:
    settings, ledger, _, watchman, sent, ledger_file = _setup(tmp_path)
    keys = [f"INV-{n}" for n in range(3)]
    run_id = _dispatched(settings, ledger, keys)  # the tasks went down with their worker

    _watch_until_done(ledger, watchman, run_id)

    assert ledger.run(run_id).state is RunState.COMPLETED
    assert sent == [3]
    posted = Counter(line.split(" ")[0] for line in ledger_file.read_text().splitlines())
    assert posted == Counter({k: 1 for k in keys})


def test_a_run_that_is_not_running_is_left_alone(tmp_path: Path) -> None:
    settings, ledger, _, watchman, sent, _ = _setup(tmp_path)
    run_id = _dispatched(settings, ledger, ["INV-1"])
    ledger.set_run_state(run_id, RunState.CANCELLED, actor="ops", reason="stopped by a person")
    time.sleep(LEASE + 0.1)

    assert watchman.check_all() == 0 and watchman.check(run_id).total == 0
    assert sent == [] and ledger.run(run_id).state is RunState.CANCELLED
