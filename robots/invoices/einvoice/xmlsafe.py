"""The one parser for XML from outside: e-invoices, and anything else a robot is handed.

Guarantees, whatever the bytes are:
- no entity is ever expanded and no DTD is loaded or even accepted: a document with a
  ``<!DOCTYPE`` or ``<!ENTITY`` declaration is refused before parsing ("billion laughs",
  XXE such as ``file:///etc/passwd``), and checked again on the parsed tree (a declaration
  hidden by another encoding);
- no network access (``no_network``), no huge-tree mode (libxml2's depth and text limits);
- a size limit checked before a byte is parsed (``max_bytes``, 5 MB by default);
- every failure is an :class:`XmlRejected` with a stable code (``xml_too_large``,
  ``xml_forbidden``, ``xml_malformed``, ``xml_empty``, ``xml_unknown``): the caller reports it
  as status ``error`` and keeps the file. Nothing loops or hangs: the work is bounded by the
  size limit.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from backoffice.errors import InputRejected

DEFAULT_MAX_BYTES = 5_000_000
# A declaration in the first bytes of any ASCII-compatible encoding. UTF-16/32 documents
# are caught after parsing by the docinfo check below.
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class XmlRejected(InputRejected):
    """XML that cannot or must not be read: the file is kept, the item fails with the code."""


def _parser() -> etree.XMLParser:
    # A parser per call: lxml parsers keep state (error log) and are not thread-safe.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True, collect_ids=False)


def parse_xml(data: bytes, *, name: str = "XML",
              max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """The root element of ``data``; :class:`XmlRejected` when it is not safe, well-formed XML."""
    if len(data) > max_bytes:
        raise XmlRejected("xml_too_large", f"{name} is {len(data):,} bytes, over the limit of "
                                           f"{max_bytes:,} bytes for XML")
    if not data.strip():
        raise XmlRejected("xml_empty", f"{name} is empty")
    if _DECLARATION.search(data):
        raise XmlRejected("xml_forbidden", f"{name} declares a DOCTYPE or an entity; XML with "
                                           "DTDs or entities is refused (XXE / entity bombs)")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise XmlRejected("xml_malformed", f"{name} is not well-formed XML ({exc})") from None
    except ValueError as exc:  # e.g. an encoding declaration lxml cannot use
        raise XmlRejected("xml_malformed", f"{name} cannot be decoded ({exc})") from None
    if root is None:
        raise XmlRejected("xml_malformed", f"{name} has no root element")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XmlRejected("xml_forbidden", f"{name} declares a DOCTYPE; XML with DTDs is "
                                           "refused")
    return root


def read_xml_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Parse a file, refusing it by its size before reading it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise XmlRejected("missing_file", f"{path.name} cannot be read ({exc.strerror})") from None
    if size > max_bytes:
        raise XmlRejected("xml_too_large", f"{path.name} is {size:,} bytes, over the limit of "
                                           f"{max_bytes:,} bytes for XML")
    return parse_xml(path.read_bytes(), name=path.name, max_bytes=max_bytes)
