"""Renders invoices with dinbrief (PyPI), run by ``bench/thirdparty.py`` with the cache on
PYTHONPATH: jobs as JSON on stdin, one report per PDF as JSON on stdout.

The DIN 5008 letter template, its item and total tables and its bank transfer form are the
package's; we fill in what its example (``examples/invoice.py``) fills in: the sender lines,
the recipient, the date, a subject, the tables and the form. Labels and number formats come
from Django's translation and formatting, as the package does inside a Django project
(its bundled German translation for 'de'). The report gives back the amounts as the package
printed them (its net, each VAT row, its gross), since it rounds each for printing only.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

DJANGO_LANG = {"de": "de", "en-gb": "en-gb", "en-us": "en"}


def setup_django() -> None:
    import django
    from django.conf import settings

    settings.configure(USE_I18N=True, USE_THOUSAND_SEPARATOR=True, LANGUAGE_CODE="en",
                       INSTALLED_APPS=["dinbrief"])
    django.setup()


def render(job: dict[str, Any]) -> dict[str, Any]:
    from dinbrief.document import Document
    from dinbrief.invoice import BankTransferForm, Invoice, Item, ItemTable, TotalTable
    from dinbrief.optional_django import number_format
    from dinbrief.styles import styles
    from dinbrief.template import BriefTemplate
    from django.utils import translation
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    translation.activate(DJANGO_LANG[job["locale"]])
    v, b = job["vendor"], job["buyer"]
    items = [Item(i, r["description"], price=Decimal(r["unit_price"]),
                  quantity=Decimal(r["quantity"]), unit=job["unit"],
                  vat_rate=Decimal(r["rate"]) / 100)
             for i, r in enumerate(job["rows"], 1)]
    invoice = Invoice(items=items, currency=job["symbol"])
    template = BriefTemplate()
    infobox = [Paragraph(line, styles["Normal"]) for line in job["infobox"]]
    content: list[Any] = [Paragraph(job["subject"], styles["Subject"]),
                          Spacer(template.CONTENT_WIDTH, 2 * mm),
                          ItemTable(template, invoice), TotalTable(template, invoice),
                          Spacer(template.CONTENT_WIDTH, 5 * mm)]
    content += [Paragraph(text, styles["Normal"]) for text in job["after"]]
    if job["iban"]:
        content += [Spacer(template.CONTENT_WIDTH, 10 * mm),
                    BankTransferForm(account_holder=v["name"], iban=job["iban"],
                                     bic=job["bic"], amount=invoice.gross,
                                     reference=job["number"], currency=job["currency"],
                                     currency_label=job["symbol"],
                                     show_qrcode=job["currency"] == "EUR")]
    document = Document(sender=[v["name"], v["street"], v["city"]],
                        recipient=[b["name"], b["street"], b["city"]],
                        infobox=infobox, date=job["date"], content=content,
                        title=job["subject"])
    with open(job["path"], "wb") as fh:
        template.render(document, fh)
    return {"amounts": {"net": number_format(invoice.net, 2),
                        "vat": [number_format(x.amount, 2) for x in invoice.vat_items],
                        "gross": number_format(invoice.gross, 2)}}


def main() -> None:
    jobs = json.load(sys.stdin)
    setup_django()
    json.dump([render(job) for job in jobs], sys.stdout)


if __name__ == "__main__":
    main()
