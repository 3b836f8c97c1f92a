"""The summary workbook of an invoice-to-erp run: one row per item with its file, state,
reasons, ERP document number and amounts, written through ``backoffice.xlsx`` (text from
invoices is untrusted and never becomes a formula)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from backoffice.config import Settings
from backoffice.ledger import Ledger
from backoffice.models import WorkItem
from backoffice.xlsx import (
    MONEY_FORMAT,
    OK_FILL,
    WARN_FILL,
    new_workbook,
    save_workbook,
    write_key_values,
    write_table,
)

HEADERS = ("File", "State", "Reasons", "ERP document", "Already in ERP", "Invoice number",
           "Vendor", "Vendor tax ID", "Invoice date", "Currency", "Net", "VAT", "Total",
           "Attempts", "Item")


def _amount(value: Any) -> Decimal | str | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return str(value)  # shown as the reader saw it


def _file_name(item: WorkItem) -> str:
    if item.files:
        return Path(item.files[0]).name
    return str(item.payload.get("file_name") or item.key)


def summary_row(item: WorkItem) -> list[Any]:
    invoice = item.payload.get("invoice") or {}
    erp = item.payload.get("erp") or {}
    return [
        _file_name(item), item.state.value, "; ".join(r for r in item.reasons if r),
        erp.get("document_number"), "yes" if erp.get("existing") else "",
        invoice.get("invoice_number"), invoice.get("vendor_name"), invoice.get("vendor_tax_id"),
        invoice.get("issue_date"), invoice.get("currency"), _amount(invoice.get("net_amount")),
        _amount(invoice.get("tax_amount")), _amount(invoice.get("total_amount")), item.attempts,
        item.id,
    ]


def write_summary(settings: Settings, ledger: Ledger, run_id: str) -> Path:
    """``outputs/invoice-to-erp-<run>.xlsx``: an Invoices sheet and a Summary sheet."""
    run = ledger.run(run_id)
    items = ledger.items(run_id)
    rows = [summary_row(i) for i in items]
    fills = [(n, OK_FILL if i.state.value == "DONE" else WARN_FILL)
             for n, i in enumerate(items) if i.state.value in ("DONE", "REVIEW", "FAILED")]
    wb = new_workbook()
    write_key_values(wb, "Summary", [
        ("Run", run.id), ("Workflow", run.workflow), ("State", run.state.value),
        ("Started", run.started_at), ("Items", len(items)),
        *sorted(Counter(i.state.value for i in items).items()),
        ("Posted now", sum(1 for i in items if (i.payload.get("erp") or {}).get("document_number")
                           and not (i.payload.get("erp") or {}).get("existing"))),
    ], heading=f"{run.workflow} run {run.id}")
    write_table(wb, "Invoices", HEADERS, rows, fills=fills,
                formats={"Net": MONEY_FORMAT, "VAT": MONEY_FORMAT, "Total": MONEY_FORMAT},
                widths={"File": 30, "Reasons": 60, "Vendor": 30, "Item": 24})
    path = settings.outputs / f"{run.workflow}-{run.id}.xlsx"
    return save_workbook(wb, path)
