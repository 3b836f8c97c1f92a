"""Safe cells for openpyxl's write-only mode (``Workbook(write_only=True)``), which streams
100,000-row sheets in bounded memory but cannot use ``backoffice.xlsx.set_cell``.

The rule is the same: text that could run as a formula (``=HYPERLINK(...)``) is written as
a string cell with the quote prefix, so it shows as typed and never runs. Plain numbers and
text that cannot be a formula go through as bare values, which openpyxl writes fastest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TYPE_STRING, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from backoffice.xlsx import (
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    MAX_CELL_TEXT,
    is_formula_like,
)


def safe_cell(
    ws: WriteOnlyWorksheet,
    value: Any,
    *,
    number_format: str | None = None,
    fill: PatternFill | None = None,
) -> Any:
    """A value or ``WriteOnlyCell`` for ``ws.append`` that can never become a formula."""
    if isinstance(value, str):
        text = value[:MAX_CELL_TEXT]
        if is_formula_like(text):
            cell = WriteOnlyCell(ws)
            cell.value = text
            cell.data_type = TYPE_STRING  # assigned after the value: openpyxl guessed 'f'
            cell.quotePrefix = True
            if fill is not None:
                cell.fill = fill
            return cell
        value = text
    elif isinstance(value, datetime | date) and number_format is None:
        number_format = DATE_FORMAT
    if number_format is None and fill is None:
        return value
    cell = WriteOnlyCell(ws, value=value)
    if number_format is not None and value is not None:
        cell.number_format = number_format
    if fill is not None:
        cell.fill = fill
    return cell


class RowWriter:
    """Appends rows to a write-only sheet with a number format per column and an optional
    fill per row.

    Formatted cells are one styled template per column (and fill), given the row's value
    just before ``append``: openpyxl writes a row out during ``append``, so a template is
    free again for the next row, and 100,000 rows cost no style lookups. Formula-like text
    still gets its own quoted cell from ``safe_cell``.
    """

    def __init__(self, ws: WriteOnlyWorksheet, formats: Sequence[str | None]) -> None:
        self.ws = ws
        self.formats = list(formats)
        self._templates: dict[tuple[int, int], Cell] = {}

    def _template(self, col: int, fill: PatternFill | None) -> Cell:
        key = (col, id(fill))
        cell = self._templates.get(key)
        if cell is None:
            cell = WriteOnlyCell(self.ws)
            fmt = self.formats[col] if col < len(self.formats) else None
            if fmt is not None:
                cell.number_format = fmt
            if fill is not None:
                cell.fill = fill
            self._templates[key] = cell
        return cell

    def append(self, values: Sequence[Any], fill: PatternFill | None = None) -> None:
        row: list[Any] = []
        for col, value in enumerate(values):
            if isinstance(value, str):
                if is_formula_like(value):
                    fmt = self.formats[col] if col < len(self.formats) else None
                    row.append(safe_cell(self.ws, value, number_format=fmt, fill=fill))
                    continue
                value = value[:MAX_CELL_TEXT]
            if value is None and fill is None:
                row.append(None)
            elif fill is None and (col >= len(self.formats) or self.formats[col] is None) and (
                not isinstance(value, datetime | date)
            ):
                row.append(value)
            else:
                if isinstance(value, datetime | date) and self.formats[col] is None:
                    self.formats[col] = DATE_FORMAT
                cell = self._template(col, fill)
                cell.value = value
                row.append(cell)
        self.ws.append(row)


def styled_cell(ws: WriteOnlyWorksheet, value: Any, *, font: Font | None = None) -> Cell:
    """A safe cell that is always a cell object, so it can take a font."""
    cell = safe_cell(ws, value)
    if not isinstance(cell, Cell):
        cell = WriteOnlyCell(ws, value=cell)
    if font is not None:
        cell.font = font
    return cell


def header_row(ws: WriteOnlyWorksheet, headers: Sequence[str]) -> list[Cell]:
    """The bold, filled header every table of the project has."""
    cells = []
    for h in headers:
        cell = styled_cell(ws, h, font=HEADER_FONT)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        cells.append(cell)
    return cells
