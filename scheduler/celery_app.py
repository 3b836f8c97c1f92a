"""The Celery app, built from ``Settings`` (never from module-level environment reads).

Delivery is at-least-once on purpose: ``acks_late`` acknowledges a task only after it ran,
``task_reject_on_worker_lost`` puts it back when a pool process dies, and the Redis
visibility timeout hands a task whose whole worker vanished to another worker. Duplicates
are harmless because the ledger decides who works an item (a lease taken by
compare-and-set) and a robot's ``find_existing`` runs before any re-attempt.
"""

from __future__ import annotations

import os
import random
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from celery import Celery
from celery.signals import worker_process_shutdown, worker_shutdown

from backoffice.config import Settings
from backoffice.engine import Engine, RobotCache, owner_is_dead
from backoffice.errors import ConfigError
from backoffice.ledger import Ledger
from backoffice.models import utcnow
from backoffice.registry import Registry
from backoffice.states import ItemState, RunState
from scheduler.dispatch import PROCESS_ITEM, finish_if_drained, send_item_tasks


def make_celery(settings: Settings) -> Celery:
    if not settings.broker_url:
        raise ConfigError("broker_url is not set (BOTS_BROKER_URL or broker_url in bots.toml)")
    visibility = settings.scheduler.visibility_timeout
    app = Celery("backoffice-bots", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=settings.scheduler.queue,
        task_ignore_result=True,  # outcomes live in the ledger, not a result backend
        task_serializer="json",
        accept_content=["json"],
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        broker_transport_options={
            "visibility_timeout": visibility,
            # Sweep for abandoned tasks often enough that a short timeout means something.
            "unacked_restore_interval": max(1, min(10, int(visibility // 3) or 1)),
            "unacked_restore_throttle": 1,
        },
    )
    state = _WorkerState(settings)

    def _close_robots(**_kwargs: object) -> None:
        state.close()

    # A prefork child ends with worker_process_shutdown; the solo pool with worker_shutdown.
    worker_process_shutdown.connect(_close_robots, weak=False)
    worker_shutdown.connect(_close_robots, weak=False)

    @app.task(name=PROCESS_ITEM, bind=True, acks_late=True, reject_on_worker_lost=True)
    def process_item(task: object, run_id: str) -> str:
        return state.get().process(app, run_id)

    return app


class _WorkerState:
    """The per-process ledger, registry and engine: made lazily in each pool process, after
    the fork, so no database connection is ever shared across processes."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._pid: int | None = None
        self._worker: ItemWorker | None = None
        self._lock = threading.Lock()

    def get(self) -> ItemWorker:
        with self._lock:
            if self._worker is None or self._pid != os.getpid():
                settings = self._settings
                ledger = Ledger.open(settings.db_url)
                self._worker = ItemWorker(settings, ledger, Registry(settings))
                self._pid = os.getpid()
            return self._worker

    def close(self) -> None:
        with self._lock:
            if self._worker is not None and self._pid == os.getpid():
                self._worker.robots.close()


@dataclass
class ItemWorker:
    settings: Settings
    ledger: Ledger
    registry: Registry
    # Robots stay open across this process's tasks: a browser is started once, not per item.
    robots: RobotCache = field(default_factory=RobotCache)

    def process(self, app: Celery, run_id: str) -> str:
        """One task: work one ready item of the run, then complete the run if drained."""
        owner = f"{socket.gethostname()}:{os.getpid()}:{random.getrandbits(32):08x}"
        recovered = self.ledger.recover_leases(run_id, owner_is_dead, actor=owner)
        if recovered:
            # Each of those items was held by a task that died with its worker; that
            # task only comes back after the visibility timeout, so send replacements now.
            send_item_tasks(app, self.settings, run_id, recovered)
        run = self.ledger.run(run_id)
        if run.state is not RunState.RUNNING:
            return "run not running"  # cancelled, or already completed by another worker
        lease = self.registry.workflow(run.workflow).concurrency.lease_seconds
        engine = Engine(self.settings, self.ledger, self.registry)
        with self._heartbeat(owner, lease):
            item = engine.execute_one(run_id, owner=owner, robots=self.robots)
        outcome = "nothing ready"
        if item is not None:
            outcome = f"{item.id} {item.state.value}"
            if item.state is ItemState.PENDING and item.not_before is not None:
                # A system error to retry after a backoff: a new task comes back for it.
                delay = max(0.0, (item.not_before - utcnow()).total_seconds())
                send_item_tasks(app, self.settings, run_id, 1, countdown=delay)
        finish_if_drained(self.settings, self.ledger, self.registry, run_id, actor=owner)
        return outcome

    @contextmanager
    def _heartbeat(self, owner: str, lease_seconds: float) -> Iterator[None]:
        """Keep the item's lease alive while a long step runs."""
        done = threading.Event()
        interval = max(0.5, min(10.0, lease_seconds / 3))

        def beat() -> None:
            while not done.wait(interval):
                # A failed beat is tried again next time; an expired lease is recovered.
                with suppress(Exception):
                    self.ledger.renew_leases(owner, lease_seconds)

        thread = threading.Thread(target=beat, daemon=True, name="lease-heartbeat")
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join(timeout=interval)


def worker_argv(settings: Settings, *, concurrency: int, pool: str, loglevel: str) -> list[str]:
    """The ``celery worker`` arguments ``bots worker`` starts with."""
    return [
        "worker",
        f"--queues={settings.scheduler.queue}",
        f"--concurrency={concurrency}",
        f"--pool={pool}",
        f"--loglevel={loglevel}",
        f"--hostname=bots-{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
