"""A vendor's line table learned from approved lines: its header row, its columns (where the
quantity, unit price, amount, VAT rate and description sit across the page) and the row that
ends it.

Each approved line is looked up on the page (its amount, with its description or unit price
on the same row); the segments holding each value give the columns. On the vendor's next
invoice the rows under the same header are cut into the same columns. Whether the rows are
right is decided afterwards by the usual checks (quantity x price = amount, the lines add up
to the net).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from statistics import median
from typing import Any

from robots.invoices.fields import Line
from robots.invoices.layout import Document, Segment
from robots.invoices.layout import Line as DocLine
from robots.invoices.parsing import fold, parse_number

NUMBER_FIELDS = ("quantity", "unit_price", "amount", "tax_rate")
_NUMBER = re.compile(r"[-−(]?\d[\d .,'’\u00a0\u202f]*\d(?:\))?|\d")


def _numbers(text: str, decimal: str) -> list[Decimal]:
    out = []
    for m in _NUMBER.finditer(text):
        raw = m.group(0).strip()
        value = parse_number(raw, decimal)
        if value is None:  # '2 10,00': two numbers a space apart
            for part in raw.split():
                part_value = parse_number(part, decimal)
                if part_value is not None:
                    out.append(part_value)
            continue
        out.append(value)
    return out


def _dec(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return abs(Decimal(str(value)))
    except InvalidOperation:
        return None


def _where(row: DocLine, want: Decimal, decimal: str,
           used: set[tuple[int, int]] | None = None) -> tuple[Segment, int] | None:
    """The rightmost segment of ``row`` holding ``want`` (not one of ``used``: a price
    equal to its amount is another cell), and which number in it it is."""
    for n, seg in reversed(list(enumerate(row.segments))):
        nums = [abs(x) for x in _numbers(seg.text, decimal)]
        for k in range(len(nums) - 1, -1, -1):
            if nums[k] == want and (n, k) not in (used or set()):
                if used is not None:
                    used.add((n, k))
                return seg, k
    return None


def _description_segment(row: DocLine, desc: str,
                         used: set[tuple[int, int]]) -> Segment | None:
    """The segment of ``row`` where the approved description starts (it may share the
    segment with a number: '8 Espresso 1kg')."""
    best, length = None, 0
    for seg in row.segments:
        words = [w for w in fold(seg.text).split() if any(ch.isalpha() for ch in w)]
        text = " ".join(words)
        if text and desc.startswith(words[0]) and len(text) > length:
            best, length = seg, len(text)
    return best


def _clean(seg: Segment, row: DocLine, used: set[tuple[int, int]], decimal: str) -> str:
    """The segment's text without the numbers other columns took from it."""
    n = row.segments.index(seg)
    taken = sorted(k for m, k in used if m == n)
    return _without_numbers(seg.text, taken)


def _without_numbers(text: str, indexes: list[int]) -> str:
    spans = [m.span() for m in _NUMBER.finditer(text)]
    for k in sorted(indexes, reverse=True):
        if k < len(spans):
            a, b = spans[k]
            text = text[:a] + text[b:]
    return " ".join(text.split())


def _header_text(line: DocLine) -> str:
    return " | ".join(fold(s.text).strip() for s in line.segments)


def learn_table(doc: Document, lines: Sequence[Mapping[str, Any]],
                decimal: str) -> dict[str, Any] | None:
    if not lines:
        return None
    rows: list[int] = []
    start = 0
    columns: dict[str, list[tuple[float, float, int, bool]]] = {}
    wraps = False
    for ln in lines:
        amount = _dec(ln.get("amount"))
        if amount is None:
            return None
        desc = fold(str(ln.get("description") or "")).strip()
        found = None
        for i in range(start, len(doc.lines)):
            where = _where(doc.lines[i], amount, decimal)
            if where is None:
                continue
            folded = fold(doc.lines[i].text)
            price = _dec(ln.get("unit_price"))
            if (desc[:8] and desc[:8] in folded) or (
                    price is not None and _where(doc.lines[i], price, decimal)):
                found = i
                break
            if found is None:
                found = i
        if found is None:
            return None
        row = doc.lines[found]
        used: set[tuple[int, int]] = set()
        for name in ("amount", "unit_price", "quantity", "tax_rate"):
            value = _dec(ln.get(name))
            spot = _where(row, value, decimal, used) if value is not None else None
            if spot is not None:
                # A value printed twice on its row (a price equal to its amount) does not
                # tell its column: it counts only when no row says it plainly.
                plain = sum(abs(x) == value for s in row.segments
                            for x in _numbers(s.text, decimal)) == 1
                columns.setdefault(name, []).append((spot[0].x0, spot[0].x1, spot[1], plain))
        desc_seg = _description_segment(row, desc, used)
        if desc_seg is not None:
            columns.setdefault("description", []).append((desc_seg.x0, desc_seg.x1, 0, True))
            wraps = wraps or len(desc) > len(_clean(desc_seg, row, used, decimal)) + 1
        rows.append(found)
        start = found + 1
    if "amount" not in columns or len(columns["amount"]) != len(lines):
        return None
    header = None
    for i in range(rows[0] - 1, max(-1, rows[0] - 4), -1):
        letters = [s for s in doc.lines[i].segments if any(ch.isalpha() for ch in s.text)]
        if len(letters) >= 2:
            header = _header_text(doc.lines[i])
            break
    after = rows[-1] + 1
    while wraps and after < len(doc.lines) and _only_in(doc.lines[after], columns):
        after += 1
    end = _header_text(doc.lines[after]).split(" | ")[0] if after < len(doc.lines) else None
    return {
        "header": header,
        "end": end,
        "wraps": wraps,
        "columns": {name: _column(cs) for name, cs in columns.items()},
    }


def _column(cells: list[tuple[Any, ...]]) -> dict[str, float]:
    plain = [c for c in cells if len(c) < 4 or c[3]] or cells
    return {"x0": round(median(c[0] for c in plain), 1),
            "x1": round(median(c[1] for c in plain), 1), "k": int(median(c[2] for c in plain))}


def _only_in(line: DocLine, columns: Mapping[str, Any]) -> bool:
    """A line whose segments all sit in the description column (a wrapped description)."""
    desc = columns.get("description")
    if not desc:
        return False
    x0, x1 = (desc["x0"], desc["x1"]) if isinstance(desc, Mapping) else desc[0][:2]
    return all(s.x0 >= x0 - 6 and s.x0 <= x1 + 6 and not any(ch.isdigit() for ch in s.text)
               for s in line.segments)


def _overlap(seg: Segment, col: Mapping[str, float]) -> float:
    return min(seg.x1, col["x1"]) - max(seg.x0, col["x0"])


def _column_of(seg: Segment, columns: Mapping[str, Mapping[str, float]]) -> str | None:
    best, overlap = None, 0.0
    for name, col in columns.items():
        o = min(seg.x1, col["x1"]) - max(seg.x0, col["x0"])
        if o > overlap:
            best, overlap = name, o
    return best


def apply_table(doc: Document, table: Mapping[str, Any] | None, decimal: str,
                credit: bool) -> list[Line]:
    """The rows under the learned header, cut into the learned columns ([] if not found)."""
    if not table:
        return []
    columns = table["columns"]
    heads = [i for i, ln in enumerate(doc.lines) if _header_text(ln) == table.get("header")]
    if table.get("header") and not heads:
        return []
    out: list[Line] = []
    # With no header row (a receipt), the rows are the first run of lines that fill every
    # learned column.
    i = heads[0] + 1 if heads else 0
    while i < len(doc.lines):
        line = doc.lines[i]
        first = _header_text(line).split(" | ")[0]
        if out and table.get("end") and first == table["end"]:
            break
        if i in heads:
            i += 1
            continue
        cells: dict[str, list[Segment]] = {}
        for name in NUMBER_FIELDS:
            col = columns.get(name)
            if col is not None:
                # Two values may share a segment ('8 Espresso'): each column overlapping it
                # takes its own number of it.
                overlaps = [(min(seg.x1, col["x1"]) - max(seg.x0, col["x0"]), n)
                            for n, seg in enumerate(line.segments)]
                best = max(overlaps, default=(0.0, -1))
                cells[name] = [line.segments[best[1]]] if best[0] > 0 else []
        for seg in line.segments:
            if _column_of(seg, columns) == "description" or (
                    "description" in columns and _overlap(seg, columns["description"]) > 0
                    and any(ch.isalpha() for ch in seg.text)
                    and not any(seg in cells.get(n, []) for n in ("amount", "unit_price"))):
                cells.setdefault("description", []).append(seg)
        row = _row(cells, columns, decimal, credit)
        if row is not None:
            out.append(row)
        elif out and table.get("wraps") and _only_in(line, columns):
            out[-1].description = f"{out[-1].description} {line.text.strip()}".strip()
        elif out:
            later = [h for h in heads if h > i]
            if later and doc.lines[later[0]].page > line.page:
                i = later[0] + 1
                continue
            break
        i += 1
    return out


def _row(cells: Mapping[str, list[Segment]], columns: Mapping[str, Mapping[str, Any]],
         decimal: str, credit: bool) -> Line | None:
    values: dict[str, Decimal | None] = {}
    for name in NUMBER_FIELDS:
        segs = cells.get(name)
        if name not in columns:
            values[name] = None
            continue
        nums = _numbers(" ".join(s.text for s in segs), decimal) if segs else []
        k = int(columns[name].get("k", 0))
        values[name] = abs(nums[k]) if k < len(nums) else None
        if values[name] is None and name != "amount":
            return None  # a learned column left empty: not a row of this table
    if values["amount"] is None:
        return None
    parts = []
    seen: list[Segment] = []
    for seg in cells.get("description", []):
        if any(seg is other for other in seen):
            continue
        seen.append(seg)
        taken = [int(columns[n].get("k", 0)) for n in NUMBER_FIELDS
                 if n in columns and seg in cells.get(n, [])]
        parts.append(_without_numbers(seg.text, taken))
    desc = " ".join(p for p in parts if p).strip()
    if not any(ch.isalpha() for ch in desc):
        return None
    amount, price = values["amount"], values["unit_price"]
    return Line(description=desc, quantity=values["quantity"],
                unit_price=-price if credit and price is not None else price,
                amount=-amount if credit else amount, tax_rate=values["tax_rate"])
