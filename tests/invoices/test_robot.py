"""The invoice_reader robot inside the real engine, ledger on SQLite."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from backoffice.states import ItemState
from robots.invoices.robot import InvoiceReader
from tests.conftest import make_settings
from tests.invoices.conftest import run_items, write_read_invoices_workflow


def test_each_pdf_becomes_an_item_done_review_or_failed(
        generated: list[Path], tmp_path: Path) -> None:
    write_read_invoices_workflow(tmp_path / "wf")
    settings = make_settings(tmp_path, workflow_dirs=[str(tmp_path / "wf")])
    folder = settings.inputs / "invoices"
    folder.mkdir(parents=True)
    truths = {}
    for p in generated[:8]:
        shutil.copy(p, folder)
        truths[p.name] = json.loads(p.with_name(p.stem + ".truth.json").read_text())
    (folder / "broken.pdf").write_text("not a pdf at all")
    items = run_items(settings, "read-invoices")
    assert len(items) == 9
    assert items["broken.pdf"].state in (ItemState.FAILED, ItemState.REJECTED)
    done = [n for n, i in items.items() if i.state is ItemState.DONE]
    assert done
    for name in done:
        assert items[name].payload["invoice"] == truths[name]["fields"]
        assert items[name].payload["extraction"]["status"] == "ok"
    for item in items.values():
        if item.state is ItemState.REVIEW:
            assert item.payload["invoice"]["invoice_number"]
            assert item.payload["extraction"]["status"] == "review"
            assert item.reasons


def test_reader_contract_for_the_engine() -> None:
    assert InvoiceReader.approval_completes_step is True
    assert InvoiceReader.manual_minutes == 4.0
    assert InvoiceReader.name == "invoice_reader"
