"""Scale-out: a run whose items are worked by Celery workers instead of in-process threads.

The dispatching side (``bots run`` or the scheduler, when ``broker_url`` is set) creates the
run as usual, marks it RUNNING under a ``celery:<queue>`` owner (no local process to watch:
the workers and their leases carry it) and sends one task per open item. Each task claims
*a* ready item of the run through the ledger's lease (a compare-and-set), so a redelivered
task never doubles work: it finds the item already done, or takes over one whose worker
died. Whoever settles the last item completes the run, exactly once
(``Ledger.complete_if_drained``). Whoever waits for the run (this dispatcher, the scheduler,
every worker) runs a ``Watchman`` that re-dispatches items no live worker holds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backoffice.config import Settings
from backoffice.engine import Engine, owner_is_dead, write_run_report
from backoffice.errors import ConfigError, DispatchFailed, StateError
from backoffice.ledger import Ledger, NewItem
from backoffice.models import Run, Trigger
from backoffice.registry import Registry
from backoffice.states import RUN_TERMINAL, RunState
from scheduler.watchman import Watchman

if TYPE_CHECKING:
    from celery import Celery

PROCESS_ITEM = "bots.process_item"


def distributed_owner(settings: Settings) -> str:
    """The run owner recorded for a Celery run. Its "host" part is not this machine's name,
    so ``owner_is_dead`` never mistakes the dispatcher's exit for a crash."""
    return f"celery:{settings.queue}"


def send_item_tasks(app: Celery, settings: Settings, run_id: str, count: int,
                    *, countdown: float | None = None) -> None:
    if count <= 0:
        return
    from scheduler.celery_app import broker_errors

    with broker_errors(app), app.producer_or_acquire() as producer:
        for _ in range(count):
            app.send_task(PROCESS_ITEM, args=[run_id], queue=settings.queue,
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
    """Create the run and hand its items to the workers; returns at once.

    The broker is checked first, so an unreachable one creates no run at all. If sending
    fails half-way, the run is FAILED (resumable with ``bots run --resume``) and raises
    ``DispatchFailed``: its items are not done, so a later run takes them over."""
    with _celery(settings, app) as celery:
        from scheduler.celery_app import check_broker

        check_broker(celery)
        trigger = trigger or Trigger()
        run = Engine(settings, ledger, registry).prepare(
            workflow, inputs=inputs, items=items, trigger=trigger, params=params
        )
        dispatch_open_items(settings, ledger, registry, celery, run.id, actor=trigger.actor)
    return ledger.run(run.id)


def dispatch_open_items(settings: Settings, ledger: Ledger, registry: Registry, celery: Celery,
                     run_id: str, *, actor: str, resumed: bool = False) -> None:
    ledger.set_run_state(run_id, RunState.RUNNING, actor=actor, owner=distributed_owner(settings),
                         reason="resumed on the workers" if resumed else None)
    open_count, _ = ledger.pending_summary(run_id)
    try:
        send_item_tasks(celery, settings, run_id, open_count)
    except DispatchFailed as exc:
        ledger.set_run_state(run_id, RunState.FAILED, actor=actor,
                             reason=f"dispatch failed: {exc}; its items are not done: "
                                    f"`bots run --resume {run_id}` once the broker is back")
        raise
    payload: dict[str, Any] = {"queue": settings.queue, "tasks": open_count}
    if resumed:
        payload["resumed"] = True
    ledger.record_event("run.dispatched", actor=actor, run_id=run_id, payload=payload)
    finish_if_drained(settings, ledger, registry, run_id, actor=actor)  # no work


@contextmanager
def _celery(settings: Settings, app: Celery | None) -> Iterator[Celery]:
    """The caller's Celery app, or one made (and closed) here."""
    if not settings.broker_url:
        raise ConfigError("broker_url is not set: there is no Celery broker to dispatch to")
    if app is not None:
        yield app
        return
    from scheduler.celery_app import make_celery

    own = make_celery(settings)
    try:
        yield own
    finally:
        own.close()


@dataclass(frozen=True)
class Waiting:
    """What a dispatcher waiting for a run tells its user."""

    say: Callable[[str], None] = lambda _text: None
    # Say so when no worker has taken or settled an item for this long.
    quiet_seconds: float = 30.0


def wait_for_run(
    ledger: Ledger,
    run_id: str,
    *,
    stop: threading.Event | None = None,
    timeout: float | None = None,
    poll_seconds: float = 0.25,
    watchman: Watchman | None = None,
    watch_seconds: float = 1.0,
    waiting: Waiting | None = None,
) -> Run:
    """Block until the run is settled by the workers (or ``stop``/``timeout``). With a
    ``watchman``, items no live worker holds are re-dispatched while waiting."""
    stop = stop or threading.Event()
    waiting = waiting or Waiting()
    deadline = None if timeout is None else time.monotonic() + timeout
    next_watch = time.monotonic() + watch_seconds
    quiet_said: datetime | None = None
    while True:
        run = ledger.run(run_id)
        if run.state in RUN_TERMINAL or stop.is_set():
            return run
        now = time.monotonic()
        if now >= next_watch:  # the heavier looks, about once a second, not every poll
            next_watch = now + watch_seconds
            if watchman is not None:
                watchman.check(run_id)
            silent = quiet_for(ledger, run_id)
            if silent is not None and silent >= waiting.quiet_seconds:
                last = ledger.queue_activity(run_id)
                if last != quiet_said:
                    quiet_said = last
                    waiting.say(f"No worker has taken an item of run {run_id} for "
                                f"{silent:.0f} s: is a `bots worker` running on this queue, "
                                "with this database?")
        if deadline is not None and now > deadline:
            raise StateError(f"run {run_id} did not settle within {timeout:g} s "
                             f"(are `bots worker` processes running on queue?)")
        stop.wait(poll_seconds)


def quiet_for(ledger: Ledger, run_id: str) -> float | None:
    """Seconds since a worker last took or settled an item of the run, when open items wait
    and no worker holds one now; None while workers are at it."""
    open_count, _ = ledger.pending_summary(run_id)
    if not open_count or ledger.live_leases(run_id):
        return None
    last = ledger.queue_activity(run_id)
    return None if last is None else (ledger.clock.now() - last).total_seconds()


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
    waiting: Waiting | None = None,
) -> Run:
    """``bots run`` over Celery: dispatch, then (by default) wait for the run to settle,
    watching it meanwhile. Stopping the wait (Ctrl-C) leaves the run to the workers."""
    with _celery(settings, None) as celery:
        run = start_distributed(settings, ledger, registry, workflow, inputs=inputs,
                                items=items, trigger=trigger, params=params, app=celery)
        if not wait:
            return run
        return watch_until_settled(settings, ledger, registry, run.id,
                                   actor=(trigger or Trigger()).actor, stop=stop,
                                   timeout=timeout, poll_seconds=poll_seconds,
                                   waiting=waiting, app=celery)


def watch_until_settled(
    settings: Settings, ledger: Ledger, registry: Registry, run_id: str, *, actor: str,
    stop: threading.Event | None = None, timeout: float | None = None,
    poll_seconds: float = 0.25, waiting: Waiting | None = None, app: Celery | None = None,
) -> Run:
    """Wait for a dispatched run to settle, re-dispatching what no live worker holds."""
    with _celery(settings, app) as celery:
        watchman = make_watchman(settings, ledger, registry, celery, actor=actor)
        return wait_for_run(ledger, run_id, stop=stop, timeout=timeout,
                            poll_seconds=poll_seconds, watchman=watchman, waiting=waiting)


def describe_stopped_wait(ledger: Ledger, run_id: str, *, queue: str) -> str:
    """What a dispatcher says when its user stops waiting: the truth about the workers."""
    run = ledger.run(run_id)
    if run.state in RUN_TERMINAL:
        return f"Run {run_id} is {run.state.value}."
    open_count, _ = ledger.pending_summary(run_id)
    silent = quiet_for(ledger, run_id)
    if silent is None:
        return (f"Stopped waiting; the workers carry on with run {run_id} "
                f"({open_count} item(s) open). Follow it with `bots show {run_id}`.")
    return (f"Stopped waiting. No worker has taken an item of run {run_id} for {silent:.0f} s: "
            f"its {open_count} open item(s) wait on queue {queue} until a `bots worker` with "
            f"this database starts (it then finishes them by itself), or "
            f"`bots run --resume {run_id}`.")


def make_watchman(settings: Settings, ledger: Ledger, registry: Registry, celery: Celery,
                  *, actor: str) -> Watchman:
    def send(run_id: str, count: int) -> None:
        send_item_tasks(celery, settings, run_id, count)

    def waiting() -> int:
        from scheduler.celery_app import tasks_waiting

        return tasks_waiting(celery, settings.queue)

    return Watchman(settings, ledger, registry, send=send, actor=actor, tasks_waiting=waiting)


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
    with _celery(settings, app) as celery:
        from scheduler.celery_app import check_broker

        check_broker(celery)
        ledger.recover_leases(run_id, owner_is_dead, actor=actor)
        dispatch_open_items(settings, ledger, registry, celery, run_id, actor=actor, resumed=True)
    return ledger.run(run_id)
