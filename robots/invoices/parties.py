"""Who sells and who buys: party names and their tax ids.

A party block is found by its label (Myyjä, Bill to, Nabywca...). A tax id belongs to the
buyer when the nearest party label above it, in the same column, is a buyer label; otherwise
to the vendor (a vendor's details are often unlabelled, in the header or the footer).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from robots.invoices import checksums
from robots.invoices.addressee import (
    address_name,
    find_addressee,
    is_postal_line,
    prefix_line,
    return_line_sender,
)
from robots.invoices.labels import (
    BUYER_LABELS,
    INVOICE_WORDS,
    NON_TAX_ID_LABELS,
    SELF_BILLING_WORDS,
    SELLER_LABELS,
    TAX_ID_LABELS,
    is_party_label,
    phrase_in,
    strip_punct,
)
from robots.invoices.layout import Document, Segment
from robots.invoices.parsing import fold
from robots.invoices.values import (
    _IBAN,
    _IBAN_LOOSE,
    find_ibans,
    find_tax_id,
    is_label,
    loose_iban,
)

COMPANY_SUFFIX = re.compile(
    r"(?<![a-z])(oy|oyj|ab|as|ou|sp\. z o\.o\.|sp\. z o\. o\.|sp z o\.?o\.?|s\.a\.|spolka akcyjna"
    r"|gmbh|gmbh & co\. kg|ag|kg|ug|e\.k\.|ltd|ltd\.|limited|plc|llp|inc|inc\.|llc|corp|"
    r"corp\.|corporation|company|co\.|sarl|sas|s\.a\.s\.|b\.v\.|bv|n\.v\.|nv|pvt\. ltd\.|"
    r"private limited|pvt ltd|s\.r\.l\.|srl|aps|asa|tmi|ky|ay|s\.c\.|sp\.j\.|sp\.k\.|sp\. j\.|"
    r"sp\. k\.|s\.k\.a\.|eurl|sa|snc|sasu|mbb|partg mbb|ohg|e\.v\.|hb|o\.o\.|pllc|"
    r"a\.g\.|vvag|kgaa|ug \(haftungsbeschrankt\))$"
)
_TAX_LABEL_RE = re.compile(
    r"(?<![a-z])(" + "|".join(re.escape(lab) for lab in
                              sorted(TAX_ID_LABELS, key=len, reverse=True)) + r")(?![a-z])"
)


# A tax id the letter says is the reader's own ('Your VAT no.', 'Ihre USt-IdNr.', 'Votre n°
# TVA'): the second person's possessive before its label names the addressee, the buyer.
_YOUR = re.compile(r"(?<![a-z])(?:your|ihre?|votre|vos|uw|jouw|su|tu|vostr[ao]|sua|seu|"
                   r"din|dit|sinun|teidan|teie|wasz|twoj)\s+(?:[a-z°.º-]{1,4}\s+)?$")


@dataclass
class Parties:
    vendor_name: str | None = None
    vendor_conf: float = 0.0
    buyer_name: str | None = None
    buyer_conf: float = 0.0
    vendor_tax_id: str | None = None
    vendor_tax_conf: float = 0.0
    buyer_tax_id: str | None = None
    buyer_tax_conf: float = 0.0


@dataclass
class PartyLabel:
    role: str  # "seller" | "buyer"
    segment: Segment


def find_parties(doc: Document, table: list[range] | None = None,
                 labels: list[PartyLabel] | None = None) -> Parties:
    """``table``: spans of lines holding the line-item table, where no party is named;
    ``labels``: the page's party labels, when the caller has read them already."""
    labels = party_labels(doc) if labels is None else labels
    out = Parties()
    skip = _skipper(doc, labels, table or [])
    labelled_buyer = labelled_seller = False
    windowed = False  # the buyer read from the window address: complete it downward only
    for role in ("seller", "buyer"):
        for lab in (p for p in labels if p.role == role):
            name, doubtful = _name_after(doc, lab.segment)
            if name:
                if role == "seller":
                    out.vendor_name, out.vendor_conf = name, 0.6 if doubtful else 0.92
                    labelled_seller = True
                else:
                    out.buyer_name, out.buyer_conf = name, 0.6 if doubtful else 0.9
                    labelled_buyer = True
                break
    if not labelled_buyer:
        # no label names a buyer ('Kundennummer' names no one): a window address under the
        # sender's return line is the addressee, whatever else the letterhead says; settled
        # first, so it is never taken for the seller
        early = find_addressee(doc, [], False, skip, returned_only=True)
        if early is not None:
            out.buyer_name, out.buyer_conf = early.name, early.confidence
            windowed = True
    if out.vendor_name is None:
        out.vendor_name, out.vendor_conf = _legal_name_row(doc, labels)
        if out.vendor_name is not None:
            head, _, _ = _vendor_without_label(doc, labels, out.buyer_name, table or [])
            if head is not None and not _same_party(head, out.vendor_name):
                # the letterhead names another company: the row may be a customer's or a
                # delivery block's ('Your details / Company name: ...'), a person decides
                out.vendor_conf = 0.6
    if out.vendor_name is None:
        out.vendor_name, out.vendor_conf, other = _vendor_without_label(
            doc, labels, out.buyer_name, table or [])
        if out.buyer_name is None and out.vendor_name is not None and out.vendor_conf < 0.85:
            # a letterhead that is only a logo: the one name high on the page may be the
            # window address's, the seller then named by its footer; the address is the
            # buyer's when, without it, the seller is known for sure
            window = find_addressee(doc, [], False, skip)
            if window is not None and _same_party(window.name, out.vendor_name):
                again = _vendor_without_label(doc, labels, out.vendor_name,
                                              [*(table or []), window.lines])
                if again[0] is not None and again[1] >= 0.85:
                    out.vendor_name, out.vendor_conf, other = again
        if out.buyer_name is None and other is not None:
            # no recipient label: the one other company block high on the page, beside a
            # vendor known by its payment details, is the addressee (a guess: kept doubtful)
            out.buyer_name, out.buyer_conf = other, 0.6
            windowed = False
    if out.vendor_name is None:
        # the last resort: the account's holder is the payee, usually the seller
        out.vendor_name, out.vendor_conf = _account_holder(doc)
    out.vendor_name = _as_written(doc, complete_name(doc, out.vendor_name))
    out.buyer_name = _as_written(doc, complete_name(doc, out.buyer_name, upward=not windowed))
    _tax_ids(doc, labels, out)
    if not labelled_seller and out.vendor_name is not None and out.vendor_tax_id is None \
            and not _named_with_address(doc, out.vendor_name):
        # a seller names itself with its address (and, where there is VAT, its tax id: EN
        # 16931 BR-CO-26); a name read only from a payment box, with neither, may be a
        # payee's (a factor's): a person decides
        out.vendor_conf = min(out.vendor_conf, 0.6)
    if not labelled_buyer:
        # no recipient label, or only one that names no one ('Kunde: 4711' is a customer
        # number): the window address, outside every labelled block, is the buyer
        _window_addressee(doc, labels, table or [], out)
    if phrase_in(fold(doc.text), SELF_BILLING_WORDS):
        # a self-billed invoice is written by the buyer: its letterhead is the buyer's and
        # its window address the seller's, the reverse of what the layout says; only a
        # label settles who is who
        if not labelled_seller:
            out.vendor_conf, out.vendor_tax_conf = (min(c, 0.6) for c in (
                out.vendor_conf, out.vendor_tax_conf))
        if not labelled_buyer:
            out.buyer_conf, out.buyer_tax_conf = (min(c, 0.6) for c in (
                out.buyer_conf, out.buyer_tax_conf))
    return out


def _as_written(doc: Document, name: str | None) -> str | None:
    """A name read in capitals that a style set ('ZÜRCHER VELOWERKSTATT GMBH' under a
    signature), spelt as the page writes it elsewhere in mixed case, even where that copy
    lost its spaces ('ZürcherVelowerkstattGmbH' in a payment slip's creditor box)."""
    if name is None or not name.isupper():
        return name
    squeezed = re.sub(r"\s", "", name)
    for seg in doc.segments:
        text = re.sub(r"\s", "", seg.text)
        at = text.casefold().find(squeezed.casefold())
        # the same letters, one for one (casefold keeps the length of these), mixed case
        if at < 0 or len(squeezed.casefold()) != len(squeezed) \
                or len(text.casefold()) != len(text):
            continue
        found = text[at: at + len(squeezed)]
        if found.isupper() or found.islower():
            continue
        letters = iter(found)
        return "".join(ch if ch.isspace() else next(letters) for ch in name)
    return name


def _skipper(doc: Document, labels: list[PartyLabel],
             table: list[range]) -> Callable[[Segment], bool]:
    """Segments no addressee is read from: the line-item table and the blocks under a
    party label (not under one that keys a number on its own row: 'Kunde: 4711')."""
    heads = [lab for lab in labels if not keys_a_number(doc, lab.segment)]

    def skip(seg: Segment) -> bool:
        return any(seg.line in span for span in table) or side_of(seg, heads) is not None
    return skip


def _window_addressee(doc: Document, labels: list[PartyLabel], table: list[range],
                      out: Parties) -> None:
    """No recipient label anywhere: the address block in the envelope window is the
    buyer (see ``addressee.py``); a different earlier guess makes both doubtful."""
    skip = _skipper(doc, labels, table)
    marks = [out.vendor_name or "", out.vendor_tax_id or ""]
    marks += [iban for iban, _ in find_ibans(doc)]
    found = find_addressee(doc, marks, out.vendor_name is not None and out.vendor_conf >= 0.85,
                           skip)
    if found is None:
        return
    name = complete_name(doc, found.name, upward=False)
    if out.buyer_name is not None and out.buyer_name != name:
        out.buyer_conf = min(out.buyer_conf, 0.6)
        return
    out.buyer_name, out.buyer_conf = name, max(found.confidence, out.buyer_conf)


# The payment account's name (EN 16931 BT-85): 'Titulaire du compte : NETPRESSE'.
_HOLDER = re.compile(r"(?<![a-z])(?:titulaire du compte|titulaire|kontoinhaber|account holder|"
                     r"account name|beneficiary|tilinhaltija|saaja|kontohavare|"
                     r"rekeninghouder|odbiorca przelewu)\s*:\s*(.+)$")


def _legal_name_row(doc: Document, labels: list[PartyLabel]) -> tuple[str | None, float]:
    """A 'Razón social: ...' / 'Company name: ...' row in the issuer's block, before any
    recipient label: the seller's registered name (EN 16931 BT-27), which a letterhead
    may print shorter as a brand."""
    buyer_top = min((lab.segment.top for lab in labels if lab.role == "buyer"),
                    default=float("inf"))
    for seg in doc.segments:
        if seg.top >= buyer_top or seg.page != 0:
            break
        if not _name_key(seg) and not _key_value(seg):
            continue
        if side_of(seg, labels) is not None:
            continue
        name = clean_name(_row_value(doc, seg))
        if name:
            return name, 0.9
    return None, 0.0


def _row_value(doc: Document, key: Segment) -> str:
    """The value of a 'Key: value' row: after the colon in the key's own segment, else the
    next segment to its right."""
    value = key.text.split(":", 1)[1] if ":" in key.text else ""
    if not strip_punct(value).strip():
        after = [x for x in doc.lines[key.line].segments if x.x0 > key.x1]
        value = after[0].text if after else ""
    return value


def _same_party(a: str, b: str) -> bool:
    """One name is the other, or a brand of it ('Servicios Andinos' of 'Servicios Andinos
    S.A.S.')."""
    x, y = (re.sub(r"\W", "", fold(n)) for n in (a, b))
    return bool(x and y) and (x in y or y in x)


def _key_value(seg: Segment) -> bool:
    """'Razón Social: Servicios Andinos S.A.S.': a name key and its value in one segment."""
    return ":" in seg.text and fold(seg.text.split(":", 1)[0]).strip() in NAME_KEYS


# A notice that the claim was sold or assigned (factoring): the account to pay into is then
# the factor's, not the seller's. 'Die Forderung ist abgetreten an', 'créance cédée à'.
_ASSIGNED = re.compile(
    r"(?<![a-z])(?:abgetreten|abtretung|factoring|forderungskauf|befreiender wirkung|"
    r"zahlbar ausschliesslich|cedee|cession de creance|subroge|subrogation|affacturage|"
    r"assigned to|has been assigned|assignment of|payable only to|siirretty|"
    r"overlatits|overlaten|cesja|przelew wierzytelnosci|gecedeerd|cessie)(?![a-z])")


def _account_holder(doc: Document) -> tuple[str | None, float]:
    """The seller named as the holder of the account to pay into, when no label names the
    seller: sure when the same name stands alone in the letterhead, a guess otherwise, and
    always a guess when the page says the claim was assigned (a payee can be a factor, EN
    16931 BG-10). A name alone in the footer is no proof: a factor's payment box sits there
    too, and a seller's own footer names it by its legal details (read before this)."""
    assigned = _assignment_notice(doc)
    for seg in doc.segments:
        m = _HOLDER.search(seg.folded)
        if not m:
            continue
        name = clean_name(re.split(r"\s+[-–·|]\s+", seg.text_from(m.start(1)))[0])
        if name is None:
            continue
        alone = any(s.text.strip() == name and _in_letterhead(doc, s) for s in doc.segments)
        return name, 0.85 if alone and not assigned else 0.6
    return None, 0.0


def _assignment_notice(doc: Document) -> bool:
    return any(_ASSIGNED.search(seg.folded) for seg in doc.segments)


def _named_with_address(doc: Document, name: str) -> bool:
    """The name stands in the letterhead, or heads or shares a block with a postal line
    (its own address) within a few lines below it: a sender block or a footer column."""
    for seg in doc.segments:
        if not (_part_of(seg.text, name) or name in seg.text):
            continue
        if any(is_postal_line(part) for part in _FOOTER_SPLIT.split(seg.text)):
            return True
        if seg.page == 0 and _in_letterhead(doc, seg):
            return True
        if any(o.page == seg.page and 0 <= o.top - seg.top < 5 * seg.size
               and o.x0 < seg.x1 and o.x1 > seg.x0 and is_postal_line(o.text)
               for o in doc.segments):
            return True
    return False


def _in_letterhead(doc: Document, seg: Segment) -> bool:
    """In the top quarter of its page's text."""
    lines = [ln for ln in doc.lines if ln.page == seg.page]
    top, bottom = lines[0].top, max(ln.bottom for ln in lines)
    return (seg.top - top) / ((bottom - top) or 1.0) < 0.25


def _same_column(a: Segment, b: Segment) -> bool:
    """Left-aligned, right-aligned or centred on each other (a wrapped name keeps its
    alignment), in the same type size."""
    if abs(a.size - b.size) > 0.6:
        return False
    return (abs(a.x0 - b.x0) < 3 or abs(a.x1 - b.x1) < 3
            or abs((a.x0 + a.x1) - (b.x0 + b.x1)) < 6)


def _legal_form_goes_on(name: str, joined: str) -> bool:
    """The legal form that ends ``joined`` starts inside ``name``: the next line finishes
    it ('Nordlicht Medien UG' over '(haftungsbeschränkt)')."""
    head = fold(name).rstrip(" ,")
    m = COMPANY_SUFFIX.search(fold(joined).rstrip(" ,"))
    return m is not None and m.start() < len(head) < m.end()


def _name_part(seg: Segment) -> bool:
    """Could this segment be one line of a name wrapped over several: words only, no
    digits (an address, a date, an id), not a label, not the document's title."""
    text = seg.text.strip()
    if not text or any(ch.isdigit() for ch in text) or ":" in text:
        return False
    if any(seg.folded.strip() == w for w in INVOICE_WORDS) or is_label(seg):
        return False
    if prefix_line(text):
        # 'Mr James Whitaker' over 'Hartley Engineering Ltd', 'Persönlich' over a name: a
        # person's line or an endorsement, never part of a company's name
        return False
    return clean_name(text) is not None


def _neighbour(doc: Document, seg: Segment, step: int) -> Segment | None:
    """The segment in the same column on the nearest line above (-1) or below (+1), if
    it sits at normal line spacing (lines of another column may come in between)."""
    index = seg.line + step
    while 0 <= index < len(doc.lines) and abs(index - seg.line) <= 4:
        ln = doc.lines[index]
        if ln.page != seg.page:
            return None
        gap = (seg.top - ln.bottom) if step < 0 else (ln.top - seg.bottom)
        if gap > seg.size * 0.9:
            return None
        found = next((s for s in ln.segments if _same_column(s, seg)), None)
        if found is not None:
            return found
        index += step
    return None


def complete_name(doc: Document, name: str | None, upward: bool = True) -> str | None:
    """A company name wrapped over two or three lines read whole: the last line alone
    ('Sp. z o.o.', 'e.K.') or the first alone ('Hurtownia Elektryczna') is not the name.
    Lines join when they share the name's column and size at line spacing, hold words
    only, and the joined text ends in a company's legal form where the part did not.
    ``upward=False``: the name is the first line of a window address, whose lines above
    are the postal endorsements and titles (DIN 5008's 'Zusatz- und Vermerkzone'), never
    the start of the name: only the lines below may finish it."""
    if not name:
        return name
    segs = [s for s in doc.segments if s.text.strip(" ,;") == name]
    # printed more than once (a header and a footer): where one copy is wrapped, that copy
    # tells the whole name; copies that disagree leave the name as read
    whole = {w for w in (_completed(doc, seg, name, upward) for seg in segs[:4]) if w != name}
    return whole.pop() if len(whole) == 1 else name


def _completed(doc: Document, seg: Segment, name: str, upward: bool = True) -> str:
    parts = [seg]
    if upward and has_company_suffix(name):
        above = _neighbour(doc, seg, -1)
        while above is not None and len(parts) < 4 and _name_part(above) and \
                not has_company_suffix(above.text):
            parts.insert(0, above)
            above = _neighbour(doc, above, -1)
    below = _neighbour(doc, seg, 1)
    tail: list[Segment] = []
    while below is not None and len(tail) < 2 and _name_part(below):
        tail.append(below)
        joined = " ".join(p.text.strip() for p in [*parts, *tail])
        # a bare legal form ('KG', 'o.o.') finishes a name that already has one
        # ('& Co. KG' goes on a name that already ends in 'GmbH': 'GmbH & Co. KG')
        bare = has_company_suffix(below.text) and (
            len(below.text.split()) <= 2 or below.text.lstrip().startswith(("&", "+"))) \
            or _legal_form_goes_on(name, joined)
        if has_company_suffix(joined) and (not has_company_suffix(name) or bare):
            parts.extend(tail)
            break
        if has_company_suffix(name):
            break
        below = _neighbour(doc, below, 1)
    if len(parts) == 1:
        return name
    joined = " ".join(p.text.strip() for p in parts)
    return joined if has_company_suffix(joined) else name


def party_labels(doc: Document) -> list[PartyLabel]:
    """The seller and buyer labels of the page ('Verkäufer', 'Bill to', ...)."""
    found = []
    for seg in doc.segments:
        if ":" not in seg.text and " " in seg.text.strip() and has_company_suffix(seg.text):
            continue  # 'Lieferant GmbH', 'Kunde AG': a name whose first word is a role's
        if is_party_label(seg.folded, BUYER_LABELS):
            found.append(PartyLabel("buyer", seg))
        elif is_party_label(seg.folded, SELLER_LABELS):
            found.append(PartyLabel("seller", seg))
    return found


_PARTY_WORDS = set(SELLER_LABELS + BUYER_LABELS)
# Keys of a party block's name row ('Name: Lieferant GmbH', 'Firma: ...'), EN 16931 BT-27/44.
NAME_KEYS = ("name", "firma", "firmenname", "company", "company name", "nom", "raison sociale",
             "razon social",
             "denomination", "nazwa", "namn", "nimi", "nimetus", "naam", "bedrijfsnaam")


def looks_like_label(text: str) -> bool:
    """The one guard every read name goes through: a value is never a label. A text that
    ends in a colon is a key; a text that is exactly a known label (field, party, tax id or
    name key) is one too, whatever follows it in the layout."""
    t = text.strip()
    if t.endswith(":"):
        return True
    folded = strip_punct(fold(t).strip(" :.#"))
    if not folded:
        return True
    if is_label_text(folded):
        return True
    from robots.invoices.labels import COLUMN_LABELS

    if any(folded == fold(lab) for labs in COLUMN_LABELS.values() for lab in labs):
        return True
    return folded in NAME_KEYS or folded in _PARTY_WORDS or \
        _TAX_LABEL_RE.fullmatch(folded) is not None


def is_label_text(folded: str) -> bool:
    from robots.invoices.labels import FIELD_INDEX, match_label

    m = match_label(folded, FIELD_INDEX)
    return m is not None and len(strip_punct(m[2]).strip(" :.")) < 2


# An attention line's marker before the name: 'ATTN: iViveLabs Limited', 'z. Hd. ...'.
_ATTENTION = re.compile(r"^(?:attn|attention|att|z\.\s?hd|zhd|a l'attention de)\b[.:]?\s*",
                        re.IGNORECASE)


def clean_name(text: str) -> str | None:
    text = _ATTENTION.sub("", text.strip())
    head, _, tail = text.rpartition(" ")
    if head and tail.endswith(":") and looks_like_label(tail.rstrip(":")):
        text = head  # the next column's key run into the value: '... GmbH Name:'
    text = strip_punct(text).strip(" ,;")
    if len(text) < 2 or sum(ch.isdigit() for ch in text) > len(text) / 3:
        return None
    if all(len(word) == 1 for word in text.split()):
        return None  # 'A I': letters of a rotated stamp or a spaced-out title, no name
    if looks_like_label(text):
        return None
    return text


def _name_key(seg: Segment) -> bool:
    key = fold(seg.text).strip().rstrip(":").strip()
    return key in NAME_KEYS


# One word of letters and digits with at least one digit: a customer number, an id.
_IDENTIFIER = re.compile(r"(?=\S*\d)[\w./-]+")


# A party's number on its own row, a short key before it or none: 'GLN 4304171000002',
# 'ILN 4000001123452', '549910'; a street ('Musterstr. 12') has too short a number.
_NUMBER_ROW = re.compile(r"(?:[^\W\d_][\w.-]{0,11}\s+)?\d{6,}")


def keys_a_number(doc: Document, label: Segment) -> bool:
    """'Kunde: 4711', 'Customer No.  K45958': a party label with a number on its own row
    keys that number (a customer number, EN 16931 BT-46), and heads no block below it."""
    rest = label.text.split(":", 1)[1].strip() if ":" in label.text else ""
    if rest:
        return _IDENTIFIER.fullmatch(rest) is not None
    right = [s for s in doc.lines[label.line].segments if s.x0 > label.x1]
    return bool(right) and right[0].x0 - label.x1 < 120 and \
        _IDENTIFIER.fullmatch(right[0].text.strip()) is not None


def _name_after(doc: Document, label: Segment) -> tuple[str | None, bool]:
    """The name of a party block: after its label, on the line under it, or in the block's
    'Name:' row (a block of key/value rows under a heading such as 'Verkäufer'); and
    whether it is doubtful (a company read under a person's line)."""
    if ":" in label.text:
        rest = label.text.split(":", 1)[1]
        if strip_punct(rest).strip():
            return clean_name(rest), False  # 'Customer: 2' is a number, not a name
    line = doc.lines[label.line]
    right = [s for s in line.segments if s.x0 > label.x1]
    if right and label.text.rstrip().endswith(":") and clean_name(right[0].text):
        return clean_name(right[0].text), False
    if keys_a_number(doc, label):
        # 'Kundennummer   K45958': the label keys a number on its own row (an information
        # block's line), it heads no block; what stands under it is another row
        return None, False
    first_text: str | None = None
    numbered = 0  # rows of the party's own number over its name ('GLN 4304171000002')
    for ln in doc.lines[label.line + 1: label.line + 9]:
        if ln.page != label.page or ln.top - label.bottom > 160:
            break
        under = [s for s in ln.segments if abs(s.x0 - label.x0) < 12 or s.overlaps_x(label)]
        if under and is_party_label(under[0].folded, SELLER_LABELS + BUYER_LABELS):
            break
        # the block's 'Name:' row, in its column or in a grid of key/value pairs to its
        # right ('CUIT: ...   Razón Social: ...'), never in a column left of the label
        keyed = sorted((x for x in ln.segments if x.x0 >= label.x0 - 12
                        and (_name_key(x) or _key_value(x))
                        and strip_punct(_row_value(doc, x))),  # 'Firma' alone keys nothing
                       key=lambda x: abs(x.x0 - label.x0))
        if keyed:
            return clean_name(_row_value(doc, keyed[0])), False
        if not under:
            if first_text is None and ln.index > label.line + 2:
                break
            continue
        s = under[0]
        if first_text is None and ln.index <= label.line + 2 + numbered:
            if _NUMBER_ROW.fullmatch(s.text.strip()) and numbered < 2:
                numbered += 1
                continue
            if prefix_line(s.text) and ":" not in s.text:
                # an address under the label: its titles and endorsements are no name
                # ('Herrn', 'Firma', 'Private & Confidential'), nor a person over the
                # company
                return address_name(doc, s)
            if is_label(s) or _TAX_LABEL_RE.match(s.folded) or s.text.rstrip().endswith(":") \
                    or re.match(r"^[^:\d]{2,25}:\s", s.text):
                # a block of 'Key: value' rows ('CUIT: ...'): look on for its name row
                first_text = ""
            else:
                return clean_name(s.text), False
    return None, False


def side_of(seg: Segment, labels: list[PartyLabel]) -> str | None:
    """The role of the nearest party label above ``seg`` in its column."""
    lab = nearest_label(seg, labels)
    return lab.role if lab else None


def nearest_label(seg: Segment, labels: list[PartyLabel]) -> PartyLabel | None:
    best: tuple[float, PartyLabel] | None = None
    for lab in labels:
        ls = lab.segment
        if ls.page != seg.page or ls.top > seg.top + 1:
            continue
        same_column = -15 <= seg.x0 - ls.x0 <= 60 or (ls.line == seg.line and ls.x1 <= seg.x0)
        distance = seg.top - ls.top
        if same_column and distance < 140 and (best is None or distance < best[0]):
            best = (distance, lab)
    return best[1] if best else None


def _key_row(doc: Document, lab: PartyLabel, seg: Segment) -> bool:
    """``lab`` is the key of a one-line row ('Maksja   Desert Sun Solar Corp.') above
    ``seg``, not the heading of a block: in a grid of key/value rows each row stands alone,
    so it does not say whose a later row is."""
    ls = lab.segment
    if ls.line == seg.line:
        return False
    # the id's row has its own key in the party label's column, and both rows have their
    # values in one column to the right: two rows of one key/value grid
    row = doc.lines[seg.line].segments
    if not any(abs(s.x0 - ls.x0) < 3 for s in row):
        return False
    values = [s.x0 for s in row if s.x0 > ls.x1 and find_tax_id(s.text, labelled=True)]
    return any(abs(s.x0 - x) < 10 for s in doc.lines[ls.line].segments
               if s.x0 > ls.x1 and not is_party_label(s.folded, SELLER_LABELS + BUYER_LABELS)
               for x in values)


def has_company_suffix(text: str) -> bool:
    folded = fold(text).rstrip(" ,")
    m = COMPANY_SUFFIX.search(folded) or COMPANY_SUFFIX.search(folded.rstrip(" ."))
    # '1 kg' or '10 AS' is a quantity and its unit, not a company.
    return m is not None and not re.search(r"\d\s*$", folded[: m.start()])


# Separators between the parts of a one-line footer: 'Name GmbH · Street 1 · IBAN ...'.
_FOOTER_SPLIT = re.compile(r"\s+[·|•●]\s+|\s+[-–—−]\s+")
# The legal mention after a company's name in a French or English footer: 'Free SAS au
# capital de 3.441.812 Euros', 'Acme Ltd, share capital GBP 1,000'.
_CAPITAL = re.compile(r",?\s+(?:au capital\b|capital social\b|with a share capital\b|"
                      r"share capital\b)", re.IGNORECASE)


def _without_title(text: str) -> str:
    """A letterhead that runs the name into the title: 'Amazon Web Services Invoice'."""
    words = text.split()
    if len(words) > 1 and fold(words[-1]).strip(" :") in INVOICE_WORDS:
        return " ".join(words[:-1])
    return text


def _bare_legal_form(name: str) -> bool:
    """'Sarl', 'GmbH': a legal form with no name before it."""
    return COMPANY_SUFFIX.fullmatch(fold(name).strip(" .,")) is not None


def _vendor_without_label(
    doc: Document, labels: list[PartyLabel], buyer: str | None, table: list[range]
) -> tuple[str | None, float, str | None]:
    """The name in large type at the top of the first page, or a company name (by its legal
    suffix) in the header or in a footer line; never one from the line-item table."""
    scored: list[tuple[float, str]] = []
    first_page = [ln for ln in doc.lines if ln.page == 0]
    if not first_page:
        return None, 0.0, None
    # The payee's account sits in the seller's own block (a footer column, a side band):
    # a company name printed beside an IBAN is the seller's.
    iban_segs = [seg for _, seg in find_ibans(doc)] + [
        seg for seg in doc.segments if _BANK_WORDS.search(seg.folded)]
    high_names: set[str] = set()
    payee_names: set[str] = set()
    footer_names: set[str] = set()
    last_page = [ln for ln in doc.lines if ln.page == doc.lines[-1].page]
    page_top = first_page[0].top
    page_height = max(ln.bottom for ln in first_page) - page_top or 1.0
    # the footer band of each page read: the bottom fifth of its text
    footer_tops = {page: lns[0].top + (max(ln.bottom for ln in lns) - lns[0].top) * 0.8
                   for page, lns in ((p, [ln for ln in doc.lines if ln.page == p])
                                     for p in {0, doc.lines[-1].page})}
    names = [s.text for s in doc.segments]
    sender = return_line_sender(doc)
    returned_names: set[str] = set()
    lines = first_page + [ln for ln in last_page if ln.page != 0]
    for ln in lines:
        if any(ln.index in span for span in table):
            continue
        for seg in ln.segments:
            if side_of(seg, labels) == "buyer" or is_label(seg):
                continue
            if any(seg.folded.strip() == w for w in INVOICE_WORDS):
                continue
            high = ln.page == 0 and (seg.top - page_top) / page_height < 0.25
            footer = seg.top >= footer_tops[ln.page]
            parts = _FOOTER_SPLIT.split(seg.text)
            # a line of parts names its party first: in a footer, in the letterhead, and
            # as the return line over the window, wherever the page's text ends
            returning = sender is not None and seg is sender[1]
            candidates = [seg.text] if len(parts) == 1 else \
                [parts[0]] if footer or high or returning else []
            for text in candidates:
                name = clean_name(_without_title(_CAPITAL.split(text)[0]))
                if name and _bare_legal_form(name):
                    # 'Oy' under 'Rauman Rautakauppa': the last line of a wrapped name; a
                    # legal form with no name before it ('Sarl au capital de ...') is none
                    whole = complete_name(doc, name)
                    name = whole if whole != name else None
                if not name or name == buyer or ":" in text:
                    continue
                suffix = has_company_suffix(name)
                # the name the return line above the window starts with, printed again
                # (a letterhead, a signature): the sender, in whatever type it is set
                returned = sender is not None and seg is not sender[1] and \
                    re.sub(r"\W", "", name).lower() == sender[0]
                if not suffix and not returned and not (
                        high and seg.size >= 12 and len(parts) == 1):
                    continue
                score = seg.size + (8 if suffix else 0) + (4 if high else 0)
                score += 3 * (sum(1 for n in names if name in n) > 1)
                if returned:
                    score += 10
                    returned_names.add(name)
                if suffix and _beside(seg, iban_segs):
                    score += 10
                    payee_names.add(name)
                if high:
                    high_names.add(name)
                if footer and suffix:
                    footer_names.add(name)
                scored.append((score, name))
    if not scored:
        return None, 0.0, None
    best: dict[str, float] = {}
    for score, name in scored:
        best[name] = max(score, best.get(name, 0.0))
    # one name set in capitals by a style (a signature, a heading) and as written
    # elsewhere is one candidate, spelt as written ('ZÜRCHER VELOWERKSTATT GMBH')
    written = {fold(n): n for n in best if not n.isupper()}
    for n in [n for n in best if n.isupper() and fold(n) in written]:
        mixed = written[fold(n)]
        best[mixed] = max(best[mixed], best.pop(n))
    ranked = sorted(best.items(), key=lambda t: -t[1])
    name, score = ranked[0]
    if not has_company_suffix(name):
        # a wordmark is the brand, the first words of the registered name the page prints
        # elsewhere with its legal form ('Zürcher' over a footer's 'Zürcher Velowerkstatt
        # GmbH'): that name is the seller's
        brand = fold(name).strip()
        longer = {n for n, _ in ranked[1:] if has_company_suffix(n)
                  and fold(n).startswith(brand + " ")}
        if len(longer) == 1:
            name = longer.pop()
            ranked = [(name, score)] + [(n, sc) for n, sc in ranked[1:] if n != name]
    confident = (has_company_suffix(name) or name in returned_names) and (
        len(ranked) == 1 or ranked[1][1] < score - 3)
    # another company in the footer band, where sellers print their details, makes a
    # letterhead guess doubtful: a person decides
    if name not in footer_names and any(name not in other and other not in name
                                        for other in footer_names):
        confident = False
    # a claim sold to a factor: the payee's name, in a footer or beside the account, may be
    # the factor's; only a letterhead still names the seller
    if name not in high_names and _assignment_notice(doc):
        confident = False
    other = None
    if name in payee_names and name not in high_names:
        others = [n for n, _ in ranked[1:] if n in high_names and has_company_suffix(n)]
        other = others[0] if len(others) == 1 else None
    return name, 0.85 if confident else 0.6, other


# Payment details other than an IBAN: whoever prints them is the payee (EN 16931 BG-17).
_BANK_WORDS = re.compile(
    r"(?<![a-z])(bic|swift|ach|routing|aba|sort code|account no\.?|bankgiro|plusgiro|"
    r"kontonummer|bankverbindung|tilinumero|nr rachunku|rib|arveldusarve)(?![a-z])")


def _beside(seg: Segment, ibans: list[Segment]) -> bool:
    """Within a few lines of an IBAN on the same page (the same footer band or side column)."""
    return any(i.page == seg.page and abs(i.top - seg.top) < 4 * seg.size for i in ibans)


def _tax_ids(doc: Document, labels: list[PartyLabel], out: Parties) -> None:
    found: dict[str, list[tuple[str, bool]]] = {"seller": [], "buyer": []}
    doubtful: set[str] = set()  # a side whose id was placed only by a key row above it
    where: dict[str, Segment] = {}
    anchors = [(role, seg) for role, name in (("seller", out.vendor_name),
                                              ("buyer", out.buyer_name)) if name
               for seg in doc.segments if _part_of(seg.text, name)]
    for line in doc.lines:
        taken: set[int] = set()  # segments whose id was read as the value of a label before
        for i, seg in enumerate(line.segments):
            text = _IBAN_LOOSE.sub(_blank_valid_iban, _IBAN.sub(_blank_iban, seg.text))
            ids: list[tuple[str, bool]] = []
            named: str | None = None  # the party the label itself names ('N° TVA client')
            labelled = list(_TAX_LABEL_RE.finditer(seg.folded))
            for m in labelled:
                if m.group(1) in NON_TAX_ID_LABELS:
                    continue
                after = text[m.end():]
                qualifier = _party_named(seg.folded, m) if _words_only(after) else None
                beside = i + 1 < len(line.segments) and (not strip_punct(after) or qualifier)
                if beside:
                    after = line.segments[i + 1].text
                tax = find_tax_id(after[:40], labelled=True)
                if tax:
                    ids.append((tax, True))
                    named = named or _party_named(seg.folded, m)
                    if qualifier:
                        taken.add(i + 1)
            if i in taken:
                continue
            if not ids:  # no tax-id label with its id here (none, or only SIRET, REGON...)
                tax = find_tax_id(text, labelled=False)
                if tax:
                    ids.append((tax, False))
            lab = nearest_label(seg, labels)
            role = named or (lab.role if lab else None)
            if role is None and _right_of_buyer_label(seg, line.segments, labels):
                role = "buyer"
            if role is None and ids:
                role = _nearest_party(seg, anchors)
            target = "buyer" if role == "buyer" else "seller"
            found[target].extend(ids)
            if ids and lab is not None and _key_row(doc, lab, seg):
                doubtful.add(target)
            where.update({tax: seg for tax, _ in ids if tax not in where})
    vendor, vconf = _choose(found["seller"])
    buyer, bconf = _choose(found["buyer"])
    vconf = min(vconf, 0.6) if "seller" in doubtful else vconf
    bconf = min(bconf, 0.6) if "buyer" in doubtful else bconf
    if vendor is None and buyer is not None:
        # every party has one tax id: two on the buyer's side and none on the seller's
        # means one of them was the seller's. The one printed in the buyer's own name block
        # stays; the other is the seller's (a guess, kept doubtful).
        split = _split_pair([t for t, _ in found["buyer"]], where,
                            [seg for role, seg in anchors if role == "buyer"])
        if split is not None:
            buyer, vendor = split
            vconf = bconf = 0.6
    out.vendor_tax_id, out.vendor_tax_conf = vendor, vconf
    out.buyer_tax_id, out.buyer_tax_conf = buyer, bconf


def _words_only(text: str) -> bool:
    """A label's remainder of a few words and no figure ('client', 'des Kunden')."""
    words = strip_punct(text).split()
    return 0 < len(words) <= 3 and not any(ch.isdigit() for ch in text)


def _party_named(folded: str, m: re.Match[str]) -> str | None:
    """'N° TVA client', 'Kunden-USt-IdNr.', 'VAT no. of the customer', 'Supplier VAT':
    a tax-id label that names its party in the words around it (before the id) says whose
    id follows, whatever block it sits in."""
    if _YOUR.search(folded[:m.start()]):
        return "buyer"  # 'Your VAT no.', 'Ihre USt-IdNr.': the reader's own, the addressee's
    before = folded[:m.start()].split()[-2:]
    after: list[str] = []
    for word in folded[m.end():].split()[:4]:
        if any(ch.isdigit() for ch in word):
            break  # the id itself: what follows it is another matter
        after.append(word)
    words = " ".join(w.strip(".:-()") for w in [*before, *after])
    roles = {role for role, party in (("buyer", BUYER_LABELS), ("seller", SELLER_LABELS))
             if phrase_in(words, party)}
    return roles.pop() if len(roles) == 1 else None


def _split_pair(ids: list[str], where: dict[str, Segment],
                names: list[Segment]) -> tuple[str, str] | None:
    """(buyer's, seller's) of two different VAT numbers found on the buyer's side: the
    buyer's is the one within a few lines under the buyer's name, in its column."""
    pool = list(dict.fromkeys(t for t in ids if checksums.vat_format_valid(t)))
    if len(pool) != 2 or not names:
        return None
    near = [t for t in pool if any(
        n.page == where[t].page and 0 <= where[t].top - n.top <= 6 * max(n.size, 6)
        and abs(where[t].x0 - n.x0) < 40 for n in names)]
    if len(near) != 1:
        return None
    return near[0], next(t for t in pool if t != near[0])


def _part_of(text: str, name: str) -> bool:
    text = text.strip()
    return len(text) > 3 and (text == name or (name.startswith(text) and " " in name))


def _nearest_party(seg: Segment, anchors: list[tuple[str, Segment]]) -> str | None:
    """An unlabelled tax id belongs to the party whose name heads its block: the nearest
    name above it (or on its line) in the same band of the page, within a few lines."""
    best: tuple[float, str] | None = None
    for role, name_seg in anchors:
        if name_seg.page != seg.page:
            continue
        dy = seg.top - name_seg.top
        if not -1 <= dy <= 6 * max(seg.size, 6):
            continue
        if name_seg.line == seg.line and name_seg.x0 > seg.x0:
            continue  # a name to the right on the id's line starts another column
        dx = abs(seg.x0 - name_seg.x0) if name_seg.line != seg.line else 0.0
        if dx > 40:
            continue  # another column: a side band, a letterhead beside the address
        d = dy + dx / 4
        if best is None or d < best[0]:
            best = (d, role)
    return best[1] if best else None


def _blank_valid_iban(m: re.Match[str]) -> str:
    """Hide an IBAN printed in national groups ('FR76 10107 00245 ...'), when it is one."""
    return " " * len(m.group(0)) if loose_iban(m.group(0)) else m.group(0)


def _blank_iban(m: re.Match[str]) -> str:
    """Hide an IBAN (15+ characters) so its digits are not taken for a VAT number."""
    return " " * len(m.group(0)) if len(checksums.compact(m.group(0))) >= 15 else m.group(0)


def _right_of_buyer_label(seg: Segment, line: list[Segment], labels: list[PartyLabel]) -> bool:
    return any(p.role == "buyer" and p.segment in line and p.segment.x1 <= seg.x0
               for p in labels)


def _choose(ids: list[tuple[str, bool]]) -> tuple[str | None, float]:
    """Prefer a VAT number (country prefix) over a national id; a second, different VAT
    number on the same side makes the choice doubtful."""
    if not ids:
        return None, 0.0
    vat = [t for t, _ in ids if checksums.vat_format_valid(t) or checksums.gstin_valid(t)
           or checksums.ch_uid_valid(t)]
    pool = list(dict.fromkeys(vat or [t for t, _ in ids]))
    chosen = pool[0]
    conf = 0.93 if len(pool) == 1 else 0.6
    if not vat:
        conf = min(conf, 0.85)
    return chosen, conf
