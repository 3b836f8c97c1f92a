"""The seller's name where a letterhead prints only its brand: the wordmark is the first
words of the registered name that the footer prints with its legal form; a name set in
capitals by a style is spelt as the page writes it elsewhere. Each test draws a small real
PDF."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from robots.invoices.parties import _as_written
from robots.invoices.reader import ReaderOptions, load_document, read_invoice
from robots.invoices.sample_pdf import put
from robots.invoices.scoring import amount_shown
from tests.invoices.drawing import draw_pdf


def _swiss_invoice(pdf: FPDF, wordmark: str, footer: str, signature: str = "") -> None:
    put(pdf, 20, 20, wordmark, 20, bold=True)
    put(pdf, 20, 45, "Berner Holzbau GmbH", 11)
    put(pdf, 20, 50, "Marktgasse 5", 11)
    put(pdf, 20, 55, "3011 Bern", 11)
    put(pdf, 130, 45, "Datum", 9)
    put(pdf, 190, 45, "20.02.2026", 9, right=True)
    put(pdf, 130, 50, "Rechnungsnummer", 9)
    put(pdf, 190, 50, "RE-26001", 9, right=True)
    put(pdf, 20, 75, "Rechnung", 16, bold=True)
    for text, x, right in (("Anzahl", 40, True), ("Bezeichnung", 50, False),
                           ("Einzelpreis", 160, True), ("Gesamtpreis", 190, True)):
        put(pdf, x, 90, text, 8, bold=True, right=right)
    put(pdf, 40, 97, "4.0", right=True)
    put(pdf, 50, 97, "Beratung")
    put(pdf, 160, 97, "250.00 CHF", right=True)
    put(pdf, 190, 97, "1'000.00 CHF", right=True)
    for i, (label, value) in enumerate((("Nettopreis", "1'000.00 CHF"),
                                        ("MWST 8.1%", "81.00 CHF"),
                                        ("Rechnungsbetrag", "1'081.00 CHF"))):
        put(pdf, 130, 110 + 6 * i, label)
        put(pdf, 190, 110 + 6 * i, value, right=True)
    if signature:
        put(pdf, 20, 150, "Mit freundlichen Grüssen", 10)
        put(pdf, 20, 160, signature, 9)
    put(pdf, 20, 285, footer, 7)


def test_a_wordmark_is_the_brand_of_the_registered_name_in_the_footer(
        tmp_path: Path) -> None:
    pdf = draw_pdf(tmp_path, lambda p: _swiss_invoice(
        p, "Zürcher", "Zürcher Velowerkstatt GmbH | Aeschenvorstadt 48, 4051 Basel | "
                      "IBAN CH56 0900 0193 1804 8532 6"), "brand")
    assert read_invoice(pdf).fields["vendor_name"] == "Zürcher Velowerkstatt GmbH"


def test_a_wordmark_that_starts_no_registered_name_stays_the_name(tmp_path: Path) -> None:
    pdf = draw_pdf(tmp_path, lambda p: _swiss_invoice(
        p, "Velo Zürcher", "Zürcher Velowerkstatt GmbH | Aeschenvorstadt 48, 4051 Basel"),
        "other")
    result = read_invoice(pdf)
    assert result.fields["vendor_name"] != "Zürcher Velowerkstatt GmbH" \
        or result.status.value == "review"


def test_a_name_in_capitals_is_spelt_as_the_page_writes_it_elsewhere(tmp_path: Path) -> None:
    pdf = draw_pdf(tmp_path, lambda p: _swiss_invoice(
        p, "Zürcher", "Konto / Zahlbar an ZürcherVelowerkstattGmbH",
        "ZÜRCHER VELOWERKSTATT GMBH"), "caps")
    doc, _ = load_document(pdf, ReaderOptions())
    assert _as_written(doc, "ZÜRCHER VELOWERKSTATT GMBH") == "Zürcher Velowerkstatt GmbH"
    assert _as_written(doc, "BERNER HOLZBAU GMBH") == "Berner Holzbau GmbH"
    assert _as_written(doc, "MARKTGASSE AG") == "MARKTGASSE AG"  # written nowhere else


def test_swiss_grouping_is_a_shown_amount() -> None:
    assert amount_shown("57063.59", "Rechnungsbetrag 57’063.59 CHF")
    assert amount_shown("1081.00", "Total 1'081.00")
    assert not amount_shown("1081.00", "Total 1'081.50")


def test_a_legal_form_finished_on_the_next_line_is_part_of_the_name(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        _swiss_invoice(pdf, "", "Kontoinhaber: Nordlicht Medien UG · IBAN DE89 3704 0044 "
                                "0532 0130 00")
        put(pdf, 130, 20, "Nordlicht Medien UG", 12, bold=True)
        put(pdf, 130, 25, "(haftungsbeschränkt)", 12, bold=True)
        put(pdf, 130, 30, "Am Hafen 3, 20457 Hamburg", 9)

    result = read_invoice(draw_pdf(tmp_path, draw, "wrapped"))
    assert result.fields["vendor_name"] == "Nordlicht Medien UG (haftungsbeschränkt)"
