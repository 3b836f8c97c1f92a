"""UN/CEFACT Cross Industry Invoice: Factur-X / ZUGFeRD 2.x (every profile, MINIMUM to
EXTENDED), XRechnung CII, and ZUGFeRD 1.0 (``CrossIndustryDocument``, and its release
candidate ``CBFBUY:5 Invoice``).

Elements are matched by local name (``{*}``): the three generations put the same names in
different namespaces (the release candidate in none), and only the names of the trade
transaction's blocks differ, see ``_Dialect``. Field sources (EN 16931 business terms):

    invoice_number  BT-1   ExchangedDocument/ID
    issue_date      BT-2   ExchangedDocument/IssueDateTime (format 102)
    due_date        BT-9   SpecifiedTradePaymentTerms/DueDateDateTime
    vendor_name     BT-27  SellerTradeParty/Name
    vendor_tax_id   BT-31  SellerTradeParty/SpecifiedTaxRegistration/ID[@schemeID=VA],
                    else BT-32 (schemeID FC, the national tax number)
    buyer_name      BT-44  BuyerTradeParty/Name;  buyer_tax_id BT-48 (VA, else FC)
    currency        BT-5   InvoiceCurrencyCode, else the currencyID of the header totals
    net_amount      BT-109 TaxBasisTotalAmount
    tax_amount      BT-110 TaxTotalAmount in the invoice currency
    total_amount    BT-112 GrandTotalAmount
    iban            BT-84  PayeePartyCreditorFinancialAccount/IBANID
    payment_reference BT-83 PaymentReference
    lines           BG-25: BT-153 product Name, BT-129 BilledQuantity, BT-146 net price /
                    BT-149 base quantity, BT-131 line LineTotalAmount, BT-152 VAT rate
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lxml import etree

from robots.invoices.einvoice.common import (
    EInvoice,
    Node,
    adjustment,
    is_credit_note,
    line,
    stated_currency,
    tax_id,
    to_date,
    unit_price,
)
from robots.invoices.fields import Invoice, Line


@dataclass(frozen=True)
class _Dialect:
    name: str
    context: str
    document: str
    transaction: str
    agreement: str
    settlement: str
    summation: str
    line_agreement: str
    line_delivery: str
    line_settlement: str
    line_summation: str
    rate: str


_D16B = _Dialect(
    name="cii", context="{*}ExchangedDocumentContext", document="{*}ExchangedDocument",
    transaction="{*}SupplyChainTradeTransaction",
    agreement="{*}ApplicableHeaderTradeAgreement",
    settlement="{*}ApplicableHeaderTradeSettlement",
    summation="{*}SpecifiedTradeSettlementHeaderMonetarySummation",
    line_agreement="{*}SpecifiedLineTradeAgreement",
    line_delivery="{*}SpecifiedLineTradeDelivery",
    line_settlement="{*}SpecifiedLineTradeSettlement",
    line_summation="{*}SpecifiedTradeSettlementLineMonetarySummation",
    rate="{*}RateApplicablePercent")
_ZUGFERD1 = _Dialect(
    name="zugferd-1", context="{*}SpecifiedExchangedDocumentContext",
    document="{*}HeaderExchangedDocument",
    transaction="{*}SpecifiedSupplyChainTradeTransaction",
    agreement="{*}ApplicableSupplyChainTradeAgreement",
    settlement="{*}ApplicableSupplyChainTradeSettlement",
    summation="{*}SpecifiedTradeSettlementMonetarySummation",
    line_agreement="{*}SpecifiedSupplyChainTradeAgreement",
    line_delivery="{*}SpecifiedSupplyChainTradeDelivery",
    line_settlement="{*}SpecifiedSupplyChainTradeSettlement",
    line_summation="{*}SpecifiedTradeSettlementMonetarySummation",
    rate="{*}ApplicablePercent")

# Guideline id fragments, most specific first: the profile named in extraction.source.
_PROFILES = (("xrechnung", "XRECHNUNG"), ("extended", "EXTENDED"), ("basicwl", "BASIC WL"),
             ("basic", "BASIC"), ("minimum", "MINIMUM"), ("comfort", "COMFORT"),
             ("en16931", "EN16931"))
# Profiles that carry no invoice lines: their absence is not a reading failure.
NO_LINE_PROFILES = frozenset({"MINIMUM", "BASIC WL"})


def profile_of(guideline: str | None) -> str:
    folded = (guideline or "").lower()
    return next((label for key, label in _PROFILES if key in folded), "UNKNOWN")


def read(root: etree._Element) -> EInvoice:
    dialect = _D16B if etree.QName(root).localname == "CrossIndustryInvoice" else _ZUGFERD1
    notes: list[str] = []
    doc = Node(root, {}, notes)
    d = dialect
    profile = profile_of(doc.text(f"{d.context}/{{*}}GuidelineSpecifiedDocumentContextParameter"
                                  "/{*}ID"))
    header = doc.at(d.document)
    trade = doc.at(d.transaction)
    agreement = trade.at(d.agreement) if trade is not None else None
    settlement = trade.at(d.settlement) if trade is not None else None
    summation = settlement.at(d.summation) if settlement is not None else None
    inv = Invoice()
    type_code = None
    if header is not None:
        inv.invoice_number = header.text("{*}ID")
        type_code = header.text("{*}TypeCode")
        inv.issue_date = _date(header, "{*}IssueDateTime")
    if agreement is not None:
        inv.vendor_name, inv.vendor_tax_id = _party(agreement.at("{*}SellerTradeParty"))
        inv.buyer_name, inv.buyer_tax_id = _party(agreement.at("{*}BuyerTradeParty"))
    out = EInvoice(invoice=inv, source=f"{d.name}/{profile}", notes=notes,
                   credit_note=is_credit_note(type_code),
                   has_lines=profile not in NO_LINE_PROFILES)
    if settlement is not None:
        inv.currency = settlement.text("{*}InvoiceCurrencyCode")
        inv.payment_reference = settlement.text("{*}PaymentReference")
        inv.iban = _iban(settlement)
        inv.due_date = next((day for terms in settlement.all("{*}SpecifiedTradePaymentTerms")
                             if (day := _date(terms, "{*}DueDateDateTime")) is not None), None)
    if summation is not None:
        if inv.currency is None:  # BT-110 is in the invoice currency, BT-111 may not be
            inv.currency = stated_currency(summation.all("{*}GrandTotalAmount")
                                           + summation.all("{*}TaxBasisTotalAmount")
                                           + summation.all("{*}DuePayableAmount"))
        inv.net_amount = summation.dec("{*}TaxBasisTotalAmount")
        inv.tax_amount = _tax_total(summation, inv.currency)
        inv.total_amount = summation.dec("{*}GrandTotalAmount")
        out.line_total = summation.dec("{*}LineTotalAmount")
        out.allowances = summation.dec("{*}AllowanceTotalAmount")
        out.charges = summation.dec("{*}ChargeTotalAmount")
        out.prepaid = summation.dec("{*}TotalPrepaidAmount")
        out.rounding = summation.dec("{*}RoundingAmount")
        # BR-CO-16 is EN 16931's: ZUGFeRD 1.0 predates it, and MINIMUM cannot state a
        # prepaid amount, so there an amount due below the total is no contradiction.
        if d is _D16B and profile != "MINIMUM":
            out.due_payable = summation.dec("{*}DuePayableAmount")
    if trade is not None:
        items = [item for item in trade.all("{*}IncludedSupplyChainTradeLineItem")
                 if _is_invoiced(item)]
        inv.lines = [_line(item, d) for item in items]
        out.line_adjustments = [adjustment(
            [(c.text("{*}ChargeIndicator/{*}Indicator"), c.dec("{*}ActualAmount"))
             for c in item.all(f"{d.line_settlement}/{{*}}SpecifiedTradeAllowanceCharge")])
            for item in items]
    return out


def _date(parent: Node, path: str) -> date | None:
    found = parent.at(path)
    if found is None:
        return None
    # D16B and ZUGFeRD 1.0 wrap the value in udt:DateTimeString; the release candidate not.
    value = found.at("{*}DateTimeString") or found
    return to_date(value.text(), value.el.get("format"), path, parent.notes)


def _party(party: Node | None) -> tuple[str | None, str | None]:
    if party is None:
        return None, None
    ids: dict[str, str] = {}
    for reg in party.all("{*}SpecifiedTaxRegistration/{*}ID"):
        scheme, value = (reg.el.get("schemeID") or "").upper(), reg.text()
        if value and scheme not in ids:
            ids[scheme] = value
    return party.text("{*}Name"), tax_id(ids.get("VA"), ids.get("FC"))


def _iban(settlement: Node) -> str | None:
    for means in settlement.all("{*}SpecifiedTradeSettlementPaymentMeans"):
        value = means.text("{*}PayeePartyCreditorFinancialAccount/{*}IBANID")
        if value:
            return "".join(value.split()).upper()
    return None


def _tax_total(summation: Node, currency: str | None) -> Decimal | None:
    totals = summation.all("{*}TaxTotalAmount")
    # BT-110 is in the invoice currency; a second TaxTotalAmount (BT-111) is in the VAT
    # accounting currency.
    for total in totals:
        if currency is None or total.el.get("currencyID") in (None, currency):
            return total.dec()
    return totals[0].dec() if totals else None


def _is_invoiced(item: Node) -> bool:
    # EXTENDED group/information lines repeat amounts already in their detail lines.
    status = item.text("{*}AssociatedDocumentLineDocument/{*}LineStatusReasonCode")
    if (status or "").upper() in ("GROUP", "INFORMATION"):
        return False
    # An item with neither product, quantity nor amount only carries a note (ZUGFeRD 1.0
    # EXTENDED writes its notes so): text, like a Finvoice text row, not a line.
    return any(next(item.el.iterfind(f".//{{*}}{name}"), None) is not None
               for name in ("SpecifiedTradeProduct", "BilledQuantity", "LineTotalAmount"))


def _line(item: Node, d: _Dialect) -> Line:
    price = item.at(f"{d.line_agreement}/{{*}}NetPriceProductTradePrice")
    per_unit = None
    if price is not None:
        per_unit = unit_price(price.dec("{*}ChargeAmount"), price.dec("{*}BasisQuantity"))
    settle = item.at(d.line_settlement)
    rate = amount = None
    if settle is not None:
        rate = settle.dec(f"{{*}}ApplicableTradeTax/{d.rate}")
        amount = settle.dec(f"{d.line_summation}/{{*}}LineTotalAmount")
    return line(item.text("{*}SpecifiedTradeProduct/{*}Name"),
                item.dec(f"{d.line_delivery}/{{*}}BilledQuantity"), per_unit, amount, rate)
