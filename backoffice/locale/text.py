"""Folding text for comparison: lower case, no accents, one spelling per letter.

One rule for every robot: ``ß`` is ``ss`` (as German writes it without the letter), ``æ``
``ae``, ``œ`` ``oe``; letters with a stroke lose it (``ł`` -> ``l``, ``ø`` -> ``o``, ``đ`` ->
``d``). So ``Straße`` and ``STRASSE`` fold alike, whichever robot reads them. Typographic
apostrophes are the plain one (``d’échéance`` is ``d'echeance``), as typesetters print them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not take apart; the expansions are the spellings without the letter.
_SPECIAL = {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l",
            "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ı": "i", "þ": "th", "Þ": "th",
            "’": "'", "‘": "'", "ʼ": "'", "´": "'"}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    special = _SPECIAL.get(ch)
    if special is not None:
        return special
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base.lower() or ch


def fold(text: object) -> str:
    """Lower case without accents: ``'Eräpäivä'`` -> ``'erapaiva'``, ``'Straße'`` ->
    ``'strasse'``. Punctuation and spaces are kept as they are."""
    s = str(text)
    if s.isascii():
        return s.lower()
    return "".join(_fold_char(ch) for ch in s)


def fold_words(text: object) -> str:
    """``fold`` with every run of other characters one space: ``'PÄIVÄ-MÄÄRÄ'`` ->
    ``'paiva maara'``; for comparing names and headers."""
    return _NON_ALNUM.sub(" ", fold(text)).strip()


def fold_aligned(text: str) -> tuple[str, tuple[int, ...] | None]:
    """The folded text and, when folding changed its length, where each of its characters
    (and its end) starts in ``text``; ``None`` means position ``i`` is position ``i``.

    This lets a label found in the folded text cut the original text at the right place
    even when a ``ß`` before it became two letters."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, None
    origin: list[int] = []
    for index, ch in enumerate(text):
        origin.extend([index] * len(_fold_char(ch)))
    origin.append(len(text))
    return folded, tuple(origin)
