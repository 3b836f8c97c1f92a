"""The extraction workbook: one row per invoice, one sheet of lines.

Everything goes through ``backoffice.xlsx``: text from a PDF is never written as a formula,
amounts are real numbers, dates real dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from backoffice.xlsx import OK_FILL, WARN_FILL, new_workbook, save_workbook, write_table
from robots.invoices.fields import AMOUNT_FIELDS, DATE_FIELDS, HEADER_FIELDS
from robots.invoices.reader import Extraction, ExtractionStatus

INVOICE_HEADERS = ["file", "status", "reasons", "warnings", *HEADER_FIELDS, "lines",
                   "min_confidence"]
LINE_HEADERS = ["file", "line", "description", "quantity", "unit_price", "amount", "tax_rate"]


def _typed(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in AMOUNT_FIELDS or name in ("unit_price", "amount", "quantity", "tax_rate"):
        return Decimal(value)
    if name in DATE_FIELDS:
        return date.fromisoformat(value)
    return value


def write_workbook(results: Iterable[Extraction], path: Path) -> Path:
    results = list(results)
    wb = new_workbook()
    rows, fills, line_rows = [], [], []
    for i, r in enumerate(results):
        f = r.fields
        present = [v for k, v in r.confidence.items() if f.get(k) not in (None, [])]
        rows.append([r.file, r.status.value, "; ".join(r.reasons), "; ".join(r.warnings),
                     *[_typed(k, f.get(k)) for k in HEADER_FIELDS], len(f.get("lines") or []),
                     min(present) if present else None])
        fills.append((i, OK_FILL if r.status is ExtractionStatus.OK else WARN_FILL))
        for n, ln in enumerate(f.get("lines") or [], start=1):
            line_rows.append([r.file, n, ln["description"],
                              *[_typed(k, ln[k]) for k in LINE_HEADERS[3:]]])
    write_table(wb, "Invoices", INVOICE_HEADERS, rows, fills=fills,
                formats={"quantity": "0.###", "min_confidence": "0.00"},
                widths={"file": 28, "reasons": 50, "warnings": 30, "vendor_name": 30,
                        "buyer_name": 30})
    write_table(wb, "Lines", LINE_HEADERS, line_rows,
                formats={"quantity": "0.###", "tax_rate": "0.##"},
                widths={"file": 28, "description": 45})
    return save_workbook(wb, path)
