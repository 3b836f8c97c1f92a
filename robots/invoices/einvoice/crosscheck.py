"""A PDF's page against its embedded XML: the XML is the data, the page a witness.

Cheap first: is the XML's invoice number, vendor (name or tax id) and total printed on the
page at all (the amount forms ``scoring.page_truth`` accepts)? pypdf's text of the first and
last page answers that for most invoices in a few milliseconds; the other pages, then the
layout reader's text (``load_page``) are tried before a value counts as missing. Only then
does the visual reader run, to name what the page says instead. A page without any text
(a scan; no OCR here) cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backoffice.locale import fold
from robots.invoices.extract import read_document
from robots.invoices.fields import Invoice, fmt_amount
from robots.invoices.layout import Document
from robots.invoices.scoring import amount_shown


def _compact(text: str) -> str:
    return "".join(text.split()).upper()


def _words(text: str) -> str:
    return " ".join(fold(text).split())


def missing_on(inv: Invoice, text: str) -> list[str]:
    """The cross-checked fields whose XML value ``text`` does not show."""
    compact, words = _compact(text), _words(text)
    missing: list[str] = []
    if inv.invoice_number and _compact(inv.invoice_number) not in compact:
        missing.append("invoice_number")
    if inv.vendor_name and _words(inv.vendor_name) not in words and not (
            inv.vendor_tax_id and _compact(inv.vendor_tax_id) in compact):
        missing.append("vendor_name")
    if inv.total_amount is not None and not amount_shown(str(abs(inv.total_amount)), text):
        missing.append("total_amount")
    return missing


def _text(pages: Any, indexes: list[int]) -> str:
    parts = []
    for i in indexes:
        try:
            parts.append(pages[i].extract_text() or "")
        except Exception:  # a page pypdf cannot decode: the layout reader gets a say
            parts.append("")
    return "\n".join(parts)


def disagreements(inv: Invoice, pages: Any, load_page: Callable[[], Document]) -> list[str]:
    """``page_mismatch`` reasons, each naming the XML's value and the page's.

    ``pages`` are the PDF's pypdf pages; ``load_page`` reads the layout document (costly,
    called only when the quick text does not show a value)."""
    count = len(pages)
    quick = sorted({0, count - 1}) if count else []
    text = _text(pages, quick)
    missing = missing_on(inv, text) if text.strip() else ["?"]
    if missing and count > len(quick):
        text = _text(pages, list(range(count)))
        missing = missing_on(inv, text) if text.strip() else ["?"]
    if not missing:
        return []
    page = load_page()
    if not page.text.strip():
        return []
    missing = missing_on(inv, page.text)
    if not missing:
        return []
    seen = read_document(page).invoice
    reasons = []
    for name in missing:
        xml_value, page_value = getattr(inv, name), getattr(seen, name)
        if name == "total_amount":
            xml_value, page_value = fmt_amount(xml_value), fmt_amount(page_value)
        shown = (f"the page shows {page_value}" if page_value is not None
                 else "the page does not show it")
        reasons.append(f"page_mismatch: {name}: the embedded XML says {xml_value}, {shown}")
    return reasons
