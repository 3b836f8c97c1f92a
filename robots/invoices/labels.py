"""What invoices call their fields, in FI, ET, PL, EN, DE, SV, FR and NL (folded: lower case,
no accents; see ``parsing.fold``). A label is matched at the start of a segment, the longest
label winning, so 'veroton yhteensa' is a net amount and 'yhteensa' alone a total."""

from __future__ import annotations

import functools
import re

from backoffice.locale import fold
from robots.invoices import en16931_terms as terms

# Labels of amounts, numbers and dates an invoice prints that are none of our fields (sums of
# allowances and charges, prepaid amounts, a VAT breakdown's columns, delivery dates, order
# and customer numbers): knowing them keeps their values from being read as a field's.
OTHER_LABELS = [
    "positionssumme", "summe positionen", "summe der positionen", "warenwert",
    "gesamtbetrag der zuschlage", "gesamtbetrag der abschlage", "summe der zuschlage",
    "summe der abschlage", "summe zuschlage", "summe abschlage", "erhaltene anzahlungen",
    "erhaltene anzahlung", "anzahlung", "vorauszahlung", "bereits gezahlt", "bereits bezahlt",
    "geleistete anzahlungen", "montant paye", "acompte", "acomptes", "deja paye",
    "somme des montants nets", "somme des remises", "somme des frais", "total des remises",
    "amount paid", "paid amount", "prepaid amount", "prepayment", "sum of line net amounts",
    "sum of allowances", "sum of charges", "basisbetrag", "steuerbasisbetrag", "steuersatz",
    "umsatzsteuersatz", "taux de tva", "base ht", "assiette", "liefer- und leistungsdatum",
    "leistungsdatum", "lieferdatum", "leistungszeitraum", "abrechnungszeitraum",
    "date de livraison", "periode de facturation", "delivery date", "date of delivery",
    "globale nummer", "kundennummer", "kunden-nr", "kunden-nr.", "customer number",
    "customer no", "bestellnummer", "bestellung", "bestellnr", "auftragsnummer",
    "auftrag", "lieferschein", "lieferscheinnummer", "lieferavis", "order number",
    "order no", "your order", "purchase order", "numero de commande", "bon de commande",
    "numero client", "code client", "seite", "page", "telefon", "tel", "telephone", "phone",
    "fax", "e-mail", "email", "handelsregisternummer", "amtsgericht", "registergericht",
    "geschaftsfuhrer", "geschaftsfuhrung", "bic", "swift", "blz", "po", "po #", "po no",
    "po number", "p.o.", "p.o. number", "purchase order reference", "bestellreferenz",
    "reference de commande", "ship to", "deliver to", "lieferadresse", "livraison",
    # the heading of a delivery address block (EN 16931 BG-15 'Deliver to address')
    "delivery address", "shipping address", "ship-to address", "lieferanschrift",
    "versandadresse", "adresse de livraison", "toimitusosoite", "leveransadress",
    "adres dostawy", "tarneaadress", "afleveradres", "bezorgadres",
]

FIELD_LABELS: dict[str, list[str]] = {
    "invoice_number": [
        "rechnungs-nr.", "rechnungsnummer (bt-1)", "belegnummer", "belegnr", "beleg nr",
        "numero de la facture", "n° de la facture",
        "numero de facture", "n° de facture",
        "facture numero",
        "invoice number", "invoice no", "invoice nr", "invoice #", "invoice num", "invoice id",
        "taxable invoice num", "taxable invoice no", "taxable invoice number",
        "inv no", "inv #", "bill no", "bill number", "tax invoice no", "credit note number",
        "credit note no", "document no", "document number", "laskun numero", "laskun nro",
        "laskunumero", "lasku nro", "lasku no", "hyvityslaskun numero", "arve number", "arve nr",
        "arve no", "kreeditarve nr", "numer faktury", "faktura nr", "faktura vat nr",
        "nr faktury", "faktura numer", "faktura vat", "rechnungsnummer", "rechnung nr",
        "rechnungs-nr", "rechnung-nr", "re-nr", "rechnungsnr", "gutschriftsnummer",
        "fakturanummer", "fakturanr", "fakturanr.", "faktura nr.", "facture n°", "facture no",
        "facture n", "numero de facture", "n° de facture", "no de facture", "n° facture",
        "factuurnummer", "factuur nr", "factuurnr", "nummer", "invoice",
        "credit note no.", "credit memo no", "credit memo number", "gutschrift nr",
        "gutschrift-nr", "gutschrift nr.", "avoir n°", "avoir no", "avoir n", "numero d'avoir",
        "n° d'avoir", "faktura korygujaca nr", "korekta nr", "creditnota nr", "creditnotanummer",
        "creditnota nummer", "kreditfaktura nr", "kreditnota nr", "hyvityslasku nro",
        "lasku", "arve", "faktura", "rechnung", "facture", "factuur", "bill", "number", "no",
        "nr", "numer", "numero",
    ],
    "issue_date": [
        "vom", "rechnungsdatum", "ausstellungsdatum", "belegdatum",
        "date d'emission de la facture", "date de la facture", "issued at", "issued on",
        "invoice date", "date of issue", "issue date", "date issued", "invoice dt", "bill date",
        "date", "dated", "laskun paivamaara", "laskun paivays", "laskun pvm", "laskupaiva",
        "paivamaara", "pvm",
        "paivays", "arve kuupaev", "kuupaev", "data wystawienia", "data faktury", "data",
        "rechnungsdatum", "datum", "fakturadatum", "date de facture", "date facture",
        "date d'emission", "factuurdatum", "tax point", "billing date",
    ],
    "due_date": [
        "falligkeit", "faelligkeit", "zahlungstermin", "echeance le", "falligkeitstag",
        "falligkeitsdatum", "zahlungsziel", "zahlbar bis zum", "faellig am",
        "date d'echeance de paiement", "a payer avant le", "payable avant le", "payment due date",
        "invoice due date", "invoice due",
        "due date", "payment due", "due", "due by", "payment due date", "pay by",
        "date due", "erapaiva", "erapvm", "maksetahtaeg", "tahtaeg", "maksetahtpaev",
        "termin platnosci", "termin zaplaty", "fallig am", "falligkeitsdatum", "zahlbar bis",
        "fallig", "forfallodatum", "forfallodag", "betalas senast", "date d'echeance",
        "echeance", "date limite de paiement", "vervaldatum", "uiterste betaaldatum",
        "te betalen voor",
    ],
    "payment_reference": [
        "payment reference", "reference number", "reference no", "ref no", "reference",
        "ref", "creditor reference", "viitenumero", "viite", "viitenro", "viitenumber",
        "viitenr", "ocr", "ocr-nummer", "ocr nr", "ocr-nr", "ocrnummer", "referens",
        "referensnummer", "verwendungszweck", "zahlungsreferenz", "tytul platnosci",
        "tytul przelewu", "tytulem", "reference de paiement", "betalingskenmerk", "kenmerk",
        # EN 16931 BT-83 'Remittance information' in the French version of the standard
        "avis de paiement", "reference avis de paiement", "reference de l'avis de paiement",
    ],
    "net_amount": [
        "rechnungssumme ohne ust", "rechnungssumme ohne ust.", "rechnungssumme netto",
        "gesamtbetrag ohne ust", "gesamtbetrag ohne ust.", "summe ohne ust", "betrag ohne ust",
        "gesamtbetrag der rechnung ohne umsatzsteuer", "rechnungsbetrag ohne ust",
        "rechnungsbetrag netto", "netto gesamt", "summe netto", "nettogesamtbetrag",
        "montant total ht", "montant total de la facture hors tva", "total hors tva",
        "invoice total amount without vat", "total without vat", "net total",
        "subtotal", "sub total", "sub-total", "net amount", "net total", "total net",
        "total excl vat", "total excl. vat", "total excluding vat", "amount excl vat",
        "total before tax", "taxable amount", "taxable value", "total taxable value", "net",
        "veroton yhteensa", "veroton summa", "yhteensa ilman alv", "veroton", "veroton hinta",
        "summa kaibemaksuta", "summa km-ta", "kokku km-ta", "maksustatav summa",
        "summa ilma km-ta", "razem netto", "wartosc netto", "suma netto", "netto",
        "nettobetrag", "summe netto", "zwischensumme", "gesamt netto", "nettosumme",
        "summa exkl moms", "summa exkl. moms", "belopp exkl moms", "netto exkl moms",
        "total ht", "montant ht", "sous-total", "total hors taxes", "subtotaal",
        "totaal excl btw", "totaal excl. btw", "bedrag excl btw", "bedrag excl. btw",
        # a sum qualified as net or gross, the qualifier bare or in parentheses
        "sum net", "sum (net)", "net sum", "summe (netto)",
    ],
    "tax_amount": [
        "steuerbetrag", "umsatzsteuerbetrag", "gesamtbetrag der umsatzsteuer",
        "summe umsatzsteuer", "summe ust", "ust-betrag", "mwst-betrag", "zzgl. umsatzsteuer",
        "zzgl. 19% ust", "montant total de la tva", "montant de la tva", "total de la tva",
        "tva totale", "invoice total vat amount", "vat total", "total vat amount",
        "vat", "vat amount", "tax", "total tax", "sales tax", "tax amount", "total vat",
        "igst", "cgst", "sgst", "gst", "alv", "alv yhteensa", "arvonlisavero",
        "kaibemaks", "km", "kaibemaks kokku", "kwota vat", "vat razem", "podatek vat",
        "razem vat", "umsatzsteuer", "mwst", "mwst.", "ust", "ust.", "mehrwertsteuer", "moms",
        "momsbelopp", "summa moms", "tva", "montant tva", "total tva", "btw", "btw bedrag",
        "totaal btw", "zzgl. ust", "zzgl. mwst", "zzgl", "zzgl.", "zuzuglich", "plus vat",
        "plus tax", "taxes", "total taxes", "total des taxes", "montant des taxes",
        "t.v.a.", "t.v.a", "montant t.v.a.",
        # the tax on insurance premiums, charged in its place (Versicherungsteuergesetz)
        "versicherungsteuer", "versicherungssteuer",
    ],
    "total_amount": [
        "bruttosumme", "bruttobetrag", "gesamtbetrag der rechnung", "rechnungsbetrag brutto",
        "rechnungssumme brutto", "rechnungssumme",
        "summe brutto", "gesamtsumme brutto", "gesamtbetrag brutto",
        "montant total de la facture tva comprise", "montant total ttc",
        "total toutes taxes comprises", "invoice total amount with vat", "total with vat",
        "amount due for payment", "due payable", "falliger betrag", "falliger zahlungsbetrag",
        "montant a payer", "montant net a payer",
        "total", "total due", "amount due", "balance due", "total amount", "grand total",
        "invoice total", "total to pay", "amount payable", "total payable", "to pay",
        "total amount due", "total (incl. vat)", "total incl vat", "total incl. vat",
        "total inc vat", "total including vat", "yhteensa", "maksettava yhteensa",
        "maksettava", "laskun summa", "summa yhteensa", "loppusumma", "kokku", "tasuda",
        "tasuda kokku", "arve summa", "kokku tasuda", "summa kokku", "razem", "do zaplaty",
        "razem do zaplaty", "wartosc brutto", "razem brutto", "kwota do zaplaty",
        "gesamtbetrag", "rechnungsbetrag", "gesamtsumme", "endbetrag", "zu zahlen", "summe",
        "brutto", "gesamt brutto", "zahlbetrag", "att betala", "summa att betala", "totalt",
        "total att betala", "belopp att betala", "total ttc", "montant ttc", "net a payer",
        "montant total", "total a payer", "totaal", "te betalen", "totaal incl btw",
        "totaal incl. btw", "totaalbedrag", "te voldoen", "gutschriftsbetrag", "total credit",
        "credit total", "total avoir", "montant de l'avoir",
        "sum gross", "sum (gross)", "gross sum", "gross total", "total gross",
        "gross amount", "summe (brutto)",
    ],
    # Charges and discounts between the subtotal and the total ('Discount -180.00',
    # 'Shipping 60.00'); a discount is always subtracted, whatever its printed sign.
    "adjustment": [
        "discount", "shipping", "shipping & handling", "shipping and handling", "freight",
        "handling", "delivery charge", "delivery charges", "rabatt", "nachlass",
        "versandkosten", "versand", "fracht", "remise", "frais de port", "frais de livraison",
        "korting", "verzendkosten", "rabat", "koszt dostawy", "koszty wysylki", "frakt",
        "fraktavgift", "alennus", "toimituskulut", "rahtikulut", "allahindlus",
    ],
    "other": OTHER_LABELS,
    "iban": [
        "iban", "bank account", "account", "account no", "tilinumero", "tilinro",
        "pankkitili", "arveldusarve", "arvelduskonto", "pangakonto", "konto", "nr rachunku",
        "numer rachunku", "rachunek bankowy", "nr konta", "bankverbindung", "kontonummer",
        "rekeningnummer", "compte", "rib",
    ],
}

SELLER_LABELS = [
    "seller", "supplier", "vendor", "from", "sold by", "issued by", "service provider",
    "provider", "bill from", "myyja", "laskuttaja",
    "toimittaja", "muuja", "tarnija", "sprzedawca", "wystawca", "dostawca", "verkaufer",
    "lieferant", "rechnungssteller", "rechnungsersteller", "saljare", "leverantor", "avsandare",
    "vendeur", "fournisseur", "emetteur", "leverancier", "verkoper", "details of supplier",
]
BUYER_LABELS = [
    "buyer", "bill to", "billed to", "invoice to", "invoiced to", "customer", "client",
    "laskutetaan",
    "sold to", "recipient", "ostaja", "asiakas", "laskutettava", "laskutusosoite", "ostja",
    "klient", "maksja", "nabywca", "odbiorca", "kunde", "rechnungsempfanger",
    "rechnungsadresse", "kaufer", "auftraggeber", "kopare", "kund", "fakturamottagare",
    "fakturaadress", "acheteur", "facture a", "adresse de facturation", "factureren aan",
    "klant", "afnemer", "koper", "aan", "rechnung an", "details of receiver", "receptor",
    "datos del receptor", "datos del cliente",
    "billed to (details of receiver)",
]
TAX_ID_LABELS = [
    "vat", "vat no", "vat reg no", "vat number", "vat id", "vat reg", "vat registration no",
    "tax id", "tax no", "tin", "ein", "gstin", "gst no", "gstin/uin", "y-tunnus", "ytunnus",
    "business id", "alv-nro", "alv nro", "alv-tunniste", "alv-numero", "registrikood",
    "reg nr", "reg. code", "reg kood", "kmkr", "kmkr nr", "km reg nr", "nip", "nip ue",
    "org nr", "org.nr", "orgnr", "organisationsnummer", "momsreg.nr", "momsregnr",
    "vat-nr", "momsnr", "ust-idnr", "ust-id", "ust-id-nr", "ust.-idnr", "steuernummer",
    "st.-nr", "umsatzsteuer-id", "ust.-id.-nr", "ust.-id-nr", "ust-id.-nr", "ust.-id",
    "ust idnr", "ust.-identnr", "ust-identnr", "ust.-ident-nr", "ust-ident-nr",
    "umsatzsteuer-identifikationsnummer", "umsatzsteuer-identnummer", "n° tva", "tva intracom",
    "tva intracommunautaire",
    "numero de tva", "siret", "siren", "btw nr", "btw-nummer", "btw-nr", "btw nummer",
    "btw id", "kvk", "abn", "company no", "company number", "org.-nr", "regon",
    # ids with a check digit of their own (``checksums``): Argentina's CUIT, Brazil's CNPJ,
    # the Austrian and Swiss UID, Belgium's enterprise number
    "cuit", "c.u.i.t.", "cnpj", "uid", "uid-nr", "uid-nummer", "mwst-nr", "mwst-nummer",
    "ondernemingsnummer", "numero d'entreprise", "n° d'entreprise",
]
# Labels of national ids that are not tax ids and must not be taken for one.
NON_TAX_ID_LABELS = {"regon", "kvk", "siret", "company no", "company number", "siren"}

DISCOUNT_LABELS = {"discount", "rabatt", "nachlass", "remise", "korting", "rabat", "alennus",
                   "allahindlus"}

CREDIT_WORDS = [
    "credit note", "credit memo", "hyvityslasku", "kreeditarve", "faktura korygujaca",
    "korekta", "gutschrift", "rechnungskorrektur", "stornorechnung", "kreditfaktura",
    "kreditnota", "avoir", "facture d'avoir", "creditnota", "creditfactuur",
]
# A self-billed invoice (UNTDID 1001 code 389: the buyer writes it for the seller) is called
# 'Gutschrift' in German, yet it is an invoice, its amounts positive: these words say so.
SELF_BILLING_WORDS = [
    "selbst ausgestellte rechnung", "self-billed invoice", "self-billing", "self billed",
    "selbstfakturierung", "gutschriftsverfahren", "autofacturation", "samofakturowanie",
    "itselaskutus", "omvand fakturering", "self-billed",
]
INVOICE_WORDS = [
    "invoice", "lasku", "arve", "faktura", "rechnung", "facture", "factuur", "bill",
    "credit note", "tax invoice", "kreeditarve", "gutschrift", "kreditfaktura", "avoir",
    "creditnota", "receipt",
]

COLUMN_LABELS: dict[str, list[str]] = {
    "description": [
        "description", "item", "items", "product", "service", "services", "article",
        "details", "particulars", "item description", "description of goods", "kuvaus",
        "tuote", "nimike", "selite", "kirjeldus", "toode", "nimetus", "teenus", "nazwa",
        "opis", "towar", "nazwa towaru lub uslugi", "nazwa towaru", "beschreibung", "artikel",
        "bezeichnung", "leistung", "artikelbezeichnung", "beskrivning", "benamning",
        "designation", "libelle", "produit", "omschrijving", "product/service",
        # EN 16931 BT-153 'Item name' as invoices word it
        "item name", "nazwa towaru/uslugi", "nazwa towaru / uslugi", "nazwa uslugi",
        "tuote / palvelu", "tuote/palvelu", "nimike / palvelu", "kauba / teenuse nimetus",
        "kauba nimetus", "teenuse nimetus", "artikelnamn", "vara / tjanst", "produkt",
        "nom de l'article", "libelle article", "leistungsbeschreibung", "artikel / leistung",
    ],
    "quantity": [
        "qty", "quantity", "qty.", "units", "hours", "hrs", "maara", "kpl", "kogus", "ilosc",
        "menge", "anzahl", "antal", "quantite", "qte", "qté", "nombre", "aantal", "no. of units",
        # BT-129 'Invoiced quantity'
        "invoiced quantity", "ilosc szt.", "liczba", "kol.", "lkm", "maara kpl", "kogus tk",
    ],
    "unit_price": [
        "unit price", "price", "unit cost", "rate", "price per unit", "a-hinta", "a hinta",
        "yksikkohinta", "hinta", "ahinta", "uhiku hind", "hind", "uhikuhind", "cena",
        "cena netto", "cena jedn", "cena jedn.", "cena jednostkowa", "einzelpreis", "preis",
        "e-preis", "stuckpreis", "a-pris", "a pris", "a-pris", "pris", "styckpris",
        "prix unitaire", "prix", "pu ht", "prix u. ht", "prijs", "stukprijs", "eenheidsprijs",
        # BT-146 'Item net price'
        "item net price", "net price", "unit net price", "p.u. ht", "p.u.", "pu", "p.u.ht",
        "prix unitaire ht", "prix u.", "nettopreis", "einzelpreis netto", "ep", "e-preis netto",
        "cena jedn. netto", "cena jednostkowa netto", "a-hinta alv 0 %", "nettohinta",
        "uhiku hind km-ta", "pris/st", "a-pris exkl. moms",
    ],
    "tax_rate": [
        "vat %", "vat", "tax %", "tax", "vat rate", "tax rate", "alv %", "alv", "alv-%", "km %",
        "km", "km%", "stawka vat", "stawka", "vat %", "ust", "ust. %", "ust %", "mwst",
        "mwst %", "mwst.", "moms %", "moms", "moms%", "tva", "tva %", "taux tva", "btw",
        "btw %", "gst %", "gst rate", "igst %", "tax%", "vat%", "ust.%", "alv%",
        # BT-152 'Invoiced item VAT rate'
        "ust.-satz", "ust-satz", "mwst.-satz", "steuersatz", "taux", "taux de tva", "tva %",
        "stawka podatku", "km maar", "km-maar", "alv-kanta", "momssats", "moms-%",
    ],
    "amount": [
        "amount", "total", "line total", "net amount", "sum", "net", "yhteensa", "summa",
        "veroton", "hinta yht", "yht", "wartosc netto", "wartosc", "kwota", "betrag",
        "gesamt", "gesamtpreis", "summe", "nettobetrag", "belopp", "montant", "total ht",
        "montant ht", "bedrag", "totaal", "amount (inr)", "taxable value", "kokku",
        # BT-131 'Invoice line net amount'
        "line net amount", "line amount", "net total", "gesamt netto", "nettowert",
        "gesamtpreis netto", "wartosc netto pln", "veroton yhteensa", "summa km-ta",
        "belopp exkl. moms", "total ht ligne", "montant net",
    ],
}



def _merge(target: list[str], extra: list[str]) -> None:
    """Add the folded ``extra`` words that ``target`` does not hold yet, in order."""
    seen = set(target)
    for word in extra:
        folded = fold(word).strip()
        if folded not in seen:
            seen.add(folded)
            target.append(folded)


# The EN 16931 wording of more languages (see ``en16931_terms``), folded like the rest.
_merge(INVOICE_WORDS, terms.DOCUMENT_WORDS)
_merge(CREDIT_WORDS, terms.CREDIT_DOCUMENT_WORDS)
for _name, _words in terms.FIELD_TERMS.items():
    _merge(FIELD_LABELS[_name], _words)
for _name, _words in terms.COLUMN_TERMS.items():
    _merge(COLUMN_LABELS[_name], _words)
_merge(SELLER_LABELS, terms.SELLER_TERMS)
_merge(BUYER_LABELS, terms.BUYER_TERMS)
_merge(TAX_ID_LABELS, terms.TAX_ID_TERMS)
_merge(TAX_ID_LABELS, sorted(terms.NON_TAX_ID_TERMS))
NON_TAX_ID_LABELS |= {fold(w) for w in terms.NON_TAX_ID_TERMS}

# What separates a label from its value: colons, dotted leaders, dashes; a minus sign set
# against the figure after it ('Subtotal ....... -11,038.50') is the value's own.
_PUNCT = re.compile(r"^(?:[\s:#./|]|[-–](?!\d))+")


def _normalise(label: str) -> str:
    return fold(label).strip()


class LabelIndex:
    """Labels by their first two letters, longest first, so a segment is compared with a
    handful of labels instead of all of them."""

    def __init__(self, labels: dict[str, list[str]]) -> None:
        pairs = {(_normalise(lab), name) for name, labs in labels.items() for lab in labs}
        ordered = sorted(pairs, key=lambda p: (-len(p[0]), p[0], p[1]))
        self._by_prefix: dict[str, list[tuple[str, str]]] = {}
        for label, name in ordered:
            self._by_prefix.setdefault(label[:2], []).append((label, name))

    def match(self, folded: str) -> tuple[str, str, str] | None:
        """(field, label, remainder) when ``folded`` starts with a label at a word end. A
        compound written with a hyphen between its words ('Beleg-Datum', 'Rechnungs-Datum')
        is the label written as one word ('belegdatum'): German joins or hyphenates them
        freely."""
        m = self._match(folded)
        if m is not None or _WORD_HYPHEN.search(folded) is None:
            return m
        m = self._match(_WORD_HYPHEN.sub("", folded))
        if m is None:
            return None
        name, label, _ = m
        end = _end_of(folded, label)
        return (name, label, folded[end:]) if end is not None else None

    def _match(self, folded: str) -> tuple[str, str, str] | None:
        for label, name in self._by_prefix.get(folded[:2], ()):
            if folded.startswith(label):
                rest = folded[len(label):]
                if rest and (rest[0].isalnum() and label[-1].isalnum()):
                    continue
                if rest[:1] == "-" and rest[1:2].isalpha():  # 'alv-tunniste' is not 'alv'
                    continue
                return name, label, rest
        return None


_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")


def _end_of(folded: str, label: str) -> int | None:
    """Where ``label`` ends in ``folded``, which may hyphenate it between two letters."""
    i = 0
    for ch in label:
        if i < len(folded) and folded[i] == "-" and ch != "-" and _WORD_HYPHEN.match(folded, i):
            i += 1
        if i >= len(folded) or folded[i] != ch:
            return None
        i += 1
    return i


def build_index(labels: dict[str, list[str]]) -> LabelIndex:
    return LabelIndex(labels)


FIELD_INDEX = build_index(FIELD_LABELS)
# The labels of several words with their spaces taken out (see ``values._glued``).
GLUED_INDEX = build_index({name: [lab.replace(" ", "") for lab in labs if " " in lab]
                           for name, labs in FIELD_LABELS.items()})


def match_label(folded: str, index: LabelIndex) -> tuple[str, str, str] | None:
    return index.match(folded)


def strip_punct(text: str) -> str:
    return _PUNCT.sub("", text).strip()


def phrase_in(folded: str, phrases: list[str]) -> bool:
    """Any of ``phrases`` in ``folded`` as whole words."""
    return _phrases_regex(tuple(phrases)).search(folded) is not None


@functools.lru_cache(maxsize=512)
def _phrases_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    # one alternation per word list, compiled once: the reader asks for the same lists on
    # every page, and one pattern per phrase overflowed re's own cache
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{alternatives})(?![a-z])")


def is_party_label(folded: str, labels: list[str]) -> bool:
    """'Käufer', 'Bill to:', 'Käufer/Leistungsempfänger': a label followed by nothing or by
    a separator, never the start of a longer word ('Kundennummer')."""
    text = strip_punct(folded.rstrip(":").strip())
    return any(text == lab or text.startswith(lab) and text[len(lab)] in ": /(,"
               for lab in labels)
