"""National tax ids read off the page and bound to their party, with their check digit
checked; and a line table that prints each row's gross but its VAT rate only in the totals,
under a diagonal watermark. The page tests draw a small real PDF (an Argentine 'Factura', a
Spanish 'Factura', laid out here, not by any invoicing program) and read it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fpdf import FPDF

from backoffice.locale import fold
from robots.invoices.reader import ReaderOptions, load_document, read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.drawing import draw_pdf
from tests.invoices.handmade import _table, _totals

_HEADS = (("Descripción", 15, False), ("Cant.", 95, True), ("Precio Unit.", 125, True),
          ("Subtotal", 160, True), ("Subtotal c/IVA", 195, True))
_ROWS = [("Resma A4 75 g", "4,00", "$1.250,40", "$5.001,60", "$6.051,94"),
         ("Servicio técnico, hora", "3,00", "$8.400,35", "$25.201,05", "$30.493,27")]


def _factura(vendor_cuit: str, buyer_cuit: str, watermark: bool = True,
             number: str = "Factura N° 0003-00001234") -> Callable[[FPDF], None]:
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 20, "Ferretería del Sur S.R.L.", 13, bold=True)
        put(pdf, 150, 20, "FACTURA", 14, bold=True)
        put(pdf, 130, 28, number)
        put(pdf, 130, 34, "Fecha de Emisión: 14/05/2026")
        put(pdf, 15, 28, "Av. San Martín 455, M5500 Mendoza")
        put(pdf, 15, 34, f"CUIT: {vendor_cuit}")
        put(pdf, 15, 50, "Cliente", bold=True)
        put(pdf, 15, 56, "Constructora Andes S.A.")
        put(pdf, 15, 62, f"CUIT: {buyer_cuit}")
        y = _table(pdf, 80, _HEADS, _ROWS)
        _totals(pdf, y + 4, (("Importe Neto Gravado:", "$30.202,65"),
                             ("IVA 21%:", "$6.342,56"), ("Importe Total:", "$36.545,21")),
                130, 195)
        if watermark:  # across the rows, as a sample copy prints it
            pdf.set_font("Helvetica", "B", 60)
            pdf.set_text_color(225, 228, 235)
            with pdf.rotation(35, 100, 95):
                pdf.text(45, 95, "MUESTRA")
            pdf.set_text_color(0, 0, 0)
    return draw


def test_a_cuit_under_its_label_is_the_partys_tax_id_as_its_digits(tmp_path: Path) -> None:
    path = draw_pdf(tmp_path, _factura("30-71234567-1", "20-31456789-8"), "cuit")
    fields = read_invoice(path).fields

    assert fields["vendor_tax_id"] == "30712345671"
    assert fields["buyer_tax_id"] == "20314567898"
    assert fields["currency"] == "ARS"  # a '$' with a decimal comma, from an Argentine seller


def test_a_cuit_with_a_wrong_check_digit_goes_to_review_as_printed(tmp_path: Path) -> None:
    path = draw_pdf(tmp_path, _factura("30-71234567-2", "20-31456789-8"), "bad-cuit")
    result = read_invoice(path)

    assert result.fields["vendor_tax_id"] == "30-71234567-2"
    assert result.status.value == "review"
    assert any(r.startswith("tax_id_checksum") for r in result.reasons)
    assert result.fields["currency"] is None  # no seller's country: whose peso is unknown


def test_a_gross_column_without_a_rate_in_its_row_is_told_by_the_rate_in_the_totals(
        tmp_path: Path) -> None:
    path = draw_pdf(tmp_path, _factura("30-71234567-1", "20-31456789-8"), "gross")
    doc, _ = load_document(path, ReaderOptions())
    assert "MUESTRA" not in doc.text  # the turned watermark letters are left out
    fields = read_invoice(path).fields

    assert [(ln["description"], ln["quantity"], ln["unit_price"], ln["amount"],
             ln["tax_rate"]) for ln in fields["lines"]] == [
        ("Resma A4 75 g", "4", "1250.40", "5001.60", "21"),
        ("Servicio técnico, hora", "3", "8400.35", "25201.05", "21")]
    assert (fields["net_amount"], fields["tax_amount"], fields["total_amount"]) == (
        "30202.65", "6342.56", "36545.21")


def test_a_key_and_its_value_under_the_title_are_not_the_invoice_number(
        tmp_path: Path) -> None:
    # 'Punto de Venta: 0003' (the point of sale) stands under the 'FACTURA' title: its value
    # is its own key's, whatever words the key is in
    draw = _factura("30-71234567-1", "20-31456789-8", watermark=False,
                    number="Punto de Venta: 0003")
    result = read_invoice(draw_pdf(tmp_path, draw, "punto"))
    assert result.fields["invoice_number"] is None
    assert result.status.value == "review"


@pytest.mark.parametrize(("printed", "read"), [
    ("NIF: B-58378431", "B58378431"),  # a Spanish CIF
    ("NIF: 54362315-K", "54362315K"),  # a Spanish DNI
    ("NIF 501 964 843", "501964843"),  # Portuguese
    ("Org.nr 988 077 917", "988077917"),  # Norwegian
    ("Ondernemingsnummer 0403.019.261", "0403019261"),  # Belgian
    ("CNPJ: 16.727.230/0001-97", "16727230000197"),  # Brazilian
    ("MWST-Nr. CHE-107.787.577 MWST", "CHE107787577"),  # Swiss
])
def test_a_national_id_after_its_label_is_read_when_its_check_digit_holds(
        printed: str, read: str) -> None:
    from robots.invoices.parties import _TAX_LABEL_RE
    from robots.invoices.values import find_tax_id

    m = _TAX_LABEL_RE.search(fold(printed))
    assert m is not None
    assert find_tax_id(printed[m.end():], labelled=True) == read


@pytest.mark.parametrize("printed", ["B-58378432", "501 964 842", "988 077 918",
                                     "0403.019.262", "16.727.230/0001-98"])
def test_a_number_of_those_shapes_whose_check_fails_is_no_tax_id(printed: str) -> None:
    from robots.invoices.values import find_tax_id

    assert find_tax_id(f": {printed}", labelled=True) is None


def test_spanish_parties_are_bound_to_their_nif(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 20, "Suministros Levante S.L.", 13, bold=True)
        put(pdf, 15, 26, "Calle Colón 12, 46004 Valencia")
        put(pdf, 15, 32, "NIF: B-86123452")
        put(pdf, 130, 20, "Factura n° 2026-0311")
        put(pdf, 130, 26, "Fecha: 14/05/2026")
        put(pdf, 15, 50, "Cliente", bold=True)
        put(pdf, 15, 56, "Construcciones Turia S.A.")
        put(pdf, 15, 62, "NIF: A-28675411")
        y = _table(pdf, 80, (("Descripción", 15, False), ("Cant.", 95, True),
                             ("Precio", 125, True), ("Importe", 160, True)),
                   [("Cemento, saco", "10", "7,50", "75,00")])
        _totals(pdf, y + 4, (("Base imponible", "75,00"), ("IVA 21%", "15,75"),
                             ("Total EUR", "90,75")), 120, 160)

    fields = read_invoice(draw_pdf(tmp_path, draw, "nif")).fields
    assert fields["vendor_tax_id"] == "B86123452"
    assert fields["buyer_tax_id"] == "A28675411"


def test_a_swiss_uid_is_the_sellers_vat_number(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 20, "Alpenblick Schreinerei AG", 13, bold=True)
        put(pdf, 15, 26, "Bahnhofstrasse 3, 8001 Zürich")
        put(pdf, 130, 20, "Rechnung Nr. 2026-0311")
        put(pdf, 130, 26, "Datum: 14.05.2026")
        put(pdf, 15, 50, "Rechnungsempfänger", bold=True)
        put(pdf, 15, 56, "Berner Baubedarf GmbH")
        put(pdf, 15, 62, "Marktgasse 9, 3011 Bern")
        y = _table(pdf, 80, (("Beschreibung", 15, False), ("Menge", 95, True),
                             ("Preis", 125, True), ("Betrag", 160, True)),
                   [("Eichenbrett, Stück", "10", "7.50", "75.00")])
        _totals(pdf, y + 4, (("Zwischensumme", "75.00"), ("MWST 8.1%", "6.08"),
                             ("Total CHF", "81.08")), 120, 160)
        put(pdf, 15, 280, "Alpenblick Schreinerei AG · MWST-Nr. CHE-107.787.577 MWST", 7)

    fields = read_invoice(draw_pdf(tmp_path, draw, "uid")).fields
    assert fields["vendor_tax_id"] == "CHE107787577"
    assert fields["buyer_tax_id"] is None
