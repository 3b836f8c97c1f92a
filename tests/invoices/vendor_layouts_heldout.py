"""Six more vendors in house layouts written after the learner was finished and never tuned
against: the learning benchmark's held-out set (``bench/learning.py --held-out``).

Italian, Spanish, Czech and Danish invoices, a statement whose line numbers sit on the line
under their description, and an invoice number printed in groups with spaces.
"""

from __future__ import annotations

from datetime import date

from fpdf import FPDF

from robots.invoices.sample_pdf import put
from tests.invoices.vendor_layouts import Inv, Vendor, _iban, _spaced, money, qty, rate

_DA_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
              "september", "oktober", "november", "december")


def _da_date(d: date) -> str:
    return f"{d.day}. {_DA_MONTHS[d.month - 1]} {d.year}"


def italian(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    put(pdf, 15, 18, v.name, 14, bold=True)
    put(pdf, 15, 24, f"P.IVA {v.tax_id}", 8)
    put(pdf, 120, 34, "Spett.le", 8)
    put(pdf, 120, 40, inv.buyer[0], 10, bold=True)
    put(pdf, 15, 40, f"Fattura n. {inv.number}", 11, bold=True)
    put(pdf, 15, 46, f"Data {inv.issue.strftime('%d/%m/%Y')}", 9)
    put(pdf, 15, 51, f"Scadenza {inv.due.strftime('%d/%m/%Y')}", 9)
    y = 66
    for text, x, right in (("Descrizione", 15, False), ("Q.tà", 105, True),
                           ("Prezzo unitario", 140, True), ("IVA%", 155, True),
                           ("Importo", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, r in inv.lines:
        y += 7
        put(pdf, 15, y, d)
        put(pdf, 105, y, qty(v, q), right=True)
        put(pdf, 140, y, money(v, p), right=True)
        put(pdf, 155, y, rate(v, r), right=True)
        put(pdf, 190, y, money(v, a), right=True)
    y += 14
    put(pdf, 120, y, "Imponibile", 9)
    put(pdf, 190, y, money(v, inv.net), right=True)
    put(pdf, 120, y + 6, f"IVA {rate(v, next(iter(inv.by_rate)))}%", 9)
    put(pdf, 190, y + 6, money(v, inv.tax), right=True)
    put(pdf, 120, y + 12, "Totale documento", 10, bold=True)
    put(pdf, 190, y + 12, "€ " + money(v, inv.total), right=True, bold=True)
    put(pdf, 15, 270, f"Coordinate bancarie IBAN {_spaced(v.iban or '')}", 7)


def spanish_qty_first(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    put(pdf, 120, 18, v.name, 13, bold=True)
    put(pdf, 120, 23, f"CIF {v.tax_id}", 8)
    put(pdf, 15, 20, "FACTURA", 16, bold=True)
    put(pdf, 15, 32, "Cliente:", 8)
    put(pdf, 35, 32, inv.buyer[0], 10)
    put(pdf, 15, 40, "Nº factura:", 8)
    put(pdf, 35, 40, inv.number, 9)
    put(pdf, 80, 40, "Fecha:", 8)
    put(pdf, 95, 40, inv.issue.strftime("%d-%m-%Y"), 9)
    put(pdf, 130, 40, "Vencimiento:", 8)
    put(pdf, 155, 40, inv.due.strftime("%d-%m-%Y"), 9)
    y = 56
    for text, x, right in (("Cant.", 22, True), ("Concepto", 30, False), ("Precio", 150, True),
                           ("Total", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, _ in inv.lines:
        y += 7
        put(pdf, 22, y, qty(v, q), right=True)
        put(pdf, 30, y, d)
        put(pdf, 150, y, money(v, p), right=True)
        put(pdf, 190, y, money(v, a), right=True)
    y += 14
    put(pdf, 120, y, "Base imponible", 9)
    put(pdf, 190, y, money(v, inv.net), right=True)
    put(pdf, 120, y + 6, f"IVA {rate(v, next(iter(inv.by_rate)))}%", 9)
    put(pdf, 190, y + 6, money(v, inv.tax), right=True)
    put(pdf, 120, y + 12, "Total factura", 10, bold=True)
    put(pdf, 190, y + 12, money(v, inv.total) + " €", right=True, bold=True)
    put(pdf, 15, 270, f"Transferencia a {_spaced(v.iban or '')}", 7)


def czech(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    put(pdf, 15, 18, f"Faktura - daňový doklad č. {inv.number}", 12, bold=True)
    put(pdf, 15, 30, "Dodavatel:", 8, bold=True)
    put(pdf, 15, 35, v.name, 10)
    put(pdf, 15, 40, f"DIČ: {v.tax_id}", 8)
    put(pdf, 110, 30, "Odběratel:", 8, bold=True)
    put(pdf, 110, 35, inv.buyer[0], 10)
    put(pdf, 110, 48, "Datum vystavení:", 8)
    put(pdf, 150, 48, inv.issue.strftime("%d.%m.%Y"), 9)
    put(pdf, 110, 53, "Datum splatnosti:", 8)
    put(pdf, 150, 53, inv.due.strftime("%d.%m.%Y"), 9)
    y = 66
    for text, x, right in (("Označení dodávky", 15, False), ("Počet", 110, True),
                           ("Cena za m.j.", 145, True), ("Celkem", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, _ in inv.lines:
        y += 7
        put(pdf, 15, y, d)
        put(pdf, 110, y, qty(v, q), right=True)
        put(pdf, 145, y, money(v, p, " "), right=True)
        put(pdf, 190, y, money(v, a, " "), right=True)
    y += 14
    put(pdf, 110, y, "Základ daně", 9)
    put(pdf, 190, y, money(v, inv.net, " "), right=True)
    put(pdf, 110, y + 6, f"DPH {rate(v, next(iter(inv.by_rate)))} %", 9)
    put(pdf, 190, y + 6, money(v, inv.tax, " "), right=True)
    put(pdf, 110, y + 12, "Celkem k úhradě", 10, bold=True)
    put(pdf, 190, y + 12, money(v, inv.total, " ") + " Kč", right=True, bold=True)
    put(pdf, 15, 270, f"IBAN: {_spaced(v.iban or '')}", 7)


def two_line_rows(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """Each line's numbers on the line under its description; totals with dotted leaders."""
    put(pdf, 15, 18, v.name, 13, bold=True)
    put(pdf, 15, 23, f"VAT {v.tax_id}", 8)
    put(pdf, 140, 18, "INVOICE", 14, bold=True)
    put(pdf, 140, 28, f"No. {inv.number}", 9)
    put(pdf, 140, 33, f"Dated {inv.issue.strftime('%d %B %Y')}", 9)
    put(pdf, 140, 38, f"Due {inv.due.strftime('%d %B %Y')}", 9)
    put(pdf, 15, 38, f"For: {inv.buyer[0]}", 10)
    y = 56
    put(pdf, 15, y, "Particulars", 8, bold=True)
    put(pdf, 110, y, "Qty", 8, bold=True, right=True)
    put(pdf, 150, y, "Unit", 8, bold=True, right=True)
    put(pdf, 190, y, "Amount", 8, bold=True, right=True)
    for d, q, p, a, _ in inv.lines:
        y += 7
        put(pdf, 15, y, d)
        y += 5
        put(pdf, 110, y, qty(v, q), right=True)
        put(pdf, 150, y, money(v, p), right=True)
        put(pdf, 190, y, money(v, a), right=True)
    y += 14
    r = rate(v, next(iter(inv.by_rate)))
    for label, val in (("Net total ..........", inv.net), (f"VAT at {r}% .......", inv.tax),
                       ("Total due ..........", inv.total)):
        put(pdf, 120, y, label, 9)
        put(pdf, 190, y, money(v, val), right=True)
        y += 6
    put(pdf, 15, 270, f"Pay to IBAN {_spaced(v.iban or '')}", 7)


def danish(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    put(pdf, 15, 18, v.name, 13, bold=True)
    put(pdf, 15, 23, f"CVR-nr. {v.tax_id}", 8)
    put(pdf, 15, 36, inv.buyer[0], 10)
    put(pdf, 130, 30, f"Faktura nr. {inv.number}", 10, bold=True)
    put(pdf, 130, 36, f"Dato: {_da_date(inv.issue)}", 9)
    put(pdf, 130, 41, f"Betales senest {_da_date(inv.due)}", 9)
    y = 58
    for text, x, right in (("Varenr.", 15, False), ("Beskrivelse", 35, False),
                           ("Antal", 120, True), ("Enhedspris", 150, True), ("Beløb", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for n, (d, q, p, a, _) in enumerate(inv.lines):
        y += 7
        put(pdf, 15, y, f"{310 + n * 4}")
        put(pdf, 35, y, d)
        put(pdf, 120, y, qty(v, q), right=True)
        put(pdf, 150, y, money(v, p), right=True)
        put(pdf, 190, y, money(v, a), right=True)
    y += 14
    put(pdf, 130, y, "Subtotal", 9)
    put(pdf, 190, y, money(v, inv.net), right=True)
    put(pdf, 130, y + 6, f"Moms {rate(v, next(iter(inv.by_rate)))}%", 9)
    put(pdf, 190, y + 6, money(v, inv.tax), right=True)
    put(pdf, 130, y + 12, "I alt DKK", 10, bold=True)
    put(pdf, 190, y + 12, money(v, inv.total), right=True, bold=True)
    put(pdf, 15, 270, f"Bank: {_spaced(v.iban or '')}", 7)


def spaced_number(pdf: FPDF, v: Vendor, inv: Inv) -> None:
    """An Austrian invoice whose number is printed in groups; its label is in a box above."""
    put(pdf, 15, 18, v.name, 13, bold=True)
    put(pdf, 15, 23, f"UID {v.tax_id}", 8)
    put(pdf, 15, 34, inv.buyer[0], 10)
    for i, (label, val) in enumerate((("Rechnungsnummer", inv.number),
                                      ("Rechnungsdatum", inv.issue.strftime("%d.%m.%Y")),
                                      ("Fällig bis", inv.due.strftime("%d.%m.%Y")))):
        pdf.rect(110 + 30 * i, 30, 29, 12)
        put(pdf, 111 + 30 * i, 34, label, 6)
        put(pdf, 111 + 30 * i, 40, val, 8)
    y = 56
    for text, x, right in (("Leistung", 15, False), ("Menge", 110, True),
                           ("Einzelpreis", 150, True), ("Gesamt", 190, True)):
        put(pdf, x, y, text, 8, bold=True, right=right)
    for d, q, p, a, _ in inv.lines:
        y += 7
        put(pdf, 15, y, d)
        put(pdf, 110, y, qty(v, q), right=True)
        put(pdf, 150, y, money(v, p), right=True)
        put(pdf, 190, y, money(v, a), right=True)
    y += 14
    put(pdf, 120, y, "Summe netto", 9)
    put(pdf, 190, y, money(v, inv.net), right=True)
    put(pdf, 120, y + 6, f"USt {rate(v, next(iter(inv.by_rate)))}%", 9)
    put(pdf, 190, y + 6, money(v, inv.tax), right=True)
    put(pdf, 120, y + 12, "Rechnungsbetrag", 10, bold=True)
    put(pdf, 190, y + 12, money(v, inv.total), right=True, bold=True)
    put(pdf, 15, 270, f"IBAN {_spaced(v.iban or '')}", 7)


HELD_OUT: tuple[Vendor, ...] = (
    Vendor("it", "Tipografia Adriatica S.r.l.", "IT00743110157",
           _iban("IT", "X0542811101000000123456"), "EUR", ",", ("22",),
           (("Biglietti da visita", "45,00"), ("Volantini A4", "0,18"),
            ("Brochure 8 pagine", "2,40"), ("Impaginazione", "120,00")),
           (("Hotel Miramare S.p.A.", None), ("Studio Legale Conti", None)),
           lambda n: f"{n}/2026", italian),
    Vendor("es", "Suministros Levante S.L.", "ESB12345674",
           _iban("ES", "21000418450200051332"), "EUR", ",", ("21",),
           (("Cable eléctrico 2,5 mm", "1,35"), ("Caja de registro", "3,80"),
            ("Interruptor doble", "7,25"), ("Mano de obra", "32,00")),
           (("Reformas Turia S.L.", None), ("Comunidad Blasco Ibáñez 12", None)),
           lambda n: f"A-{260 + n}", spanish_qty_first, rate_per_line=False),
    Vendor("cz", "Pražská Dílna s.r.o.", "CZ27082440", _iban("CZ", "08000000192000145399"),
           "CZK", ",", ("21",),
           (("Oprava dveří", "1450,00"), ("Kování", "320,00"), ("Doprava", "490,00"),
            ("Montáž", "650,00")), (("Kavárna U Mostu", None), ("Bytové družstvo Vltava", None)),
           lambda n: f"2026{n:04d}", czech, rate_per_line=False),
    Vendor("twoline", "Pennant Facilities Ltd", "GB123456727",
           _iban("GB", "LOYD30963612345678"), "GBP", ".", ("20",),
           (("Window cleaning, external", "85.00"), ("Gutter clearance", "140.00"),
            ("Pressure washing, patio", "95.00"), ("Call-out charge", "45.00")),
           (("The Old Rectory Trust", None), ("Harewood Lettings", None)),
           lambda n: f"PF{5200 + n}", two_line_rows, rate_per_line=False),
    Vendor("dk", "Fynsk Kaffe ApS", "DK13585628", _iban("DK", "50400440116243"), "DKK", ",",
           ("25",), (("Kaffebønner 1 kg", "189,00"), ("Filterposer", "22,00"),
                     ("Kaffemaskine service", "650,00"), ("Mælkeskummer", "349,00")),
           (("Kontorfællesskabet Odense", None), ("Café Havnen", None)),
           lambda n: f"{10400 + n}", danish, rate_per_line=False),
    Vendor("at", "Alpenholz Tischlerei GmbH", "ATU13585627",
           _iban("AT", "1904300234573201"), "EUR", ",", ("20",),
           (("Eichentisch massiv", "1200,00"), ("Sitzbank", "480,00"),
            ("Oberflächenbehandlung", "95,00"), ("Lieferung", "60,00")),
           (("Gasthof Zur Post", None), ("Hotel Seeblick", None)),
           lambda n: f"2026 {n:03d} 7", spaced_number, rate_per_line=False),
)
