"""The invoice XML a Factur-X / ZUGFeRD / XRechnung PDF carries as an attachment.

Only the PDF's attachment tree is read (pypdf, no page content), so this costs a few
milliseconds. The attachment names the standards prescribe come first; any other ``.xml``
attachment is taken when its root is an e-invoice format the registry knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from robots.invoices.einvoice.detect import is_einvoice
from robots.invoices.einvoice.xmlsafe import DEFAULT_MAX_BYTES, XmlRejected, parse_xml

# Factur-X / ZUGFeRD 2.1+, ZUGFeRD 2.0, ZUGFeRD 1.0, XRechnung in a PDF.
STANDARD_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "ZUGFeRD-invoice.xml",
                  "xrechnung.xml")
_STANDARD = frozenset(s.lower() for s in STANDARD_NAMES)


@dataclass
class Embedded:
    name: str  # the attachment's file name
    root: etree._Element | None  # None when the attachment was refused
    pages: Any = None  # the PDF's pypdf pages, for the cross-check of the page
    problem: XmlRejected | None = None


def find_embedded(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Embedded | None:
    """The PDF's invoice attachment, parsed safely; ``None`` when it has none (or the PDF
    cannot be opened here: the page reader then says why). A standard-named attachment that
    is hostile or malformed comes back with ``problem`` set, so the caller can say so."""
    from pypdf import PdfReader

    try:
        pdf = PdfReader(path)
        attachments = pdf.attachments
        names = list(attachments)
    except Exception:  # an encrypted or broken PDF: the page reader reports it
        return None
    lowered = {n.lower(): n for n in names}
    ordered = [lowered[s.lower()] for s in STANDARD_NAMES if s.lower() in lowered]
    ordered += [n for n in names if n.lower().endswith(".xml") and n not in ordered]
    for name in ordered:
        standard = name.lower() in _STANDARD
        try:
            data = attachments[name][0]
            root = parse_xml(data, name=name, max_bytes=max_bytes)
        except XmlRejected as exc:
            if standard:
                return Embedded(name=name, root=None, problem=exc)
            continue
        except Exception:  # a broken attachment stream
            continue
        if is_einvoice(root):
            return Embedded(name=name, root=root, pages=pdf.pages)
        if standard:
            return Embedded(name=name, root=None, problem=XmlRejected(
                "xml_unknown", f"{name} is not an e-invoice format this reader knows"))
    return None
