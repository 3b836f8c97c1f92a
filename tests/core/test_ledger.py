"""The ledger on SQLite and on the real PostgreSQL: claims are exclusive, leases recover,
and every write extends one intact hash chain."""

from __future__ import annotations

import threading

from backoffice.ledger import Ledger, NewItem
from backoffice.ledger.events import verify_chain
from backoffice.models import Trigger
from backoffice.states import ItemState, RunState, TriggerKind


def test_concurrent_claims_never_hand_out_the_same_item(any_ledger_url):
    ledger = Ledger.open(any_ledger_url)
    run = ledger.create_run("wf", Trigger())
    ledger.add_items(run.id, "wf", [NewItem(key=f"k{i}") for i in range(60)], actor="t")
    claimed: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        while (item := ledger.claim(run.id, f"host:1:{n}", 60)) is not None:
            with lock:
                claimed.append(item.id)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(claimed) == 60
    assert len(set(claimed)) == 60
    with ledger.reading() as conn:
        assert verify_chain(conn).ok
    assert ledger.verify_state().ok, "every claim is in the audit trail"
    ledger.close()


def test_items_of_a_dead_owner_are_recovered_and_their_open_attempt_marked_lost(any_ledger_url):
    ledger = Ledger.open(any_ledger_url)
    run = ledger.create_run("wf", Trigger())
    ledger.add_items(run.id, "wf", [NewItem(key="a"), NewItem(key="b")], actor="t")
    item = ledger.claim(run.id, "gone-host:999:x", 600)
    assert item is not None
    ledger.start_attempt(item, robot="r", robot_version="1", worker="gone-host:999:x")

    recovered = ledger.recover_leases(run.id, lambda owner: owner.startswith("gone"), actor="t")
    assert recovered == 1
    again = ledger.item(item.id)
    assert again.state is ItemState.PENDING and again.lease_owner is None
    (attempt,) = ledger.attempts(item_id=item.id)
    assert attempt.outcome == "lost"
    ledger.close()


def test_an_expired_lease_can_be_claimed_by_another_worker(any_ledger_url):
    ledger = Ledger.open(any_ledger_url)
    run = ledger.create_run("wf", Trigger())
    ledger.add_items(run.id, "wf", [NewItem(key="a")], actor="t")
    first = ledger.claim(run.id, "w1", lease_seconds=0.01)
    assert first is not None
    import time

    time.sleep(0.05)
    second = ledger.claim(run.id, "w2", lease_seconds=60)
    assert second is not None and second.id == first.id and second.lease_owner == "w2"
    ledger.close()


def test_run_records_who_triggered_it_and_its_state_changes(any_ledger_url):
    ledger = Ledger.open(any_ledger_url)
    run = ledger.create_run("wf", Trigger(kind=TriggerKind.SCHEDULE, actor="scheduler",
                                          schedule_id="month-end"))
    ledger.set_run_state(run.id, RunState.RUNNING, actor="scheduler", owner="h:1:x")
    ledger.set_run_state(run.id, RunState.COMPLETED, actor="scheduler")
    again = ledger.run(run.id)
    assert again.trigger.schedule_id == "month-end"
    assert again.state is RunState.COMPLETED
    assert again.started_at and again.finished_at and again.started_at.tzinfo is not None
    with ledger.reading() as conn:
        report = verify_chain(conn, run_id=run.id)
    assert report.ok and report.checked == 3
    ledger.close()


def test_skips_are_decided_against_earlier_runs_on_both_backends(any_ledger_url):
    ledger = Ledger.open(any_ledger_url)
    first = ledger.create_run("wf", Trigger())
    ledger.add_items(first.id, "wf", [NewItem(key="same")], actor="t")
    second = ledger.create_run("wf", Trigger())
    (item,) = ledger.add_items(second.id, "wf", [NewItem(key="same")], actor="t")
    assert item.state is ItemState.SKIPPED
    assert item.skipped_from == f"{first.id}.1"
    other = ledger.create_run("other-workflow", Trigger())
    (fresh,) = ledger.add_items(other.id, "other-workflow", [NewItem(key="same")], actor="t")
    assert fresh.state is ItemState.PENDING  # keys are scoped to their workflow
    ledger.close()
