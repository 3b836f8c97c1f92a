"""Numbers and dates as invoices print them, in the formats of the whole region.

A document uses one number format (``1 234,56``, ``1.234,56`` or ``1,234.56``) and one date
order; both are detected from the whole text first (``detect_decimal``, ``detect_date_order``)
so that an ambiguous ``1,234`` or ``03/04/2026`` is read the way the rest of the document is.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from backoffice.locale import SPACES, fold, full_year, make_date, month_number, parse_number

__all__ = [
    "SPACES", "detect_date_order", "detect_decimal", "find_amounts", "find_date", "fold",
    "month_number", "parse_number", "parse_percent", "swap_day_month",
]

# Finnish "joulukuuta" (partitive) and similar inflections: ``month_number`` knows the stems.
_MONTH_WORD = r"[a-zà-ÿąćęłńóśźżõäöüšž]{3,12}\.?"


# ---- numbers --------------------------------------------------------------------------
_AMOUNT = re.compile(
    r"(?<![\w.,])(?P<sign>[-−–(])?\s?(?:[€$£₹]|Rs\.?|EUR|USD|GBP|PLN|SEK|INR)?\s?"
    r"(?P<num>\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?|"
    r"\d{1,3}(?:[ \u00a0\u202f\u2009.,'’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"(?P<tail>-|\))?(?![\w.,]*\d)(?!\s?%)"
)


# A range of clock times ('Mo.-Fr. 08.30 - 12.30 Uhr', '8.00-20.00'): opening hours, no
# money, though each looks like a figure with two decimals.
_TIME_RANGE = re.compile(r"(?<![\d.,])\d{1,2}[.:][0-5]\d\s?[-–]\s?\d{1,2}[.:][0-5]\d(?![\d.,])")


def detect_decimal(text: str) -> str:
    """The document's decimal separator: ``","`` or ``"."``."""
    text = _TIME_RANGE.sub(" ", text)
    comma = len(re.findall(r"\d{1,3}(?:[.\u00a0\u202f ]\d{3})+,\d{2}(?!\d)", text))
    dot = len(re.findall(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+\.\d{2}(?!\d)", text))
    comma += len(re.findall(r"(?<![\d.,])\d+,\d{2}(?![\d.,])", text))
    dot += len(re.findall(r"(?<![\d.,])\d+\.\d{2}(?![\d.,])", text))
    return "," if comma > dot else "."


def find_amounts(text: str, decimal: str) -> list[Decimal]:
    """Every money amount in ``text`` (percentages and parts of dates left out)."""
    out = []
    for m in _AMOUNT.finditer(_without_dates(text)):
        raw = m.group("num")
        if re.fullmatch(r"\d{1,2}[.,]\d{1,2}[.,]\d{2,4}", raw):  # a date
            continue
        if re.fullmatch(r"\d{8,}", raw):  # eight digits and more, unpunctuated: an id
            continue
        value = parse_number(raw, decimal)
        if value is None:
            continue
        if m.group("sign") or m.group("tail"):
            value = -value
        out.append(value)
    return out


def _without_dates(text: str) -> str:
    """``text`` with its dates blanked: the year of 'due on August 3, 2014' is no amount."""
    for regex in (_ISO, _NUMERIC, _SPACED, _DAY_MONTH, _MONTH_DAY):
        for m in regex.finditer(text):
            if regex in (_DAY_MONTH, _MONTH_DAY) and not month_number(
                    m.group(2 if regex is _DAY_MONTH else 1)):
                continue  # 'Total 12 items 2026' is no date
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return text


def parse_percent(text: str, decimal: str) -> Decimal | None:
    m = re.search(r"(\d{1,2}(?:[.,]\d{1,3})?)\s?%?", text.strip())
    if not m or len(m.group(0).strip()) != len(text.strip()):
        return None
    return parse_number(m.group(1), "," if "," in m.group(1) else decimal)


# ---- dates ----------------------------------------------------------------------------
_ISO = re.compile(r"(?<!\d)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d])")
# Day first with a space after each dot, as Czech and Slovak write it: '11. 5. 2026'.
_SPACED = re.compile(r"(?<![\d.])(\d{1,2})\. (\d{1,2})\. (\d{4})(?!\d)")
_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\.?[\s-]+(" + _MONTH_WORD +
                        r")[\s,-]+(\d{4}|\d{2})(?!\d)", re.IGNORECASE)
_MONTH_DAY = re.compile(r"(" + _MONTH_WORD + r")\s+(\d{1,2})(?:st|nd|rd|th)?\s?,?\s+(\d{4})(?!\d)",
                        re.IGNORECASE)


def detect_date_order(text: str) -> str | None:
    """``"dmy"`` or ``"mdy"`` when the document's slash dates settle it, else ``None``."""
    dmy = mdy = 0
    for m in _NUMERIC.finditer(text):
        a, sep, b = int(m.group(1)), m.group(2), int(m.group(3))
        if sep == "." or a > 12 >= b:
            dmy += 1
        elif b > 12 >= a:
            mdy += 1
    if dmy == mdy:
        return None
    return "dmy" if dmy > mdy else "mdy"


def find_date(text: str, order: str) -> tuple[date | None, bool]:
    """The first date in ``text`` and whether its day/month order was ambiguous."""
    best: tuple[int, date | None, bool] = (10**9, None, False)
    m = _ISO.search(text)
    if m:
        best = min(best, (m.start(), make_date(int(m.group(1)), int(m.group(2)), int(m.group(3))),
                          False), key=lambda t: t[0])
    m = _NUMERIC.search(text)
    if m and m.start() < best[0]:
        a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), full_year(m.group(4))
        ambiguous = sep != "." and a <= 12 and b <= 12 and a != b
        if sep == "." or order == "dmy":
            value = make_date(y, b, a) or make_date(y, a, b)
        else:
            value = make_date(y, a, b) or make_date(y, b, a)
        if value is not None:
            best = (m.start(), value, ambiguous)
    m = _SPACED.search(text)
    if m and m.start() < best[0]:
        value = make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if value is not None:
            best = (m.start(), value, False)
    for regex, day_first in ((_DAY_MONTH, True), (_MONTH_DAY, False)):
        m = regex.search(text)
        if m and m.start() < best[0]:
            if day_first:
                day, month, year = m.group(1), month_number(m.group(2)), m.group(3)
            else:
                day, month, year = m.group(2), month_number(m.group(1)), m.group(3)
            if month:
                value = make_date(full_year(year), month, int(day))
                if value is not None:
                    best = (m.start(), value, False)
    return best[1], best[2]


def swap_day_month(value: date) -> date | None:
    return make_date(value.year, value.day, value.month)
