"""Reading numbers as people write them across the region.

Two readers, because two situations exist:

- ``parse_number(text, decimal)``: the document's decimal separator is known (detected from
  the whole document, or set by a form map). Grouping must be consistent, so a stray token
  such as ``12.34.56`` is not a number.
- ``parse_amount(text, decimal=None)``: one value on its own (a spreadsheet cell, a
  reviewer's correction); the separator is inferred, ``decimal`` only settles ``1,234``
  (without it: a thousands separator, as no currency here has three decimals).

Both accept spaces, no-break spaces and apostrophes as thousands separators, a leading
``-``/``−``, a trailing minus (SAP) and accounting parentheses, and return ``None`` for text
that is not a number (never NaN or infinity).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

SPACES = "\u00a0\u202f\u2009 "
_MINUS = ("-", "\u2212", "\u2013")
_CURRENCY = re.compile(r"(?i)\b(eur|pln|sek|nok|dkk|usd|gbp|chf|inr|kr|zl|zł)\b\.?|[€$£¥₹]|zł")
_MONEY_CHARS = re.compile(r"^[0-9.,'’\s\u00a0\u202f\u2009+\-\u2212\u2013()]+$")
_GROUP_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'’]")


def _finite(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_number(text: str, decimal: str) -> Decimal | None:
    """``'1 234,56'`` -> 1234.56 with ``decimal=','``; ``None`` when it is not one number
    written with that decimal separator."""
    t = text.strip()
    for ch in SPACES:
        t = t.replace(ch, " ")
    neg = t.startswith((*_MINUS, "(")) or t.endswith(("-", ")"))
    t = t.strip("-−–() ")
    group = "." if decimal == "," else ","
    indian = re.fullmatch(r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?", t) if decimal == "." else None
    if not indian and not re.fullmatch(r"\d{1,3}(?:[ '’" + re.escape(group) + r"]\d{3})*(?:" +
                                       re.escape(decimal) + r"\d+)?|\d+(?:" +
                                       re.escape(decimal) + r"\d+)?", t):
        return None
    value = _finite(re.sub(r"[ '’" + re.escape(group) + "]", "", t).replace(decimal, "."))
    if value is None:
        return None
    return -value if neg else value


def parse_amount(text: object, decimal: str | None = None) -> Decimal | None:
    """A number or money text whose separators are inferred: ``'1.234,56 €'``,
    ``'(1,234.56)'``, ``'1 234,5-'``; ``None`` when it is not an amount."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, int | float | Decimal):
        return _finite(str(text))
    s = str(text).strip()
    return _parse_amount(s, decimal) if s else None


@lru_cache(maxsize=65_536)
def _parse_amount(text: str, decimal: str | None) -> Decimal | None:
    s = _CURRENCY.sub("", text).strip()
    if not s or not _MONEY_CHARS.match(s):
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    s = _GROUP_SPACES.sub("", s)
    if s.endswith(_MINUS):
        negative, s = True, s[:-1]
    if s[:1] in _MINUS:
        negative, s = not negative, s[1:]
    elif s[:1] == "+":
        s = s[1:]
    if not s or not any(ch.isdigit() for ch in s) or not all(ch in "0123456789.," for ch in s):
        return None
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        sep = "." if s.rfind(".") > s.rfind(",") else ","
    elif dots + commas == 1:
        sep = "." if dots else ","
        if len(s) - s.rfind(sep) - 1 == 3 and decimal != sep:
            sep = ""  # 1,234 or 1.234: a thousands separator
    else:
        sep = ""  # 1.234.567 or 1,234,567: only thousands separators
    if sep:
        whole, _, frac = s.rpartition(sep)
        whole = whole.replace(".", "").replace(",", "")
    else:
        whole, frac = s.replace(".", "").replace(",", ""), ""
    if not (whole or frac) or not (whole + frac).isdigit():
        return None
    value = Decimal(f"{whole or '0'}.{frac}" if frac else whole)
    return -value if negative else value
