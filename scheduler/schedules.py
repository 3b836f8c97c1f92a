"""Schedule definitions: ``scheduler/schedules.toml``, validated with pydantic at the edge.

Example::

    timezone = "Europe/Helsinki"           # default for every schedule (else settings')

    [calendars.fi]
    country = "FI"
    closed = ["2025-12-24"]                 # extra closed dates (company holidays)

    [[schedule]]
    id = "month-start-invoices"
    workflow = "invoice-to-erp"
    nth_business_day = 1                    # or -1 for the last business day
    at = "07:00"
    calendar = "fi"                         # a named calendar, or an inline table
    missed = "run_once"                     # skip | run_once | run_all
    grace_seconds = 3600
    overlap = "skip"                        # skip | queue
    enabled = true
    params = { company = "ACME" }

    [[schedule]]
    id = "weekday-recon"
    workflow = "bank-reconciliation"
    cron = "0 18 * * mon-fri"
    timezone = "Europe/Warsaw"
    calendar = { country = "PL" }

Exactly one of ``cron``, ``every`` ("90s", "15m", "2h", "1d") and ``nth_business_day`` gives
the rule; a calendar, when given, removes the fires that fall on closed days.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from backoffice.config import Settings, describe_validation_error
from backoffice.errors import ConfigError, NotFound
from backoffice.registry import UpcomingSchedule
from scheduler.calendars import (
    BusinessCalendar,
    BusinessDayTrigger,
    NthBusinessDayTrigger,
    fire_times,
)

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone {value!r} (use an IANA name like Europe/Helsinki)"
        ) from None
    return value


class CalendarSpec(_Model):
    country: str | None = None  # ISO code known to the `holidays` package: FI, PL, DE...
    subdivision: str | None = None  # a state or province, where holidays differ
    closed: tuple[date, ...] = ()
    weekend: tuple[str, ...] = ("sat", "sun")

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is not None and value.upper() not in holidays.list_supported_countries():
            raise ValueError(f"country {value!r} is not known to the holidays package")
        return value.upper() if value else None

    @field_validator("weekend")
    @classmethod
    def _weekday_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        names = tuple(v.lower()[:3] for v in value)
        bad = [v for v in names if v not in _WEEKDAYS]
        if bad:
            raise ValueError(f"unknown weekday(s) {bad}; use mon..sun")
        return names

    def build(self) -> BusinessCalendar:
        return BusinessCalendar(
            country=self.country,
            subdivision=self.subdivision,
            closed=frozenset(self.closed),
            weekend=frozenset(_WEEKDAYS.index(d) for d in self.weekend),
        )


class Schedule(_Model):
    """One schedule: when to start which workflow, and what to do about missed fires and
    overlapping runs."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=200)
    workflow: str
    description: str = ""
    enabled: bool = True
    cron: str | None = None  # crontab: minute hour day month day-of-week
    every: str | None = None  # "90s", "15m", "2h", "1d"
    nth_business_day: int | None = Field(default=None, ge=-23, le=23)
    at: time = time(0, 0)  # wall-clock time for nth_business_day
    timezone: str | None = None  # default: the file's, then settings.scheduler.timezone
    calendar: str | CalendarSpec | None = None  # a [calendars.NAME] or an inline table
    # What to do with fires the scheduler missed (it was down, or busy) by more than
    # grace_seconds: skip them all, run once for the lot, or run each (at most max_catch_up).
    missed: Literal["skip", "run_once", "run_all"] = "run_once"
    grace_seconds: float = Field(default=60.0, ge=0)
    max_catch_up: int = Field(default=10, ge=1)
    # A fire while this schedule's previous run is still going: skip it, or queue behind it.
    overlap: Literal["skip", "queue"] = "skip"
    params: Mapping[str, Any] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return _check_timezone(value)

    @field_validator("every")
    @classmethod
    def _every_format(cls, value: str | None) -> str | None:
        if value is not None and (not _EVERY.match(value) or every_seconds(value) <= 0):
            raise ValueError(f"every = {value!r}: expected a number and s/m/h/d, like '15m'")
        return value

    @field_validator("cron")
    @classmethod
    def _cron_format(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                CronTrigger.from_crontab(value, timezone="UTC")
            except ValueError as exc:
                raise ValueError(f"cron = {value!r}: {exc}") from None
        return value

    @model_validator(mode="after")
    def _one_rule(self) -> Schedule:
        rules = [r for r in ("cron", "every", "nth_business_day") if getattr(self, r) is not None]
        if len(rules) != 1:
            raise ValueError(
                f"schedule {self.id!r}: give exactly one of cron, every, nth_business_day "
                f"(got {', '.join(rules) or 'none'})"
            )
        if self.nth_business_day == 0:
            raise ValueError("nth_business_day: 1 is the first business day, -1 the last")
        return self

    def fingerprint(self) -> str:
        """Identifies the definition: an unchanged schedule keeps its place in the job store
        (and so its missed fires) across restarts; a changed one starts afresh."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


class SchedulesFile(_Model):
    timezone: str | None = None
    calendars: Mapping[str, CalendarSpec] = Field(default_factory=dict)
    schedule: tuple[Schedule, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return _check_timezone(value)

    @model_validator(mode="after")
    def _references(self) -> SchedulesFile:
        seen: set[str] = set()
        for s in self.schedule:
            if s.id in seen:
                raise ValueError(f"schedule id {s.id!r} is used twice")
            seen.add(s.id)
            if isinstance(s.calendar, str) and s.calendar not in self.calendars:
                known = ", ".join(sorted(self.calendars)) or "none"
                raise ValueError(f"schedule {s.id!r}: unknown calendar {s.calendar!r} "
                                 f"(known: {known})")
        return self


class Schedules:
    """The loaded schedules with what is needed to build their triggers."""

    def __init__(self, spec: SchedulesFile, *, default_timezone: str, source: Path | None) -> None:
        self.spec = spec
        self.default_timezone = spec.timezone or default_timezone
        self.source = source

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.spec.schedule)

    def __len__(self) -> int:
        return len(self.spec.schedule)

    def get(self, schedule_id: str) -> Schedule:
        for s in self.spec.schedule:
            if s.id == schedule_id:
                return s
        known = ", ".join(s.id for s in self.spec.schedule) or "none"
        raise NotFound("schedule", f"{schedule_id!r} (known: {known})")

    def enabled(self) -> list[Schedule]:
        return [s for s in self.spec.schedule if s.enabled]

    def timezone(self, schedule: Schedule) -> ZoneInfo:
        return ZoneInfo(schedule.timezone or self.default_timezone)

    def calendar(self, schedule: Schedule) -> BusinessCalendar | None:
        spec = schedule.calendar
        if isinstance(spec, str):
            spec = self.spec.calendars[spec]
        return spec.build() if spec is not None else None

    def trigger(self, schedule: Schedule, *, start: datetime | None = None) -> BaseTrigger:
        """The APScheduler trigger for ``schedule`` (``start`` anchors an ``every`` rule)."""
        tz = self.timezone(schedule)
        cal = self.calendar(schedule)
        if schedule.nth_business_day is not None:
            return NthBusinessDayTrigger(
                schedule.nth_business_day, schedule.at, cal or BusinessCalendar(), tz
            )
        inner: BaseTrigger
        if schedule.cron is not None:
            inner = CronTrigger.from_crontab(schedule.cron, timezone=tz)
        else:
            assert schedule.every is not None
            seconds = every_seconds(schedule.every)
            first = start or datetime.now(tz) + timedelta(seconds=seconds)
            inner = IntervalTrigger(seconds=seconds, timezone=tz, start_date=first)
        return BusinessDayTrigger(inner, cal, tz) if cal is not None else inner

    def describe(self, schedule: Schedule) -> str:
        if schedule.cron is not None:
            rule = f"cron {schedule.cron}"
        elif schedule.every is not None:
            rule = f"every {schedule.every}"
        else:
            n = schedule.nth_business_day
            rule = f"business day {n} of the month at {schedule.at.strftime('%H:%M')}"
        cal = self.calendar(schedule)
        if cal is not None:
            where = cal.country or "weekends"
            rule += f", {where} business days"
        return f"{rule} ({self.timezone(schedule).key})"


def every_seconds(value: str) -> float:
    match = _EVERY.match(value)
    if not match:
        raise ConfigError(f"every = {value!r}: expected a number and s/m/h/d, like '15m'")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def parse_schedules(text: str, *, default_timezone: str = "UTC",
                    source: Path | str = "<string>") -> Schedules:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    try:
        spec = SchedulesFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {describe_validation_error(exc)}") from None
    return Schedules(spec, default_timezone=default_timezone,
                     source=source if isinstance(source, Path) else None)


DEFAULT_FILE = "scheduler/schedules.toml"  # under base_dir, beside this package in a checkout


def schedules_path(settings: Settings) -> Path:
    """``[scheduler] schedules_file`` (resolved against base_dir by the settings), else the
    default file."""
    return settings.scheduler.schedules_file or settings.base_dir / DEFAULT_FILE


def load_schedules(settings: Settings) -> Schedules:
    """The schedules file named by the settings; a missing file means no schedules."""
    path = schedules_path(settings)
    if not path.is_file():
        return Schedules(SchedulesFile(), default_timezone=settings.scheduler.timezone,
                         source=None)
    return parse_schedules(path.read_text(encoding="utf-8"),
                           default_timezone=settings.scheduler.timezone, source=path)


def upcoming_schedules(settings: Settings, now: datetime) -> list[UpcomingSchedule]:
    """Every schedule with its next fire time (calendar applied), for the control room; it
    finds this through the ``backoffice.schedules`` entry point."""
    schedules = load_schedules(settings)
    out = []
    for s in schedules:
        times = list(fire_times(schedules.trigger(s, start=now), now, 1)) if s.enabled else []
        out.append(UpcomingSchedule(
            id=s.id, workflow=s.workflow, rule=schedules.describe(s), enabled=s.enabled,
            next=times[0].astimezone(schedules.timezone(s)).strftime("%a %Y-%m-%d %H:%M %Z")
            if times else None,
        ))
    return out
