"""Only work that happened archives a file: a later run never skips (or moves) an input that an
unfinished run still holds, and takes over the inputs of a run that was abandoned."""

from __future__ import annotations

import os
import signal
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from backoffice.engine import Engine
from backoffice.ledger import Ledger, NewItem
from backoffice.ledger.events import iter_events
from backoffice.models import Trigger
from backoffice.registry import Registry
from backoffice.states import ItemState, RunState, TriggerKind
from tests.core.helpers import make_inputs, write_workflow
from tests.core.test_crash_resume import BOTS, wait_for_lines


def archiving_workflow(settings, effects: Path, *, sleep: float = 0.0, lease: int = 300) -> None:
    write_workflow(
        settings,
        "count",
        f"""
[input]
glob = "docs/*.txt"
[[steps]]
robot = "tests.core.robots:CountingRobot"
params = {{ effects = "{effects}", sleep = {sleep} }}
[archive]
done = "processed"
review = "review"
failed = "failed"
[concurrency]
workers = 1
lease_seconds = {lease}
""",
    )


def effect_keys(effects: Path) -> list[str]:
    return [line.split("\t")[0] for line in effects.read_text().splitlines() if line]


def assert_archived_files_were_processed(ledger: Ledger, docs: Path) -> None:
    """Every file in processed/ belongs to an input some item actually did."""
    done_keys = {i.key for i in ledger.items(states=[ItemState.DONE])}
    for item in ledger.items():
        for name in item.files:
            if Path(name).parent == docs / "processed":
                assert item.key in done_keys, f"{name} archived but never processed"


@pytest.mark.slow
def test_next_fire_after_a_killed_run_processes_every_input_exactly_once(
    settings, ledger, tmp_path
):
    effects = tmp_path / "effects.log"
    archiving_workflow(settings, effects, sleep=0.05)
    make_inputs(settings, "docs", 30)
    docs = settings.inputs / "docs"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [*BOTS, "run", "count", "--user", "scheduler"],
        cwd=settings.base_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        wait_for_lines(effects, 6)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    (killed,) = ledger.runs(workflow="count")
    assert killed.state is RunState.RUNNING  # nobody recorded its end
    done_before = len(effect_keys(effects))
    assert done_before < 30
    # Nothing unprocessed was moved by the killed run.
    assert len(list(docs.glob("*.txt"))) + len(list((docs / "processed").glob("*.txt"))) == 30
    assert_archived_files_were_processed(ledger, docs)

    # The next scheduled fire of the same workflow takes the abandoned inputs over.
    nxt = Engine(settings, ledger, Registry(settings)).run("count")
    assert nxt.state is RunState.COMPLETED
    left = nxt.counts["total"]
    assert left == len(ledger.items(nxt.id)) and left >= 30 - done_before
    assert nxt.counts.get("DONE", 0) + nxt.counts.get("SKIPPED", 0) == left
    keys = effect_keys(effects)
    assert len(keys) == 30 and len(set(keys)) == 30, "every input processed exactly once"
    assert_archived_files_were_processed(ledger, docs)
    assert not list(docs.glob("*.txt")), "every processed input archived"
    assert len(list((docs / "processed").glob("*.txt"))) == 30
    assert_archived_files_were_processed(ledger, docs)
    taken = [i for i in ledger.items(killed.id) if i.state is ItemState.SKIPPED]
    assert taken and all(i.skipped_from and i.skipped_from.startswith(nxt.id) for i in taken)
    with ledger.reading() as conn:
        events = {e.kind for e in iter_events(conn, run_id=killed.id)}
    assert "item.taken_over" in events

    # Resuming the killed run afterwards does nothing twice.
    resumed = Engine(settings, ledger, Registry(settings)).resume(killed.id, actor="ops")
    assert resumed.state is RunState.COMPLETED
    assert len(effect_keys(effects)) == 30
    report = ledger.verify_state()
    assert report.ok, [m.describe() for m in report.mismatches]


def test_runs_fired_in_the_same_second_process_each_input_once_whichever_runs_first(
    settings, ledger, registry, tmp_path
):
    effects = tmp_path / "effects.log"
    archiving_workflow(settings, effects)
    make_inputs(settings, "docs", 8)
    docs = settings.inputs / "docs"
    engine = Engine(settings, ledger, registry)
    a, b, c = (engine.prepare(
        "count", trigger=Trigger(kind=TriggerKind.SCHEDULE, schedule_id=f"s{n}")
    ) for n in range(3))
    assert a.counts.get("PENDING") == 8
    for later in (b, c):
        assert ledger.run(later.id).counts == {"SKIPPED": 8, "total": 8}

    # The later runs execute first: they must neither process nor move the shared files.
    for later in (c, b):
        engine.execute(later.id, actor="scheduler")
        assert len(list(docs.glob("*.txt"))) == 8, "files held by run A stay in place"
    assert not effects.exists()
    engine.execute(a.id, actor="scheduler")
    keys = effect_keys(effects)
    assert sorted(keys) == sorted(set(keys)) and len(keys) == 8
    assert len(list((docs / "processed").glob("*.txt"))) == 8
    assert_archived_files_were_processed(ledger, docs)


def test_run_left_running_by_a_dead_process_is_taken_over_not_skipped(any_ledger_url):
    """The dispatch that failed half-way (broker down) left a RUNNING run with PENDING items:
    running the input again must process it, not report it done."""
    ledger = Ledger.open(any_ledger_url)
    stuck = ledger.create_run("wf", Trigger())
    ledger.add_items(stuck.id, "wf", [NewItem(key="k", payload={"read": 1})], actor="t")
    ledger.set_run_state(stuck.id, RunState.RUNNING, actor="t", owner="gone-host:1:x")

    def dead(owner: str) -> bool:
        return owner.startswith("gone-host")

    again = ledger.create_run("wf", Trigger())
    (item,) = ledger.add_items(again.id, "wf", [NewItem(key="k")], actor="t", owner_is_dead=dead)
    assert item.state is ItemState.PENDING
    assert item.payload == {"read": 1}, "the old item's progress is carried over"
    (old,) = ledger.items(stuck.id)
    assert old.state is ItemState.SKIPPED and old.skipped_from == item.id
    ledger.close()


def test_live_run_keeps_its_inputs_and_a_silent_one_loses_them(any_ledger_url):
    ledger = Ledger.open(any_ledger_url)
    live = ledger.create_run("wf", Trigger())
    ledger.add_items(live.id, "wf", [NewItem(key="k")], actor="t")
    ledger.set_run_state(live.id, RunState.RUNNING, actor="t", owner="other-host:1:x")

    second = ledger.create_run("wf", Trigger())
    (held,) = ledger.add_items(second.id, "wf", [NewItem(key="k")], actor="t")
    assert held.state is ItemState.SKIPPED
    assert "held by item" in held.reasons[0] and "left in place" in held.reasons[0]

    third = ledger.create_run("wf", Trigger())
    (taken,) = ledger.add_items(
        third.id, "wf", [NewItem(key="k")], actor="t", stale_after=timedelta(0)
    )
    assert taken.state is ItemState.PENDING  # no heartbeat for too long: abandoned
    ledger.close()


def test_input_waiting_for_review_is_held_and_only_done_work_is_skipped_as_done(
    settings, ledger, registry, tmp_path
):
    write_workflow(
        settings,
        "picky",
        '[input]\nglob = "docs/*.txt"\n[[steps]]\nrobot = "tests.core.robots:PickyRobot"\n'
        '[archive]\ndone = "processed"\nreview = "review"\n',
    )
    (doc,) = make_inputs(settings, "docs", 1)
    first = Engine(settings, ledger, registry).run("picky")
    assert first.counts.get("REVIEW") == 1
    copy = doc.with_name("again.txt")
    copy.write_bytes((doc.parent / "review" / doc.name).read_bytes())
    second = Engine(settings, ledger, Registry(settings)).run("picky")
    (item,) = ledger.items(second.id)
    assert item.state is ItemState.SKIPPED and "REVIEW" in item.reasons[0]
    assert copy.exists(), "a copy of an input waiting for review is not archived"
