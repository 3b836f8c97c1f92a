"""ROI and audit benchmark: how long `bots roi` (compute + workbook + HTML), `bots audit
verify` (the chain, then the recorded state replayed from it) and an evidence export take
over a ledger of N items (4 audit events per item) on SQLite. Targets: ROI under 2 s and
verify under 1 s for 3,000 items.

    .venv/bin/python bench/roi_audit.py [--items N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backoffice.config import load_settings  # noqa: E402
from backoffice.engine import Engine  # noqa: E402
from backoffice.evidence import export_evidence  # noqa: E402
from backoffice.ledger import Ledger, NewItem  # noqa: E402
from backoffice.ledger.events import verify_chain  # noqa: E402
from backoffice.registry import Registry  # noqa: E402
from backoffice.roi import compute_roi  # noqa: E402
from backoffice.roi.report import render_roi_html, write_roi_workbook  # noqa: E402


def timed(label: str, call, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = call(*args, **kwargs)
    print(f"  {label:<34} {time.perf_counter() - start:7.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "workflows").mkdir()
        (base / "workflows" / "noop.toml").write_text(
            'name = "noop"\n[[steps]]\nrobot = "noop"\n'
        )
        settings = load_settings(base_dir=base, env={}, roi={
            "profiles": [{"target": "noop", "manual_minutes": 3.0}],
            "investment": {"build_cost": 1000.0, "licence_per_month": 50.0},
        })
        ledger = Ledger.open(settings.db_url)
        engine = Engine(settings, ledger, Registry(settings))
        print(f"roi/audit benchmark: {args.items} items, SQLite (WAL) ledger")
        run = timed("engine run (setup)", engine.run, "noop",
                    items=[NewItem(key=f"item-{n}") for n in range(args.items)], workers=4)
        with ledger.reading() as conn:
            events = conn.exec_driver_sql("SELECT count(*) FROM events").scalar_one()
        report = timed("compute_roi by month", compute_roi, ledger, settings)
        timed("compute_roi by robot", compute_roi, ledger, settings, by="robot")
        timed("write_roi_workbook", write_roi_workbook, report, base / "roi.xlsx")
        timed("render_roi_html", render_roi_html, report)
        with ledger.reading() as conn:
            chain = timed(f"verify_chain ({events} events)", verify_chain, conn)
        assert chain.ok, chain.describe()
        state = timed(f"verify_state ({args.items} items)", ledger.verify_state)
        assert state.ok, state.describe()
        timed("export_evidence (one run)", export_evidence, ledger, settings, run.id,
              base / "bundle")
        assert report.totals.items == args.items
        print(f"  hours saved {report.totals.hours_saved:,.1f}  "
              f"net benefit {report.totals.net_benefit:,.2f} {report.currency}")
        ledger.close()


if __name__ == "__main__":
    main()
