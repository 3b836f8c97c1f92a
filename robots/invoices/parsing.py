"""Numbers and dates as invoices print them, in the formats of the whole region.

A document uses one number format (``1 234,56``, ``1.234,56`` or ``1,234.56``) and one date
order; both are detected from the whole text first (``detect_decimal``, ``detect_date_order``)
so that an ambiguous ``1,234`` or ``03/04/2026`` is read the way the rest of the document is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

SPACES = "\u00a0\u202f\u2009 "
_MONTHS_BY_LANG = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"],
    "fi": ["tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesakuu", "heinakuu",
           "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"],
    "et": ["jaanuar", "veebruar", "marts", "aprill", "mai", "juuni", "juuli", "august",
           "september", "oktoober", "november", "detsember"],
    "pl": ["styczen", "luty", "marzec", "kwiecien", "maj", "czerwiec", "lipiec", "sierpien",
           "wrzesien", "pazdziernik", "listopad", "grudzien"],
    "pl_gen": ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
               "sierpnia", "wrzesnia", "pazdziernika", "listopada", "grudnia"],
    "de": ["januar", "februar", "marz", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "dezember"],
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"],
    "fr": ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
           "octobre", "novembre", "decembre"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
}
_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12, "mrz": 3, "okt": 10, "dez": 12, "janv": 1, "fevr": 2,
    "avr": 4, "juil": 7, "mrt": 3, "mei": 5, "maj": 5, "mai": 5, "may": 5, "tammik": 1,
    "helmik": 2, "maalisk": 3, "huhtik": 4, "toukok": 5, "kesak": 6, "heinak": 7, "elok": 8,
    "syysk": 9, "lokak": 10, "marrask": 11, "jouluk": 12,
}


def fold(text: str) -> str:
    """Lower case without accents, one character for one: 'Eräpäivä' -> 'erapaiva'.

    Keeping the length lets a label found in the folded text cut the original text."""
    return "".join(_fold_char(ch) for ch in text)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    special = {"ł": "l", "Ł": "l", "ß": "s", "đ": "d", "ø": "o", "Ø": "o", "æ": "a"}
    if ch in special:
        return special[ch]
    base = unicodedata.normalize("NFKD", ch)[:1].lower()
    return base if len(base) == 1 else ch


MONTHS: dict[str, int] = {**_ABBREVIATIONS}
for _names in _MONTHS_BY_LANG.values():
    for _i, _name in enumerate(_names, start=1):
        MONTHS[_name] = _i
# Finnish "joulukuuta" (partitive) and similar inflections start with the nominative.
_MONTH_WORD = r"[a-zà-ÿąćęłńóśźżõäöüšž]{3,12}\.?"


def month_number(word: str) -> int | None:
    w = fold(word).rstrip(".")
    if w in MONTHS:
        return MONTHS[w]
    if w.endswith("kuuta") and w[:-2] in MONTHS:
        return MONTHS[w[:-2]]
    return None


# ---- numbers --------------------------------------------------------------------------
_AMOUNT = re.compile(
    r"(?<![\w.,])(?P<sign>[-−–(])?\s?(?:[€$£₹]|Rs\.?|EUR|USD|GBP|PLN|SEK|INR)?\s?"
    r"(?P<num>\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?|"
    r"\d{1,3}(?:[ \u00a0\u202f\u2009.,'’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"(?P<tail>-|\))?(?![\w.,]*\d)(?!\s?%)"
)


def detect_decimal(text: str) -> str:
    """The document's decimal separator: ``","`` or ``"."``."""
    comma = len(re.findall(r"\d{1,3}(?:[.\u00a0\u202f ]\d{3})+,\d{2}(?!\d)", text))
    dot = len(re.findall(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+\.\d{2}(?!\d)", text))
    comma += len(re.findall(r"(?<![\d.,])\d+,\d{2}(?![\d.,])", text))
    dot += len(re.findall(r"(?<![\d.,])\d+\.\d{2}(?![\d.,])", text))
    return "," if comma > dot else "."


def parse_number(text: str, decimal: str) -> Decimal | None:
    """``'1 234,56'`` -> 1234.56 with ``decimal=','``; ``None`` when it is not one number."""
    t = text.strip()
    for ch in SPACES:
        t = t.replace(ch, " ")
    neg = t.startswith(("-", "−", "–", "(")) or t.endswith(("-", ")"))
    t = t.strip("-−–() ")
    group = "." if decimal == "," else ","
    indian = re.fullmatch(r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?", t) if decimal == "." else None
    if not indian and not re.fullmatch(r"\d{1,3}(?:[ '’" + re.escape(group) + r"]\d{3})*(?:" +
                        re.escape(decimal) + r"\d+)?|\d+(?:" + re.escape(decimal) + r"\d+)?", t):
        return None
    t = re.sub(r"[ '’" + re.escape(group) + "]", "", t).replace(decimal, ".")
    try:
        value = Decimal(t)
    except InvalidOperation:
        return None
    return -value if neg else value


def find_amounts(text: str, decimal: str) -> list[Decimal]:
    """Every money amount in ``text`` (percentages and parts of dates left out)."""
    out = []
    for m in _AMOUNT.finditer(text):
        raw = m.group("num")
        if re.fullmatch(r"\d{1,2}[.,]\d{1,2}[.,]\d{2,4}", raw):  # a date
            continue
        value = parse_number(raw, decimal)
        if value is None:
            continue
        if m.group("sign") or m.group("tail"):
            value = -value
        out.append(value)
    return out


def parse_percent(text: str, decimal: str) -> Decimal | None:
    m = re.search(r"(\d{1,2}(?:[.,]\d{1,2})?)\s?%?", text.strip())
    if not m or len(m.group(0).strip()) != len(text.strip()):
        return None
    return parse_number(m.group(1), "," if "," in m.group(1) else decimal)


# ---- dates ----------------------------------------------------------------------------
_ISO = re.compile(r"(?<!\d)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d])")
_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\.?[\s-]+(" + _MONTH_WORD +
                        r")[\s,-]+(\d{4}|\d{2})(?!\d)", re.IGNORECASE)
_MONTH_DAY = re.compile(r"(" + _MONTH_WORD + r")\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)",
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


def _year(y: str) -> int:
    return int(y) + 2000 if len(y) == 2 else int(y)


def _make(y: int, m: int, d: int) -> date | None:
    try:
        value = date(y, m, d)
    except ValueError:
        return None
    return value if 1990 <= y <= 2100 else None


def find_date(text: str, order: str) -> tuple[date | None, bool]:
    """The first date in ``text`` and whether its day/month order was ambiguous."""
    best: tuple[int, date | None, bool] = (10**9, None, False)
    m = _ISO.search(text)
    if m:
        best = min(best, (m.start(), _make(int(m.group(1)), int(m.group(2)), int(m.group(3))),
                          False), key=lambda t: t[0])
    m = _NUMERIC.search(text)
    if m and m.start() < best[0]:
        a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), _year(m.group(4))
        ambiguous = sep != "." and a <= 12 and b <= 12 and a != b
        if sep == "." or order == "dmy":
            value = _make(y, b, a) or _make(y, a, b)
        else:
            value = _make(y, a, b) or _make(y, b, a)
        if value is not None:
            best = (m.start(), value, ambiguous)
    for regex, day_first in ((_DAY_MONTH, True), (_MONTH_DAY, False)):
        m = regex.search(text)
        if m and m.start() < best[0]:
            if day_first:
                day, month, year = m.group(1), month_number(m.group(2)), m.group(3)
            else:
                day, month, year = m.group(2), month_number(m.group(1)), m.group(3)
            if month:
                value = _make(_year(year), month, int(day))
                if value is not None:
                    best = (m.start(), value, False)
    return best[1], best[2]


def swap_day_month(value: date) -> date | None:
    return _make(value.year, value.day, value.month)
