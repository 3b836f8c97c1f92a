"""Parsing the cell values real exports hold: amounts as numbers or text with either decimal
separator and any thousands separator, dates as Excel serials, date cells or text.

Amounts become integer cents and dates day ordinals, so matching compares integers only.
A value that does not parse gives ``None``; the reader turns that into an exception row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from backoffice.locale import month_number, parse_amount

_ONE = Decimal(1)
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # serial 1 is 1900-01-01 (Lotus leap bug)
_SERIAL_MIN, _SERIAL_MAX = 18_000, 80_000  # 1949 .. 2119: anything else is not a date
_SPACES = re.compile(r"[\s\u00a0\u202f']")

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[ T])")
_DMY = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?:$|[ T])")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")
_NAMED_DMY = re.compile(r"^(\d{1,2})\.?[ -]([^\W\d_]{3,})\.?,?[ -](\d{4})")
_NAMED_MDY = re.compile(r"^([^\W\d_]{3,})\.? (\d{1,2}),? (\d{4})")


def amount_cents(value: Any, decimal: str | None = None) -> int | None:
    """Integer cents of a number or money text, or None when it is not an amount.

    ``decimal`` settles ``1,234``-style text (one separator, three digits after): without
    it that is read as a thousands separator, as no currency has three decimals here.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return round(value * 100) if math.isfinite(value) else None  # NaN is not an amount
    amount = parse_amount(value, decimal)
    if amount is None:
        return None
    return int((amount * 100).quantize(_ONE, ROUND_HALF_UP))


def date_ordinal(value: Any, dayfirst: bool | None = None) -> int | None:
    """The day ordinal of a date cell, an Excel serial or date text, else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime | date):
        return value.toordinal()
    if isinstance(value, int | float):
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            return _EXCEL_EPOCH + int(value)
        if isinstance(value, int) or value.is_integer():
            return _text_date(str(int(value)), dayfirst)
        return None
    text = str(value).strip()
    return _text_date(text, dayfirst) if text else None


@lru_cache(maxsize=65_536)
def _text_date(text: str, dayfirst: bool | None) -> int | None:
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3])).toordinal()
        if m := _DMY.match(text):
            a, b, year = int(m[1]), int(m[3]), int(m[4])
            year += 2000 if year < 100 else 0
            # Dotted dates are day-first everywhere; slashes depend on the column.
            if m[2] != "." and (b > 12 or (a <= 12 and dayfirst is False)):
                a, b = b, a
            return date(year, b, a).toordinal()
        if m := _COMPACT.match(text):
            return date(int(m[1]), int(m[2]), int(m[3])).toordinal()
        if _SERIAL_TEXT.match(text):
            return date_ordinal(float(text))
        if m := _NAMED_DMY.match(text):
            month = month_number(m[2])
            return date(int(m[3]), month, int(m[1])).toordinal() if month else None
        if m := _NAMED_MDY.match(text):
            month = month_number(m[1])
            return date(int(m[3]), month, int(m[2])).toordinal() if month else None
    except ValueError:  # 31.02.2024 and the like
        return None
    return None


def infer_dayfirst(values: Iterable[Any]) -> bool | None:
    """Whether ``01/02/2024``-style text in a column is day first: True or False when some
    value settles it (a first part above 12, or a second), None when none does."""
    for value in values:
        if isinstance(value, str) and (m := _DMY.match(value.strip())) and m[2] != ".":
            if int(m[1]) > 12:
                return True
            if int(m[3]) > 12:
                return False
    return None


def infer_decimal(values: Iterable[Any]) -> str | None:
    """The decimal separator the text amounts of a column use, when some value shows it."""
    for value in values:
        if not isinstance(value, str):
            continue
        s = _SPACES.sub("", value)
        last = max(s.rfind("."), s.rfind(","))
        if last < 0:
            continue
        digits_after = len(s.rstrip("-)\u2212")) - last - 1
        if digits_after in (1, 2) or ("." in s and "," in s):
            return s[last]
    return None
