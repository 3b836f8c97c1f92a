"""Generalising beyond the robot's own sample generator: pairs from an independent generator
(other layouts, languages, encodings and noise) and the export habits it exercises."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from robots.reconcile.keys import text_keys
from robots.reconcile.reading import read_side
from robots.reconcile.rules import Rules
from robots.reconcile.service import reconcile, result_json
from tests.reconcile.conftest import f1, truth_pairs, write_xlsx
from tests.reconcile.other_generator import generate_other_pair


@pytest.mark.parametrize(
    ("seed", "bank", "ledger", "fmt"),
    [(41, "en", "bc", "csv"), (42, "de", "fi", "xlsx"), (43, "sv", "de", "csv"),
     (44, "et", "bc", "xlsx"), (45, "pl", "fi", "csv")],
)
def test_pairs_from_another_generator_reach_the_f1_target(
    tmp_path: Path, seed: int, bank: str, ledger: str, fmt: str
) -> None:
    left, right, truth = generate_other_pair(tmp_path, 600, seed=seed, bank=bank,
                                             ledger=ledger, fmt=fmt)
    result = reconcile([left], [right], Rules(), out=tmp_path / "report.xlsx")
    assert f1(truth_pairs(result_json(result)), truth_pairs(truth)) >= 0.99


def test_soll_haben_marks_sign_an_unsigned_amount(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bank.xlsx", [
        ["Buchungstag", "Verwendungszweck", "Betrag", "Soll/Haben"],
        ["02.03.2026", "RE 1001", "1.200,00", "H"],
        ["03.03.2026", "Miete", "900,00", "S"],
    ])
    side = read_side([path], "left", Rules())
    assert [r.cents for r in side.records] == [120000, -90000]
    assert side.columns["sign"] == "Soll/Haben"


def test_a_cp1250_csv_keeps_its_polish_headers(tmp_path: Path) -> None:
    rows = "Data operacji;Tytuł;Kwota\r\n2026-03-02;Zapłata za fakturę FV/2026/03/7;1 234,56\r\n"
    path = tmp_path / "bank.csv"
    path.write_bytes(rows.encode("cp1250"))
    side = read_side([path], "left", Rules())
    assert side.columns["reference"] == "Tytuł"
    assert "FV2026037" in side.records[0].keys


def test_spaced_references_side_by_side_in_a_message_are_each_a_key() -> None:
    keys = text_keys("MÄKINEN OY 31137 32 31149 48 RF18 5390 0754 7034 thanks", 4)
    assert {"3113732", "3114948", "RF18539007547034"} <= set(keys)


def test_money_out_does_not_settle_an_invoice_of_the_same_amount(tmp_path: Path) -> None:
    header = ["Date", "Description", "Debit", "Credit"]
    invoices = [[f"INV-{n}", "Acme Oy", date(2026, 3, 1), 100.0 + n, f"{n}"]
                for n in range(1000, 1030)]
    paid = [[date(2026, 3, 2), f"ACME OY REF {n}", "", f"{100 + n:.2f}"] for n in range(1000, 1030)]
    left = write_xlsx(tmp_path / "bank.xlsx", [header, *paid,
                                               [date(2026, 3, 5), "Supplier AB", "250.00", ""]])
    right = write_xlsx(tmp_path / "ledger.xlsx", [
        ["Document No.", "Customer Name", "Due Date", "Remaining Amount", "Reference"],
        *invoices, ["INV-9", "Zeta Ltd", date(2026, 3, 4), 250.0, None]])
    data = result_json(reconcile([left], [right], Rules(), out=tmp_path / "r.xlsx"))
    assert len(data["matches"]) == 30
    assert 32 in data["unmatched_left"] and 32 in data["unmatched_right"]
