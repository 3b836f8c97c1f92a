"""Vendor layouts learned from reviewers' corrections: where each field sat, and by what.

When a reviewer approves an invoice, every approved value is looked up on the page. Where it
is found, the words that name it are remembered: the label before it in the same segment
("Rechnung Nr. 4711 vom <date>" -> ``vom``), the label to its left on the same line, or the
label above it; failing all of those, its place on the page. The vendor's constant facts
(name, tax id, IBAN, currency) are kept as they were approved, and the line table's columns
by ``learned_table``.

On the vendor's next invoice (the vendor known by the tax id, IBAN or name the document
shows) the same words are looked for and the value next to them is read again. A learned
value is only a hint: it is parsed and checked like any other (``validate``), so a layout
that no longer fits gives a value that fails its checks and the invoice goes to review, and
rules of one field that disagree make it doubtful.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from robots.invoices import checksums
from robots.invoices.extract import Reading
from robots.invoices.fields import AMOUNT_FIELDS, DATE_FIELDS, HEADER_FIELDS
from robots.invoices.layout import PAGE_GAP, Document, Segment
from robots.invoices.learned_table import apply_table, learn_table
from robots.invoices.parsing import (
    _AMOUNT,
    detect_date_order,
    detect_decimal,
    find_amounts,
    find_date,
    fold,
)
from robots.invoices.values import parse_iban

KIND = "layout"  # the knowledge kind of a learned vendor layout
LEARNED_CONFIDENCE = 0.95
DOUBTFUL = 0.6  # two learned rules of one field that disagree
# A vendor's own facts: the same on each of its invoices, kept as approved.
CONSTANT_FIELDS = ("vendor_name", "vendor_tax_id", "iban", "currency")
IDENTIFIER_FIELDS = ("invoice_number", "payment_reference", "buyer_tax_id")
MAX_ANCHOR_WORDS = 4
MAX_BELOW_GAP = 30.0  # points between a label and the value under it (a boxed field)
_PUNCT_EDGES = " :#.;,-–—/|*()[]"


# ---- who the vendor is -----------------------------------------------------------------
def compact(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def vendor_identifiers(fields: Mapping[str, Any]) -> dict[str, str]:
    """The approved vendor's tax id, IBAN and name (what tells its invoices apart)."""
    out: dict[str, str] = {}
    if fields.get("vendor_tax_id"):
        out["tax_id"] = compact(str(fields["vendor_tax_id"]))
    if fields.get("iban"):
        out["iban"] = compact(str(fields["iban"]))
    if fields.get("vendor_name"):
        out["name"] = " ".join(fold(str(fields["vendor_name"])).split())
    return {k: v for k, v in out.items() if len(v) >= 4}


def vendor_key(identifiers: Mapping[str, str]) -> str | None:
    """The entry key: the tax id, else the IBAN, else the name."""
    for kind in ("tax_id", "iban", "name"):
        if identifiers.get(kind):
            return f"{kind}:{identifiers[kind]}"
    return None


@dataclass(frozen=True, kw_only=True)
class LearnedLayout:
    key: str
    version: int
    value: Mapping[str, Any]

    @property
    def identifiers(self) -> Mapping[str, str]:
        return self.value.get("identifiers", {})


_WEIGHTS = {"tax_id": 4, "iban": 3, "name": 1}


def identify(doc: Document, layouts: Sequence[LearnedLayout],
             reading: Reading | None = None) -> LearnedLayout | None:
    """The learned layout of the vendor whose identifiers the document shows; None when no
    vendor or two vendors equally fit. With the generic ``reading``, a vendor known only by
    its name is not taken when the page names it as the buyer, nor when the page shows
    another vendor tax id than the one learned (the same name, another company)."""
    if not layouts:
        return None
    text = doc.text
    packed = compact(text)
    folded = " ".join(fold(text).split())
    scored: list[tuple[int, LearnedLayout]] = []
    for layout in layouts:
        points = 0
        for kind, value in layout.identifiers.items():
            if kind == "name":
                # A plain substring test first: most names are nowhere on the page.
                hit = value in folded and _word_pattern(value).search(folded) is not None
            else:
                hit = value in packed
            points += _WEIGHTS.get(kind, 0) if hit else 0
        if points and (points > _WEIGHTS["name"] or _same_vendor(layout, reading)):
            scored.append((points, layout))
    if not scored:
        return None
    scored.sort(key=lambda t: -t[0])
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


@lru_cache(maxsize=16384)
def _word_pattern(words: str) -> re.Pattern[str]:
    """Compiled once per vendor name, not once per document."""
    return re.compile(r"(?<![a-z0-9])" + re.escape(words) + r"(?![a-z0-9])")


def _same_vendor(layout: LearnedLayout, reading: Reading | None) -> bool:
    """A match by name alone, checked against what the page says of its parties."""
    if reading is None:
        return True
    inv = reading.invoice
    name = layout.identifiers.get("name")
    if inv.buyer_name and " ".join(fold(inv.buyer_name).split()) == name:
        return False
    learned_id = layout.identifiers.get("tax_id")
    return not (learned_id and inv.vendor_tax_id and compact(inv.vendor_tax_id) != learned_id)


# ---- learning -----------------------------------------------------------------------------
@dataclass
class Spot:
    seg: Segment
    start: int
    end: int


_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?%")


def _label_words(text: str) -> str:
    """The label at the end of ``text``: its last words without digits ('Invoice No.:');
    a rate inside it is left out, so 'VAT 20%' and 'VAT 7%' are the same label."""
    words: list[str] = []
    for token in reversed(_PERCENT.sub(" ", text).split()):
        if any(ch.isdigit() for ch in token) or len(words) >= MAX_ANCHOR_WORDS:
            break
        words.append(token)
    label = " ".join(reversed(words))
    label = fold(label).strip(_PUNCT_EDGES)
    return label if sum(ch.isalpha() for ch in label) >= 2 else ""


def _whole_label(seg: Segment) -> str:
    """The segment's label when the segment is nothing but a label."""
    label = _label_words(seg.text)
    rest = fold(_PERCENT.sub(" ", seg.text)).strip(_PUNCT_EDGES)
    return label if label and " ".join(rest.split()) == label else ""


def _flexible(value: str) -> re.Pattern[str]:
    chars = [re.escape(ch) for ch in value if not ch.isspace()]
    return re.compile(r"(?<![0-9A-Za-z])" + r"[\s.\-]?".join(chars) + r"(?![0-9A-Za-z])",
                      re.IGNORECASE)


def _date_spans(text: str, order: str) -> Iterable[tuple[int, int, date]]:
    """Each date of ``text`` once (the '26-07-26' inside '2026-07-26' is not another)."""
    taken: list[tuple[int, int]] = []
    for regex in (r"\d{4}[-./]\d{1,2}[-./]\d{1,2}", r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}",
                  r"\d{1,2}(?:st|nd|rd|th)?\.?[\s-]+[^\W\d_]{3,12}\.?[\s,-]+\d{2,4}",
                  r"[^\W\d_]{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"):
        for m in re.finditer(regex, text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            value = find_date(m.group(0), order)[0]
            if value is not None:
                taken.append(m.span())
                yield m.start(), m.end(), value


def _amount_spans(text: str, decimal: str) -> Iterable[tuple[int, int, Decimal]]:
    for m in _AMOUNT.finditer(text):
        values = find_amounts(m.group(0), decimal)
        if values:
            yield m.start(), m.end(), values[0]


def find_spots(doc: Document, name: str, value: Any, decimal: str, order: str) -> list[Spot]:
    """Where the approved ``value`` of field ``name`` is printed."""
    spots = []
    if name in AMOUNT_FIELDS:
        want = abs(Decimal(str(value)))
        for seg in doc.segments:
            spots += [Spot(seg, a, b) for a, b, v in _amount_spans(seg.text, decimal)
                      if abs(v) == want]
    elif name in DATE_FIELDS:
        want_date = date.fromisoformat(str(value))
        for seg in doc.segments:
            spots += [Spot(seg, a, b) for a, b, v in _date_spans(seg.text, order)
                      if v == want_date]
    else:
        pattern = _flexible(str(value))
        for seg in doc.segments:
            spots += [Spot(seg, m.start(), m.end()) for m in pattern.finditer(seg.text)]
    return spots


def _anchors(doc: Document, label: str) -> list[Segment]:
    return [s for s in doc.segments if _whole_label(s) == label]


def _same_anchors(doc: Document, label: str) -> list[Segment]:
    pattern = re.compile(r"(?<![a-z0-9])" + re.escape(label) + r"(?![a-z0-9])")
    return [s for s in doc.segments if pattern.search(s.folded)]


def _rule_for(doc: Document, spot: Spot, name: str, decimal: str,
              values: frozenset[str]) -> dict[str, Any] | None:
    """How to find this spot again: by the label before it in its segment, left or right of
    it on its line, or above it; else by its place. ``values`` (the approved values, folded)
    are never taken for labels: a buyer's name next to a number is not its label."""
    seg = spot.seg
    line = doc.lines[seg.line]
    k = _index_in(seg.text, name, spot, seg, decimal)

    def label_of(other: Segment) -> str:
        label = _whole_label(other)
        return "" if label in values else label

    label = _label_words(seg.text[: spot.start])
    if label and label not in values:
        anchors = _same_anchors(doc, label)
        rest = _after(seg.folded, seg.text, label)
        return {"how": "same", "anchor": label, "occ": anchors.index(seg), "n": len(anchors),
                "k": _index_in(rest, name, spot, seg, decimal)}
    if spot.start == 0:
        # The nearest label to the left, over other values of the row ('Summe | net | tax').
        left = [s for s in line.segments if s.x1 <= seg.x0 + 1]
        for skip, other in enumerate(reversed(left)):
            label = label_of(other)
            if label:
                anchors = _anchors(doc, label)
                return {"how": "right", "anchor": label, "occ": anchors.index(other),
                        "n": len(anchors), "skip": skip, "k": k}
            if _label_words(other.text) and _whole_label(other) not in values:
                break
        right = [s for s in line.segments if s.x0 >= seg.x1 - 1]
        if right and label_of(right[0]) and spot.end >= len(seg.text.rstrip()) - 2:
            label = label_of(right[0])  # a value printed before its label
            anchors = _anchors(doc, label)
            return {"how": "left", "anchor": label, "occ": anchors.index(right[0]),
                    "n": len(anchors), "k": k}
    for dl in range(1, 4):
        if seg.line - dl < 0 or doc.lines[seg.line - dl].page != line.page:
            break
        # The label above is the nearest one starting left of the value's end: a table's
        # header, or a boxed field's caption over its right-aligned value.
        above = [a for a in doc.lines[seg.line - dl].segments if a.x0 <= seg.x1 + 1]
        if not above:
            continue
        near = max(above, key=lambda a: a.x0)
        if _gap(near, seg) > MAX_BELOW_GAP:
            continue
        label = label_of(near)
        if label:
            anchors = _anchors(doc, label)
            return {"how": "below", "anchor": label, "occ": anchors.index(near),
                    "n": len(anchors), "dl": dl, "dx0": round(seg.x0 - near.x0, 1),
                    "dx": round(seg.x1 - near.x1, 1), "k": k}
        break
    if spot.start > 0 or len(seg.text[spot.end:].strip()) > 3:
        return None  # inside running text with no label: its place says nothing
    return {"how": "at", "page": seg.page, "x0": round(seg.x0, 1), "x1": round(seg.x1, 1),
            "top": round(seg.top - seg.page * PAGE_GAP, 1), "k": k}


def _gap(a: Segment, b: Segment) -> float:
    """Horizontal distance between two segments (0 when they overlap)."""
    return max(0.0, a.x0 - b.x1, b.x0 - a.x1)


def _after(folded: str, text: str, label: str) -> str:
    m = re.search(r"(?<![a-z0-9])" + re.escape(label) + r"(?![a-z0-9])", folded)
    return text[m.end():] if m else text


def _index_in(rest: str, name: str, spot: Spot, seg: Segment, decimal: str) -> int:
    """Which amount of ``rest`` the value is (a row of several amounts)."""
    if name not in AMOUNT_FIELDS:
        return 0
    offset = len(seg.text) - len(rest)
    starts = [a + offset for a, _, _ in _amount_spans(rest, decimal)]
    return starts.index(spot.start) if spot.start in starts else 0


def _rank(rule: Mapping[str, Any]) -> int:
    return {"same": 0, "right": 1, "left": 1, "below": 2, "at": 3}[rule["how"]]


def learn_layout(doc: Document, fields: Mapping[str, Any]) -> dict[str, Any]:
    """What the approved ``fields`` teach about this document's layout."""
    text = doc.text
    decimal = detect_decimal(text)
    order = detect_date_order(text) or "dmy"
    rules: dict[str, list[dict[str, Any]]] = {}
    values = frozenset(" ".join(fold(str(v)).split()).strip(_PUNCT_EDGES)
                       for n, v in fields.items() if n in HEADER_FIELDS and v)
    for name in HEADER_FIELDS:
        value = fields.get(name)
        if value in (None, "") or name in ("vendor_name", "vendor_tax_id", "iban", "currency"):
            continue
        try:
            spots = find_spots(doc, name, value, decimal, order)
        except (ValueError, ArithmeticError):
            continue
        found = [r for r in (_rule_for(doc, s, name, decimal, values) for s in spots[:6])
                 if r]
        unique = {repr(sorted(r.items())): r for r in found}
        if unique:
            rules[name] = sorted(unique.values(), key=_rank)[:3]
    return {
        "identifiers": vendor_identifiers(fields),
        "constants": {n: fields[n] for n in CONSTANT_FIELDS if fields.get(n)},
        "shapes": {n: shape(str(fields[n])) for n in IDENTIFIER_FIELDS if fields.get(n)},
        "fields": rules,
        "table": learn_table(doc, fields.get("lines") or [], decimal),
        "decimal": decimal,
        "date_order": order,
    }


def shape(value: str) -> str:
    """Letters, digits and separators in order, runs collapsed: 'INV-2024-0012' -> 'A-9-9'."""
    classes = re.sub(r"[A-Za-z]+", "A", re.sub(r"\d+", "9", value.strip()))
    return re.sub(r"\s+", " ", classes)


# ---- using what was learned -----------------------------------------------------------------
@dataclass
class Applied:
    """Which fields a learned layout filled in, for the reviewer and the report."""

    key: str
    version: int
    fields: list[str] = field(default_factory=list)
    doubtful: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"vendor": self.key, "version": self.version, "fields": self.fields,
                "doubtful": self.doubtful}


def _pick(anchors: list[Segment], occ: int, n: int) -> Segment | None:
    if not anchors:
        return None
    if len(anchors) == n:
        return anchors[occ]
    # Counted from the end when it was in the second half ('the last Total').
    index = occ if occ < n / 2 else len(anchors) - (n - occ)
    return anchors[index] if 0 <= index < len(anchors) else None


def _texts(doc: Document, rule: Mapping[str, Any]) -> list[str]:
    how = rule["how"]
    if how == "same":
        seg = _pick(_same_anchors(doc, rule["anchor"]), rule["occ"], rule["n"])
        return [_after(seg.folded, seg.text, rule["anchor"])] if seg else []
    if how == "right":
        seg = _pick(_anchors(doc, rule["anchor"]), rule["occ"], rule["n"])
        if seg is None:
            return []
        right = [s for s in doc.lines[seg.line].segments if s.x0 >= seg.x1 - 1]
        skip = rule.get("skip", 0)
        return [right[skip].text] if len(right) > skip else []
    if how == "left":
        seg = _pick(_anchors(doc, rule["anchor"]), rule["occ"], rule["n"])
        if seg is None:
            return []
        left = [s for s in doc.lines[seg.line].segments if s.x1 <= seg.x0 + 1]
        return [left[-1].text] if left else []
    if how == "below":
        seg = _pick(_anchors(doc, rule["anchor"]), rule["occ"], rule["n"])
        if seg is None or seg.line + rule["dl"] >= len(doc.lines):
            return []
        line = doc.lines[seg.line + rule["dl"]]
        if line.page != seg.page or not line.segments:
            return []
        if "dx" not in rule:
            under = [s for s in line.segments if s.overlaps_x(seg, slack=4)]
            return [under[0].text] if len(under) == 1 else []
        # The segment whose left edge (a left-aligned name) or right edge (a right-aligned
        # amount) is where it was, relative to the label's.
        left, right = seg.x0 + rule.get("dx0", rule["dx"]), seg.x1 + rule["dx"]

        def off(s: Segment) -> float:
            return min(abs(s.x0 - left) if "dx0" in rule else MAX_BELOW_GAP * 2,
                       abs(s.x1 - right))

        best = min(line.segments, key=off)
        return [best.text] if off(best) <= MAX_BELOW_GAP else []
    page_top = rule["page"] * PAGE_GAP
    near = [s for s in doc.segments if s.page == rule["page"]
            and abs(s.top - page_top - rule["top"]) <= 3
            and min(s.x1, rule["x1"]) - max(s.x0, rule["x0"]) > 0]
    return [near[0].text] if len(near) == 1 else []


def _parse(name: str, text: str, rule: Mapping[str, Any], layout: Mapping[str, Any],
           reading: Reading) -> Any:
    text = text.lstrip(" :#;|*\t.…_").rstrip(" :#;|*\t")
    if not text:
        return None
    if name in AMOUNT_FIELDS:
        amounts = find_amounts(text, reading.decimal)
        k = rule.get("k", 0)
        if k >= len(amounts):
            return None
        value = abs(amounts[k])
        return -value if reading.is_credit else value
    if name in DATE_FIELDS:
        return find_date(text, layout.get("date_order", "dmy"))[0]
    if name == "buyer_name":
        return text or None
    tokens = text.split()
    want = layout.get("shapes", {}).get(name)
    if want is None:
        return None
    n = len(want.split())
    value = " ".join(tokens[:n]).strip(" :#;|*,")
    if shape(value) != want:
        return None
    return checksums.compact(value) if name == "buyer_tax_id" else value


def apply_layout(doc: Document, reading: Reading, learned: LearnedLayout) -> Applied:
    """Fill the reading in from the vendor's learned layout (checks are run afterwards)."""
    layout = learned.value
    inv = reading.invoice
    applied = Applied(key=learned.key, version=learned.version)
    packed = compact(doc.text)

    def put(name: str, value: Any, conf: float) -> None:
        setattr(inv, name, value)
        reading.confidence[name] = conf
        applied.fields.append(name)
        if conf < LEARNED_CONFIDENCE:
            applied.doubtful.append(name)

    for name, value in layout.get("constants", {}).items():
        if name == "vendor_name":
            put(name, str(value), LEARNED_CONFIDENCE)
        elif name in ("vendor_tax_id", "iban") and compact(str(value)) in packed:
            put(name, parse_iban(str(value)) if name == "iban" else str(value),
                LEARNED_CONFIDENCE)
        elif name == "currency" and (str(value) in doc.text or inv.currency is None):
            put(name, str(value), LEARNED_CONFIDENCE)
    for name, rules in layout.get("fields", {}).items():
        values = []
        for rule in rules:
            for text in _texts(doc, rule):
                value = _parse(name, text, rule, layout, reading)
                if value is not None:
                    values.append(value)
                    break
        if values:
            agree = all(v == values[0] for v in values)
            put(name, values[0], LEARNED_CONFIDENCE if agree else DOUBTFUL)
    _derive_tax(reading, applied)
    if any(n in AMOUNT_FIELDS for n in applied.fields):
        net, tax, total = inv.net_amount, inv.tax_amount, inv.total_amount
        reading.consistent_totals = None not in (net, tax, total) and \
            net + tax == total  # type: ignore[operator]
    generic = inv.lines
    lines = apply_table(doc, layout.get("table"), reading.decimal, reading.is_credit)
    if lines:
        inv.lines = lines
        # The learned table wins when its rows add up, or when the generic ones do not.
        if _lines_fit(reading) or not _lines_fit_with(reading, generic):
            applied.fields.append("lines")
        else:
            inv.lines = generic
    return applied


def _derive_tax(reading: Reading, applied: Applied) -> None:
    """Tax printed per rate only (no tax total on the page): when the learned net and total
    are known, the generic reading's tax is trusted if it is exactly their difference."""
    inv = reading.invoice
    if "tax_amount" in applied.fields or not {"net_amount", "total_amount"} <= set(
            applied.fields) or inv.net_amount is None or inv.total_amount is None:
        return
    if inv.tax_amount == inv.total_amount - inv.net_amount:
        reading.confidence["tax_amount"] = LEARNED_CONFIDENCE


def _lines_fit_with(reading: Reading, lines: list[Any]) -> bool:
    kept = reading.invoice.lines
    reading.invoice.lines = lines
    try:
        return _lines_fit(reading)
    finally:
        reading.invoice.lines = kept


def _lines_fit(reading: Reading) -> bool:
    inv = reading.invoice
    if not inv.lines or any(ln.amount is None for ln in inv.lines):
        return False
    for ln in inv.lines:
        if ln.quantity is not None and ln.unit_price is not None and ln.amount is not None \
                and abs(abs(ln.quantity * ln.unit_price) - abs(ln.amount)) > Decimal("0.01"):
            return False
    total = sum((ln.amount for ln in inv.lines if ln.amount is not None), Decimal(0))
    return total in (inv.net_amount, inv.total_amount, reading.subtotal)
