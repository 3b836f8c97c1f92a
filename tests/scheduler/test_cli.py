"""``bots schedules`` and ``bots trigger`` through click's runner."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from backoffice.cli import cli_for_tests
from backoffice.ledger import Ledger
from backoffice.states import RunState, TriggerKind
from scheduler.calendars import BusinessCalendar
from tests.scheduler.conftest import CPU_WORKFLOW, TICK_WORKFLOW, events, write_project

SCHEDULES = """
timezone = "Europe/Helsinki"

[calendars.fi]
country = "FI"

[[schedule]]
id = "month-start"
workflow = "tick"
nth_business_day = 1
at = "07:00"
calendar = "fi"

[[schedule]]
id = "paused"
workflow = "cpu"
cron = "0 18 * * mon-fri"
enabled = false
params = { rounds = 2 }
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A schedule's params go to the steps that take them (the noop robot takes none).
    write_project(tmp_path, schedules=SCHEDULES,
                  workflows={"tick": TICK_WORKFLOW, "cpu": CPU_WORKFLOW.format(rounds=1)})
    monkeypatch.chdir(tmp_path)
    for var in ("BOTS_DATABASE_URL", "BOTS_BROKER_URL", "BOTS_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_schedules_lists_the_next_five_business_day_fires(project: Path) -> None:
    result = CliRunner().invoke(cli_for_tests(), ["schedules", "--json"])

    assert result.exit_code == 0, result.output
    listed = {s["id"]: s for s in json.loads(result.output)}
    assert set(listed) == {"month-start", "paused"}
    assert listed["paused"]["enabled"] is False
    fires = [datetime.fromisoformat(t) for t in listed["month-start"]["next"]]
    assert len(fires) == 5
    fi = BusinessCalendar(country="FI")
    helsinki = ZoneInfo("Europe/Helsinki")
    for fire in fires:
        local = fire.astimezone(helsinki)
        assert (local.hour, local.minute) == (7, 0)
        earlier = [d for d in fi.business_days(local.year, local.month) if d < local.date()]
        assert fi.is_business_day(local.date()) and earlier == []
    assert fires == sorted(fires) and len({(f.year, f.month) for f in fires}) == 5


def test_trigger_runs_the_schedule_now_recorded_with_the_user_who_asked(project: Path) -> None:
    result = CliRunner().invoke(cli_for_tests(), ["trigger", "paused", "--user", "alice"])

    assert result.exit_code == 0, result.output
    ledger = Ledger.open(f"sqlite:///{project / 'outputs' / 'ledger.sqlite3'}")
    (run,) = ledger.runs()
    assert run.trigger.kind is TriggerKind.MANUAL
    assert run.trigger.actor == "alice"
    assert run.trigger.schedule_id == "paused"
    assert run.params["rounds"] == 2
    assert run.state is RunState.COMPLETED
    (asked,) = events(ledger, "schedule.triggered")
    assert asked.actor == "alice" and asked.payload["schedule_id"] == "paused"
    ledger.close()


def test_trigger_of_an_unknown_schedule_names_the_known_ones(project: Path) -> None:
    result = CliRunner().invoke(cli_for_tests(), ["trigger", "nope"])

    assert result.exit_code != 0
    assert "month-start" in str(result.exception) + result.output
