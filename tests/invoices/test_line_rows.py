"""Line rows as real invoices print them: the minus of a credit note where the document puts
it, and a row whose amount sits on its second line with the rest of its description."""

from __future__ import annotations

from pathlib import Path

from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import new_pdf, put


def _draw(path: Path, rows: list[tuple[float, float, str, bool]]) -> Path:
    pdf = new_pdf()
    for x, y, text, right in rows:
        put(pdf, x, y, text, 10, right=right)
    pdf.output(str(path))
    return path


def _credit_note(qty_a: str, qty_b: str, amount_a: str, amount_b: str) -> list:
    return [
        (20, 20, "Musterlieferant GmbH", False), (120, 20, "Gutschrift", False),
        (120, 30, "Gutschrift Nr. GS-77", False), (120, 36, "Datum 16.09.2018", False),
        (20, 55, "Muster-Kunde GmbH", False),
        (20, 85, "Beschreibung", False), (110, 85, "Menge", False),
        (140, 85, "Einzelpreis", False), (190, 85, "Betrag", True),
        (20, 92, "Zitronensäure 100ml", False), (110, 92, qty_a, False),
        (140, 92, "1,00", False), (190, 92, amount_a, True),
        (20, 98, "Gelierzucker 250g", False), (110, 98, qty_b, False),
        (140, 98, "1,45", False), (190, 98, amount_b, True),
        (120, 115, "Nettobetrag", False), (190, 115, "7,90", True),
        (120, 121, "USt. 19%", False), (190, 121, "1,50", True),
        (120, 127, "Gesamtbetrag", False), (190, 127, "9,40", True),
    ]


def _numbers(result) -> list[tuple[str, str, str]]:
    return [(ln["quantity"], ln["unit_price"], ln["amount"]) for ln in result.fields["lines"]]


def test_credit_note_printing_negative_quantities_keeps_them_negative(tmp_path: Path) -> None:
    result = read_invoice(_draw(tmp_path / "neg.pdf",
                                _credit_note("-5", "-2", "-5,00", "-2,90")))
    assert result.fields["total_amount"] == "-9.40"
    assert _numbers(result) == [("-5", "1.00", "-5.00"), ("-2", "1.45", "-2.90")]


def test_credit_note_printing_positive_quantities_makes_the_price_negative(
        tmp_path: Path) -> None:
    result = read_invoice(_draw(tmp_path / "pos.pdf", _credit_note("5", "2", "5,00", "2,90")))
    assert result.fields["total_amount"] == "-9.40"
    assert _numbers(result) == [("5", "-1.00", "-5.00"), ("2", "-1.45", "-2.90")]


def test_amount_on_the_second_line_with_the_rest_of_the_description(tmp_path: Path) -> None:
    # No header words the reader knows: the rows are found by their arithmetic, and the
    # second printed line carries an article number, the rest of the name and the amount.
    rows = [
        (20, 20, "Musterlieferant GmbH", False), (120, 20, "Rechnung", False),
        (120, 30, "Rechnung Nr. 4711", False), (120, 36, "Datum 05.03.2018", False),
        (20, 55, "Muster-Kunde GmbH", False),
        (20, 85, "Pos", False), (55, 85, "Bez.", False), (110, 85, "EP", False),
        (140, 85, "Mg.", False), (190, 85, "Wert", True),
        (20, 92, "1", False), (55, 92, "Mineralwasser Medium", False),
        (110, 92, "5,4900", False), (140, 92, "20", False),
        (20, 97, "4000001234561", False), (55, 97, "12 x 1,0l PET", False),
        (190, 97, "109,80", True),
        (20, 104, "2", False), (55, 104, "Pfand", False), (110, 104, "2,7700", False),
        (140, 104, "20", False), (190, 104, "55,40", True),
        (120, 120, "Nettobetrag", False), (190, 120, "165,20", True),
        (120, 126, "USt. 19%", False), (190, 126, "31,39", True),
        (120, 132, "Gesamtbetrag", False), (190, 132, "196,59", True),
    ]
    result = read_invoice(_draw(tmp_path / "second_line.pdf", rows))
    lines = result.fields["lines"]
    assert [(ln["description"], ln["quantity"], ln["amount"]) for ln in lines] == [
        ("Mineralwasser Medium 12 x 1,0l PET", "20", "109.80"), ("Pfand", "20", "55.40")]


def test_price_base_quantity_and_notes_between_rows(tmp_path: Path) -> None:
    # 'Basismenge: 100 Stk' (EN 16931 BT-149): the price is per 100 units, so
    # 0,50 x 400 / 100 = 2,00; each row has notes under it and its amount on its second line.
    rows = [
        (20, 20, "Musterlieferant GmbH", False), (120, 20, "Rechnung", False),
        (120, 30, "Rechnung Nr. 4712", False), (120, 36, "Datum 05.03.2018", False),
        (20, 55, "Muster-Kunde GmbH", False),
        (20, 85, "Pos", False), (55, 85, "Beschreibung", False), (110, 85, "Einzelpreis", False),
        (140, 85, "Menge", False), (190, 85, "Betrag", True),
        (20, 92, "1", False), (55, 92, "Schrauben M4", False), (110, 92, "0,50", False),
        (140, 92, "400 Stk", False),
        (55, 97, "Basismenge: 100 Stk", False), (190, 97, "2,00", True),
        (55, 107, "Herkunftsland: DE", False),
        (20, 115, "2", False), (55, 115, "Muttern M4", False), (110, 115, "0,80", False),
        (140, 115, "200 Stk", False),
        (55, 120, "Basismenge: 100 Stk", False), (190, 120, "1,60", True),
        (55, 130, "Herkunftsland: DE", False),
        (120, 142, "Nettobetrag", False), (190, 142, "3,60", True),
        (120, 148, "USt. 19%", False), (190, 148, "0,68", True),
        (120, 154, "Gesamtbetrag", False), (190, 154, "4,28", True),
    ]
    result = read_invoice(_draw(tmp_path / "base.pdf", rows))
    assert [(ln["description"], ln["quantity"], ln["unit_price"], ln["amount"])
            for ln in result.fields["lines"]] == [
        ("Schrauben M4", "400", "0.50", "2.00"), ("Muttern M4", "200", "0.80", "1.60")]
    assert not [r for r in result.reasons if r.startswith("line")], result.reasons


def test_empty_price_column_is_filled_from_amount_and_base_quantity(tmp_path: Path) -> None:
    rows = [
        (20, 20, "Musterlieferant GmbH", False), (120, 20, "Rechnung", False),
        (120, 30, "Rechnung Nr. 4713", False), (120, 36, "Datum 05.03.2018", False),
        (20, 55, "Muster-Kunde GmbH", False),
        (20, 85, "Pos", False), (55, 85, "Beschreibung", False), (110, 85, "Einzelpreis", False),
        (140, 85, "Menge", False), (190, 85, "Betrag", True),
        (20, 92, "1", False), (55, 92, "Stahlcoil", False), (140, 92, "10 Stk", False),
        (55, 97, "Basismenge: 1 Stk", False), (190, 97, "1.000,00", True),
        (120, 120, "Nettobetrag", False), (190, 120, "1.000,00", True),
        (120, 126, "USt. 0%", False), (190, 126, "0,00", True),
        (120, 132, "Gesamtbetrag", False), (190, 132, "1.000,00", True),
    ]
    result = read_invoice(_draw(tmp_path / "noprice.pdf", rows))
    assert [(ln["description"], ln["quantity"], ln["unit_price"], ln["amount"])
            for ln in result.fields["lines"]] == [("Stahlcoil", "10", "100.00", "1000.00")]
