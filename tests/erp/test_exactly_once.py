"""Exactly once under failure: a flaky ERP, and a run killed with SIGKILL mid-way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from backoffice.engine import Engine
from backoffice.ledger import Ledger
from backoffice.registry import Registry
from backoffice.states import ItemState, RunState
from robots.erp.demo import running_demo_erp
from tests.erp.conftest import (
    OTHER_VENDOR,
    PASSWORD,
    VENDOR,
    PosterEnv,
    make_invoice,
    posted_once,
    poster_settings,
    write_workflow,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


def test_sixteen_invoices_at_fail_rate_20_percent_are_each_posted_once_or_explained(
    poster_env: Callable[..., PosterEnv],
) -> None:
    env = poster_env(fail_rate=0.2, fail_after_store_rate=0.05, workers=2, max_attempts=6,
                     seed=7)
    # One line each: the lines are not what this test is about, and it stays quick.
    invoices = [make_invoice(n, one_line=True) for n in range(12)]
    invoices += [make_invoice(n, tax_id="XX0000000", name="Nobody Ltd") for n in (900, 901)]
    invoices += [make_invoice(902, total_amount="1.00"), make_invoice(903, issue_date="")]
    run = env.run(invoices)
    assert run.state is RunState.COMPLETED
    stored = posted_once(env.erp)  # no duplicates
    items = env.ledger.items(run.id)
    assert len(items) == 16
    for item in items:
        inv = item.payload["invoice"]
        key = (inv["vendor_tax_id"], inv["invoice_number"])
        if item.state is ItemState.DONE:
            assert stored[key]["document_number"] == item.payload["erp"]["document_number"]
        else:
            assert item.state in (ItemState.REVIEW, ItemState.FAILED)
            assert item.reasons and all(item.reasons), item
            assert key not in stored
    done = {(i.payload["invoice"]["vendor_tax_id"], i.payload["invoice"]["invoice_number"])
            for i in items if i.state is ItemState.DONE}
    assert set(stored) == done  # none missing, none extra
    assert len(done) >= 11  # the flaky ones were retried, not given up on
    assert sum(1 for i in items if i.state is ItemState.REVIEW) == 4


CHILD = """
import sys
from pathlib import Path
from backoffice.config import load_settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger, NewItem
from backoffice.registry import Registry
import json
base, url = Path(sys.argv[1]), sys.argv[2]
invoices = json.loads((base / "invoices.json").read_text())
settings = load_settings(base_dir=base, workflow_dirs=[base / "wf"])
ledger = Ledger.open(settings.db_url)
items = [NewItem(key=i["invoice_number"], payload={"invoice": i}) for i in invoices]
Engine(settings, ledger, Registry(settings)).run("erp-test", items=items,
                                                 params={"erp_url": url})
"""


def test_run_killed_mid_way_resumes_without_duplicates_or_gaps(tmp_path: Path) -> None:
    invoices = [make_invoice(n, **({} if n % 2 else {"vendor_tax_id": OTHER_VENDOR["tax_id"]}))
                for n in range(10)]
    (tmp_path / "invoices.json").write_text(json.dumps(invoices))
    write_workflow(tmp_path / "wf", workers=2)
    with running_demo_erp(tmp_path / "erp", vendors=[VENDOR, OTHER_VENDOR],
                          users={"demo": PASSWORD}) as erp:
        env = {**os.environ, "BOTS_SECRET_ERP_PASSWORD": PASSWORD,
               "PYTHONPATH": str(REPO)}
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path), erp.url],
                                 env=env, cwd=tmp_path, start_new_session=True)
        deadline = time.monotonic() + 120
        while len(erp.invoices()) < 4 and child.poll() is None:
            assert time.monotonic() < deadline, "the run posted nothing"
            time.sleep(0.05)
        os.killpg(child.pid, signal.SIGKILL)  # the run and its browsers, mid-item
        child.wait()
        assert len(erp.invoices()) < len(invoices), "killed too late to test anything"

        settings = poster_settings(tmp_path)
        ledger = Ledger.open(settings.db_url)
        run = ledger.runs(limit=1)[0]
        assert run.state is RunState.RUNNING  # as the dead process left it
        resumed = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01).resume(
            run.id, actor="test")
        items = ledger.items(run.id)
        ledger.close()
        stored = posted_once(erp)  # no duplicates
    assert resumed.state is RunState.COMPLETED
    assert [i.state for i in items] == [ItemState.DONE] * len(invoices)
    assert {k[1] for k in stored} == {i["invoice_number"] for i in invoices}  # none missing
    for item in items:
        key = (item.payload["invoice"]["vendor_tax_id"], item.payload["invoice"]["invoice_number"])
        assert stored[key]["document_number"] == item.payload["erp"]["document_number"]
