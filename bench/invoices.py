"""Benchmark of the invoice reader.

    .venv/bin/python bench/invoices.py [--n 40] [--workers N]

Prints pages per second (one process and a process pool on all cores), the ratio of our
time per page to pdfplumber's own ``extract_words`` on the same PDFs (target: <= 1.3), and
the field accuracy over generated plus hand-made invoices (targets: >= 98 % of fields,
>= 90 % of invoices fully right, no wrong value with status ok).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pdfplumber  # noqa: E402

from robots.invoices.cli import read_batch  # noqa: E402
from robots.invoices.reader import ReaderOptions, read_invoice  # noqa: E402
from robots.invoices.samples import generate_invoices  # noqa: E402
from robots.invoices.scoring import score  # noqa: E402
from tests.invoices.handmade import write_handmade  # noqa: E402
from tests.invoices.handmade_more import write_handmade_more  # noqa: E402


def plumber_seconds(paths: list[Path]) -> tuple[float, int]:
    pages = 0
    started = time.perf_counter()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()
                pages += 1
    return time.perf_counter() - started, pages


def reader_seconds(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        read_invoice(path)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3, help="best of this many timings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-invoices-") as tmp:
        folder = Path(tmp)
        paths = generate_invoices(folder / "generated", args.n, seed=2024, review_share=0.1)
        handmade = write_handmade(folder / "handmade")
        handmade.update(write_handmade_more(folder / "handmade-more"))
        everything = paths + list(handmade)
        reader_seconds(everything[:2])  # warm imports and caches before timing
        base, pages = min((plumber_seconds(everything) for _ in range(args.rounds)),
                          key=lambda t: t[0])
        ours = min(reader_seconds(everything) for _ in range(args.rounds))
        started = time.perf_counter()
        results = read_batch(everything, ReaderOptions(), [], workers=args.workers)
        parallel = time.perf_counter() - started

        truths = [json.loads(p.with_name(p.stem + ".truth.json").read_text("utf-8"))["fields"]
                  for p in paths] + list(handmade.values())
        acc = score(zip(results, truths, strict=True))
        acc_generated = score(zip(results[: len(paths)], truths[: len(paths)], strict=True))
        acc_handmade = score(zip(results[len(paths):], truths[len(paths):], strict=True))

    print(f"invoices: {len(everything)} ({len(paths)} generated, {len(handmade)} hand-made), "
          f"pages: {pages}")
    print(f"pdfplumber extract_words: {pages / base:7.1f} pages/s ({base / pages * 1000:.1f} "
          "ms/page)")
    print(f"invoice reader, 1 process: {pages / ours:7.1f} pages/s ({ours / pages * 1000:.1f} "
          "ms/page)")
    print(f"invoice reader, {args.workers} processes: {pages / parallel:7.1f} pages/s "
          "(including pool start-up)")
    print(f"ratio reader / extract_words per page: {ours / base:.2f} (target <= 1.3)")
    print(f"accuracy, all: {acc.describe()}")
    print(f"accuracy, generated: {acc_generated.describe()}")
    print(f"accuracy, hand-made: {acc_handmade.describe()}")
    statuses = {s: sum(r.status == s for r in results) for s in ("ok", "review", "error")}
    print(f"statuses: {statuses}")
    for file, name, want, got in acc.misses[:20]:
        print(f"  miss {file} {name}: expected {want!r}, got {got!r}")


if __name__ == "__main__":
    main()
