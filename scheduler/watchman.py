"""The watchman: whoever waits for a run worked by Celery workers also makes sure the run
never waits for an item that no live worker holds.

It runs in the dispatching ``bots run`` while it waits, in the scheduler leader, and in a
thread of every ``bots worker`` (so a run finishes by itself even when its dispatcher is
gone). Each round it asks the ledger for items whose lease expired (the worker died or hung)
or that were dispatched but never claimed for a whole lease (the task went down with a
worker that had taken it), takes them back and sends one task per item. The broker's own
redelivery (an hour, with Redis) is only a second line of defence.

The re-dispatched attempt of an item that may have acted runs the robot's ``find_existing``
first (its attempt count is above zero), so an outside effect is never done twice; and a
worker that comes back after its lease was taken over cannot record an outcome (fencing).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from backoffice.config import Settings
from backoffice.ledger import Ledger, Stranded
from backoffice.registry import Registry
from backoffice.states import RunState

_log = logging.getLogger("backoffice.watchman")

DEFAULT_LEASE_SECONDS = 300.0

# Sends ``count`` new tasks for the run.
SendTasks = Callable[[str, int], None]
# How many tasks wait in the broker's queue (not yet taken by any worker).
TasksWaiting = Callable[[], int]


@dataclass
class Watchman:
    settings: Settings
    ledger: Ledger
    registry: Registry
    send: SendTasks
    actor: str
    # Without it, every ready item of a run that stood still for a lease is re-dispatched
    # (extra tasks are harmless: a task that finds nothing ready returns at once).
    tasks_waiting: TasksWaiting | None = None

    def check(self, run_id: str) -> Stranded:
        """One round over one run: re-dispatch what no live worker holds, keep the run's
        heartbeat (a later run does not take over the items of a watched run), and complete
        the run if it is drained."""
        from scheduler.dispatch import finish_if_drained

        run = self.ledger.run(run_id)
        if run.state is not RunState.RUNNING:
            return Stranded()
        stranded = self.ledger.take_stranded(
            run_id, grace_seconds=self.lease_seconds(run.workflow), actor=self.actor,
            tasks_waiting=self.tasks_waiting,
        )
        if stranded.total:
            _log.warning("run %s: re-dispatching %d item(s) no live worker holds "
                         "(%d expired lease(s), %d never claimed)", run_id, stranded.total,
                         stranded.expired, stranded.unclaimed)
            self.send(run_id, stranded.total)
        self.ledger.heartbeat_run(run_id)
        finish_if_drained(self.settings, self.ledger, self.registry, run_id, actor=self.actor)
        return stranded

    def check_all(self) -> int:
        """One round over every RUNNING run dispatched to this installation's queue."""
        from scheduler.dispatch import distributed_owner

        sent = 0
        for run_id in self.ledger.runs_owned_by(distributed_owner(self.settings)):
            sent += self.check(run_id).total
        return sent

    def lease_seconds(self, workflow: str) -> float:
        try:
            return float(self.registry.workflow(workflow).concurrency.lease_seconds)
        except Exception:  # a workflow file removed since: its runs still get watched
            return DEFAULT_LEASE_SECONDS

    def watch(self, stop: threading.Event, *, interval: float = 2.0) -> None:
        """Rounds over every run until ``stop``; a failed round is logged and tried again."""
        while not stop.wait(interval):
            try:
                self.check_all()
            except Exception:
                _log.exception("watchman round failed; trying again in %.1f s", interval)

    def start(self, stop: threading.Event, *, interval: float = 2.0) -> threading.Thread:
        thread = threading.Thread(target=self.watch, args=(stop,), kwargs={"interval": interval},
                                  daemon=True, name="watchman")
        thread.start()
        return thread
