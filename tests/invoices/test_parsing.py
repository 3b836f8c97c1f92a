from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from robots.invoices.parsing import detect_date_order, detect_decimal, find_amounts, find_date


@pytest.mark.parametrize(("text", "decimal", "value"), [
    ("1 234,56", ",", "1234.56"), ("1.234,56", ",", "1234.56"), ("1,234.56", ".", "1234.56"),
    ("1\u00a0234,56 €", ",", "1234.56"), ("-12,50", ",", "-12.50"), ("(1,234.00)", ".", "-1234.00"),
    ("₹ 1,18,000.00", ".", "118000.00"), ("$539.99", ".", "539.99"),
])
def test_amounts_in_each_number_format(text: str, decimal: str, value: str) -> None:
    assert find_amounts(text, decimal) == [Decimal(value)]


def test_percentages_and_dates_are_not_amounts() -> None:
    assert find_amounts("ALV 25,5 %", ",") == []
    assert find_amounts("31.12.2026", ",") == []


def test_document_number_format_is_detected_from_unambiguous_amounts() -> None:
    assert detect_decimal("Summe 1.234,56 und 12,00") == ","
    assert detect_decimal("Total 1,234.56 and 3.10") == "."


@pytest.mark.parametrize("text", [
    "31.12.2026", "2026-12-31", "12/31/2026", "31 December 2026", "December 31, 2026",
    "31. joulukuuta 2026", "31. Dezember 2026", "31 grudnia 2026", "31 detsember 2026",
    "31 december 2026", "31 décembre 2026", "31-Dec-2026",
])
def test_dates_in_the_formats_and_languages_of_the_region(text: str) -> None:
    assert find_date(text, "dmy")[0] == date(2026, 12, 31)


def test_slash_date_order_follows_the_rest_of_the_document() -> None:
    assert detect_date_order("Date 03/14/2026 Due 04/13/2026") == "mdy"
    assert detect_date_order("Date 14/03/2026") == "dmy"
    assert detect_date_order("03/04/2026") is None
    assert find_date("03/04/2026", "mdy") == (date(2026, 3, 4), True)


@pytest.mark.parametrize(("text", "reference"), [
    ("Rechnung 181301674", "Rechnung 181301674"),  # free remittance text, quoted as printed
    ("RF18 5390 0754 7034", "RF18539007547034"),
    ("12345 67890", "1234567890"),
    ("INV-2026-7", "INV-2026-7"),
])
def test_a_payment_reference_is_kept_as_the_payer_must_quote_it(text: str,
                                                                reference: str) -> None:
    from robots.invoices.values import parse_reference

    assert parse_reference(text) == reference
