"""ERP poster throughput against the demo ERP (latency 0): invoices per minute with 1 and 2
browser contexts (engine workers), and the ratio to a bare Playwright script that fills the
same form with no engine, no lookup, no tracing and no ledger.

    .venv/bin/python bench/erp.py [--invoices 40]

Targets: >= 60/min with one context, >= 1.7x that with two, ratio (bare / robot) <= 1.5.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

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


def robot_rate(folder: Path, url: str, invoices: list[dict], workers: int,
               **params: object) -> float:
    write_workflow(folder / "wf", name="erp-bench", workers=workers)
    settings = poster_settings(folder)
    ledger = Ledger.open(settings.db_url)
    items = [NewItem(key=f"{workers}-{i['invoice_number']}", payload={"invoice": i})
             for i in invoices]
    engine = Engine(settings, ledger, Registry(settings))
    start = time.perf_counter()
    run = engine.run("erp-bench", items=items, params={"erp_url": url, **params})
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


@contextmanager
def erp_process(folder: Path, *options: str, log: Path | None = None) -> Iterator[str]:
    """The demo ERP as its own server process, as a real ERP is: in-process it would share
    the robot's interpreter lock and the benchmark would measure that contention instead.
    ``options`` are more `bots erp-demo` flags (failure rates, slow pages, a seed); ``log``
    keeps its stderr."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vendors.json").write_text(json.dumps([VENDOR]))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "backoffice", "erp-demo", "--port", str(port),
         "--vendors", str(folder / "vendors.json"), "--db", str(folder / "erp.sqlite3"),
         *options],
        cwd=folder, env={**os.environ, "BOTS_SECRET_ERP_PASSWORD": PASSWORD},
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb") if log is not None else subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("the demo ERP did not start")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextmanager
def erp_in_process(folder: Path) -> Iterator[str]:
    with running_demo_erp(folder, vendors=[VENDOR], users={"demo": PASSWORD}) as erp:
        yield erp.url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invoices", type=int, default=40)
    parser.add_argument("--in-process", action="store_true",
                        help="run the demo ERP in this process (as the demo does)")
    args = parser.parse_args()
    n = args.invoices
    serve = erp_in_process if args.in_process else erp_process
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        with serve(base / "erp") as url:
            def batch(offset: int) -> list[dict]:
                return [make_invoice(offset + k) for k in range(n)]

            bare = bare_rate(base / "bare", url, batch(0))
            one = robot_rate(base / "one", url, batch(10_000), workers=1)
            two = robot_rate(base / "two", url, batch(20_000), workers=2)
            untraced = robot_rate(base / "untraced", url, batch(30_000), workers=1, trace=False)
    where = "in this process" if args.in_process else "in its own process"
    print(f"demo ERP:                  {where}")
    print(f"invoices per run:          {n} (2 lines each, latency 0)")
    print(f"bare Playwright script:    {bare:6.1f} invoices/min")
    print(f"robot, 1 context:          {one:6.1f} invoices/min   (target >= 60)")
    print(f"robot, 2 contexts:         {two:6.1f} invoices/min   "
          f"({two / one:.2f}x one context; target >= 1.7x)")
    print(f"ratio bare / robot (1):    {bare / one:6.2f}            (target <= 1.5)")
    print(f"robot, 1 context, no trace:{untraced:6.1f} invoices/min   "
          f"(ratio {bare / untraced:.2f}: what the failure trace costs)")


if __name__ == "__main__":
    main()
