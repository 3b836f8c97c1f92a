"""Bad input never crashes: each case gets a clear error or an exception row."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from backoffice.errors import InputRejected
from robots.reconcile.rules import Rules
from robots.reconcile.service import reconcile, result_json
from tests.reconcile.conftest import write_csv, write_xlsx

LEDGER = [["Invoice", "Due date", "Amount"], ["INV-1001", date(2024, 3, 1), 10.0]]


def _reconcile(tmp_path: Path, left: Path, rules: Rules | None = None):
    right = write_xlsx(tmp_path / "ledger.xlsx", LEDGER)
    return reconcile([left], [right], rules or Rules(), out=tmp_path / "report.xlsx")


def _rejected(tmp_path: Path, left: Path, rules: Rules | None = None) -> InputRejected:
    with pytest.raises(InputRejected) as err:
        _reconcile(tmp_path, left, rules)
    assert not (tmp_path / "report.xlsx").exists()
    return err.value


def test_missing_amount_column_is_rejected_naming_the_headers(tmp_path: Path) -> None:
    left = write_xlsx(tmp_path / "bank.xlsx", [["Date", "Reference", "Payer"],
                                               [date(2024, 3, 1), "INV-1001", "A"]])
    err = _rejected(tmp_path, left)
    assert err.code == "missing_column"
    assert "amount" in err.message and "bank.xlsx" in err.message


def test_rules_column_that_is_not_in_the_header_is_rejected(tmp_path: Path) -> None:
    left = write_xlsx(tmp_path / "bank.xlsx", [["Date", "Amount"], [date(2024, 3, 1), 10]])
    rules = Rules.model_validate({"left": {"columns": {"amount": "Kwota PLN"}}})
    err = _rejected(tmp_path, left, rules)
    assert err.code == "missing_column" and "Kwota PLN" in err.message


def test_empty_sheet_and_header_only_sheet_are_rejected(tmp_path: Path) -> None:
    assert _rejected(tmp_path, write_xlsx(tmp_path / "a.xlsx", [])).code == "missing_column"
    header_only = write_xlsx(tmp_path / "b.xlsx", [["Date", "Amount", "Reference"]])
    assert _rejected(tmp_path, header_only).code == "empty_sheet"
    empty = tmp_path / "c.csv"
    empty.write_bytes(b"")
    assert _rejected(tmp_path, empty).code == "empty_file"


def test_password_protected_workbook_is_rejected(tmp_path: Path) -> None:
    # Excel stores an encrypted .xlsx as an OLE compound file, not a zip.
    left = tmp_path / "locked.xlsx"
    left.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    err = _rejected(tmp_path, left)
    assert err.code == "password_protected" and "password" in err.message


def test_corrupt_workbook_is_rejected(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [["Date", "Amount"], [date(2024, 3, 1), 1]])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:700])
    assert _rejected(tmp_path, broken).code == "corrupt_workbook"


def test_text_where_a_number_belongs_is_an_exception_row(tmp_path: Path) -> None:
    left = write_xlsx(tmp_path / "bank.xlsx", [
        ["Date", "Amount", "Reference"],
        [date(2024, 3, 1), "n/a", "INV-1001"],
        [date(2024, 3, 1), "10,00", "INV-1001"],
    ])
    data = result_json(_reconcile(tmp_path, left))
    assert [m["left"] for m in data["matches"]] == [[3]]
    assert 2 in data["unmatched_left"]
    assert ("bad_amount", 2) in {(e["kind"], e["row"]) for e in data["exceptions"]}


def _sheet_declaring_rows(path: Path, rows: int) -> Path:
    """A workbook whose sheet declares ``rows`` rows, as a full-height export does."""
    write_xlsx(path, [["Date", "Amount"], [date(2024, 3, 1), 1]])
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    name = "xl/worksheets/sheet1.xml"
    declared = f'<dimension ref="A1:B{rows}"'.encode()
    parts[name] = parts[name].replace(b'<dimension ref="A1:B2"', declared)
    with zipfile.ZipFile(path, "w") as dst:
        for n, data in parts.items():
            dst.writestr(n, data)
    return path


def test_full_height_sheet_is_refused_before_it_is_loaded(tmp_path: Path) -> None:
    left = _sheet_declaring_rows(tmp_path / "huge.xlsx", 1_048_576)
    err = _rejected(tmp_path, left)
    assert err.code == "too_many_rows" and "1,048,576" in err.message


def test_row_limit_stops_a_stream_with_a_clear_error(tmp_path: Path) -> None:
    rows = [["Date", "Amount"]] + [["2024-03-01", str(n)] for n in range(1, 60)]
    left = write_csv(tmp_path / "bank.csv", rows)
    err = _rejected(tmp_path, left, Rules(max_rows=50))
    assert err.code == "too_many_rows" and "50" in err.message


@pytest.mark.slow
def test_a_real_1048576_row_csv_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    left = tmp_path / "huge.csv"
    with left.open("w") as fh:
        fh.write("Date;Amount;Reference\n")
        for n in range(1_048_575):
            fh.write(f"01.03.2024;{n % 1000},00;R{n}\n")
    err = _rejected(tmp_path, left)
    assert err.code == "too_many_rows"
