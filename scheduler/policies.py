"""The missed-run policy as a pure function: which of a schedule's due fire times to run.

APScheduler hands over every fire time that came due since it last looked. Normally that is
one time, a moment ago. After an outage (the scheduler was stopped, or no leader was up) it
is a backlog. The newest time still counts as on time when it is late by at most the
schedule's ``grace_seconds``; everything older is *missed*, and the policy decides:

- ``skip``: run only an on-time fire; record the backlog as missed.
- ``run_once``: one run stands in for the backlog (the on-time fire if there is one, else
  the newest missed time); the others are recorded as missed.
- ``run_all``: run each missed time, oldest first, but at most ``max_catch_up`` of them, so
  a week-long outage never replays a week of runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from scheduler.schedules import Schedule


@dataclass(frozen=True, kw_only=True)
class FirePlan:
    run: tuple[datetime, ...]
    missed: tuple[datetime, ...]


def plan_fires(schedule: Schedule, due: Sequence[datetime], now: datetime) -> FirePlan:
    times = sorted(due)
    if not times:
        return FirePlan(run=(), missed=())
    newest = times[-1]
    on_time = (now - newest).total_seconds() <= schedule.grace_seconds
    current = (newest,) if on_time else ()
    backlog = times[:-1] if on_time else times
    if schedule.missed == "skip":
        return FirePlan(run=current, missed=tuple(backlog))
    if schedule.missed == "run_once":
        if current or not backlog:
            return FirePlan(run=current, missed=tuple(backlog))
        return FirePlan(run=(backlog[-1],), missed=tuple(backlog[:-1]))
    keep = backlog[-schedule.max_catch_up :]
    dropped = backlog[: len(backlog) - len(keep)]
    return FirePlan(run=tuple(keep) + current, missed=tuple(dropped))
