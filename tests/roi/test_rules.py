"""Each rule of time saved, on a real ledger fed by the real engine and review flow."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from backoffice.config import RoiProfile, Settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger
from backoffice.registry import Registry
from backoffice.reports import minutes_saved
from backoffice.review import approve, reject
from backoffice.roi import compute_roi
from backoffice.roi.facts import load_facts
from backoffice.states import ItemState, ReviewDecision
from tests.roi.conftest import POSTER, READER, WORKFLOW, RunItems, roi_settings

READER_MIN, POSTER_MIN = 6.0, 4.0  # the robots' own defaults


def approve_and_continue(
    settings: Settings, ledger: Ledger, item_id: str, changes: dict[str, object],
    minutes: float | None,
) -> None:
    registry = Registry(settings)
    item = approve(ledger, registry, item_id, reviewer="alice", changes=changes,
                   minutes_spent=minutes)
    Engine(settings, ledger, registry, idle_poll_seconds=0.01).resume(item.run_id, actor="alice")


def test_item_done_without_a_person_earns_the_baseline_of_each_step(
    flow_settings: Settings, flow_ledger: Ledger, run_items: RunItems
) -> None:
    run = run_items(flow_settings, [("a", {}), ("b", {})])
    assert minutes_saved(flow_ledger, run.id) == pytest.approx(2 * (READER_MIN + POSTER_MIN))
    report = compute_roi(flow_ledger, flow_settings, by="workflow")
    (row,) = report.rows
    assert row.key == WORKFLOW and row.items == 2 and row.reviewed_items == 0
    assert row.hours_saved == pytest.approx(2 * (READER_MIN + POSTER_MIN) / 60)
    assert row.money_saved == pytest.approx(2 * (READER_MIN + POSTER_MIN))  # 60/h


def test_measured_review_minutes_reduce_the_savings_of_the_reviewed_step(
    flow_settings: Settings, flow_ledger: Ledger, run_items: RunItems
) -> None:
    run = run_items(flow_settings, [("r", {"review": True})])
    (item,) = flow_ledger.items(run.id)
    assert item.state is ItemState.REVIEW
    assert minutes_saved(flow_ledger, run.id) == 0  # waiting for a person earns nothing yet

    approve_and_continue(flow_settings, flow_ledger, item.id, {"approved": True}, minutes=2.5)

    assert flow_ledger.item(item.id).state is ItemState.DONE
    expected = READER_MIN - 2.5 + POSTER_MIN
    assert minutes_saved(flow_ledger, run.id, flow_settings) == pytest.approx(expected)
    report = compute_roi(flow_ledger, flow_settings, by="robot")
    rows = {r.key: r for r in report.rows}
    assert rows[READER].hours_saved == pytest.approx((READER_MIN - 2.5) / 60)
    assert rows[READER].review_hours == pytest.approx(2.5 / 60)
    assert rows[POSTER].hours_saved == pytest.approx(POSTER_MIN / 60)
    assert report.totals.reviewed_items == 1 and report.totals.items == 1


def test_unmeasured_review_uses_the_configured_estimate(
    tmp_path: Path, flow_ledger: Ledger, run_items: RunItems
) -> None:
    settings = roi_settings(tmp_path, review_estimate_minutes=1.5)
    run = run_items(settings, [("r", {"review": True})])
    (item,) = flow_ledger.items(run.id)
    approve_and_continue(settings, flow_ledger, item.id, {"approved": True}, minutes=None)
    assert minutes_saved(flow_ledger, run.id, settings) == pytest.approx(
        READER_MIN - 1.5 + POSTER_MIN
    )


def test_profile_review_minutes_beat_the_global_estimate(
    tmp_path: Path, flow_ledger: Ledger, run_items: RunItems
) -> None:
    settings = roi_settings(
        tmp_path, review_estimate_minutes=1.5,
        profiles=[RoiProfile(target=READER, review_minutes=5.0)],
    )
    run = run_items(settings, [("r", {"review": True})])
    (item,) = flow_ledger.items(run.id)
    approve_and_continue(settings, flow_ledger, item.id, {"approved": True}, minutes=None)
    assert minutes_saved(flow_ledger, run.id, settings) == pytest.approx(
        READER_MIN - 5.0 + POSTER_MIN
    )


def test_a_step_redone_after_review_earns_its_baseline_once_minus_the_review(
    flow_settings: Settings, flow_ledger: Ledger, run_items: RunItems
) -> None:
    run = run_items(flow_settings, [("p", {"post_review": True})])
    (item,) = flow_ledger.items(run.id)
    assert item.state is ItemState.REVIEW and item.step == 1
    approve_and_continue(flow_settings, flow_ledger, item.id, {"post_ok": True}, minutes=1.0)
    assert flow_ledger.item(item.id).state is ItemState.DONE
    assert minutes_saved(flow_ledger, run.id) == pytest.approx(READER_MIN + POSTER_MIN - 1.0)


def test_a_decision_records_the_step_it_answered_and_roi_credits_that_step(
    flow_settings: Settings, flow_ledger: Ledger, run_items: RunItems
) -> None:
    run = run_items(flow_settings, [("p", {"post_review": True}), ("r", {"review": True})])
    posted, read = sorted(flow_ledger.items(run.id), key=lambda i: i.key)
    assert (posted.step, read.step) == (1, 0)
    approve_and_continue(flow_settings, flow_ledger, posted.id, {"post_ok": True}, minutes=1.0)
    approve_and_continue(flow_settings, flow_ledger, read.id, {"approved": True}, minutes=2.0)
    decisions = {r["item_id"]: r for r in flow_ledger.reviews(run_id=run.id)}
    assert decisions[posted.id]["step"] == 1 and decisions[read.id]["step"] == 0
    assert decisions[posted.id]["decision"] == ReviewDecision.APPROVE
    facts = load_facts(flow_ledger, run_id=run.id)
    assert {(r.item_id, r.step, r.decision) for r in facts.reviews} == {
        (posted.id, 1, ReviewDecision.APPROVE), (read.id, 0, ReviewDecision.APPROVE)}
    rows = {r.key: r for r in compute_roi(flow_ledger, flow_settings, by="robot").rows}
    assert rows[POSTER].review_hours == pytest.approx(1.0 / 60)
    assert rows[READER].review_hours == pytest.approx(2.0 / 60)


def test_failed_rejected_and_skipped_items_earn_nothing(
    flow_settings: Settings, flow_ledger: Ledger, run_items: RunItems
) -> None:
    run = run_items(flow_settings, [("bad", {"reject": True}), ("odd", {"review": True})])
    odd = next(i for i in flow_ledger.items(run.id) if i.key == "odd")
    reject(flow_ledger, odd.id, reviewer="alice", reason="duplicate", minutes_spent=3)
    states = {i.key: i.state for i in flow_ledger.items(run.id)}
    assert states == {"bad": ItemState.FAILED, "odd": ItemState.REJECTED}
    assert minutes_saved(flow_ledger, run.id) == 0

    first = run_items(flow_settings, [("once", {})])
    again = run_items(flow_settings, [("once", {})])  # the same input: SKIPPED
    assert [i.state for i in flow_ledger.items(again.id)] == [ItemState.SKIPPED]
    assert minutes_saved(flow_ledger, again.id) == 0
    assert minutes_saved(flow_ledger, first.id) == pytest.approx(READER_MIN + POSTER_MIN)

    report = compute_roi(flow_ledger, flow_settings)
    assert report.totals.items == 1
    assert report.zero_items == {"FAILED": 1, "REJECTED": 1, "SKIPPED": 1, "REVIEW": 0}


def test_a_run_that_did_nothing_earns_nothing(
    flow_settings: Settings, flow_ledger: Ledger, run_items: RunItems
) -> None:
    run = run_items(flow_settings, [])
    assert flow_ledger.run(run.id).counts.get("total", 0) == 0
    assert minutes_saved(flow_ledger, run.id) == 0
    report = compute_roi(flow_ledger, flow_settings)
    assert report.totals.hours_saved == 0 and report.totals.money_saved == 0
    assert report.totals.items == 0


def test_robot_runtime_is_recorded_and_costed_for_every_attempt(
    tmp_path: Path, flow_ledger: Ledger, run_items: RunItems
) -> None:
    settings = roi_settings(tmp_path, robot_hour_cost=36_000.0)  # 10 per second: visible
    run_items(settings, [("a", {}), ("bad", {"reject": True})])
    durations = [a.duration_ms for a in flow_ledger.attempts()]
    assert len(durations) == 3 and all(d is not None and d > 0 for d in durations)
    total_ms = sum(d for d in durations if d)
    report = compute_roi(flow_ledger, settings)
    assert report.totals.robot_hours == pytest.approx(total_ms / 3_600_000)
    assert report.totals.robot_cost == pytest.approx(total_ms / 1000 * 10)
    assert report.totals.net_benefit == pytest.approx(
        report.totals.money_saved - report.totals.robot_cost
    )


def test_baseline_changed_mid_month_leaves_earlier_items_at_the_old_figure(
    tmp_path: Path, flow_ledger: Ledger, run_items: RunItems
) -> None:
    before = roi_settings(tmp_path, profiles=[
        RoiProfile(target=READER, manual_minutes=6.0, effective_from=date(2000, 1, 1)),
    ])
    early = run_items(before, [("e1", {}), ("e2", {})])
    # Today someone decides reading takes 9 minutes; the change is in force from today.
    after = roi_settings(tmp_path, profiles=[
        *before.roi.profiles,
        RoiProfile(target=READER, manual_minutes=9.0, effective_from=datetime.now(UTC).date()),
    ])
    late = run_items(after, [("l1", {})])

    assert minutes_saved(flow_ledger, early.id, after) == pytest.approx(2 * (6.0 + POSTER_MIN))
    assert minutes_saved(flow_ledger, late.id, after) == pytest.approx(9.0 + POSTER_MIN)
    report = compute_roi(flow_ledger, after, by="month")
    (month,) = report.rows
    assert month.hours_saved == pytest.approx((2 * 6.0 + 9.0 + 3 * POSTER_MIN) / 60)
    recorded = {(a.name, a.value) for a in report.assumptions if "recorded" in a.name}
    assert (f"{READER}: manual minutes per item (recorded)", 6.0) in recorded
    assert (f"{READER}: manual minutes per item (recorded)", 9.0) in recorded
