"""Field accuracy of the reader against truth: used by the tests and ``bench/invoices.py``.

A field is right when it equals the truth exactly (lines: the whole list, and each line
counted on its own for the lines figure). The number that matters most is ``wrong_ok``:
invoices reported ``ok`` with any field wrong; it must be 0.

Real invoices (``page_truth``): their truth comes from the XML embedded in the PDF, which
can hold values the page never prints. Only the fields the page shows are scored, decided
from the page's text alone (never from what the reader found), see ``page_truth``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from backoffice.locale import fold, month_words
from robots.invoices.reader import Extraction, ExtractionStatus

LineMatch = Callable[[Mapping[str, Any], Mapping[str, Any]], bool]


def exact_line(want: Mapping[str, Any], got: Mapping[str, Any]) -> bool:
    return dict(want) == dict(got)


def cent_line(want: Mapping[str, Any], got: Mapping[str, Any]) -> bool:
    """Exactly equal, except that a truth which keeps a unit price only to the cent (the
    e-invoice corpus' tool rounds 0.0250 half-even to 0.02) matches the finer price read
    from the XML that it was rounded from."""
    if dict(want) == dict(got):
        return True
    price, exact = want.get("unit_price"), got.get("unit_price")
    if price is None or exact is None or {**want, "unit_price": exact} != dict(got):
        return False
    return Decimal(exact).quantize(Decimal("0.01"), ROUND_HALF_EVEN) == Decimal(price)


@dataclass
class Score:
    fields: int = 0
    fields_right: int = 0
    invoices: int = 0
    invoices_right: int = 0
    lines: int = 0
    lines_right: int = 0
    wrong_ok: list[str] = field(default_factory=list)  # ok with any field not right
    wrong_value_ok: list[str] = field(default_factory=list)  # ok with a value that is wrong
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def field_accuracy(self) -> float:
        return self.fields_right / self.fields if self.fields else 0.0

    @property
    def invoice_accuracy(self) -> float:
        return self.invoices_right / self.invoices if self.invoices else 0.0

    @property
    def line_accuracy(self) -> float:
        return self.lines_right / self.lines if self.lines else 0.0

    def describe(self) -> str:
        return (f"fields {self.fields_right}/{self.fields} = {self.field_accuracy:.1%}, "
                f"invoices fully right {self.invoices_right}/{self.invoices} = "
                f"{self.invoice_accuracy:.1%}, lines {self.lines_right}/{self.lines} = "
                f"{self.line_accuracy:.1%}, WRONG VALUES under status ok: "
                f"{len(self.wrong_value_ok)} (ok with a field missing or wrong: "
                f"{len(self.wrong_ok)})")


def exact_name(want: str, got: Any) -> bool:
    return got == want


def legal_form_name(want: str, got: Any) -> bool:
    """A real invoice's party name: the XML may state the name without the legal form its
    page prints after it (XML 'Au bon moulin', page 'Au bon moulin SARL'), or the reverse;
    either is the same party: one name is the other with a legal form after it."""
    from robots.invoices.parties import COMPANY_SUFFIX

    def core(name: str) -> str:
        folded = " ".join(fold(name).replace(",", " ").split())
        m = COMPANY_SUFFIX.search(folded)
        return folded[: m.start()].strip() if m and m.start() > 0 else folded

    if not isinstance(got, str) or not got:
        return False
    longer, shorter = (got, want) if len(got) >= len(want) else (want, got)
    return got == want or (longer.startswith(shorter) and core(got) == core(want))


def score(pairs: Iterable[tuple[Extraction, Mapping[str, Any]]],
          line_match: LineMatch = exact_line,
          name_match: Callable[[str, Any], bool] = exact_name) -> Score:
    """``pairs`` of (result, truth fields); ``line_match`` compares one line with its truth,
    ``name_match`` a vendor or buyer name."""
    s = Score()
    for result, truth in pairs:
        s.invoices += 1
        s.statuses[result.status.value] = s.statuses.get(result.status.value, 0) + 1
        wrong = []
        for k, v in truth.items():
            got = result.fields.get(k)
            if k == "lines":
                got = got or []
                right = sum(line_match(w, g) for w, g in zip(v, got, strict=False))
                s.lines += len(v)
                s.lines_right += right
                if right != len(v) or len(got) != len(v):
                    wrong.append(k)
            elif k in ("vendor_name", "buyer_name") and v is not None:
                if not name_match(v, got):
                    wrong.append(k)
            elif got != v:
                wrong.append(k)
        s.fields += len(truth)
        s.fields_right += len(truth) - len(wrong)
        s.misses.extend((result.file, k, truth[k], result.fields.get(k)) for k in wrong)
        if not wrong:
            s.invoices_right += 1
        elif result.status is ExtractionStatus.OK:
            s.wrong_ok.append(result.file)
            if any(result.fields.get(k) not in (None, []) for k in wrong):
                s.wrong_value_ok.append(result.file)
    return s


# --- real invoices: the fields their page shows --------------------------------------------

def _compact(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", "", text).upper()


def _words(text: str) -> str:
    return " ".join(fold(text).split())


def _amount_forms(value: str) -> list[str]:
    try:
        d = abs(Decimal(value))
    except InvalidOperation:
        return []
    whole, cents = f"{d:.2f}".split(".")
    groups = f"{int(whole):,}"
    return [f"{whole}.{cents}", f"{whole},{cents}", f"{groups}.{cents}",
            groups.replace(",", ".") + f",{cents}", groups.replace(",", " ") + f",{cents}",
            groups.replace(",", "\u00a0") + f",{cents}",
            # Swiss grouping: an apostrophe (typographic or straight) and a decimal point
            groups.replace(",", "\u2019") + f".{cents}", groups.replace(",", "'") + f".{cents}"]


def amount_shown(value: str, text: str) -> bool:
    return any(re.search(r"(?<![\d.,])" + re.escape(f) + r"(?![\d]|[.,]\d)", text)
               for f in _amount_forms(value))


def date_shown(value: str, text: str) -> bool:
    d = date.fromisoformat(value)
    numeric = {f"{d:%d.%m.%Y}", f"{d.day}.{d.month}.{d.year}", d.isoformat(), f"{d:%d/%m/%Y}",
               f"{d:%m/%d/%Y}", f"{d:%d.%m.%y}", f"{d:%d-%m-%Y}", f"{d:%Y/%m/%d}"}
    if any(f in text for f in numeric):
        return True
    folded = fold(text)
    names = "|".join(sorted(month_words(d.month), key=len, reverse=True))
    return re.search(rf"(?<!\d)0?{d.day}\.?\s*(?:{names})\.?\s*,?\s*{d.year}", folded) is not None \
        or re.search(rf"(?:{names})\.?\s*0?{d.day},?\s*{d.year}", folded) is not None


def page_truth(truth: Mapping[str, Any], page_text: str) -> dict[str, Any]:
    """The truth of the fields ``page_text`` shows.

    - a null truth is not scored (the page may print a value the XML leaves out);
    - amounts: the amount printed in any of the usual number formats;
    - dates: in a numeric or a month-name format;
    - names: the name (line breaks as spaces) in the page's words, accents and case aside;
    - ids, IBAN, currency code: the value with spaces removed (EUR also as €);
    - the payment reference only when it differs from the invoice number (the XML copies
      the number there; a page shows it once, as the number);
    - lines: when every line's amount is printed.
    """
    compact = _compact(page_text)
    words = _words(page_text)
    out: dict[str, Any] = {}
    for name, value in truth.items():
        if value is None or name == "meta":
            continue
        if name in ("net_amount", "tax_amount", "total_amount"):
            shown = amount_shown(value, page_text)
        elif name in ("issue_date", "due_date"):
            shown = date_shown(value, page_text)
        elif name in ("vendor_name", "buyer_name"):
            value = " ".join(value.split())
            shown = _words(value) in words
        elif name == "currency":
            shown = value in compact or (value == "EUR" and "€" in page_text)
        elif name == "payment_reference":
            shown = value != truth.get("invoice_number") and _compact(value) in compact
        elif name == "lines":
            shown = bool(value) and all(
                ln.get("amount") and amount_shown(ln["amount"], page_text) for ln in value)
        else:
            shown = _compact(str(value)) in compact
        if shown:
            out[name] = value
    return out


def loose_line(want: Mapping[str, Any], got: Mapping[str, Any]) -> bool:
    """A real invoice's line: the numbers equal (a unit price to the cent: the XML may
    keep more decimals than the page), the description the same text where both have it
    (a page often prints article numbers or a second line the XML keeps elsewhere)."""
    def num(v: Any) -> Decimal | None:
        try:
            return Decimal(str(v)) if v is not None else None
        except InvalidOperation:
            return None

    if num(want.get("amount")) != num(got.get("amount")):
        return False
    if num(want.get("quantity")) != num(got.get("quantity")):
        return False
    wp, gp = num(want.get("unit_price")), num(got.get("unit_price"))
    if wp is None or gp is None or abs(wp - gp) > Decimal("0.011"):
        return False
    if got.get("tax_rate") is not None and num(got["tax_rate"]) != num(want.get("tax_rate")):
        return False
    w, g = _words(want.get("description") or ""), _words(got.get("description") or "")
    return bool(w and g) and (w[:20] in g or g[:20] in w)


def corpus_folder(repo: Path) -> Path:
    """The real e-invoice corpus (``shared/corpus/einvoice-pdf``) beside a checkout: the
    ``BOTS_INVOICE_CORPUS`` variable, else beside the checkout or beside its parent (a git
    worktree one level down); the first candidate when none exists, for the skip message."""
    if os.environ.get("BOTS_INVOICE_CORPUS"):
        return Path(os.environ["BOTS_INVOICE_CORPUS"])
    candidates = [base / "shared" / "corpus" / "einvoice-pdf"
                  for base in (repo.parent, repo.parent.parent)]
    return next((c for c in candidates if c.is_dir()), candidates[0])
