"""Leases are the truth about who works an item: a worker whose lease was taken over cannot
record a second outcome (fencing), an expired lease or a never-claimed item is taken back by
exactly one watchman, and a worker in a long step keeps its lease by heartbeat."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backoffice.clock import ManualClock
from backoffice.engine import Engine
from backoffice.errors import LeaseLost
from backoffice.ledger import Ledger, NewItem, Outcome
from backoffice.ledger.events import iter_events, verify_chain
from backoffice.models import Trigger
from backoffice.states import AttemptOutcome, ItemState, RunState
from tests.core.helpers import write_workflow


def _events(ledger: Ledger, kind: str) -> list:
    with ledger.reading() as conn:
        return list(iter_events(conn, kind=kind))


def _running_run(ledger: Ledger, keys: list[str]) -> str:
    run = ledger.create_run("wf", Trigger())
    ledger.add_items(run.id, "wf", [NewItem(key=k) for k in keys], actor="t")
    ledger.set_run_state(run.id, RunState.RUNNING, actor="t", owner="celery:test")
    return run.id


DONE = Outcome(outcome=AttemptOutcome.DONE, state=ItemState.DONE, step=0)


def test_a_worker_whose_lease_was_taken_over_cannot_record_its_outcome(any_ledger_url):
    clock = ManualClock()
    ledger = Ledger.open(any_ledger_url, clock=clock)
    run_id = _running_run(ledger, ["a"])
    late = ledger.claim(run_id, "host:1:late", lease_seconds=30)
    assert late is not None
    late_attempt = ledger.start_attempt(late, robot="r", robot_version="1", worker="host:1:late")
    clock.advance(31)  # the late worker pauses past its lease; another takes the item over
    taker = ledger.claim(run_id, "host:2:taker", lease_seconds=60)
    assert taker is not None and taker.id == late.id

    with pytest.raises(LeaseLost):
        ledger.finish_attempt(late, late_attempt, DONE)
    with pytest.raises(LeaseLost):
        ledger.start_attempt(late, robot="r", robot_version="1", worker="host:1:late")

    attempt = ledger.start_attempt(taker, robot="r", robot_version="1", worker="host:2:taker")
    done = ledger.finish_attempt(taker, attempt, DONE)
    assert done.state is ItemState.DONE and done.lease_owner is None
    # The late worker's attempt stays "lost": one item, one recorded outcome.
    assert [a.outcome for a in ledger.attempts(item_id=late.id)] == ["lost", "done"]
    fenced = _events(ledger, "item.outcome_fenced")
    assert [(e.item_id, e.payload["lease_owner"]) for e in fenced] == [(late.id, "host:1:late")]
    with ledger.reading() as conn:
        assert verify_chain(conn).ok
    assert ledger.verify_state().ok  # replaying the trail gives the one recorded outcome
    ledger.close()


def test_an_expired_lease_is_taken_back_once_however_many_watchmen_look(any_ledger_url):
    clock = ManualClock()
    ledger = Ledger.open(any_ledger_url, clock=clock)
    run_id = _running_run(ledger, ["a", "b"])
    held = ledger.claim(run_id, "host:1:dead", lease_seconds=30)
    assert held is not None
    ledger.start_attempt(held, robot="r", robot_version="1", worker="host:1:dead")
    clock.advance(31)

    first = ledger.take_stranded(run_id, grace_seconds=60, actor="watchman-1")
    second = ledger.take_stranded(run_id, grace_seconds=60, actor="watchman-2")

    assert (first.expired, first.unclaimed) == (1, 0)  # "b" is only waiting its turn
    assert second.total == 0
    again = ledger.item(held.id)
    assert again.state is ItemState.PENDING and again.lease_owner is None
    assert again.attempts == 1  # so the next attempt checks find_existing before acting
    assert [a.outcome for a in ledger.attempts(item_id=held.id)] == ["lost"]
    assert len(_events(ledger, "run.redispatched")) == 1
    assert ledger.verify_state().ok
    ledger.close()


def test_items_never_claimed_are_taken_back_only_once_the_run_stood_still_for_a_lease(
    settings,
):
    clock = ManualClock()
    ledger = Ledger.open(settings.db_url, clock=clock)
    run_id = _running_run(ledger, ["a", "b", "c"])

    assert ledger.take_stranded(run_id, grace_seconds=60, actor="w").total == 0  # just sent
    clock.advance(59)
    assert ledger.take_stranded(run_id, grace_seconds=60, actor="w").total == 0
    clock.advance(2)
    stranded = ledger.take_stranded(run_id, grace_seconds=60, actor="w")
    assert (stranded.expired, stranded.unclaimed) == (0, 3)
    # Re-dispatching counts as activity: the next watchman waits another lease.
    assert ledger.take_stranded(run_id, grace_seconds=60, actor="w2").total == 0
    ledger.close()


def test_only_the_items_whose_tasks_are_not_waiting_in_the_broker_are_taken_back(settings):
    clock = ManualClock()
    ledger = Ledger.open(settings.db_url, clock=clock)
    run_id = _running_run(ledger, ["a", "b", "c", "d"])
    clock.advance(61)

    stranded = ledger.take_stranded(run_id, grace_seconds=60, actor="w",
                                    tasks_waiting=lambda: 3)  # 3 tasks still queued

    assert stranded.unclaimed == 1
    ledger.close()


def test_an_item_waiting_for_its_retry_backoff_is_not_stranded(settings):
    clock = ManualClock()
    ledger = Ledger.open(settings.db_url, clock=clock)
    run_id = _running_run(ledger, ["a"])
    item = ledger.claim(run_id, "host:1:w", lease_seconds=60)
    assert item is not None
    attempt = ledger.start_attempt(item, robot="r", robot_version="1", worker="host:1:w")
    ledger.finish_attempt(item, attempt, Outcome(
        outcome=AttemptOutcome.RETRY, state=ItemState.PENDING, step=0,
        not_before=clock.now() + timedelta(seconds=300)))
    clock.advance(240)  # idle far past the grace, but the retry is not due yet
    assert ledger.take_stranded(run_id, grace_seconds=60, actor="w").total == 0
    clock.advance(120)  # due now, and nobody took it: stranded
    assert ledger.take_stranded(run_id, grace_seconds=60, actor="w").unclaimed == 1
    ledger.close()


def test_a_step_longer_than_the_lease_keeps_its_lease_by_heartbeat(settings, ledger, registry):
    effects = settings.base_dir / "effects.log"
    write_workflow(settings, "slow", f"""
[[steps]]
robot = "tests.core.robots:CountingRobot"
params = {{ effects = "{effects}", sleep = 2.2 }}
[concurrency]
workers = 2
lease_seconds = 1
""")
    engine = Engine(settings, ledger, registry)
    # One item, two workers: the idle one would take the item over if its lease ran out.
    run = engine.run("slow", items=[NewItem(key="erp-1")])

    assert run.state is RunState.COMPLETED and run.counts == {"DONE": 1, "total": 1}
    assert not _events(ledger, "item.lease_recovered")
    assert not _events(ledger, "item.outcome_fenced")
    posted = [line.split("\t")[0] for line in effects.read_text().splitlines()]
    assert posted == ["erp-1"]
