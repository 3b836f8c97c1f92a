"""Finding a labelled value: to the right of its label, after it in the same segment, or
below it; and parsing identifiers (invoice numbers, IBANs, references, tax ids)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from backoffice.locale import fold
from robots.invoices import checksums
from robots.invoices.labels import (
    COLUMN_LABELS,
    FIELD_INDEX,
    GLUED_INDEX,
    match_label,
    strip_punct,
)
from robots.invoices.layout import Document, Segment
from robots.invoices.parsing import find_date

# Labels so general that a value only counts when it sits right next to them.
GENERIC_LABELS = {
    "date", "data", "datum", "dated", "kuupaev", "paivamaara", "pvm", "paivays", "due", "no",
    "nr", "number", "numer", "numero", "nummer", "invoice", "lasku", "arve", "faktura",
    "rechnung", "facture", "factuur", "bill", "ref", "reference", "total", "net", "tax", "vat",
    "summe", "summa", "brutto", "netto", "km", "alv", "moms", "gst", "ust", "account", "konto",
    "compte", "razem", "kokku", "yhteensa", "totaal", "totalt", "rib", "fallig", "btw", "tva",
    "mwst", "mwst.", "ust.", "igst", "cgst", "sgst", "kenmerk", "referens", "ocr",
}
_IBAN = re.compile(r"(?<![A-Z0-9])([A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?)")
# Grouped as a national account number prints, 'FR76 10107 00245 00617052317 39': taken only
# when it reaches its country's full length (a VAT id such as 'FI 2960 2996' never does).
_IBAN_LOOSE = re.compile(r"(?<![A-Z0-9])([A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{1,11}){2,12})")
_ID_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/_.]*")


@dataclass(frozen=True)
class Hit:
    """A label found in the document: which field, how specific, and where."""

    field: str
    label: str
    segment: Segment
    rest: str  # what follows the label inside its segment (original text)

    @property
    def generic(self) -> bool:
        return self.label in GENERIC_LABELS


def label_hits(doc: Document) -> list[Hit]:
    hits = []
    for seg in doc.segments:
        m = _label_of(seg)
        if m:
            name, label, rest = m
            start = len(seg.folded) - len(rest)
            hits.append(Hit(field=name, label=label, segment=seg, rest=seg.text_from(start)))
    return hits


# A VAT rate before the tax's name ('19 % USt', '+ 7% MwSt.', '20 % TVA'): the rate names
# which tax the row is; the row's label is the tax word after it.
_RATE_FIRST = re.compile(r"^\+?\s*\d{1,2}(?:[.,]\d{1,3})?\s?%\s+(?=[a-z])")


def _label_of(seg: Segment) -> tuple[str, str, str] | None:
    """(field, label, remainder) of a segment that starts with a label."""
    m = match_label(seg.folded, FIELD_INDEX) or _glued(seg)
    if m is None and (rate := _RATE_FIRST.match(seg.folded)) is not None:
        m = match_label(seg.folded[rate.end():], FIELD_INDEX)
        if m is not None and m[0] != "tax_amount":
            return None
    return m


def _glued(seg: Segment) -> tuple[str, str, str] | None:
    """A label of several words whose spaces the text layer lost (small type set tightly:
    'Numérodefacture', 'Invoiceno.'): matched without its spaces, and only whole."""
    if " " in seg.folded or len(seg.folded) < 6:
        return None
    m = match_label(seg.folded, GLUED_INDEX)
    return m if m is not None and len(strip_punct(m[2])) < 1 else None


def is_label(seg: Segment) -> bool:
    m = _label_of(seg)
    return m is not None and len(strip_punct(m[2])) < 2


def value_texts(doc: Document, hit: Hit, below: bool = True) -> Iterator[tuple[str, float]]:
    """Texts where the label's value may be, with a weight for how typical the place is."""
    seg = hit.segment
    rest = strip_punct(hit.rest)
    if rest:
        yield rest, 1.0
    line = doc.lines[seg.line]
    right = [s for s in line.segments if s.x0 >= seg.x1 - 1]
    for i, s in enumerate(right[:3]):
        if is_label(s) or _other_label(s, hit.field) or _keyed_elsewhere(s, hit.field):
            break
        yield s.text, 1.0 if i == 0 else 0.85
    if not right:
        beside = _beside_on_baseline(doc, seg)
        if beside is not None and not is_label(beside) and not _other_label(beside, hit.field):
            yield beside.text, 0.95
    if not below:
        return
    stacked = seg.text.rstrip().endswith(":") and not right and not rest
    banded = _in_band(doc, seg)
    stacked = stacked or banded
    if hit.generic and not stacked:
        # a generic word ('Date', 'No') reads below only as a key alone on its line, in a
        # stack of 'Key:' over value rows
        return
    for ln in doc.lines[seg.line + 1: seg.line + 5]:
        if ln.page != line.page or ln.top - seg.bottom > seg.height * 3.2:
            break
        under = [s for s in ln.segments if s.overlaps_x(seg, slack=4)]
        for s in under[:1]:
            if is_label(s) or _other_label(s, hit.field) or _keyed(s) or \
                    _keyed_elsewhere(s, hit.field):
                return
            # 'Key:' alone over its value, flush left: the stack form, as sure as beside
            yield s.text, 1.0 if stacked and abs(s.x0 - seg.x0) < 3 else 0.9
        if under:
            return


def _beside_on_baseline(doc: Document, seg: Segment) -> Segment | None:
    """The value printed on the label's own baseline that line grouping put on a
    neighbouring line: an information block beside a window address set at another pitch
    ('Datum   18.06.2026' level with the address's lines, the value a size larger than its
    label, joins the address's line). The nearest segment to the right whose height
    centres within half the label's height of the label's centre."""
    centre = (seg.top + seg.bottom) / 2
    found = [s for ln in doc.lines[max(0, seg.line - 1): seg.line + 2] if ln.index != seg.line
             and ln.page == seg.page for s in ln.segments
             if s.x0 >= seg.x1 - 1 and abs((s.top + s.bottom) / 2 - centre) < seg.height / 2]
    return min(found, key=lambda s: s.x0) if found else None


_COLUMN_WORDS = {strip_punct(fold(w)) for words in COLUMN_LABELS.values() for w in words}


def _in_band(doc: Document, seg: Segment) -> bool:
    """A label in a row of labels over a row of values, each value flush under its label
    (DIN 5008's reference line: 'Ihr Zeichen | Unser Zeichen | Kundennummer | Datum')."""
    line = doc.lines[seg.line]
    if len(line.segments) < 2 or seg.line + 1 >= len(doc.lines):
        return False
    if any(ch.isdigit() for s in line.segments for ch in s.text):
        return False
    if sum(1 for s in line.segments if strip_punct(s.folded) in _COLUMN_WORDS) >= 2:
        return False  # a line table's header ('Datum | Leistung | Menge'): its rows below
    below = doc.lines[seg.line + 1]
    if below.page != line.page or below.top - line.bottom > seg.size * 2.5:
        return False
    flush = sum(1 for s in line.segments
                if any(abs(b.x0 - s.x0) < 3 and b.size >= s.size - 0.5 for b in below.segments))
    return flush >= 2 and any(abs(b.x0 - seg.x0) < 3 for b in below.segments)


_KEY_VALUE = re.compile(r"([^\W\d_][^:\d]{1,40}):\s*\S")


def _keyed_elsewhere(seg: Segment, field: str) -> bool:
    """'Punto de Venta: 0002' under an 'Invoice' title: a 'Key: value' pair whose key, in
    words we may not know, is not one of this field's labels. The value is that key's."""
    m = _KEY_VALUE.match(seg.text)
    if m is None:
        return False
    ours = match_label(fold(m.group(1)).strip(), FIELD_INDEX)
    return ours is None or ours[0] != field


def _keyed(seg: Segment) -> bool:
    """'Réf. appel d'offres : TENDER-002' under a label: a key and its value of their own (a
    known label, its words, a colon), never the value of the label above."""
    m = match_label(seg.folded, FIELD_INDEX)
    return m is not None and ":" in m[2] and bool(strip_punct(m[2].split(":", 1)[1]))


def _other_label(seg: Segment, field: str) -> bool:
    """A segment that starts with a specific label of another field holds that field's
    value ('Data wystawienia: 2026.01.05' right of a 'Faktura VAT' title), not ours."""
    m = match_label(seg.folded, FIELD_INDEX)
    return m is not None and m[0] != field and m[1] not in GENERIC_LABELS


def parse_identifier(text: str, strict: bool = False) -> str | None:
    """An invoice number: the first token with a digit that is not a date. ``strict``
    (after a generic label such as 'No'): only the very first token may be it."""
    text = re.sub(r"^(?:#|no\.?|nr\.?|n°|nº|number|:)\s*", "", text.strip(), flags=re.I)
    for token in text.split()[:1] if strict else text.split():
        token = token.strip(":#,;")
        if not token or not any(ch.isdigit() for ch in token):
            continue
        m = _ID_TOKEN.fullmatch(token.rstrip("."))
        if not m or len(token) > 32:
            return None
        if strict and find_date(token, "dmy")[0] is not None and re.fullmatch(r"[\d./-]+",
                                                                             token):
            return None
        return token.rstrip(".")
    return None


def parse_iban(text: str) -> str | None:
    """The IBAN in ``text``. A VAT number such as ``NL859012347B01`` looks like the start of
    one, so a valid IBAN later in the text wins over an earlier lookalike; failing that, the
    first full-length candidate (a mistyped IBAN must still be seen, and flagged)."""
    candidates = []
    upper = text.upper()
    for m in _IBAN.finditer(upper):
        raw = checksums.compact(m.group(1))
        length = checksums.IBAN_LENGTHS.get(raw[:2])
        if length is None:
            continue  # no IBAN country: an order or customer id of the same shape
        if len(raw) > length:
            raw = raw[:length]
        candidates.append(raw)
    if not any(checksums.iban_valid(c) for c in candidates):
        for m in _IBAN_LOOSE.finditer(upper):
            whole = loose_iban(m.group(1))
            if whole is not None:
                candidates.insert(0, whole)
    if not candidates:
        return None
    return next((c for c in candidates if checksums.iban_valid(c)), None) or next(
        (c for c in candidates if len(c) >= 15), candidates[0])


def loose_iban(text: str) -> str | None:
    """The valid IBAN that ``text`` (an ``_IBAN_LOOSE`` match, grouped however a bank
    prints it) begins with, cut to its country's length; None when it is none."""
    raw = checksums.compact(text)
    length = checksums.IBAN_LENGTHS.get(raw[:2])
    if length is None or len(raw) < length or not checksums.iban_valid(raw[:length]):
        return None
    return raw[:length]


def find_ibans(doc: Document) -> list[tuple[str, Segment]]:
    out = []
    for seg in doc.segments:
        if re.search(r"[A-Z]{2}\d{2}", seg.text):
            iban = parse_iban(seg.text)
            if iban and not checksums.iban_valid(iban):
                iban = _wrapped_iban(doc, seg, iban) or iban
            if iban and len(iban) >= 15:
                out.append((iban, seg))
    return out


def _wrapped_iban(doc: Document, seg: Segment, start: str) -> str | None:
    """An IBAN broken over two lines in a narrow column: the next line's text under it
    completes it when, and only when, the joined IBAN has its country's length and passes
    the mod-97 check."""
    length = checksums.IBAN_LENGTHS.get(start[:2])
    if length is None or len(start) >= length or seg.line + 1 >= len(doc.lines):
        return None
    for below in doc.lines[seg.line + 1: seg.line + 5]:
        if below.page != seg.page or below.top - seg.bottom > seg.size:
            break
        for other in below.segments:
            if abs(other.x0 - seg.x0) >= 3:
                continue
            rest = checksums.compact(other.text)
            joined = (start + rest)[:length]
            if rest.isalnum() and len(start + rest) == length and checksums.iban_valid(joined):
                return joined
            return None
    return None


def parse_reference(text: str) -> str | None:
    t = text.strip()
    m = re.match(r"(RF\s?\d{2}(?:\s?[A-Z0-9]{1,4}){1,6})", t.upper())
    if m:
        return checksums.compact(m.group(1))
    m = re.match(r"(\d[\d ]{1,40}\d)(?!\S)", t)
    if m:
        return m.group(1).replace(" ", "")
    # free remittance text (EN 16931 BT-83) of one word and one number, 'Rechnung 181301674':
    # the payer must quote it as printed
    if re.fullmatch(r"[^\W\d_][\w.-]{1,20} [A-Z0-9][A-Z0-9/-]{2,30}", t) and \
            any(c.isdigit() for c in t.split(" ")[1]):
        return t
    token = parse_identifier(t)
    return token


_VAT = re.compile(r"(?<![A-Z0-9])(" + "|".join(sorted(checksums.VAT_FORMATS)) +
                  r")[\s-]?([0-9A-Z][0-9A-Z .-]{6,18})")
# The Swiss UID, as the VAT number prints it ('CHE-123.456.789 MWST'): its prefix is its own.
_CH_UID = re.compile(r"(?<![A-Z0-9])CHE[-\s]?(\d{3})[.\s]?(\d{3})[.\s]?(\d{3})(?![\d])")
_GSTIN = re.compile(r"(?<![A-Z0-9])(\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z])(?![A-Z0-9])")
_NATIONAL = re.compile(
    r"(?<![\w-])(\d{7}-\d|\d{6}-\d{4}|\d{3}-\d{3}-\d{2}-\d{2}|\d{3}-\d{2}-\d{2}-\d{3}|"
    r"\d{2}-\d{8}-\d|\d{2}-\d{7}|\d{11}|\d{10}|\d{8})(?![\w-])"
)
# Printed with dashes whose digits are the id (EN 16931 BT-32 holds the identifier itself).
_DIGITS_ARE_THE_ID = (checksums.pl_nip_valid, checksums.ar_cuit_valid)
# Shapes many other numbers share (nine digits, a letter and eight): taken after a tax-id
# label only when a scheme's check digit vouches for them, as the identifier itself.
_CHECKED_NATIONAL = re.compile(
    r"(?<![\w.-])(\d{3} ?\d{3} ?\d{3}|[A-Z]-?\d{7}-?[0-9A-Z]|\d{8}-?[A-Z]|"
    r"[01]\d{3}\.\d{3}\.\d{3}|\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2})(?![\w-])"
)


def find_tax_id(text: str, labelled: bool) -> str | None:
    """A VAT number anywhere; a national id only right after a tax-id label."""
    upper = text.upper()
    m = _GSTIN.search(upper)
    if m:
        return m.group(1)
    m = _CH_UID.search(upper)
    if m:
        return "CHE" + "".join(m.groups())
    for m in _VAT.finditer(upper):
        body = checksums.compact(m.group(2))
        for end in range(len(body), 1, -1):
            candidate = m.group(1) + body[:end]
            if checksums.vat_format_valid(candidate):
                return candidate
    if labelled:
        m = _NATIONAL.search(text)
        if m:
            value = m.group(1)
            # A Polish NIP is printed with dashes in two ways, a CUIT as NN-NNNNNNNN-N:
            # their digits are the id, once the check digit vouches for the reading.
            valid = any(check(value) for check in _DIGITS_ARE_THE_ID)
            return value.replace("-", "") if valid else value
        m = _CHECKED_NATIONAL.search(text)
        if m and checksums.tax_id_valid(checksums.compact(m.group(1))):
            return checksums.compact(m.group(1))
    return None
