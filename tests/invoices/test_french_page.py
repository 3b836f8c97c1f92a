"""Rules found on real French Factur-X pages (Akretion's samples), each pinned on a page of
its own: a VAT number after 'TVA' makes it an id's label (the share capital further along
that line is no tax amount); 'Taxes' as the VAT total's label; a tax-id label naming the
client ('N° TVA client') gives the buyer's id wherever it sits; a line discount in a column
of its own between the price and the amount gives the net price."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fpdf import FPDF

from backoffice.locale.checkdigits import iban_check_digits
from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import put
from robots.invoices.scoring import legal_form_name
from tests.invoices.drawing import draw_pdf, key_values


def _fr_vat(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


SELLER_VAT = _fr_vat("732829320")
BUYER_VAT = _fr_vat("552100554")
BBAN = "30004000031234567890143"
IBAN = f"FR{iban_check_digits('FR', BBAN)}{BBAN}"


def _page(*, client_label: bool = True,
          taxes_label: str = "Taxes") -> Callable[[FPDF], None]:
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 14, "Moulin Vert SARL - 12 rue des Lilas - 84000 Avignon - France", 9)
        put(pdf, 15, 19, f"TVA : {SELLER_VAT} - SIRET : 73282932000014 - APE : 1089Z - "
                         "SARL au capital de 50 000,00 €", 9)
        put(pdf, 15, 34, "Facture FA-2026-0042", 14, bold=True)
        for i, text in enumerate(("Épicerie du Coin", "3 place du Marché", "69002 Lyon")):
            put(pdf, 120, 48 + 5 * i, text, 10)
        put(pdf, 15, 70, "Date de facture")
        put(pdf, 60, 70, "05/03/2026")
        put(pdf, 15, 76, "Date d'échéance")
        put(pdf, 60, 76, "04/04/2026")
        if client_label:
            put(pdf, 15, 82, "N° TVA client")
            put(pdf, 60, 82, BUYER_VAT)
        for x, head in ((15, "Description"), (120, "Quantité"), (148, "Prix unitaire"),
                        (165, "Rem."), (195, "Prix HT")):
            put(pdf, x, 96, head, 8, bold=True, right=x > 100)
        rows = (("Confiture d'abricots 370g", "12", "5,00 €", "10%", "54,00 €"),
                ("Miel de lavande 500g", "6", "9,50 €", "", "57,00 €"))
        for i, (desc, qty, price, rem, amount) in enumerate(rows):
            y = 104 + 7 * i
            put(pdf, 15, y, desc)
            for x, text in ((120, qty), (148, price), (165, rem), (195, amount)):
                if text:
                    put(pdf, x, y, text, right=True)
        for i, (label, value) in enumerate((("Total HT", "111,00 €"), (taxes_label, "6,11 €"),
                                            ("Total TTC", "117,11 €"))):
            put(pdf, 150, 130 + 7 * i, label, bold=True)
            put(pdf, 195, 130 + 7 * i, value, right=True, bold=True)
        put(pdf, 15, 170, f"IBAN : {IBAN} - BIC : BDFEFRPP")
    return draw


def test_a_vat_number_after_tva_makes_it_an_id_label_not_the_tax(tmp_path: Path) -> None:
    r = read_invoice(draw_pdf(tmp_path, _page(), "capital"))
    # 'TVA : FR.. - ... capital de 50 000,00 €' is no tax amount; 'Taxes' labels the VAT
    assert r.fields["tax_amount"] == "6.11"
    assert (r.fields["net_amount"], r.fields["total_amount"]) == ("111.00", "117.11")


def test_without_its_label_the_capital_still_is_no_tax_amount(tmp_path: Path) -> None:
    r = read_invoice(draw_pdf(tmp_path, _page(taxes_label="Montant dû"), "unlabelled"))
    assert r.fields["tax_amount"] != "50000.00"
    assert r.status == "review"


def test_a_tax_id_label_naming_the_client_gives_the_buyers_id(tmp_path: Path) -> None:
    r = read_invoice(draw_pdf(tmp_path, _page(), "client"))
    assert (r.fields["vendor_tax_id"], r.fields["buyer_tax_id"]) == (SELLER_VAT, BUYER_VAT)
    # without the naming label the id beside the buyer's dates is not the buyer's for sure
    plain = read_invoice(draw_pdf(tmp_path, _page(client_label=False), "plain"))
    assert plain.fields["vendor_tax_id"] == SELLER_VAT and plain.fields["buyer_tax_id"] is None


def test_a_line_discount_column_gives_the_net_price(tmp_path: Path) -> None:
    r = read_invoice(draw_pdf(tmp_path, _page(), "discount"))
    first, second = r.fields["lines"]
    # 12 x 5,00 € less 10 % = 54,00 €: the net price 4.50, the 10 % no VAT rate
    assert first == {"description": "Confiture d'abricots 370g", "quantity": "12",
                     "unit_price": "4.50", "amount": "54.00", "tax_rate": None}
    assert second["unit_price"] == "9.50" and second["amount"] == "57.00"
    assert r.status == "ok", r.reasons


def test_a_real_invoices_names_are_equal_up_to_a_legal_form() -> None:
    assert legal_form_name("Au bon moulin", "Au bon moulin SARL")
    assert legal_form_name("Nordlicht Medien UG (haftungsbeschränkt)", "Nordlicht Medien UG")
    assert not legal_form_name("Au bon moulin", "Au bon moulin Traiteur")
    assert not legal_form_name("Au bon moulin", "Moulin SARL")
    assert not legal_form_name("Au bon moulin", None)


def _dated(associated_only: bool) -> Callable[[FPDF], None]:
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 14, "Moulin Vert SARL", 14, bold=True)
        put(pdf, 15, 20, "12 rue des Lilas, 84000 Avignon")
        put(pdf, 120, 14, "FACTURE N° : FA-2026-0099", 11, bold=True)
        if not associated_only:
            put(pdf, 120, 20, "Date : 31/01/2026")
        put(pdf, 15, 40, "N° DE FACTURE ASSOCIÉE : FA-2026-0003")
        put(pdf, 15, 46, "DATE DE FACTURE ASSOCIÉE : 01/01/2026")
        put(pdf, 15, 52, "DATE DE DEBUT DE PRESTATION : 01/01/2026")
        _one_line_and_totals(pdf, "Prestation de conseil", ("Total HT", "TVA 20 %", "Total TTC"),
                             ",")
    return draw


def _one_line_and_totals(pdf: FPDF, item: str, labels: tuple[str, str, str],
                         decimal: str) -> None:
    """One line of 100.00 and its totals block (net, VAT 20 %, total) under it."""
    put(pdf, 15, 70, item)
    put(pdf, 195, 70, f"100{decimal}00", right=True)
    key_values(pdf, [(label, f"{value}{decimal}00")
                     for label, value in zip(labels, ("100", "20", "120"), strict=True)],
               key_x=150, value_x=195, top=90, step=7, bold=True)


def test_a_label_that_is_only_the_start_of_a_longer_key_is_doubtful(tmp_path: Path) -> None:
    # 'Date de facture associée :' (EN 16931 BT-26, the preceding invoice's date) starts
    # with the issue date's label 'date de facture' but names another date
    r = read_invoice(draw_pdf(tmp_path, _dated(associated_only=False), "dated"))
    assert r.fields["issue_date"] == "2026-01-31"
    alone = read_invoice(draw_pdf(tmp_path, _dated(associated_only=True), "associated"))
    assert alone.status == "review" and alone.confidence["issue_date"] < 0.8


@pytest.mark.parametrize("label", ["Date of exposure taxable invoice:",
                                   "Datum der Rechnung:"])
def test_a_date_label_running_on_to_the_invoice_word_is_the_invoice_date(
        tmp_path: Path, label: str) -> None:
    # the words the label runs on with end in the invoice's own word: its date, not another
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 14, "Moulin Vert Ltd", 14, bold=True)
        put(pdf, 15, 20, "12 Mill Lane, York YO1 8BE")
        put(pdf, 120, 14, "Invoice no.: 2026-0099", 11, bold=True)
        put(pdf, 120, 20, f"{label} 31/01/2026")
        _one_line_and_totals(pdf, "Consulting", ("Net", "VAT 20 %", "Total"), ".")

    r = read_invoice(draw_pdf(tmp_path, draw, "dated"))
    assert r.fields["issue_date"] == "2026-01-31"
    assert r.confidence["issue_date"] >= 0.8


def _fnfe_like(pdf: FPDF, remittance: bool = True) -> None:
    """Totals as a row of labels over a row of values, a paragraph of terms beside and
    between them; references as 'REF ... : value' rows; the remittance reference below."""
    put(pdf, 15, 14, "LE FOURNISSEUR SARL", 14, bold=True)
    put(pdf, 15, 20, f"35 rue d'ici, 75018 Paris - N° TVA : {SELLER_VAT}")
    put(pdf, 120, 14, "FACTURE N° : F20260023", 11, bold=True)
    put(pdf, 120, 20, "Date : 31/01/2026")
    put(pdf, 15, 40, "REFERENCE ACHETEUR / SERVICE EXECUTANT : SERVEXEC", 7)
    put(pdf, 15, 43, "REF APPEL D'OFFRES : TENDER-002", 7)
    put(pdf, 15, 46, "REF PROJET : PROJET2547", 7)
    for i, text in enumerate(("Livraison : DEL Name", "DEL ADRESSE LIGNE", "06000 NICE, FR")):
        put(pdf, 120, 40 + 3 * i, text, 7)
    put(pdf, 15, 70, "Prestation support")
    put(pdf, 150, 70, "1", right=True)
    put(pdf, 170, 70, "100,00", right=True)
    put(pdf, 195, 70, "100,00", right=True)
    put(pdf, 15, 100, "Tout retard de paiement engendre une pénalité calculée sur la base de",
        6)
    put(pdf, 130, 100, "TOTAL HT", 6, bold=True)
    put(pdf, 190, 100, "TOTAL TTC", 6, bold=True)
    put(pdf, 158, 101.5, "TOTAL TVA", 6, bold=True)
    put(pdf, 15, 103, "trois fois le taux d'intérêt légal.", 6)
    put(pdf, 15, 106, "Indemnité forfaitaire pour frais de recouvrement : 40 €.", 6)
    put(pdf, 15, 109, "Les règlements reçus avant l'échéance ne donnent pas lieu à escompte.",
        6)
    put(pdf, 140, 109, "100,00", 7, right=True)
    put(pdf, 167, 109, "20,00", 7, right=True)
    put(pdf, 200, 109, "120,00", 7, right=True)
    put(pdf, 15, 125, "Date d'échéance : 02/03/2026")
    put(pdf, 110, 125, "NET A PAYER   120,00 EUR", 10, bold=True)
    put(pdf, 110, 140, f"IBAN : {IBAN}", 8)
    if remittance:
        put(pdf, 110, 145, "REFERENCE AVIS DE PAIEMENT : F20260023BUYER", 8)


def test_totals_labelled_in_a_row_over_their_values_a_few_lines_down(tmp_path: Path) -> None:
    r = read_invoice(draw_pdf(tmp_path, _fnfe_like, "band"))
    assert (r.fields["net_amount"], r.fields["tax_amount"], r.fields["total_amount"]) == (
        "100.00", "20.00", "120.00")


def test_a_key_value_row_under_a_label_is_not_its_value(tmp_path: Path) -> None:
    r = read_invoice(draw_pdf(tmp_path, _fnfe_like, "refs"))
    # 'REF APPEL D'OFFRES : TENDER-002' is a key of its own, not the value of the
    # 'REFERENCE ACHETEUR ...' row above it; BT-83 'avis de paiement' is the remittance
    assert r.fields["payment_reference"] == "F20260023BUYER"
    assert r.confidence["payment_reference"] >= 0.8
    bare = read_invoice(draw_pdf(tmp_path, lambda pdf: _fnfe_like(pdf, remittance=False),
                                 "bare"))
    # no remittance reference: the tender's is no sure payment reference
    assert bare.fields["payment_reference"] is None or \
        bare.confidence["payment_reference"] < 0.8


def test_a_vat_breakdown_whose_rates_are_bare_numbers_gives_the_tax(tmp_path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        put(pdf, 15, 14, "Moulin Vert SARL", 14, bold=True)
        put(pdf, 15, 34, "Facture FA-2026-0050", 14, bold=True)
        put(pdf, 15, 42, "Date de facture 05/03/2026")
        put(pdf, 15, 60, "Nougat 250g")
        put(pdf, 195, 60, "81,90 €", right=True)
        put(pdf, 15, 66, "Huile d'olive")
        put(pdf, 195, 66, "543,00 €", right=True)
        for x, head in ((30, "Taxe"), (70, "Base"), (100, "Montant")):
            put(pdf, x, 80, head, 8, bold=True, right=True)
        # the rates as the program's default number format prints them: '20.0', '5.5'
        for y, row in ((86, ("20.0", "81,90 €", "16,38 €")), (92, ("5.5", "543,00 €",
                                                                   "29,87 €"))):
            for x, text in zip((30, 70, 100), row, strict=True):
                put(pdf, x, y, text, right=True)
        put(pdf, 150, 86, "Total HT", bold=True)
        put(pdf, 195, 86, "624,90 €", right=True, bold=True)
        put(pdf, 150, 92, "Total TTC", bold=True)
        put(pdf, 195, 92, "671,15 €", right=True, bold=True)

    r = read_invoice(draw_pdf(tmp_path, draw, "breakdown"))
    assert (r.fields["net_amount"], r.fields["tax_amount"], r.fields["total_amount"]) == (
        "624.90", "46.25", "671.15")
    assert r.confidence["tax_amount"] >= 0.8
