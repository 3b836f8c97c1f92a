"""The one safe workbook writer every .xlsx of the project goes through.

Text from outside (PDFs, spreadsheets, an ERP) is untrusted: a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return could run as a formula in Excel or LibreOffice
(``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``). Such text is written as an explicit string cell
with a leading apostrophe-style quote prefix, so it shows exactly as it came and never runs.
Numbers, dates and booleans are written natively. Formulas are only written where our own
code builds them, through ``Formula``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
WARN_FILL = PatternFill("solid", fgColor="FCE4D6")
OK_FILL = PatternFill("solid", fgColor="E2EFDA")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
PERCENT_FORMAT = "0.0%"
MAX_CELL_TEXT = 32_767  # Excel's limit; longer text is cut, never rejected


@dataclass(frozen=True)
class Formula:
    """A formula our own code wrote (e.g. a total). Never built from outside text."""

    text: str


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def set_cell(cell: Cell, value: Any, *, number_format: str | None = None) -> None:
    """Write ``value`` so that it can never become a formula unless it is a ``Formula``."""
    if isinstance(value, Formula):
        cell.value = value.text
    elif value is None or isinstance(value, bool | int | float):
        cell.value = value
    elif isinstance(value, Decimal):
        cell.value = float(value)
        cell.number_format = number_format or MONEY_FORMAT
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None) if value.tzinfo else value
        cell.number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = number_format or DATE_FORMAT
    else:
        text = str(value)[:MAX_CELL_TEXT]
        # Assigning the value and forcing the type keeps openpyxl from inferring a formula;
        # quotePrefix makes Excel show and keep it as typed text when the cell is edited.
        cell.value = text
        cell.data_type = TYPE_STRING
        if is_formula_like(text):
            cell.style = "Normal"
            cell.quotePrefix = True
        return
    if number_format and not isinstance(value, Decimal | date):
        cell.number_format = number_format


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def write_table(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    formats: dict[str, str] | None = None,
    widths: dict[str, float] | None = None,
    fills: Iterable[tuple[int, PatternFill]] = (),
) -> Worksheet:
    """A styled sheet: bold frozen header, autofilter, number/date formats per column.

    ``formats`` maps a header to a number format; ``fills`` colours whole data rows (0-based).
    """
    ws = wb.create_sheet(title=_sheet_title(title))
    formats = formats or {}
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        set_cell(cell, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    col_formats = [formats.get(h) for h in headers]
    n = 0
    for n, row in enumerate(rows, start=1):
        for col, value in enumerate(row, start=1):
            set_cell(ws.cell(row=n + 1, column=col), value, number_format=col_formats[col - 1])
    for index, fill in fills:
        for col in range(1, len(headers) + 1):
            ws.cell(row=index + 2, column=col).fill = fill
    ws.freeze_panes = "A2"
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(n + 1, 1)}"
    for col, header in enumerate(headers, start=1):
        width = (widths or {}).get(header) or min(60, max(10, len(str(header)) + 4))
        ws.column_dimensions[get_column_letter(col)].width = width
    return ws


def write_key_values(
    wb: Workbook, title: str, pairs: Iterable[tuple[str, Any]], *, heading: str | None = None
) -> Worksheet:
    """A two-column sheet of labels and values (summaries, assumptions)."""
    ws = wb.create_sheet(title=_sheet_title(title))
    row = 1
    if heading:
        set_cell(ws.cell(row=1, column=1), heading)
        ws.cell(row=1, column=1).font = Font(bold=True, size=14)
        row = 3
    for label, value in pairs:
        set_cell(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = Font(bold=True)
        set_cell(ws.cell(row=row, column=2), value)
        row += 1
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 60
    return ws


def append_table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    start_row: int,
    formats: dict[str, str] | None = None,
) -> int:
    """A styled header and rows placed at ``start_row`` of an existing sheet (under a title
    or some notes); returns the next free row."""
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=start_row, column=col)
        set_cell(cell, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    col_formats = [(formats or {}).get(h) for h in headers]
    row_no = start_row
    for row_no, row in enumerate(rows, start=start_row + 1):
        for col, value in enumerate(row, start=1):
            set_cell(ws.cell(row=row_no, column=col), value, number_format=col_formats[col - 1])
    return row_no + 1


def add_chart(
    ws: Worksheet,
    kind: str,
    *,
    title: str,
    categories_col: int,
    data_cols: Sequence[int],
    header_row: int,
    last_row: int,
    anchor: str,
    y_title: str | None = None,
    number_format: str | None = None,
) -> None:
    """A native Excel chart ("bar" or "line") over columns of this sheet: one series per
    data column, named by its header cell, categories from ``categories_col``."""
    from openpyxl.chart import BarChart, LineChart, Reference

    chart = BarChart() if kind == "bar" else LineChart()
    chart.title = title
    chart.height, chart.width = 8, 16
    if y_title:
        chart.y_axis.title = y_title
    if number_format:
        chart.y_axis.number_format = number_format
    # openpyxl 3.1 hides axes unless told otherwise; Excel then shows a bare plot.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for col in data_cols:
        ref = Reference(ws, min_col=col, min_row=header_row, max_row=max(last_row, header_row))
        chart.add_data(ref, titles_from_data=True)
    chart.set_categories(
        Reference(ws, min_col=categories_col, min_row=header_row + 1, max_row=last_row)
    )
    ws.add_chart(chart, anchor)


def save_workbook(wb: Workbook, path: Path) -> Path:
    """Save atomically: a reader never sees a half-written workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if ch in '[]:*?/\\' else ch for ch in title)
    return cleaned[:31] or "Sheet"
