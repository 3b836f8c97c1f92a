"""``bots demo``: run the whole story and say where everything is."""

from __future__ import annotations

from pathlib import Path

import click

from backoffice.cli.context import AppContext
from backoffice.config import Settings
from backoffice.models import WorkItem
from backoffice.roi import RoiReport
from backoffice.states import ItemState
from backoffice_demo.story import DemoResult, run_demo
from backoffice_demo.truth import score_invoices, score_reconciliation


@click.command("demo")
@click.option("--workers", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Browsers posting to the ERP at once.")
@click.option("--invoices", type=click.IntRange(1, 5000), default=40, show_default=True,
              help="Sample invoices to generate when inputs/invoices has none.")
@click.option("--recon-rows", type=click.IntRange(10, 200_000), default=400,
              show_default=True, help="Rows of the sample bank/ledger pair.")
@click.pass_obj
def demo(app: AppContext, workers: int, invoices: int, recon_rows: int) -> None:
    """Run the end-to-end demo on sample inputs against the bundled demo ERP."""
    from backoffice.roi import compute_roi, summary_lines
    from backoffice.roi.report import write_roi_html, write_roi_workbook

    result = run_demo(app, workers=workers, invoices=invoices, recon_rows=recon_rows)
    settings = result.settings
    report = compute_roi(app.ledger, settings)
    roi_xlsx = write_roi_workbook(report, settings.outputs / "roi.xlsx")
    roi_html = write_roi_html(report, settings.outputs / "roi.html")
    out = click.echo
    out("")
    _invoice_summary(app, result)
    _recon_summary(app, result)
    out("")
    for line in summary_lines(report):
        out(line)
    for line in projection_lines(compute_roi(app.ledger, settings, by="workflow"), settings):
        out(line)
    out("")
    out("Output files:")
    missing = []
    for path in [*result.outputs, roi_xlsx, roi_html]:
        ok = path.is_file() and path.stat().st_size > 0
        if not ok:
            missing.append(path)
        out(f"  {'' if ok else 'MISSING '}{path}")
    out(f"  ledger: {settings.db_url}")
    out("")
    out("See it all in the control room:")
    out("  .venv/bin/bots users add admin --role admin    # once; asks for a password")
    out(f"  .venv/bin/bots serve                          # then open "
        f"http://{settings.web.host}:{settings.web.port}")
    out(f"Demo finished in {result.seconds:.0f} s.")
    if missing or result.erp_duplicates:
        raise SystemExit(1)


def _invoice_summary(app: AppContext, result: DemoResult) -> None:
    run = result.invoice_run
    items = app.ledger.items(run.id)
    posted = [i for i in items if i.state is ItemState.DONE]
    review = [i for i in items if i.state is ItemState.REVIEW]
    failed = [i for i in items if i.state is ItemState.FAILED]
    skipped = [i for i in items if i.state is ItemState.SKIPPED]
    click.echo(f"Invoices (run {run.id}, {run.state.value}): {len(posted)} posted to the ERP, "
               f"{len(review)} waiting for review, {len(failed)} failed, "
               f"{len(skipped)} skipped as already handled")
    for item in review:
        click.echo(f"  review  {_name(item)}: {'; '.join(item.reasons)}")
    for item in failed:
        click.echo(f"  failed  {_name(item)}: {'; '.join(item.reasons)}")
    if skipped:
        click.echo(f"  skipped: {len(skipped)} input(s) already done, e.g. "
                   f"{_name(skipped[0])}: {skipped[0].reasons[0]}")
    einvoices = [(i, (i.payload.get("extraction") or {}).get("source")) for i in items
                 if i.state is not ItemState.SKIPPED]
    einvoices = [(i, source) for i, source in einvoices if source and source != "page"]
    if einvoices:
        click.echo("  e-invoices, fields from their XML: " + ", ".join(
            f"{_name(i)} ({source}) {'posted' if i.state is ItemState.DONE else i.state.value}"
            for i, source in einvoices))
    click.echo(f"  the demo ERP holds {result.erp_invoices} invoice(s); duplicates: "
               f"{result.erp_duplicates}")
    read = [(_name(i), i.state is ItemState.DONE, dict(i.payload.get("invoice") or {}))
            for i in items if i.state is not ItemState.SKIPPED]
    score = score_invoices(read, result.settings.outputs / "demo" / "truth" / "invoices")
    if score is not None:
        click.echo(f"  checked against the sample generator's truth: {score.fields_right} of "
                   f"{score.fields} fields right on {score.invoices} invoices; posted with a "
                   f"wrong value: {len(score.posted_wrong)}")


def _recon_summary(app: AppContext, result: DemoResult) -> None:
    run = result.recon_run
    for item in app.ledger.items(run.id):
        if item.state is ItemState.DONE:
            p = item.payload
            rate = p.get("match_rate")
            click.echo(
                f"Reconciliation (run {run.id}): match rate "
                f"{rate:.1%}" if isinstance(rate, int | float) else
                f"Reconciliation (run {run.id}): done",
            )
            click.echo(f"  matched {p.get('matched')}, unmatched bank {p.get('unmatched_left')}, "
                       f"unmatched ledger {p.get('unmatched_right')}, "
                       f"exceptions {p.get('exceptions')}")
            truth = result.settings.outputs / "demo" / "truth" / "recon" / "truth.json"
            report = p.get("report")
            score = (score_reconciliation(Path(report).with_suffix(".json"), truth)
                     if report else None)
            if score is not None:
                click.echo(f"  checked against the sample generator's truth: {score.right} of "
                           f"{score.made} matches right, {score.expected} expected "
                           f"(F1 {score.f1:.3f})")
        else:
            click.echo(f"Reconciliation (run {run.id}): {item.state.value} "
                       f"{'; '.join(item.reasons)}")


MONTHLY_INVOICES = 400  # a mid-sized finance team's supplier invoices per month


def projection_lines(by_workflow: RoiReport, settings: Settings) -> list[str]:
    """Scale the measured savings per invoice to a month's volume: a projection, said so."""
    row = next((r for r in by_workflow.rows if r.key == "invoice-to-erp"), None)
    if row is None or not row.items:
        return []
    minutes = row.hours_saved * 60 / row.items
    hours = MONTHLY_INVOICES * minutes / 60
    money = hours * settings.roi.hourly_cost
    inv = settings.roi.investment
    upkeep = inv.licence_per_month + inv.maintenance_hours_per_month * settings.roi.hourly_cost
    cur = settings.roi.currency
    lines = [
        f"Projection (not a measurement): at {MONTHLY_INVOICES} invoices a month, the measured "
        f"{minutes:.1f} min saved per invoice is {hours:.0f} h and {money:,.0f} {cur} a month",
    ]
    if inv.build_cost and money > upkeep:
        months = inv.build_cost / (money - upkeep)
        lines.append(f"  the {inv.build_cost:,.0f} {cur} build cost (+{upkeep:,.0f} {cur}/month "
                     f"upkeep) pays back in {months:.1f} months; set [roi] in bots.toml")
    return lines


def _name(item: WorkItem) -> str:
    """The name the file came in with (an archived copy may carry a numbered suffix)."""
    name = item.payload.get("file_name")
    if name:
        return str(name)
    return Path(item.files[0]).name if item.files else "?"
