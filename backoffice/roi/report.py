"""The ROI report as a workbook (native Excel charts) and as HTML (the same charts as inline
SVG, no script, no CDN: it works offline and inside the control room)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font

from backoffice.config import Settings
from backoffice.roi.compute import RoiReport, RoiRow
from backoffice.xlsx import (
    MONEY_FORMAT,
    add_chart,
    append_table,
    new_workbook,
    save_workbook,
    set_cell,
    write_key_values,
    write_table,
)

HOW_SHEET = "How this was computed"
MONTHLY_SHEET = "Monthly"
HOURS_FORMAT = "#,##0.00"
ROW_HEADERS = ("items", "reviewed", "manual hours", "review hours", "hours saved",
               "money saved", "robot hours", "robot cost", "licence/maint./build",
               "costs", "net benefit", "ROI %", "finished items", "straight through",
               "straight-through %", "review minutes")
MONTH_HEADERS = ("month", "money saved", "costs", "net benefit", "cumulative savings",
                 "cumulative costs", "cumulative net benefit")


def default_report_path(settings: Settings, suffix: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return settings.outputs / f"roi-{stamp}.{suffix}"


def _row_values(row: RoiRow) -> list[Any]:
    return [row.items, row.reviewed_items, row.manual_hours, row.review_hours, row.hours_saved,
            row.money_saved, row.robot_hours, row.robot_cost, row.fixed_cost, row.costs,
            row.net_benefit, None if row.roi_pct is None else round(row.roi_pct, 1),
            row.finished_items, row.straight_through,
            None if row.stp_pct is None else round(row.stp_pct, 1),
            round(row.review_minutes, 1)]


def summary_pairs(report: RoiReport) -> list[tuple[str, Any]]:
    t, cur = report.totals, report.currency
    return [
        ("period", f"{report.start or 'beginning'} to {report.end or 'today'} (UTC)"),
        ("grouped by", report.by),
        ("currency", cur),
        ("items done", t.items),
        ("of which after review", t.reviewed_items),
        ("items finished (done, rejected, failed)", t.finished_items),
        ("straight through (no person touched them)", t.straight_through),
        ("straight-through rate %", "n/a" if t.stp_pct is None else round(t.stp_pct, 1)),
        ("review minutes (every decision)", round(t.review_minutes, 1)),
        *((f"items {s.lower()} (earned 0)", n) for s, n in report.zero_items.items()),
        ("hours saved", round(t.hours_saved, 2)),
        (f"money saved ({cur})", round(t.money_saved, 2)),
        ("robot hours", round(t.robot_hours, 3)),
        (f"robot cost ({cur})", round(t.robot_cost, 2)),
        (f"licence, maintenance, build ({cur})", round(t.fixed_cost, 2)),
        (f"net benefit ({cur})", round(t.net_benefit, 2)),
        ("ROI %", "n/a (no costs)" if t.roi_pct is None else round(t.roi_pct, 1)),
        ("payback month", report.payback_month or "not yet"),
        ("generated at", report.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC")),
    ]


# ---- workbook -----------------------------------------------------------------------------
def write_roi_workbook(report: RoiReport, path: Path,
                       also: Sequence[tuple[str, RoiReport]] = ()) -> Path:
    """Summary, one row per group, the monthly series with its two charts, and the sheet
    "How this was computed" (formula and every assumption with its effective date).
    ``also``: more groupings of the same window, each its own sheet ("By vendor")."""
    wb = new_workbook()
    write_key_values(wb, "Summary", summary_pairs(report), heading="Return on investment")
    money = {h: MONEY_FORMAT for h in ("money saved", "robot cost", "licence/maint./build",
                                       "costs", "net benefit")}
    hours = {h: HOURS_FORMAT for h in ("manual hours", "review hours", "hours saved",
                                       "robot hours")}
    for label, grouped in ((report.by, report), *also):
        rows = [[r.key, *_row_values(r)] for r in grouped.rows]
        rows.append(["total", *_row_values(grouped.totals)])
        ws = write_table(wb, f"By {label}", (label, *ROW_HEADERS), rows,
                         formats={**money, **hours}, widths={label: 28})
        for col in range(1, len(ROW_HEADERS) + 2):
            ws.cell(row=len(rows) + 1, column=col).font = Font(bold=True)

    months = [[m.month, m.money_saved, m.costs, m.net_benefit, m.cumulative_savings,
               m.cumulative_costs, m.cumulative_net] for m in report.months]
    ws = write_table(wb, MONTHLY_SHEET, MONTH_HEADERS, months,
                     formats=dict.fromkeys(MONTH_HEADERS[1:], MONEY_FORMAT))
    last = len(months) + 1
    add_chart(ws, "bar", title=f"Money saved per month ({report.currency})",
              categories_col=1, data_cols=(2, 3), header_row=1, last_row=last,
              anchor="I2", y_title=report.currency, number_format="#,##0")
    add_chart(ws, "line", title="Cumulative net benefit vs the investment",
              categories_col=1, data_cols=(5, 6, 7), header_row=1, last_row=last,
              anchor="I20", y_title=report.currency, number_format="#,##0")
    _how_sheet(wb, report)
    return save_workbook(wb, path)


def _how_sheet(wb: Any, report: RoiReport) -> None:
    ws = wb.create_sheet(HOW_SHEET)
    set_cell(ws.cell(row=1, column=1), HOW_SHEET)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    row = 3
    for line in report.formula:
        set_cell(ws.cell(row=row, column=1), line)
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = 32
        row += 1
    row += 1
    set_cell(ws.cell(row=row, column=1), "Assumptions in force")
    ws.cell(row=row, column=1).font = Font(bold=True, size=12)
    append_table(
        ws, ("assumption", "value", "effective from", "source"),
        [(a.name, a.value, a.effective_from, a.source) for a in report.assumptions],
        start_row=row + 1,
    )
    for col, width in zip("ABCD", (52, 16, 16, 48), strict=True):
        ws.column_dimensions[col].width = width


# ---- HTML ---------------------------------------------------------------------------------
_CSS = """
.roi-report{font:14px/1.4 system-ui,sans-serif;color:#1f2328}
.roi-report table{border-collapse:collapse;margin:.5em 0 1.5em}
.roi-report th,.roi-report td{border:1px solid #d0d7de;padding:3px 8px;text-align:right}
.roi-report th:first-child,.roi-report td:first-child{text-align:left}
.roi-report thead th{background:#305496;color:#fff}
.roi-report tr.total td{font-weight:bold}
.roi-report svg{max-width:100%;height:auto;background:#fff}
.roi-report .neg{color:#b42318}
"""
_COLOURS = ("#2f855a", "#c05621", "#305496", "#6b46c1")


def render_roi_html(report: RoiReport) -> str:
    """A self-contained ``<section>`` (style and SVG charts inline) for a page or the
    control room. Every piece of text is escaped."""
    cur = escape(report.currency)
    labels = [m.month for m in report.months]
    bars = svg_bar_chart(
        labels,
        [("money saved", [m.money_saved for m in report.months]),
         ("costs", [m.costs for m in report.months])],
        title=f"Money saved per month ({report.currency})",
    )
    lines = svg_line_chart(
        labels,
        [("cumulative savings", [m.cumulative_savings for m in report.months]),
         ("cumulative costs (investment)", [m.cumulative_costs for m in report.months]),
         ("cumulative net benefit", [m.cumulative_net for m in report.months])],
        title="Cumulative net benefit vs the investment",
    )
    summary = "".join(
        f"<tr><th scope=row>{escape(str(k))}</th><td>{escape(_fmt(v))}</td></tr>"
        for k, v in summary_pairs(report)
    )
    head = "".join(f"<th>{escape(h)}</th>" for h in (report.by, *ROW_HEADERS))
    body = "".join(_html_row(r.key, _row_values(r)) for r in report.rows)
    body += _html_row("total", _row_values(report.totals), css="total")
    formula = "".join(f"<li>{escape(line)}</li>" for line in report.formula)
    assumptions = "".join(
        f"<tr><td>{escape(a.name)}</td><td>{escape(_fmt(a.value))}</td>"
        f"<td>{escape(str(a.effective_from or ''))}</td><td>{escape(a.source)}</td></tr>"
        for a in report.assumptions
    )
    return (
        f'<section class="roi-report"><style>{_CSS}</style>'
        f"<h2>Return on investment ({cur})</h2>"
        f"<table class=summary>{summary}</table>"
        f"<figure>{bars}</figure><figure>{lines}</figure>"
        f"<h3>By {escape(report.by)}</h3><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
        f"<h3>{HOW_SHEET}</h3><ol>{formula}</ol>"
        "<table><thead><tr><th>assumption</th><th>value</th><th>effective from</th>"
        f"<th>source</th></tr></thead><tbody>{assumptions}</tbody></table></section>"
    )


def roi_html_page(report: RoiReport) -> str:
    return ("<!doctype html><html lang=en><head><meta charset=utf-8>"
            "<title>Return on investment</title></head><body>"
            f"{render_roi_html(report)}</body></html>")


def write_roi_html(report: RoiReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(roi_html_page(report), encoding="utf-8")
    tmp.replace(path)
    return path


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def _html_row(key: str, values: Sequence[Any], css: str = "") -> str:
    cells = "".join(
        f'<td{" class=neg" if isinstance(v, int | float) and v < 0 else ""}>'
        f"{escape(_fmt(v))}</td>" for v in values
    )
    return f'<tr class="{css}"><td>{escape(key)}</td>{cells}</tr>'


# ---- SVG charts ---------------------------------------------------------------------------
W, H, LEFT, RIGHT, TOP, BOTTOM = 720, 280, 70, 20, 40, 50


def _scale(series: Sequence[tuple[str, Sequence[float]]]) -> tuple[float, float]:
    values = [v for _, vs in series for v in vs] or [0.0]
    low, high = min(0.0, *values), max(0.0, *values)
    return (low, high) if high > low else (low, low + 1.0)


def _frame(title: str, labels: Sequence[str], low: float, high: float,
           y: Any, x_of: Any, names: Sequence[str]) -> list[str]:
    parts = [f'<text x="{W / 2}" y="20" text-anchor="middle" font-weight="bold">'
             f"{escape(title)}</text>"]
    for tick in (low, (low + high) / 2, high):
        parts.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                     f'font-size="11">{escape(f"{tick:,.0f}")}</text>')
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="#eee"/>')
    parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
                 'stroke="#888"/>')
    step = max(1, len(labels) // 12)  # at most ~12 month labels under the axis
    for i, label in enumerate(labels):
        if i % step == 0:
            parts.append(f'<text x="{x_of(i):.1f}" y="{H - BOTTOM + 16}" font-size="11" '
                         f'text-anchor="middle">{escape(label)}</text>')
    for i, name in enumerate(names):
        colour = _COLOURS[i % len(_COLOURS)]
        lx = LEFT + i * 190
        parts.append(f'<rect x="{lx}" y="{H - 16}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{lx + 14}" y="{H - 7}" font-size="11">{escape(name)}</text>')
    return parts


def svg_bar_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
                  *, title: str) -> str:
    low, high = _scale(series)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    slot = plot_w / max(1, len(labels))
    bar_w = max(1.0, slot * 0.8 / max(1, len(series)))

    def y(v: float) -> float:
        return TOP + (high - v) / (high - low) * plot_h

    def x_of(i: int) -> float:
        return LEFT + slot * (i + 0.5)

    parts = _frame(title, labels, low, high, y, x_of, [n for n, _ in series])
    for s, (name, values) in enumerate(series):
        colour = _COLOURS[s % len(_COLOURS)]
        for i, v in enumerate(values):
            x = LEFT + slot * i + slot * 0.1 + s * bar_w
            top, bottom = sorted((y(v), y(0)))
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar_w:.1f}" '
                f'height="{max(0.5, bottom - top):.1f}" fill="{colour}">'
                f"<title>{escape(f'{labels[i]} {name}: {v:,.2f}')}</title></rect>"
            )
    return _svg(title, parts)


def svg_line_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
                   *, title: str) -> str:
    low, high = _scale(series)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    gap = plot_w / max(1, len(labels) - 1) if len(labels) > 1 else 0.0

    def y(v: float) -> float:
        return TOP + (high - v) / (high - low) * plot_h

    def x_of(i: int) -> float:
        return LEFT + gap * i if len(labels) > 1 else LEFT + plot_w / 2

    parts = _frame(title, labels, low, high, y, x_of, [n for n, _ in series])
    for s, (name, values) in enumerate(series):
        colour = _COLOURS[s % len(_COLOURS)]
        points = " ".join(f"{x_of(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                     f'points="{points}"><title>{escape(name)}</title></polyline>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{x_of(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                         f"<title>{escape(f'{labels[i]} {name}: {v:,.2f}')}</title></circle>")
    return _svg(title, parts)


def _svg(title: str, parts: Sequence[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
            f'aria-label="{escape(title)}" width="{W}" height="{H}">{"".join(parts)}</svg>')
