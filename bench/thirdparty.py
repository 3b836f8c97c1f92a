"""Invoice PDFs laid out by other people's invoicing programs, with exact truth.

    .venv/bin/python bench/thirdparty.py --install            # once: pinned, into the cache
    .venv/bin/python bench/thirdparty.py [--n 8] [--seed 7] [--out DIR] [--only NAME]

Our own generators (``robots/invoices/samples.py``, ``tests/invoices/independent.py``) are
written by us; the programs here are not: their templates decide where the seller and the
buyer sit, which columns the table has and how the totals read. They are installed (only with
``--install``) into a cache outside the repository, pinned to exact versions: Python packages
with ``pip --target``, npm packages under an npm prefix. Nothing is fetched at render time.
Two programs are TeX (facturization's template needs texlive-latex-extra and cm-super too);
one is KOMA-Script's ``scrlttr2`` letter class, from Debian's texlive packages
(``--install`` runs apt-get for them, as root, only when ``pdflatex`` is missing; ``make
setup`` never does: it is a bench-only dependency).

Each program renders invoices from seeded random data (locales, currencies, 1-8 lines, VAT
rates, companies with legal suffixes and persons as buyers) through its own template, never
restyled. The truth is in the field contract of ``robots.invoices.fields`` and holds only
the fields the page prints, computed the way the program computes them (its rounding
included). Every truth value is checked against the page's text (pdfplumber): a value the
page does not show stops the run, since it would be a bug in the truth, not in the reader.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pdfplumber  # noqa: E402

from backoffice.locale.checkdigits import iban_check_digits  # noqa: E402
from robots.invoices.fields import fmt_amount, fmt_number, fmt_price  # noqa: E402
from robots.invoices.scoring import (  # noqa: E402
    LineMatch,
    amount_shown,
    date_shown,
    exact_line,
    loose_line,
)
from tests.invoices.independent import _iban, _tax_id  # noqa: E402

CACHE = Path.home() / ".cache" / "backoffice-bots" / "thirdparty"
HERE = Path(__file__).resolve().parent / "thirdparty"
INSTALL_HINT = ".venv/bin/python bench/thirdparty.py --install"
# scrlttr2's TeX, from Debian: the class (koma-script), babel ngerman/french, Latin Modern
# (T1 fonts whose umlauts and accents come out of the PDF as text). A bench-only dependency:
# installed by ``--install`` when pdflatex is missing, never by ``make setup``.
# facturization's template needs enumitem (texlive-latex-extra) and, since it sets T1 text
# in Computer Modern, cm-super's Type 1 fonts (every size: cm-super-minimal has 10 pt only;
# the template's table is \small): without them pdflatex embeds bitmap fonts
# whose text no PDF reader can get back (accents and ligatures as '(cid:28)').
TEX_PACKAGES = ("texlive-latex-recommended", "texlive-lang-german", "texlive-lang-french",
                "lmodern", "texlive-latex-extra", "cm-super")
FACTURIZATION_TEX = ("enumitem.sty", "sfrm0900.pfb")
TEX_HINT = (f"pdflatex (scrlttr2) is missing; run {INSTALL_HINT} as root, or apt-get install "
            f"-y --no-install-recommends {' '.join(TEX_PACKAGES)}")
CENT = Decimal("0.01")

# Exact versions, transitive Python dependencies included (pip --target resolves nothing later).
PY_PINS = {"InvoiceGenerator": "1.2.0", "pyinvoice": "0.1.7", "arca-factura-pdf": "0.1.0",
           "reportlab": "5.1.0", "babel": "2.19.0", "qrplatba": "1.2.0", "qrcode": "8.2",
           "pillow": "13.0.0", "fpdf2": "2.8.9", "pydantic": "2.14.4", "fonttools": "4.68.0",
           "defusedxml": "0.7.1", "dinbrief": "0.5.2", "Django": "5.2.19", "asgiref": "3.13.0",
           "sqlparse": "0.6.1", "facturization": "0.1.1", "jinja2": "3.1.6",
           "markupsafe": "3.0.4", "pyyaml": "6.0.4", "billwright": "0.4.0", "weasyprint": "70.0",
           "pydyf": "0.13.0", "tinycss2": "1.5.1", "cssselect2": "0.10.1", "tinyhtml5": "2.1.0",
           "webencodings": "0.6.1", "pyphen": "0.18.1", "brotli": "1.2.1", "zopfli": "0.4.3",
           "cffi": "2.1.1", "pycparser": "3.12", "qrbill": "1.2.0", "svgwrite": "1.4.3",
           "python-stdnum": "2.2", "iso3166": "3.0.0", "annotated-types": "0.8.0",
           "pydantic-core": "2.50.5", "typing-extensions": "4.16.0",
           "typing-inspection": "0.4.5", "charset-normalizer": "3.5.3"}
NPM_PINS = {"microinvoice": "1.0.6", "jspdf-invoice-template-nodejs": "1.4.40",
            "@h1dd3nsn1p3r/pdf-invoice": "1.0.12"}


# --- random invoice data ---------------------------------------------------------------------

@dataclass(frozen=True)
class Locale:
    country: str
    currency: str
    rates: tuple[str, ...]
    companies: tuple[str, ...]
    persons: tuple[str, ...]
    streets: tuple[tuple[str, str], ...]
    items: tuple[str, ...]


LOCALES = {
    "en-gb": Locale("GB", "GBP", ("20", "5", "0"),
                    ("Kestrel Joinery Ltd", "Marsh & Webb Surveyors LLP",
                     "Northgate Fleet Services Limited", "Oakfield Garden Centre Ltd"),
                    ("Oliver Bennett", "Priya Shah", "Hannah O'Neill"),
                    (("7 Church Street", "York YO1 8BE"), ("Unit 4, Quay Road", "Bristol BS1 6QE")),
                    ("Annual boiler service", "Oak worktop 3 m", "Van hire, day",
                     "Survey report", "Fence panels 6x5 ft", "Call-out fee", "Paint, 5 l tin")),
    "en-us": Locale("US", "USD", ("7", "0"),
                    ("Cedar Creek Landscaping LLC", "Pioneer Data Systems Inc.",
                     "Redwood Medical Supply Corp.", "Blue Heron Events Co."),
                    ("Emily Carter", "Marcus Johnson", "Sofia Ramirez"),
                    (("410 Elm Street", "Denver, CO 80203"), ("88 Harbor Blvd", "Tampa, FL 33602")),
                    ("Website hosting, annual", "Lawn mowing", "Mulch, cubic yard",
                     "Network switch 24-port", "On-site support, hour", "Banquet chairs rental",
                     "Shipping & handling")),
    "de": Locale("DE", "EUR", ("19", "7"),
                 ("Rheinland Dachtechnik GmbH", "Müller & Söhne Metallbau KG",
                  "Brandt Elektroinstallation e.K.", "Nordlicht Medien UG (haftungsbeschränkt)"),
                 ("Jürgen Weiß", "Anna Schäfer", "Lukas Becker"),
                 (("Lindenstraße 14", "50674 Köln"), ("Am Hafen 3", "20457 Hamburg")),
                 ("Dachrinne Zink 6 m", "Montage, Stunde", "Fahrtkosten", "Schrauben 6x60",
                    "Wartungsvertrag", "Kabel NYM 3x1,5", "Gerüststellung")),
    "fr": Locale("FR", "EUR", ("20", "10", "5.5"),
                 ("Boulangerie Martin SARL", "Transports Girard SAS",
                  "Cabinet Lefort & Associés", "Électricité Moreau EURL"),
                 ("Camille Dubois", "Hugo Lambert", "Léa Fontaine"),
                 (("8 rue Victor Hugo", "33000 Bordeaux"),
                  ("21 avenue Jean Jaurès", "31000 Toulouse")),
                 ("Forfait déplacement", "Prise murale", "Heure de main d'œuvre",
                  "Câble 2,5 mm², 50 m", "Livraison", "Entretien annuel", "Tableau électrique")),
    "cs": Locale("CZ", "CZK", ("21", "12"),
                 ("Stavebniny Novák s.r.o.", "Pekárna U Mlýna, spol. s r.o.",
                  "Elektro Dvořák a.s.", "Truhlářství Horák v.o.s."),
                 ("Jana Nováková", "Petr Svoboda", "Tomáš Procházka"),
                 (("Masarykova 12", "602 00 Brno"), ("Náměstí Míru 5", "120 00 Praha 2")),
                 ("Montáž kuchyňské linky", "Doprava", "Cement 25 kg", "Práce technika, hod.",
                  "Dlažba 30x30", "Revize elektro", "Lepidlo na obklady")),
    "fi": Locale("FI", "EUR", ("25.5", "14", "10"),
                 ("Järvisen Rakennus Oy", "Koskelan Kuljetus Ky", "Pohjolan Puutarha Oy"),
                 ("Aino Virtanen", "Mikko Laine"),
                 (("Kauppakatu 9", "40100 Jyväskylä"), ("Rantatie 2", "20100 Turku")),
                 ("Asennus, tunti", "Pihakivet, lava", "Rahti", "Huoltosopimus",
                  "Kaapeli 10 m", "Suunnittelu")),
    "es-ar": Locale("AR", "ARS", ("21", "10.5", "27"),
                    ("Distribuidora del Litoral S.R.L.", "Metalúrgica Patagonia S.A.",
                     "Servicios Informáticos Andinos S.A.S.", "Panificadora La Espiga S.R.L."),
                    ("María Fernández", "Santiago Gómez", "Lucía Martínez"),
                    (("Av. Corrientes 1234, Piso 3", "C1043AAZ CABA"),
                     ("Bv. Oroño 850", "S2000 Rosario, Santa Fe")),
                    ("Resma A4 75 g", "Soporte técnico, hora", "Flete", "Harina 000 x 25 kg",
                     "Cable UTP Cat6, caja", "Mantenimiento mensual", "Yerba mate 1 kg")),
    "de-ch": Locale("CH", "CHF", ("8.1",),
                    ("Alpenblick Treuhand AG", "Berner Holzbau GmbH", "Limmat Informatik AG",
                     "Zürcher Velowerkstatt GmbH"),
                    ("Martina Keller", "Reto Brunner", "Sandra Meier"),
                    (("Bahnhofstrasse 12", "8001 Zürich"), ("Marktgasse 5", "3011 Bern"),
                     ("Aeschenvorstadt 48", "4051 Basel")),
                    ("Beratung", "Software-Wartung", "Spesenpauschale", "Holzarbeiten",
                     "Montage vor Ort", "Projektleitung", "Schulung")),
}


@dataclass(frozen=True)
class Party:
    name: str
    street: str
    city: str
    country: str
    tax_id: str | None  # compact, as the truth holds it
    tax_id_text: str | None  # as the page prints it
    person: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "street": self.street, "city": self.city,
                "country": self.country, "tax_id": self.tax_id_text, "person": self.person}


@dataclass(frozen=True)
class Row:
    description: str
    quantity: Decimal
    unit_price: Decimal
    rate: Decimal

    @property
    def net(self) -> Decimal:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class Spec:
    """One invoice to render: what a user types into an invoicing program."""

    locale: str
    number: str
    issued: date
    due: date
    currency: str
    vendor: Party
    buyer: Party
    rows: tuple[Row, ...]
    iban: str | None
    reference: str | None

    def to_json(self) -> dict[str, Any]:
        return {"locale": self.locale, "number": self.number, "issued": self.issued.isoformat(),
                "due": self.due.isoformat(), "currency": self.currency,
                "vendor": self.vendor.to_json(), "buyer": self.buyer.to_json(),
                "iban": self.iban, "reference": self.reference,
                "rows": [{"description": r.description, "quantity": str(r.quantity),
                          "unit_price": str(r.unit_price), "rate": str(r.rate)}
                         for r in self.rows]}


def _cz_ico(rng: random.Random) -> str:
    """A Czech company id (IČO) with its mod-11 check digit; the VAT id is CZ + IČO."""
    base = "".join(rng.choice("0123456789") for _ in range(7))
    weighted = sum(int(d) * w for d, w in zip(base, range(8, 1, -1), strict=True))
    return base + str((11 - weighted % 11) % 10)


def _ar_cuit(rng: random.Random, prefix: str) -> str:
    """An Argentine CUIT: prefix, 8 digits and the mod-11 check digit (10 has none: redrawn)."""
    while True:
        base = prefix + "".join(rng.choice("0123456789") for _ in range(8))
        weighted = sum(int(d) * w for d, w in zip(base, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2),
                                                   strict=True))
        check = (11 - weighted % 11) % 11
        if check < 10:
            return base + str(check)


def _ch_uid(rng: random.Random) -> str:
    """A Swiss UID (CHE + 8 digits + the mod-11 check digit; 10 is never issued)."""
    while True:
        base = "".join(rng.choice("0123456789") for _ in range(8))
        check = (11 - sum(int(d) * w for d, w in zip(base, (5, 4, 3, 2, 7, 6, 5, 4),
                                                      strict=True)) % 11) % 11
        if check < 10:
            return f"CHE{base}{check}"


def _party(rng: random.Random, loc: Locale, person: bool, avoid: str = "") -> Party:
    street, city = rng.choice([s for s in loc.streets if s[0] != avoid])
    if person:
        return Party(rng.choice(loc.persons), street, city, loc.country, None, None, True)
    if loc.country == "AR":
        cuit = _ar_cuit(rng, "30")
        return Party(rng.choice(loc.companies), street, city, loc.country, cuit, cuit)
    if loc.country == "CH":  # the VAT number is the UID with 'MWST'
        uid = _ch_uid(rng)
        return Party(rng.choice(loc.companies), street, city, loc.country, f"{uid}MWST",
                     f"{uid[:3]}-{uid[3:6]}.{uid[6:9]}.{uid[9:]} MWST")
    if loc.country == "CZ":
        ico = _cz_ico(rng)
        vat: str | None = f"CZ{ico}"
        text = vat
    else:
        vat, text = _tax_id(rng, loc.country)
    return Party(rng.choice(loc.companies), street, city, loc.country, vat, text)


def _iban_for(rng: random.Random, country: str) -> str | None:
    if country == "CH":  # a bank's clearing number (never a QR-IID, 30000-31999) + account
        body = rng.choice(("00762", "00700", "08390", "09000")) + "".join(
            rng.choice("0123456789") for _ in range(12))
        return f"CH{iban_check_digits('CH', body)}{body}"
    if country == "CZ":
        body = "".join(rng.choice("0123456789") for _ in range(20))
        return f"CZ{iban_check_digits('CZ', body)}{body}"
    return _iban(rng, country)


def make_spec(rng: random.Random, locale: str, serial: int, *, integer_rates: bool = False,
              one_rate: bool = False, integer_quantities: bool = False) -> Spec:
    """Random invoice data; the flags bend it to what a program can print (``integer_rates``
    for a template printing '%.0f %%', ``one_rate`` for one tax rate per invoice,
    ``integer_quantities`` for a program that keeps whole units only)."""
    loc = LOCALES[locale]
    rates = [Decimal(r) for r in loc.rates if not integer_rates or Decimal(r) == int(Decimal(r))]
    if one_rate:
        rates = [rng.choice(rates)]
    vendor = _party(rng, loc, person=False)
    buyer = _party(rng, loc, person=rng.random() < 0.3, avoid=vendor.street)
    while buyer.name == vendor.name:
        buyer = _party(rng, loc, person=False, avoid=vendor.street)
    rows = []
    for description in rng.sample(loc.items, rng.randint(1, min(8, len(loc.items)))):
        half = not integer_quantities and rng.random() < 0.2
        quantity = Decimal(rng.randint(1, 12)) + (Decimal("0.5") if half else 0)
        cents = rng.randint(150, 250000)
        if half and cents % 2:  # a half unit of an odd cent price would need a third decimal
            cents += 1
        rows.append(Row(description, quantity, (Decimal(cents) / 100).quantize(CENT),
                        rng.choice(rates)))
    issued = date(2026, 1, 1) + timedelta(days=rng.randint(0, 330))
    number = rng.choice((f"{issued.year}-{serial:04d}", f"INV{rng.randint(10000, 99999)}",
                         f"{issued.year}{serial:05d}"))
    reference = str(rng.randint(10000000, 99999999)) if loc.country == "CZ" else None
    return Spec(locale, number, issued, issued + timedelta(days=rng.choice((14, 30))),
                loc.currency, vendor, buyer, tuple(rows), _iban_for(rng, loc.country), reference)


def q(value: Decimal, rounding: str) -> Decimal:
    return value.quantize(CENT, rounding)


def line_truth(r: Row, amount: Decimal) -> dict[str, Any]:
    return {"description": r.description, "quantity": fmt_number(r.quantity),
            "unit_price": fmt_price(r.unit_price), "amount": fmt_amount(amount),
            "tax_rate": fmt_number(r.rate)}


def per_rate(rows: tuple[Row, ...]) -> dict[Decimal, Decimal]:
    """Net per tax rate, in the order the rates first appear."""
    out: dict[Decimal, Decimal] = {}
    for r in rows:
        out[r.rate] = out.get(r.rate, Decimal(0)) + r.net
    return out


# --- checking the truth against the page -----------------------------------------------------

SYMBOLS = {"EUR": ("€",), "GBP": ("£",), "USD": ("$", "US$"), "CZK": ("Kč",), "ARS": ("$",)}


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def page_text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    # babel groups with no-break spaces and writes whole Czech crowns as ',-'
    return re.sub(r",-(?!\d)", ",00", text.replace("\u00a0", " ").replace("\u202f", " "))


def _spread_in(needle: str, hay: str) -> bool:
    """``needle`` in ``hay`` with other text between its parts (a table cell wrapped over
    two lines has the next cells of its row in between)."""
    start = hay.find(needle[:6])
    while start >= 0:
        at, window = start, hay[start:start + 4 * len(needle) + 40]
        pos = 0
        for ch in needle:
            pos = window.find(ch, pos) + 1
            if not pos:
                break
        else:
            return True
        start = hay.find(needle[:6], at + 1)
    return False


def unseen(truth: Mapping[str, Any], text: str, dates: Mapping[str, str]) -> list[str]:
    """The truth fields the page text does not show (``dates``: how the program printed
    each ISO date, when it prints them in a form ``date_shown`` does not know)."""
    compact = _compact(text)
    missing = []
    for name, value in truth.items():
        if name in ("net_amount", "tax_amount", "total_amount"):
            shown = amount_shown(value, text)
        elif name in ("issue_date", "due_date"):
            shown = date_shown(value, text) or _compact(dates.get(value, "\0")) in compact
        elif name in ("vendor_name", "buyer_name"):  # a name may wrap beside another column
            shown = _spread_in(_compact(value), compact)
        elif name == "currency":
            shown = any(s.casefold() in compact for s in (value, *SYMBOLS.get(value, ())))
        elif name == "lines":  # a wrapped cell may break a word with a hyphen
            shown = all(_spread_in(_compact(ln["description"]).replace("-", ""),
                                   compact.replace("-", ""))
                        and amount_shown(ln["amount"], text)
                        and amount_shown(ln["unit_price"], text) for ln in value)
        elif name in ("vendor_tax_id", "buyer_tax_id"):  # printed with dashes or dots
            shown = re.sub(r"[-./]", "", _compact(value)) in re.sub(r"[-./]", "", compact)
        else:
            shown = _compact(str(value)) in compact
        if not shown:
            missing.append(name)
    return missing


# --- the programs ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Generator:
    """One third-party program: how to render a batch of specs and what its pages show.

    ``render`` writes the PDFs and returns, per PDF, what the program reports back (the
    strings it printed where we cannot know them in advance); ``truth`` builds the truth of
    one PDF from its spec and that report."""

    name: str
    package: str
    version: str
    licence: str
    locales: tuple[str, ...]
    spec: Callable[[random.Random, str, int], Spec]
    ready: Callable[[Path], bool]
    render: Callable[[Path, list[tuple[Spec, Path]]], list[dict[str, Any]]]
    truth: Callable[[Spec, Mapping[str, Any]], dict[str, Any]]
    line_match: LineMatch  # loose_line where the page prints no rate per line
    hint: str = INSTALL_HINT  # what to run when it is not installed


def _run_json(cmd: list[str], jobs: list[dict[str, Any]], env: dict[str, str]) -> Any:
    done = subprocess.run(cmd, input=json.dumps(jobs), capture_output=True, text=True,
                          env=env, check=False, timeout=600)
    if done.returncode:
        raise RuntimeError(f"{cmd[0]} {cmd[1]} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def _python_render(script: str, job: Callable[[Spec], dict[str, Any]] = Spec.to_json
                   ) -> Callable[[Path, list[tuple[Spec, Path]]], list[dict]]:
    def render(cache: Path, batch: list[tuple[Spec, Path]]) -> list[dict[str, Any]]:
        jobs = [{**job(s), "path": str(p)} for s, p in batch]
        env = {"PYTHONPATH": str(cache / "python"), "PATH": "/usr/bin:/bin",
               "HOME": str(Path.home())}
        return list(_run_json([sys.executable, str(HERE / script)], jobs, env))
    return render


def _node_render(script: str, job: Callable[[Spec], dict[str, Any]]
                 ) -> Callable[[Path, list[tuple[Spec, Path]]], list[dict]]:
    def render(cache: Path, batch: list[tuple[Spec, Path]]) -> list[dict[str, Any]]:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is not on PATH")
        jobs = [{**job(s), "path": str(p)} for s, p in batch]
        env = {"NODE_PATH": str(cache / "node" / "node_modules"), "PATH": "/usr/bin:/bin",
               "HOME": str(Path.home())}
        return list(_run_json([node, str(HERE / script)], jobs, env))
    return render


# InvoiceGenerator (PyPI, BSD): a Czech/English reportlab template; babel formats the money
# and dates; lines print their net and their rate; net and VAT are printed per rate only
# (a breakdown), the total with VAT once; rounding is the decimal module's half-even.
def _invoicegenerator_truth(spec: Spec, report: Mapping[str, Any]) -> dict[str, Any]:
    nets = per_rate(spec.rows)
    tax_exact = sum((r.net * r.rate / 100 for r in spec.rows), Decimal(0))
    truth: dict[str, Any] = {
        "invoice_number": spec.number, "issue_date": spec.issued.isoformat(),
        "due_date": spec.due.isoformat(), "vendor_name": spec.vendor.name,
        "vendor_tax_id": spec.vendor.tax_id, "buyer_name": spec.buyer.name,
        "buyer_tax_id": spec.buyer.tax_id, "currency": spec.currency,
        "total_amount": fmt_amount(q(sum(nets.values(), Decimal(0)) + tax_exact,
                                     ROUND_HALF_EVEN)),
        "iban": spec.iban, "payment_reference": spec.reference,
        "lines": [line_truth(r, r.net) for r in spec.rows],
    }
    if len(nets) == 1:  # one breakdown row: its net and VAT are the invoice's
        truth["net_amount"] = fmt_amount(next(iter(nets.values())))
        truth["tax_amount"] = fmt_amount(q(tax_exact, ROUND_HALF_EVEN))
    return {k: v for k, v in truth.items() if v is not None}


# pyinvoice (PyPI, MIT): reportlab; English only, no currency anywhere on the page, one tax
# rate for the whole invoice (no rate per line), whole units, plain '1234.50' numbers;
# subtotal, tax and total each rounded half-up to the cent.
def _pyinvoice_truth(spec: Spec, report: Mapping[str, Any]) -> dict[str, Any]:
    net = sum((r.net for r in spec.rows), Decimal(0))
    rate = spec.rows[0].rate
    tax = net * rate / 100
    return {
        "invoice_number": spec.number, "issue_date": spec.issued.isoformat(),
        "due_date": spec.due.isoformat(), "vendor_name": spec.vendor.name,
        **({"vendor_tax_id": spec.vendor.tax_id} if spec.vendor.tax_id else {}),
        "buyer_name": spec.buyer.name,
        "net_amount": fmt_amount(q(net, ROUND_HALF_UP)),
        "tax_amount": fmt_amount(q(tax, ROUND_HALF_UP)),
        "total_amount": fmt_amount(q(net + tax, ROUND_HALF_UP)),
        "lines": [line_truth(r, r.net) for r in spec.rows],
    }


# microinvoice (npm, MIT): PDFKit; a data-driven template (the user supplies labels and
# values; here the labels of the invoice's language, amounts formatted as that locale writes
# them), non-ASCII text transliterated by default, the currency code after every price; VAT
# per line, net/VAT/total rows; VAT rounded half-up per rate.
MI_WORDS = {
    "en": ("Invoice", "Invoice Number", "Date", "Due Date", "Bill To", "Bill From",
           "Tax Identifier", "Description", "Quantity", "Unit price", "VAT", "Amount",
           "Total without VAT", "VAT", "Total with VAT"),
    "de": ("Rechnung", "Rechnungsnummer", "Rechnungsdatum", "Fällig am", "Rechnungsempfänger",
           "Rechnungssteller", "USt-IdNr.", "Beschreibung", "Menge", "Einzelpreis", "USt.",
           "Betrag", "Nettobetrag", "zzgl. USt.", "Gesamtbetrag"),
    "fr": ("Facture", "Numéro de facture", "Date", "Échéance", "Facturé à", "Émetteur",
           "N° TVA", "Désignation", "Quantité", "Prix unitaire", "TVA", "Montant",
           "Total HT", "TVA", "Total TTC"),
}


def vat_half_up(spec: Spec) -> tuple[Decimal, Decimal]:
    nets = per_rate(spec.rows)
    tax = sum((q(n * rate / 100, ROUND_HALF_UP) for rate, n in nets.items()), Decimal(0))
    return sum(nets.values(), Decimal(0)), tax


def local_number(spec: Spec, value: Decimal, places: int = 2) -> str:
    text = f"{value:,.{places}f}" if places else fmt_number(value) or ""
    if spec.locale == "de":
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    if spec.locale in ("fr", "fi"):
        return text.replace(",", " ").replace(".", ",")
    return text


def local_date(spec: Spec, d: date) -> str:
    return {"en-us": f"{d:%m/%d/%Y}", "de": f"{d:%d.%m.%Y}",
            "fi": f"{d.day}.{d.month}.{d.year}"}.get(spec.locale, f"{d:%d/%m/%Y}")


def _microinvoice_job(spec: Spec) -> dict[str, Any]:
    w = MI_WORDS.get(spec.locale[:2], MI_WORDS["en"])
    net, tax = vat_half_up(spec)

    def party(p: Party, label: str) -> list[dict[str, Any]]:
        block: list[dict[str, Any]] = [{"label": label,
                                        "value": [p.name, p.street, p.city, p.country]}]
        if p.tax_id_text:
            block.append({"label": w[6], "value": p.tax_id_text})
        return block

    def rate(r: Decimal) -> str:
        return f"{local_number(spec, r, 0)}{' %' if spec.locale in ('de', 'fr') else '%'}"

    payload = {"data": {"invoice": {
        "name": w[0], "currency": spec.currency,
        "header": [{"label": w[1], "value": spec.number},
                   {"label": w[2], "value": local_date(spec, spec.issued)},
                   {"label": w[3], "value": local_date(spec, spec.due)}],
        "customer": party(spec.buyer, w[4]), "seller": party(spec.vendor, w[5]),
        "legal": [{"value": f"IBAN: {spec.iban}", "weight": "bold", "color": "primary"}]
        if spec.iban else [],
        "details": {
            "header": [{"value": h} for h in w[7:12]],
            "parts": [[{"value": r.description}, {"value": local_number(spec, r.quantity, 0)},
                       {"value": local_number(spec, r.unit_price), "price": True},
                       {"value": rate(r.rate)},
                       {"value": local_number(spec, r.net), "price": True}] for r in spec.rows],
            "total": [{"label": w[12], "value": local_number(spec, net), "price": True},
                      {"label": w[13], "value": local_number(spec, tax), "price": True},
                      {"label": w[14], "value": local_number(spec, net + tax), "price": True}],
        },
    }}}
    texts = {"vendor_name": spec.vendor.name, "buyer_name": spec.buyer.name,
             "descriptions": [r.description for r in spec.rows]}
    return {"payload": payload, "texts": texts}


def _microinvoice_truth(spec: Spec, report: Mapping[str, Any]) -> dict[str, Any]:
    net, tax = vat_half_up(spec)
    printed = report["printed"]
    truth: dict[str, Any] = {
        "invoice_number": spec.number, "issue_date": spec.issued.isoformat(),
        "due_date": spec.due.isoformat(), "vendor_name": printed["vendor_name"],
        "vendor_tax_id": spec.vendor.tax_id, "buyer_name": printed["buyer_name"],
        "buyer_tax_id": spec.buyer.tax_id, "currency": spec.currency,
        "net_amount": fmt_amount(net), "tax_amount": fmt_amount(tax),
        "total_amount": fmt_amount(net + tax), "iban": spec.iban,
        "lines": [{**line_truth(r, r.net), "description": d}
                  for r, d in zip(spec.rows, printed["descriptions"], strict=True)],
    }
    return {k: v for k, v in truth.items() if v is not None}


# jspdf-invoice-template-nodejs (npm, ISC): jsPDF; another data-driven template (labels and
# values are the user's): the seller's name and address top right, the buyer under a label
# on the left beside the number and dates, the seller's VAT id and IBAN only in a note below
# the totals; VAT per line; one VAT row per rate under the net, then the total.
JT_WORDS = {
    "en": ("Invoice #: ", "Invoice date: ", "Due date: ", "Bill to:", "Description", "Qty",
           "Unit price", "VAT", "Amount", "Subtotal:", "VAT {}:", "Total:", "Payment details",
           "VAT no.: ", "Page ", "Thank you for your business."),
    "de": ("Rechnung Nr.: ", "Rechnungsdatum: ", "Fällig am: ", "Rechnung an:", "Beschreibung",
           "Menge", "Einzelpreis", "USt.", "Betrag", "Nettobetrag:", "USt. {}:",
           "Gesamtbetrag:", "Zahlung", "USt-IdNr.: ", "Seite ", "Vielen Dank für Ihren Auftrag."),
    "fr": ("Facture n° : ", "Date de facture : ", "Échéance : ", "Facturé à :", "Désignation",
           "Qté", "Prix unitaire HT", "TVA", "Montant HT", "Total HT :", "TVA {} :",
           "Total TTC :", "Règlement", "N° TVA : ", "Page ", "Merci de votre confiance."),
    "fi": ("Lasku nro: ", "Laskun päiväys: ", "Eräpäivä: ", "Laskutetaan:", "Kuvaus", "Määrä",
           "À-hinta", "ALV", "Yhteensä", "Veroton:", "ALV {}:", "Yhteensä:", "Maksutiedot",
           "ALV-tunniste: ", "Sivu ", "Kiitos tilauksestanne."),
}


def local_rate(spec: Spec, rate: Decimal) -> str:
    return f"{local_number(spec, rate, 0)}{' %' if spec.locale in ('de', 'fr', 'fi') else '%'}"


def _jspdf_job(spec: Spec) -> dict[str, Any]:
    w = JT_WORDS.get(spec.locale[:2], JT_WORDS["en"])
    nets = per_rate(spec.rows)
    net, _ = vat_half_up(spec)
    taxes = {rate: q(n * rate / 100, ROUND_HALF_UP) for rate, n in nets.items()}
    v, b = spec.vendor, spec.buyer
    note = "   ".join(x for x in (f"IBAN: {spec.iban}" if spec.iban else "",
                                   f"{w[13]}{v.tax_id_text}" if v.tax_id_text else "") if x)
    props = {
        "business": {"name": v.name, "address": f"{v.street}, {v.city}",
                     "email": "accounts@" + re.sub(r"[^a-z]", "", v.name.lower())[:12] + ".com"},
        "contact": {"label": w[3], "name": b.name, "address": f"{b.street}, {b.city}",
                    "otherInfo": f"{w[13]}{b.tax_id_text}" if b.tax_id_text else ""},
        "invoice": {
            "label": w[0], "num": spec.number,
            "invGenDate": w[1] + local_date(spec, spec.issued),
            "invDate": w[2] + local_date(spec, spec.due),
            "header": [{"title": "#", "style": {"width": 10}},
                       {"title": w[4], "style": {"width": 70}},
                       *({"title": t} for t in w[5:9])],
            "table": [[i, r.description, local_number(spec, r.quantity, 0),
                       local_number(spec, r.unit_price), local_rate(spec, r.rate),
                       local_number(spec, r.net)] for i, r in enumerate(spec.rows, 1)],
            "additionalRows": [
                {"col1": w[9], "col2": local_number(spec, net), "col3": spec.currency,
                 "style": {"fontSize": 10}},
                *({"col1": w[10].format(local_rate(spec, rate)),
                   "col2": local_number(spec, tax), "col3": spec.currency,
                   "style": {"fontSize": 10}} for rate, tax in taxes.items()),
                {"col1": w[11], "col2": local_number(spec, net + sum(taxes.values())),
                 "col3": spec.currency, "style": {"fontSize": 14}}],
            "invDescLabel": w[12], "invDesc": note,
        },
        "footer": {"text": w[15]}, "pageEnable": True, "pageLabel": w[14],
    }
    return {"props": props}


def _jspdf_truth(spec: Spec, report: Mapping[str, Any]) -> dict[str, Any]:
    net, tax = vat_half_up(spec)
    truth: dict[str, Any] = {
        "invoice_number": spec.number, "issue_date": spec.issued.isoformat(),
        "due_date": spec.due.isoformat(), "vendor_name": spec.vendor.name,
        "vendor_tax_id": spec.vendor.tax_id, "buyer_name": spec.buyer.name,
        "buyer_tax_id": spec.buyer.tax_id, "currency": spec.currency,
        "net_amount": fmt_amount(net), "total_amount": fmt_amount(net + tax), "iban": spec.iban,
        "lines": [line_truth(r, r.net) for r in spec.rows],
    }
    if len(per_rate(spec.rows)) == 1:  # else only a VAT row per rate is printed
        truth["tax_amount"] = fmt_amount(tax)
    return {k: v for k, v in truth.items() if v is not None}


# @h1dd3nsn1p3r/pdf-invoice (npm, MIT): pdfmake; English labels (the package's), money
# formatted by Intl for the invoice's locale and currency; the seller top left, number and
# dates top right, the buyer under 'Bill To'. Its 'Subtotal' and each line's 'Total' include
# the line's tax, so the net is printed only when no line is taxed: the truth has the lines
# and the net only then; an untaxed line's rate prints as '-' (lines scored with loose_line: a
# rate read as none is not a miss). Amounts as the package computes them (floats,
# toFixed(2)). No French
# locale: Intl groups fr-FR thousands with a narrow no-break space, which its standard font
# prints as '/' ('28 /644,28 €'), not a number anyone could read.
PI_LOCALE = {"en-gb": "en-GB", "en-us": "en-US", "de": "de-DE"}


def _pdf_invoice_spec(rng: random.Random, locale: str, serial: int) -> Spec:
    spec = make_spec(rng, locale, serial)
    if rng.random() < 0.4:  # a seller charging no VAT (small business, exempt services)
        rows = tuple(Row(r.description, r.quantity, r.unit_price, Decimal(0)) for r in spec.rows)
        spec = Spec(**{**spec.__dict__, "rows": rows})
    return spec


def _pdf_invoice_job(spec: Spec) -> dict[str, Any]:
    v, b = spec.vendor, spec.buyer
    company: dict[str, Any] = {"name": v.name, "address": f"{v.street}, {v.city}",
                               "phone": "Tel: +44 20 7946 0" + spec.number[-3:].zfill(3)}
    if v.tax_id_text:
        company["taxId"] = f"Tax ID: {v.tax_id_text}"
    if spec.iban:
        company["bank"] = f"IBAN: {spec.iban}"
    customer: dict[str, Any] = {"name": b.name, "address": f"{b.street}, {b.city}"}
    if b.tax_id_text:
        customer["taxId"] = f"Tax ID: {b.tax_id_text}"
    payload = {
        "company": company, "customer": customer,
        "invoice": {"number": spec.number, "date": local_date(spec, spec.issued),
                    "dueDate": local_date(spec, spec.due), "status": "Due pending!",
                    "locale": PI_LOCALE[spec.locale], "currency": spec.currency},
        "items": [{"name": r.description, "quantity": float(r.quantity),
                   "price": float(r.unit_price), "tax": float(r.rate)} for r in spec.rows],
        "note": {"text": "Thank you for your business.", "italic": False},
    }
    return {"payload": payload}


def _pdf_invoice_truth(spec: Spec, report: Mapping[str, Any]) -> dict[str, Any]:
    amounts = report["amounts"]
    truth: dict[str, Any] = {
        "invoice_number": spec.number, "issue_date": spec.issued.isoformat(),
        "due_date": spec.due.isoformat(), "vendor_name": spec.vendor.name,
        "vendor_tax_id": spec.vendor.tax_id, "buyer_name": spec.buyer.name,
        "buyer_tax_id": spec.buyer.tax_id, "currency": spec.currency,
        "tax_amount": amounts["tax"], "total_amount": amounts["total"], "iban": spec.iban,
    }
    if all(r.rate == 0 for r in spec.rows):
        truth["net_amount"] = amounts["total"]
        truth["lines"] = [line_truth(r, Decimal(a))
                          for r, a in zip(spec.rows, amounts["lines"], strict=True)]
    return {k: v for k, v in truth.items() if v is not None}


# arca-factura-pdf (PyPI, MIT): fpdf2; the Argentine AFIP/ARCA layout in Spanish, one of
# five style presets per invoice: brand name top left over 'Razón Social:', the letter box
# (A for a company buyer, B for a consumer) in the middle, 'Punto de Venta: 0001 Comp. Nro:
# 00000042' top right (two numbers, no single invoice number: none in the truth), the buyer
# in a 'DATOS DEL RECEPTOR' band; a due date only for services (in a label-above-value
# band); one IVA rate per invoice (its per-line rate column shows the first rate on every
# line). The amounts are the caller's: net, IVA half-up, total. 'MUESTRA' watermark (the
# package's for documents without a real CAE).
ARCA_ALICUOTA = {Decimal("21"): 5, Decimal("10.5"): 4, Decimal("27"): 6}
ARCA_PRESETS = ("clasico", "moderno", "minimal", "corporativo", "elegante")


def _arca_spec(rng: random.Random, locale: str, serial: int) -> Spec:
    return make_spec(rng, locale, serial, one_rate=True)


def _arca_services(spec: Spec) -> bool:
    return int(spec.number[-1], 36) % 2 == 0


def _arca_job(spec: Spec) -> dict[str, Any]:
    net, tax = vat_half_up(spec)
    rate = spec.rows[0].rate
    company = spec.buyer.tax_id is not None
    brand = spec.vendor.name.split(" S.")[0]
    detail = {
        "invoice_number": spec.number, "date": spec.issued.isoformat(),
        "due_date": spec.due.isoformat(), "customer_name": spec.buyer.name,
        "total": float(net + tax), "tax_total": float(tax), "notes": "",
        "line_items": [{"name": r.description, "description": "", "quantity": float(r.quantity),
                        "rate": float(r.unit_price), "item_total": float(r.net)}
                       for r in spec.rows],
        "custom_fields": [],
    }
    arca_data = {
        "tipo_cbte": 1 if company else 6, "punto_venta": 1 + len(spec.number) % 4,
        "fecha": spec.issued.isoformat(), "fecha_vto": spec.due.isoformat(),
        "cuit_receptor": spec.buyer.tax_id or "", "importe_neto": float(net),
        "importe_iva": float(tax), "importe_total": float(net + tax),
        "concepto": 2 if _arca_services(spec) else 1,
        "alicuotas": [{"id": ARCA_ALICUOTA[rate], "base_imp": float(net),
                       "importe": float(tax)}],
    }
    preset = ARCA_PRESETS[sum(map(ord, spec.number)) % len(ARCA_PRESETS)]
    branding = {
        "brand_name": brand, "emisor_razon_social": spec.vendor.name,
        "emisor_domicilio": f"{spec.vendor.street}, {spec.vendor.city}",
        "emisor_iibb": f"901-{(spec.vendor.tax_id or '')[2:8]}-{len(spec.rows)}",
        "emisor_inicio_act": "01/03/2015",
        "style": {"preset": preset}, "options": {"show_proforma": False},
    }
    serial = int(re.sub(r"\D", "", spec.number)[-6:])
    return {"detail": detail, "arca_data": arca_data, "cuit_emisor": spec.vendor.tax_id,
            "result": {"nro_comprobante": serial}, "branding": branding}


def _arca_truth(spec: Spec, report: Mapping[str, Any]) -> dict[str, Any]:
    net, tax = vat_half_up(spec)
    truth: dict[str, Any] = {
        "issue_date": spec.issued.isoformat(), "vendor_name": spec.vendor.name,
        "vendor_tax_id": spec.vendor.tax_id, "buyer_name": spec.buyer.name,
        "buyer_tax_id": spec.buyer.tax_id, "currency": spec.currency,
        "net_amount": fmt_amount(net), "tax_amount": fmt_amount(tax),
        "total_amount": fmt_amount(net + tax),
        "lines": [line_truth(r, r.net) for r in spec.rows],
    }
    if _arca_services(spec):
        truth["due_date"] = spec.due.isoformat()
    return {k: v for k, v in truth.items() if v is not None}


# scrlttr2 (KOMA-Script, LaTeX, LPPL; Debian's texlive): invoices typeset as business letters,
# the way German and French firms write them. The class and its letter-class-option file
# (DIN, DINmtext, DIN5008A/B, SN, SNleft, NF, UScommercial9(DW), KOMAold: named in the PDF's
# file name) place the letterhead, the one-line back address over the unlabelled window
# address, the reference line and the first-page footer; we only fill its variables. Per
# letter (drawn from its file name): the invoice number in the reference line (the class's
# own 'invoice' variable), the subject or a sentence; the date numeric or with the month's
# name; the order, 'your letter of' date, customer number and our reference in the
# reference line or not; a boxed text logo or none; a VAT rate column or none; IBAN and VAT
# id in the footer or in the letterhead; a due date in a sentence or payment terms in days;
# salutation lines (Herrn/Frau/Firma, M./Mme) over or before the buyer's name. VAT half-up
# per rate; one 'VAT n %' row per rate (the truth's tax only with one rate).
LETTER_LANG = {"de": "ngerman", "fr": "french", "en-us": "american", "en-gb": "british"}
LETTER_WORDS = {
    "de": {"subject": "Rechnung", "subject_no": "Rechnung Nr. {n}", "firm": "Firma",
           "mr": "Herrn", "ms": "Frau", "dear": "Sehr geehrte Damen und Herren,",
           "dear_mr": "Sehr geehrter Herr {s},", "dear_ms": "Sehr geehrte Frau {s},",
           "intro": "für die ausgeführten Arbeiten erlauben wir uns, Ihnen Folgendes in "
                    "Rechnung zu stellen:",
           "intro_no": "mit unserer Rechnung Nr. {n} berechnen wir Ihnen folgende Leistungen:",
           "head": ("Bezeichnung", "Menge", "Einzelpreis", "USt.", "Betrag"),
           "net": "Nettobetrag", "vat": "zzgl. {r} USt.", "total": "Rechnungsbetrag",
           "due": "Bitte überweisen Sie den Rechnungsbetrag bis zum {d} auf unser Konto.",
           "terms": "Zahlbar innerhalb von 14 Tagen ohne Abzug.",
           "buyer_vat": "Ihre USt-IdNr.: {v}", "vat_id": "USt-IdNr.: {v}",
           "bank": "Bankverbindung", "closing": "Mit freundlichen Grüßen",
           "phone": "+49 221 {x}"},
    "fr": {"subject": "Facture", "subject_no": "Facture n° {n}", "firm": "",
           "mr": "M.", "ms": "Mme", "dear": "Madame, Monsieur,",
           "dear_mr": "Monsieur,", "dear_ms": "Madame,",
           "intro": "Veuillez trouver ci-dessous le détail de notre facture.",
           "intro_no": "Nous vous prions de trouver ci-dessous notre facture n° {n}.",
           "head": ("Désignation", "Qté", "Prix unitaire HT", "TVA", "Montant HT"),
           "net": "Total HT", "vat": "TVA {r}", "total": "Total TTC",
           "due": "Date d'échéance : {d}. Pas d'escompte pour paiement anticipé.",
           "terms": "Paiement à réception de facture.",
           "buyer_vat": "Votre n° TVA : {v}", "vat_id": "N° TVA intracommunautaire : {v}",
           "bank": "Coordonnées bancaires",
           "closing": "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.",
           "phone": "+33 5 56 {x}"},
    "en-us": {"subject": "Invoice", "subject_no": "Invoice {n}", "firm": "",
              "mr": "", "ms": "", "dear": "Dear Sir or Madam:",
              "dear_mr": "Dear Mr. {s}:", "dear_ms": "Dear Ms. {s}:",
              "intro": "Please find below our invoice for the goods and services provided.",
              "intro_no": "This is our invoice no. {n} for the goods and services provided.",
              "head": ("Description", "Qty", "Unit price", "Tax", "Amount"),
              "net": "Subtotal", "vat": "Sales tax {r}", "total": "Total due",
              "due": "Payment is due by {d}.", "terms": "Terms: net 30 days.",
              "buyer_vat": "", "vat_id": "", "bank": "", "closing": "Sincerely,",
              "phone": "(303) 555-{x}"},
    "en-gb": {"subject": "Invoice", "subject_no": "Invoice no. {n}", "firm": "",
              "mr": "", "ms": "", "dear": "Dear Sir or Madam,",
              "dear_mr": "Dear Mr {s},", "dear_ms": "Dear Ms {s},",
              "intro": "Please find below our invoice for the work carried out.",
              "intro_no": "We enclose our invoice no. {n} for the work carried out.",
              "head": ("Description", "Qty", "Unit price", "VAT", "Amount"),
              "net": "Net amount", "vat": "VAT at {r}", "total": "Amount due",
              "due": "Please pay by {d}.", "terms": "Payment within 30 days, please.",
              "buyer_vat": "Your VAT no.: {v}", "vat_id": "VAT reg. no. {v}",
              "bank": "Bank details", "closing": "Yours faithfully,",
              "phone": "+44 20 7946 {x}"},
}
# what a reference line holds besides the number and the date: their order, your letter of
# (a date, earlier than the invoice's), the customer number, our reference
LETTER_REFS = {"de": ("Bestellung {o}", "K-{c}"), "fr": ("Commande {o}", "C{c}"),
               "en-us": ("PO {o}", "{c}"), "en-gb": ("Order {o}", "{c}")}
FEMALE = ("Anna", "Léa", "Camille", "Emily", "Sofia", "Priya", "Hannah", "Aino", "Jana")
MONTHS = {"de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                 "September", "Oktober", "November", "Dezember"),
          "en-gb": ("January", "February", "March", "April", "May", "June", "July",
                    "August", "September", "October", "November", "December"),
          "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre")}


@dataclass(frozen=True)
class LetterChoice:
    """How one letter is written (drawn from its file name, so the truth can know it)."""

    lco: str
    number_at: str  # 'refline' (the class's 'invoice' variable), 'subject' or 'text'
    long_date: bool
    rate_column: bool
    ids_in_footer: bool
    due_printed: bool
    buyer_vat_printed: bool
    salutation: bool
    refs: bool  # order, 'your letter of' date, customer number, our reference in the refline
    logo: bool  # a boxed text logo in the letterhead


def letter_choice(pdf: Path, spec: Spec) -> LetterChoice:
    rng = random.Random(pdf.name)
    named = re.search(r"\.(\w+)-\d+$", pdf.stem)
    lco = named.group(1) if named else "DIN"
    return LetterChoice(lco, rng.choice(("refline", "subject", "text")), rng.random() < 0.5,
                        len(per_rate(spec.rows)) > 1 or rng.random() < 0.5,
                        rng.random() < 0.7, rng.random() < 0.5,
                        spec.buyer.tax_id is not None and rng.random() < 0.5,
                        rng.random() < 0.6, rng.random() < 0.5, rng.random() < 0.4)


def letter_date(spec: Spec, d: date, long: bool) -> str:
    lang = spec.locale
    if not long:
        return local_date(spec, d)
    if lang == "de":
        return f"{d.day}. {MONTHS['de'][d.month - 1]} {d.year}"
    if lang == "fr":  # the first of the month is '1er'
        return f"{'1er' if d.day == 1 else d.day} {MONTHS['fr'][d.month - 1]} {d.year}"
    if lang == "en-gb":
        return f"{d.day} {MONTHS['en-gb'][d.month - 1]} {d.year}"
    return f"{d:%B} {d.day}, {d.year}"


def letter_money(spec: Spec, value: Decimal) -> str:
    text = local_number(spec, value)
    if spec.locale == "fr":
        text = text.replace(" ", "\u00a0")
    sign = {"USD": "$", "GBP": "£"}.get(spec.currency)
    return f"{sign}{text}" if sign else f"{text}\u00a0€"


def letter_rate(spec: Spec, rate: Decimal) -> str:
    text = local_number(spec, rate, 0)
    return f"{text}%" if spec.locale.startswith("en") else f"{text}\u00a0%"


def _scrlttr2_job(spec: Spec, pdf: Path) -> dict[str, Any]:
    c, w = letter_choice(pdf, spec), LETTER_WORDS[spec.locale]
    v, b = spec.vendor, spec.buyer
    net, _ = vat_half_up(spec)
    nets = per_rate(spec.rows)
    taxes = {r: q(n * r / 100, ROUND_HALF_UP) for r, n in nets.items()}
    issued = letter_date(spec, spec.issued, c.long_date)
    recipient = [b.name, b.street, b.city]
    first = b.name.split()[0]
    if c.salutation and b.person and w["mr"]:
        title = w["ms"] if first in FEMALE else w["mr"]
        recipient = ([title, *recipient] if spec.locale == "de"
                     else [f"{title} {b.name}", b.street, b.city])
    elif c.salutation and not b.person and w["firm"]:
        recipient = [w["firm"], *recipient]
    if b.person:
        key = "dear_ms" if first in FEMALE else "dear_mr"
        opening = w[key].format(s=b.name.split()[-1])
    else:
        opening = w["dear"]
    ids = []
    if v.tax_id_text and w["vat_id"]:
        ids.append(w["vat_id"].format(v=v.tax_id_text))
    if spec.iban:
        ids.append(f"IBAN: {spec.iban}")
    address = [v.street, v.city]
    footer: list[list[str]] = []
    if c.ids_in_footer:
        footer = [[v.name, *address]]
        if spec.iban:
            footer.append([w["bank"], f"IBAN: {spec.iban}"])
        if v.tax_id_text and w["vat_id"]:
            footer.append([w["vat_id"].format(v=v.tax_id_text)])
    else:
        address += ids
    head = list(w["head"])
    if not c.rate_column:
        head.pop(3)
    rows = []
    for r in spec.rows:
        row = [r.description, local_number(spec, r.quantity, 0),
               local_number(spec, r.unit_price), letter_rate(spec, r.rate),
               local_number(spec, r.net)]
        if not c.rate_column:
            row.pop(3)
        rows.append(row)
    totals = [(w["net"], letter_money(spec, net)),
              *((w["vat"].format(r=letter_rate(spec, r)), letter_money(spec, t))
                for r, t in taxes.items()),
              (w["total"], letter_money(spec, net + sum(taxes.values())))]
    refline: dict[str, str] = {}
    subject = w["subject"]
    before = [w["intro"]]
    if c.number_at == "refline":
        refline["invoice"] = spec.number
    elif c.number_at == "subject":
        subject = w["subject_no"].format(n=spec.number)
    else:
        before = [w["intro_no"].format(n=spec.number)]
    if c.refs:
        order, customer = LETTER_REFS[spec.locale]
        serial = sum(map(ord, spec.number + spec.buyer.name))
        refline["yourref"] = order.format(o=4500000 + serial * 37 % 99999)
        refline["yourmail"] = letter_date(spec, spec.issued - timedelta(days=3 + serial % 20),
                                          c.long_date)
        refline["customer"] = customer.format(c=10000 + serial * 13 % 89999)
        refline["myref"] = "".join(x[0] for x in spec.vendor.name.split()[:2]).lower()
    if c.buyer_vat_printed and w["buyer_vat"]:
        before.append(w["buyer_vat"].format(v=b.tax_id_text))
    after = [w["due"].format(d=letter_date(spec, spec.due, c.long_date)) if c.due_printed
             else w["terms"]]
    head[-1] = f"{head[-1]} ({spec.currency})"
    return {
        "lco": c.lco, "babel": LETTER_LANG[spec.locale],
        "fromalign": "left" if c.lco in ("DIN", "UScommercial9", "KOMAold") else "right",
        "logo": "".join(x[0] for x in v.name.split()[:2]).upper() if c.logo else "",
        "refline": "wide" if c.number_at == "refline" else "narrow",
        "fromrule": c.lco != "NF", "fromname": v.name, "fromaddress": address,
        "fromphone": w["phone"].format(x=f"{sum(map(ord, spec.number)) % 9000 + 1000}"),
        # the one line over the window: a long one runs into the address below it, so a
        # writer drops the street (as the class's manual advises)
        "backaddress": ([v.name, v.street, v.city]
                        if len(v.name + v.street + v.city) < 55 else [v.name, v.city]),
        "date": issued, "place": v.city.split(" ", 1)[-1] if c.lco == "NF" else "",
        "subject": subject, "refline_vars": refline, "recipient": recipient,
        "opening": opening, "before": before, "after": after, "closing": w["closing"],
        "footer": footer, "path": str(pdf),
        "table": {"head": head, "rows": rows, "totals": totals,
                  "width": "6cm" if c.rate_column else "7.5cm"},
    }


def _scrlttr2_render(cache: Path, batch: list[tuple[Spec, Path]]) -> list[dict[str, Any]]:
    if shutil.which("pdflatex") is None:
        raise RuntimeError("pdflatex is not on PATH")
    jobs = [_scrlttr2_job(s, p) for s, p in batch]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    reports = _run_json([sys.executable, str(HERE / "render_scrlttr2.py")], jobs, env)
    out = []
    for (spec, pdf), report in zip(batch, reports, strict=True):
        c = letter_choice(pdf, spec)
        dates = {d.isoformat(): letter_date(spec, d, c.long_date)
                 for d in (spec.issued, spec.due)}
        out.append({**report, "choice": c.__dict__, "dates": dates})
    return out


def tex_printed(text: str) -> str:
    """``text`` as pdflatex prints it: an apostrophe becomes the typographic one (TeX's
    right quote) and '²' the superscript glyph whose text is a plain '2'."""
    return text.replace("'", "\u2019").replace("²", "2")


def _scrlttr2_spec(rng: random.Random, locale: str, serial: int) -> Spec:
    spec = make_spec(rng, locale.split(".")[0], serial)
    vendor, buyer = (Party(**{**p.__dict__, "name": tex_printed(p.name)})
                     for p in (spec.vendor, spec.buyer))
    rows = tuple(Row(tex_printed(r.description), r.quantity, r.unit_price, r.rate)
                 for r in spec.rows)
    return Spec(**{**spec.__dict__, "vendor": vendor, "buyer": buyer, "rows": rows})


def _scrlttr2_truth(spec: Spec, report: Mapping[str, Any]) -> dict[str, Any]:
    c = report["choice"]
    net, tax = vat_half_up(spec)
    truth: dict[str, Any] = {
        "invoice_number": spec.number, "issue_date": spec.issued.isoformat(),
        "due_date": spec.due.isoformat() if c["due_printed"] else None,
        "vendor_name": spec.vendor.name,
        "vendor_tax_id": spec.vendor.tax_id if spec.locale != "en-us" else None,
        "buyer_name": spec.buyer.name,
        "buyer_tax_id": spec.buyer.tax_id if c["buyer_vat_printed"] else None,
        "currency": spec.currency, "net_amount": fmt_amount(net),
        "tax_amount": fmt_amount(tax) if len(per_rate(spec.rows)) == 1 else None,
        "total_amount": fmt_amount(net + tax), "iban": spec.iban,
        # each line's rate even where no column prints it: loose_line takes a rate read
        # as none, and a rate inferred from a single 'VAT n %' row must be the right one
        "lines": [line_truth(r, r.net) for r in spec.rows],
    }
    return {k: v for k, v in truth.items() if v is not None}


# dinbrief (PyPI, MIT/BSD/Apache): reportlab; a DIN 5008 letter for window envelopes: the
# seller only in the small one-line sender row over the window address and as the account
# holder of the bank transfer form under the totals (a letterhead in the info box or not),
# the date right-aligned over the subject, an item table of position, description, unit
# price (with '/unit'), quantity and line total (no rate per line), then 'Sum (net)', one
# '+19% VAT' row per rate (none for 0 %) and 'Sum (gross)'. Labels and numbers through
# Django's translation and formats (German: 'Summe (netto)', '1.234,50'), as inside a Django
# project; VAT per rate unrounded, each amount rounded for printing only (the renderer
# reports them as printed).
DB_WORDS = {
    "de": {"subject": "Rechnung {n}", "number": "Rechnungsnr.: {n}", "customer": "Kundennr.: {c}",
           "vat_id": "USt-IdNr.: {v}", "buyer_vat": "Ihre USt-IdNr.: {v}", "phone": "Tel.: {p}",
           "due": "Zahlbar ohne Abzug bis zum {d}.", "terms": "Zahlbar sofort ohne Abzug.",
           "unit": "Stk.", "bic": "COLSDE33XXX"},
    "en-gb": {"subject": "Invoice {n}", "number": "Invoice no.: {n}",
              "customer": "Account no.: {c}", "vat_id": "VAT reg. no.: {v}",
              "buyer_vat": "Your VAT no.: {v}", "phone": "Tel: {p}",
              "due": "Please pay by {d}.", "terms": "Payment within 30 days, please.",
              "unit": "ea.", "bic": "BUKBGB22"},
    "en-us": {"subject": "Invoice {n}", "number": "Invoice #: {n}",
              "customer": "Customer ID: {c}", "vat_id": "", "buyer_vat": "",
              "phone": "Phone: {p}", "due": "Payment due {d}.", "terms": "Terms: net 30.",
              "unit": "ea.", "bic": "CHASUS33"},
}
DB_SYMBOL = {"EUR": "€", "GBP": "£", "USD": "$"}


@dataclass(frozen=True)
class DinbriefChoice:
    letterhead: bool  # the seller's name, address and VAT id in the info box
    unit: bool
    due_printed: bool
    buyer_vat_printed: bool


def dinbrief_choice(spec: Spec) -> DinbriefChoice:
    rng = random.Random(f"dinbrief-{spec.number}-{spec.buyer.name}")
    return DinbriefChoice(rng.random() < 0.5, rng.random() < 0.5, rng.random() < 0.6,
                          spec.buyer.tax_id is not None and rng.random() < 0.5)


def _dinbrief_job(spec: Spec) -> dict[str, Any]:
    from xml.sax.saxutils import escape

    c, w = dinbrief_choice(spec), DB_WORDS[spec.locale]
    v = spec.vendor
    info = []
    if c.letterhead:
        info += [f"<b>{escape(v.name)}</b>", escape(v.street), escape(v.city),
                 w["phone"].format(p=f"0{sum(map(ord, spec.number)) % 900 + 100} 55 01 23"), ""]
    info.append(w["number"].format(n=spec.number))
    info.append(w["customer"].format(c=10000 + sum(map(ord, spec.buyer.name)) * 7 % 89999))
    if v.tax_id_text and w["vat_id"] and c.letterhead:
        info.append(w["vat_id"].format(v=v.tax_id_text))
    if c.buyer_vat_printed and w["buyer_vat"]:
        info.append(w["buyer_vat"].format(v=spec.buyer.tax_id_text))
    after = [w["due"].format(d=local_date(spec, spec.due)) if c.due_printed else w["terms"]]
    return {**spec.to_json(), "subject": w["subject"].format(n=spec.number),
            "infobox": info, "after": after, "date": local_date(spec, spec.issued),
            "unit": w["unit"] if c.unit else "", "symbol": DB_SYMBOL[spec.currency],
            "bic": w["bic"]}


def parse_local(text: str) -> Decimal:
    """An amount as a program printed it ('1.234,50', '1,234.50', '12.50'): the last
    separator followed by exactly two digits is the decimal one."""
    body = text.strip().replace("\u00a0", "").replace(" ", "")
    head, sep, cents = body[:-3], body[-3:-2], body[-2:]
    if sep not in ".,":
        raise ValueError(f"not an amount with two decimals: {text!r}")
    return Decimal(re.sub(r"[.,']", "", head) + "." + cents)


def _dinbrief_truth(spec: Spec, report: Mapping[str, Any]) -> dict[str, Any]:
    c, w = dinbrief_choice(spec), DB_WORDS[spec.locale]
    amounts = report["amounts"]
    vats = [parse_local(x) for x in amounts["vat"]]
    truth: dict[str, Any] = {
        "invoice_number": spec.number, "issue_date": spec.issued.isoformat(),
        "due_date": spec.due.isoformat() if c.due_printed else None,
        "vendor_name": spec.vendor.name,
        "vendor_tax_id": spec.vendor.tax_id if c.letterhead and w["vat_id"] else None,
        "buyer_name": spec.buyer.name,
        "buyer_tax_id": spec.buyer.tax_id if c.buyer_vat_printed and w["buyer_vat"] else None,
        "currency": spec.currency, "net_amount": fmt_amount(parse_local(amounts["net"])),
        "tax_amount": fmt_amount(vats[0]) if len(vats) == 1 else None,
        "total_amount": fmt_amount(parse_local(amounts["gross"])), "iban": spec.iban,
        "lines": [line_truth(r, r.net) for r in spec.rows],
    }
    return {k: v for k, v in truth.items() if v is not None}


# facturization (PyPI, MIT): a Jinja2 LaTeX template (pdflatex, article class): 'Invoice'
# with number and dates ('March 5, 2026') top right, 'From' and 'To' blocks side by side
# with 'VAT ID:' rows under each address, an eight-column booktabs table (Pos., Description,
# Qty, Unit price, Net, VAT rate, VAT, Amount: each line's net and gross both printed), then
# 'Total excl. VAT', 'VAT' and 'Total incl. VAT' with the currency code after each, a
# 'Payment' block of label: value rows. English labels only (the template's); the decimal
# separator a dot or a comma (its 'separator' option), quantities always as Python's '%g'.
# Each line's net and VAT rounded half-up, the totals their sums.
FZ_COMMA = ("de", "fr", "fi")


def _facturization_spec(rng: random.Random, locale: str, serial: int) -> Spec:
    return _scrlttr2_spec(rng, locale, serial)  # typeset by pdflatex as well


def _facturization_amounts(spec: Spec) -> tuple[list[Decimal], Decimal, Decimal]:
    nets = [q(r.net, ROUND_HALF_UP) for r in spec.rows]
    vats = [q(n * r.rate / 100, ROUND_HALF_UP) for n, r in zip(nets, spec.rows, strict=True)]
    return nets, sum(nets, Decimal(0)), sum(vats, Decimal(0))


def _facturization_job(spec: Spec) -> dict[str, Any]:
    v, b = spec.vendor, spec.buyer
    phone = f"+{sum(map(ord, spec.number)) % 90 + 10} 555 {len(spec.rows)}0{spec.issued.day}"

    def party(p: Party, email: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"address": [p.name, p.street, p.city]}
        if p.tax_id_text:
            out["vat_identification_number"] = p.tax_id_text
        if email:
            out["email"] = "billing@" + re.sub(r"[^a-z]", "", p.name.lower())[:14] + ".example"
            out["phone"] = phone
        return out

    payment: dict[str, str] = {}
    if spec.iban:
        payment = {"Bank": "Account at our bank", "IBAN": spec.iban,
                   "Reference": spec.number}
    data = {"invoice_number": spec.number, "issue_date": spec.issued, "due_date": spec.due,
            "separator": "comma" if spec.locale in FZ_COMMA else "dot",
            "currency": spec.currency, "from": party(v, True), "to": party(b, False),
            "service": [{"description": r.description, "quantity": str(r.quantity),
                         "unit_price": str(r.unit_price), "vat": str(r.rate)}
                        for r in spec.rows],
            "payment": payment, "closingnote": "Thank you for your business."}
    return {"yaml": _yaml_data(data)}


def _yaml_data(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as the YAML file a user writes holds it (dates as dates, numbers as text)."""
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}


def _facturization_truth(spec: Spec, report: Mapping[str, Any]) -> dict[str, Any]:
    nets, net, tax = _facturization_amounts(spec)
    truth: dict[str, Any] = {
        "invoice_number": spec.number, "issue_date": spec.issued.isoformat(),
        "due_date": spec.due.isoformat(), "vendor_name": spec.vendor.name,
        "vendor_tax_id": spec.vendor.tax_id, "buyer_name": spec.buyer.name,
        "buyer_tax_id": spec.buyer.tax_id, "currency": spec.currency,
        "net_amount": fmt_amount(net), "tax_amount": fmt_amount(tax),
        "total_amount": fmt_amount(net + tax), "iban": spec.iban,
        "lines": [line_truth(r, n) for r, n in zip(spec.rows, nets, strict=True)],
    }
    return {k: v for k, v in truth.items() if v is not None}


# billwright (PyPI, Apache-2.0): Swiss invoices, HTML and CSS typeset by WeasyPrint: a
# wordmark top left (the brand, not the registered name), the sender's person and address
# in a one-line return row, the client's window address left and a 'Datum' /
# 'Rechnungsnummer' / 'UID' block right, the title under them, a table of position,
# quantity, unit, description, unit price and line total, 'Nettopreis', 'MWST 8.1%' and
# 'Rechnungsbetrag', payment terms in days (no due date), the signature with the company's
# name, and the Swiss QR-bill payment part (account, creditor, amount) at the foot. Amounts
# in Swiss form ('1’234.50 CHF'); German (de-CH) or English strings (the client's
# language). Bill numbers are its own ('RE-26012'); prices per line come from the bill
# (its 'unit_price'); net, VAT and total rounded half-up to the centime, as the package
# computes them (the renderer reports them).
BW_UNITS = ("hours", "days", "items", "flat")


def _billwright_spec(rng: random.Random, locale: str, serial: int) -> Spec:
    spec = make_spec(rng, "de-ch", serial)
    return Spec(**{**spec.__dict__, "locale": locale,
                   "number": f"RE-{spec.issued.year % 100:02d}{serial:03d}"})


def _billwright_job(spec: Spec) -> dict[str, Any]:
    v, b = spec.vendor, spec.buyer
    rng = random.Random(f"billwright-{spec.number}-{b.name}")

    def address(p: Party) -> dict[str, str]:
        street, number = p.street.rsplit(" ", 1)
        code, city = p.city.split(" ", 1)
        return {"name": p.name, "street": street, "house_number": number,
                "postal_code": code, "city": city, "country": p.country}

    person = rng.choice(("Dr. Alex Muster", "Nina Baumann", "Urs Gerber"))
    company = {"name": v.name, "person": person,
               "email": "rechnung@" + re.sub(r"[^a-z]", "", v.name.lower())[:12] + ".ch",
               "legal_form": v.name.rsplit(" ", 1)[-1], "bank": "Zürcher Kantonalbank",
               "iban": spec.iban, "bic": "", "uid": v.tax_id_text or "",
               "vat_registered": True, "vat_rate": str(spec.rows[0].rate),
               "default_terms_days": 30, "default_language": "de", "address": address(v)}
    language = "en" if spec.locale.startswith("en") else "de"
    client = {"contact": "", "language": language, "reference": "", "address": address(b)}
    bill = {"number": spec.number, "date": spec.issued.isoformat(), "client": "client",
            "language": language, "terms_days": (spec.due - spec.issued).days,
            "items": [{"description": r.description, "quantity": str(r.quantity),
                       "unit": rng.choice(BW_UNITS), "unit_price": str(r.unit_price)}
                      for r in spec.rows]}
    return {"company": company, "client": client, "bill": bill,
            "brand": v.name.split()[0]}


def _billwright_truth(spec: Spec, report: Mapping[str, Any]) -> dict[str, Any]:
    amounts = report["amounts"]
    truth: dict[str, Any] = {
        "invoice_number": spec.number, "issue_date": spec.issued.isoformat(),
        # the UID itself (the project's contract holds a Swiss VAT number without its
        # 'MWST' suffix, as robots.invoices.values reads it)
        "vendor_name": spec.vendor.name,
        "vendor_tax_id": (spec.vendor.tax_id or "").removesuffix("MWST") or None,
        "buyer_name": spec.buyer.name, "currency": spec.currency,
        "net_amount": amounts["net"], "tax_amount": amounts["vat"],
        "total_amount": amounts["total"], "iban": spec.iban,
        "lines": [line_truth(r, q(r.net, ROUND_HALF_UP)) for r in spec.rows],
    }
    return {k: v for k, v in truth.items() if v is not None}


def _tex_has(name: str) -> bool:
    return shutil.which("kpsewhich") is not None and subprocess.run(
        ["kpsewhich", name], capture_output=True, check=False).returncode == 0


def _pdflatex_ready(cache: Path) -> bool:
    return shutil.which("pdflatex") is not None and _tex_has("scrlttr2.cls")


def _has(*parts: str) -> Callable[[Path], bool]:
    return lambda cache: cache.joinpath(*parts).exists()


GENERATORS = (
    Generator("InvoiceGenerator", "InvoiceGenerator (PyPI)", PY_PINS["InvoiceGenerator"],
              "BSD", ("en-gb", "en-us", "de", "cs"),
              lambda rng, loc, n: make_spec(rng, loc, n, integer_rates=True),
              _has("python", "InvoiceGenerator"), _python_render("render_invoicegenerator.py"),
              _invoicegenerator_truth, exact_line),
    Generator("pyinvoice", "pyinvoice (PyPI)", PY_PINS["pyinvoice"], "MIT",
              ("en-gb", "en-us", "de", "fi"),
              lambda rng, loc, n: make_spec(rng, loc, n, one_rate=True,
                                            integer_quantities=True),
              _has("python", "pyinvoice"), _python_render("render_pyinvoice.py"),
              _pyinvoice_truth, loose_line),
    Generator("microinvoice", "microinvoice (npm)", NPM_PINS["microinvoice"], "MIT",
              ("en-gb", "en-us", "de", "fr"),
              lambda rng, loc, n: make_spec(rng, loc, n),
              _has("node", "node_modules", "microinvoice"),
              _node_render("render_microinvoice.js", _microinvoice_job),
              _microinvoice_truth, exact_line),
    Generator("jspdf-template", "jspdf-invoice-template-nodejs (npm)",
              NPM_PINS["jspdf-invoice-template-nodejs"], "ISC", ("en-gb", "de", "fr", "fi"),
              lambda rng, loc, n: make_spec(rng, loc, n),
              _has("node", "node_modules", "jspdf-invoice-template-nodejs"),
              _node_render("render_jspdf_template.js", _jspdf_job), _jspdf_truth, exact_line),
    Generator("pdf-invoice", "@h1dd3nsn1p3r/pdf-invoice (npm)",
              NPM_PINS["@h1dd3nsn1p3r/pdf-invoice"], "MIT", ("en-us", "en-gb", "de"),
              _pdf_invoice_spec, _has("node", "node_modules", "@h1dd3nsn1p3r", "pdf-invoice"),
              _node_render("render_pdf_invoice.js", _pdf_invoice_job), _pdf_invoice_truth,
              loose_line),
    Generator("arca-factura", "arca-factura-pdf (PyPI)", PY_PINS["arca-factura-pdf"], "MIT",
              ("es-ar",), _arca_spec, _has("python", "factura_pdf"),
              _python_render("render_arca.py", _arca_job), _arca_truth, loose_line),
    Generator("scrlttr2", "KOMA-Script scrlttr2 (Debian texlive)", "texlive 2022", "LPPL",
              ("de.DIN", "fr.NF", "en-us.UScommercial9", "de.DINmtext", "de.SN", "fr.DIN",
               "de.DIN5008B", "en-gb.DIN5008A", "fr.SNleft", "de.DIN5008A",
               "en-us.UScommercial9DW", "en-gb.KOMAold"),
              _scrlttr2_spec, _pdflatex_ready, _scrlttr2_render, _scrlttr2_truth, loose_line,
              TEX_HINT),
    Generator("dinbrief", "dinbrief (PyPI)", PY_PINS["dinbrief"],
              "MIT OR BSD-2-Clause OR Apache-2.0",
              ("de", "en-gb", "en-us"), lambda rng, loc, n: make_spec(rng, loc, n),
              _has("python", "dinbrief"), _python_render("render_dinbrief.py", _dinbrief_job),
              _dinbrief_truth, loose_line),
    Generator("facturization", "facturization (PyPI)", PY_PINS["facturization"], "MIT",
              ("en-gb", "de", "fr", "en-us", "fi"), _facturization_spec,
              lambda cache: cache.joinpath("python", "facturization").exists()
              and shutil.which("pdflatex") is not None
              and all(map(_tex_has, FACTURIZATION_TEX)),
              _python_render("render_facturization.py", _facturization_job),
              _facturization_truth, exact_line, TEX_HINT),
    Generator("billwright", "billwright (PyPI)", PY_PINS["billwright"], "Apache-2.0",
              ("de-ch", "en-ch"), _billwright_spec, _has("python", "billwright"),
              _python_render("render_billwright.py", _billwright_job), _billwright_truth,
              loose_line),
)


# --- install, render, check ------------------------------------------------------------------

def install(cache: Path) -> None:
    """Install every program at its pinned version into ``cache`` (PyPI and npm), and
    scrlttr2's TeX from Debian when pdflatex is missing."""
    install_tex()
    (cache / "python").mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--upgrade",
                    "--target", str(cache / "python"),
                    *[f"{name}=={version}" for name, version in PY_PINS.items()]], check=True)
    node = cache / "node"
    node.mkdir(parents=True, exist_ok=True)
    (node / "package.json").write_text(json.dumps(
        {"name": "backoffice-bots-thirdparty", "private": True,
         "dependencies": dict(NPM_PINS)}, indent=2) + "\n", "utf-8")
    npm = shutil.which("npm")
    if npm is None:
        print("npm is not on PATH: the npm programs are skipped")
        return
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "--save-exact"], cwd=node,
                   check=True)


def install_tex() -> None:
    """The TeX packages of scrlttr2 and facturization (apt, as root), only when pdflatex or
    one of facturization's files is missing."""
    if shutil.which("pdflatex") is not None and all(map(_tex_has, FACTURIZATION_TEX)):
        return
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        print(f"pdflatex is missing and cannot be installed from here (apt-get as root "
              f"needed): apt-get install -y --no-install-recommends {' '.join(TEX_PACKAGES)}; "
              "until then the scrlttr2 source is skipped")
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = [apt, "install", "-y", "--no-install-recommends", *TEX_PACKAGES]
    if subprocess.run(command, env=env, check=False).returncode:  # stale package lists
        subprocess.run([apt, "update"], env=env, check=True)
        subprocess.run(command, env=env, check=True)


def write_generator(gen: Generator, folder: Path, per_generator: int, seed: int,
                    cache: Path = CACHE) -> dict[Path, dict[str, Any]]:
    """Render ``per_generator`` invoices with one program; {pdf: truth}, each truth checked
    against its page."""
    rng = random.Random(f"{seed}-{gen.name}")
    folder.mkdir(parents=True, exist_ok=True)
    batch = []
    for i in range(per_generator):
        locale = gen.locales[i % len(gen.locales)]
        batch.append((gen.spec(rng, locale, i + 1),
                      folder / f"{gen.name.lower()}-{locale}-{i + 1:02d}.pdf"))
    reports = gen.render(cache, batch)
    out: dict[Path, dict[str, Any]] = {}
    for (spec, pdf), report in zip(batch, reports, strict=True):
        truth = gen.truth(spec, report)
        missing = unseen(truth, page_text(pdf), report.get("dates", {}))
        if missing:
            raise AssertionError(f"{pdf.name}: truth not on the page: {missing}")
        pdf.with_suffix(".truth.json").write_text(
            json.dumps(truth, indent=1, ensure_ascii=False) + "\n", "utf-8")
        out[pdf] = truth
    return out


def missing_generators(cache: Path = CACHE) -> list[str]:
    return [g.name for g in GENERATORS if not g.ready(cache)]


def write_thirdparty(folder: Path, per_generator: int, seed: int, cache: Path = CACHE,
                     only: frozenset[str] = frozenset()) -> dict[Path, dict[str, Any]]:
    """Render ``per_generator`` invoices with each installed program (those named in
    ``only``, when given) into ``folder/<name>/``; {pdf: truth}. {} (with the reason
    printed) when none is installed."""
    out: dict[Path, dict[str, Any]] = {}
    for gen in GENERATORS:
        if only and gen.name not in only:
            continue
        if not gen.ready(cache):
            print(f"third-party {gen.name}: not installed; {gen.hint}")
            continue
        out.update(write_generator(gen, folder / gen.name.lower(), per_generator, seed, cache))
    return out


def generator_of(pdf: Path) -> Generator:
    """The program that wrote ``pdf`` (its folder is named for it)."""
    return next(g for g in GENERATORS if g.name.lower() == pdf.parent.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true",
                        help="install the programs (pinned) into the cache, then render")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--n", type=int, default=8, help="invoices per program")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the PDFs and their .truth.json (default: a temp dir)")
    parser.add_argument("--only", action="append", default=[],
                        choices=[g.name for g in GENERATORS],
                        help="render with this program only (repeatable)")
    args = parser.parse_args()
    only = frozenset(args.only)
    if args.install:
        install(args.cache)
    if missing_generators(args.cache) == [g.name for g in GENERATORS]:
        print(f"no third-party invoice program installed in {args.cache}; run {INSTALL_HINT}")
        return
    if args.out is None:
        import tempfile
        with tempfile.TemporaryDirectory(prefix="thirdparty-") as tmp:
            made = write_thirdparty(Path(tmp), args.n, args.seed, args.cache, only)
            print(f"{len(made)} invoices rendered, every truth value found on its page")
        return
    made = write_thirdparty(args.out, args.n, args.seed, args.cache, only)
    print(f"{len(made)} invoices with their truth in {args.out}")


if __name__ == "__main__":
    main()
