"""ERP poster throughput against the demo ERP (latency 0): invoices per minute with 1 and 2
browser contexts (engine workers), and the ratio to a bare Playwright script that fills the
same form with no engine, no lookup, no tracing and no ledger.

    .venv/bin/python bench/erp.py [--invoices 40]

Targets: >= 60/min with one context, >= 1.7x that with two, ratio (bare / robot) <= 1.5.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from backoffice.browser import launch_options  # noqa: E402
from backoffice.engine import Engine  # noqa: E402
from backoffice.ledger import Ledger, NewItem  # noqa: E402
from backoffice.registry import Registry  # noqa: E402
from robots.erp.demo import running_demo_erp  # noqa: E402
from tests.erp.conftest import (  # noqa: E402
    PASSWORD,
    VENDOR,
    make_invoice,
    poster_settings,
    write_workflow,
)


def robot_rate(folder: Path, url: str, invoices: list[dict], workers: int) -> float:
    write_workflow(folder / "wf", name="erp-bench", workers=workers)
    settings = poster_settings(folder)
    ledger = Ledger.open(settings.db_url)
    items = [NewItem(key=f"{workers}-{i['invoice_number']}", payload={"invoice": i})
             for i in invoices]
    engine = Engine(settings, ledger, Registry(settings))
    start = time.perf_counter()
    run = engine.run("erp-bench", items=items, params={"erp_url": url})
    elapsed = time.perf_counter() - start
    ledger.close()
    assert run.counts.get("DONE") == len(invoices), run.counts
    return len(invoices) / elapsed * 60


def bare_rate(folder: Path, url: str, invoices: list[dict]) -> float:
    """What a throwaway script would do: sign in once, then fill and submit."""
    settings = poster_settings(folder)
    start = time.perf_counter()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options(settings))
        page = browser.new_context().new_page()
        page.goto(f"{url}/login")
        page.get_by_label("Username").fill("demo")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/invoices")
        for inv in invoices:
            page.goto(f"{url}/invoices/new")
            page.get_by_label("Vendor", exact=True).fill(inv["vendor_tax_id"])
            page.get_by_role("option").filter(has_text=inv["vendor_tax_id"]).click()
            page.get_by_label("Invoice number").fill(inv["invoice_number"])
            page.get_by_label("Invoice date").fill(inv["issue_date"])
            page.get_by_label("Due date").fill(inv["due_date"])
            page.get_by_label("Currency").select_option(inv["currency"])
            page.get_by_label("Payment reference").fill(inv["payment_reference"])
            page.get_by_label("IBAN").fill(inv["iban"])
            for n, line in enumerate(inv["lines"]):
                page.get_by_role("button", name="Add line").click()
                page.get_by_label("Description").nth(n).fill(line["description"])
                page.get_by_label("Quantity").nth(n).fill(line["quantity"])
                page.get_by_label("Unit price").nth(n).fill(line["unit_price"])
                page.get_by_label("VAT %").nth(n).fill(line["tax_rate"])
                page.get_by_label("Line amount").nth(n).fill(line["amount"])
            page.get_by_label("Net amount").fill(inv["net_amount"])
            page.get_by_label("VAT amount").fill(inv["tax_amount"])
            page.get_by_label("Total amount").fill(inv["total_amount"])
            page.get_by_role("button", name="Save invoice").click()
            page.locator(".document-number").wait_for()
        browser.close()
    return len(invoices) / (time.perf_counter() - start) * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invoices", type=int, default=40)
    n = parser.parse_args().invoices
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        with running_demo_erp(base / "erp", vendors=[VENDOR], users={"demo": PASSWORD}) as erp:
            def batch(offset: int) -> list[dict]:
                return [make_invoice(offset + k) for k in range(n)]

            bare = bare_rate(base / "bare", erp.url, batch(0))
            one = robot_rate(base / "one", erp.url, batch(10_000), workers=1)
            two = robot_rate(base / "two", erp.url, batch(20_000), workers=2)
    print(f"invoices per run:          {n} (2 lines each, latency 0)")
    print(f"bare Playwright script:    {bare:6.1f} invoices/min")
    print(f"robot, 1 context:          {one:6.1f} invoices/min   (target >= 60)")
    print(f"robot, 2 contexts:         {two:6.1f} invoices/min   "
          f"({two / one:.2f}x one context; target >= 1.7x)")
    print(f"ratio bare / robot (1):    {bare / one:6.2f}            (target <= 1.5)")


if __name__ == "__main__":
    main()
