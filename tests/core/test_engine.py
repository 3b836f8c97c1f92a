"""The engine's promises: idempotency, review vs retry, the circuit breaker, archiving."""

from __future__ import annotations

from pathlib import Path

from backoffice.clock import ManualClock
from backoffice.engine import Engine
from backoffice.ledger import Ledger, NewItem
from backoffice.ledger.events import verify_chain
from backoffice.registry import Registry
from backoffice.review import approve, continue_after_review, reject
from backoffice.states import FailureKind, ItemState, RunState
from tests.core.helpers import make_inputs, write_workflow


def counting_workflow(settings, effects: Path, **extra: str) -> None:
    params = ", ".join([f'effects = "{effects}"'] + [f"{k} = {v}" for k, v in extra.items()])
    write_workflow(
        settings,
        "count",
        f"""
[input]
glob = "docs/*.txt"
[[steps]]
robot = "tests.core.robots:CountingRobot"
params = {{ {params} }}
[concurrency]
workers = 2
[retry]
backoff_seconds = 0.01
""",
    )


def test_second_run_over_same_inputs_skips_items_naming_the_run_that_did_them(
    settings, ledger, registry, tmp_path
):
    effects = tmp_path / "effects.log"
    counting_workflow(settings, effects)
    make_inputs(settings, "docs", 5)
    first = Engine(settings, ledger, registry).run("count")
    assert first.state is RunState.COMPLETED
    assert first.counts["DONE"] == 5

    second = Engine(settings, ledger, Registry(settings)).run("count")
    assert second.counts == {"SKIPPED": 5, "total": 5}
    for item in ledger.items(second.id):
        assert item.skipped_from and item.skipped_from.startswith(first.id)
        assert first.id in item.reasons[0]
    assert len(effects.read_text().splitlines()) == 5


def test_same_file_twice_in_one_run_is_processed_once(settings, ledger, registry, tmp_path):
    effects = tmp_path / "effects.log"
    counting_workflow(settings, effects)
    (a,) = make_inputs(settings, "docs", 1)
    copy = a.with_name("copy-of-doc.txt")
    copy.write_bytes(a.read_bytes())
    run = Engine(settings, ledger, registry).run("count")
    assert run.counts["DONE"] == 1 and run.counts["SKIPPED"] == 1
    assert len(effects.read_text().splitlines()) == 1


def test_business_error_goes_to_review_without_retry(settings, ledger, registry):
    write_workflow(
        settings,
        "picky",
        '[[steps]]\nrobot = "tests.core.robots:PickyRobot"\n[retry]\nmax_attempts = 5\n',
    )
    run = Engine(settings, ledger, registry).run(
        "picky", items=[NewItem(key="k1", payload={"doc": {"vendor": "ACME"}})]
    )
    (item,) = ledger.items(run.id)
    assert item.state is ItemState.REVIEW
    assert item.failure_kind is FailureKind.BUSINESS
    assert item.reasons == ("the document has no amount",)
    assert [a.outcome for a in ledger.attempts(item_id=item.id)] == ["review"]
    assert run.state is RunState.COMPLETED  # the queue was drained


def test_system_error_is_retried_with_backoff_then_succeeds(settings, registry):
    write_workflow(
        settings,
        "flaky",
        """
[[steps]]
robot = "tests.core.robots:FlakyRobot"
params = { fail_times = 2 }
[retry]
max_attempts = 3
backoff_seconds = 30
""",
    )
    # Half a minute of backoff, twice, on a clock the engine moves instead of sleeping.
    clock = ManualClock()
    ledger = Ledger.open(settings.db_url, clock=clock)
    started = clock.now()
    run = Engine(settings, ledger, registry).run("flaky", items=[NewItem(key="k1")])
    (item,) = ledger.items(run.id)
    assert item.state is ItemState.DONE
    tries = ledger.attempts(item_id=item.id)
    assert [a.outcome for a in tries] == ["retry", "retry", "done"]
    assert all(a.failure_kind is FailureKind.SYSTEM for a in tries[:2])
    assert tries[0].error_code == "erp_http_503"
    # the backoff was honoured: each try started after the one before's delay (+/- 25 %)
    assert (tries[1].started_at - tries[0].finished_at).total_seconds() >= 30 * 0.75
    assert (tries[2].started_at - tries[1].finished_at).total_seconds() >= 60 * 0.75
    assert (clock.now() - started).total_seconds() < 60 * 1.25 + 30 * 1.25 + 5
    assert item.payload["posted_on_attempt"] == 3
    ledger.close()


def test_system_error_past_the_limit_fails_the_item_and_retry_command_requeues_it(
    settings, ledger, registry, tmp_path
):
    down = tmp_path / "erp-down"
    down.touch()
    write_workflow(
        settings,
        "flaky",
        f"""
[[steps]]
robot = "tests.core.robots:FlakyRobot"
params = {{ fail_times = 0, down_flag = "{down}" }}
[retry]
max_attempts = 2
backoff_seconds = 0.01
[concurrency]
breaker_threshold = 100
""",
    )
    engine = Engine(settings, ledger, registry)
    run = engine.run("flaky", items=[NewItem(key="k1")])
    (item,) = ledger.items(run.id)
    assert item.state is ItemState.FAILED
    assert "gave up after 2 attempt(s)" in item.reasons[0]

    down.unlink()  # the ERP is back
    assert ledger.requeue(run.id, states=[ItemState.FAILED], actor="ops", reason="ERP back")
    run = engine.resume(run.id, actor="ops")
    assert ledger.item(item.id).state is ItemState.DONE
    assert run.state is RunState.COMPLETED


def test_circuit_breaker_pauses_the_run_and_resume_finishes_it(
    settings, ledger, registry, tmp_path
):
    down = tmp_path / "erp-down"
    down.touch()
    write_workflow(
        settings,
        "down",
        f"""
[[steps]]
robot = "tests.core.robots:FlakyRobot"
params = {{ fail_times = 0, down_flag = "{down}" }}
[retry]
max_attempts = 5
backoff_seconds = 0.01
[concurrency]
breaker_threshold = 3
""",
    )
    items = [NewItem(key=f"k{n}") for n in range(10)]
    run = Engine(settings, ledger, registry).run("down", items=items)
    assert run.state is RunState.PAUSED
    assert "3 system errors in a row at step 0" in (run.reason or "")
    assert len(ledger.attempts(run_id=run.id)) == 3, "no retries burnt once the breaker trips"
    assert run.counts["PENDING"] == 10

    down.unlink()  # the ERP is back
    resumed = Engine(settings, ledger, registry).resume(run.id, actor="ops")
    assert resumed.state is RunState.COMPLETED
    assert resumed.counts == {"DONE": 10, "total": 10}


def test_settled_files_are_archived_and_nothing_is_deleted(settings, ledger, registry):
    write_workflow(
        settings,
        "digest",
        """
[input]
glob = "files/*.txt"
[[steps]]
robot = "file_digest"
[archive]
done = "processed"
review = "review"
""",
    )
    make_inputs(settings, "files", 3)
    (settings.inputs / "files" / "empty.txt").write_text("")
    run = Engine(settings, ledger, registry).run("digest")
    folder = settings.inputs / "files"
    assert sorted(p.name for p in (folder / "processed").iterdir()) == [
        "doc-000.txt", "doc-001.txt", "doc-002.txt"]
    assert [p.name for p in (folder / "review").iterdir()] == ["empty.txt"]
    assert not list(folder.glob("*.txt"))
    for item in ledger.items(run.id):
        assert Path(item.files[0]).exists()


def test_approved_review_item_continues_and_rejected_one_closes(settings, ledger, registry):
    write_workflow(
        settings,
        "two-step",
        """
[[steps]]
robot = "tests.core.robots:PickyRobot"
[[steps]]
robot = "noop"
""",
    )
    engine = Engine(settings, ledger, registry)
    run = engine.run(
        "two-step",
        items=[NewItem(key="a", payload={"doc": {}}), NewItem(key="b", payload={"doc": {}})],
    )
    a, b = ledger.items(run.id)
    assert a.state is b.state is ItemState.REVIEW

    approved = approve(ledger, registry, a.id, reviewer="rita", changes={"amount": "12.50"},
                       minutes_spent=1.5, payload_key="doc")
    assert approved.state is ItemState.PENDING and approved.step == 1
    continue_after_review(engine, approved, actor="rita")
    done = ledger.item(a.id)
    assert done.state is ItemState.DONE
    assert done.payload["doc"]["amount"] == "12.50"

    rejected = reject(ledger, b.id, reviewer="rita", reason="duplicate of INV-7")
    assert rejected.state is ItemState.REJECTED
    decisions = ledger.reviews(run_id=run.id)
    assert [(d["reviewer"], d["decision"]) for d in decisions] == [
        ("rita", "approve"), ("rita", "reject")]
    with ledger.reading() as conn:
        assert verify_chain(conn).ok
    assert ledger.verify_state().ok


def test_every_decision_is_in_the_audit_trail(settings, ledger: Ledger, registry):
    write_workflow(
        settings,
        "flaky",
        '[[steps]]\nrobot = "tests.core.robots:FlakyRobot"\n[retry]\nbackoff_seconds = 0.01\n',
    )
    run = Engine(settings, ledger, registry).run("flaky", items=[NewItem(key="k")])
    with ledger.reading() as conn:
        from backoffice.ledger.events import iter_events

        kinds = [e.kind for e in iter_events(conn, run_id=run.id)]
    assert kinds == [
        "run.created", "item.queued", "run.running", "item.claimed", "item.attempt_started",
        "item.retry", "item.claimed", "item.attempt_started", "item.done", "run.completed",
    ]


def test_breaker_counts_per_step_so_a_working_reader_does_not_hide_a_dead_erp(
    settings, ledger, registry, tmp_path
):
    down = tmp_path / "erp-down"
    down.touch()
    write_workflow(
        settings,
        "read-then-post",
        f"""
[[steps]]
robot = "noop"
[[steps]]
robot = "tests.core.robots:FlakyRobot"
params = {{ fail_times = 0, down_flag = "{down}" }}
[retry]
max_attempts = 2
backoff_seconds = 0.5
[concurrency]
breaker_threshold = 3
""",
    )
    run = Engine(settings, ledger, registry).run(
        "read-then-post", items=[NewItem(key=f"k{n}") for n in range(8)]
    )
    assert run.state is RunState.PAUSED
    assert "at step 1 (tests.core.robots:FlakyRobot" in (run.reason or "")
    # the items the breaker caught are kept for the resume, not failed
    assert not run.counts.get("FAILED")
    down.unlink()
    resumed = Engine(settings, ledger, registry).resume(run.id, actor="ops")
    assert resumed.counts == {"DONE": 8, "total": 8}
