"""``bots scheduler``: the long-running service that starts runs when schedules come due.

It is APScheduler 3.x with its jobs in the ledger database (``scheduler_jobs``), so fire
times survive restarts, behind a leader lock so only one scheduler per database fires.
APScheduler decides *when*; a custom executor hands every due fire to ``fire_due``, which
applies the missed-run policy (``scheduler.policies``) and the overlap policy, starts the
run (in-process, or over Celery when ``broker_url`` is set) and records each decision in
the ledger: ``schedule.fired`` / ``schedule.missed`` / ``schedule.skipped`` /
``schedule.failed``, with the schedule id and the time the fire was due.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from apscheduler.executors.base import BaseExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from backoffice.clock import Clock
from backoffice.config import Settings
from backoffice.engine import Engine, owner_is_dead
from backoffice.errors import BotError
from backoffice.ledger import Ledger
from backoffice.ledger.database import make_engine
from backoffice.models import Run, Trigger
from backoffice.registry import Registry
from backoffice.states import RunState, TriggerKind
from scheduler.leader import LeaderLock, leader_lock_for
from scheduler.policies import plan_fires
from scheduler.schedules import Schedule, Schedules, load_schedules

JOBS_TABLE = "scheduler_jobs"
ACTOR = "scheduler"
_log = logging.getLogger("backoffice.scheduler")


def scheduled_fire(**_: Any) -> None:
    """The job function stored with each job. Never called: ``_FireExecutor`` hands the job
    to the service instead, because a persisted job can only name a module-level function,
    while firing needs the service's ledger and settings."""
    raise RuntimeError("schedule jobs are fired by the scheduler service, not called")


class _FireExecutor(BaseExecutor):
    """Runs ``fire(schedule_id, due_times)`` on a thread pool for each due job. Overlap is
    the service's business (it checks the ledger), so no per-job instance counting here."""

    def __init__(self, fire: Callable[[str, list[datetime]], None], max_workers: int) -> None:
        super().__init__()
        self._fire = fire
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="fire")

    def submit_job(self, job: Job, run_times: list[datetime]) -> None:
        self._do_submit_job(job, run_times)

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        self._pool.submit(self._guarded, job.id, list(run_times))

    def _guarded(self, job_id: str, run_times: list[datetime]) -> None:
        try:
            self._fire(job_id, run_times)
        except Exception:
            _log.exception("firing schedule %s failed", job_id)

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait)


class SchedulerService:
    """Leads (or waits to lead) and fires schedules until ``stop`` is set."""

    def __init__(
        self,
        settings: Settings,
        ledger: Ledger,
        registry: Registry,
        *,
        stop: threading.Event | None = None,
        poll_seconds: float = 2.0,
        max_parallel_fires: int = 16,
        lock: LeaderLock | None = None,
        say: Callable[[str], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        # Lateness (the missed-run policy) and the service's waits go by the ledger's clock
        # unless told otherwise; a test's ManualClock moves it instead of sleeping.
        # APScheduler itself keeps real time.
        self.clock: Clock = clock or ledger.clock
        self.ledger = ledger
        self.registry = registry
        self.stop = stop or threading.Event()
        self.reload = threading.Event()  # set on SIGHUP: re-read the schedules file
        self.poll_seconds = poll_seconds
        self.max_parallel_fires = max_parallel_fires
        self.lock = lock or leader_lock_for(ledger.engine, settings.db_url)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{random.getrandbits(32):08x}"
        self.say = say or _log.info
        self.schedules: Schedules | None = None
        self._overlap: dict[str, threading.Lock] = {}
        self._overlap_guard = threading.Lock()
        self._celery: Any = None

    # ---- leadership -----------------------------------------------------------------------
    def serve(self) -> None:
        """Block until ``stop``: wait as a standby until this process holds the leader lock,
        then schedule. A leader that loses its lock goes back to standby."""
        waiting_said = False
        while not self.stop.is_set():
            if not self.lock.try_acquire():
                if not waiting_said:
                    self.say("standby: another scheduler leads this database; waiting")
                    waiting_said = True
                self.clock.wait(self.stop, self.poll_seconds)
                continue
            waiting_said = False
            try:
                self._lead()
            finally:
                self.lock.release()

    def _lead(self) -> None:
        self.ledger.record_event("scheduler.leading", actor=ACTOR,
                                 payload={"owner": self.owner})
        jobs_engine = make_engine(self.settings.db_url)
        sched = BackgroundScheduler(
            timezone=UTC,
            jobstores={"default": SQLAlchemyJobStore(engine=jobs_engine, tablename=JOBS_TABLE)},
            executors={"default": _FireExecutor(self.fire_due, self.max_parallel_fires)},
            job_defaults={"coalesce": False, "max_instances": 1, "misfire_grace_time": None},
        )
        watching = threading.Event()
        if self.settings.broker_url:
            from scheduler.celery_app import make_celery
            from scheduler.dispatch import make_watchman

            self._celery = make_celery(self.settings)
            # The leader watches the runs it (or anyone) sent to the workers, so they finish
            # even when every worker that held an item died.
            make_watchman(self.settings, self.ledger, self.registry, self._celery,
                          actor=ACTOR).start(watching)
        sched.start(paused=True)
        try:
            self.sync(sched)
            sched.resume()
            self.say(f"leading: {len(sched.get_jobs())} schedule(s) active")
            while not self.stop.is_set():
                if self.reload.is_set():
                    self.reload.clear()
                    self.sync(sched)
                if not self.lock.still_held():
                    self.say("lost the leader lock; back to standby")
                    self.ledger.record_event("scheduler.lost_lead", actor=ACTOR,
                                             payload={"owner": self.owner})
                    break
                self.clock.wait(self.stop, self.poll_seconds)
        finally:
            # Running fires see ``stop`` (shared with their engines): items in hand are
            # finished and recorded, then the runs end CANCELLED and can be resumed.
            sched.shutdown(wait=True)
            watching.set()
            jobs_engine.dispose()
            if self._celery is not None:
                self._celery.close()
                self._celery = None
            self.ledger.record_event("scheduler.stopped", actor=ACTOR,
                                     payload={"owner": self.owner})

    # ---- the schedules file -> the job store ----------------------------------------------
    def sync(self, sched: BackgroundScheduler) -> dict[str, list[str]]:
        """Make the job store match the schedules file. An unchanged schedule keeps its
        stored next fire time, so fires missed while no scheduler ran are still seen."""
        try:
            schedules = load_schedules(self.settings)
        except BotError as exc:
            self.say(f"schedules file not loaded, keeping the previous one: {exc}")
            self.ledger.record_event("scheduler.sync_failed", actor=ACTOR,
                                     payload={"error": str(exc)})
            return {}
        wanted = {s.id: s for s in schedules.enabled()}
        existing = {job.id: job for job in sched.get_jobs()}
        changes: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
        for job_id, job in existing.items():
            spec = wanted.get(job_id)
            if spec is None or job.kwargs.get("fingerprint") != spec.fingerprint():
                sched.remove_job(job_id)
                changes["removed" if spec is None else "changed"].append(job_id)
        for spec in wanted.values():
            if spec.id in existing and spec.id not in changes["changed"]:
                continue
            sched.add_job(
                "scheduler.service:scheduled_fire",
                trigger=schedules.trigger(spec),
                id=spec.id,
                name=spec.id,
                kwargs={"fingerprint": spec.fingerprint()},
                replace_existing=True,
            )
            if spec.id not in changes["changed"]:
                changes["added"].append(spec.id)
        self.schedules = schedules
        self.ledger.record_event(
            "scheduler.synced", actor=ACTOR,
            payload={"file": str(schedules.source) if schedules.source else None,
                     "enabled": len(wanted), **changes},
        )
        return changes

    # ---- firing ---------------------------------------------------------------------------
    def fire_due(self, schedule_id: str, due: Sequence[datetime]) -> None:
        """Fire a schedule for the due times APScheduler hands over (several after an
        outage), as its missed-run policy says, judged against this service's clock."""
        schedules = self.schedules
        if schedules is None:
            return
        schedule = next((s for s in schedules.enabled() if s.id == schedule_id), None)
        if schedule is None:
            return  # removed from the file since; the next sync drops its job
        now = self.clock.now()
        plan = plan_fires(schedule, [t.astimezone(UTC) for t in due], now)
        for when in plan.missed:
            self._event("schedule.missed", schedule, when, now,
                        reason=f"scheduler was not running; missed-run policy {schedule.missed}")
        for when in plan.run:
            if self.stop.is_set():
                self._event("schedule.skipped", schedule, when, self.clock.now(),
                            reason="the scheduler is stopping")
                continue
            self._start(schedule, when)

    def _start(self, schedule: Schedule, due: datetime) -> None:
        with self._overlap_guard:
            gate = self._overlap.setdefault(schedule.id, threading.Lock())
        if schedule.overlap == "skip":
            if not gate.acquire(blocking=False):
                self._event("schedule.skipped", schedule, due, self.clock.now(),
                            reason="its previous run is still going (overlap = skip)")
                return
        else:
            while not gate.acquire(timeout=0.5):
                if self.stop.is_set():
                    self._event("schedule.skipped", schedule, due, self.clock.now(),
                                reason="the scheduler stopped while this fire was queued")
                    return
        try:
            active = self._active_run(schedule)
            while active is not None and schedule.overlap == "queue" and not self.stop.is_set():
                self.clock.wait(self.stop, 0.5)
                active = self._active_run(schedule)
            if active is not None:
                why = ("the scheduler stopped while this fire was queued" if self.stop.is_set()
                       else f"its previous run {active.id} is still RUNNING (overlap = skip)")
                self._event("schedule.skipped", schedule, due, self.clock.now(), reason=why,
                            run_id=active.id)
                return
            self._launch(schedule, due)
        finally:
            gate.release()

    def _active_run(self, schedule: Schedule) -> Run | None:
        """This schedule's run still in progress, if any (in this process or on workers)."""
        for run in self.ledger.runs(workflow=schedule.workflow, states=[RunState.RUNNING],
                                    limit=200):
            if run.trigger.schedule_id != schedule.id:
                continue
            owner = self.ledger.run_row(run.id).get("owner")
            if owner and owner_is_dead(owner):
                continue  # its process crashed: it will never finish, so it must not block
            return run
        return None

    def _launch(self, schedule: Schedule, due: datetime) -> None:
        trigger = Trigger(kind=TriggerKind.SCHEDULE, actor=ACTOR, schedule_id=schedule.id)
        engine = Engine(self.settings, self.ledger, self.registry, stop=self.stop,
                        clock=self.clock)
        try:
            if self.settings.broker_url:
                from scheduler.dispatch import start_distributed

                run = start_distributed(self.settings, self.ledger, self.registry,
                                        schedule.workflow, trigger=trigger,
                                        params=schedule.params, app=self._celery)
            else:
                run = engine.prepare(schedule.workflow, trigger=trigger, params=schedule.params)
        except BotError as exc:
            self._event("schedule.failed", schedule, due, self.clock.now(), reason=str(exc))
            return
        self._event("schedule.fired", schedule, due, self.clock.now(), run_id=run.id)
        if not self.settings.broker_url:
            engine.execute(run.id, actor=ACTOR)

    def _event(self, kind: str, schedule: Schedule, due: datetime, now: datetime, *,
               reason: str | None = None, run_id: str | None = None) -> None:
        payload: dict[str, Any] = {
            "schedule_id": schedule.id,
            "workflow": schedule.workflow,
            "due": due.astimezone(UTC).isoformat(),
            "late_seconds": round((now - due).total_seconds(), 3),
            "scheduler": self.owner,
        }
        if reason:
            payload["reason"] = reason
        self.ledger.record_event(kind, actor=ACTOR, run_id=run_id, payload=payload)
        self.say(f"{kind} {schedule.id} (due {due.isoformat()})"
                 + (f" run {run_id}" if run_id else "") + (f": {reason}" if reason else ""))
