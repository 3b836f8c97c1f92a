from __future__ import annotations

from datetime import date, datetime

import pytest

from robots.reconcile.values import amount_cents, date_ordinal, infer_dayfirst, infer_decimal


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1 234,56", 123456),
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("1234.5", 123450),
        ("-12,30", -1230),
        ("12,30-", -1230),
        ("(1,000.00)", -100000),
        ("€ 99,90", 9990),
        ("1\u00a0000,00 EUR", 100000),
        ("1'234.50", 123450),
        ("1.234.567", 123456700),
        ("1,234", 123400),
        ("+45", 4500),
    ],
)
def test_amount_text_in_any_local_style_gives_cents(text: str, cents: int) -> None:
    assert amount_cents(text) == cents


def test_amount_numbers_are_rounded_to_cents() -> None:
    assert amount_cents(12.345000001) == 1235
    assert amount_cents(7) == 700


@pytest.mark.parametrize("text", ["n/a", "abc", "12 apples", "", "=1+1", "1,2,3.4.5x"])
def test_text_that_is_not_money_is_no_amount(text: str) -> None:
    assert amount_cents(text) is None


def test_three_decimals_after_one_comma_read_as_decimal_when_the_column_says_so() -> None:
    assert amount_cents("1,234", ",") == 123
    assert infer_decimal(["10,5", "1,234"]) == ","
    assert infer_decimal(["1,234.00"]) == "."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024-03-01 00:00:00", date(2024, 3, 1)),
        ("01.03.2024", date(2024, 3, 1)),
        ("1.3.24", date(2024, 3, 1)),
        ("20240301", date(2024, 3, 1)),
        (45352, date(2024, 3, 1)),
        ("45352", date(2024, 3, 1)),
        (datetime(2024, 3, 1, 12, 0), date(2024, 3, 1)),
        ("1 Mar 2024", date(2024, 3, 1)),
        ("March 1, 2024", date(2024, 3, 1)),
        ("1. März 2024", date(2024, 3, 1)),
        ("13/03/2024", date(2024, 3, 13)),
    ],
)
def test_dates_as_serials_cells_or_text_parse(value: object, expected: date) -> None:
    assert date_ordinal(value) == expected.toordinal()


def test_slashed_dates_follow_the_column_order() -> None:
    assert infer_dayfirst(["03/13/2024"]) is False
    assert date_ordinal("03/04/2024", False) == date(2024, 3, 4).toordinal()
    assert date_ordinal("03/04/2024", True) == date(2024, 4, 3).toordinal()


@pytest.mark.parametrize("value", ["31.02.2024", "tomorrow", 3.5, "2024-13-01"])
def test_impossible_dates_are_no_date(value: object) -> None:
    assert date_ordinal(value) is None
