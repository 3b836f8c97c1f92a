"""What a reviewer sees and corrects on an item in REVIEW, shared by the review page and
``bots review``.

An invoice item carries the extracted fields under ``payload["invoice"]``; corrections go
there (``payload_key="invoice"``) so the ERP poster reads them. Other items show their own
top-level values. The validations are the invoice package's own, looked up lazily so the
control room runs (without live validation) where that package is not installed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from backoffice.models import WorkItem

INVOICE_KEY = "invoice"
# Bookkeeping every file item has; not something a reviewer corrects.
_NOT_EDITABLE = frozenset({"file_name", "file_names", "sha256", "extraction"})


@dataclass(frozen=True, kw_only=True)
class ReviewView:
    """The fields of an item as a reviewer works on them."""

    payload_key: str | None
    fields: dict[str, Any]  # editable scalars, as the robot left them
    other: dict[str, Any] = field(default_factory=dict)  # shown, not edited (lines, nested)
    extraction: Mapping[str, Any] = field(default_factory=dict)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def review_view(item: WorkItem) -> ReviewView:
    payload = dict(item.payload)
    inner = payload.get(INVOICE_KEY)
    if isinstance(inner, Mapping):
        key: str | None = INVOICE_KEY
        source = dict(inner)
    else:
        key = None
        source = {k: v for k, v in payload.items() if k not in _NOT_EDITABLE}
    fields = {k: v for k, v in source.items() if _scalar(v)}
    other = {k: v for k, v in source.items() if not _scalar(v)}
    extraction = payload.get("extraction")
    return ReviewView(
        payload_key=key,
        fields=fields,
        other=other,
        extraction=extraction if isinstance(extraction, Mapping) else {},
    )


def display(value: Any) -> str:
    """How a field shows in a form input (and so what "unchanged" looks like)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def coerce(text: str, like: Any) -> Any:
    """The reviewer's text as the type the robot used for that field; text that does not
    parse stays text, so the validation (not this function) tells the reviewer why."""
    text = text.strip()
    if like is None or isinstance(like, str):
        return text if text or like is not None else None
    if text == "":
        return None
    try:
        if isinstance(like, bool):
            return text.lower() in ("1", "true", "yes", "y", "on")
        if isinstance(like, int):
            return int(text)
        if isinstance(like, float):
            return float(text.replace(",", "."))
    except ValueError:
        return text
    return text


def changes_from(view: ReviewView, submitted: Mapping[str, str]) -> dict[str, Any]:
    """Only the fields the reviewer actually changed, typed like the originals. Names the
    item does not have are taken as new text fields (``bots review approve --set``)."""
    changes: dict[str, Any] = {}
    for name, text in submitted.items():
        if name in view.fields:
            if text.strip() != display(view.fields[name]).strip():
                changes[name] = coerce(text, view.fields[name])
        elif name not in view.other:
            changes[name] = text.strip()
    return changes


def find_validator() -> Callable[[Mapping[str, Any]], Any] | None:
    """The invoice package's validation over a fields dict: its own ``validate_fields`` when
    it has one, else our adapter over its checks; None when it is not installed."""
    try:
        module = importlib.import_module("robots.invoices.validate")
    except ImportError:
        return None
    own = getattr(module, "validate_fields", None)
    if callable(own):
        return own  # type: ignore[no-any-return]
    from backoffice.web.invoice_checks import validate_invoice_fields

    return validate_invoice_fields


def validate(view: ReviewView, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Re-run the validations over the fields as corrected: ``{"available", "ok",
    "reasons"}``. Without a validator (not an invoice), nothing is claimed either way."""
    validator = find_validator() if view.payload_key == INVOICE_KEY else None
    if validator is None:
        return {"available": False, "ok": None, "reasons": []}
    fields = {**view.fields, **view.other, **dict(changes)}
    try:
        result = validator(fields)
    except Exception as exc:  # a validator bug must not break the review page
        return {"available": True, "ok": False, "reasons": [f"validation error: {exc}"]}
    reasons = _reasons_of(result)
    return {"available": True, "ok": not reasons, "reasons": reasons}


def _reasons_of(result: Any) -> list[str]:
    """Accept the shapes a validation may return: a list of reasons, an object with
    ``.reasons``, or a mapping with ``"reasons"``."""
    if result is None:
        return []
    if isinstance(result, Mapping):
        result = result.get("reasons", [])
    elif hasattr(result, "reasons"):
        result = result.reasons
    if isinstance(result, str):
        return [result]
    return [str(r) for r in result]
