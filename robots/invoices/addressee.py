"""The addressee of a letter-style invoice: the address block in the envelope window.

Business letters across Europe and North America put the recipient's postal address where
a window envelope shows it (DIN 5008 and ÖNORM A 1080: left, 45-90 mm from the top; SN 010130
and NF Z 10-011: the same band, on the right), without any label. That block has a shape of
its own, whatever the language: two to six lines in one column at line spacing, the last
but at most one of them a postal line (a postcode beside a place name), the first one a
name. Above it, DIN letters print the sender's return line in smaller type.

The block is the buyer only when nothing else names a buyer (no recipient label on the
page) and it is not the seller's own block (the seller's name, account or tax id in it).
How sure the reading is follows from how much of that structure is there: a return line
above the block, or the window band with the seller known from elsewhere, is enough to
pass; a lone block anywhere else stays a doubtful guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from backoffice.locale import fold
from robots.invoices.layout import PAGE_GAP, Document, Segment

# Where the first line of a window envelope's address sits, in PDF points from the page's
# top (A4 and US Letter): DIN 5008 form A from 40 mm, form B up to 85 mm; NF Z 10-011 and
# US #10 windows fall inside the same band.
WINDOW_TOP, WINDOW_BOTTOM = 95.0, 245.0
UPPER_HALF = 400.0  # lower down, address blocks are payment and registration details
# The highest window top of the standards (DIN 5008 form A: 27 mm), less the few mm by
# which templates miss it: the return line is printed in the window, never above it.
RETURN_TOP = 56.0
# The height of DIN 5008's address field (endorsement zone and six address lines): 40 mm.
ADDRESS_ZONE = 113.0
# A postcode with its place, the code first ('80333 München', 'D-63571 Gelnhausen',
# '00-950 Warszawa', '114 55 Stockholm', '1012 AB Amsterdam') or last ('Seattle, WA
# 98109-5210', 'London SW1A 1AA', 'Bangalore - 560067'), never amid other words ('OYO 4189
# Resort' is a name).
_CODE = r"(?:\d{2}-\d{3}|\d{3} \d{2}|\d{4} ?[A-Z]{2}|\d{4,6}(?:-\d{4})?)"
_POSTAL = re.compile(
    rf"^(?:[A-Z]{{1,2}}-|[A-Z]{{2}} )?{_CODE}\s+\S"
    rf"|(?:,|\s-|\b[A-Z]{{2}})\s*{_CODE}(?:,?\s*[A-Z]{{2,3}})?\.?$"
    # the street and the place on one line: 'Uferweg 12, 82319 Starnberg'
    rf"|,\s*(?:[A-Z]{{1,2}}-)?{_CODE}\s+[^\W\d_][^\d,]*$"
    r"|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$")
# The parts of a one-line return address: 'Firma GmbH - Weg 4 - 12345 Ort', '... · ...'.
_PARTS = re.compile(r"\s+[-–·|•]\s+|,\s+")
# Small type set tightly loses its spaces in the text layer: '...,Lindenstraße14,50674Köln'.
_SQUEEZED_POSTAL = re.compile(r"[,·|]\s?(?:[A-Z]{1,2}-)?\d{4,5}\s?[^\W\d_]{2,}")
_LETTER = re.compile(r"[^\W\d_]{2,}")
# A person's title before a name, in an address.
_TITLES = (r"herrn?|frau|mr\.?|mrs\.?|ms\.?|miss|dr\.?|m\.|mme|mlle|monsieur|madame|pan|pani|"
           r"herr|fru|hr\.?")
_PERSON = re.compile(rf"^(?:{_TITLES})$", re.IGNORECASE)
# Words before a name that are not part of it (EN 16931 BT-44 is the name alone): a title,
# or the words of a company or attention line ('Firma', 'An', 'z. Hd.').
_SALUTATION = re.compile(rf"^(?:{_TITLES}|firma|fa\.|an|messieurs|attn:?|att:?|z\. ?hd\.?)$",
                         re.IGNORECASE)
_CONTACT = re.compile(r"@|https?:|www\.|\btel\b|\bfax\b|\bphone\b|\biban\b", re.IGNORECASE)
# The postal endorsements printed over the address in the window (DIN 5008's 'Zusatz- und
# Vermerkzone', Royal Mail, La Poste, USPS): a line of the block, never its name.
_ENDORSEMENT = re.compile(
    r"^(?:einschreiben(?: einwurf| ruckschein| eigenhandig)?|eigenhandig|personlich|"
    r"vertraulich|personlich/vertraulich|personlich ?- ?vertraulich|nicht nachsenden|"
    r"bitte nicht knicken|drucksache|warensendung|buchersendung|infopost|dialogpost|"
    r"express|eilzustellung|luftpost|par avion|priority|priority mail|certified mail|"
    r"registered(?: mail)?|recorded delivery|special delivery|signed for|"
    r"private(?: (?:&|and) confidential)?|confidential|personal|strictly private|"
    r"recommande|lettre recommandee|recommande avec accuse de reception|urgent|"
    r"confidentiel|personnel|personnel et confidentiel|personnel ?- ?confidentiel|"
    r"polecony|priorytet|kirjattu|rekommenderat|aangetekend)\.?$")


# A delivery block's one-word heading ('Delivery', 'Versand'): the block is where goods
# go, not whom the invoice is addressed to (multi-word headings are labels, labels.py).
_DELIVERY_WORDS = {"delivery", "shipping", "shipment", "lieferung", "versand", "livraison",
                   "expedition", "toimitus", "leverans", "dostawa", "wysylka", "tarne",
                   "levering", "bezorging", "entrega", "consegna", "spedizione"}


# The words of a department's line in an address.
_DEPARTMENT = re.compile(r"buchhaltung|accounts payable|rechnungseingang|rechnungsprufung|"
                         r"einkauf|purchasing|procurement|comptabilite|finance|finanz|"
                         r"kreditoren|ostoreskontra|kirjanpito|ekonomiavdelning|"
                         r"ksiegowosc|raamatupidamine|invoice processing|abteilung|"
                         r"department|dept\.")
_KEYED = re.compile(r"^[^:]{2,30}:\s")


@dataclass(frozen=True)
class Addressee:
    name: str
    confidence: float
    lines: range = range(0)  # the lines the address block spans


def is_postal_line(text: str) -> bool:
    """A postcode and a place name, and nothing that makes it an amount or a date."""
    if re.search(r"\d[.,]\d{2}(?!\d)|\d{1,2}[./]\d{1,2}[./]\d{2,4}", text):
        return False
    text = text.strip()
    return _POSTAL.search(text) is not None and _LETTER.search(text) is not None


def _column(doc: Document, start: Segment) -> list[Segment]:
    """``start`` and the segments under it in its column at line spacing (at most six).

    An address zone has fixed lines (DIN 5008: 40 mm for the endorsements and six address
    lines), filled by a template's fields (name, c/o, additional line, street, place): an
    empty field leaves its line blank before the postal line, and the name may be set
    larger than the rest ('Firma' over a larger name over the street). So the block
    crosses blank lines before its postal line while it stays within the zone, and its
    first lines may step in size by up to 4.5 pt (up from the second line on only after
    lines of titles, persons or endorsements); from the fourth line on, each shares the
    size of the one above. A return line in small type over the address starts no block
    (``find_addressee``)."""
    block = [start]
    index = start.line + 1
    while index < len(doc.lines) and len(block) < 6:
        ln = doc.lines[index]
        last = block[-1]
        if ln.page != start.page:
            break
        gap = ln.top - last.bottom
        if gap > last.size * 1.2 and (
                gap > last.size * 4.5 or ln.bottom - start.top > ADDRESS_ZONE
                or any(is_postal_line(b.text) for b in block)):
            break  # a gap the zone's empty fields do not explain
        # a line of another column (a letterhead beside the window) may fall in between
        below = next((s for s in ln.segments if abs(s.x0 - start.x0) < 3), None)
        if below is not None:
            if abs(below.size - last.size) > 1.5 and not (
                    len(block) < 3 and abs(below.size - last.size) <= 4.5
                    and (below.size < last.size or len(block) < 2
                         or all(prefix_line(b.text) for b in block))):
                break
            block.append(below)
        elif any(s.x0 < start.x0 + 3 and s.x1 > start.x0 - 3 for s in ln.segments):
            break  # something else in this column ends the block
        index += 1
    return block


def prefix_line(text: str) -> bool:
    """A line over an address's name: titles alone ('Herrn', 'Firma', 'z. Hd.'), a
    person's line ('Herrn Jonas Albrecht') or an endorsement ('Persönlich')."""
    words = text.split()
    return bool(words) and (_SALUTATION.match(words[0]) is not None
                            or _ENDORSEMENT.match(fold(text).strip()) is not None)


def _return_line(doc: Document, first: Segment) -> bool:
    return _return_segment(doc, first) is not None


def _return_segment(doc: Document, first: Segment) -> Segment | None:
    """The sender's one-line return address above the block, in smaller type, starting in
    the block's column (DIN 5008 puts it at the top of the window, the address lower) or
    over it (NF Z 10-011 sets it further left)."""
    for ln in reversed(doc.lines[max(0, first.line - 3): first.line]):
        if ln.page != first.page or first.top - ln.bottom > 80:
            return None
        if ln.top - ln.page * PAGE_GAP < RETURN_TOP:
            return None  # above every window: a letterhead's tagline, not a return line
        for s in ln.segments:
            if s.x0 - 6 < first.x0 < s.x1 and s.size < first.size - 0.8 \
                    and _is_return_line(_spread(ln.segments, s) + _wrapped(doc, s, first)):
                return s
    return None


def _wrapped(doc: Document, start: Segment, first: Segment) -> str:
    """The rest of a return line too long for the window's width, wrapped onto the next
    line at its left edge in its size, above the block ('... · Denver, CO' over '80203')."""
    out = []
    last = start
    for ln in doc.lines[start.line + 1: first.line]:
        below = next((b for b in ln.segments if abs(b.x0 - start.x0) < 3
                      and abs(b.size - start.size) < 0.6), None)
        if below is None or ln.top - last.bottom > start.size * 1.2:
            break
        out.append(below.text)
        last = below
    return " " + " ".join(out) if out else ""


def return_line_sender(doc: Document) -> tuple[str, Segment] | None:
    """The sender's name as the return line above the window address starts it
    ('Cabinet Lefort & Associés, 31000 Toulouse'), letters and digits only (the line is
    often set so tightly that its spaces are lost): the one the letter says sent it; with
    the return line itself."""
    senders: dict[str, Segment] = {}
    for ln in doc.lines:
        if ln.page != 0 or ln.top > UPPER_HALF:
            break
        for seg in ln.segments:
            returned = _return_segment(doc, seg)
            if returned is not None:
                head = re.split(r"[,·|•]", returned.text, maxsplit=1)[0]
                senders.setdefault(re.sub(r"\W", "", head).lower(), returned)
    senders.pop("", None)
    return senders.popitem() if len(senders) == 1 else None


def _spread(row: list[Segment], start: Segment) -> str:
    """The return line from ``start`` on: its parts may be set apart with tabs, each its
    own segment ('Firma GmbH      Weg 4      12345 Ort'), in one size, close together."""
    parts = [start]
    for seg in row:
        if seg.x0 > parts[-1].x1 and seg.x0 - parts[-1].x1 < 30 and \
                abs(seg.size - start.size) < 0.6:
            parts.append(seg)
    return " · ".join(p.text for p in parts)


def _headed(doc: Document, first: Segment) -> Segment | None:
    """Words just above the block's first line, in its column at line spacing: a heading
    ('Lieferadresse', 'Ship to', a contact box's title) that makes the block a labelled one,
    whatever the heading says. The return line above a window address, however tightly
    set, holds a postcode (in its first part, or in the parts set apart after it): it is
    no heading."""
    if first.line == 0:
        return None
    above = doc.lines[first.line - 1]
    if above.page != first.page or first.top - above.bottom > first.size * 1.2:
        return None
    return next((s for s in above.segments
                 if s.x0 < first.x0 + 3 and s.x1 > first.x0 - 3 and _LETTER.search(s.text)
                 and not any(ch.isdigit() for ch in s.text)
                 and not _is_return_line(_spread(above.segments, s))), None)


def _is_heading(first: Segment, second: Segment) -> bool:
    """The block's first line heads it rather than names it: a few words ending in a
    colon, set smaller than the line under it, or a known label ('Rechnungsempfänger',
    'Lieferanschrift'); never a title or an endorsement ('Herrn', 'Persönlich')."""
    from robots.invoices.labels import BUYER_LABELS, SELLER_LABELS, is_party_label
    from robots.invoices.values import is_label

    text = first.text.strip()
    if any(ch.isdigit() for ch in text) or len(text.split()) > 4 or prefix_line(text):
        return False
    return (text.endswith(":") or first.size < second.size - 0.5 or is_label(first)
            or is_party_label(first.folded, BUYER_LABELS + SELLER_LABELS)
            or _not_buyers(first))


def _not_buyers(heading: Segment) -> bool:
    """A heading over a block that is not the addressee's: a delivery address ('Ship to',
    'Lieferanschrift'), the seller's ('Lieferant'), any known label that is no recipient's
    ('Kundennummer'); an unknown heading may be the recipient's."""
    from robots.invoices.labels import BUYER_LABELS, OTHER_LABELS, SELLER_LABELS, is_party_label

    folded = fold(heading.text).strip(" :")
    if is_party_label(folded, BUYER_LABELS):
        return False
    return (folded in _DELIVERY_WORDS or folded in OTHER_LABELS
            or is_party_label(folded, SELLER_LABELS))


def _is_return_line(text: str) -> bool:
    """A sender's address on one line: several parts (name, street, place), one of them
    a postal line; a lone 'PO 88213' (a reference that looks like a US state and ZIP
    code) is none."""
    return _SQUEEZED_POSTAL.search(text) is not None or (
        len(parts := _PARTS.split(text)) >= 2 and any(is_postal_line(p) for p in parts))


def _name_of(block: list[Segment]) -> tuple[str | None, int]:
    """The block's name line (after a salutation line or word) and its index."""
    from robots.invoices.parties import clean_name

    skipped = 0
    for i, seg in enumerate(block[:3]):
        if _ENDORSEMENT.match(fold(seg.text).strip()):
            skipped += 1  # 'Einschreiben' over the address
            continue
        if i > skipped + 1:
            break
        words = seg.text.split()
        while words and _SALUTATION.match(words[0]):
            words = words[1:]
        if not words:
            continue  # 'Herrn' / 'Firma' on a line of its own
        text = " ".join(words)
        if any(ch.isdigit() for ch in text) or _CONTACT.search(text) or \
                fold(text).strip(" :") in _DELIVERY_WORDS or _KEYED.match(text):
            return None, i  # 'Lieferung an: ...' is a labelled line, whatever its key
        return clean_name(text), i
    return None, 0


def _company_below(block: list[Segment], at: int, postal: list[int]) -> str | None:
    """The name line is a person ('Herrn Jonas Albrecht') or a department ('Accounts
    Payable') and a line between it and the postal line names a company (a name with a
    legal form): the company is the addressee, its name returned. Without a salutation or
    a department's word, a second line with a legal form is the wrapped rest of the name
    ('Société Bretonne de Distribution / Alimentaire SAS'), and a legal form alone ('mbB',
    '& Co. KG') always is. The person's title may stand on the line above the name
    ('Herrn' / 'Jonas Albrecht'), an endorsement there ('Private & Confidential') is none."""
    from robots.invoices.parties import COMPANY_SUFFIX, clean_name, has_company_suffix

    above = block[at - 1].text.split() if at else []
    if not all(_SALUTATION.match(w) for w in above):
        above = []
    first = above + block[at].text.split()
    person = any(_PERSON.match(w) for w in first[:2])
    if has_company_suffix(block[at].text) or not (
            person or _DEPARTMENT.search(fold(block[at].text))):
        return None
    end = postal[-1] if postal else len(block)
    for seg in block[at + 1:end]:
        words = seg.text.split()
        if has_company_suffix(seg.text) and len(words) > 1 and words[0][0].isalpha() \
                and not COMPANY_SUFFIX.fullmatch(fold(words[0]).strip(" .,")):
            return clean_name(seg.text)
    return None


def address_name(doc: Document, first: Segment) -> tuple[str | None, bool]:
    """The name the address block starting at ``first`` gives (the block under a
    recipient label): after its titles and endorsements ('Herrn', 'Ms' on a line of its
    own, 'Private & Confidential'); the company under a person's or department's line,
    then doubtful (True)."""
    block = _column(doc, first)
    postal = [i for i, s in enumerate(block) if is_postal_line(s.text)]
    name, at = _name_of(block)
    if name is None:
        return None, False
    company = _company_below(block, at, postal)
    return (company, True) if company else (name, False)


def find_addressee(doc: Document, seller_marks: list[str], seller_known: bool,
                   skip: Callable[[Segment], bool],
                   returned_only: bool = False) -> Addressee | None:
    """The one unlabelled address block of page 1 that is not the seller's.

    ``seller_marks``: the seller's name, tax id and IBAN as read elsewhere; a block holding
    any of them is the seller's own. ``skip``: segments of labelled blocks or of the
    line-item table. ``returned_only``: only a block under a sender's return line."""
    marks = [re.sub(r"\W", "", m).lower() for m in seller_marks if m]
    found: list[_Found] = []
    taken: set[int] = set()
    for ln in doc.lines:
        if ln.page != 0 or ln.index in taken or ln.top > UPPER_HALF:
            continue
        for seg in ln.segments:
            if _is_return_line(_spread(ln.segments, seg)):
                continue  # the sender's return line, never an address's first line
            block = _column(doc, seg)
            returned = _return_line(doc, seg)
            heading = _headed(doc, seg)
            if heading is None and len(block) > 1 and _is_heading(block[0], block[1]):
                heading, block = block[0], _column(doc, block[1])
            postal = [i for i, s in enumerate(block) if is_postal_line(s.text)]
            # an address ends with its postal line (a country may follow); under a return
            # line, the block's place is proof enough (not every country has postcodes).
            # The postal line is the last one that looks it: a street's number may look
            # like a postcode too ('1200 Market Street' like '1010 Wien')
            if len(block) < 2 or not (returned or postal and 0 < postal[-1] >= len(block) - 2):
                continue
            if any(skip(s) for s in block) or heading is not None and _not_buyers(heading):
                continue
            name, at = _name_of(block)
            if name is None or (postal and at >= postal[-1]):
                continue
            joined = re.sub(r"\W", "", " ".join(s.text for s in block)).lower()
            taken.update(s.line for s in block)
            if any(m and m in joined for m in marks):
                continue  # the seller's own block
            window = WINDOW_TOP <= block[0].top <= WINDOW_BOTTOM
            found.append(_Found(name, returned, window, _company_below(block, at, postal),
                                bool(postal), heading is not None,
                                range(block[0].line, block[-1].line + 1)))
    if returned_only:
        # before the seller is known: only the block under a return line, which names
        # the addressee by the letter's own structure
        found = [f for f in found if f.returned]
    # a sender's block in the letterhead, above the window, does not compete with it
    in_window = [f for f in found if f.window]
    competed = len(found) > 1
    if len(in_window) == 1:
        found = in_window
    if len(found) != 1:
        # none, or several (a delivery address beside the invoice address): not guessed
        return None
    f = found[0]
    if f.company_below:
        # 'Kreditorenbuchhaltung / Müller Bau GmbH', 'Herrn Jonas Albrecht / Müller Bau
        # GmbH': the first line is a department or a person of the company below it; the
        # company is the buyer, but a person reads it (a sole trader's own name first?)
        return Addressee(f.company_below, 0.6, f.lines)
    if f.headed:
        # a heading no label list knows ('Anschrift', 'Empfänger'): most likely the
        # recipient's, but a person reads it
        return Addressee(f.name, 0.6, f.lines)
    if f.returned:
        # without its postal line the block may be cut short (a line set apart from the
        # rest): its first line may not be the name, unless it names a company by its
        # legal form ('iViveLabs Ltd.' over a Hong Kong address, which has no postcode)
        from robots.invoices.parties import has_company_suffix

        return Addressee(f.name, 0.9 if f.postal or has_company_suffix(f.name) else 0.6,
                         f.lines)
    if f.window and seller_known and not competed:
        # another address block above the window may be the buyer's on a layout with no
        # window (a contact or branch box then sits in the band): only a guess
        return Addressee(f.name, 0.85, f.lines)
    return Addressee(f.name, 0.6, f.lines)


@dataclass(frozen=True)
class _Found:
    """An address block read on the page."""

    name: str
    returned: bool  # under the sender's return line
    window: bool  # in the window band
    company_below: str | None  # the company under a person's or department's line
    postal: bool  # with its postal line
    headed: bool  # under a heading (not a delivery address's or the seller's)
    lines: range  # the lines the block spans
