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
    assert checksums.vat_valid("NL004495445B01") is True  # the eleven test
    assert checksums.vat_valid("NL004495446B01") is False
    assert checksums.vat_valid("NL8123B01") is False
    assert checksums.vat_valid("CZ25123891") is None  # format only


# Examples as the schemes' own documentation and registers print them; each invalid one is
# a valid one with its check digit changed.
NATIONAL_IDS = [
    ("ar_cuit_valid", "20-05536168-2", "20-05536168-3"),
    ("ar_cuit_valid", "30-28274516-6", "30-28274516-7"),
    ("it_partita_iva_valid", "IT 00743110157", "00743110158"),
    ("es_nif_valid", "J99216582", "J99216583"),  # CIF, check digit
    ("es_nif_valid", "ES B-58378431", "B-58378432"),
    ("es_nif_valid", "54362315-K", "54362315-Z"),  # DNI, mod-23 letter
    ("es_nif_valid", "X-2482300W", "X-2482300A"),  # NIE
    ("pt_nif_valid", "PT 501 964 843", "PT 501 964 842"),
    ("be_enterprise_valid", "0403.019.261", "0403.019.262"),
    ("nl_btw_valid", "NL004495445B01", "NL004495446B01"),
    ("nl_btw_valid", "NL002455799B11", "NL002455799B12"),  # mod 97 (since 2020)
    ("at_uid_valid", "ATU13585627", "ATU13585626"),
    ("dk_cvr_valid", "DK 13585628", "DK 13585627"),
    ("no_org_number_valid", "NO 988 077 917 MVA", "988 077 918"),
    ("br_cnpj_valid", "16.727.230/0001-97", "16.727.230/0001-98"),
    ("ch_uid_valid", "CHE-100.155.212", "CHE-100.155.213"),
    ("ch_uid_valid", "CHE-107.787.577 IVA", "CHE-107.787.578 MWST"),
]


@pytest.mark.parametrize(("scheme", "valid", "invalid"), NATIONAL_IDS)
def test_national_tax_ids_pass_and_fail_their_check_digit(scheme: str, valid: str,
                                                           invalid: str) -> None:
    check = getattr(checksums, scheme)
    assert check(valid) is True
    assert check(invalid) is False


def test_a_cuit_must_start_with_a_kind_of_person_or_company() -> None:
    assert checksums.ar_cuit_valid("11-28274516-6") is False  # no such kind


@pytest.mark.parametrize(("vat", "valid"), [
    ("IT00743110157", True), ("IT00743110158", False), ("ESB58378431", True),
    ("ESB58378432", False), ("PT501964843", True), ("PT501964842", False),
    ("BE0403019261", True), ("BE0403019262", False), ("ATU13585627", True),
    ("ATU13585626", False), ("DK13585628", True), ("DK13585627", False),
])
def test_eu_vat_numbers_check_their_national_check_digit(vat: str, valid: bool) -> None:
    assert checksums.vat_valid(vat) is valid
    assert checksums.tax_id_valid(vat) is valid


def test_a_bare_national_id_is_vouched_for_by_any_scheme_it_passes() -> None:
    # printed in a shape only one scheme uses: its check digit decides
    assert checksums.tax_id_valid("30-28274516-6") is True
    assert checksums.tax_id_valid("30-28274516-7") is False
    assert checksums.tax_id_valid("16.727.230/0001-97") is True
    assert checksums.tax_id_valid("16.727.230/0001-98") is False
    assert checksums.tax_id_valid("0403.019.261") is True
    assert checksums.tax_id_valid("CHE-107.787.577 MWST") is True
    assert checksums.tax_id_valid("CHE-107.787.578") is False
    # bare digits may be another scheme's: a failed check is no verdict
    assert checksums.tax_id_valid("30282745166") is True
    assert checksums.tax_id_valid("30282745167") is None
    assert checksums.tax_id_valid("501964843") is True
    assert checksums.tax_id_valid("B58378431") is True


def test_demo_vendors_and_buyers_carry_valid_ids() -> None:
    assert 10 <= len(DEMO_VENDORS) <= 15
    assert {v["country"] for v in DEMO_VENDORS} == {"FI", "EE", "PL", "DE", "SE", "GB"}
    for vendor in DEMO_VENDORS:
        assert set(vendor) == {"name", "tax_id", "country", "iban", "currency"}
        assert checksums.vat_valid(vendor["tax_id"]) is True, vendor
        assert checksums.iban_valid(vendor["iban"]), vendor
    for buyer in BUYERS:
        assert checksums.vat_valid(buyer["tax_id"]) is True, buyer
