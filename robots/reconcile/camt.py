"""ISO 20022 bank-to-customer statements (camt.053) and notifications (camt.054) as a sheet.

A statement's rows are its entries in statement order, numbered from 1 (row 0 is a header
made here), so `left` rows in the JSON are entry numbers. Money in is positive. The payer is
the debtor of a credit entry (the creditor of a debit entry), with its IBAN; structured
creditor references (RF / SCOR) go to the reference column, unstructured remittance text
and the entry's additional information to the message. The XML is untrusted: parsed with
no entity expansion, no DTD and no network.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from backoffice.errors import InputRejected
from backoffice.xmlsafe import hardened_parser

HEADER = ["Booking date", "Amount", "Payer", "Payer IBAN", "Reference", "Message"]


def is_camt(head: bytes) -> bool:
    """Whether the first bytes of a file are a camt.053/054 document."""
    return b"<" in head[:200] and (b"camt.053" in head or b"camt.054" in head
                                    or b"BkToCstmrStmt" in head
                                    or b"BkToCstmrDbtCdtNtfctn" in head)


def _local(el: Any) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child(el: Any, *path: str) -> Any:
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if _local(c) == name), None)
    return el


def _text(el: Any, *path: str) -> str:
    found = _child(el, *path)
    return (found.text or "").strip() if found is not None else ""


def _party(details: Any, role: str) -> tuple[str, str]:
    parties = _child(details, "RltdPties")
    party = _child(parties, role)
    # camt.053.001.02 puts the name on the party, .08 and later one level down in Pty.
    name = _text(party, "Nm") or _text(party, "Pty", "Nm")
    iban = _text(parties, f"{role}Acct", "Id", "IBAN") or _text(
        parties, f"{role}Acct", "Id", "Othr", "Id")
    return name, iban


def _rows(root: Any) -> Iterator[list[Any]]:
    for entry in root.iter():
        if _local(entry) != "Ntry":
            continue
        amount = _text(entry, "Amt")
        debit = _text(entry, "CdtDbtInd") == "DBIT"
        day = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")[:10] or _text(
            entry, "ValDt", "Dt")
        details = _child(entry, "NtryDtls", "TxDtls")
        name, iban = _party(details, "Cdtr" if debit else "Dbtr")
        refs, texts = [], []
        remittance = _child(details, "RmtInf")
        if remittance is not None:
            for el in remittance.iter():
                if _local(el) == "Ustrd" and el.text:
                    texts.append(el.text.strip())
                elif _local(el) == "CdtrRefInf":
                    ref = _text(el, "Ref")
                    if ref:
                        refs.append(ref)
        extra = _text(entry, "AddtlNtryInf")
        if extra:
            texts.append(extra)
        signed = f"-{amount}" if debit and amount else amount
        yield [day, signed, name, iban, " ".join(refs), " ".join(texts)]


def camt_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    try:
        root = etree.parse(str(path), hardened_parser()).getroot()
    except etree.XMLSyntaxError as exc:
        raise InputRejected("corrupt_statement",
                            f"{path.name}: not well-formed camt XML ({exc})") from None
    yield 0, list(HEADER)
    yield from enumerate(_rows(root), start=1)
