"""Benchmark of learning from corrections: twelve vendors, each with its own house layout
(``tests/invoices/vendor_layouts.py``), N invoices of each.

    .venv/bin/python bench/learning.py [--per-vendor 4] [--seeds 12 1 2]

For each seed, through the real engine, review flow and SQLite ledger:
1. every vendor's first invoice is read by the ``invoice_reader`` robot; if it goes to
   review, a reviewer approves it with the true fields (``bots review approve ITEM --set
   FIELD=VALUE ... --set lines=<JSON>``), which teaches the vendor's layout;
2. the vendors' later invoices are read by the robot in a new run.
Printed: the later invoices read without what was learned (``before``) and with it
(``after``): fields, invoices fully right (lines included), straight through (``ok`` and
fully right) and wrong values under ``ok``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from click.testing import CliRunner  # noqa: E402

from backoffice.cli import cli_for_tests  # noqa: E402
from backoffice.config import load_settings  # noqa: E402
from backoffice.engine import Engine  # noqa: E402
from backoffice.ledger import Ledger  # noqa: E402
from backoffice.registry import Registry  # noqa: E402
from backoffice.states import ItemState  # noqa: E402
from robots.invoices.reader import Extraction, ExtractionStatus, read_invoice  # noqa: E402
from robots.invoices.scoring import Score, exact_line, score  # noqa: E402
from tests.invoices.conftest import write_read_invoices_workflow  # noqa: E402
from tests.invoices.vendor_layouts import VENDORS, Vendor, write_vendor_invoices  # noqa: E402
from tests.invoices.vendor_layouts_heldout import HELD_OUT  # noqa: E402


def _as_extraction(item: Any) -> Extraction:
    extraction = item.payload.get("extraction") or {}
    status = ExtractionStatus(extraction.get("status", "error"))
    return Extraction(file=Path(item.files[0]).name, status=status,
                      reasons=list(item.reasons), fields=dict(item.payload.get("invoice") or {}),
                      confidence=dict(extraction.get("confidence") or {}))


def run_seed(base: Path, per_vendor: int, seed: int, vendors: tuple[Vendor, ...] = VENDORS,
             ) -> tuple[Score, Score, int, int, int]:
    write_read_invoices_workflow(base / "wf")
    config = base / "bots.toml"
    config.write_text(f'base_dir = "{base}"\nworkflow_dirs = ["{base}/wf"]\n')
    settings = load_settings(config, env={})
    series = write_vendor_invoices(base / "pdfs", per_vendor=per_vendor, seed=seed,
                                   vendors=vendors)
    inbox = settings.inputs / "invoices"
    inbox.mkdir(parents=True)
    truths = {p.name: t for s in series.values() for p, t in s}
    later = [p for s in series.values() for p, _ in s[1:]]
    before = score(((read_invoice(p), truths[p.name]) for p in later), exact_line)

    ledger = Ledger.open(settings.db_url)
    corrected = first_ok = 0
    try:
        for s in series.values():
            shutil.copy(s[0][0], inbox)
        run = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01).run(
            "read-invoices")
        for item in ledger.items(run.id):
            name = Path(item.files[0]).name
            if item.state is ItemState.DONE:
                first_ok += 1
                continue
            if item.state is not ItemState.REVIEW:
                continue
            truth = truths[name]
            args = [a for k, v in truth.items() if k != "lines"
                    for a in ("--set", f"{k}={'' if v is None else v}")]
            result = CliRunner().invoke(cli_for_tests(), [
                "--config", str(config), "review", "approve", item.id, *args,
                "--set", f"lines={json.dumps(truth['lines'])}", "--user", "bench",
                "--no-continue"])
            if result.exit_code == 0 and "Learned: layout" in result.output:
                corrected += 1
            else:
                print(f"  approval of {name} did not teach: {result.output.strip()[:300]}")
        for f in inbox.glob("*.pdf"):
            f.unlink()
        for p in later:
            shutil.copy(p, inbox)
        run = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01).run(
            "read-invoices")
        pairs = [(_as_extraction(i), truths[Path(i.files[0]).name]) for i in ledger.items(run.id)]
        layouts = len(ledger.knowledge_entries("invoice_reader", "layout"))
    finally:
        ledger.close()
    after = score(pairs, exact_line)
    return before, after, corrected, first_ok, layouts


def straight_through(s: Score) -> int:
    return s.statuses.get("ok", 0) - len(s.wrong_ok)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-vendor", type=int, default=4)
    parser.add_argument("--seeds", type=int, nargs="+", default=[12, 1, 2])
    parser.add_argument("--misses", type=int, default=10)
    parser.add_argument("--held-out", action="store_true",
                        help="the six vendors written after the learner was finished "
                             "(tests/invoices/vendor_layouts_heldout.py)")
    args = parser.parse_args()
    vendors = HELD_OUT if args.held_out else VENDORS
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="bench-learning-") as tmp:
            before, after, corrected, first_ok, layouts = run_seed(Path(tmp), args.per_vendor,
                                                                   seed, vendors)
        which = " (held out)" if args.held_out else ""
        print(f"seed {seed}: {len(vendors)} vendors{which} x {args.per_vendor}; first invoices: "
              f"{corrected} "
              f"corrected in review (taught {layouts} layouts), {first_ok} done with no "
              "review")
        for name, s in (("before", before), ("after", after)):
            print(f"  later invoices {name:>6}: {s.describe()}; straight through "
                  f"{straight_through(s)}/{s.invoices}; statuses {s.statuses}")
        for file, field, want, got in after.misses[: args.misses]:
            print(f"    miss {file} {field}: expected {want!r}, got {got!r}")


if __name__ == "__main__":
    main()
