from __future__ import annotations

import pytest

from robots.invoices import checksums
from robots.invoices.samples import BUYERS, DEMO_VENDORS


@pytest.mark.parametrize("iban", ["FI2112345600000785", "DE89370400440532013000",
                                  "GB29 NWBK 6016 1331 9268 19", "NL91ABNA0417164300"])
def test_well_known_ibans_pass_mod97(iban: str) -> None:
    assert checksums.iban_valid(iban)


@pytest.mark.parametrize("iban", ["FI2112345600000786", "DE89370400440532013001", "FI21"])
def test_iban_with_a_changed_digit_fails(iban: str) -> None:
    assert not checksums.iban_valid(iban)


def test_finnish_ids_and_references() -> None:
    assert checksums.fi_business_id_valid("0112038-9")  # Nokia Oyj
    assert not checksums.fi_business_id_valid("0112038-8")
    assert checksums.fi_reference_valid("1232")
    assert checksums.fi_reference_valid("12345 61") and not checksums.fi_reference_valid("1234562")
    assert checksums.rf_reference_valid("RF18539007547034")
    assert not checksums.rf_reference_valid("RF19539007547034")


def test_national_ids_of_the_region() -> None:
    assert checksums.pl_nip_valid("526-000-12-46") is True
    assert checksums.pl_nip_valid("5260001247") is False
    assert checksums.se_org_number_valid("556036-0793")
    assert not checksums.se_org_number_valid("556036-0794")
    assert checksums.ee_registry_code_valid("10137319")
    assert not checksums.ee_registry_code_valid("10137318")
    assert checksums.luhn_valid("1234567897")


def test_vat_numbers_check_digit_and_format() -> None:
    assert checksums.vat_valid("DE136695976") is True
    assert checksums.vat_valid("DE136695977") is False
    assert checksums.vat_valid("GB980780684") is True
    assert checksums.vat_valid("NL812345678B01") is None  # format only
    assert checksums.vat_valid("NL8123B01") is False


def test_demo_vendors_and_buyers_carry_valid_ids() -> None:
    assert 10 <= len(DEMO_VENDORS) <= 15
    assert {v["country"] for v in DEMO_VENDORS} == {"FI", "EE", "PL", "DE", "SE", "GB"}
    for vendor in DEMO_VENDORS:
        assert set(vendor) == {"name", "tax_id", "country", "iban", "currency"}
        assert checksums.vat_valid(vendor["tax_id"]) is True, vendor
        assert checksums.iban_valid(vendor["iban"]), vendor
    for buyer in BUYERS:
        assert checksums.vat_valid(buyer["tax_id"]) is True, buyer
