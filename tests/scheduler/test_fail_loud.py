"""Scale-out fails loudly where it used to hang or lie: an unreachable broker creates no
run, a dispatch cut off half-way leaves a FAILED run whose inputs a later run takes over, a
broker without a shared ledger is a configuration error, and a dispatcher says when no
worker is taking anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from backoffice.cli import main
from backoffice.errors import ConfigError, DispatchFailed, StateError
from backoffice.ledger import Ledger, NewItem
from backoffice.models import Trigger
from backoffice.registry import Registry
from backoffice.states import ItemState, RunState
from scheduler.celery_app import make_celery
from scheduler.dispatch import (
    Waiting,
    describe_stopped_wait,
    dispatch_open_items,
    start_distributed,
    wait_for_run,
)
from tests.scheduler.conftest import APPEND_WORKFLOW, write_project

UNREACHABLE = "redis://127.0.0.1:1/0"


def _workflows(tmp_path: Path) -> dict[str, str]:
    return {"append": APPEND_WORKFLOW.format(ledger_file=tmp_path / "postings.txt",
                                             work_seconds=0.01, lease_seconds=30)}


@pytest.fixture
def in_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for var in ("BOTS_DATABASE_URL", "BOTS_BROKER_URL", "BOTS_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_a_broker_with_a_local_sqlite_ledger_is_a_configuration_error(
    in_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(in_project, broker_url="redis://127.0.0.1:6379/5",
                             workflows=_workflows(in_project))
    with pytest.raises(ConfigError, match="BOTS_DATABASE_URL"):
        make_celery(settings)

    with pytest.raises(SystemExit) as exited:
        main(["run", "append", "--input", str(in_project)])

    assert exited.value.code == 2
    assert "the ledger is the local SQLite file" in capsys.readouterr().err
    assert Ledger.open(settings.db_url).runs() == []  # nothing was started


@pytest.mark.postgres
def test_an_unreachable_broker_fails_at_once_and_creates_no_run(
    in_project: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_project(in_project, database_url=pg_url, broker_url=UNREACHABLE,
                             workflows=_workflows(in_project))
    (in_project / "batch").mkdir()
    (in_project / "batch" / "invoice.txt").write_text("1", encoding="utf-8")

    with pytest.raises(SystemExit) as exited:
        main(["run", "append", "--input", str(in_project / "batch")])

    assert exited.value.code == DispatchFailed.exit_code
    err = capsys.readouterr().err
    assert "Error: broker" in err and "unreachable" in err
    assert Ledger.open(settings.db_url).runs() == []


@pytest.mark.postgres
def test_a_dispatch_cut_off_half_way_fails_the_run_and_a_later_run_does_its_inputs(
    tmp_path: Path, pg_url: str
) -> None:
    from backoffice.engine import Engine

    settings = write_project(tmp_path, database_url=pg_url, broker_url=UNREACHABLE,
                             workflows=_workflows(tmp_path))
    ledger = Ledger.open(settings.db_url)
    registry = Registry(settings)
    run = Engine(settings, ledger, registry).prepare(
        "append", items=[NewItem(key="INV-1")], trigger=Trigger(actor="t"))
    celery = make_celery(settings)

    with pytest.raises(DispatchFailed):
        dispatch_open_items(settings, ledger, registry, celery, run.id, actor="t")
    celery.close()

    failed = ledger.run(run.id)
    assert failed.state is RunState.FAILED and "--resume" in (failed.reason or "")
    (item,) = ledger.items(run.id)
    assert item.state is ItemState.PENDING  # not done, so not "skipped as done" later
    later = Engine(settings, ledger, registry).prepare(
        "append", items=[NewItem(key="INV-1")], trigger=Trigger(actor="t"))
    (taken,) = ledger.items(later.id)
    assert taken.state is ItemState.PENDING
    assert ledger.item(item.id).state is ItemState.SKIPPED
    ledger.close()


@pytest.mark.postgres
@pytest.mark.redis
def test_a_dispatcher_with_no_worker_says_so_instead_of_waiting_silently(
    tmp_path: Path, pg_url: str, redis_queue: tuple[str, str]
) -> None:
    broker, queue = redis_queue
    settings = write_project(tmp_path, database_url=pg_url, broker_url=broker, queue=queue,
                             workflows=_workflows(tmp_path))
    ledger = Ledger.open(settings.db_url)
    run = start_distributed(settings, ledger, Registry(settings), "append",
                            items=[NewItem(key="INV-1")], trigger=Trigger(actor="t"))
    said: list[str] = []

    with pytest.raises(StateError, match="did not settle"):
        wait_for_run(ledger, run.id, timeout=1.2, poll_seconds=0.1, watch_seconds=0.2,
                     waiting=Waiting(say=said.append, quiet_seconds=0.4))

    assert len(said) == 1 and said[0].startswith(f"No worker has taken an item of run {run.id}")
    told = describe_stopped_wait(ledger, run.id, queue=queue)
    assert "No worker has taken" in told and f"--resume {run.id}" in told
    assert "carry on" not in told
    ledger.close()
