"""What an e-invoice's values must satisfy before they go out with status ``ok``.

The reader's own checks (``validate.validate``: required fields, tax id and IBAN check
digits, net + VAT = total, quantity x price = line amount, lines add up, VAT by rate) plus
the standard's cheap business rules, on the amounts as the document states them:

- BR-CO-10: the line net amounts add up to the declared sum of lines (BT-106);
- BR-CO-13: net (BT-109) = sum of lines - allowances (BT-107) + charges (BT-108);
- BR-CO-15: total (BT-112) = net + VAT (checked by ``validate``);
- BR-CO-16: amount due (BT-115) = total - prepaid (BT-113) + rounding (BT-114), when the
  amount due is stated: it is what gets paid;
- a line's net amount (BT-131) = quantity x unit price + its own charges - allowances
  (``validate``'s line check with its tolerance, which otherwise knows no line allowances):
  a warning, not a review (see below).

An XML value is exact, so every value starts with confidence 1; a failed check zeroes the
field and adds a reason, which sends the invoice to review.

Check digits are the exception. They exist to catch a misreading, and an XML value is not
read: it is exactly what the sender stated (EN 16931's own rules do not check a VAT id's
check digit either). So a tax id, IBAN or payment reference whose check digit fails keeps
the status ``ok``, with a warning naming the field and the value as stated; the ERP poster
still matches the vendor by its tax id (an unknown one goes to review there).

A line whose quantity x price is not its amount is the second exception. EN 16931 has no
business rule for it (the net price BT-146 is informative: real insurers state it without the
insurance tax that the line amount includes); the rules that bind are the sums above, and
the line amounts must still add up to the net. On a page the same check catches a misread
digit, so there it sends the invoice to review; in XML it is a warning, and the ERP poster's
``verify`` step still compares the ERP's own computed total before anything is saved. Sums
that do not add up (BR-CO-10/13/15/16) are the sender's inconsistency: they go to review.
"""

from __future__ import annotations

from decimal import Decimal

from robots.invoices.einvoice.common import EInvoice
from robots.invoices.extract import Reading
from robots.invoices.fields import HEADER_FIELDS, ExtractionStatus
from robots.invoices.validate import CENT, Verdict, id_failures, reason_code, validate
from robots.invoices.validate import _line_ok as line_ok

ZERO = Decimal(0)


def standard_rules(e: EInvoice) -> list[str]:
    """EN 16931 sums on the stated values (before a credit note's sign is applied)."""
    inv = e.invoice
    reasons: list[str] = []
    amounts = [ln.amount for ln in inv.lines]
    if e.line_total is not None and amounts and None not in amounts:
        lines_sum = sum((a for a in amounts if a is not None), ZERO)
        if abs(lines_sum - e.line_total) >= CENT:
            reasons.append(f"lines_mismatch: the lines add up to {lines_sum}, the invoice "
                           f"declares {e.line_total} (EN 16931 BR-CO-10)")
    if e.line_total is not None and inv.net_amount is not None:
        expected = e.line_total - (e.allowances or ZERO) + (e.charges or ZERO)
        if abs(expected - inv.net_amount) >= CENT:
            reasons.append(f"net_mismatch: lines {e.line_total} - allowances "
                           f"{e.allowances or ZERO} + charges {e.charges or ZERO} = {expected},"
                           f" but the net says {inv.net_amount} (EN 16931 BR-CO-13)")
    if e.due_payable is not None and inv.total_amount is not None:
        expected = inv.total_amount - (e.prepaid or ZERO) + (e.rounding or ZERO)
        if abs(expected - e.due_payable) >= CENT:
            reasons.append(f"due_mismatch: total {inv.total_amount} - prepaid "
                           f"{e.prepaid or ZERO} + rounding {e.rounding or ZERO} = {expected}, "
                           f"but the amount due says {e.due_payable} (EN 16931 BR-CO-16)")
    bad = []
    for i, ln in enumerate(inv.lines):
        if ln.quantity is None or ln.unit_price is None or ln.amount is None:
            continue
        adjust = e.line_adjustments[i] if i < len(e.line_adjustments) else ZERO
        # the page reader's tolerance (validate), on the amount before the line's charges
        if not line_ok(ln.quantity, ln.unit_price, ln.amount - adjust):
            bad.append(str(i + 1))
    if bad:
        reasons.append(f"line_arithmetic: quantity x unit price (+ line charges - allowances) "
                       f"!= amount on line(s) {', '.join(bad)}")
    return reasons


def check(e: EInvoice, rule_reasons: list[str]) -> Verdict:
    """The verdict on the invoice as it will be output (credit notes already negative)."""
    inv = e.invoice
    reading = Reading(invoice=inv, subtotal=e.line_total if not e.credit_note else (
        -abs(e.line_total) if e.line_total is not None else None))
    reading.confidence = {name: 1.0 for name in HEADER_FIELDS if getattr(inv, name) is not None}
    verdict = validate(reading)
    stated = id_failures(inv)
    reasons = [r for r in verdict.reasons if not r.startswith("line_arithmetic")
               and (e.has_lines or not r.startswith("no_line_items"))
               and r not in stated.values()]
    line_notes = [r for r in rule_reasons if r.startswith("line_arithmetic")]
    reasons = e.notes + [r for r in rule_reasons if r not in line_notes] + reasons
    for name in stated:
        verdict.confidence[name] = 1.0  # exact as stated; the warning says what failed
    warnings = [stated_warning(name, getattr(inv, name), reason_code(reason))
                for name, reason in stated.items()]
    warnings += [f"{note}; as stated in the XML: EN 16931 binds the sums, not a line's price,"
                 " and the line amounts add up" for note in line_notes]
    return Verdict(status=ExtractionStatus.REVIEW if reasons else ExtractionStatus.OK,
                   reasons=reasons, confidence=verdict.confidence, warnings=warnings)


def stated_warning(name: str, value: object, code: str) -> str:
    """The non-blocking note for a check digit that fails on a value the XML states."""
    return (f"{code}: {name} {value} fails its check digit or format, as stated in the XML;"
            " kept as the sender wrote it (not a misreading: nothing was read from a picture)")
