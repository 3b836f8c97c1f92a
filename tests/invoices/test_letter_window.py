"""The window address of business letters laid out by the letter standards (DIN 5008,
ÖNORM A 1080, SN 010130, NF Z 10-011, UK/US letters), as invoicing programs vary them:
endorsements and titles over the address, a person over the company, a customer-number
label that names no one, a letterhead that is only a logo. Each test draws a small real
PDF; the last reads one random letter of each standard tuned on (``letter_layouts.py``;
the held-out standard stays unseen)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fpdf import FPDF

from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.letter_layouts import FAMILIES, HELD_OUT_FAMILY, draw_letter, make_letter
from tests.invoices.test_addressee import _letterhead_and_meta
from tests.invoices.test_adversarial_layouts import _block, _read, _safe
from tests.invoices.test_party_layouts import _table_and_totals


@pytest.mark.parametrize("endorsement", ["Persönlich", "Confidentiel",
                                         "Private & Confidential"])
def test_an_endorsement_over_the_window_address_is_no_part_of_the_name(
        tmp_path: Path, endorsement: str) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        _block(pdf, 25, 50, (endorsement, "Müller Bau GmbH", "Gartenweg 3", "79100 Freiburg"))
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] == "Müller Bau GmbH"


@pytest.mark.parametrize("lines", [("Herrn Jonas Albrecht", "Müller Bau GmbH"),
                                   ("Private & Confidential", "Ms Sarah Bennett",
                                    "Müller Bau GmbH"),
                                   ("Buchhaltung", "Müller Bau GmbH")])
def test_the_company_under_a_person_or_department_is_the_buyer_for_review(
        tmp_path: Path, lines: tuple[str, ...]) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        _block(pdf, 25, 50, (*lines, "Gartenweg 3", "79100 Freiburg"))
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] == "Müller Bau GmbH"
    assert result.status.value == "review"  # whose name a person reads first: a person checks


def _return_line_letter(pdf: FPDF, logo: bool) -> None:
    if logo:
        pdf.rect(150, 10, 45, 18, style="F")  # a letterhead with no text
    else:
        _letterhead_and_meta(pdf)
    put(pdf, 25, 50, "Elektro Sommer GmbH · Bahnhofstr. 7 · 79098 Freiburg", 6.5)
    put(pdf, 125, 50, "Customer No.", 8)
    put(pdf, 160, 50, "K45958", 9)
    _block(pdf, 25, 58, ("Müller Bau GmbH", "Gartenweg 3", "79100 Freiburg"), 11)
    _table_and_totals(pdf, 100)
    put(pdf, 20, 275, "Elektro Sommer GmbH", 6.5)
    put(pdf, 20, 279, "Bahnhofstr. 7", 6.5)


@pytest.mark.parametrize("logo", [False, True])
def test_a_customer_number_label_does_not_hide_the_address_under_the_return_line(
        tmp_path: Path, logo: bool) -> None:
    result = _read(tmp_path, lambda pdf: _return_line_letter(pdf, logo))
    assert result.fields["buyer_name"] == "Müller Bau GmbH"
    assert result.fields["vendor_name"] == "Elektro Sommer GmbH"


@pytest.mark.parametrize("person", [(), ("Herrn Jonas Albrecht",)])
def test_behind_a_logo_only_letterhead_the_footer_names_the_seller(
        tmp_path: Path, person: tuple[str, ...]) -> None:
    def draw(pdf: FPDF) -> None:
        pdf.rect(150, 10, 45, 18, style="F")
        _block(pdf, 25, 50, (*person, "Müller Bau GmbH", "Gartenweg 3", "79100 Freiburg"), 11)
        put(pdf, 120, 90, "Rechnung Nr. 2026-118", 10)
        put(pdf, 120, 96, "Datum: 04.03.2026", 10)
        _table_and_totals(pdf, 110)
        for i, text in enumerate(("Elektro Sommer GmbH", "Bahnhofstr. 7", "79098 Freiburg")):
            put(pdf, 20, 275 + 3.6 * i, text, 6.5)
        put(pdf, 80, 275, "Tel. 0761 555 01", 6.5)  # no account: the payee rule cannot help

    result = _read(tmp_path, draw)
    # a person's line is never the start of a company's name
    assert result.fields["vendor_name"] == "Elektro Sommer GmbH"
    assert _safe(result, "buyer_name", "Müller Bau GmbH")
    assert result.fields["buyer_name"] == "Müller Bau GmbH"


@pytest.mark.parametrize("family", [f for f in FAMILIES if f != HELD_OUT_FAMILY])
def test_a_random_letter_of_each_standard_has_no_wrong_value_under_ok(
        tmp_path: Path, family: str) -> None:
    rng = random.Random(f"test-{family}")
    letter = make_letter(rng, family, 1)
    path = tmp_path / f"{family}.pdf"
    draw_letter(letter, path, rng)
    result = read_invoice(path)
    for field, want in letter.truth().items():
        assert _safe(result, field, want), (field, want, result.fields[field])


def _german_items(pdf: FPDF, y: float, tax_rows: tuple[tuple[str, str], ...]) -> None:
    for text, x, right in (("Bezeichnung", 20, False), ("Menge", 130, True),
                           ("Einzelpreis", 160, True), ("Gesamt", 195, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    put(pdf, 20, y + 7, "Beratung vor Ort")
    put(pdf, 130, y + 7, "4", right=True)
    put(pdf, 160, y + 7, "250,00", right=True)
    put(pdf, 195, y + 7, "1.000,00", right=True)
    rows = (("Nettobetrag", "1.000,00"), *tax_rows, ("Gesamtbetrag EUR", "1.190,00"))
    for i, (label, value) in enumerate(rows):
        put(pdf, 130, y + 20 + 6 * i, label)
        put(pdf, 195, y + 20 + 6 * i, value, right=True)


@pytest.mark.parametrize("label", ["19 % USt", "+ 19 % MwSt.", "19% Umsatzsteuer"])
def test_a_tax_row_named_after_its_rate_gives_the_tax(tmp_path: Path, label: str) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        _block(pdf, 25, 50, ("Müller Bau GmbH", "Gartenweg 3", "79100 Freiburg"))
        _german_items(pdf, 100, ((label, "190,00"),))

    result = _read(tmp_path, draw)
    assert result.fields["tax_amount"] == "190.00"
    assert result.fields["net_amount"] == "1000.00"


def test_a_street_number_like_a_postcode_does_not_end_the_address(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        put(pdf, 25, 44, "Elektro Sommer GmbH, Bahnhofstr. 7, 79098 Freiburg", 6.5)
        _block(pdf, 22, 52, ("Ms Emily Clarke", "1200 Market Street", "Denver, CO 80202",
                             "USA"))
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] == "Emily Clarke"


def test_a_return_line_set_with_tabs_right_over_the_address_is_no_heading(
        tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        for x, part in ((25, "Elektro Sommer GmbH"), (55, "Bahnhofstr. 7"),
                        (78, "79098 Freiburg")):
            put(pdf, x, 46, part, 7)
        _block(pdf, 25, 50, ("Müller Bau GmbH", "Gartenweg 3", "79100 Freiburg"))
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] == "Müller Bau GmbH"
    assert result.confidence["buyer_name"] >= 0.85


def test_a_reference_like_a_zip_code_over_the_greeting_is_no_return_line(
        tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        pdf.rect(150, 10, 45, 18, style="F")
        _block(pdf, 25, 50, ("Müller Bau GmbH", "Gartenweg 3", "79100 Freiburg"))
        for x, label, value in ((20, "Your ref.", "PO 88213"), (70, "Invoice No.", "2026-118"),
                                (120, "Date", "04.03.2026")):
            put(pdf, x, 85, label, 7)
            put(pdf, x, 89, value, 9)
        put(pdf, 20, 95, "Dear Sir or Madam,", 10)
        put(pdf, 20, 99.5, "please find our invoice below.", 10)
        _table_and_totals(pdf, 110)
        put(pdf, 20, 275, "Elektro Sommer GmbH · Bahnhofstr. 7 · 79098 Freiburg", 6.5)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] in ("Müller Bau GmbH", None)


def test_a_date_on_its_labels_baseline_beside_an_address_of_another_pitch_is_read(
        tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        put(pdf, 120, 20, "Elektro Sommer GmbH", 14, bold=True)
        _block(pdf, 25, 50, ("Rhein-Main Logistik AG", "Industriestr. 27", "50674 Köln"),
               11)
        for i, (label, value) in enumerate((("Rechnungsnummer", "RE-2026-0023"),
                                            ("Datum", "18.06.2026"))):
            put(pdf, 125, 46.6 + i * 4.6, label, 8)
            put(pdf, 160, 46.6 + i * 4.6, value, 9)
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["issue_date"] == "2026-06-18"


def _return_line_over(pdf: FPDF, y: float) -> None:
    put(pdf, 25, y, "Elektro Sommer GmbH · Bahnhofstr. 7 · 79098 Freiburg", 6.5)


@pytest.mark.parametrize("blanks", [0, 1, 2])
@pytest.mark.parametrize("name_size", [10, 12])
def test_an_address_with_blank_fields_or_a_larger_name_is_read_whole(
        tmp_path: Path, blanks: int, name_size: float) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        _return_line_over(pdf, 46)
        put(pdf, 25, 52, "Müller Bau GmbH", name_size)
        y = 57 + 4.5 * blanks  # empty fields of the template (c/o, extra line) leave lines
        _block(pdf, 25, y, ("Buchhaltung", "Gartenweg 3", "79100 Freiburg"))
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] == "Müller Bau GmbH"
    assert result.confidence["buyer_name"] >= 0.85


def test_a_person_over_a_larger_company_gives_the_company_for_review(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        _return_line_over(pdf, 42)
        _block(pdf, 25, 48, ("Persönlich", "Herrn Thomas Weiß"))
        put(pdf, 25, 57.5, "Kessler Haustechnik GmbH", 12)
        _block(pdf, 25, 67, ("Herrengasse 12", "8010 Graz"))  # after an empty line
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert _safe(result, "buyer_name", "Kessler Haustechnik GmbH")
    assert result.fields["buyer_name"] in ("Kessler Haustechnik GmbH", None)


@pytest.mark.parametrize(("heading", "first"), [
    ("Anschrift", ("Herrn Jonas Albrecht", "Müller Bau GmbH")),
    ("Empfänger", ("Persönlich", "Müller Bau GmbH")),
    ("Rechnungsempfänger:", ("Firma", "Müller Bau GmbH")),
    ("Bill to", ("Ms Emily Clarke", "Müller Bau GmbH")),
    ("Bill to", ("Private & Confidential", "Müller Bau GmbH"))])
def test_a_heading_over_the_window_address_is_no_name(
        tmp_path: Path, heading: str, first: tuple[str, ...]) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        _return_line_over(pdf, 42)
        put(pdf, 25, 46.5, heading, 9, bold=True)
        _block(pdf, 25, 51, (*first, "Gartenweg 3", "79100 Freiburg"))
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] == "Müller Bau GmbH"
    assert _safe(result, "buyer_name", "Müller Bau GmbH")


@pytest.mark.parametrize("heading", ["Lieferanschrift", "Ship to:"])
def test_a_delivery_heading_over_the_only_address_leaves_the_buyer_unread(
        tmp_path: Path, heading: str) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        put(pdf, 25, 46.5, heading, 9, bold=True)
        _block(pdf, 25, 51, ("Festzelt Messplatz", "Europaplatz 1", "79108 Freiburg"))
        _table_and_totals(pdf, 100)

    assert _read(tmp_path, draw).fields["buyer_name"] is None


@pytest.mark.parametrize("rows", [(("Steuer 19 %", "190,00"),), (("19 %", "190,00"),),
                                  (("Steuer 19 %", "133,00"), ("Steuer 7 %", "57,00"))])
def test_rows_naming_a_rate_between_net_and_total_are_the_tax(
        tmp_path: Path, rows: tuple[tuple[str, str], ...]) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        _block(pdf, 25, 50, ("Müller Bau GmbH", "Gartenweg 3", "79100 Freiburg"))
        _german_items(pdf, 100, rows)

    result = _read(tmp_path, draw)
    assert result.fields["tax_amount"] == "190.00"
    assert result.fields["total_amount"] == "1190.00"


def test_a_rate_row_that_is_no_tax_of_the_net_is_not_read_as_one(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        _block(pdf, 25, 50, ("Müller Bau GmbH", "Gartenweg 3", "79100 Freiburg"))
        _german_items(pdf, 100, (("Skonto 2 %", "20,00"),))

    result = _read(tmp_path, draw)
    assert _safe(result, "tax_amount", None)


@pytest.mark.parametrize("key", ["Kunde: 4711", "Customer: K45958"])
def test_a_customer_number_keyed_over_the_window_hides_no_address(
        tmp_path: Path, key: str) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        put(pdf, 25, 38, key, 8)
        _return_line_over(pdf, 44)
        _block(pdf, 25, 50, ("Theodor Est", "Bahnstr. 42", "88802 Spielkreis"))
        _table_and_totals(pdf, 100)

    result = _read(tmp_path, draw)
    assert result.fields["buyer_name"] == "Theodor Est"


def test_behind_a_logo_the_window_address_of_a_person_is_not_the_seller(
        tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        pdf.rect(150, 10, 45, 18, style="F")
        _block(pdf, 25, 45, ("Herrn Jonas Albrecht", "Mariahilfer Straße 45", "4020 Linz"), 12)
        put(pdf, 120, 90, "Rechnung Nr. 2026-118", 10)
        put(pdf, 120, 96, "Datum: 04.03.2026", 10)
        _table_and_totals(pdf, 110)
        for i, text in enumerate(("Nordlicht Medien GmbH & Co. KG", "Landstraßer Hauptstr. 9",
                                  "8010 Graz")):
            put(pdf, 20, 275 + 3.6 * i, text, 6.5)

    result = _read(tmp_path, draw)
    assert result.fields["vendor_name"] == "Nordlicht Medien GmbH & Co. KG"
    assert result.fields["buyer_name"] == "Jonas Albrecht"


@pytest.mark.parametrize("rows", [
    (("MwSt. voll", "1.000,00", "190,00"),),
    (("MwSt. voll", "600,00", "114,00"), ("MwSt. ermäßigt", "400,00", "76,00"))])
def test_a_vat_summary_row_with_its_base_before_the_tax_gives_the_tax(
        tmp_path: Path, rows: tuple[tuple[str, str, str], ...]) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        _block(pdf, 25, 50, ("Müller Bau GmbH", "Gartenweg 3", "79100 Freiburg"))
        _german_items(pdf, 100, ())
        for i, (label, base, tax) in enumerate(rows):  # a tax named without its rate
            put(pdf, 100, 150 + 6 * i, label)
            put(pdf, 165, 150 + 6 * i, base, right=True)
            put(pdf, 195, 150 + 6 * i, tax, right=True)

    result = _read(tmp_path, draw)
    assert result.fields["tax_amount"] == "190.00"
