"""Return on investment you can defend, derived from recorded facts only.

The package: ``facts`` loads what the ledger recorded, ``costs`` and ``assumptions`` hold the
rates and assumptions in force, ``compute`` applies the rules (its docstring), ``report``
renders the workbook and the HTML page.
"""

from backoffice.roi.compute import (
    SHARED,
    ItemSaving,
    MonthPoint,
    RoiReport,
    RoiRow,
    StepSaving,
    build_report,
    compute_roi,
    item_savings,
    run_minutes_saved,
    summary_lines,
)
from backoffice.roi.parties import Counterparties, item_counterparties

__all__ = [
    "SHARED",
    "Counterparties",
    "ItemSaving",
    "MonthPoint",
    "RoiReport",
    "RoiRow",
    "StepSaving",
    "build_report",
    "compute_roi",
    "item_counterparties",
    "item_savings",
    "run_minutes_saved",
    "summary_lines",
]
