"""The window-envelope rules measured on business letters drawn at random from the letter
standards (``tests/invoices/letter_layouts.py``): per family (DIN 5008 A/B, ÖNORM, SN, NF,
UK, US), the recall of the buyer, the vendor and the tax amount, and the values read wrong
under status ``ok`` (target 0).

    .venv/bin/python bench/letters.py [--n 30] [--seed 5008] [--by CHOICE] [--misses]

``HELD_OUT_FAMILY`` prints its figures only (``--misses`` never lists its letters).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from robots.invoices.cli import read_batch  # noqa: E402
from robots.invoices.reader import ExtractionStatus, ReaderOptions  # noqa: E402
from tests.invoices.letter_layouts import HELD_OUT_FAMILY, draw_letters  # noqa: E402

FIELDS = ("buyer_name", "vendor_name", "tax_amount")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="letters per family")
    parser.add_argument("--seed", type=int, default=5008)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--by", help="break each family down by this layout choice")
    parser.add_argument("--misses", action="store_true", help="list the tuned families' misses")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-letters-") as tmp:
        letters = draw_letters(Path(tmp), args.n, args.seed)
        paths = list(letters)
        results = dict(zip(paths, read_batch(paths, ReaderOptions(), [], workers=args.workers),
                           strict=True))
    # group -> field -> [right, total]; group -> wrong under ok, all fields, fully right
    right: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    wrong_ok: dict[str, int] = defaultdict(int)
    misses: list[str] = []
    for path, letter in letters.items():
        result, truth = results[path], letter.truth()
        groups = [letter.family]
        if args.by:
            groups.append(f"{letter.family}/{letter.choices.get(args.by, '-')}")
        wrong = [k for k, v in truth.items() if result.fields.get(k) != v]
        if result.status is ExtractionStatus.OK and any(
                result.fields.get(k) is not None for k in wrong):
            for g in groups:
                wrong_ok[g] += 1
        for g in groups:
            for k in (*FIELDS, "all fields"):
                ok = (k not in wrong) if k != "all fields" else not wrong
                right[g][k][0] += ok
                right[g][k][1] += 1
        if letter.family != HELD_OUT_FAMILY:
            misses += [f"{path.name} {k}: expected {truth[k]!r}, got {result.fields.get(k)!r} "
                       f"({result.status.value}; {letter.choices})" for k in wrong]
    print(f"{'family':>24} " + " ".join(f"{k:>12}" for k in (*FIELDS, "all fields"))
          + "  wrong-under-ok")
    for g in sorted(right, key=lambda g: (g.split("/")[0] == HELD_OUT_FAMILY, g)):
        held = " (held out)" if g.split("/")[0] == HELD_OUT_FAMILY else ""
        cells = " ".join(f"{r / t:>11.0%} " if t else f"{'-':>12}"
                         for r, t in (right[g][k] for k in (*FIELDS, "all fields")))
        print(f"{g + held:>24} {cells}  {wrong_ok[g]}")
    if args.misses:
        for m in misses:
            print("  miss", m)


if __name__ == "__main__":
    main()
