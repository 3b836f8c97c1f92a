"""SWIFT MT940 statements as a sheet, read with the maintained ``mt-940`` parser.

Rows are the statement's ``:61:`` entries in order, numbered from 1 (row 0 is a header made
here); money in is positive. The German structured ``:86:`` (``?20``..``?29`` purpose,
``?31`` IBAN, ``?32``/``?33`` name) gives the payer, its IBAN and the message; an RF
reference anywhere in the purpose becomes a reference key through the message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mt940

from backoffice.errors import InputRejected

HEADER = ["Booking date", "Amount", "Payer", "Payer IBAN", "Reference", "Message"]
_TAGS = re.compile(rb":(20|25|28C?|60[FM]):")
# A bank writes the SEPA keyword of the customer reference ("KREF+") into the field itself.
_SEPA_KEYWORD = re.compile(r"^(?:KREF|EREF|MREF)\+\s*")


def is_mt940(head: bytes) -> bool:
    """Whether the first bytes look like MT940: a ``:20:`` and an account or balance tag."""
    return b":20:" in head and len({m[1] for m in _TAGS.finditer(head)}) >= 2


def mt940_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # German banks send ISO 8859-1
    try:
        transactions = mt940.parse(text, options=mt940.Options(applicant_iban=True))
    except Exception as exc:  # the parser raises several kinds for a damaged file
        raise InputRejected("corrupt_statement",
                            f"{path.name}: not a readable MT940 statement ({exc})") from None
    yield 0, list(HEADER)
    for n, tx in enumerate(transactions, start=1):
        d = tx.data
        amount = d.get("amount")
        cents = str(amount.amount) if amount is not None else ""
        day = d.get("entry_date") or d.get("date")
        name = " ".join(str(d.get(k) or "") for k in ("applicant_name",)).strip()
        texts = [str(d.get(k) or "") for k in ("purpose", "additional_purpose",
                                               "end_to_end_reference", "posting_text")]
        if not d.get("purpose") and d.get("transaction_details"):
            texts.append(str(d["transaction_details"]))
        ref = _SEPA_KEYWORD.sub("", " ".join(str(d.get("customer_reference") or "").split()))
        if ref.upper() == "NONREF":
            ref = ""
        yield n, [day.isoformat() if day else "", cents, " ".join(name.split()),
                  str(d.get("applicant_iban") or d.get("gvc_applicant_iban") or ""), ref,
                  " ".join(t for t in texts if t)]
