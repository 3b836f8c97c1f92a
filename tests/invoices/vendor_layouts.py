"""Twelve vendors, each with its own house layout, and as many invoices of each as asked:
the learning benchmark's data (``bench/learning.py``) and the learning tests' PDFs.

Every vendor prints its invoices the same way with different numbers, dates, buyers and
lines, as real vendors do. The layouts are not drawn to be easy to learn: header grids with
the labels above the values, labels after their values, dotted-leader receipts, tables with
their columns in an odd order or abbreviated headers in several languages, descriptions that
wrap, values in running text, vendor names only in a footer. Most are layouts the generic
reader gets wrong somewhere, which is what a reviewer's correction is for.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from fpdf import FPDF

from robots.invoices import checksums
from robots.invoices.fields import fmt_amount, fmt_number
from robots.invoices.sample_pdf import new_pdf, put

CENT = Decimal("0.01")
Truth = dict[str, Any]


def _iban(country: str, bban: str) -> str:
    return country + checksums.iban_check_digits(country, bban) + bban


def _spaced(text: str, n: int = 4) -> str:
    return " ".join(text[i:i + n] for i in range(0, len(text), n))


@dataclass(frozen=True)
class Vendor:
    slug: str
    name: str
    tax_id: str | None
    iban: str | None
    currency: str
    decimal: str  # "," or "."
    rates: tuple[str, ...]  # VAT rates its goods carry
    catalog: tuple[tuple[str, str], ...]  # description, unit price
    buyers: tuple[tuple[str, str | None], ...]  # name, tax id
    number: Callable[[int], str]
    draw: Callable[[FPDF, Vendor, Inv], None]
    rate_per_line: bool = True  # the truth has each line's rate when the page shows it
    terms: int = 14


@dataclass
class Inv:
    number: str
    issue: date
    due: date
    buyer: tuple[str, str | None]
    lines: list[tuple[str, Decimal, Decimal, Decimal, Decimal]]  # desc, qty, price, amt, rate
    net: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    by_rate: dict[Decimal, tuple[Decimal, Decimal]] = field(default_factory=dict)


def _make(v: Vendor, seq: int, rng: random.Random) -> Inv:
    issue = date(2026, 1, 5) + timedelta(days=rng.randrange(0, 300))
    picks = rng.sample(v.catalog, rng.randint(2, min(4, len(v.catalog))))
    lines = []
    for i, (desc, price) in enumerate(picks):
        qty = Decimal(rng.choice([1, 1, 2, 3, 4, 5, 6, 8, 10, 12]))
        p = Decimal(price.replace(",", "."))
        rate = Decimal(v.rates[i % len(v.rates)]) if len(v.rates) > 1 else Decimal(v.rates[0])
        lines.append((desc, qty, p, (qty * p).quantize(CENT), rate))
    inv = Inv(number=v.number(seq), issue=issue, due=issue + timedelta(days=v.terms),
              buyer=rng.choice(v.buyers), lines=lines)
    for _, _, _, amount, rate in lines:
        base, _ = inv.by_rate.get(rate, (Decimal(0), Decimal(0)))
        inv.by_rate[rate] = (base + amount, Decimal(0))
    for rate, (base, _) in inv.by_rate.items():
        inv.by_rate[rate] = (base, (base * rate / 100).quantize(CENT, ROUND_HALF_UP))
    inv.net = sum((b for b, _ in inv.by_rate.values()), Decimal(0))
    inv.tax = sum((t for _, t in inv.by_rate.values()), Decimal(0))
    inv.total = inv.net + inv.tax
    return inv


def _truth(v: Vendor, inv: Inv) -> Truth:
    return {
        "invoice_number": inv.number, "issue_date": inv.issue.isoformat(),
        "due_date": inv.due.isoformat(), "vendor_name": v.name, "vendor_tax_id": v.tax_id,
        "buyer_name": inv.buyer[0], "buyer_tax_id": inv.buyer[1], "currency": v.currency,
        "net_amount": fmt_amount(inv.net), "tax_amount": fmt_amount(inv.tax),
        "total_amount": fmt_amount(inv.total), "iban": v.iban, "payment_reference": None,
        "lines": [{"description": d, "quantity": fmt_number(q), "unit_price": fmt_amount(p),
                   "amount": fmt_amount(a), "tax_rate": fmt_number(r) if v.rate_per_line
                   else None} for d, q, p, a, r in inv.lines],
    }


def money(v: Vendor, value: Decimal, group: str | None = None) -> str:
    whole, frac = f"{abs(value):.2f}".split(".")
    sep = group if group is not None else ("," if v.decimal == "." else ".")
    text = f"{int(whole):,}".replace(",", sep) + v.decimal + frac
    return ("-" if value < 0 else "") + text


def qty(v: Vendor, value: Decimal) -> str:
    text = fmt_number(value) or ""
    return text.replace(".", v.decimal)


def rate(v: Vendor, value: Decimal) -> str:
    return qty(v, value)


# ---- the twelve house layouts ---------------------------------------------------------------
def grid_header(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """Labels in a row, values in the row under them; totals the same way."""
    put(pdf, 15, 20, v.name, 16, bold=True)
    put(pdf, 15, 26, "Unit 4, Harbour Yard, Leith, Edinburgh EH6 6QW", 8)
    put(pdf, 15, 31, f"VAT Reg {v.tax_id}", 8)
    put(pdf, 150, 20, "TAX INVOICE", 14, bold=True)
    put(pdf, 15, 45, "Deliver to / charge to", 8)
    put(pdf, 15, 51, inv.buyer[0], 10, bold=True)
    put(pdf, 15, 56, "12 Castle Terrace, Edinburgh", 9)
    heads = ("Document", "Raised", "Settle by", "Terms")
    values = (inv.number, inv.issue.strftime("%d/%m/%Y"), inv.due.strftime("%d/%m/%Y"),
              f"{v.terms} days")
    for i, (h, val) in enumerate(zip(heads, values, strict=True)):
        put(pdf, 15 + 45 * i, 70, h, 8, bold=True)
        put(pdf, 15 + 45 * i, 76, val, 10)
    y = 92
    for text, x, right in (("Item", 15, False), ("Units", 120, True), ("Each", 150, True),
                           ("Line", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, _ in inv.lines:
        y += 7
        put(pdf, 15, y, d)
        put(pdf, 120, y, qty(v, q), right=True)
        put(pdf, 150, y, money(v, p), right=True)
        put(pdf, 190, y, money(v, a), right=True)
    y += 16
    rate_text = rate(v, next(iter(inv.by_rate)))
    for i, (h, val) in enumerate((("Goods", inv.net), (f"VAT @ {rate_text}%", inv.tax),
                                  ("Balance", inv.total))):
        put(pdf, 100 + 32 * i, y, h, 8, bold=True)
        put(pdf, 100 + 32 * i, y + 6, money(v, val), 10)
    put(pdf, 15, y + 24, f"Sort code / account: {_spaced(v.iban or '')}", 8)


def receipt(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """A monospace till receipt: dotted leaders, quantity first, '@' before the price."""
    pdf.set_font("Courier", "", 9)
    y = 20.0

    def row(text: str) -> None:
        nonlocal y
        pdf.text(20, y, text)
        y += 4.5

    row(v.name.upper())
    row(f"ORG.NR {v.tax_id}")
    row("-" * 48)
    row(f"KVITTO/FAKTURA ......... {inv.number}")
    row(f"DATUM .................. {inv.issue.isoformat()}")
    row(f"FORFALLER .............. {inv.due.isoformat()}")
    row(f"KUND ................... {inv.buyer[0]}")
    row("-" * 48)
    for d, q, p, a, _ in inv.lines:
        row(f"{qty(v, q):>3} {d[:22]:<22} @{money(v, p, ''):>8} {money(v, a, ''):>9}")
    row("-" * 48)
    row(f"NETTO {money(v, inv.net, ''):>41}")
    row(f"MOMS {rate(v, next(iter(inv.by_rate)))}% {money(v, inv.tax, ''):>37}")
    row(f"ATT BETALA {v.currency} {money(v, inv.total, ''):>31}")
    row("-" * 48)
    row(f"BANKGIRO/IBAN {v.iban}")


def footer_vendor(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """The vendor only in the footer; the buyer on top without a label."""
    put(pdf, 20, 30, inv.buyer[0], 11, bold=True)
    put(pdf, 20, 35, "Attn. Accounts Payable", 9)
    put(pdf, 20, 40, "77 Commerce Drive, Dayton, OH 45402", 9)
    put(pdf, 130, 30, "Invoice - statement of charges", 12, bold=True)
    put(pdf, 130, 40, f"Our ref. {inv.number}", 9)
    put(pdf, 130, 45, f"Date of supply {inv.issue.strftime('%B %d, %Y')}", 9)
    put(pdf, 130, 50, f"Settle by {inv.due.strftime('%B %d, %Y')}", 9)
    y = 70
    for text, x, right in (("Service rendered", 20, False), ("Hrs", 130, True),
                           ("Rate/hr", 160, True), ("Charge", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, _ in inv.lines:
        y += 7
        put(pdf, 20, y, d)
        put(pdf, 130, y, qty(v, q), right=True)
        put(pdf, 160, y, money(v, p), right=True)
        put(pdf, 190, y, money(v, a), right=True)
    y += 14
    for label, val in (("Charges", inv.net), ("Sales tax", inv.tax), ("Please remit", inv.total)):
        put(pdf, 130, y, label, 9)
        put(pdf, 190, y, money(v, val), right=True)
        y += 6
    put(pdf, 20, 270, f"{v.name} - EIN {v.tax_id} - wire to {v.iban}", 7)


def reversed_columns(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """A right-hand block of right-aligned labels and values; the table's amount first."""
    put(pdf, 15, 22, v.name, 15, bold=True)
    put(pdf, 15, 28, f"Ust-IdNr. {v.tax_id}", 8)
    put(pdf, 130, 25, "RECHNUNG", 14, bold=True)
    for i, (label, val) in enumerate((("Beleg", inv.number),
                                      ("Belegdatum", inv.issue.strftime("%d.%m.%Y")),
                                      ("Zahlungsziel", inv.due.strftime("%d.%m.%Y")))):
        put(pdf, 160, 40 + 6 * i, label, 9, right=True)
        put(pdf, 195, 40 + 6 * i, val, 9, right=True)
    put(pdf, 15, 45, "An", 8)
    put(pdf, 15, 50, inv.buyer[0], 10)
    put(pdf, 15, 55, "Industriestr. 8, 70565 Stuttgart", 9)
    y = 75
    for text, x, right in (("G-Preis", 35, True), ("Menge", 55, True), ("E-Preis", 85, True),
                           ("Bezeichnung", 95, False), ("St.", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, r in inv.lines:
        y += 7
        put(pdf, 35, y, money(v, a), right=True)
        put(pdf, 55, y, qty(v, q), right=True)
        put(pdf, 85, y, money(v, p), right=True)
        put(pdf, 95, y, d)
        put(pdf, 190, y, rate(v, r) + "%", right=True)
    y += 14
    put(pdf, 120, y, "Warenwert", 9)
    put(pdf, 195, y, money(v, inv.net), right=True)
    for r, (_, t) in inv.by_rate.items():
        y += 6
        put(pdf, 120, y, f"zzgl. {rate(v, r)} % USt.", 9)
        put(pdf, 195, y, money(v, t), right=True)
    y += 6
    put(pdf, 120, y, "Endbetrag", 9, bold=True)
    put(pdf, 195, y, money(v, inv.total), right=True, bold=True)
    put(pdf, 15, 270, f"Bank: {_spaced(v.iban or '')}", 7)


def french_boxes(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    put(pdf, 15, 20, v.name, 15, bold=True)
    put(pdf, 15, 26, f"N° TVA intracom. {v.tax_id}", 8)
    put(pdf, 150, 20, "FACTURE", 14, bold=True)
    put(pdf, 120, 40, "Destinataire", 8)
    put(pdf, 120, 46, inv.buyer[0], 10, bold=True)
    put(pdf, 120, 51, "4 quai des Célestins, 69002 Lyon", 9)
    put(pdf, 15, 45, f"Pièce n° {inv.number}", 10, bold=True)
    put(pdf, 15, 51, f"Émise le {inv.issue.strftime('%d/%m/%Y')}", 9)
    put(pdf, 15, 56, f"Règlement au {inv.due.strftime('%d/%m/%Y')}", 9)
    y = 72
    for text, x, right in (("Désignation", 15, False), ("Qté", 110, True),
                           ("P.U. HT", 140, True), ("TVA", 160, True), ("Montant HT", 195, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, r in inv.lines:
        y += 7
        put(pdf, 15, y, d)
        put(pdf, 110, y, qty(v, q), right=True)
        put(pdf, 140, y, money(v, p, " "), right=True)
        put(pdf, 160, y, rate(v, r), right=True)
        put(pdf, 195, y, money(v, a, " "), right=True)
    y += 14
    put(pdf, 120, y, "Base HT", 9)
    put(pdf, 195, y, money(v, inv.net, " "), right=True)
    for r, (_, t) in inv.by_rate.items():
        y += 6
        put(pdf, 120, y, f"TVA {rate(v, r)} %", 9)
        put(pdf, 195, y, money(v, t, " "), right=True)
    y += 6
    put(pdf, 120, y, "Net à payer", 10, bold=True)
    put(pdf, 195, y, money(v, inv.total, " ") + " €", right=True, bold=True)
    put(pdf, 15, 270, f"RIB / IBAN {_spaced(v.iban or '')}", 7)


def polish_lp(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    put(pdf, 15, 18, f"Faktura {inv.number}", 14, bold=True)
    put(pdf, 140, 18, f"Wystawiono: {inv.issue.strftime('%d.%m.%Y')}", 9)
    put(pdf, 15, 32, "Sprzedawca", 8, bold=True)
    put(pdf, 15, 37, v.name, 10)
    put(pdf, 15, 42, f"NIP: {v.tax_id}", 9)
    put(pdf, 110, 32, "Nabywca", 8, bold=True)
    put(pdf, 110, 37, inv.buyer[0], 10)
    if inv.buyer[1]:
        put(pdf, 110, 42, f"NIP: {inv.buyer[1]}", 9)
    y = 60
    heads = (("Lp.", 12, False), ("Nazwa towaru/usługi", 20, False), ("Ilość", 105, True),
             ("J.m.", 110, False), ("Cena netto", 140, True), ("Stawka", 158, True),
             ("Wartość netto", 195, True))
    for text, x, right in heads:
        put(pdf, x, y, text, 7, bold=True, right=right)
    for n, (d, q, p, a, r) in enumerate(inv.lines, 1):
        y += 7
        put(pdf, 12, y, f"{n}.")
        put(pdf, 20, y, d)
        put(pdf, 105, y, qty(v, q), right=True)
        put(pdf, 110, y, "szt.")
        put(pdf, 140, y, money(v, p, " "), right=True)
        put(pdf, 158, y, rate(v, r) + "%", right=True)
        put(pdf, 195, y, money(v, a, " "), right=True)
    y += 14
    put(pdf, 110, y, "Razem netto", 9)
    put(pdf, 195, y, money(v, inv.net, " "), right=True)
    put(pdf, 110, y + 6, "Kwota VAT", 9)
    put(pdf, 195, y + 6, money(v, inv.tax, " "), right=True)
    put(pdf, 110, y + 12, "Do zapłaty", 10, bold=True)
    put(pdf, 195, y + 12, money(v, inv.total, " ") + " zł", right=True, bold=True)
    put(pdf, 15, y + 24, f"Termin płatności: {inv.due.strftime('%d.%m.%Y')}", 9)
    put(pdf, 15, y + 30, f"Konto: {_spaced(v.iban or '')}", 9)


def wrapped_descriptions(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """Each line's description wraps onto a second line under it."""
    put(pdf, 15, 20, v.name, 14, bold=True)
    put(pdf, 15, 26, f"BTW {v.tax_id}", 8)
    put(pdf, 15, 40, "Factuur voor", 8)
    put(pdf, 15, 45, inv.buyer[0], 10)
    put(pdf, 130, 40, "Factuurnr.", 9)
    put(pdf, 165, 40, inv.number, 9)
    put(pdf, 130, 45, "Datum", 9)
    put(pdf, 165, 45, inv.issue.strftime("%d-%m-%Y"), 9)
    put(pdf, 130, 50, "Vervalt", 9)
    put(pdf, 165, 50, inv.due.strftime("%d-%m-%Y"), 9)
    y = 66
    for text, x, right in (("Omschrijving", 15, False), ("Aantal", 120, True),
                           ("Stukprijs", 150, True), ("Totaal", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, _ in inv.lines:
        first, _, rest = d.partition(" - ")
        y += 7
        put(pdf, 15, y, first + (" -" if rest else ""))
        put(pdf, 120, y, qty(v, q), right=True)
        put(pdf, 150, y, money(v, p), right=True)
        put(pdf, 190, y, money(v, a), right=True)
        if rest:
            y += 4.5
            put(pdf, 15, y, rest, 8)
    y += 14
    put(pdf, 130, y, "Subtotaal", 9)
    put(pdf, 190, y, money(v, inv.net), right=True)
    put(pdf, 130, y + 6, f"BTW {rate(v, next(iter(inv.by_rate)))}%", 9)
    put(pdf, 190, y + 6, money(v, inv.tax), right=True)
    put(pdf, 130, y + 12, "Te voldoen", 10, bold=True)
    put(pdf, 190, y + 12, money(v, inv.total), right=True, bold=True)
    put(pdf, 15, 270, f"IBAN {_spaced(v.iban or '')}", 7)


def running_text(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """Number and dates only in a sentence; a fee table with hours."""
    put(pdf, 15, 20, v.name, 14, bold=True)
    put(pdf, 15, 26, f"VAT no. {v.tax_id}", 8)
    put(pdf, 15, 40, inv.buyer[0], 10)
    put(pdf, 15, 52, f"Invoice {inv.number} issued {inv.issue.isoformat()}, payable by "
                     f"{inv.due.isoformat()}.", 9)
    y = 66
    for text, x, right in (("Service", 15, False), ("Hours", 120, True), ("Hourly", 150, True),
                           ("Fee", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, _ in inv.lines:
        y += 7
        put(pdf, 15, y, d)
        put(pdf, 120, y, qty(v, q), right=True)
        put(pdf, 150, y, money(v, p), right=True)
        put(pdf, 190, y, money(v, a), right=True)
    y += 14
    r = rate(v, next(iter(inv.by_rate)))
    put(pdf, 15, y, f"Fees {money(v, inv.net)} plus VAT {r}% {money(v, inv.tax)} makes "
                    f"{v.currency} {money(v, inv.total)} in all.", 9)
    put(pdf, 15, y + 8, f"Bank account {_spaced(v.iban or '')}", 8)


def value_then_label(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """Totals printed value first, their labels after them; a header of pairs in columns."""
    put(pdf, 15, 20, v.name, 14, bold=True)
    put(pdf, 15, 26, f"Y-tunnus {v.tax_id}", 8)
    put(pdf, 110, 20, "LASKU", 14, bold=True)
    put(pdf, 110, 30, inv.number, 10)
    put(pdf, 140, 30, "laskun numero", 7)
    put(pdf, 110, 36, inv.issue.strftime("%d.%m.%Y"), 10)
    put(pdf, 140, 36, "päiväys", 7)
    put(pdf, 110, 42, inv.due.strftime("%d.%m.%Y"), 10)
    put(pdf, 140, 42, "eräpäivä", 7)
    put(pdf, 15, 40, inv.buyer[0], 10)
    y = 60
    for text, x, right in (("Tuote", 15, False), ("Kpl", 110, True), ("á-hinta", 140, True),
                           ("Alv", 160, True), ("Yht.", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, r in inv.lines:
        y += 7
        put(pdf, 15, y, d)
        put(pdf, 110, y, qty(v, q), right=True)
        put(pdf, 140, y, money(v, p, " "), right=True)
        put(pdf, 160, y, rate(v, r), right=True)
        put(pdf, 190, y, money(v, a, " "), right=True)
    y += 14
    for val, label in ((inv.net, "veroton"), (inv.tax, "vero"), (inv.total, "maksettava")):
        put(pdf, 150, y, money(v, val, " "), 10, right=True)
        put(pdf, 155, y, label, 8)
        y += 6
    put(pdf, 15, y + 8, f"Tilille {_spaced(v.iban or '')}", 8)


def boxed_sums(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """Header fields in labelled boxes (label small above), sums in a grid at the bottom."""
    put(pdf, 15, 18, v.name, 13, bold=True)
    put(pdf, 15, 23, f"KMKR {v.tax_id}", 8)
    boxes = (("Arve", inv.number), ("Kuupäev", inv.issue.strftime("%d.%m.%Y")),
             ("Tasuda", inv.due.strftime("%d.%m.%Y")), ("Klient", inv.buyer[0]))
    for i, (label, val) in enumerate(boxes):
        x = 15 + 42 * i
        pdf.rect(x, 32, 40, 14)
        put(pdf, x + 2, 36, label, 6)
        put(pdf, x + 2, 43, val, 9)
    y = 60
    for text, x, right in (("Kaup/teenus", 15, False), ("Kogus", 115, True),
                           ("Hind", 145, True), ("Summa", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, _ in inv.lines:
        y += 7
        put(pdf, 15, y, d)
        put(pdf, 115, y, qty(v, q), right=True)
        put(pdf, 145, y, money(v, p, " "), right=True)
        put(pdf, 190, y, money(v, a, " "), right=True)
    y += 12
    for i, (label, val) in enumerate((("Summa km-ta", inv.net),
                                      (f"KM {rate(v, next(iter(inv.by_rate)))}%", inv.tax),
                                      ("Kokku", inv.total))):
        x = 95 + 33 * i
        pdf.rect(x, y, 31, 13)
        put(pdf, x + 2, y + 4, label, 6)
        put(pdf, x + 29, y + 10, money(v, val, " "), 9, right=True)
    put(pdf, 15, 270, f"Pank {_spaced(v.iban or '')}", 7)


def two_rate_table(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """Two VAT rates, a breakdown table, codes before descriptions."""
    put(pdf, 15, 20, v.name, 14, bold=True)
    put(pdf, 15, 26, f"USt-ID {v.tax_id}", 8)
    put(pdf, 15, 38, "Lieferanschrift/Rechnungsanschrift", 7)
    put(pdf, 15, 43, inv.buyer[0], 10)
    put(pdf, 130, 38, f"Rechnung Nr. {inv.number} vom {inv.issue.strftime('%d.%m.%Y')}", 9)
    put(pdf, 130, 44, f"fällig am {inv.due.strftime('%d.%m.%Y')}", 9)
    y = 62
    for text, x, right in (("Art.-Nr.", 15, False), ("Artikel", 35, False), ("Anz.", 120, True),
                           ("à", 145, True), ("MwSt", 160, True), ("Betrag", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for n, (d, q, p, a, r) in enumerate(inv.lines):
        y += 7
        put(pdf, 15, y, f"A-{4100 + 7 * n}")
        put(pdf, 35, y, d)
        put(pdf, 120, y, qty(v, q), right=True)
        put(pdf, 145, y, money(v, p), right=True)
        put(pdf, 160, y, rate(v, r) + "%", right=True)
        put(pdf, 190, y, money(v, a), right=True)
    y += 14
    for text, x in (("Satz", 110), ("Netto", 140), ("Steuer", 165), ("Brutto", 190)):
        put(pdf, x, y, text, 8, bold=True, right=True)
    for r, (b, t) in inv.by_rate.items():
        y += 6
        put(pdf, 110, y, rate(v, r) + "%", right=True)
        put(pdf, 140, y, money(v, b), right=True)
        put(pdf, 165, y, money(v, t), right=True)
        put(pdf, 190, y, money(v, b + t), right=True)
    y += 8
    put(pdf, 110, y, "Summe", 9, bold=True, right=True)
    put(pdf, 140, y, money(v, inv.net), right=True)
    put(pdf, 165, y, money(v, inv.tax), right=True)
    put(pdf, 190, y, money(v, inv.total), right=True, bold=True)
    put(pdf, 15, 270, f"IBAN {_spaced(v.iban or '')}", 7)


def side_band(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """The vendor in a coloured band down the left; everything else right of it."""
    pdf.set_fill_color(30, 60, 110)
    pdf.rect(0, 0, 45, 297, "F")
    pdf.set_text_color(255, 255, 255)
    put(pdf, 5, 30, v.name.split()[0], 11, bold=True)
    put(pdf, 5, 35, " ".join(v.name.split()[1:]), 11, bold=True)
    put(pdf, 5, 45, f"VAT {v.tax_id}", 7)
    put(pdf, 5, 50, _spaced(v.iban or ""), 6)
    pdf.set_text_color(0, 0, 0)
    put(pdf, 55, 30, "Bill", 16, bold=True)
    put(pdf, 55, 42, "Billed to", 8)
    put(pdf, 55, 47, inv.buyer[0], 10)
    put(pdf, 140, 42, "Bill no", 8)
    put(pdf, 140, 47, inv.number, 10)
    put(pdf, 170, 42, "Billed on", 8)
    put(pdf, 170, 47, inv.issue.strftime("%d %b %Y"), 10)
    put(pdf, 140, 55, "Pay before", 8)
    put(pdf, 140, 60, inv.due.strftime("%d %b %Y"), 10)
    y = 76
    for text, x, right in (("What", 55, False), ("How many", 140, True), ("Price", 165, True),
                           ("Sum", 195, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, _ in inv.lines:
        y += 7
        put(pdf, 55, y, d)
        put(pdf, 140, y, qty(v, q), right=True)
        put(pdf, 165, y, money(v, p), right=True)
        put(pdf, 195, y, money(v, a), right=True)
    y += 14
    r = rate(v, next(iter(inv.by_rate)))
    for label, val in (("Before VAT", inv.net), (f"VAT {r}%", inv.tax), ("Owing", inv.total)):
        put(pdf, 140, y, label, 9)
        put(pdf, 195, y, money(v, val), right=True)
        y += 6


def swedish_columns(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """Labels in one column and their values in another far to the right, the buyer beside."""
    put(pdf, 120, 18, v.name, 13, bold=True)
    put(pdf, 120, 23, f"Momsreg.nr {v.tax_id}", 8)
    put(pdf, 15, 35, inv.buyer[0], 10, bold=True)
    put(pdf, 15, 40, "Storgatan 1, 111 22 Stockholm", 9)
    for i, (label, val) in enumerate((("Fakturanr", inv.number),
                                      ("Fakturadag", inv.issue.isoformat()),
                                      ("Att betala senast", inv.due.isoformat()))):
        put(pdf, 120, 35 + 5 * i, label, 8)
        put(pdf, 195, 35 + 5 * i, val, 9, right=True)
    y = 62
    for text, x, right in (("Benämning", 15, False), ("Antal", 115, True),
                           ("À-pris", 145, True), ("Belopp", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, _ in inv.lines:
        y += 7
        put(pdf, 15, y, d)
        put(pdf, 115, y, qty(v, q), right=True)
        put(pdf, 145, y, money(v, p, " "), right=True)
        put(pdf, 190, y, money(v, a, " "), right=True)
    y += 14
    r = rate(v, next(iter(inv.by_rate)))
    for label, val in (("Exkl. moms", inv.net), (f"Moms {r}%", inv.tax),
                       ("Summa att betala", inv.total)):
        put(pdf, 115, y, label, 9)
        put(pdf, 190, y, money(v, val, " ") + " kr", right=True)
        y += 6
    put(pdf, 15, 270, f"Bankgiro/IBAN {_spaced(v.iban or '')}", 7)


def _de_vat(base8: str) -> str:
    return "DE" + base8 + checksums.de_vat_check(base8)


def _fi_vat(base7: str) -> str:
    return "FI" + base7 + (checksums.fi_business_id_check(base7) or "")


def _pl_nip(base9: str) -> str:
    return base9 + (checksums.pl_nip_check(base9) or "")


def _ee_vat(base8: str) -> str:
    return "EE" + base8 + checksums.ee_vat_check(base8)


VENDORS: tuple[Vendor, ...] = (
    Vendor("grid", "Leith Marine Supplies Ltd", "GB123456727", _iban("GB", "NWBK60161331926819"),
           "GBP", ".", ("20",), (("Mooring rope 12mm", "42.50"), ("Fender, cylindrical", "18.90"),
                                 ("Shackle 10mm galv.", "6.40"), ("Bilge pump 12V", "89.00"),
                                 ("Deck brush", "11.25")),
           (("Forth Yacht Club", None), ("Granton Harbour Ltd", None)),
           lambda n: f"LMS/{2600 + n * 7}", grid_header, rate_per_line=False, terms=30),
    Vendor("receipt", "Kaffekompaniet i Norr AB", "SE556677889901",
           _iban("SE", "50000000058398257466"), "SEK", ",", ("12",),
           (("Bryggkaffe 500g", "89,00"), ("Espresso 1kg", "219,00"), ("Filter nr 4", "24,50"),
            ("Chokladboll", "15,00")), (("Kontorshotellet AB", None), ("Byrå Nord", None)),
           lambda n: f"{88100 + n * 13}", receipt, rate_per_line=False, terms=10),
    Vendor("footer", "Great Lakes Consulting LLC", "38-4412795", None, "USD", ".", ("7",),
           (("Process audit", "165.00"), ("Workshop facilitation", "140.00"),
            ("Report drafting", "95.00"), ("Travel time", "60.00")),
           (("Miami Valley Tooling Inc.", None), ("Dayton Fluid Power Co.", None)),
           lambda n: f"GLC-{n:04d}-B", footer_vendor, rate_per_line=False, terms=21),
    Vendor("reversed", "Schwabenblech GmbH", _de_vat("81149999"),
           _iban("DE", "600501010002845174"), "EUR", ",", ("19",),
           (("Lochblech 1000x500", "74,80"), ("Winkelprofil 40x40", "12,35"),
            ("Zuschnitt nach Maß", "38,00"), ("Pulverbeschichtung", "55,10")),
           (("Kessler Maschinenbau KG", None), ("Lindner Anlagen GmbH", None)),
           lambda n: f"B{26000 + n * 11}", reversed_columns),
    Vendor("french", "Atelier Vitrail Rhône SARL", "FR40303265045",
           _iban("FR", "20041010050500013M02606"), "EUR", ",", ("20", "10"),
           (("Vitrail sur mesure", "480,00"), ("Pose et scellement", "160,00"),
            ("Nettoyage de verrières", "95,00"), ("Restauration de plomb", "210,00")),
           (("Paroisse Saint-Nizier", None), ("Hôtel des Célestins SAS", None)),
           lambda n: f"AVR-26-{100 + n}", french_boxes),
    Vendor("polish", "Drukarnia Wisła Sp. z o.o.", _pl_nip("526000124"),
           _iban("PL", "105000997603123456789123"), "PLN", ",", ("23", "8"),
           (("Ulotki A5 kreda 130g", "0,42"), ("Katalog 24 str.", "6,80"),
            ("Plakat B1", "14,50"), ("Projekt graficzny", "350,00")),
           (("Księgarnia Pod Sową s.c.", _pl_nip("777000140")),
            ("Hurtownia Papieru Lis", _pl_nip("951000211"))),
           lambda n: f"FV/{n:03d}/2026", polish_lp),
    Vendor("wrapped", "Groenhuis Installatietechniek B.V.", "NL859012347B01",
           _iban("NL", "ABNA0417164300"), "EUR", ",", ("21",),
           (("Cv-ketel onderhoud - inclusief rookgasmeting", "129,00"),
            ("Thermostaatkraan - montage en afstellen", "47,50"),
            ("Expansievat 18 l - geleverd en geplaatst", "96,00"),
            ("Voorrijkosten", "35,00")),
           (("Woonstichting De Linde", None), ("VvE Parkzicht", None)),
           lambda n: f"{2026}{n:05d}", wrapped_descriptions, rate_per_line=False),
    Vendor("running", "Harbour Translation Services Ltd", "IE6388047V",
           _iban("IE", "AIBK93115212345678"), "EUR", ".", ("23",),
           (("Legal translation DE-EN", "58.00"), ("Proofreading", "41.00"),
            ("Interpreting, on site", "95.00"), ("Terminology work", "47.50")),
           (("Dunmore Law Partners", None), ("Celtic Biotech DAC", None)),
           lambda n: f"HTS{7000 + n * 3}", running_text, rate_per_line=False),
    Vendor("valuefirst", "Kuopion Kone ja Kuljetus Oy", _fi_vat("2345678"),
           _iban("FI", "21123456000007"), "EUR", ",", ("25.5",),
           (("Kuljetus, kuorma-auto", "86,00"), ("Nosturityö", "120,00"),
            ("Odotusaika", "48,00"), ("Lisäkuorma", "32,50")),
           (("Savon Rakennus Oy", None), ("Puijon Lämpö Oy", None)),
           lambda n: f"{41000 + n * 17}", value_then_label),
    Vendor("boxed", "Tallinna Puidutöökoda OÜ", _ee_vat("10074112"),
           _iban("EE", "2200221020145685"), "EUR", ",", ("22",),
           (("Tammepuust laud", "640,00"), ("Riiul 80 cm", "115,00"), ("Lakkimine", "45,00"),
            ("Transport", "30,00")), (("Kohvik Mokka OÜ", None), ("Kontor24 AS", None)),
           lambda n: f"TP-{n:03d}", boxed_sums, rate_per_line=False),
    Vendor("tworate", "Bäckerei & Feinkost Hummel e.K.", _de_vat("26954371"),
           _iban("DE", "370400440532013000"), "EUR", ",", ("7", "19"),
           (("Bauernbrot 1kg", "4,20"), ("Kaffeebohnen 1kg", "18,90"),
            ("Butterbrezel", "1,10"), ("Präsentkorb", "34,50")),
           (("Kantine Werk Süd", None), ("Hotel Adler GmbH", None)),
           lambda n: f"{n:05d}", two_rate_table),
    Vendor("sideband", "Northbridge Digital Studio Ltd", "GB987654353",
           _iban("GB", "BARC20000055779911"), "GBP", ".", ("20",),
           (("Landing page design", "450.00"), ("Copywriting (per page)", "85.00"),
            ("Hosting, monthly", "25.00"), ("Analytics setup", "120.00")),
           (("Pennine Outdoor Gear Ltd", None), ("Calder Valley Foods", None)),
           lambda n: f"NDS-{n:02d}-{26}", side_band, rate_per_line=False),
)


def write_vendor_invoices(folder: Path, per_vendor: int = 4, seed: int = 12,
                          vendors: tuple[Vendor, ...] = VENDORS) -> dict[str, list[tuple[Path,
                                                                                       Truth]]]:
    """``per_vendor`` invoices of each vendor, in order; each vendor's list is its series."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out: dict[str, list[tuple[Path, Truth]]] = {}
    for v in vendors:
        series = []
        for n in range(1, per_vendor + 1):
            inv = _make(v, n, rng)
            pdf = new_pdf()
            v.draw(pdf, v, inv)
            path = folder / f"{v.slug}-{n}.pdf"
            pdf.output(str(path))
            series.append((path, _truth(v, inv)))
        out[v.slug] = series
    return out
