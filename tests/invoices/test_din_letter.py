"""A DIN 5008 window letter as letter libraries set an invoice: the seller only in the small
return line over the window (wrapped when it is longer than the window is wide), the date
level with the subject at the right margin, no label anywhere near either, prices per unit
('1.834,71 €/Stk.'), and totals named 'Sum (net)' / 'Sum (gross)'. Each test draws a small
real PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF

from robots.invoices.reader import Extraction, read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.drawing import draw_pdf


def _letter(pdf: FPDF, *, return_line: tuple[str, ...], subject: str, date: str,
            rows: tuple[tuple[str, str, str, str], ...], totals: tuple[tuple[str, str], ...],
            after: str = "") -> None:
    put(pdf, 130, 25, "Invoice no.: 2026-0012", 10)
    put(pdf, 130, 30, "Customer ID: 28270", 10)
    for i, text in enumerate(return_line):
        put(pdf, 24, 60 + 3 * i, text, 8)
    for i, text in enumerate(("Redwood Medical Supply Corp.", "88 Harbor Blvd",
                              "Tampa, FL 33602")):
        put(pdf, 24, 70 + 5 * i, text, 12)
    put(pdf, 24, 100, subject, 12)
    put(pdf, 200, 100, date, 12, right=True)
    for text, x, right in (("#", 28, True), ("Description", 32, False),
                           ("Unit Price", 140, True), ("Quantity", 170, True),
                           ("Line Total", 200, True)):
        put(pdf, x, 112, text, 10, bold=True, right=right)
    for i, (desc, price, qty, amount) in enumerate(rows):
        y = 120 + 8 * i
        put(pdf, 28, y, str(i + 1), 10, right=True)
        put(pdf, 32, y, desc, 10)
        put(pdf, 140, y, price, 10, right=True)
        put(pdf, 170, y, qty, 10, right=True)
        put(pdf, 200, y, amount, 10, right=True)
    y = 124 + 8 * len(rows)
    for i, (label, value) in enumerate(totals):
        put(pdf, 145, y + 6 * i, label, 10)
        put(pdf, 200, y + 6 * i, value, 10, right=True)
    if after:
        put(pdf, 24, y + 6 * len(totals) + 10, after, 10)


_US_ROWS = (("Lawn mowing", "1,973.81 $", "11.00", "21,711.91 $"),
            ("Banquet chairs rental", "515.92 $", "9.50", "4,901.24 $"))
_US_TOTALS = (("Sum (net)", "26,613.15 $"), ("+7.00% VAT", "1,862.92 $"),
              ("Sum (gross)", "28,476.07 $"))


def _read(tmp_path: Path, **kwargs: Any) -> Extraction:
    defaults: dict[str, Any] = {
        "return_line": ("Cedar Creek Landscaping LLC · 410 Elm Street · Denver, CO 80203",),
        "subject": "Invoice 2026-0012", "date": "07/15/2026", "rows": _US_ROWS,
        "totals": _US_TOTALS}
    return read_invoice(draw_pdf(tmp_path, lambda pdf: _letter(pdf, **{**defaults, **kwargs}),
                                 "letter"))


def test_the_date_level_with_the_subject_is_the_issue_date(tmp_path: Path) -> None:
    result = _read(tmp_path, after="Payment due 07/29/2026.")
    assert result.fields["issue_date"] == "2026-07-15"
    assert result.fields["due_date"] == "2026-07-29"


def test_a_date_after_a_key_on_the_title_line_is_no_issue_date(tmp_path: Path) -> None:
    result = _read(tmp_path, subject="Invoice 2026-0012, delivered on:")
    assert result.fields["issue_date"] != "2026-07-15" or result.status.value == "review"


def test_sums_qualified_as_net_and_gross_are_the_net_and_the_total(tmp_path: Path) -> None:
    result = _read(tmp_path)
    assert result.fields["net_amount"] == "26613.15"
    assert result.fields["tax_amount"] == "1862.92"
    assert result.fields["total_amount"] == "28476.07"


def test_a_price_per_unit_is_the_unit_price(tmp_path: Path) -> None:
    rows = (("Lawn mowing", "1,973.81 $/ea.", "11.00", "21,711.91 $"),
            ("Banquet chairs rental", "515.92 $/h", "9.50", "4,901.24 $"))
    lines = _read(tmp_path, rows=rows).fields["lines"]
    assert [ln["unit_price"] for ln in lines] == ["1973.81", "515.92"]
    assert [ln["amount"] for ln in lines] == ["21711.91", "4901.24"]


def test_a_return_line_wrapped_in_the_window_still_names_the_seller(tmp_path: Path) -> None:
    result = _read(tmp_path, return_line=(
        "Cedar Creek Landscaping LLC · 410 Elm Street · Denver, CO", "80203"))
    assert result.fields["vendor_name"] == "Cedar Creek Landscaping LLC"
    assert result.fields["buyer_name"] == "Redwood Medical Supply Corp."
