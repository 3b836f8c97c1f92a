"""Net, tax and total chosen together: of all amounts next to amount labels, the reader takes
the combination where net plus tax equals the total. Amounts that agree are near certain;
when no combination agrees the best-labelled ones are kept, with low confidence."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import product

CENT = Decimal("0.01")
# Labels that name the amount to pay without doubt.
STRONG_TOTAL = {
    "total due", "amount due", "balance due", "grand total", "invoice total", "total to pay",
    "amount payable", "total payable", "total amount due", "maksettava yhteensa", "maksettava",
    "tasuda kokku", "tasuda", "do zaplaty", "razem do zaplaty", "kwota do zaplaty",
    "gesamtbetrag", "rechnungsbetrag", "zahlbetrag", "zu zahlen", "att betala",
    "summa att betala", "total att betala", "belopp att betala", "total ttc", "net a payer",
    "total a payer", "te betalen", "totaal incl btw", "totaalbedrag", "total incl vat",
    "total incl. vat", "total including vat", "total amount", "laskun summa", "arve summa",
}


@dataclass(frozen=True)
class AmountCandidate:
    value: Decimal
    score: float
    line: int
    label: str


@dataclass
class Totals:
    net: Decimal | None = None
    tax: Decimal | None = None
    total: Decimal | None = None
    consistent: bool = False
    conf: float = 0.0
    net_conf: float = 0.0
    tax_conf: float = 0.0
    subtotal: Decimal | None = None  # before discounts and charges, when there were any


def _top(cands: list[AmountCandidate], n: int = 8) -> list[AmountCandidate]:
    best: dict[tuple[Decimal, int], AmountCandidate] = {}
    for c in cands:
        key = (c.value, c.line)
        if key not in best or best[key].score < c.score:
            best[key] = c
    return sorted(best.values(), key=lambda c: (-c.score, -c.line))[:n]


def _tax_options(taxes: list[AmountCandidate]) -> list[tuple[Decimal, float]]:
    """Each tax amount alone, and the sum of per-rate rows (one per line): each row's
    best-labelled figure, or each row's smallest (a row that prints its base beside its
    tax: no VAT rate reaches 100 %, the tax is the smaller)."""
    options = [(t.value, t.score) for t in taxes]
    best: dict[int, AmountCandidate] = {}
    least: dict[int, AmountCandidate] = {}
    for t in taxes:
        if t.line not in best or best[t.line].score < t.score:
            best[t.line] = t
        if t.value > 0 and (t.line not in least or least[t.line].value > t.value):
            least[t.line] = t
    for per_line in (best, least):
        if len(per_line) < 2:
            continue
        rows = sorted(per_line.values(), key=lambda c: c.line)
        for start in range(len(rows)):
            for stop in range(start + 2, len(rows) + 1):
                part = rows[start:stop]
                options.append((sum((c.value for c in part), Decimal("0")),
                                min(c.score for c in part)))
    return options


def solve(
    nets: list[AmountCandidate], taxes: list[AmountCandidate], totals: list[AmountCandidate],
    lines_sum: Decimal | None, adjustments: list[AmountCandidate] | None = None,
) -> Totals:
    """``adjustments``: discounts (negative) and charges printed between the subtotal and
    the total; they are only tried when no net + tax = total combination exists."""
    nets, totals = _top(nets), _top(totals)
    tax_opts = _tax_options(_top(taxes, 12))
    best: tuple[float, Totals] | None = None
    for g, n in product(totals, nets):
        if g.line < n.line - 2:  # the total is printed below (or beside) the net
            continue
        for value, score in tax_opts + [(Decimal("0"), 0.3)]:
            if abs(n.value + value - g.value) <= CENT / 2:
                s = g.score + n.score + score + (0.5 if g.label in STRONG_TOTAL else 0)
                s += 0.6 if lines_sum is not None and lines_sum in (n.value, g.value) else 0
                if g.value == n.value and value == 0:
                    s -= 0.5
                if best is None or s > best[0]:
                    best = (s, Totals(net=n.value, tax=value, total=g.value, consistent=True,
                                      conf=0.99, net_conf=0.99, tax_conf=0.97))
    if best is None and adjustments:
        best = _with_adjustments(nets, tax_opts, totals, adjustments)
    if best is not None:
        return best[1]
    out = Totals()
    if totals:
        strong = [c for c in totals if c.label in STRONG_TOTAL]
        pick = max(strong or totals, key=lambda c: (c.score, c.line))
        out.total = pick.value
        out.conf = 0.85 if strong and len({c.value for c in strong}) == 1 else 0.65
    if nets:
        out.net, out.net_conf = nets[0].value, 0.6
    if taxes:
        rows = {c.line: c for c in sorted(_top(taxes, 12), key=lambda c: c.score)}
        out.tax = sum((c.value for c in rows.values()), Decimal("0")) if len(rows) > 1 \
            else _top(taxes)[0].value
        out.tax_conf = 0.6
    if out.total is not None and lines_sum is not None and lines_sum == out.total \
            and not nets and not taxes:
        # lines add up to the total of an invoice that shows no tax: its net is that sum
        out.conf = max(out.conf, 0.9)
        out.net, out.net_conf = lines_sum, 0.9
    elif out.total is not None and out.tax is not None and out.net is None:
        # no net printed: the total less the tax (BT-109 = BT-112 - BT-110), no surer than
        # the two it comes from
        out.net, out.net_conf = out.total - out.tax, min(out.conf, out.tax_conf)
    return out


def _with_adjustments(
    nets: list[AmountCandidate], tax_opts: list[tuple[Decimal, float]],
    totals: list[AmountCandidate], adjustments: list[AmountCandidate],
) -> tuple[float, Totals] | None:
    """Subtotal + every discount and charge (one per line) + tax = total: the net is then
    the subtotal after them. Less sure than a plain sum, but still a checked one."""
    rows: dict[int, AmountCandidate] = {}
    for a in adjustments:
        if a.line not in rows or rows[a.line].score < a.score:
            rows[a.line] = a
    adjust = sum((a.value for a in rows.values()), Decimal("0"))
    best: tuple[float, Totals] | None = None
    for g, n in product(totals, nets):
        if g.line < n.line or not n.line < min(rows) <= max(rows) < g.line:
            continue
        for value, score in tax_opts + [(Decimal("0"), 0.3)]:
            if abs(n.value + adjust + value - g.value) <= CENT / 2:
                s = g.score + n.score + score + (0.5 if g.label in STRONG_TOTAL else 0)
                if best is None or s > best[0]:
                    best = (s, Totals(net=n.value + adjust, tax=value, total=g.value,
                                      consistent=True, conf=0.97, net_conf=0.9, tax_conf=0.9,
                                      subtotal=n.value))
    return best
