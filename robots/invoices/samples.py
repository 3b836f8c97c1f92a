"""Realistic sample invoices with their truth, for the demo and the tests.

``generate_invoices`` is deterministic: the same seed gives byte-identical PDFs (the PDF
creation date is fixed), because the demo regenerates its inputs and relies on identical
bytes for idempotency. Each ``<name>.pdf`` gets a ``<name>.truth.json`` with the expected
``status``, ``reasons`` (codes) and ``fields`` in the reader's ``--json`` format.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from robots.demo_vendors import DEMO_VENDORS, UNKNOWN_VENDOR
from robots.invoices import checksums
from robots.invoices.fields import fmt_amount, fmt_number
from robots.invoices.sample_texts import ITEMS, LANGUAGE_OF, VAT_RATES

BUYERS: list[dict[str, str]] = [
    {"name": "Nordic Backoffice Oy", "tax_id": "FI10203047", "address": "Mannerheimintie 12"},
    {"name": "Baltic Retail OÜ", "tax_id": "EE100000007", "address": "Narva mnt 7"},
    {"name": "Polskie Biuro Rachunkowe Sp. z o.o.", "tax_id": "PL5260250274",
     "address": "ul. Marszałkowska 10"},
]

STREETS = {"FI": "Teollisuuskatu 5, 00510 Helsinki", "EE": "Pärnu mnt 15, 10141 Tallinn",
           "PL": "ul. Żeromskiego 3, 90-001 Łódź", "DE": "Hauptstraße 8, 80331 München",
           "SE": "Storgatan 4, 411 38 Göteborg", "GB": "12 Bridge Street, London SE1 9BG"}

FAULTS = ("total_mismatch", "bad_iban", "bad_vat_id", "due_before_issue")
# The reason code the reader gives for each fault (see validate.py).
FAULT_REASONS = {"total_mismatch": "total_mismatch", "bad_iban": "iban_checksum",
                 "bad_vat_id": "tax_id_checksum", "due_before_issue": "due_before_issue"}
LAYOUTS = ("classic", "banner", "inline")
# The e-invoice format a vendor country's sample is written in when asked for e-invoices:
# Finvoice XML, KSeF FA(3) XML, a Factur-X PDF (the page with its CII XML inside).
EINVOICE_FORMATS = {"FI": "finvoice", "PL": "ksef", "DE": "facturx"}
XML_FORMATS = frozenset({"finvoice", "ksef"})
CENT = Decimal("0.01")


@dataclass
class SampleLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT, ROUND_HALF_UP)


@dataclass
class SampleInvoice:
    """Everything printed on one sample invoice; ``fields()`` is its truth."""

    name: str
    lang: str
    layout: str
    vendor: dict[str, str]
    buyer: dict[str, str]
    number: str
    issue: date
    due: date
    reference: str | None
    lines: list[SampleLine]
    credit: bool = False
    faults: list[str] = field(default_factory=list)
    date_style: str = "dotted"
    total_offset: Decimal = Decimal("0")
    einvoice: str | None = None  # written as this e-invoice format (EINVOICE_FORMATS)

    @property
    def sign(self) -> Decimal:
        return Decimal("-1") if self.credit else Decimal("1")

    def line_amount(self, line: SampleLine) -> Decimal:
        return line.amount * self.sign

    def unit_price(self, line: SampleLine) -> Decimal:
        return line.unit_price * self.sign

    def net(self) -> Decimal:
        return sum((self.line_amount(ln) for ln in self.lines), Decimal("0"))

    def tax_by_rate(self) -> dict[Decimal, tuple[Decimal, Decimal]]:
        rates: dict[Decimal, Decimal] = {}
        for ln in self.lines:
            rates[ln.tax_rate] = rates.get(ln.tax_rate, Decimal("0")) + self.line_amount(ln)
        return {r: (base, (base * r / 100).quantize(CENT, ROUND_HALF_UP))
                for r, base in sorted(rates.items(), reverse=True)}

    def tax(self) -> Decimal:
        return sum((t for _, t in self.tax_by_rate().values()), Decimal("0"))

    def total(self) -> Decimal:
        return self.net() + self.tax() + self.total_offset

    def fields(self) -> dict[str, Any]:
        return {
            "invoice_number": self.number,
            "issue_date": self.issue.isoformat(),
            "due_date": self.due.isoformat(),
            "vendor_name": self.vendor["name"],
            "vendor_tax_id": self.vendor["tax_id"],
            "buyer_name": self.buyer["name"],
            "buyer_tax_id": self.buyer["tax_id"],
            "currency": self.vendor["currency"],
            "net_amount": fmt_amount(self.net()),
            "tax_amount": fmt_amount(self.tax()),
            "total_amount": fmt_amount(self.total()),
            "iban": self.vendor["iban"],
            "payment_reference": checksums.compact(self.reference) if self.reference else None,
            "lines": [
                {"description": ln.description, "quantity": fmt_number(ln.quantity),
                 "unit_price": fmt_amount(self.unit_price(ln)),
                 "amount": fmt_amount(self.line_amount(ln)), "tax_rate": fmt_number(ln.tax_rate)}
                for ln in self.lines
            ],
        }

    @property
    def file_name(self) -> str:
        return f"{self.name}.xml" if self.einvoice in XML_FORMATS else f"{self.name}.pdf"

    def truth(self) -> dict[str, Any]:
        return {"file": self.file_name, "format": self.einvoice or "pdf",
                "status": "review" if self.faults else "ok",
                "reasons": [FAULT_REASONS[f] for f in self.faults], "faults": list(self.faults),
                "language": self.lang, "layout": self.layout,
                "fields": self.fields()}


def generate_invoices(
    out_dir: Path,
    n: int,
    *,
    seed: int = 7,
    review_share: float = 0.0,
    faults: list[str] | None = None,
    unknown_vendor: bool = False,
    languages: list[str] | None = None,
    einvoices: bool = False,
) -> list[Path]:
    """Write ``n`` invoices (and their truth JSON) into ``out_dir``; return their files.

    ``review_share`` of them (rounded, at least one when > 0) carry one deliberate fault
    from ``faults`` (default: all of ``FAULTS`` in turn); their truth says ``review`` and
    the fault code. ``unknown_vendor`` makes the last invoice come from a vendor the demo
    ERP does not know. ``languages`` limits the languages (fi, et, pl, de, sv, en).
    ``einvoices`` writes the first clean invoice of each country in ``EINVOICE_FORMATS`` as
    that e-invoice instead of a plain PDF (the others stay byte-identical).
    """
    from robots.invoices.sample_einvoice import write_einvoice
    from robots.invoices.sample_pdf import render_invoice

    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    kinds = list(faults or FAULTS)
    unknown = [f for f in kinds if f not in FAULTS]
    if unknown:
        raise ValueError(f"unknown fault(s) {unknown}; choose from {FAULTS}")
    n_faulty = 0 if review_share <= 0 else max(1, round(n * review_share))
    faulty_at = set(rng.sample(range(n), min(n, n_faulty))) if n_faulty else set()
    invoices = []
    fault_i = 0
    for i in range(n):
        vendor = UNKNOWN_VENDOR if unknown_vendor and i == n - 1 else DEMO_VENDORS[i % len(
            DEMO_VENDORS)]
        inv = _make_invoice(rng, i, vendor, languages)
        if i in faulty_at:
            _apply_fault(inv, kinds[fault_i % len(kinds)], rng)
            fault_i += 1
        invoices.append(inv)
    if einvoices:
        _choose_einvoices(invoices)
    paths = []
    for inv in invoices:
        path = out_dir / inv.file_name
        if inv.einvoice:
            write_einvoice(inv, path)
        else:
            render_invoice(inv, path)
        truth = json.dumps(inv.truth(), indent=2, ensure_ascii=False, sort_keys=True)
        (out_dir / f"{inv.name}.truth.json").write_text(truth + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _choose_einvoices(invoices: list[SampleInvoice]) -> None:
    """Mark the first clean invoice (no fault, not a credit note, a vendor the demo ERP
    knows) of each e-invoice country."""
    known = {v["tax_id"] for v in DEMO_VENDORS}
    for country, fmt in EINVOICE_FORMATS.items():
        for inv in invoices:
            if (inv.vendor["country"] == country and not inv.faults and not inv.credit
                    and inv.vendor["tax_id"] in known and inv.einvoice is None):
                inv.einvoice = fmt
                if fmt == "ksef":
                    inv.reference = None  # FA(3) has no field for a payment reference
                break


def _make_invoice(
    rng: random.Random, i: int, vendor: dict[str, str], languages: list[str] | None
) -> SampleInvoice:
    country = vendor["country"]
    lang = LANGUAGE_OF[country] if rng.random() < 0.8 else "en"
    if languages:
        lang = lang if lang in languages else languages[i % len(languages)]
    issue = date(2026, 1, 5) + timedelta(days=rng.randrange(0, 300))
    due = issue + timedelta(days=rng.choice((7, 14, 14, 30)))
    rates = VAT_RATES[country]
    lines = []
    for desc in rng.sample(ITEMS[lang], rng.randint(1, 6)):
        qty = Decimal(rng.choice(("1", "2", "3", "5", "10", "12", "1.5", "0.5", "25")))
        price = Decimal(rng.randrange(150, 250000)) / 100
        rate = Decimal(rates[0] if rng.random() < 0.8 else rates[-1])
        lines.append(SampleLine(description=desc, quantity=qty, unit_price=price,
                                tax_rate=rate))
    number = rng.choice((f"{2026}{i + 101:04d}", f"INV-2026-{i + 1:04d}", f"{i + 4100}",
                         f"FV/{i + 11}/2026", f"R-{i + 300:05d}"))
    reference = _reference(rng, country, i)
    styles = {"fi": ("dotted",), "et": ("dotted",), "de": ("dotted", "words"),
              "pl": ("iso", "dotted"), "sv": ("iso",), "en": ("words", "slash_dmy", "iso")}
    return SampleInvoice(
        name=f"invoice-{i + 1:03d}", lang=lang, layout=LAYOUTS[rng.randrange(len(LAYOUTS))],
        vendor=vendor, buyer=rng.choice(BUYERS), number=number, issue=issue, due=due,
        reference=reference, lines=lines, credit=rng.random() < 0.08,
        date_style=rng.choice(styles[lang]),
    )


def _reference(rng: random.Random, country: str, i: int) -> str | None:
    base = f"{rng.randrange(100, 99999)}{i + 10}"
    if country in ("FI", "EE"):
        ref = base + checksums.fi_reference_check(base)
        if country == "FI" and rng.random() < 0.3:
            return "RF" + checksums.iban_check_digits("RF", ref)[-2:] + ref
        return ref
    if country == "SE":
        return base + checksums.luhn_check(base)
    if rng.random() < 0.5:
        return "RF" + checksums.iban_check_digits("RF", base) + base
    return None


def _apply_fault(inv: SampleInvoice, fault: str, rng: random.Random) -> None:
    vendor = dict(inv.vendor)
    if fault == "total_mismatch":
        inv.total_offset = Decimal(rng.choice(("10.00", "0.90", "100.00", "-1.00")))
    elif fault == "bad_iban":
        iban = vendor["iban"]
        vendor["iban"] = iban[:2] + f"{(int(iban[2:4]) + 11) % 100:02d}" + iban[4:]
    elif fault == "bad_vat_id":
        tax = vendor["tax_id"]
        vendor["tax_id"] = tax[:-3] + str((int(tax[-3]) + 1) % 10) + tax[-2:]
    elif fault == "due_before_issue":
        inv.due = inv.issue - timedelta(days=14)
    inv.vendor = vendor
    inv.faults = [fault]
