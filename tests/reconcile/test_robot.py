from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook

from backoffice.engine import Engine
from backoffice.ledger import Ledger
from backoffice.states import ItemState
from robots.reconcile.samples import generate_pair
from tests.conftest import make_settings


def _inputs(base: Path, rows: int = 200) -> None:
    left, right, _ = generate_pair(base / "gen", rows, seed=4)
    (base / "inputs" / "bank").mkdir(parents=True)
    (base / "inputs" / "ledger").mkdir(parents=True)
    shutil.copy(left, base / "inputs" / "bank" / left.name)
    shutil.copy(right, base / "inputs" / "ledger" / right.name)


def test_workflow_reconciles_statement_against_ledger_and_counts_the_baseline(
    tmp_path: Path, registry_factory=None
) -> None:
    _inputs(tmp_path)
    settings = make_settings(
        tmp_path, robots={"reconciler": {"manual_minutes": 90, "per_unit_minutes": 0.01}}
    )
    from backoffice.registry import Registry

    ledger = Ledger.open(settings.db_url)
    try:
        run = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01).run(
            "bank-reconciliation"
        )
        [item] = ledger.items(run.id)
        assert item.state is ItemState.DONE, item.reasons
        report = Path(item.payload["report"])
        assert report.is_file() and report.is_relative_to(settings.outputs / "reconciliation")
        assert item.payload["matched"] > 150 and 0.8 < item.payload["match_rate"] <= 1
        wb = load_workbook(report, read_only=True)
        assert "Matched" in wb.sheetnames
        [attempt] = ledger.attempts(item_id=item.id)
        assert attempt.manual_minutes == 90 + 0.01 * 400  # 200 rows on each side
        assert (tmp_path / "inputs" / "bank" / "processed" / "statement.xlsx").is_file()
    finally:
        ledger.close()


def test_unreadable_statement_fails_the_item_with_a_reason(tmp_path: Path) -> None:
    _inputs(tmp_path, rows=30)
    (tmp_path / "inputs" / "bank" / "statement.xlsx").write_bytes(b"PK\x03\x04 broken")
    settings = make_settings(tmp_path)
    from backoffice.registry import Registry

    ledger = Ledger.open(settings.db_url)
    try:
        run = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01).run(
            "bank-reconciliation"
        )
        [item] = ledger.items(run.id)
        assert item.state is ItemState.FAILED
        assert any("corrupt_workbook" in r or "not a readable workbook" in r for r in
                   (*item.reasons, item.last_error or ""))
        assert (tmp_path / "inputs" / "bank" / "failed" / "statement.xlsx").is_file()
    finally:
        ledger.close()
