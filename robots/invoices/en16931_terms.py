"""Invoice wording in more EN 16931 languages (IT, ES, PT, NL, DA, NO, CS), grouped by the
business term it names (BT-1 invoice number, BT-2 issue date, BT-9 due date, BT-109 total
without VAT, BT-110 VAT total, BT-112/BT-115 total and amount due, BG-4/BG-7 seller and buyer,
BT-31/BT-48 VAT ids, BG-25 line columns). The names follow the official translations of the
EN 16931-1 semantic model and each language's statutory invoice wording (fattura / factura /
fatura / faktura / daňový doklad), not any sample at hand. ``labels.py`` merges them into its
vocabularies; they are written with their accents and folded there like every other label.

Words too short or too common to be a label on their own ('vs', 'ic', 'sum') are left out:
a wrong label costs more than a missing one, which only sends the field to review."""

from __future__ import annotations

# UNTDID 1001 document names (BT-3): what the title of the document says it is.
DOCUMENT_WORDS: list[str] = [
    # IT
    "fattura", "fattura elettronica", "fattura differita", "nota di credito", "nota credito",
    "fattura accompagnatoria",
    # ES
    "factura", "factura rectificativa", "factura simplificada", "nota de crédito",
    "nota de abono",
    # PT
    "fatura", "fatura-recibo", "fatura recibo", "fatura simplificada", "nota de crédito",
    # NL
    "factuur", "creditfactuur", "creditnota",
    # DA / NO
    "faktura", "kreditnota",
    # CS
    "faktura", "daňový doklad", "faktura - daňový doklad", "dobropis",
    "opravný daňový doklad",
]

CREDIT_DOCUMENT_WORDS: list[str] = [
    "nota di credito", "nota credito", "factura rectificativa", "nota de crédito",
    "nota de abono", "creditfactuur", "creditnota", "kreditnota", "dobropis",
    "opravný daňový doklad",
]

FIELD_TERMS: dict[str, list[str]] = {
    "invoice_number": [  # BT-1 Invoice number
        "numero fattura", "numero della fattura", "n. fattura", "fattura n.", "fattura n",
        "fattura nr", "numero documento", "n. documento",
        "número de factura", "numero de factura", "nº factura", "n.º factura", "no. factura",
        "factura nº", "factura n.º", "factura no", "núm. factura",
        "número da fatura", "numero da fatura", "fatura nº", "fatura n.º", "n.º fatura",
        "fakturanummer", "fakturanr", "faktura nr", "fakturanr.",
        "číslo faktury", "faktura číslo", "faktura č.", "číslo dokladu", "doklad č.",
        "daňový doklad č.", "daňový doklad číslo",
        "fattura", "factura", "fatura",
    ],
    "issue_date": [  # BT-2 Invoice issue date
        "data fattura", "data della fattura", "data documento", "data di emissione",
        "data emissione", "fecha de factura", "fecha factura", "fecha de emisión",
        "fecha de expedición", "fecha", "data da fatura", "data de emissão", "fakturadato",
        "dato", "datum vystavení", "datum vystavení dokladu", "den vystavení",
        "den vystavení daňového dokladu",
    ],
    "due_date": [  # BT-9 Payment due date
        "data di scadenza", "data scadenza", "scadenza", "scadenza pagamento",
        "fecha de vencimiento", "fecha vencimiento", "vencimiento", "fecha de vto.",
        "fecha de vto. para el pago", "vto.", "data de vencimento",
        "vencimento", "forfaldsdato", "sidste rettidige betalingsdato", "betales senest",
        "forfallsdato", "forfall", "datum splatnosti", "splatnost", "vervaldag",
    ],
    "payment_reference": [  # BT-83 Remittance information
        "causale", "riferimento pagamento", "referencia de pago", "referência de pagamento",
        "betalingsreference", "kid-nummer", "kid nr", "variabilní symbol", "variabilní sym.",
    ],
    "net_amount": [  # BT-109 Invoice total amount without VAT
        "imponibile", "totale imponibile", "totale netto", "importo netto",
        "totale senza iva", "base imponible", "importe neto", "total sin iva",
        "valor sem iva", "total sem iva", "base tributável", "total ilíquido",
        "valor líquido", "nettobeløb", "beløb ekskl. moms", "total ekskl. moms",
        "i alt ekskl. moms", "sum eks. mva", "sum ekskl. mva", "beløp eks. mva",
        "total eks. mva", "základ daně", "celkem bez dph", "bedrag excl. btw",
    ],
    "tax_amount": [  # BT-110 Invoice total VAT amount
        "iva", "imposta", "totale iva", "importo iva", "cuota iva", "total iva",
        "importe iva", "valor do iva", "momsbeløb", "moms i alt", "mva", "merverdiavgift",
        "mva-beløp", "sum mva", "dph", "dph celkem", "výše dph",
    ],
    "total_amount": [  # BT-112 total with VAT, BT-115 amount due for payment
        "totale documento", "totale fattura", "totale", "importo totale", "totale da pagare",
        "netto a pagare", "importo da pagare", "totale con iva", "total factura",
        "importe total", "total a pagar", "total con iva", "valor total", "total com iva",
        "total do documento", "i alt", "at betale", "beløb at betale", "total inkl. moms",
        "i alt inkl. moms", "å betale", "beløp å betale", "sum inkl. mva",
        "total inkl. mva", "celkem", "celkem k úhradě", "k úhradě", "celkem včetně dph",
        "celková částka", "totaal te betalen", "bedrag incl. btw",
    ],
    "iban": ["coordinate bancarie", "conto corrente", "cuenta bancaria", "número de cuenta",
             "conta bancária", "kontonummer", "kontonr", "číslo účtu", "bankovní účet"],
}

SELLER_TERMS = ["cedente", "cedente/prestatore", "prestatore", "fornitore", "venditore",
                "emisor", "proveedor", "vendedor", "fornecedor", "leverandør", "sælger",
                "selger", "dodavatel", "prodávající", "poskytovatel"]
BUYER_TERMS = ["cessionario", "cessionario/committente", "committente", "cliente", "spett.le",
               "destinatario", "facturar a", "comprador", "adquirente", "kunde", "køber",
               "kjøper", "modtager", "mottaker", "odběratel", "kupující"]
TAX_ID_TERMS = ["partita iva", "p.iva", "p. iva", "nif", "cif", "nif/cif", "nif-iva",
                "contribuinte", "nipc", "cvr", "cvr-nr", "cvr nr", "se-nr", "mva-nr",
                "organisasjonsnummer", "org. nr", "dič", "ič dph"]
NON_TAX_ID_TERMS = {"ičo", "codice fiscale"}

COLUMN_TERMS: dict[str, list[str]] = {  # BG-25 Invoice line
    "description": ["descrizione", "descripción", "concepto", "descrição", "beskrivelse",
                    "varebeskrivelse", "název", "popis", "označení dodávky"],
    "quantity": ["quantità", "qtà", "q.tà", "cantidad", "cant.", "quantidade", "qtd",
                 "qtd.", "antal", "mængde", "ant.", "množství", "počet"],
    "unit_price": ["prezzo", "prezzo unitario", "precio", "precio unitario", "preço",
                   "preço unitário", "enhedspris", "stykpris", "enhetspris",
                   "cena za jednotku", "jedn. cena", "cena za mj"],
    # BT-152 'Invoiced item VAT rate': the tax's own name heads the rate column, as 'VAT',
    # 'MwSt', 'TVA' and 'BTW' do in the other languages
    "tax_rate": ["aliquota iva", "aliquota", "% iva", "iva %", "iva", "tipo iva", "taxa iva",
                 "moms %", "mva %", "mva", "sazba dph", "sazba", "dph %", "dph"],
    "amount": ["importo", "importe", "valor", "beløb", "beløp", "celkem bez dph"],
}
