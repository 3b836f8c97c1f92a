"""Money: rates in force by date, investment costs, ROI % and the payback month."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from backoffice.config import Investment, RoiProfile
from backoffice.ledger import Ledger
from backoffice.ledger.schema import attempts, items
from backoffice.roi import SHARED, compute_roi, summary_lines
from backoffice.roi.costs import month_key, month_range
from tests.roi.conftest import POSTER, READER, WORKFLOW, RunItems, roi_settings

ITEM_MIN = 6.0 + 4.0


def finish_on(ledger: Ledger, item_id: str, day: datetime) -> None:
    """Move an item's finish (and its attempts') to another day, as if run then."""
    with ledger.transaction() as conn:
        conn.execute(update(items).where(items.c.id == item_id).values(finished_at=day))
        conn.execute(update(attempts).where(attempts.c.item_id == item_id)
                     .values(started_at=day, finished_at=day))


def months_ago(n: int) -> date:
    today = datetime.now(UTC).date()
    year, month = today.year, today.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def test_hourly_cost_in_force_on_the_finish_day_prices_each_item(
    tmp_path: Path, flow_ledger: Ledger, run_items: RunItems
) -> None:
    settings = roi_settings(tmp_path, profiles=[
        RoiProfile(target=READER, hourly_cost=120.0, effective_from=date(2024, 3, 15)),
    ])
    run = run_items(settings, [("early", {}), ("late", {})])
    ids = {i.key: i.id for i in flow_ledger.items(run.id)}
    finish_on(flow_ledger, ids["early"], datetime(2024, 3, 5, 12, tzinfo=UTC))
    finish_on(flow_ledger, ids["late"], datetime(2024, 3, 20, 12, tzinfo=UTC))

    report = compute_roi(flow_ledger, settings, start=date(2024, 3, 1), end=date(2024, 3, 31))
    # 60/h is 1 per minute; the reader's minutes cost 2 per minute from the 15th.
    assert report.totals.money_saved == pytest.approx(ITEM_MIN + (6.0 * 2 + 4.0))
    assert [r.key for r in report.rows] == ["2024-03"]
    before = compute_roi(flow_ledger, settings, end=date(2024, 3, 10))
    assert before.totals.items == 1 and before.totals.money_saved == pytest.approx(ITEM_MIN)


def test_payback_month_is_the_first_month_cumulative_net_benefit_turns_positive(
    tmp_path: Path, flow_ledger: Ledger, run_items: RunItems
) -> None:
    start = months_ago(2)
    invest = Investment(build_cost=100.0, licence_per_month=10.0, start=start)
    settings = roi_settings(tmp_path, investment=invest)
    run_items(settings, [(f"k{n}", {}) for n in range(12)])  # 12 x 10 min = 120 saved

    report = compute_roi(flow_ledger, settings)
    this_month = month_key(datetime.now(UTC).date())
    assert [m.month for m in report.months] == list(month_range(month_key(start), this_month))
    assert [round(m.cumulative_net, 6) for m in report.months] == [-110, -120, -10]
    assert report.payback_month is None

    run_items(settings, [(f"m{n}", {}) for n in range(2)])  # 20 more: crosses zero now
    report = compute_roi(flow_ledger, settings)
    assert report.months[-1].cumulative_net == pytest.approx(10)
    assert report.payback_month == this_month
    t = report.totals
    assert t.costs == pytest.approx(130) and t.net_benefit == pytest.approx(10)
    assert t.roi_pct == pytest.approx(10 / 130 * 100)
    lines = summary_lines(report)
    assert any(f"payback {this_month}" in line for line in lines)


def test_a_window_after_the_investment_still_counts_its_earlier_costs_for_payback(
    tmp_path: Path, flow_ledger: Ledger, run_items: RunItems
) -> None:
    invest = Investment(build_cost=50.0, start=months_ago(1))
    settings = roi_settings(tmp_path, investment=invest)
    run_items(settings, [("a", {})])
    today = datetime.now(UTC).date()
    report = compute_roi(flow_ledger, settings, start=today.replace(day=1))
    assert report.totals.fixed_cost == 0  # the build cost fell in the month before
    assert [m.month for m in report.months] == [month_key(today)]
    assert report.months[0].cumulative_net == pytest.approx(ITEM_MIN - 50)


def test_rows_by_robot_and_workflow_add_up_to_the_totals(
    tmp_path: Path, flow_ledger: Ledger, run_items: RunItems
) -> None:
    settings = roi_settings(
        tmp_path,
        robot_hour_cost=5.0,
        investment=Investment(licence_per_month=7.0),
        investments={POSTER: Investment(build_cost=30.0, maintenance_hours_per_month=1.0)},
    )
    run_items(settings, [("a", {}), ("b", {"review": True})])
    for by in ("robot", "workflow", "month"):
        report = compute_roi(flow_ledger, settings, by=by)  # type: ignore[arg-type]
        for name in ("money_saved", "robot_cost", "fixed_cost", "costs", "net_benefit",
                     "hours_saved", "robot_hours"):
            assert sum(getattr(r, name) for r in report.rows) == pytest.approx(
                getattr(report.totals, name)
            ), (by, name)
    by_robot = {r.key: r for r in compute_roi(flow_ledger, settings, by="robot").rows}
    assert by_robot[POSTER].fixed_cost == pytest.approx(30.0 + 60.0)  # build + 1 h at 60
    assert by_robot[SHARED].fixed_cost == pytest.approx(7.0)
    by_workflow = {r.key for r in compute_roi(flow_ledger, settings, by="workflow").rows}
    assert by_workflow == {WORKFLOW, SHARED}


def test_json_form_carries_the_same_figures(
    tmp_path: Path, flow_ledger: Ledger, run_items: RunItems
) -> None:
    settings = roi_settings(tmp_path, investment=Investment(build_cost=5.0))
    run_items(settings, [("a", {})])
    report = compute_roi(flow_ledger, settings, by="robot")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["totals"]["money_saved"] == pytest.approx(report.totals.money_saved)
    assert data["by"] == "robot" and data["currency"] == "EUR"
    assert {r["key"] for r in data["rows"]} == {r.key for r in report.rows}
    assert data["formula"] and data["assumptions"]
