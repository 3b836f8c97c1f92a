"""OASIS UBL 2.1 ``Invoice`` and ``CreditNote``: EN 16931, XRechnung UBL, PEPPOL BIS Billing 3.0.

Field sources (EN 16931 business terms; ``cac:``/``cbc:`` are the UBL common components):

    invoice_number  BT-1   cbc:ID
    issue_date      BT-2   cbc:IssueDate
    due_date        BT-9   cbc:DueDate (Invoice), else cac:PaymentMeans/cbc:PaymentDueDate
    vendor_name     BT-27  AccountingSupplierParty/Party/PartyLegalEntity/RegistrationName,
                    else BT-28 PartyName/Name
    vendor_tax_id   BT-31  PartyTaxScheme/CompanyID with TaxScheme/ID VAT, else BT-32 (the
                    PartyTaxScheme of another scheme: the national tax number)
    buyer_name      BT-44, buyer_tax_id BT-48: the same under AccountingCustomerParty
    currency        BT-5   cbc:DocumentCurrencyCode, else the currencyID of the totals
    net_amount      BT-109 LegalMonetaryTotal/TaxExclusiveAmount
    tax_amount      BT-110 TaxTotal/TaxAmount in the document currency
    total_amount    BT-112 LegalMonetaryTotal/TaxInclusiveAmount
    iban            BT-84  PaymentMeans/PayeeFinancialAccount/ID (when it is an IBAN)
    payment_reference BT-83 PaymentMeans/PaymentID
    lines           BG-25 InvoiceLine / CreditNoteLine: BT-153 Item/Name, BT-129 quantity,
                    BT-146 Price/PriceAmount / BT-149 Price/BaseQuantity, BT-131
                    LineExtensionAmount, BT-152 Item/ClassifiedTaxCategory/Percent
"""

from __future__ import annotations

import re

from lxml import etree

from robots.invoices.einvoice.common import (
    EInvoice,
    Node,
    adjustment,
    is_credit_note,
    line,
    stated_currency,
    tax_id,
    unit_price,
)
from robots.invoices.fields import Invoice, Line

NS = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
      "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")
# CustomizationID fragments, most specific first: the profile named in extraction.source.
_PROFILES = (("xrechnung", "XRECHNUNG"), ("peppol", "PEPPOL"), ("en16931", "EN16931"))


def read(root: etree._Element) -> EInvoice:
    notes: list[str] = []
    doc = Node(root, NS, notes)
    credit_root = etree.QName(root).localname == "CreditNote"
    kind = "CreditNote" if credit_root else "Invoice"
    type_code = doc.text(f"cbc:{kind}TypeCode")
    customization = (doc.text("cbc:CustomizationID") or "").lower()
    profile = next((label for key, label in _PROFILES if key in customization), "UBL")
    inv = Invoice(invoice_number=doc.text("cbc:ID"), issue_date=doc.date("cbc:IssueDate"),
                  currency=doc.text("cbc:DocumentCurrencyCode"))
    inv.due_date = doc.date("cbc:DueDate") or next(
        (d for means in doc.all("cac:PaymentMeans")
         if (d := means.date("cbc:PaymentDueDate")) is not None), None)
    inv.vendor_name, inv.vendor_tax_id = _party(doc.at("cac:AccountingSupplierParty/cac:Party"))
    inv.buyer_name, inv.buyer_tax_id = _party(doc.at("cac:AccountingCustomerParty/cac:Party"))
    for means in doc.all("cac:PaymentMeans"):
        inv.payment_reference = inv.payment_reference or means.text("cbc:PaymentID")
        account = "".join((means.text("cac:PayeeFinancialAccount/cbc:ID") or "").split())
        if inv.iban is None and _IBAN.fullmatch(account.upper()):
            inv.iban = account.upper()
    name = "ubl-creditnote" if credit_root else "ubl"
    out = EInvoice(invoice=inv, source=f"{name}/{profile}", notes=notes,
                   credit_note=credit_root or is_credit_note(type_code))
    total = doc.at("cac:LegalMonetaryTotal")
    if total is not None:
        if inv.currency is None:
            inv.currency = stated_currency(total.all("cbc:TaxInclusiveAmount")
                                           + total.all("cbc:TaxExclusiveAmount")
                                           + total.all("cbc:PayableAmount"))
        inv.net_amount = total.dec("cbc:TaxExclusiveAmount")
        inv.total_amount = total.dec("cbc:TaxInclusiveAmount")
        out.line_total = total.dec("cbc:LineExtensionAmount")
        out.allowances = total.dec("cbc:AllowanceTotalAmount")
        out.charges = total.dec("cbc:ChargeTotalAmount")
        out.prepaid = total.dec("cbc:PrepaidAmount")
        out.rounding = total.dec("cbc:PayableRoundingAmount")
        out.due_payable = total.dec("cbc:PayableAmount")
    # BT-110 is the TaxTotal in the document currency; a second one (BT-111) is in the VAT
    # accounting currency.
    for tax in doc.all("cac:TaxTotal/cbc:TaxAmount"):
        if tax.el.get("currencyID") in (None, inv.currency):
            inv.tax_amount = tax.dec()
            break
    items = doc.all(f"cac:{kind}Line")
    inv.lines = [_line(item, kind) for item in items]
    out.line_adjustments = [adjustment([(c.text("cbc:ChargeIndicator"), c.dec("cbc:Amount"))
                                        for c in item.all("cac:AllowanceCharge")])
                            for item in items]
    return out


def _party(party: Node | None) -> tuple[str | None, str | None]:
    if party is None:
        return None, None
    name = party.first_text("cac:PartyLegalEntity/cbc:RegistrationName",
                            "cac:PartyName/cbc:Name")
    vat = other = None
    for scheme in party.all("cac:PartyTaxScheme"):
        company = scheme.text("cbc:CompanyID")
        if not company:
            continue
        if (scheme.text("cac:TaxScheme/cbc:ID") or "").upper() == "VAT":
            vat = vat or company
        else:
            other = other or company
    return name, tax_id(vat, other)


def _line(item: Node, kind: str) -> Line:
    quantity = item.dec("cbc:InvoicedQuantity" if kind == "Invoice" else "cbc:CreditedQuantity")
    return line(item.text("cac:Item/cbc:Name"), quantity,
                unit_price(item.dec("cac:Price/cbc:PriceAmount"),
                           item.dec("cac:Price/cbc:BaseQuantity")),
                item.dec("cbc:LineExtensionAmount"),
                item.dec("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"))
