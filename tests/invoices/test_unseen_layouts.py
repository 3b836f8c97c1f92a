"""The reader on hand-made invoices in layouts, vendors and languages the generator never
draws (``handmade.py`` and ``handmade_more.py``): labels above values, right-hand key/value
blocks, vendors named only in a footer, several VAT rates, discounts and shipping, credit
notes, a table continued on page 2, symbols instead of currency codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from robots.invoices.reader import Extraction
from robots.invoices.scoring import score
from robots.invoices.validate import reason_code

Results = dict[Path, tuple[Extraction, dict[str, Any]]]


def _by_name(results: Results, name: str) -> tuple[Extraction, dict[str, Any]]:
    return next(v for p, v in results.items() if p.stem == f"handmade-{name}")


def test_no_hand_made_invoice_is_ok_with_a_wrong_value(all_handmade: Results) -> None:
    result = score(all_handmade.values())
    assert len(all_handmade) >= 18
    assert result.wrong_ok == [], result.misses


def test_hand_made_invoices_meet_the_accuracy_targets(all_handmade: Results) -> None:
    result = score(all_handmade.values())
    assert result.field_accuracy >= 0.98, result.misses
    assert result.invoice_accuracy >= 0.90, result.misses


def test_a_table_continued_on_page_two_is_read_to_its_end(all_handmade: Results) -> None:
    result, truth = _by_name(all_handmade, "uk_two_pages")
    assert len(result.fields["lines"]) == len(truth["lines"]) == 21
    assert result.fields["net_amount"] == truth["net_amount"]


def test_a_vendor_named_only_in_the_footer_is_found(all_handmade: Results) -> None:
    for name in ("us_footer", "nl_footer"):
        result, truth = _by_name(all_handmade, name)
        assert result.fields["vendor_name"] == truth["vendor_name"], name


def test_a_quantity_in_kg_is_not_taken_for_a_kg_company(all_handmade: Results) -> None:
    result, _ = _by_name(all_handmade, "nl_footer")
    assert result.fields["vendor_name"] != "Koffiebonen espresso 1 kg"


def test_discount_and_shipping_between_subtotal_and_total_give_the_net(
        all_handmade: Results) -> None:
    result, truth = _by_name(all_handmade, "us_bill_ship")
    picked = {k: result.fields[k] for k in ("net_amount", "tax_amount", "total_amount")}
    assert picked == {k: truth[k] for k in picked}
    assert "lines_mismatch" not in {reason_code(r) for r in result.reasons}


def test_credit_notes_in_four_languages_are_negative(all_handmade: Results) -> None:
    for name in ("de_gutschrift", "fr_avoir", "pl_korekta", "us_credit"):
        result, truth = _by_name(all_handmade, name)
        assert result.fields["total_amount"] == truth["total_amount"], name
        assert result.fields["total_amount"].startswith("-"), name
        assert result.fields["invoice_number"] == truth["invoice_number"], name


def test_a_vat_number_before_the_iban_does_not_hide_the_iban(all_handmade: Results) -> None:
    for name in ("nl_footer", "se_faktura"):
        result, truth = _by_name(all_handmade, name)
        assert result.fields["iban"] == truth["iban"], name
        assert result.fields["currency"] == truth["currency"], name


def test_a_date_beside_a_title_is_not_the_invoice_number(all_handmade: Results) -> None:
    result, truth = _by_name(all_handmade, "pl_two_rates")
    assert result.fields["invoice_number"] == truth["invoice_number"] == "FV/2026/01/15"
