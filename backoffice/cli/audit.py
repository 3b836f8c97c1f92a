"""``bots audit``: verify the hash-chained audit trail, show it, export evidence bundles."""

from __future__ import annotations

import json
from pathlib import Path

import click

from backoffice.cli.context import AppContext, emit_json
from backoffice.errors import ConfigError, NotFound
from backoffice.evidence import export_evidence
from backoffice.ledger import Ledger
from backoffice.untrusted import bounded

EXIT_BROKEN = 1


@click.group("audit")
def audit() -> None:
    """The audit trail: every run, item change, retry, review decision and config change,
    each event carrying the SHA-256 of the one before it."""


@audit.command("verify")
@click.option("--run", "run_id", metavar="RUN_ID", help="Only the chain up to this run's end.")
@click.option("--anchor", metavar="ID:SHA256",
              help="A head noted earlier (`bots audit head`): fails if that event changed.")
@click.pass_obj
def verify(app: AppContext, run_id: str | None, anchor: str | None) -> None:
    """Recompute every hash, then replay the events into run, item, attempt and review
    states and compare them with the tables; exit 1 naming the first bad event if anything
    was edited, deleted, inserted or reordered, or each row the events do not back."""
    if run_id is not None:
        app.ledger.run(run_id)  # NotFound for an unknown run
    report = app.ledger.verify_chain(run_id)
    anchor_problem = _check_anchor(app.ledger, anchor) if anchor else None
    if not report.ok:
        click.echo(f"first bad event {report.first_bad_id}: {report.problem}", err=True)
        raise SystemExit(EXIT_BROKEN)
    if anchor_problem:
        click.echo(anchor_problem, err=True)
        raise SystemExit(EXIT_BROKEN)
    state = app.ledger.verify_state(run_id)
    if not state.ok:
        click.echo(state.describe() + ":", err=True)
        for mismatch in state.mismatches:
            click.echo(f"  {mismatch.describe()}", err=True)
        raise SystemExit(EXIT_BROKEN)
    scope = f"run {run_id}: " if run_id else ""
    click.echo(f"{scope}audit chain intact, {report.checked} event(s) verified; "
               f"{state.describe()}")


def _check_anchor(ledger: Ledger, anchor: str) -> str | None:
    event_id, sep, digest = anchor.partition(":")
    if not sep or not event_id.isdigit() or len(digest) != 64:
        raise ConfigError(f"--anchor {anchor!r}: expected ID:SHA256 as `bots audit head` prints")
    event = ledger.event(int(event_id))
    if event is None:
        return f"first bad event {event_id}: the anchored event is gone"
    if event.hash != digest:
        return (f"first bad event {event_id}: its hash differs from the anchor "
                "(the chain was rewritten)")
    return None


@audit.command("head")
@click.pass_obj
def head(app: AppContext) -> None:
    """Print ID:SHA256 of the newest event; keep it elsewhere to use with --anchor."""
    event_id, digest = app.ledger.audit_head()
    click.echo(f"{event_id}:{digest}")


@audit.command("events")
@click.option("--run", "run_id", metavar="RUN_ID", help="Only this run's events.")
@click.option("--item", "item_id", metavar="ITEM_ID", help="Only this item's events.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines for scripts.")
@click.pass_obj
def events_cmd(app: AppContext, run_id: str | None, item_id: str | None, as_json: bool) -> None:
    """List audit events: who did what, when."""
    found = app.ledger.events(run_id=run_id, item_id=item_id)
    if not found and (run_id or item_id):
        raise NotFound("events for", run_id or item_id)
    if as_json:
        emit_json([e.__dict__ | {"payload": dict(e.payload)} for e in found])
        return
    for e in found:
        # One line per event whatever the actor or payload hold (`untrusted.bounded`): a
        # typed user name with a newline must not print a second, forged event.
        where = " ".join(bounded(x, 80) for x in (e.run_id, e.item_id) if x)
        payload = json.dumps(dict(e.payload), default=str, ensure_ascii=False)
        click.echo(f"{e.id:>6} {bounded(e.ts, 40)} {bounded(e.actor, 60):<24} "
                   f"{bounded(e.kind, 60):<22} {where} {bounded(payload, 200)}")


@audit.command("export")
@click.option("--run", "run_id", metavar="RUN_ID", required=True)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder to write the bundle into (created).")
@click.option("--user", default=None, help="Who exports (default: $USER); recorded.")
@click.pass_obj
def export(app: AppContext, run_id: str, out: Path, user: str | None) -> None:
    """Write the evidence bundle of a run: events.jsonl, manifest.json (SHA-256 of every
    input and output file), the run log, screenshots and traces, version and config hash."""
    import getpass

    path = export_evidence(app.ledger, app.settings, run_id, out,
                           actor=user or getpass.getuser())
    click.echo(str(path))
