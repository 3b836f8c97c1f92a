"""German invoices as wholesale and ERP programs lay them out: keys hyphenated between
their words ('Beleg-Nr', 'Beleg-Datum'), a closing table of one row per VAT rate under
'Nettobetrag | MwSt-Betrag | Endbetrag' that ends in a row of their sums, a seller block
whose first line is a company named after its role ('Lieferant GmbH'). Each test draws a
small real PDF and reads it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from fpdf import FPDF

from robots.invoices.labels import FIELD_INDEX, match_label
from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.drawing import draw_pdf


def _amounts(fields: dict) -> tuple[str, str, str]:
    return fields["net_amount"], fields["tax_amount"], fields["total_amount"]


def test_a_key_hyphenated_between_its_words_is_the_compound_label() -> None:
    assert match_label("beleg-datum : 16.09.2013", FIELD_INDEX) == (
        "issue_date", "belegdatum", " : 16.09.2013")
    delivery = match_label("leistungs-datum : 05.08.2013", FIELD_INDEX)
    assert delivery is not None and delivery[0] == "other"
    # a hyphen before another word is still no label ('alv-tunniste' is not 'alv')
    assert match_label("alv-tunniste 123", FIELD_INDEX) is None


def _closing_table(rows: Sequence[Sequence[str]]) -> Callable[[FPDF], None]:
    """A wholesale invoice: keys with hyphens, no line table, then the VAT table."""
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 20, "Lieferant", 8)
        put(pdf, 15, 25, "NORDGROSS HANDEL GMBH", 9)
        put(pdf, 15, 30, "HAFENSTRASSE 12", 9)
        put(pdf, 15, 35, "20457 HAMBURG", 9)
        put(pdf, 15, 42, "USt-IdNr : DE136695976", 9)
        put(pdf, 130, 20, "W A R E N R E C H N U N G", 10, bold=True)
        put(pdf, 130, 28, "Beleg-Nr", 9)
        put(pdf, 160, 28, ":", 9)
        put(pdf, 164, 28, "R5550123", 9)
        put(pdf, 130, 33, "Beleg-Datum", 9)
        put(pdf, 160, 33, ":", 9)
        put(pdf, 164, 33, "14.05.2026", 9)
        put(pdf, 130, 38, "Bestell-Datum", 9)
        put(pdf, 160, 38, ":", 9)
        put(pdf, 164, 38, "02.05.2026", 9)
        heads = (("Warenwert", 40), ("Nettobetrag", 95), ("MwSt-Betrag", 125),
                 ("MwSt-%", 145), ("Endbetrag", 195))
        for text, x in heads:
            put(pdf, x, 200, text, 8, right=True)
        for i, row in enumerate(rows):
            for (_, x), text in zip(heads, row, strict=True):
                put(pdf, x, 206 + 5 * i + (3 if i == len(rows) - 1 else 0), text, 8, right=True)
    return draw


def test_the_row_of_sums_under_a_vat_table_is_the_invoice_total(tmp_path: Path) -> None:
    rows = (("326,50", "321,40", "61,07", "19,0", "382,47"),
            ("130,70", "127,59", "8,93", "7,0", "136,52"),
            ("457,20", "448,99", "70,00", "EUR", "518,99"))
    fields = read_invoice(draw_pdf(tmp_path, _closing_table(rows), "waren")).fields
    assert _amounts(fields) == ("448.99", "70.00", "518.99")
    assert (fields["invoice_number"], fields["issue_date"]) == ("R5550123", "2026-05-14")


def test_a_credit_notes_negative_sum_row_is_read_too(tmp_path: Path) -> None:
    rows = (("-5,00", "-4,85", "-0,92", "19,0", "-5,77"),
            ("-2,90", "-2,82", "-0,20", "7,0", "-3,02"),
            ("-7,90", "-7,67", "-1,12", "EUR", "-8,79"))
    fields = read_invoice(draw_pdf(tmp_path, _closing_table(rows), "korrektur")).fields
    assert _amounts(fields) == ("-7.67", "-1.12", "-8.79")


def test_a_column_that_does_not_end_in_its_sum_keeps_its_row(tmp_path: Path) -> None:
    # one rate: the single row is the invoice's; no sum row to prefer
    rows = (("326,50", "321,40", "61,07", "19,0", "382,47"),)
    fields = read_invoice(draw_pdf(tmp_path, _closing_table(rows), "one-rate")).fields
    assert _amounts(fields) == ("321.40", "61.07", "382.47")


def _issuer_block(pdf: FPDF) -> None:
    put(pdf, 15, 15, "Rechnungsersteller", 8)
    put(pdf, 18, 20, "Lieferant GmbH", 10)
    put(pdf, 18, 25, "Lieferantenstraße 20", 10)
    put(pdf, 18, 30, "80333 München", 10)
    put(pdf, 15, 45, "Rechnungsempfänger", 8)
    put(pdf, 18, 50, "Kunden AG Mitte", 10)
    put(pdf, 18, 55, "Kundenstraße 15", 10)
    put(pdf, 18, 60, "69876 Frankfurt", 10)
    put(pdf, 120, 20, "RECHNUNG", 12, bold=True)
    put(pdf, 120, 26, "Rechnungsnummer", 9)
    put(pdf, 195, 26, "471102", 9, right=True)
    put(pdf, 120, 31, "Rechnungsdatum", 9)
    put(pdf, 195, 31, "05.03.2013", 9, right=True)
    put(pdf, 20, 100, "Rechnungssumme Netto (excl. USt.)", 9)
    put(pdf, 180, 100, "198,00", 9, right=True)
    put(pdf, 20, 105, "Steuerbasisbetrag USt. 19%", 9)
    put(pdf, 165, 105, "198,00", 9, right=True)
    put(pdf, 180, 105, "37,62", 9, right=True)
    put(pdf, 20, 111, "Rechnungssumme Brutto (inkl. USt.)", 9)
    put(pdf, 180, 111, "235,62", 9, right=True)
    put(pdf, 15, 130, "IBAN-Nr.: DE89 3704 0044 0532 0130 00   USt.-Identnr.: DE136695976", 8)


def test_a_company_named_after_its_role_is_a_name_not_a_label(tmp_path: Path) -> None:
    fields = read_invoice(draw_pdf(tmp_path, _issuer_block, "issuer")).fields
    assert (fields["vendor_name"], fields["buyer_name"]) == ("Lieferant GmbH",
                                                             "Kunden AG Mitte")
    assert _amounts(fields) == ("198.00", "37.62", "235.62")


def _article_rows(rate_line: str) -> Callable[[FPDF], None]:
    """Rows that print article codes and figures only, each name on the line under them
    (after a customer's article code), the VAT rate column without '%'."""
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 20, "Nordgross Handel GmbH", 12, bold=True)
        put(pdf, 130, 20, "Rechnung", 12, bold=True)
        put(pdf, 130, 27, "Rechnungsnummer: R-2026-118")
        put(pdf, 130, 32, "Rechnungsdatum: 14.05.2026")
        heads = (("GTIN", 15, False), ("Art-Nr", 45, False), ("Menge", 95, True),
                 ("VKE", 110, True), ("Nettopreis", 135, True), ("MwSt-%", 160, True),
                 ("Nettowert", 195, True))
        for text, x, right in heads:
            put(pdf, x, 80, text, 8, right=right)
        rows = (("4012345000016", "ZS997", "100,0000", "1", "1,0000", "19,0", "100,00",
                 "K4321", "Zitronensäure 100ml"),
                ("4012345000023", "GZ250", "50,0000", "6", "1,4500", "7,0", "72,50",
                 "K4322", "Gelierzucker Extra 250g"))
        for i, (gtin, art, qty, pack, price, rate, amount, own, name) in enumerate(rows):
            y = 88 + 12 * i
            for (_, x, right), text in zip(heads, (gtin, art, qty, pack, price, rate, amount),
                                           strict=True):
                put(pdf, x, y, text, 8, right=right)
            put(pdf, 15, y + 4, own, 8)
            put(pdf, 45, y + 4, name, 8)
        put(pdf, 110, 130, "Nettobetrag", 9)
        put(pdf, 195, 130, "172,50", 9, right=True)
        put(pdf, 110, 135, rate_line, 9)
        put(pdf, 195, 135, "24,08", 9, right=True)
        put(pdf, 110, 140, "Endbetrag", 9)
        put(pdf, 195, 140, "196,58", 9, right=True)
    return draw


def _rows(fields: dict) -> list[tuple[str, str, str, str, str | None]]:
    return [(ln["description"], ln["quantity"], ln["unit_price"], ln["amount"],
             ln["tax_rate"]) for ln in fields["lines"]]


def test_a_row_of_codes_and_figures_takes_its_name_from_the_line_under_it(
        tmp_path: Path) -> None:
    fields = read_invoice(draw_pdf(tmp_path, _article_rows("MwSt 19% und 7%"),
                                   "articles")).fields
    assert _rows(fields) == [
        ("Zitronensäure 100ml", "100", "1.00", "100.00", "19"),
        ("Gelierzucker Extra 250g", "50", "1.45", "72.50", "7")]


def test_a_bare_number_is_a_rate_only_when_the_page_states_that_rate(tmp_path: Path) -> None:
    # no rate is stated outside the rows: '19,0' and '7,0' may be anything, left empty
    fields = read_invoice(draw_pdf(tmp_path, _article_rows("MwSt"), "no-rates")).fields
    assert [r[4] for r in _rows(fields)] == [None, None]
    assert [r[0] for r in _rows(fields)] == ["Zitronensäure 100ml", "Gelierzucker Extra 250g"]


def _premium_letter(pdf: FPDF) -> None:
    """An insurer's premium invoice, as a letter: opening hours in the letterhead, the date
    at the right of the subject line, the tax stacked between premium and total."""
    put(pdf, 25, 25, "Hanseatische Versicherung a.G.", 10)
    put(pdf, 25, 40, "Frau", 10)
    put(pdf, 25, 44, "Erika Beispiel", 10)
    put(pdf, 25, 48, "Lindenweg 3", 10)
    put(pdf, 25, 52, "20095 Hamburg", 10)
    put(pdf, 25, 62, "Servicebüro Mo.-Fr. 08.30 - 12.30 Uhr und 14.00 - 17.00 Uhr", 9)
    put(pdf, 25, 66, "Sa 9.00-13.00 Uhr, Hotline 8.00-20.00 Uhr", 9)
    put(pdf, 25, 85, "Beitragsrechnung", 10, bold=True)
    put(pdf, 185, 85, "24. Januar 2026", 10, right=True)
    put(pdf, 25, 100, "Ihr Beitrag für den Zeitraum vom 06.12.2025 bis zum 06.12.2026:", 10)
    put(pdf, 25, 110, "Hausratversicherung", 10)
    put(pdf, 120, 110, "1.250,00 €", 10, right=True)
    put(pdf, 25, 115, "Versicherungsteuer 19 %", 10)
    put(pdf, 120, 115, "237,50 €", 10, right=True)
    put(pdf, 25, 120, "Zu zahlender Beitrag", 10)
    put(pdf, 120, 120, "1.487,50 €", 10, right=True)
    put(pdf, 25, 135, "IBAN DE89 3704 0044 0532 0130 00", 10)


def test_a_tax_between_two_figures_that_add_up_names_net_and_total(tmp_path: Path) -> None:
    result = read_invoice(draw_pdf(tmp_path, _premium_letter, "premium"))
    assert _amounts(result.fields) == ("1250.00", "237.50", "1487.50")
    # the subject line's date is the letter's; opening hours are no amounts with a '.'
    assert result.fields["issue_date"] == "2026-01-24"
    assert result.fields["currency"] == "EUR"


def test_opening_hours_do_not_decide_the_decimal_mark() -> None:
    from robots.invoices.parsing import detect_decimal

    assert detect_decimal("Mo.-Fr. 08.30 - 12.30 Uhr, 14.00-17.00 Uhr, Sa 8.00-14.00 Uhr\n"
                          "Beitrag 1.000,00 €\nSteuer 163,40 €") == ","


def _numbered_parties(pdf: FPDF) -> None:
    put(pdf, 15, 20, "Lieferant", 8)
    put(pdf, 75, 20, "Käufer", 8)
    put(pdf, 140, 20, "RECHNUNG", 11, bold=True)
    put(pdf, 15, 24, "GLN 4012345000009", 8)
    put(pdf, 48, 24, "Nr: 549910", 7)
    put(pdf, 75, 24, "GLN 4098765000004", 8)
    put(pdf, 15, 28, "NORDGROSS HANDEL GMBH", 9)
    put(pdf, 75, 28, "FEINKOST BERGER KG", 9)
    put(pdf, 140, 28, "Rechnungsnummer: R-77120")
    put(pdf, 15, 32, "HAFENSTRASSE 12", 9)
    put(pdf, 75, 32, "MARKTPLATZ 4", 9)
    put(pdf, 140, 32, "Rechnungsdatum: 14.05.2026")
    put(pdf, 15, 36, "20457 HAMBURG", 9)
    put(pdf, 75, 36, "04109 LEIPZIG", 9)
    put(pdf, 110, 100, "Nettobetrag", 9)
    put(pdf, 195, 100, "100,00", 9, right=True)
    put(pdf, 110, 105, "MwSt 19%", 9)
    put(pdf, 195, 105, "19,00", 9, right=True)
    put(pdf, 110, 110, "Endbetrag", 9)
    put(pdf, 195, 110, "119,00", 9, right=True)


def test_a_party_number_row_under_the_label_is_passed_over_for_the_name(
        tmp_path: Path) -> None:
    fields = read_invoice(draw_pdf(tmp_path, _numbered_parties, "gln")).fields
    assert (fields["vendor_name"], fields["buyer_name"]) == ("NORDGROSS HANDEL GMBH",
                                                             "FEINKOST BERGER KG")


def _quote_with_payment(same_line: bool) -> Callable[[FPDF], None]:
    def draw(pdf: FPDF) -> None:
        _numbered_parties(pdf)
        if same_line:
            put(pdf, 110, 40, "Referenz (bitte bei Zahlung angeben)", 8)
            put(pdf, 195, 40, "2026-77120", 8, right=True)
        else:
            put(pdf, 15, 60, "Hausratversicherung   VSNR: 07.555.123.4", 9)
            put(pdf, 15, 64, "(Bei Schriftwechsel und Zahlung bitte angeben.)", 8)
    return draw


def test_the_value_to_quote_with_the_payment_is_the_payment_reference(tmp_path: Path) -> None:
    beside = read_invoice(draw_pdf(tmp_path, _quote_with_payment(True), "beside")).fields
    under = read_invoice(draw_pdf(tmp_path, _quote_with_payment(False), "under")).fields
    assert (beside["payment_reference"], under["payment_reference"]) == (
        "2026-77120", "07.555.123.4")


def _gross_premium(contained: str) -> Callable[[FPDF], None]:
    def draw(pdf: FPDF) -> None:
        put(pdf, 25, 25, "Hanseatische Versicherung a.G.", 10)
        put(pdf, 25, 44, "Erika Beispiel", 10)
        put(pdf, 25, 48, "Lindenweg 3", 10)
        put(pdf, 25, 52, "20095 Hamburg", 10)
        put(pdf, 25, 80, "Beitragsrechnung zur Kfz-Versicherung Nr. 00.123.456.7", 10)
        put(pdf, 185, 80, "11. März 2026", 10, right=True)
        put(pdf, 25, 86, "Fälligkeitstag: 01.04.2026", 10)
        put(pdf, 25, 100, "vierteljährlicher Beitrag inklusive 19 % Versicherungsteuer", 10)
        put(pdf, 170, 100, "220,00 €", 10, right=True)
        put(pdf, 25, 105, "in diesem Beitrag enthaltene Versicherungsteuer", 10)
        put(pdf, 171, 105, f"({contained} €)", 10, right=True)
        put(pdf, 25, 120, "IBAN DE89 3704 0044 0532 0130 00", 10)
    return draw


def test_a_gross_figure_with_the_tax_it_contains_is_the_total(tmp_path: Path) -> None:
    fields = read_invoice(draw_pdf(tmp_path, _gross_premium("35,13"), "gross")).fields
    assert (fields["total_amount"], fields["tax_amount"]) == ("220.00", "35.13")
    assert (fields["issue_date"], fields["due_date"]) == ("2026-03-11", "2026-04-01")


def test_a_contained_tax_that_does_not_check_out_names_no_total(tmp_path: Path) -> None:
    result = read_invoice(draw_pdf(tmp_path, _gross_premium("35,31"), "off"))
    assert result.fields["total_amount"] is None


def _your_vat_id(pdf: FPDF) -> None:
    _issuer_block(pdf)
    put(pdf, 60, 80, "Ihre USt.-IdentNr.: DE129273398", 8)


def test_ust_identnr_after_ihre_is_the_buyers(tmp_path: Path) -> None:
    fields = read_invoice(draw_pdf(tmp_path, _your_vat_id, "ihre")).fields
    assert (fields["vendor_tax_id"], fields["buyer_tax_id"]) == ("DE136695976",
                                                                 "DE129273398")


def _free_row(pdf: FPDF) -> None:
    put(pdf, 15, 20, "Nordgross Handel GmbH", 12, bold=True)
    put(pdf, 130, 20, "Rechnung", 12, bold=True)
    put(pdf, 130, 27, "Rechnungsnummer: R-2026-119")
    put(pdf, 130, 32, "Rechnungsdatum: 14.05.2026")
    # header words the dictionary lacks: the rows are found by their arithmetic
    for text, x in (("Ware", 15), ("Anz.", 110), ("je", 140), ("Wert", 190)):
        put(pdf, x, 80, text, 8, right=x > 100)
    rows = (("Zitronensäure 100ml", "100", "1,00", "100,00"),
            ("Gelierzucker 250g (ohne Berechnung)", "10", "0,00", "0,00"),
            ("Gelierzucker 250g", "50", "1,45", "72,50"),
            ("Leerzeile", "1", "0,00", "0,00"))
    for i, row in enumerate(rows):
        for (x, right), text in zip(((15, False), (110, True), (140, True), (190, True)), row,
                                    strict=True):
            put(pdf, x, 88 + 6 * i, text, 8, right=right)
    put(pdf, 110, 130, "Nettobetrag", 9)
    put(pdf, 190, 130, "172,50", 9, right=True)
    put(pdf, 110, 135, "MwSt 19%", 9)
    put(pdf, 190, 135, "32,78", 9, right=True)
    put(pdf, 110, 140, "Endbetrag", 9)
    put(pdf, 190, 140, "205,28", 9, right=True)


def test_a_free_row_among_paid_ones_is_a_line_a_trailing_one_is_not(tmp_path: Path) -> None:
    fields = read_invoice(draw_pdf(tmp_path, _free_row, "free")).fields
    assert [(r[0], r[1], r[3]) for r in _rows(fields)] == [
        ("Zitronensäure 100ml", "100", "100.00"),
        ("Gelierzucker 250g (ohne Berechnung)", "10", "0.00"),
        ("Gelierzucker 250g", "50", "72.50")]


def _debit_note(sentence: str) -> Callable[[FPDF], None]:
    def draw(pdf: FPDF) -> None:
        _issuer_block(pdf)
        put(pdf, 15, 150, sentence, 8)
    return draw


def test_the_day_a_direct_debit_is_taken_is_the_due_date(tmp_path: Path) -> None:
    debit = "Der Betrag wird am 20.03.2013 von Ihrem Konto per SEPA-Lastschrift eingezogen."
    single = "Wir buchen den Beitrag zu der Fälligkeit 21.05.2013 von Ihrem Konto ab."
    several = "Wir buchen zu den Fälligkeiten 01.07.2013, 01.10.2013 den Beitrag ab."
    due = [read_invoice(draw_pdf(tmp_path, _debit_note(text), f"debit{i}")).fields["due_date"]
           for i, text in enumerate((debit, single, several))]
    assert due == ["2013-03-20", "2013-05-21", None]
