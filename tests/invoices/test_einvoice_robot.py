"""E-invoices through the real engine (SQLite ledger): XML files are work items like PDFs,
a hostile one fails with its reason and its file is kept byte for byte."""

from __future__ import annotations

from pathlib import Path

from backoffice.states import ItemState
from tests.conftest import make_settings
from tests.invoices.conftest import run_items
from tests.invoices.test_einvoice_xmlsafe import XXE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "einvoice"
WORKFLOW = """
name = "read-einvoices"
[input]
glob = ["invoices/*.pdf", "invoices/*.xml"]
[[steps]]
robot = "invoice_reader"
[archive]
done = "processed"
review = "review"
failed = "failed"
"""


def test_xml_items_are_read_and_a_hostile_one_is_kept_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "wf").mkdir()
    (tmp_path / "wf" / "read-einvoices.toml").write_text(WORKFLOW)
    settings = make_settings(tmp_path, workflow_dirs=[str(tmp_path / "wf")])
    folder = settings.inputs / "invoices"
    folder.mkdir(parents=True)
    (folder / "credit.xml").write_bytes((FIXTURES / "ubl-tc434-creditnote1.xml").read_bytes())
    (folder / "xxe.xml").write_bytes(XXE)
    items = run_items(settings, "read-einvoices")
    assert items["credit.xml"].state is ItemState.DONE
    payload = items["credit.xml"].payload
    assert payload["extraction"]["source"] == "ubl-creditnote/PEPPOL"
    assert payload["invoice"]["total_amount"] == "-100.11"
    assert items["xxe.xml"].state in (ItemState.FAILED, ItemState.REJECTED)
    assert any("xml_forbidden" in r for r in items["xxe.xml"].reasons)
    assert (folder / "failed" / "xxe.xml").read_bytes() == XXE  # archived, never lost
