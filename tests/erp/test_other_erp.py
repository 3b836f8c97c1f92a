"""The form-map language drives a different ERP UI with no code change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backoffice.engine import Engine
from backoffice.ledger import Ledger, NewItem
from backoffice.registry import Registry
from backoffice.states import ItemState
from robots.erp.demo import serve_app
from tests.erp.conftest import OTHER_VENDOR, PASSWORD, make_invoice, poster_settings
from tests.erp.variant_erp import create_variant_app

pytestmark = pytest.mark.browser
FORM_MAP = Path(__file__).parent / "formmaps" / "variant_de.toml"


def line(description: str, amount: str, rate: str = "24") -> dict[str, str]:
    return {"description": description, "quantity": "1", "unit_price": amount,
            "amount": amount, "tax_rate": rate}


def run_variant(tmp_path: Path, invoices: list[dict[str, Any]]) -> tuple[list[Any], Any]:
    """Post ``invoices`` into a fresh variant ERP; the items as the ledger has them, the ERP."""
    app = create_variant_app(PASSWORD)
    served = serve_app(app)
    try:
        (tmp_path / "wf").mkdir()
        (tmp_path / "wf" / "variant.toml").write_text(f"""
name = "variant"
[[steps]]
robot = "erp_poster"
params = {{ form_map = "{FORM_MAP}", erp_user = "buchhaltung" }}
[retry]
backoff_seconds = 0.05
""")
        settings = poster_settings(tmp_path)
        ledger = Ledger.open(settings.db_url)
        items = [NewItem(key=str(n), payload={"invoice": inv}) for n, inv in enumerate(invoices)]
        engine = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01)
        run = engine.run("variant", items=items, params={"erp_url": served.url})
        done = ledger.items(run.id)
        ledger.close()
    finally:
        served.stop()
    return done, app.state.erp


def test_german_two_step_erp_with_random_ids_is_posted_through_its_form_map(
    tmp_path: Path,
) -> None:
    big = make_invoice(1, tax_id=OTHER_VENDOR["tax_id"], name=OTHER_VENDOR["name"],
                       net_amount="1000.00", tax_amount="240.00", total_amount="1240.00",
                       lines=[line("Wartung", "700.00"), line("Ersatzteile", "300.00")])
    unknown = make_invoice(2, tax_id="ATU00000000", name="Wiener Niemand GmbH")
    items, erp = run_variant(tmp_path, [big, unknown, big])
    states = [i.state for i in items]
    booked = erp.booked
    assert states == [ItemState.DONE, ItemState.REVIEW, ItemState.DONE]
    assert len(booked) == 1  # the third item is the first one again: found, not re-posted
    assert booked[0]["lieferant"] == OTHER_VENDOR["name"]
    assert booked[0]["datum"] == "01.03.2024"
    assert booked[0]["brutto"] == "1240.00"  # typed as 1.240,00
    assert [p.split("|")[1] for p in booked[0]["positionen"]] == [
        ln["amount"] for ln in big["lines"]]


def test_a_cent_the_erp_rounds_differently_per_line_goes_to_review_with_both_values(
    tmp_path: Path,
) -> None:
    # VAT rounded once over the invoice: 31.05 * 24% = 7.452 -> 7.45, total 38.50. The ERP
    # rounds each line's gross: 10.35 * 1.24 = 12.834 -> 12.83, three times 38.49.
    cent_off = make_invoice(3, tax_id=OTHER_VENDOR["tax_id"], name=OTHER_VENDOR["name"],
                            net_amount="31.05", tax_amount="7.45", total_amount="38.50",
                            lines=[line(f"Teil {n}", "10.35") for n in (1, 2, 3)])
    items, erp = run_variant(tmp_path, [cent_off])
    assert [i.state for i in items] == [ItemState.REVIEW]
    assert "38,49" not in items[0].reasons[0]  # read in the ERP's locale, shown as decimals
    assert "38.49" in items[0].reasons[0] and "38.50" in items[0].reasons[0]
    assert (items[0].payload["erp_value"], items[0].payload["invoice_value"]) == (
        "38.49", "38.50")
    assert erp.booked == []  # compared before booking: nothing was saved
