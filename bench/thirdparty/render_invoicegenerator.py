"""Renders invoices with InvoiceGenerator (PyPI), run by ``bench/thirdparty.py`` with the
cache on PYTHONPATH: specs as JSON on stdin, one report per PDF as JSON on stdout.

The template and its wording are the package's; only the data is ours. Its language comes
from INVOICE_LANG, read partly at import time, so the modules are reloaded per language.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from datetime import date
from decimal import Decimal
from typing import Any

LANG = {"en-gb": "en", "en-us": "en", "de": "en", "cs": "cs"}
MONEY_LOCALE = {"en-gb": "en_GB", "en-us": "en_US", "de": "de_DE", "cs": "cs_CZ.UTF-8"}
TITLE = {"en": "Invoice", "cs": "Faktura"}
UNIT = {"en": "pcs", "cs": "ks"}
BANK = {"en-gb": "Barclays Bank", "en-us": "First National Bank", "de": "Sparkasse KölnBonn",
        "cs": "Česká spořitelna"}


def render(job: dict[str, Any], lang: str) -> dict[str, Any]:
    from babel.dates import format_date
    from InvoiceGenerator import api, pdf

    loc = job["locale"]
    v, b = job["vendor"], job["buyer"]
    cz_account = {}
    if job["iban"] and job["iban"].startswith("CZ"):
        bban = job["iban"][4:]
        cz_account = {"bank_account": bban[10:].lstrip("0") or "0", "bank_code": bban[:4]}
    provider = api.Provider(v["name"], address=v["street"], city=v["city"],
                            vat_id=v["tax_id"] or "", bank_name=BANK[loc], **cz_account)
    client = api.Client(b["name"], address=b["street"], city=b["city"],
                        vat_id=b["tax_id"] or "")
    inv = api.Invoice(client, provider, api.Creator("Účetní oddělení" if lang == "cs"
                                                    else "Accounts department"))
    inv.title = TITLE[lang]
    inv.number = job["number"]
    inv.use_tax = True
    inv.currency = job["currency"]
    inv.currency_locale = MONEY_LOCALE[loc]
    inv.date = date.fromisoformat(job["issued"])
    inv.payback = date.fromisoformat(job["due"])
    if lang == "cs":
        inv.taxable_date = inv.date
    inv.iban = job["iban"]
    if job["reference"]:
        inv.variable_symbol = job["reference"]
    for row in job["rows"]:
        inv.add_item(api.Item(Decimal(row["quantity"]), Decimal(row["unit_price"]),
                              description=row["description"], unit=UNIT[lang],
                              tax=Decimal(row["rate"])))
    pdf.SimpleInvoice(inv).gen(job["path"])
    dates = {d: format_date(date.fromisoformat(d), locale=lang)
             for d in (job["issued"], job["due"])}
    return {"dates": dates}


def main() -> None:
    jobs = json.load(sys.stdin)
    reports: dict[int, dict[str, Any]] = {}
    for lang in sorted({LANG[j["locale"]] for j in jobs}):
        os.environ["INVOICE_LANG"] = lang
        from InvoiceGenerator import api, conf, pdf
        for module in (conf, api, pdf):
            importlib.reload(module)
        for i, job in enumerate(jobs):
            if LANG[job["locale"]] == lang:
                reports[i] = render(job, lang)
    json.dump([reports[i] for i in range(len(jobs))], sys.stdout)


if __name__ == "__main__":
    main()
