from __future__ import annotations

import pytest

from backoffice.locale import fold_words
from robots.reconcile.headers import find_header, map_columns


def test_header_is_found_below_title_rows() -> None:
    rows = [
        ["Kontoauszug"],
        ["IBAN DE12 3456"],
        [],
        ["Buchungstag", "Verwendungszweck", "Betrag", "Saldo"],
        ["01.03.2024", "RE 1001", "12,00", "100,00"],
    ]
    index = find_header(rows)
    assert index == 3
    cmap = map_columns(rows[3], 3)
    assert cmap.first("date") == 0
    assert cmap.first("reference") == 1
    assert cmap.first("amount") == 2  # never the running balance (Saldo)


@pytest.mark.parametrize(
    ("headers", "field", "column"),
    [
        (["Päivämäärä", "Summa", "Viite"], "reference", 2),
        (["Data", "Kwota", "Tytuł"], "amount", 1),
        (["Kuupäev", "Summa", "Viitenumber"], "reference", 2),
        (["Datum", "Belopp", "Referens"], "amount", 1),
        (["Date", "Debit", "Credit", "Description"], "credit", 2),
        (["Booking date", "Money in", "Money out", "Details"], "debit", 2),
        (["Invoice no", "Invoice date", "Due date", "Open amount", "Amount"], "date", 2),
        (["Invoice no", "Invoice date", "Due date", "Open amount", "Amount"], "amount", 3),
    ],
)
def test_columns_are_mapped_by_name_in_six_languages(
    headers: list[str], field: str, column: int
) -> None:
    assert map_columns(headers, 0).first(field) == column


def test_folding_ignores_case_accents_and_punctuation() -> None:
    assert fold_words("PÄIVÄ-MÄÄRÄ") == "paiva maara"
    assert fold_words("Tytuł") == "tytul"


def test_no_header_without_money_column() -> None:
    assert find_header([["Name", "Date"], ["x", "2024-01-01"]]) is None
