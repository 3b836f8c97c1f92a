"""Write a ``SampleInvoice`` as a structured e-invoice: Finvoice 3.0, KSeF FA(3), or the
UN/CEFACT CII (EN 16931 profile) that a Factur-X PDF carries as ``factur-x.xml``.

The XML states exactly what the sample's truth says, so the demo can show an e-invoice going
straight through. Output is deterministic (no "now"): the demo relies on identical bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml import etree

from robots.invoices.fields import fmt_amount, fmt_number
from robots.invoices.samples import STREETS, SampleInvoice

FA3_NS = "http://crd.gov.pl/wzor/2025/06/25/13775/"
CII_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
# The FA(3) per-rate fields (P_13_n net, P_14_n VAT) of the Polish rates.
KSEF_RATE_FIELD = {Decimal("23"): 1, Decimal("22"): 1, Decimal("8"): 2, Decimal("7"): 2,
                   Decimal("5"): 3}


def _sub(parent: etree._Element, tag: str, text: str | None = None,
         **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _money(value: Decimal) -> str:
    return fmt_amount(value) or "0.00"


def _street(inv: SampleInvoice) -> tuple[str, str, str]:
    """Street, postcode and town of the vendor's (sample) address."""
    street, place = STREETS[inv.vendor["country"]].split(", ", 1)
    m = re.fullmatch(r"(\d[\d -]*\d)\s+(.+)", place)  # "411 38 Göteborg", "90-001 Łódź"
    if m:
        return street, m[1], m[2]
    town, _, postcode = place.partition(" ")  # "London SE1 9BG"
    return street, postcode, town


def _line_vat(inv: SampleInvoice) -> list[Decimal]:
    return [(inv.line_amount(ln) * ln.tax_rate / 100).quantize(Decimal("0.01"))
            for ln in inv.lines]


# --- Finvoice 3.0 -------------------------------------------------------------------------

def finvoice_xml(inv: SampleInvoice) -> bytes:
    v, b = inv.vendor, inv.buyer
    cur = {"AmountCurrencyIdentifier": v["currency"]}

    def fi_money(value: Decimal) -> str:
        return _money(value).replace(".", ",")

    fi_date = {"Format": "CCYYMMDD"}
    root = etree.Element("Finvoice", Version="3.0")
    seller = _sub(root, "SellerPartyDetails")
    if v["tax_id"].startswith("FI"):
        _sub(seller, "SellerPartyIdentifier", f"{v['tax_id'][2:9]}-{v['tax_id'][9]}")
    _sub(seller, "SellerOrganisationName", v["name"])
    _sub(seller, "SellerOrganisationTaxCode", v["tax_id"])
    street, postcode, town = _street(inv)
    address = _sub(seller, "SellerPostalAddressDetails")
    _sub(address, "SellerStreetName", street)
    _sub(address, "SellerTownName", town)
    _sub(address, "SellerPostCodeIdentifier", postcode)
    _sub(address, "CountryCode", v["country"])
    buyer = _sub(root, "BuyerPartyDetails")
    if b["tax_id"].startswith("FI"):
        _sub(buyer, "BuyerPartyIdentifier", f"{b['tax_id'][2:9]}-{b['tax_id'][9]}")
    _sub(buyer, "BuyerOrganisationName", b["name"])
    _sub(buyer, "BuyerOrganisationTaxCode", b["tax_id"])
    details = _sub(root, "InvoiceDetails")
    _sub(details, "InvoiceTypeCode", "INV02" if inv.credit else "INV01")
    _sub(details, "InvoiceTypeText", "HYVITYSLASKU" if inv.credit else "LASKU")
    _sub(details, "OriginCode", "Original")
    _sub(details, "InvoiceNumber", inv.number)
    _sub(details, "InvoiceDate", inv.issue.strftime("%Y%m%d"), **fi_date)
    _sub(details, "RowsTotalVatExcludedAmount", fi_money(inv.net()), **cur)
    _sub(details, "InvoiceTotalVatExcludedAmount", fi_money(inv.net()), **cur)
    _sub(details, "InvoiceTotalVatAmount", fi_money(inv.tax()), **cur)
    _sub(details, "InvoiceTotalVatIncludedAmount", fi_money(inv.total()), **cur)
    for rate, (base, tax) in inv.tax_by_rate().items():
        spec = _sub(details, "VatSpecificationDetails")
        _sub(spec, "VatBaseAmount", fi_money(base), **cur)
        _sub(spec, "VatRatePercent", (fmt_number(rate) or "0").replace(".", ","))
        _sub(spec, "VatCode", "S")
        _sub(spec, "VatRateAmount", fi_money(tax), **cur)
    terms = _sub(details, "PaymentTermsDetails")
    _sub(terms, "PaymentTermsFreeText", f"{(inv.due - inv.issue).days} päivää netto")
    _sub(terms, "InvoiceDueDate", inv.due.strftime("%Y%m%d"), **fi_date)
    for n, (ln, vat) in enumerate(zip(inv.lines, _line_vat(inv), strict=True), 1):
        row = _sub(root, "InvoiceRow")
        _sub(row, "ArticleName", ln.description)
        _sub(row, "InvoicedQuantity", (fmt_number(ln.quantity) or "0").replace(".", ","),
             QuantityUnitCode="kpl")
        _sub(row, "UnitPriceAmount", fi_money(inv.unit_price(ln)), **cur)
        _sub(row, "RowPositionIdentifier", str(n))
        _sub(row, "RowVatRatePercent", (fmt_number(ln.tax_rate) or "0").replace(".", ","))
        _sub(row, "RowVatCode", "S")
        _sub(row, "RowVatAmount", fi_money(vat), **cur)
        _sub(row, "RowVatExcludedAmount", fi_money(inv.line_amount(ln)), **cur)
        _sub(row, "RowAmount", fi_money(inv.line_amount(ln) + vat), **cur)
    epi = _sub(root, "EpiDetails")
    ident = _sub(epi, "EpiIdentificationDetails")
    _sub(ident, "EpiDate", inv.issue.strftime("%Y%m%d"), **fi_date)
    _sub(ident, "EpiReference", inv.reference or inv.number)
    party = _sub(epi, "EpiPartyDetails")
    _sub(_sub(party, "EpiBfiPartyDetails"), "EpiBfiIdentifier", "NDEAFIHH",
         IdentificationSchemeName="BIC")
    beneficiary = _sub(party, "EpiBeneficiaryPartyDetails")
    _sub(beneficiary, "EpiNameAddressDetails", v["name"])
    _sub(beneficiary, "EpiAccountID", v["iban"], IdentificationSchemeName="IBAN")
    pay = _sub(epi, "EpiPaymentInstructionDetails")
    if inv.reference:
        scheme = "ISO" if inv.reference.startswith("RF") else "SPY"
        _sub(pay, "EpiRemittanceInfoIdentifier", inv.reference,
             IdentificationSchemeName=scheme)
    _sub(pay, "EpiInstructedAmount", fi_money(inv.total()), **cur)
    _sub(pay, "EpiCharge", "SHA", ChargeOption="SHA")
    _sub(pay, "EpiDateOptionDate", inv.due.strftime("%Y%m%d"), **fi_date)
    return _bytes(root)


# --- KSeF FA(3) ---------------------------------------------------------------------------

def ksef_xml(inv: SampleInvoice) -> bytes:
    """An FA(3) VAT invoice (or a KOR correction stating the money going back) from a
    Polish vendor. FA(3) has no payment reference: the sample's is not written."""
    v, b = inv.vendor, inv.buyer
    k: Callable[[str], str] = lambda tag: f"{{{FA3_NS}}}{tag}"  # noqa: E731
    root = etree.Element(k("Faktura"), nsmap={None: FA3_NS})
    head = _sub(root, k("Naglowek"))
    _sub(head, k("KodFormularza"), "FA", kodSystemowy="FA (3)", wersjaSchemy="1-0E")
    _sub(head, k("WariantFormularza"), "3")
    _sub(head, k("DataWytworzeniaFa"), f"{inv.issue.isoformat()}T08:00:00Z")
    _sub(head, k("SystemInfo"), "backoffice-bots sample generator")
    street, postcode, town = _street(inv)
    for role, party in (("Podmiot1", v), ("Podmiot2", b)):
        el = _sub(root, k(role))
        ident = _sub(el, k("DaneIdentyfikacyjne"))
        tax_id = party["tax_id"]
        if tax_id.startswith("PL"):
            _sub(ident, k("NIP"), tax_id[2:])
        else:
            _sub(ident, k("KodUE"), tax_id[:2])
            _sub(ident, k("NrVatUE"), tax_id[2:])
        _sub(ident, k("Nazwa"), party["name"])
        address = _sub(el, k("Adres"))
        _sub(address, k("KodKraju"), tax_id[:2])
        if party is v:
            _sub(address, k("AdresL1"), street)
            _sub(address, k("AdresL2"), f"{postcode} {town}")
        else:
            _sub(address, k("AdresL1"), party["address"])
        if role == "Podmiot2":
            _sub(el, k("JST"), "2")
            _sub(el, k("GV"), "2")
    fa = _sub(root, k("Fa"))
    _sub(fa, k("KodWaluty"), v["currency"])
    _sub(fa, k("P_1"), inv.issue.isoformat())
    _sub(fa, k("P_2"), inv.number)
    for rate, (base, tax) in sorted(inv.tax_by_rate().items(),
                                    key=lambda item: KSEF_RATE_FIELD[item[0]]):
        field = KSEF_RATE_FIELD[rate]
        _sub(fa, k(f"P_13_{field}"), _money(base))
        _sub(fa, k(f"P_14_{field}"), _money(tax))
    _sub(fa, k("P_15"), _money(inv.total()))
    notes = _sub(fa, k("Adnotacje"))
    for tag in ("P_16", "P_17", "P_18", "P_18A"):
        _sub(notes, k(tag), "2")
    _sub(_sub(notes, k("Zwolnienie")), k("P_19N"), "1")
    _sub(_sub(notes, k("NoweSrodkiTransportu")), k("P_22N"), "1")
    _sub(notes, k("P_23"), "2")
    _sub(_sub(notes, k("PMarzy")), k("P_PMarzyN"), "1")
    _sub(fa, k("RodzajFaktury"), "KOR" if inv.credit else "VAT")
    if inv.credit:
        _sub(fa, k("PrzyczynaKorekty"), "zwrot towaru")
        _sub(fa, k("TypKorekty"), "2")
        corrected = _sub(fa, k("DaneFaKorygowanej"))
        _sub(corrected, k("DataWystFaKorygowanej"), inv.issue.isoformat())
        _sub(corrected, k("NrFaKorygowanej"), f"{inv.number}-0")
        _sub(corrected, k("NrKSeFN"), "1")
    for n, ln in enumerate(inv.lines, 1):
        row = _sub(fa, k("FaWiersz"))
        _sub(row, k("NrWierszaFa"), str(n))
        _sub(row, k("P_7"), ln.description)
        _sub(row, k("P_8A"), "szt.")
        _sub(row, k("P_8B"), fmt_number(ln.quantity))
        _sub(row, k("P_9A"), _money(inv.unit_price(ln)))
        _sub(row, k("P_11"), _money(inv.line_amount(ln)))
        _sub(row, k("P_12"), fmt_number(ln.tax_rate))
    pay = _sub(fa, k("Platnosc"))
    _sub(_sub(pay, k("TerminPlatnosci")), k("Termin"), inv.due.isoformat())
    _sub(pay, k("FormaPlatnosci"), "6")
    iban = v["iban"]
    # A Polish account is written as its NRB: the IBAN without the country code.
    _sub(_sub(pay, k("RachunekBankowy")), k("NrRB"), iban[2:] if iban[:2] == "PL" else iban)
    return _bytes(root)


# --- CII (Factur-X EN 16931) --------------------------------------------------------------

def cii_xml(inv: SampleInvoice) -> bytes:
    v, b = inv.vendor, inv.buyer
    cur = v["currency"]

    def q(tag: str) -> str:
        prefix, name = tag.split(":")
        return f"{{{CII_NS[prefix]}}}{name}"

    def day(parent: etree._Element, tag: str, d: date) -> None:
        _sub(_sub(parent, q(tag)), q("udt:DateTimeString"), d.strftime("%Y%m%d"), format="102")

    root = etree.Element(q("rsm:CrossIndustryInvoice"), nsmap=CII_NS)  # type: ignore[arg-type]
    context = _sub(root, q("rsm:ExchangedDocumentContext"))
    _sub(_sub(context, q("ram:GuidelineSpecifiedDocumentContextParameter")), q("ram:ID"),
         "urn:cen.eu:en16931:2017")
    doc = _sub(root, q("rsm:ExchangedDocument"))
    _sub(doc, q("ram:ID"), inv.number)
    _sub(doc, q("ram:TypeCode"), "381" if inv.credit else "380")
    day(doc, "ram:IssueDateTime", inv.issue)
    trade = _sub(root, q("rsm:SupplyChainTradeTransaction"))
    # A credit note (381) states its amounts positive; the reader makes them negative.
    sign = Decimal(-1) if inv.credit else Decimal(1)
    for n, ln in enumerate(inv.lines, 1):
        item = _sub(trade, q("ram:IncludedSupplyChainTradeLineItem"))
        _sub(_sub(item, q("ram:AssociatedDocumentLineDocument")), q("ram:LineID"), str(n))
        _sub(_sub(item, q("ram:SpecifiedTradeProduct")), q("ram:Name"), ln.description)
        price = _sub(_sub(item, q("ram:SpecifiedLineTradeAgreement")),
                     q("ram:NetPriceProductTradePrice"))
        _sub(price, q("ram:ChargeAmount"), _money(inv.unit_price(ln) * sign))
        _sub(_sub(item, q("ram:SpecifiedLineTradeDelivery")), q("ram:BilledQuantity"),
             fmt_number(ln.quantity), unitCode="C62")
        settle = _sub(item, q("ram:SpecifiedLineTradeSettlement"))
        _vat(settle, q, ln.tax_rate)
        _sub(_sub(settle, q("ram:SpecifiedTradeSettlementLineMonetarySummation")),
             q("ram:LineTotalAmount"), _money(inv.line_amount(ln) * sign))
    agreement = _sub(trade, q("ram:ApplicableHeaderTradeAgreement"))
    street, postcode, town = _street(inv)
    for tag, party in (("ram:SellerTradeParty", v), ("ram:BuyerTradeParty", b)):
        el = _sub(agreement, q(tag))
        _sub(el, q("ram:Name"), party["name"])
        address = _sub(el, q("ram:PostalTradeAddress"))
        if party is v:
            _sub(address, q("ram:PostcodeCode"), postcode)
            _sub(address, q("ram:LineOne"), street)
            _sub(address, q("ram:CityName"), town)
        else:
            _sub(address, q("ram:LineOne"), party["address"])
        _sub(address, q("ram:CountryID"), party["tax_id"][:2])
        _sub(_sub(el, q("ram:SpecifiedTaxRegistration")), q("ram:ID"), party["tax_id"],
             schemeID="VA")
    _sub(trade, q("ram:ApplicableHeaderTradeDelivery"))
    settlement = _sub(trade, q("ram:ApplicableHeaderTradeSettlement"))
    if inv.reference:
        _sub(settlement, q("ram:PaymentReference"), inv.reference)
    _sub(settlement, q("ram:InvoiceCurrencyCode"), cur)
    means = _sub(settlement, q("ram:SpecifiedTradeSettlementPaymentMeans"))
    _sub(means, q("ram:TypeCode"), "58")
    _sub(_sub(means, q("ram:PayeePartyCreditorFinancialAccount")), q("ram:IBANID"), v["iban"])
    for rate, (base, tax) in inv.tax_by_rate().items():
        _vat(settlement, q, rate, basis=base * sign, tax=tax * sign)
    day(_sub(settlement, q("ram:SpecifiedTradePaymentTerms")), "ram:DueDateDateTime", inv.due)
    sums = _sub(settlement, q("ram:SpecifiedTradeSettlementHeaderMonetarySummation"))
    _sub(sums, q("ram:LineTotalAmount"), _money(inv.net() * sign))
    _sub(sums, q("ram:TaxBasisTotalAmount"), _money(inv.net() * sign))
    _sub(sums, q("ram:TaxTotalAmount"), _money(inv.tax() * sign), currencyID=cur)
    _sub(sums, q("ram:GrandTotalAmount"), _money(inv.total() * sign))
    _sub(sums, q("ram:DuePayableAmount"), _money(inv.total() * sign))
    return _bytes(root)


def _vat(parent: etree._Element, q: Callable[[str], str], rate: Decimal, *,
         basis: Decimal | None = None, tax: Decimal | None = None) -> None:
    """An ApplicableTradeTax: a line's (rate only) or the header's breakdown by rate."""
    el = _sub(parent, q("ram:ApplicableTradeTax"))
    if tax is not None:
        _sub(el, q("ram:CalculatedAmount"), _money(tax))
    _sub(el, q("ram:TypeCode"), "VAT")
    if basis is not None:
        _sub(el, q("ram:BasisAmount"), _money(basis))
    _sub(el, q("ram:CategoryCode"), "S")
    _sub(el, q("ram:RateApplicablePercent"), fmt_number(rate))


def write_einvoice(inv: SampleInvoice, path: Path) -> None:
    """Write ``inv`` in its ``einvoice`` format: Finvoice or KSeF XML, or a Factur-X PDF."""
    if inv.einvoice == "finvoice":
        path.write_bytes(finvoice_xml(inv))
    elif inv.einvoice == "ksef":
        path.write_bytes(ksef_xml(inv))
    elif inv.einvoice == "facturx":
        from robots.invoices.sample_pdf import render_invoice

        render_invoice(inv, path, embedded_xml=cii_xml(inv))
    else:
        raise ValueError(f"unknown e-invoice format {inv.einvoice!r}")
