"""Invoices a real business could send that the reader's rules for unlabelled pages (the
window addressee, a letter's lone date, a number in running text, a total row carrying its
own sum, the account holder, a registered-name row) could misread. Each test draws a small
real PDF and asserts the safe outcome: the right value, or no value, or ``review``, never a
wrong value under ``ok``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

from robots.invoices.reader import Extraction, read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.drawing import draw_pdf
from tests.invoices.test_addressee import _letterhead_and_meta as _german_letterhead
from tests.invoices.test_party_layouts import IBAN, _table_and_totals


def _read(tmp_path: Path, draw: Callable[[FPDF], None], name: str = "doc") -> Extraction:
    return read_invoice(draw_pdf(tmp_path, draw, name))


def _safe(result: Extraction, field: str, truth: Any) -> bool:
    """The field is right, or missing, or the invoice goes to a person."""
    value = result.fields[field]
    return value == truth or value is None or result.status.value == "review"


def _block(pdf: FPDF, x: float, y: float, lines: tuple[str, ...], size: float = 10) -> None:
    for i, text in enumerate(lines):
        put(pdf, x, y + 5 * i, text, size)


# ---- the address in the envelope window ----------------------------------------------

@pytest.mark.parametrize("heading", ["Lieferadresse:", "Ship to", "Lieferanschrift"])
def test_a_labelled_delivery_address_in_the_window_band_is_not_the_buyer(
        tmp_path: Path, heading: str) -> None:
    def draw(pdf: FPDF) -> None:
        _german_letterhead(pdf)
        _block(pdf, 20, 22, ("Gasthaus Linde", "Lindenplatz 2", "79117 Freiburg"))
        put(pdf, 20, 50, heading, 8, bold=True)
        _block(pdf, 20, 55, ("Festzelt Messplatz", "Europaplatz 1", "79108 Freiburg"))
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] != "Festzelt Messplatz"
    assert _safe(result, "buyer_name", "Gasthaus Linde")


@pytest.mark.parametrize(("endorsement", "return_line"), [
    ("Einschreiben", True), ("Persönlich/Vertraulich", False),
    ("Private & Confidential", False)])
def test_a_postal_endorsement_over_the_window_address_is_not_its_name(
        tmp_path: Path, endorsement: str, return_line: bool) -> None:
    def draw(pdf: FPDF) -> None:
        _german_letterhead(pdf)
        if return_line:
            put(pdf, 25, 50, "Elektro Sommer GmbH - Bahnhofstr. 7 - 79098 Freiburg", 6)
        _block(pdf, 25, 55, (endorsement, "Jonas Albrecht", "Gartenweg 3", "79100 Freiburg"))
        _table_and_totals(pdf, 100)

    assert _read(tmp_path, draw).fields["buyer_name"] == "Jonas Albrecht"


def test_a_contact_box_in_the_window_band_does_not_outrank_the_address_above_it(
        tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 268, f"Elektro Sommer GmbH · IBAN {IBAN}", 7)
        put(pdf, 120, 20, "Elektro Sommer GmbH", 14, bold=True)
        # a layout with no window: the customer's address at the top left
        _block(pdf, 20, 22, ("Gasthaus Linde", "Lindenplatz 2", "79117 Freiburg"))
        # the seller's contact person and branch, in the band a window would have
        _block(pdf, 120, 50, ("Ihr Ansprechpartner", "Max Weber", "Niederlassung Süd",
                              "79098 Freiburg"))
        put(pdf, 120, 75, "Rechnung Nr. 2026-118", 10)
        put(pdf, 120, 81, "Datum: 04.03.2026", 10)
        _table_and_totals(pdf, 100)

    assert _safe(_read(tmp_path, draw), "buyer_name", "Gasthaus Linde")


def test_a_group_tagline_over_the_sellers_block_is_no_return_line(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        put(pdf, 20, 14, "Ein Unternehmen der Sommer Holding AG · Kaiserstr. 1 · "
                         "79098 Freiburg", 6)
        put(pdf, 20, 20, "Elektro Sommer GmbH", 12, bold=True)
        _block(pdf, 20, 25, ("Bahnhofstr. 7", "79098 Freiburg"))
        _block(pdf, 20, 55, ("Gasthaus Linde", "Lindenplatz 2", "79117 Freiburg"))
        put(pdf, 120, 60, "Rechnung Nr. 2026-118", 10)
        put(pdf, 120, 66, "Datum: 04.03.2026", 10)
        put(pdf, 15, 268, f"Elektro Sommer GmbH · IBAN {IBAN}", 7)
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["vendor_name"] == "Elektro Sommer GmbH"
    assert _safe(result, "buyer_name", "Gasthaus Linde")


# ---- a letter's lone date and a number in running text -------------------------------

def _english_letterhead(pdf: FPDF) -> None:
    put(pdf, 15, 20, "Kestrel Joinery Ltd", 14, bold=True)
    put(pdf, 15, 26, "4 Mill Lane, Bristol BS1 4DJ", 8)
    put(pdf, 15, 268, f"Kestrel Joinery Ltd · IBAN {IBAN}", 7)


@pytest.mark.parametrize("size", [8, 10])
def test_a_date_under_a_word_the_dictionary_lacks_is_not_the_letters_date(
        tmp_path: Path, size: float) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 150, 50, "Lieferung", size)  # the delivery date, under its own word
        put(pdf, 150, 55, "02.03.2026", 10)
        put(pdf, 15, 75, "Rechnung 2026-118", 12, bold=True)
        _table_and_totals(pdf, 100)
        put(pdf, 15, 150, "Rechnung erstellt am 07.04.2026 in Freiburg.", 9)

    assert _safe(_read(tmp_path, draw), "issue_date", "2026-04-07")


def test_two_lone_dates_in_the_upper_half_give_no_issue_date(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 150, 50, "02.03.2026", 10)
        put(pdf, 150, 75, "07.04.2026", 10)
        put(pdf, 15, 80, "Rechnung Nr. 2026-118", 12, bold=True)
        _table_and_totals(pdf, 100)

    assert _safe(_read(tmp_path, draw), "issue_date", "2026-04-07")


def test_the_order_date_in_a_reference_line_is_not_the_letters_date(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        for x, label, value in ((20, "Ihr Zeichen", "ab/12"),
                                (60, "Ihre Bestellung vom", "02.03.2026"),
                                (110, "Rechnungsnummer", "2026-118")):
            put(pdf, x, 85, label, 7)
            put(pdf, x, 89, value, 10)
        put(pdf, 195, 75, "Freiburg, den 7. April 2026", 10, right=True)
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["invoice_number"] == "2026-118"
    assert _safe(result, "issue_date", "2026-04-07")


def test_a_credit_note_citing_the_invoice_it_cancels_does_not_take_its_number(
        tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 150, 20, "CREDIT NOTE", 16, bold=True)
        put(pdf, 150, 28, "CN-0042", 11)
        put(pdf, 150, 70, "22 July 2026", 10)
        put(pdf, 15, 92, "This credit note cancels our invoice no. 2026-0011.", 10)
        _table_and_totals(pdf, 100)

    assert _safe(_read(tmp_path, draw), "invoice_number", "CN-0042")


def test_a_reminder_quoting_a_dated_invoice_does_not_take_its_number(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 15, 50, "Payment reminder R-7", 16, bold=True)
        put(pdf, 150, 70, "22 July 2026", 10)
        put(pdf, 15, 92, "Our invoice no. 2026-0011 of 12 March 2026 is still unpaid.", 10)
        _table_and_totals(pdf, 100)

    assert _safe(_read(tmp_path, draw), "invoice_number", "R-7")


def test_an_invoice_deducting_an_earlier_one_keeps_its_own_number(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 150, 20, "INVOICE", 20, bold=True)
        put(pdf, 150, 28, "No 2026-0020", 11)
        put(pdf, 150, 70, "22 July 2026", 10)
        put(pdf, 15, 92, "Less the advance paid on our invoice no. 2026-0011 (see below).", 10)
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["invoice_number"] == "2026-0020"
    assert result.fields["issue_date"] == "2026-07-22"


# ---- the payee is not always the seller ----------------------------------------------

def _factored_invoice(pdf: FPDF, letterhead: bool) -> None:
    pdf.set_fill_color(30, 60, 120)
    pdf.rect(15, 10, 50, 18, style="F")  # the seller's logo: a picture, no text
    if letterhead:
        put(pdf, 15, 35, "Elektro Sommer GmbH", 14, bold=True)
    put(pdf, 130, 40, "Rechnung Nr. 2026-118", 10)
    put(pdf, 130, 46, "Datum: 04.03.2026", 10)
    _table_and_totals(pdf, 80)
    put(pdf, 20, 150, "Die Forderung ist abgetreten an:", 9)
    _block(pdf, 20, 155, ("Nordfactor GmbH", "Hafenstraße 1, 20457 Hamburg"), 9)
    put(pdf, 20, 170, f"Kontoinhaber: Nordfactor GmbH · IBAN {IBAN}", 9)


def test_a_factor_named_as_the_account_holder_is_not_taken_for_the_seller(
        tmp_path: Path) -> None:
    result = _read(tmp_path, lambda pdf: _factored_invoice(pdf, letterhead=False))
    assert _safe(result, "vendor_name", None)
    # a letterhead still names the seller, whoever holds the account
    result = _read(tmp_path, lambda pdf: _factored_invoice(pdf, letterhead=True))
    assert _safe(result, "vendor_name", "Elektro Sommer GmbH")


def test_a_factor_alone_in_the_footer_without_an_assignment_notice_is_only_a_guess(
        tmp_path: Path) -> None:
    """Nothing on the page says the claim was sold: the footer's payment box names the
    factor alone, as a seller's own footer could. The page cannot tell them apart, so a
    person does."""
    def draw(pdf: FPDF) -> None:
        put(pdf, 130, 40, "Rechnung Nr. 2026-119", 10)
        put(pdf, 130, 46, "Datum: 05.03.2026", 10)
        _table_and_totals(pdf, 80)
        _block(pdf, 20, 265, ("Nordfactor GmbH",), 8)
        put(pdf, 20, 270, f"Kontoinhaber: Nordfactor GmbH · IBAN {IBAN}", 8)

    result = _read(tmp_path, draw)
    assert result.fields["vendor_name"] in (None, "Nordfactor GmbH")
    assert result.status.value == "review"
    assert result.confidence["vendor_name"] < 0.8


# ---- a registered-name row and a delivery block --------------------------------------

def _english_totals(pdf: FPDF) -> None:
    put(pdf, 130, 40, "Invoice No. 2026-118", 10)
    put(pdf, 130, 46, "Invoice date: 14/03/2026", 10)
    _table_and_totals(pdf, 80)


def test_a_company_name_row_in_a_customer_block_is_not_the_seller(tmp_path: Path) -> None:
    def draw(pdf: FPDF, heading: str, key: str) -> None:
        _english_letterhead(pdf)
        put(pdf, 15, 50, heading, 9, bold=True)
        put(pdf, 15, 56, f"{key} Harbour Cafe Ltd", 9)
        put(pdf, 15, 62, "Pier 3, Bristol BS1 5TT", 9)
        _english_totals(pdf)

    for heading, key in (("Your details", "Company name:"), ("Delivery", "Name:")):
        result = _read(tmp_path, lambda pdf, h=heading, k=key: draw(pdf, h, k))
        assert _safe(result, "vendor_name", "Kestrel Joinery Ltd"), heading


@pytest.mark.parametrize("heading", ["Delivery", "Delivery address", "Shipping address"])
def test_a_lone_delivery_block_is_not_the_addressee(tmp_path: Path, heading: str) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 15, 50, heading, 10, bold=True)
        _block(pdf, 15, 55, ("Harbour Cafe Kiosk", "Pier 3", "Bristol BS1 5TT"))
        _english_totals(pdf)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] != heading
    assert _safe(result, "buyer_name", None)


# ---- a total row carrying its own sum ------------------------------------------------

def _lines_table(pdf: FPDF, y: float, rows: tuple[tuple[str, str, str, str], ...]) -> float:
    for text, x, right in (("Description", 20, False), ("Qty", 120, True),
                           ("Unit price", 155, True), ("Amount", 195, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for i, (desc, qty, price, amount) in enumerate(rows):
        put(pdf, 20, y + 7 + 6 * i, desc)
        for x, value in ((120, qty), (155, price), (195, amount)):
            put(pdf, x, y + 7 + 6 * i, value, right=True)
    return y + 7 + 6 * len(rows)


def test_goods_plus_shipping_on_the_total_row_is_no_tax(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 130, 40, "Invoice No. 2026-118", 10)
        put(pdf, 130, 46, "Invoice date: 14/03/2026", 10)
        y = _lines_table(pdf, 80, (("Oak shelf", "2", "50.00", "100.00"),))
        for x, head in ((120, "Goods"), (155, "Shipping"), (195, "Total")):
            put(pdf, x, y + 8, head, 8, bold=True, right=True)
        put(pdf, 20, y + 14, "Total", bold=True)
        for x, value in ((120, "100.00"), (155, "5.00"), (195, "105.00")):
            put(pdf, x, y + 14, value, right=True, bold=True)
        put(pdf, 20, y + 30, "No VAT charged: small business scheme. Amounts in EUR.", 8)

    result = _read(tmp_path, draw)
    assert _safe(result, "tax_amount", None)
    # the row's sum is its total, not the first of its parts
    assert _safe(result, "total_amount", "105.00")


def test_vat_breakdown_rows_named_total_do_not_hide_the_amount_due(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 130, 40, "Invoice No. 2026-118", 10)
        put(pdf, 130, 46, "Invoice date: 14/03/2026", 10)
        y = _lines_table(pdf, 80, (("Oak shelf", "2", "50.00", "100.00"),
                                   ("Book, joinery", "1", "50.00", "50.00")))
        for x, head in ((80, "Rate"), (120, "Net"), (155, "VAT"), (195, "Gross")):
            put(pdf, x, y + 8, head, 8, bold=True, right=True)
        for i, row in enumerate((("20%", "100.00", "20.00", "120.00"),
                                 ("5%", "50.00", "2.50", "52.50"))):
            put(pdf, 20, y + 14 + 6 * i, f"Total {row[0]}")
            for x, value in zip((80, 120, 155, 195), row, strict=True):
                put(pdf, x, y + 14 + 6 * i, value, right=True)
        put(pdf, 120, y + 32, "Amount due EUR", bold=True)
        put(pdf, 195, y + 32, "172.50", right=True, bold=True)

    result = _read(tmp_path, draw)
    assert _safe(result, "total_amount", "172.50")
    assert _safe(result, "tax_amount", "22.50")
    assert _safe(result, "net_amount", "150.00")


# ---- a self-billed invoice is written by the buyer -----------------------------------

@pytest.mark.parametrize("return_line", [True, False])
def test_a_self_billed_letter_does_not_take_its_issuer_for_the_seller(
        tmp_path: Path, return_line: bool) -> None:
    def draw(pdf: FPDF) -> None:
        # the buyer writes the invoice for its supplier (Gutschriftsverfahren): letterhead
        # and return line are the buyer's, the window address is the seller's
        put(pdf, 120, 20, "Stadtwerke Freiburg GmbH", 14, bold=True)
        put(pdf, 120, 26, "Kaiserstr. 1, 79098 Freiburg", 8)
        if return_line:
            put(pdf, 25, 50, "Stadtwerke Freiburg GmbH - Kaiserstr. 1 - 79098 Freiburg", 6)
        _block(pdf, 25, 55, ("Solarpark Huber GbR", "Mühlenweg 3", "79100 Freiburg"))
        put(pdf, 120, 60, "Gutschrift Nr. GS-2026-118", 10)
        put(pdf, 120, 66, "Datum: 04.03.2026", 10)
        put(pdf, 25, 85, "Gutschrift (Selbst ausgestellte Rechnung)", 10, bold=True)
        _table_and_totals(pdf, 100)
        put(pdf, 15, 268, f"Auszahlung auf Ihr Konto IBAN {IBAN}", 7)

    result = _read(tmp_path, draw)
    assert _safe(result, "vendor_name", "Solarpark Huber GbR")
    assert _safe(result, "buyer_name", "Stadtwerke Freiburg GmbH")


def test_a_date_over_a_small_caption_is_that_captions_not_the_letters(
        tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 150, 50, "02.03.2026", 10)
        put(pdf, 150, 54, "Lieferdatum", 7)  # a form's caption under its value
        put(pdf, 15, 75, "Rechnung 2026-118", 12, bold=True)
        _table_and_totals(pdf, 100)

    assert _safe(_read(tmp_path, draw), "issue_date", None)


# ---- numbers and dates with a label of their own -------------------------------------

def test_an_order_number_under_the_title_is_not_the_invoice_number(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 150, 20, "INVOICE", 20, bold=True)
        put(pdf, 150, 28, "# PO-4471", 11)
        put(pdf, 150, 70, "22 July 2026", 10)
        _table_and_totals(pdf, 100)

    assert _safe(_read(tmp_path, draw), "invoice_number", None)


def test_a_reference_line_date_contradicting_the_titles_date_goes_to_review(
        tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 15, 50, "Rechnung Nr. 2026-118 vom 07.04.2026", 12, bold=True)
        # 'Datum' beside 'Ihr Auftrag': the order's date
        for x, label, value in ((20, "Ihr Auftrag", "A-4471"), (60, "Datum", "02.03.2026"),
                                (110, "Kunde", "4711")):
            put(pdf, x, 62, label, 7)
            put(pdf, x, 66, value, 10)
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["invoice_number"] == "2026-118"
    assert _safe(result, "issue_date", "2026-04-07")


def _service_table(pdf: FPDF, y: float, first: tuple[str, str]) -> None:
    """A line table whose first column is a date or a position number."""
    cols = ((first[0], 20, False), ("Leistung", 50, False), ("Menge", 130, True),
            ("Preis", 160, True), ("Betrag", 195, True))
    row = (first[1], "Consulting, hour", "4", "250.00", "1,000.00")
    for (head, x, right), value in zip(cols, row, strict=True):
        put(pdf, x, y, head, 8, bold=True, right=right)
        put(pdf, x, y + 5, value, 9, right=right)
    for i, (label, value) in enumerate((("Subtotal", "1,000.00"), ("VAT 24%", "240.00"),
                                         ("Total EUR", "1,240.00"))):
        put(pdf, 130, y + 20 + 6 * i, label)
        put(pdf, 195, y + 20 + 6 * i, value, right=True)


def test_a_date_column_of_the_line_table_is_no_reference_line(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 160, 45, "07.04.2026", 10)  # the letter's date
        put(pdf, 15, 60, "Rechnung Nr. 2026-118", 12, bold=True)
        _service_table(pdf, 80, ("Datum", "02.03.2026"))

    assert _safe(_read(tmp_path, draw), "issue_date", "2026-04-07")


def test_a_position_column_of_the_line_table_gives_no_number(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 160, 45, "Datum: 07.04.2026", 10)
        put(pdf, 15, 60, "Rechnung 2026-118", 12, bold=True)
        _service_table(pdf, 80, ("Nr.", "1"))

    assert _safe(_read(tmp_path, draw), "invoice_number", "2026-118")


def test_a_keyed_line_in_the_window_band_is_not_an_unlabelled_address(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        put(pdf, 120, 20, "Elektro Sommer GmbH", 14, bold=True)
        put(pdf, 15, 268, f"Elektro Sommer GmbH · IBAN {IBAN}", 7)
        _block(pdf, 20, 50, ("Lieferung an: Festzelt Messplatz", "Europaplatz 1",
                             "79108 Freiburg"))
        put(pdf, 120, 60, "Rechnung Nr. 2026-118", 10)
        put(pdf, 120, 66, "Datum: 04.03.2026", 10)
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] != "Lieferung an: Festzelt Messplatz"
    assert _safe(result, "buyer_name", None)


def test_the_sellers_own_block_in_the_window_band_is_not_the_buyer(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        pdf.set_fill_color(30, 60, 120)
        pdf.rect(15, 10, 50, 18, style="F")  # logo
        _block(pdf, 20, 50, ("Elektro Sommer GmbH", "Bahnhofstr. 7", "79098 Freiburg"))
        put(pdf, 120, 60, "Rechnung Nr. 2026-118", 10)
        put(pdf, 120, 66, "Datum: 04.03.2026", 10)
        put(pdf, 120, 72, "Kunde: 4711", 10)  # a recipient label naming no one
        _table_and_totals(pdf, 100)
        put(pdf, 15, 268, f"Sommer Elektro · IBAN {IBAN}", 7)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] != "Elektro Sommer GmbH"
    assert _safe(result, "vendor_name", "Elektro Sommer GmbH")


def test_reference_values_not_flush_under_their_labels_are_not_guessed(
        tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        for x, label, value in ((20, "Kundennummer", "K-30475"),
                                (80, "Rechnungsnummer", "2026-118"),
                                (150, "Datum", "07.04.2026")):
            put(pdf, x, 60, label, 7)
            put(pdf, x + 40, 64, value, 10, right=True)
        _table_and_totals(pdf, 80)

    result = _read(tmp_path, draw)
    assert _safe(result, "issue_date", "2026-04-07")
    assert _safe(result, "invoice_number", "2026-118")


@pytest.mark.parametrize("first", ["Kreditorenbuchhaltung", "Accounts Payable",
                                   "Herrn Jonas Albrecht"])
def test_a_department_or_person_over_the_company_in_the_window_is_doubtful(
        tmp_path: Path, first: str) -> None:
    def draw(pdf: FPDF) -> None:
        _german_letterhead(pdf)
        _block(pdf, 20, 50, (first, "Müller Bau GmbH", "Gartenweg 3", "79100 Freiburg"))
        _table_and_totals(pdf, 100)

    assert _safe(_read(tmp_path, draw), "buyer_name", "Müller Bau GmbH")


def test_a_cash_discount_rate_does_not_make_shipping_a_tax(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 130, 40, "Invoice No. 2026-118", 10)
        put(pdf, 130, 46, "Invoice date: 14/03/2026", 10)
        y = _lines_table(pdf, 80, (("Oak shelf", "2", "50.00", "100.00"),))
        for x, head in ((120, "Goods"), (155, "Shipping"), (195, "Total")):
            put(pdf, x, y + 8, head, 8, bold=True, right=True)
        put(pdf, 20, y + 14, "Total", bold=True)
        for x, value in ((120, "100.00"), (155, "2.00"), (195, "102.00")):
            put(pdf, x, y + 14, value, right=True, bold=True)
        put(pdf, 20, y + 30, "Small business, no VAT charged. Amounts in EUR. 2% discount "
                             "if paid within 10 days.", 8)

    result = _read(tmp_path, draw)
    assert _safe(result, "tax_amount", None)
    assert _safe(result, "total_amount", "102.00")


def test_a_service_period_alone_on_its_line_is_no_letter_date(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _english_letterhead(pdf)
        put(pdf, 15, 60, "Rechnung Nr. 2026-118", 12, bold=True)
        put(pdf, 15, 67, "01.03.2026 - 31.03.2026", 10)
        _table_and_totals(pdf, 100)

    assert _safe(_read(tmp_path, draw), "issue_date", None)
