"""``bots extract PATH...`` and ``bots samples invoices``.

A batch is read in a process pool (all cores) with a progress bar on stderr; every file gets
a result, whatever goes wrong with it, and the results come back in the order given.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.exc import SQLAlchemyError

from backoffice.cli.context import AppContext, emit_json
from backoffice.cli.runs import EXIT_BAD_INPUT
from backoffice.errors import BotError
from backoffice.inputs import expand_paths
from robots.invoices.learned import LearnedLayout
from robots.invoices.reader import (
    Extraction,
    ExtractionStatus,
    ReaderOptions,
    read_invoice,
    reader_failed,
)
from robots.invoices.robot import reader_options
from robots.invoices.templates import Template, load_templates
from robots.invoices.vendors import knowledge_of, learned_layouts


def _read_safely(path: Path, options: ReaderOptions, templates: list[Template],
                 learned: Sequence[LearnedLayout] = ()) -> Extraction:
    try:
        return read_invoice(path, options, templates, learned)
    except BaseException as exc:  # noqa: BLE001 - one file must never end the batch
        return reader_failed(path, exc)




def read_batch(
    paths: Sequence[Path], options: ReaderOptions, templates: list[Template], *,
    workers: int | None = None, progress: Progress | None = None,
    learned: Sequence[LearnedLayout] = (),
) -> list[Extraction]:
    """Read every file, in parallel when there is more than one; order is kept.
    ``learned``: the vendor layouts reviewers taught (see ``robots.invoices.learned``)."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(paths) or 1))
    task = progress.add_task("Reading invoices", total=len(paths)) if progress else None
    results: list[Extraction | None] = [None] * len(paths)
    if workers == 1:
        for i, path in enumerate(paths):
            results[i] = _read_safely(path, options, templates, learned)
            if progress and task is not None:
                progress.advance(task)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_read_safely, p, options, templates, learned): i
                       for i, p in enumerate(paths)}
            for future in as_completed(futures):
                i = futures[future]
                try:
                    results[i] = future.result()
                except Exception as exc:  # a worker process that died
                    results[i] = reader_failed(paths[i], exc)
                if progress and task is not None:
                    progress.advance(task)
    return [r for r in results if r is not None]


@click.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON on stdout.")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the results to this .xlsx workbook.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes to use (default: all cores).")
@click.option("--no-learned", "no_learned", is_flag=True,
              help="Do not use the vendor layouts reviewers taught (see `bots vendors`).")
@click.pass_obj
def extract(app: AppContext, paths: tuple[str, ...], as_json: bool, out: Path | None,
            workers: int | None, no_learned: bool) -> None:
    """Read invoice PDFs and e-invoice XML (files, folders or globs) into validated fields.

    The vendor layouts learned from reviewers' corrections (in the ledger) are used unless
    --no-learned; each result then says which fields a learned layout gave."""
    files = expand_paths(paths, patterns=("*.pdf", "*.PDF", "*.xml", "*.XML"))
    if not files:
        raise click.UsageError(f"no files match {' '.join(paths)}")
    options = reader_options(app.settings)
    templates = load_templates(options.templates_dir)
    learned: list[LearnedLayout] = []
    if not no_learned and options.learned_layouts:
        try:
            learned = learned_layouts(knowledge_of(app.ledger))
        except (BotError, SQLAlchemyError) as exc:  # reading must not depend on the ledger
            app.console.print(f"[yellow]Learned vendor layouts not used: the ledger cannot be "
                              f"read ({type(exc).__name__}: {str(exc)[:120]})")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=app.console, transient=True) as progress:
        results = read_batch(files, options, templates, workers=workers, progress=progress,
                             learned=learned)
    if out is not None:
        from robots.invoices.export import write_workbook

        write_workbook(results, out)
    if as_json:
        emit_json([r.to_json() for r in results])
    else:
        for r in results:
            ok = r.status is ExtractionStatus.OK
            click.echo(f"{r.status.value.upper():7} {r.summary if ok else r.file}")
            if r.learned:
                click.echo(f"        learned layout {r.learned['vendor']} "
                           f"v{r.learned['version']}: {', '.join(r.learned['fields'])}")
            for reason in r.reasons:
                click.echo(f"        - {reason}")
            for warning in r.warnings:
                click.echo(f"        ! {warning}")
    counts = {s.value: sum(r.status is s for r in results) for s in ExtractionStatus}
    app.console.print(f"{len(results)} file(s): {counts['ok']} ok, {counts['review']} review, "
                      f"{counts['error']} error" + (f"; workbook: {out}" if out else ""))
    if counts["error"]:  # every file still got its result (and its row); say so to scripts
        raise SystemExit(EXIT_BAD_INPUT)


@click.command("invoices")
@click.option("--n", "n", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Folder to write to (default: <inputs>/invoices).")
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--review-share", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of invoices with a deliberate fault (their truth says review).")
@click.option("--unknown-vendor", is_flag=True, help="Make the last one from an unknown vendor.")
@click.option("--einvoices", is_flag=True,
              help="Write the first Finnish, Polish and German invoice as Finvoice XML, KSeF "
                   "FA(3) XML and a Factur-X PDF.")
@click.pass_obj
def samples_invoices(app: AppContext, n: int, out: Path | None, seed: int, review_share: float,
                     unknown_vendor: bool, einvoices: bool) -> None:
    """Write realistic invoice PDFs in six languages, each with a .truth.json."""
    from robots.invoices.samples import generate_invoices

    folder = out or app.settings.inputs / "invoices"
    paths = generate_invoices(folder, n, seed=seed, review_share=review_share,
                              unknown_vendor=unknown_vendor, einvoices=einvoices)
    click.echo(f"Wrote {len(paths)} invoice(s) with truth JSON to {folder}")
