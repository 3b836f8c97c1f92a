"""The engine: runs a workflow's robots over its work items.

It owns the item states (STYLE: PENDING -> RESERVED -> DONE | REVIEW | FAILED), the retries
(system errors with exponential backoff and jitter, business errors straight to review), the
circuit breaker, leases with heartbeats, resumption after a crash, and idempotency. Workers
are threads in this process; each claims items from the ledger, so several processes (or
Celery workers) can drain one run together.
"""

from __future__ import annotations

import json
import logging
import os
import random
import socket
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

import psutil

from backoffice.archive import archive_files
from backoffice.baselines import baseline_minutes
from backoffice.clock import Clock
from backoffice.config import Settings
from backoffice.errors import (
    ApplicationError,
    BusinessError,
    ConfigError,
    InputRejected,
    ItemError,
    LeaseLost,
    StateError,
)
from backoffice.inputs import expand_paths, items_for_files
from backoffice.knowledge import RobotKnowledge
from backoffice.ledger import Ledger, NewItem, Outcome
from backoffice.models import ItemContext, ItemResult, Robot, Run, Trigger, WorkItem
from backoffice.params import step_params
from backoffice.paths import OutsideFolder, moved_away
from backoffice.registry import Registry, load_command
from backoffice.runlog import close_run_logger, open_run_logger
from backoffice.states import ITEM_SETTLED, AttemptOutcome, FailureKind, ItemState, RunState
from backoffice.workflow import Workflow

_HOST = socket.gethostname()


class Progress(Protocol):
    """What the engine tells a progress display (the CLI's bar, the control room)."""

    def started(self, run: Run, total: int, settled: int) -> None: ...
    def item_settled(self, item: WorkItem) -> None: ...


def write_run_report(
    settings: Settings,
    ledger: Ledger,
    workflow: Workflow,
    run_id: str,
    *,
    actor: str,
    logger: logging.Logger | None = None,
) -> Path | None:
    """The workflow's own summary (e.g. a workbook), written at the end of an execution and
    recorded in the ledger. A failing report is recorded too, never allowed to fail the run."""
    spec = workflow.report
    if not spec:
        return None
    try:
        path = load_command(spec)(settings, ledger, run_id)
    except Exception as exc:
        if logger is not None:
            logger.exception("report writer failed")
        ledger.record_event("run.report_failed", actor=actor, run_id=run_id,
                            payload={"writer": spec, "error": repr(exc)})
        return None
    if path is not None:
        ledger.record_event("run.report_written", actor=actor, run_id=run_id,
                            payload={"writer": spec, "path": str(path)})
    return Path(path) if path is not None else None


class RobotCache:
    """Robots opened for workflow steps, reused across items: opening one can mean starting
    a browser and signing in. Keyed by thread (a Playwright browser belongs to the thread
    that started it), robot and parameters. An engine worker keeps one for its run; a Celery
    worker process keeps one across its tasks and closes it when the process ends."""

    def __init__(self) -> None:
        self._robots: dict[tuple[int, str, str], Robot] = {}
        self._lock = threading.Lock()

    def get(
        self, registry: Registry, settings: Settings, robot: str, params: Mapping[str, Any]
    ) -> Robot:
        key = (threading.get_ident(), robot, json.dumps(params, sort_keys=True, default=str))
        with self._lock:
            found = self._robots.get(key)
        if found is not None:
            return found
        instance = registry.robot_class(robot)()
        instance.open(params, settings)
        with self._lock:
            self._robots[key] = instance
        return instance

    def close(self, logger: logging.Logger | None = None) -> None:
        """Close the robots this thread opened (their resources belong to it)."""
        me = threading.get_ident()
        with self._lock:
            mine = [k for k in self._robots if k[0] == me]
            robots = [self._robots.pop(k) for k in mine]
        for robot in robots:
            try:
                robot.close()
            except Exception:
                if logger is not None:
                    logger.exception("robot close failed")


class _NoProgress:
    def started(self, run: Run, total: int, settled: int) -> None:
        pass

    def item_settled(self, item: WorkItem) -> None:
        pass


def owner_is_dead(owner: str) -> bool:
    """True when a lease owner ("host:pid:token") is a process on this host that is gone."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != _HOST or not pid_text.isdigit():
        return False  # another machine's worker: only its lease expiry can tell
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        proc = psutil.Process(pid)
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@dataclass
class _Execution:
    """The shared state of one execution of a run by this process."""

    run: Run
    workflow: Workflow
    owner: str
    logger: logging.Logger
    stop: threading.Event
    progress: Progress
    step_params: tuple[dict[str, Any], ...]  # what each step's robot gets (backoffice.params)
    lock: threading.Lock = field(default_factory=threading.Lock)
    finished: threading.Event = field(default_factory=threading.Event)
    # System errors in a row per step: a reader succeeding says nothing about the ERP.
    consecutive_system_errors: dict[int, int] = field(default_factory=dict)
    paused_reason: str | None = None
    fatal_reason: str | None = None

    def should_stop(self) -> bool:
        return self.stop.is_set() or bool(self.paused_reason) or bool(self.fatal_reason)


class Engine:
    """Runs workflows. Built with everything it needs; holds no global state."""

    def __init__(
        self,
        settings: Settings,
        ledger: Ledger,
        registry: Registry,
        *,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
        rng: random.Random | None = None,
        idle_poll_seconds: float = 0.05,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.ledger = ledger
        # Backoff and idle waits go by the ledger's clock unless told otherwise, so a test's
        # ManualClock moves both (leases are the ledger's).
        self.clock: Clock = clock or ledger.clock
        self.registry = registry
        self.progress = progress or _NoProgress()
        self.stop = stop or threading.Event()
        self.rng = rng or random.Random()
        self.idle_poll_seconds = idle_poll_seconds

    # ---- creating runs --------------------------------------------------------------------
    def prepare(
        self,
        workflow: str | Workflow,
        *,
        inputs: Sequence[str | Path] | None = None,
        items: Sequence[NewItem] | None = None,
        trigger: Trigger | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Run:
        """Create a run and queue its items (from ``items``, ``inputs`` or the workflow's
        input globs). Items already done by an earlier run are queued as SKIPPED."""
        wf = workflow if isinstance(workflow, Workflow) else self.registry.workflow(workflow)
        trigger = trigger or Trigger()
        run_params = {**dict(wf.params), **dict(params or {})}
        # Fail before creating anything if a robot is unknown or a parameter is not its.
        step_params(self.registry, wf, run_params)
        if items is None:
            if inputs:
                files = expand_paths(inputs, patterns=wf.input.glob_names or ("*",))
            else:
                files = wf.input_files(self.settings.inputs)
            items = items_for_files(wf, files)
        self.ledger.record_config_if_changed(self.settings, trigger.actor)
        run = self.ledger.create_run(
            wf.name,
            trigger,
            params=run_params,
            settings_hash=self.settings.fingerprint(),
        )
        if items:
            self.ledger.add_items(
                run.id, wf.name, items, actor=trigger.actor, owner_is_dead=owner_is_dead,
                stale_after=timedelta(seconds=max(60.0, wf.concurrency.lease_seconds)),
            )
        return self.ledger.run(run.id)

    def run(
        self,
        workflow: str | Workflow,
        *,
        inputs: Sequence[str | Path] | None = None,
        items: Sequence[NewItem] | None = None,
        trigger: Trigger | None = None,
        params: Mapping[str, Any] | None = None,
        workers: int | None = None,
    ) -> Run:
        run = self.prepare(workflow, inputs=inputs, items=items, trigger=trigger, params=params)
        actor = (trigger or Trigger()).actor
        return self.execute(run.id, actor=actor, workers=workers)

    def resume(self, run_id: str, *, actor: str, workers: int | None = None) -> Run:
        """Carry on a run that stopped: recover items whose worker died, then drain it."""
        run = self.ledger.run(run_id)
        if run.state is RunState.RUNNING:
            row = self.ledger.run_row(run_id)
            if row.get("owner") and not owner_is_dead(row["owner"]):
                raise StateError(
                    f"run {run_id} is still RUNNING in process {row['owner']}; "
                    "stop it first or wait for it"
                )
            self.ledger.set_run_state(
                run_id, RunState.CRASHED, actor=actor, reason="its process vanished"
            )
        return self.execute(run_id, actor=actor, workers=workers)

    # ---- executing ------------------------------------------------------------------------
    def execute(self, run_id: str, *, actor: str, workers: int | None = None) -> Run:
        """Drain the run's queue with ``workers`` threads (default: the workflow's)."""
        run = self.ledger.run(run_id)
        wf = self.registry.workflow(run.workflow)
        params_by_step = step_params(self.registry, wf, run.params)  # before it is RUNNING
        owner = f"{_HOST}:{os.getpid()}:{random.getrandbits(32):08x}"
        recovered = self.ledger.recover_leases(run_id, owner_is_dead, actor=actor)
        run = self.ledger.set_run_state(
            run_id,
            RunState.RUNNING,
            actor=actor,
            owner=owner,
            reason=f"recovered {recovered} item(s) from a dead worker" if recovered else None,
        )
        run_dir = self.settings.run_dir(run_id)
        secret_values = [s.get_secret_value() for s in self.settings.secrets.values()]
        logger = open_run_logger(run_dir, run_id, secret_values)
        ex = _Execution(
            run=run,
            workflow=wf,
            owner=owner,
            logger=logger,
            stop=self.stop,
            progress=self.progress,
            step_params=params_by_step,
        )
        logger.info("run started", extra={"run_id": run_id, "workflow": wf.name, "owner": owner})
        try:
            total = run.counts.get("total", 0)
            settled = sum(run.counts.get(s.value, 0) for s in ITEM_SETTLED)
            self.progress.started(run, total, settled)
            n = workers or wf.concurrency.workers
            beat = threading.Thread(target=self._heartbeat, args=(ex,), daemon=True)
            beat.start()
            threads = [
                threading.Thread(target=self._worker, args=(ex,), name=f"worker-{i + 1}")
                for i in range(n)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self._archive_skipped(ex)
        except BaseException as exc:
            ex.fatal_reason = ex.fatal_reason or f"engine error: {exc!r}"
            raise
        finally:
            final, reason = self._final_state(ex)
            ex.finished.set()
            self._write_report(ex)
            run = self.ledger.set_run_state(run_id, final, actor=actor, reason=reason)
            logger.info("run finished", extra={"state": final.value, "reason": reason,
                                               "counts": dict(run.counts)})
            close_run_logger(logger)
        return run

    def _write_report(self, ex: _Execution) -> None:
        write_run_report(self.settings, self.ledger, ex.workflow, ex.run.id, actor=ex.owner,
                         logger=ex.logger)

    def _final_state(self, ex: _Execution) -> tuple[RunState, str | None]:
        if ex.fatal_reason:
            return RunState.FAILED, ex.fatal_reason
        if ex.paused_reason:
            return RunState.PAUSED, ex.paused_reason
        open_count, _ = self.ledger.pending_summary(ex.run.id)
        if self.stop.is_set() and open_count:
            return RunState.CANCELLED, f"stopped on request with {open_count} item(s) left"
        return RunState.COMPLETED, None

    def _heartbeat(self, ex: _Execution) -> None:
        interval = max(0.5, min(10.0, ex.workflow.concurrency.lease_seconds / 3))
        while not ex.finished.wait(interval):
            try:
                self.ledger.renew_leases(ex.owner, ex.workflow.concurrency.lease_seconds)
                self.ledger.heartbeat_run(ex.run.id)
            except Exception:
                ex.logger.exception("heartbeat failed")

    def _worker(self, ex: _Execution) -> None:
        robots = RobotCache()
        try:
            while not ex.should_stop():
                item = self.ledger.claim(
                    ex.run.id, ex.owner, ex.workflow.concurrency.lease_seconds
                )
                if item is None:
                    if self._wait_for_work(ex):
                        continue
                    return
                self._process(ex, item, robots)
        except Exception as exc:  # a bug in the engine or ledger: stop the run, say why
            ex.logger.exception("worker crashed")
            with ex.lock:
                ex.fatal_reason = ex.fatal_reason or f"worker error: {exc!r}"
        finally:
            robots.close(ex.logger)

    def _wait_for_work(self, ex: _Execution) -> bool:
        """Nothing claimable now: wait for a retry to come due or another worker to finish.
        Returns False when the queue is drained."""
        open_count, earliest = self.ledger.pending_summary(ex.run.id)
        if open_count == 0:
            return False
        delay = self.idle_poll_seconds
        if earliest is not None:
            delay = max(delay, min(1.0, (earliest - self.clock.now()).total_seconds()))
        self.clock.wait(ex.stop, delay)
        return not ex.should_stop()

    def execute_one(
        self, run_id: str, *, owner: str | None = None, robots: RobotCache | None = None
    ) -> WorkItem | None:
        """Claim and process one ready item of a run (for Celery workers). With ``robots``
        the caller keeps the opened robots for its next items; without, they are closed."""
        run = self.ledger.run(run_id)
        wf = self.registry.workflow(run.workflow)
        owner = owner or f"{_HOST}:{os.getpid()}:{random.getrandbits(32):08x}"
        logger = open_run_logger(
            self.settings.run_dir(run_id),
            run_id,
            [s.get_secret_value() for s in self.settings.secrets.values()],
        )
        ex = _Execution(run=run, workflow=wf, owner=owner, logger=logger, stop=self.stop,
                        progress=self.progress,
                        step_params=step_params(self.registry, wf, run.params))
        cache = robots or RobotCache()
        try:
            item = self.ledger.claim(run_id, owner, wf.concurrency.lease_seconds)
            if item is None:
                return None
            return self._process(ex, item, cache)
        finally:
            if robots is None:
                cache.close(logger)
            close_run_logger(logger)

    # ---- one item -------------------------------------------------------------------------
    def _robot_for(self, ex: _Execution, step: int, robots: RobotCache) -> Robot:
        spec = ex.workflow.steps[step]
        return robots.get(self.registry, self.settings, spec.robot, ex.step_params[step])

    def _process(self, ex: _Execution, item: WorkItem, robots: RobotCache) -> WorkItem:
        """Run the item's remaining steps while it keeps its lease. A worker whose lease was
        taken over (it was silent too long) stops there: the new holder records the outcome."""
        try:
            return self._process_held(ex, item, robots)
        except LeaseLost as exc:
            ex.logger.warning(str(exc), extra={"item_id": item.id})
            return self.ledger.item(item.id)

    def _process_held(self, ex: _Execution, item: WorkItem, robots: RobotCache) -> WorkItem:
        while True:
            spec = ex.workflow.steps[item.step]
            uncertain = item.attempts > 0  # an earlier try's outcome is unknown or failed
            attempt = self.ledger.start_attempt(
                item,
                robot=spec.robot,
                robot_version=self.registry.robot_class(spec.robot).version,
                worker=f"{ex.owner}/{threading.current_thread().name}",
            )
            evidence = self.settings.run_dir(item.run_id) / "evidence" / item.id
            ctx = ItemContext(
                run_id=item.run_id,
                workflow=item.workflow,
                step=item.step,
                params=ex.step_params[item.step],
                settings=self.settings,
                secrets=self.settings.secrets,
                evidence_dir=evidence,
                logger=ex.logger,
                attempt=attempt.number,
                knowledge=RobotKnowledge(self.ledger, spec.robot),
            )
            started = time.perf_counter()
            outcome_name = AttemptOutcome.DONE
            try:
                if swapped := moved_away(item.files):
                    raise InputRejected(
                        "input_outside_folder",
                        f"{swapped[0]} has become a link to {Path(swapped[0]).resolve()} "
                        "since it came in: refused, nothing outside the inputs is read")
                robot = self._robot_for(ex, item.step, robots)
                result: ItemResult | None = None
                if uncertain:
                    result = robot.find_existing(item, ctx)
                    if result is not None:
                        outcome_name = AttemptOutcome.EXISTING
                if result is None:
                    result = robot.process(item, ctx)
            except ConfigError as exc:
                with ex.lock:
                    ex.fatal_reason = f"step {item.step} ({spec.robot}): {exc}"
                outcome = self._system_failure(ex, item, attempt.number, exc, final=True)
            except BusinessError as exc:
                rejected = isinstance(exc, InputRejected)
                outcome = Outcome(
                    outcome=AttemptOutcome.REJECTED if rejected else AttemptOutcome.REVIEW,
                    state=ItemState.FAILED if rejected else ItemState.REVIEW,
                    step=item.step,
                    payload=exc.details,
                    failure_kind=FailureKind.BUSINESS,
                    error_code=exc.code,
                    error=exc.message,
                    reasons=tuple(exc.reasons),
                    # The baseline in force now, so an approval that completes this step
                    # earns it (minus the review time) without rewriting history later.
                    manual_minutes=None if rejected else self._baseline(ex, spec.robot),
                )
                self._note_success(ex, item.step)  # the system answered: it is up
            except Exception as exc:
                final = attempt.number >= ex.workflow.retry.max_attempts
                outcome = self._system_failure(ex, item, attempt.number, exc, final=final)
            else:
                self._note_success(ex, item.step)
                outcome = self._success(ex, item, spec.robot, result, outcome_name)
            elapsed = (time.perf_counter() - started) * 1000
            outcome = Outcome(**{**outcome.__dict__, "duration_ms": round(elapsed, 3)})
            item = self.ledger.finish_attempt(item, attempt, outcome)
            self._log_outcome(ex, item, outcome, spec.robot)
            if item.state is ItemState.RESERVED:
                continue  # next step, same worker, lease kept
            if item.state in ITEM_SETTLED:
                item = self._archive(ex, item)
                ex.progress.item_settled(item)
            return item

    def _success(
        self, ex: _Execution, item: WorkItem, robot_name: str, result: ItemResult,
        name: AttemptOutcome,
    ) -> Outcome:
        cls = self.registry.robot_class(robot_name)
        minutes = result.manual_minutes
        if minutes is None:
            minutes = baseline_minutes(
                self.settings,
                robot=robot_name,
                workflow=ex.workflow.name,
                default=cls.manual_minutes,
                day=self.clock.now().date(),
                units=result.units,
            )
        last = item.step + 1 >= len(ex.workflow.steps)
        return Outcome(
            outcome=name if last else AttemptOutcome.ADVANCED,
            state=ItemState.DONE if last else ItemState.RESERVED,
            step=item.step if last else item.step + 1,
            payload=result.output,
            manual_minutes=minutes,
            reasons=(result.summary,) if result.summary else (),
        )

    def _baseline(self, ex: _Execution, robot_name: str) -> float:
        return baseline_minutes(
            self.settings,
            robot=robot_name,
            workflow=ex.workflow.name,
            default=self.registry.robot_class(robot_name).manual_minutes,
            day=self.clock.now().date(),
        )

    def _system_failure(
        self, ex: _Execution, item: WorkItem, attempt: int, exc: Exception, *, final: bool
    ) -> Outcome:
        code = exc.code if isinstance(exc, ItemError) else type(exc).__name__
        message = exc.message if isinstance(exc, ItemError) else str(exc) or repr(exc)
        if not isinstance(exc, ApplicationError | ConfigError):
            ex.logger.error(
                "unexpected robot error",
                extra={"item_id": item.id, "trace": traceback.format_exc(limit=8)},
            )
        with ex.lock:
            errors = ex.consecutive_system_errors.get(item.step, 0) + 1
            ex.consecutive_system_errors[item.step] = errors
            robot = ex.workflow.steps[item.step].robot
            if errors >= ex.workflow.concurrency.breaker_threshold and not ex.paused_reason:
                ex.paused_reason = (
                    f"circuit breaker: {errors} system errors in a row at step {item.step} "
                    f"({robot}; last: {code}: {message}); resume with "
                    f"`bots run --resume {ex.run.id}`"
                )
            # Once the run is paused the fault is the system's, not this item's: keep the
            # item for the resume instead of spending its last attempt.
            final = final and not ex.paused_reason
        details = exc.details if isinstance(exc, ItemError) else None
        if final:
            return Outcome(
                outcome=AttemptOutcome.FAILED,
                state=ItemState.FAILED,
                step=item.step,
                payload=details,
                failure_kind=FailureKind.SYSTEM,
                error_code=code,
                error=message,
                reasons=(f"gave up after {attempt} attempt(s): {message}",),
            )
        delay = ex.workflow.retry.delay(attempt, self.rng)
        return Outcome(
            outcome=AttemptOutcome.RETRY,
            state=ItemState.PENDING,
            step=item.step,
            payload=details,
            failure_kind=FailureKind.SYSTEM,
            error_code=code,
            error=message,
            not_before=self.clock.now() + timedelta(seconds=delay),
        )

    def _note_success(self, ex: _Execution, step: int) -> None:
        with ex.lock:
            ex.consecutive_system_errors[step] = 0

    def _log_outcome(self, ex: _Execution, item: WorkItem, outcome: Outcome, robot: str) -> None:
        level = logging.WARNING if outcome.failure_kind else logging.INFO
        ex.logger.log(
            level,
            f"item {item.id} {outcome.outcome}",
            extra={
                "item_id": item.id,
                "robot": robot,
                "state": item.state.value,
                "error_code": outcome.error_code,
                "error": outcome.error,
                "reasons": list(outcome.reasons),
                "duration_ms": outcome.duration_ms,
            },
        )

    # ---- files ----------------------------------------------------------------------------
    def _archive(self, ex: _Execution, item: WorkItem) -> WorkItem:
        try:
            moved = archive_files(item.files, item.source, ex.workflow.archive, item.state)
        except OutsideFolder as exc:
            ex.logger.error(f"did not archive files of {item.id}: {exc}")
            return item
        except OSError as exc:
            ex.logger.error(f"could not archive files of {item.id}: {exc}")
            return item
        if moved is None:
            return item
        self.ledger.set_files(item.id, moved, actor=ex.owner)
        return self.ledger.item(item.id)

    def _archive_skipped(self, ex: _Execution) -> None:
        """Move the files of skipped items that duplicate work already DONE, so the inputs
        folder only holds what still needs doing. A file held by unfinished work (another
        run's queue, a review) stays where it is: only work that happened archives a file."""
        if not any((ex.workflow.archive.done, ex.workflow.archive.failed)):
            return
        for item in self.ledger.skipped_duplicates_of_done(ex.run.id):
            self._archive(ex, item)
