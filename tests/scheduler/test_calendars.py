"""Business calendars and the triggers built on them: holidays, closed dates, DST and
timezones other than UTC. Expected dates are worked out by hand from the public calendars."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from backoffice.errors import ConfigError
from scheduler.calendars import BusinessCalendar, NthBusinessDayTrigger, fire_times
from scheduler.schedules import parse_schedules

NEW_YORK = ZoneInfo("America/New_York")
WARSAW = ZoneInfo("Europe/Warsaw")
HELSINKI = ZoneInfo("Europe/Helsinki")


def _local(dt: datetime, tz: ZoneInfo) -> tuple[date, time, str | None]:
    local = dt.astimezone(tz)
    return local.date(), local.time(), local.tzname()


def test_nth_business_day_skips_holidays_and_keeps_wall_clock_across_dst() -> None:
    # November 2026 in New York: DST ends Sunday 1 Nov, Veterans Day is Wednesday 11 Nov,
    # Thanksgiving Thursday 26 Nov.
    us = BusinessCalendar(country="US")
    eighth = NthBusinessDayTrigger(8, time(7, 0), us, NEW_YORK)
    after_october = datetime(2026, 10, 20, tzinfo=UTC)

    fire = eighth.get_next_fire_time(None, after_october)

    # Nov 2,3,4,5,6,9,10 are business days 1-7; the 11th is a holiday; the 12th is the 8th.
    assert _local(fire, NEW_YORK) == (date(2026, 11, 12), time(7, 0), "EST")
    assert fire == datetime(2026, 11, 12, 12, 0, tzinfo=UTC)  # EST is UTC-5


def test_first_business_day_fires_at_the_same_local_time_before_and_after_dst() -> None:
    first = NthBusinessDayTrigger(1, time(7, 0), BusinessCalendar(country="US"), NEW_YORK)

    fires = list(fire_times(first, datetime(2026, 9, 15, tzinfo=UTC), 2))

    assert fires == [
        datetime(2026, 10, 1, 11, 0, tzinfo=UTC),  # Thu 1 Oct, 07:00 EDT (UTC-4)
        datetime(2026, 11, 2, 12, 0, tzinfo=UTC),  # Mon 2 Nov, 07:00 EST (UTC-5)
    ]


def test_last_business_day_counts_back_over_holidays_and_closed_dates() -> None:
    # December 2026 in Finland: 24-26 Dec are holidays; the company also closes on 31 Dec
    # (Thursday), so the last business day is Wednesday 30 Dec.
    fi = BusinessCalendar(country="FI", closed=frozenset({date(2026, 12, 31)}))
    last = NthBusinessDayTrigger(-1, time(16, 30), fi, HELSINKI)

    fire = last.get_next_fire_time(None, datetime(2026, 12, 1, tzinfo=UTC))

    assert _local(fire, HELSINKI) == (date(2026, 12, 30), time(16, 30), "EET")


def test_first_business_day_after_a_new_years_holiday_and_a_weekend() -> None:
    first = NthBusinessDayTrigger(1, time(7, 0), BusinessCalendar(country="FI"), HELSINKI)

    fire = first.get_next_fire_time(None, datetime(2026, 12, 15, tzinfo=UTC))

    # 1 Jan 2027 is a Friday holiday, 2-3 Jan a weekend.
    assert _local(fire, HELSINKI)[:2] == (date(2027, 1, 4), time(7, 0))


def test_weekday_cron_skips_polish_public_holidays_in_warsaw_time() -> None:
    schedules = parse_schedules("""
[[schedule]]
id = "recon"
workflow = "bank-reconciliation"
cron = "0 18 * * mon-fri"
timezone = "Europe/Warsaw"
calendar = { country = "PL" }
""")
    trigger = schedules.trigger(schedules.get("recon"))

    fires = list(fire_times(trigger, datetime(2026, 11, 9, 12, 0, tzinfo=UTC), 4))

    # Wednesday 11 November is Independence Day.
    assert [_local(f, WARSAW)[0] for f in fires] == [
        date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 12), date(2026, 11, 13)]
    assert all(_local(f, WARSAW)[1] == time(18, 0) for f in fires)


def test_weekday_cron_keeps_18_00_local_across_the_october_dst_change() -> None:
    schedules = parse_schedules("""
[[schedule]]
id = "recon"
workflow = "w"
cron = "0 18 * * mon-fri"
timezone = "Europe/Warsaw"
calendar = { country = "PL" }
""")
    trigger = schedules.trigger(schedules.get("recon"))

    fires = list(fire_times(trigger, datetime(2026, 10, 23, 12, 0, tzinfo=UTC), 2))

    assert fires == [
        datetime(2026, 10, 23, 16, 0, tzinfo=UTC),  # Fri 18:00 CEST
        datetime(2026, 10, 26, 17, 0, tzinfo=UTC),  # Mon 18:00 CET (DST ended Sun 25 Oct)
    ]


def test_interval_on_business_days_resumes_on_the_next_open_day() -> None:
    schedules = parse_schedules("""
[[schedule]]
id = "hourly"
workflow = "w"
every = "1h"
timezone = "Europe/Warsaw"
calendar = { country = "PL" }
""")
    start = datetime(2026, 11, 6, 0, 0, tzinfo=WARSAW)  # Friday
    trigger = schedules.trigger(schedules.get("hourly"), start=start)

    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 6, 23, 30, tzinfo=WARSAW))

    assert fire == datetime(2026, 11, 9, 0, 0, tzinfo=WARSAW)  # Monday, midnight


def test_calendar_triggers_survive_pickling_for_the_job_store() -> None:
    fi = BusinessCalendar(country="FI", closed=frozenset({date(2026, 12, 31)}))
    trigger = NthBusinessDayTrigger(-1, time(16, 30), fi, HELSINKI)
    fi.is_business_day(date(2026, 12, 24))  # fill the holiday cache before pickling

    copy = pickle.loads(pickle.dumps(trigger))

    now = datetime(2026, 11, 1, tzinfo=UTC)
    assert list(fire_times(copy, now, 3)) == list(fire_times(trigger, now, 3))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('cron = "0 7 * * *"\nevery = "1h"', "exactly one of cron, every, nth_business_day"),
        ('cron = "0 7 * * *"\ntimezone = "Mars/Olympus"', "unknown timezone"),
        ('cron = "0 25 * * *"', "cron"),
        ('every = "soon"', "every"),
        ('cron = "0 7 * * *"\ncalendar = "nowhere"', "unknown calendar"),
        ('cron = "0 7 * * *"\ncalendar = { country = "XX" }', "not known to the holidays"),
        ('cron = "0 7 * * *"\nmissed = "sometimes"', "missed"),
    ],
)
def test_invalid_schedules_are_rejected_naming_the_problem(body: str, message: str) -> None:
    text = f'[[schedule]]\nid = "s"\nworkflow = "w"\n{body}\n'

    with pytest.raises(ConfigError, match=message):
        parse_schedules(text, source="schedules.toml")


def test_a_schedule_id_used_twice_is_rejected() -> None:
    one = '[[schedule]]\nid = "s"\nworkflow = "w"\ncron = "0 7 * * *"\n'

    with pytest.raises(ConfigError, match="used twice"):
        parse_schedules(one + one)


def test_changing_a_schedule_changes_its_fingerprint_and_only_then() -> None:
    text = '[[schedule]]\nid = "s"\nworkflow = "w"\ncron = "0 7 * * *"\n'
    same = parse_schedules(text).get("s").fingerprint()

    assert parse_schedules(text).get("s").fingerprint() == same
    assert parse_schedules(text.replace("0 7", "0 8")).get("s").fingerprint() != same
