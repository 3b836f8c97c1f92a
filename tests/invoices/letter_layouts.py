"""Invoices set as business letters, drawn at random from what the letter standards allow
and what invoicing programs do with them: the test data for the window-envelope rules.

Written from the standards, not from the reader:
- DIN 5008 form A and B (address field 20 mm from the left, 27 mm (A) or 45 mm (B) from
  the top; its first 12.7 mm the 'Zusatz- und Vermerkzone' with the sender's return line in
  small type, then up to six address lines; the information block at 125 mm beside it, or
  the reference line (Bezugszeichenzeile) under it: labels above their values);
- ÖNORM A 1080 (the same window left, a little lower);
- SN 010130 (the window on the right: address at 118 mm);
- NF Z 10-011 (window on the right, about 100-110 mm; 'Paris, le ...' date line);
- UK and US business letters (window left, letterhead above, date line, inside address).

And the ways invoicing programs (Word/LibreOffice templates, GnuAccounting, lexoffice,
sevDesk, Billomat) vary them: the sender's block top right, top left or as a centred
letterhead, a letterhead that is only a logo (the sender then only in a three or four column
footer), no return line, a return line underlined or in another font, the recipient as a
company, a company with 'z. Hd. Herrn ...', 'Herrn' over a private person, a department, a
country line; the address block in another size than the body; a customer number line in the
information block; two-page letters; the VAT summary as rows ('zzgl. 19 % USt'), as a table
(Netto | USt % | USt | Brutto), or as labels in a column of their own.

Every letter's truth is exact (what the page prints). ``FAMILIES`` are the standards;
``HELD_OUT_FAMILY`` was chosen before any letter was drawn and is never looked at while
tuning the reader (``bench/letters.py`` reports it apart).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from fpdf import FPDF

from robots.invoices import checksums
from robots.invoices.fields import fmt_amount
from robots.invoices.sample_pdf import FONT, new_pdf
from tests.invoices.independent import _iban, _tax_id

FAMILIES = ("din_a", "din_b", "onorm", "sn", "nf", "uk", "us")
HELD_OUT_FAMILY = "sn"
CENT = Decimal("0.01")

# family -> language, country, currency, VAT rates, window (x, y of the first address line
# in mm), the return line's offset above the address
_FAMILY: dict[str, tuple[str, str, str, tuple[str, ...], tuple[float, float]]] = {
    "din_a": ("de", "DE", "EUR", ("19", "7"), (25.0, 42.0)),
    "din_b": ("de", "DE", "EUR", ("19", "7"), (25.0, 60.0)),
    "onorm": ("de", "AT", "EUR", ("20", "10"), (25.0, 55.0)),
    "sn": ("de", "CH", "CHF", ("8.1", "2.6"), (118.0, 55.0)),
    "nf": ("fr", "FR", "EUR", ("20", "5.5"), (110.0, 52.0)),
    "uk": ("en", "GB", "GBP", ("20", "5"), (22.0, 50.0)),
    "us": ("en", "US", "USD", ("8.875",), (24.0, 56.0)),
}

_COMPANIES = {
    "de": ["Müller Bau GmbH", "Schreinerei Albrecht e.K.", "Nordlicht Medien GmbH & Co. KG",
           "Kessler Haustechnik GmbH", "Brandt & Söhne OHG", "Rhein-Main Logistik AG",
           "Weber Elektro GmbH", "Alpenblick Hotel GmbH", "Sonnenhof Gärtnerei KG",
           "Grünwald Software UG", "Hofmann Druck GmbH", "Lindner Metallbau GmbH"],
    "fr": ["Boulangerie Martin SARL", "Atelier Dubois SAS", "Transports Leroy SA",
           "Imprimerie du Centre SARL", "Garnier Informatique SAS", "Moreau et Fils SARL"],
    "en": ["Hartley Engineering Ltd", "Blue Finch Design Ltd", "Oakridge Supplies Inc.",
           "Carter & Reed LLP", "Northwind Traders LLC", "Summit Office Corp."],
}
_PEOPLE = {"de": [("Herrn", "Jonas Albrecht"), ("Frau", "Sabine Keller"),
                  ("Herrn", "Thomas Weiß"), ("Frau", "Anna Lehmann")],
           "fr": [("Monsieur", "Pierre Lefèvre"), ("Madame", "Claire Fontaine")],
           "en": [("Mr", "James Whitaker"), ("Ms", "Emily Clarke"), ("Mrs", "Sarah Bennett")]}
_STREETS = {"DE": ["Lindenstraße 14", "Am Markt 3", "Industriestr. 27", "Hauptstraße 112a"],
            "AT": ["Mariahilfer Straße 45", "Landstraßer Hauptstr. 9", "Herrengasse 12"],
            "CH": ["Bahnhofstrasse 21", "Seestrasse 8", "Marktgasse 15"],
            "FR": ["12 rue de la Paix", "45 avenue Jean Jaurès", "3 place du Marché"],
            "GB": ["14 High Street", "2 Kings Road", "Unit 5, Mill Lane"],
            "US": ["1200 Market Street", "45 Elm Avenue, Suite 300", "780 Lake Drive"]}
_CITIES = {"DE": ["50674 Köln", "80333 München", "10115 Berlin", "63571 Gelnhausen"],
           "AT": ["1010 Wien", "8010 Graz", "4020 Linz"],
           "CH": ["8001 Zürich", "3011 Bern", "4051 Basel"],
           "FR": ["75002 Paris", "69003 Lyon", "33000 Bordeaux"],
           "GB": ["Leeds LS1 4AP", "London SW1A 1AA", "Bristol BS1 5TR"],
           "US": ["Seattle, WA 98109", "Austin, TX 78701", "Denver, CO 80202"]}
_COUNTRY_LINE = {"DE": "DEUTSCHLAND", "AT": "ÖSTERREICH", "CH": "SCHWEIZ", "FR": "FRANCE",
                 "GB": "UNITED KINGDOM", "US": "USA"}
_ITEMS = {"de": ["Beratung vor Ort", "Montagearbeiten", "Wartungspauschale", "Kabelkanal 2 m",
                 "Fachbuch Steuerrecht", "Softwarelizenz Jahresabo", "Anfahrt"],
          "fr": ["Conseil sur site", "Travaux de montage", "Forfait maintenance",
                 "Livre de référence", "Licence logicielle annuelle", "Déplacement"],
          "en": ["On-site consulting", "Installation work", "Maintenance package",
                 "Reference book", "Annual software licence", "Travel"]}
_WORDS: dict[str, dict[str, Any]] = {
    "de": {"title": "Rechnung", "number": "Rechnungsnummer", "date": "Datum",
           "customer": "Kundennummer", "your_ref": "Ihr Zeichen", "our_ref": "Unser Zeichen",
           "your_msg": "Ihre Nachricht vom", "subject": "Rechnung Nr.", "pos": "Pos.",
           "desc": "Bezeichnung", "qty": "Menge", "price": "Einzelpreis", "amount": "Gesamt",
           "net": "Nettobetrag", "plus": "zzgl. {r} % USt", "total": "Gesamtbetrag",
           "vat_heads": ("Netto", "USt %", "USt", "Brutto"), "vat_id": "USt-IdNr.",
           "greeting": "Sehr geehrte Damen und Herren,",
           "intro": "wir erlauben uns, Ihnen folgende Leistungen in Rechnung zu stellen:",
           "pay": "Zahlbar innerhalb von 14 Tagen ohne Abzug.", "bank": "Bankverbindung",
           "sum_total": "Rechnungsbetrag", "carried": "Übertrag", "page": "Seite"},
    "fr": {"title": "Facture", "number": "Facture n°", "date": "Date",
           "customer": "N° client", "your_ref": "Vos réf.", "our_ref": "Nos réf.",
           "your_msg": "Votre commande du", "subject": "Facture n°", "pos": "N°",
           "desc": "Désignation", "qty": "Qté", "price": "Prix unitaire HT",
           "amount": "Montant HT", "net": "Total HT", "plus": "TVA {r} %",
           "total": "Total TTC", "vat_heads": ("Base HT", "Taux", "TVA", "TTC"),
           "vat_id": "N° TVA", "greeting": "Madame, Monsieur,",
           "intro": "veuillez trouver ci-dessous le détail de notre facture :",
           "pay": "Paiement à 30 jours.", "bank": "Coordonnées bancaires",
           "sum_total": "Net à payer", "carried": "Report", "page": "Page"},
    "en": {"title": "Invoice", "number": "Invoice No.", "date": "Date",
           "customer": "Customer No.", "your_ref": "Your ref.", "our_ref": "Our ref.",
           "your_msg": "Your order of", "subject": "Invoice No.", "pos": "Item",
           "desc": "Description", "qty": "Qty", "price": "Unit price", "amount": "Amount",
           "net": "Subtotal", "plus": "VAT {r}%", "total": "Total",
           "vat_heads": ("Net", "VAT %", "VAT", "Gross"), "vat_id": "VAT No.",
           "greeting": "Dear Sir or Madam,",
           "intro": "Please find below our invoice for the following:",
           "pay": "Payment due within 30 days.", "bank": "Bank details",
           "sum_total": "Amount due", "carried": "Carried forward", "page": "Page"},
}
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


@dataclass
class Letter:
    family: str
    lang: str
    country: str
    currency: str
    vendor: str
    vendor_street: str
    vendor_city: str
    vendor_tax_id: str | None
    vendor_tax_text: str | None
    iban: str | None
    buyer: str  # the truth: the company, or the person without the title
    address: list[str]  # the address block as printed, top to bottom
    number: str
    issued: date
    rows: list[tuple[str, Decimal, Decimal, str]]  # description, qty, price, rate
    choices: dict[str, str] = field(default_factory=dict)

    def by_rate(self) -> dict[str, tuple[Decimal, Decimal]]:
        out: dict[str, tuple[Decimal, Decimal]] = {}
        for _, q, p, r in self.rows:
            base = out.get(r, (Decimal(0), Decimal(0)))[0] + (q * p).quantize(CENT)
            out[r] = (base, Decimal(0))
        return {r: (b, (b * Decimal(r) / 100).quantize(CENT, ROUND_HALF_UP))
                for r, (b, _) in out.items()}

    @property
    def net(self) -> Decimal:
        return sum((b for b, _ in self.by_rate().values()), Decimal(0))

    @property
    def tax(self) -> Decimal:
        return sum((t for _, t in self.by_rate().values()), Decimal(0))

    def truth(self) -> dict[str, Any]:
        return {"invoice_number": self.number, "issue_date": self.issued.isoformat(),
                "vendor_name": self.vendor, "buyer_name": self.buyer,
                "currency": self.currency, "net_amount": fmt_amount(self.net),
                "tax_amount": fmt_amount(self.tax),
                "total_amount": fmt_amount(self.net + self.tax)}


def make_letter(rng: random.Random, family: str, serial: int) -> Letter:
    lang, country, currency, rates, _ = _FAMILY[family]
    vendor, buyer_company = rng.sample(_COMPANIES[lang], 2)
    tax_id, tax_text = _tax_id(rng, country)
    if country == "AT":
        # a real UID carries its check digit: a made-up one would send every letter to review
        tax_text = "ATU" + "".join(rng.choice("0123456789") for _ in range(8))
        while not checksums.at_uid_valid(tax_text):
            tax_text = "ATU" + "".join(rng.choice("0123456789") for _ in range(8))
        tax_id = tax_text
    elif country == "CH":
        tax_id = None
        tax_text = f"CHE-{rng.randint(100, 999)}.{rng.randint(100, 999)}." \
                   f"{rng.randint(100, 999)} MWST"
    choices = {
        "recipient": rng.choice(("company", "company", "company_attn", "company_dept",
                                 "person", "firma_line", "person_company")),
        "country_line": rng.choice(("no", "no", "yes")),
        "endorsement": rng.choice(("no", "no", "no", "yes")),
    }
    title, person = rng.choice(_PEOPLE[lang])
    street, city = rng.choice(_STREETS[country]), rng.choice(_CITIES[country])
    kind = choices["recipient"]
    if kind == "person":
        address, buyer = [title, person] if rng.random() < 0.5 else [f"{title} {person}"], \
            person
    elif kind == "company_attn":
        attn = {"de": "z. Hd.", "fr": "À l'attention de", "en": "Attn:"}[lang]
        address, buyer = [buyer_company, f"{attn} {title} {person}"], buyer_company
    elif kind == "company_dept":
        dept = {"de": "Buchhaltung", "fr": "Service comptabilité",
                "en": "Accounts Payable"}[lang]
        address, buyer = [buyer_company, dept], buyer_company
    elif kind == "firma_line" and lang == "de":
        address, buyer = ["Firma", buyer_company], buyer_company
    elif kind == "person_company":
        address, buyer = [f"{title} {person}", buyer_company], buyer_company
    else:
        address, buyer = [buyer_company], buyer_company
    if choices["endorsement"] == "yes":
        address.insert(0, {"de": "Persönlich", "fr": "Confidentiel",
                           "en": "Private & Confidential"}[lang])
    address += [street, city]
    if choices["country_line"] == "yes":
        address.append(_COUNTRY_LINE[country])
    n_rows = rng.choice((1, 2, 3, 4, 6)) if rng.random() < 0.8 else rng.randint(24, 34)
    rows = [(rng.choice(_ITEMS[lang]) if i < 5 else f"{rng.choice(_ITEMS[lang])} {i + 1}",
             Decimal(rng.choice((1, 1, 2, 3, 5, 10, 12))),
             Decimal(rng.randint(500, 250000)) / 100, rng.choice(rates))
            for i in range(n_rows)]
    number = rng.choice((f"RE-2026-{serial:04d}", f"2026{serial:05d}", f"F{serial:06d}",
                         f"INV-{10000 + serial}"))
    issued = date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
    vstreet, vcity = rng.choice(_STREETS[country]), rng.choice(_CITIES[country])
    return Letter(family, lang, country, currency, vendor, vstreet, vcity, tax_id, tax_text,
                  _iban(rng, country) if country not in ("US", "CH") else None, buyer, address,
                  number, issued, rows, choices)


# --- how a language prints --------------------------------------------------------------------

def money(letter: Letter, value: Decimal) -> str:
    whole, cents = f"{abs(value):.2f}".split(".")
    groups = f"{int(whole):,}"
    sign = "-" if value < 0 else ""
    if letter.lang == "en" or letter.country == "CH":
        sep = "'" if letter.country == "CH" else ","
        return f"{sign}{groups.replace(',', sep)}.{cents}"
    sep = "." if letter.lang == "de" else " "
    return f"{sign}{groups.replace(',', sep)},{cents}"


def rate_text(letter: Letter, rate: str) -> str:
    return rate if letter.lang == "en" or letter.country == "CH" else rate.replace(".", ",")


def date_text(letter: Letter, d: date) -> str:
    if letter.lang == "de":
        return f"{d:%d.%m.%Y}"
    if letter.lang == "fr":
        return f"{d:%d/%m/%Y}"
    if letter.country == "US":
        return f"{_MONTHS_EN[d.month - 1]} {d.day}, {d.year}"
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


# --- drawing -------------------------------------------------------------------------------------

class Pen:
    """fpdf2 text with its baseline at y (mm), in the bundled font or a core one."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf

    def put(self, x: float, y: float, text: str, size: float = 10, bold: bool = False,
            right: bool = False, centre: bool = False, core: bool = False,
            underline: bool = False) -> float:
        if core:
            self.pdf.set_font("Helvetica", "B" if bold else "", size)
        else:
            self.pdf.set_font(FONT, "B" if bold else "", size)
        width = self.pdf.get_string_width(text)
        if right:
            x -= width
        elif centre:
            x -= width / 2
        self.pdf.text(x, y, text)
        if underline:
            self.pdf.set_line_width(0.2)
            self.pdf.line(x, y + 0.8, x + width, y + 0.8)
        return width


def draw_letter(letter: Letter, path: Path, rng: random.Random) -> None:
    pdf = new_pdf()
    pen = Pen(pdf)
    w = _WORDS[letter.lang]
    _, _, _, _, (ax, ay) = _FAMILY[letter.family]
    window_right = ax > 100
    ay += rng.uniform(-2, 2)
    c = letter.choices
    c["sender"] = rng.choice(("left", "centred", "logo") if window_right
                             else ("right", "right", "centred", "logo", "top_left"))
    c["return_line"] = rng.choice(("plain", "plain", "underlined", "core", "none"))
    c["info"] = rng.choice(("block", "block", "refline") if not window_right
                           else ("block_below", "refline"))
    c["totals"] = rng.choice(("rows", "vat_table", "label_column"))
    c["address_size"] = str(rng.choice((9, 10, 10, 11, 12)))
    footer_cols = c["sender"] == "logo" or rng.random() < 0.6
    c["footer"] = "columns" if footer_cols else "none"
    # how programs set the return line: its parts spread with tabs, starting at the window's
    # edge left of the address, nearly the address's size, right on top of the address
    c["return_set"] = rng.choice(("one", "one", "spread", "edge", "large", "tight"))
    # DIN 5008 form A with an empty endorsement zone: the address at the window's top
    c["address_top"] = rng.choice(("standard", "standard", "standard", "high"))
    c["tax_label"] = str(rng.randrange(7))
    c["currency_mark"] = rng.choice(("none", "none", "code", "symbol"))
    if c["address_top"] == "high":
        ay -= 10
    vendor_addr = f"{letter.vendor_street}, {letter.vendor_city}"

    # the letterhead
    if c["sender"] == "right":
        lines = [letter.vendor, letter.vendor_street, letter.vendor_city,
                 "Tel. +49 221 123456" if letter.lang == "de" else "Tel. 01234 567890"]
        for i, text in enumerate(lines):
            pen.put(195, 11 + i * 4.2, text, 12 if i == 0 else 8.5, bold=i == 0, right=True)
    elif c["sender"] == "centred":
        pen.put(105, 16, letter.vendor, 16, bold=True, centre=True)
        pen.put(105, 22, f"{letter.vendor_street} · {letter.vendor_city}", 9, centre=True)
    elif c["sender"] == "top_left" or c["sender"] == "left":
        pen.put(20, 16, letter.vendor, 14, bold=True)
        pen.put(20, 21, letter.vendor_street, 9)
        pen.put(20, 25.5, letter.vendor_city, 9)
    else:  # a logo only: a drawn mark, no text
        pdf.set_fill_color(40, 90, 160)
        pdf.rect(150, 10, 45, 18, style="F")
        pdf.set_fill_color(0, 0, 0)

    # the return line in the window's top
    size = float(c["address_size"])
    step = size * 0.45
    # a heading over the address ('Rechnungsanschrift', 'Empfänger'), as some templates
    # print when they are not made for a window envelope: the return line goes over it
    c["heading"] = rng.choice(("none",) * 5 + _HEADINGS[letter.lang])
    if c["return_line"] != "none":
        sep = rng.choice((" · ", " - ", " | ", ", "))
        parts = (letter.vendor, letter.vendor_street, letter.vendor_city)
        rsize = rng.choice((6, 6.5, 7, 7.5)) if c["return_set"] != "large" else size - 1
        rx = ax - 5 if c["return_set"] == "edge" else ax
        ry = ay - (size * 0.45 if c["return_set"] == "tight" else 9)
        ry -= step if c["heading"] != "none" else 0
        style = {"underline": c["return_line"] == "underlined",
                 "core": c["return_line"] == "core"}
        if c["return_set"] == "spread":
            for part in parts:
                rx += pen.put(rx, ry, part, rsize, **style) + 6
        else:
            pen.put(rx, ry, sep.join(parts), rsize, **style)
    # a template's fixed address fields: an empty field leaves its line blank; the name may
    # be set larger and bold
    c["address_blank"] = rng.choice(("none", "none", "none", "after_name", "two_after_name"))
    c["name_size"] = rng.choice(("same", "same", "same", "larger"))
    if c["heading"] != "none":
        pen.put(ax, ay - step, c["heading"], size - 1, bold=True)
    # the customer's number keyed over the window ('Kunde: K12345'), as some programs print
    c["customer_line"] = rng.choice(("none", "none", "none", "above"))
    customer_y = ay - 16 - (step if c["heading"] != "none" else 0)
    if c["customer_line"] == "above" and customer_y >= 30:  # below the letterhead
        key = {"de": "Kunde:", "fr": "Client :", "en": "Customer:"}[letter.lang]
        pen.put(ax, customer_y, f"{key} K{rng.randint(10000, 99999)}", 8)
    name_at = next(i for i, t in enumerate(letter.address)
                   if t == letter.buyer or letter.buyer in t)
    row = 0
    for i, text in enumerate(letter.address):
        larger = c["name_size"] == "larger" and i == name_at
        pen.put(ax, ay + row * step, text, size + 2 if larger else size, bold=larger)
        row += 1
        if i == name_at and c["address_blank"] != "none":
            row += 2 if c["address_blank"] == "two_after_name" else 1  # empty c/o, extra line
    address_bottom = ay + row * step

    # the information block or the reference line
    meta = [(w["customer"], f"K{rng.randint(10000, 99999)}"),
            (w["number"], letter.number), (w["date"], date_text(letter, letter.issued))]
    if rng.random() < 0.5:
        meta.insert(0, (w["your_ref"], rng.choice(("AB/12", "Bestellung 4711", "PO 88213"))))
    y = max(address_bottom, ay + 27) + 8
    if c["info"] == "block":
        for i, (label, value) in enumerate(meta):
            pen.put(125, ay - 8 + i * 4.6, label, 8)
            pen.put(160, ay - 8 + i * 4.6, value, 9)
    elif c["info"] == "block_below":
        for i, (label, value) in enumerate(meta):
            pen.put(20, y + i * 4.6, f"{label}: {value}", 9)
        y += len(meta) * 4.6 + 4
    else:
        x = 20.0
        for label, value in meta:
            pen.put(x, y, label, 7)
            pen.put(x, y + 4.5, value, 9)
            x += 44
        y += 12
    if letter.lang == "fr" and rng.random() < 0.5:
        pen.put(195, y - 2, f"Paris, le {date_text(letter, letter.issued)}", 9, right=True)
        y += 4
    pen.put(20, y + 4, f"{w['subject']} {letter.number}", 11, bold=True)
    y += 12
    pen.put(20, y, w["greeting"], 10)
    pen.put(20, y + 6, w["intro"], 10)
    y += 14
    y = _items(pen, letter, y, rng)
    y = _totals(pen, letter, y + 2, c)
    pen.put(20, y + 6, w["pay"], 9)
    if c["footer"] == "columns":
        _footer(pen, letter, vendor_addr)
    pdf.output(str(path))


def _items(pen: Pen, letter: Letter, y: float, rng: random.Random) -> float:
    w = _WORDS[letter.lang]
    heads = [(20, w["pos"], False), (32, w["desc"], False), (125, w["qty"], True),
             (160, w["price"], True), (195, w["amount"], True)]

    def header(y: float) -> float:
        for x, text, right in heads:
            pen.put(x, y, text, 8.5, bold=True, right=right)
        pen.pdf.line(20, y + 1.5, 195, y + 1.5)
        return y + 6

    y = header(y)
    running = Decimal(0)
    for i, (desc, qty, price, _rate) in enumerate(letter.rows):
        if y > 255:
            pen.put(195, y + 2, f"{w['carried']}: {money(letter, running)}", 9, right=True)
            pen.put(105, 290, f"{w['page']} 1/2", 8, centre=True)
            pen.pdf.add_page()
            y = header(25)
        amount = (qty * price).quantize(CENT)
        running += amount
        pen.put(20, y, str(i + 1), 9)
        pen.put(32, y, desc, 9)
        pen.put(125, y, str(qty), 9, right=True)
        pen.put(160, y, money(letter, price), 9, right=True)
        pen.put(195, y, money(letter, amount), 9, right=True)
        y += 5
    pen.pdf.line(20, y - 3, 195, y - 3)
    return y + 3


_TAX_LABELS = {
    "de": ("zzgl. {r} % USt", "{r} % USt", "MwSt. {r} %", "Umsatzsteuer {r} %",
           "USt {r} % auf {b}", "+ {r} % MwSt.", "Steuer {r} %"),
    "fr": ("TVA {r} %", "TVA ({r} %)", "Montant TVA {r} %", "TVA {r} % sur {b}", "TVA à {r} %",
           "T.V.A. {r} %", "Taxe {r} %"),
    "en": ("VAT {r}%", "VAT @ {r}%", "Plus VAT {r}%", "VAT {r}% on {b}", "Tax ({r}%)",
           "VAT at {r}%", "{r}%"),
}
_HEADINGS = {"de": ("Rechnungsanschrift", "Empfänger", "Anschrift", "Rechnungsempfänger:"),
             "fr": ("Destinataire", "Adresse de facturation", "Client :"),
             "en": ("To:", "Invoice address", "Bill to")}
_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF"}


def _totals(pen: Pen, letter: Letter, y: float, c: dict[str, str]) -> float:
    w = _WORDS[letter.lang]
    style = c["totals"]
    rates = letter.by_rate()
    cur = letter.currency
    mark = {"none": "", "code": f" {cur}", "symbol": f" {_SYMBOLS[cur]}"}[c["currency_mark"]]
    if y > 240:
        pen.pdf.add_page()
        y = 30
    if style == "vat_table":
        heads = w["vat_heads"]
        xs = (120, 140, 165, 195)
        for x, text in zip(xs, heads, strict=True):
            pen.put(x, y, text, 8.5, bold=True, right=True)
        y += 5
        for rate, (base, tax) in rates.items():
            cells = (money(letter, base), f"{rate_text(letter, rate)} %", money(letter, tax),
                     money(letter, base + tax))
            for x, text in zip(xs, cells, strict=True):
                pen.put(x, y, text, 9, right=True)
            y += 5
        pen.put(120, y + 2, f"{w['sum_total']} {cur}", 10, bold=True)
        pen.put(195, y + 2, money(letter, letter.net + letter.tax), 10, bold=True, right=True)
        return y + 8
    tax_label = _TAX_LABELS[letter.lang][int(c["tax_label"])]
    rows = [(w["net"], money(letter, letter.net) + mark)]
    rows += [(tax_label.format(r=rate_text(letter, rate), b=money(letter, base)),
              money(letter, tax) + mark) for rate, (base, tax) in rates.items()]
    rows.append((f"{w['total']} {cur}" if not mark else w["total"],
                 money(letter, letter.net + letter.tax) + mark))
    label_x = 120 if style == "rows" else 150
    for i, (label, value) in enumerate(rows):
        last = i == len(rows) - 1
        if style == "label_column":
            pen.put(label_x, y, label, 9, bold=last, right=True)
        else:
            pen.put(label_x, y, label, 9, bold=last)
        pen.put(195, y, value, 9, bold=last, right=True)
        y += 5
    return y + 2


def _footer(pen: Pen, letter: Letter, vendor_addr: str) -> None:
    w = _WORDS[letter.lang]
    y0 = 275.0
    pen.pdf.line(20, y0 - 4, 195, y0 - 4)
    cols: list[list[str]] = [[letter.vendor, letter.vendor_street, letter.vendor_city]]
    if letter.iban:
        iban = " ".join(letter.iban[i:i + 4] for i in range(0, len(letter.iban), 4))
        cols.append([w["bank"], f"IBAN {iban}", "BIC ABCDDEFFXXX"])
    if letter.vendor_tax_text:
        cols.append([f"{w['vat_id']} {letter.vendor_tax_text}", "Amtsgericht Köln HRB 12345"
                     if letter.lang == "de" else "RCS 123 456 789"])
    cols.append(["Tel. 0221 555 01", "info@example.com"])
    width = 175 / len(cols)
    for i, col in enumerate(cols):
        for j, text in enumerate(col):
            pen.put(20 + i * width, y0 + j * 3.6, text, 6.5)


def draw_letters(folder: Path, n: int, seed: int = 5008,
                 families: tuple[str, ...] = FAMILIES) -> dict[Path, Letter]:
    """``n`` letters per family, deterministic for ``seed``: path -> the letter drawn there
    (its ``truth()`` and the random ``choices`` its layout was drawn with)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[Path, Letter] = {}
    for family in families:
        rng = random.Random(f"{seed}-{family}")
        for i in range(n):
            letter = make_letter(rng, family, i + 1)
            path = folder / f"letter-{family}-{i:03d}.pdf"
            draw_letter(letter, path, rng)
            out[path] = letter
    return out


def write_letters(folder: Path, n: int, seed: int = 5008,
                  families: tuple[str, ...] = FAMILIES) -> dict[Path, dict[str, Any]]:
    """``n`` letters per family: path -> truth."""
    return {p: letter.truth() for p, letter in draw_letters(folder, n, seed, families).items()}
