"""What an ROI report states about itself: the formula, and every assumption it used with
the date it took effect (the "How this was computed" sheet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backoffice.config import Settings
from backoffice.roi.costs import investments
from backoffice.roi.facts import LedgerFacts
from backoffice.states import SUCCESS_OUTCOMES, AttemptOutcome

FORMULA: tuple[str, ...] = (
    "Only items that reached DONE earn anything. FAILED, REJECTED and SKIPPED items, items "
    "still waiting in review, and runs that did nothing earn 0.",
    "Step minutes = the manual baseline recorded by the engine when the step finished (the "
    "baseline in force that day: ROI profile for the robot, else for the workflow, else "
    "[robots.NAME] manual_minutes, else the robot's default).",
    "Reviewed step minutes = the baseline recorded when the robot handed the item to a person "
    "- the minutes the person spent (measured by the review flow; if not measured, the "
    "profile's review_minutes, else roi.review_estimate_minutes). It can be negative.",
    "Hours saved = sum of step minutes over the items finished in the period / 60.",
    "Money saved = sum of step minutes / 60 x the hourly cost in force on the item's finish "
    "day (profile hourly_cost for the robot or workflow, else roi.hourly_cost).",
    "Robot cost = every attempt's runtime (failed and retried ones too) in hours x the "
    "robot-hour cost in force on that day.",
    "Running costs = licence per month + maintenance hours per month x hourly cost, for each "
    "calendar month from the investment's start (default: its first run).",
    "Build cost = counted once, in the investment's first month.",
    "Net benefit = money saved - robot cost - running costs - build cost.",
    "ROI % = net benefit / (robot cost + running costs + build cost) x 100.",
    "Payback month = the first month in which the cumulative net benefit since the "
    "investment started is >= 0 (months before the report's start date count too).",
)


@dataclass(frozen=True, kw_only=True)
class Assumption:
    name: str
    value: float | str
    effective_from: date | None
    source: str


def assumptions_in_force(
    settings: Settings, facts: LedgerFacts, start: date | None, last_day: date
) -> tuple[Assumption, ...]:
    roi = settings.roi
    out = [
        Assumption(name="currency", value=roi.currency, effective_from=None,
                   source="[roi] currency"),
        Assumption(name="hourly cost of a person", value=roi.hourly_cost, effective_from=None,
                   source="[roi] hourly_cost (default)"),
        Assumption(name="cost per robot-hour", value=roi.robot_hour_cost, effective_from=None,
                   source="[roi] robot_hour_cost (default)"),
        Assumption(name="review estimate, minutes", value=roi.review_estimate_minutes,
                   effective_from=None, source="[roi] review_estimate_minutes (default)"),
    ]
    fields = ("manual_minutes", "per_unit_minutes", "review_minutes", "hourly_cost",
              "robot_hour_cost")
    for profile in sorted(roi.profiles, key=lambda p: (p.target, p.effective_from)):
        for name in fields:
            value = getattr(profile, name)
            if value is not None:
                out.append(Assumption(
                    name=f"{profile.target}: {name.replace('_', ' ')}", value=value,
                    effective_from=profile.effective_from, source="[[roi.profiles]]",
                ))
    for target, inv in investments(roi):
        source = "[roi.investment]" if target.startswith("(") else f"[roi.investments.{target}]"
        for name in ("build_cost", "licence_per_month", "maintenance_hours_per_month"):
            value = getattr(inv, name)
            if value:
                out.append(Assumption(
                    name=f"{target}: {name.replace('_', ' ')}", value=value,
                    effective_from=inv.start, source=source,
                ))
    out.extend(_recorded_baselines(facts, start, last_day))
    return tuple(out)


def _recorded_baselines(
    facts: LedgerFacts, start: date | None, last_day: date
) -> list[Assumption]:
    """Each distinct baseline the engine recorded per robot, with the first day it was
    used: the figures actually behind the hours saved, whatever the settings say today."""
    seen: dict[tuple[str, float], list[date]] = {}
    for a in facts.attempts:
        if a.manual_minutes is None or a.finished_at is None:
            continue
        if a.outcome not in SUCCESS_OUTCOMES and a.outcome is not AttemptOutcome.REVIEW:
            continue
        day = a.finished_at.date()
        if (start is not None and day < start) or day > last_day:
            continue
        seen.setdefault((a.robot, a.manual_minutes), []).append(day)
    return [
        Assumption(
            name=f"{robot}: manual minutes per item (recorded)", value=minutes,
            effective_from=min(days),
            source=f"recorded on {len(days)} attempt(s), {min(days)} to {max(days)}",
        )
        for (robot, minutes), days in sorted(seen.items(), key=lambda kv: (kv[0][0], min(kv[1])))
    ]
