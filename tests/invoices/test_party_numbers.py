"""A party block's own number row ('Nummer: 549910' under 'Verkäufer', a supplier or
customer number, EN 16931 BT-29/BT-46) is not the invoice's number: it neither replaces
the number in the title nor makes it doubtful."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.drawing import draw_pdf


def _draw(pdf: FPDF) -> None:
    # the title set in pieces, as a program fills a template: 'Nr.' starts a segment
    for x, text in ((20, "Rechnung"), (60, "Nr. 181301674"), (110, "vom 25.04.2018")):
        put(pdf, x, 18, text, 12, bold=True)
    put(pdf, 20, 30, "Währung: EUR")
    for top, (label, number, name, street, city) in zip((45, 80), (
            ("Verkäufer", "549910", "Elektron Industrieservice GmbH", "Erfurter Strasse 13",
             "74465 Demoort"),
            ("Käufer", "16259", "ConsultingService GmbH", "Musterstr. 18",
             "76138 Karlsruhe")), strict=True):
        put(pdf, 20, top, label, 10, bold=True)
        for i, (key, value) in enumerate((("Nummer:", number), ("Name:", name),
                                          ("Anschrift:", street), ("", city))):
            put(pdf, 20, top + 6 * (i + 1), key)
            put(pdf, 60, top + 6 * (i + 1), value)
    put(pdf, 20, 118, "Beamerhalterung montiert")
    put(pdf, 190, 118, "100,00", right=True)
    for i, (key, value) in enumerate((("Summe netto", "100,00"), ("USt 19 %", "19,00"),
                                      ("Gesamtbetrag", "119,00"))):
        put(pdf, 120, 130 + 6 * i, key)
        put(pdf, 190, 130 + 6 * i, value, right=True)


def test_a_party_blocks_number_row_is_not_the_invoice_number(tmp_path: Path) -> None:
    result = read_invoice(draw_pdf(tmp_path, _draw, "party_numbers"))
    assert result.fields["invoice_number"] == "181301674"
    assert result.confidence["invoice_number"] >= 0.8
    assert result.fields["vendor_name"] == "Elektron Industrieservice GmbH"
