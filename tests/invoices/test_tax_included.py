"""Gross prices with the tax they contain printed under the total ('darin enthaltene MwSt.
19 %', 'dont TVA 20 %', 'of which VAT 20%'): the net is the total less that tax, never the
total itself. Arithmetic tells a contained tax (gross x rate / (100 + rate)) from an added
one (net x rate / 100), whatever words the row uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.drawing import draw_pdf, key_values


def _gross_priced(total_row: tuple[str, str], tax_row: tuple[str, str]):  # noqa: ANN202
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 15, "Kiosk am Markt GmbH", 14, bold=True)
        put(pdf, 15, 21, "Marktplatz 1, 80331 München", 8)
        put(pdf, 120, 40, "Rechnung Nr. 2026-55", 10)
        put(pdf, 120, 46, "Datum: 04.03.2026", 10)
        for x, text in ((15, "Artikel"), (100, "Menge"), (130, "Preis")):
            put(pdf, x, 70, text)
        put(pdf, 195, 70, "Betrag", right=True)
        gross = total_row[1].split()[0]
        for x, text in ((15, "Kaffeemaschine"), (100, "1"), (130, gross)):
            put(pdf, x, 77, text)
        put(pdf, 195, 77, gross, right=True)
        key_values(pdf, (total_row, tax_row), key_x=110, value_x=195, top=95)
        put(pdf, 15, 270, "Kiosk am Markt GmbH · USt-IdNr. DE812345673 · "
                          "IBAN DE44 5001 0517 5407 3249 31", 7)
    return draw


@pytest.mark.parametrize(("total_row", "tax_row", "amounts"), [
    (("Gesamtbetrag", "119,00 EUR"), ("darin enthaltene MwSt. 19 %", "19,00 EUR"),
     ("100.00", "19.00", "119.00")),
    (("Total TTC", "119,00 EUR"), ("dont TVA 20 %", "19,83 EUR"),
     ("99.17", "19.83", "119.00")),
    (("Total incl. VAT", "120.00 EUR"), ("of which VAT 20%", "20.00 EUR"),
     ("100.00", "20.00", "120.00")),
])
def test_a_tax_contained_in_the_total_gives_the_net_as_the_total_less_it(
        tmp_path: Path, total_row: tuple[str, str], tax_row: tuple[str, str],
        amounts: tuple[str, str, str]) -> None:
    result = read_invoice(draw_pdf(tmp_path, _gross_priced(total_row, tax_row), "gross"))
    assert (result.fields["net_amount"], result.fields["tax_amount"],
            result.fields["total_amount"]) == amounts


def test_gross_lines_with_an_unreadable_tax_row_are_never_ok_with_net_equal_to_total(
        tmp_path: Path) -> None:
    # the tax row's figure does not check out: the page still shows a tax with its rate,
    # so lines adding up to the total do not make the net that total
    draw = _gross_priced(("Gesamtbetrag", "119,00 EUR"), ("darin enthaltene MwSt. 19 %", "—"))
    result = read_invoice(draw_pdf(tmp_path, draw, "unread"))
    assert result.status == "review" or result.fields["net_amount"] != "119.00"
