"""What every e-invoice mapper shares: the result record and short, never-raising reads.

A mapper walks its format with :class:`Node` (an element plus the format's namespace
prefixes), so a missing element is ``None`` and a malformed number or date becomes a review
note instead of an exception: one bad value must not hide the rest of the invoice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from robots.invoices import checksums
from robots.invoices.fields import Invoice, Line

# UNTDID 1001 document type codes that EN 16931 treats as credit notes (the money flows
# back): their amounts are stored positive and read negative, like a credit note page.
CREDIT_NOTE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420",
                               "458", "532"})


@dataclass
class EInvoice:
    """What a mapper returns: the invoice as the document states it (credit notes still
    positive), the format name and what the document declares beyond the model, so the
    standard's own sums can be checked (EN 16931 BR-CO-10/13/15)."""

    invoice: Invoice
    source: str  # extraction.source: "cii", "factur-x/EN16931", "ubl-creditnote", ...
    credit_note: bool = False
    notes: list[str] = field(default_factory=list)  # "code: text" review reasons
    line_total: Decimal | None = None  # BT-106: sum of line net amounts
    allowances: Decimal | None = None  # BT-107: document-level allowances
    charges: Decimal | None = None  # BT-108: document-level charges
    prepaid: Decimal | None = None  # BT-113: paid in advance
    rounding: Decimal | None = None  # BT-114: rounding of the amount due
    due_payable: Decimal | None = None  # BT-115: amount due = total - prepaid + rounding
    has_lines: bool = True  # False for profiles without lines (Factur-X MINIMUM, BASIC WL)
    # Per line, its own charges minus allowances (BG-27/28): amount = qty x price + this.
    line_adjustments: list[Decimal] = field(default_factory=list)


class Node:
    """An element read through a mapper's namespace prefixes (ElementPath syntax)."""

    __slots__ = ("el", "ns", "notes")

    def __init__(self, el: etree._Element, ns: Mapping[str, str], notes: list[str]) -> None:
        self.el = el
        self.ns = ns
        self.notes = notes

    def at(self, path: str) -> Node | None:
        found = self.el.find(path, self.ns)  # type: ignore[arg-type]
        return Node(found, self.ns, self.notes) if found is not None else None

    def all(self, path: str) -> list[Node]:
        return [Node(e, self.ns, self.notes)
                for e in self.el.iterfind(path, self.ns)]  # type: ignore[arg-type]

    def text(self, path: str = ".") -> str | None:
        """Stripped text; ``None`` when absent or blank. Inner line breaks are kept."""
        found = self.el.find(path, self.ns) if path != "." else self.el  # type: ignore[arg-type]
        if found is None:
            return None
        value = "".join(found.itertext()).strip()
        return value or None

    def attr(self, path: str, name: str) -> str | None:
        found = self.el.find(path, self.ns) if path != "." else self.el  # type: ignore[arg-type]
        value = found.get(name) if found is not None else None
        return value.strip() or None if value else None

    def first_text(self, *paths: str) -> str | None:
        for path in paths:
            value = self.text(path)
            if value is not None:
                return value
        return None

    def dec(self, path: str = ".") -> Decimal | None:
        return to_decimal(self.text(path), self._name(path), self.notes)

    def _name(self, path: str) -> str:
        return etree.QName(self.el).localname if path == "." else path

    def date(self, path: str = ".") -> date | None:
        found = self.at(path)
        if found is None:
            return None
        return to_date(found.text(), found.el.get("format"), found._name("."), self.notes)


def to_decimal(text: str | None, what: str = "number",
               notes: list[str] | None = None) -> Decimal | None:
    """An XML decimal (``1234.50``, ``-3``); a malformed one is noted and read as missing."""
    if text is None:
        return None
    try:
        value = Decimal(text.replace(" ", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        if notes is not None:
            notes.append(f"bad_number: {_short(what)} is {text[:40]!r}, not a number")
        return None
    return value


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def to_date(text: str | None, fmt: str | None = None, what: str = "date",
            notes: list[str] | None = None) -> date | None:
    """A date as XML e-invoices write it: ISO ``2024-01-31`` (UBL, KSeF; a time part is
    ignored), or UN/CEFACT format 102 / Finvoice ``CCYYMMDD`` ``20240131``."""
    if text is None:
        return None
    value = text.strip()
    match = _COMPACT.fullmatch(value) if fmt in (None, "102", "CCYYMMDD") else None
    match = match or _ISO.match(value)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    if notes is not None:
        notes.append(f"bad_date: {_short(what)} is {value[:40]!r}"
                     + (f" (format {fmt})" if fmt else "") + ", not a date")
    return None


def _short(path: str) -> str:
    """The last element name of a path, for a reason people read."""
    return re.sub(r"^.*?([A-Za-z]+)\W*$", r"\1", path.rsplit("/", 1)[-1].split(":")[-1])


def line(description: str | None, quantity: Decimal | None, unit_price: Decimal | None,
         amount: Decimal | None, tax_rate: Decimal | None) -> Line:
    # The text as the document has it (a line break inside stays): it is the exact answer.
    return Line(description=(description or "").strip(), quantity=quantity,
                unit_price=unit_price, amount=amount, tax_rate=tax_rate)


def unit_price(price: Decimal | None, basis_quantity: Decimal | None) -> Decimal | None:
    """The price of one unit: a price may be given per a base quantity (BT-149, per 100)."""
    if price is None or basis_quantity in (None, Decimal(0), Decimal(1)):
        return price
    assert basis_quantity is not None
    return price / basis_quantity


def adjustment(charges: list[tuple[str | None, Decimal | None]]) -> Decimal:
    """Charges minus allowances, from (charge indicator, amount) pairs."""
    total = Decimal(0)
    for indicator, amount in charges:
        if amount is not None:
            total += amount if (indicator or "").strip().lower() == "true" else -amount
    return total


def tax_id(vat_id: str | None, national: str | None) -> str | None:
    """The vendor/buyer tax id: the VAT id when there is one (spaces dropped: ``DE 123456789``
    is ``DE123456789``; other separators too when that leaves a VAT id's shape:
    ``FI 2345678-0`` is ``FI23456780``), else the national number as written."""
    if vat_id and "".join(vat_id.split()):
        compact = checksums.compact(vat_id)
        return compact if checksums.vat_format_valid(compact) else "".join(
            vat_id.split()).upper()
    return " ".join(national.split()) if national else None


def stated_currency(amounts: list[Node]) -> str | None:
    """The currency the document's total amounts name in their ``currencyID`` attribute,
    when it does not state the invoice currency itself (some ZUGFeRD 1.0 and UBL writers):
    only when every one that names a currency names the same."""
    named = {code.upper() for a in amounts if (code := a.attr(".", "currencyID"))}
    return named.pop() if len(named) == 1 else None


def is_credit_note(type_code: str | None) -> bool:
    return (type_code or "").strip() in CREDIT_NOTE_CODES
