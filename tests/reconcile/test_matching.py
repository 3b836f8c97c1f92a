"""Matching on hand-made pairs (each case one rule) and on generated pairs (F1)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from robots.reconcile.rules import Rules
from robots.reconcile.samples import generate_pair
from robots.reconcile.service import reconcile, result_json
from tests.reconcile.conftest import f1, truth_pairs, write_csv, write_xlsx

BANK_HEADER = ["Value date", "Payer", "Amount", "Reference", "Message"]
LEDGER_HEADER = ["Invoice no", "Customer", "Due date", "Open amount", "Reference"]


def _run(tmp_path: Path, bank: list[list[object]], ledger: list[list[object]], **rules: object):
    left = write_xlsx(tmp_path / "bank.xlsx", [["Statement"], [], BANK_HEADER, *bank])
    right = write_xlsx(tmp_path / "ledger.xlsx", [LEDGER_HEADER, *ledger])
    result = reconcile([left], [right], Rules(**rules), out=tmp_path / "report.xlsx")
    return result, result_json(result)


def _matches(data: dict) -> dict[tuple[int, ...], tuple[tuple[int, ...], str]]:
    return {tuple(m["left"]): (tuple(m["right"]), m["rule"]) for m in data["matches"]}


def test_exact_reference_and_amount_match_with_full_score(tmp_path: Path) -> None:
    _, data = _run(
        tmp_path,
        [[date(2024, 3, 2), "Acme Oy", "1 200,00", "1232", None]],
        [["INV-1", "Acme Oy", date(2024, 3, 1), 1200.0, "1232"],
         ["INV-2", "Acme Oy", date(2024, 3, 1), 1200.0, "4564"]],
    )
    assert data["matches"] == [{"left": [4], "right": [2], "rule": "exact_reference",
                                "kind": "exact", "difference": 0.0, "open_balance": 0.0,
                                "score": 1.0}]
    assert data["unmatched_right"] == [3]


def test_reference_with_a_typo_or_inside_a_message_matches_fuzzily(tmp_path: Path) -> None:
    _, data = _run(
        tmp_path,
        [[date(2024, 3, 2), "A", 100.0, "RF18539007547043", None],
         [date(2024, 3, 2), "B", 250.5, None, "payment for invoice INV-2024-0O13 thanks"]],
        [["INV-2024-0007", "A", date(2024, 3, 1), 100.0, "RF18539007547034"],
         ["INV-2024-0013", "B", date(2024, 3, 1), 250.5, None],
         ["INV-2024-0099", "C", date(2024, 3, 1), 250.5, None]],
    )
    found = _matches(data)
    assert found[(4,)] == ((2,), "fuzzy_reference")
    assert found[(5,)] == ((3,), "fuzzy_reference")
    assert all(0 < m["score"] <= 1 for m in data["matches"])


def test_amount_within_tolerance_and_date_window_matches_without_reference(
    tmp_path: Path,
) -> None:
    _, data = _run(
        tmp_path,
        [[date(2024, 3, 5), "Acme", 99.99, None, "Maksu"],
         [date(2024, 6, 5), "Acme", 55.0, None, "Maksu"]],
        [["INV-1", "Acme", date(2024, 3, 1), 100.0, None],
         ["INV-2", "Acme", date(2024, 3, 1), 55.0, None]],  # three months before: too far
        amount_tolerance=0.01,
    )
    assert _matches(data) == {(4,): ((2,), "amount_date")}
    assert data["unmatched_left"] == [5]


def test_one_payment_for_several_open_items_is_one_match(tmp_path: Path) -> None:
    _, data = _run(
        tmp_path,
        [[date(2024, 3, 9), "Beta GmbH", 600.0, None, "Rechnungen 5001, 5002, 5003"],
         [date(2024, 3, 9), "Gamma AB", 75.0, None, "Samlad betalning"]],
        [["5001", "Beta GmbH", date(2024, 3, 1), 100.0, None],
         ["5002", "Beta GmbH", date(2024, 3, 2), 200.0, None],
         ["5003", "Beta GmbH", date(2024, 3, 3), 300.0, None],
         ["7001", "Gamma AB", date(2024, 3, 4), 25.0, None],
         ["7002", "Gamma AB", date(2024, 3, 5), 50.0, None],
         ["7003", "Gamma AB", date(2024, 3, 6), 40.0, None]],
    )
    found = _matches(data)
    assert found[(4,)] == ((2, 3, 4), "reference_group")
    assert found[(5,)] == ((5, 6), "amount_group")
    assert data["unmatched_right"] == [7]


def test_partial_payment_is_a_match_with_its_balance_and_a_repeat_is_flagged(
    tmp_path: Path,
) -> None:
    _, data = _run(
        tmp_path,
        [[date(2024, 3, 2), "A", 40.0, "1232", None],
         [date(2024, 3, 3), "B", 70.0, "4564", None],
         [date(2024, 3, 3), "B", 70.0, "4564", None]],
        [["INV-1", "A", date(2024, 3, 1), 100.0, "1232"],
         ["INV-2", "B", date(2024, 3, 1), 70.0, "4564"]],
    )
    found = {tuple(m["left"]): m for m in data["matches"]}
    assert found[(4,)]["right"] == [2] and found[(4,)]["kind"] == "partial"
    assert found[(4,)]["open_balance"] == 60.0
    assert found[(5,)]["kind"] == "exact"
    assert data["unmatched_left"] == [6]
    assert {(e["kind"], e["row"]) for e in data["exceptions"]} == {("duplicate", 6)}


def test_kinds_rounding_instalments_and_one_to_many(tmp_path: Path) -> None:
    _, data = _run(
        tmp_path,
        [[date(2024, 3, 2), "Acme Oy", 99.97, "1232", None],  # 3 cents short
         [date(2024, 3, 3), "Beta AB", 300.0, "4564", None],  # two instalments
         [date(2024, 4, 3), "Beta AB", 200.0, "4564", None],
         [date(2024, 3, 9), "Gamma AB", 75.0, None, "7001 7002"],
         [date(2024, 3, 9), "Delta AS", 900.0, "8883", None]],  # more than the invoice
        [["INV-1", "Acme Oy", date(2024, 3, 1), 100.0, "1232"],
         ["INV-2", "Beta AB", date(2024, 3, 1), 500.0, "4564"],
         ["7001", "Gamma AB", date(2024, 3, 4), 25.0, None],
         ["7002", "Gamma AB", date(2024, 3, 5), 50.0, None],
         ["INV-5", "Delta AS", date(2024, 3, 5), 800.0, "8883"]],
        amount_tolerance=0.05,
    )
    found = {tuple(m["left"]): m for m in data["matches"]}
    assert found[(4,)]["kind"] == "rounding" and found[(4,)]["difference"] == -0.03
    assert found[(5, 6)]["kind"] == "instalments" and found[(5, 6)]["right"] == [3]
    assert found[(5, 6)]["open_balance"] == 0.0
    assert found[(7,)]["kind"] == "one_to_many" and found[(7,)]["right"] == [4, 5]
    assert (8,) not in found
    assert {(e["kind"], e["row"]) for e in data["exceptions"]} == {("overpayment", 8)}


def test_an_unknown_payer_with_another_customers_amount_is_only_a_suggestion(
    tmp_path: Path,
) -> None:
    _, data = _run(
        tmp_path,
        [[date(2024, 3, 2), "ACME OY", 120.0, None, "Maksu"],  # the customer itself
         [date(2024, 3, 3), "Zeta Logistics Ltd", 310.0, None, "Payment"],  # a stranger
         [date(2024, 3, 4), "KAJAANI TIMBER TRADI", 55.5, None, None]],  # cut short by the bank
        [["INV-1", "Acme Oy", date(2024, 3, 1), 120.0, None],
         ["INV-2", "Beta AB", date(2024, 3, 1), 310.0, None],
         ["INV-3", "Kajaani Timber Trading Oy", date(2024, 3, 2), 55.5, None]],
    )
    assert {tuple(m["left"]): tuple(m["right"]) for m in data["matches"]} == {
        (4,): (2,), (6,): (4,)}
    assert 5 in data["unmatched_left"] and 3 in data["unmatched_right"]
    suggestion = [e for e in data["exceptions"] if e["kind"] == "suggestion"]
    assert [(e["row"], e["related_row"]) for e in suggestion] == [(5, 3)]


def test_debit_and_credit_columns_in_a_csv_with_comma_decimals(tmp_path: Path) -> None:
    left = write_csv(tmp_path / "bank.csv", [
        ["Kontoutdrag"],
        ["Bokföringsdatum", "Text", "Uttag", "Insättning"],
        ["2024-03-02", "Faktura 88231", "", "1 050,25"],
        ["2024-03-03", "Hyra", "-900,00", ""],
    ])
    right = write_csv(tmp_path / "ledger.csv", [
        ["Fakturanummer", "Förfallodatum", "Belopp"],
        ["88231", "2024-03-01", "1050.25"],
    ], delimiter=",")
    result = reconcile([left], [right], Rules(), out=tmp_path / "r.xlsx")
    data = result_json(result)
    assert data["matches"][0]["left"] == [3] and data["matches"][0]["right"] == [2]
    assert data["unmatched_left"] == [4]
    assert [r.cents for r in result.left.records] == [105025, -90000]


def test_generated_pairs_reach_the_f1_target(tmp_path: Path) -> None:
    for seed in (3, 29):
        folder = tmp_path / str(seed)
        left, right, truth = generate_pair(folder, 1500, seed=seed)
        result = reconcile([left], [right], Rules(), out=folder / "report.xlsx")
        got = truth_pairs(result_json(result))
        assert f1(got, truth_pairs(json.loads(truth.read_text()))) >= 0.99


def test_same_input_gives_the_same_matches(tmp_path: Path) -> None:
    left, right, _ = generate_pair(tmp_path, 300, seed=5)
    first = result_json(reconcile([left], [right], Rules(), out=tmp_path / "a.xlsx"))
    second = result_json(reconcile([left], [right], Rules(), out=tmp_path / "b.xlsx"))
    assert first == second
