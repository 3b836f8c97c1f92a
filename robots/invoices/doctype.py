"""Is this document an invoice? Decided by structure, not by a title word alone: a document
that never says 'invoice' in a language we know, yet has a total that is net + VAT, a line
table whose rows multiply out, an IBAN, a VAT id or dates, is possibly an invoice and goes to
review (where a person can correct it and the vendor's layout can be learned); a letter or a
contract, with no total and no line table, is refused with a clear reason. A titled page
whose amounts could not be read but which has payment or tax details goes to review too."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from robots.invoices.extract import Reading

# How many structural signs make an untitled document 'possibly an invoice'. One alone (an
# amount and a date in a letter) is what any business letter has.
MIN_SIGNS = 2


@dataclass(frozen=True)
class DocumentKind:
    kind: str  # "invoice", "possible_invoice" or "not_invoice"
    signs: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str | None:
        signs = ", ".join(self.signs) or "nothing invoice-like"
        if self.kind == "possible_invoice":
            return ("possibly_an_invoice: no invoice title or number was found, but the "
                    f"document has an invoice's structure ({signs}); please check")
        if self.kind == "not_invoice":
            return ("does not look like an invoice: no invoice total or line items "
                    f"(found: {signs})")
        return None


def _lines_multiply(lines: list[Any]) -> bool:
    """Every line has an amount and those with a quantity and price multiply out to it."""
    tested = 0
    for ln in lines:
        if ln.amount is None:
            return False
        if ln.quantity is not None and ln.unit_price is not None:
            if abs(ln.quantity * ln.unit_price - ln.amount) > Decimal("0.02"):
                return False
            tested += 1
    return tested > 0


def structural_signs(r: Reading) -> list[str]:
    """The invoice-like features of a reading, in words a reviewer understands."""
    inv = r.invoice
    signs: list[str] = []
    if (r.consistent_totals and inv.total_amount is not None and inv.net_amount is not None
            and inv.tax_amount is not None):
        signs.append("a total equal to net + VAT")
    if inv.lines and _lines_multiply(inv.lines):
        signs.append("a line table whose rows multiply out")
    elif inv.lines:
        signs.append("a line table")
    if r.ibans or inv.iban:
        signs.append("an IBAN")
    if inv.vendor_tax_id or inv.buyer_tax_id:
        signs.append("a VAT id")
    if inv.issue_date or inv.due_date:
        signs.append("dates")
    return signs


def classify(r: Reading) -> DocumentKind:
    inv = r.invoice
    signs = structural_signs(r)
    titled = r.has_invoice_word or inv.invoice_number is not None
    if inv.total_amount is None and not inv.lines:
        # a titled page with an invoice's other signs (an IBAN, a VAT id, dates) whose
        # amounts could not be read is an invoice the reader failed on, not a letter: it
        # goes to a person (review, total missing) instead of being refused
        if titled and len([s for s in signs if s != "dates"]) >= 1 and len(signs) >= MIN_SIGNS:
            return DocumentKind("invoice", signs)
        return DocumentKind("not_invoice", signs)
    if titled:
        return DocumentKind("invoice", signs)
    return DocumentKind("possible_invoice" if len(signs) >= MIN_SIGNS else "not_invoice", signs)
