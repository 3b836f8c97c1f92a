"""How a person reviews a reconciliation that ended with exceptions (rows the matcher
flagged instead of forcing into a match): the figures and the report, read-only, and the
resolution the reviewer writes down, which an approval needs when there are exceptions.

A suggestion (a payment that fits an open item on amount and date, from a payer not known
as that customer) can be confirmed by its number: the approval then teaches the robot that
this payer pays for that customer, so next month's payments from it match without a
reference (``robots.reconcile.links``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from backoffice.models import Correction, FieldType, ReviewField, ReviewSchema
from robots.reconcile.links import KIND, remember

if TYPE_CHECKING:
    from backoffice.knowledge import RobotKnowledge

RESOLUTION = "resolution"
CONFIRM = "confirm_suggestions"
SUGGESTIONS = "suggestions"  # payload: the suggestions a reviewer can confirm, numbered
FIGURES = ("matched", "unmatched_left", "unmatched_right", "exceptions")
_NUMBERS = re.compile(r"\d+")


def confirmed(fields: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], list[str]]:
    """The suggestions the reviewer confirmed ("1, 3", "all" or nothing), and what is wrong
    with the answer."""
    text = str(fields.get(CONFIRM) or "").strip().lower()
    listed = [s for s in fields.get(SUGGESTIONS) or [] if isinstance(s, Mapping)]
    if not text or text in ("none", "-"):
        return [], []
    if text == "all":
        return listed, []
    by_number = {s.get("n"): s for s in listed}
    rest = _NUMBERS.sub("", text).replace(",", "").replace(";", "").strip()
    numbers = [int(n) for n in _NUMBERS.findall(text)]
    unknown = [n for n in numbers if n not in by_number]
    if rest or unknown or not numbers:
        return [], [f"{CONFIRM}_invalid: give suggestion numbers from 1 to {len(listed)} "
                    f"(e.g. '1, 3'), 'all' or nothing; got {text[:40]!r}"]
    return [by_number[n] for n in sorted(set(numbers))], []


def check_resolution(fields: Mapping[str, Any]) -> list[str]:
    reasons = []
    count = fields.get("exceptions")
    if isinstance(count, int) and count > 0 and not str(fields.get(RESOLUTION) or "").strip():
        reasons.append(f"resolution_missing: say how the {count} exception(s) in the report "
                       "were settled")
    reasons.extend(confirmed(fields)[1])
    return reasons


def exception_notes(payload: Mapping[str, Any]) -> Sequence[str]:
    notes = []
    kinds = payload.get("exception_kinds")
    if isinstance(kinds, Mapping):
        notes.append("Exceptions: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    for s in payload.get(SUGGESTIONS) or []:
        if isinstance(s, Mapping):
            notes.append(
                f"Suggestion {s.get('n')}: statement row {s.get('row')}, {s.get('amount')} "
                f"from {s.get('payer')!r} fits open item row {s.get('open_item_row')} of "
                f"{s.get('customer_name') or s.get('customer')!r}; confirm it in {CONFIRM} "
                "to link this payer to that customer")
    return notes


def learn_confirmed(correction: Correction, knowledge: RobotKnowledge) -> Sequence[str]:
    """A confirmed suggestion teaches that its payer (IBAN, name) pays for its customer."""
    chosen, _ = confirmed(correction.fields)
    fresh = {key: str(s["customer"]) for s in chosen for key in s.get("keys") or []
             if s.get("customer")}
    known = {}
    for key in fresh:
        entry = knowledge.current(KIND, key)
        if entry is not None and isinstance(entry.value.get("customer"), str):
            known[key] = entry.value["customer"]
    return remember(knowledge, fresh, known, actor=correction.reviewer, taught_by="review",
                    item_id=correction.item.id, run_id=correction.item.run_id)


REVIEW_SCHEMA = ReviewSchema(
    fields=(
        ReviewField(name="report", editable=False),
        ReviewField(name="match_rate", type=FieldType.NUMBER, editable=False),
        *(ReviewField(name=n, type=FieldType.INTEGER, editable=False) for n in FIGURES),
        ReviewField(name=RESOLUTION),
        ReviewField(name=CONFIRM),
    ),
    check=check_resolution,
    notes=exception_notes,
    learn=learn_confirmed,
)
