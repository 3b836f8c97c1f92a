"""``bots demo``: the end-to-end story on sample inputs (grows as the robots land)."""

from __future__ import annotations

import click

from backoffice.cli.context import AppContext
from backoffice.cli.runs import print_run_summary, run_with_progress
from backoffice.models import Trigger
from backoffice.states import TriggerKind


@click.command("demo")
@click.pass_obj
def demo(app: AppContext) -> None:
    """Run the demo workflows on sample inputs and show where the results are."""
    folder = app.settings.inputs / "files"
    if not any(folder.glob("*.txt")):
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(1, 11):
            (folder / f"sample-{n:02d}.txt").write_text(f"sample document {n}\n" * n)
        (folder / "empty.txt").write_text("")
    trigger = Trigger(kind=TriggerKind.MANUAL, actor="demo")
    run = run_with_progress(app, "file-digest", lambda e: e.run("file-digest", trigger=trigger))
    print_run_summary(app, run)
    click.echo(f"Ledger: {app.settings.db_url}")
    click.echo(f"Outputs: {app.settings.outputs}")
