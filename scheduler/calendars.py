"""Business-day calendars and the APScheduler triggers that honour them.

A ``BusinessCalendar`` says whether a date is a working day: not a weekend day, not a public
holiday of its country (the ``holidays`` package), not one of its extra closed dates.

``BusinessDayTrigger`` wraps any APScheduler trigger (cron, interval) and drops the fire
times that fall on a closed day (judged in the trigger's own timezone, so "18:00 Warsaw time
on 11 November" is a Polish holiday even though it is 17:00 UTC). ``NthBusinessDayTrigger``
fires on the n-th (or, counting from the end, the last, second-to-last...) business day of
each month at a wall-clock time. Both are picklable: the persistent job store keeps them.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from apscheduler.triggers.base import BaseTrigger

# A calendar that closes every day would make a trigger search forever; no real schedule
# skips more than a few weeks in a row.
_MAX_CLOSED_RUN_DAYS = 370
_MAX_MONTHS_SEARCHED = 24
# A rule whose every fire falls on a closed day (a cron for 1 May in Finland) never fires.
_HORIZON = timedelta(days=3 * 366)


@dataclass(eq=False)
class BusinessCalendar:
    """Working days: Monday to Friday (by default) minus public holidays and closed dates."""

    country: str | None = None
    subdivision: str | None = None
    closed: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})  # date.weekday(): Saturday, Sunday

    def __post_init__(self) -> None:
        self.closed = frozenset(self.closed)
        self.weekend = frozenset(self.weekend)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BusinessCalendar) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def key(self) -> tuple[Any, ...]:
        return (self.country, self.subdivision, tuple(sorted(self.closed)),
                tuple(sorted(self.weekend)))

    def holiday_name(self, day: date) -> str | None:
        if self.country is None:
            return None
        return public_holidays(self.country, self.subdivision, day.year).get(day)

    def why_closed(self, day: date) -> str | None:
        """Why ``day`` is not a business day, or None when it is one."""
        if day.weekday() in self.weekend:
            return "weekend"
        if day in self.closed:
            return "closed date"
        name = self.holiday_name(day)
        return f"public holiday: {name}" if name else None

    def is_business_day(self, day: date) -> bool:
        return self.why_closed(day) is None

    def next_business_day(self, day: date) -> date:
        """The first business day on or after ``day``."""
        for _ in range(_MAX_CLOSED_RUN_DAYS):
            if self.is_business_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError(f"calendar {self.key()} has no business day within a year of {day}")

    def business_days(self, year: int, month: int) -> list[date]:
        last = _calendar.monthrange(year, month)[1]
        days = (date(year, month, d) for d in range(1, last + 1))
        return [d for d in days if self.is_business_day(d)]


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str | None, year: int) -> Mapping[date, str]:
    """A country's public holidays in one year. Memoised: working them out takes tens of
    milliseconds, and the job store unpickles a fresh trigger every time it looks."""
    found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return {day: str(name) for day, name in found.items()}


def local_datetime(day: date, at: time, tz: tzinfo) -> datetime:
    """``day`` at wall-clock ``at`` in ``tz``. A time that does not exist (the hour skipped
    when clocks go forward) moves forward by the gap, as a person's clock would show it."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    # Round-tripping through UTC normalises a non-existent local time.
    return aware.astimezone(ZoneInfo("UTC")).astimezone(tz)


class BusinessDayTrigger(BaseTrigger):
    """Fires when ``inner`` fires, except on the calendar's closed days."""

    __slots__ = ("inner", "calendar", "timezone")

    def __init__(self, inner: BaseTrigger, calendar: BusinessCalendar, timezone: tzinfo) -> None:
        self.inner = inner
        self.calendar = calendar
        self.timezone = timezone

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        fire = self.inner.get_next_fire_time(previous_fire_time, now)
        horizon = None if fire is None else fire + _HORIZON
        for _ in range(_MAX_CLOSED_RUN_DAYS):
            if fire is None or (horizon is not None and fire > horizon):
                return None
            day = fire.astimezone(self.timezone).date()
            if self.calendar.is_business_day(day):
                return fire
            # Jump to the start of the next open day rather than stepping through every
            # fire of a closed day (an every-minute trigger has 1,440 of them).
            reopen = self.calendar.next_business_day(day + timedelta(days=1))
            midnight = local_datetime(reopen, time(0), self.timezone)
            fire = self.inner.get_next_fire_time(None, midnight)
        return None

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "inner": self.inner, "calendar": self.calendar,
                "timezone": self.timezone}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.inner = state["inner"]
        self.calendar = state["calendar"]
        self.timezone = state["timezone"]

    def __str__(self) -> str:
        return f"{self.inner} on business days"


class NthBusinessDayTrigger(BaseTrigger):
    """Fires on the ``n``-th business day of every month at ``at`` (wall clock, ``timezone``).

    ``n`` counts from 1; a negative ``n`` counts from the month's end (-1 = last business
    day). A month with fewer than ``|n|`` business days is left out.
    """

    __slots__ = ("n", "at", "calendar", "timezone")

    def __init__(self, n: int, at: time, calendar: BusinessCalendar, timezone: tzinfo) -> None:
        if n == 0:
            raise ValueError("n must not be 0 (use 1 for the first business day, -1 the last)")
        self.n = n
        self.at = at
        self.calendar = calendar
        self.timezone = timezone

    def fire_in_month(self, year: int, month: int) -> datetime | None:
        days = self.calendar.business_days(year, month)
        index = self.n - 1 if self.n > 0 else self.n
        if not -len(days) <= index < len(days):
            return None
        return local_datetime(days[index], self.at, self.timezone)

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        start = now
        if previous_fire_time is not None:
            start = max(now, previous_fire_time + timedelta(microseconds=1))
        local = start.astimezone(self.timezone)
        year, month = local.year, local.month
        for _ in range(_MAX_MONTHS_SEARCHED):
            fire = self.fire_in_month(year, month)
            if fire is not None and fire >= start:
                return fire
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return None

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "n": self.n, "at": self.at, "calendar": self.calendar,
                "timezone": self.timezone}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.n = state["n"]
        self.at = state["at"]
        self.calendar = state["calendar"]
        self.timezone = state["timezone"]

    def __str__(self) -> str:
        which = f"business day {self.n}" if self.n > 0 else f"business day {self.n} (from end)"
        return f"{which} of the month at {self.at.strftime('%H:%M')}"


def fire_times(trigger: BaseTrigger, now: datetime, count: int) -> Iterator[datetime]:
    """The next ``count`` fire times of ``trigger`` after ``now``."""
    previous: datetime | None = None
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        if fire is None:
            return
        yield fire
        previous = now = fire


def parse_dates(values: Iterable[str | date]) -> frozenset[date]:
    return frozenset(v if isinstance(v, date) else date.fromisoformat(v) for v in values)
