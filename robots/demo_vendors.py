"""The vendors of the demo world, in one place.

The sample invoices (``bots samples invoices``, ``make demo``) are issued by them and the demo
ERP (``bots erp-demo``, ``make demo``) starts knowing them, so the path a person follows by
hand (samples, then the demo ERP, then ``bots run invoice-to-erp``) posts the invoices just as
the demo does. Every tax id and IBAN has a valid check digit.
"""

from __future__ import annotations

DEMO_VENDORS: tuple[dict[str, str], ...] = (
    {"name": "Pohjolan Paperi Oy", "tax_id": "FI39825974", "country": "FI",
     "iban": "FI4891907483378876", "currency": "EUR"},
    {"name": "Kuopion Konepaja Oy", "tax_id": "FI23286013", "country": "FI",
     "iban": "FI9629040479666972", "currency": "EUR"},
    {"name": "Lapin Logistiikka Oy", "tax_id": "FI51027342", "country": "FI",
     "iban": "FI2064686958969350", "currency": "EUR"},
    {"name": "Tallinna Tarvikud OÜ", "tax_id": "EE103944115", "country": "EE",
     "iban": "EE317715162046610990", "currency": "EUR"},
    {"name": "Tartu Tarkvara AS", "tax_id": "EE104011982", "country": "EE",
     "iban": "EE820364942055526678", "currency": "EUR"},
    {"name": "Łódzkie Zakłady Biurowe Sp. z o.o.", "tax_id": "PL6981984630", "country": "PL",
     "iban": "PL59464848506950699205755947", "currency": "PLN"},
    {"name": "Gdańska Żegluga Śródlądowa S.A.", "tax_id": "PL9525255945", "country": "PL",
     "iban": "PL84461092483435261195537215", "currency": "PLN"},
    {"name": "Müller Bürobedarf GmbH", "tax_id": "DE139743106", "country": "DE",
     "iban": "DE27835924519592648475", "currency": "EUR"},
    {"name": "Schäfer Logistik AG", "tax_id": "DE164696066", "country": "DE",
     "iban": "DE39230798683078485319", "currency": "EUR"},
    {"name": "Göteborgs Kontorsvaror AB", "tax_id": "SE554130083501", "country": "SE",
     "iban": "SE5569007128430886091524", "currency": "SEK"},
    {"name": "Malmö Städtjänst AB", "tax_id": "SE558705331401", "country": "SE",
     "iban": "SE0581234207960434988607", "currency": "SEK"},
    {"name": "Thames Office Supplies Ltd", "tax_id": "GB500201044", "country": "GB",
     "iban": "GB68NWBK17018875251566", "currency": "GBP"},
    {"name": "Pennine Data Services Limited", "tax_id": "GB945435605", "country": "GB",
     "iban": "GB85NWBK12806192057986", "currency": "GBP"},
)

# A vendor the demo ERP does not know (asked for with ``unknown_vendor=True``).
UNKNOWN_VENDOR = {"name": "Vaasan Venepalvelu Oy", "tax_id": "FI12345671", "country": "FI",
                  "iban": "FI3715903000000891", "currency": "EUR"}
