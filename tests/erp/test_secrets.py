"""A password typed into the ERP's login form never reaches a trace, screenshot, log or
the ledger, even when the robot signs in again in the middle of a traced item."""

from __future__ import annotations

import base64
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from backoffice.models import Run, WorkItem
from backoffice.states import ItemState
from tests.erp.conftest import PASSWORD, PosterEnv, make_invoice

pytestmark = pytest.mark.browser


def spellings(secret: str) -> list[bytes]:
    return [secret.encode(), quote_plus(secret).encode(), base64.b64encode(secret.encode()),
            secret.encode("utf-16-le")]


def test_password_is_absent_from_trace_screenshot_logs_and_ledger(
    poster_env: Callable[..., PosterEnv],
) -> None:
    env = poster_env()

    class ExpireSessions:  # forces a second sign-in inside the next item's trace
        def started(self, run: Run, total: int, settled: int) -> None:
            pass

        def item_settled(self, item: WorkItem) -> None:
            env.erp.expire_sessions()

    bad = [make_invoice(n, tax_id="XX0000000", name="Nobody Ltd") for n in (1, 2)]
    run = env.run(bad, progress=ExpireSessions())
    items = env.ledger.items(run.id)
    assert [i.state for i in items] == [ItemState.REVIEW, ItemState.REVIEW]
    assert env.erp.user_stats("demo")["logins"] == 2

    traces = [Path(p) for i in items for p in i.payload["erp_evidence"] if p.endswith(".zip")]
    assert len(traces) >= 2
    recorded = b""
    for trace in traces:
        with zipfile.ZipFile(trace) as zf:
            for name in zf.namelist():
                recorded += zf.read(name)
    assert b"INV-0002" in recorded  # the trace did record the item's work
    files = [*traces, *(Path(p) for i in items for p in i.payload["erp_evidence"]),
             env.settings.run_dir(run.id) / "log.jsonl",
             *env.settings.outputs.glob("ledger.sqlite3*")]
    blobs = {str(f): f.read_bytes() for f in files}
    blobs["traces (unzipped)"] = recorded
    for where, blob in blobs.items():
        for spelling in spellings(PASSWORD):
            assert spelling not in blob, f"password found in {where}"
