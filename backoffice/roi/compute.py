"""Return on investment you can defend, derived from recorded facts only.

The rules (each tested in tests/roi):

- An item that reaches DONE earns, for each of its steps, the manual baseline the engine
  recorded when that step finished (the baseline in force on that day, so a later change of
  assumption never rewrites history).
- A step completed by a person's approval earns the baseline recorded when the robot handed
  it over, minus the minutes the person spent: measured by the review flow, else the review
  estimate in force. A review slower than the manual work shows as a negative saving.
- FAILED, REJECTED and SKIPPED items, items still waiting for a person, and runs that did
  nothing earn 0.
- Robot runtime is every attempt's duration, failed ones included: the machine ran anyway.
- Straight through: an item finished DONE with no review decision at all; the rate is over
  every item finished in the window (DONE, REJECTED or FAILED). Review minutes are every
  decision's minutes (approvals and rejections), measured, else the estimate in force, in
  the month the decision was made.

Money uses the hourly cost and robot-hour cost in force (per robot or workflow profile, else
the ``[roi]`` defaults); licence and maintenance are charged per calendar month from the
investment's start, the build cost once in its first month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, Literal

from backoffice.baselines import baseline_minutes
from backoffice.config import RoiSettings, Settings
from backoffice.ledger import Ledger
from backoffice.roi.assumptions import FORMULA, Assumption, assumptions_in_force
from backoffice.roi.costs import (
    SHARED,
    FixedCost,
    fixed_costs,
    investments,
    month_key,
    month_range,
    rate_in_force,
)
from backoffice.roi.facts import (
    AttemptFact,
    ItemFact,
    LedgerFacts,
    ReviewFact,
    load_facts,
)
from backoffice.states import SUCCESS_OUTCOMES, AttemptOutcome, ItemState

UNNAMED = "(not named)"  # an item whose robots name no counterparty

GroupBy = Literal["robot", "workflow", "month", "counterparty"]
FINISHED_STATES = (ItemState.DONE.value, ItemState.REJECTED.value, ItemState.FAILED.value)
ZERO_STATES = tuple(s.value for s in (ItemState.FAILED, ItemState.REJECTED, ItemState.SKIPPED,
                                       ItemState.REVIEW))


# ---- per item ------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class StepSaving:
    robot: str
    baseline_minutes: float  # what a person would have spent on this step
    review_minutes: float  # what a person did spend on it (0 when no one touched it)
    reviewed: bool = False

    @property
    def minutes(self) -> float:
        return self.baseline_minutes - self.review_minutes


@dataclass(frozen=True, kw_only=True)
class ItemSaving:
    item_id: str
    run_id: str
    workflow: str
    finished: date
    steps: tuple[StepSaving, ...]

    @property
    def minutes(self) -> float:
        return sum(s.minutes for s in self.steps)

    @property
    def reviewed(self) -> bool:
        return any(s.reviewed for s in self.steps)


def review_minutes_for(review: ReviewFact, robot: str, workflow: str, roi: RoiSettings) -> float:
    if review.minutes_spent is not None:
        return float(review.minutes_spent)
    estimate = rate_in_force(roi, (robot, workflow), review.decided_at.date(), "review_minutes")
    return roi.review_estimate_minutes if estimate is None else estimate


def item_saving(
    item: ItemFact,
    tries: Sequence[AttemptFact],
    decisions: Sequence[ReviewFact],
    settings: Settings | None,
) -> ItemSaving | None:
    """What one item earned, step by step; None unless it reached DONE."""
    if item.state != ItemState.DONE or item.finished_at is None:
        return None
    roi = settings.roi if settings is not None else RoiSettings()
    finished = item.finished_at.date()
    handed_over = [a for a in tries if a.outcome is AttemptOutcome.REVIEW]
    review_by_step: dict[int, float] = {}
    for n, review in enumerate(decisions):
        step, robot = _reviewed_step(review, n, handed_over, tries)
        spent = review_minutes_for(review, robot, item.workflow, roi)
        review_by_step[step] = review_by_step.get(step, 0.0) + spent
    steps: list[StepSaving] = []
    for step in sorted({a.step for a in tries} | set(review_by_step)):
        here = [a for a in tries if a.step == step]
        done = [a for a in here if a.outcome in SUCCESS_OUTCOMES]
        reviewed = [a for a in here if a.outcome is AttemptOutcome.REVIEW]
        robot = here[-1].robot if here else ""
        if done:
            minutes = done[-1].manual_minutes or 0.0
        elif reviewed:  # the approval completed this step
            minutes = _handover_baseline(reviewed[-1], item, finished, settings)
        else:
            minutes = 0.0
        steps.append(StepSaving(
            robot=robot, baseline_minutes=minutes,
            review_minutes=review_by_step.get(step, 0.0), reviewed=step in review_by_step,
        ))
    return ItemSaving(
        item_id=item.id, run_id=item.run_id, workflow=item.workflow, finished=finished,
        steps=tuple(steps),
    )


def _reviewed_step(
    review: ReviewFact, n: int, handed_over: Sequence[AttemptFact], tries: Sequence[AttemptFact]
) -> tuple[int, str]:
    """The step (and its robot) a decision answered: recorded with the decision; for
    decisions recorded before the ledger kept it, the n-th decision answers the n-th
    hand-over (extra ones the last)."""
    if review.step is not None:
        robots = [a.robot for a in tries if a.step == review.step]
        return review.step, robots[-1] if robots else ""
    if handed_over:
        at = handed_over[min(n, len(handed_over) - 1)]
        return at.step, at.robot
    return (tries[-1].step, tries[-1].robot) if tries else (0, "")


def _handover_baseline(
    attempt: AttemptFact, item: ItemFact, day: date, settings: Settings | None
) -> float:
    if attempt.manual_minutes is not None:
        return attempt.manual_minutes
    # A ledger written before the engine recorded baselines on hand-overs: the profile or
    # [robots] override in force on the item's finish day (the robot's own default is not
    # known here, so it counts as 0 rather than a guess).
    if settings is None:
        return 0.0
    return baseline_minutes(
        settings, robot=attempt.robot, workflow=item.workflow, default=0.0, day=day
    )


def item_savings(facts: LedgerFacts, settings: Settings | None) -> list[ItemSaving]:
    tries: dict[str, list[AttemptFact]] = defaultdict(list)
    for a in facts.attempts:
        tries[a.item_id].append(a)
    decisions: dict[str, list[ReviewFact]] = defaultdict(list)
    for r in facts.reviews:
        decisions[r.item_id].append(r)
    out = []
    for item in facts.items:
        saving = item_saving(item, tries.get(item.id, []), decisions.get(item.id, []), settings)
        if saving is not None:
            out.append(saving)
    return out


def run_minutes_saved(ledger: Ledger, run_id: str, settings: Settings | None = None) -> float:
    """Net minutes of manual work one run saved (``bots runs``/``show``)."""
    facts = load_facts(ledger, run_id=run_id)
    return sum(s.minutes for s in item_savings(facts, settings))


# ---- the report ----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class RoiRow:
    key: str
    items: int = 0
    reviewed_items: int = 0
    manual_hours: float = 0.0
    review_hours: float = 0.0
    hours_saved: float = 0.0
    money_saved: float = 0.0
    robot_hours: float = 0.0
    robot_cost: float = 0.0
    fixed_cost: float = 0.0  # licence + maintenance + build cost
    costs: float = 0.0
    net_benefit: float = 0.0
    roi_pct: float | None = None
    finished_items: int = 0  # done, rejected or failed in the window
    straight_through: int = 0  # done with no review decision at all
    stp_pct: float | None = None
    review_minutes: float = 0.0  # every review decision's minutes, rejections included


@dataclass(frozen=True, kw_only=True)
class MonthPoint:
    month: str
    money_saved: float
    costs: float
    net_benefit: float
    cumulative_savings: float
    cumulative_costs: float
    cumulative_net: float  # since the investment started, even before the window


@dataclass(frozen=True, kw_only=True)
class RoiReport:
    by: GroupBy
    start: date | None
    end: date | None
    currency: str
    rows: tuple[RoiRow, ...]
    totals: RoiRow
    months: tuple[MonthPoint, ...]
    payback_month: str | None
    zero_items: Mapping[str, int]  # items in the window that earned 0, by state
    assumptions: tuple[Assumption, ...]
    formula: tuple[str, ...] = FORMULA
    invested: bool = True  # False when no build cost, licence or maintenance is configured
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("start", "end"):
            data[key] = data[key].isoformat() if data[key] else None
        data["generated_at"] = self.generated_at.isoformat()
        for a in data["assumptions"]:
            a["effective_from"] = a["effective_from"].isoformat() if a["effective_from"] else None
        data["zero_items"] = dict(self.zero_items)
        data["formula"] = list(self.formula)
        return data


class _Acc:
    """Mutable sums for one group while a report is built."""

    def __init__(self) -> None:
        self.items: set[str] = set()
        self.reviewed: set[str] = set()
        self.manual = self.review = self.money = self.robot_ms = self.robot_cost = 0.0
        self.fixed = 0.0
        self.finished: set[str] = set()
        self.straight: set[str] = set()
        self.review_min = 0.0

    def row(self, key: str) -> RoiRow:
        costs = self.robot_cost + self.fixed
        net = self.money - costs
        return RoiRow(
            key=key, items=len(self.items), reviewed_items=len(self.reviewed),
            manual_hours=self.manual / 60, review_hours=self.review / 60,
            hours_saved=(self.manual - self.review) / 60, money_saved=self.money,
            robot_hours=self.robot_ms / 3_600_000, robot_cost=self.robot_cost,
            fixed_cost=self.fixed, costs=costs, net_benefit=net,
            roi_pct=net / costs * 100 if costs > 0 else None,
            finished_items=len(self.finished), straight_through=len(self.straight),
            stp_pct=len(self.straight) / len(self.finished) * 100 if self.finished else None,
            review_minutes=self.review_min,
        )


def compute_roi(
    ledger: Ledger,
    settings: Settings,
    *,
    start: date | None = None,
    end: date | None = None,
    by: GroupBy = "month",
    today: date | None = None,
    parties: Mapping[str, str] | None = None,
) -> RoiReport:
    """Items, hours and money saved, costs, net benefit, ROI % and payback month for the
    items finished between ``start`` and ``end`` (inclusive, UTC), grouped ``by``;
    ``parties`` names each item's counterparty (``by="counterparty"``)."""
    facts = load_facts(ledger, end=end)
    return build_report(facts, settings, start=start, end=end, by=by, today=today,
                        parties=parties)


def build_report(
    facts: LedgerFacts,
    settings: Settings,
    *,
    start: date | None = None,
    end: date | None = None,
    by: GroupBy = "month",
    today: date | None = None,
    parties: Mapping[str, str] | None = None,
) -> RoiReport:
    roi = settings.roi
    named = parties or {}
    last_day = end or today or datetime.now(UTC).date()
    workflow_of = {i.id: i.workflow for i in facts.items}
    robots = {a.robot for a in facts.attempts}
    workflows = set(workflow_of.values())

    def in_window(day: date) -> bool:
        return (start is None or day >= start) and day <= last_day

    groups: dict[str, _Acc] = defaultdict(_Acc)
    monthly: dict[str, _Acc] = defaultdict(_Acc)  # all history up to the end, for payback
    for saving in item_savings(facts, settings):
        if saving.finished > last_day:
            continue
        for step in saving.steps:
            rate = rate_in_force(roi, (step.robot, saving.workflow), saving.finished,
                                 "hourly_cost")
            money = step.minutes / 60 * (roi.hourly_cost if rate is None else rate)
            targets = [monthly[month_key(saving.finished)]]
            if in_window(saving.finished):
                key = _group_key(by, saving.finished, step.robot, saving.workflow,
                                 named.get(saving.item_id))
                targets.append(groups[key])
            for acc in targets:
                acc.items.add(saving.item_id)
                if step.reviewed:
                    acc.reviewed.add(saving.item_id)
                acc.manual += step.baseline_minutes
                acc.review += step.review_minutes
                acc.money += money
    for a in facts.attempts:
        if not a.duration_ms or a.finished_at is None or a.finished_at.date() > last_day:
            continue
        day = a.finished_at.date()
        workflow = workflow_of.get(a.item_id, "")
        rate = rate_in_force(roi, (a.robot, workflow), day, "robot_hour_cost")
        cost = a.duration_ms / 3_600_000 * (roi.robot_hour_cost if rate is None else rate)
        targets = [monthly[month_key(day)]]
        if in_window(day):
            targets.append(groups[_group_key(by, day, a.robot, workflow,
                                             named.get(a.item_id))])
        for acc in targets:
            acc.robot_ms += a.duration_ms
            acc.robot_cost += cost
    for fixed in fixed_costs(settings, facts, workflow_of, last_day):
        monthly[fixed.month].fixed += fixed.amount
        if _month_in_window(fixed.month, start, last_day):
            groups[_fixed_key(by, fixed, robots, workflows)].fixed += fixed.amount

    _touches(facts, settings, by, named, in_window, groups)
    months = _month_points(monthly, start, last_day)
    totals = _Acc()
    for acc in groups.values():
        totals.items |= acc.items
        totals.reviewed |= acc.reviewed
        totals.finished |= acc.finished
        totals.straight |= acc.straight
        for name in ("manual", "review", "money", "robot_ms", "robot_cost", "fixed",
                     "review_min"):
            setattr(totals, name, getattr(totals, name) + getattr(acc, name))
    invested = any(
        inv.build_cost or inv.licence_per_month or inv.maintenance_hours_per_month
        for _, inv in investments(roi)
    )

    def shown(row: RoiRow) -> RoiRow:
        # Without an investment the only cost is robot time: a ROI % over that is a
        # meaningless giant number, exactly the kind of figure users learn to distrust.
        return row if invested else replace(row, roi_pct=None)

    return RoiReport(
        by=by, start=start, end=end, currency=roi.currency,
        rows=tuple(
            shown(groups[k].row(k)) for k in sorted(groups, key=lambda k: (k == SHARED, k))
        ),
        totals=shown(totals.row("total")),
        months=tuple(m for m in months if _month_in_window(m.month, start, last_day)),
        payback_month=(
            next((m.month for m in months if m.cumulative_net >= 0), None) if invested else None
        ),
        zero_items=_zero_items(facts.items, start, last_day),
        assumptions=assumptions_in_force(settings, facts, start, last_day),
        invested=invested,
    )


def _group_key(by: GroupBy, day: date, robot: str, workflow: str,
               party: str | None = None) -> str:
    if by == "month":
        return month_key(day)
    if by == "counterparty":
        return party or UNNAMED
    return robot if by == "robot" else workflow


def _touches(facts: LedgerFacts, settings: Settings, by: GroupBy, named: Mapping[str, str],
             in_window: Any, groups: dict[str, _Acc]) -> None:
    """Which finished items no person touched, and the minutes people spent deciding."""
    roi = settings.roi
    reviewed = {r.item_id for r in facts.reviews}
    robots_of: dict[str, dict[int, str]] = defaultdict(dict)
    for a in facts.attempts:
        robots_of[a.item_id][a.step] = a.robot
    workflow_of = {i.id: i.workflow for i in facts.items}
    for item in facts.items:
        if item.state not in FINISHED_STATES or item.finished_at is None:
            continue
        day = item.finished_at.date()
        if not in_window(day):
            continue
        robots = set(robots_of[item.id].values()) or {""}
        keys = {_group_key(by, day, robot, item.workflow, named.get(item.id))
                for robot in robots}
        for key in keys:
            groups[key].finished.add(item.id)
            if item.state == ItemState.DONE and item.id not in reviewed:
                groups[key].straight.add(item.id)
    for review in facts.reviews:
        day = review.decided_at.date()
        if not in_window(day):
            continue
        steps = robots_of[review.item_id]
        robot = steps.get(review.step if review.step is not None else -1) or next(
            iter(steps.values()), "")
        workflow = workflow_of.get(review.item_id, "")
        minutes = review_minutes_for(review, robot, workflow, roi)
        key = _group_key(by, day, robot, workflow, named.get(review.item_id))
        groups[key].review_min += minutes


def _fixed_key(by: GroupBy, cost: FixedCost, robots: set[str], workflows: set[str]) -> str:
    if by == "month":
        return cost.month
    known = robots if by == "robot" else workflows
    return cost.target if cost.target in known else SHARED


def _month_in_window(month: str, start: date | None, last_day: date) -> bool:
    return (start is None or month >= month_key(start)) and month <= month_key(last_day)


def _month_points(monthly: Mapping[str, _Acc], start: date | None, last: date) -> list[MonthPoint]:
    """Every month from the first with a cost or a saving up to ``last``, with running sums;
    months before ``start`` are included so the cumulative line starts where money did."""
    if not monthly:
        return []
    points = []
    saved = spent = 0.0
    for month in month_range(min(monthly), month_key(last)):
        row = monthly[month].row(month) if month in monthly else RoiRow(key=month)
        saved += row.money_saved
        spent += row.costs
        points.append(MonthPoint(
            month=month, money_saved=row.money_saved, costs=row.costs,
            net_benefit=row.net_benefit, cumulative_savings=saved, cumulative_costs=spent,
            cumulative_net=saved - spent,
        ))
    return points


def _zero_items(items: Iterable[ItemFact], start: date | None, last_day: date) -> dict[str, int]:
    counts = dict.fromkeys(ZERO_STATES, 0)
    for item in items:
        if item.state not in counts:
            continue
        if item.state == ItemState.REVIEW:  # waiting: counted whenever it was handed over
            counts["REVIEW"] += 1
            continue
        day = item.finished_at.date() if item.finished_at else None
        if day is not None and (start is None or day >= start) and day <= last_day:
            counts[item.state] += 1
    return counts


def summary_lines(report: RoiReport) -> list[str]:
    """A few plain lines for a terminal (the demo ends with them)."""
    t, cur = report.totals, report.currency
    window = f"{report.start or 'the beginning'} to {report.end or 'today'}"
    roi = f"{t.roi_pct:.0f}%" if t.roi_pct is not None else (
        "n/a (no investment configured)" if not report.invested else "n/a (no costs)")
    zero = ", ".join(f"{n} {s.lower()}" for s, n in report.zero_items.items() if n)
    stp = f"{t.stp_pct:.0f}%" if t.stp_pct is not None else "n/a"
    lines = [
        f"ROI from {window}: {t.items} item(s) done ({t.reviewed_items} after review)"
        + (f"; earning nothing: {zero}" if zero else ""),
        f"  straight through {t.straight_through} of {t.finished_items} finished item(s) "
        f"({stp}, no person touched them); review time {t.review_minutes:,.1f} min",
        f"  hours saved {t.hours_saved:,.1f} (manual {t.manual_hours:,.1f} - review "
        f"{t.review_hours:,.1f}); robot time {t.robot_hours:,.2f} h",
        f"  money saved {t.money_saved:,.2f} {cur}; costs {t.costs:,.2f} {cur} "
        f"(robot {t.robot_cost:,.2f}, licence/maintenance/build {t.fixed_cost:,.2f})",
        f"  net benefit {t.net_benefit:,.2f} {cur}; ROI {roi}; payback "
        f"{report.payback_month or ('not yet' if report.invested else 'n/a')}",
    ]
    if not report.invested:
        lines.append("  note: no investment configured ([roi.investment]: build cost, licence, "
                     "maintenance), so costs are robot time only")
    return lines
