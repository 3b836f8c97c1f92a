"""The Celery app, built from ``Settings`` (never from module-level environment reads).

Delivery is at-least-once on purpose: ``acks_late`` acknowledges a task only after it ran,
``task_reject_on_worker_lost`` puts it back when a pool process dies, prefetch 1 keeps a
worker from sitting on tasks it cannot start, and the Redis visibility timeout hands a task
whose whole worker vanished to another worker (after an hour by default). None of that is
relied on: the ledger's lease is the truth, and the watchman every worker runs re-dispatches
an item as soon as its lease expires or its task is lost. Duplicates are harmless because
the ledger decides who works an item (a lease taken by compare-and-set), a robot's
``find_existing`` runs before any re-attempt, and a worker whose lease was taken over
cannot record an outcome.
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
from celery.signals import worker_process_shutdown, worker_ready, worker_shutdown
from sqlalchemy.engine import make_url

from backoffice.config import Settings
from backoffice.engine import Engine, RobotCache, owner_is_dead
from backoffice.errors import BotError, ConfigError, DispatchFailed
from backoffice.ledger import Ledger
from backoffice.models import utcnow
from backoffice.registry import Registry
from backoffice.states import ItemState, RunState
from scheduler.dispatch import PROCESS_ITEM, finish_if_drained, make_watchman, send_item_tasks


def require_shared_ledger(settings: Settings) -> None:
    """A broker hands items to workers on other machines (or in other folders): they must all
    write one ledger. A SQLite file is each process's own, so workers would answer "run not
    found" for every task while the dispatcher waits for ever."""
    if not settings.broker_url:
        raise ConfigError("broker_url is not set (BOTS_BROKER_URL or broker_url in bots.toml)")
    if make_url(settings.db_url).get_backend_name() == "sqlite":
        raise ConfigError(
            "broker_url is set but the ledger is the local SQLite file "
            f"{make_url(settings.db_url).database}: workers elsewhere would each use their own "
            "file and never find the run. Set BOTS_DATABASE_URL (database_url) to the shared "
            "PostgreSQL ledger on every machine, or unset BOTS_BROKER_URL to run in-process."
        )


def make_celery(settings: Settings) -> Celery:
    require_shared_ledger(settings)
    assert settings.broker_url is not None
    visibility = settings.scheduler.visibility_timeout
    app = Celery("backoffice-bots", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=settings.queue,
        task_ignore_result=True,  # outcomes live in the ledger, not a result backend
        task_serializer="json",
        accept_content=["json"],
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        # A dispatcher fails in seconds, not after Celery's default retries, when the
        # broker is down: the run is then marked FAILED instead of left half-sent.
        broker_connection_timeout=4,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0,
                                   "interval_step": 0.5, "interval_max": 1},
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


@contextmanager
def broker_errors(app: Celery) -> Iterator[None]:
    """The one boundary where the broker client's errors become ``DispatchFailed``."""
    try:
        yield
    except BotError:
        raise
    except Exception as exc:  # kombu, redis-py, py-amqp and socket errors alike
        url = app.conf.broker_url
        with suppress(Exception):
            url = app.connection_for_write().as_uri()  # the password masked
        raise DispatchFailed(f"broker {url} refused or unreachable: "
                             f"{type(exc).__name__}: {exc}") from exc


def check_broker(app: Celery, *, timeout: float = 5.0) -> None:
    """Connect once, before anything is created: an unreachable broker is said at once."""
    with broker_errors(app), app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2,
                               timeout=timeout)


def tasks_waiting(app: Celery, queue: str) -> int:
    """Tasks in the broker's queue not yet taken by a worker (Redis and RabbitMQ alike);
    0 when the broker cannot tell, so the watchman errs towards re-dispatching."""
    try:
        with app.connection_for_read() as conn, conn.channel() as channel:
            return int(channel.queue_declare(queue=queue, passive=True).message_count)
    except Exception:  # no such queue yet, or the broker is away: nothing known to wait
        return 0


def watch_from_worker(app: Celery, settings: Settings, *, interval: float = 2.0) -> None:
    """Run a watchman thread in the ``bots worker`` main process once its pool is up, so a
    run finishes by itself even when the dispatcher that started it is gone."""
    stop = threading.Event()

    def start(**_kwargs: object) -> None:
        ledger = Ledger.open(settings.db_url, migrate_schema=False)
        owner = f"{socket.gethostname()}:{os.getpid()}:watchman"
        watchman = make_watchman(settings, ledger, Registry(settings), app, actor=owner)
        watchman.start(stop, interval=interval)

    def halt(**_kwargs: object) -> None:
        stop.set()

    worker_ready.connect(start, weak=False)
    worker_shutdown.connect(halt, weak=False)


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
        f"--queues={settings.queue}",
        f"--concurrency={concurrency}",
        f"--pool={pool}",
        f"--loglevel={loglevel}",
        f"--hostname=bots-{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
