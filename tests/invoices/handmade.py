"""Hand-made invoices in layouts the sample generator never produces (US, French, Dutch,
Indian, German letter-window, Polish), each drawn here with fpdf2 and paired with its truth.

They keep the reader honest: it must work on layouts it was not written against.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from fpdf import FPDF

from robots.invoices import checksums
from robots.invoices.sample_pdf import new_pdf, put

Truth = dict[str, Any]


def _line(desc: str, qty: str, price: str, amount: str, rate: str | None) -> dict[str, Any]:
    return {"description": desc, "quantity": qty, "unit_price": price, "amount": amount,
            "tax_rate": rate}


Head = tuple[str, float, bool]  # header text, x, right-aligned


def _table(pdf: FPDF, y: float, heads: tuple[Head, ...], rows: list[tuple[str, ...]],
           head_size: float = 8) -> float:
    """A header row and its rows, each cell aligned like its header; returns the next y."""
    for text, x, right in heads:
        put(pdf, x, y, text, head_size, bold=True, right=right)
    y += 7
    for row in rows:
        for text, (_, x, right) in zip(row, heads, strict=True):
            put(pdf, x, y, text, right=right)
        y += 6
    return y


def _totals(pdf: FPDF, y: float, pairs: tuple[tuple[str, str], ...], x_label: float,
            x_value: float, bold_last: bool = False) -> float:
    for i, (label, value) in enumerate(pairs):
        bold = bold_last and i == len(pairs) - 1
        put(pdf, x_label, y + 6, label, bold=bold)
        put(pdf, x_value, y + 6, value, right=True, bold=bold)
        y += 6
    return y


def us_invoice(pdf: FPDF) -> Truth:
    pdf.set_font("Helvetica", "B", 20)
    pdf.text(15, 20, "Acme Widgets Inc.")
    pdf.set_font("Helvetica", "", 9)
    pdf.text(15, 26, "500 Market Street, Suite 200, San Francisco, CA 94105")
    pdf.text(15, 31, "Tax ID: 94-3125678")
    pdf.set_font("Helvetica", "B", 24)
    pdf.text(150, 20, "INVOICE")
    pdf.set_font("Helvetica", "", 10)
    for y, (k, v) in zip((32, 38, 44), (("Invoice #", "10045"), ("Date", "03/14/2026"),
                                         ("Due Date", "04/13/2026")), strict=True):
        pdf.text(140, y, f"{k}:")
        pdf.text(172, y, v)
    pdf.set_font("Helvetica", "B", 10)
    pdf.text(15, 55, "BILL TO")
    pdf.set_font("Helvetica", "", 10)
    pdf.text(15, 61, "Globex Corporation")
    pdf.text(15, 66, "42 Elm Road, Springfield, IL 62701")
    rows = [("Widget, large", "10", "$24.50", "$245.00"), ("Assembly service", "3",
            "$85.00", "$255.00"), ("Shipping & handling", "1", "$39.99", "$39.99")]
    pdf.set_font("Helvetica", "B", 10)
    for x, h in ((15, "DESCRIPTION"), (120, "QTY"), (145, "RATE"), (178, "AMOUNT")):
        pdf.text(x, 85, h)
    pdf.set_font("Helvetica", "", 10)
    y = 93
    for desc, qty, rate, amount in rows:
        pdf.text(15, y, desc)
        pdf.text(122, y, qty)
        pdf.text(145, y, rate)
        pdf.text(178, y, amount)
        y += 7
    for label, value in (("Subtotal", "$539.99"), ("Sales Tax (8.5%)", "$45.90"),
                         ("Total", "$585.89"), ("Amount Due", "$585.89")):
        pdf.text(130, y + 6, label)
        pdf.text(178, y + 6, value)
        y += 7
    pdf.text(15, 270, "Thank you for your business! Make checks payable to Acme Widgets Inc.")
    return {
        "invoice_number": "10045", "issue_date": "2026-03-14", "due_date": "2026-04-13",
        "vendor_name": "Acme Widgets Inc.", "vendor_tax_id": "94-3125678",
        "buyer_name": "Globex Corporation", "buyer_tax_id": None, "currency": "USD",
        "net_amount": "539.99", "tax_amount": "45.90", "total_amount": "585.89",
        "iban": None, "payment_reference": None,
        "lines": [_line("Widget, large", "10", "24.50", "245.00", None),
                  _line("Assembly service", "3", "85.00", "255.00", None),
                  _line("Shipping & handling", "1", "39.99", "39.99", None)],
    }


def french_invoice(pdf: FPDF) -> Truth:
    siren = "732829320"
    vat = f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
    put(pdf, 15, 18, "Boulangerie Dupont SARL", 14, bold=True)
    put(pdf, 15, 24, "12 rue de la Paix, 75002 Paris")
    put(pdf, 15, 29, f"N° TVA intracommunautaire : {vat}")
    put(pdf, 15, 34, "SIRET : 73282932000074")
    put(pdf, 120, 45, "Client :", bold=True)
    put(pdf, 120, 50, "Hôtel Lumière SAS", 10)
    put(pdf, 120, 55, "8 avenue Foch, 69006 Lyon")
    put(pdf, 15, 45, "FACTURE", 18, bold=True)
    put(pdf, 15, 53, "Facture n° : F-2026-0042")
    put(pdf, 15, 58, "Date de facture : 15/03/2026")
    put(pdf, 15, 63, "Date d'échéance : 14/04/2026")
    y = _table(pdf, 80, (("Désignation", 15, False), ("Qté", 110, True),
                         ("Prix unitaire HT", 145, True), ("TVA", 162, True),
                         ("Montant HT", 195, True)),
               [("Croissants (lot de 50)", "4", "32,50 €", "5,5 %", "130,00 €"),
                ("Pain de campagne", "20", "4,20 €", "5,5 %", "84,00 €"),
                ("Prestation de livraison", "1", "45,00 €", "20 %", "45,00 €")])
    _totals(pdf, y, (("Total HT", "259,00 €"), ("TVA 5,5 %", "11,77 €"),
                     ("TVA 20 %", "9,00 €"), ("Total TTC", "279,77 €")), 130, 195)
    put(pdf, 15, 250, "Règlement par virement — IBAN : FR14 2004 1010 0505 0001 3M02 606")
    put(pdf, 15, 255, "Pénalités de retard : trois fois le taux d'intérêt légal.", 7)
    return {
        "invoice_number": "F-2026-0042", "issue_date": "2026-03-15", "due_date": "2026-04-14",
        "vendor_name": "Boulangerie Dupont SARL", "vendor_tax_id": vat,
        "buyer_name": "Hôtel Lumière SAS", "buyer_tax_id": None, "currency": "EUR",
        "net_amount": "259.00", "tax_amount": "20.77", "total_amount": "279.77",
        "iban": "FR1420041010050500013M02606", "payment_reference": None,
        "lines": [_line("Croissants (lot de 50)", "4", "32.50", "130.00", "5.5"),
                  _line("Pain de campagne", "20", "4.20", "84.00", "5.5"),
                  _line("Prestation de livraison", "1", "45.00", "45.00", "20")],
    }


def dutch_invoice(pdf: FPDF) -> Truth:
    put(pdf, 140, 18, "Van Dijk Installatietechniek B.V.", 9, bold=True)
    put(pdf, 140, 23, "Kanaalweg 14, 3526 KL Utrecht", 8)
    put(pdf, 140, 28, "KvK: 30123456", 8)
    put(pdf, 140, 33, "BTW-nummer: NL812345678B01", 8)
    put(pdf, 140, 38, "IBAN: NL91 ABNA 0417 1643 00", 8)
    put(pdf, 15, 50, "Factuur", 20, bold=True)
    put(pdf, 15, 62, "Klant", 8, bold=True)
    put(pdf, 15, 67, "Bakkerij De Molen V.O.F.", 10)
    put(pdf, 15, 72, "Dorpsstraat 3, 1234 AB Amstelveen")
    for i, (k, v) in enumerate((("Factuurnummer", "2026-118"), ("Factuurdatum", "2 maart 2026"),
                                ("Vervaldatum", "1 april 2026"))):
        put(pdf, 120, 62 + 5 * i, k)
        put(pdf, 160, 62 + 5 * i, v)
    y = _table(pdf, 90, (("Omschrijving", 15, False), ("Aantal", 120, True),
                         ("Prijs", 145, True), ("BTW %", 165, True), ("Bedrag", 195, True)),
               [("Onderhoud cv-ketel", "1", "€ 145,00", "21%", "€ 145,00"),
                ("Vervangen thermostaat", "2", "€ 89,50", "21%", "€ 179,00"),
                ("Voorrijkosten", "1", "€ 35,00", "21%", "€ 35,00")])
    _totals(pdf, y, (("Subtotaal", "€ 359,00"), ("BTW 21%", "€ 75,39"),
                     ("Totaal", "€ 434,39")), 130, 195, bold_last=True)
    put(pdf, 15, 270, "Gelieve te betalen binnen 30 dagen onder vermelding van het "
                      "factuurnummer.", 8)
    return {
        "invoice_number": "2026-118", "issue_date": "2026-03-02", "due_date": "2026-04-01",
        "vendor_name": "Van Dijk Installatietechniek B.V.", "vendor_tax_id": "NL812345678B01",
        "buyer_name": "Bakkerij De Molen V.O.F.", "buyer_tax_id": None, "currency": "EUR",
        "net_amount": "359.00", "tax_amount": "75.39", "total_amount": "434.39",
        "iban": "NL91ABNA0417164300", "payment_reference": None,
        "lines": [_line("Onderhoud cv-ketel", "1", "145.00", "145.00", "21"),
                  _line("Vervangen thermostaat", "2", "89.50", "179.00", "21"),
                  _line("Voorrijkosten", "1", "35.00", "35.00", "21")],
    }


def indian_invoice(pdf: FPDF) -> Truth:
    seller = "27AAPFU0939F1Z" + checksums.gstin_check("27AAPFU0939F1Z")
    buyer = "29AABCT3518Q1Z" + checksums.gstin_check("29AABCT3518Q1Z")
    put(pdf, 75, 15, "TAX INVOICE", 14, bold=True)
    put(pdf, 15, 25, "Sharma Textiles Pvt. Ltd.", 12, bold=True)
    put(pdf, 15, 30, "Plot 7, MIDC Bhiwandi, Maharashtra 421302")
    put(pdf, 15, 35, f"GSTIN: {seller}")
    put(pdf, 130, 25, "Invoice No.: ST/25-26/0097")
    put(pdf, 130, 30, "Invoice Date: 12-03-2026")
    put(pdf, 130, 35, "Due Date: 11-04-2026")
    put(pdf, 15, 48, "Billed To:", bold=True)
    put(pdf, 15, 53, "Trident Retail Private Limited")
    put(pdf, 15, 58, "MG Road, Bengaluru, Karnataka 560001")
    put(pdf, 15, 63, f"GSTIN: {buyer}")
    y = _table(pdf, 78, (("S.No", 15, False), ("Description of Goods", 27, False),
                         ("HSN", 105, False), ("Qty", 135, True), ("Rate", 160, True),
                         ("Amount", 195, True)),
               [("1", "Cotton fabric, 60 inch", "5208", "500", "180.00", "90,000.00"),
                ("2", "Polyester thread spools", "5401", "200", "50.00", "10,000.00")])
    y = _totals(pdf, y, (("Taxable Value", "1,00,000.00"), ("IGST @ 18%", "18,000.00"),
                         ("Total Invoice Value (INR)", "1,18,000.00")), 110, 195)
    put(pdf, 15, y + 14, "Amount in words: Rupees One Lakh Eighteen Thousand Only", 8)
    return {
        "invoice_number": "ST/25-26/0097", "issue_date": "2026-03-12",
        "due_date": "2026-04-11", "vendor_name": "Sharma Textiles Pvt. Ltd.",
        "vendor_tax_id": seller, "buyer_name": "Trident Retail Private Limited",
        "buyer_tax_id": buyer, "currency": "INR", "net_amount": "100000.00",
        "tax_amount": "18000.00", "total_amount": "118000.00", "iban": None,
        "payment_reference": None,
        "lines": [_line("Cotton fabric, 60 inch", "500", "180.00", "90000.00", None),
                  _line("Polyester thread spools", "200", "50.00", "10000.00", None)],
    }


def german_letter_invoice(pdf: FPDF) -> Truth:
    vat = "DE13672515" + checksums.de_vat_check("13672515")
    put(pdf, 15, 20, "Werkzeughandel Braun GmbH", 14, bold=True)
    put(pdf, 15, 45, "Werkzeughandel Braun GmbH · Industriestr. 9 · 70565 Stuttgart", 6)
    put(pdf, 15, 52, "Rechnungsempfänger:", 8, bold=True)
    put(pdf, 15, 57, "Schreinerei Keller KG", 10)
    put(pdf, 15, 62, "Lindenweg 4")
    put(pdf, 15, 67, "72070 Tübingen")
    put(pdf, 130, 52, "Rechnung Nr.")
    put(pdf, 165, 52, "RE-2026-0315")
    put(pdf, 130, 57, "Datum")
    put(pdf, 165, 57, "5. März 2026")
    put(pdf, 130, 62, "Kundennummer")
    put(pdf, 165, 62, "10023")
    put(pdf, 130, 67, "Zahlbar bis")
    put(pdf, 165, 67, "19.03.2026")
    put(pdf, 15, 85, "Rechnung", 14, bold=True)
    y = _table(pdf, 95, (("Pos.", 15, False), ("Artikel", 27, False), ("Menge", 120, True),
                         ("Einzelpreis", 150, True), ("Gesamt", 195, True)),
               [("1", "Akku-Bohrschrauber 18 V", "2", "149,00", "298,00"),
                ("2", "Holzbohrer-Set, 8-teilig", "5", "12,90", "64,50"),
                ("3", "Schleifpapier K120 (50 Stück)", "3", "18,40", "55,20")])
    _totals(pdf, y, (("Zwischensumme", "417,70 €"), ("zzgl. 19 % USt.", "79,36 €"),
                     ("Rechnungsbetrag", "497,06 €")), 120, 195)
    put(pdf, 15, 272, "Sparkasse Stuttgart · IBAN: DE89 3704 0044 0532 0130 00 · "
                      f"USt-IdNr.: {vat}", 7)
    return {
        "invoice_number": "RE-2026-0315", "issue_date": "2026-03-05",
        "due_date": "2026-03-19", "vendor_name": "Werkzeughandel Braun GmbH",
        "vendor_tax_id": vat, "buyer_name": "Schreinerei Keller KG", "buyer_tax_id": None,
        "currency": "EUR", "net_amount": "417.70", "tax_amount": "79.36",
        "total_amount": "497.06", "iban": "DE89370400440532013000", "payment_reference": None,
        "lines": [_line("Akku-Bohrschrauber 18 V", "2", "149.00", "298.00", None),
                  _line("Holzbohrer-Set, 8-teilig", "5", "12.90", "64.50", None),
                  _line("Schleifpapier K120 (50 Stück)", "3", "18.40", "55.20", None)],
    }


def polish_invoice(pdf: FPDF) -> Truth:
    put(pdf, 15, 18, "Faktura VAT nr 12/03/2026", 14, bold=True)
    put(pdf, 130, 18, "Data wystawienia: 2026-03-12")
    put(pdf, 130, 23, "Data sprzedaży: 2026-03-12")
    put(pdf, 130, 28, "Termin płatności: 2026-03-26")
    put(pdf, 15, 40, "Sprzedawca:", bold=True)
    put(pdf, 15, 45, "Wrocławska Drukarnia Sp. z o.o.")
    put(pdf, 15, 50, "ul. Świdnicka 5, 50-066 Wrocław")
    put(pdf, 15, 55, "NIP: 897-176-63-58")
    put(pdf, 110, 40, "Nabywca:", bold=True)
    put(pdf, 110, 45, "Księgarnia Żak s.c.")
    put(pdf, 110, 50, "ul. Długa 8, 80-827 Gdańsk")
    put(pdf, 110, 55, "NIP: 583-000-09-19")
    y = _table(pdf, 70, (("Lp.", 15, False), ("Nazwa", 25, False), ("Ilość", 105, True),
                         ("Cena netto", 130, True), ("VAT", 145, True),
                         ("Wartość netto", 172, True), ("Wartość brutto", 197, True)),
               [("1", "Ulotki A5, 1000 szt.", "2", "250,00", "23%", "500,00", "615,00"),
                ("2", "Wizytówki", "1", "120,00", "23%", "120,00", "147,60")], head_size=7)
    y = _totals(pdf, y, (("Razem netto:", "620,00 zł"), ("Razem VAT:", "142,60 zł"),
                         ("Do zapłaty:", "762,60 zł")), 120, 197, bold_last=True)
    put(pdf, 15, y + 12, "Słownie: siedemset sześćdziesiąt dwa złote 60/100")
    put(pdf, 15, y + 18, "Konto: PL61 1090 1014 0000 0712 1981 2874")
    return {
        "invoice_number": "12/03/2026", "issue_date": "2026-03-12", "due_date": "2026-03-26",
        "vendor_name": "Wrocławska Drukarnia Sp. z o.o.", "vendor_tax_id": "8971766358",
        "buyer_name": "Księgarnia Żak s.c.", "buyer_tax_id": "5830000919", "currency": "PLN",
        "net_amount": "620.00", "tax_amount": "142.60", "total_amount": "762.60",
        "iban": "PL61109010140000071219812874", "payment_reference": None,
        "lines": [_line("Ulotki A5, 1000 szt.", "2", "250.00", "500.00", "23"),
                  _line("Wizytówki", "1", "120.00", "120.00", "23")],
    }


HANDMADE: dict[str, Callable[[FPDF], Truth]] = {
    "us": us_invoice, "fr": french_invoice, "nl": dutch_invoice, "in": indian_invoice,
    "de_letter": german_letter_invoice, "pl_plain": polish_invoice,
}


def write_fixtures(
    folder: Path, builders: Mapping[str, Callable[[FPDF], Truth]]
) -> dict[Path, Truth]:
    """Draw each fixture into ``folder``; returns each PDF's path with its truth."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, build in builders.items():
        pdf = new_pdf()
        truth = build(pdf)
        path = folder / f"handmade-{name}.pdf"
        pdf.output(str(path))
        out[path] = truth
    return out


def write_handmade(folder: Path) -> dict[Path, Truth]:
    return write_fixtures(folder, HANDMADE)
