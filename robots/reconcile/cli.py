"""``bots reconcile LEFT RIGHT --out REPORT.xlsx`` and ``bots samples recon``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from backoffice.cli.context import AppContext
from backoffice.knowledge import RobotKnowledge
from robots.reconcile.links import recall
from robots.reconcile.report import summary_figures
from robots.reconcile.robot import Reconciler
from robots.reconcile.rules import load_rules
from robots.reconcile.samples import generate_pair
from robots.reconcile.service import Progress as ReconProgress
from robots.reconcile.service import reconcile as run_reconcile

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("reconcile")
@click.argument("left", type=_FILE)
@click.argument("right", type=_FILE)
@click.option("--rules", "rules_file", type=_FILE, help="Rules TOML (tolerances, columns).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The report workbook to write.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the matches as JSON (1-based source row numbers).")
@click.option("--learned/--no-learned", default=True, show_default=True,
              help="Use the payer -> customer links the reconciler learnt in the ledger.")
@click.pass_obj
def reconcile(
    app: AppContext, left: Path, right: Path, rules_file: Path | None, out: Path,
    json_out: Path | None, learned: bool,
) -> None:
    """Match LEFT (bank statement) against RIGHT (ledger open items): .xlsx, .csv, camt.053/054
    XML or MT940. Uses the payer links learnt by the reconciler robot (read only: a run of the
    bank-reconciliation workflow teaches them)."""
    rules = load_rules(rules_file)
    links: dict[str, str] = {}
    if learned:
        try:
            links = recall(RobotKnowledge(app.ledger, Reconciler.name))
        except Exception as exc:  # noqa: BLE001 - no ledger at hand: reconcile without links
            click.echo(f"Note: learnt payer links not read ({type(exc).__name__}: "
                       f"{str(exc)[:120]}); reconciling without them", err=True)
    console = app.console
    with Progress(
        TextColumn("{task.description:<32}"), BarColumn(), TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(), console=console, transient=False,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("starting", total=None)
        progress = ReconProgress(
            stage=lambda name: bar.update(task, description=name),
            rows=lambda n: bar.advance(task, n),
        )
        result = run_reconcile(
            [left], [right], rules, out=out, json_out=json_out, progress=progress, links=links
        )
    f = summary_figures(result)
    click.echo(
        f"Matched {f['matched']:,} ({f['matched_left']:,} of {f['rows_left']:,} left rows, "
        f"{f['matched_right']:,} of {f['rows_right']:,} right rows, "
        f"match rate {f['match_rate']:.1%}); unmatched left {f['unmatched_left']:,}, "
        f"right {f['unmatched_right']:,}; exceptions {f['exceptions']:,}"
    )
    click.echo(f"Report: {out}")
    if json_out is not None:
        click.echo(f"JSON: {json_out}")


@click.command("recon")
@click.option("--rows", type=click.IntRange(10, 1_000_000), default=1000, show_default=True,
              help="Open items in the ledger (the statement has as many lines).")
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write into.")
@click.option("--seed", type=int, default=11, show_default=True)
def samples_recon(rows: int, out_dir: Path, seed: int) -> None:
    """A messy bank statement and ledger pair, with the truth as JSON."""
    left, right, truth = generate_pair(out_dir, rows, seed=seed)
    click.echo(f"Statement (left): {left}\nLedger (right): {right}\nTruth: {truth}")
