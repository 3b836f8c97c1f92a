"""Checking the demo's results against the truth its sample generators wrote, so the demo
shows how right the robots were, not only what they did."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PairScore:
    right: int  # matches the robot made that the truth has
    made: int  # matches the robot made
    expected: int  # matches the truth has

    @property
    def f1(self) -> float:
        if not self.made or not self.expected:
            return 0.0
        precision, recall = self.right / self.made, self.right / self.expected
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _pairs(matches: list[dict]) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    return {(tuple(sorted(m["left"])), tuple(sorted(m["right"]))) for m in matches}


def score_reconciliation(result_json: Path, truth_json: Path) -> PairScore | None:
    """Matched pairs of a reconciliation (its --json file) against the generator's truth;
    None when either file is missing or unreadable."""
    try:
        made = _pairs(json.loads(result_json.read_text(encoding="utf-8"))["matches"])
        expected = _pairs(json.loads(truth_json.read_text(encoding="utf-8"))["matches"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return PairScore(right=len(made & expected), made=len(made), expected=len(expected))


@dataclass(frozen=True)
class InvoiceScore:
    invoices: int  # invoices read that have a truth file
    fields: int
    fields_right: int
    posted_wrong: tuple[str, ...]  # posted (DONE) with any field different from the truth


def score_invoices(items: list[tuple[str, bool, dict]], truth_dir: Path) -> InvoiceScore | None:
    """``items``: (file name, posted?, extracted fields) of the invoices a run read."""
    invoices = fields = right = 0
    posted_wrong: list[str] = []
    for name, posted, extracted in items:
        truth_file = truth_dir / f"{Path(name).stem}.truth.json"
        try:
            truth = json.loads(truth_file.read_text(encoding="utf-8"))["fields"]
        except (OSError, ValueError, KeyError):
            continue
        invoices += 1
        wrong = [k for k, v in truth.items() if extracted.get(k) != v]
        fields += len(truth)
        right += len(truth) - len(wrong)
        if posted and wrong:
            posted_wrong.append(name)
    if not invoices:
        return None
    return InvoiceScore(invoices=invoices, fields=fields, fields_right=right,
                        posted_wrong=tuple(posted_wrong))
