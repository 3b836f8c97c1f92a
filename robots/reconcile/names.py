"""Payer names across the two sides: found inside a description when a statement has no
payer column, and matched to the ledger's customer when the bank cut the name short."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container, Sequence

from robots.reconcile.keys import name_key
from robots.reconcile.model import Record

MIN_NAME_KEY = 4  # shorter names found inside a text are chance words


def payer_name(key: str, by_name: Container[str], names: Sequence[str]) -> str:
    """The other side's name for a payer: the same, or the one a bank cut short
    ("DABROWSKI SERWIS S" for "Dabrowski Serwis Sp. z o.o."), when only one fits. A single
    word is never taken for a cut name: "NORDWIND" may be any of several Nordwinds."""
    if not key or key in by_name:
        return key
    words = key.split()
    for stem in (key, " ".join(words[:-1])):
        if len(stem) < MIN_NAME_KEY or " " not in stem:
            continue
        if stem in by_name:
            return stem
        i = bisect_left(names, stem)
        if i < len(names) and names[i].startswith(stem) and not (
            i + 1 < len(names) and names[i + 1].startswith(stem)
        ):
            return names[i]
    return ""


def names_from_text(records: list[Record], others: list[Record]) -> None:
    """A side without a payer column ("Description: NORDWIND BAU GMBH Payment 4711") names
    the payer inside its text: the longest run of its words that is a name of the other
    side becomes the record's name key, so the name rules work for it too."""
    names = {r.name_key for r in others if len(r.name_key) >= MIN_NAME_KEY}
    if not names or any(r.name_key for r in records):
        return
    longest = min(6, max(len(n.split()) for n in names))
    for rec in records:
        if not rec.text:
            continue
        words = name_key(rec.text).split()
        best = ""
        for i in range(len(words)):
            for j in range(min(len(words), i + longest), i, -1):
                found = " ".join(words[i:j])
                if found in names:
                    if len(found) > len(best):
                        best = found
                    break
        rec.name_key = best
