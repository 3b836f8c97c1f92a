"""The ROI workbook (native charts, "How this was computed"), the HTML and `bots roi`."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date
from pathlib import Path

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from backoffice.cli import cli_for_tests
from backoffice.config import Investment, RoiProfile, Settings
from backoffice.ledger import Ledger
from backoffice.roi import compute_roi
from backoffice.roi.report import HOW_SHEET, MONTHLY_SHEET, render_roi_html, write_roi_workbook
from tests.roi.conftest import READER, RunItems, roi_settings

EVIL = "=HYPERLINK(\"http://evil.example\",\"x\")<script>"


def demo_report_settings(tmp_path: Path) -> Settings:
    return roi_settings(
        tmp_path,
        investment=Investment(build_cost=500.0, licence_per_month=20.0),
        profiles=[
            RoiProfile(target=READER, manual_minutes=7.0, effective_from=date(2024, 1, 1)),
            RoiProfile(target=EVIL, manual_minutes=1.0, effective_from=date(2024, 6, 1)),
        ],
    )


def test_workbook_has_native_charts_and_the_how_this_was_computed_sheet(
    tmp_path: Path, flow_ledger: Ledger, run_items: RunItems
) -> None:
    settings = demo_report_settings(tmp_path)
    run_items(settings, [("a", {}), ("b", {"review": True})])
    report = compute_roi(flow_ledger, settings, by="robot")
    path = write_roi_workbook(report, tmp_path / "out" / "roi.xlsx")

    with zipfile.ZipFile(path) as zf:
        charts = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    assert any("<barChart>" in c for c in charts) and any("<lineChart>" in c for c in charts)

    wb = load_workbook(path)
    assert {"Summary", "By robot", MONTHLY_SHEET, HOW_SHEET} <= set(wb.sheetnames)
    assert len(wb[MONTHLY_SHEET]._charts) == 2
    how = wb[HOW_SHEET]
    texts = [str(c.value) for row in how.iter_rows() for c in row if c.value is not None]
    assert any(t.startswith("Net benefit = money saved") for t in texts)
    assumption_rows = {
        (r[0].value, r[2].value) for r in how.iter_rows() if r[0].value and r[2].value
    }
    assert (f"{READER}: manual minutes", date(2024, 1, 1)) in {
        (name, when.date() if hasattr(when, "date") else when) for name, when in assumption_rows
    }
    evil = next(c for row in how.iter_rows() for c in row if str(c.value).startswith("=HYP"))
    assert evil.data_type == "s"  # shown as text, never run as a formula
    by_robot = wb["By robot"]
    assert by_robot.cell(row=1, column=1).value == "robot"
    assert [c.value for c in by_robot["A"]][-1] == "total"


def test_html_has_the_same_charts_inline_and_escapes_outside_text(
    tmp_path: Path, flow_ledger: Ledger, run_items: RunItems
) -> None:
    settings = demo_report_settings(tmp_path)
    run_items(settings, [("a", {})])
    html = render_roi_html(compute_roi(flow_ledger, settings))
    assert html.count("<svg") == 2 and "<polyline" in html and "<rect" in html
    assert "<script" not in html  # the profile named <script> is escaped
    assert "&lt;script&gt;" in html
    assert not re.search(r"(src|href)=", html)  # nothing to fetch: works offline
    assert "How this was computed" in html


def bots(settings: Settings, *args: str) -> Result:
    config = settings.base_dir / "bots.toml"
    config.write_text(
        f'base_dir = "{settings.base_dir}"\n[roi]\nhourly_cost = 60.0\nrobot_hour_cost = 0.0\n'
        "[roi.investment]\nbuild_cost = 5.0\n"
    )
    return CliRunner().invoke(cli_for_tests(), ["--config", str(config), *args])


def test_bots_roi_prints_json_table_and_writes_xlsx_and_html(
    flow_settings: Settings, flow_ledger: Ledger, run_items: RunItems, tmp_path: Path
) -> None:
    run_items(flow_settings, [("a", {}), ("b", {})])

    result = bots(flow_settings, "roi", "--format", "json", "--by", "robot")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["totals"]["items"] == 2
    assert data["totals"]["hours_saved"] == (2 * (6 + 4)) / 60
    assert data["totals"]["net_benefit"] == 2 * (6 + 4) - 5.0

    table = bots(flow_settings, "roi")
    assert table.exit_code == 0 and "payback" in table.output

    out = tmp_path / "r.xlsx"
    written = bots(flow_settings, "roi", "--format", "xlsx", "--out", str(out))
    assert written.exit_code == 0 and out.is_file() and str(out) in written.output
    html = tmp_path / "r.html"
    assert bots(flow_settings, "roi", "--format", "html", "--out", str(html)).exit_code == 0
    assert html.read_text().startswith("<!doctype html>")

    empty = bots(flow_settings, "roi", "--from", "2001-01-01", "--to", "2001-01-31",
                 "--format", "json")
    assert json.loads(empty.output)["totals"]["items"] == 0
    wrong = bots(flow_settings, "roi", "--from", "2001-02-01", "--to", "2001-01-01")
    assert wrong.exit_code != 0
