"""The report workbook an accountant works from: Summary, Matched, Unmatched left,
Unmatched right and Exceptions, streamed with openpyxl's write-only mode.

Every sheet has a bold frozen header and an autofilter; dates and amounts are real dates and
numbers with formats; exception rows are filled by kind. Input text goes through
``cells.safe_cell``, so ``=HYPERLINK(...)`` in a statement comes out as text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from backoffice.xlsx import (
    DATE_FORMAT,
    MONEY_FORMAT,
    OK_FILL,
    PERCENT_FORMAT,
    WARN_FILL,
    save_workbook,
)
from robots.reconcile.cells import RowWriter, header_row, safe_cell, styled_cell
from robots.reconcile.model import EXCEPTION_KINDS, Issue, Record, Result

ISSUE_FILLS = {
    "overpayment": WARN_FILL,
    "suggestion": PatternFill("solid", fgColor="E2EFDA"),
    "duplicate": PatternFill("solid", fgColor="FFF2CC"),
    "conflict": PatternFill("solid", fgColor="DDEBF7"),
    "bad_amount": PatternFill("solid", fgColor="F8CBAD"),
    "bad_date": PatternFill("solid", fgColor="F8CBAD"),
}
_RECORD_HEADERS = ("Row", "Date", "Amount", "Reference", "Text", "Name")
_RECORD_FORMATS = (None, DATE_FORMAT, MONEY_FORMAT, None, None, None)
_WIDTHS = {"Reference": 22, "Text": 45, "Name": 28, "Note": 50, "Explanation": 60}


def _cells(r: Record | None) -> list[Any]:
    if r is None:
        return [None] * len(_RECORD_HEADERS)
    amount = r.cents / 100 if r.cents is not None else None
    return [r.row, r.date, amount, r.ref or None, r.text or None, r.name or None]


def _table(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    formats: Sequence[str | None],
    rows: Iterable[tuple[list[Any], PatternFill | None]],
    count: int,
) -> WriteOnlyWorksheet:
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    for col, h in enumerate(headers, start=1):
        base = h.split(" ", 1)[-1] if h.startswith(("Left ", "Right ")) else h
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(base, 13)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    ws.append(header_row(ws, headers))
    writer = RowWriter(ws, formats)
    for values, fill in rows:
        writer.append(values, fill)
    return ws


def write_report(result: Result, path: Path, *, rules_summary: dict[str, Any]) -> Path:
    """Write the report to ``path`` atomically (a reader never sees half a workbook)."""
    wb = Workbook(write_only=True)
    _summary(wb, result, rules_summary)
    _matched(wb, result)
    notes = defaultdict(list)
    for issue in result.issues:
        notes[id(issue.record)].append(issue.kind)
    for side, title in (("left", "Unmatched left"), ("right", "Unmatched right")):
        records = result.unmatched(side)  # type: ignore[arg-type]
        multi = len(getattr(result, side).files) > 1
        headers = (("File",) if multi else ()) + _RECORD_HEADERS + ("Flags",)
        formats = ((None,) if multi else ()) + _RECORD_FORMATS + (None,)
        files = [Path(f).name for f in getattr(result, side).files]
        rows = (
            (
                ([files[r.file]] if multi else []) + _cells(r) + [", ".join(notes[id(r)]) or None],
                WARN_FILL if notes[id(r)] else None,
            )
            for r in records
        )
        _table(wb, title, headers, formats, rows, len(records))
    _exceptions(wb, result.issues)
    return save_workbook(wb, path)


def _matched(wb: Workbook, result: Result) -> None:
    """One line per pair: an instalment match lists its payments, a one-to-many match its
    open items, line by line; the match's figures stand on its first line."""
    headers = ["Match", "Kind", "Rule", "Score"]
    headers += [f"Left {h}" for h in _RECORD_HEADERS] + [f"Right {h}" for h in _RECORD_HEADERS]
    headers += ["Difference", "Open balance"]
    formats = [None, None, None, "0.00", *_RECORD_FORMATS, *_RECORD_FORMATS, MONEY_FORMAT,
               MONEY_FORMAT]
    count = sum(max(len(m.left), len(m.right)) for m in result.matches)

    def rows() -> Iterable[tuple[list[Any], PatternFill | None]]:
        for n, m in enumerate(result.matches, start=1):
            for i in range(max(len(m.left), len(m.right))):
                left = m.left[i] if i < len(m.left) else None
                right = m.right[i] if i < len(m.right) else None
                values = [n, m.kind.value, m.rule, m.score, *_cells(left), *_cells(right)]
                if i == 0:
                    values += [m.difference_cents / 100, m.open_cents / 100]
                else:
                    values += [None, None]
                yield values, (OK_FILL if m.kind != "exact" and i == 0 else None)

    _table(wb, "Matched", headers, formats, rows(), count)


def _exceptions(wb: Workbook, issues: list[Issue]) -> None:
    headers = ["Kind", "Side", *_RECORD_HEADERS, "Related row", "Note", "Explanation"]
    formats = [None, None, *_RECORD_FORMATS, None, None, None]
    ordered = sorted(issues, key=lambda i: (i.kind, i.record.side, i.record.file, i.record.row))
    rows = (
        (
            [i.kind, i.record.side, *_cells(i.record),
             i.other.row if i.other is not None else None, i.note or None,
             EXCEPTION_KINDS.get(i.kind, "")],
            ISSUE_FILLS.get(i.kind, WARN_FILL),
        )
        for i in ordered
    )
    _table(wb, "Exceptions", headers, formats, rows, len(ordered))


def summary_figures(result: Result) -> dict[str, Any]:
    """The headline numbers, shared by the Summary sheet, the CLI and the robot's output."""
    left, right = result.left.records, result.right.records
    un_l, un_r = result.unmatched("left"), result.unmatched("right")
    matched_l = len(left) - len(un_l)
    return {
        "rows_left": len(left),
        "rows_right": len(right),
        "matched": len(result.matches),
        "matched_left": matched_l,
        "matched_right": len(right) - len(un_r),
        "unmatched_left": len(un_l),
        "unmatched_right": len(un_r),
        "exceptions": len(result.issues),
        "match_rate": round(matched_l / len(left), 4) if left else 0.0,
        "total_left": sum(r.cents or 0 for r in left) / 100,
        "total_right": sum(r.cents or 0 for r in right) / 100,
        "unmatched_amount_left": sum(r.cents or 0 for r in un_l) / 100,
        "unmatched_amount_right": sum(r.cents or 0 for r in un_r) / 100,
    }


def _summary(wb: Workbook, result: Result, rules_summary: dict[str, Any]) -> None:
    ws = wb.create_sheet("Summary")
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    f = summary_figures(result)
    bold = Font(bold=True)
    ws.append([styled_cell(ws, "Bank reconciliation", font=Font(bold=True, size=14))])
    ws.append([])
    by_rule = Counter(m.rule for m in result.matches)
    by_match_kind = Counter(m.kind.value for m in result.matches)
    by_kind = Counter(i.kind for i in result.issues)
    pairs: list[tuple[str, Any, str | None]] = [
        ("Left (statement)", ", ".join(Path(p).name for p in result.left.files), None),
        ("Right (ledger)", ", ".join(Path(p).name for p in result.right.files), None),
        ("Left columns", _describe(result.left.columns), None),
        ("Right columns", _describe(result.right.columns), None),
        ("Rows left", f["rows_left"], None),
        ("Rows right", f["rows_right"], None),
        ("Matches", f["matched"], None),
        ("Matched rows left", f["matched_left"], None),
        ("Matched rows right", f["matched_right"], None),
        ("Match rate (left rows)", f["match_rate"], PERCENT_FORMAT),
        ("Unmatched rows left", f["unmatched_left"], None),
        ("Unmatched rows right", f["unmatched_right"], None),
        ("Total left", f["total_left"], MONEY_FORMAT),
        ("Total right", f["total_right"], MONEY_FORMAT),
        ("Unmatched amount left", f["unmatched_amount_left"], MONEY_FORMAT),
        ("Unmatched amount right", f["unmatched_amount_right"], MONEY_FORMAT),
        ("Exceptions", f["exceptions"], None),
        *((f"  {kind}", n, None) for kind, n in sorted(by_kind.items())),
        *((f"Matches {kind}", n, None) for kind, n in sorted(by_match_kind.items())),
        ("Open balance left by partial matches",
         sum(m.open_cents for m in result.matches) / 100, MONEY_FORMAT),
        *((f"Matched by {rule}", n, None) for rule, n in sorted(by_rule.items())),
        ("Usual delay learnt (days)", result.date_offset, None),
        ("Date window used (days)", result.date_window, None),
        *((f"Rule: {k}", str(v), None) for k, v in rules_summary.items()),
    ]
    for label, value, fmt in pairs:
        ws.append([styled_cell(ws, label, font=bold), safe_cell(ws, value, number_format=fmt)])


def _describe(columns: dict[str, str]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in columns.items())
