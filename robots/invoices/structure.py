"""Tables found by their arithmetic, whatever their header says.

A line item is a row holding a quantity, a unit price and an amount where quantity x price
= amount; the amount may sit on the line below the row (a second printed line for codes).
A VAT breakdown row holds a taxable base, a rate and a tax where base x rate = tax. Header
words are not needed, so a header in a language or an abbreviation the label lists lack
(``Lp. | Nazwa towaru/usługi | Ilość | J.m. | Cena netto``), a monospace receipt with
dotted leaders or a table with no header at all is read the same way. The checks that
follow (lines add up to the net, tax matches the rates) decide whether the rows are trusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from backoffice.locale import fold, parse_number
from robots.invoices.fields import Line
from robots.invoices.labels import FIELD_INDEX, match_label
from robots.invoices.layout import Document
from robots.invoices.layout import Line as DocLine
from robots.invoices.table import join_wrapped, wrapped_at_hyphen

CENT = Decimal("0.01")
_CURRENCY = re.compile(r"^(?:[€$£₹]|EUR|USD|GBP|PLN|SEK|CHF|INR|CZK|HUF|NOK|DKK|zł|kr|Kč)$",
                       re.I)
_NUMBER = re.compile(r"^[-−(]?(?:[€$£₹])?\d[\d.,'’]*\)?(?:[€$£₹])?-?$")
_PERCENT = re.compile(r"^(\d{1,2}(?:[.,]\d{1,3})?)\s?%$")  # US sales tax: 8.875 %
# '1 000,00' inside one cell is one number (a space groups its thousands).
_GROUPED = re.compile(r"(?<=(?<![\d.,])\d)[ \u00a0\u202f](?=\d{3}(?:[.,]\d{2})?(?![\d]))|"
                      r"(?<=(?<![\d.,])\d\d)[ \u00a0\u202f](?=\d{3}(?:[.,]\d{2})?(?![\d]))|"
                      r"(?<=(?<![\d.,])\d\d\d)[ \u00a0\u202f](?=\d{3}(?:[.,]\d{2})?(?![\d]))")
_LEADER = re.compile(r"\.{3,}|…+|_{3,}")  # dotted leaders of monospace receipts


@dataclass
class Token:
    text: str
    kind: str  # "number" | "percent" | "text" | "unit"
    value: Decimal | None = None
    decimals: int = 0
    x0: float = 0.0  # where its segment starts
    first: bool = False  # the first word of its line (a position number, when a number)
    in_text: bool = False  # its segment holds words too: part of a description
    # a "text" with a value: written with the other decimal mark than the document's money
    # ('1.50 pcs' beside '1.782,85 €'), it may be a quantity, never a price or an amount,
    # and elsewhere it stays a word of the description ('Kabel 2.5 mm')
    foreign: bool = False


def _tokens(ln: DocLine, decimal: str) -> list[Token]:
    out: list[Token] = []
    placed = [(w, seg.x0) for seg in ln.segments
              for w in _GROUPED.sub("", _LEADER.sub(" ", seg.text)).split()]
    words = [w for w, _ in placed]
    i = 0
    while i < len(words):
        n = len(out)
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt == "%" and re.fullmatch(r"\d{1,2}(?:[.,]\d{1,3})?", w):
            out.append(Token(f"{w} %", "percent", parse_number(w, "," if "," in w else "."),
                             x0=placed[i][1], first=i == 0))
            i += 2
            continue
        m = _PERCENT.match(w)
        if m:
            out.append(Token(w, "percent", parse_number(m.group(1), "," if "," in w else ".")))
        elif _CURRENCY.match(w):
            out.append(Token(w, "unit"))
        elif _NUMBER.match(w) and not re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2,4}", w):
            # '39 162,-': whole units, the cents written as a dash (Czech, German)
            core = re.sub(re.escape(decimal) + r"-$", decimal + "00", w.strip("€$£₹"))
            value = parse_number(core, decimal)
            mark, foreign = decimal, False
            if value is None:
                mark, foreign = ("," if decimal == "." else "."), True
                value = parse_number(core, mark)
            if value is None:
                out.append(Token(w, "text"))
            else:
                frac = re.search(re.escape(mark) + r"(\d+)\)?-?$", core)
                out.append(Token(w, "text" if foreign else "number", value,
                                 len(frac.group(1)) if frac else 0, foreign=foreign))
        else:
            out.append(Token(w, "text"))
        if len(out) > n:
            out[-1].x0 = placed[i][1]
            out[-1].first = i == 0
        i += 1
    # a number inside a phrase ('Dachrinne Zink 6 m', 'Paint, 5 l tin') follows words of
    # its own cell; a quantity's cell may hold its unit after it ('6 pcs'), not before
    worded: set[float] = set()
    for t in out:
        t.in_text = t.x0 in worded
        if t.kind == "text" and sum(c.isalpha() for c in t.text) > 1:
            worded.add(t.x0)
    return out


def _numbers_only(tokens: list[Token]) -> bool:
    return bool(tokens) and all(t.kind in ("number", "unit") or t.text.startswith("(")
                                for t in tokens)


def _is_code(text: str) -> bool:
    """An article number or GTIN: one token with digits and no lower-case letters."""
    return " " not in text and any(c.isdigit() for c in text) and not any(
        c.islower() for c in text)


@dataclass
class _Row:
    line: int
    quantity: Decimal
    price: Decimal
    amount: Decimal
    rate: Decimal | None
    description: str
    end: int = 0  # index of the line after the row (its amount may sit on the next one)


def _triple(nums: list[Token]) -> tuple[Token, Token, Token] | None:
    """(quantity, price, amount): the amount is a money figure (two decimals) right of the
    price, and quantity x price = amount to the cent (or to the price's rounding). An
    amount of zero only with a price of zero (an article given free of charge)."""
    for ai in range(len(nums) - 1, 0, -1):
        a = nums[ai]
        if a.decimals != 2 or a.value is None or a.foreign:
            continue
        for pi in range(ai - 1, -1, -1):
            p = nums[pi]
            if p.decimals < 2 or p.value is None or p.foreign or (a.value == 0) != (p.value == 0):
                continue
            # a line's first number is more often its position than its quantity, and a
            # number printed inside the description ('Panel 24 mod.') less often than one
            # standing in a cell of its own
            for qi in sorted(range(len(nums)), key=lambda k: (nums[k].first,
                                                              nums[k].in_text)):
                if qi in (ai, pi):
                    continue
                q = nums[qi]
                if q.value is None or q.value == 0 or abs(q.value) > 100_000:
                    continue
                slack = max(CENT, abs(q.value) * Decimal("0.005")) if p.decimals > 2 or \
                    abs(q.value) != abs(q.value).to_integral_value() else CENT
                if abs(abs(q.value * p.value) - abs(a.value)) <= slack:
                    return q, p, a
        break  # only the rightmost money figure is the row's amount
    return None


def _discounted(toks: list[Token], nums: list[Token]
                ) -> tuple[Token, Token, Token, Token] | None:
    """(quantity, net price, amount, discount) of a row with a line discount in a column of
    its own between the price and the amount ('20 | 4,55 € | 10% | 81,90 €'): quantity x
    price x (1 - discount) = amount to the cent. The price given back is the net one
    (EN 16931 BT-146 'Item net price' = gross price less the discount), so the line's own
    arithmetic holds; the percentage is the discount's, never the VAT rate."""
    money = [t for t in nums if t.decimals == 2 and t.value and not t.foreign]
    for d in toks:
        if d.kind != "percent" or d.in_text or d.value is None or not 0 < d.value < 100:
            continue
        factor = 1 - d.value / 100
        right = [t for t in money if t.x0 > d.x0]
        if not right:
            continue
        a = right[-1]
        for p in (t for t in nums if t.x0 < d.x0 and t.decimals >= 2 and t.value
                  and not t.foreign):
            for q in nums:
                if q is p or q is a or q.value is None or q.value == 0 or q.x0 > p.x0 \
                        or abs(q.value) > 100_000:
                    continue
                if p.value is not None and a.value is not None and \
                        abs(q.value * p.value * factor - a.value) <= CENT / 2:
                    net = Token(p.text, "number", p.value * factor, 4, x0=p.x0)
                    return q, net, a, d
    return None


def _rates(toks: list[Token]) -> list[Decimal]:
    return [t.value for t in toks if t.kind == "percent" and t.value is not None
            and t.value <= 50]


def _before_gross(nums: list[Token], rates: list[Decimal]) -> tuple[list[Token], Decimal | None]:
    """The row's figures up to its net amount, when the figures right of it are what one of
    ``rates`` makes of it: its gross (net x (1 + rate), to the cent) last, maybe its tax
    (net x rate) before that; with the rate that did it. Those columns say nothing of the
    line amount (EN 16931 BT-131 is net), and a gross figure is not quantity x price."""
    last = nums[-1] if nums else None
    if last is None or last.value is None or last.decimals != 2 or last.foreign:
        return nums, None
    for ni in range(len(nums) - 2, -1, -1):
        n = nums[ni]
        if n.value is None or n.value == 0 or n.decimals != 2 or n.foreign:
            continue
        for rate in rates:
            gross = (n.value * (100 + rate) / 100).quantize(CENT, ROUND_HALF_UP)
            tax = (n.value * rate / 100).quantize(CENT, ROUND_HALF_UP)
            if abs(gross - last.value) <= CENT and all(
                    t.value is not None and abs(t.value - tax) <= CENT
                    for t in nums[ni + 1:-1]):
                return nums[: ni + 1], rate
    return nums, None


def structural_lines(doc: Document, decimal: str,
                     rates: Iterable[Decimal] = ()) -> tuple[list[Line], list[range]]:
    """Line items found by quantity x price = amount, with the spans they cover. ``rates``:
    the VAT rates the document prints outside its rows."""
    rows: list[_Row] = []
    used: set[int] = set()
    bare: dict[int, list[Decimal]] = {}  # a row's bare numbers right of its price
    lines = doc.lines
    tokens = [_tokens(ln, decimal) for ln in lines]
    # a row that prints its gross but not its rate ('Subtotal c/IVA' beside 'Subtotal', the
    # rate only in the totals below) is told by the rates the document prints elsewhere
    printed = sorted(rates)
    for i, ln in enumerate(lines):
        if i in used:
            continue
        toks = tokens[i]
        m = match_label(ln.segments[0].folded, FIELD_INDEX)
        if m and m[0] in ("net_amount", "tax_amount", "total_amount", "other"):
            continue
        nums = [t for t in toks if t.kind == "number" or t.foreign]
        below = i + 1 < len(lines) and lines[i + 1].page == ln.page and \
            _numbers_only(tokens[i + 1]) and lines[i + 1].top - ln.bottom < ln.bottom - ln.top
        own = _rates(toks)
        net, gross_rate = _before_gross(nums, own or printed)
        found = _triple(net) or (_triple(nums) if net is not nums else None)
        took_below = False
        tail = ""
        if found is None and below:
            found = _triple(nums + [t for t in tokens[i + 1] if t.kind == "number"])
            took_below = found is not None
        if found is None and i + 1 not in used:
            found, tail = _amount_below_with_text(lines, tokens, i, nums)
            took_below = found is not None
        discount: Token | None = None
        if found is None:
            with_discount = _discounted(toks, nums)
            if with_discount is None:
                continue
            q, p, a, discount = with_discount
            found = q, p, a
        q, p, a = found
        desc, desc_x = _description(toks, (q, p, a))
        named_below = False
        if not desc:
            # a receipt prints the name on its own line and 'qty x price .... amount' under it
            desc, desc_x = _name_above(lines, tokens, i, used)
            if desc:
                used.add(i - 1)
        if not desc and not took_below:
            desc, desc_x = _name_below(lines, tokens, i, q)
            named_below = bool(desc)
        if not desc:
            continue
        # a percentage inside the description ('Discount 10 %') is not the VAT rate
        rate = next((t.value for t in toks if t.kind == "percent" and t.value is not None
                     and t.value <= 50 and not (t.in_text and t.x0 == desc_x)
                     and t is not discount), None)
        if rate is None and not own and net is not nums and found[2] is net[-1]:
            rate = gross_rate  # the rate its gross figure shows
        if rate is None:
            bare[len(rows)] = [t.value for t in nums if t.x0 > p.x0 and t.decimals <= 1
                               and t.value is not None and 0 < t.value <= 30
                               and not t.first and not t.in_text
                               and all(t is not x for x in (q, p, a))]
        rows.append(_Row(i, q.value or Decimal(0), p.value or Decimal(0), a.value or Decimal(0),
                         rate, desc))
        used.add(i)
        rows[-1].end = i + 1
        if took_below or named_below:
            used.add(i + 1)
            rows[-1].end = i + 2
        if tail and abs(_tail_x(tokens[i + 1]) - desc_x) <= 3:
            rows[-1].description = join_wrapped(rows[-1].description, tail)
        rows[-1].description = _continued(doc, tokens, rows[-1].end, used,
                                          rows[-1].description, desc_x)
        if wrapped_at_hyphen(rows[-1].description):
            rows[-1].description = rows[-1].description[:-1]  # nothing followed the hyphen
    # a free row counts only among paid ones: alone, or before or after them, a row of
    # zeros is more likely a form's empty line or a note than an article
    paid = [k for k, r in enumerate(rows) if r.amount]
    if not paid:
        return [], []
    bare = {k - paid[0]: v for k, v in bare.items() if paid[0] <= k <= paid[-1]}
    rows = rows[paid[0]: paid[-1] + 1]
    if any(bare.values()):
        _bare_rates(doc, decimal, rows, bare, set(printed), used)
    # the quantity keeps the sign the row prints ('-5 Stk' on a correction): which of
    # quantity and price carries a minus is the document's to say (``as_credit_note``)
    out = [Line(description=r.description, quantity=r.quantity, unit_price=r.price,
                amount=r.amount, tax_rate=r.rate) for r in rows]
    spans: list[range] = []
    for r in rows:
        if spans and lines[spans[-1].stop - 1].page == lines[r.line].page:
            spans[-1] = range(spans[-1].start, r.end)
        else:
            spans.append(range(r.line, r.end))
    return out, spans


def _bare_rates(doc: Document, decimal: str, rows: list[_Row], bare: dict[int, list[Decimal]],
                printed: set[Decimal], used: set[int]) -> None:
    """A VAT rate column printed without its '%' ('19,0' under 'MwSt-%', '7' under
    'USt. %'): a bare number right of a row's price is its rate when it is one of the rates
    the page states elsewhere, beside the tax's name or in a VAT breakdown whose base x
    rate = tax checks out; any other small number may be a unit or a pack size."""
    known = printed | {v.rate for v in vat_breakdown(doc, decimal, used)}
    for k, values in bare.items():
        hits = {v for v in values if v in known}
        if len(hits) == 1:
            rate = hits.pop()
            rows[k].rate = rate.quantize(Decimal(1)) if rate == rate.to_integral_value() \
                else rate


def _continuation(toks: list[Token]) -> list[Token]:
    """The words of a row's second line before its amount, article numbers and GTINs
    at its start left out ('4000001234561 12 x 1,0l PET  109,80' -> '12 x 1,0l PET')."""
    words = toks[:-1]
    while words and _is_code(words[0].text) and len(words[0].text) >= 6:
        words = words[1:]
    return words


def _tail_x(toks: list[Token]) -> float:
    words = _continuation(toks)
    return words[0].x0 if words else -1000.0


def _amount_below_with_text(lines: list[DocLine], tokens: list[list[Token]], i: int,
                            nums: list[Token]) -> tuple[tuple[Token, Token, Token] | None, str]:
    """A row whose amount is printed on the line under it together with the rest of its
    description ('Mineralwasser Medium 5,4900 20 Stk' over '12 x 1,0l PET  109,80'): the
    quantity and price of the row and that line's last figure must multiply out."""
    if i + 1 >= len(lines) or not nums:
        return None, ""
    ln, nxt, toks = lines[i], lines[i + 1], tokens[i + 1]
    if nxt.page != ln.page or nxt.top - ln.bottom > ln.bottom - ln.top or not toks:
        return None, ""
    last = toks[-1]
    if last.kind != "number" or last.decimals != 2 or ":" in nxt.text:
        return None, ""
    m = match_label(nxt.segments[0].folded, FIELD_INDEX)
    if m and m[0] != "adjustment":
        return None, ""
    if _triple([t for t in toks if t.kind == "number"]) is not None:
        return None, ""  # a row of its own
    found = _triple(nums + [last])
    if found is None or found[2] is not last:
        return None, ""
    words = _continuation(toks)
    if any(t.kind == "number" and t.decimals == 2 for t in words):
        return None, ""  # more money figures: not a description's continuation
    return found, " ".join(t.text for t in words).strip()


def _description(toks: list[Token], triple: tuple[Token, Token, Token]) -> tuple[str, float]:
    """The longest run of words in the row (position numbers and article codes left out),
    and where it starts."""
    runs: list[list[Token]] = [[]]
    unit = _unit_word(toks, triple[0])
    for t in toks:
        if t is unit:
            runs.append([])
        elif t.kind == "text" and not (_is_code(t.text) and not runs[-1]) and \
                all(t is not x for x in triple):
            runs[-1].append(t)
        elif t.kind == "percent" and runs[-1] and t.in_text and t.x0 == runs[-1][0].x0:
            runs[-1].append(t)  # 'Discount 10 %' in the description's own cell
        elif t.kind == "number" and runs[-1] and all(t is not x for x in triple) \
                and t.decimals == 0 and not runs[-1][-1].text.endswith(":"):
            runs[-1].append(t)  # '12 x 1,0l', 'Model 3': a number inside the name
        elif runs[-1]:
            runs.append([])
    best = max(runs, key=lambda r: len(" ".join(t.text for t in r)))
    printed = " ".join(t.text for t in best)
    text = printed.strip(" :-")
    if wrapped_at_hyphen(printed):
        text += "-"  # a word cut at its hyphen: the rest may follow on the next line
    if sum(c.isalpha() for c in text) < 2:
        return "", 0.0
    return text, best[0].x0


def _unit_word(toks: list[Token], quantity: Token) -> Token | None:
    """The word right after the quantity that names its unit, not a part of the
    description: a short word closing the quantity's own cell ('7 pcs', '5 ks', '3 Std.'),
    or a word alone in the next cell when the description stands left of the quantity
    ('Flete | 3,00 | unidades | $1.818,02')."""
    at = next((k for k, t in enumerate(toks) if t is quantity), -1)
    if at < 0 or at + 1 >= len(toks):
        return None
    unit = toks[at + 1]
    if unit.kind != "text" or len(unit.text) > 12 or \
            not re.fullmatch(r"[^\W\d_]+\.?", unit.text):
        return None
    after = toks[at + 2] if at + 2 < len(toks) else None
    if after is not None and after.x0 == unit.x0 and after.kind == "text":
        return None  # more words in the cell: '5 x Widget', 'Stk Schrauben'
    if unit.x0 == quantity.x0:
        return unit if len(unit.text) <= 6 else None
    named_before = any(t.kind == "text" and sum(c.isalpha() for c in t.text) > 1
                       for t in toks[:at])
    return unit if named_before else None


def _name_above(lines: list[DocLine], tokens: list[list[Token]], i: int,
                used: set[int]) -> tuple[str, float]:
    """The line just above a row of figures, when it holds words only (no label, no
    colon, not already a row) and starts left of the row's figures."""
    j = i - 1
    if j < 0 or j in used or lines[j].page != lines[i].page:
        return "", 0.0
    above, toks = lines[j], tokens[j]
    if lines[i].top - above.bottom > (above.bottom - above.top) * 0.9 or not toks:
        return "", 0.0
    if len(above.segments) != 1 or ":" in above.text:
        return "", 0.0
    m = match_label(above.segments[0].folded, FIELD_INDEX)
    if m and m[0] not in ("other", "adjustment"):  # a charge ('Frais de port') names a line
        return "", 0.0
    if not any(t.kind == "text" for t in toks):
        return "", 0.0
    text = above.segments[0].text.strip()
    if sum(c.isalpha() for c in text) < 2 or above.segments[0].x0 > lines[i].segments[0].x0 + 3:
        return "", 0.0
    return text, above.segments[0].x0


def _name_below(lines: list[DocLine], tokens: list[list[Token]], i: int,
                quantity: Token) -> tuple[str, float]:
    """The name of a row that prints only codes and figures ('4123456000014  ZS997
    100,0000 Stk. 1,0000 100,00'), on the line just under it ('Zitronensäure 100ml'): that
    line holds words only, left of the row's quantity and not left of the row itself, its
    leading article codes ('K4321') left out; no label, no colon, no money figure."""
    j = i + 1
    if j >= len(lines) or lines[j].page != lines[i].page:
        return "", 0.0
    row, under = lines[i], lines[j]
    if under.top - row.bottom > (row.bottom - row.top) * 0.9 or ":" in under.text:
        return "", 0.0
    words = [t for t in tokens[j] if t.x0 >= row.segments[0].x0 - 3]
    if not words or any(t.x0 >= quantity.x0 for t in words):
        return "", 0.0
    while words and _is_code(words[0].text):
        words = words[1:]
    if not words or any(t.kind == "number" and t.decimals == 2 for t in words):
        return "", 0.0
    text = " ".join(t.text for t in words)
    if sum(c.isalpha() for c in text) < 2 or match_label(fold(text), FIELD_INDEX):
        return "", 0.0
    return text, words[0].x0


def _continued(doc: Document, tokens: list[list[Token]], start: int, used: set[int],
               desc: str, x0: float) -> str:
    """A line right under a row, starting where its description starts, with words only
    (no figures, no label, no colon) goes on with the description."""
    if start >= len(doc.lines):
        return desc
    prev = doc.lines[start - 1]
    ln = doc.lines[start]
    toks = tokens[start]
    if ln.page != prev.page or ln.top - prev.bottom > (prev.bottom - prev.top) * 0.9:
        return desc
    if not toks or any(t.kind != "text" for t in toks) or ":" in ln.text:
        return desc
    if sum(c.isalpha() for c in ln.text) < 2:
        return desc  # a rule drawn with dashes
    nxt = tokens[start + 1] if start + 1 < len(tokens) else []
    found = _triple([t for t in nxt if t.kind == "number"])
    if found is not None and not _description(nxt, found)[0]:
        return desc  # the name of the next row, whose figures follow on the line under it
    if len(ln.segments) != 1 or match_label(ln.segments[0].folded, FIELD_INDEX) or \
            abs(ln.segments[0].x0 - x0) > 3:
        return desc
    used.add(start)
    return join_wrapped(desc, ln.segments[0].text)


@dataclass(frozen=True)
class VatRow:
    line: int
    rate: Decimal
    base: Decimal
    tax: Decimal


def vat_breakdown(doc: Document, decimal: str, skip: set[int]) -> list[VatRow]:
    """Rows of a VAT breakdown table: a base, a rate and a tax where base x rate = tax
    (rounded to the cent); a gross column, when printed, is left alone. A row printing the
    tax before the base ('19.00% | 10.480,16 | 55.158,75 | 65.638,91') must also print the
    gross they add up to: read in that order, two figures agree by chance more often."""
    out: list[VatRow] = []
    for ln in doc.lines:
        if ln.index in skip:
            continue
        toks = _tokens(ln, decimal)
        rates = [t for t in toks if t.kind == "percent" and t.value is not None]
        nums = [t for t in toks if t.kind == "number" and t.value is not None]
        # a rate printed as a bare number: '19', or with one decimal, '20.0' or '5.5' (in the
        # other decimal mark than the money's, as a program's default number format does)
        rates += [t for t in toks if (t.kind == "number" or t.foreign) and t.decimals <= 1
                  and t.value is not None and 0 < t.value <= 30]
        money = [t for t in nums if t.decimals == 2]
        found = next((row for r in rates for row in _vat_rows(ln.index, r, money)), None)
        if found:
            out.append(found)
    return out


def _vat_rows(index: int, rate: Token, money: list[Token]) -> Iterator[VatRow]:
    r = rate.value
    assert r is not None
    for bi, b in enumerate(money):
        for ti, t in enumerate(money):
            assert b.value is not None and t.value is not None
            if ti == bi or b.value == 0 or abs(t.value) >= abs(b.value):
                continue
            expect = (b.value * r / 100).quantize(CENT, ROUND_HALF_UP)
            if abs(expect - t.value) > CENT or (t.value == 0 and r != 0):
                continue
            if ti < bi and not any(
                    g.value is not None and abs(g.value - b.value - t.value) <= CENT
                    for g in money[bi + 1:]):
                continue
            yield VatRow(index, r, b.value, t.value)
