"""ISO 7064 mod-97 check digits: IBANs (ISO 13616) and creditor references (ISO 11649).

Both move the first four characters to the end, read letters as numbers (A=10 .. Z=35) and
require the result to be 1 modulo 97. Functions take the identifier as printed (spaces,
dots and dashes allowed) and never raise on bad input: invalid is ``False``.
"""

from __future__ import annotations

import re

# IBAN length per country, the whole SWIFT IBAN registry (release 99, 2025): two letters
# and two digits that begin no entry here are not an IBAN ('OD3041...' is an order id).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SEPARATORS = re.compile(r"[\s.\-/]")


def compact(value: str) -> str:
    """Upper case without spaces, dots, slashes and dashes: the form the checks work on."""
    return _SEPARATORS.sub("", value).upper()


def mod97(text: str) -> int:
    """``text`` (digits and letters, letters counting 10..35) read as a number, modulo 97."""
    return int("".join(str(ALNUM.index(ch)) for ch in text.upper())) % 97


def _moved_ok(value: str) -> bool:
    return mod97(value[4:] + value[:4]) == 1


def iban_valid(value: str) -> bool:
    iban = compact(value)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    if len(iban) != IBAN_LENGTHS.get(iban[:2]):
        return False
    return _moved_ok(iban)


def iban_check_digits(country: str, bban: str) -> str:
    """The two check digits that make ``country + digits + bban`` a valid IBAN (and, with
    ``country="RF"``, a valid creditor reference)."""
    return f"{98 - mod97(compact(bban) + country.upper() + '00'):02d}"


def rf_valid(value: str) -> bool:
    """An ISO 11649 creditor reference ``RFkk`` + 1..21 letters or digits."""
    ref = compact(value)
    if not re.fullmatch(r"RF\d{2}[A-Z0-9]{1,21}", ref):
        return False
    return _moved_ok(ref)


def rf_check_digits(body: str) -> str:
    """The two check digits of the creditor reference ``"RF" + kk + body``."""
    return iban_check_digits("RF", body)
