"""Line tables that print more than the net line amount: a tax rate and the line's gross
amount (net x (1 + rate)) after it, maybe its tax too; a unit word after the quantity; a
description wrapped at a hyphen. Each test draws a small real PDF and reads it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from fpdf import FPDF

from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.drawing import draw_pdf as _write
from tests.invoices.handmade import _table, _totals

Cell = tuple[str, float, bool]  # text, x, right-aligned
# header words the dictionary lacks: such rows are found by their arithmetic alone
_UNITS_PRICE_TAX_GROSS: tuple[Cell, ...] = (
    ("Description", 15, False), ("Units", 85, True), ("Price per one", 112, True),
    ("Total price", 138, True), ("Tax", 152, True), ("Total price with tax", 195, True))


def _invoice(heads: Sequence[Cell], rows: Sequence[Sequence[str]],
             totals: Sequence[tuple[str, str]], vendor: str = "Nordlicht Medien GmbH",
             ) -> Callable[[FPDF], None]:
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 20, vendor, 12, bold=True)
        put(pdf, 150, 20, "Invoice", 14, bold=True)
        put(pdf, 120, 30, "Invoice no. 2026-0042")
        put(pdf, 120, 35, "Date 02.03.2026")
        _totals(pdf, _table(pdf, 60, tuple(heads), [tuple(r) for r in rows]), tuple(totals),
                120, 195)
    return draw


def _lines(fields: dict) -> list[tuple[str, str, str, str, str]]:
    return [(ln["description"], ln["quantity"], ln["unit_price"], ln["amount"],
             ln["tax_rate"]) for ln in fields["lines"]]


def test_a_gross_column_after_the_rate_does_not_hide_the_net_amount(tmp_path: Path) -> None:
    heads = _UNITS_PRICE_TAX_GROSS
    rows = (("Fahrtkosten", "7 pcs", "1.782,85 €", "12.479,95 €", "19 %", "14.851,14 €"),
            ("Wartungsvertrag", "1 pcs", "1.511,67 €", "1.511,67 €", "7 %", "1.617,49 €"))
    totals = (("Total without tax", "13.991,62 €"), ("Tax", "2.477,01 €"),
              ("Total with tax", "16.468,63 €"))
    fields = read_invoice(_write(tmp_path, _invoice(heads, rows, totals), "gross")).fields

    assert _lines(fields) == [("Fahrtkosten", "7", "1782.85", "12479.95", "19"),
                              ("Wartungsvertrag", "1", "1511.67", "1511.67", "7")]
    assert (fields["net_amount"], fields["tax_amount"], fields["total_amount"]) == (
        "13991.62", "2477.01", "16468.63")


def test_a_tax_column_between_the_net_and_the_gross_is_passed_over(tmp_path: Path) -> None:
    heads = (("Item", 15, False), ("Qty", 80, True), ("Each", 105, True),
             ("Net", 130, True), ("Rate", 145, True), ("VAT", 168, True),
             ("Gross", 195, True))
    rows = (("Oak worktop 3 m", "7", "£2,036.88", "£14,258.16", "20 %", "£2,851.63",
             "£17,109.79"),
            ("Survey report", "2", "£950.67", "£1,901.34", "5 %", "£95.07", "£1,996.41"))
    totals = (("Net total", "£16,159.50"), ("VAT", "£2,946.70"), ("Total", "£19,106.20"))
    fields = read_invoice(_write(tmp_path, _invoice(heads, rows, totals), "tax")).fields

    assert _lines(fields) == [("Oak worktop 3 m", "7", "2036.88", "14258.16", "20"),
                              ("Survey report", "2", "950.67", "1901.34", "5")]


def test_a_named_header_with_a_gross_column_keeps_the_net_amount(tmp_path: Path) -> None:
    # the header's words are known, and its last money column is the gross: the amount
    # is the figure quantity x price comes to, not the last one
    heads = (("Description", 15, False), ("Quantity", 85, True), ("Unit price", 112, True),
             ("Net amount", 138, True), ("VAT %", 155, True), ("Total", 195, True))
    rows = (("Lawn mowing", "10", "554.55", "5,545.50", "7 %", "5,933.69"),
            ("Mulch, cubic yard", "2", "100.00", "200.00", "0 %", "200.00"))
    totals = (("Subtotal", "5,745.50"), ("Tax", "388.19"), ("Total USD", "6,133.69"))
    fields = read_invoice(_write(tmp_path, _invoice(heads, rows, totals), "named")).fields

    assert _lines(fields) == [("Lawn mowing", "10", "554.55", "5545.50", "7"),
                              ("Mulch, cubic yard", "2", "100.00", "200.00", "0")]


def test_a_zero_rate_row_of_one_unit_is_still_read(tmp_path: Path) -> None:
    # at 0 % the gross equals the net, and with one unit the price does too
    heads = _UNITS_PRICE_TAX_GROSS
    rows = (("Van hire, day", "1 pcs", "£1,168.88", "£1,168.88", "0 %", "£1,168.88"),)
    totals = (("Total with tax", "£1,168.88"),)
    fields = read_invoice(_write(tmp_path, _invoice(heads, rows, totals), "zero")).fields

    assert _lines(fields) == [("Van hire, day", "1", "1168.88", "1168.88", "0")]


def test_a_quantity_with_the_other_decimal_mark_and_a_unit_word_is_read(
        tmp_path: Path) -> None:
    # money with a decimal comma, the quantity with a decimal point and its unit after it;
    # a number with a decimal point inside a description stays in it
    heads = (("Popis", 15, False), ("Jednotek", 85, True), ("Cena za jednotku", 115, True),
             ("Celková cena", 145, True), ("DPH", 160, True), ("Celková cena s daní", 195, True))
    rows = (("Cement 25 kg", "7.50 ks", "1 166,04 Kč", "8 745,30 Kč", "21 %", "10 581,81 Kč"),
            ("Sůl", "10 pieces", "100,00 Kč", "1 000,00 Kč", "12 %", "1 120,00 Kč"),
            ("Kabel NYM 2.5 mm", "3 ks", "100,00 Kč", "300,00 Kč", "21 %", "363,00 Kč"))
    totals = (("Celkem s DPH", "12 064,81 Kč"),)
    fields = read_invoice(_write(tmp_path, _invoice(heads, rows, totals,
                                                    vendor="Stavebniny Novák s.r.o."),
                                 "cs")).fields

    assert _lines(fields) == [("Cement 25 kg", "7.5", "1166.04", "8745.30", "21"),
                              ("Sůl", "10", "100.00", "1000.00", "12"),
                              ("Kabel NYM 2.5 mm", "3", "100.00", "300.00", "21")]


def test_a_description_wrapped_at_a_hyphen_joins_without_a_space(tmp_path: Path) -> None:
    heads = (("Description", 15, False), ("Quantity", 85, True), ("Unit price", 120, True),
             ("VAT", 140, True), ("Amount", 195, True))

    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 20, "Redwood Medical Supply Corp.", 12, bold=True)
        put(pdf, 150, 20, "Invoice", 14, bold=True)
        put(pdf, 120, 30, "Invoice Number: INV89189")
        put(pdf, 120, 35, "Date: 08/06/2026")
        for text, x, right in heads:
            put(pdf, x, 60, text, 8, bold=True, right=right)
        for y, cells in ((67, ("Network switch 24-", "9.5", "1,034.14", "0%", "9,824.33")),
                         (71, ("port", "", "", "", "")),
                         (77, ("Patch cable, multi -", "2", "10.00", "0%", "20.00")),
                         (81, ("coloured", "", "", "", ""))):
            for text, (_, x, right) in zip(cells, heads, strict=True):
                if text:
                    put(pdf, x, y, text, right=right)
        put(pdf, 120, 95, "Total without VAT")
        put(pdf, 195, 95, "9,844.33", right=True)
        put(pdf, 120, 101, "Total with VAT")
        put(pdf, 195, 101, "9,844.33", right=True)

    fields = read_invoice(_write(tmp_path, draw, "hyphen")).fields

    # only a hyphen right after a letter or digit joins; a free-standing dash is kept apart
    assert [ln["description"] for ln in fields["lines"]] == [
        "Network switch 24-port", "Patch cable, multi - coloured"]


def test_a_vat_breakdown_printing_the_tax_before_the_base_gives_net_and_tax(
        tmp_path: Path) -> None:
    # rate | tax | base | gross, the gross of the first rate in whole crowns ('5 600,- Kč'),
    # and no net or tax label anywhere: only the breakdown's arithmetic tells them apart
    heads = (("Popis", 15, False), ("Jednotek", 85, True), ("Cena za jednotku", 115, True),
             ("Celková cena", 145, True), ("DPH", 160, True), ("Celková cena s daní", 195, True))
    rows = (("Dlažba 30x30", "5 ks", "1 000,00 Kč", "5 000,00 Kč", "12 %", "5 600,00 Kč"),
            ("Doprava", "1 ks", "986,95 Kč", "986,95 Kč", "21 %", "1 194,21 Kč"))

    def draw(pdf: FPDF) -> None:
        _invoice(heads, rows, (), vendor="Stavebniny Novák s.r.o.")(pdf)
        put(pdf, 15, 90, "Rozpis DPH", bold=True)
        for i, cells in enumerate((("Sazba", "DPH", "Bez DPH", "S DPH"),
                                   ("12.00%", "600,00 Kč", "5 000,00 Kč", "5 600,- Kč"),
                                   ("21.00%", "207,26 Kč", "986,95 Kč", "1 194,21 Kč"))):
            for text, x in zip(cells, (15, 45, 75, 105), strict=True):
                put(pdf, x, 96 + 6 * i, text)
        put(pdf, 130, 120, "Celkem s DPH: 6 794,21 Kč")

    fields = read_invoice(_write(tmp_path, draw, "breakdown")).fields

    assert (fields["net_amount"], fields["tax_amount"], fields["total_amount"]) == (
        "5986.95", "807.26", "6794.21")


def test_a_number_inside_the_description_equal_to_the_quantity_stays_in_it(
        tmp_path: Path) -> None:
    heads = _UNITS_PRICE_TAX_GROSS
    rows = (("Dachrinne Zink 6 m", "6 pcs", "2.353,61 €", "14.121,66 €", "19 %",
             "16.804,78 €"),
            ("Paint, 5 l tin", "5 pcs", "1.635,40 €", "8.177,00 €", "19 %", "9.730,63 €"))
    totals = (("Total without tax", "22.298,66 €"), ("Tax", "4.236,75 €"),
              ("Total with tax", "26.535,41 €"))
    fields = read_invoice(_write(tmp_path, _invoice(heads, rows, totals), "inner")).fields

    assert _lines(fields) == [("Dachrinne Zink 6 m", "6", "2353.61", "14121.66", "19"),
                              ("Paint, 5 l tin", "5", "1635.40", "8177.00", "19")]
