"""A realistic messy statement/ledger pair with its truth, for the demo, tests and bench.

The statement (left) has title rows, Finnish headers, dates as text, date cells or Excel
serials, amounts as numbers or "1 234,56" text, the payer's IBAN, references with typos or
only inside the message, one payment for several invoices, partial payments, instalments,
payments a few cents off, duplicated lines, bank lines with no invoice, a text where the
amount belongs, a formula-looking message, and the trap: a payer who is no customer,
paying with no reference exactly the amount of another customer's open invoice around its
due date (truth: unmatched, listed under ``unrelated_left``). The ledger
(right) has English headers, a due date and an invoice date, and a "Total" footer.

Deterministic: the same seed gives byte-identical files (fixed workbook properties and zip
entry times), because the demo regenerates its inputs and relies on the bytes for
idempotency keys.
"""

from __future__ import annotations

import json
import random
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.xml.functions import tostring

from backoffice.locale import iban_check_digits
from backoffice.xlsx import DATE_FORMAT
from robots.reconcile.cells import safe_cell

STATEMENT_NAME = "statement.xlsx"
LEDGER_NAME = "open_items.xlsx"
TRUTH_NAME = "truth.json"
FIXED_TIME = datetime(2024, 1, 1)
_START = date(2024, 1, 1)
_WORDS = (
    "Nordic", "Timber", "Kajaani", "Baltic", "Vistula", "Rhein", "Tallinn", "Lumo", "Sisu",
    "Polar", "Aurora", "Kotka", "Wawel", "Mazury", "Hansa", "Falun", "Gdansk", "Oulu", "Tartu",
    "Malmo", "Bremen", "Krakow", "Saimaa", "Viru", "Lapland", "Pomorze", "Alster", "Uppsala",
    "Haapsalu", "Vaasa",
)
_STRANGER_WORDS = ("Zenit", "Orion", "Kestrel", "Basalt", "Meridian", "Fjord", "Quarz")
_TRADES = (
    "Trading", "Logistics", "Foods", "Metal", "Design", "Systems", "Build", "Energy", "Clinic",
    "Media",
)
_FORMS = ("Oy", "AB", "GmbH", "Sp. z o.o.", "OÜ", "AS", "Oyj", "Ltd")
_BANK_HEADERS = ("Kirjauspäivä", "Maksaja / Saaja", "Summa", "Viite", "Viesti",
                 "Arkistointitunnus", "Maksajan tili")
_LEDGER_HEADERS = ("Invoice no", "Customer", "Invoice date", "Due date", "Open amount",
                   "Reference", "Currency")


@dataclass
class _Invoice:
    number: str
    customer: str
    invoice_day: date
    due_day: date
    cents: int
    reference: str
    row: int = 0


@dataclass
class _Line:
    day: date
    name: str
    cents: int | str
    reference: str
    message: str
    invoices: list[_Invoice] = field(default_factory=list)  # the truth
    duplicate_of: _Line | None = None
    row: int = 0
    account: str = ""  # the payer's IBAN
    together: int = 0  # instalments of one invoice share a number (>0): one truth match
    unrelated: bool = False  # the trap: no customer, another customer's amount


def iban(rng: random.Random, country: str = "FI") -> str:
    """A random IBAN with valid ISO 13616 check digits."""
    bban = "".join(rng.choice("0123456789") for _ in range(14))
    return f"{country}{iban_check_digits(country, bban)}{bban}"


def _typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(1, len(text) - 1)
    if rng.random() < 0.5:  # swap two neighbours
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("0123456789") + text[i + 1 :]


def _reference(rng: random.Random, base: int) -> str:
    """A Finnish-style creditor reference: digits with a 7-3-1 check digit."""
    digits = str(base)
    total = sum(int(d) * (7, 3, 1)[i % 3] for i, d in enumerate(reversed(digits)))
    return digits + str((10 - total % 10) % 10)


def _invoices(rng: random.Random, rows: int) -> list[_Invoice]:
    customers = [
        f"{rng.choice(_WORDS)} {rng.choice(_TRADES)} {rng.choice(_FORMS)}"
        for _ in range(max(20, rows // 25))
    ]
    out = []
    for n in range(rows):
        day = _START + timedelta(days=rng.randrange(0, 330))
        cents = int(rng.lognormvariate(10.5, 1.2)) + 500
        out.append(
            _Invoice(
                number=f"INV-{240000 + n * 7 + rng.randrange(7)}",
                customer=rng.choice(customers),
                invoice_day=day,
                due_day=day + timedelta(days=rng.choice((14, 14, 21, 30))),
                cents=cents,
                reference=_reference(rng, 1000 + n * 13 + rng.randrange(13)),
            )
        )
    return out


def _lines(rng: random.Random, invoices: list[_Invoice], rows: int) -> list[_Line]:
    lines: list[_Line] = []
    group: list[_Invoice] = []
    accounts: dict[str, str] = {}  # customer -> IBAN
    still_open: list[_Invoice] = []
    together = 0
    for inv in invoices:
        paid = inv.due_day + timedelta(days=rng.randint(-6, 8))
        roll = rng.random()
        account = accounts.setdefault(inv.customer, iban(rng))
        line = _Line(day=paid, name=inv.customer.upper() if roll < 0.3 else inv.customer,
                     cents=inv.cents, reference="", message="", invoices=[inv],
                     account=account)
        if roll < 0.60:
            line.reference = inv.reference
        elif roll < 0.68:
            line.message = f"Lasku {inv.number} kiitos"
        elif roll < 0.74:
            line.reference = _typo(rng, inv.reference)
        elif roll < 0.79:
            line.message = f"Payment for invoice {_typo(rng, inv.number)}"
        elif roll < 0.84:
            line.message = "Maksu"
        elif roll < 0.89:
            group.append(inv)
            if len(group) >= rng.randint(2, 4):
                lines.append(_group_line(rng, group, accounts))
                group = []
            continue
        elif roll < 0.905:  # partial payment: a match, the rest stays open
            line.cents = inv.cents * rng.randint(30, 70) // 100
            line.reference = inv.reference
        elif roll < 0.915:  # two instalments: one match of two payments
            together += 1
            first = inv.cents * rng.randint(30, 70) // 100
            line.cents, line.reference, line.together = first, inv.reference, together
            lines.append(_Line(day=paid + timedelta(days=rng.randint(20, 40)), name=line.name,
                               cents=inv.cents - first, reference=inv.reference, message="",
                               invoices=[inv], account=account, together=together))
        elif roll < 0.925:  # a few cents short or over (charges, rounding): a match
            line.cents = inv.cents + rng.choice((-5, -4, -3, -2, -1, 1, 2, 3))
            line.reference = inv.reference
        elif roll < 0.95:  # still open: no payment
            still_open.append(inv)
            continue
        else:
            line.reference = inv.reference
        lines.append(line)
    lines += _traps(rng, still_open, invoices, max(2, rows // 50))
    for _ in range(max(1, len(lines) // 100)):  # the bank repeats a few lines
        pick = lines[rng.randrange(len(lines))]
        if pick.invoices and pick.duplicate_of is None and not pick.together:
            dup = _Line(day=pick.day, name=pick.name, cents=pick.cents, reference=pick.reference,
                        message=pick.message, duplicate_of=pick, account=pick.account)
            lines.append(dup)
    extras = [("Korko", "Interest"), ("Palvelumaksu", "Service fee"),
              ("Palautus", "Refund 55"), ("Kortti", "Card settlement")]
    while len(lines) < rows:
        name, text = rng.choice(extras)
        lines.append(_Line(day=_START + timedelta(days=rng.randrange(0, 360)), name=name,
                           cents=rng.randrange(100, 900_000), reference="", message=text))
    odd = [ln for ln in lines[-3:] if not ln.invoices and ln.duplicate_of is None]
    if len(odd) >= 2:
        odd[-1].message = '=HYPERLINK("http://example.invalid","click")'
        odd[-2].cents = "n/a"
    return lines


def _traps(rng: random.Random, still_open: list[_Invoice], invoices: list[_Invoice],
           count: int) -> list[_Line]:
    """Payers who are no customer, paying with no reference the exact amount of another
    customer's unpaid invoice around its due date: never to be matched."""
    taken = {" ".join(inv.customer.split()[:2]) for inv in invoices}
    # With thousands of customers every word/trade pair is someone's: strangers then come
    # from words no customer name uses.
    strangers = [f"{w} {t}" for w in _WORDS + _STRANGER_WORDS for t in _TRADES
                 if f"{w} {t}" not in taken]
    out = []
    for inv in rng.sample(still_open, min(count, len(still_open))):
        if not strangers:
            break
        name = f"{rng.choice(strangers)} {rng.choice(_FORMS)}"
        out.append(_Line(day=inv.due_day + timedelta(days=rng.randint(-3, 5)), name=name,
                         cents=inv.cents, reference="", message=rng.choice(("Maksu", "")),
                         account=iban(rng), unrelated=True))
    return out


def _group_line(rng: random.Random, group: list[_Invoice], accounts: dict[str, str]) -> _Line:
    customer, first = group[0].customer, group[0]
    for inv in group:  # invoices paid together were sent to one customer around one time
        inv.customer = customer
        inv.invoice_day = first.invoice_day + timedelta(days=rng.randint(-10, 10))
        inv.due_day = inv.invoice_day + (first.due_day - first.invoice_day)
    day = max(inv.due_day for inv in group) + timedelta(days=rng.randint(0, 5))
    message = "Invoices " + ", ".join(inv.number for inv in group) if rng.random() < 0.5 else ""
    return _Line(day=day, name=customer, cents=sum(inv.cents for inv in group),
                 reference="", message=message, invoices=list(group),
                 account=accounts.get(customer, ""))


def _money_text(cents: int) -> str:
    whole, frac = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{whole:,}".replace(",", " ") + f",{frac:02d}"


def _save_deterministic(wb: Workbook, path: Path) -> None:
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    tmp = path.with_name(f".{path.name}.raw")
    wb.save(tmp)
    # openpyxl stamps the save time into docProps/core.xml and on each zip entry; rewrite
    # both with the fixed time.
    wb.properties.modified = FIXED_TIME
    core = tostring(wb.properties.to_tree())
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            dst.writestr(fixed, data)
    tmp.unlink()


def _write_statement(rng: random.Random, lines: list[_Line], path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tapahtumat")
    ws.append(["Tiliote / Account statement"])
    ws.append(["Tili FI21 1234 5600 0007 85"])
    ws.append(["Jakso 01.01.2024 - 31.12.2024"])
    ws.append([])
    ws.append(list(_BANK_HEADERS))
    for n, line in enumerate(lines):
        line.row = n + 6
        style = rng.random()
        day: Any
        if style < 0.6:
            day = line.day.strftime("%d.%m.%Y")
        elif style < 0.9:
            day = safe_cell(ws, line.day, number_format=DATE_FORMAT)
        else:
            day = line.day.toordinal() - date(1899, 12, 30).toordinal()
        amount: Any = line.cents
        if isinstance(line.cents, int):
            amount = _money_text(line.cents) if rng.random() < 0.5 else line.cents / 100
        archive = f"2024{n:010d}"
        ws.append([day, safe_cell(ws, line.name), amount, line.reference or None,
                   safe_cell(ws, line.message) if line.message else None, archive,
                   line.account or None])
    _save_deterministic(wb, path)


def _amount_text(cents: int | str, comma: bool) -> str:
    if isinstance(cents, str):
        return cents
    text = f"{abs(cents) // 100}.{abs(cents) % 100:02d}"
    return text.replace(".", ",") if comma else text


def _write_camt(lines: list[_Line], path: Path) -> None:
    from xml.sax.saxutils import escape

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
           "<GrpHdr><MsgId>SAMPLE</MsgId></GrpHdr><Stmt><Id>1</Id>"]
    for ln in lines:
        neg = isinstance(ln.cents, int) and ln.cents < 0
        ref = (f"<Strd><CdtrRefInf><Ref>{escape(ln.reference)}</Ref></CdtrRefInf></Strd>"
               if ln.reference else "")
        msg = f"<Ustrd>{escape(ln.message)}</Ustrd>" if ln.message else ""
        acct = (f"<DbtrAcct><Id><IBAN>{ln.account}</IBAN></Id></DbtrAcct>"
                if ln.account else "")
        out.append(
            f'<Ntry><Amt Ccy="EUR">{escape(_amount_text(ln.cents, False))}</Amt>'
            f"<CdtDbtInd>{'DBIT' if neg else 'CRDT'}</CdtDbtInd>"
            f"<BookgDt><Dt>{ln.day.isoformat()}</Dt></BookgDt><NtryDtls><TxDtls><RltdPties>"
            f"<Dbtr><Nm>{escape(ln.name)}</Nm></Dbtr>{acct}</RltdPties>"
            f"<RmtInf>{msg}{ref}</RmtInf></TxDtls></NtryDtls></Ntry>")
    out.append("</Stmt></BkToCstmrStmt></Document>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _write_mt940(lines: list[_Line], path: Path) -> None:
    out = [":20:SAMPLE", ":25:FI2112345600000785", ":28C:1", ":60F:C240101EUR0,00"]
    for ln in lines:
        if isinstance(ln.cents, str):
            continue  # MT940 has no way to write a text amount
        mark = "D" if ln.cents < 0 else "C"
        out.append(f":61:{ln.day:%y%m%d}{ln.day:%m%d}{mark}{_amount_text(ln.cents, True)}"
                   "NTRFNONREF")
        purpose = " ".join(x for x in (ln.reference, ln.message) if x)[:54]
        chunks = [purpose[i:i + 27] for i in range(0, len(purpose), 27)] or [""]
        sub = "".join(f"?2{i}{c}" for i, c in enumerate(chunks))
        out.append(f":86:166?00GUTSCHRIFT{sub}?31{ln.account}?32{ln.name[:27]}")
    out += [":62F:C241231EUR0,00", "-"]
    path.write_text("\n".join(out) + "\n", encoding="latin-1", errors="replace")


def _write_ledger(invoices: list[_Invoice], path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Open items")
    ws.append(["Accounts receivable - open items"])
    ws.append(["Company: Demo Oy"])
    ws.append([])
    ws.append(list(_LEDGER_HEADERS))
    for n, inv in enumerate(invoices):
        inv.row = n + 5
        ws.append([inv.number, inv.customer, safe_cell(ws, inv.invoice_day),
                   safe_cell(ws, inv.due_day), inv.cents / 100, inv.reference, "EUR"])
    ws.append(["Total", None, None, None, sum(i.cents for i in invoices) / 100, None, None])
    _save_deterministic(wb, path)


def generate_pair(
    out_dir: Path,
    rows: int,
    *,
    seed: int = 11,
    left_name: str = STATEMENT_NAME,
    right_name: str = LEDGER_NAME,
    truth_name: str = TRUTH_NAME,
    statement: str = "xlsx",
) -> tuple[Path, Path, Path]:
    """Write a statement, a ledger (``rows`` open items, about as many bank lines) and the
    truth JSON (same shape as ``bots reconcile --json``) under ``out_dir``."""
    rng = random.Random(seed)
    invoices = _invoices(rng, max(rows, 10))
    lines = _lines(rng, invoices, max(rows, 10))
    lines.sort(key=lambda ln: ln.day)  # stable: equal days keep generation order
    invoices.sort(key=lambda inv: inv.number)
    out_dir.mkdir(parents=True, exist_ok=True)
    left, right, truth = out_dir / left_name, out_dir / right_name, out_dir / truth_name
    _write_statement(rng, lines, left)
    if statement != "xlsx":  # the same statement as the bank sends it: entries from 1
        left = left.with_suffix(".xml" if statement == "camt053" else ".sta")
        (_write_camt if statement == "camt053" else _write_mt940)(lines, left)
        n = 0
        for line in lines:  # MT940 cannot carry a text amount: that line is not written
            written = statement == "camt053" or not isinstance(line.cents, str)
            n += written
            line.row = n if written else 0
    _write_ledger(invoices, right)
    truth.write_text(json.dumps(truth_of(lines, invoices), indent=1) + "\n", encoding="utf-8")
    return left, right, truth


def truth_of(lines: list[_Line], invoices: list[_Invoice]) -> dict[str, Any]:
    """The truth in the shape of ``bots reconcile --json`` (rows as written)."""
    paid = [ln for ln in lines if ln.invoices and ln.duplicate_of is None]
    matched_right = {id(inv) for ln in paid for inv in ln.invoices}
    together: dict[int, list[_Line]] = {}
    matches = []
    for ln in paid:
        if ln.together:
            together.setdefault(ln.together, []).append(ln)
        else:
            matches.append({"left": [ln.row], "right": sorted(inv.row for inv in ln.invoices)})
    for group in together.values():
        matches.append({"left": sorted(ln.row for ln in group),
                        "right": [group[0].invoices[0].row]})
    matches.sort(key=lambda m: m["left"][0])
    return {
        "matches": matches,
        "unmatched_left": [ln.row for ln in lines
                           if (not ln.invoices or ln.duplicate_of) and ln.row],
        "unmatched_right": [inv.row for inv in invoices if id(inv) not in matched_right],
        "duplicates_left": [ln.row for ln in lines if ln.duplicate_of is not None],
        "bad_amount_left": [ln.row for ln in lines if isinstance(ln.cents, str) and ln.row],
        "unrelated_left": [ln.row for ln in lines if ln.unrelated],
    }
