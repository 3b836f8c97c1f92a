"""The line-item table: found by its header row, read column by column.

The header names the columns (in any of our languages); each later segment goes to the
column whose header it lines up with. A row without numbers directly under a row continues
its description; a row's amount may sit on its second line (with the rest of its description
and the price's base quantity); a few note lines under a row are passed over; the table ends
at the totals or at the first row that fits no column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from backoffice.locale import fold, parse_number
from robots.invoices.fields import Line
from robots.invoices.labels import COLUMN_LABELS, FIELD_INDEX, build_index, match_label
from robots.invoices.layout import Document, Segment
from robots.invoices.parsing import parse_percent

COLUMN_INDEX = build_index(COLUMN_LABELS)
# EN 16931 BT-149 'Item price base quantity' as invoices print it beside a line: the price
# is per this many units ('Basismenge: 100 Stk', 'Price base quantity 10').
_BASE_QUANTITY = re.compile(
    r"(?:basismenge|bezugsmenge|preiseinheit|price base quantity|base quantity|"
    r"quantite de base|quantita di base|cantidad base|basishoeveelheid)\s*:?\s*"
    r"(\d+(?:[.,]\d+)?)(?:\s*[a-z]{1,5}\.?)?(?![\w.])")
CENT = Decimal("0.01")
_IGNORED = {"gross", "brutto", "bruttowert", "wartosc brutto", "vat amount", "tax amount",
            "kwota vat", "alv euro", "alv eur", "unit", "yks", "yksikko", "jm", "j.m.", "einheit",
            "enhet", "uhik", "unite", "eenheid", "pos", "pos.", "lp", "lp.", "nr", "no", "#",
            "hsn/sac", "hsn", "sac", "s.no", "s. no", "sr", "sr.", "sr.no", "sr. no", "sl",
            "sl.no", "sku", "code", "koodi", "kood", "artnr", "art.-nr.",
            "discount", "rabatt", "ale", "ale %", "rabat", "remise", "korting", "alennus"}


def wrapped_at_hyphen(text: str) -> bool:
    """The text ends in a hyphen right after a letter or digit ('24-'), not in a dash."""
    return re.search(r"[^\W_]-$", text) is not None


def join_wrapped(first: str, rest: str) -> str:
    """A description and its continuation on the next printed line: a word wrapped at its
    own hyphen ('Network switch 24-' / 'port') joins without a space."""
    if not first:
        return rest
    if wrapped_at_hyphen(first):
        return first + rest
    return f"{first} {rest}"


@dataclass
class Column:
    kind: str
    x0: float
    x1: float


def _header_kind(seg: Segment) -> str | None:
    text = seg.folded.strip(" :.")
    if text in _IGNORED:
        return "ignored"
    m = match_label(text, COLUMN_INDEX)
    if m and len(m[2].strip(" .:()%")) <= 6:
        return m[0]
    return None


def find_header(doc: Document, start: int = 0) -> tuple[int, list[Column]] | None:
    """The first line from ``start`` on that reads as a table header."""
    for ln in doc.lines[start:]:
        if len(ln.segments) < 3:
            continue
        kinds = [_header_kind(s) for s in ln.segments]
        known = [k for k in kinds if k and k != "ignored"]
        if len(known) < 3 or kinds.count(None) > 1 or "amount" not in known and \
                "unit_price" not in known:
            continue
        if ln.segments[0].x0 > min(s.x0 for s in doc.segments) + 200:
            continue
        columns = []
        for seg, kind in zip(ln.segments, kinds, strict=True):
            columns.append(Column(kind or "ignored", seg.x0, seg.x1))
        _disambiguate(columns)
        return ln.index, columns
    return None


def _disambiguate(columns: list[Column]) -> None:
    """'Rate' is a unit price in an English table unless there is a price column; two
    amount-like columns: the last is the line amount, an earlier one the unit price."""
    kinds = [c.kind for c in columns]
    for c in columns:
        if c.kind == "unit_price" and kinds.count("unit_price") > 1 and c is columns[-1]:
            c.kind = "amount"
    amounts = [c for c in columns if c.kind == "amount"]
    if len(amounts) > 1:
        for c in amounts[:-1]:
            c.kind = "unit_price" if "unit_price" not in kinds else "ignored"
    seen: set[str] = set()
    for c in columns:
        if c.kind in seen and c.kind != "ignored":
            c.kind = "ignored"
        seen.add(c.kind)


def _column_for(seg: Segment, columns: list[Column]) -> Column:
    best, best_overlap = None, 0.0
    for c in columns:
        overlap = min(seg.x1, c.x1 + 2) - max(seg.x0, c.x0 - 2)
        if overlap > best_overlap:
            best, best_overlap = c, overlap
    if best is not None:
        return best
    centre = (seg.x0 + seg.x1) / 2
    return min(columns, key=lambda c: min(abs(centre - c.x0), abs(centre - c.x1),
                                          abs(centre - (c.x0 + c.x1) / 2)))


def read_lines(doc: Document, decimal: str) -> tuple[list[Line], list[range]]:
    """The table's lines and the spans of document lines it covers (header to last row).

    A table cut by a page break goes on under the same header repeated on a later page;
    one that ended at its totals does not."""
    found = find_header(doc)
    rows: list[Line] = []
    spans: list[range] = []
    while found is not None:
        header_index, columns = found
        part, end, at_totals = _read_rows(doc, header_index, columns, decimal)
        rows.extend(part)
        spans.append(range(header_index, end))
        if at_totals or not part:
            break
        page = doc.lines[end - 1].page if end > 0 else 0
        found = find_header(doc, end)
        if found is None or doc.lines[found[0]].page <= page or \
                [c.kind for c in found[1]] != [c.kind for c in columns]:
            break
    return rows, spans


def _read_rows(doc: Document, header_index: int, columns: list[Column],
               decimal: str) -> tuple[list[Line], int, bool]:
    """Rows under one header: (rows, index of the line after them, ended at the totals)."""
    rows: list[Line] = []
    last_bottom = doc.lines[header_index].bottom
    end = header_index + 1
    notes: list[int] = []  # note lines under the last row ('Herkunftsland: DE')
    for ln in doc.lines[header_index + 1:]:
        end = ln.index
        if ln.page != doc.lines[header_index].page and not rows:
            break
        first = ln.segments[0]
        m = match_label(first.folded, FIELD_INDEX)
        if m and m[0] in ("net_amount", "tax_amount", "total_amount") and rows:
            return rows, end, True
        cells: dict[str, str] = {}
        aside: list[str] = []  # figures under columns the reading leaves out
        for seg in ln.segments:
            col = _column_for(seg, columns)
            cells[col.kind] = (cells.get(col.kind, "") + " " + seg.text).strip()
            if col.kind == "ignored":
                aside.append(seg.text)
        base = _base_quantity(cells, decimal)
        row = _row(cells, decimal)
        if row is not None:
            _net_of_gross(row, aside, decimal)
        gap = ln.top - last_bottom
        if rows and _second_line(rows[-1], cells, decimal, gap < first.height * 1.5):
            # the amount of the row above, printed on its second line with the rest of
            # its description (and maybe its price's base quantity)
            _finish(rows[-1], cells, decimal, base)
            last_bottom = ln.bottom
            continue
        if row is not None and base is not None:
            row.base_quantity = base
        if row is None:
            desc = cells.get("description")
            if rows and desc and len(cells) == 1 and gap < first.height * 1.2 and not notes:
                rows[-1].description = join_wrapped(rows[-1].description, desc)
                last_bottom = ln.bottom
                continue
            if rows and desc and set(cells) <= {"description", "ignored"} and \
                    len(notes) < 6 and gap < first.height * 3:
                # a row's notes: passed over, the table may go on under them
                notes.append(ln.index)
                last_bottom = ln.bottom
                continue
            if rows or gap > 60:
                break
            continue
        rows.append(row)
        notes = []
        last_bottom = ln.bottom
    else:
        end = len(doc.lines)
    if notes:
        end = notes[0]  # no row followed the notes: the table ended above them
    return rows, end, False


def _base_quantity(cells: dict[str, str], decimal: str) -> Decimal | None:
    """The base quantity printed in the description cell, taken out of it."""
    desc = cells.get("description")
    if not desc:
        return None
    m = _BASE_QUANTITY.search(fold(desc))
    if m is None:
        return None
    value = parse_number(m.group(1), decimal) or parse_number(
        m.group(1), "," if decimal == "." else ".")
    if value is None or value <= 0:
        return None
    # fold() keeps the length of these Latin words, so the span cuts the printed text
    cells["description"] = (desc[: m.start()] + " " + desc[m.end():]).strip()
    return value


def _second_line(prev: Line, cells: dict[str, str], decimal: str, close: bool) -> bool:
    """A line with an amount and nothing else of a row's figures, under a row that has a
    quantity but no amount yet."""
    return (close and prev.amount is None and prev.quantity is not None
            and _money(cells.get("amount"), decimal) is not None
            and not cells.get("quantity") and not cells.get("unit_price"))


def _finish(prev: Line, cells: dict[str, str], decimal: str, base: Decimal | None) -> None:
    prev.amount = _money(cells.get("amount"), decimal)
    words = [w for w in cells.get("description", "").split()
             if not (any(c.isdigit() for c in w) and not any(c.islower() for c in w)
                     and len(w) >= 4)]  # article numbers and GTINs, not '12 x 1,0l'
    if words:
        prev.description = join_wrapped(prev.description, " ".join(words)).strip()
    if base is not None:
        prev.base_quantity = base
    if prev.unit_price is None and prev.quantity and prev.amount is not None:
        # a page that prints the quantity and the amount but leaves the price column empty:
        # the price per base quantity follows, when it comes out to the cent
        price = prev.amount * (base or Decimal(1)) / prev.quantity
        if price == price.quantize(CENT):
            prev.unit_price = price.quantize(CENT)


def _row(cells: dict[str, str], decimal: str) -> Line | None:
    desc = cells.get("description", "").strip()
    amount = _money(cells.get("amount"), decimal)
    price = _money(cells.get("unit_price"), decimal)
    qty_text = cells.get("quantity")
    qty = None
    if qty_text:
        m = re.match(r"(-?[\d.,\s]+)", qty_text.strip())
        qty = parse_number(m.group(1).strip(), decimal) if m else None
        if qty is None and m:
            qty = parse_number(m.group(1).strip(), "," if decimal == "." else ".")
    if amount is None and price is None and qty is None:
        return None
    rate_text = cells.get("tax_rate")
    rate = parse_percent(rate_text, decimal) if rate_text else None
    if rate is not None and rate > 50:
        rate = None
    if not desc:
        return None
    return Line(description=desc, quantity=qty, unit_price=price, amount=amount, tax_rate=rate)


def _net_of_gross(row: Line, aside: list[str], decimal: str) -> None:
    """A header whose last money column is the line's gross: the amount read there is the
    net x (1 + rate) of a figure printed in another column, and quantity x price comes to
    that figure, so that figure is the line amount (EN 16931 BT-131 is net)."""
    q, p, amount, rate = row.quantity, row.unit_price, row.amount, row.tax_rate
    if q is None or p is None or amount is None or not rate:
        return
    if abs(q * p - amount) <= CENT:
        return
    for text in aside:
        net = _money(text, decimal)
        if net is None or abs(q * p - net) > CENT:
            continue
        gross = (net * (100 + rate) / 100).quantize(CENT, ROUND_HALF_UP)
        if abs(gross - amount) <= CENT:
            row.amount = net
            return


# a price per unit: '1.834,71 €/Stk.', '12.50 $/ea.', '85,00/h', '4,20 €/m²'
_PER_UNIT = re.compile(r"\s?/\s?[^\W\d_][\w.²³]{0,9}$")


def _money(text: str | None, decimal: str) -> Decimal | None:
    if not text:
        return None
    text = _PER_UNIT.sub("", text.strip())
    t = re.sub(r"^(?:[€$£₹]|Rs\.?|EUR|USD|GBP|PLN|SEK|INR)\s?|\s?(?:[€$£₹]|EUR|USD|GBP|PLN|"
               r"SEK|INR|zł|kr)$", "", text.strip())
    return parse_number(t, decimal)
