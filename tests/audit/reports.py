"""A workflow report hook for the tests: one small workbook per run, via the safe writer."""

from __future__ import annotations

from pathlib import Path

from backoffice.config import Settings
from backoffice.ledger import Ledger
from backoffice.xlsx import new_workbook, save_workbook, write_table


def write_report(settings: Settings, ledger: Ledger, run_id: str) -> Path:
    wb = new_workbook()
    write_table(wb, "Items", ("item", "state"),
                [(i.id, i.state.value) for i in ledger.items(run_id)])
    return save_workbook(wb, settings.outputs / "reports" / f"{run_id}.xlsx")
