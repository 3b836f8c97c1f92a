"""Public example statements (tests/reconcile/public/SOURCES.md) read with exact values:
entries numbered from 1 in statement order across statements, money in positive, the payer
and its IBAN, structured references apart from the free text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from robots.reconcile.reading import read_side
from robots.reconcile.rules import Rules
from robots.reconcile.service import reconcile, result_json
from tests.reconcile.conftest import write_xlsx

PUBLIC = Path(__file__).parent / "public"


def _rows(name: str) -> list[tuple]:
    side = read_side([PUBLIC / name], "left", Rules())
    assert side.issues == []
    return [(r.row, r.date, r.cents, r.name, r.account, r.ref) for r in side.records]


def test_camt053_minimal_gives_the_debtor_its_iban_and_the_scor_reference() -> None:
    assert _rows("camt053.v2.minimal.xml") == [
        (1, date(2014, 12, 31), 885, "NAME NAME", "NL56AGDH9619008421", "4654654654654654"),
    ]


def test_camt053_with_two_statements_numbers_entries_across_them() -> None:
    side = read_side([PUBLIC / "camt053.v2.multi.statement.xml"], "left", Rules())
    # The credit names no debtor; the debit's counterparty is its creditor.
    assert [(r.row, r.date, r.cents, r.name, r.account, r.text) for r in side.records] == [
        (1, date(2014, 12, 31), 885, "", "", "Transaction Description 1"),
        (2, date(2014, 12, 31), -700, "Company Name 2", "NL56AGDH9619008421",
         "Transaction Description 2"),
    ]


def test_german_structured_mt940_gives_payer_iban_and_purpose() -> None:
    rows = _rows("sepa_snippet.sta")
    assert [r[:3] for r in rows] == [
        (1, date(2007, 9, 4), 5099005),
        (2, date(2007, 9, 4), 15455193),
        (3, date(2007, 9, 4), 15455193),
        (4, date(2007, 9, 4), -150000),
        (5, date(2007, 9, 4), -8),
        (6, date(2007, 9, 4), 33533),
        (7, date(2007, 9, 4), 1500000),
        (8, date(2007, 9, 4), 1500005),
        (9, date(2007, 9, 4), 12500488),
        (10, date(2007, 9, 4), 91531155),
        (11, date(2007, 9, 4), -357256903),
    ]
    # ?32 and its continuation ?33 make one name; ?31 is the payer's IBAN.
    assert rows[0][3:5] == ("KARL KAUFMANN", "DE14508800500194785000")
    assert rows[1][3:5] == ("Quentin Quast", "DE03508800500194791600")
    assert rows[2][3:5] == ("Karl Kaufmann", "DE14508800500194785000")
    assert rows[8][3:5] == ("Richter Renate 70 Zeichen Beginn Fuellzeichen xxxxxxxx",
                            "DE42100100100043921105")
    # The bank wrote the SEPA keyword "KREF+" into the customer reference: not a reference.
    assert not rows[3][5].startswith("KREF")
    side = read_side([PUBLIC / "sepa_snippet.sta"], "left", Rules())
    assert "Strukturierter Verwendungszweck 30030004" in side.records[1].text


def test_abn_amro_mt940_with_header_lines_and_wrapped_messages() -> None:
    side = read_side([PUBLIC / "abnamro.sta"], "left", Rules())
    assert [(r.row, r.date, r.cents) for r in side.records] == [
        (1, date(2011, 5, 24), -900),
        (2, date(2011, 5, 23), -1159),
        (3, date(2011, 5, 23), -1163),
        (4, date(2011, 5, 23), -1180),
        (5, date(2011, 5, 23), -1345),
        (6, date(2011, 5, 23), -1549),
        (7, date(2011, 5, 23), -10700),
        (8, date(2011, 5, 23), -14148),
        (9, date(2011, 5, 24), -949),
        (10, date(2011, 5, 24), -1500),
    ]
    first = side.records[0].text
    assert "KPN - DIGITENNE" in first and "BETREFT FACTUUR D.D. 20-05-2011" in first
    assert side.records[9].text.endswith("MYCOM DEN HAAG")


def test_public_statements_match_a_ledger_by_their_references(tmp_path: Path) -> None:
    ledger = write_xlsx(tmp_path / "ledger.xlsx", [
        ["Invoice no", "Customer", "Invoice date", "Open amount", "Reference"],
        ["INV-1", "Name Name", "2014-12-20", 8.85, "4654654654654654"],
        ["INV-2", "Quentin Quast", "2007-08-30", 154551.93, "30030004"],
        ["INV-3", "Karl Kaufmann", "2007-08-30", 154551.93, "50050004"],
    ])
    camt = result_json(reconcile([PUBLIC / "camt053.v2.minimal.xml"], [ledger], Rules(),
                                 out=tmp_path / "camt.xlsx"))
    assert [(m["left"], m["right"], m["kind"]) for m in camt["matches"]] == [
        ([1], [2], "exact")]
    mt940 = result_json(reconcile([PUBLIC / "sepa_snippet.sta"], [ledger], Rules(),
                                  out=tmp_path / "mt940.xlsx"))
    # Two payments of the same amount on the same day, told apart by their purpose only.
    assert sorted((m["left"], m["right"]) for m in mt940["matches"]) == [
        ([2], [3]), ([3], [4])]
