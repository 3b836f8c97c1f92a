from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from robots.reconcile.rules import Rules
from robots.reconcile.service import reconcile
from tests.reconcile.conftest import write_xlsx

EVIL = '=HYPERLINK("http://evil.invalid","click")'


def _report(tmp_path: Path) -> Path:
    left = write_xlsx(tmp_path / "bank.xlsx", [
        ["Date", "Amount", "Reference", "Message"],
        [date(2024, 3, 2), 10.0, "INV-1001", "+cmd|' /C calc'!A0"],
        [date(2024, 3, 2), 40.0, None, EVIL],
        [date(2024, 3, 2), 12.0, "INV-1002", None],
    ])
    right = write_xlsx(tmp_path / "ledger.xlsx", [
        ["Invoice", "Due date", "Amount", "Note"],
        ["INV-1001", date(2024, 3, 1), 10.0, "@SUM(1+1)"],
        ["INV-1002", date(2024, 3, 1), 8.0, None],
    ])
    out = tmp_path / "report.xlsx"
    reconcile([left], [right], Rules(), out=out)
    return out


def test_report_has_the_five_sheets_styled(tmp_path: Path) -> None:
    wb = load_workbook(_report(tmp_path))
    assert wb.sheetnames == ["Summary", "Matched", "Unmatched left", "Unmatched right",
                             "Exceptions"]
    matched = wb["Matched"]
    assert matched.freeze_panes == "A2"
    assert matched.auto_filter.ref.startswith("A1:")
    assert matched["A1"].font.b
    header = [c.value for c in matched[1]]
    row = dict(zip(header, [c for c in matched[2]], strict=True))
    assert row["Rule"].value == "exact_reference" and row["Kind"].value == "exact"
    assert row["Left Date"].is_date and row["Left Date"].number_format == "yyyy-mm-dd"
    assert row["Left Amount"].number_format == "#,##0.00"
    exceptions = wb["Exceptions"]
    kinds = [exceptions.cell(row=r, column=1).value for r in range(2, exceptions.max_row + 1)]
    assert "overpayment" in kinds
    assert exceptions.cell(row=2, column=1).fill.fgColor.rgb.endswith("FCE4D6")


def test_formula_text_in_the_input_comes_out_as_text(tmp_path: Path) -> None:
    wb = load_workbook(_report(tmp_path))
    texts = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+@":
                    texts[cell.value] = cell
    assert set(texts) >= {EVIL, "+cmd|' /C calc'!A0"}
    for cell in texts.values():
        assert cell.data_type == "s"
        assert cell.quotePrefix
