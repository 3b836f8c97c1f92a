"""Scale-out: a run whose items are worked by Celery workers instead of in-process threads.

The dispatching side (``bots run`` or the scheduler, when ``broker_url`` is set) creates the
run as usual, marks it RUNNING under a ``celery:<queue>`` owner (no local process to watch:
the workers and their leases carry it) and sends one task per open item. Each task claims
*a* ready item of the run through the ledger's lease (a compare-and-set), so a redelivered
task never doubles work: it finds the item already done, or takes over one whose worker
died. Whoever settles the last item completes the run, exactly once
(``Ledger.complete_if_drained``); a waiting dispatcher only watches.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backoffice.config import Settings
from backoffice.engine import Engine, owner_is_dead, write_run_report
from backoffice.errors import ConfigError, StateError
from backoffice.ledger import Ledger, NewItem
from backoffice.models import Run, Trigger
from backoffice.registry import Registry
from backoffice.states import RUN_TERMINAL, RunState

if TYPE_CHECKING:
    from celery import Celery

PROCESS_ITEM = "bots.process_item"


def distributed_owner(settings: Settings) -> str:
    """The run owner recorded for a Celery run. Its "host" part is not this machine's name,
    so ``owner_is_dead`` never mistakes the dispatcher's exit for a crash."""
    return f"celery:{settings.scheduler.queue}"


def send_item_tasks(app: Celery, settings: Settings, run_id: str, count: int,
                    *, countdown: float | None = None) -> None:
    if count <= 0:
        return
    with app.producer_or_acquire() as producer:
        for _ in range(count):
            app.send_task(PROCESS_ITEM, args=[run_id], queue=settings.scheduler.queue,
                          countdown=countdown, producer=producer)


def start_distributed(
    settings: Settings,
    ledger: Ledger,
    registry: Registry,
    workflow: str,
    *,
    inputs: Sequence[str | Path] | None = None,
    items: Sequence[NewItem] | None = None,
    trigger: Trigger | None = None,
    params: Mapping[str, Any] | None = None,
    app: Celery | None = None,
) -> Run:
    """Create the run and hand its items to the workers; returns at once."""
    if not settings.broker_url:
        raise ConfigError("broker_url is not set: there is no Celery broker to dispatch to")
    from scheduler.celery_app import make_celery

    trigger = trigger or Trigger()
    run = Engine(settings, ledger, registry).prepare(
        workflow, inputs=inputs, items=items, trigger=trigger, params=params
    )
    ledger.set_run_state(run.id, RunState.RUNNING, actor=trigger.actor,
                         owner=distributed_owner(settings))
    open_count, _ = ledger.pending_summary(run.id)
    own_app = app is None
    celery = app or make_celery(settings)
    try:
        send_item_tasks(celery, settings, run.id, open_count)
    finally:
        if own_app:
            celery.close()
    ledger.record_event("run.dispatched", actor=trigger.actor, run_id=run.id,
                        payload={"queue": settings.scheduler.queue, "tasks": open_count})
    finish_if_drained(settings, ledger, registry, run.id, actor=trigger.actor)  # no work
    return ledger.run(run.id)


def wait_for_run(ledger: Ledger, run_id: str, *, stop: threading.Event | None = None,
                 timeout: float | None = None, poll_seconds: float = 0.25) -> Run:
    """Block until the run is settled by the workers (or ``stop``/``timeout``)."""
    stop = stop or threading.Event()
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        run = ledger.run(run_id)
        if run.state in RUN_TERMINAL:
            return run
        if stop.is_set():
            return run
        if deadline is not None and time.monotonic() > deadline:
            raise StateError(f"run {run_id} did not settle within {timeout:g} s "
                             f"(are `bots worker` processes running on queue?)")
        stop.wait(poll_seconds)


def run_distributed(
    settings: Settings,
    ledger: Ledger,
    registry: Registry,
    workflow: str,
    *,
    inputs: Sequence[str | Path] | None = None,
    items: Sequence[NewItem] | None = None,
    trigger: Trigger | None = None,
    params: Mapping[str, Any] | None = None,
    wait: bool = True,
    stop: threading.Event | None = None,
    timeout: float | None = None,
    poll_seconds: float = 0.25,
) -> Run:
    """``bots run`` over Celery: dispatch, then (by default) wait for the run to settle.
    Stopping the wait (Ctrl-C) leaves the run to the workers."""
    run = start_distributed(settings, ledger, registry, workflow, inputs=inputs, items=items,
                            trigger=trigger, params=params)
    if not wait:
        return run
    return wait_for_run(ledger, run.id, stop=stop, timeout=timeout, poll_seconds=poll_seconds)


def finish_if_drained(
    settings: Settings, ledger: Ledger, registry: Registry, run_id: str, *, actor: str
) -> Run | None:
    """Complete the run if nothing is left, and (only then, only once) write its report."""
    run = ledger.complete_if_drained(run_id, actor=actor)
    if run is None:
        return None
    try:
        workflow = registry.workflow(run.workflow)
    except Exception:  # a workflow file removed since: the run still completes
        return run
    write_run_report(settings, ledger, workflow, run.id, actor=actor)
    return run


def resume_distributed(
    settings: Settings, ledger: Ledger, registry: Registry, run_id: str, *, actor: str,
    app: Celery | None = None,
) -> Run:
    """Carry on a stopped (or stuck) Celery run: items held by dead workers on this host go
    back to the queue, and one task is sent per open item. Extra tasks are harmless: a task
    that finds nothing ready just returns."""
    if not settings.broker_url:
        raise ConfigError("broker_url is not set: there is no Celery broker to dispatch to")
    from scheduler.celery_app import make_celery

    ledger.recover_leases(run_id, owner_is_dead, actor=actor)
    ledger.set_run_state(run_id, RunState.RUNNING, actor=actor,
                         owner=distributed_owner(settings), reason="resumed on the workers")
    open_count, _ = ledger.pending_summary(run_id)
    own_app = app is None
    celery = app or make_celery(settings)
    try:
        send_item_tasks(celery, settings, run_id, open_count)
    finally:
        if own_app:
            celery.close()
    ledger.record_event("run.dispatched", actor=actor, run_id=run_id,
                        payload={"queue": settings.scheduler.queue, "tasks": open_count,
                                 "resumed": True})
    finish_if_drained(settings, ledger, registry, run_id, actor=actor)
    return ledger.run(run_id)
