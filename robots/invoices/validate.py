"""What the checks say about a reading: per-field confidence, reasons, and the status.

The rule that matters most: a value that fails a check, or that the reader is unsure of, is
never reported with status ``ok``. Each reason is ``"<code>: <explanation>"``; the code is
stable (``total_mismatch``, ``iban_checksum``...), the explanation is for people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from robots.invoices import checksums
from robots.invoices.extract import Reading
from robots.invoices.fields import HEADER_FIELDS, REQUIRED_FIELDS, ExtractionStatus, Invoice

CENT = Decimal("0.01")
Fail = Callable[[str, str], None]  # marks a field wrong (confidence 0) with a reason
DEFAULT_THRESHOLD = 0.8


@dataclass
class Verdict:
    status: ExtractionStatus
    reasons: list[str] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)
    # Notes that do not block ``ok`` (an e-invoice's id kept as stated, see einvoice.checks)
    warnings: list[str] = field(default_factory=list)


def reason_code(reason: str) -> str:
    """The code a reason starts with (``"missing_field: ..."`` -> ``"missing_field"``), for
    reports and tests; decisions use the typed values, never this."""
    return reason.split(":", 1)[0]


def validate(r: Reading, threshold: float = DEFAULT_THRESHOLD) -> Verdict:
    inv = r.invoice
    conf = {name: round(r.confidence.get(name, 0.0), 2) if getattr(inv, name) is not None
            else 0.0 for name in HEADER_FIELDS}
    reasons: list[str] = []

    def fail(name: str, reason: str) -> None:
        conf[name] = 0.0
        reasons.append(reason)

    for name in REQUIRED_FIELDS:
        if getattr(inv, name) is None:
            reasons.append(f"missing_field: {name} was not found")
    _check_ids(inv, fail, conf)
    _check_arithmetic(r, fail, conf, reasons)
    if inv.issue_date and inv.due_date and inv.due_date < inv.issue_date:
        fail("due_date", f"due_before_issue: due date {inv.due_date} is before the issue "
                         f"date {inv.issue_date}")
    if r.ambiguous_dates:
        reasons.append("ambiguous_date: day and month order cannot be told apart")
    for name in HEADER_FIELDS:
        if getattr(inv, name) is not None and 0 < conf[name] < threshold:
            reasons.append(f"low_confidence: {name} ({conf[name]:.2f})")
    if r.ambiguous_dates:  # the order, not the reading, is in doubt: one reason says so
        reasons[:] = [x for x in reasons if not (x.startswith("low_confidence: issue_date") or
                                                 x.startswith("low_confidence: due_date"))]
    status = ExtractionStatus.REVIEW if reasons else ExtractionStatus.OK
    return Verdict(status=status, reasons=reasons, confidence=conf)


def id_failures(inv: Invoice) -> dict[str, str]:
    """The fields whose check digit (or format) fails: field name -> the reason
    ``validate`` gives for it (tax ids, IBAN, payment reference)."""
    failed: dict[str, str] = {}
    _check_ids(inv, failed.__setitem__, dict.fromkeys(HEADER_FIELDS, 0.0))
    return failed


def _check_ids(inv: Invoice, fail: Fail, conf: dict[str, float]) -> None:
    if inv.iban is not None:
        if checksums.iban_valid(inv.iban):
            conf["iban"] = max(conf["iban"], 0.97)
        else:
            fail("iban", f"iban_checksum: IBAN {inv.iban} fails the mod-97 check")
    for name in ("vendor_tax_id", "buyer_tax_id"):
        value = getattr(inv, name)
        if value is None:
            continue
        ok = checksums.tax_id_valid(value)
        if ok is False:
            fail(name, f"tax_id_checksum: {name.split('_')[0]} tax id {value} fails its "
                       "check digit or format")
    if inv.payment_reference is not None:
        country = (inv.iban or inv.vendor_tax_id or "")[:2]
        ok = checksums.payment_reference_valid(inv.payment_reference, country)
        if ok is False:
            fail("payment_reference", f"reference_checksum: payment reference "
                                      f"{inv.payment_reference} fails its check digit")
        elif ok:
            conf["payment_reference"] = max(conf["payment_reference"], 0.97)


def _check_arithmetic(r: Reading, fail: Fail, conf: dict[str, float],
                      reasons: list[str]) -> None:
    inv = r.invoice
    net, tax, total = inv.net_amount, inv.tax_amount, inv.total_amount
    if (net is not None and tax is not None and total is not None
            and not r.consistent_totals and abs(net + tax - total) > CENT / 2):
        fail("total_amount", f"total_mismatch: net {net} + tax {tax} = {net + tax}, but "
                             f"the total says {total}")
    if not inv.lines:
        reasons.append("no_line_items: the line-item table was not found")
        return
    bad = [i for i, ln in enumerate(inv.lines, 1) if not _line_ok(ln.quantity, ln.unit_price,
                                                                   ln.amount, ln.base_quantity)]
    if bad:
        reasons.append(f"line_arithmetic: quantity x unit price != amount on line(s) "
                       f"{', '.join(map(str, bad))}")
    amounts = [ln.amount for ln in inv.lines if ln.amount is not None]
    if len(amounts) != len(inv.lines):
        reasons.append("line_incomplete: a line has no amount")
        return
    lines_sum = sum(amounts, Decimal("0"))
    if lines_sum not in (net, total, r.subtotal):
        reasons.append(f"lines_mismatch: lines add up to {lines_sum}, net is {net}, total "
                       f"is {total}")
        return
    if (lines_sum == net and tax is not None
            and all(ln.tax_rate is not None for ln in inv.lines)
            and not _tax_matches_rates(inv, tax)):
        fail("tax_amount", f"tax_rate_mismatch: tax {tax} does not match the lines' VAT "
                           "rates")


def _line_ok(qty: Decimal | None, price: Decimal | None, amount: Decimal | None,
             base: Decimal | None = None) -> bool:
    if qty is None or price is None or amount is None:
        return True  # nothing to check against (a flat fee line)
    expected = qty * price / (base or Decimal(1))  # a price per base quantity (BT-149)
    return abs(abs(expected) - abs(amount)) <= max(CENT, abs(amount) * Decimal("0.002"))


def _tax_matches_rates(inv: Invoice, tax: Decimal) -> bool:
    """Per-rate bases times rates, rounded per rate or per line."""
    by_rate: dict[Decimal, Decimal] = {}
    per_line = Decimal("0")
    for ln in inv.lines:
        assert ln.amount is not None and ln.tax_rate is not None
        by_rate[ln.tax_rate] = by_rate.get(ln.tax_rate, Decimal("0")) + ln.amount
        per_line += (ln.amount * ln.tax_rate / 100).quantize(CENT, ROUND_HALF_UP)
    per_rate = sum(((b * r / 100).quantize(CENT, ROUND_HALF_UP) for r, b in by_rate.items()),
                   Decimal("0"))
    slack = CENT * len(by_rate)
    return abs(per_rate - tax) <= slack or abs(per_line - tax) <= slack
