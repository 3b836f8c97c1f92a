"""The vendors `bots erp-demo` starts with when no ``--vendors FILE.json`` is given."""

from __future__ import annotations

from typing import Any

from robots.demo_vendors import DEMO_VENDORS

# The sample invoices' vendors: one list for `bots samples invoices`, `bots erp-demo` and
# `make demo`, so a first run by hand posts the samples instead of sending them to review.
DEFAULT_VENDORS: tuple[dict[str, Any], ...] = DEMO_VENDORS

VENDOR_KEYS = ("name", "tax_id", "country", "iban", "currency")


def check_vendors(vendors: object) -> list[dict[str, Any]]:
    """Vendors as given (a JSON list of objects): each needs a name and a tax_id."""
    if not isinstance(vendors, list):
        raise ValueError("vendors must be a list of objects")
    out = []
    for n, vendor in enumerate(vendors):
        if not isinstance(vendor, dict) or not vendor.get("name") or not vendor.get("tax_id"):
            raise ValueError(f"vendor {n}: needs at least 'name' and 'tax_id'")
        out.append({k: str(vendor.get(k) or "") for k in VENDOR_KEYS})
    return out
