"""Month names of the region's languages and the small date rules every reader shares.

Names are stored folded (``backoffice.locale.text.fold``). ``month_number`` accepts a full
name in any listed form, a listed abbreviation, or a word that starts with a listed stem of
four letters or more (Finnish and Polish inflect: ``joulukuuta``, ``grudnia``).
"""

from __future__ import annotations

from datetime import date

from backoffice.locale.text import fold

MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"),
    "fi": ("tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesakuu", "heinakuu",
           "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"),
    "et": ("jaanuar", "veebruar", "marts", "aprill", "mai", "juuni", "juuli", "august",
           "september", "oktoober", "november", "detsember"),
    "pl": ("styczen", "luty", "marzec", "kwiecien", "maj", "czerwiec", "lipiec", "sierpien",
           "wrzesien", "pazdziernik", "listopad", "grudzien"),
    "pl_genitive": ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
                    "sierpnia", "wrzesnia", "pazdziernika", "listopada", "grudnia"),
    "de": ("januar", "februar", "marz", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "dezember"),
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"),
    "fr": ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
           "octobre", "novembre", "decembre"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
}
# Abbreviations as printed (folded, without the dot), matched as whole words only.
_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12, "mrz": 3, "okt": 10, "dez": 12, "janv": 1,
    "fevr": 2, "avr": 4, "juil": 7, "mrt": 3, "mei": 5, "maj": 5, "mai": 5, "may": 5,
    "sty": 1, "lut": 2, "kwi": 4, "cze": 6, "lip": 7, "sie": 8, "wrz": 9, "paz": 10,
    "lis": 11, "gru": 12, "jaan": 1, "veebr": 2, "dets": 12, "tammik": 1, "helmik": 2,
    "maalisk": 3, "huhtik": 4, "toukok": 5, "kesak": 6, "heinak": 7, "elok": 8, "syysk": 9,
    "lokak": 10, "marrask": 11, "jouluk": 12,
}
# Stems of the languages that inflect month names (Finnish ``joulukuuta``, ``kesakuussa``;
# Polish ``styczniu``), four letters or more so that no ordinary short word reads as a month.
_STEMS: dict[str, int] = {
    "tammi": 1, "helmi": 2, "maalis": 3, "huhti": 4, "touko": 5, "kesak": 6, "heinak": 7,
    "eloku": 8, "syysk": 9, "lokak": 10, "marras": 11, "joulu": 12, "stycz": 1, "kwie": 4,
    "czerw": 6, "sierp": 8, "wrze": 9, "pazdz": 10, "listop": 11, "grud": 12,
}

_EXACT: dict[str, int] = dict(_ABBREVIATIONS)
for _names in MONTH_NAMES.values():
    for _number, _name in enumerate(_names, start=1):
        _EXACT[_name] = _number


def month_number(word: str) -> int | None:
    """1..12 for a month's name, abbreviation or inflected form in the listed languages."""
    w = fold(word).strip().rstrip(".")
    found = _EXACT.get(w)
    if found is not None:
        return found
    for size in (6, 5, 4):
        if len(w) > size and (found := _STEMS.get(w[:size])) is not None:
            return found
    return None


def month_words(number: int) -> tuple[str, ...]:
    """Every folded name and abbreviation of month ``number`` (1..12) in the listed languages."""
    return tuple(sorted({w for w, n in _EXACT.items() if n == number}))


def full_year(year: str | int) -> int:
    """A two-digit year is this century's: ``"26"`` -> 2026."""
    value = int(year)
    return value + 2000 if value < 100 else value


def make_date(year: int, month: int, day: int, *, earliest: int = 1990,
              latest: int = 2100) -> date | None:
    """The date, or ``None`` when there is no such day (31.02.) or the year is implausible."""
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if earliest <= year <= latest else None
