"""``bots roi``: hours and money saved, costs, net benefit, ROI % and the payback month."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from backoffice.cli.context import AppContext, emit_json
from backoffice.errors import ConfigError
from backoffice.roi import compute_roi, item_counterparties, summary_lines
from backoffice.roi.report import default_report_path, write_roi_html, write_roi_workbook

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@click.command("roi")
@click.option("--from", "start", type=DATE, help="First day (YYYY-MM-DD, UTC), inclusive.")
@click.option("--to", "end", type=DATE, help="Last day (YYYY-MM-DD, UTC), inclusive.")
@click.option("--by", type=click.Choice(["robot", "workflow", "month", "counterparty"]),
              default="month", show_default=True,
              help="One row per robot, workflow, month or counterparty (an invoice's vendor).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "xlsx", "html"]),
              default="table", show_default=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write the xlsx/html (default: outputs/roi-STAMP.EXT).")
@click.pass_obj
def roi(app: AppContext, start: datetime | None, end: datetime | None, by: str, fmt: str,
        out: Path | None) -> None:
    """Report what the robots saved and cost, from the recorded runs.

    Every figure is derived from the ledger: the baseline recorded with each finished step,
    the minutes people spent in review, the robots' runtime, and the [roi] settings (shown
    with their effective dates in the report).
    """
    first, last = _day(start), _day(end)
    if first and last and first > last:
        raise ConfigError(f"--from {first} is after --to {last}")
    parties = item_counterparties(app.ledger, app.registry) if by == "counterparty" else None
    report = compute_roi(app.ledger, app.settings, start=first, end=last, by=by,  # type: ignore[arg-type]
                         parties=parties.of_item if parties else None)
    if fmt == "json":
        emit_json(report.to_dict())
        return
    if fmt in ("xlsx", "html"):
        path = out or default_report_path(app.settings, fmt)
        if fmt == "xlsx":
            # Per counterparty too (an invoice's vendor): straight-through rate and review
            # minutes where they arise.
            named = parties or item_counterparties(app.ledger, app.registry)
            also = [] if by == "counterparty" else [(named.label, compute_roi(
                app.ledger, app.settings, start=first, end=last, by="counterparty",
                parties=named.of_item))]
            written = write_roi_workbook(report, path, also=also)
        else:
            written = write_roi_html(report, path)
        for line in summary_lines(report):
            click.echo(line, err=True)  # stdout keeps just the path, for scripts
        click.echo(str(written))
        return
    # The terminal gets the headline columns; xlsx/json carry every figure.
    table = Table(parties.label if parties else by, "items", "reviewed", "straight %",
                  "review min", "hours saved", "money saved", "robot h", "costs",
                  "net benefit", "ROI %", title=f"Return on investment ({report.currency})")
    for row in (*report.rows, report.totals):
        table.add_row(
            row.key, str(row.items), str(row.reviewed_items),
            "n/a" if row.stp_pct is None else f"{row.stp_pct:.0f}",
            f"{row.review_minutes:,.1f}", f"{row.hours_saved:,.1f}",
            f"{row.money_saved:,.2f}", f"{row.robot_hours:,.2f}", f"{row.costs:,.2f}",
            f"{row.net_benefit:,.2f}", "n/a" if row.roi_pct is None else f"{row.roi_pct:,.0f}",
            end_section=bool(report.rows) and row is report.rows[-1],
        )
    console = Console()
    if not console.is_terminal:  # piped: no terminal width to respect, keep numbers whole
        console = Console(width=160)
    console.print(table)
    for line in summary_lines(report):
        click.echo(line)
