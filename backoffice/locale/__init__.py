"""Locale rules every robot shares: text folding, check digits, numbers, month names, dates.

They live in the core because the core needs them too (a reviewer's ``1 234,56`` is read
with the same rules as a robot's), and the core imports no robot. One module per concern:

- ``text``: ``fold`` (case, accents, ``ß`` -> ``ss``), ``fold_words``, ``fold_aligned``
- ``checkdigits``: ISO 7064 mod-97 for IBANs (ISO 13616) and RF references (ISO 11649)
- ``numbers``: ``parse_number`` (the format is known), ``parse_amount`` (it is inferred)
- ``dates``: month names of the region's languages, ``month_number``, ``make_date``
"""

from backoffice.locale.checkdigits import (
    compact,
    iban_check_digits,
    iban_valid,
    mod97,
    rf_check_digits,
    rf_valid,
)
from backoffice.locale.dates import (
    MONTH_NAMES,
    full_year,
    make_date,
    month_number,
    month_words,
)
from backoffice.locale.numbers import SPACES, parse_amount, parse_number
from backoffice.locale.text import fold, fold_aligned, fold_words

__all__ = [
    "MONTH_NAMES",
    "SPACES",
    "compact",
    "fold",
    "fold_aligned",
    "fold_words",
    "full_year",
    "iban_check_digits",
    "iban_valid",
    "make_date",
    "mod97",
    "month_number",
    "month_words",
    "parse_amount",
    "parse_number",
    "rf_check_digits",
    "rf_valid",
]
