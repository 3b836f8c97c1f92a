"""The invoice review in a real Chromium: the PDF beside the extracted fields, a correction
that makes the validations pass live, and an approval that posts the invoice to the demo ERP.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from backoffice.browser import launch_options
from backoffice.engine import Engine
from backoffice.ledger import Ledger
from backoffice.registry import Registry
from backoffice.states import ItemState
from tests.conftest import make_settings
from tests.web.conftest import PASSWORD, LiveServer, WebEnv, add_users, screenshot

MISSING = [m for m in ("robots.invoices.robot", "robots.invoices.samples", "robots.erp.robot",
                       "robots.erp.demo") if importlib.util.find_spec(m) is None]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(bool(MISSING), reason=f"the invoice workflow is not installed: "
                                             f"{', '.join(MISSING)} missing"),
]
ERP_PASSWORD = "demo-erp-password-1"


@pytest.fixture(scope="module")
def invoice_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebEnv, Any]]:
    from robots.erp.demo import running_demo_erp
    from robots.invoices.samples import DEMO_VENDORS

    base = tmp_path_factory.mktemp("invoices")
    settings = make_settings(base, secrets={"erp_password": ERP_PASSWORD})
    ledger = Ledger.open(settings.db_url)
    registry = Registry(settings)
    add_users(ledger)
    from backoffice.web import create_app

    env = WebEnv(settings, ledger, registry, create_app(settings, ledger, registry))
    with running_demo_erp(base / "erp", users={"demo": ERP_PASSWORD},
                                          vendors=DEMO_VENDORS) as erp, \
            LiveServer(env.app) as server:
        env.url = server.url  # type: ignore[attr-defined]
        yield env, erp
    ledger.close()


def test_operator_corrects_an_invoice_and_it_is_posted_to_the_demo_erp(invoice_env):
    from playwright.sync_api import sync_playwright

    from robots.invoices.samples import generate_invoices

    env, erp = invoice_env
    folder = env.settings.inputs / "invoices"
    # Seed 1: an invoice whose printed total is off by one (nothing else wrong with it).
    generate_invoices(folder, 1, seed=1, review_share=1.0, faults=["total_mismatch"],
                      languages=["en"])
    run = Engine(env.settings, env.ledger, env.registry).run(
        "invoice-to-erp", params={"erp_url": erp.url}
    )
    waiting = env.ledger.items(run.id, states=[ItemState.REVIEW])
    assert len(waiting) == 1, [(i.state, i.reasons) for i in env.ledger.items(run.id)]
    item = waiting[0]
    invoice = item.payload["invoice"]
    assert any("total_mismatch" in r for r in item.reasons)
    posted_before = {i.get("invoice_number") for i in erp.invoices()}
    assert invoice["invoice_number"] not in posted_before

    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options(env.settings))
        page = browser.new_page(base_url=env.url, viewport={"width": 1366, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto("/login")
        page.fill("input[name=username]", "olli")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/runs"))

        page.goto(f"/review/{item.id}")
        expect(page.get_by_test_id("pdf")).to_have_attribute("data-rendered", re.compile(r"\d+"))
        expect(page.get_by_test_id("validation")).to_contain_text("total_mismatch")
        screenshot(page, "review-invoice")

        # The reviewer reads the total off the PDF: net + tax. The checks re-run as they type.
        total = f"{float(invoice['net_amount']) + float(invoice['tax_amount']):.2f}"
        page.get_by_test_id("field-total_amount").fill(total)
        expect(page.get_by_test_id("validation")).to_have_text("All validations pass.")
        screenshot(page, "review-invoice-corrected")
        page.get_by_test_id("approve").click()
        page.wait_for_url(re.compile(rf".*/runs/{run.id}.*"))
        # The poster opens its own browser in the server: give a busy machine time.
        expect(page.locator(f"tr[id='item-{item.id}'] .badge")).to_have_text("DONE",
                                                                         timeout=90_000)
        screenshot(page, "run-after-approval")
        browser.close()

    deadline = time.monotonic() + 30
    while env.ledger.item(item.id).state is not ItemState.DONE and time.monotonic() < deadline:
        time.sleep(0.2)
    after = env.ledger.item(item.id)
    assert after.state is ItemState.DONE
    assert after.payload["invoice"]["total_amount"] == total
    posted = {i.get("invoice_number"): i for i in erp.invoices()}
    assert invoice["invoice_number"] in posted
    (decision,) = env.ledger.reviews(item_id=item.id)
    assert decision["changes"] == {"total_amount": total}
    assert decision["minutes_spent"] is not None
