"""Fixtures of the reconciler tests: hand-made sheets written the way real exports look."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from backoffice.xlsx import set_cell


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, title: str = "Sheet1") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            set_cell(ws.cell(row=r, column=c), value)  # text stays text, as banks export it
    wb.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, delimiter: str = ";") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def truth_pairs(data: dict[str, Any]) -> set[tuple[int, int]]:
    return {(a, b) for m in data["matches"] for a in m["left"] for b in m["right"]}


def f1(got: set[tuple[int, int]], want: set[tuple[int, int]]) -> float:
    tp = len(got & want)
    if not tp:
        return 0.0
    precision, recall = tp / len(got), tp / len(want)
    return 2 * precision * recall / (precision + recall)


@pytest.fixture
def xlsx(tmp_path: Path):
    def make(name: str, rows: Sequence[Sequence[Any]]) -> Path:
        return write_xlsx(tmp_path / name, rows)

    return make
