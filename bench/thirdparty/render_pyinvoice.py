"""Renders invoices with pyinvoice (PyPI), run by ``bench/thirdparty.py`` with the cache on
PYTHONPATH: specs as JSON on stdin, one report per PDF as JSON on stdout.

The template is the package's (English, letter size); only the data is ours.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any


def render(job: dict[str, Any], paid: bool) -> dict[str, Any]:
    from pyinvoice.models import ClientInfo, InvoiceInfo, Item, ServiceProviderInfo
    from pyinvoice.templates import SimpleInvoice

    v, b = job["vendor"], job["buyer"]
    doc = SimpleInvoice(job["path"])
    doc.is_paid = paid
    doc.invoice_info = InvoiceInfo(job["number"], date.fromisoformat(job["issued"]),
                                   date.fromisoformat(job["due"]))
    doc.service_provider_info = ServiceProviderInfo(
        name=v["name"], street=v["street"], city=v["city"], country=v["country"],
        vat_tax_number=v["tax_id"])
    doc.client_info = ClientInfo(name=b["name"], street=b["street"], city=b["city"],
                                 country=b["country"])
    for row in job["rows"]:
        doc.add_item(Item(row["description"], "", int(row["quantity"].split(".")[0]),
                          row["unit_price"]))
    doc.set_item_tax_rate(job["rows"][0]["rate"])
    doc.set_bottom_tip("Thank you for your business. Questions? Reply to this invoice.")
    doc.finish()
    return {}


def main() -> None:
    jobs = json.load(sys.stdin)
    json.dump([render(job, paid=i % 3 == 2) for i, job in enumerate(jobs)], sys.stdout)


if __name__ == "__main__":
    main()
