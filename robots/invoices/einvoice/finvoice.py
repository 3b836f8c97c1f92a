"""Finvoice (the Finnish banks' e-invoice, versions 1.3, 2.x and 3.0) to the invoice model.

Finvoice has no namespace and writes amounts with a decimal comma (``1088,36``) and dates
as ``CCYYMMDD``. Where each field comes from:

- number, dates: ``InvoiceDetails/InvoiceNumber``, ``InvoiceDate``,
  ``PaymentTermsDetails/InvoiceDueDate`` (else the payment's ``EpiDateOptionDate``);
- vendor / buyer: ``SellerOrganisationName`` and ``SellerOrganisationTaxCode`` (the VAT id,
  ``FI12345678``), else the business id ``SellerPartyIdentifier`` (Y-tunnus) as written;
  ``Buyer...`` alike;
- money: ``InvoiceTotalVatExcludedAmount`` / ``InvoiceTotalVatAmount`` /
  ``InvoiceTotalVatIncludedAmount``, the currency from their ``AmountCurrencyIdentifier``;
- payment: ``EpiAccountID``, the account the payment goes to (without one, the first
  ``SellerAccountID``), when it is an IBAN (scheme ``IBAN``, or no scheme and an IBAN's
  shape): a Finvoice 1.x domestic ``BBAN`` is not one and gives no IBAN rather than another
  of the seller's accounts; ``EpiRemittanceInfoIdentifier``;
- lines: ``InvoiceRow`` (name, invoiced quantity, unit price, ``RowVatExcludedAmount``,
  ``RowVatRatePercent``); a row with a discount or charge gets the net unit price it paid;
- ``InvoiceTypeCode`` ``INV02`` is a credit note.
"""

from __future__ import annotations

import re
from decimal import Decimal

from lxml import etree

from robots.invoices import checksums
from robots.invoices.einvoice.common import EInvoice, Node, line, tax_id, to_decimal, unit_price
from robots.invoices.fields import Invoice, Line

CREDIT_NOTE_TYPES = frozenset({"INV02"})
# The forwarding service's routing frame: a SOAP envelope written before the Finvoice in
# the same file (two XML documents one after the other, as banks deliver them).
_FRAME_START = re.compile(rb"\s*(?:<\?xml[^>]{0,200}\?>\s*)?<(?:[\w.-]{1,40}:)?Envelope[\s>]")
_FRAME_END = re.compile(rb"</(?:[\w.-]{1,40}:)?Envelope\s*>")
_TOTAL = "InvoiceDetails/InvoiceTotalVatIncludedAmount"


def unframe(data: bytes) -> bytes | None:
    """The document after a SOAP routing frame (a framed Finvoice file); ``None`` when
    ``data`` does not start with such a frame. The rest is parsed as untrusted XML again."""
    if not _FRAME_START.match(data):
        return None
    end = _FRAME_END.search(data)
    rest = data[end.end():].lstrip() if end else b""
    return rest if rest.startswith(b"<") else None


def read(root: etree._Element) -> EInvoice:
    notes: list[str] = []
    doc = Node(root, {}, notes)
    details = doc.at("InvoiceDetails") or doc
    inv = Invoice(
        invoice_number=details.text("InvoiceNumber"),
        issue_date=details.date("InvoiceDate"),
        due_date=details.date("PaymentTermsDetails/InvoiceDueDate")
        or doc.date("EpiDetails/EpiPaymentInstructionDetails/EpiDateOptionDate"),
        vendor_name=_name(doc, "Seller"),
        vendor_tax_id=tax_id(doc.text("SellerPartyDetails/SellerOrganisationTaxCode"),
                             doc.text("SellerPartyDetails/SellerPartyIdentifier")),
        buyer_name=_name(doc, "Buyer"),
        buyer_tax_id=tax_id(doc.text("BuyerPartyDetails/BuyerOrganisationTaxCode"),
                            doc.text("BuyerPartyDetails/BuyerPartyIdentifier")),
        currency=_currency(doc),
        net_amount=_dec(details, "InvoiceTotalVatExcludedAmount"),
        tax_amount=_dec(details, "InvoiceTotalVatAmount"),
        total_amount=_dec(details, "InvoiceTotalVatIncludedAmount"),
        iban=_iban(doc.all("EpiDetails/EpiPartyDetails/EpiBeneficiaryPartyDetails/EpiAccountID")
                   or doc.all("SellerInformationDetails/SellerAccountDetails/SellerAccountID")),
        payment_reference=_compact(doc.first_text(
            "EpiDetails/EpiPaymentInstructionDetails/EpiRemittanceInfoIdentifier",
            "EpiDetails/EpiIdentificationDetails/EpiReference")),
        lines=[ln for ln in map(_row, doc.all("InvoiceRow")) if ln is not None],
    )
    version = (root.get("Version") or "").strip()
    return EInvoice(
        invoice=inv, source=f"finvoice/{version}" if version else "finvoice",
        credit_note=(details.text("InvoiceTypeCode") or "").upper() in CREDIT_NOTE_TYPES,
        notes=notes,
        line_total=_dec(details, "RowsTotalVatExcludedAmount"),
        allowances=_dec(details, "DiscountsTotalVatExcludedAmount"),
        charges=_dec(details, "ChargesTotalVatExcludedAmount"),
    )


def _dec(node: Node, path: str) -> Decimal | None:
    """A Finvoice amount: decimal comma, optional minus sign."""
    text = node.text(path)
    return to_decimal(text.replace(",", ".") if text else None, path, node.notes)


def _name(doc: Node, role: str) -> str | None:
    # A long name is split over several SellerOrganisationName elements.
    parts = [n.text() for n in doc.all(f"{role}PartyDetails/{role}OrganisationName")]
    name = " ".join(p for p in parts if p)
    return " ".join(name.split()) or None


def _currency(doc: Node) -> str | None:
    for path in (_TOTAL, "InvoiceDetails/InvoiceTotalVatExcludedAmount",
                 "EpiDetails/EpiPaymentInstructionDetails/EpiInstructedAmount"):
        code = doc.attr(path, "AmountCurrencyIdentifier")
        if code:
            return code.upper()
    return None


def _compact(value: str | None) -> str | None:
    return checksums.compact(value) if value else None


_IBAN_SHAPE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")


def _iban(accounts: list[Node]) -> str | None:
    """The first account, when it is an IBAN (Finvoice 1.x names a domestic one ``BBAN``)."""
    if not accounts:
        return None
    value = _compact(accounts[0].text())
    scheme = (accounts[0].attr(".", "IdentificationSchemeName") or "").upper()
    if value and (scheme == "IBAN" or (not scheme and _IBAN_SHAPE.fullmatch(value))):
        return value
    return None


def _row(row: Node) -> Line | None:
    """One line; ``None`` for a row that only carries text (a heading or a comment)."""
    quantity = (_dec(row, "InvoicedQuantity") if row.at("InvoicedQuantity") is not None
                else _dec(row, "DeliveredQuantity"))
    amount = _dec(row, "RowVatExcludedAmount")
    if amount is None:  # older producers give only the row's gross amount and its VAT
        gross, vat = _dec(row, "RowAmount"), _dec(row, "RowVatAmount")
        amount = gross - vat if gross is not None and vat is not None else None
    price = unit_price(_dec(row, "UnitPriceAmount"), _dec(row, "UnitPriceBaseQuantity"))
    adjusted = any(row.at(p) is not None for p in (
        "RowDiscountAmount", "RowDiscountPercent", "RowProgressiveDiscountDetails",
        "RowChargeDetails"))
    if row.at("UnitPriceNetAmount") is not None:
        price = _dec(row, "UnitPriceNetAmount")
    elif adjusted and amount is not None and quantity:
        # UnitPriceAmount is the list price before the row's discounts and charges (BT-148);
        # the line is paid at the net price (BT-146), which is what quantity x price must give.
        price = (amount / quantity).quantize(Decimal("0.0001")).normalize()
    if quantity is None and price is None and amount is None:
        return None
    name = row.first_text("ArticleName", "ArticleDescription", "RowFreeText")
    return line(name, quantity, price, amount, _dec(row, "RowVatRatePercent"))
