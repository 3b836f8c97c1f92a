"""The CII and UBL mappers on published examples: each value as the standard defines it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backoffice.xmlsafe import parse_xml
from robots.invoices.einvoice.detect import map_einvoice
from robots.invoices.reader import read_invoice
from tests.invoices.einvoice_build import cii_xml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "einvoice"
EXPECTED = sorted(FIXTURES.rglob("*.expected.json"))


def _xml(expected: Path) -> Path:
    return expected.with_name(expected.name.removesuffix(".expected.json") + ".xml")


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.split(".expected")[0])
def test_published_example_reads_exactly_its_hand_written_values(expected: Path) -> None:
    result = read_invoice(_xml(expected))
    assert result.fields == json.loads(expected.read_text("utf-8"))
    # made-up ids of the examples fail their check digit: a warning, the status stays ok
    assert (result.status, result.reasons) == ("ok", [])
    assert all(w.split(":")[0] in ("tax_id_checksum", "iban_checksum", "reference_checksum")
               for w in result.warnings), result.warnings


@pytest.mark.parametrize(("ubl", "cii"), [
    ("en16931/ubl-tc434-example4.xml", "en16931/CII_example4.xml"),
    ("xrechnung/01.01a-INVOICE_ubl.xml", "xrechnung/01.01a-INVOICE_uncefact.xml"),
])
def test_the_same_invoice_in_ubl_and_cii_reads_the_same(ubl: str, cii: str) -> None:
    a, b = read_invoice(FIXTURES / ubl), read_invoice(FIXTURES / cii)
    assert a.fields == b.fields
    assert a.source.startswith("ubl/") and b.source.startswith("cii/")


def _fields(**changes: Any) -> dict[str, Any]:
    base = {"invoice_number": "R-1", "issue_date": "2024-03-01", "due_date": "2024-03-31",
            "vendor_name": "Lieferant GmbH", "vendor_tax_id": "DE136695976",
            "buyer_name": "Kunde AG", "buyer_tax_id": None, "currency": "EUR",
            "net_amount": "20.00", "tax_amount": "3.80", "total_amount": "23.80",
            "iban": None, "payment_reference": None,
            "lines": [{"description": "Hot air", "quantity": "800", "unit_price": "0.025",
                       "amount": "20.00", "tax_rate": "19"}]}
    return base | changes


def test_a_fraction_of_a_cent_unit_price_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "cii.xml"
    path.write_bytes(cii_xml(_fields()))
    result = read_invoice(path)
    assert result.status == "ok", result.reasons
    assert result.fields["lines"][0]["unit_price"] == "0.025"


def test_minimum_profile_without_lines_is_ok_and_named(tmp_path: Path) -> None:
    path = tmp_path / "minimum.xml"
    path.write_bytes(cii_xml(_fields(lines=[]), guideline="urn:factur-x.eu:1p0:minimum"))
    result = read_invoice(path)
    assert result.source == "cii/MINIMUM"
    assert result.status == "ok", result.reasons
    assert result.fields["total_amount"] == "23.80" and result.fields["lines"] == []


def test_cii_credit_note_type_code_makes_the_money_negative(tmp_path: Path) -> None:
    path = tmp_path / "credit.xml"
    path.write_bytes(cii_xml(_fields(), type_code="381"))
    result = read_invoice(path)
    assert result.status == "ok", result.reasons
    assert (result.fields["total_amount"], result.fields["lines"][0]["amount"]) == (
        "-23.80", "-20.00")


def test_line_allowance_explains_a_line_amount_below_quantity_times_price() -> None:
    ubl = (FIXTURES / "en16931" / "ubl-tc434-example4.xml").read_bytes()
    # line 1: 1000 x 1.00 with a 100.00 allowance on the line = 900.00
    changed = ubl.replace(
        b'<cbc:LineExtensionAmount currencyID="DKK">1000.00</cbc:LineExtensionAmount>\n'
        b"        <cac:Item>",
        b'<cbc:LineExtensionAmount currencyID="DKK">900.00</cbc:LineExtensionAmount>\n'
        b"        <cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
        b'<cbc:Amount currencyID="DKK">100.00</cbc:Amount></cac:AllowanceCharge>\n'
        b"        <cac:Item>", 1)
    assert changed != ubl
    e = map_einvoice(parse_xml(changed))
    assert e.line_adjustments[0] == -100
    from robots.invoices.einvoice.checks import standard_rules

    reasons = standard_rules(e)
    assert not any(r.startswith("line_arithmetic") for r in reasons)
    # and the declared sum of lines (4000.00) no longer matches: BR-CO-10
    assert any(r.startswith("lines_mismatch") for r in reasons)


def test_a_malformed_amount_is_a_review_note_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(cii_xml(_fields()).replace(b"<ram:TaxTotalAmount currencyID=\"EUR\">3.80",
                                                b"<ram:TaxTotalAmount currencyID=\"EUR\">3,80"))
    result = read_invoice(path)
    assert result.status == "review"
    assert any(r.startswith("bad_number: TaxTotalAmount") for r in result.reasons)
    assert result.fields["tax_amount"] is None


def test_currency_stated_only_in_the_totals_currency_id_is_read_from_there(
        tmp_path: Path) -> None:
    xml = cii_xml(_fields()).replace(b"<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>",
                                     b"<ram:InvoiceCurrencyCode/>")
    stated = tmp_path / "attr.xml"
    stated.write_bytes(xml.replace(b"<ram:GrandTotalAmount>",
                                   b'<ram:GrandTotalAmount currencyID="EUR">'))
    result = read_invoice(stated)
    assert (result.status, result.fields["currency"]) == ("ok", "EUR"), result.reasons
    nowhere = tmp_path / "none.xml"  # no currency anywhere (the tax total's is removed too)
    nowhere.write_bytes(xml.replace(b' currencyID="EUR"', b""))
    result = read_invoice(nowhere)
    assert result.status == "review" and result.fields["currency"] is None
    assert any(r.startswith("missing_field: currency") for r in result.reasons)


def test_ubl_currency_missing_in_the_header_is_read_from_the_totals(tmp_path: Path) -> None:
    source = FIXTURES / "ubl-tc434-creditnote1.xml"
    xml = source.read_bytes()
    start = xml.index(b"<cbc:DocumentCurrencyCode")
    end = xml.index(b"</cbc:DocumentCurrencyCode>") + len(b"</cbc:DocumentCurrencyCode>")
    path = tmp_path / "ubl.xml"
    path.write_bytes(xml[:start] + xml[end:])
    assert read_invoice(path).fields == read_invoice(source).fields


def test_a_cii_item_carrying_only_a_note_is_not_a_line(tmp_path: Path) -> None:
    """ZUGFeRD 1.0 EXTENDED writes notes as items without product, quantity or amount."""
    note = (b"<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument>"
            b"<ram:IncludedNote><ram:Content>Lieferung bis 23.12.</ram:Content></ram:IncludedNote>"
            b"</ram:AssociatedDocumentLineDocument><ram:SpecifiedLineTradeSettlement/>"
            b"</ram:IncludedSupplyChainTradeLineItem>")
    xml = cii_xml(_fields()).replace(b"<rsm:SupplyChainTradeTransaction>",
                                     b"<rsm:SupplyChainTradeTransaction>" + note, 1)
    path = tmp_path / "note.xml"
    path.write_bytes(xml)
    result = read_invoice(path)
    assert result.status == "ok", result.reasons
    assert result.fields == _fields()
