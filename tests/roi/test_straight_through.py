"""The straight-through rate (items done with no person touching them) and the minutes people
spent in review, per month, per robot and per counterparty (an invoice's vendor): in the
report, ``bots roi``, its workbook and the control room."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from backoffice.config import Settings
from backoffice.ledger import Ledger
from backoffice.registry import Registry
from backoffice.review import reject
from backoffice.roi import compute_roi, item_counterparties, summary_lines
from backoffice.states import ItemState
from backoffice.web import create_app
from backoffice.web.users import Role
from tests.roi.conftest import READER, RunItems
from tests.roi.test_report import bots
from tests.roi.test_rules import approve_and_continue
from tests.web.conftest import ROLE_USER, add_users, login


def _four_items(settings: Settings, ledger: Ledger, run_items: RunItems) -> None:
    """a: done untouched; b: approved after 2.5 min; c: failed (not a document);
    d: rejected after 1 min (unmeasured reviews use the 3-minute estimate: none here)."""
    run = run_items(settings, [
        ("a", {"vendor": "Acme"}), ("b", {"vendor": "Acme", "review": True}),
        ("c", {"vendor": "Beta", "reject": True}), ("d", {"vendor": "Beta", "review": True}),
    ])
    items = {i.key: i for i in ledger.items(run.id)}
    assert items["b"].state is ItemState.REVIEW and items["c"].state is ItemState.FAILED
    approve_and_continue(settings, ledger, items["b"].id, {"approved": True}, minutes=2.5)
    reject(ledger, items["d"].id, reviewer="alice", reason="not ours", minutes_spent=1.0)


def test_straight_through_counts_done_items_no_person_touched_over_all_finished(
        flow_settings: Settings, flow_ledger: Ledger, run_items: RunItems) -> None:
    _four_items(flow_settings, flow_ledger, run_items)
    report = compute_roi(flow_ledger, flow_settings, by="month")
    t = report.totals
    assert (t.finished_items, t.straight_through) == (4, 1)
    assert t.stp_pct == pytest.approx(25.0)
    assert t.review_minutes == pytest.approx(3.5)  # the rejection's minute counts too
    (month,) = report.rows
    assert (month.finished_items, month.straight_through) == (4, 1)
    assert any("straight through 1 of 4 finished item(s) (25%" in line
               for line in summary_lines(report))
    robots = {r.key: r for r in compute_roi(flow_ledger, flow_settings, by="robot").rows}
    assert robots[READER].review_minutes == pytest.approx(3.5)


def test_rate_and_review_minutes_per_vendor(
        flow_settings: Settings, flow_ledger: Ledger, run_items: RunItems) -> None:
    _four_items(flow_settings, flow_ledger, run_items)
    named = item_counterparties(flow_ledger, Registry(flow_settings))
    assert named.label == "vendor"
    rows = {r.key: r for r in compute_roi(flow_ledger, flow_settings, by="counterparty",
                                          parties=named.of_item).rows}
    assert (rows["Acme"].finished_items, rows["Acme"].straight_through) == (2, 1)
    assert rows["Acme"].stp_pct == pytest.approx(50.0)
    assert rows["Acme"].review_minutes == pytest.approx(2.5)
    assert (rows["Beta"].finished_items, rows["Beta"].straight_through) == (2, 0)
    assert rows["Beta"].review_minutes == pytest.approx(1.0)


def test_bots_roi_by_vendor_and_the_workbook_sheet_per_vendor(
        flow_settings: Settings, flow_ledger: Ledger, run_items: RunItems,
        tmp_path: Path) -> None:
    _four_items(flow_settings, flow_ledger, run_items)
    table = bots(flow_settings, "roi", "--by", "counterparty")
    assert table.exit_code == 0, table.output
    assert "vendor" in table.output and "Acme" in table.output and "straight" in table.output
    out = tmp_path / "roi.xlsx"
    assert bots(flow_settings, "roi", "--format", "xlsx", "--out", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    sheet = book["By vendor"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Acme"]["straight-through %"] == 50.0 and rows["Acme"]["review minutes"] == 2.5
    month = {r[0]: dict(zip([c.value for c in book["By month"][1]], r, strict=True))
             for r in book["By month"].iter_rows(min_row=2, values_only=True)}
    assert month["total"]["straight through"] == 1 and month["total"]["finished items"] == 4


def test_the_control_room_shows_the_rate_and_a_table_per_vendor(
        flow_settings: Settings, flow_ledger: Ledger, run_items: RunItems) -> None:
    _four_items(flow_settings, flow_ledger, run_items)
    add_users(flow_ledger)
    client = TestClient(create_app(flow_settings, flow_ledger, Registry(flow_settings)))
    login(client, ROLE_USER[Role.AUDITOR])
    page = client.get("/roi").text
    assert 'data-testid="kpi-stp"><b>25 %' in page
    assert "By vendor" in page and 'data-testid="roi-counterparty"' in page
    assert "<td>Acme</td>" in page
