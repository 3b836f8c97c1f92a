"""Finding the header row and mapping columns by their names, in six languages and English.

Header names are compared after folding (case, accents, punctuation), so ``Päivämäärä``,
``PAIVAMAARA`` and ``päivä-määrä`` read alike. Each field lists its names best first: a
ledger with both a due date and an invoice date is matched on the due date, one with an
open amount and an original amount on the open amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from backoffice.locale import fold_words

_SYNONYMS: dict[str, tuple[str, ...]] = {
    # A due date comes first: payments follow it, while a ledger's posting or invoice date
    # is weeks earlier by payment terms that differ per customer. Banks have no due date.
    "date": (
        "due date", "erapaiva", "termin platnosci", "falligkeit", "falligkeitsdatum",
        "faellig am", "maksetahtaeg", "tahtaeg", "forfallodatum", "forfallodag",
        "expected date", "value date", "booking date", "transaction date", "payment date",
        "posting date", "entry date", "date", "kirjauspaiva", "arvopaiva", "maksupaiva",
        "paivamaara", "pvm", "data ksiegowania", "data operacji", "data transakcji",
        "data platnosci", "data waluty", "data", "buchungstag", "buchungsdatum",
        "wertstellung", "zahlungsdatum", "datum", "kuupaev", "tehingu kuupaev",
        "makse kuupaev", "bokforingsdag", "bokforingsdatum", "transaktionsdag",
        "transaktionsdatum", "betalningsdag", "valutadag", "invoice date", "laskun pvm",
        "laskupaiva", "data wystawienia", "rechnungsdatum",
        "belegdatum", "arve kuupaev", "fakturadatum", "document date", "valuta",
    ),
    "amount": (
        "open amount", "outstanding", "outstanding amount", "amount due", "amount open",
        "remaining", "avoin summa", "avoinna", "avoin", "pozostalo do zaplaty",
        "kwota do zaplaty", "offener betrag", "offen", "restbetrag", "avatud summa", "jaak",
        "oppet belopp", "restbelopp", "amount", "amt", "sum", "total", "value",
        "gross amount", "invoice amount", "payment amount", "transaction amount", "summa",
        "maara", "rahamaara", "kwota", "kwota transakcji", "wartosc", "betrag", "umsatz",
        "summe", "belopp", "transaktionsbelopp", "summa eur", "amount eur",
    ),
    "debit": (
        "debit", "debits", "debet", "withdrawal", "withdrawals", "paid out", "money out",
        "outflow", "out", "charges", "otto", "otot", "nosto", "veloitus", "obciazenia",
        "obciazenie", "wyplata", "winien", "wn", "soll", "lastschrift", "ausgang",
        "belastung", "deebet", "valja", "valjaminek", "uttag", "utbetalning",
    ),
    "credit": (
        "credit", "credits", "kredit", "deposit", "deposits", "paid in", "money in",
        "inflow", "in", "pano", "panot", "talletus", "hyvitys", "uznania", "uznanie",
        "wplata", "ma", "haben", "gutschrift", "eingang", "kreedit", "sisse", "laekumine",
        "insattning", "inbetalning",
    ),
    "reference": (
        "reference", "ref", "reference number", "payment reference", "reference no",
        "ref no", "invoice", "invoice no", "invoice number", "invoice id", "invoice ref",
        "document no", "document number", "doc no", "document nr", "bill no",
        "structured reference", "invoice nr", "inv no", "laskun nro", "laskunro", "lasku nro",
        "belegnr", "beleg nr", "rechnungs nr", "re nr", "nr dokumentu", "numer dokumentu",
        "creditor reference", "end to end id", "viite", "viitenumero", "viitenro", "viite nro",
        "laskun numero", "laskunumero", "lasku", "tytul", "tytul przelewu", "nr faktury",
        "numer faktury", "faktura", "referencja", "verwendungszweck", "referenz",
        "rechnungsnummer", "rechnungsnr", "rechnung", "belegnummer", "beleg", "viitenumber",
        "viide", "arve number", "arve nr", "arve", "referens", "referensnummer", "ocr",
        "ocr nummer", "fakturanummer", "fakturanr", "faktura nr", "kid",
    ),
    "text": (
        "message", "description", "details", "text", "narrative", "memo",
        "remittance information", "remittance info", "payment details", "purpose",
        "comment", "comments", "notes", "note", "viesti", "selite", "selitys", "kuvaus",
        "opis", "tresc", "szczegoly", "opis operacji", "buchungstext", "beschreibung",
        "mitteilung", "selgitus", "kirjeldus", "makse selgitus", "meddelande", "beskrivning",
        "information", "specifikation", "info",
    ),
    "name": (
        "name", "payer", "payee", "counterparty", "counterparty name", "customer",
        "customer name", "client", "debtor", "creditor", "beneficiary", "remitter", "sender",
        "vendor", "supplier", "maksaja", "saaja", "saaja maksaja", "maksajan nimi", "asiakas",
        "nimi", "kontrahent", "nadawca", "odbiorca", "nadawca odbiorca", "platnik", "klient",
        "nazwa", "nazwa kontrahenta", "auftraggeber", "empfanger", "auftraggeber empfanger",
        "kunde", "zahler", "begunstigter", "maksja", "saaja maksja", "tehingu osapool",
        "betalare", "mottagare", "kund", "namn", "motpart", "avsandare",
    ),
    # The payer's account: links a payer to a customer across months. The statement owner's
    # own account ("Kliendi konto", "Account") is deliberately not here.
    "iban": (
        "payer iban", "counterparty iban", "debtor iban", "payer account", "maksajan tili",
        "counterparty account", "tilinumero", "maksajan tilinumero", "gegenkonto",
        "iban auftraggeber", "iban zahlungsbeteiligter", "rachunek nadawcy",
        "nr rachunku nadawcy", "maksja konto", "motpartens konto", "iban",
    ),
}
# Words that disqualify a header from holding money to match (a running balance, a tax).
_NOT_MONEY = frozenset(
    {
        "balance", "saldo", "vat", "tax", "mwst", "ust", "alv", "vero", "kaibemaks", "km",
        "moms", "podatek", "currency", "waluta", "valuutta", "waehrung", "wahrung", "valuuta",
        "fee", "rate", "kurs",
    }
)
_SHORT_EXACT_ONLY = 3  # names this short ("in", "ma", "ref") only match a whole header
_RANK: dict[str, dict[str, int]] = {
    name: {fold_words(s): i for i, s in enumerate(syns)} for name, syns in _SYNONYMS.items()
}


def header_score(header: Any) -> tuple[str, int] | None:
    """The field a header most likely names, and how sure (higher is surer), or None."""
    h = fold_words(header)
    if not h:
        return None
    words = set(h.split())
    best: tuple[str, int] | None = None
    for name, ranks in _RANK.items():
        if name in ("amount", "debit", "credit") and words & _NOT_MONEY:
            continue
        score = 0
        if h in ranks:
            score = 1000 - ranks[h]
        else:
            padded = f" {h} "
            for syn, rank in ranks.items():
                if len(syn) > _SHORT_EXACT_ONLY and f" {syn} " in padded:
                    score = max(score, 500 - rank + len(syn))
        if score and (best is None or score > best[1]):
            best = (name, score)
    return best


@dataclass
class ColumnMap:
    """Candidate columns (0-based) per field, best first; the reader keeps the first whose
    values actually parse."""

    header_index: int  # 0-based row index of the header
    headers: list[str]
    candidates: dict[str, list[int]] = field(default_factory=dict)

    def first(self, name: str) -> int | None:
        cols = self.candidates.get(name)
        return cols[0] if cols else None


def _row_fields(row: Sequence[Any]) -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = {}
    for col, cell in enumerate(row):
        if not isinstance(cell, str):
            continue
        hit = header_score(cell)
        if hit:
            found.setdefault(hit[0], []).append((hit[1], col))
    return found


def find_header(rows: Sequence[Sequence[Any]], *, scan: int = 40) -> int | None:
    """The index of the first row, among the first ``scan``, that names the most fields
    (at least two, one of them money)."""
    best: tuple[int, int] | None = None
    for index, row in enumerate(rows[:scan]):
        fields = _row_fields(row)
        if not ({"amount", "debit", "credit"} & set(fields)) or len(fields) < 2:
            continue
        if best is None or len(fields) > best[0]:
            best = (len(fields), index)
    return best[1] if best else None


def map_columns(header_row: Sequence[Any], header_index: int) -> ColumnMap:
    headers = ["" if c is None else str(c).strip() for c in header_row]
    cmap = ColumnMap(header_index=header_index, headers=headers)
    for name, hits in _row_fields(header_row).items():
        # Best score first; equal scores keep the sheet's left-to-right order.
        cmap.candidates[name] = [col for _, col in sorted(hits, key=lambda h: (-h[0], h[1]))]
    return cmap


def resolve_named(headers: Sequence[str], wanted: str) -> int | None:
    """The column whose header is ``wanted`` (compared folded), for a rules-file map."""
    target = fold_words(wanted)
    for col, header in enumerate(headers):
        if fold_words(header) == target:
            return col
    return None
