"""How a person reviews an invoice the reader was not sure of: the fields (under
``payload["invoice"]``, where the ERP poster reads them), their types, and the reader's own
checks re-run over a correction (JSON strings as the reader left them, possibly corrected).

A value a person typed is taken as certain (confidence 1.0), so only real problems remain:
a missing field, a failing checksum, totals that do not add up, text that is not an amount
or a date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from backoffice.knowledge import RobotKnowledge
from backoffice.locale import parse_amount
from backoffice.models import Correction, FieldType, ReviewField, ReviewSchema
from robots.invoices.extract import Reading
from robots.invoices.fields import AMOUNT_FIELDS, DATE_FIELDS, HEADER_FIELDS, Invoice, Line
from robots.invoices.validate import DEFAULT_THRESHOLD, validate

INVOICE_KEY = "invoice"


def _amount(value: Any) -> Decimal:
    amount = parse_amount(value)
    if amount is None:
        raise InvalidOperation(str(value))
    return amount


def validate_invoice_fields(fields: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    typed: dict[str, Any] = {}
    for name in HEADER_FIELDS:
        value = fields.get(name)
        if value is None or str(value).strip() == "":
            typed[name] = None
        elif name in AMOUNT_FIELDS:
            try:
                typed[name] = _amount(value)
            except InvalidOperation:
                typed[name] = None
                problems.append(f"bad_amount: {name} {value!r} is not an amount")
        elif name in DATE_FIELDS:
            try:
                typed[name] = date.fromisoformat(str(value).strip())
            except ValueError:
                typed[name] = None
                problems.append(f"bad_date: {name} {value!r} is not a date (YYYY-MM-DD)")
        else:
            typed[name] = str(value).strip()
    lines = []
    for raw in fields.get("lines") or []:
        if not isinstance(raw, Mapping):
            continue
        numbers: dict[str, Decimal | None] = {}
        for key in ("quantity", "unit_price", "amount", "tax_rate"):
            try:
                numbers[key] = _amount(raw[key]) if raw.get(key) not in (None, "") else None
            except InvalidOperation:
                numbers[key] = None
        lines.append(Line(description=str(raw.get("description") or ""), **numbers))
    reading = Reading(invoice=Invoice(**typed, lines=lines),
                      confidence={name: 1.0 for name in HEADER_FIELDS})
    # A blank field the reader could not read is "missing" rather than a typing problem.
    return problems + [r for r in validate(reading).reasons if r not in problems]


def extraction_notes(payload: Mapping[str, Any]) -> list[str]:
    """The reader's status, the fields it was unsure of and those a learned vendor layout
    gave, beside the reasons."""
    extraction = payload.get("extraction")
    if not isinstance(extraction, Mapping):
        return []
    note = f"Extraction: {extraction.get('status', '')}"
    confidence = extraction.get("confidence")
    if isinstance(confidence, Mapping):
        unsure = sorted(k for k, v in confidence.items()
                        if isinstance(v, int | float) and v < DEFAULT_THRESHOLD)
        if unsure:
            note += f"; unsure of {', '.join(unsure)}"
    notes = [note]
    learned = extraction.get("learned")
    if isinstance(learned, Mapping) and learned.get("fields"):
        notes.append(f"From the learned layout of vendor {learned.get('vendor')} (version "
                     f"{learned.get('version')}): {', '.join(map(str, learned['fields']))}")
    return notes


def _field_type(name: str) -> FieldType:
    if name in AMOUNT_FIELDS:
        return FieldType.DECIMAL
    return FieldType.DATE if name in DATE_FIELDS else FieldType.TEXT


def _learn(correction: Correction, knowledge: RobotKnowledge) -> list[str]:
    from robots.invoices.vendors import learn_from_correction  # reads PDFs: loaded on use

    return learn_from_correction(correction, knowledge)


REVIEW_SCHEMA = ReviewSchema(
    payload_key=INVOICE_KEY,
    fields=tuple(ReviewField(name=n, type=_field_type(n)) for n in HEADER_FIELDS),
    check=validate_invoice_fields,
    notes=extraction_notes,
    learn=_learn,
)
