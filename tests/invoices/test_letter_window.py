"""The window address of business letters laid out by the letter standards (DIN 5008,
ÖNORM A 1080, SN 010130, NF Z 10-011, UK/US letters), as invoicing programs vary them:
endorsements and titles over the address, a person over the company, a customer-number
label that names no one, a letterhead that is only a logo. Each test draws a small real
PDF; the last reads one random letter of each standard (``letter_layouts.py``)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fpdf import FPDF

from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import put
from tests.invoices.letter_layouts import FAMILIES, draw_letter, make_letter
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


def test_behind_a_logo_only_letterhead_the_footer_names_the_seller(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        pdf.rect(150, 10, 45, 18, style="F")
        _block(pdf, 25, 50, ("Müller Bau GmbH", "Gartenweg 3", "79100 Freiburg"), 11)
        put(pdf, 120, 90, "Rechnung Nr. 2026-118", 10)
        put(pdf, 120, 96, "Datum: 04.03.2026", 10)
        _table_and_totals(pdf, 110)
        for i, text in enumerate(("Elektro Sommer GmbH", "Bahnhofstr. 7", "79098 Freiburg")):
            put(pdf, 20, 275 + 3.6 * i, text, 6.5)
        put(pdf, 80, 275, "Tel. 0761 555 01", 6.5)  # no account: the payee rule cannot help

    result = _read(tmp_path, draw)
    assert result.fields["vendor_name"] == "Elektro Sommer GmbH"
    assert _safe(result, "buyer_name", "Müller Bau GmbH")
    assert result.fields["buyer_name"] == "Müller Bau GmbH"


@pytest.mark.parametrize("family", FAMILIES)
def test_a_random_letter_of_each_standard_has_no_wrong_value_under_ok(
        tmp_path: Path, family: str) -> None:
    rng = random.Random(f"test-{family}")
    letter = make_letter(rng, family, 1)
    path = tmp_path / f"{family}.pdf"
    draw_letter(letter, path, rng)
    result = read_invoice(path)
    for field, want in letter.truth().items():
        assert _safe(result, field, want), (field, want, result.fields[field])
