"""Scale-out benchmark: ``bots worker`` processes on PostgreSQL + Redis / RabbitMQ.

    .venv/bin/python bench/scaleout.py throughput [--broker redis|rabbitmq|both] [--repeat 5]
    .venv/bin/python bench/scaleout.py faults [--broker ...] [--items 1000] [--kills 10]

throughput: items/s of CPU-bound items with 1 and with 2 workers (``--concurrency 1`` each),
    each measured ``--repeat`` times, alternating; prints every measurement, the medians and
    the speed-up of the medians. Target: 2 workers >= 1.6x one worker. The machine is shared:
    measure when it is quiet (the load average is printed).
faults: 2 workers work a run of ``--items`` items dispatched like ``bots run`` does; every
    ``--kill-every`` seconds a random worker is killed with SIGKILL (its parent process, its
    pool child, or both at once), ``--kills`` times; a worker that is gone is started again
    (as systemd would). Prints: finished by itself (yes/no, never ``--resume``), seconds to
    finish, and items posted once / twice / lost, counted from the robot's postings file
    (the outside effect), not from the ledger.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from backoffice.ledger import Ledger, NewItem  # noqa: E402
from backoffice.models import Trigger  # noqa: E402
from backoffice.registry import Registry  # noqa: E402
from backoffice.states import ItemState, RunState  # noqa: E402
from scheduler.dispatch import run_distributed  # noqa: E402
from tests.scheduler.conftest import subprocess_env, write_project  # noqa: E402

PG_URL = os.environ.get("BOTS_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BROKERS = {
    "redis": os.environ.get("BOTS_TEST_SCHEDULER_REDIS_URL", "redis://127.0.0.1:6379/5"),
    "rabbitmq": os.environ.get("BOTS_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//"),
}
BOTS = str(Path(sys.executable).with_name("bots"))

WORKFLOW = """
name = "cpu-post"
[[steps]]
robot = "tests.scheduler.robots:CpuPostingRobot"
params = {{ rounds = {rounds}, ledger_file = "{ledger_file}" }}
[concurrency]
lease_seconds = {lease}
"""


@contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema for one measurement, dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class Cluster:
    """``bots worker`` processes for one project folder, each in its own process group."""

    base: Path
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    started: int = 0

    def start(self) -> subprocess.Popen[bytes]:
        self.started += 1
        log = open(self.base / f"worker{self.started}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen([BOTS, "worker", "--concurrency", "1", "--loglevel", "WARNING"],
                                cwd=self.base, env=subprocess_env(), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.workers.append(proc)
        return proc

    def supervise(self, size: int) -> int:
        """Start a new worker for each one that exited (as systemd would); returns how many.
        A worker can also end by itself: Celery exits when a pool child dies before its
        consumer loop starts ("Could not start worker processes")."""
        replaced = 0
        while sum(1 for p in self.workers if p.poll() is None) < size:
            self.start()
            replaced += 1
        return replaced

    def stop(self) -> None:
        for proc in self.workers:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
            with suppress(ProcessLookupError):  # an orphaned pool child of a killed parent
                os.killpg(proc.pid, signal.SIGKILL)


def project(base: Path, pg_url: str, broker: str, *, rounds: int, lease: float):
    queue = f"bots-bench-{uuid.uuid4().hex[:8]}"
    postings = base / "postings.txt"
    settings = write_project(base, database_url=pg_url, broker_url=broker, queue=queue,
                             workflows={"cpu-post": WORKFLOW.format(
                                 rounds=rounds, ledger_file=postings, lease=lease)})
    return settings, postings


def purge(broker: str, queue: str) -> None:
    if broker.startswith("redis"):
        import redis

        client = redis.Redis.from_url(broker)
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)
        client.close()


# ---- throughput -----------------------------------------------------------------------------
def _cpu_seconds(cluster: Cluster) -> float:
    """User + system CPU seconds of every worker process and its pool children so far."""
    total = 0.0
    for proc in cluster.workers:
        with suppress(psutil.NoSuchProcess):
            parent = psutil.Process(proc.pid)
            for p in [parent, *parent.children(recursive=True)]:
                with suppress(psutil.NoSuchProcess):
                    times = p.cpu_times()
                    total += times.user + times.system
    return total


def throughput_once(broker: str, workers: int, items: int,
                    rounds: int) -> tuple[float, float]:
    """(items/s, cores the workers got on average while the batch ran)."""
    with tempfile.TemporaryDirectory() as tmp, pg_schema() as pg_url:
        base = Path(tmp)
        settings, _ = project(base, pg_url, broker, rounds=rounds, lease=60)
        ledger = Ledger.open(settings.db_url)
        registry = Registry(settings)
        cluster = Cluster(base)
        for _ in range(workers):
            cluster.start()
        try:
            warm = [NewItem(key=f"warm-{uuid.uuid4().hex}") for _ in range(workers * 3)]
            run_distributed(settings, ledger, registry, "cpu-post", items=warm,
                            trigger=Trigger(actor="bench"), timeout=180)
            batch = [NewItem(key=f"item-{uuid.uuid4().hex}") for _ in range(items)]
            cpu_before = _cpu_seconds(cluster)
            started = time.perf_counter()
            run = run_distributed(settings, ledger, registry, "cpu-post", items=batch,
                                  trigger=Trigger(actor="bench"), timeout=900)
            elapsed = time.perf_counter() - started
            cores = (_cpu_seconds(cluster) - cpu_before) / elapsed
            assert run.counts.get("DONE") == items, run.counts
            return items / elapsed, cores
        finally:
            cluster.stop()
            ledger.close()
            purge(broker, settings.queue)


def bench_throughput(brokers: list[str], items: int, rounds: int, repeat: int) -> None:
    for name in brokers:
        print(f"throughput on {name} + PostgreSQL, {items} CPU-bound items "
              f"({rounds} SHA-256 rounds each), {repeat} measurements per worker count:")
        rates: dict[int, list[float]] = {1: [], 2: []}
        for n in range(repeat):
            for workers in (1, 2):
                load = os.getloadavg()[0]
                rate, cores = throughput_once(BROKERS[name], workers, items, rounds)
                rates[workers].append(rate)
                print(f"  #{n + 1} {workers} worker(s): {rate:6.1f} items/s, the workers got "
                      f"{cores:.2f} CPU core(s) on average (load average before: {load:.1f})",
                      flush=True)
        one, two = statistics.median(rates[1]), statistics.median(rates[2])
        pairs = [b / a for a, b in zip(rates[1], rates[2], strict=True)]
        verdict = "OK" if two / one >= 1.6 else "BELOW TARGET"
        print(f"  median: 1 worker {one:.1f} items/s, 2 workers {two:.1f} items/s: "
              f"{two / one:.2f}x (target >= 1.6x: {verdict}); per-pair speed-ups "
              f"{', '.join(f'{p:.2f}' for p in pairs)} (median {statistics.median(pairs):.2f}x: "
              "adjacent pairs see about the same load from the rest of the machine)",
              flush=True)


# ---- faults ---------------------------------------------------------------------------------
def kill_one(cluster: Cluster, rng: random.Random) -> str:
    """SIGKILL a random live worker: its parent, its pool child, or both; start a new worker
    when the old one is gone for good. Returns what was killed."""
    victim, children = _working_worker(cluster, rng)
    how = rng.choice(["parent", "child", "both"])
    if how == "child":
        for child in children:
            with suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)  # the parent survives and forks a new one
        return how
    if how == "both":
        with suppress(ProcessLookupError):
            os.killpg(victim.pid, signal.SIGKILL)
    else:
        with suppress(ProcessLookupError):
            os.kill(victim.pid, signal.SIGKILL)
        # The orphaned pool child finishes (or is fenced off on) its item and exits on its
        # own; it is reaped with the process group afterwards.
    victim.wait(timeout=10)
    return how


def _working_worker(cluster: Cluster, rng: random.Random) -> tuple[subprocess.Popen[bytes],
                                                                    list[psutil.Process]]:
    """A random worker that is up (its pool child forked): killing one still starting up
    would say little about a worker dying mid-item."""
    while True:
        up = []
        for proc in cluster.workers:
            if proc.poll() is not None:
                continue
            with suppress(psutil.NoSuchProcess):
                children = psutil.Process(proc.pid).children(recursive=True)
                if children:
                    up.append((proc, children))
        if up:
            return rng.choice(up)
        cluster.supervise(1)
        time.sleep(0.2)


def fault_run(broker_name: str, items: int, kills: int, kill_every: float, rounds: int,
              lease: float, seed: int, timeout: float) -> dict[str, object]:
    rng = random.Random(seed)
    broker = BROKERS[broker_name]
    with tempfile.TemporaryDirectory() as tmp, pg_schema() as pg_url:
        base = Path(tmp)
        settings, postings = project(base, pg_url, broker, rounds=rounds, lease=lease)
        ledger = Ledger.open(settings.db_url)
        registry = Registry(settings)
        cluster = Cluster(base)
        cluster.start()
        cluster.start()
        keys = [f"INV-{n:05d}" for n in range(items)]
        done = threading.Event()
        killed: list[str] = []
        restarted = [0]

        def killer() -> None:
            # Mid-run: only once the workers are taking items.
            while not done.wait(0.2) and _done_count(ledger) < min(20, items // 10):
                pass
            while len(killed) < kills and not done.wait(kill_every * rng.uniform(0.5, 1.5)):
                killed.append(kill_one(cluster, rng))
                restarted[0] += cluster.supervise(2)

        def supervisor() -> None:
            while not done.wait(0.5):
                restarted[0] += cluster.supervise(2)

        thread = threading.Thread(target=killer, daemon=True)
        keeper = threading.Thread(target=supervisor, daemon=True)
        started = time.perf_counter()
        thread.start()
        keeper.start()
        try:
            run = run_distributed(settings, ledger, registry, "cpu-post",
                                  items=[NewItem(key=k) for k in keys],
                                  trigger=Trigger(actor="bench"), timeout=timeout)
            finished = run.state is RunState.COMPLETED
        except Exception as exc:  # the timeout: the run did not finish by itself
            print(f"    not finished: {exc}")
            run = ledger.runs(limit=1)[0]
            finished = False
        seconds = time.perf_counter() - started
        done.set()
        thread.join()
        keeper.join()
        lines = postings.read_text(encoding="utf-8").splitlines() if postings.exists() else []
        posted = Counter(line.split(" ")[0] for line in lines)
        states = {i.key: i.state for i in ledger.items(run.id)}
        once = sum(1 for k in keys if posted[k] == 1 and states.get(k) is ItemState.DONE)
        twice = sum(1 for k in keys if posted[k] > 1)
        lost = sum(1 for k in keys if posted[k] == 0 or states.get(k) is not ItemState.DONE)
        events = Counter(e for e in _event_kinds(ledger, run.id)
                         if e in ("run.redispatched", "item.lease_recovered",
                                  "item.outcome_fenced"))
        existing = sum(1 for a in ledger.attempts(run_id=run.id) if a.outcome == "existing")
        cluster.stop()
        ledger.close()
        purge(broker, settings.queue)
    return {"broker": broker_name, "finished": finished, "seconds": seconds,
            "kills": len(killed), "restarted": restarted[0], "how": Counter(killed),
            "once": once, "twice": twice, "lost": lost, "events": events, "existing": existing}


def _done_count(ledger: Ledger) -> int:
    runs = ledger.runs(limit=1)
    return runs[0].counts.get("DONE", 0) if runs else 0


def _event_kinds(ledger: Ledger, run_id: str) -> list[str]:
    from backoffice.ledger.events import iter_events

    with ledger.reading() as conn:
        return [e.kind for e in iter_events(conn, run_id=run_id)]


def bench_faults(brokers: list[str], items: int, kills: int, kill_every: float, rounds: int,
                 lease: float, runs: int, timeout: float) -> None:
    for name in brokers:
        print(f"faults on {name} + PostgreSQL: {items} items, 2 workers, {kills} SIGKILLs "
              f"about every {kill_every:g} s, lease {lease:g} s:", flush=True)
        for n in range(runs):
            r = fault_run(name, items, kills, kill_every, rounds, lease, seed=n, timeout=timeout)
            how = ", ".join(f"{k} {v}" for k, v in sorted(r["how"].items()))  # type: ignore[attr-defined]
            print(f"  run {n + 1}: finished by itself: {'yes' if r['finished'] else 'NO'} in "
                  f"{r['seconds']:.1f} s; {r['kills']} kills ({how}), {r['restarted']} workers "
                  f"restarted; items done once "
                  f"{r['once']}, twice {r['twice']}, lost {r['lost']}; "
                  f"{r['existing']} found already posted; events {dict(r['events'])}",  # type: ignore[call-overload]
                  flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["throughput", "faults", "both"])
    parser.add_argument("--broker", choices=["redis", "rabbitmq", "both"], default="both")
    parser.add_argument("--items", type=int, default=None,
                        help="items per run (throughput: 60, faults: 1000)")
    parser.add_argument("--rounds", type=int, default=None,
                        help="SHA-256 rounds per item (throughput: 200000, faults: 10000)")
    parser.add_argument("--repeat", type=int, default=5, help="throughput measurements")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--kill-every", type=float, default=2.5)
    parser.add_argument("--lease", type=float, default=5.0, help="fault runs' lease seconds")
    parser.add_argument("--runs", type=int, default=1, help="fault runs per broker")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    brokers = ["redis", "rabbitmq"] if args.broker == "both" else [args.broker]
    print(f"scale-out benchmark on {os.cpu_count()} CPU(s), load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    if args.mode in ("throughput", "both"):
        bench_throughput(brokers, args.items or 60, args.rounds or 200_000, args.repeat)
    if args.mode in ("faults", "both"):
        bench_faults(brokers, args.items or 1000, args.kills, args.kill_every,
                     args.rounds or 10_000, args.lease, args.runs, args.timeout)


if __name__ == "__main__":
    main()
