"""Core commands: workflows, robots, run, runs, show, retry."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from backoffice.cli.context import AppContext, emit_json, shown
from backoffice.engine import Engine, owner_is_dead
from backoffice.errors import ConfigError, StateError
from backoffice.models import Run, Trigger, WorkItem
from backoffice.registry import DISPATCH_GROUP, plugin
from backoffice.reports import item_dict, minutes_saved, run_dict
from backoffice.signals import signal_handlers
from backoffice.states import FailureKind, ItemState, RunState, TriggerKind

pass_app = click.pass_obj


class BarProgress:
    """The engine's progress, shown as a rich bar on the terminal (stderr)."""

    def __init__(self, console: Console, label: str) -> None:
        self._bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._label = label
        self._task: Any = None
        self._counts: dict[str, int] = {}
        self._live = False

    def __enter__(self) -> BarProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live:
            self._bar.stop()

    def started(self, run: Run, total: int, settled: int) -> None:
        # The bar appears only once there is a run to show (not before an early error).
        if not self._live:
            self._bar.__enter__()
            self._live = True
        self._task = self._bar.add_task(
            f"{self._label} {run.id}", total=total, completed=settled, status=""
        )

    def item_settled(self, item: WorkItem) -> None:
        self._counts[item.state.value] = self._counts.get(item.state.value, 0) + 1
        status = " ".join(f"{k.lower()}={v}" for k, v in sorted(self._counts.items()))
        self._bar.update(self._task, advance=1, status=status)


@contextmanager
def stop_on_signals(stop: threading.Event, console: Console) -> Iterator[None]:
    """First Ctrl-C / SIGTERM: finish the items in hand, record them, stop. Second: abort."""

    def handler(signum: int, _frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        console.print("[yellow]Stopping after the items in progress (again to abort)...")

    with signal_handlers({signal.SIGINT: handler, signal.SIGTERM: handler}):
        yield


def run_with_progress(app: AppContext, label: str, call: Any) -> Run:
    """Run ``call(engine)`` with a progress bar and graceful signal handling."""
    stop = threading.Event()
    with BarProgress(app.console, label) as bar, stop_on_signals(stop, app.console):
        engine = Engine(app.settings, app.ledger, app.registry, progress=bar, stop=stop)
        result: Run = call(engine)
    return result


def print_run_summary(app: AppContext, run: Run) -> None:
    c = run.counts
    minutes = minutes_saved(app.ledger, run.id, app.settings)
    parts = [f"{k.lower()} {c[k]}" for k in ("DONE", "REVIEW", "FAILED", "SKIPPED", "PENDING")
             if c.get(k)]
    colour = {"COMPLETED": "green", "PAUSED": "yellow", "CANCELLED": "yellow"}.get(
        run.state.value, "red"
    )
    app.console.print(
        f"Run [bold]{run.id}[/] [{colour}]{run.state.value}[/]: "
        f"{', '.join(parts) or 'no items'}; {minutes:.1f} minutes of manual work saved"
    )
    if run.reason:
        app.console.print(f"  reason: {shown(run.reason)}")
    review = [i for i in app.ledger.items(run.id, states=[ItemState.REVIEW])]
    for item in review[:10]:
        app.console.print(f"  review {item.id} ({shown(item.payload.get('file_name', ''))}): "
                          f"{shown('; '.join(item.reasons))}")
    if len(review) > 10:
        app.console.print(f"  ... and {len(review) - 10} more (bots show {run.id})")
    app.console.print(f"  log: {app.settings.run_dir(run.id) / 'log.jsonl'}")


EXIT_RUN_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_RESUMABLE = 75


def exit_code_for(run: Run, failed: Sequence[WorkItem] = (), *,
                  misconfigured: bool = False) -> int:
    """The documented exit code of a run: 0 when it completed and every item is DONE,
    SKIPPED, in REVIEW or rejected; 1 when the run failed or crashed, or an item FAILED on a
    system error (out of retries); 2 when the only FAILED items are bad inputs (a corrupt
    file, a workbook without a header row), or the run was stopped by bad configuration (a
    missing secret, a broken form map); 75 when it stopped and can be resumed (or is still
    RUNNING on remote workers after the wait was stopped).
    ``failed`` is the run's FAILED items; ``misconfigured`` says a ConfigError stopped it."""
    if run.state in (RunState.PAUSED, RunState.CANCELLED, RunState.RUNNING):
        return EXIT_RESUMABLE  # RUNNING: still going on remote workers, waiting stopped
    if run.state is RunState.FAILED and misconfigured:
        return EXIT_BAD_INPUT
    if run.state is not RunState.COMPLETED:
        return EXIT_RUN_FAILED
    if any(i.failure_kind is not FailureKind.BUSINESS for i in failed):
        return EXIT_RUN_FAILED
    return EXIT_BAD_INPUT if failed else 0


def finish_with_exit_code(app: AppContext, run: Run) -> None:
    """Leave the command with ``exit_code_for(run)``, saying why when it is not 0."""
    failed = app.ledger.items(run.id, states=[ItemState.FAILED]) if run.counts.get(
        ItemState.FAILED.value) else []
    # The engine records a ConfigError that stopped a run under the error's class name.
    misconfigured = run.state is RunState.FAILED and any(
        a.error_code == ConfigError.__name__ for a in app.ledger.attempts(run_id=run.id))
    code = exit_code_for(run, failed, misconfigured=misconfigured)
    if misconfigured:
        app.console.print(f"stopped by bad configuration: exit {code}")
    elif code in (EXIT_RUN_FAILED, EXIT_BAD_INPUT) and failed:
        what = "could not be processed (bad input)" if code == EXIT_BAD_INPUT else "FAILED"
        app.console.print(f"{len(failed)} item(s) {what}: exit {code}")
    if code:
        raise SystemExit(code)


@click.command("workflows")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def workflows_cmd(app: AppContext, as_json: bool) -> None:
    """List the workflows that can be run."""
    wfs = app.registry.workflows()
    if as_json:
        emit_json([
            {"name": w.name, "description": w.description,
             "steps": [s.robot for s in w.steps], "input": list(w.input.glob),
             "file": str(w.source_file) if w.source_file else None}
            for w in wfs.values()
        ])
        return
    table = Table("workflow", "steps", "input", "description")
    for w in wfs.values():
        table.add_row(w.name, " -> ".join(s.robot for s in w.steps), ", ".join(w.input.glob),
                      w.description)
    Console().print(table)


@click.command("robots")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def robots_cmd(app: AppContext, as_json: bool) -> None:
    """List the installed robots with their manual baseline minutes."""
    infos = app.registry.robots()
    if as_json:
        emit_json([i.__dict__ for i in infos])
        return
    table = Table("robot", "version", "manual min/item", "description")
    for i in infos:
        table.add_row(i.name, i.version, f"{i.manual_minutes:g}", i.description)
    Console().print(table)


@click.command("run")
@click.argument("workflow", required=False)
@click.option("--input", "inputs", multiple=True, help="File, folder or glob (repeatable).")
@click.option("--resume", "resume_id", metavar="RUN_ID", help="Carry on a stopped run.")
@click.option("--workers", "--concurrency", "workers", type=click.IntRange(1, 64),
              help="Concurrent workers (for the ERP poster: browser contexts).")
@click.option("--user", default=None, help="Who triggers the run (default: $USER).")
@click.option("--set", "params", multiple=True, metavar="KEY=VALUE", help="Workflow parameter.")
@pass_app
def run_cmd(
    app: AppContext,
    workflow: str | None,
    inputs: tuple[str, ...],
    resume_id: str | None,
    workers: int | None,
    user: str | None,
    params: tuple[str, ...],
) -> None:
    """Run WORKFLOW over its inputs (or --input PATH...), or --resume RUN_ID."""
    import getpass

    actor = user or getpass.getuser()
    if resume_id:
        if workflow or inputs:
            raise ConfigError("--resume takes no workflow or --input")
        if app.settings.broker_url:  # scale-out: the workers carry the run on
            run = _dispatcher("resume")(app, resume_id, actor=actor)
        else:
            run = run_with_progress(
                app, "resume", lambda e: e.resume(resume_id, actor=actor, workers=workers)
            )
    else:
        if not workflow:
            raise click.UsageError("name a WORKFLOW (see `bots workflows`) or --resume RUN_ID")
        trigger = Trigger(kind=TriggerKind.MANUAL, actor=actor)
        parsed = parse_params(params)
        if app.settings.broker_url:  # scale-out: items go to `bots worker` processes
            run = _dispatcher("run")(
                app, workflow, inputs=list(inputs) or None, trigger=trigger, params=parsed)
        else:
            run = run_with_progress(
                app,
                workflow,
                lambda e: e.run(workflow, inputs=list(inputs) or None, trigger=trigger,
                                params=parsed, workers=workers),
            )
    print_run_summary(app, run)
    finish_with_exit_code(app, run)


def _dispatcher(name: str) -> Any:
    """What sends runs to remote workers when ``broker_url`` is set (an entry point)."""
    found = plugin(DISPATCH_GROUP, name)
    if found is None:
        raise ConfigError(f"broker_url is set but no package registers {name!r} under the "
                          f"{DISPATCH_GROUP!r} entry points to send runs to workers")
    return found


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"--set {pair!r}: expected KEY=VALUE")
        out[key.strip()] = value
    return out


@click.command("runs")
@click.option("--workflow", help="Only this workflow's runs.")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def runs_cmd(app: AppContext, workflow: str | None, limit: int, as_json: bool) -> None:
    """List recent runs with their state and counts."""
    mark_crashed_runs(app)
    runs = app.ledger.runs(workflow=workflow, limit=limit)
    if as_json:
        emit_json([run_dict(r, minutes_saved(app.ledger, r.id, app.settings)) for r in runs])
        return
    table = Table("run", "workflow", "state", "trigger", "items", "done", "review", "failed",
                  "skipped", "min saved", "started")
    for r in runs:
        c = r.counts
        table.add_row(
            r.id, r.workflow, r.state.value, r.trigger.describe(), str(c.get("total", 0)),
            str(c.get("DONE", 0)), str(c.get("REVIEW", 0)), str(c.get("FAILED", 0)),
            str(c.get("SKIPPED", 0)), f"{minutes_saved(app.ledger, r.id, app.settings):.1f}",
            r.started_at.strftime("%Y-%m-%d %H:%M:%S") if r.started_at else "",
        )
    Console().print(table)


def mark_crashed_runs(app: AppContext) -> None:
    """A RUNNING run whose process is gone from this host is CRASHED (resumable)."""
    for run in app.ledger.runs(states=[RunState.RUNNING], limit=200):
        owner = app.ledger.run_row(run.id).get("owner")
        if owner and owner_is_dead(owner):
            app.ledger.set_run_state(run.id, RunState.CRASHED, actor="bots",
                                     reason=f"process {owner} is gone")


@click.command("show")
@click.argument("run_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def show_cmd(app: AppContext, run_id: str, as_json: bool) -> None:
    """Show a run: its items, attempts, errors and minutes saved."""
    run = app.ledger.run(run_id)
    items = app.ledger.items(run_id)
    attempts = app.ledger.attempts(run_id=run_id)
    by_item: dict[str, list[Any]] = {}
    for a in attempts:
        by_item.setdefault(a.item_id, []).append(a)
    saved = minutes_saved(app.ledger, run_id, app.settings)
    if as_json:
        data = run_dict(run, saved)
        data["items"] = [item_dict(i, by_item.get(i.id, [])) for i in items]
        emit_json(data)
        return
    console = Console()
    console.print(f"[bold]Run {run.id}[/]  workflow {run.workflow}  {run.state.value}  "
                  f"({run.trigger.describe()})")
    if run.reason:
        console.print(f"reason: {shown(run.reason)}")
    console.print(f"minutes saved: {saved:.1f}")
    table = Table("item", "input", "state", "step", "attempts", "reason / error")
    for i in items:
        tries = by_item.get(i.id, [])
        table.add_row(i.id, shown(i.payload.get("file_name") or i.source), i.state.value,
                      str(i.step), str(len(tries)),
                      shown("; ".join(i.reasons) or i.last_error))
    console.print(table)


@click.command("retry")
@click.argument("run_id")
@click.option("--user", default=None, help="Who asks (default: $USER).")
@pass_app
def retry_cmd(app: AppContext, run_id: str, user: str | None) -> None:
    """Requeue a run's FAILED items (system errors that ran out of attempts) and run them."""
    import getpass

    actor = user or getpass.getuser()
    run = app.ledger.run(run_id)
    if run.state is RunState.RUNNING:
        raise StateError(f"run {run_id} is still RUNNING")
    ids = app.ledger.requeue(run_id, states=[ItemState.FAILED], actor=actor,
                             reason="bots retry")
    if not ids:
        app.console.print(f"Run {run_id} has no FAILED items to retry.")
        return
    app.console.print(f"Requeued {len(ids)} item(s).")
    run = run_with_progress(app, "retry", lambda e: e.resume(run_id, actor=actor))
    print_run_summary(app, run)
    finish_with_exit_code(app, run)


COMMANDS = [workflows_cmd, robots_cmd, run_cmd, runs_cmd, show_cmd, retry_cmd]
