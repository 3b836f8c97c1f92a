"""Guards that keep a value from being read out of something else: a year out of a date, an
IBAN out of an order id, a tax amount out of a tax id, a name out of an attention line; and
a total row that carries net, tax and gross side by side."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from backoffice.locale.checkdigits import iban_check_digits
from robots.invoices.parsing import find_amounts
from robots.invoices.parties import clean_name
from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import new_pdf, put
from robots.invoices.values import parse_iban


def test_the_year_of_a_date_beside_a_total_label_is_no_amount() -> None:
    assert find_amounts("TOTAL AMOUNT DUE ON August 3 , 2014", ".") == []
    assert find_amounts("due 2014-08-03  $4.11", ".") == [Decimal("4.11")]


def test_a_long_unpunctuated_number_is_an_id_not_an_amount() -> None:
    assert find_amounts("VAT/TIN: 29670869006", ".") == []
    assert find_amounts("Total 1,234,567.00", ".") == [Decimal("1234567.00")]


def test_an_order_id_shaped_like_an_iban_is_not_one() -> None:
    assert parse_iban("Order ID: OD304175096047380001") is None


def test_an_iban_printed_in_national_groups_is_read_whole() -> None:
    bban = "10107002450061705231739"
    iban = f"FR{iban_check_digits('FR', bban)}{bban}"
    printed = f"{iban[:4]} {bban[:5]} {bban[5:10]} {bban[10:21]} {bban[21:]}"
    assert parse_iban(f"IBAN : {printed} - BIC : BREDFRPP") == iban


def test_an_attention_marker_is_not_part_of_the_name() -> None:
    assert clean_name("ATTN: iViveLabs Limited") == "iViveLabs Limited"
    assert clean_name("z. Hd. Frau Berger") == "Frau Berger"


def test_a_total_row_with_net_tax_and_gross_columns_gives_all_three(tmp_path: Path) -> None:
    pdf = new_pdf()
    put(pdf, 15, 20, "Maison Verte SARL", 14, bold=True)
    put(pdf, 15, 40, "Facture n° 2026-0412 du 12/03/2026", 11)
    for x, head in ((110, "Montant HT"), (150, "Montant TVA"), (190, "Montant TTC")):
        put(pdf, x, 60, head, 8, bold=True, right=True)
    put(pdf, 15, 68, "Abonnement mensuel")
    for x, value in ((110, "24.99"), (150, "5.00"), (190, "29.99")):
        put(pdf, x, 68, value, right=True)
    put(pdf, 15, 76, "Total facture", bold=True)
    for x, value in ((110, "24.99"), (150, "5.00"), (190, "29.99")):
        put(pdf, x, 76, value, right=True, bold=True)
    # a second mention of the tax elsewhere must not be added to the first
    put(pdf, 15, 84, "TVA 20% payée sur les encaissements")
    put(pdf, 150, 84, "5.00", right=True)
    path = tmp_path / "row.pdf"
    pdf.output(str(path))
    result = read_invoice(path)
    assert (result.fields["net_amount"], result.fields["tax_amount"],
            result.fields["total_amount"]) == ("24.99", "5.00", "29.99")


def test_a_czech_spaced_date_is_read_day_first() -> None:
    from robots.invoices.parsing import find_date

    assert str(find_date("Splatnost: 10. 6. 2026", "mdy")[0]) == "2026-06-10"


def test_a_slash_date_on_a_decimal_comma_dollar_invoice_is_read_day_first() -> None:
    from robots.invoices.extract import _guess_order

    # '$71,76': pesos written the Latin American way, where the day comes first
    assert _guess_order("Fecha de Emisión: 11/04/2026 Total $71,76", ",") == "dmy"
    assert _guess_order("Invoice date 04/11/2026 Total $71.76", ".") == "mdy"


def test_a_name_of_single_letters_is_no_name() -> None:
    assert clean_name("A I") is None
    assert clean_name("A & B Logistics") == "A & B Logistics"


def test_the_next_columns_key_run_into_a_name_is_cut_off() -> None:
    assert clean_name("Rheinland Dachtechnik GmbH Name:") == "Rheinland Dachtechnik GmbH"
    # 'To' is no key on its own: the text stays a label and is refused whole
    assert clean_name("Ramco Motors Private Limited Ship To:") is None


def _french_footer_invoice(tmp_path: Path, letterhead: bool) -> dict:
    bban = "10107002450061705231739"
    iban = f"FR{iban_check_digits('FR', bban)}{bban}"
    printed = f"{iban[:4]} {bban[:5]} {bban[5:10]} {bban[10:21]} {bban[21:]}"
    pdf = new_pdf()
    if letterhead:
        put(pdf, 15, 20, "Imprimerie Durand SARL", 14, bold=True)
    put(pdf, 15, 40, "Facture n° 2026-0077", 11)
    put(pdf, 15, 46, "Date : 12/03/2026", 10)
    put(pdf, 110, 60, "Total HT :", 10)
    put(pdf, 190, 60, "100,00 €", right=True)
    put(pdf, 110, 66, "TVA 20% :", 10)
    put(pdf, 190, 66, "20,00 €", right=True)
    put(pdf, 110, 72, "Total TTC :", 10)
    put(pdf, 190, 72, "120,00 €", right=True)
    put(pdf, 15, 90, "Virement - Titulaire du compte : MEDIAPRESSE", 9)
    put(pdf, 15, 95, f"IBAN : {printed} - BIC : BREDFRPP", 9)
    put(pdf, 90, 270, "MEDIAPRESSE", 6)
    path = tmp_path / f"holder-{letterhead}.pdf"
    pdf.output(str(path))
    return read_invoice(path).fields


def test_the_account_holder_names_the_seller_only_when_nothing_else_does(
        tmp_path: Path) -> None:
    plain = _french_footer_invoice(tmp_path, letterhead=False)
    assert plain["vendor_name"] == "MEDIAPRESSE"
    # the IBAN in national groups is read whole and is not taken for a French VAT id
    assert plain["iban"] is not None and plain["iban"].startswith("FR")
    assert plain["vendor_tax_id"] is None
    # a letterhead names the seller; a payee can be someone else (a factor)
    assert _french_footer_invoice(tmp_path, letterhead=True)["vendor_name"] == \
        "Imprimerie Durand SARL"


def test_the_number_and_date_of_a_letter_with_no_labels(tmp_path: Path) -> None:
    pdf = new_pdf()
    put(pdf, 15, 20, "Kestrel Joinery Ltd", 14, bold=True)
    put(pdf, 150, 70, "22 July 2026", 10)  # the letter's date, alone on its line
    put(pdf, 15, 85, "Dear Ms Hall,", 10)
    put(pdf, 15, 92, "This is our invoice no. 2026-0011 for the work done in July.", 10)
    put(pdf, 120, 110, "Total", 10)
    put(pdf, 190, 110, "£1,250.00", right=True)
    path = tmp_path / "letter.pdf"
    pdf.output(str(path))
    fields = read_invoice(path).fields
    assert fields["invoice_number"] == "2026-0011"
    assert fields["issue_date"] == "2026-07-22"


def test_a_number_sign_under_the_title_gives_the_invoice_number(tmp_path: Path) -> None:
    pdf = new_pdf()
    put(pdf, 15, 12, "Sammy Supplies", 10)
    put(pdf, 150, 12, "INVOICE", 28, bold=True)
    put(pdf, 152, 22, "# A-1042", 12)
    put(pdf, 120, 60, "Total", 10)
    put(pdf, 190, 60, "$310.00", right=True)
    path = tmp_path / "title.pdf"
    pdf.output(str(path))
    assert read_invoice(path).fields["invoice_number"] == "A-1042"


def test_a_date_under_its_own_label_is_never_taken_for_the_letters_date(
        tmp_path: Path) -> None:
    pdf = new_pdf()
    put(pdf, 15, 20, "Kestrel Joinery Ltd", 14, bold=True)
    put(pdf, 150, 60, "Delivered on:", 9)
    put(pdf, 150, 65, "14 July 2026", 10)  # alone on its line, but a label's value
    put(pdf, 15, 85, "Invoice no. 2026-0012", 10)
    put(pdf, 120, 110, "Total", 10)
    put(pdf, 190, 110, "£1,250.00", right=True)
    path = tmp_path / "delivered.pdf"
    pdf.output(str(path))
    assert read_invoice(path).fields["issue_date"] != "2026-07-14"


@pytest.mark.parametrize(("printed", "iso"), [
    ("August 22, 2026", "2026-08-22"),  # a month first, a comma before the year
    ("7. August 2026", "2026-08-07"),  # a month whose name ends like an ordinal ('-st')
    ("Köln, 3. Dezember 2026", "2026-12-03"),  # a place before it ('-er')
    ("October 9, 2026", "2026-10-09"),
])
def test_a_letters_date_alone_on_its_line_is_the_issue_date(tmp_path: Path, printed: str,
                                                               iso: str) -> None:
    pdf = new_pdf()
    put(pdf, 15, 20, "Kestrel Joinery Ltd", 14, bold=True)
    put(pdf, 15, 45, "Pioneer Data Systems Inc.", 10)
    put(pdf, 15, 50, "88 Harbor Blvd", 10)
    put(pdf, 190, 80, printed, 10, right=True)
    put(pdf, 15, 95, "Invoice", 11, bold=True)
    put(pdf, 15, 105, "This is our invoice no. 2026-0011 for the work done.", 10)
    put(pdf, 120, 130, "Total", 10)
    put(pdf, 190, 130, "£1,250.00", right=True)
    path = tmp_path / "letter.pdf"
    pdf.output(str(path))
    assert read_invoice(path).fields["issue_date"] == iso


def test_a_diagonal_watermark_leaves_no_letters_among_the_lines(tmp_path: Path) -> None:
    from robots.invoices.reader import ReaderOptions, load_document

    pdf = new_pdf()
    put(pdf, 15, 20, "Kestrel Joinery Ltd", 14, bold=True)
    put(pdf, 15, 40, "Invoice no. 2026-0013", 10)
    put(pdf, 120, 110, "Total", 10)
    put(pdf, 190, 110, "£1,250.00", right=True)
    pdf.set_font("Helvetica", "B", 60)
    with pdf.rotation(45, 100, 150):
        pdf.text(40, 150, "SAMPLE")
    path = tmp_path / "watermark.pdf"
    pdf.output(str(path))
    doc, _ = load_document(path, ReaderOptions())
    assert "SAMPLE" not in doc.text and not any(
        seg.text in list("SAMPLE") for seg in doc.segments)
    assert read_invoice(path).fields["total_amount"] == "1250.00"


def test_a_vat_number_beside_the_iban_label_gives_way_to_the_one_valid_iban(
        tmp_path: Path) -> None:
    bban = "370400440532013000"
    iban = f"DE{iban_check_digits('DE', bban)}{bban}"
    pdf = new_pdf()
    put(pdf, 15, 20, "Kestrel Joinery GmbH", 14, bold=True)
    put(pdf, 15, 40, "Rechnung Nr. 2026-0014", 10)
    put(pdf, 15, 46, "Datum: 12.03.2026", 10)
    put(pdf, 120, 110, "Gesamtbetrag", 10)
    put(pdf, 190, 110, "1.250,00 EUR", right=True)
    put(pdf, 15, 250, "IBAN", 7)
    put(pdf, 30, 250, "SE557777431701", 7)  # a VAT number where the IBAN would be
    put(pdf, 15, 262, f"Bankverbindung: {iban}", 7)
    path = tmp_path / "iban.pdf"
    pdf.output(str(path))
    assert read_invoice(path).fields["iban"] == iban
