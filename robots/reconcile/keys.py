"""Reference keys: the normalised identifiers a row carries, in its reference columns or
buried in a free-text message ("Payment inv. 2024-0113, thanks").

``INV-2024/0113``, ``inv 2024 0113`` and ``INV20240113`` give the same key; a key with a
letter prefix also gives its digits alone (``20240113``), so "invoice 20240113" in a bank
message finds ledger invoice ``INV-20240113``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from backoffice.locale import fold_words, rf_valid

_NON_ALNUM = re.compile(r"[^0-9A-Z]+")
_NON_DIGIT = re.compile(r"[^0-9]+")
_HAS_DIGIT = re.compile(r"[0-9]").search
_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-/_.#:]*")
_DIGIT_GROUPS = re.compile(r"(?<![0-9])\d{2,6}(?: \d{2,6})+(?![0-9])")  # 12345 67890
_MAX_GROUPS = 7  # digit groups one spaced reference spans at most
_RF = re.compile(r"(?i)\bRF\d{2}(?: ?(?!RF\d\d)[0-9A-Z]{1,4}){1,6}\b")
_LEGAL_FORMS = frozenset(
    {
        "oy", "oyj", "ab", "publ", "as", "ou", "gmbh", "ag", "kg", "ohg", "ug", "sp",
        "z", "o", "oo", "zoo", "sa", "ltd", "limited", "inc", "llc", "plc", "co", "corp",
        "company", "tmi", "ky", "ay", "se", "bv", "nv", "aps", "asa", "spolka", "the", "and",
        "of",
    }
)


def normalise(ref: str) -> str:
    """Upper case, only letters and digits, numeric references without leading zeros."""
    key = _NON_ALNUM.sub("", ref.upper())
    return key.lstrip("0") or key if key.isdigit() else key


def _variants(key: str, min_len: int) -> list[str]:
    if len(key) < min_len or not _HAS_DIGIT(key):
        return []
    if key.isdigit() or key.startswith("RF"):
        return [key]
    digits = _NON_DIGIT.sub("", key).lstrip("0")
    return [key, digits] if len(digits) >= min_len else [key]


def _rf_keys(found: str) -> list[str]:
    """An RF reference in free text, where the words after it may or may not belong to it
    ("RF18 5390 0754 7034 thanks 2026"): the valid prefix, else the whole run."""
    groups = found[4:].split() if " " in found[4:] else [found[4:]]
    head = normalise(found[:4])
    for n in range(len(groups), 0, -1):
        key = head + normalise("".join(groups[:n]))
        if rf_valid(key):
            return [key]
    return [normalise(found)]


def reference_keys(values: Iterable[str], min_len: int) -> list[str]:
    """Keys of reference cells: the whole value, and each token when it has several."""
    keys: list[str] = []
    for value in values:
        if not value:
            continue
        if value.isascii() and value.isdigit():
            # The common case, a plain number: what normalise and _variants make of it.
            key = value.lstrip("0") or value
            if len(key) >= min_len:
                keys.append(key)
            continue
        keys += _variants(normalise(value), min_len)
        if " " in value or "," in value or ";" in value:
            keys += text_keys(value, min_len)
    return keys


@lru_cache(maxsize=65_536)
def text_keys(text: str, min_len: int) -> list[str]:
    """Identifier-like tokens found in free text: each has a digit and is long enough."""
    keys: list[str] = []
    for m in _RF.finditer(text):
        keys.extend(_rf_keys(m[0]))
    for m in _DIGIT_GROUPS.finditer(text):
        # "12345 67897 30012 34561" may be one spaced reference or two side by side: every
        # run of 2..7 neighbouring groups is a candidate.
        groups = m[0].split()
        for i in range(len(groups)):
            for j in range(i + 2, min(i + _MAX_GROUPS, len(groups)) + 1):
                keys.extend(_variants(normalise("".join(groups[i:j])), min_len))
    for token in _TOKEN.findall(text):
        keys.extend(_variants(normalise(token), min_len))
    return keys


def unique(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))


@lru_cache(maxsize=65_536)
def name_key(name: str) -> str:
    """A counterparty name without case, accents or legal form: "ACME Oy" == "Acme OY Ltd"."""
    words = [w for w in fold_words(name).split() if w not in _LEGAL_FORMS]
    return " ".join(words)
