"""The scrlttr2 bench source: real letters laid out by the class's letter-class options."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from bench.thirdparty import GENERATORS, write_generator

pytestmark = pytest.mark.skipif(shutil.which("pdflatex") is None,
                                reason="pdflatex (scrlttr2) not installed")


def _buyer_x(pdf: Path, name: str) -> float:
    with pdfplumber.open(pdf) as doc:
        words = doc.pages[0].extract_words()
    first = name.split()[0]
    return min(w["x0"] for w in words if w["text"] == first)


def test_each_letter_prints_its_truth_and_its_layout_places_the_window(tmp_path: Path) -> None:
    gen = next(g for g in GENERATORS if g.name == "scrlttr2")
    truths = write_generator(gen, tmp_path, 2, seed=7)  # raises when a value is not printed
    assert len(truths) == 2
    by_layout = {pdf.stem.split(".")[1].split("-")[0]: (pdf, t) for pdf, t in truths.items()}
    din, nf = by_layout["DIN"], by_layout["NF"]
    # DIN puts the window address on the left, the French NF layout on the right
    assert _buyer_x(din[0], din[1]["buyer_name"]) < 100 < _buyer_x(nf[0], nf[1]["buyer_name"])
