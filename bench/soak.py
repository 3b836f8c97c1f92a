"""Soak: many invoices through the ERP poster against a misbehaving demo ERP, with the
worker killed (SIGKILL, browsers and all) twice at random moments and resumed each time.

    .venv/bin/python bench/soak.py [--count 1000] [--workers 2] [--seed N]

The demo ERP runs in its own process: 10% of saves fail (HTTP 500, nothing stored), 5% are
stored and then answered with HTTP 500, 10% of pages are slow (a slow save answers late after
storing). 1% of the invoices come from a vendor the ERP does not know (they must go to review).
Prints posted / review / failed, duplicates in the ERP (must be 0), invoices lost (must be 0:
each one is either in the ERP once, with the document number the ledger recorded, or waiting
in review / failed with a reason and not in the ERP), the ledger's own checks, and the wall
time. Exits 1 when a duplicate or a lost invoice is found.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backoffice.engine import Engine  # noqa: E402
from backoffice.ledger import Ledger, NewItem  # noqa: E402
from backoffice.ledger.events import verify_chain  # noqa: E402
from backoffice.registry import Registry  # noqa: E402
from backoffice.states import ItemState, RunState  # noqa: E402
from bench.erp import erp_process  # noqa: E402
from tests.erp.conftest import (  # noqa: E402
    PASSWORD,
    make_invoice,
    poster_settings,
    write_workflow,
)

WORKFLOW = "erp-soak"
FAIL_RATE, FAIL_AFTER_STORE_RATE, SLOW_RATE, SLOW_MS = 0.10, 0.05, 0.10, 1500
UNKNOWN = {"tax_id": "XX0000000", "name": "Nobody Ltd"}


def invoices(count: int) -> list[dict[str, Any]]:
    out = []
    for n in range(count):
        if n % 100 == 99:  # 1%: a vendor the ERP does not know -> review
            out.append(make_invoice(n, tax_id=UNKNOWN["tax_id"], name=UNKNOWN["name"]))
        else:
            out.append(make_invoice(n, one_line=n % 2 == 0))
    return out


# ---- the worker: a child process that runs (or resumes) the run -----------------------------
def child(base: Path, url: str, resume: str | None) -> None:
    settings = poster_settings(base)
    ledger = Ledger.open(settings.db_url)
    engine = Engine(settings, ledger, Registry(settings))
    if resume:
        engine.resume(resume, actor="soak")
    else:
        batch = json.loads((base / "invoices.json").read_text())
        items = [NewItem(key=i["invoice_number"], payload={"invoice": i}) for i in batch]
        engine.run(WORKFLOW, items=items, params={"erp_url": url})
    ledger.close()


def start_child(base: Path, url: str, resume: str | None = None) -> subprocess.Popen[bytes]:
    args = [sys.executable, __file__, "--child", str(base), url] + ([resume] if resume else [])
    log = (base / "worker.log").open("ab")
    # Its own session, so one SIGKILL takes the worker and the Chromium it drives.
    return subprocess.Popen(args, cwd=base, stdout=log, stderr=log, start_new_session=True,
                            env={**os.environ, "BOTS_SECRET_ERP_PASSWORD": PASSWORD})


# ---- the ERP: its own process -------------------------------------------------------------
def soak_erp(folder: Path, seed: int) -> AbstractContextManager[str]:
    return erp_process(folder, "--fail-rate", str(FAIL_RATE),
                       "--fail-after-store-rate", str(FAIL_AFTER_STORE_RATE),
                       "--slow-rate", str(SLOW_RATE), "--slow-ms", str(SLOW_MS),
                       "--seed", str(seed), log=folder / "erp.log")


# ---- the soak -----------------------------------------------------------------------------
def settled(ledger: Ledger, run_id: str) -> int:
    counts = ledger.run(run_id).counts
    return sum(counts.get(s.value, 0) for s in (ItemState.DONE, ItemState.REVIEW,
                                                ItemState.FAILED))


def wait_for_run(ledger: Ledger, proc: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        found = ledger.runs(workflow=WORKFLOW, limit=1)
        if found:
            return found[0].id
        if proc.poll() is not None:
            raise SystemExit(f"the worker exited with {proc.returncode} before creating the run")
        time.sleep(0.2)
    raise SystemExit("the worker never created the run")


def kill_when(ledger: Ledger, run_id: str, proc: subprocess.Popen[bytes], at: int,
              rng: random.Random) -> tuple[int, float]:
    """SIGKILL the worker's process group once ``at`` items are settled, after a random
    0-2 s more so the kill lands at an arbitrary point of an item; returns (settled, t)."""
    last, last_change = -1, time.monotonic()
    while True:
        done = settled(ledger, run_id)
        if done != last:
            last, last_change = done, time.monotonic()
        if time.monotonic() - last_change > 600:
            raise SystemExit(f"no progress for 10 minutes at {done} settled items")
        if done >= at:
            break
        if proc.poll() is not None:
            raise SystemExit(f"the worker ended (exit {proc.returncode}) before the kill at {at}")
        time.sleep(0.25)
    time.sleep(rng.uniform(0, 2))
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return settled(ledger, run_id), time.monotonic()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="invoices (default 1000)")
    parser.add_argument("--workers", type=int, default=2, help="browser contexts")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    rng = random.Random(seed)
    count = args.count
    batch = invoices(count)
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        base = Path(tmp)
        (base / "invoices.json").write_text(json.dumps(batch))
        write_workflow(base / "wf", name=WORKFLOW, workers=args.workers, max_attempts=8)
        settings = poster_settings(base)
        ledger = Ledger.open(settings.db_url)  # migrated here, before any worker starts
        kills = sorted(rng.sample(range(max(2, count // 20), max(4, count * 17 // 20)), 2))
        with soak_erp(base / "erp", seed) as url:
            started = time.monotonic()
            proc = start_child(base, url)
            run_id = wait_for_run(ledger, proc)
            killed = []
            for at in kills:
                killed.append(kill_when(ledger, run_id, proc, at, rng)[0])
                proc = start_child(base, url, resume=run_id)
            if proc.wait(timeout=4 * 3600) != 0:
                raise SystemExit(f"the last worker exited with {proc.returncode}; "
                                 f"see {base / 'worker.log'}")
            wall = time.monotonic() - started
            stored = httpx.get(f"{url}/api/invoices", timeout=60).json()
        report(ledger, run_id, batch, stored, wall=wall, seed=seed, killed=killed,
               workers=args.workers)


def report(ledger: Ledger, run_id: str, batch: list[dict[str, Any]],
           stored: list[dict[str, Any]], *, wall: float, seed: int, killed: list[int],
           workers: int) -> None:
    run = ledger.run(run_id)
    items = {i.key: i for i in ledger.items(run_id)}
    attempts = ledger.attempts(run_id=run_id)
    in_erp = Counter((s["vendor_tax_id"], s["invoice_number"]) for s in stored)
    by_key = {(s["vendor_tax_id"], s["invoice_number"]): s for s in stored}
    duplicates = sum(n - 1 for n in in_erp.values() if n > 1)
    states = Counter(i.state for i in items.values())
    lost: list[str] = []
    for inv in batch:
        key = (inv["vendor_tax_id"], inv["invoice_number"])
        item = items.get(inv["invoice_number"])
        if item is None:
            lost.append(f"{inv['invoice_number']}: no item in the ledger")
        elif item.state is ItemState.DONE:
            erp = by_key.get(key)
            if erp is None:
                lost.append(f"{item.id}: DONE but not in the ERP")
            elif erp["document_number"] != (item.payload.get("erp") or {}).get(
                    "document_number"):
                lost.append(f"{item.id}: the ERP's document number differs from the ledger's")
        elif item.state in (ItemState.REVIEW, ItemState.FAILED) and item.reasons:
            if key in in_erp:
                lost.append(f"{item.id}: {item.state.value} but stored in the ERP")
        else:
            lost.append(f"{item.id}: left {item.state.value}")
    with ledger.reading() as conn:
        chain = verify_chain(conn)
    state = ledger.verify_state(run_id)
    outcomes = Counter(str(a.outcome) for a in attempts)
    reasons = Counter(r.split(":")[0] for i in items.values()
                      if i.state is not ItemState.DONE for r in i.reasons)
    unknown = sum(1 for i in batch if i["vendor_tax_id"] == UNKNOWN["tax_id"])
    print(f"invoices:                  {len(batch)} ({unknown} from a vendor the ERP does not "
          "know)")
    print(f"demo ERP (own process):    {FAIL_RATE:.0%} failing saves, {FAIL_AFTER_STORE_RATE:.0%} "
          f"HTTP 500 after storing, {SLOW_RATE:.0%} slow pages (+{SLOW_MS} ms); seed {seed}")
    print(f"worker:                    {workers} browser contexts; SIGKILLed at {killed[0]} and "
          f"{killed[1]} settled items, resumed each time")
    print(f"run:                       {run.id} {run.state.value}")
    print(f"posted:                    {states.get(ItemState.DONE, 0)}")
    print(f"review:                    {states.get(ItemState.REVIEW, 0)}  {dict(reasons)}")
    print(f"failed:                    {states.get(ItemState.FAILED, 0)}")
    print(f"attempts:                  {len(attempts)}  {dict(sorted(outcomes.items()))}")
    print(f"duplicates in the ERP:     {duplicates}   (must be 0)")
    print(f"invoices lost:             {len(lost)}   (must be 0)")
    for line in lost[:20]:
        print(f"  - {line}")
    print(f"audit chain:               {chain.describe()}")
    print(f"recorded state:            {state.describe()}")
    for mismatch in state.mismatches[:10]:
        print(f"  - {mismatch.describe()}")
    print(f"wall time:                 {wall:.0f} s ({len(batch) / wall * 60:.1f} invoices/min)")
    ledger.close()
    if duplicates or lost or run.state is not RunState.COMPLETED or not chain.ok or not state.ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
