"""``bots review``: the review queue from a terminal (the control room's twin).

``approve`` measures no time: the ROI counts the review estimate unless ``--minutes`` says
how long the decision took.
"""

from __future__ import annotations

import getpass

import click
from rich.console import Console
from rich.table import Table

from backoffice.cli.context import AppContext, emit_json, shown
from backoffice.cli.runs import parse_params, print_run_summary, run_with_progress
from backoffice.errors import StateError
from backoffice.reports import item_dict
from backoffice.review import approve, continue_after_review, reject, review_queue
from backoffice.review_fields import changes_from, display, review_view, schema_for, validate

pass_app = click.pass_obj
MINUTES = click.FloatRange(min=0, max=24 * 60)


@click.group("review")
def review() -> None:
    """Items waiting for a person: list, show, approve (with corrections) or reject."""


@review.command("list")
@click.option("--workflow", help="Only this workflow's items.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def list_cmd(app: AppContext, workflow: str | None, as_json: bool) -> None:
    """List the items in REVIEW, oldest first."""
    items = review_queue(app.ledger, workflow=workflow)
    if as_json:
        emit_json([item_dict(i) for i in items])
        return
    table = Table("item", "workflow", "input", "reasons", "since")
    for i in items:
        table.add_row(i.id, i.workflow, shown(i.payload.get("file_name") or i.key[:16]),
                      shown("; ".join(i.reasons)),
                      i.updated_at.strftime("%Y-%m-%d %H:%M") if i.updated_at else "")
    Console().print(table)
    if not items:
        app.console.print("Nothing waiting for review.")


@review.command("show")
@click.argument("item_id", metavar="ITEM")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def show_cmd(app: AppContext, item_id: str, as_json: bool) -> None:
    """Show ITEM: its files, the reasons, the fields a reviewer can correct."""
    item = app.ledger.item(item_id)
    view = review_view(item, schema_for(app.registry, item))
    check = validate(view, {})
    if as_json:
        data = item_dict(item, app.ledger.attempts(item_id=item_id))
        data.update(fields=view.fields, readonly=sorted(view.readonly),
                    payload_key=view.payload_key, notes=list(view.notes), validation=check,
                    reviews=app.ledger.reviews(item_id=item_id))
        emit_json(data)
        return
    console = Console()
    console.print(f"[bold]Item {item.id}[/]  {item.workflow}  {item.state.value}  "
                  f"run {item.run_id}  step {item.step}")
    for path in item.files:
        console.print(f"file: {shown(path)}")
    for reason in item.reasons:
        console.print(f"[yellow]reason:[/] {shown(reason)}")
    table = Table(f"field{f' ({view.payload_key})' if view.payload_key else ''}", "value")
    for name, value in view.fields.items():
        table.add_row(shown(name) + (" (read-only)" if name in view.readonly else ""),
                      shown(display(value)))
    console.print(table)
    for note in view.notes:
        console.print(note, markup=False)
    if check["available"]:
        console.print("validations: " + ("pass" if check["ok"] else "; ".join(check["reasons"])))
    console.print(f"approve: bots review approve {item.id} --set FIELD=VALUE ...")


@review.command("approve")
@click.argument("item_id", metavar="ITEM")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE",
              help="Correct a field (repeatable).")
@click.option("--minutes", type=MINUTES, default=None,
              help="Minutes the review took (default: not measured; ROI uses the estimate).")
@click.option("--user", default=None, help="Reviewer name (default: $USER).")
@click.option("--no-continue", "no_continue", is_flag=True,
              help="Only record the approval; do not carry the item on now.")
@pass_app
def approve_cmd(app: AppContext, item_id: str, sets: tuple[str, ...], minutes: float | None,
                user: str | None, no_continue: bool) -> None:
    """Approve ITEM with corrections; it goes on through its workflow."""
    reviewer = user or getpass.getuser()
    before = app.ledger.item(item_id)
    view = review_view(before, schema_for(app.registry, before))
    changes = changes_from(view, parse_params(sets))
    lessons: list[str] = []
    item = approve(app.ledger, app.registry, item_id, reviewer=reviewer, changes=changes,
                   minutes_spent=minutes, payload_key=view.payload_key,
                   on_learned=lessons.append)
    fixed = ", ".join(f"{k}={v!r}" for k, v in changes.items()) or "no changes"
    app.console.print(f"Approved {item.id} by {reviewer} ({fixed}); now {item.state.value}.")
    for lesson in lessons:
        app.console.print(f"Learned: {lesson}", markup=False)
    if no_continue or item.state.value != "PENDING":
        return
    try:
        run = run_with_progress(
            app, "continue", lambda e: continue_after_review(e, item, actor=reviewer)
        )
    except StateError as exc:  # another process is running it and will pick the item up
        app.console.print(f"[yellow]{exc}")
        return
    if run is not None:
        print_run_summary(app, run)
        after = app.ledger.item(item_id)
        app.console.print(f"Item {after.id} is {after.state.value}.")


@review.command("reject")
@click.argument("item_id", metavar="ITEM")
@click.option("--reason", required=True, help="Why the item is closed (recorded).")
@click.option("--minutes", type=MINUTES, default=None, help="Minutes the review took.")
@click.option("--user", default=None, help="Reviewer name (default: $USER).")
@pass_app
def reject_cmd(app: AppContext, item_id: str, reason: str, minutes: float | None,
               user: str | None) -> None:
    """Reject ITEM: it is closed as REJECTED with the reason."""
    reviewer = user or getpass.getuser()
    item = reject(app.ledger, item_id, reviewer=reviewer, reason=reason, minutes_spent=minutes)
    app.console.print(f"Rejected {item.id} by {reviewer}: {reason}")
