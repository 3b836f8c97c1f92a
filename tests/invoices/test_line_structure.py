"""Line items on tables the dictionary used to miss: the Polish header, a French 'P.U. HT'
column, a receipt with the name above 'qty x price .... amount', a number or percentage
inside the description, a US sales tax of 8.875 %. Each test draws a small real PDF."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.drawing import draw_pdf as _write


def _head(pdf: FPDF, vendor: str, title: str) -> None:
    put(pdf, 15, 20, vendor, 12, bold=True)
    put(pdf, 150, 20, title, 14, bold=True)


def test_the_polish_line_header_is_found(tmp_path: Path) -> None:
    heads = (("Lp.", 15, False), ("Nazwa towaru/usługi", 24, False), ("Ilość", 112, True),
             ("J.m.", 116, False), ("Cena netto", 150, True), ("Stawka VAT", 168, True),
             ("Wartość netto", 195, True))
    rows = (("1", "Usługa transportowa", "2", "szt.", "150,00", "23%", "300,00"),
            ("2", "Papier ksero A4", "10", "szt.", "12,50", "8%", "125,00"))

    def draw(pdf: FPDF) -> None:
        _head(pdf, "Krakowska Drukarnia S.A.", "Faktura VAT")
        put(pdf, 120, 30, "Faktura nr FV/7/2026")
        put(pdf, 120, 35, "Data wystawienia 2026-03-02")
        for text, x, right in heads:
            put(pdf, x, 60, text, 8, bold=True, right=right)
        for i, row in enumerate(rows):
            for text, (_, x, right) in zip(row, heads, strict=True):
                put(pdf, x, 67 + 6 * i, text, right=right)
        for i, (label, value) in enumerate((("Razem netto", "425,00"),
                                            ("Kwota VAT", "79,00"),
                                            ("Do zapłaty PLN", "504,00"))):
            put(pdf, 130, 90 + 6 * i, label)
            put(pdf, 195, 90 + 6 * i, value, right=True)

    lines = read_invoice(_write(tmp_path, draw, "pl")).fields["lines"]
    assert [(ln["description"], ln["quantity"], ln["unit_price"], ln["amount"],
             ln["tax_rate"]) for ln in lines] == [
        ("Usługa transportowa", "2", "150.00", "300.00", "23"),
        ("Papier ksero A4", "10", "12.50", "125.00", "8")]


def test_a_receipt_row_takes_its_name_from_the_line_above(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        pdf.set_font("Courier", "", 9)
        text = ["      Ateliers Lyonnais SARL", "Facture n° ....... FA2026-0012",
                "Date de facture .. 02/03/2026", "-" * 40,
                "Panneau chêne 18 mm", "  2 x 558,73  10 % ........ 1 117,46",
                "Frais de port", "  1 x 25,00  20 % ............. 25,00", "-" * 40,
                "Total HT .................. 1 142,46", "TVA 10 % .................. 111,75",
                "TVA 20 % ...................... 5,00", "Net à payer EUR ........... 1 259,21"]
        for i, t in enumerate(text):
            pdf.text(40, 20 + 5 * i, t)

    lines = read_invoice(_write(tmp_path, draw, "receipt")).fields["lines"]
    assert [(ln["description"], ln["quantity"], ln["amount"], ln["tax_rate"])
            for ln in lines] == [("Panneau chêne 18 mm", "2", "1117.46", "10"),
                                 ("Frais de port", "1", "25.00", "20")]


def test_a_number_or_percentage_in_the_description_stays_in_it(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _head(pdf, "Great Lakes Office Supply Inc.", "INVOICE")
        put(pdf, 120, 30, "Invoice # 50071")
        put(pdf, 120, 35, "Date Mar 2, 2026")
        for text, x, right in (("Item", 15, False), ("Qty", 120, True),
                               ("Rate", 150, True), ("Amount", 195, True)):
            put(pdf, x, 60, text, 8, bold=True, right=right)
        for i, row in enumerate((("Breaker panel 24 mod.", "24", "10.00", "240.00"),
                                 ("Discount 10 %", "1", "-24.00", "-24.00"))):
            for text, x, right in zip(row, (15, 120, 150, 195), (False, True, True, True),
                                      strict=True):
                put(pdf, x, 67 + 6 * i, text, right=right)
        for i, (label, value) in enumerate((("Subtotal", "216.00"),
                                            ("Sales Tax 8.875%", "19.17"),
                                            ("Total USD", "235.17"))):
            put(pdf, 130, 90 + 6 * i, label)
            put(pdf, 195, 90 + 6 * i, value, right=True)

    result = read_invoice(_write(tmp_path, draw, "us"))
    lines = result.fields["lines"]
    assert [ln["description"] for ln in lines] == ["Breaker panel 24 mod.", "Discount 10 %"]
    assert [ln["tax_rate"] for ln in lines] == [None, None]
    assert (result.fields["net_amount"], result.fields["tax_amount"],
            result.fields["total_amount"]) == ("216.00", "19.17", "235.17")
