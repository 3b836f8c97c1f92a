"""A second invoice generator, written from scratch and independently of the reader: it knows
only the field contract (``robots.invoices.fields``), never how the reader parses.

Nine layouts x eight locales (FI, ET, PL, EN-GB, EN-US, DE, SV, FR) in the styles real
invoices use and the project's own generator never draws: a buyer block beside a right-hand
column of number and dates, a vendor only in a footer or in a side band, names wrapped over two
lines, a VAT breakdown table (rate | net | VAT | gross), monospace receipts with dotted leaders,
label-above-value boxes, a table running over two pages, a payment slip. Credit notes,
discount lines and several VAT rates are mixed in.

``HELD_OUT_LAYOUTS`` and ``HELD_OUT_LOCALES`` are never looked at while tuning the reader:
``bench/invoices.py`` reports them apart from the rest.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from fpdf import FPDF

from backoffice.locale.checkdigits import iban_check_digits
from robots.invoices import checksums
from robots.invoices.fields import fmt_amount, fmt_number, fmt_price
from robots.invoices.sample_pdf import new_pdf, put

LAYOUTS = ("sidecol", "footer", "sideband", "vatbreak", "receipt", "wrapped", "slip",
           "labelabove", "twopage")
LOCALES = ("fi", "et", "pl", "en-gb", "en-us", "de", "sv", "fr")
HELD_OUT_LAYOUTS = ("labelabove", "twopage")
HELD_OUT_LOCALES = ("sv",)

CENT = Decimal("0.01")


def held_out(layout: str, locale: str) -> bool:
    return layout in HELD_OUT_LAYOUTS or locale in HELD_OUT_LOCALES


# --- the wording of each locale ----------------------------------------------------------

@dataclass(frozen=True)
class Words:
    title: str
    credit: str
    number: str
    date: str
    due: str
    buyer: str
    seller: str
    vat_id: str
    heads: tuple[str, str, str, str, str, str, str]  # no, desc, qty, unit, price, rate, amount
    net: str
    tax: str
    total: str
    iban: str
    ref: str
    rate_table: tuple[str, str, str, str]  # rate, net, tax, gross
    discount: str
    unit: str
    carried: str
    brought: str
    page: str


WORDS: dict[str, Words] = {
    "fi": Words("LASKU", "HYVITYSLASKU", "Laskun numero", "Laskun päivämäärä", "Eräpäivä",
                "Laskutusosoite", "Myyjä", "ALV-numero",
                ("Nro", "Tuote / palvelu", "Määrä", "Yks.", "À-hinta", "ALV %", "Veroton"),
                "Veroton yhteensä", "Arvonlisävero", "Maksettava yhteensä", "Tilinumero",
                "Viitenumero", ("ALV-kanta", "Veroton", "Vero", "Verollinen"), "Alennus",
                "kpl", "Siirto seuraavalle sivulle", "Siirto edelliseltä sivulta", "Sivu"),
    "et": Words("ARVE", "KREEDITARVE", "Arve nr", "Arve kuupäev", "Maksetähtaeg", "Maksja",
                "Müüja", "KMKR nr",
                ("Nr", "Kauba / teenuse nimetus", "Kogus", "Ühik", "Ühiku hind", "KM %",
                 "Summa"),
                "Summa käibemaksuta", "Käibemaks", "Tasuda kokku", "Arveldusarve",
                "Viitenumber", ("KM määr", "Maksustatav", "Käibemaks", "Kokku"), "Allahindlus",
                "tk", "Üle kantud", "Üle toodud", "Lk"),
    "pl": Words("Faktura VAT", "Faktura korygująca", "Faktura nr", "Data wystawienia",
                "Termin płatności", "Nabywca", "Sprzedawca", "NIP",
                ("Lp.", "Nazwa towaru/usługi", "Ilość", "J.m.", "Cena netto", "Stawka VAT",
                 "Wartość netto"),
                "Razem netto", "Kwota VAT", "Do zapłaty", "Nr rachunku", "Tytułem",
                ("Stawka", "Netto", "VAT", "Brutto"), "Rabat", "szt.", "Do przeniesienia",
                "Z przeniesienia", "Strona"),
    "en-gb": Words("INVOICE", "CREDIT NOTE", "Invoice No.", "Invoice date", "Payment due",
                   "Invoice to", "From", "VAT Reg. No.",
                   ("#", "Description", "Qty", "Unit", "Unit price", "VAT", "Net"),
                   "Subtotal", "VAT", "Amount due", "IBAN", "Reference",
                   ("VAT rate", "Net", "VAT", "Gross"), "Discount", "pcs", "Carried forward",
                   "Brought forward", "Page"),
    "en-us": Words("INVOICE", "CREDIT MEMO", "Invoice #", "Date", "Due Date", "Bill To",
                   "From", "Tax ID",
                   ("#", "Item", "Qty", "Unit", "Rate", "Tax", "Amount"),
                   "Subtotal", "Sales Tax", "Balance Due", "Account", "Reference",
                   ("Tax rate", "Taxable", "Tax", "Total"), "Discount", "ea", "Continued",
                   "Continued from previous page", "Page"),
    "de": Words("RECHNUNG", "GUTSCHRIFT", "Rechnungs-Nr.", "Rechnungsdatum", "Zahlbar bis",
                "Rechnungsempfänger", "Rechnungssteller", "USt-IdNr.",
                ("Pos.", "Bezeichnung", "Menge", "Einheit", "Einzelpreis", "USt.",
                 "Gesamtpreis"),
                "Summe netto", "zzgl. USt.", "Gesamtbetrag", "IBAN", "Verwendungszweck",
                ("USt.-Satz", "Netto", "USt.", "Brutto"), "Rabatt", "Stk.", "Übertrag",
                "Übertrag von Seite 1", "Seite"),
    "sv": Words("FAKTURA", "KREDITFAKTURA", "Fakturanummer", "Fakturadatum", "Förfallodatum",
                "Fakturaadress", "Säljare", "Momsreg.nr",
                ("Nr", "Benämning", "Antal", "Enhet", "À-pris", "Moms %", "Belopp"),
                "Summa exkl. moms", "Moms", "Att betala", "IBAN", "OCR-nummer",
                ("Momssats", "Underlag", "Moms", "Brutto"), "Rabatt", "st", "Transport",
                "Transport från föregående sida", "Sida"),
    "fr": Words("FACTURE", "AVOIR", "Facture n°", "Date de facture", "Échéance", "Client",
                "Émetteur", "N° TVA intracom.",
                ("N°", "Désignation", "Qté", "Unité", "P.U. HT", "TVA", "Montant HT"),
                "Total HT", "TVA", "Net à payer", "IBAN", "Référence",
                ("Taux", "Base HT", "TVA", "TTC"), "Remise", "u.", "À reporter", "Report",
                "Page"),
}

# Alternative wordings a layout may pick instead (real invoices vary inside a language).
TOTAL_ALT = {"de": "Zahlbetrag", "fr": "Total TTC", "en-gb": "Total (inc. VAT)",
             "en-us": "Total", "fi": "Yhteensä", "et": "Kokku", "pl": "Razem do zapłaty",
             "sv": "Summa att betala"}

RATES = {"fi": ("25.5", "14", "10"), "et": ("24", "13", "9"), "pl": ("23", "8", "5"),
         "en-gb": ("20", "5"), "en-us": ("8.875",), "de": ("19", "7"),
         "sv": ("25", "12", "6"), "fr": ("20", "10", "5.5")}
CURRENCY = {"fi": "EUR", "et": "EUR", "pl": "PLN", "en-gb": "GBP", "en-us": "USD", "de": "EUR",
            "sv": "SEK", "fr": "EUR"}
SYMBOL = {"EUR": "€", "PLN": "zł", "GBP": "£", "USD": "$", "SEK": "kr"}
COUNTRY = {"fi": "FI", "et": "EE", "pl": "PL", "en-gb": "GB", "en-us": "US", "de": "DE",
           "sv": "SE", "fr": "FR"}
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
}

COMPANIES = {
    "fi": ("Savon Sähkötekniikka Oy", "Pirkanmaan Putkityö ja Lämpöasennus Oy",
           "Kainuun Kuljetus Ky", "Rauman Rautakauppa Oy"),
    "et": ("Pärnu Puidutööstus OÜ", "Lõuna-Eesti Ehitus- ja Remonditööde OÜ",
           "Saaremaa Kalatööstus AS", "Narva Metall OÜ"),
    "pl": ("Przedsiębiorstwo Handlowo-Usługowe Wisła Sp. z o.o.", "Krakowska Drukarnia S.A.",
           "Zakład Stolarski Dąb Sp. z o.o.", "Hurtownia Elektryczna Iskra Sp.j."),
    "en-gb": ("Thames Valley Stationers Ltd", "Pennine Engineering and Fabrication Services Ltd",
              "Cotswold Catering Supplies Ltd", "Harbour Lane Print LLP"),
    "en-us": ("Great Lakes Office Supply Inc.",
              "Blue Ridge Mechanical and Electrical Contractors LLC",
              "Desert Sun Solar Corp.", "Hudson Valley Janitorial LLC"),
    "de": ("Schwarzwälder Werkzeugbau GmbH & Co. KG", "Bäckerei und Konditorei Huber e.K.",
           "Elbtal Logistik GmbH", "Ingenieurbüro Sommer und Partner mbB"),
    "sv": ("Norrlands Trävaru AB", "Västkustens Fastighetsservice och Bygg AB",
           "Gotlands Bryggeri AB", "Mälardalens Kontorsmaterial HB"),
    "fr": ("Ateliers Lyonnais SARL", "Société Bretonne de Distribution Alimentaire SAS",
           "Imprimerie du Rhône SA", "Menuiserie Lefèvre et Fils EURL"),
}
STREETS = {
    "fi": ("Satamakatu 12 B", "00100 Helsinki"), "et": ("Rüütli tn 5", "80010 Pärnu"),
    "pl": ("ul. Długa 44/2", "31-146 Kraków"), "en-gb": ("14 Mill Lane", "Reading RG1 2AB"),
    "en-us": ("2200 Lakeshore Dr, Suite 310", "Chicago, IL 60614"),
    "de": ("Hauptstraße 27", "79098 Freiburg im Breisgau"),
    "sv": ("Storgatan 8", "903 26 Umeå"), "fr": ("12 rue de la République", "69002 Lyon"),
}
ITEMS = {
    "fi": ("Asennustyö", "Kaapelikouru 2 m", "Sähkökeskus 24 mod.", "Matkakulut",
           "Suunnittelu, tunti", "Valaisin LED 40 W", "Jatkojohto 10 m"),
    "et": ("Paigaldustöö", "Männipuit 50x100", "Kruvid 5x60, pakk", "Transport",
           "Konsultatsioon, tund", "Värv valge 10 l", "Tööriistade rent"),
    "pl": ("Usługa transportowa", "Papier ksero A4", "Tusz do drukarki", "Montaż szafy",
           "Konsultacja, godz.", "Krzesło biurowe", "Żarówka LED E27"),
    "en-gb": ("Printer paper A4, box", "Site visit", "Steel bracket 40 mm", "Delivery charge",
              "Design work, hour", "Safety gloves, pair", "Cable ties 300 mm"),
    "en-us": ("Copier lease, monthly", "Toner cartridge", "Service call", "Freight",
              "Labor, hour", "Ceiling fan install", "Air filter 20x25"),
    "de": ("Montagearbeiten", "Schrauben M8, Packung", "Fräser 12 mm", "Versandkosten",
           "Wartung Maschinenpark", "Brötchen, Stück", "Kaffee, 1 kg"),
    "sv": ("Konsulttjänst, timme", "Virke 45x95", "Målarfärg vit 10 l", "Frakt",
           "Reparation", "Skruv 5x50, paket", "Hyra ställning"),
    "fr": ("Main d'œuvre", "Panneau chêne 18 mm", "Quincaillerie", "Frais de port",
           "Pose et réglage", "Vernis incolore 5 l", "Étude technique"),
}


# --- a random invoice ------------------------------------------------------------------------

@dataclass
class Party:
    name: str
    street: str
    city: str
    tax_id: str | None
    tax_id_text: str | None


@dataclass
class Row:
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    rate: Decimal | None


@dataclass
class Doc:
    layout: str
    locale: str
    number: str
    issued: date
    due: date
    vendor: Party
    buyer: Party
    currency: str
    rows: list[Row]
    credit: bool
    iban: str | None
    reference: str | None
    net: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    per_rate: dict[Decimal, tuple[Decimal, Decimal]] = field(default_factory=dict)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _tax_id(rng: random.Random, country: str) -> tuple[str | None, str | None]:
    """A valid VAT id (compact, as the truth holds it) and how the page prints it."""
    while True:
        if country == "FI":
            base = str(rng.randint(1000000, 3299999))
            chk = checksums.fi_business_id_check(base)
            if chk is None:
                continue
            vat = f"FI{base}{chk}"
            return vat, rng.choice((vat, f"FI {base}{chk}"))
        if country == "EE":
            base = "10" + _digits(rng, 6)
            vat = f"EE{base}{checksums.ee_vat_check(base)}"
            return vat, vat
        if country == "PL":
            base = str(rng.randint(1, 9)) + _digits(rng, 8)
            chk = checksums.pl_nip_check(base)
            if chk is None:
                continue
            nip = base + chk
            dashed = f"PL {nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"
            return f"PL{nip}", rng.choice((f"PL{nip}", dashed))
        if country == "DE":
            base = str(rng.randint(1, 3)) + _digits(rng, 7)
            vat = f"DE{base}{checksums.de_vat_check(base)}"
            return vat, rng.choice((vat, f"DE {vat[2:5]} {vat[5:8]} {vat[8:]}"))
        if country == "SE":
            base = "55" + _digits(rng, 7)
            org = base + checksums.luhn_check(base)
            return f"SE{org}01", f"SE{org}01"
        if country == "GB":
            digits = _digits(rng, 9)
            if not checksums.gb_vat_valid(digits):
                continue
            spaced = f"GB {digits[:3]} {digits[3:7]} {digits[7:]}"
            return f"GB{digits}", rng.choice((f"GB{digits}", spaced))
        if country == "FR":
            siren = str(rng.randint(300000000, 899999999))
            key = (12 + 3 * (int(siren) % 97)) % 97
            vat = f"FR{key:02d}{siren}"
            return vat, rng.choice((vat, f"FR {key:02d} {siren}"))
        return None, None  # the US has no VAT id


def _iban(rng: random.Random, country: str) -> str | None:
    bban = {"FI": lambda: _digits(rng, 14), "EE": lambda: _digits(rng, 16),
            "PL": lambda: _digits(rng, 24), "DE": lambda: _digits(rng, 18),
            "SE": lambda: _digits(rng, 20), "FR": lambda: _digits(rng, 23),
            "GB": lambda: "NWBK" + _digits(rng, 14)}.get(country)
    if bban is None:
        return None
    body = bban()
    return f"{country}{iban_check_digits(country, body)}{body}"


def _reference(rng: random.Random, country: str) -> str | None:
    if country in ("FI", "EE"):
        base = str(rng.randint(1000, 99999999))
        return base + checksums.fi_reference_check(base)
    if country == "SE":
        base = str(rng.randint(100000, 9999999))
        return base + checksums.luhn_check(base)
    return None


def _party(rng: random.Random, locale: str, name: str) -> Party:
    tax_id, shown = _tax_id(rng, COUNTRY[locale])
    street, city = STREETS[locale]
    return Party(name, street, city, tax_id, shown)


def make_doc(rng: random.Random, layout: str, locale: str, serial: int) -> Doc:
    names = list(COMPANIES[locale])
    rng.shuffle(names)
    if layout == "wrapped":  # the long names, which must wrap
        names.sort(key=len, reverse=True)
    vendor = _party(rng, locale, names[0])
    buyer_locale = locale if rng.random() < 0.7 else rng.choice(LOCALES)
    buyer_name = names[1] if buyer_locale == locale else rng.choice(COMPANIES[buyer_locale])
    if buyer_name == vendor.name:
        buyer_name = names[1]
    buyer = _party(rng, buyer_locale, buyer_name)
    credit = rng.random() < 0.15
    rates = [Decimal(r) for r in RATES[locale]]
    several = len(rates) > 1 and (layout == "vatbreak" or rng.random() < 0.5)
    n_rows = rng.randint(26, 34) if layout == "twopage" else rng.randint(1, 6)
    rows = []
    for i in range(n_rows):
        desc = ITEMS[locale][i % len(ITEMS[locale])]
        if i >= len(ITEMS[locale]):
            desc = f"{desc} {i // len(ITEMS[locale]) + 1}"
        qty = Decimal(rng.choice(("1", "2", "3", "5", "10", "12", "0.5", "2.5", "24")))
        price = Decimal(rng.randint(150, 250000)) / 100
        rate = rng.choice(rates) if several else rates[0]
        rows.append(Row(desc, qty, price, (qty * price).quantize(CENT, ROUND_HALF_UP), rate))
    if rng.random() < 0.25 and layout != "twopage" and not credit:  # a discount line
        base = rows[0]
        off = -(base.amount * Decimal("0.1")).quantize(CENT, ROUND_HALF_UP)
        rows.append(Row(f"{WORDS[locale].discount} 10 %", Decimal(1), off, off, base.rate))
    if locale == "en-us":
        for r in rows:
            r.rate = None
    sign = Decimal(-1) if credit else Decimal(1)
    for r in rows:
        r.unit_price *= sign
        r.amount *= sign
    doc = Doc(layout, locale, _number(rng, locale, serial), date(2026, 1, 1), date(2026, 1, 1),
              vendor, buyer, CURRENCY[locale], rows, credit, _iban(rng, COUNTRY[locale]),
              _reference(rng, COUNTRY[locale]))
    doc.issued = date(2026, 1, 2) + timedelta(days=rng.randint(0, 330))
    doc.due = doc.issued + timedelta(days=rng.choice((7, 14, 21, 30, 45)))
    doc.net = sum((r.amount for r in rows), Decimal(0))
    if locale == "en-us":
        rate = rates[0]
        doc.tax = (doc.net * rate / 100).quantize(CENT, ROUND_HALF_UP)
        doc.per_rate = {rate: (doc.net, doc.tax)}
    else:
        for r in rows:
            assert r.rate is not None
            n, _ = doc.per_rate.get(r.rate, (Decimal(0), Decimal(0)))
            doc.per_rate[r.rate] = (n + r.amount, Decimal(0))
        doc.per_rate = {k: (n, (n * k / 100).quantize(CENT, ROUND_HALF_UP))
                        for k, (n, _) in sorted(doc.per_rate.items(), reverse=True)}
        doc.tax = sum((t for _, t in doc.per_rate.values()), Decimal(0))
    doc.total = doc.net + doc.tax
    if layout == "receipt":  # drawn in Courier: its Latin-1 spelling is what the page says
        for party in (doc.vendor, doc.buyer):
            party.name, party.street, party.city = (
                _ascii(party.name), _ascii(party.street), _ascii(party.city))
        for r in rows:
            r.description = _ascii(r.description)
    return doc


def _number(rng: random.Random, locale: str, serial: int) -> str:
    year = 2026
    return rng.choice({
        "fi": (f"{serial + 10230}", f"L-{year}-{serial:04d}"),
        "et": (f"{serial + 4400}", f"A-{serial:05d}"),
        "pl": (f"FV/{serial}/{year}", f"{serial}/03/{year}"),
        "en-gb": (f"INV-{serial + 1000}", f"TVS{serial:06d}"),
        "en-us": (f"{serial + 50000}", f"INV-{year}{serial:04d}"),
        "de": (f"RE-{year}-{serial:05d}", f"{year}{serial:04d}"),
        "sv": (f"{serial + 7100}", f"F{year}-{serial:03d}"),
        "fr": (f"FA{year}-{serial:04d}", f"F-{serial:06d}"),
    }[locale])


def truth(doc: Doc) -> dict[str, Any]:
    return {
        "invoice_number": doc.number, "issue_date": doc.issued.isoformat(),
        "due_date": doc.due.isoformat(), "vendor_name": doc.vendor.name,
        "vendor_tax_id": doc.vendor.tax_id, "buyer_name": doc.buyer.name,
        "buyer_tax_id": doc.buyer.tax_id, "currency": doc.currency,
        "net_amount": fmt_amount(doc.net), "tax_amount": fmt_amount(doc.tax),
        "total_amount": fmt_amount(doc.total), "iban": doc.iban,
        "payment_reference": doc.reference,
        "lines": [{"description": r.description, "quantity": fmt_number(r.quantity),
                   "unit_price": fmt_price(r.unit_price), "amount": fmt_amount(r.amount),
                   "tax_rate": fmt_number(r.rate)} for r in doc.rows],
    }


# --- how a locale prints ---------------------------------------------------------------------

def money(doc: Doc, value: Decimal, symbol: bool = False) -> str:
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups = f"{int(whole):,}"
    loc = doc.locale
    if loc in ("en-gb", "en-us"):
        text = f"{groups}.{cents}"
        return f"{sign}{SYMBOL[doc.currency]}{text}" if symbol else f"{sign}{text}"
    sep = "." if loc == "de" else " "
    text = f"{sign}{groups.replace(',', sep)},{cents}"
    return f"{text} {SYMBOL[doc.currency]}" if symbol else text


def qty_text(doc: Doc, value: Decimal) -> str:
    text = fmt_number(value) or ""
    return text if doc.locale.startswith("en") else text.replace(".", ",")


def price_text(doc: Doc, value: Decimal) -> str:
    return money(doc, value)


def rate_text(doc: Doc, value: Decimal | None) -> str:
    if value is None:
        return ""
    space = " " if doc.locale in ("fr", "de", "fi", "sv") else ""
    return f"{qty_text(doc, value)}{space}%"


def date_text(doc: Doc, d: date, variant: int) -> str:
    loc = doc.locale
    if loc == "fi":
        return f"{d.day}.{d.month}.{d.year}"
    if loc in ("et", "de"):
        if loc == "de" and variant % 3 == 2:
            return f"{d.day}. {MONTHS['de'][d.month - 1]} {d.year}"
        return f"{d:%d.%m.%Y}"
    if loc == "pl":
        return d.isoformat() if variant % 2 else f"{d:%d.%m.%Y}"
    if loc == "sv":
        return d.isoformat()
    if loc == "en-gb":
        return f"{d.day} {MONTHS['en'][d.month - 1]} {d.year}" if variant % 2 else f"{d:%d/%m/%Y}"
    if loc == "en-us":
        words = f"{MONTHS['en'][d.month - 1][:3]} {d.day}, {d.year}"
        return words if variant % 2 else f"{d:%m/%d/%Y}"
    return f"{d.day} {MONTHS['fr'][d.month - 1]} {d.year}" if variant % 2 else f"{d:%d/%m/%Y}"


# --- drawing ---------------------------------------------------------------------------------

def _party_lines(doc: Doc, p: Party, width: int | None = None) -> list[str]:
    w = WORDS[doc.locale]
    names = _wrap(p.name, width) if width else [p.name]
    out = [*names, p.street, p.city]
    if p.tax_id_text:
        out.append(f"{w.vat_id}: {p.tax_id_text}")
    return out


def _wrap(text: str, width: int) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for word in words:
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    lines.append(cur)
    return lines


def _title(doc: Doc) -> str:
    w = WORDS[doc.locale]
    return w.credit if doc.credit else w.title


def _meta(doc: Doc, variant: int) -> list[tuple[str, str]]:
    w = WORDS[doc.locale]
    out = [(w.number, doc.number), (w.date, date_text(doc, doc.issued, variant)),
           (w.due, date_text(doc, doc.due, variant))]
    if doc.reference:
        out.append((w.ref, doc.reference))
    return out


def _columns(doc: Doc, full: bool) -> list[tuple[int, float, bool]]:
    """(head index, x, right aligned) of the table's columns."""
    if full:
        return [(0, 15, False), (1, 24, False), (2, 112, True), (3, 116, False),
                (4, 150, True), (5, 168, True), (6, 195, True)]
    cols = [(1, 15, False), (2, 120, True), (4, 148, True)]
    if doc.locale != "en-us":
        cols.append((5, 166, True))
    cols.append((6, 195, True))
    return cols


def _row_cells(doc: Doc, i: int, r: Row) -> list[str]:
    return [f"{i + 1}", r.description, qty_text(doc, r.quantity), WORDS[doc.locale].unit,
            price_text(doc, r.unit_price), rate_text(doc, r.rate), money(doc, r.amount)]


def _table(pdf: FPDF, doc: Doc, y: float, rows: list[tuple[int, Row]], full: bool,
           ruled: bool = True) -> float:
    w = WORDS[doc.locale]
    cols = _columns(doc, full)
    if ruled:
        pdf.set_fill_color(225, 230, 240)
        pdf.rect(13, y - 4.5, 184, 6.5, style="F")
    for idx, x, right in cols:
        put(pdf, x, y, w.heads[idx], 8, bold=True, right=right)
    y += 7
    for i, r in rows:
        cells = _row_cells(doc, i, r)
        for idx, x, right in cols:
            put(pdf, x, y, cells[idx], 8.5, right=right)
        y += 5.5
    if ruled:
        pdf.line(13, y - 3, 197, y - 3)
    return y + 2


def _totals(pdf: FPDF, doc: Doc, y: float, x_label: float = 120, alt: bool = False) -> float:
    w = WORDS[doc.locale]
    rates = list(doc.per_rate.items())
    pairs = [(w.net, money(doc, doc.net))]
    for rate, (_, tax) in rates:
        label = f"{w.tax} {rate_text(doc, rate)}"
        pairs.append((label, money(doc, tax)))
    pairs.append((f"{TOTAL_ALT[doc.locale] if alt else w.total} {doc.currency}",
                  money(doc, doc.total, symbol=True)))
    for i, (label, value) in enumerate(pairs):
        bold = i == len(pairs) - 1
        put(pdf, x_label, y, label, 9, bold=bold)
        put(pdf, 195, y, value, 9, bold=bold, right=True)
        y += 5.5
    return y


def _payment(pdf: FPDF, doc: Doc, y: float, x: float = 15) -> float:
    w = WORDS[doc.locale]
    if doc.iban:
        put(pdf, x, y, f"{w.iban}: {_grouped(doc.iban)}", 8.5)
        y += 5
    elif doc.locale == "en-us":
        put(pdf, x, y, "Remit to: ACH routing 071000013, account 5550123488", 8.5)
        y += 5
    return y


def _grouped(text: str) -> str:
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def _block(pdf: FPDF, x: float, y: float, lines: list[str], size: float = 9,
           bold_first: bool = True, first_lines: int = 1) -> float:
    for i, text in enumerate(lines):
        put(pdf, x, y, text, size, bold=bold_first and i < first_lines)
        y += size * 0.5
    return y


def _kv(pdf: FPDF, x_label: float, x_value: float, y: float, pairs: list[tuple[str, str]],
        size: float = 9, right: bool = False) -> float:
    for label, value in pairs:
        put(pdf, x_label, y, label, size)
        put(pdf, x_value, y, value, size, right=right)
        y += size * 0.55
    return y


def draw_sidecol(pdf: FPDF, doc: Doc, v: int) -> None:
    w = WORDS[doc.locale]
    put(pdf, 15, 20, doc.vendor.name, 11, bold=True)
    put(pdf, 15, 26, f"{doc.vendor.street}, {doc.vendor.city}", 8)
    if doc.vendor.tax_id_text:
        put(pdf, 15, 30, f"{w.vat_id} {doc.vendor.tax_id_text}", 8)
    put(pdf, 195, 20, _title(doc), 16, bold=True, right=True)
    put(pdf, 15, 46, w.buyer, 8, bold=True)
    _block(pdf, 15, 52, _party_lines(doc, doc.buyer), 9.5)
    _kv(pdf, 125, 195, 52, _meta(doc, v), 9, right=True)
    y = _table(pdf, doc, 90, list(enumerate(doc.rows)), full=bool(v % 2))
    y = _totals(pdf, doc, y + 4, alt=bool(v % 3 == 1))
    _payment(pdf, doc, y + 8)


def draw_footer(pdf: FPDF, doc: Doc, v: int) -> None:
    w = WORDS[doc.locale]
    put(pdf, 195, 22, _title(doc), 20, bold=True, right=True)
    # the recipient in an envelope window, no label at all
    _block(pdf, 20, 50, _party_lines(doc, doc.buyer, width=34), 10,
           first_lines=len(_wrap(doc.buyer.name, 34)))
    _kv(pdf, 120, 160, 50, _meta(doc, v), 9)
    y = _table(pdf, doc, 95, list(enumerate(doc.rows)), full=bool(v % 2), ruled=False)
    _totals(pdf, doc, y + 4, alt=bool(v % 2))
    pdf.set_fill_color(240, 240, 240)
    pdf.rect(0, 270, 210, 27, style="F")
    put(pdf, 15, 276, doc.vendor.name, 7.5, bold=True)
    put(pdf, 15, 280, doc.vendor.street, 7)
    put(pdf, 15, 284, doc.vendor.city, 7)
    if doc.vendor.tax_id_text:
        put(pdf, 100, 276, f"{w.vat_id} {doc.vendor.tax_id_text}", 7)
    if doc.iban:
        put(pdf, 100, 280, f"{w.iban} {_grouped(doc.iban)}", 7)
    elif doc.locale == "en-us":
        put(pdf, 140, 276, "ACH 071000013 / 5550123488", 7)


def draw_sideband(pdf: FPDF, doc: Doc, v: int) -> None:
    w = WORDS[doc.locale]
    pdf.set_fill_color(30, 60, 110)
    pdf.rect(0, 0, 52, 297, style="F")
    pdf.set_text_color(255, 255, 255)
    y = _block(pdf, 6, 25, _wrap(doc.vendor.name, 20), 11, first_lines=3)
    y = _block(pdf, 6, y + 4, [doc.vendor.street, doc.vendor.city], 8, bold_first=False)
    if doc.vendor.tax_id_text:
        put(pdf, 6, y + 4, w.vat_id, 7)
        put(pdf, 6, y + 8, doc.vendor.tax_id_text, 8)
    if doc.iban:
        put(pdf, 6, y + 16, w.iban, 7)
        put(pdf, 6, y + 20, _grouped(doc.iban)[:20], 7.5)
        put(pdf, 6, y + 24, _grouped(doc.iban)[20:].strip(), 7.5)
    pdf.set_text_color(0, 0, 0)
    put(pdf, 60, 25, _title(doc), 18, bold=True)
    put(pdf, 60, 45, w.buyer, 8, bold=True)
    _block(pdf, 60, 51, _party_lines(doc, doc.buyer, width=30), 9,
           first_lines=len(_wrap(doc.buyer.name, 30)))
    _kv(pdf, 135, 170, 45, _meta(doc, v), 8.5)
    cols_rows = list(enumerate(doc.rows))
    ww = WORDS[doc.locale]
    y = 95
    xs = [(1, 60, False), (2, 128, True), (4, 148, True), (6, 198, True)]
    if doc.locale != "en-us":
        xs.insert(3, (5, 172, True))  # "Stawka VAT" needs room after the price
    for idx, x, right in xs:
        put(pdf, x, y, ww.heads[idx], 8, bold=True, right=right)
    y += 6
    for i, r in cols_rows:
        cells = _row_cells(doc, i, r)
        for idx, x, right in xs:
            put(pdf, x, y, cells[idx], 8.5, right=right)
        y += 5.5
    y += 4
    for label, value in [(w.net, money(doc, doc.net)), (w.tax, money(doc, doc.tax)),
                         (w.total, f"{money(doc, doc.total)} {doc.currency}")]:
        put(pdf, 130, y, label, 9, bold=label == w.total)
        put(pdf, 198, y, value, 9, bold=label == w.total, right=True)
        y += 5.5


def draw_vatbreak(pdf: FPDF, doc: Doc, v: int) -> None:
    w = WORDS[doc.locale]
    put(pdf, 15, 18, _title(doc), 14, bold=True)
    put(pdf, 195, 18, doc.vendor.name, 10, bold=True, right=True)
    put(pdf, 195, 23, f"{doc.vendor.street} · {doc.vendor.city}", 7.5, right=True)
    if doc.vendor.tax_id_text:
        put(pdf, 195, 27, f"{w.vat_id} {doc.vendor.tax_id_text}", 7.5, right=True)
    put(pdf, 15, 40, w.buyer, 8, bold=True)
    _block(pdf, 15, 45, _party_lines(doc, doc.buyer), 9)
    _kv(pdf, 15, 55, 75, _meta(doc, v), 8.5)
    y = _table(pdf, doc, 105, list(enumerate(doc.rows)), full=True)
    heads = w.rate_table
    xs = (100, 135, 165, 195)
    y += 4
    for text, x in zip(heads, xs, strict=True):
        put(pdf, x, y, text, 8, bold=True, right=True)
    y += 5
    for rate, (net, tax) in doc.per_rate.items():
        for text, x in zip((rate_text(doc, rate), money(doc, net), money(doc, tax),
                            money(doc, net + tax)), xs, strict=True):
            put(pdf, x, y, text, 8.5, right=True)
        y += 5
    pdf.line(80, y - 3, 197, y - 3)
    sums = (TOTAL_ALT[doc.locale], money(doc, doc.net), money(doc, doc.tax),
            money(doc, doc.total))
    for text, x in zip(sums,
                       xs, strict=True):
        put(pdf, x, y + 1, text, 8.5, bold=True, right=True)
    y += 10
    put(pdf, 120, y, f"{TOTAL_ALT[doc.locale]} ({doc.currency})", 10, bold=True)
    put(pdf, 195, y, money(doc, doc.total), 10, bold=True, right=True)
    _payment(pdf, doc, y + 10)


MONO = "Courier"


def _ascii(text: str) -> str:
    """The core Courier font is Latin-1 only: the few letters outside it are spelled plainly."""
    table = str.maketrans("łŁśŚżŻźŹćĆńŃąĄęĘœŒΣ·", "lLsSzZzZcCnNaAeEoOS-")
    return text.translate(table).encode("latin-1", "replace").decode("latin-1")


def draw_receipt(pdf: FPDF, doc: Doc, v: int) -> None:
    w = WORDS[doc.locale]
    width = 46

    def mono(y: float, text: str, bold: bool = False) -> None:
        pdf.set_font(MONO, "B" if bold else "", 9)
        pdf.text(55, y, _ascii(text))

    def lead(label: str, value: str) -> str:
        dots = max(2, width - len(label) - len(value) - 2)
        return f"{label} {'.' * dots} {value}"

    y = 20.0
    for text in _wrap(doc.vendor.name, width):
        mono(y, text.center(width), bold=True)
        y += 4.5
    for text in (doc.vendor.street, doc.vendor.city):
        mono(y, text.center(width))
        y += 4.5
    if doc.vendor.tax_id_text:
        mono(y, f"{w.vat_id} {doc.vendor.tax_id_text}".center(width))
        y += 4.5
    mono(y + 2, "=" * width)
    y += 8
    mono(y, _title(doc).center(width), bold=True)
    y += 6
    for label, value in _meta(doc, v):
        mono(y, lead(label, value))
        y += 4.5
    mono(y, lead(w.buyer, ""))
    y += 4.5
    for text in _party_lines(doc, doc.buyer)[:1] + _party_lines(doc, doc.buyer)[3:]:
        mono(y, f"  {text}")
        y += 4.5
    mono(y, "-" * width)
    y += 5
    for r in doc.rows:
        mono(y, r.description[:width])
        y += 4.5
        left = f"  {qty_text(doc, r.quantity)} x {price_text(doc, r.unit_price)}"
        if r.rate is not None:
            left += f"  {rate_text(doc, r.rate)}"
        mono(y, lead(left, money(doc, r.amount)))
        y += 5
    mono(y, "-" * width)
    y += 5
    mono(y, lead(w.net, money(doc, doc.net)))
    y += 4.5
    for rate, (_, tax) in doc.per_rate.items():
        mono(y, lead(f"{w.tax} {rate_text(doc, rate)}", money(doc, tax)))
        y += 4.5
    mono(y, lead(f"{w.total} {doc.currency}", money(doc, doc.total)), bold=True)
    y += 8
    if doc.iban:
        mono(y, f"{w.iban} {doc.iban}")


def draw_wrapped(pdf: FPDF, doc: Doc, v: int) -> None:
    w = WORDS[doc.locale]
    y = _block(pdf, 15, 18, _wrap(doc.vendor.name, 24), 13, first_lines=3)
    y = _block(pdf, 15, y + 1, [doc.vendor.street, doc.vendor.city], 8.5, bold_first=False)
    if doc.vendor.tax_id_text:
        put(pdf, 15, y, f"{w.vat_id}: {doc.vendor.tax_id_text}", 8.5)
    put(pdf, 195, 18, _title(doc), 16, bold=True, right=True)
    _kv(pdf, 130, 195, 28, _meta(doc, v), 8.5, right=True)
    put(pdf, 15, 58, w.buyer, 8, bold=True)
    lines = _party_lines(doc, doc.buyer, width=26)
    _block(pdf, 15, 64, lines, 9.5, first_lines=len(_wrap(doc.buyer.name, 26)))
    y = _table(pdf, doc, 100, list(enumerate(doc.rows)), full=bool(v % 2))
    y = _totals(pdf, doc, y + 4, alt=True)
    _payment(pdf, doc, y + 8)


def draw_slip(pdf: FPDF, doc: Doc, v: int) -> None:
    """The amount due first in a summary box, the table after it, a payment slip at the foot."""
    w = WORDS[doc.locale]
    put(pdf, 15, 20, doc.vendor.name, 12, bold=True)
    put(pdf, 15, 25, f"{doc.vendor.street}, {doc.vendor.city}", 8)
    put(pdf, 195, 20, _title(doc), 14, bold=True, right=True)
    put(pdf, 195, 26, f"{w.number} {doc.number}", 9, right=True)
    put(pdf, 15, 40, w.buyer, 8, bold=True)
    _block(pdf, 15, 45, _party_lines(doc, doc.buyer), 9)
    pdf.rect(120, 38, 75, 22)
    put(pdf, 124, 44, w.date, 8)
    put(pdf, 191, 44, date_text(doc, doc.issued, v), 8, right=True)
    put(pdf, 124, 50, w.due, 8)
    put(pdf, 191, 50, date_text(doc, doc.due, v), 8, right=True)
    put(pdf, 124, 57, w.total, 10, bold=True)
    put(pdf, 191, 57, money(doc, doc.total, symbol=True), 10, bold=True, right=True)
    y = _table(pdf, doc, 80, list(enumerate(doc.rows)), full=False)
    y = _totals(pdf, doc, y + 4)
    # the payment slip
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.line(0, 200, 210, 200)
    pdf.set_dash_pattern()
    slip = [(w.iban, _grouped(doc.iban) if doc.iban else "071000013 5550123488"),
            (w.seller, doc.vendor.name), (w.buyer, doc.buyer.name)]
    if doc.vendor.tax_id_text:
        slip.append((w.vat_id, doc.vendor.tax_id_text))
    if doc.reference:
        slip.append((w.ref, doc.reference))
    slip += [(w.due, date_text(doc, doc.due, v)), (doc.currency, money(doc, doc.total))]
    y = 210.0
    for label, value in slip:
        put(pdf, 15, y, label, 7)
        put(pdf, 55, y, value, 9)
        pdf.line(15, y + 2, 195, y + 2)
        y += 8


def draw_labelabove(pdf: FPDF, doc: Doc, v: int) -> None:
    w = WORDS[doc.locale]
    put(pdf, 15, 20, _title(doc), 22, bold=True)
    _block(pdf, 120, 16, _party_lines(doc, doc.vendor), 8.5)
    meta = _meta(doc, v)
    x = 15.0
    for label, value in meta:
        pdf.rect(x, 42, 44, 13)
        put(pdf, x + 2, 46, label, 7)
        put(pdf, x + 2, 52, value, 10, bold=True)
        x += 45
    put(pdf, 15, 66, w.buyer.upper(), 7.5, bold=True)
    _block(pdf, 15, 72, _party_lines(doc, doc.buyer), 9.5)
    y = _table(pdf, doc, 105, list(enumerate(doc.rows)), full=True)
    y = _totals(pdf, doc, y + 4)
    _payment(pdf, doc, y + 8)


def draw_twopage(pdf: FPDF, doc: Doc, v: int) -> None:
    w = WORDS[doc.locale]
    put(pdf, 15, 20, doc.vendor.name, 14, bold=True)
    put(pdf, 15, 25, f"{doc.vendor.street}, {doc.vendor.city}", 8)
    if doc.vendor.tax_id_text:
        put(pdf, 15, 29, f"{w.vat_id} {doc.vendor.tax_id_text}", 8)
    put(pdf, 195, 20, _title(doc), 16, bold=True, right=True)
    put(pdf, 15, 45, w.buyer, 8, bold=True)
    _block(pdf, 15, 50, _party_lines(doc, doc.buyer), 9)
    _kv(pdf, 125, 160, 45, _meta(doc, v), 8.5)
    rows = list(enumerate(doc.rows))
    first, rest = rows[:22], rows[22:]
    y = _table(pdf, doc, 85, first, full=True)
    carried = sum((r.amount for _, r in first), Decimal(0))
    put(pdf, 120, y + 2, w.carried, 8.5)
    put(pdf, 195, y + 2, money(doc, carried), 8.5, right=True)
    put(pdf, 105, 290, f"{w.page} 1/2", 7.5)
    pdf.add_page()
    put(pdf, 15, 15, f"{_title(doc)} {doc.number}", 9, bold=True)
    put(pdf, 120, 25, w.brought, 8.5)
    put(pdf, 195, 25, money(doc, carried), 8.5, right=True)
    y = _table(pdf, doc, 35, rest, full=True)
    y = _totals(pdf, doc, y + 4)
    _payment(pdf, doc, y + 8)
    put(pdf, 105, 290, f"{w.page} 2/2", 7.5)


DRAW = {"sidecol": draw_sidecol, "footer": draw_footer, "sideband": draw_sideband,
        "vatbreak": draw_vatbreak, "receipt": draw_receipt, "wrapped": draw_wrapped,
        "slip": draw_slip, "labelabove": draw_labelabove, "twopage": draw_twopage}


def write_independent(folder: Path, per_pair: int = 2, seed: int = 12,
                      layouts: tuple[str, ...] = LAYOUTS,
                      locales: tuple[str, ...] = LOCALES) -> dict[Path, dict[str, Any]]:
    """``per_pair`` invoices for every layout x locale; returns each PDF with its truth.
    The file name says its layout and locale (``indep-<layout>-<locale>-<n>.pdf``)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out: dict[Path, dict[str, Any]] = {}
    serial = 1
    for layout in layouts:
        for locale in locales:
            for k in range(per_pair):
                doc = make_doc(rng, layout, locale, serial)
                pdf = new_pdf()
                DRAW[layout](pdf, doc, serial + k)
                path = folder / f"indep-{layout}-{locale}-{k}.pdf"
                pdf.output(str(path))
                out[path] = truth(doc)
                serial += 1
    return out
