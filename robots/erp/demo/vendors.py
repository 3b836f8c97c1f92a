"""The vendors `bots erp-demo` starts with when no ``--vendors FILE.json`` is given."""

from __future__ import annotations

from typing import Any

DEFAULT_VENDORS: tuple[dict[str, Any], ...] = (
    {"name": "Nordic Paper Oy", "tax_id": "FI12345671", "country": "FI",
     "iban": "FI2112345600000785", "currency": "EUR"},
    {"name": "Baltic Logistics OÜ", "tax_id": "EE100200300", "country": "EE",
     "iban": "EE382200221020145685", "currency": "EUR"},
    {"name": "Wisła Components Sp. z o.o.", "tax_id": "PL5260001246", "country": "PL",
     "iban": "PL61109010140000071219812874", "currency": "PLN"},
    {"name": "Rhein Maschinenbau GmbH", "tax_id": "DE811907980", "country": "DE",
     "iban": "DE89370400440532013000", "currency": "EUR"},
    {"name": "Svensk Kontorsservice AB", "tax_id": "SE556677889901", "country": "SE",
     "iban": "SE4550000000058398257466", "currency": "SEK"},
)

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
