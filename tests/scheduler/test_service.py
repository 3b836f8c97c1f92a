"""The scheduler service in this process, on a real SQLite ledger: fires are recorded with
their schedule id, the missed-run policy holds across a restart, overlaps are handled and
the schedules file is re-read on request. Intervals are in seconds to keep this quick."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backoffice.clock import ManualClock
from backoffice.config import Settings
from backoffice.ledger import Ledger
from backoffice.models import utcnow
from backoffice.registry import Registry
from backoffice.states import RunState, TriggerKind
from scheduler.schedules import load_schedules
from scheduler.service import SchedulerService
from tests.scheduler.conftest import (
    APPEND_WORKFLOW,
    events,
    wait_until,
    write_project,
)

pytestmark = pytest.mark.slow


@contextmanager
def running_service(settings: Settings) -> Iterator[SchedulerService]:
    ledger = Ledger.open(settings.db_url)
    service = SchedulerService(settings, ledger, Registry(settings), poll_seconds=0.2)
    thread = threading.Thread(target=service.serve, name="scheduler")
    thread.start()
    try:
        yield service
    finally:
        service.stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()
        ledger.close()


def _due(event: object) -> datetime:
    return datetime.fromisoformat(event.payload["due"])  # type: ignore[attr-defined]


def _every_second(policy: str) -> str:
    return f"""
[[schedule]]
id = "tick-every-second"
workflow = "tick"
every = "1s"
missed = "{policy}"
grace_seconds = 0.5
max_catch_up = 20
"""


def test_each_fire_starts_a_run_recorded_with_its_schedule(tmp_path: Path) -> None:
    settings = write_project(tmp_path, schedules=_every_second("skip"))
    ledger = Ledger.open(settings.db_url)

    with running_service(settings):
        wait_until(lambda: len(events(ledger, "schedule.fired")) >= 2, 20, "two fires")

    fired = events(ledger, "schedule.fired")
    for event in fired:
        run = ledger.run(event.run_id)
        assert run.trigger.kind is TriggerKind.SCHEDULE
        assert run.trigger.actor == "scheduler"
        assert run.trigger.schedule_id == "tick-every-second"
        assert run.state is RunState.COMPLETED
        assert event.payload["schedule_id"] == "tick-every-second"
    assert len({_due(e) for e in fired}) == len(fired)
    assert len(events(ledger, "scheduler.leading")) == 1
    ledger.close()


@pytest.mark.parametrize(("policy", "runs", "missed"), [
    ("skip", [], ["09:00:01", "09:00:02", "09:00:03", "09:00:04"]),
    ("run_once", ["09:00:04"], ["09:00:01", "09:00:02", "09:00:03"]),
    ("run_all", ["09:00:01", "09:00:02", "09:00:03", "09:00:04"], []),
])
def test_due_times_missed_in_an_outage_follow_the_policy_without_waiting_for_them(
    tmp_path: Path, policy: str, runs: list[str], missed: list[str]
) -> None:
    """The outage is the clock moved on: four due times, each already later than the grace
    when the scheduler hands them over (as APScheduler does after a restart)."""
    settings = write_project(tmp_path, schedules=_every_second(policy))
    clock = ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    ledger = Ledger.open(settings.db_url, clock=clock)
    service = SchedulerService(settings, ledger, Registry(settings))
    service.schedules = load_schedules(settings)
    due = [clock.now() + timedelta(seconds=n) for n in (1, 2, 3, 4)]
    clock.advance(10)

    service.fire_due("tick-every-second", due)

    def times(kind: str) -> list[str]:
        return sorted(f"{_due(e):%H:%M:%S}" for e in events(ledger, kind))

    assert (times("schedule.fired"), times("schedule.missed")) == (runs, missed)
    for event in events(ledger, "schedule.fired"):
        assert event.payload["late_seconds"] > 0.5  # judged late by the clock, not by time
        assert ledger.run(event.run_id).state is RunState.COMPLETED
    ledger.close()


def test_restart_across_due_times_honours_the_missed_run_policy(tmp_path: Path) -> None:
    """End to end with APScheduler's real job store and real time (run_once; the other
    policies are covered above without the wait). The outage is judged from the ledger, not
    from this test's clock: on a loaded machine the restart itself may take seconds, and due
    times in that start-up belong to the backlog too."""
    settings = write_project(tmp_path, schedules=_every_second("run_once"))
    ledger = Ledger.open(settings.db_url)
    with running_service(settings):
        wait_until(lambda: len(events(ledger, "schedule.fired")) >= 2, 20, "fires before")
    stopped = utcnow()
    time.sleep(3.5)  # the scheduler is down across three or four due times
    with running_service(settings):
        wait_until(lambda: [e for e in events(ledger, "schedule.fired") if _due(e) > stopped],
                   20, "a fire after the restart")

    fired = events(ledger, "schedule.fired")
    missed = events(ledger, "schedule.missed")
    fired_due = Counter(_due(e) for e in fired)
    missed_due = {_due(e) for e in missed}
    assert all(n == 1 for n in fired_due.values()), "a due time ran twice"
    assert not set(fired_due) & missed_due
    assert len({e.run_id for e in fired}) == len(fired)  # one run per fire
    # run_once: the first fire after the restart stands in for the whole backlog, so every
    # due time of the outage before it is recorded as missed, and none of them ran.
    catch_up = min(t for t in fired_due if t > stopped)
    backlog = sorted(t for t in missed_due if t > stopped)
    assert len(backlog) >= 2, "an outage of 3.5 s at 1 s intervals leaves a backlog"
    assert backlog[-1] < catch_up
    assert not [t for t in fired_due if stopped < t < catch_up]
    assert all(e.payload["reason"].endswith("run_once") for e in missed if _due(e) > stopped)
    ledger.close()


def test_overlap_skip_records_a_skipped_fire_while_the_previous_run_is_going(
    tmp_path: Path,
) -> None:
    ledger_file = tmp_path / "postings.txt"
    workflow = APPEND_WORKFLOW.format(ledger_file=ledger_file, work_seconds=2.5,
                                      lease_seconds=60)
    workflow = workflow.replace('name = "append"', 'name = "append"\n[input]\nglob = "*.txt"')
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "statement.txt").write_text("x", encoding="utf-8")
    settings = write_project(tmp_path, workflows={"append": workflow}, schedules="""
[[schedule]]
id = "slow"
workflow = "append"
every = "1s"
overlap = "skip"
grace_seconds = 5
""")
    ledger = Ledger.open(settings.db_url)

    with running_service(settings):
        wait_until(lambda: events(ledger, "schedule.skipped"), 20, "a skipped fire")

    skipped = events(ledger, "schedule.skipped")[0]
    assert "overlap = skip" in skipped.payload["reason"]
    first = events(ledger, "schedule.fired")[0]
    assert _due(skipped) > _due(first)
    ledger.close()


def test_reload_applies_an_edited_schedules_file_without_a_restart(tmp_path: Path) -> None:
    settings = write_project(tmp_path, schedules=_every_second("skip"))
    ledger = Ledger.open(settings.db_url)
    with running_service(settings) as service:
        wait_until(lambda: events(ledger, "schedule.fired"), 20, "the first schedule")
        (tmp_path / "schedules.toml").write_text(
            _every_second("skip").replace("tick-every-second", "tick-renamed"),
            encoding="utf-8")
        service.reload.set()  # what SIGHUP does
        wait_until(lambda: [e for e in events(ledger, "schedule.fired")
                            if e.payload["schedule_id"] == "tick-renamed"], 20, "the new one")

    synced = events(ledger, "scheduler.synced")
    assert synced[-1].payload["added"] == ["tick-renamed"]
    assert synced[-1].payload["removed"] == ["tick-every-second"]
    ledger.close()
