"""``bots vendors``: the vendor layouts the invoice reader learned from reviewers."""

from __future__ import annotations

import getpass
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from backoffice.cli.context import AppContext, emit_json
from backoffice.errors import NotFound
from backoffice.ledger import Knowledge
from robots.invoices.learned import KIND
from robots.invoices.vendors import knowledge_of


def _summary(k: Knowledge) -> dict[str, Any]:
    value = k.value
    return {"vendor": k.key, "version": k.version,
            "name": value.get("constants", {}).get("vendor_name"),
            "fields": sorted(value.get("fields", {})),
            "table": bool(value.get("table")), "taught_by": k.created_by,
            "taught_at": k.created_at.isoformat(), "item": k.item_id,
            "forgotten": k.forgotten}


@click.group("vendors")
def vendors() -> None:
    """Vendor layouts learned from reviewers' corrections: list, show, forget."""


@vendors.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def list_cmd(app: AppContext, as_json: bool) -> None:
    """Every vendor with a learned layout (its current version)."""
    entries = [_summary(k) for k in knowledge_of(app.ledger).entries(KIND)]
    if as_json:
        emit_json(entries)
        return
    table = Table("vendor", "name", "version", "fields placed", "lines", "taught by", "when")
    for e in entries:
        table.add_row(e["vendor"], e["name"] or "", str(e["version"]),
                      ", ".join(e["fields"]), "yes" if e["table"] else "no", e["taught_by"],
                      e["taught_at"][:16])
    Console().print(table)
    if not entries:
        app.console.print("No vendor layouts learned yet (they come from review approvals).")


@vendors.command("show")
@click.argument("vendor")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def show_cmd(app: AppContext, vendor: str, as_json: bool) -> None:
    """VENDOR's learned layout and every version of it (who taught it, when)."""
    history = knowledge_of(app.ledger).history(KIND, vendor)
    if not history:
        raise NotFound("learned layout", vendor, hint="see `bots vendors list`")
    if as_json:
        emit_json({"vendor": vendor, "versions": [
            {**_summary(k), "layout": dict(k.value)} for k in history]})
        return
    console = Console()
    for k in history:
        s = _summary(k)
        state = " (forgotten)" if k.forgotten else ""
        console.print(f"version {k.version}{state}: taught by {k.created_by} at "
                      f"{s['taught_at'][:19]} from item {k.item_id or '-'}", markup=False)
    current = next((k for k in reversed(history) if not k.forgotten), None)
    if current is None:
        console.print("Forgotten: the reader no longer uses a layout for this vendor.")
        return
    for name, rules in current.value.get("fields", {}).items():
        where = "; ".join(_describe(r) for r in rules)
        console.print(f"  {name}: {where}", markup=False)
    for name, value in current.value.get("constants", {}).items():
        console.print(f"  {name}: always {value!r}", markup=False)
    table = current.value.get("table")
    if table:
        console.print(f"  lines: under {table.get('header')!r}, columns "
                      f"{', '.join(table.get('columns', {}))}", markup=False)


def _describe(rule: dict[str, Any]) -> str:
    how = rule.get("how")
    if how == "same":
        return f"after {rule['anchor']!r}"
    if how == "right":
        return f"right of {rule['anchor']!r}"
    if how == "below":
        return f"{rule['dl']} line(s) below {rule['anchor']!r}"
    return f"at page {rule.get('page', 0) + 1}, x {rule.get('x0')}, y {rule.get('top')}"


@vendors.command("forget")
@click.argument("vendor")
@click.option("--reason", default=None, help="Why (recorded in the audit trail).")
@click.option("--user", default=None, help="Who forgets it (default: $USER).")
@click.pass_obj
def forget_cmd(app: AppContext, vendor: str, reason: str | None, user: str | None) -> None:
    """Stop using VENDOR's learned layout (its history stays in the ledger)."""
    actor = user or getpass.getuser()
    count = knowledge_of(app.ledger).forget(KIND, vendor, actor=actor, reason=reason)
    app.console.print(f"Forgot the layout of {vendor} ({count} version(s)) by {actor}.")
