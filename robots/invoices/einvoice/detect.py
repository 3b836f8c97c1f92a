"""Which mapper reads an XML document: a registry keyed by the root element.

The mapper contract (every format module: ``cii.py``, ``ubl.py``, ``finvoice.py``,
``ksef.py``)::

    def read(root: lxml.etree._Element) -> EInvoice

``root`` comes from ``xmlsafe.parse_xml`` (already safe and well-formed). The mapper fills
``EInvoice.invoice`` with the values as the document states them - a credit note's amounts
positive, ``credit_note=True`` (the caller makes them negative, one sign rule for all
readers) - sets ``source`` to the format name shown as ``extraction.source`` and never
raises for a bad value: it appends a ``"code: text"`` note (``common.Node`` does that for
numbers and dates). It raises ``XmlRejected`` only when the document is not an invoice at
all. Adding a format is one line in ``MAPPERS``: ``(namespace, root local name)`` ->
``"module:function"`` (imported on first use; the namespace is ``""`` for XML without one).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from lxml import etree

from backoffice.xmlsafe import XmlRejected
from robots.invoices.einvoice.common import EInvoice

Mapper = Callable[[etree._Element], EInvoice]

_PKG = "robots.invoices.einvoice"
MAPPERS: dict[tuple[str, str], str] = {
    # UN/CEFACT CII D16B: Factur-X / ZUGFeRD 2.x (all profiles), XRechnung CII
    ("urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100", "CrossIndustryInvoice"):
        f"{_PKG}.cii:read",
    # ZUGFeRD 1.0
    ("urn:ferd:CrossIndustryDocument:invoice:1p0", "CrossIndustryDocument"):
        f"{_PKG}.cii:read",
    # ZUGFeRD 1.0 release candidate (2013/14 software): same blocks, children unqualified
    ("urn:un:unece:uncefact:data:standard:CBFBUY:5", "Invoice"): f"{_PKG}.cii:read",
    # UBL 2.1 (EN 16931, XRechnung UBL, PEPPOL BIS Billing 3.0)
    ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "Invoice"): f"{_PKG}.ubl:read",
    ("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", "CreditNote"):
        f"{_PKG}.ubl:read",
    # Finvoice 1.3 / 2.x / 3.0 (Finland): no namespace
    ("", "Finvoice"): f"{_PKG}.finvoice:read",
    # KSeF FA(2) and FA(3) (Poland)
    ("http://crd.gov.pl/wzor/2023/06/29/12648/", "Faktura"): f"{_PKG}.ksef:read",
    ("http://crd.gov.pl/wzor/2025/06/25/13775/", "Faktura"): f"{_PKG}.ksef:read",
}


def root_key(root: etree._Element) -> tuple[str, str]:
    qname = etree.QName(root)
    return qname.namespace or "", qname.localname


def find_mapper(root: etree._Element) -> Mapper | None:
    target = MAPPERS.get(root_key(root))
    if target is None:
        return None
    module, _, name = target.partition(":")
    mapper: Mapper = getattr(import_module(module), name)
    return mapper


def is_einvoice(root: etree._Element) -> bool:
    return root_key(root) in MAPPERS


def map_einvoice(root: etree._Element, name: str = "XML") -> EInvoice:
    """The mapped invoice; ``XmlRejected("xml_unknown")`` for a root no mapper reads."""
    mapper = find_mapper(root)
    if mapper is None:
        namespace, local = root_key(root)
        raise XmlRejected("xml_unknown", f"{name} is XML but not an e-invoice format this "
                                         f"reader knows (root {local!r}"
                                         + (f" in {namespace!r}" if namespace else "") + ")")
    return mapper(root)
