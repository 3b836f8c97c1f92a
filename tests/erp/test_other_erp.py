"""The form-map language drives a different ERP UI with no code change."""

from __future__ import annotations

from pathlib import Path

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


def test_german_two_step_erp_with_random_ids_is_posted_through_its_form_map(
    tmp_path: Path,
) -> None:
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
        big = make_invoice(1, tax_id=OTHER_VENDOR["tax_id"], name=OTHER_VENDOR["name"],
                           total_amount="1234.50")
        unknown = make_invoice(2, tax_id="ATU00000000", name="Wiener Niemand GmbH")
        items = [NewItem(key=str(n), payload={"invoice": inv})
                 for n, inv in enumerate([big, unknown, big])]
        engine = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01)
        run = engine.run("variant", items=items, params={"erp_url": served.url})
        states = [i.state for i in ledger.items(run.id)]
        ledger.close()
    finally:
        served.stop()
    booked = app.state.erp.booked
    assert states == [ItemState.DONE, ItemState.REVIEW, ItemState.DONE]
    assert len(booked) == 1  # the third item is the first one again: found, not re-posted
    assert booked[0]["lieferant"] == OTHER_VENDOR["name"]
    assert booked[0]["datum"] == "01.03.2024"
    assert booked[0]["brutto"] == "1234.50"  # typed as 1.234,50
    assert [p.split("|")[1] for p in booked[0]["positionen"]] == [
        line["amount"] for line in big["lines"]]
