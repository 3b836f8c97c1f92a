"""Benchmark of the reconciler: a generated 100,000 x 100,000 pair, end to end.

Prints seconds end to end, peak RSS, the I/O floor (only reading both files and writing the
same report) and the ratio to it, plus the F1 against the generator's truth. Each phase runs
in a fresh process so its peak RSS is its own. On a shared, loaded machine one wall-clock
ratio says more about the neighbours than about the code: ``--repeat N`` runs the pair N
times, alternating, and prints the median ratio of wall-clock and of CPU seconds.

    .venv/bin/python bench/reconcile.py [--rows 100000] [--repeat 3] [--dir ...]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.3
TARGET_RSS_MB = 500


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _end_to_end(folder: Path) -> dict:
    from robots.reconcile.rules import Rules
    from robots.reconcile.service import reconcile, result_json

    started, cpu = time.perf_counter(), time.process_time()
    result = reconcile([folder / "statement.xlsx"], [folder / "open_items.xlsx"], Rules(),
                       out=folder / "report.xlsx")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    data = result_json(result)
    truth = json.loads((folder / "truth.json").read_text())

    def pairs(d: dict) -> set:
        return {(a, b) for m in d["matches"] for a in m["left"] for b in m["right"]}

    got, want = pairs(data), pairs(truth)
    tp = len(got & want)
    f1 = 2 * tp / (len(got) + len(want)) if got or want else 1.0
    unrelated = set(truth.get("unrelated_left", []))
    wrong = sum(1 for m in data["matches"] if unrelated & set(m["left"]))
    return {"seconds": seconds, "cpu": cpu, "rss_mb": _rss_mb(), "f1": f1,
            "unrelated": len(unrelated),
            "unrelated_matched": wrong,
            "rows": [len(result.left.records), len(result.right.records)]}


def _floor(folder: Path) -> dict:
    import python_calamine as calamine

    from robots.reconcile.matching import match
    from robots.reconcile.reading import read_side
    from robots.reconcile.report import write_report
    from robots.reconcile.rules import Rules

    started, cpu = time.perf_counter(), time.process_time()
    cells = 0
    for name in ("statement.xlsx", "open_items.xlsx"):
        sheet = calamine.CalamineWorkbook.from_path(str(folder / name)).get_sheet_by_index(0)
        for row in sheet.iter_rows():
            cells += len(row)
    read_seconds, read_cpu = time.perf_counter() - started, time.process_time() - cpu
    rules = Rules()  # the result to write is computed outside the clock
    result = match(read_side([folder / "statement.xlsx"], "left", rules),
                   read_side([folder / "open_items.xlsx"], "right", rules), rules)
    started, cpu = time.perf_counter(), time.process_time()
    write_report(result, folder / "floor-report.xlsx", rules_summary={})
    write_seconds, write_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"read_seconds": read_seconds, "write_seconds": write_seconds,
            "seconds": read_seconds + write_seconds, "cpu": read_cpu + write_cpu,
            "cells": cells}


def _child(phase: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", phase, "--dir", str(folder)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=ROOT / "outputs" / "bench" / "reconcile")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run end to end and the floor this many times, alternating")
    parser.add_argument("--phase", choices=("e2e", "floor"))
    args = parser.parse_args()
    if args.phase:
        fn = _end_to_end if args.phase == "e2e" else _floor
        print(json.dumps(fn(args.dir)))
        return
    from robots.reconcile.samples import generate_pair

    folder = args.dir / str(args.rows)
    if not (folder / "truth.json").is_file():
        print(f"generating a {args.rows:,} x {args.rows:,} pair in {folder} ...", flush=True)
        generate_pair(folder, args.rows, seed=11)
    runs = []
    for n in range(max(1, args.repeat)):
        e2e, floor = _child("e2e", folder), _child("floor", folder)
        runs.append((e2e, floor))
        if args.repeat > 1:
            print(f"run {n + 1}: {e2e['seconds']:.1f} s / floor {floor['seconds']:.1f} s = "
                  f"{e2e['seconds'] / floor['seconds']:.2f} (CPU {e2e['cpu']:.1f} / "
                  f"{floor['cpu']:.1f} = {e2e['cpu'] / floor['cpu']:.2f})", flush=True)
    ratio = statistics.median(e['seconds'] / f['seconds'] for e, f in runs)
    cpu_ratio = statistics.median(e['cpu'] / f['cpu'] for e, f in runs)
    e2e, floor = runs[0]
    median = f"median of {len(runs)}" if len(runs) > 1 else "one run"
    print(f"rows (left x right)     {e2e['rows'][0]:,} x {e2e['rows'][1]:,}")
    print(f"end to end              {statistics.median(e['seconds'] for e, _ in runs):.1f} s "
          f"({median})")
    print(f"peak RSS                {max(e['rss_mb'] for e, _ in runs):.0f} MB "
          f"(target <= {TARGET_RSS_MB} MB)")
    print(f"I/O floor               {statistics.median(f['seconds'] for _, f in runs):.1f} s"
          f" (read {floor['read_seconds']:.1f} s + write report {floor['write_seconds']:.1f} s)")
    print(f"ratio to I/O floor      {ratio:.2f} wall-clock, {cpu_ratio:.2f} CPU seconds "
          f"({median}; target <= {TARGET_RATIO})")
    if len(runs) > 1:  # the least disturbed run of each, as timeit reports
        best = min(e["seconds"] for e, _ in runs) / min(f["seconds"] for _, f in runs)
        best_cpu = min(e["cpu"] for e, _ in runs) / min(f["cpu"] for _, f in runs)
        print(f"best of {len(runs)} each           {best:.2f} wall-clock, {best_cpu:.2f} CPU "
              "seconds")
    print(f"F1 on matched pairs     {e2e['f1']:.4f}")
    print(f"unrelated payers matched {e2e['unrelated_matched']} of {e2e['unrelated']} "
          "(target 0)")


if __name__ == "__main__":
    main()
