"""More hand-made invoices, in layouts real vendors use and the sample generator never draws.

Each one varies what a template-free reader must generalise over: where labels sit (left of,
above, in a right-hand key/value block, in a footer), how they end (``:``, ``#``, ``No.``),
date styles (``Jan 5, 2026``, ``5. Januar 2026``, ``5 janvier 2026``, ``05-01-2026``,
``2026.01.05``), number styles (``1,234.56``, ``1.234,56``, ``1 234,56``, lakh grouping,
``EUR 1.234,56``, ``1234.56 zł``), currency symbols, several VAT rates, discounts and
shipping, credit notes, a table continued on a second page, and a vendor named only in the
footer. The truth is written by hand next to each drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF

from robots.invoices import checksums
from robots.invoices.sample_pdf import put
from tests.invoices.handmade import Truth, _line, _table, _totals, write_fixtures


def _iban(country: str, bban: str) -> str:
    return country + checksums.iban_check_digits(country, bban) + bban


def _spaced(iban: str) -> str:
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def _pl_nip(base9: str) -> str:
    return base9 + (checksums.pl_nip_check(base9) or "")


def _se_org(base9: str) -> str:
    return base9 + checksums.luhn_check(base9)


def _kv(pdf: FPDF, x_label: float, x_value: float, y: float,
        pairs: tuple[tuple[str, str], ...], right: bool = False, step: float = 5) -> None:
    """A key/value block: labels in one column, values in the next."""
    for i, (key, value) in enumerate(pairs):
        put(pdf, x_label, y + step * i, key)
        put(pdf, x_value, y + step * i, value, right=right)


def us_saas_bill_and_ship(pdf: FPDF) -> Truth:
    """US vendor, labels above values in a boxed header row, Bill to + Ship to side by side,
    a discount and a shipping line, no tax at all."""
    put(pdf, 15, 20, "Brightline Software LLC", 16, bold=True)
    put(pdf, 15, 26, "1200 Congress Ave, Austin, TX 78701")
    put(pdf, 160, 20, "INVOICE", 18, bold=True)
    for x, (k, v) in zip((15, 65, 115, 160), (("Invoice Number", "BL-2026-0107"),
                                               ("Invoice Date", "Jan 5, 2026"),
                                               ("Due Date", "Feb 4, 2026"),
                                               ("Amount Due", "$1,930.00")), strict=True):
        put(pdf, x, 40, k, 8, bold=True)
        put(pdf, x, 46, v, 10)
    put(pdf, 15, 60, "Bill To", 8, bold=True)
    put(pdf, 15, 65, "Northwind Traders Inc.")
    put(pdf, 15, 70, "77 Harbor Blvd, Seattle, WA 98101")
    put(pdf, 110, 60, "Ship To", 8, bold=True)
    put(pdf, 110, 65, "Northwind Warehouse")
    put(pdf, 110, 70, "5 Dock Street, Tacoma, WA 98402")
    y = _table(pdf, 88, (("Description", 15, False), ("Qty", 120, True),
                         ("Unit Price", 155, True), ("Amount", 195, True)),
               [("Analytics seat, annual", "12", "$150.00", "$1,800.00"),
                ("Onboarding workshop", "1", "$250.00", "$250.00")])
    _totals(pdf, y, (("Subtotal", "$2,050.00"), ("Discount (10% on seats)", "-$180.00"),
                     ("Shipping", "$60.00"), ("Total", "$1,930.00"),
                     ("Amount Due (USD)", "$1,930.00")), 120, 195, bold_last=True)
    return {
        "invoice_number": "BL-2026-0107", "issue_date": "2026-01-05",
        "due_date": "2026-02-04", "vendor_name": "Brightline Software LLC",
        "vendor_tax_id": None, "buyer_name": "Northwind Traders Inc.", "buyer_tax_id": None,
        "currency": "USD", "net_amount": "1930.00", "tax_amount": "0.00",
        "total_amount": "1930.00", "iban": None, "payment_reference": None,
        "lines": [_line("Analytics seat, annual", "12", "150.00", "1800.00", None),
                  _line("Onboarding workshop", "1", "250.00", "250.00", None)],
    }


def us_vendor_in_footer(pdf: FPDF) -> Truth:
    """The vendor's name appears only in the footer; 'Invoice #' and 'Date:' in a right-hand
    block; sales tax on a subtotal; long month names."""
    put(pdf, 15, 22, "INVOICE", 22, bold=True)
    _kv(pdf, 130, 195, 20, (("Invoice #", "7781"), ("Date:", "January 15, 2026"),
                            ("Terms:", "Net 30"), ("Due:", "February 14, 2026")), right=True)
    put(pdf, 15, 45, "Bill to:", bold=True)
    put(pdf, 15, 50, "Pinecrest Dental Group")
    put(pdf, 15, 55, "18 Maple Drive, Portland, OR 97205")
    y = _table(pdf, 72, (("Item", 15, False), ("Hours", 125, True), ("Rate", 155, True),
                         ("Line Total", 195, True)),
               [("Network maintenance", "6", "95.00", "570.00"),
                ("Firewall configuration", "2.5", "120.00", "300.00")])
    _totals(pdf, y, (("Subtotal:", "870.00"), ("Sales tax 6%:", "52.20"),
                     ("Balance due:", "$922.20")), 130, 195, bold_last=True)
    put(pdf, 15, 275, "Cascade IT Services Inc. · 410 Pine St, Portland, OR 97204 · "
                      "EIN 93-1234567", 7)
    return {
        "invoice_number": "7781", "issue_date": "2026-01-15", "due_date": "2026-02-14",
        "vendor_name": "Cascade IT Services Inc.", "vendor_tax_id": "93-1234567",
        "buyer_name": "Pinecrest Dental Group", "buyer_tax_id": None, "currency": "USD",
        "net_amount": "870.00", "tax_amount": "52.20", "total_amount": "922.20",
        "iban": None, "payment_reference": None,
        "lines": [_line("Network maintenance", "6", "95.00", "570.00", None),
                  _line("Firewall configuration", "2.5", "120.00", "300.00", None)],
    }


def german_two_rates(pdf: FPDF) -> Truth:
    """German 19 % and 7 %, 'EUR 1.234,56', a right-hand key/value block with colons and
    '5. Januar 2026'."""
    vat = "DE81234567" + checksums.de_vat_check("81234567")
    iban = _iban("DE", "500105175407324931")
    put(pdf, 15, 20, "Feinkost Albrecht GmbH", 15, bold=True)
    put(pdf, 15, 26, "Marktplatz 3 · 80331 München")
    put(pdf, 15, 45, "Hotel Seeblick GmbH & Co. KG", 10)
    put(pdf, 15, 50, "Uferweg 12, 82319 Starnberg")
    _kv(pdf, 125, 165, 45, (("Rechnungsnummer:", "2026-00042"),
                            ("Rechnungsdatum:", "5. Januar 2026"),
                            ("Fälligkeitsdatum:", "19. Januar 2026"),
                            ("Kundennummer:", "K-8812")))
    put(pdf, 15, 72, "Rechnung", 14, bold=True)
    y = _table(pdf, 82, (("Pos.", 15, False), ("Bezeichnung", 27, False),
                         ("Menge", 115, True), ("Einzelpreis", 142, True),
                         ("USt.", 158, True), ("Betrag", 195, True)),
               [("1", "Olivenöl extra vergine 5 l", "4", "EUR 42,50", "7 %", "EUR 170,00"),
                ("2", "Weinpaket Riesling (6 Fl.)", "10", "EUR 54,90", "19 %", "EUR 549,00"),
                ("3", "Lieferpauschale", "1", "EUR 1.250,00", "19 %", "EUR 1.250,00")])
    _totals(pdf, y, (("Nettobetrag", "EUR 1.969,00"), ("USt. 7 %", "EUR 11,90"),
                     ("USt. 19 %", "EUR 341,81"), ("Gesamtbetrag", "EUR 2.322,71")),
            115, 195, bold_last=True)
    put(pdf, 15, 270, f"Feinkost Albrecht GmbH · USt-IdNr.: {vat} · IBAN: {_spaced(iban)}", 7)
    return {
        "invoice_number": "2026-00042", "issue_date": "2026-01-05",
        "due_date": "2026-01-19", "vendor_name": "Feinkost Albrecht GmbH",
        # the addressee in the envelope window, under no label
        "vendor_tax_id": vat, "buyer_name": "Hotel Seeblick GmbH & Co. KG",
        "buyer_tax_id": None, "currency": "EUR",
        "net_amount": "1969.00", "tax_amount": "353.71", "total_amount": "2322.71",
        "iban": iban, "payment_reference": None,
        "lines": [_line("Olivenöl extra vergine 5 l", "4", "42.50", "170.00", "7"),
                  _line("Weinpaket Riesling (6 Fl.)", "10", "54.90", "549.00", "19"),
                  _line("Lieferpauschale", "1", "1250.00", "1250.00", "19")],
    }


def german_credit_note(pdf: FPDF) -> Truth:
    """A 'Gutschrift' printed with positive amounts; 'Gutschrift Nr.' and dotted dates."""
    vat = "DE26954371" + checksums.de_vat_check("26954371")
    put(pdf, 15, 20, "Elektro Wagner GmbH", 14, bold=True)
    put(pdf, 15, 26, f"Hauptstr. 5 · 10115 Berlin · USt-IdNr. {vat}", 8)
    put(pdf, 15, 42, "Kunde:", 8, bold=True)
    put(pdf, 15, 47, "Bäckerei Sommer e.K.")
    put(pdf, 15, 52, "Brunnenstr. 9, 10119 Berlin")
    put(pdf, 15, 68, "Gutschrift", 16, bold=True)
    _kv(pdf, 130, 165, 42, (("Gutschrift Nr.", "GS-2026-0009"), ("Datum", "05.01.2026"),
                            ("zu Rechnung", "RE-2025-1187")))
    y = _table(pdf, 80, (("Artikel", 15, False), ("Menge", 120, True),
                         ("Einzelpreis", 155, True), ("Gesamt", 195, True)),
               [("Rücknahme LED-Panel 60x60", "3", "89,00", "267,00")])
    _totals(pdf, y, (("Zwischensumme", "267,00 €"), ("zzgl. 19 % USt.", "50,73 €"),
                     ("Gutschriftsbetrag", "317,73 €")), 120, 195, bold_last=True)
    return {
        "invoice_number": "GS-2026-0009", "issue_date": "2026-01-05", "due_date": None,
        "vendor_name": "Elektro Wagner GmbH", "vendor_tax_id": vat,
        "buyer_name": "Bäckerei Sommer e.K.", "buyer_tax_id": None, "currency": "EUR",
        "net_amount": "-267.00", "tax_amount": "-50.73", "total_amount": "-317.73",
        "iban": None, "payment_reference": None,
        "lines": [_line("Rücknahme LED-Panel 60x60", "3", "-89.00", "-267.00", None)],
    }


def french_avoir(pdf: FPDF) -> Truth:
    """A French credit note ('Avoir n°'), '5 janvier 2026', '1 234,56 €', TVA 20 % and 5,5 %."""
    siren = "552100554"
    vat = f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
    put(pdf, 15, 20, "Librairie Martin SAS", 14, bold=True)
    put(pdf, 15, 26, "3 quai Voltaire, 75007 Paris")
    put(pdf, 15, 31, f"TVA intracom. : {vat}")
    put(pdf, 120, 45, "Facturé à :", bold=True)
    put(pdf, 120, 50, "Médiathèque de Nantes")
    put(pdf, 120, 55, "15 rue de Strasbourg, 44000 Nantes")
    put(pdf, 15, 45, "AVOIR", 18, bold=True)
    put(pdf, 15, 53, "Avoir n° : AV-2026-007")
    put(pdf, 15, 58, "Date : 5 janvier 2026")
    y = _table(pdf, 75, (("Désignation", 15, False), ("Qté", 105, True),
                         ("Prix unitaire", 135, True), ("TVA", 152, True),
                         ("Total HT", 195, True)),
               [("Retour : encyclopédies (coffret)", "2", "1 100,00 €", "5,5 %",
                 "2 200,00 €"),
                ("Frais de reprise annulés", "1", "60,00 €", "20 %", "60,00 €")])
    _totals(pdf, y, (("Total HT", "2 260,00 €"), ("TVA 5,5 %", "121,00 €"),
                     ("TVA 20 %", "12,00 €"), ("Total TTC", "2 393,00 €")), 130, 195)
    return {
        "invoice_number": "AV-2026-007", "issue_date": "2026-01-05", "due_date": None,
        "vendor_name": "Librairie Martin SAS", "vendor_tax_id": vat,
        "buyer_name": "Médiathèque de Nantes", "buyer_tax_id": None, "currency": "EUR",
        "net_amount": "-2260.00", "tax_amount": "-133.00", "total_amount": "-2393.00",
        "iban": None, "payment_reference": None,
        "lines": [_line("Retour : encyclopédies (coffret)", "2", "-1100.00", "-2200.00",
                        "5.5"),
                  _line("Frais de reprise annulés", "1", "-60.00", "-60.00", "20")],
    }


def dutch_footer_vendor(pdf: FPDF) -> Truth:
    """A Dutch 'Factuur' with BTW 21 % and 9 %, dashed dates, and the vendor (with its BTW
    number and IBAN) only in the footer."""
    iban = _iban("NL", "RABO0123456789")
    put(pdf, 15, 25, "FACTUUR", 20, bold=True)
    put(pdf, 15, 40, "Aan:", bold=True)
    put(pdf, 15, 45, "Café De Hoek")
    put(pdf, 15, 50, "Markt 1, 2611 GP Delft")
    _kv(pdf, 120, 160, 40, (("Factuurnummer:", "F26-0311"), ("Factuurdatum:", "05-01-2026"),
                            ("Vervaldatum:", "19-01-2026")))
    y = _table(pdf, 68, (("Omschrijving", 15, False), ("Aantal", 115, True),
                         ("Prijs", 140, True), ("BTW", 158, True), ("Totaal", 195, True)),
               [("Koffiebonen espresso 1 kg", "10", "€ 18,50", "9%", "€ 185,00"),
                ("Onderhoud espressomachine", "1", "€ 1.120,00", "21%", "€ 1.120,00")])
    _totals(pdf, y, (("Subtotaal", "€ 1.305,00"), ("BTW 9%", "€ 16,65"),
                     ("BTW 21%", "€ 235,20"), ("Te betalen", "€ 1.556,85")), 120, 195,
            bold_last=True)
    put(pdf, 15, 272, "Koffiebranderij Bruin B.V. · Oude Gracht 8, Utrecht · "
                      f"BTW: NL859012347B01 · IBAN {_spaced(iban)}", 7)
    return {
        "invoice_number": "F26-0311", "issue_date": "2026-01-05", "due_date": "2026-01-19",
        "vendor_name": "Koffiebranderij Bruin B.V.", "vendor_tax_id": "NL859012347B01",
        "buyer_name": "Café De Hoek", "buyer_tax_id": None, "currency": "EUR",
        "net_amount": "1305.00", "tax_amount": "251.85", "total_amount": "1556.85",
        "iban": iban, "payment_reference": None,
        "lines": [_line("Koffiebonen espresso 1 kg", "10", "18.50", "185.00", "9"),
                  _line("Onderhoud espressomachine", "1", "1120.00", "1120.00", "21")],
    }


def polish_two_rates(pdf: FPDF) -> Truth:
    """'Faktura VAT' with 23 % and 8 %, '2026.01.05', '1 234,56 zł', NIP without dashes,
    Razem / Do zapłaty."""
    seller, buyer = _pl_nip("526025099"), _pl_nip("779200326")
    iban = _iban("PL", "109024020000000612345678")
    put(pdf, 15, 18, "Faktura VAT", 14, bold=True)
    put(pdf, 15, 25, "Numer: FV/2026/01/15")
    put(pdf, 130, 18, "Data wystawienia: 2026.01.05")
    put(pdf, 130, 23, "Termin płatności: 2026.01.19")
    put(pdf, 15, 38, "Sprzedawca", bold=True)
    put(pdf, 15, 43, "Hurtownia Spożywcza Kowalski Sp. z o.o.")
    put(pdf, 15, 48, "ul. Polna 3, 00-625 Warszawa")
    put(pdf, 15, 53, f"NIP {seller}")
    put(pdf, 115, 38, "Nabywca", bold=True)
    put(pdf, 115, 43, "Restauracja Pod Lipą")
    put(pdf, 115, 48, "ul. Lipowa 2, 61-001 Poznań")
    put(pdf, 115, 53, f"NIP {buyer}")
    y = _table(pdf, 68, (("Lp.", 15, False), ("Nazwa towaru lub usługi", 25, False),
                         ("Ilość", 110, True), ("Cena netto", 135, True),
                         ("Stawka VAT", 157, True), ("Wartość netto", 190, True)),
               [("1", "Mąka pszenna typ 650, 25 kg", "8", "64,00", "8%", "512,00"),
                ("2", "Usługa transportowa", "1", "1 150,00", "23%", "1 150,00")],
               head_size=7)
    _totals(pdf, y, (("Razem netto", "1 662,00 zł"), ("VAT 8%", "40,96 zł"),
                     ("VAT 23%", "264,50 zł"), ("Razem brutto", "1 967,46 zł"),
                     ("Do zapłaty", "1 967,46 zł")), 120, 190, bold_last=True)
    put(pdf, 15, y + 40, f"Nr rachunku: {_spaced(iban)}")
    return {
        "invoice_number": "FV/2026/01/15", "issue_date": "2026-01-05",
        "due_date": "2026-01-19", "vendor_name": "Hurtownia Spożywcza Kowalski Sp. z o.o.",
        "vendor_tax_id": seller, "buyer_name": "Restauracja Pod Lipą",
        "buyer_tax_id": buyer, "currency": "PLN", "net_amount": "1662.00",
        "tax_amount": "305.46", "total_amount": "1967.46", "iban": iban,
        "payment_reference": None,
        "lines": [_line("Mąka pszenna typ 650, 25 kg", "8", "64.00", "512.00", "8"),
                  _line("Usługa transportowa", "1", "1150.00", "1150.00", "23")],
    }


def polish_correction(pdf: FPDF) -> Truth:
    """'Faktura korygująca' with amounts as '1234.56 zł' (no grouping, dot decimals)."""
    seller = _pl_nip("951234567") if checksums.pl_nip_check("951234567") else _pl_nip(
        "951234568")
    put(pdf, 15, 18, "Faktura korygująca nr FK/3/2026", 13, bold=True)
    put(pdf, 15, 25, "do faktury nr FV/2025/12/40")
    put(pdf, 130, 18, "Data wystawienia: 07.01.2026")
    put(pdf, 15, 38, "Sprzedawca:", bold=True)
    put(pdf, 15, 43, "Meble Nowak Sp. z o.o.")
    put(pdf, 15, 48, f"NIP: {seller}")
    put(pdf, 115, 38, "Nabywca:", bold=True)
    put(pdf, 115, 43, "Biuro Rachunkowe Lis s.c.")
    y = _table(pdf, 62, (("Nazwa", 15, False), ("Ilość", 110, True), ("Cena", 135, True),
                         ("VAT", 152, True), ("Wartość", 190, True)),
               [("Zwrot krzesła biurowego", "2", "450.00 zł", "23%", "900.00 zł")])
    _totals(pdf, y, (("Razem netto", "900.00 zł"), ("Kwota VAT", "207.00 zł"),
                     ("Razem do zapłaty", "1107.00 zł")), 120, 190)
    return {
        "invoice_number": "FK/3/2026", "issue_date": "2026-01-07", "due_date": None,
        "vendor_name": "Meble Nowak Sp. z o.o.", "vendor_tax_id": seller,
        "buyer_name": "Biuro Rachunkowe Lis s.c.", "buyer_tax_id": None, "currency": "PLN",
        "net_amount": "-900.00", "tax_amount": "-207.00", "total_amount": "-1107.00",
        "iban": None, "payment_reference": None,
        "lines": [_line("Zwrot krzesła biurowego", "2", "-450.00", "-900.00", "23")],
    }


def indian_cgst_sgst(pdf: FPDF) -> Truth:
    """Intra-state Indian invoice: CGST 9 % + SGST 9 %, '₹' amounts with lakh grouping,
    'Invoice #:' and day-first slash dates."""
    seller = "33AACCS1119K1Z" + checksums.gstin_check("33AACCS1119K1Z")
    buyer = "33AADCR4849R1Z" + checksums.gstin_check("33AADCR4849R1Z")
    put(pdf, 80, 15, "TAX INVOICE", 14, bold=True)
    put(pdf, 15, 25, "Sundaram Auto Components Pvt. Ltd.", 11, bold=True)
    put(pdf, 15, 30, "SIDCO Industrial Estate, Chennai 600032")
    put(pdf, 15, 35, f"GSTIN: {seller}")
    _kv(pdf, 130, 160, 25, (("Invoice #:", "SAC/2526/1442"), ("Date:", "20/01/2026"),
                            ("Due Date:", "19/02/2026")))
    put(pdf, 15, 48, "Bill To:", bold=True)
    put(pdf, 15, 53, "Ramco Motors Private Limited")
    put(pdf, 15, 58, f"GSTIN: {buyer}")
    put(pdf, 110, 48, "Ship To:", bold=True)
    put(pdf, 110, 53, "Ramco Motors, Plant 2")
    put(pdf, 110, 58, "Oragadam, Kanchipuram 602105")
    y = _table(pdf, 72, (("Sr.", 15, False), ("Item Description", 25, False),
                         ("HSN/SAC", 100, False), ("Qty", 130, True), ("Rate", 158, True),
                         ("Amount", 195, True)),
               [("1", "Brake pads, set of 4", "8708", "400", "₹ 1,250.00", "₹ 5,00,000.00"),
                ("2", "Clutch plate assembly", "8708", "50", "₹ 2,000.00", "₹ 1,00,000.00")])
    _totals(pdf, y, (("Taxable Value", "₹ 6,00,000.00"), ("CGST @ 9%", "₹ 54,000.00"),
                     ("SGST @ 9%", "₹ 54,000.00"), ("Grand Total", "₹ 7,08,000.00")),
            110, 195, bold_last=True)
    return {
        "invoice_number": "SAC/2526/1442", "issue_date": "2026-01-20",
        "due_date": "2026-02-19", "vendor_name": "Sundaram Auto Components Pvt. Ltd.",
        "vendor_tax_id": seller, "buyer_name": "Ramco Motors Private Limited",
        "buyer_tax_id": buyer, "currency": "INR", "net_amount": "600000.00",
        "tax_amount": "108000.00", "total_amount": "708000.00", "iban": None,
        "payment_reference": None,
        "lines": [_line("Brake pads, set of 4", "400", "1250.00", "500000.00", None),
                  _line("Clutch plate assembly", "50", "2000.00", "100000.00", None)],
    }


def swedish_faktura(pdf: FPDF) -> Truth:
    """A Swedish 'Faktura' with Moms 25 % and 12 %, 'kr' amounts, OCR and 'Att betala'."""
    org = _se_org("556677889")
    vat = f"SE{org}01"
    iban = _iban("SE", "50000000058398257466")
    ocr = "12345" + checksums.luhn_check("12345")
    put(pdf, 15, 20, "Nordisk Kontorsmaterial AB", 14, bold=True)
    put(pdf, 15, 26, "Sveavägen 10, 111 57 Stockholm")
    put(pdf, 150, 20, "Faktura", 18, bold=True)
    _kv(pdf, 130, 170, 32, (("Fakturanummer", "40127"), ("Fakturadatum", "2026-01-05"),
                            ("Förfallodatum", "2026-02-04"), ("OCR", ocr)))
    put(pdf, 15, 40, "Kund", 8, bold=True)
    put(pdf, 15, 45, "Malmö Arkitekter AB")
    put(pdf, 15, 50, "Stortorget 2, 211 22 Malmö")
    y = _table(pdf, 68, (("Benämning", 15, False), ("Antal", 115, True),
                         ("À-pris", 140, True), ("Moms", 158, True), ("Belopp", 195, True)),
               [("Kopieringspapper A4, kartong", "20", "249,00", "25%", "4 980,00"),
                ("Kaffe, mellanrost 500 g", "10", "69,00", "12%", "690,00")])
    _totals(pdf, y, (("Summa exkl. moms", "5 670,00 kr"), ("Moms 25%", "1 245,00 kr"),
                     ("Moms 12%", "82,80 kr"), ("Att betala", "6 997,80 kr")), 120, 195,
            bold_last=True)
    put(pdf, 15, 270, f"Org.nr {org[:6]}-{org[6:]} · Momsreg.nr {vat} · "
                      f"IBAN {_spaced(iban)}", 7)
    return {
        "invoice_number": "40127", "issue_date": "2026-01-05", "due_date": "2026-02-04",
        "vendor_name": "Nordisk Kontorsmaterial AB", "vendor_tax_id": vat,
        "buyer_name": "Malmö Arkitekter AB", "buyer_tax_id": None, "currency": "SEK",
        "net_amount": "5670.00", "tax_amount": "1327.80", "total_amount": "6997.80",
        "iban": iban, "payment_reference": ocr,
        "lines": [_line("Kopieringspapper A4, kartong", "20", "249.00", "4980.00", "25"),
                  _line("Kaffe, mellanrost 500 g", "10", "69.00", "690.00", "12")],
    }


def uk_two_pages(pdf: FPDF) -> Truth:
    """A UK invoice whose line table continues on page 2 (header repeated), totals at the
    end, '£' amounts, 'Invoice No.' and 'Tax point' labels, VAT 20 %."""
    iban = _iban("GB", "NWBK60161331926819")
    put(pdf, 15, 20, "Thames Valley Catering Ltd", 15, bold=True)
    put(pdf, 15, 26, "Unit 4, Riverside Park, Reading RG1 8DN · VAT Reg No: GB980780684", 8)
    put(pdf, 15, 42, "Invoice to:", bold=True)
    put(pdf, 15, 47, "Oxford Conference Centre Ltd")
    _kv(pdf, 125, 160, 42, (("Invoice No.", "TVC-5531"), ("Tax point", "12/01/2026"),
                            ("Due date", "11/02/2026")))
    heads = (("Description", 15, False), ("Qty", 120, True), ("Unit price", 155, True),
             ("Amount", 195, True))
    first = [(f"Buffet lunch, day {d}", "40", "£12.50", "£500.00") for d in range(1, 16)]
    second = [(f"Buffet lunch, day {d}", "40", "£12.50", "£500.00") for d in range(16, 21)]
    second.append(("Coffee service", "200", "£1.75", "£350.00"))
    _table(pdf, 65, heads, first)
    put(pdf, 15, 285, "Continued on page 2", 7)
    pdf.add_page()
    put(pdf, 15, 20, "Thames Valley Catering Ltd · Invoice TVC-5531 · page 2", 8)
    y = _table(pdf, 32, heads, second)
    _totals(pdf, y, (("Subtotal", "£10,350.00"), ("VAT @ 20%", "£2,070.00"),
                     ("Total due", "£12,420.00")), 125, 195, bold_last=True)
    put(pdf, 15, 270, f"Payment by BACS · IBAN {_spaced(iban)}", 8)
    lines = [_line(d, q, p.lstrip("£"), a.lstrip("£").replace(",", ""), None)
             for d, q, p, a in first + second]
    return {
        "invoice_number": "TVC-5531", "issue_date": "2026-01-12", "due_date": "2026-02-11",
        "vendor_name": "Thames Valley Catering Ltd", "vendor_tax_id": "GB980780684",
        "buyer_name": "Oxford Conference Centre Ltd", "buyer_tax_id": None,
        "currency": "GBP", "net_amount": "10350.00", "tax_amount": "2070.00",
        "total_amount": "12420.00", "iban": iban, "payment_reference": None,
        "lines": lines,
    }


def us_credit_memo(pdf: FPDF) -> Truth:
    """A US 'Credit Note' with a right-hand two-column block, 'Credit Note No.' and
    negative amounts printed in parentheses."""
    put(pdf, 15, 20, "Summit Office Supply Co.", 15, bold=True)
    put(pdf, 15, 26, "88 Peachtree St NE, Atlanta, GA 30303")
    put(pdf, 140, 20, "CREDIT NOTE", 14, bold=True)
    _kv(pdf, 130, 195, 30, (("Credit Note No.", "CN-1049"), ("Date", "2026-01-09"),
                            ("Original invoice", "INV-10388")), right=True)
    put(pdf, 15, 45, "Customer:", bold=True)
    put(pdf, 15, 50, "Riverbend Law LLP")
    y = _table(pdf, 65, (("Description", 15, False), ("Qty", 120, True),
                         ("Unit Price", 155, True), ("Amount", 195, True)),
               [("Returned: ergonomic chair", "2", "(310.00)", "(620.00)")])
    _totals(pdf, y, (("Subtotal", "(620.00)"), ("Sales Tax", "(49.60)"),
                     ("Total Credit (USD)", "(669.60)")), 125, 195, bold_last=True)
    return {
        "invoice_number": "CN-1049", "issue_date": "2026-01-09", "due_date": None,
        "vendor_name": "Summit Office Supply Co.", "vendor_tax_id": None,
        "buyer_name": "Riverbend Law LLP", "buyer_tax_id": None, "currency": "USD",
        "net_amount": "-620.00", "tax_amount": "-49.60", "total_amount": "-669.60",
        "iban": None, "payment_reference": None,
        "lines": [_line("Returned: ergonomic chair", "2", "-310.00", "-620.00", None)],
    }


HANDMADE_MORE: dict[str, Callable[[FPDF], Truth]] = {
    "us_bill_ship": us_saas_bill_and_ship, "us_footer": us_vendor_in_footer,
    "de_two_rates": german_two_rates, "de_gutschrift": german_credit_note,
    "fr_avoir": french_avoir, "nl_footer": dutch_footer_vendor,
    "pl_two_rates": polish_two_rates, "pl_korekta": polish_correction,
    "in_cgst_sgst": indian_cgst_sgst, "se_faktura": swedish_faktura,
    "uk_two_pages": uk_two_pages, "us_credit": us_credit_memo,
}


def write_handmade_more(folder: Path) -> dict[Path, Truth]:
    return write_fixtures(folder, HANDMADE_MORE)
