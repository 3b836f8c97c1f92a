"""What a reviewer sees and corrects on an item in REVIEW, shared by the review page and
``bots review``.

The robot whose step sent the item to review says how through its ``review_schema``: where
the fields live in the payload, their types, which are read-only, and how to re-check a
correction. A robot that declares none gets the payload's top-level values, typed like they
are, with no checks. The core names no robot: the schema comes through the registry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from backoffice.errors import BotError, ConfigError
from backoffice.locale import parse_amount
from backoffice.models import FieldType, ReviewField, ReviewSchema, WorkItem
from backoffice.registry import Registry

# Bookkeeping every file item has; not something a reviewer corrects.
_NOT_EDITABLE = frozenset({"file_name", "file_names", "sha256", "extraction"})


@dataclass(frozen=True, kw_only=True)
class ReviewView:
    """The fields of an item as a reviewer works on them."""

    schema: ReviewSchema
    fields: dict[str, Any]  # scalars, as the robot left them (read-only ones included)
    types: dict[str, FieldType] = field(default_factory=dict)
    readonly: frozenset[str] = frozenset()
    other: dict[str, Any] = field(default_factory=dict)  # shown, not edited (lines, nested)
    notes: tuple[str, ...] = ()

    @property
    def payload_key(self) -> str | None:
        return self.schema.payload_key

    @property
    def editable(self) -> dict[str, Any]:
        return {k: v for k, v in self.fields.items() if k not in self.readonly}


def schema_for(registry: Registry, item: WorkItem) -> ReviewSchema:
    """The review schema of the robot at the item's step; the plain one when the robot
    declares none or its workflow is no longer installed."""
    try:
        workflow = registry.workflow(item.workflow)
        robot = registry.robot_class(workflow.steps[item.step].robot)
    except (BotError, IndexError):
        return ReviewSchema()
    return robot.review_schema or ReviewSchema()


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _type_of(value: Any) -> FieldType:
    if isinstance(value, bool):
        return FieldType.BOOLEAN
    if isinstance(value, int):
        return FieldType.INTEGER
    if isinstance(value, float):
        return FieldType.NUMBER
    return FieldType.TEXT


def review_view(item: WorkItem, schema: ReviewSchema) -> ReviewView:
    payload = dict(item.payload)
    inner = payload.get(schema.payload_key) if schema.payload_key else None
    if schema.payload_key and isinstance(inner, Mapping):
        source = dict(inner)
    else:
        source = {k: v for k, v in payload.items() if k not in _NOT_EDITABLE}
    declared: tuple[ReviewField, ...] = schema.fields or tuple(
        ReviewField(name=k, type=_type_of(v)) for k, v in source.items() if _scalar(v))
    names = {f.name for f in declared}
    try:
        notes = tuple(str(n) for n in schema.notes(payload)) if schema.notes else ()
    except Exception as exc:  # a robot's bug must not break the review page
        notes = (f"notes unavailable: {exc}",)
    return ReviewView(
        schema=schema,
        fields={f.name: source.get(f.name) for f in declared},
        types={f.name: f.type for f in declared},
        readonly=frozenset(f.name for f in declared if not f.editable),
        other={k: v for k, v in source.items() if k not in names and not _scalar(v)},
        notes=notes,
    )


def display(value: Any) -> str:
    """How a field shows in a form input (and so what "unchanged" looks like)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def coerce(text: str, kind: FieldType, *, was_none: bool = False) -> Any:
    """The reviewer's text as the field's type; text that does not parse stays text, so the
    robot's check (not this function) tells the reviewer why."""
    text = text.strip()
    if text == "":
        return None if kind is not FieldType.TEXT or was_none else ""
    try:
        if kind is FieldType.BOOLEAN:
            return text.lower() in ("1", "true", "yes", "y", "on")
        if kind is FieldType.INTEGER:
            return int(text)
        if kind is FieldType.NUMBER:
            return float(_decimal(text))
        if kind is FieldType.DECIMAL:
            return str(_decimal(text))
        if kind is FieldType.DATE:
            return date.fromisoformat(text).isoformat()
    except (ValueError, InvalidOperation):
        return text
    return text


def _decimal(text: str) -> Decimal:
    """A reviewer's number in any of the region's formats (``1 234,56``, ``1.234,56``)."""
    value = parse_amount(text)
    if value is None:
        raise InvalidOperation(text)
    return value


def changes_from(view: ReviewView, submitted: Mapping[str, str]) -> dict[str, Any]:
    """Only the fields the reviewer actually changed, typed as declared. Changing a
    read-only field, or one a robot that declares its fields does not have, is a
    ``ConfigError``; without a declaration a new name is taken as a new text field."""
    changes: dict[str, Any] = {}
    for name, text in submitted.items():
        if name in view.other:
            # A list or an object (an invoice's lines) is corrected as JSON.
            try:
                value = json.loads(text)
            except ValueError:
                raise ConfigError(f"field {name!r} takes JSON (it holds "
                                  f"{type(view.other[name]).__name__} data)") from None
            if value != view.other[name]:
                changes[name] = value
            continue
        if name in view.fields:
            if text.strip() == display(view.fields[name]).strip():
                continue
            if name in view.readonly:
                raise ConfigError(f"field {name!r} is read-only")
            changes[name] = coerce(text, view.types[name], was_none=view.fields[name] is None)
        elif view.schema.fields:
            known = ", ".join(n for n in view.fields if n not in view.readonly)
            raise ConfigError(f"no field {name!r} to correct on this item (fields: {known})")
        else:
            changes[name] = text.strip()
    return changes


def validate(view: ReviewView, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Re-run the robot's checks over the fields as corrected: ``{"available", "ok",
    "reasons"}``. A robot without checks claims nothing either way."""
    check = view.schema.check
    if check is None:
        return {"available": False, "ok": None, "reasons": []}
    fields = {**view.fields, **view.other, **dict(changes)}
    try:
        reasons = [str(r) for r in check(fields)]
    except Exception as exc:  # a robot's bug must not break the review page
        return {"available": True, "ok": False, "reasons": [f"validation error: {exc}"]}
    return {"available": True, "ok": not reasons, "reasons": reasons}
