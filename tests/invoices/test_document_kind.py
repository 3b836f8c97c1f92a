"""The invoice-or-not decision is structural: an invoice in a language whose title word the
reader may not know still reaches review, a letter or contract is refused with a reason; the
EN 16931 wording of more languages is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import new_pdf, put
from robots.invoices.validate import reason_code

Text = tuple[float, float, str, bool]


def _draw(path: Path, rows: list[Text]) -> Path:
    pdf = new_pdf()
    for x, y, text, right in rows:
        put(pdf, x, y, text, 10, right=right)
    pdf.output(str(path))
    return path


def _invoice(words: dict[str, str], money: str = "{:.2f}") -> list[Text]:
    """An invoice drawn with the given words for its labels; the numbers are the same."""
    def m(value: float) -> str:
        text = money.format(value)
        return text.replace(".", ",") if "," in words.get("decimal", "") else text

    return [
        (20, 20, "Nordvik Trading", False), (20, 26, "Storgata 1", False),
        (120, 20, words["title"], False),
        (120, 30, f"{words['number']} 2026-118", False),
        (120, 36, f"{words['date']} 12.03.2026", False),
        (20, 55, "Havbruk Partners", False),
        (20, 85, words["description"], False), (110, 85, words["quantity"], False),
        (140, 85, words["price"], False), (190, 85, words["amount"], True),
        (20, 92, "Bolts M6", False), (110, 92, "10", False), (140, 92, m(2.5), False),
        (190, 92, m(25), True),
        (20, 98, "Consulting", False), (110, 98, "3", False), (140, 98, m(60), False),
        (190, 98, m(180), True),
        (120, 115, words["net"], False), (190, 115, m(205), True),
        (120, 121, words["vat"], False), (190, 121, m(51.25), True),
        (120, 127, words["total"], False), (190, 127, m(256.25), True),
    ]


LANGUAGES = {
    "it": dict(title="FATTURA", number="Numero fattura", date="Data fattura",
               description="Descrizione", quantity="Quantità", price="Prezzo",
               amount="Importo", net="Imponibile", vat="IVA 25%",
               total="Totale documento", decimal=","),
    "es": dict(title="FACTURA", number="Número de factura", date="Fecha de factura",
               description="Descripción", quantity="Cantidad", price="Precio unitario",
               amount="Importe", net="Base imponible", vat="IVA 25%", total="Total factura",
               decimal=","),
    "pt": dict(title="FATURA", number="Número da fatura", date="Data da fatura",
               description="Descrição", quantity="Quantidade", price="Preço unitário",
               amount="Valor", net="Valor sem IVA", vat="IVA 25%", total="Total a pagar",
               decimal=","),
    "da": dict(title="FAKTURA", number="Fakturanummer", date="Fakturadato",
               description="Beskrivelse", quantity="Antal", price="Enhedspris",
               amount="Beløb", net="Beløb ekskl. moms", vat="Moms 25%", total="At betale",
               decimal=","),
    "cs": dict(title="FAKTURA - DAŇOVÝ DOKLAD", number="Číslo faktury",
               date="Datum vystavení", description="Popis", quantity="Množství",
               price="Cena za jednotku", amount="Celkem bez DPH", net="Základ daně",
               vat="DPH 25%", total="Celkem k úhradě", decimal=","),
}


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_invoice_in_another_en16931_language_is_read(lang: str, tmp_path: Path) -> None:
    result = read_invoice(_draw(tmp_path / f"{lang}.pdf", _invoice(LANGUAGES[lang])))
    fields = result.fields
    assert result.status != "error", result.reasons
    assert (fields["invoice_number"], fields["issue_date"]) == ("2026-118", "2026-03-12")
    assert (fields["net_amount"], fields["tax_amount"], fields["total_amount"]) == (
        "205.00", "51.25", "256.25")
    assert [(ln["quantity"], ln["unit_price"], ln["amount"]) for ln in fields["lines"]] == [
        ("10", "2.50", "25.00"), ("3", "60.00", "180.00")]
    assert "possibly_an_invoice" not in {reason_code(r) for r in result.reasons}


def test_untitled_document_with_invoice_structure_goes_to_review(tmp_path: Path) -> None:
    # Title and labels in a language the reader has no words for: only the structure speaks.
    words = dict(title="SMETKA", number="Nomer", date="Data", description="Artikul",
                 quantity="Kol", price="Tsena", amount="Suma", net="Net", vat="VAT 25%",
                 total="Total")
    rows = [r for r in _invoice(words) if not r[2].startswith(("Nomer", "Data", "SMETKA"))]
    rows.append((20, 145, "IBAN DE89 3704 0044 0532 0130 00", False))
    result = read_invoice(_draw(tmp_path / "untitled.pdf", rows))
    assert result.status == "review"
    reason = next(r for r in result.reasons if reason_code(r) == "possibly_an_invoice")
    assert "net + VAT" in reason and "multiply out" in reason and "IBAN" in reason
    assert result.fields["total_amount"] == "256.25"


def test_contract_with_a_total_and_a_date_is_still_refused(tmp_path: Path) -> None:
    texts = ["Service agreement", "between Nordvik Trading and Havbruk Partners",
             "signed in Oslo on 12.03.2026.",
             "The supplier maintains the customer's machines for one year.",
             "Total fee 12000.00 EUR a year. Either party may end this agreement",
             "with three months' notice.", "Nordvik Trading            Havbruk Partners"]
    result = read_invoice(_draw(tmp_path / "contract.pdf",
                                [(20, 30 + 8 * i, t, False) for i, t in enumerate(texts)]))
    assert result.status == "error"
    assert {reason_code(r) for r in result.reasons} == {"not_an_invoice"}
    assert "does not look like an invoice" in result.reasons[0]


def test_titled_invoice_whose_amounts_cannot_be_read_goes_to_review_not_error(
        tmp_path: Path) -> None:
    """Title, number, date, IBAN and VAT id, but the amounts are a picture: an invoice the
    reader failed on, which a person can still enter; refusing it would hide it."""
    rows: list[Text] = [
        (20, 20, "Nordvik Trading AS", False), (20, 26, "MVA NO923456783", False),
        (120, 20, "INVOICE", False), (120, 30, "Invoice no. 2026-118", False),
        (120, 36, "Date 12.03.2026", False), (20, 55, "Havbruk Partners", False),
        (20, 145, "IBAN DE89 3704 0044 0532 0130 00", False)]
    result = read_invoice(_draw(tmp_path / "amounts_as_picture.pdf", rows))
    assert result.status == "review"
    assert result.fields["invoice_number"] == "2026-118"
    assert result.fields["total_amount"] is None
    assert "not_an_invoice" not in {reason_code(r) for r in result.reasons}


def test_letter_citing_an_invoice_number_with_no_payment_details_is_still_refused(
        tmp_path: Path) -> None:
    texts = ["Nordvik Trading", "Havbruk Partners", "Oslo, 12.03.2026",
             "Regarding invoice no. 2026-118: thank you for your kind letter.",
             "We will visit your site next month to discuss the new contract."]
    result = read_invoice(_draw(tmp_path / "letter.pdf",
                                [(20, 30 + 8 * i, t, False) for i, t in enumerate(texts)]))
    assert result.status == "error"
    assert {reason_code(r) for r in result.reasons} == {"not_an_invoice"}


def test_vat_rate_column_headed_by_the_taxs_own_name_is_read(tmp_path: Path) -> None:
    # 'IVA' heads the rate column as 'VAT', 'MwSt' or 'TVA' do elsewhere (BT-152).
    rows = [r for r in _invoice(LANGUAGES["it"]) if r[1] not in (92, 98)]
    rows += [(20, 92, "Bolts M6", False), (90, 92, "10", False), (115, 92, "2,50", False),
             (150, 92, "22%", False), (190, 92, "25,00", True),
             (20, 98, "Consulting", False), (90, 98, "3", False), (115, 98, "60,00", False),
             (150, 98, "22%", False), (190, 98, "180,00", True), (150, 85, "IVA", False)]
    rows = [(90, 85, t, r) if t == "Quantità" else (115, 85, t, r) if t == "Prezzo" else
            (x, y, t, r) for x, y, t, r in rows]
    result = read_invoice(_draw(tmp_path / "it_rate.pdf", rows))
    assert [(ln["amount"], ln["tax_rate"]) for ln in result.fields["lines"]] == [
        ("25.00", "22"), ("180.00", "22")]


def test_german_vat_id_label_binds_the_buyers_id_in_a_key_value_block(tmp_path: Path) -> None:
    rows = [
        (20, 20, "Verkäufer", False), (20, 26, "Name:", False),
        (70, 26, "Global Supplies Ltd.", False), (20, 32, "USt.-Id.-Nr.:", False),
        (70, 32, "GB123456789", False),
        (20, 44, "Käufer/Leistungsempfänger", False), (20, 50, "Name:", False),
        (70, 50, "Metallbau Leipzig GmbH", False), (20, 56, "USt.-Id.-Nr.:", False),
        (70, 56, "DE123456789", False),
        (20, 70, "Rechnung Nr. 4711 vom 31.10.2018", False),
        (120, 90, "Nettobetrag", False), (190, 90, "100,00", True),
        (120, 96, "USt. 19%", False), (190, 96, "19,00", True),
        (120, 102, "Gesamtbetrag", False), (190, 102, "119,00", True),
    ]
    result = read_invoice(_draw(tmp_path / "ustid.pdf", rows))
    assert (result.fields["vendor_tax_id"], result.fields["buyer_tax_id"]) == (
        "GB123456789", "DE123456789")
