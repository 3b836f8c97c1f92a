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
from robots.invoices.sample_pdf import new_pdf, put
from tests.invoices.test_party_layouts import IBAN, _table_and_totals


def _read(tmp_path: Path, draw: Callable[[FPDF], None], name: str = "doc") -> Extraction:
    pdf = new_pdf()
    draw(pdf)
    path = tmp_path / f"{name}.pdf"
    pdf.output(str(path))
    return read_invoice(path)


def _safe(result: Extraction, field: str, truth: Any) -> bool:
    """The field is right, or missing, or the invoice goes to a person."""
    value = result.fields[field]
    return value == truth or value is None or result.status.value == "review"


def _german_letterhead(pdf: FPDF) -> None:
    put(pdf, 120, 20, "Elektro Sommer GmbH", 14, bold=True)
    put(pdf, 120, 26, "Bahnhofstr. 7, 79098 Freiburg", 8)
    put(pdf, 120, 60, "Rechnung Nr. 2026-118", 10)
    put(pdf, 120, 66, "Datum: 04.03.2026", 10)
    put(pdf, 15, 268, f"Elektro Sommer GmbH · IBAN {IBAN}", 7)


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
