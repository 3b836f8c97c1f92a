"""How a person reviews a reconciliation that ended with exceptions (rows the matcher
flagged instead of forcing into a match): the figures and the report, read-only, and the
resolution the reviewer writes down, which an approval needs when there are exceptions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from backoffice.models import FieldType, ReviewField, ReviewSchema

RESOLUTION = "resolution"
FIGURES = ("matched", "unmatched_left", "unmatched_right", "exceptions")


def check_resolution(fields: Mapping[str, Any]) -> list[str]:
    count = fields.get("exceptions")
    if isinstance(count, int) and count > 0 and not str(fields.get(RESOLUTION) or "").strip():
        return [f"resolution_missing: say how the {count} exception(s) in the report were "
                "settled"]
    return []


def exception_notes(payload: Mapping[str, Any]) -> Sequence[str]:
    kinds = payload.get("exception_kinds")
    if not isinstance(kinds, Mapping):
        return []
    return ["Exceptions: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))]


REVIEW_SCHEMA = ReviewSchema(
    fields=(
        ReviewField(name="report", editable=False),
        ReviewField(name="match_rate", type=FieldType.NUMBER, editable=False),
        *(ReviewField(name=n, type=FieldType.INTEGER, editable=False) for n in FIGURES),
        ReviewField(name=RESOLUTION),
    ),
    check=check_resolution,
    notes=exception_notes,
)
