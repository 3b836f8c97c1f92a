"""The one parser for XML from outside: e-invoices, bank statements, anything a robot is
handed. It lives in the core so every robot parses untrusted XML the same way.

Guarantees, whatever the bytes are:
- no entity is ever expanded and no DTD is ever loaded: a document with an ``<!ENTITY``
  declaration or a DOCTYPE with an internal subset (``[...]``) is refused before parsing
  ("billion laughs", XXE such as ``file:///etc/passwd``), and checked again on the parsed
  tree (a declaration hidden by another encoding). A bare DOCTYPE that only names an
  external DTD (``<!DOCTYPE Finvoice SYSTEM "Finvoice.dtd">``, as Finvoice 1.x writers put
  it) is blanked out before parsing, so the parser never sees it and never loads the DTD
  (libxml2 would, from a local path, with ``collect_ids=False``); an entity the DTD might
  have declared is then a malformed document;
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
# A declaration in any ASCII-compatible encoding. UTF-16/32 documents are caught after
# parsing by the docinfo check below.
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_QUOTED = rb"""(?:"[^"<>\[\]]*"|'[^'<>\[\]]*')"""
# The one DOCTYPE accepted: a root name and an external identifier, no internal subset.
_BARE_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[\w.:-]+(?:\s+(?:SYSTEM\s+" + _QUOTED
                           + rb"|PUBLIC\s+" + _QUOTED + rb"\s+" + _QUOTED + rb"))?\s*>")


class XmlRejected(InputRejected):
    """XML that cannot or must not be read: the file is kept, the item fails with the code."""


def hardened_parser() -> etree.XMLParser:
    """lxml's parser with every expansion and load off; ``parse_xml`` adds the refusals."""
    # A parser per call: lxml parsers keep state (error log) and are not thread-safe.
    # Not collect_ids=False: lxml sets it as libxml2's XML_SKIP_IDS "loadsubset" flag, and
    # any such flag makes libxml2 read a DOCTYPE's external DTD (a local file, /dev/zero).
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


def parse_xml(data: bytes, *, name: str = "XML",
              max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """The root element of ``data``; :class:`XmlRejected` when it is not safe, well-formed XML."""
    if len(data) > max_bytes:
        raise XmlRejected("xml_too_large", f"{name} is {len(data):,} bytes, over the limit of "
                                           f"{max_bytes:,} bytes for XML")
    if not data.strip():
        raise XmlRejected("xml_empty", f"{name} is empty")
    declarations = _DECLARATION.findall(data)
    bare = _BARE_DOCTYPE.search(data) if len(declarations) == 1 else None
    if declarations and bare is None:
        raise XmlRejected("xml_forbidden", f"{name} declares entities or an internal DTD; XML "
                                           "with those is refused (XXE / entity bombs)")
    if bare is not None:  # the only declaration, declaring nothing: never shown the parser
        data = data[:bare.start()] + b" " * (bare.end() - bare.start()) + data[bare.end():]
    try:
        root = etree.fromstring(data, hardened_parser())
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
