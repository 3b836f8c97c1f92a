"""Test helpers: a CII (Factur-X EN 16931) XML written from invoice fields, and a PDF with an
XML attached the way Factur-X does it, so a real page can be paired with a chosen XML."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter


def _party(role: str, name: str | None, tax_id: str | None) -> str:
    reg = (f'<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{escape(tax_id)}</ram:ID>'
           "</ram:SpecifiedTaxRegistration>") if tax_id else ""
    return f"<ram:{role}><ram:Name>{escape(name or '')}</ram:Name>{reg}</ram:{role}>"


def _day(value: str) -> str:
    return f'<udt:DateTimeString format="102">{value.replace("-", "")}</udt:DateTimeString>'


def cii_xml(f: dict[str, Any], *, type_code: str = "380",
            guideline: str = "urn:cen.eu:en16931:2017") -> bytes:
    lines = "".join(
        f"<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument>"
        f"<ram:LineID>{i}</ram:LineID></ram:AssociatedDocumentLineDocument>"
        f"<ram:SpecifiedTradeProduct><ram:Name>{escape(ln['description'])}</ram:Name>"
        f"</ram:SpecifiedTradeProduct><ram:SpecifiedLineTradeAgreement>"
        f"<ram:NetPriceProductTradePrice><ram:ChargeAmount>{ln['unit_price']}</ram:ChargeAmount>"
        f"</ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>"
        f"<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode=\"C62\">"
        f"{ln['quantity']}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>"
        f"<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT"
        f"</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>"
        f"{ln['tax_rate']}</ram:RateApplicablePercent></ram:ApplicableTradeTax>"
        f"<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>"
        f"{ln['amount']}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>"
        f"</ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>"
        for i, ln in enumerate(f["lines"], 1))
    line_total = sum((Decimal(ln["amount"]) for ln in f["lines"]), Decimal(0))
    net = Decimal(f["net_amount"])
    allowance, charge = max(line_total - net, Decimal(0)), max(net - line_total, Decimal(0))
    due = (f"<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>{_day(f['due_date'])}"
           "</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>") if f.get("due_date") else ""
    iban = (f"<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode>"
            f"<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{f['iban']}</ram:IBANID>"
            f"</ram:PayeePartyCreditorFinancialAccount></ram:SpecifiedTradeSettlementPaymentMeans>"
            ) if f.get("iban") else ""
    reference = (f"<ram:PaymentReference>{escape(f['payment_reference'])}</ram:PaymentReference>"
                 if f.get("payment_reference") else "")
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
<ram:ID>{guideline}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
</rsm:ExchangedDocumentContext>
<rsm:ExchangedDocument><ram:ID>{escape(f['invoice_number'])}</ram:ID>
<ram:TypeCode>{type_code}</ram:TypeCode>
<ram:IssueDateTime>{_day(f['issue_date'])}</ram:IssueDateTime></rsm:ExchangedDocument>
<rsm:SupplyChainTradeTransaction>{lines}
<ram:ApplicableHeaderTradeAgreement>{_party("SellerTradeParty", f["vendor_name"],
                                            f.get("vendor_tax_id"))}
{_party("BuyerTradeParty", f.get("buyer_name"), f.get("buyer_tax_id"))}
</ram:ApplicableHeaderTradeAgreement><ram:ApplicableHeaderTradeDelivery/>
<ram:ApplicableHeaderTradeSettlement>{reference}
<ram:InvoiceCurrencyCode>{f['currency']}</ram:InvoiceCurrencyCode>{iban}{due}
<ram:SpecifiedTradeSettlementHeaderMonetarySummation>
<ram:LineTotalAmount>{line_total}</ram:LineTotalAmount>
<ram:ChargeTotalAmount>{charge}</ram:ChargeTotalAmount>
<ram:AllowanceTotalAmount>{allowance}</ram:AllowanceTotalAmount>
<ram:TaxBasisTotalAmount>{f['net_amount']}</ram:TaxBasisTotalAmount>
<ram:TaxTotalAmount currencyID="{f['currency']}">{f['tax_amount']}</ram:TaxTotalAmount>
<ram:GrandTotalAmount>{f['total_amount']}</ram:GrandTotalAmount>
<ram:DuePayableAmount>{f['total_amount']}</ram:DuePayableAmount>
</ram:SpecifiedTradeSettlementHeaderMonetarySummation>
</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""
    return xml.encode("utf-8")


def attach(pdf: Path, xml: bytes, out: Path, name: str = "factur-x.xml") -> Path:
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.add_attachment(name, xml)
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def attach_packed(pdf: Path, xml: bytes, out: Path, *, declared_size: int | None = None,
                  name: str = "factur-x.xml") -> Path:
    """``attach`` with the attachment stored Flate-compressed (as producers store it), so a
    small PDF can carry a large XML; ``declared_size`` sets its ``/Params /Size``."""
    import zlib

    from pypdf.generic import NameObject, NumberObject

    writer = PdfWriter(clone_from=PdfReader(pdf))
    embedded = writer.add_attachment(name, b"")
    stream = embedded.pdf_object["/EF"]["/F"]
    stream.set_data(zlib.compress(xml, 9))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    if declared_size is not None:
        embedded.size = NumberObject(declared_size)
    with out.open("wb") as fh:
        writer.write(fh)
    return out
