"""A monospace credit memo: label, dotted leader and a negative figure in one run of text.
The minus sign belongs to the figure, not to the leader, so net + VAT = total checks out
and the memo needs no person."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from robots.invoices.reader import read_invoice
from tests.invoices.drawing import draw_pdf


def _memo(pdf: FPDF) -> None:
    pdf.set_font("Courier", size=9)
    rows = [
        "Hudson Valley Janitorial LLC", "2200 Lakeshore Dr, Suite 310", "Chicago, IL 60614",
        "", "CREDIT MEMO",
        "Invoice # .............................. 50074",
        "Date ............................ Apr 13, 2026",
        "Bill To .....................................", "  Desert Sun Solar Corp.",
        "----------------------------------------------",
        "Copier lease, monthly", "  24 x -303.47 ..................... -7,283.28",
        "Service call", "  1 x -720.50 ........................ -720.50",
        "----------------------------------------------",
        "Subtotal ........................... -8,003.78",
        "Sales Tax 8.875% ..................... -710.34",
        "Balance Due USD ..................... -8,714.12",
    ]
    for i, text in enumerate(rows):
        pdf.text(55, 20 + 4.6 * i, text)


def test_a_minus_sign_after_a_dotted_leader_stays_with_its_figure(tmp_path: Path) -> None:
    result = read_invoice(draw_pdf(tmp_path, _memo, "memo"))
    assert (result.fields["net_amount"], result.fields["tax_amount"],
            result.fields["total_amount"]) == ("-8003.78", "-710.34", "-8714.12")
    assert min(result.confidence[f] for f in ("net_amount", "tax_amount")) >= 0.9
