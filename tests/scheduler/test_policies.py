"""The missed-run policy decides what a backlog of due fire times becomes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scheduler.policies import plan_fires
from scheduler.schedules import Schedule

NOW = datetime(2026, 3, 2, 7, 0, 30, tzinfo=UTC)


def _schedule(missed: str, **extra: object) -> Schedule:
    return Schedule(id="s", workflow="w", every="1h", missed=missed, grace_seconds=60, **extra)


def _hours_ago(*hours: float) -> list[datetime]:
    return [NOW - timedelta(hours=h) for h in hours]


@pytest.mark.parametrize("policy", ["skip", "run_once", "run_all"])
def test_a_fire_within_the_grace_period_simply_runs(policy: str) -> None:
    due = [NOW - timedelta(seconds=30)]

    plan = plan_fires(_schedule(policy), due, NOW)

    assert plan.run == tuple(due)
    assert plan.missed == ()


def test_skip_drops_a_late_backlog() -> None:
    due = _hours_ago(3, 2, 1)

    plan = plan_fires(_schedule("skip"), due, NOW)

    assert plan.run == ()
    assert plan.missed == tuple(due)


def test_skip_still_runs_the_fire_that_is_on_time_after_an_outage() -> None:
    due = [*_hours_ago(2, 1), NOW - timedelta(seconds=10)]

    plan = plan_fires(_schedule("skip"), due, NOW)

    assert plan.run == (due[-1],)
    assert plan.missed == tuple(due[:-1])


def test_run_once_replaces_a_backlog_with_one_run_for_the_newest_time() -> None:
    due = _hours_ago(3, 2, 1)

    plan = plan_fires(_schedule("run_once"), due, NOW)

    assert plan.run == (due[-1],)
    assert plan.missed == tuple(due[:-1])


def test_run_all_replays_the_backlog_oldest_first_up_to_the_limit() -> None:
    due = _hours_ago(5, 4, 3, 2, 1)

    plan = plan_fires(_schedule("run_all", max_catch_up=3), due, NOW)

    assert plan.run == tuple(due[2:])
    assert plan.missed == tuple(due[:2])
