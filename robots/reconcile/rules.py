"""The reconciliation rules: tolerances, windows, thresholds and column maps, from TOML.

Every field has a documented default, so an empty rules file (or none) works on typical bank
statements and ledger exports. Example ``rules.toml``::

    amount_tolerance = 0.05        # absolute, in the statement's currency: a payment this
                                   # far off is a `rounding` match, the difference shown
    date_window_days = 7           # amount-only matches: |date difference| (after offset)
    reference_window_days = 365    # reference matches: a loose sanity window
    fuzzy_threshold = 85           # 0..100, rapidfuzz similarity of two references
    max_group = 4                  # one payment for at most this many open items

    [left]                         # the bank statement (first argument)
    sheet = "Transactions"         # default: the first sheet with a recognisable header
    header_row = 5                 # default: found automatically
    [left.columns]
    amount = "Kwota PLN"
    reference = ["Tytuł", "Nr faktury"]

    [right.columns]                # the ledger export (second argument)
    amount = "Open amount"
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from backoffice.config import describe_validation_error
from backoffice.errors import ConfigError

FIELDS = ("date", "amount", "debit", "credit", "reference", "text", "name", "iban")
MULTI_FIELDS = ("reference", "text")  # fields that may take several columns


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SideRules(_Model):
    """How to read one side. Anything left out is found from the header names."""

    sheet: str | None = None
    header_row: int | None = Field(default=None, ge=1)  # 1-based, as Excel shows it
    columns: dict[str, str | list[str]] = Field(default_factory=dict)
    decimal: Literal[".", ","] | None = None  # default: inferred per column
    dayfirst: bool | None = None  # for 01/02/2024; default: inferred, else day first

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown column field(s) {unknown}; known: {list(FIELDS)}")
        return value

    def mapped(self, name: str) -> list[str]:
        raw = self.columns.get(name)
        if raw is None:
            return []
        return [raw] if isinstance(raw, str) else list(raw)


class Rules(_Model):
    # A payment a few cents off (bank charges, rounding) is a `rounding` match with the
    # difference shown; beyond this it is an overpayment or a partial payment.
    amount_tolerance: float = Field(default=0.05, ge=0)
    date_window_days: int = Field(default=7, ge=0)
    reference_window_days: int = Field(default=365, ge=0)
    # Learn the typical delay (statement date minus ledger date, e.g. paid 2 days after the
    # due date) from the reference matches, and centre the amount-only window on it.
    learn_date_offset: bool = True
    max_learned_window_days: int = Field(default=45, ge=0)
    # A late payment without a reference is matched on amount and payer name alone, up to
    # this many days from the usual delay, when one open item and one payment fit each other.
    name_window_days: int = Field(default=60, ge=0)
    fuzzy_threshold: float = Field(default=85.0, ge=0, le=100)
    min_reference_length: int = Field(default=4, ge=1)
    max_group: int = Field(default=4, ge=2, le=6)
    group_candidates: int = Field(default=20, ge=2, le=200)  # open items tried per payment
    # A payment naming an open item and paying less than it is a `partial` match (several:
    # `instalments`) with the balance left open; below this share of the item it is not.
    partial_min_ratio: float = Field(default=0.05, ge=0, le=1)
    max_rows: int = Field(default=300_000, ge=1)  # per side; more is refused, not half-read
    left: SideRules = SideRules()
    right: SideRules = SideRules()

    @property
    def tolerance_cents(self) -> int:
        return round(self.amount_tolerance * 100)


def load_rules(path: Path | None = None, *, overrides: dict[str, Any] | None = None) -> Rules:
    """Rules from a TOML file (or the defaults), with ``overrides`` (e.g. inline step
    params) on top. Raises ``ConfigError`` naming the bad key."""
    data: dict[str, Any] = {}
    source = "rules"
    if path is not None:
        source = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"rules file {path} does not exist") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    data.update(overrides or {})
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {describe_validation_error(exc)}") from None
