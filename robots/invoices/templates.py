"""Optional per-vendor overrides, for the few layouts the generic reader gets wrong.

A template is a small TOML file; it is never required. Example::

    name = "acme"
    match = ["ACME Corporation"]        # every string must appear in the document
    vendor_name = "ACME Corporation"    # optional: fixes the vendor name

    [fields.invoice_number]
    label = "Our ref."                  # value to the right of / below this label

    [fields.total_amount]
    regex = 'Grand sum:\\s*([\\d.,]+)'  # group 1 is the value

Values from a template are parsed and validated exactly like generic ones.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from backoffice.config import describe_validation_error
from backoffice.errors import ConfigError
from backoffice.locale import fold
from robots.invoices.extract import Reading
from robots.invoices.fields import AMOUNT_FIELDS, DATE_FIELDS, HEADER_FIELDS
from robots.invoices.layout import Document
from robots.invoices.parsing import find_amounts, find_date
from robots.invoices.values import Hit, parse_iban, parse_identifier, value_texts

TEMPLATE_CONFIDENCE = 0.95


class FieldRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str | None = None
    regex: str | None = None

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            re.compile(value)
        return value


class Template(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    match: tuple[str, ...]
    vendor_name: str | None = None
    fields: Mapping[str, FieldRule] = {}

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: Mapping[str, FieldRule]) -> Mapping[str, FieldRule]:
        unknown = set(value) - set(HEADER_FIELDS)
        if unknown:
            raise ValueError(f"unknown field(s) {sorted(unknown)}")
        return value

    def matches(self, folded_text: str) -> bool:
        return all(fold(m) in folded_text for m in self.match)


def load_templates(folder: Path | None) -> list[Template]:
    if folder is None or not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.toml")):
        try:
            out.append(Template.model_validate(tomllib.loads(path.read_text("utf-8"))))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        except ValidationError as exc:
            raise ConfigError(f"{path}: {describe_validation_error(exc)}") from None
    return out


def apply_templates(doc: Document, reading: Reading, templates: list[Template]) -> str | None:
    """Override fields from the first matching template; return its name."""
    if not templates:
        return None
    folded = fold(doc.text)
    for tpl in templates:
        if not tpl.matches(folded):
            continue
        inv = reading.invoice
        if tpl.vendor_name:
            inv.vendor_name = tpl.vendor_name
            reading.confidence["vendor_name"] = TEMPLATE_CONFIDENCE
        for name, rule in tpl.fields.items():
            value = _value(doc, name, rule, reading.decimal)
            if value is not None:
                setattr(inv, name, value)
                reading.confidence[name] = TEMPLATE_CONFIDENCE
        if any(n in AMOUNT_FIELDS for n in tpl.fields):
            net, tax, total = inv.net_amount, inv.tax_amount, inv.total_amount
            reading.consistent_totals = None not in (net, tax, total) and \
                net + tax == total  # type: ignore[operator]
        return tpl.name
    return None


def _value(doc: Document, name: str, rule: FieldRule, decimal: str) -> object | None:
    texts: list[str] = []
    if rule.regex:
        m = re.search(rule.regex, doc.text, flags=re.MULTILINE)
        if m:
            texts.append(m.group(1) if m.groups() else m.group(0))
    if rule.label:
        label = fold(rule.label)
        for seg in doc.segments:
            if seg.folded.startswith(label):
                hit = Hit(field=name, label=label, segment=seg, rest=seg.text_from(len(label)))
                texts.extend(t for t, _ in value_texts(doc, hit))
                break
    for text in texts:
        value = _parse(name, text, decimal)
        if value is not None:
            return value
    return None


def _parse(name: str, text: str, decimal: str) -> object | None:
    if name in AMOUNT_FIELDS:
        amounts = find_amounts(text, decimal)
        return amounts[-1] if amounts else None
    if name in DATE_FIELDS:
        return find_date(text, "dmy")[0]
    if name == "iban":
        return parse_iban(text)
    if name == "invoice_number":
        return parse_identifier(text)
    if name == "currency":
        m = re.search(r"[A-Z]{3}", text)
        return m.group(0) if m else None
    text = text.strip()
    return text or None
