"""Invoices generated once per session (they are deterministic) and the hand-made ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backoffice.config import Settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger
from backoffice.registry import Registry
from robots.invoices.reader import Extraction, read_invoice
from robots.invoices.samples import generate_invoices
from tests.invoices.handmade import write_handmade
from tests.invoices.handmade_more import write_handmade_more

READ_INVOICES = """
name = "read-invoices"
[input]
glob = "invoices/*.pdf"
[[steps]]
robot = "invoice_reader"
"""


def write_read_invoices_workflow(folder: Path) -> Path:
    """``folder`` holding the one-step ``read-invoices`` workflow (reader only)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "read-invoices.toml").write_text(READ_INVOICES)
    return folder


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("generated")
    return generate_invoices(folder, 36, seed=11, review_share=0.2)


@pytest.fixture(scope="session")
def read_generated(generated: list[Path]) -> dict[Path, Extraction]:
    return {p: read_invoice(p) for p in generated}


@pytest.fixture(scope="session")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, dict[str, Any]]:
    return write_handmade(tmp_path_factory.mktemp("handmade"))



@pytest.fixture(scope="session")
def all_handmade(tmp_path_factory: pytest.TempPathFactory, handmade: dict[Path, dict[str, Any]]
                 ) -> dict[Path, tuple[Extraction, dict[str, Any]]]:
    """Every hand-made invoice (both sets) read once: its result and its truth."""
    more = write_handmade_more(tmp_path_factory.mktemp("handmade-more"))
    return {p: (read_invoice(p), truth) for p, truth in (*handmade.items(), *more.items())}


def run_items(settings: Settings, workflow: str) -> dict[str, Any]:
    """Run ``workflow`` on the real engine (ledger on SQLite): its items by file name."""
    ledger = Ledger.open(settings.db_url)
    try:
        run = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01).run(workflow)
        return {Path(i.files[0]).name: i for i in ledger.items(run.id)}
    finally:
        ledger.close()
