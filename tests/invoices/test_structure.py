"""Tables found by their arithmetic, not by their header words."""

from __future__ import annotations

from decimal import Decimal

from robots.invoices.layout import Document, build_lines
from robots.invoices.parties import looks_like_label
from robots.invoices.structure import structural_lines, vat_breakdown


def _doc(rows: list[list[tuple[float, str]]]) -> Document:
    words = []
    for i, row in enumerate(rows):
        for x, text in row:
            x0 = x
            for w in text.split():  # words of one cell a space apart, as a PDF sets them
                words.append({"text": w, "x0": x0, "x1": x0 + 5 * len(w), "top": 13.0 * i,
                              "bottom": 13.0 * i + 9, "size": 9})
                x0 += 5 * len(w) + 2.5
    doc = Document()
    doc.lines = build_lines(words, 0, 0)
    return doc


def test_the_polish_line_header_is_no_gate_rows_are_found_by_quantity_times_price() -> None:
    doc = _doc([
        [(10, "Lp."), (60, "Nazwa towaru/usługi"), (300, "Ilość"), (360, "J.m."),
         (420, "Cena netto"), (520, "Stawka VAT"), (620, "Wartość netto")],
        [(10, "1"), (60, "Krzesło"), (300, "4"), (360, "szt."), (420, "250,00"),
         (520, "23%"), (620, "1 000,00")],
        [(10, "2"), (60, "Biurko"), (300, "1"), (360, "szt."), (420, "899,99"),
         (520, "8%"), (620, "899,99")],
        [(420, "Razem netto"), (620, "1 899,99")],
    ])
    lines, spans = structural_lines(doc, ",")
    assert [(ln.description, ln.quantity, ln.unit_price, ln.amount, ln.tax_rate)
            for ln in lines] == [
        ("Krzesło", Decimal(4), Decimal("250.00"), Decimal("1000.00"), Decimal(23)),
        ("Biurko", Decimal(1), Decimal("899.99"), Decimal("899.99"), Decimal(8))]
    assert spans and 1 in spans[0] and 3 not in spans[0]


def test_an_amount_printed_on_the_line_under_its_row_and_a_dotted_leader() -> None:
    doc = _doc([
        [(10, "1"), (60, "Miettage"), (300, "86,5500"), (360, "2 Tag(e)"), (420, "19 %")],
        [(520, "173,10")],
        [(10, "Kaffee.........."), (200, "3 x"), (300, "2,50"), (520, "7,50")],
    ])
    lines, _ = structural_lines(doc, ",")
    assert [(ln.description, ln.quantity, ln.amount) for ln in lines] == [
        ("Miettage", Decimal(2), Decimal("173.10")), ("Kaffee", Decimal(3), Decimal("7.50"))]


def test_a_vat_breakdown_row_is_base_rate_and_tax_never_its_gross_column() -> None:
    doc = _doc([
        [(10, "Umsatzsteuer (S)"), (200, "286,52"), (300, "19"), (400, "54,44"),
         (500, "340,96")],
        [(10, "7%"), (200, "160,00"), (400, "11,20")],
        [(10, "Summe"), (400, "65,64")],
    ])
    rows = vat_breakdown(doc, ",", set())
    assert [(r.rate, r.base, r.tax) for r in rows] == [
        (Decimal(19), Decimal("286.52"), Decimal("54.44")),
        (Decimal(7), Decimal("160.00"), Decimal("11.20"))]


def test_a_label_is_never_a_value() -> None:
    for text in ("Name:", "Bill to", "PO #", "Ostaja", "Ilość", "Invoice number", "Nummer:"):
        assert looks_like_label(text), text
    for text in ("Lieferant GmbH", "Kunden AG Mitte", "Meble Nowak Sp. z o.o."):
        assert not looks_like_label(text), text
