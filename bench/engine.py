"""Engine benchmark: items per second for a no-op robot with 1 and 4 workers, and the
engine's overhead per item (everything but the robot) on SQLite. Target: under 5 ms/item.

    .venv/bin/python bench/engine.py [--items N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backoffice.config import load_settings  # noqa: E402
from backoffice.engine import Engine  # noqa: E402
from backoffice.ledger import Ledger, NewItem  # noqa: E402
from backoffice.registry import Registry  # noqa: E402
from backoffice.states import RunState  # noqa: E402


def measure(items: int, workers: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "workflows").mkdir()
        (base / "workflows" / "noop.toml").write_text(
            'name = "noop"\n[[steps]]\nrobot = "noop"\n'
        )
        settings = load_settings(base_dir=base, env={})
        ledger = Ledger.open(settings.db_url)
        engine = Engine(settings, ledger, Registry(settings))
        batch = [NewItem(key=f"item-{n}") for n in range(items)]
        run = engine.prepare("noop", items=batch)
        start = time.perf_counter()
        run = engine.execute(run.id, actor="bench", workers=workers)
        elapsed = time.perf_counter() - start
        assert run.state is RunState.COMPLETED and run.counts["DONE"] == items, run.counts
        robot_ms = sum(a.duration_ms or 0 for a in ledger.attempts(run_id=run.id))
        ledger.close()
    return elapsed, robot_ms / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args()
    print(f"engine benchmark: no-op robot, {args.items} items, SQLite (WAL) ledger")
    for workers in (1, 4):
        elapsed, robot_s = measure(args.items, workers)
        rate = args.items / elapsed
        overhead_ms = (elapsed - robot_s / workers) / args.items * 1000
        print(f"  workers={workers}: {rate:8.1f} items/s   {elapsed:6.2f} s   "
              f"engine overhead {overhead_ms:.2f} ms/item (wall clock per item)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak:.0f} MB   target: overhead < 5 ms/item")


if __name__ == "__main__":
    main()
