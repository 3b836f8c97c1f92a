"""Label words where they label nothing: a party block's own number row ('Nummer: 549910'
under 'Verkäufer', a supplier or customer number, EN 16931 BT-29/BT-46) is not the
invoice's number, and a label's word inside a line item's description ('Reference book 8')
is not a payment reference."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.drawing import draw_pdf, key_values


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
    key_values(pdf, (("Summe netto", "100,00"), ("USt 19 %", "19,00"),
                     ("Gesamtbetrag", "119,00")), key_x=120, value_x=190, top=130)


def test_a_party_blocks_number_row_is_not_the_invoice_number(tmp_path: Path) -> None:
    result = read_invoice(draw_pdf(tmp_path, _draw, "party_numbers"))
    assert result.fields["invoice_number"] == "181301674"
    assert result.confidence["invoice_number"] >= 0.8
    assert result.fields["vendor_name"] == "Elektron Industrieservice GmbH"


def _reference_book(pdf: FPDF) -> None:
    put(pdf, 20, 15, "Carter & Reed LLP", 14, bold=True)
    put(pdf, 20, 21, "Unit 5, Mill Lane, Bristol BS1 5TR", 8)
    put(pdf, 120, 40, "Invoice No. INV-10002", 10)
    put(pdf, 120, 46, "Date: 13 September 2026", 10)
    for x, text in ((20, "Description"), (110, "Qty"), (140, "Unit price")):
        put(pdf, x, 70, text)
    put(pdf, 190, 70, "Amount", right=True)
    for i, (item, qty, price, amount) in enumerate((
            ("Reference book 8", "12", "1,439.07", "17,268.84"),
            ("Annual software licence", "5", "520.62", "2,603.10"))):
        for x, text in ((20, item), (110, qty), (140, price)):
            put(pdf, x, 77 + 6 * i, text)
        put(pdf, 190, 77 + 6 * i, amount, right=True)
    key_values(pdf, (("Net", "19,871.94"), ("VAT 20%", "3,974.39"), ("Total GBP", "23,846.33")),
               key_x=120, value_x=190, top=100)


def test_a_label_word_in_a_line_items_description_labels_nothing(tmp_path: Path) -> None:
    # 'Reference book 8' is an article, not 'Reference: 8' (the payment reference)
    result = read_invoice(draw_pdf(tmp_path, _reference_book, "reference_book"))
    assert [ln["description"] for ln in result.fields["lines"]][0] == "Reference book 8"
    assert result.fields["payment_reference"] is None
