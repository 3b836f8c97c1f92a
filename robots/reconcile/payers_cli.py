"""``bots payers``: the payer -> customer links the reconciler learnt (``links.py``)."""

from __future__ import annotations

import getpass
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from backoffice.cli.context import AppContext, emit_json
from backoffice.knowledge import RobotKnowledge
from robots.reconcile.links import KIND
from robots.reconcile.robot import Reconciler


def _knowledge(app: AppContext) -> RobotKnowledge:
    return RobotKnowledge(app.ledger, Reconciler.name)


@click.group("payers")
def payers() -> None:
    """Payer -> customer links the reconciler learnt: list, forget."""


@payers.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def list_cmd(app: AppContext, as_json: bool) -> None:
    """Every payer (IBAN or name) known as a customer, with who taught it and when."""
    entries: list[dict[str, Any]] = [
        {"payer": k.key, "customer": k.value.get("customer"), "version": k.version,
         "taught_by": k.created_by, "how": k.value.get("taught_by"),
         "taught_at": k.created_at.isoformat(), "item": k.item_id}
        for k in _knowledge(app).entries(KIND)]
    if as_json:
        emit_json(entries)
        return
    table = Table("payer", "customer", "version", "taught by", "how", "when")
    for e in entries:
        table.add_row(str(e["payer"]), str(e["customer"]), str(e["version"]),
                      str(e["taught_by"]), str(e["how"] or ""), str(e["taught_at"])[:16])
    Console().print(table)
    if not entries:
        app.console.print("No payer links learnt yet (reference matches and confirmed "
                          "suggestions teach them).")


@payers.command("forget")
@click.argument("payer")
@click.option("--reason", default=None, help="Why (recorded in the audit trail).")
@click.option("--user", default=None, help="Who forgets it (default: $USER).")
@click.pass_obj
def forget_cmd(app: AppContext, payer: str, reason: str | None, user: str | None) -> None:
    """Stop treating PAYER (e.g. iban:FI2112345600000785) as a customer; history stays."""
    actor = user or getpass.getuser()
    count = _knowledge(app).forget(KIND, payer, actor=actor, reason=reason)
    app.console.print(f"Forgot the link of {payer} ({count} version(s)) by {actor}.")
