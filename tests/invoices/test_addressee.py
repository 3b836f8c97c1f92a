"""The addressee of a letter-style invoice, read from the envelope window without a label.
Each test draws a small real PDF (DIN 5008 and other letter layouts) and reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from robots.invoices.addressee import is_postal_line
from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.drawing import draw_pdf as _write
from tests.invoices.test_party_layouts import IBAN, _table_and_totals


def _letterhead_and_meta(pdf: FPDF) -> None:
    put(pdf, 120, 20, "Elektro Sommer GmbH", 14, bold=True)
    put(pdf, 120, 26, "Bahnhofstr. 7, 79098 Freiburg", 8)
    put(pdf, 120, 60, "Rechnung Nr. 2026-118", 10)
    put(pdf, 120, 66, "Datum: 04.03.2026", 10)
    put(pdf, 15, 268, f"Elektro Sommer GmbH · IBAN {IBAN}", 7)


@pytest.mark.parametrize("text", ["80333 München", "D-63571 Gelnhausen", "00-950 Warszawa",
                                  "114 55 Stockholm", "1012 AB Amsterdam", "CH-8001 Zürich",
                                  "Seattle, WA 98109-5210", "London SW1A 1AA",
                                  "Bangalore - 560067", "Uferweg 12, 82319 Starnberg"])
def test_postal_lines_of_many_countries_are_recognised(text: str) -> None:
    assert is_postal_line(text)


@pytest.mark.parametrize("text", ["OYO 4189 Resort Nanganallur", "Invoice 12345",
                                  "Total 1234", "Lindenweg 4", "12.03.2026 Freiburg",
                                  "1.234,56 EUR"])
def test_names_amounts_and_dates_are_not_postal_lines(text: str) -> None:
    assert not is_postal_line(text)


def test_a_person_under_a_return_line_in_the_window_is_the_buyer(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        # DIN 5008 form B: the return line at the top of the window, the address below
        put(pdf, 25, 50, "Elektro Sommer GmbH - Bahnhofstr. 7 - 79098 Freiburg", 6)
        put(pdf, 25, 60, "Herrn", 10)
        put(pdf, 25, 65, "Jonas Albrecht", 10)
        put(pdf, 25, 70, "Gartenweg 3", 10)
        put(pdf, 25, 75, "79100 Freiburg", 10)
        _table_and_totals(pdf, 100)

    result = read_invoice(_write(tmp_path, draw, "din"))
    assert result.fields["buyer_name"] == "Jonas Albrecht"  # the salutation is no name
    assert result.confidence["buyer_name"] >= 0.85
    assert result.fields["vendor_name"] == "Elektro Sommer GmbH"


@pytest.mark.parametrize(("address", "name"), [
    (("Hotel Seeblick GmbH & Co. KG", "Uferweg 12, 82319 Starnberg"),
     "Hotel Seeblick GmbH & Co. KG"),  # street and place on one line
    (("iViveLabs Ltd.", "93B Sai Yu Chung", "Yuen Long, N.T.", "Hong Kong"),
     "iViveLabs Ltd."),  # a country without postcodes: the legal form names the company
])
def test_an_address_under_a_return_line_is_sure_without_a_postcode_first_line(
        tmp_path: Path, address: tuple[str, ...], name: str) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        put(pdf, 25, 50, "Elektro Sommer GmbH - Bahnhofstr. 7 - 79098 Freiburg", 6)
        for i, text in enumerate(address):
            put(pdf, 25, 60 + 5 * i, text, 10)
        _table_and_totals(pdf, 100)

    result = read_invoice(_write(tmp_path, draw, "returned"))
    assert result.fields["buyer_name"] == name
    assert result.confidence["buyer_name"] >= 0.85


def test_two_unlabelled_addresses_in_the_window_band_are_not_guessed(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _letterhead_and_meta(pdf)
        for x, name in ((20, "Brauerei Hofmann KG"), (80, "Gasthaus Linde")):
            put(pdf, x, 50, name, 10)
            put(pdf, x, 55, "Lindenplatz 2", 10)
            put(pdf, x, 60, "79117 Freiburg", 10)
        _table_and_totals(pdf, 100)

    result = read_invoice(_write(tmp_path, draw, "two"))
    # an invoice address beside a delivery address: which one is the buyer's is not
    # decided by position; a reviewer (or a learned layout) does
    assert result.fields["buyer_name"] is None or result.status.value == "review"


def test_the_sellers_own_address_block_is_never_the_buyer(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        put(pdf, 120, 60, "Rechnung Nr. 2026-119", 10)
        put(pdf, 120, 66, "Datum: 04.03.2026", 10)
        # the only address block in the window band holds the seller's own account
        put(pdf, 20, 50, "Elektro Sommer GmbH", 10)
        put(pdf, 20, 55, f"IBAN {IBAN}", 10)
        put(pdf, 20, 60, "79098 Freiburg", 10)
        _table_and_totals(pdf, 100)
        put(pdf, 15, 268, f"Elektro Sommer GmbH · IBAN {IBAN}", 7)

    result = read_invoice(_write(tmp_path, draw, "own"))
    assert result.fields["buyer_name"] != "Elektro Sommer GmbH"


def test_a_din_letter_with_a_reference_line_and_a_letterhead_beside_the_window(
        tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        # the sender's block on the right runs down beside the window's lines
        for i, text in enumerate(("Nordlicht Medien UG (haftungsbeschränkt)", "Lindenstraße 14",
                                  "50674 Köln", f"IBAN {IBAN}")):
            put(pdf, 120, 38 + 4.2 * i, text, 10)
        put(pdf, 25, 30, "NordlichtMedienUG,Lindenstraße14,50674Köln", 6)  # squeezed
        put(pdf, 25, 35, "Frau", 10)
        put(pdf, 25, 39.2, "Anna Schäfer", 10)
        put(pdf, 25, 43.4, "Am Hafen 3", 10)
        put(pdf, 25, 47.6, "20457 Hamburg", 10)
        # DIN 5008 reference line: labels over their values
        for x, label, value in ((25, "Kundennummer", "K-30475"), (80, "Rechnungsnummer",
                                                                  "2026-0010"),
                                (160, "Datum", "7. August 2026")):
            put(pdf, x, 85, label, 7)
            put(pdf, x, 89, value, 10)
        _table_and_totals(pdf, 100)

    result = read_invoice(_write(tmp_path, draw, "din-band"))
    assert result.fields["buyer_name"] == "Anna Schäfer"
    assert result.fields["vendor_name"] == "Nordlicht Medien UG (haftungsbeschränkt)"
    assert result.fields["invoice_number"] == "2026-0010"
    assert result.fields["issue_date"] == "2026-08-07"
