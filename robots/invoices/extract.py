"""From a laid-out document to typed invoice fields, each with a confidence.

No template: labels in eight languages are paired with values by position, the number and
date formats are detected per document, net/tax/total are chosen together so that they add
up, and the line-item table is read by its header. Validation (``validate.py``) decides
afterwards what the confidences and checks mean for the invoice's status.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from backoffice.locale import parse_number
from robots.invoices import checksums
from robots.invoices.addressee import UPPER_HALF
from robots.invoices.amounts import CENT, AmountCandidate, solve
from robots.invoices.fields import Invoice, as_credit_note
from robots.invoices.fields import Line as ItemLine
from robots.invoices.labels import (
    CREDIT_WORDS,
    DISCOUNT_LABELS,
    FIELD_INDEX,
    INVOICE_WORDS,
    SELF_BILLING_WORDS,
    match_label,
    phrase_in,
    strip_punct,
)
from robots.invoices.layout import Document, Line, Segment
from robots.invoices.parsing import (
    detect_date_order,
    detect_decimal,
    find_amounts,
    find_date,
    fold,
    month_number,
    swap_day_month,
)
from robots.invoices.parties import PartyLabel, find_parties, party_labels, side_of
from robots.invoices.structure import structural_lines, vat_breakdown
from robots.invoices.table import read_lines
from robots.invoices.values import (
    Hit,
    find_ibans,
    find_tax_id,
    is_label,
    label_hits,
    parse_iban,
    parse_identifier,
    parse_reference,
    value_texts,
)

CURRENCIES = ("EUR", "USD", "GBP", "PLN", "SEK", "NOK", "DKK", "CHF", "INR", "CZK", "HUF",
              "CAD", "AUD", "JPY", "ARS", "BRL")
SYMBOLS = {"€": "EUR", "£": "GBP", "₹": "INR", "zł": "PLN", "Kč": "CZK", "$": "USD",
           "Rs.": "INR"}
AMOUNT_FIELDS = {"net_amount", "tax_amount", "total_amount", "adjustment"}


@dataclass
class Reading:
    invoice: Invoice
    confidence: dict[str, float] = field(default_factory=dict)
    consistent_totals: bool = False
    is_credit: bool = False
    has_invoice_word: bool = False
    ambiguous_dates: bool = False
    decimal: str = "."
    ibans: list[str] = field(default_factory=list)
    subtotal: Decimal | None = None  # before discounts and charges, when there were any


def read_document(doc: Document) -> Reading:
    text = doc.text
    folded = fold(text)
    decimal = detect_decimal(text)
    order = detect_date_order(text)
    inv = Invoice()
    r = Reading(invoice=inv, decimal=decimal)
    r.has_invoice_word = phrase_in(folded, INVOICE_WORDS)
    r.is_credit = phrase_in(folded, CREDIT_WORDS) and not (
        phrase_in(folded, SELF_BILLING_WORDS)
        and not phrase_in(folded, [w for w in CREDIT_WORDS if w != "gutschrift"]))
    parties_labels = party_labels(doc)
    hits = _without_party_numbers(label_hits(doc), parties_labels)
    inv.lines, table_spans = _lines(doc, decimal)
    in_table = {i for span in table_spans for i in span}

    # a label's word in a line item's description ('Reference book 8') labels nothing
    simple = _best_values(doc, [h for h in hits if h.field in AMOUNT_FIELDS
                                or h.segment.line not in in_table],
                          order or _guess_order(text, decimal))
    for name, (value, conf) in simple.items():
        setattr(inv, name, value)
        r.confidence[name] = conf
    _dates_in_sentences(doc, order or _guess_order(text, decimal), inv, r)
    if inv.issue_date is None:
        _letter_date(doc, order or _guess_order(text, decimal), inv, r)
    if inv.invoice_number is None:
        _number_in_sentence(doc, order or _guess_order(text, decimal), inv, r)
    if inv.payment_reference is None:
        _quoted_with_payment(doc, inv, r)
    if order is None and any(simple.get(d, (None, 0))[0] for d in ("issue_date", "due_date")):
        _settle_ambiguous_dates(doc, hits, inv, r, text)

    lines_sum = sum((ln.amount for ln in inv.lines if ln.amount is not None), Decimal("0")) \
        if inv.lines and all(ln.amount is not None for ln in inv.lines) else None
    nets, taxes, grand, adjust = _amount_candidates(doc, hits, decimal)
    adjust = [a for a in adjust if not any(a.line in span for span in table_spans)]
    vat_rows = vat_breakdown(doc, decimal, in_table)
    if vat_rows:
        last = max(v.line for v in vat_rows)
        nets.append(AmountCandidate(sum((v.base for v in vat_rows), Decimal(0)), 0.95, last,
                                    "vat breakdown"))
        taxes.append(AmountCandidate(sum((v.tax for v in vat_rows), Decimal(0)), 0.95, last,
                                     "vat breakdown"))
    totals = solve(nets, taxes, grand, lines_sum=lines_sum, adjustments=adjust,
                   tax_shown=bool(tax_rate_rows(doc)))
    r.subtotal = totals.subtotal
    inv.net_amount, inv.tax_amount, inv.total_amount = totals.net, totals.tax, totals.total
    r.confidence.update(net_amount=totals.net_conf, tax_amount=totals.tax_conf,
                        total_amount=totals.conf)
    r.consistent_totals = totals.consistent
    if r.is_credit:
        as_credit_note(inv)
        r.subtotal = -abs(r.subtotal) if r.subtotal is not None else None

    parties = find_parties(doc, table_spans, parties_labels)
    inv.vendor_name, r.confidence["vendor_name"] = parties.vendor_name, parties.vendor_conf
    inv.buyer_name, r.confidence["buyer_name"] = parties.buyer_name, parties.buyer_conf
    inv.vendor_tax_id = parties.vendor_tax_id
    r.confidence["vendor_tax_id"] = parties.vendor_tax_conf
    inv.buyer_tax_id = parties.buyer_tax_id
    r.confidence["buyer_tax_id"] = parties.buyer_tax_conf

    r.ibans = list(dict.fromkeys(i for i, _ in find_ibans(doc)))
    if inv.iban is None and r.ibans:
        inv.iban, r.confidence["iban"] = r.ibans[0], 0.85
    elif inv.iban is not None and not checksums.iban_valid(inv.iban):
        # the labelled value was cut by a line break; its completion passed the check
        whole = [i for i in r.ibans if i.startswith(inv.iban) and checksums.iban_valid(i)]
        valid = {i for i in r.ibans if checksums.iban_valid(i)}
        if len(whole) == 1:
            inv.iban, r.confidence["iban"] = whole[0], 0.9
        elif len(inv.iban) != checksums.IBAN_LENGTHS.get(inv.iban[:2]) and len(valid) == 1:
            # not an IBAN's length at all: the label's neighbour was another id (a VAT
            # number beside it in a narrow band); the one valid IBAN on the page is it
            inv.iban, r.confidence["iban"] = valid.pop(), 0.9
    inv.currency, r.confidence["currency"] = _currency(text, inv.iban, decimal,
                                                       _vendor_country(text, inv.vendor_tax_id))
    return r


def _vendor_country(text: str, tax_id: str | None) -> str | None:
    """The seller's country as its tax id tells it: a VAT number's prefix, or Argentina
    for a CUIT the page prints in its own shape ('30-28274516-6') with its check digit."""
    if not tax_id:
        return None
    c = checksums.compact(tax_id)
    if c[:2] in checksums.VAT_FORMATS and checksums.vat_format_valid(c):
        return "GR" if c[:2] == "EL" else c[:2]
    if checksums.ar_cuit_valid(c) and f"{c[:2]}-{c[2:10]}-{c[10]}" in text:
        return "AR"
    return None


def _lines(doc: Document, decimal: str) -> tuple[list, list[range]]:
    """The table read under its header; rows found by their arithmetic when no header was
    found, or to fill in what the header's columns left out (a quantity column named in
    words the label lists lack)."""
    lines, spans = read_lines(doc, decimal)
    rows, row_spans = structural_lines(doc, decimal, _printed_rates(doc))
    if not lines:
        return rows, row_spans
    if len(rows) > len(lines) and _covers(rows, lines):
        # the arithmetic found every row the header reading found, and more (rows with
        # notes between them, where the header reading stops)
        return rows, row_spans
    if rows and any(ln.amount is None for ln in lines) and \
            all(r.amount is not None for r in rows):
        # the header's columns missed the amounts (printed on a line of their own): the
        # rows whose arithmetic holds are the better reading
        return rows, row_spans
    if len(rows) == len(lines) and all(a.amount == b.amount for a, b in zip(lines, rows,
                                                                             strict=True)):
        for ln, row in zip(lines, rows, strict=True):
            if ln.quantity is None and ln.unit_price in (None, row.unit_price):
                ln.quantity, ln.unit_price = row.quantity, row.unit_price
            elif ln.unit_price is None and ln.quantity == row.quantity:
                ln.unit_price = row.unit_price  # a price column named in other words
            elif _off(ln) and not _off(row) and ln.quantity == row.quantity:
                ln.unit_price = row.unit_price  # the price before a line discount: the net
            if ln.tax_rate is None:
                ln.tax_rate = row.tax_rate
    return lines, spans


def _off(ln: ItemLine) -> bool:
    """Quantity x price is not the line's amount (to the cent)."""
    q, p, a = ln.quantity, ln.unit_price, ln.amount
    return q is not None and p is not None and a is not None and abs(q * p - a) > CENT


def _covers(rows: list, lines: list) -> bool:
    """Every amount of ``lines`` is among those of ``rows`` (as many times)."""
    left = [r.amount for r in rows]
    for ln in lines:
        if ln.amount is None or ln.amount not in left:
            return False
        left.remove(ln.amount)
    return True


# A date in running text: 'Rechnung Nr. 471102 vom 05.03.2018', 'Invoice # 12 issued at
# 2019-06-10', 'Facture n° 12 du 05/03/2018'; 'Please remit until 2019-07-01', 'zahlbar
# netto bis 04.04.2018', 'à payer avant le 30/11/2018' (a cash-discount date is not the due
# date: 'Skonto ... bis 15.03.2018' is skipped).
_ISSUED = re.compile(r"(?:\bvom|\bissued (?:at|on)|\bdated|\bdu|\bdate[d]? of issue)\s+(\S+)",
                     re.IGNORECASE)
# An invoice's word for itself and a number sign, as running text states them.
_DOC_WORD = r"(?:invoice|rechnung|facture|lasku|faktura|fattura|factura|factuur|arve)"
_NO_SIGN = r"(?:no\.?|nr\.?|n°|nº|number|numero|nummer|#)"
# The document's number and its date in one phrase: 'Rechnung Nr. 2026-118 vom 07.04.2026'
# (not 'Rechnung gemäß Bestellung vom ...', which dates the order).
_NUMBER_DATED = re.compile(
    rf"{_DOC_WORD}\b[^,;]{{0,20}}?(?<![a-z]){_NO_SIGN}\.?\s*:?\s*\S+\s+(?:vom|du|dated|of)\s")
_PAY_BY = re.compile(
    r"(?:\bremit|\bpay(?:able|ment)?|\bzahlbar|\bzahlen|\buberweisen|\bpayer|\bpayable|"
    r"\breglement)[^.;:]{0,60}?\b(?:until|by|before|on or before|bis(?: zum| spatestens)?|"
    r"spatestens(?: am| bis)?|avant le|au plus tard le|jusqu'au)\s+(\S+)", re.IGNORECASE)
# A due date in running text: the one 'Fälligkeit' named with its date ('zu der Fälligkeit
# 21.05.2014 ... abbuchen'; several 'Fälligkeiten' are later instalments), or the day a
# direct debit is taken ('wird am 20.03.2014 von Ihrem Konto ... eingezogen', 'will be
# debited on', 'sera prélevé le').
_DUE_IN_TEXT = re.compile(
    r"(?<![a-z])f(?:a|ae)lligkeit\s+(?:am\s+)?(\d\S+)|"
    r"(?<![a-z])(?:wird|werden)\s+am\s+(\d\S+)\s+(?:von ihrem konto|per (?:sepa-)?lastschrift)|"
    r"will be (?:debited|collected) (?:from your account )?on\s+(\S+)|"
    r"sera (?:preleve|debite) (?:sur votre compte )?le\s+(\S+)")
_CASH_DISCOUNT = re.compile(r"skonto|escompte|discount|rabais", re.IGNORECASE)


def _dates_in_sentences(doc: Document, order: str, inv: Invoice, r: Reading) -> None:
    for ln in doc.lines:
        for seg in ln.segments:
            folded = seg.folded
            if r.has_invoice_word is not None:
                title = phrase_in(folded[:40], INVOICE_WORDS)
                m = _ISSUED.search(seg.text) if title else None
                value = find_date(seg.text[m.start(1):], order)[0] if m else None
                if value is not None and inv.issue_date is None:
                    inv.issue_date, r.confidence["issue_date"] = value, 0.85
                elif value is not None and value != inv.issue_date \
                        and _NUMBER_DATED.search(folded):
                    # 'Rechnung Nr. 2026-118 vom 07.04.2026' against a 'Datum' that says
                    # otherwise (an order's date in a reference line): a person decides
                    r.confidence["issue_date"] = min(r.confidence["issue_date"], 0.6)
            if inv.due_date is None:
                for m in _PAY_BY.finditer(folded):
                    clause = folded[max(0, folded.rfind(",", 0, m.start()) + 1): m.end()]
                    if _CASH_DISCOUNT.search(clause):
                        continue
                    value = find_date(seg.text_from(m.start(1)), order)[0]
                    if value is not None:
                        inv.due_date, r.confidence["due_date"] = value, 0.85
                        break
            if inv.due_date is None:
                m = _DUE_IN_TEXT.search(folded)
                at = next(m.start(g) for g in range(1, 5) if m.group(g)) if m else 0
                value = find_date(seg.text_from(at), order)[0] if m else None
                if value is not None:
                    inv.due_date, r.confidence["due_date"] = value, 0.85


# 'mit unserer Rechnung Nr. INV44847 berechnen wir', 'our invoice no. 2026-0011 for',
# 'notre facture n° INV79321.': the document's own word for itself, a number sign, a number.
_NUMBER_IN_TEXT = re.compile(rf"(?<![a-z]){_DOC_WORD}\s+{_NO_SIGN}\s*:?\s*([a-z0-9][\w\-/.]*)",
                             re.IGNORECASE)


def _number_in_sentence(doc: Document, order: str, inv: Invoice, r: Reading) -> None:
    """No label gave the number: one stated in the running text, when it is the only one.

    A credit note or a reminder states the number of the invoice it corrects or chases
    ('cancels our invoice no. 2026-0011 of 12 March 2026', EN 16931 BT-25): on a credit
    note, or dated to another day than the document's own, the number is that invoice's."""
    found, cited = set(), set()
    for seg in doc.segments:
        for m in _NUMBER_IN_TEXT.finditer(seg.folded):
            value = parse_identifier(seg.text_from(m.start(1)), strict=True)
            dated, _ = find_date(seg.text_from(m.end(1)), order)
            if r.is_credit or dated is not None and dated != inv.issue_date:
                cited.add(value)
            elif value:
                found.add(value)
    found = (found | _number_under_title(doc)) - cited
    if len(found) == 1:
        inv.invoice_number, r.confidence["invoice_number"] = found.pop(), 0.85


def _number_under_title(doc: Document) -> set[str]:
    """'# 2026-118' right under the document's title ('INVOICE'): the title is its label."""
    out = set()
    for seg in doc.segments:
        if seg.page != 0 or not any(seg.folded.strip() == w for w in INVOICE_WORDS):
            continue
        for ln in doc.lines[seg.line + 1: seg.line + 3]:
            if ln.page != seg.page or ln.top - seg.bottom > seg.size * 2:
                break
            for below in ln.segments:
                if below.overlaps_x(seg) and below.text.lstrip().startswith("#"):
                    value = parse_identifier(below.text, strict=True)
                    if value and not _another_fields_key(value):
                        out.add(value)
    return out


def _another_fields_key(value: str) -> bool:
    """'PO-4471', 'Ref 77': an id that opens with the key of another field (an order, a
    reference) is that field's, whatever stands above it."""
    head = re.match(r"[^\W\d_]+", value)
    if head is None:
        return False
    m = match_label(fold(head.group(0)), FIELD_INDEX)
    return m is not None and m[0] != "invoice_number" and not strip_punct(m[2])


# 'Köln, 7. April 2026' or '7. April 2026' alone on its line: a letter's date (DIN 5008
# prints it right-aligned above the subject, with no label).
_PLACE_PREFIX = re.compile(r"^[^\W\d_][\w .'-]{1,30},\s*")


# A note asking the payer to quote the value with the payment: 'Referenz (bitte bei Zahlung
# angeben)', '(Bei Schriftwechsel und Zahlung bitte angeben.)', 'please quote with your
# payment', 'à rappeler lors du paiement' (folded).
_QUOTE_WITH_PAYMENT = re.compile(
    r"(?:bei|mit) (?:[a-z]+ und )?(?:ihrer )?zahlung (?:bitte )?angeben|"
    r"please quote (?:it |this )?(?:with|on|when making) (?:your |the )?payment|"
    r"a rappeler (?:lors du|avec (?:le|votre)) (?:paiement|reglement)")


def _quoted_with_payment(doc: Document, inv: Invoice, r: Reading) -> None:
    """The payment reference is the value the page asks to quote with the payment: the
    figure right of that note on its line ('Referenz (bitte bei Zahlung angeben)
    2013-471102'), or, when the note stands alone under a line, the value of that line's
    last key ('VSNR: 01.234.567.8' over '(Bei ... Zahlung bitte angeben.)'). Never read
    when a label already gave one; two candidates settle nothing."""
    found = set()
    for ln in doc.lines:
        for k, seg in enumerate(ln.segments):
            m = _QUOTE_WITH_PAYMENT.search(seg.folded)
            if m is None:
                continue
            right = [seg.text_from(m.end()).lstrip(" .):")] + [s.text for s in
                                                               ln.segments[k + 1:]]
            right = [t for t in right if t.strip()]
            if right:
                value = parse_reference(right[0])
            elif k == 0 and ln.index > 0 and doc.lines[ln.index - 1].page == ln.page:
                above = doc.lines[ln.index - 1].text
                value = parse_reference(above.rsplit(":", 1)[1]) if ":" in above else None
            else:
                value = None
            if value is not None and any(c.isdigit() for c in value):
                found.add(value)
    if len(found) == 1:
        inv.payment_reference, r.confidence["payment_reference"] = found.pop(), 0.85


def _letter_date(doc: Document, order: str, inv: Invoice, r: Reading) -> None:
    """No label gave the issue date: the one date that stands alone on the first page's
    upper half (a letter's date); several such dates settle nothing."""
    found = set()
    for ln in doc.lines:
        if ln.page != 0 or ln.top > UPPER_HALF:
            break
        # alone on its line, and not the value of a label above it: a date beside or under
        # a label ('Lieferdatum', 'Fällig am') is that label's, not the letter's; or ending
        # the subject line, set apart at its right ('Beitragsrechnung      24. Januar
        # 2014'), the words before it no label, or the document's title with its number
        # ('Rechnung 2026-0012 ... 10.11.2026': DIN 5008 sets the date level with it)
        seg = ln.segments[-1]
        if len(ln.segments) > 1 and not (_dates_a_subject(ln)
                                         or _title_line(ln.segments[:-1])):
            continue
        if _under_a_label(doc, seg):
            continue
        text = seg.text.strip()
        # 'Köln, 7. April 2026': the place before the comma goes; 'August 22, 2026' keeps
        # its month
        for candidate in (text, _PLACE_PREFIX.sub("", text)):
            value, _ = find_date(candidate, order)
            if value is not None and _only_a_date(candidate):
                found.add(value)
                break
    if inv.due_date is not None:
        found.discard(inv.due_date)
    if len(found) == 1:
        inv.issue_date, r.confidence["issue_date"] = found.pop(), 0.8


def _dates_a_subject(ln: Line) -> bool:
    """The last segment of ``ln`` stands far right of the others (a gap of six letters'
    height at least: a tab stop, not a word space), none of which is a label, a key (a
    colon at its end) or holds a date of its own."""
    *rest, last = ln.segments
    if last.x0 - rest[-1].x1 < 6 * last.size:
        return False
    return not any(match_label(s.folded, FIELD_INDEX) or s.text.rstrip().endswith(":")
                   or find_date(s.text, "dmy")[0] is not None for s in rest)


def _title_line(segments: list[Segment]) -> bool:
    """The segments are the document's title, with its number at most ('Invoice
    2026-0005', 'Rechnung Nr. 17'): an invoice word first, no other label, no colon."""
    if len(segments) != 1:
        return False
    folded = segments[0].folded.strip()
    words = folded.split()
    return bool(words) and words[0] in _INVOICE_WORD_SET and ":" not in folded \
        and len(words) <= 3 and not is_label(segments[0])


def _under_a_label(doc: Document, seg: Segment) -> bool:
    """A label just above ``seg``: a known one, any text ending in a colon, or any words
    without a number ('Lieferung' over '02.03.2026': a label the dictionary lacks is still
    a label; a letter's date stands apart, not at line spacing under a line of words); or
    a caption in smaller type just below it, as forms print them ('02.03.2026' over
    'Lieferdatum')."""
    for index in (seg.line - 1, seg.line + 1):
        if not 0 <= index < len(doc.lines):
            continue
        near = doc.lines[index]
        gap = seg.top - near.bottom if index < seg.line else near.top - seg.bottom
        if near.page != seg.page or gap > seg.size * 1.5:
            continue
        if any(s.overlaps_x(seg, slack=4) and (
                is_label(s) or s.text.rstrip().endswith(":")
                or not any(ch.isdigit() for ch in s.text))
               and (index < seg.line or s.size < seg.size - 0.8)
               for s in near.segments):
            return True
    return False


def _only_a_date(text: str) -> bool:
    """The text holds one date and nothing else of substance (two dates, '01.03.2026 -
    31.03.2026', are a period)."""
    if len(re.findall(r"\d+", text)) > 3:
        return False
    # an ordinal's ending only after its number: 'August' keeps its 'st'
    rest = re.sub(r"\d{1,4}|[./,\s-]|(?<=\d)(?:st|nd|rd|th|er)\b", " ", fold(text))
    return all(len(w) > 2 and month_number(w.strip(".")) for w in rest.split())


def _guess_order(text: str, decimal: str) -> str:
    """Month first only on a dollar invoice written the US way: a decimal comma ('$71,76')
    belongs to a country that writes the day first, whatever its currency sign."""
    if decimal == ",":
        return "dmy"
    return "mdy" if ("$" in text or "USD" in text) and "€" not in text else "dmy"


def _parse(name: str, text: str, order: str, generic: bool) -> object | None:
    if name in ("issue_date", "due_date"):
        return find_date(text, order)[0]
    if name == "invoice_number":
        return parse_identifier(text, strict=generic)
    if name == "payment_reference":
        return parse_reference(text)
    if name == "iban":
        return parse_iban(text)
    return None


# The label's words go on to a colon: the key printed is a longer one the label is only the
# start of ('Date de facture associée :', BT-26 the preceding invoice's date; 'Réf. appel
# d'offres :'), so its value is another field's more often than not: doubtful.
_QUALIFIED = re.compile(r"\s+(?:[^\W\d_][\w'’.-]*\s+){0,3}(?=[\w'’-]*[^\W\d_]{3})"
                        r"[^\W\d_][\w'’-]*\.?\s*:")


def _without_party_numbers(hits: list[Hit], parties: list[PartyLabel]) -> list[Hit]:
    """A bare 'Nummer:' / 'No.:' row inside a seller's or buyer's block is that party's own
    number (EN 16931 BT-29, BT-46: a supplier or customer number), not the invoice's."""
    def party_number(hit: Hit) -> bool:
        return (hit.field == "invoice_number" and hit.generic
                and fold(hit.segment.text).lstrip().startswith(hit.label)
                and not phrase_in(hit.segment.folded, INVOICE_WORDS)
                and side_of(hit.segment, parties) is not None)
    return [h for h in hits if not party_number(h)]


def _qualified(rest: str) -> bool:
    """The label runs on to a colon, unless the words it runs on with end in the invoice
    word: 'Date of exposure taxable invoice:' is still the invoice's date (BT-2)."""
    m = _QUALIFIED.match(rest)
    if m is None:
        return False
    last = fold(m.group(0)).strip(" .:").split()
    return not (last and last[-1] in _INVOICE_WORD_SET)


_INVOICE_WORD_SET = frozenset(w for w in INVOICE_WORDS if " " not in w)


def _best_values(doc: Document, hits: list[Hit], order: str) -> dict[str, tuple[object, float]]:
    """For each non-amount field: the value of its most specific label; a different value
    under an equally specific label makes it doubtful."""
    found: dict[str, list[tuple[float, object]]] = {}
    for hit in hits:
        if hit.field in AMOUNT_FIELDS:
            continue
        qualified = 0.5 if _qualified(hit.rest) else 1.0
        for text, weight in value_texts(doc, hit):
            value = _parse(hit.field, text, order, hit.generic)
            if value is not None:
                conf = weight * qualified * (0.8 if hit.generic else 0.96)
                found.setdefault(hit.field, []).append((conf, value))
                break
    out: dict[str, tuple[object, float]] = {}
    for name, cands in found.items():
        cands.sort(key=lambda c: -c[0])
        conf, value = cands[0]
        rivals = {v for c, v in cands if c >= conf - 0.05 and v != value}
        out[name] = (value, 0.55 if rivals else conf)
    return out


def _settle_ambiguous_dates(doc: Document, hits: list[Hit], inv: Invoice, r: Reading,
                            text: str) -> None:
    """A slash date like 03/04/2026 with nothing else in the document to settle the order:
    keep the reading where the due date is on or after the issue date within four months;
    when both readings fit, the guess stays doubtful."""
    issue, due = inv.issue_date, inv.due_date
    if not isinstance(issue, date):
        return
    if not re.search(r"\d{1,2}/\d{1,2}/\d{2,4}", text):
        return
    ambiguous = any(find_date(t, "dmy")[1] for h in hits if h.field in ("issue_date",
                    "due_date") for t, _ in list(value_texts(doc, h))[:1])
    if not ambiguous:
        return

    def plausible(a: date | None, b: date | None) -> bool:
        return a is not None and b is not None and 0 <= (b - a).days <= 120

    swapped = (swap_day_month(issue), swap_day_month(due) if isinstance(due, date) else None)
    keep_ok = plausible(issue, due if isinstance(due, date) else None)
    swap_ok = plausible(*swapped)
    if swap_ok and not keep_ok:
        inv.issue_date, inv.due_date = swapped
    elif keep_ok == swap_ok:
        r.ambiguous_dates = True
        r.confidence["issue_date"] = min(r.confidence.get("issue_date", 0), 0.6)
        if due is not None:
            r.confidence["due_date"] = min(r.confidence.get("due_date", 0), 0.6)


def _amount_candidates(
    doc: Document, hits: list[Hit], decimal: str
) -> tuple[list[AmountCandidate], list[AmountCandidate], list[AmountCandidate],
           list[AmountCandidate]]:
    groups: dict[str, list[AmountCandidate]] = {f: [] for f in AMOUNT_FIELDS}
    for hit in hits:
        if hit.field not in AMOUNT_FIELDS:
            continue
        base = 0.8 if hit.generic else 1.0
        if hit.field == "total_amount" and not _summed_row(doc, hit, decimal, base, groups):
            continue
        if hit.field == "tax_amount":
            _stacked_around_tax(doc, hit, decimal, base, groups)
            _row_figures(doc, hit, decimal, base, groups)
        summed = _column_sum(doc, hit.segment, decimal)
        if summed is not None:
            groups[hit.field].append(AmountCandidate(value=summed[0], score=base,
                                                     line=summed[1], label=hit.label))
        for text, weight in value_texts(doc, hit):
            if _tax_id_first(text):
                break  # 'TVA : FR11999999998 - ... capital 120 000 €': the label of an id
            amounts = find_amounts(text, decimal)
            if amounts:
                value = -abs(amounts[-1]) if hit.label in DISCOUNT_LABELS else amounts[-1]
                groups[hit.field].append(AmountCandidate(
                    value=value, score=base * weight, line=hit.segment.line,
                    label=hit.label))
                if len(amounts) > 1 and weight == 1.0:
                    continue
                break
    _tax_included(doc, decimal, groups)
    _tax_contained(doc, decimal, groups)
    _rate_rows(doc, decimal, hits, groups)
    return (groups["net_amount"], groups["tax_amount"], groups["total_amount"],
            groups["adjustment"])


# A figure said to include the tax at a rate: 'Beitrag inklusive 19 % Versicherungsteuer',
# 'incl. 20% VAT', 'TTC dont TVA 20 %' (folded).
_INCLUDED = re.compile(
    r"(?<![a-z])(?:inkl\.?|inklusive|einschl\.?|einschliesslich|incl\.?|including|"
    r"inclusive of|dont)\s+(\d{1,2}(?:[.,]\d{1,2})?)\s?%\s+(?:[a-z.-]*steuer|vat|tax|"
    r"mwst\.?|ust\.?|tva|btw|moms|alv)(?![a-z])")


def _contained_tax(gross: Decimal, rate: Decimal) -> Decimal:
    """The tax a gross figure contains at ``rate``: gross x rate / (100 + rate), to the
    cent (a tax added to a net is net x rate / 100: the two are told apart by this)."""
    return (abs(gross) * rate / (100 + rate)).quantize(CENT, ROUND_HALF_UP)


def _gross_split(groups: dict[str, list[AmountCandidate]], gross: Decimal, tax: Decimal,
                 gross_line: int, tax_line: int) -> None:
    """Offer a gross figure as the total, the tax it contains as the tax (with the gross's
    sign) and what is left as the net."""
    tax = abs(tax) if gross > 0 else -abs(tax)
    groups["total_amount"].append(AmountCandidate(gross, 0.9, gross_line, "incl"))
    groups["tax_amount"].append(AmountCandidate(tax, 0.9, tax_line, "incl"))
    groups["net_amount"].append(AmountCandidate(gross - tax, 0.85, gross_line, "incl"))


def _rate_of(m: re.Match[str]) -> Decimal | None:
    """The rate a match's first group prints, in either decimal mark."""
    return parse_number(m.group(1), "," if "," in m.group(1) else ".")


def _tax_included(doc: Document, decimal: str,
                  groups: dict[str, list[AmountCandidate]]) -> None:
    """A gross figure that says it includes the tax at a rate, with the tax it contains
    printed on one of the next lines: the tax is gross x rate / (100 + rate) to the cent
    ('vierteljährlicher Beitrag inklusive 19 % Versicherungsteuer 220,00 €' over 'darin
    enthaltene Versicherungsteuer (35,13 €)'). The gross is the total, the net what is
    left; a tax that does not check out gives nothing."""
    for ln in doc.lines:
        m = _INCLUDED.search(fold(ln.text))
        if m is None:
            continue
        gross = find_amounts(ln.text[m.end():] if len(ln.segments) == 1 else
                             ln.segments[-1].text, decimal)
        rate = _rate_of(m)
        if not gross or rate is None or not gross[-1]:
            continue
        total = gross[-1]
        tax = _contained_tax(total, rate)
        for nxt in doc.lines[ln.index + 1: ln.index + 3]:
            if nxt.page == ln.page and any(abs(a) == tax for s in nxt.segments
                                           for a in find_amounts(s.text, decimal)):
                _gross_split(groups, total, tax, ln.index, nxt.index)
                break


# A tax's name beside a rate ('TVA 20%', 'USt. 19 %', 'VAT at 5%'); a percentage on its own
# line may be a cash discount ('2% Skonto') or a line's discount.
_TAX_WORD = re.compile(r"(?<![a-z])(?:vat|tax|mwst|ust|umsatzsteuer|mehrwertsteuer|tva|iva|"
                       r"btw|moms|alv|km|ptu|gst|dph|dan|mva)(?![a-z])")


def tax_rate_rows(doc: Document) -> list[tuple[int, Decimal]]:
    """(line, rate) of the rows that name a tax and a rate ('USt 19 %', 'dont TVA 20 %')."""
    out = []
    for ln in doc.lines:
        folded = fold(ln.text)
        m = _RATE_IN_ROW.search(ln.text)
        if m is None or not _TAX_WORD.search(folded):
            continue
        rate = _rate_of(m)
        if rate is not None and 0 < rate < 100:
            out.append((ln.index, rate))
    return out


def _tax_contained(doc: Document, decimal: str,
                   groups: dict[str, list[AmountCandidate]]) -> None:
    """A tax row under a gross figure that contains it ('Gesamtbetrag 119,00' over
    'darin enthaltene MwSt. 19 % 19,00', 'Total TTC 120,00' over 'dont TVA 20 % 20,00'):
    the row's figure is the gross x rate / (100 + rate) to the cent, which a tax added to
    a net never is (that is net x rate / 100). The gross is the total, the net what is
    left; arithmetic decides, whatever words say 'included'."""
    for index, rate in tax_rate_rows(doc):
        row = doc.lines[index]
        figures = [a for s in row.segments for a in find_amounts(s.text, decimal)]
        if not figures or not figures[-1]:
            continue
        tax = figures[-1]
        for above in doc.lines[max(0, index - 3): index]:
            if above.page != row.page:
                continue
            for gross in (a for s in above.segments for a in find_amounts(s.text, decimal)):
                if gross and abs(gross) > abs(tax) and _contained_tax(gross, rate) == abs(tax):
                    _gross_split(groups, gross, tax, above.index, index)
                    return


# A VAT rate in a row's words ('Steuer 19 %', '19,00 %', 'Vorsteuer 7%').
_RATE_IN_ROW = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,3})?)\s?%")


def _rate_rows(doc: Document, decimal: str, hits: list[Hit],
               groups: dict[str, list[AmountCandidate]]) -> None:
    """Rows of words naming a rate, each with one figure, between two figures of the same
    column: the taxes on the net above ('Netto 1.000,00 | Steuer 19 % 190,00 | Summe
    1.190,00'), whatever word names the tax, when the figure below is the net plus them
    (the total). Arithmetic decides, the words only say a rate (a cash discount's '2 %'
    row under the total adds up to nothing)."""
    labelled = {h.segment.line for h in hits if h.field in AMOUNT_FIELDS}
    index = 1
    while index < len(doc.lines) - 1:
        run: list[Decimal] = []  # the figures of consecutive rate rows
        while index + len(run) < len(doc.lines) - 1:
            row = _rate_row(doc.lines[index + len(run)], decimal, labelled)
            if row is None:
                break
            run.append(row)
        if not run:
            index += 1
            continue
        first, after = doc.lines[index], index + len(run)
        column = first.segments[-1].x1
        above = _last_figure(doc, index - 1, first, decimal)
        below = _last_figure(doc, after, first, decimal)
        index = after
        if above is None or abs(above[1] - column) > 4 or above[0] <= 0:
            continue
        net, tax = above[0], sum(run, Decimal(0))
        if below is None or abs(below[1] - column) > 4 or below[0] != net + tax:
            continue
        line = after - 1
        groups["tax_amount"].append(AmountCandidate(tax, 0.9, line, "rate row"))
        groups["net_amount"].append(AmountCandidate(net, 0.85, line - len(run), "rate row"))
        groups["total_amount"].append(AmountCandidate(below[0], 0.85, after, "rate row"))


def _rate_row(ln: Line, decimal: str, labelled: set[int]) -> Decimal | None:
    """The figure of a row of words naming a rate and one figure after them."""
    if ln.index in labelled or len(ln.segments) < 2:
        return None
    words = " ".join(s.text for s in ln.segments[:-1])
    figures = find_amounts(ln.segments[-1].text, decimal)
    if not _RATE_IN_ROW.search(words) or len(figures) != 1 or figures[0] <= 0 or find_amounts(
            _RATE_IN_ROW.sub("", words), decimal):
        return None
    return figures[0]


def _last_figure(doc: Document, index: int, near: Line,
                 decimal: str) -> tuple[Decimal, float] | None:
    """The last money figure of line ``index`` and where it ends, on ``near``'s page."""
    ln = doc.lines[index]
    if ln.page != near.page:
        return None
    money = [(a, s.x1) for s in ln.segments for a in find_amounts(s.text, decimal)]
    return money[-1] if money else None


def _row_figures(doc: Document, hit: Hit, decimal: str, base: float,
                 groups: dict[str, list[AmountCandidate]]) -> None:
    """Every figure on a tax row of figures only, right of its label: a row of a VAT
    summary names the tax and prints its base before the tax ('MwSt. voll  1.000,00 €
    190,00 €'); which one is the tax, the arithmetic with the net and the total decides."""
    seg = hit.segment
    cells = [s for s in doc.lines[seg.line].segments if s.x0 >= seg.x1 - 1]
    if not cells or not all(_FIGURE_ALONE.fullmatch(s.text.strip()) for s in cells):
        return  # a row of figures only ('VAT Reg No: ...  IBAN ...' is none)
    for s in cells:
        groups["tax_amount"].extend(AmountCandidate(value, 0.8 * base, seg.line, hit.label)
                                    for value in find_amounts(s.text, decimal))


def _stacked_around_tax(doc: Document, hit: Hit, decimal: str, base: float,
                        groups: dict[str, list[AmountCandidate]]) -> None:
    """A tax row between two rows whose figures stand in one column with its own: the
    figure above plus the tax is the figure below ('Gesamtbeitrag 50,00 € | Versicherungs-
    teuer 19 % 9,50 € | Rechnungsbeitrag 59,50 €'): above is the net, below the total,
    whatever words label them."""
    at = hit.segment.line
    if at == 0 or at + 1 >= len(doc.lines):
        return
    row, above, below = (_last_figure(doc, at + step, doc.lines[at], decimal)
                         for step in (0, -1, 1))
    if row is None or above is None or below is None or not row[0]:
        return
    if max(abs(row[1] - above[1]), abs(row[1] - below[1])) > 4:
        return  # not one column
    net, tax, total = above[0], row[0], below[0]
    if net + tax == total and abs(tax) < abs(net) and (net > 0) == (tax > 0) == (total > 0):
        groups["net_amount"].append(AmountCandidate(net, 0.9 * base, at - 1, hit.label))
        groups["total_amount"].append(AmountCandidate(total, 0.9 * base, at + 1, hit.label))


# A cell that holds one figure and nothing else (a currency sign or code at most).
_FIGURE_ALONE = re.compile(r"(?:[€$£]|[A-Z]{3})?\s?[-−]?\d[\d.,' ]*\d\s?(?:[€$£]|[A-Z]{3})?")


def _column_sum(doc: Document, head: Segment, decimal: str) -> tuple[Decimal, int] | None:
    """A column of figures under a heading ('Nettobetrag' over one row per VAT rate) whose
    last figure is the sum of those above it: that sum row is the column's value, not its
    first row. (figure, line) of the sum, None when the column has no such row."""
    values: list[tuple[Decimal, int]] = []
    for ln in doc.lines[head.line + 1: head.line + 10]:
        if ln.page != head.page:
            break
        cells = [s for s in ln.segments if s.overlaps_x(head, slack=2)]
        if len(cells) != 1 or not _FIGURE_ALONE.fullmatch(cells[0].text.strip()):
            break
        amounts = find_amounts(cells[0].text, decimal)
        if len(amounts) != 1:
            break
        values.append((amounts[0], ln.index))
    if len(values) < 3:
        return None
    *parts, (last, line) = values
    return (last, line) if last == sum((v for v, _ in parts), Decimal(0)) and last else None


def _tax_id_first(text: str) -> bool:
    """The value after a label starts with a VAT number (its format and, where it has one,
    its check digits valid): the label ('TVA', 'VAT', 'MwSt') names the tax id there, not
    an amount, and any amount further along is another field's."""
    head = strip_punct(text)[:24]
    tax = find_tax_id(head, labelled=False)
    return tax is not None and checksums.vat_valid(tax) is not False \
        and checksums.compact(head).upper().startswith(tax)


def _summed_row(doc: Document, hit: Hit, decimal: str, base: float,
                groups: dict[str, list[AmountCandidate]]) -> bool:
    """A total row that carries its own sum, 'Total facture 24.99 5.00 29.99' under columns
    net | VAT | gross: two amounts side by side that add up to the third beside them are
    the net, the tax (the smaller: no VAT rate reaches 100 %) and the total.

    Two amounts adding up to a third is not proof enough (goods + shipping = total, hours
    + rate sums on a timesheet): the tax must also be the net at a VAT rate the page
    prints. Otherwise the row's sum is still its total, never the first of its parts:
    False says the row was settled so, and its other amounts are not to be read."""
    seg = hit.segment
    texts = [hit.rest] + [s.text for s in doc.lines[seg.line].segments if s.x0 >= seg.x1 - 1]
    amounts = [a for t in texts for a in find_amounts(t, decimal)]
    rates = _printed_rates(doc)
    sums = [(a, b, c) for a, b, c in zip(amounts, amounts[1:], amounts[2:], strict=False)
            if a and b and a + b == c and (a > 0) == (b > 0) == (c > 0)]
    for a, b, c in sums:
        net, tax = (a, b) if abs(a) >= abs(b) else (b, a)
        if any(abs(net * rate / 100 - tax) <= CENT for rate in rates):
            for name, value in (("net_amount", net), ("tax_amount", tax),
                                ("total_amount", c)):
                groups[name].append(AmountCandidate(value=value, score=base, line=seg.line,
                                                    label=hit.label))
            return True
    if sums:
        groups["total_amount"].append(AmountCandidate(value=sums[0][2], score=base,
                                                      line=seg.line, label=hit.label))
        return False
    return True




def _printed_rates(doc: Document) -> set[Decimal]:
    """The VAT rates the page prints: a percentage beside the tax's name ('TVA 20%', 'USt.
    19 %', '20% VAT'), or alone under a tax column's heading ('5,5 %' under 'Taux TVA');
    not any percentage ('2% Skonto' is a cash discount)."""
    rates = set()
    for ln in doc.lines:
        for seg in ln.segments:
            for m in _RATE.finditer(seg.folded):
                beside = _TAX_WORD.search(seg.folded[max(0, m.start() - 14): m.end() + 6])
                alone = m.group(0).strip() == seg.folded.strip() and _under_tax_heading(
                    doc, ln, seg)
                if beside or alone:
                    rates.add(Decimal(m.group(1).replace(",", ".")))
    return rates


_RATE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")


def _under_tax_heading(doc: Document, ln: Line, seg: Segment) -> bool:
    return any(_TAX_WORD.search(s.folded) and s.overlaps_x(seg, slack=4)
               for above in doc.lines[max(0, ln.index - 8): ln.index]
               if above.page == ln.page for s in above.segments)


# The currency a bare '$' with a decimal comma names in the seller's country: a peso.
_DOLLAR_SIGN = {"AR": "ARS"}


def _currency(text: str, iban: str | None, decimal: str,
              country: str | None = None) -> tuple[str | None, float]:
    codes = Counter(m for m in re.findall(r"(?<![A-Z])([A-Z]{3})(?![A-Z])", text)
                    if m in CURRENCIES)
    if codes:
        (code, n), *rest = codes.most_common()
        return code, 0.97 if not rest or rest[0][1] * 3 <= n else 0.6
    for symbol, code in SYMBOLS.items():
        if symbol in text:
            if symbol == "$" and ("C$" in text or "A$" in text):
                return None, 0.0
            if symbol == "$" and decimal == ",":
                # a dollar sign with a decimal comma: a peso, not USD; whose, the seller's
                # tax id says
                code = _DOLLAR_SIGN.get(country or "")
                return code, 0.88 if code else 0.0
            return code, 0.88
    if re.search(r"\d\s?kr\b", text):
        country = (iban or "")[:2]
        code = {"SE": "SEK", "NO": "NOK", "DK": "DKK"}.get(country)
        return code, 0.85 if code else 0.0
    return None, 0.0
