"""Server-side validation of the demo ERP's purchase-invoice form: what a real ERP checks
before it accepts an invoice, each error tied to the field it is shown beside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from robots.erp.demo.store import Vendor

CURRENCIES = ("EUR", "SEK", "NOK", "DKK", "PLN", "USD", "GBP")
TOLERANCE = Decimal("0.01")
LINE_FIELDS = ("description", "quantity", "unit_price", "tax_rate", "amount")


@dataclass
class Submission:
    header: dict[str, Any]
    lines: list[dict[str, str]]
    errors: dict[str, str] = field(default_factory=dict)
    vendor: Vendor | None = None


def _money(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def _date(text: str) -> bool:
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return False
    return len(text.strip()) == 10


def _find_vendor(vendors: Sequence[Vendor], vendor_id: str, vendor_text: str) -> Vendor | None:
    if vendor_id.isdigit():
        for v in vendors:
            if v.id == int(vendor_id):
                return v
    text = vendor_text.strip().lower()
    for v in vendors:  # typed exactly without picking from the list: still unambiguous
        if text and text in (v.name.lower(), v.tax_id.lower()):
            return v
    return None


def validate(form: dict[str, list[str]], vendors: Sequence[Vendor]) -> Submission:
    def one(name: str) -> str:
        values = form.get(name) or [""]
        return values[0].strip()

    header: dict[str, Any] = {k: one(k) for k in (
        "invoice_number", "issue_date", "due_date", "currency", "net_amount", "tax_amount",
        "total_amount", "payment_reference", "iban", "vendor", "vendor_id")}
    columns = [form.get(f"line_{name}") or [] for name in LINE_FIELDS]
    lines = [dict(zip(LINE_FIELDS, (v.strip() for v in row), strict=True))
             for row in zip(*columns, strict=False)]
    sub = Submission(header=header, lines=lines)
    errors = sub.errors

    sub.vendor = _find_vendor(vendors, header["vendor_id"], header["vendor"])
    if not header["vendor"] and not header["vendor_id"]:
        errors["vendor"] = "Vendor is required."
    elif sub.vendor is None:
        errors["vendor"] = f"Unknown vendor: {header['vendor']}. Choose a vendor from the list."
    else:
        header["vendor_id"] = sub.vendor.id
    if not header["invoice_number"]:
        errors["invoice_number"] = "Invoice number is required."
    for name, label in (("issue_date", "Invoice date"), ("due_date", "Due date")):
        if not _date(header[name]) and (header[name] or name == "issue_date"):
            errors[name] = f"{label} must be a date like 2024-05-31."
    if header["currency"] not in CURRENCIES:
        errors["currency"] = "Choose a currency."
    amounts = {}
    for name, label in (("net_amount", "Net amount"), ("tax_amount", "VAT amount"),
                        ("total_amount", "Total amount")):
        value = _money(header[name])
        if value is None:
            errors[name] = f"{label} must be a number like 1234.50."
        else:
            amounts[name] = value
            header[name] = str(value.quantize(Decimal("0.01")))
    if len(amounts) == 3 and abs(
        amounts["net_amount"] + amounts["tax_amount"] - amounts["total_amount"]
    ) > TOLERANCE:
        errors["total_amount"] = "Total amount must equal net amount plus VAT amount."
    for n, line in enumerate(lines, start=1):
        if not line["description"]:
            errors[f"line_{n}"] = f"Line {n}: description is required."
            continue
        for name in ("quantity", "unit_price", "amount"):
            if _money(line[name]) is None:
                errors[f"line_{n}"] = f"Line {n}: {name.replace('_', ' ')} must be a number."
                break
        else:
            line["amount"] = str(Decimal(line["amount"]).quantize(Decimal("0.01")))
    return sub
