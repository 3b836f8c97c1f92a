"""Finvoice and KSeF e-invoices map to the invoice model with the values the XML states.

The fixtures are public examples (tests/fixtures/einvoice/SOURCES.md); every expected value
below was read from the XML by hand.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from backoffice.xmlsafe import parse_xml, read_xml_file
from robots.invoices.einvoice.common import EInvoice
from robots.invoices.einvoice.detect import map_einvoice
from robots.invoices.reader import read_invoice

FIXTURES = Path(__file__).parent.parent / "fixtures" / "einvoice"
FA3 = "http://crd.gov.pl/wzor/2025/06/25/13775/"


def read(name: str) -> EInvoice:
    return map_einvoice(read_xml_file(FIXTURES / name))


def read_text(xml: str) -> EInvoice:
    return map_einvoice(parse_xml(xml.encode("utf-8")))


def lines(e: EInvoice) -> list[dict[str, str | None]]:
    return [ln.to_json() for ln in e.invoice.lines]


def test_finvoice_3_invoice_maps_every_field():
    e = read("finvoice/finvoice-3.0-invoice.xml")
    assert e.source == "finvoice/3.0"
    assert not e.credit_note and e.notes == []
    assert e.invoice.to_json() | {"lines": None} == {
        "invoice_number": "2026-1001", "issue_date": "2026-09-01", "due_date": "2026-09-15",
        "vendor_name": "Myyjä Oy", "vendor_tax_id": "FI23456780",
        "buyer_name": "Ostaja Oy", "buyer_tax_id": "FI01120389", "currency": "EUR",
        "net_amount": "872.00", "tax_amount": "216.36", "total_amount": "1088.36",
        "iban": "FI2112345600000785", "payment_reference": "RF18539007547034", "lines": None}
    # The consulting row has a 10 % discount: 10 h at 90.00 list price, paid at 81.00.
    assert lines(e) == [
        {"description": "Konsultointi", "quantity": "10", "unit_price": "81.00",
         "amount": "810.00", "tax_rate": "25.5"},
        {"description": "Käsikirja", "quantity": "2", "unit_price": "25.00",
         "amount": "50.00", "tax_rate": "13.5"}]
    # The declared sums the EN 16931 rules check: rows 860 + delivery charge 12 = net 872.
    assert (e.line_total, e.allowances, e.charges) == (Decimal("860.00"), None,
                                                       Decimal("12.00"))


def test_finvoice_credit_note_is_flagged_and_keeps_its_stated_amounts():
    e = read("finvoice/finvoice-1.3-credit-note.xml")
    assert e.source == "finvoice/1.3" and e.credit_note
    inv = e.invoice
    assert (inv.invoice_number, str(inv.issue_date), str(inv.due_date)) == (
        "1043", "2026-09-25", "2026-10-09")
    assert (inv.vendor_name, inv.vendor_tax_id) == ("Lähettäjä Oy", "FI23456780")
    assert (inv.net_amount, inv.tax_amount, inv.total_amount) == (
        Decimal("-100.00"), Decimal("-25.50"), Decimal("-125.50"))
    assert (inv.iban, inv.payment_reference) == ("FI2112345600000785", "1043002")
    assert lines(e) == [{"description": "Palautus", "quantity": "-2", "unit_price": "50.00",
                         "amount": "-100.00", "tax_rate": "25.5"}]


def test_finvoice_without_vat_id_falls_back_to_business_id_and_skips_text_rows():
    e = read_text("""<Finvoice Version="2.01">
      <SellerPartyDetails><SellerPartyIdentifier>2345678-0</SellerPartyIdentifier>
        <SellerOrganisationName>Pitkä Nimi</SellerOrganisationName>
        <SellerOrganisationName>Osakeyhtiö</SellerOrganisationName></SellerPartyDetails>
      <InvoiceDetails><InvoiceTypeCode>INV01</InvoiceTypeCode><InvoiceNumber>7</InvoiceNumber>
        <InvoiceDate Format="CCYYMMDD">20240131</InvoiceDate>
        <InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">12,40
        </InvoiceTotalVatIncludedAmount>
      </InvoiceDetails>
      <InvoiceRow><RowFreeText>Toimitus 1/2024</RowFreeText></InvoiceRow>
      <InvoiceRow><ArticleName>Kahvi</ArticleName><InvoicedQuantity>1</InvoicedQuantity>
        <RowVatRatePercent>24</RowVatRatePercent>
        <RowVatAmount AmountCurrencyIdentifier="EUR">2,40</RowVatAmount>
        <RowAmount AmountCurrencyIdentifier="EUR">12,40</RowAmount></InvoiceRow>
      <EpiDetails><EpiPaymentInstructionDetails>
        <EpiDateOptionDate Format="CCYYMMDD">20240214</EpiDateOptionDate>
      </EpiPaymentInstructionDetails></EpiDetails>
    </Finvoice>""")
    inv = e.invoice
    assert e.source == "finvoice/2.01"
    assert (inv.vendor_name, inv.vendor_tax_id) == ("Pitkä Nimi Osakeyhtiö", "2345678-0")
    assert (str(inv.issue_date), str(inv.due_date)) == ("2024-01-31", "2024-02-14")
    assert (inv.currency, inv.total_amount) == ("EUR", Decimal("12.40"))
    # Only the gross row amount and its VAT are given: the net is their difference.
    assert lines(e) == [{"description": "Kahvi", "quantity": "1", "unit_price": None,
                         "amount": "10.00", "tax_rate": "24"}]


_FINVOICE_1 = """<?xml version="1.0" encoding="ISO-8859-15"?>
<!DOCTYPE Finvoice SYSTEM "Finvoice.dtd">
<Finvoice Version="1.2">
  <SellerPartyDetails><SellerOrganisationName>Pulli Oy</SellerOrganisationName>
  </SellerPartyDetails>
  <SellerInformationDetails><SellerAccountDetails>
    <SellerAccountID IdentificationSchemeName="IBAN">FI2112345600000785</SellerAccountID>
  </SellerAccountDetails></SellerInformationDetails>
  <InvoiceDetails><InvoiceNumber>159</InvoiceNumber>
    <InvoiceDate Format="CCYYMMDD">20041215</InvoiceDate></InvoiceDetails>
  <EpiDetails><EpiPartyDetails><EpiBeneficiaryPartyDetails>
    <EpiAccountID IdentificationSchemeName="{scheme}">{account}</EpiAccountID>
  </EpiBeneficiaryPartyDetails></EpiPartyDetails></EpiDetails>
</Finvoice>"""


@pytest.mark.parametrize(("scheme", "account", "iban"), [
    ("BBAN", "50001520000081", None),  # domestic: no IBAN, and not the seller's other one
    ("IBAN", "FI27 5780 0750 1554 48", "FI2757800750155448"),
])
def test_finvoice_1_with_its_dtd_doctype_reads_and_takes_only_an_iban_for_payment(
        scheme: str, account: str, iban: str | None) -> None:
    xml = _FINVOICE_1.format(scheme=scheme, account=account).encode("iso-8859-15")
    e = map_einvoice(parse_xml(xml))
    assert (e.source, e.invoice.invoice_number, e.invoice.iban) == ("finvoice/1.2", "159", iban)


def test_finvoice_vat_id_written_with_separators_is_compacted():
    e = read_text("""<Finvoice Version="3.0"><SellerPartyDetails>
      <SellerOrganisationTaxCode>FI 2345678-0</SellerOrganisationTaxCode>
      </SellerPartyDetails><BuyerPartyDetails>
      <BuyerOrganisationTaxCode>not a VAT id</BuyerOrganisationTaxCode>
      </BuyerPartyDetails></Finvoice>""")
    # Not a VAT id's shape: only its spaces go (the check digit test then flags it).
    assert (e.invoice.vendor_tax_id, e.invoice.buyer_tax_id) == ("FI23456780", "NOTAVATID")


def test_finvoice_malformed_amount_is_a_note_not_a_crash():
    e = read_text("""<Finvoice Version="3.0"><InvoiceDetails>
      <InvoiceNumber>9</InvoiceNumber>
      <InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">12 €
      </InvoiceTotalVatIncludedAmount>
    </InvoiceDetails></Finvoice>""")
    assert e.invoice.invoice_number == "9" and e.invoice.total_amount is None
    assert [n.split(":")[0] for n in e.notes] == ["bad_number"]


def test_ksef_fa3_ministry_example_maps_every_field():
    e = read("ksef/FA_3_Przyklad_21.xml")
    assert e.source == "ksef/FA(3)" and not e.credit_note and e.notes == []
    assert e.invoice.to_json() | {"lines": None} == {
        "invoice_number": "FV2026/02/150", "issue_date": "2026-02-15",
        "due_date": "2026-03-15", "vendor_name": "ABC AGD sp. z o. o.",
        "vendor_tax_id": "PL9999999999", "buyer_name": "CDE sp. j.",
        "buyer_tax_id": "PL1111111111", "currency": "EUR", "net_amount": "13560.00",
        # P_14_1W is the same VAT in PLN (13768.14): not added to the EUR VAT.
        "tax_amount": "3118.80", "total_amount": "16678.80",
        # Only the factor's account is given, as a 26-digit NRB.
        "iban": "PL73111111111111111111111111", "payment_reference": None, "lines": None}
    assert lines(e) == [
        {"description": "lodówka Zimnotech mk1", "quantity": "10", "unit_price": "406.00",
         "amount": "4060.00", "tax_rate": "23"},
        {"description": "zamrażarka Zimnotech mk2", "quantity": "20", "unit_price": "250.00",
         "amount": "5000.00", "tax_rate": "23"},
        {"description": "zmywarka Bryza 100", "quantity": "15", "unit_price": "300.00",
         "amount": "4500.00", "tax_rate": "23"}]


def test_ksef_fa3_sums_the_per_rate_amounts_and_reads_the_iban():
    e = read("ksef/gobl-fa3-invoice-standard.xml")
    inv = e.invoice
    assert (inv.vendor_name, inv.vendor_tax_id) == ("Testowa Firma Sp. z o.o.", "PL9876543210")
    assert (inv.net_amount, inv.tax_amount, inv.total_amount) == (
        Decimal("1750.00"), Decimal("290.00"), Decimal("2040.00"))
    assert inv.iban == "PL61109010140000071219812874" and inv.due_date is None
    assert [(ln["amount"], ln["tax_rate"]) for ln in lines(e)] == [("1000.00", "23"),
                                                                    ("750.00", "8")]


def test_ksef_fa2_is_read_like_fa3():
    e = read("ksef/gobl-fa2-invoice-pl-pl.xml")
    inv = e.invoice
    assert e.source == "ksef/FA(2)"
    assert (inv.invoice_number, str(inv.issue_date), inv.currency) == (
        "SAMPLE-001", "2023-12-20", "PLN")
    assert (inv.vendor_tax_id, inv.buyer_name, inv.buyer_tax_id) == (
        "PL9876543210", "Sample Consumer", "PL1234567788")
    assert (inv.net_amount, inv.tax_amount, inv.total_amount) == (
        Decimal("1810.00"), Decimal("414.80"), Decimal("2224.80"))
    assert lines(e)[1] == {"description": "Financial service", "quantity": "1",
                           "unit_price": "10.00", "amount": "10.00", "tax_rate": "8"}


def test_ksef_correction_before_and_after_lines_add_up_to_the_change():
    e = read("ksef/KSEF_02_KOR.xml")
    inv = e.invoice
    assert (inv.invoice_number, inv.net_amount, inv.tax_amount, inv.total_amount) == (
        "FK/2025/12/0001", Decimal("-406.50"), Decimal("-93.50"), Decimal("-500"))
    # The line as it was (StanPrzed) goes away, the corrected line comes in.
    assert lines(e) == [
        {"description": "Laptop Dell XPS 15", "quantity": "2", "unit_price": "-2032.52",
         "amount": "-4065.04", "tax_rate": "23"},
        {"description": "Laptop Dell XPS 15", "quantity": "2", "unit_price": "1829.27",
         "amount": "3658.54", "tax_rate": "23"}]
    assert sum(ln.amount for ln in inv.lines if ln.amount is not None) == inv.net_amount
    # Mixed signs: the stated signs are the answer, no credit-note sign rule on top.
    assert not e.credit_note


def _fa3(fa: str, buyer: str = "<NIP>1111111111</NIP>") -> str:
    return f"""<Faktura xmlns="{FA3}">
      <Podmiot1><DaneIdentyfikacyjne><NIP>9999999999</NIP><Nazwa>S</Nazwa>
      </DaneIdentyfikacyjne></Podmiot1>
      <Podmiot2><DaneIdentyfikacyjne>{buyer}<Nazwa>B</Nazwa></DaneIdentyfikacyjne></Podmiot2>
      <Fa><KodWaluty>PLN</KodWaluty><P_1>2026-03-01</P_1><P_2>X/1</P_2>{fa}</Fa>
    </Faktura>"""


def test_ksef_difference_correction_is_a_credit_note_with_positive_quantities():
    e = read_text(_fa3("""<P_13_1>-162.60</P_13_1><P_14_1>-37.40</P_14_1><P_15>-200</P_15>
      <RodzajFaktury>KOR</RodzajFaktury>
      <FaWiersz><P_7>lodówka</P_7><P_8B>-1</P_8B><P_9A>162.60</P_9A><P_11>-162.60</P_11>
      <P_12>23</P_12></FaWiersz>"""))
    assert e.credit_note
    assert lines(e) == [{"description": "lodówka", "quantity": "1", "unit_price": "-162.60",
                         "amount": "-162.60", "tax_rate": "23"}]


def test_ksef_price_increase_correction_stays_positive():
    e = read_text(_fa3("""<P_13_1>100</P_13_1><P_14_1>23</P_14_1><P_15>123</P_15>
      <RodzajFaktury>KOR</RodzajFaktury>
      <FaWiersz><P_7>dopłata</P_7><P_8B>1</P_8B><P_9A>100</P_9A><P_11>100</P_11>
      <P_12>23</P_12></FaWiersz>"""))
    assert not e.credit_note and e.invoice.total_amount == Decimal("123")


def test_ksef_gross_priced_lines_and_non_numeric_rates():
    e = read_text(_fa3("""<P_13_1>100</P_13_1><P_14_1>23</P_14_1><P_13_7>50</P_13_7>
      <P_15>173</P_15><RodzajFaktury>VAT</RodzajFaktury>
      <FaWiersz><P_7>a</P_7><P_8B>1</P_8B><P_9B>123</P_9B><P_11A>123</P_11A>
      <P_12>23</P_12></FaWiersz>
      <FaWiersz><P_7>b</P_7><P_8B>2</P_8B><P_9A>25</P_9A><P_11>50</P_11>
      <P_12>zw</P_12></FaWiersz>""",
                       buyer="<KodUE>DE</KodUE><NrVatUE>811907980</NrVatUE>"))
    assert e.invoice.net_amount == Decimal("150") and e.invoice.tax_amount == Decimal("23")
    assert e.invoice.buyer_tax_id == "DE811907980"
    assert [(ln["unit_price"], ln["amount"], ln["tax_rate"]) for ln in lines(e)] == [
        ("123.00", "123.00", "23"), ("25.00", "50.00", "0")]


@pytest.mark.parametrize("kind", ["ZAL", "ROZ"])
def test_ksef_advance_and_settlement_invoices_have_no_lines(kind: str):
    e = read_text(_fa3(f"""<P_13_1>1000</P_13_1><P_14_1>230</P_14_1><P_15>1230</P_15>
      <RodzajFaktury>{kind}</RodzajFaktury>
      <FaWiersz><P_7>mieszkanie</P_7><P_8B>1</P_8B><P_9A>300000</P_9A><P_11>300000</P_11>
      <P_12>23</P_12></FaWiersz>"""))
    assert e.invoice.lines == [] and not e.has_lines
    assert e.invoice.total_amount == Decimal("1230")


def test_ksef_buyer_without_id_has_no_tax_id():
    e = read_text(_fa3("<P_13_1>1</P_13_1><P_14_1>0.23</P_14_1><P_15>1.23</P_15>",
                       buyer="<BrakID>1</BrakID>"))
    assert e.invoice.buyer_tax_id is None and e.invoice.buyer_name == "B"


@pytest.mark.parametrize("name, source", [
    ("finvoice/finvoice-3.0-invoice.xml", "finvoice/3.0"),
    ("ksef/FA_3_Przyklad_21.xml", "ksef/FA(3)"),
    ("ksef/gobl-fa3-invoice-standard.xml", "ksef/FA(3)"),
    ("ksef/gobl-fa2-invoice-pl-pl.xml", "ksef/FA(2)"),
    ("ksef/KSEF_02_KOR.xml", "ksef/FA(3)"),
    ("ksef/FA_3_Przyklad_26.xml", "ksef/FA(3)"),
    ("finvoice/finvoice-3.0-soap-framed.xml", "finvoice/3.0"),
])
def test_reader_passes_consistent_national_einvoices_with_their_expected_fields(
        name: str, source: str):
    result = read_invoice(FIXTURES / name)
    assert (result.status, result.reasons, result.source) == ("ok", [], source)
    expected = FIXTURES / name.replace(".xml", ".expected.json")
    assert result.fields == json.loads(expected.read_text(encoding="utf-8"))


def test_reader_makes_a_finvoice_credit_note_negative_and_checks_its_reference():
    result = read_invoice(FIXTURES / "finvoice/finvoice-1.3-credit-note.xml")
    f = result.fields
    assert (f["net_amount"], f["tax_amount"], f["total_amount"]) == ("-100.00", "-25.50",
                                                                     "-125.50")
    # Returned goods keep the sign the XML states: quantity -2 at a price of 50.00.
    assert f["lines"] == [{"description": "Palautus", "quantity": "-2", "unit_price": "50.00",
                           "amount": "-100.00", "tax_rate": "25.5"}]
    # 1043002 is not a valid Finnish reference (its check digit should be 8): as the XML
    # states it, so ok with a warning naming it.
    assert (result.status, result.reasons) == ("ok", [])
    assert [w.split(":")[0] for w in result.warnings] == ["reference_checksum"]
    assert "payment_reference 1043002" in result.warnings[0]


def test_finvoice_with_its_soap_routing_frame_is_read_from_the_second_document():
    # As the banks' forwarding service delivers it: envelope, then the ISO-8859-15 Finvoice.
    result = read_invoice(FIXTURES / "finvoice/finvoice-3.0-soap-framed.xml")
    assert (result.status, result.reasons, result.source) == ("ok", [], "finvoice/3.0")
    f = result.fields
    assert (f["invoice_number"], f["vendor_name"], f["vendor_tax_id"]) == (
        "2026-77", "Lähettäjä Oy", "FI76543212")
    assert (f["net_amount"], f["tax_amount"], f["total_amount"]) == ("300.00", "25.50",
                                                                     "325.50")
    assert [ln["description"] for ln in f["lines"]] == ["Konsultointi", "Hoitokäynti"]


@pytest.mark.parametrize("after, code", [
    ("not xml", "xml_malformed"),  # no document after the frame: still malformed
    ('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Finvoice>&e;</Finvoice>',
     "xml_forbidden"),  # the framed document is untrusted XML like any other
])
def test_a_framed_file_is_still_refused_when_its_document_is_missing_or_hostile(
        tmp_path: Path, after: str, code: str):
    path = tmp_path / "framed.xml"
    path.write_text('<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/'
                    'envelope/"><SOAP-ENV:Body/></SOAP-ENV:Envelope>' + after)
    result = read_invoice(path)
    assert result.status == "error" and result.reasons[0].startswith(code)
