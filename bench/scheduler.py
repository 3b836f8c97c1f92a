"""Scheduler and scale-out benchmark.

    .venv/bin/python bench/scheduler.py [--seconds 30] [--items 200]

1. Trigger-to-start latency with 1,000 schedules in the job store (SQLite ledger): 950
   business-day crons that do not come due during the bench, and 50 interval schedules
   (every 3-7 s) that do. Latency = a run's start (RUNNING) minus the time it was due.
   Target: p95 under 1 s.
2. Items per second with 1 and with 2 ``bots worker`` processes on a CPU-bound robot, over
   the machine's Redis and PostgreSQL. Target: 2 workers at least 1.6 times 1 worker.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402

from backoffice.ledger import Ledger, NewItem  # noqa: E402
from backoffice.ledger.events import iter_events  # noqa: E402
from backoffice.models import Trigger  # noqa: E402
from backoffice.registry import Registry  # noqa: E402
from scheduler.dispatch import run_distributed  # noqa: E402
from scheduler.service import SchedulerService  # noqa: E402
from tests.scheduler.conftest import (  # noqa: E402
    CPU_WORKFLOW,
    TICK_WORKFLOW,
    subprocess_env,
    write_project,
)

PG_URL = os.environ.get("BOTS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BOTS_TEST_SCHEDULER_REDIS_URL", "redis://127.0.0.1:6379/5")


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def _schedules(ticking: int, idle: int) -> str:
    parts = ['timezone = "Europe/Helsinki"\n[calendars.fi]\ncountry = "FI"\n']
    for n in range(ticking):
        parts.append(f'[[schedule]]\nid = "tick-{n:03d}"\nworkflow = "tick"\n'
                     f'every = "{3 + n % 5}s"\nmissed = "skip"\ngrace_seconds = 30\n')
    for n in range(idle):
        # Business-day crons early in the morning of a future month: loaded, never due here.
        parts.append(f'[[schedule]]\nid = "daily-{n:03d}"\nworkflow = "tick"\n'
                     f'cron = "{n % 60} 5 {2 + n % 26} {1 + (datetime.now().month + 5) % 12} *"\n'
                     f'calendar = "fi"\n')
    return "\n".join(parts)


def bench_latency(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        settings = write_project(base, workflows={"tick": TICK_WORKFLOW},
                                 schedules=_schedules(50, 950))
        ledger = Ledger.open(settings.db_url)
        service = SchedulerService(settings, ledger, Registry(settings), poll_seconds=0.5,
                                   say=lambda _text: None)
        thread = threading.Thread(target=service.serve)
        loaded = time.perf_counter()
        thread.start()
        while not service.schedules:
            time.sleep(0.05)
        print(f"  synced 1000 schedules into the job store in {time.perf_counter() - loaded:.1f} s")
        time.sleep(seconds)
        service.stop.set()
        thread.join()
        latencies = []
        with ledger.reading() as conn:
            fired = list(iter_events(conn, kind="schedule.fired"))
        for event in fired:
            run = ledger.run(event.run_id)
            due = datetime.fromisoformat(event.payload["due"])
            if run.started_at is not None:
                latencies.append((run.started_at - due).total_seconds())
        ledger.close()
    if not latencies:
        print("  no fires recorded")
        return
    p50, p95 = _percentile(latencies, 50), _percentile(latencies, 95)
    verdict = "OK" if p95 < 1.0 else "ABOVE TARGET"
    print(f"  {len(latencies)} fires in {seconds:.0f} s: trigger-to-start p50 {p50 * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
          f"(target p95 < 1000 ms: {verdict})")


def _throughput(base: Path, pg_url: str, workers: int, items: int, rounds: int) -> float:
    queue = f"bots-bench-{uuid.uuid4().hex[:8]}"
    settings = write_project(base, database_url=pg_url, broker_url=REDIS_URL, queue=queue,
                             workflows={"cpu": CPU_WORKFLOW.format(rounds=rounds)})
    ledger = Ledger.open(settings.db_url)
    registry = Registry(settings)
    procs = [
        subprocess.Popen([str(Path(sys.executable).with_name("bots")), "worker",
                          "--concurrency", "1", "--loglevel", "WARNING"],
                         cwd=base, env=subprocess_env(), start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    try:
        warm = [NewItem(key=f"warm-{uuid.uuid4().hex}") for _ in range(workers * 2)]
        run_distributed(settings, ledger, registry, "cpu", items=warm,
                        trigger=Trigger(actor="bench"), timeout=120)
        batch = [NewItem(key=f"item-{uuid.uuid4().hex}") for _ in range(items)]
        started = time.perf_counter()
        run = run_distributed(settings, ledger, registry, "cpu", items=batch,
                              trigger=Trigger(actor="bench"), timeout=600, poll_seconds=0.05)
        elapsed = time.perf_counter() - started
        assert run.counts.get("DONE") == items, run.counts
        return items / elapsed
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
        ledger.close()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)


def bench_scale_out(items: int, rounds: int) -> None:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    pg_url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    try:
        rates = {}
        for workers in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                rates[workers] = _throughput(Path(tmp), pg_url, workers, items, rounds)
            print(f"  {workers} worker(s): {rates[workers]:.1f} items/s")
        ratio = rates[2] / rates[1]
        verdict = "OK" if ratio >= 1.6 else "BELOW TARGET"
        print(f"  speed-up with 2 workers: {ratio:.2f}x (target >= 1.6x: {verdict})")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="latency bench duration")
    parser.add_argument("--items", type=int, default=200, help="items per scale-out run")
    parser.add_argument("--rounds", type=int, default=60_000,
                        help="SHA-256 rounds per item (CPU work)")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--skip-scale-out", action="store_true")
    args = parser.parse_args()
    print(f"scheduler benchmark on {os.cpu_count()} CPU(s)")
    if not args.skip_latency:
        print("trigger-to-start latency, 1,000 schedules loaded (SQLite ledger):")
        bench_latency(args.seconds)
    if not args.skip_scale_out:
        print(f"scale-out, {args.items} CPU-bound items (Redis + PostgreSQL):")
        bench_scale_out(args.items, args.rounds)


if __name__ == "__main__":
    main()
