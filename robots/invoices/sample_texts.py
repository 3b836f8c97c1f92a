"""What the sample generator prints, per language: labels, month names and line items.

The reader has its own, larger vocabulary (``labels.py``); this one is deliberately a subset
written the way each country's invoices usually say it, so tests also see labels the
generator never prints (the hand-made fixtures).
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "title": "LASKU", "credit": "HYVITYSLASKU", "number": "Laskun numero",
        "date": "Laskun päivämäärä", "due": "Eräpäivä", "ref": "Viitenumero",
        "seller": "Myyjä", "buyer": "Ostaja", "vat": "ALV-tunniste", "regno": "Y-tunnus",
        "desc": "Kuvaus", "qty": "Määrä", "price": "A-hinta", "rate": "ALV %",
        "amount": "Yhteensä", "net": "Veroton yhteensä", "tax": "ALV yhteensä",
        "total": "Maksettava yhteensä", "iban": "IBAN", "terms": "Maksuehto 14 päivää netto",
        "page": "Sivu 1/1", "thanks": "Kiitos tilauksestanne!",
    },
    "et": {
        "title": "ARVE", "credit": "KREEDITARVE", "number": "Arve nr", "date": "Arve kuupäev",
        "due": "Maksetähtaeg", "ref": "Viitenumber", "seller": "Müüja", "buyer": "Ostja",
        "vat": "KMKR nr", "regno": "Registrikood", "desc": "Kirjeldus", "qty": "Kogus",
        "price": "Ühiku hind", "rate": "KM %", "amount": "Summa", "net": "Summa käibemaksuta",
        "tax": "Käibemaks", "total": "Tasuda kokku", "iban": "IBAN",
        "terms": "Maksetingimus 14 päeva", "page": "Lehekülg 1/1", "thanks": "Aitäh!",
    },
    "pl": {
        "title": "FAKTURA VAT", "credit": "FAKTURA KORYGUJĄCA", "number": "Numer faktury",
        "date": "Data wystawienia", "due": "Termin płatności", "ref": "Tytuł płatności",
        "seller": "Sprzedawca", "buyer": "Nabywca", "vat": "NIP", "regno": "REGON",
        "desc": "Nazwa towaru lub usługi", "qty": "Ilość", "price": "Cena netto",
        "rate": "Stawka VAT", "amount": "Wartość netto", "net": "Razem netto",
        "tax": "Kwota VAT", "total": "Do zapłaty", "iban": "Nr rachunku",
        "terms": "Sposób płatności: przelew 14 dni", "page": "Strona 1/1",
        "thanks": "Dziękujemy za współpracę.",
    },
    "de": {
        "title": "RECHNUNG", "credit": "GUTSCHRIFT", "number": "Rechnungsnummer",
        "date": "Rechnungsdatum", "due": "Fällig am", "ref": "Verwendungszweck",
        "seller": "Verkäufer", "buyer": "Rechnungsempfänger", "vat": "USt-IdNr.",
        "regno": "Handelsregister", "desc": "Beschreibung", "qty": "Menge",
        "price": "Einzelpreis", "rate": "USt. %", "amount": "Betrag", "net": "Nettobetrag",
        "tax": "Umsatzsteuer", "total": "Gesamtbetrag", "iban": "IBAN",
        "terms": "Zahlbar innerhalb von 14 Tagen ohne Abzug", "page": "Seite 1 von 1",
        "thanks": "Vielen Dank für Ihren Auftrag!",
    },
    "sv": {
        "title": "FAKTURA", "credit": "KREDITFAKTURA", "number": "Fakturanummer",
        "date": "Fakturadatum", "due": "Förfallodatum", "ref": "OCR-nummer",
        "seller": "Säljare", "buyer": "Köpare", "vat": "Momsreg.nr", "regno": "Org.nr",
        "desc": "Beskrivning", "qty": "Antal", "price": "À-pris", "rate": "Moms %",
        "amount": "Belopp", "net": "Summa exkl. moms", "tax": "Moms", "total": "Att betala",
        "iban": "IBAN", "terms": "Betalningsvillkor 30 dagar netto", "page": "Sida 1 av 1",
        "thanks": "Tack för din beställning!",
    },
    "en": {
        "title": "INVOICE", "credit": "CREDIT NOTE", "number": "Invoice number",
        "date": "Invoice date", "due": "Due date", "ref": "Payment reference",
        "seller": "Supplier", "buyer": "Bill to", "vat": "VAT Reg No", "regno": "Company No",
        "desc": "Description", "qty": "Qty", "price": "Unit price", "rate": "VAT %",
        "amount": "Amount", "net": "Subtotal", "tax": "VAT", "total": "Total due",
        "iban": "IBAN", "terms": "Payment terms: 30 days", "page": "Page 1 of 1",
        "thanks": "Thank you for your business.",
    },
}

MONTHS: dict[str, list[str]] = {
    "fi": ["tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta",
           "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"],
    "et": ["jaanuar", "veebruar", "märts", "aprill", "mai", "juuni", "juuli", "august",
           "september", "oktoober", "november", "detsember"],
    "pl": ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
           "września", "października", "listopada", "grudnia"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}

ITEMS: dict[str, list[str]] = {
    "fi": ["Kopiopaperi A4 80 g", "Tulostimen väriainekasetti", "Asennustyö", "Kuljetus",
           "Toimistotuolit, säädettävät", "Huoltosopimus, kuukausimaksu", "Kahvipaketti 500 g",
           "Pakkausmateriaali", "Konsultointi, tunti", "Sähkötarvikkeet"],
    "et": ["Koopiapaber A4", "Tooner must", "Paigaldustöö", "Transport", "Kontoritool",
           "Hooldusleping, kuutasu", "Kohv 500 g", "Pakkematerjal", "Konsultatsioon, tund",
           "Tarkvara litsents, kuu"],
    "pl": ["Papier ksero A4", "Toner czarny", "Usługa montażu", "Transport", "Krzesło biurowe",
           "Abonament serwisowy", "Kawa ziarnista 500 g", "Materiały pakowe",
           "Konsultacje, godzina", "Żarówki LED"],
    "de": ["Kopierpapier A4", "Tonerkartusche schwarz", "Montagearbeiten", "Versandkosten",
           "Bürostuhl, ergonomisch", "Wartungsvertrag, Monatsgebühr", "Kaffee 500 g",
           "Verpackungsmaterial", "Beratung, Stunde", "Schreibwaren"],
    "sv": ["Kopieringspapper A4", "Toner svart", "Installation", "Frakt", "Kontorsstol",
           "Serviceavtal, månadsavgift", "Kaffe 500 g", "Förpackningsmaterial",
           "Konsulttjänst, timme", "Städmaterial"],
    "en": ["Copy paper A4 80gsm", "Toner cartridge black", "Installation work", "Delivery",
           "Office chair, ergonomic", "Support contract, monthly fee", "Coffee beans 500 g",
           "Packaging material", "Consulting, hour", "Cleaning supplies"],
}

# Standard first, then reduced rates; the generator mostly uses the first.
VAT_RATES: dict[str, list[str]] = {
    "FI": ["25.5", "14", "10"], "EE": ["24", "9"], "PL": ["23", "8"], "DE": ["19", "7"],
    "SE": ["25", "12"], "GB": ["20", "5"],
}

LANGUAGE_OF = {"FI": "fi", "EE": "et", "PL": "pl", "DE": "de", "SE": "sv", "GB": "en"}
