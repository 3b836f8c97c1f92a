"""Scale-out over the machine's real Redis and PostgreSQL: ``bots worker`` processes share a
run's items through the broker and the ledger's leases."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from backoffice.ledger import Ledger, NewItem
from backoffice.models import Trigger
from backoffice.registry import Registry
from backoffice.states import ItemState, RunState
from scheduler.dispatch import run_distributed
from tests.scheduler.conftest import (
    APPEND_WORKFLOW,
    Processes,
    events,
    wait_until,
    write_project,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def _project(tmp_path: Path, pg_url: str, redis_queue: tuple[str, str], *,
             visibility_timeout: float = 3600, work_seconds: float = 0.05,
             lease_seconds: float = 300):
    broker, queue = redis_queue
    ledger_file = tmp_path / "erp-postings.txt"
    settings = write_project(
        tmp_path,
        database_url=pg_url,
        broker_url=broker,
        queue=queue,
        visibility_timeout=visibility_timeout,
        workflows={"append": APPEND_WORKFLOW.format(
            ledger_file=ledger_file, work_seconds=work_seconds, lease_seconds=lease_seconds)},
    )
    return settings, ledger_file


def _posted_keys(ledger_file: Path) -> Counter[str]:
    lines = ledger_file.read_text(encoding="utf-8").splitlines()
    return Counter(line.split(" ")[0] for line in lines)


def _worker_pids(ledger: Ledger, run_id: str) -> set[str]:
    return {a.worker.split(":")[1] for a in ledger.attempts(run_id=run_id) if a.worker}


def test_two_workers_share_a_run_and_each_item_is_done_once(
    tmp_path: Path, pg_url: str, redis_queue: tuple[str, str], processes: Processes
) -> None:
    settings, ledger_file = _project(tmp_path, pg_url, redis_queue, work_seconds=0.1)
    ledger = Ledger.open(settings.db_url)
    for n in (1, 2):
        processes.start(["worker", "--concurrency", "1"], tmp_path, f"worker{n}")
    items = [NewItem(key=f"INV-{i:03d}", payload={"n": i}) for i in range(30)]

    run = run_distributed(settings, ledger, Registry(settings), "append", items=items,
                          trigger=Trigger(actor="tester"), timeout=90)

    assert run.state is RunState.COMPLETED
    states = Counter(i.state for i in ledger.items(run.id))
    assert states == Counter({ItemState.DONE: 30})
    posted = _posted_keys(ledger_file)
    assert posted == Counter({item.key: 1 for item in items})
    assert len(_worker_pids(ledger, run.id)) == 2, "both workers should have taken items"
    completed = [e for e in events(ledger, "run.completed") if e.run_id == run.id]
    assert len(completed) == 1
    ledger.close()


def test_item_of_a_killed_worker_is_finished_by_the_other_without_a_duplicate_posting(
    tmp_path: Path, pg_url: str, redis_queue: tuple[str, str], processes: Processes
) -> None:
    settings, ledger_file = _project(tmp_path, pg_url, redis_queue, visibility_timeout=4)
    ledger = Ledger.open(settings.db_url)
    workers = [processes.start(["worker", "--concurrency", "1"], tmp_path, f"worker{n}")
               for n in (1, 2)]
    # The first item posts, then holds: the worker dies after the side effect and before
    # the ledger heard of it, the worst moment for a duplicate.
    items = [NewItem(key="INV-HOLD", payload={"hold_seconds": 60})]
    items += [NewItem(key=f"INV-{i:03d}") for i in range(12)]
    from scheduler.dispatch import start_distributed

    run = start_distributed(settings, ledger, Registry(settings), "append", items=items,
                            trigger=Trigger(actor="tester"))
    holding = Path(f"{ledger_file}.holding")
    pid = int(wait_until(lambda: holding.exists() and holding.read_text().strip(), 60,
                         "the held item to be posted"))
    victim = next(w for w in workers if os.getpgid(pid) == w.pid)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)

    def settled() -> bool:
        return ledger.run(run.id).state is RunState.COMPLETED

    wait_until(settled, 90, "the surviving worker to finish the run")

    assert Counter(i.state for i in ledger.items(run.id)) == Counter({ItemState.DONE: 13})
    assert _posted_keys(ledger_file) == Counter({item.key: 1 for item in items})
    held = next(i for i in ledger.items(run.id) if i.key == "INV-HOLD")
    outcomes = [a.outcome for a in ledger.attempts(item_id=held.id)]
    assert outcomes == ["lost", "existing"]
    assert held.payload["posted_by"] == pid  # the dead worker's posting was recognised
    assert [e for e in events(ledger, "item.lease_recovered") if e.item_id == held.id]
    report = ledger.verify_state()
    assert report.ok, [m.describe() for m in report.mismatches]
    ledger.close()


def test_bots_run_with_a_broker_hands_the_items_to_workers(
    tmp_path: Path, pg_url: str, redis_queue: tuple[str, str], processes: Processes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from backoffice.cli import cli_for_tests

    settings, ledger_file = _project(tmp_path, pg_url, redis_queue)
    files = tmp_path / "batch"
    files.mkdir()
    for n in range(3):
        (files / f"invoice-{n}.txt").write_text(str(n), encoding="utf-8")
    worker = processes.start(["worker"], tmp_path, "worker")
    monkeypatch.chdir(tmp_path)
    for var in ("BOTS_DATABASE_URL", "BOTS_BROKER_URL", "BOTS_CONFIG"):
        monkeypatch.delenv(var, raising=False)

    result = CliRunner().invoke(cli_for_tests(),
                                ["run", "append", "--input", str(files), "--user", "bob"])

    assert result.exit_code == 0, result.output
    ledger = Ledger.open(settings.db_url)
    (run,) = ledger.runs()
    assert run.state is RunState.COMPLETED and run.trigger.actor == "bob"
    assert run.counts == {"DONE": 3, "total": 3}
    pids = _worker_pids(ledger, run.id)
    assert pids and pids <= {str(p.pid) for p in _pool_of(worker)}  # not this process
    assert len(ledger_file.read_text(encoding="utf-8").splitlines()) == 3
    ledger.close()


def _pool_of(worker: object) -> list:
    import psutil

    proc = psutil.Process(worker.pid)  # type: ignore[attr-defined]
    return [proc, *proc.children(recursive=True)]


def test_resume_with_a_broker_sends_the_open_items_to_the_workers(
    tmp_path: Path, pg_url: str, redis_queue: tuple[str, str], processes: Processes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run whose tasks were lost (a broker flushed, a dispatcher that died before sending)
    is carried on by ``bots run --resume`` through the workers, each item done once."""
    from click.testing import CliRunner

    from backoffice.cli import cli_for_tests
    from backoffice.engine import Engine

    settings, ledger_file = _project(tmp_path, pg_url, redis_queue)
    ledger = Ledger.open(settings.db_url)
    stranded = Engine(settings, ledger, Registry(settings)).prepare(
        "append", items=[NewItem(key=f"lost-{n}") for n in range(4)],
        trigger=Trigger(actor="scheduler"),
    )
    processes.start(["worker"], tmp_path, "worker")
    monkeypatch.chdir(tmp_path)
    for var in ("BOTS_DATABASE_URL", "BOTS_BROKER_URL", "BOTS_CONFIG"):
        monkeypatch.delenv(var, raising=False)

    result = CliRunner().invoke(cli_for_tests(),
                                ["run", "--resume", stranded.id, "--user", "ops"])

    assert result.exit_code == 0, result.output
    run = ledger.run(stranded.id)
    assert run.state is RunState.COMPLETED and run.counts == {"DONE": 4, "total": 4}
    assert sorted(_posted_keys(ledger_file).values()) == [1, 1, 1, 1]
    assert [e.payload.get("resumed") for e in events(ledger, "run.dispatched")] == [True]
    ledger.close()


LEASE = 4.0


def test_a_run_whose_worker_died_holding_its_last_item_finishes_by_itself_within_twice_the_lease(
    tmp_path: Path, pg_url: str, redis_queue: tuple[str, str], processes: Processes
) -> None:
    """The broker cannot help here (an hour's visibility timeout, the queue already drained,
    no dispatcher waiting): only the lease, watched by the surviving worker, can."""
    from scheduler.dispatch import start_distributed

    settings, ledger_file = _project(tmp_path, pg_url, redis_queue, lease_seconds=LEASE)
    ledger = Ledger.open(settings.db_url)
    workers = [processes.start(["worker", "--concurrency", "1"], tmp_path, f"worker{n}")
               for n in (1, 2)]
    items = [NewItem(key="INV-HOLD", payload={"hold_seconds": 60})]
    items += [NewItem(key=f"INV-{i:03d}") for i in range(6)]
    run = start_distributed(settings, ledger, Registry(settings), "append", items=items,
                            trigger=Trigger(actor="tester"))
    holding = Path(f"{ledger_file}.holding")
    pid = int(wait_until(lambda: holding.exists() and holding.read_text().strip(), 60,
                         "the held item to be posted"))
    wait_until(lambda: ledger.run(run.id).counts.get("DONE") == 6, 60,
               "the other items to be done, so no new task can come to the rescue")
    victim = next(w for w in workers if os.getpgid(pid) == w.pid)
    os.killpg(victim.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    victim.wait(timeout=10)

    wait_until(lambda: ledger.run(run.id).state is RunState.COMPLETED, 4 * LEASE,
               "the run to finish by itself")

    assert time.monotonic() - killed_at < 2 * LEASE + 1.5
    assert Counter(i.state for i in ledger.items(run.id)) == Counter({ItemState.DONE: 7})
    assert _posted_keys(ledger_file) == Counter({item.key: 1 for item in items})
    held = next(i for i in ledger.items(run.id) if i.key == "INV-HOLD")
    assert [a.outcome for a in ledger.attempts(item_id=held.id)] == ["lost", "existing"]
    assert [e for e in events(ledger, "run.redispatched") if e.run_id == run.id]
    ledger.close()


TAKE_AND_HANG = """
import sys, time
from kombu import Connection
with Connection(sys.argv[1]) as conn:
    queue = conn.SimpleQueue(sys.argv[2], no_ack=False)
    queue.get(timeout=20)  # taken from the broker, never acknowledged, item never claimed
    print("took", flush=True)
    time.sleep(600)
"""


def test_an_item_whose_task_died_with_a_worker_before_any_claim_is_dispatched_again(
    tmp_path: Path, pg_url: str, redis_queue: tuple[str, str], processes: Processes
) -> None:
    import subprocess
    import sys

    from scheduler.dispatch import start_distributed
    from tests.scheduler.conftest import subprocess_env

    settings, ledger_file = _project(tmp_path, pg_url, redis_queue, lease_seconds=LEASE)
    ledger = Ledger.open(settings.db_url)
    run = start_distributed(settings, ledger, Registry(settings), "append",
                            items=[NewItem(key="INV-LOST")], trigger=Trigger(actor="tester"))
    taker = subprocess.Popen([sys.executable, "-c", TAKE_AND_HANG, redis_queue[0],
                              settings.queue], env=subprocess_env(), stdout=subprocess.PIPE)
    assert taker.stdout is not None and taker.stdout.readline().strip() == b"took"
    taker.kill()
    taker.wait(timeout=10)
    processes.start(["worker", "--concurrency", "1"], tmp_path, "worker")

    wait_until(lambda: ledger.run(run.id).state is RunState.COMPLETED, 6 * LEASE,
               "the run to finish by itself")

    assert _posted_keys(ledger_file) == Counter({"INV-LOST": 1})
    (item,) = ledger.items(run.id)
    assert [a.outcome for a in ledger.attempts(item_id=item.id)] == ["done"]
    ledger.close()
