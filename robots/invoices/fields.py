"""The invoice record the reader produces and the ERP poster consumes.

The fields travel as JSON: ISO dates, amounts as decimal strings with two decimals, ``lines``
a list of objects. This module is the one place that formats them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

HEADER_FIELDS = (
    "invoice_number", "issue_date", "due_date", "vendor_name", "vendor_tax_id", "buyer_name",
    "buyer_tax_id", "currency", "net_amount", "tax_amount", "total_amount", "iban",
    "payment_reference",
)
FIELD_NAMES = (*HEADER_FIELDS, "lines")
LINE_FIELDS = ("description", "quantity", "unit_price", "amount", "tax_rate")
AMOUNT_FIELDS = ("net_amount", "tax_amount", "total_amount")
DATE_FIELDS = ("issue_date", "due_date")
# Without these an ERP cannot post the invoice: missing one sends it to review.
REQUIRED_FIELDS = ("invoice_number", "issue_date", "vendor_name", "currency", "total_amount")


class ExtractionStatus(StrEnum):
    """What became of one file: read (``ok``), read with doubts (``review``, each doubt a
    reason), or not read (``error``, with ``error_code``)."""

    OK = "ok"
    REVIEW = "review"
    ERROR = "error"


def fmt_amount(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))


def fmt_price(value: Decimal | None) -> str | None:
    """A unit price: two decimals, up to four when the document gives them (a price per
    unit can be a fraction of a cent, 800 x 0.025 = 20.00: rounding it to 0.03 would make
    the line's arithmetic wrong)."""
    if value is None:
        return None
    cents = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    finer = value.quantize(Decimal("0.0001"), ROUND_HALF_UP)
    return str(cents) if finer == cents else format(finer.normalize(), "f")


def fmt_number(value: Decimal | None) -> str | None:
    """A quantity or a rate without trailing zeros and never in exponent form."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


@dataclass
class Line:
    description: str
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    tax_rate: Decimal | None = None
    # EN 16931 BT-149 'Item price base quantity': the price is per this many units
    # ('Basismenge: 100 Stk'); not a field of its own, only for the line's arithmetic.
    base_quantity: Decimal | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {"description": self.description, "quantity": fmt_number(self.quantity),
                "unit_price": fmt_price(self.unit_price), "amount": fmt_amount(self.amount),
                "tax_rate": fmt_number(self.tax_rate)}


@dataclass
class Invoice:
    """Typed fields as read; ``None`` where the document did not say."""

    invoice_number: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    vendor_name: str | None = None
    vendor_tax_id: str | None = None
    buyer_name: str | None = None
    buyer_tax_id: str | None = None
    currency: str | None = None
    net_amount: Decimal | None = None
    tax_amount: Decimal | None = None
    total_amount: Decimal | None = None
    iban: str | None = None
    payment_reference: str | None = None
    lines: list[Line] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in HEADER_FIELDS:
            value = getattr(self, name)
            if isinstance(value, Decimal):
                out[name] = fmt_amount(value)
            elif isinstance(value, date):
                out[name] = value.isoformat()
            else:
                out[name] = value
        out["lines"] = [ln.to_json() for ln in self.lines]
        return out


def as_credit_note(inv: Invoice) -> None:
    """A credit note's money is negative, however it is printed or stored: the one sign
    rule for every reader. Which of a line's quantity and price carries the minus follows
    the document: a quantity it prints (or stores) negative ('-5 Stk') stays negative with
    the price positive; otherwise the quantity stays positive and the price is negative."""
    for name in AMOUNT_FIELDS:
        value = getattr(inv, name)
        if value is not None:
            setattr(inv, name, -abs(value))
    for ln in inv.lines:
        ln.amount = -abs(ln.amount) if ln.amount is not None else None
        returned = ln.quantity is not None and ln.quantity < 0
        if ln.unit_price is not None:
            ln.unit_price = abs(ln.unit_price) if returned else -abs(ln.unit_price)
