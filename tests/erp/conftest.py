"""Fixtures for the ERP poster tests: a demo ERP on a free port, invoices built directly
(no reader involved) and an engine whose workflow has only the ``erp_poster`` step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from backoffice.config import Settings, load_settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger, NewItem
from backoffice.models import Run
from backoffice.registry import Registry
from robots.erp.demo import RunningErp, running_demo_erp

PASSWORD = "Tr0ub4dor-and-3-horses"
VENDOR = {"name": "Nordic Paper Oy", "tax_id": "FI12345671", "country": "FI",
          "iban": "FI2112345600000785", "currency": "EUR"}
OTHER_VENDOR = {"name": "Rhein Maschinenbau GmbH", "tax_id": "DE811907980", "country": "DE",
                "iban": "DE89370400440532013000", "currency": "EUR"}


def make_invoice(n: int, *, tax_id: str = VENDOR["tax_id"], name: str = VENDOR["name"],
                 one_line: bool = False, **changes: Any) -> dict[str, Any]:
    """An invoice as the reader hands it over: two lines (or one), net + VAT = total,
    so the ERP's own computed total agrees with it."""
    qty = n % 4 + 1
    line1 = f"{qty * 12.5:.2f}"
    delivery = 0 if one_line else 40
    net = f"{qty * 12.5 + delivery:.2f}"
    tax = f"{(qty * 12.5 + delivery) * 0.24:.2f}"
    invoice = {
        "invoice_number": f"INV-{n:04d}", "issue_date": "2024-03-01", "due_date": "2024-03-31",
        "vendor_name": name, "vendor_tax_id": tax_id, "buyer_name": "Backoffice Oy",
        "buyer_tax_id": "FI99999999", "currency": "EUR", "net_amount": net,
        "tax_amount": tax, "total_amount": f"{float(net) + float(tax):.2f}",
        "iban": VENDOR["iban"], "payment_reference": f"RF{n:06d}",
        "lines": [
            {"description": f"Copy paper A4 box #{n}", "quantity": str(qty),
             "unit_price": "12.50", "amount": line1, "tax_rate": "24"},
            {"description": "Delivery", "quantity": "1", "unit_price": "40.00",
             "amount": "40.00", "tax_rate": "24.00"},
        ][:1 if one_line else 2],
    }
    invoice.update(changes)
    return invoice


def write_workflow(folder: Path, name: str = "erp-test", *, workers: int = 1,
                   max_attempts: int = 4, form_map: str = "demo_erp",
                   report: bool = False) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    top = 'report = "robots.erp.report:write_summary"\n' if report else ""
    (folder / f"{name}.toml").write_text(f"""
name = "{name}"
{top}
[[steps]]
robot = "erp_poster"
params = {{ form_map = "{form_map}", erp_user = "demo" }}

[retry]
max_attempts = {max_attempts}
backoff_seconds = 0.05
backoff_max_seconds = 0.2

[concurrency]
workers = {workers}
breaker_threshold = 50
""")
    return name


@dataclass
class PosterEnv:
    base: Path
    settings: Settings
    ledger: Ledger
    erp: RunningErp

    def engine(self, **kwargs: Any) -> Engine:
        return Engine(self.settings, self.ledger, Registry(self.settings),
                      idle_poll_seconds=0.01, **kwargs)

    def run(self, invoices: list[dict[str, Any]], *, workflow: str = "erp-test",
            keys: list[str] | None = None, workers: int | None = None, **kwargs: Any) -> Run:
        items = [NewItem(key=(keys[n] if keys else f"item-{inv['invoice_number']}"),
                         payload={"invoice": inv}) for n, inv in enumerate(invoices)]
        return self.engine(**kwargs).run(workflow, items=items, params={"erp_url": self.erp.url},
                                         workers=workers)


def poster_settings(base: Path, password: str = PASSWORD) -> Settings:
    (base / "outputs").mkdir(parents=True, exist_ok=True)
    return load_settings(base_dir=base, env={"BOTS_SECRET_ERP_PASSWORD": password},
                         workflow_dirs=[base / "wf"])


@pytest.fixture
def poster_env(tmp_path: Path) -> Iterator[Callable[..., PosterEnv]]:
    """``poster_env(fail_rate=..., workers=..., ...)``: a demo ERP plus an engine for it."""
    stack: list[Any] = []

    def make(*, password: str = PASSWORD, workers: int = 1, max_attempts: int = 4,
             report: bool = False, **erp_options: Any) -> PosterEnv:
        cm = running_demo_erp(tmp_path / "erp", vendors=[VENDOR, OTHER_VENDOR],
                              users={"demo": PASSWORD}, **erp_options)
        erp = cm.__enter__()
        stack.append(cm)
        write_workflow(tmp_path / "wf", workers=workers, max_attempts=max_attempts,
                       report=report)
        settings = poster_settings(tmp_path, password)
        ledger = Ledger.open(settings.db_url)
        stack.append(ledger)
        return PosterEnv(base=tmp_path, settings=settings, ledger=ledger, erp=erp)

    yield make
    for thing in reversed(stack):
        if isinstance(thing, Ledger):
            thing.close()
        else:
            thing.__exit__(None, None, None)


def posted_once(erp: RunningErp) -> dict[tuple[str, str], dict[str, Any]]:
    """The ERP's invoices by (vendor tax id, invoice number); fails on any duplicate."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for inv in erp.invoices():
        key = (inv["vendor_tax_id"], inv["invoice_number"])
        assert key not in found, f"posted twice: {key}"
        found[key] = inv
    return found
