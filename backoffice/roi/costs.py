"""Rates in force on a day, calendar months, and the investment's monthly costs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from backoffice.config import Investment, RoiSettings, Settings
from backoffice.roi.facts import LedgerFacts

SHARED = "(shared investment)"


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_range(first: str, last: str) -> Iterator[str]:
    """Every "YYYY-MM" from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    while f"{year:04d}-{month:02d}" <= last:
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def rate_in_force(
    roi: RoiSettings, targets: Sequence[str], day: date, name: str
) -> float | None:
    """The newest profile value ``name`` in force on ``day`` for the first target that has
    one (a robot before its workflow); None means "use the [roi] default"."""
    for target in targets:
        best: tuple[date, float] | None = None
        for profile in roi.profiles:
            value = getattr(profile, name)
            if profile.target != target or value is None or profile.effective_from > day:
                continue
            if best is None or profile.effective_from >= best[0]:
                best = (profile.effective_from, float(value))
        if best is not None:
            return best[1]
    return None


@dataclass(frozen=True, kw_only=True)
class FixedCost:
    target: str  # a robot, a workflow or SHARED
    month: str
    kind: str  # build | licence | maintenance
    amount: float


def investments(roi: RoiSettings) -> list[tuple[str, Investment]]:
    return [(SHARED, roi.investment), *sorted(roi.investments.items())]


def first_activity(
    facts: LedgerFacts, workflow_of: Mapping[str, str], target: str
) -> date | None:
    """The day the target (a robot, a workflow, or SHARED for anything) first ran."""
    days = [
        a.finished_at.date()
        for a in facts.attempts
        if a.finished_at is not None
        and (target == SHARED or a.robot == target or workflow_of.get(a.item_id) == target)
    ]
    return min(days) if days else None


def fixed_costs(
    settings: Settings, facts: LedgerFacts, workflow_of: Mapping[str, str], last_day: date
) -> list[FixedCost]:
    """Build cost once in the investment's first month, then licence and maintenance for
    every calendar month up to ``last_day``'s. An investment with no ``start`` begins with
    its target's first run; one whose target never ran (and has no start) costs nothing yet.
    """
    roi = settings.roi
    out: list[FixedCost] = []
    for target, inv in investments(roi):
        begin = inv.start or first_activity(facts, workflow_of, target)
        if begin is None or begin > last_day:
            continue
        if inv.build_cost:
            out.append(FixedCost(target=target, month=month_key(begin), kind="build",
                                 amount=inv.build_cost))
        for month in month_range(month_key(begin), month_key(last_day)):
            first_day = date(int(month[:4]), int(month[5:7]), 1)
            if inv.licence_per_month:
                out.append(FixedCost(target=target, month=month, kind="licence",
                                     amount=inv.licence_per_month))
            if inv.maintenance_hours_per_month:
                targets = () if target == SHARED else (target,)
                rate = rate_in_force(roi, targets, max(first_day, begin), "hourly_cost")
                hourly = roi.hourly_cost if rate is None else rate
                out.append(FixedCost(target=target, month=month, kind="maintenance",
                                     amount=inv.maintenance_hours_per_month * hourly))
    return out
