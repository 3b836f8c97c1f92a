"""Field accuracy of the reader against truth: used by the tests and ``bench/invoices.py``.

A field is right when it equals the truth exactly (lines: the whole list). The number that
matters most is ``wrong_ok``: invoices reported ``ok`` with any field wrong; it must be 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from robots.invoices.reader import Extraction


@dataclass
class Score:
    fields: int = 0
    fields_right: int = 0
    invoices: int = 0
    invoices_right: int = 0
    wrong_ok: list[str] = field(default_factory=list)
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    @property
    def field_accuracy(self) -> float:
        return self.fields_right / self.fields if self.fields else 0.0

    @property
    def invoice_accuracy(self) -> float:
        return self.invoices_right / self.invoices if self.invoices else 0.0

    def describe(self) -> str:
        return (f"fields {self.fields_right}/{self.fields} = {self.field_accuracy:.1%}, "
                f"invoices fully right {self.invoices_right}/{self.invoices} = "
                f"{self.invoice_accuracy:.1%}, wrong values with status ok: {len(self.wrong_ok)}")


def score(pairs: Iterable[tuple[Extraction, Mapping[str, Any]]]) -> Score:
    """``pairs`` of (result, truth fields)."""
    s = Score()
    for result, truth in pairs:
        s.invoices += 1
        wrong = [k for k, v in truth.items() if result.fields.get(k) != v]
        s.fields += len(truth)
        s.fields_right += len(truth) - len(wrong)
        s.misses.extend((result.file, k, truth[k], result.fields.get(k)) for k in wrong)
        if not wrong:
            s.invoices_right += 1
        elif result.status == "ok":
            s.wrong_ok.append(result.file)
    return s
