"""A second, independent statement/ledger generator, for tests only.

``robots/reconcile/samples.py`` writes one Finnish bank layout against one English ledger;
the reconciler must not be tuned to it. This generator differs in every way real exports
differ: five bank layouts (English with Debit/Credit columns, German with a Soll/Haben
indicator, Swedish, Estonian with a D/K indicator, Polish), three ledger layouts (Business
Central style, German, Finnish), amounts as text with currency symbols, parentheses or a
trailing minus, dates in one text format per file (or Excel serials, or date cells), the
name and the reference inside one description column, Finnish national and RF references
with spaces, typos, groups of 2..4 invoices, partial payments and instalments (matches,
the balance left open), payments a few cents off, earlier part-paid invoices (the bank pays
the remaining amount), duplicates, payers who are no customer paying with no reference the
amount of another customer's open invoice (never to be matched: ``unrelated_left``), bank
fees, outgoing supplier payments, round amounts that repeat, credit memos, totals/balance rows
and blank rows; written as .xlsx or .csv (``;`` with comma decimals or ``,`` with dot
decimals, UTF-8 BOM or cp1252).

The truth has the shape of ``bots reconcile --json``: 1-based sheet/CSV row numbers.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from backoffice.xlsx import set_cell

BANKS = ("en", "de", "sv", "et", "pl")
LEDGERS = ("bc", "de", "fi")
_START = date(2026, 1, 5)
_EXCEL_EPOCH = date(1899, 12, 30)
_ROUND = (5000, 10000, 12000, 15000, 25000, 50000, 100000, 150000, 250000)  # cents
_NAMES = (
    "Nordwind", "Kivi", "Saar", "Björk", "Lindqvist", "Müller", "Kowalski", "Virtanen",
    "Tamm", "Ström", "Nowak", "Schulz", "Korhonen", "Lepik", "Berg", "Wiśniewski", "Ahlberg",
    "Mäkinen", "Kask", "Hoffmann", "Dąbrowski", "Laine", "Sepp", "Holm", "Fischer",
)
_TRADES = ("Bau", "Transport", "Consulting", "Maskin", "Ehitus", "Handel", "Tekniikka",
           "Serwis", "Food", "Print")
_FORMS = ("GmbH", "AB", "OÜ", "Sp. z o.o.", "Oy", "Ltd", "AS", "KG")


@dataclass
class Invoice:
    number: str
    customer: str
    posted: date
    due: date
    original: int  # cents; negative for a credit memo
    remaining: int
    reference: str  # national (7-3-1) or RF creditor reference
    ext: str = ""  # the customer's own order number
    row: int = 0


@dataclass
class Line:
    day: date
    name: str
    cents: int  # signed: money in is positive
    reference: str = ""  # for banks with a reference column
    message: str = ""
    invoices: list[Invoice] = field(default_factory=list)  # the truth
    duplicate: bool = False
    kind: str = ""  # how the payment names its invoice, for reading failures by class
    row: int = 0
    together: int = 0  # instalments of one invoice share a number: one truth match
    unrelated: bool = False


def _check731(digits: str) -> str:
    total = sum(int(d) * (7, 3, 1)[i % 3] for i, d in enumerate(reversed(digits)))
    return digits + str((10 - total % 10) % 10)


def _rf(national: str) -> str:
    num = int("".join(str(int(c, 36)) for c in national + "RF00"))
    return f"RF{98 - num % 97:02d}{national}"


def _spaced(ref: str, size: int = 5) -> str:
    return " ".join(ref[i : i + size] for i in range(0, len(ref), size))


def _typo(rng: random.Random, text: str) -> str:
    digits = [i for i, c in enumerate(text) if c.isdigit()][1:-1]
    if len(digits) < 2:
        return text
    i = rng.choice(digits[:-1])
    j = i + 1
    if rng.random() < 0.5 and text[j].isdigit():  # two neighbours swapped
        return text[:i] + text[j] + text[i] + text[j + 1 :]
    return text[:i] + str((int(text[i]) + rng.randint(1, 8)) % 10) + text[i + 1 :]


def _invoices(rng: random.Random, n: int, style: str) -> list[Invoice]:
    customers = [
        f"{rng.choice(_NAMES)} {rng.choice(_TRADES)} {rng.choice(_FORMS)}"
        for _ in range(max(15, n // 20))
    ]
    out = []
    for i in range(n):
        posted = _START + timedelta(days=rng.randrange(0, 300))
        if rng.random() < 0.15:
            cents = rng.choice(_ROUND)
        else:
            cents = int(rng.lognormvariate(11.0, 1.1)) + 1000
        number = {"bc": f"INV-2026-{10000 + i * 3 + rng.randrange(3):05d}",
                  "de": f"RE{260000 + i * 3 + rng.randrange(3)}",
                  "fi": f"{70000 + i * 3 + rng.randrange(3)}"}[style]
        national = _check731(str(300000 + i * 11 + rng.randrange(11)))
        out.append(Invoice(
            number=number, customer=rng.choice(customers), posted=posted,
            due=posted + timedelta(days=rng.choice((8, 14, 14, 30, 30, 45, 60))),
            original=cents, remaining=cents,
            reference=_rf(national) if rng.random() < 0.4 else national,
            ext=f"PO-{rng.randrange(1000, 99999)}" if rng.random() < 0.5 else "",
        ))
        if rng.random() < 0.04:  # part paid earlier: the ledger shows what is left
            out[-1].original = cents + rng.randrange(1000, cents + 2000)
        if rng.random() < 0.03:  # a credit memo: no one pays it in
            out[-1].original = out[-1].remaining = -cents // 4
    return out


def _bank_name(rng: random.Random, customer: str) -> str:
    roll = rng.random()
    if roll < 0.35:
        return customer.upper()
    if roll < 0.5:
        return customer.rsplit(" ", 1)[0] if " " in customer else customer
    if roll < 0.6:
        return customer.upper()[:18]
    return customer


def _ref_text(rng: random.Random, inv: Invoice) -> str:
    ref = inv.reference
    if ref.startswith("RF"):
        return _spaced(ref, 4) if rng.random() < 0.5 else ref
    roll = rng.random()
    if roll < 0.4:
        return _spaced(ref)
    if roll < 0.6:
        return ref.zfill(20)
    return ref


def _lines(rng: random.Random, invoices: list[Invoice], bank: str) -> list[Line]:
    lines: list[Line] = []
    group: list[Invoice] = []
    still_open: list[Invoice] = []
    words = {"en": ("Payment for invoice", "thanks"), "de": ("Rechnung", "Danke"),
             "sv": ("Betalning faktura", "tack"), "et": ("Arve", "aitäh"),
             "pl": ("Zapłata za fakturę", "dziękujemy")}[bank]
    for inv in invoices:
        if inv.remaining <= 0:
            continue
        day = inv.due + timedelta(days=rng.randint(-10, 12))
        if rng.random() < 0.05:
            day = inv.due + timedelta(days=rng.randint(20, 70))  # a late payer
        line = Line(day=day, name=_bank_name(rng, inv.customer), cents=inv.remaining,
                    invoices=[inv])
        roll = rng.random()
        if roll < 0.40:
            line.reference, line.kind = _ref_text(rng, inv), "reference"
        elif roll < 0.55:
            line.message, line.kind = f"{words[0]} {inv.number} {words[1]}", "number_in_text"
        elif roll < 0.60:
            line.message, line.kind = f"{words[0]} {_typo(rng, inv.number)}", "number_typo"
        elif roll < 0.65:
            line.reference, line.kind = _typo(rng, inv.reference), "reference_typo"
        elif roll < 0.70 and inv.ext:
            line.message, line.kind = f"Order {inv.ext}", "order_number"
        elif roll < 0.76:
            line.message = rng.choice(("Payment", "Zahlung", "Betalning", "Makse", "Przelew"))
            line.kind = "amount_only"
        elif roll < 0.83:
            group.append(inv)
            if len(group) >= rng.randint(2, 4):
                lines.append(_group_line(rng, group, words[0]))
                group = []
            continue
        elif roll < 0.85:  # partial payment: a match, the balance stays open
            line.cents = inv.remaining * rng.randint(20, 70) // 100
            line.reference, line.kind = _ref_text(rng, inv), "partial"
        elif roll < 0.86:  # two instalments
            together = len(lines) + 1
            line.cents = inv.remaining * rng.randint(20, 70) // 100
            line.reference, line.kind, line.together = _ref_text(rng, inv), "instalment", together
            lines.append(Line(day=day + timedelta(days=rng.randint(14, 45)), name=line.name,
                              cents=inv.remaining - line.cents, reference=_ref_text(rng, inv),
                              invoices=[inv], kind="instalment", together=together))
        elif roll < 0.87:  # bank charges or rounding: a few cents off
            line.cents = inv.remaining - rng.randint(1, 5)
            line.message = f"{words[0]} {inv.number}"
            line.kind = "rounding"
        elif roll < 0.93:  # still open
            still_open.append(inv)
            continue
        else:
            line.reference, line.kind = inv.reference, "reference"
        lines.append(line)
    # Strangers: a name no customer has, paying another customer's open amount, no reference.
    customers = {" ".join(i.customer.split()[:2]) for i in invoices}
    strangers = [f"{n} {t}" for n in _NAMES for t in _TRADES if f"{n} {t}" not in customers]
    for inv in rng.sample(still_open, min(len(still_open), max(2, len(invoices) // 40))):
        lines.append(Line(day=inv.due + timedelta(days=rng.randint(-4, 6)),
                          name=f"{rng.choice(strangers)} {rng.choice(_FORMS)}",
                          cents=inv.remaining, message=rng.choice(("Payment", "Zahlung", "")),
                          unrelated=True))
    for _ in range(max(1, len(lines) // 60)):  # the bank repeats a line
        pick = rng.choice(lines)
        if pick.invoices and not pick.duplicate and not pick.together:
            lines.append(Line(day=pick.day, name=pick.name, cents=pick.cents,
                              reference=pick.reference, message=pick.message, duplicate=True))
    fees = {"en": "Account maintenance fee", "de": "Kontoführungsgebühr",
            "sv": "Avgift", "et": "Teenustasu", "pl": "Opłata za prowadzenie rachunku"}[bank]
    for _ in range(max(3, len(invoices) // 10)):
        day = _START + timedelta(days=rng.randrange(0, 360))
        roll = rng.random()
        if roll < 0.3:
            lines.append(Line(day=day, name="", cents=-rng.choice((250, 500, 1200, 1500)),
                              message=fees))
        elif roll < 0.8:  # paying a supplier: money out, often a round sum
            cents = rng.choice(_ROUND) if rng.random() < 0.4 else int(rng.lognormvariate(10, 1))
            lines.append(Line(day=day, name=f"{rng.choice(_NAMES)} {rng.choice(_FORMS)}",
                              cents=-cents, message=f"Invoice {rng.randrange(1000, 9999)}/26"))
        else:  # money in that no invoice explains
            lines.append(Line(day=day, name=rng.choice(_NAMES), cents=rng.randrange(500, 90000),
                              message="Refund"))
    return lines


def _group_line(rng: random.Random, group: list[Invoice], word: str) -> Line:
    customer = group[0].customer
    for inv in group:
        inv.customer = customer
        inv.due = group[0].due + timedelta(days=rng.randint(-6, 6))
    roll = rng.random()
    if roll < 0.5:
        message, kind = f"{word} " + ", ".join(inv.number for inv in group), "group_numbers"
    elif roll < 0.7:
        message = " ".join(_spaced(i.reference, 4 if i.reference.startswith("RF") else 5)
                           for i in group)
        kind = "group_references"
    else:
        message, kind = "Sammelzahlung", "group_by_amount"
    return Line(day=max(inv.due for inv in group) + timedelta(days=rng.randint(0, 6)),
                name=_bank_name(rng, customer), cents=sum(i.remaining for i in group),
                message=message, invoices=list(group), kind=kind)


# ---- formatting ---------------------------------------------------------------------------
def _money(cents: int, style: str) -> Any:
    """Money as the bank writes it; ``style`` picks separators, symbols and the minus."""
    neg, whole, frac = cents < 0, abs(cents) // 100, abs(cents) % 100
    if style == "number":
        return cents / 100
    if style in ("en_sym", "en_paren", "en_trail", "en"):
        body = f"{whole:,}.{frac:02d}"
        if style == "en_sym":
            body = f"€{body}"
        if neg:
            return {"en_paren": f"({body})", "en_trail": f"{body}-"}.get(style, f"-{body}")
        return body
    sep = {"de": ".", "de_eur": ".", "sv": "\u00a0", "pl": " "}[style]
    body = f"{whole:,}".replace(",", sep) + f",{frac:02d}"
    if style == "de_eur":
        body += " EUR"
    return f"-{body}" if neg else body


_DATE_STYLES = ("%d.%m.%Y", "%m/%d/%Y", "%Y-%m-%d", "%d-%b-%Y", "%d/%m/%Y", "serial", "cell")


def _dater(style: str, rng: random.Random, xlsx: bool) -> Callable[[date], Any]:
    def fmt(day: date) -> Any:
        if style == "cell" or (xlsx and rng.random() < 0.1):
            return day if xlsx else day.isoformat()
        if style == "serial":
            return (day - _EXCEL_EPOCH).days if xlsx else str((day - _EXCEL_EPOCH).days)
        return day.strftime(style)

    return fmt


def _bank_rows(rng: random.Random, bank: str, lines: list[Line], xlsx: bool,
               decimal: str) -> tuple[list[list[Any]], int]:
    """The sheet rows and the index of the first data row."""
    date_fmt = _dater(rng.choice(_DATE_STYLES), rng, xlsx)
    comma = decimal == ","
    money = "number" if xlsx and rng.random() < 0.3 else rng.choice(
        ("de", "de_eur", "sv", "pl") if comma else ("en", "en_sym", "en_paren", "en_trail"))
    rows: list[list[Any]] = []
    balance = rng.randrange(1_000_000, 5_000_000)
    if bank == "en":
        rows += [["Account statement"], ["IBAN GB29 NWBK 6016 1331 9268 19"], []]
        rows.append(["Date", "Value date", "Description", "Debit", "Credit", "Balance"])
    elif bank == "de":
        rows += [["Umsätze Girokonto"], ["Zeitraum: 01.01.2026 - 31.12.2026"]]
        rows.append(["Buchungstag", "Valuta", "Empfänger/Auftraggeber", "Verwendungszweck",
                     "Betrag", "Soll/Haben", "Währung"])
    elif bank == "sv":
        rows += [["Kontoutdrag"], []]
        rows.append(["Bokföringsdag", "Valutadag", "Text", "Belopp", "Saldo"])
    elif bank == "et":
        rows.append(["Kliendi konto", "Kuupäev", "Saaja/Maksja", "Selgitus", "Summa",
                     "Valuuta", "Deebet/Kreedit", "Arhiveerimistunnus", "Viitenumber"])
    else:
        rows += [["Historia rachunku"], ["Rachunek: PL61 1090 1014 0000 0712 1981 2874"], []]
        rows.append(["Data operacji", "Data księgowania", "Nadawca / Odbiorca", "Tytuł",
                     "Kwota", "Waluta", "Saldo po operacji"])
    if rng.random() < 0.5:
        rows.append([])  # a blank row under the header
    first = len(rows)
    for n, ln in enumerate(lines):
        balance += ln.cents
        d = date_fmt(ln.day)
        if bank == "en":
            desc = " ".join(x for x in (ln.name, ln.message, ln.reference and f"REF {ln.reference}")
                            if x)
            debit = _money(-ln.cents, money) if ln.cents < 0 else ""
            credit = _money(ln.cents, money) if ln.cents >= 0 else ""
            rows.append([d, date_fmt(ln.day + timedelta(days=rng.choice((0, 0, 1)))), desc,
                         debit, credit, _money(balance, money)])
        elif bank == "de":
            purpose = " ".join(x for x in (ln.message, ln.reference) if x)
            rows.append([d, date_fmt(ln.day), ln.name, purpose, _money(abs(ln.cents), money),
                         "H" if ln.cents >= 0 else "S", "EUR"])
        elif bank == "sv":
            text = " ".join(x for x in (ln.name.upper(), ln.reference, ln.message) if x)
            rows.append([d, d, text, _money(ln.cents, money), _money(balance, money)])
        elif bank == "et":
            rows.append(["EE382200221020145685", d, ln.name, ln.message,
                         _money(abs(ln.cents), money), "EUR", "K" if ln.cents >= 0 else "D",
                         f"2026{n:08d}", ln.reference])
        else:
            title = " ".join(x for x in (ln.message, ln.reference) if x)
            rows.append([d, d, ln.name, title, _money(ln.cents, money), "PLN",
                         _money(balance, money)])
        ln.row = len(rows)
    footer = {"en": "Closing balance", "de": "Summe", "sv": "Utgående saldo",
              "et": "Lõppsaldo", "pl": "Saldo końcowe"}[bank]
    rows += [[], [footer, "", "", _money(balance, money)]]
    return rows, first


def _ledger_rows(rng: random.Random, style: str, invoices: list[Invoice], xlsx: bool,
                 decimal: str) -> list[list[Any]]:
    date_fmt = _dater(rng.choice(_DATE_STYLES), rng, xlsx)
    money = "number" if xlsx and rng.random() < 0.6 else ("de" if decimal == "," else "en")
    rows: list[list[Any]] = []
    if style == "bc":
        rows += [["Customer Ledger Entries"], ["CRONUS International Ltd."], []]
        rows.append(["Posting Date", "Document Type", "Document No.", "Customer No.",
                     "Customer Name", "Description", "Due Date", "Amount (LCY)",
                     "Remaining Amount", "Ext. Doc. No.", "Reference"])
    elif style == "de":
        rows += [["Offene Posten Debitoren"], []]
        rows.append(["Belegdatum", "Belegnr.", "Kunde", "Fälligkeit", "Betrag", "Restbetrag",
                     "Referenz"])
    else:
        rows.append(["Laskun nro", "Asiakas", "Laskun pvm", "Eräpäivä", "Summa", "Avoinna",
                     "Viite"])
    for inv in invoices:
        if style == "bc":
            kind = "Credit Memo" if inv.original < 0 else "Invoice"
            customer_no = f"C{sum(map(ord, inv.customer)) % 90000:05d}"
            rows.append([date_fmt(inv.posted), kind, inv.number, customer_no,
                         inv.customer, f"Order {inv.posted:%B}", date_fmt(inv.due),
                         _money(inv.original, money), _money(inv.remaining, money), inv.ext,
                         inv.reference])
        elif style == "de":
            rows.append([date_fmt(inv.posted), inv.number, inv.customer, date_fmt(inv.due),
                         _money(inv.original, money), _money(inv.remaining, money),
                         inv.reference])
        else:
            rows.append([inv.number, inv.customer, date_fmt(inv.posted), date_fmt(inv.due),
                         _money(inv.original, money), _money(inv.remaining, money),
                         _spaced(inv.reference) if not inv.reference.startswith("RF")
                         else inv.reference])
        inv.row = len(rows)
    total = sum(i.remaining for i in invoices)
    word = {"bc": "Total", "de": "Summe", "fi": "Yhteensä"}[style]
    pad = len(rows[-1]) - 2
    rows.append([word] + [""] * pad + [_money(total, money)])
    return rows


def _write(path: Path, rows: list[list[Any]], rng: random.Random, decimal: str,
           legacy: str = "cp1252") -> None:
    if path.suffix == ".xlsx":
        wb = Workbook()
        ws = wb.active
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value not in (None, ""):
                    set_cell(ws.cell(row=r, column=c), value)
                    if isinstance(value, date):
                        ws.cell(row=r, column=c).number_format = "DD.MM.YYYY"
        wb.save(path)
        return
    buf = io.StringIO()
    delimiter = ";" if decimal == "," else rng.choice((",", "\t"))
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows])
    if rng.random() < 0.5:
        path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    else:
        path.write_bytes(buf.getvalue().encode(legacy, errors="replace"))


def generate_other_pair(out_dir: Path, rows: int, *, seed: int,
                        bank: str | None = None, ledger: str | None = None,
                        fmt: str | None = None) -> tuple[Path, Path, dict[str, Any]]:
    """Write a statement and a ledger of about ``rows`` lines each under ``out_dir``;
    returns both paths and the truth. Layouts and file formats are drawn from ``seed``
    unless given."""
    rng = random.Random(seed)
    bank = bank or rng.choice(BANKS)
    ledger = ledger or rng.choice(LEDGERS)
    fmt = fmt or rng.choice(("xlsx", "csv"))
    invoices = _invoices(rng, rows, ledger)
    lines = _lines(rng, invoices, bank)
    rng.shuffle(lines)
    lines.sort(key=lambda ln: (ln.day, ln.duplicate))  # a repeated line comes after its first
    decimal = rng.choice((",", "."))
    out_dir.mkdir(parents=True, exist_ok=True)
    left = out_dir / f"bank-{bank}.{fmt}"
    right = out_dir / f"ledger-{ledger}.{rng.choice(('xlsx', 'csv'))}"
    bank_rows, _ = _bank_rows(rng, bank, lines, left.suffix == ".xlsx", decimal)
    # A Windows export uses its country's code page: Polish text is cp1250, not cp1252.
    _write(left, bank_rows, rng, decimal, "cp1250" if bank == "pl" else "cp1252")
    _write(right, _ledger_rows(rng, ledger, invoices, right.suffix == ".xlsx", decimal), rng,
           decimal)
    matches = [{"left": [ln.row], "right": sorted(i.row for i in ln.invoices), "kind": ln.kind}
               for ln in lines if ln.invoices and not ln.duplicate and not ln.together]
    together: dict[int, list[Line]] = {}
    for ln in lines:
        if ln.together:
            together.setdefault(ln.together, []).append(ln)
    matches += [{"left": sorted(ln.row for ln in group), "right": [group[0].invoices[0].row],
                 "kind": "instalments"} for group in together.values()]
    truth = {
        "bank": bank, "ledger": ledger, "files": [left.name, right.name],
        "matches": matches,
        "unrelated_left": sorted(ln.row for ln in lines if ln.unrelated),
    }
    (out_dir / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return left, right, truth
