"""The invoice XML a Factur-X / ZUGFeRD / XRechnung PDF carries as an attachment.

Only the PDF's attachment tree is read (pypdf, no page content), so this costs a few
milliseconds. The attachment names the standards prescribe come first; any other ``.xml``
attachment is taken when its root is an e-invoice format the registry knows, then an
attachment of any other name whose bytes are such XML (a misnamed ``invoice.bin``).

The XML size limit holds while the attachment is unpacked, not after: an attachment whose
declared size (``/Params /Size``) or stored length (``/Length``) is over the limit is
refused unread, and decompression stops one byte past the limit (pypdf's own caps are
75 MB), so a small PDF cannot make the reader inflate a huge attachment.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from backoffice.xmlsafe import DEFAULT_MAX_BYTES, XmlRejected, parse_xml
from robots.invoices.einvoice.detect import is_einvoice

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
        entries: dict[str, Any] = {}
        for entry in pdf.attachment_list:
            for name in (entry.name, entry.alternative_name):
                if name:
                    entries.setdefault(str(name), entry)
    except Exception:  # an encrypted or broken PDF: the page reader reports it
        return None
    names = list(entries)
    lowered = {n.lower(): n for n in names}
    ordered = [lowered[s.lower()] for s in STANDARD_NAMES if s.lower() in lowered]
    ordered += [n for n in names if n.lower().endswith(".xml") and n not in ordered]
    # last, attachments of any other name (``invoice.bin``): used when their bytes are XML
    # of an e-invoice format, so a misnamed attachment is not missed
    ordered += [n for n in names if n not in ordered]
    seen: set[int] = set()
    for name in ordered:
        if id(entries[name]) in seen:  # one file under its two names (/F and /UF)
            continue
        seen.add(id(entries[name]))
        standard = name.lower() in _STANDARD
        try:
            data = content(entries[name], name, max_bytes)
            if not name.lower().endswith(".xml") and not standard and not data.lstrip(
                    b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                continue  # not XML: an image, a spreadsheet...
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


def content(entry: Any, name: str, max_bytes: int) -> bytes:
    """An attachment's bytes (a pypdf ``EmbeddedFile``), refused as ``xml_too_large`` by its
    declared size or stored length before unpacking, and while unpacking past the limit."""
    from pypdf import apply_configuration
    from pypdf.errors import LimitReachedError

    def too_large(size: str) -> XmlRejected:
        return XmlRejected("xml_too_large", f"{name} is {size}, over the XML limit of "
                                            f"{max_bytes:,} bytes")

    declared = _number(entry.size)
    if declared is not None and declared > max_bytes:
        raise too_large(f"{declared:,} bytes (its declared size)")
    stream = entry.pdf_object.get("/EF", {}).get("/F")
    stream = stream.get_object() if stream is not None else None
    stored = _number(stream.get("/Length") if stream is not None else None)
    if stored is not None and stored > max_bytes:
        raise too_large(f"{stored:,} bytes as stored")
    limit = max_bytes + 1  # one byte over is enough to know
    with apply_configuration(zlib_maximum_output_length=limit, lzw_maximum_output_length=limit,
                             run_length_maximum_output_length=limit,
                             brotli_maximum_output_length=limit,
                             array_based_stream_maximum_output_length=limit):
        try:
            data: bytes = entry.content
        except LimitReachedError:
            raise too_large("larger when unpacked") from None
    return data


def _number(value: Any) -> int | None:
    """A PDF integer (possibly an indirect reference); ``None`` when absent or not a number."""
    try:
        value = value.get_object() if hasattr(value, "get_object") else value
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
