"""The demo's story, told in the order an operations team lives it."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr
from rich.console import Console

from backoffice.cli.context import AppContext
from backoffice.cli.runs import BarProgress
from backoffice.config import Investment, Settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger
from backoffice.models import Run, Trigger
from backoffice.registry import Registry
from backoffice.states import ItemState, TriggerKind
from backoffice_demo.inputs import ensure_sample_inputs

DEMO_USER = "demo"
DEMO_ERP_PASSWORD = "demo-erp-Passw0rd"  # the bundled demo ERP's own account, not a real one


@dataclass
class DemoResult:
    settings: Settings
    invoice_run: Run
    recon_run: Run
    outputs: list[Path]
    erp_invoices: int
    erp_duplicates: int
    seconds: float


# What the demo assumes the automation cost, when bots.toml names no investment: a week of
# an integrator's time to set it up, no licence (open source), two hours a month of upkeep.
DEMO_INVESTMENT = Investment(build_cost=2400.0, licence_per_month=0.0,
                             maintenance_hours_per_month=2.0)


def demo_settings(settings: Settings) -> Settings:
    """The demo ERP's password as a secret and a sample investment, unless configured."""
    update: dict[str, object] = {}
    if "erp_password" not in settings.secrets:
        update["secrets"] = {**settings.secrets, "erp_password": SecretStr(DEMO_ERP_PASSWORD)}
    if settings.roi.investment == Investment() and not settings.roi.investments:
        update["roi"] = settings.roi.model_copy(update={"investment": DEMO_INVESTMENT})
    return settings.model_copy(update=update) if update else settings


def run_demo(
    app: AppContext, *, workers: int = 2, invoices: int = 40, recon_rows: int = 400
) -> DemoResult:
    from robots.erp.demo.server import running_demo_erp

    console = app.console
    started = time.monotonic()
    settings = demo_settings(app.settings)
    ledger, registry = app.ledger, app.registry
    console.rule("[bold]Backoffice Bots demo")
    made = ensure_sample_inputs(settings, invoices=invoices, recon_rows=recon_rows)
    console.print(f"Inputs under {settings.inputs}: generated {made.describe()}.")

    erp_folder = settings.outputs / "demo"
    erp_folder.mkdir(parents=True, exist_ok=True)
    password = settings.secret("erp_password")
    # The ERP's default vendors, as `bots erp-demo` has them: the sample invoices' vendors.
    with running_demo_erp(erp_folder, users={DEMO_USER: password}) as erp:
        console.print(f"Demo ERP running at {erp.url} (its database: {erp.db_path})")
        trigger = Trigger(kind=TriggerKind.MANUAL, actor="demo")
        invoice_run = _run(console, settings, ledger, registry, "invoice-to-erp", trigger,
                           params={"erp_url": erp.url, "erp_user": DEMO_USER}, workers=workers)
        stored = erp.invoices()
    recon_run = _run(console, settings, ledger, registry, "bank-reconciliation", trigger)

    keys = Counter((i.get("vendor_tax_id") or i.get("vendor"), i.get("invoice_number"))
                   for i in stored)
    duplicates = sum(n - 1 for n in keys.values() if n > 1)
    outputs = _outputs(settings, ledger, invoice_run, recon_run)
    return DemoResult(settings=settings, invoice_run=invoice_run, recon_run=recon_run,
                      outputs=outputs, erp_invoices=len(stored), erp_duplicates=duplicates,
                      seconds=time.monotonic() - started)


def _run(console: Console, settings: Settings, ledger: Ledger, registry: Registry, name: str,
         trigger: Trigger, *, params: dict[str, str] | None = None,
         workers: int | None = None) -> Run:
    with BarProgress(console, name) as bar:
        engine = Engine(settings, ledger, registry, progress=bar)
        return engine.run(name, trigger=trigger, params=params, workers=workers)


def _outputs(settings: Settings, ledger: Ledger, *runs: Run) -> list[Path]:
    """The files the demo's runs wrote (reports recorded in the ledger) and their logs."""
    from backoffice.ledger.events import iter_events

    found: list[Path] = []
    with ledger.reading() as conn:
        for run in runs:
            for event in iter_events(conn, run_id=run.id):
                if event.kind == "run.report_written" and event.payload.get("path"):
                    found.append(Path(event.payload["path"]))
    for run in runs:
        for item in ledger.items(run.id, states=[ItemState.DONE, ItemState.SKIPPED]):
            # A skipped input's report is the one the run that did it wrote.
            doer = ledger.item(item.skipped_from) if item.skipped_from else item
            report = doer.payload.get("report")
            if report:
                found.append(Path(report))
        found.append(settings.run_dir(run.id) / "log.jsonl")
    return list(dict.fromkeys(found))
