"""KSeF structured invoices, Poland's FA(2) and FA(3) schemas, to the invoice model.

Both versions share the element names read here (only the namespace differs):

- number, dates: ``Fa/P_2``, ``Fa/P_1``, ``Fa/Platnosc/TerminPlatnosci/Termin``;
- vendor: ``Podmiot1/DaneIdentyfikacyjne`` ``Nazwa`` and ``NIP``, as the VAT id ``PL`` + NIP
  (the form Polish VAT numbers are printed and matched in, e.g. ``PL5260001246``);
- buyer: ``Podmiot2/DaneIdentyfikacyjne``: ``NIP`` (``PL`` + NIP), or ``KodUE`` + ``NrVatUE``,
  or a foreign ``NrID``; none with ``BrakID``;
- money: ``Fa/KodWaluty``; the net is the sum of the per-rate bases ``P_13_*``, the VAT the
  sum of ``P_14_1`` .. ``P_14_5`` (the ``P_14_*W`` are the same VAT converted to PLN), the
  total ``P_15``;
- payment: ``Platnosc/RachunekBankowy/NrRB`` (else the factor's account); a 26-digit Polish
  account number (NRB) is the IBAN without ``PL``;
- lines: ``FaWiersz`` ``P_7`` name, ``P_8B`` quantity, ``P_9A`` net unit price, ``P_11`` net
  amount, ``P_12`` rate (``zw``, ``oo``, ``np``, ``0 KR`` ... are 0 %); on an invoice priced
  gross the lines carry ``P_9B`` / ``P_11A`` instead and are read as such.

A correction (``RodzajFaktury`` KOR, KOR_ZAL, KOR_ROZ) states its amounts as the change,
signed: negative when money goes back, positive when the price went up, and is read as
signed. Its lines either state the change, or the state before (``StanPrzed``) and after:
a before line counts negatively, so the lines still add up to the stated change. An advance
invoice (ZAL, KOR_ZAL) and a settlement invoice (ROZ) are read without lines (see
``NO_LINE_KINDS``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from lxml import etree

from robots.invoices.einvoice.common import EInvoice, Node, line, tax_id, to_decimal
from robots.invoices.fields import Invoice, Line

NAMESPACES = {
    "http://crd.gov.pl/wzor/2023/06/29/12648/": "FA(2)",
    "http://crd.gov.pl/wzor/2025/06/25/13775/": "FA(3)",
}
# An advance invoice bills a payment for goods it lists as ordered (``Zamowienie``); a
# settlement invoice lists the whole delivery but bills what is left after the advances.
# Their lines do not add up to what they bill, so they are read without lines.
NO_LINE_KINDS = frozenset({"ZAL", "KOR_ZAL", "ROZ"})
_NET = re.compile(r"P_13_\d+(?:_\d+)?")
_VAT = re.compile(r"P_14_[1-5]")
# Rates that are not a percentage: exempt, reverse charge, not taxable here, 0 % variants.
_ZERO_RATES = re.compile(r"(?i)(0( (KR|WDT|EX))?|zw|oo|np( I{1,2})?)")


def read(root: etree._Element) -> EInvoice:
    namespace = etree.QName(root).namespace or ""
    notes: list[str] = []
    doc = Node(root, {"k": namespace}, notes)
    fa = doc.at("k:Fa") or doc
    kind = (fa.text("k:RodzajFaktury") or "VAT").upper()
    lines = [] if kind in NO_LINE_KINDS else [_line(w) for w in fa.all("k:FaWiersz")]
    net = _sum(fa, _NET)
    total = fa.dec("k:P_15")
    inv = Invoice(
        invoice_number=fa.text("k:P_2"),
        issue_date=fa.date("k:P_1"),
        due_date=fa.date("k:Platnosc/k:TerminPlatnosci/k:Termin"),
        vendor_name=_spaced(doc.text("k:Podmiot1/k:DaneIdentyfikacyjne/k:Nazwa")),
        vendor_tax_id=_party_tax_id(doc.at("k:Podmiot1/k:DaneIdentyfikacyjne")),
        buyer_name=_spaced(doc.text("k:Podmiot2/k:DaneIdentyfikacyjne/k:Nazwa")),
        buyer_tax_id=_party_tax_id(doc.at("k:Podmiot2/k:DaneIdentyfikacyjne")),
        currency=(fa.text("k:KodWaluty") or "").upper() or None,
        net_amount=net,
        tax_amount=_sum(fa, _VAT) if net is not None else None,
        total_amount=total,
        iban=_iban(fa.first_text("k:Platnosc/k:RachunekBankowy/k:NrRB",
                                 "k:Platnosc/k:RachunekBankowyFaktora/k:NrRB")),
        lines=lines,
    )
    money_back = total is not None and total < 0 and all(
        ln.amount is None or ln.amount <= 0 for ln in lines)
    return EInvoice(invoice=inv, source=f"ksef/{NAMESPACES.get(namespace, 'FA')}",
                    credit_note=kind.startswith("KOR") and money_back, notes=notes,
                    has_lines=kind not in NO_LINE_KINDS)


def _sum(fa: Node, name: re.Pattern[str]) -> Decimal | None:
    """The sum of the per-rate amounts whose element names match; ``None`` when no net is
    given. A VAT of 0 needs no element (an invoice of exempt lines states ``P_13_7`` only)."""
    found = []
    for el in fa.el:
        local = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if name.fullmatch(local):
            value = to_decimal((el.text or "").strip() or None, local, fa.notes)
            if value is not None:
                found.append(value)
    if not found:
        return Decimal("0") if name is _VAT else None
    return sum(found, Decimal("0"))


def _spaced(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def _party_tax_id(ident: Node | None) -> str | None:
    if ident is None:
        return None
    nip = ident.text("k:NIP")
    digits = re.sub(r"\D", "", nip or "")
    if digits:
        return "PL" + digits
    eu_country, eu_number = ident.text("k:KodUE"), ident.text("k:NrVatUE")
    if eu_country and eu_number:
        number = eu_number.replace(" ", "")
        return number if number[:2].upper() == eu_country.upper() else eu_country + number
    return tax_id(None, ident.text("k:NrID"))


def _iban(account: str | None) -> str | None:
    if account is None:
        return None
    compact = re.sub(r"[\s-]", "", account).upper()
    return "PL" + compact if re.fullmatch(r"\d{26}", compact) else compact


def _rate(text: str | None, notes: list[str]) -> Decimal | None:
    if text is None:
        return None
    if _ZERO_RATES.fullmatch(text.strip()):
        return Decimal("0")
    return to_decimal(text, "P_12", notes)


def _line(row: Node) -> Line:
    gross = row.at("k:P_11") is None and row.at("k:P_11A") is not None
    quantity = row.dec("k:P_8B")
    price = row.dec("k:P_9B" if gross else "k:P_9A")
    amount = row.dec("k:P_11A" if gross else "k:P_11")
    rate = _rate(row.text("k:P_12"), row.notes)
    if rate is None:
        rate = row.dec("k:P_12_XII")  # a rate of another EU country (OSS)
    if row.text("k:StanPrzed") == "1":  # the state the correction replaces: it goes away
        amount = -amount if amount is not None else None
        price = -price if price is not None else None
    if amount is not None and amount < 0:
        # Money going back reads like a credit note's line: the quantity stays positive.
        quantity = abs(quantity) if quantity is not None else None
        price = -abs(price) if price is not None else None
    return line(row.text("k:P_7"), quantity, price, amount, rate)
