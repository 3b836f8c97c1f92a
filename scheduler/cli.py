"""``bots scheduler``, ``bots schedules``, ``bots trigger NAME`` and ``bots worker``."""

from __future__ import annotations

import getpass
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from backoffice.cli.context import AppContext, emit_json
from backoffice.errors import ConfigError
from backoffice.models import Run, Trigger
from backoffice.signals import signal_handlers
from backoffice.states import TriggerKind
from scheduler.calendars import fire_times
from scheduler.schedules import load_schedules, schedules_path

pass_app = click.pass_obj


@click.command("scheduler")
@click.option("--poll", "poll_seconds", type=click.FloatRange(0.1, 60), default=2.0,
              show_default=True, help="Seconds between a standby's tries for the lead.")
@pass_app
def scheduler_command(app: AppContext, poll_seconds: float) -> None:
    """Run the scheduler service until SIGTERM (SIGHUP re-reads the schedules file).

    Only one scheduler per ledger database fires; another one waits as a hot standby.
    """
    from scheduler.service import SchedulerService

    # A broken schedules file at start is bad configuration (exit 2, naming the key). Only a
    # reload (SIGHUP) of a broken file keeps the schedules already in force.
    load_schedules(app.settings)
    stop = threading.Event()
    console = app.console
    service = SchedulerService(app.settings, app.ledger, app.registry, stop=stop,
                               poll_seconds=poll_seconds,
                               say=lambda text: console.print(text, markup=False,
                                                              highlight=False))

    def on_stop(signum: int, _frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        console.print("Stopping: finishing the items in progress (again to abort)...")
        stop.set()

    def on_hup(_signum: int, _frame: Any) -> None:
        service.reload.set()

    with signal_handlers({signal.SIGTERM: on_stop, signal.SIGINT: on_stop, signal.SIGHUP: on_hup}):
        console.print(f"scheduler {service.owner}: schedules from "
                      f"{schedules_path(app.settings)}", markup=False)
        service.serve()
    console.print("scheduler stopped")


@click.command("schedules")
@click.option("--count", type=click.IntRange(1, 100), default=5, show_default=True,
              help="Next fire times to show per schedule.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def schedules_command(app: AppContext, count: int, as_json: bool) -> None:
    """List the schedules with their next fire times (business calendars applied)."""
    schedules = load_schedules(app.settings)
    now = datetime.now(UTC)
    rows = []
    for s in schedules:
        tz = schedules.timezone(s)
        times = [t.astimezone(tz) for t in fire_times(schedules.trigger(s, start=now), now, count)]
        rows.append((s, schedules.describe(s), times))
    if as_json:
        emit_json([
            {"id": s.id, "workflow": s.workflow, "enabled": s.enabled, "rule": rule,
             "missed": s.missed, "grace_seconds": s.grace_seconds, "overlap": s.overlap,
             "params": dict(s.params), "next": [t.isoformat() for t in times]}
            for s, rule, times in rows
        ])
        return
    if not rows:
        app.console.print(f"No schedules in {schedules_path(app.settings)}")
        return
    table = Table("schedule", "workflow", "on", "rule", "missed / overlap", "next fire times")
    for s, rule, times in rows:
        table.add_row(s.id, s.workflow, "yes" if s.enabled else "no", rule,
                      f"{s.missed} / {s.overlap}",
                      "\n".join(t.strftime("%a %Y-%m-%d %H:%M %Z") for t in times))
    Console().print(table)


@click.command("trigger")
@click.argument("name")
@click.option("--user", default=None, help="Who asks (default: $USER).")
@click.option("--no-wait", is_flag=True, help="With a broker: dispatch and return at once.")
@pass_app
def trigger_command(app: AppContext, name: str, user: str | None, no_wait: bool) -> None:
    """Run schedule NAME's workflow now, recorded as a manual run by the user who asked."""
    from backoffice.cli.runs import finish_with_exit_code, print_run_summary, run_with_progress

    actor = user or getpass.getuser()
    schedule = load_schedules(app.settings).get(name)
    trigger = Trigger(kind=TriggerKind.MANUAL, actor=actor, schedule_id=schedule.id)
    app.ledger.record_event("schedule.triggered", actor=actor,
                            payload={"schedule_id": schedule.id, "workflow": schedule.workflow})
    run: Run
    if app.settings.broker_url and no_wait:
        from scheduler.dispatch import start_distributed

        run = start_distributed(app.settings, app.ledger, app.registry, schedule.workflow,
                                trigger=trigger, params=schedule.params)
    elif app.settings.broker_url:
        run = run_on_workers(app, schedule.workflow, inputs=None, trigger=trigger,
                             params=dict(schedule.params))
    else:
        run = run_with_progress(
            app, schedule.id,
            lambda e: e.run(schedule.workflow, trigger=trigger, params=schedule.params),
        )
    print_run_summary(app, run)
    if run.state.value != "RUNNING":  # dispatched without waiting: nothing to judge yet
        finish_with_exit_code(app, run)


@click.command("worker")
@click.option("--concurrency", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Items this worker works at once (pool processes).")
@click.option("--pool", type=click.Choice(["prefork", "solo", "threads"]), default="prefork",
              show_default=True, help="Celery pool.")
@click.option("--loglevel", default="INFO", show_default=True)
@pass_app
def worker_command(app: AppContext, concurrency: int, pool: str, loglevel: str) -> None:
    """Start a Celery worker that works items of runs dispatched over the broker."""
    from scheduler.celery_app import make_celery, watch_from_worker, worker_argv

    settings = app.settings
    if not settings.broker_url:
        raise ConfigError("bots worker needs a broker: set BOTS_BROKER_URL or broker_url")
    celery = make_celery(settings)
    watch_from_worker(celery, settings)
    celery.worker_main(worker_argv(settings, concurrency=concurrency, pool=pool,
                                   loglevel=loglevel))


@contextmanager
def _waiting_for_workers(app: AppContext) -> Iterator[threading.Event]:
    """Ctrl-C or SIGTERM while waiting stops the waiting only; what happens to the run is
    said afterwards, from the ledger (see ``_tell_stopped``)."""
    stop = threading.Event()

    def on_interrupt(_signum: int, _frame: Any) -> None:
        stop.set()

    with signal_handlers({signal.SIGINT: on_interrupt, signal.SIGTERM: on_interrupt}):
        yield stop


def _waiting(app: AppContext) -> Any:
    from scheduler.dispatch import Waiting

    return Waiting(say=lambda text: app.console.print(f"[yellow]{text}", highlight=False))


def _tell_stopped(app: AppContext, run: Run, stop: threading.Event) -> None:
    from scheduler.dispatch import describe_stopped_wait

    if stop.is_set():
        app.console.print(describe_stopped_wait(app.ledger, run.id, queue=app.settings.queue),
                          markup=False, highlight=False)


def resume_on_workers(app: AppContext, run_id: str, *, actor: str) -> Run:
    """``bots run --resume`` when ``broker_url`` is set: send the run's open items to the
    workers again and wait for them to settle it."""
    from scheduler.dispatch import resume_distributed, watch_until_settled

    with _waiting_for_workers(app) as stop:
        resume_distributed(app.settings, app.ledger, app.registry, run_id, actor=actor)
        app.console.print(f"Resumed {run_id} on queue {app.settings.queue}...")
        run = watch_until_settled(app.settings, app.ledger, app.registry, run_id, actor=actor,
                                  stop=stop, waiting=_waiting(app))
        _tell_stopped(app, run, stop)
        return run


def run_on_workers(app: AppContext, workflow: str, *, inputs: list[str] | None,
                   trigger: Trigger, params: dict[str, Any]) -> Run:
    """``bots run`` when ``broker_url`` is set: dispatch the items to the Celery workers
    and wait for them to settle the run. Ctrl-C stops waiting; the workers carry on."""
    from scheduler.dispatch import run_distributed

    with _waiting_for_workers(app) as stop:
        app.console.print(f"Dispatching {workflow} to queue {app.settings.queue}...")
        run = run_distributed(app.settings, app.ledger, app.registry, workflow,
                              inputs=inputs, trigger=trigger, params=params, stop=stop,
                              waiting=_waiting(app))
        _tell_stopped(app, run, stop)
        return run
