"""The locale rules every robot shares (backoffice.locale)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.locale import (
    fold,
    fold_aligned,
    fold_words,
    iban_check_digits,
    iban_valid,
    month_number,
    parse_amount,
    parse_number,
    rf_check_digits,
    rf_valid,
)


def test_sharp_s_folds_to_ss_everywhere() -> None:
    assert fold("Straße") == fold("STRASSE") == "strasse"
    assert fold_words("Straße-Nr.") == "strasse nr"
    assert fold("Eräpäivä Łódź Øre Æble") == "erapaiva lodz ore aeble"


def test_aligned_fold_maps_folded_positions_back_to_the_text() -> None:
    text = "Fälligkeit Straße: 12.03.2026"
    folded, origin = fold_aligned(text)
    assert origin is not None
    at = folded.index(": ")
    assert text[origin[at]:] == ": 12.03.2026"
    assert fold_aligned("Eräpäivä") == ("erapaiva", None)  # same length: no map needed


def test_iban_and_rf_check_digits() -> None:
    assert iban_valid("FI21 1234 5600 0007 85")
    assert not iban_valid("FI21 1234 5600 0007 86")
    assert iban_valid("FI" + iban_check_digits("FI", "12345600000785") + "12345600000785")
    assert rf_valid("RF18 5390 0754 7034")
    assert not rf_valid("RF19 5390 0754 7034")
    assert rf_valid("RF" + rf_check_digits("INV2026") + "INV2026")
    assert not rf_valid("RF18")  # no body
    assert not rf_valid("RF18 $$$")


@pytest.mark.parametrize(("word", "month"), [
    ("joulukuuta", 12), ("kesäkuussa", 6), ("grudnia", 12), ("styczniu", 1), ("März", 3),
    ("Sept.", 9), ("lis", 11), ("décembre", 12), ("maart", 3), ("märts", 3),
])
def test_month_names_in_the_region_s_languages(word: str, month: int) -> None:
    assert month_number(word) == month


@pytest.mark.parametrize("word", ["Liste", "Junior", "Marsh", "total", ""])
def test_ordinary_words_are_not_months(word: str) -> None:
    assert month_number(word) is None


def test_numbers_in_a_known_format() -> None:
    assert parse_number("1 234,56", ",") == Decimal("1234.56")
    assert parse_number("1.234,56", ",") == Decimal("1234.56")
    assert parse_number("(1,234.56)", ".") == Decimal("-1234.56")
    assert parse_number("12.34.56", ",") is None


@pytest.mark.parametrize(("text", "value"), [
    ("1.234,56 €", "1234.56"), ("(1,234.56)", "-1234.56"), ("1 234,5-", "-1234.5"),
    ("EUR 12", "12"), ("1,234", "1234"), ("0,5", "0.5"), ("1'234.50", "1234.50"),
])
def test_amounts_whose_format_is_inferred(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "nan", "Infinity", "1,2,3.4.5x", "--"])
def test_text_that_is_no_amount_gives_none(text: str) -> None:
    assert parse_amount(text) is None
    assert parse_amount(float("nan")) is None
