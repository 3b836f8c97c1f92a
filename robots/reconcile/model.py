"""The records matching works on, and what it produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

Side = Literal["left", "right"]


class Record:
    """One data row of one side. ``cents`` is signed as the file has it; matching compares
    magnitudes (``size``), because a bank shows a payment out as negative while the ledger
    shows the invoice it pays as positive."""

    __slots__ = ("side", "file", "row", "day", "cents", "size", "keys", "strong", "ref",
                 "text", "name", "name_key", "account", "problem")

    def __init__(
        self,
        *,
        side: Side,
        file: int,
        row: int,
        day: int | None,
        cents: int | None,
        keys: tuple[str, ...],
        strong: int,
        ref: str,
        text: str,
        name: str,
        name_key: str,
        account: str = "",
        problem: str | None = None,
    ) -> None:
        self.side = side
        self.file = file  # index into the side's file list
        self.row = row  # 1-based row number in the source sheet
        self.day = day  # date ordinal
        self.cents = cents
        self.size = abs(cents) if cents is not None else -1
        self.keys = keys  # normalised references: the first ``strong`` from reference columns
        self.strong = strong
        self.ref = ref
        self.text = text
        self.name = name
        self.name_key = name_key
        self.account = account  # the payer's IBAN or account number, normalised; may be ""
        self.problem = problem  # why the row cannot be matched (a text where money belongs)

    @property
    def date(self) -> date | None:
        return date.fromordinal(self.day) if self.day is not None else None

    def __repr__(self) -> str:
        return f"Record({self.side} row {self.row}, {self.cents}, {self.keys[:2]})"


class MatchKind(StrEnum):
    """What a match is, for the person reading the report."""

    EXACT = "exact"  # the same amount, by reference or by a payer known as the customer
    REFERENCE = "reference"  # a noisy reference (a typo, inside a message), same amount
    ROUNDING = "rounding"  # a few cents off, within the amount tolerance: difference shown
    PARTIAL = "partial"  # one payment for part of an open item: the balance stays open
    INSTALMENTS = "instalments"  # several payments for one open item (many to one)
    ONE_TO_MANY = "one_to_many"  # one payment for several open items


@dataclass(frozen=True, kw_only=True)
class Match:
    left: tuple[Record, ...]
    right: tuple[Record, ...]
    rule: str  # how it was found (exact_reference, amount_name, ...)
    score: float
    kind: MatchKind = MatchKind.EXACT

    @property
    def difference_cents(self) -> int:
        return sum(r.size for r in self.left) - sum(r.size for r in self.right)

    @property
    def open_cents(self) -> int:
        """What is still open on the ledger side after this match (partials, instalments)."""
        if self.kind not in (MatchKind.PARTIAL, MatchKind.INSTALMENTS):
            return 0
        return max(0, -self.difference_cents)


EXCEPTION_KINDS = {
    "duplicate": "Same date, amount and reference as another row, or paid again: the open "
    "item is already matched",
    "overpayment": "Pays more than the open item it names (beyond the tolerance)",
    "suggestion": "Amount and date fit an open item, but the payer is not known as that "
    "customer: a person decides; never matched",
    "conflict": "Several candidates fitted equally well; a person decides",
    "bad_amount": "The amount cell does not hold a number",
    "bad_date": "The date cell does not hold a date",
}


@dataclass(frozen=True, kw_only=True)
class Issue:
    """An exception row of the report: flagged for a person, never forced into a match."""

    kind: str
    record: Record
    other: Record | None = None  # the row on the other side it relates to, if any
    note: str = ""


@dataclass(kw_only=True)
class SideData:
    """Everything read from one side: its records and the files they came from."""

    files: list[str]
    records: list[Record]
    columns: dict[str, str] = field(default_factory=dict)  # field -> header used
    issues: list[Issue] = field(default_factory=list)


@dataclass(kw_only=True)
class Result:
    left: SideData
    right: SideData
    matches: list[Match]
    issues: list[Issue]
    date_offset: int = 0
    date_window: int = 0
    links: dict[str, str] = field(default_factory=dict)  # payer key -> customer, learnt here

    def unmatched(self, side: Side) -> list[Record]:
        taken = {id(r) for m in self.matches for r in getattr(m, side)}
        return [r for r in getattr(self, side).records if id(r) not in taken]
