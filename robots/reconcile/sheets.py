"""Opening a spreadsheet or CSV file as a stream of (row number, cells).

Workbooks are read with python-calamine (measured several times faster than openpyxl's
read-only mode on a 100,000-row statement; openpyxl is kept for writing). A sheet whose
declared size is beyond the row limit is refused before any of it is loaded, so a
1,048,576-row sheet costs milliseconds and no memory. Every way a file can be unreadable
becomes ``InputRejected`` with a reason a person understands.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine

from backoffice.errors import InputRejected
from robots.reconcile.camt import camt_rows, is_camt
from robots.reconcile.mt940_statement import is_mt940, mt940_rows

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx is an OLE container
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:?[A-Z]*(\d*)"')
_DELIMITERS = (";", ",", "\t", "|")


@dataclass
class Sheet:
    """One sheet: its name and a stream of (1-based row number, cells)."""

    name: str
    rows: Iterator[tuple[int, list[Any]]]


def open_sheets(path: Path, *, max_rows: int) -> Iterator[Sheet]:
    """The sheets of ``path`` in order (a CSV file has one)."""
    if not path.is_file():
        raise InputRejected("file_missing", f"{path.name}: file not found")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if not head:
        raise InputRejected("empty_file", f"{path.name}: the file is empty (0 bytes)")
    suffix = path.suffix.lower()
    if is_camt(head):  # picked by content: banks name these .xml, .053, .txt or nothing
        yield Sheet(name=path.stem, rows=camt_rows(path))
        return
    if is_mt940(head):
        yield Sheet(name=path.stem, rows=mt940_rows(path))
        return
    if head[:8] == _OLE_MAGIC and suffix in {".xlsx", ".xlsm"}:
        raise InputRejected(
            "password_protected",
            f"{path.name}: the workbook is password-protected (encrypted); "
            "save an unprotected copy and try again",
        )
    if suffix in WORKBOOK_SUFFIXES or head.startswith(b"PK") or head[:8] == _OLE_MAGIC:
        yield from _workbook_sheets(path, max_rows)
    else:
        yield Sheet(name=path.stem, rows=_csv_rows(path))


def _workbook_sheets(path: Path, max_rows: int) -> Iterator[Sheet]:
    _refuse_oversized(path, max_rows)
    try:
        wb = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise InputRejected(
            "password_protected", f"{path.name}: the workbook is password-protected"
        ) from None
    except Exception as exc:  # calamine raises many kinds for a damaged file
        raise InputRejected(
            "corrupt_workbook", f"{path.name}: not a readable workbook ({_short(exc)})"
        ) from None
    for meta in wb.sheets_metadata:
        if str(meta.typ) != str(calamine.SheetTypeEnum.WorkSheet):
            continue
        try:
            sheet = wb.get_sheet_by_name(meta.name)
        except Exception as exc:
            raise InputRejected(
                "corrupt_workbook", f"{path.name}: sheet {meta.name!r} unreadable ({_short(exc)})"
            ) from None
        if sheet.total_height > max_rows + 100:  # a sheet that declared no size
            raise _too_many(path, max_rows)
        yield Sheet(name=meta.name, rows=_numbered(sheet.iter_rows()))


def _numbered(rows: Any) -> Iterator[tuple[int, list[Any]]]:
    # calamine pads rows from the sheet's first row, so the index is the Excel row number.
    yield from enumerate(rows, start=1)


def _refuse_oversized(path: Path, max_rows: int) -> None:
    """Read each sheet's declared dimension (the first bytes of its XML) and refuse a sheet
    larger than the limit before calamine loads it whole."""
    try:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with zf.open(name) as fh:
                    m = _DIMENSION.search(fh.read(4096))
                if m and m[1] and int(m[1]) > max_rows + 100:  # title rows are allowed
                    raise _too_many(path, max_rows, declared=int(m[1]))
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # not a zip (xls, ods, damaged): calamine will say what is wrong


def _too_many(path: Path, max_rows: int, declared: int | None = None) -> InputRejected:
    size = f" ({declared:,} rows)" if declared else ""
    return InputRejected(
        "too_many_rows",
        f"{path.name}: the sheet is larger than the limit of {max_rows:,} rows{size}; "
        "split it, or raise max_rows in the rules file",
    )


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(path.read_bytes())
    if "\x00" in text[:4096]:
        raise InputRejected("not_a_table", f"{path.name}: a binary file, not CSV or a workbook")
    delimiter = _sniff_delimiter(text[:16_384])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    yield from enumerate(reader, start=1)


# Letters that only one of the two Windows code pages makes from the same bytes: a Polish
# (cp1250) file read as cp1252 shows "³¹¿" where "łąż" belong, a Nordic (cp1252) file read as
# cp1250 shows "ĺőř" where "åõø" belong.
_CP1250_LETTERS = frozenset("łąęśżźćńŁĄĘŚŻŹĆŃšžčřŠŽČŘ")
_CP1252_LETTERS = frozenset("åõøæÅÕØÆšžŠŽ")


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else the Windows code page whose letters fit better."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    sample = raw[:262_144]
    central = sum(ch in _CP1250_LETTERS for ch in sample.decode("cp1250", errors="replace"))
    western = sum(ch in _CP1252_LETTERS for ch in sample.decode("cp1252", errors="replace"))
    return raw.decode("cp1250" if central > western else "cp1252", errors="replace")


def _sniff_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:40] if line.strip()]
    best, best_score = ",", (0, 0)
    for delim in _DELIMITERS:
        counts = [line.count(delim) for line in lines if line.count(delim)]
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        score = (counts.count(mode), mode)
        if score > best_score:
            best, best_score = delim, score
    return best


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
