"""`bots audit verify` covers the recorded state, not only the event chain: the events are
replayed into run, item, attempt and review states and compared with the tables, so a row
changed with raw SQL is caught and named, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from backoffice.cli import cli_for_tests
from backoffice.config import Settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger, NewItem
from backoffice.models import Trigger, utcnow
from backoffice.registry import Registry
from backoffice.review import approve, reject
from backoffice.states import ItemState, RunState
from tests.audit.conftest import audit_settings, run_docs
from tests.core.helpers import write_workflow


@dataclass
class History:
    settings: Settings
    ledger: Ledger
    failed_item: str
    done_item: str
    approved_item: str
    rejected_item: str
    flaky_run: str


@pytest.fixture
def history(tmp_path: Path, any_ledger_url: str) -> Iterator[History]:
    """Every kind of state change: items done, sent to review (one approved, one rejected),
    retried until FAILED, requeued and failed again, a lease recovered from a dead owner."""
    settings = audit_settings(tmp_path, any_ledger_url)
    down = tmp_path / "erp-down"
    down.touch()
    write_workflow(settings, "flaky", f"""
[[steps]]
robot = "tests.core.robots:FlakyRobot"
params = {{ fail_times = 0, down_flag = "{down}" }}
[retry]
max_attempts = 2
backoff_seconds = 0.01
[concurrency]
breaker_threshold = 100
""")
    ledger = Ledger.open(settings.db_url)
    engine = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01)
    flaky = engine.run("flaky", items=[NewItem(key="k1")])
    ledger.requeue(flaky.id, states=[ItemState.FAILED], actor="ops", reason="try again")
    flaky = engine.resume(flaky.id, actor="ops")
    (failed,) = ledger.items(flaky.id)
    assert failed.state is ItemState.FAILED and flaky.state is RunState.COMPLETED

    docs = run_docs(settings, ledger, ["a.txt", "empty1.txt"], "alice")
    by_name = {Path(i.source or "").name: i for i in ledger.items(docs.id)}
    registry = Registry(settings)
    approve(ledger, registry, by_name["empty1.txt"].id, reviewer="rita",
            changes={"note": "checked by phone"}, minutes_spent=2.5)
    # The same (empty) input again: the approved item's run is over, so it is taken over,
    # goes to review again, and is rejected this time.
    again = run_docs(settings, ledger, ["empty2.txt"], "bob")
    (retaken,) = ledger.items(again.id)
    assert ledger.item(by_name["empty1.txt"].id).skipped_from == retaken.id
    reject(ledger, retaken.id, reviewer="rita", reason="not ours", minutes_spent=1.0)

    # A worker that claimed an item and died: its lease is recovered for the next one.
    crashed = ledger.create_run("flaky", Trigger(actor="alice"))
    ledger.add_items(crashed.id, "flaky", [NewItem(key="k2")], actor="alice")
    ledger.claim(crashed.id, "ghost:1:dead", 60)
    ledger.recover_leases(crashed.id, lambda owner: True, actor="ops")
    ledger.set_run_state(crashed.id, RunState.CRASHED, actor="ops", reason="worker died")

    yield History(settings=settings, ledger=ledger, failed_item=failed.id,
                  done_item=by_name["a.txt"].id, approved_item=by_name["empty1.txt"].id,
                  rejected_item=retaken.id, flaky_run=flaky.id)
    ledger.close()


def bots(history: History, *args: str) -> Result:
    config = history.settings.base_dir / "bots.toml"
    config.write_text(f'base_dir = "{history.settings.base_dir}"\n'
                      f'database_url = "{history.settings.db_url}"\n')
    return CliRunner().invoke(cli_for_tests(), ["--config", str(config), *args])


def sql(ledger: Ledger, statement: str, **params: object) -> None:
    with ledger.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_an_untouched_ledger_matches_its_audit_trail(history: History) -> None:
    report = history.ledger.verify_state()
    assert report.ok, [m.describe() for m in report.mismatches]
    assert report.runs == 4 and report.items == 5
    result = bots(history, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert "recorded state matches the audit trail: 4 run(s), 5 item(s)" in result.output


def test_a_failed_item_turned_done_with_raw_sql_fails_verify_naming_the_item(
    history: History,
) -> None:
    sql(history.ledger, "UPDATE items SET state = 'DONE' WHERE id = :i", i=history.failed_item)
    assert bots(history, "audit", "verify", "--run", history.done_item.split(".")[0]
                ).exit_code == 0  # another run's proof is unaffected
    result = bots(history, "audit", "verify")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == "recorded state differs from the audit trail in 1 place(s):"
    assert lines[1].startswith(f"  items: item {history.failed_item}: state is 'DONE' in the "
                               "table, but event ")
    assert lines[1].endswith(" says 'FAILED'")
    scoped = bots(history, "audit", "verify", "--run", history.flaky_run)
    assert scoped.exit_code == 1 and history.failed_item in scoped.output


def test_each_edited_row_is_reported_with_its_ids(history: History) -> None:
    ledger = history.ledger
    sql(ledger, "UPDATE items SET state = 'DONE' WHERE id = :i", i=history.rejected_item)
    sql(ledger, "UPDATE reviews SET minutes_spent = 0.1, reviewer = 'mallory' "
                "WHERE item_id = :i", i=history.approved_item)
    sql(ledger, "UPDATE attempts SET manual_minutes = 40 WHERE item_id = :i",
        i=history.done_item)
    sql(ledger, "UPDATE runs SET state = 'RUNNING', actor = 'bob' WHERE id = :r",
        r=history.flaky_run)
    report = ledger.verify_state()
    found = {(m.table, m.row.split(" (")[0], m.field, m.recorded, m.expected)
             for m in report.mismatches}
    assert found == {
        ("items", f"item {history.rejected_item}", "state", "DONE", "REJECTED"),
        ("reviews", f"item {history.approved_item} review 1", "minutes_spent", 0.1, 2.5),
        ("reviews", f"item {history.approved_item} review 1", "reviewer", "mallory", "rita"),
        ("attempts", f"item {history.done_item} attempt #1", "manual_minutes", 40, 0.5),
        ("runs", f"run {history.flaky_run}", "state", "RUNNING", "COMPLETED"),
        ("runs", f"run {history.flaky_run}", "actor", "bob", "cli"),
    }
    assert all(m.event_id for m in report.mismatches)


def test_rows_added_or_deleted_behind_the_ledgers_back_are_reported(history: History) -> None:
    ledger = history.ledger
    now = utcnow()
    with ledger.engine.begin() as conn:
        conn.execute(text("DELETE FROM attempts WHERE item_id = :i"), {"i": history.failed_item})
        conn.execute(text("DELETE FROM reviews WHERE item_id = :i"),
                     {"i": history.rejected_item})
        conn.execute(text(
            "INSERT INTO items (id, run_id, seq, workflow, key, payload, files, state, step, "
            "attempts, reasons, priority, created_at, updated_at) VALUES "
            "(:id, :run, 99, 'flaky', 'forged', '{}', '[]', 'DONE', 0, 0, '[]', 0, :t, :t)"
        ), {"id": f"{history.flaky_run}.99", "run": history.flaky_run, "t": now.replace(
            tzinfo=None)})
    found = {(m.table, m.row, m.field) for m in ledger.verify_state().mismatches}
    assert found == {
        ("attempts", f"item {history.failed_item}", "count"),
        ("reviews", f"item {history.rejected_item}", "count"),
        ("items", f"item {history.flaky_run}.99", "row"),
    }
