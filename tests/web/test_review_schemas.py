"""Review works for any robot that declares a review schema: the reconciler's exceptions
reviewed through ``bots review`` and the control room, and the invoice reader's checks re-run
over a correction, with no robot named in the core."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backoffice.engine import Engine
from backoffice.errors import ConfigError
from backoffice.models import WorkItem
from backoffice.review_fields import changes_from, review_view, schema_for, validate
from backoffice.states import ItemState
from robots.reconcile.samples import generate_pair
from tests.web.conftest import WebEnv, login
from tests.web.test_cli import bots


def _reconciliation_in_review(env: WebEnv) -> WorkItem:
    left, right, _ = generate_pair(env.settings.base_dir / "gen", 60, seed=4)
    for side, path in (("bank", left), ("ledger", right)):
        (env.settings.inputs / side).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, env.settings.inputs / side / path.name)
    run = Engine(env.settings, env.ledger, env.registry, idle_poll_seconds=0.01).run(
        "bank-reconciliation", params={"review_exceptions": "true"})
    (item,) = env.ledger.items(run.id)
    assert item.state is ItemState.REVIEW, item.reasons
    return item


def test_reconciler_exceptions_are_shown_and_approved_through_bots_review(web_env: WebEnv):
    item = _reconciliation_in_review(web_env)
    listed = json.loads(bots(web_env.settings, "review", "list", "--json").output)
    assert [i["id"] for i in listed] == [item.id]

    shown = json.loads(bots(web_env.settings, "review", "show", item.id, "--json").output)
    assert shown["payload_key"] is None
    assert shown["fields"]["exceptions"] == item.payload["exceptions"] > 0
    assert Path(shown["fields"]["report"]).is_file()
    assert "exceptions" in shown["readonly"] and "resolution" not in shown["readonly"]
    assert shown["validation"]["ok"] is False
    assert shown["validation"]["reasons"][0].startswith("resolution_missing")

    refused = bots(web_env.settings, "review", "approve", item.id, "--set", "matched=1")
    assert isinstance(refused.exception, ConfigError)  # `bots` exits 2 with this one line
    assert str(refused.exception) == "field 'matched' is read-only"
    assert web_env.ledger.item(item.id).state is ItemState.REVIEW

    done = bots(web_env.settings, "review", "approve", item.id,
                "--set", "resolution=two duplicates refunded", "--user", "rita")
    assert done.exit_code == 0, done.output
    after = web_env.ledger.item(item.id)
    assert after.state is ItemState.DONE
    assert after.payload["resolution"] == "two duplicates refunded"
    assert after.payload["matched"] == item.payload["matched"]


def test_reconciler_exceptions_are_reviewed_on_the_review_page(web_env: WebEnv):
    item = _reconciliation_in_review(web_env)
    with TestClient(web_env.app) as client:
        csrf = login(client, "olli")
        page = client.get(f"/review/{item.id}").text
        assert 'data-testid="field-resolution"' in page
        assert "resolution_missing" in page and "Exceptions:" in page
        readonly = page.split('data-testid="field-exceptions"')[1].split(">")[0]
        assert "readonly" in readonly

        checked = client.post(f"/review/{item.id}/validate",
                              data={"f_resolution": "settled with the bank"},
                              headers={"X-CSRF-Token": csrf}).json()
        assert checked["ok"] is True and checked["changes"] == {
            "resolution": "settled with the bank"}

        opened = page.split('name="opened" value="')[1].split('"')[0]
        response = client.post(f"/review/{item.id}/approve", follow_redirects=False, data={
            "csrf_token": csrf, "opened": opened, "f_resolution": "settled with the bank",
            "f_exceptions": str(item.payload["exceptions"])})
        assert response.status_code == 303, response.text
    after = web_env.ledger.item(item.id)
    assert after.state is ItemState.DONE
    assert after.payload["resolution"] == "settled with the bank"
    (decision,) = web_env.ledger.reviews(item_id=item.id)
    assert decision["reviewer"] == "olli" and decision["changes"] == {
        "resolution": "settled with the bank"}


@pytest.mark.parametrize(("total", "ok"), [("1275.00", False), ("1 255,00", True)])
def test_invoice_corrections_are_rechecked_by_the_reader_schema(web_env: WebEnv, total: str,
                                                              ok: bool):
    fields = {"invoice_number": "INV-1", "issue_date": "2026-03-02", "due_date": "2026-04-01",
              "vendor_name": "Acme Oy", "currency": "EUR", "net_amount": "1000.00",
              "tax_amount": "255.00", "total_amount": "1265.00",
              "lines": [{"description": "Consulting", "quantity": "1", "unit_price": "1000.00",
                         "amount": "1000.00", "tax_rate": "25.5"}]}
    item = WorkItem(id="i1", run_id="r1", workflow="invoice-to-erp", key="k", step=0,
                    state=ItemState.REVIEW, payload={"invoice": fields, "extraction": {
                        "status": "review", "confidence": {"total_amount": 0.0}}})
    view = review_view(item, schema_for(web_env.registry, item))
    assert view.payload_key == "invoice" and "lines" in view.other
    assert view.notes == ("Extraction: review; unsure of total_amount",)
    changes = changes_from(view, {"total_amount": total})
    result = validate(view, changes)
    assert result["ok"] is ok, result
    if ok:
        assert changes == {"total_amount": "1255.00"}
    else:
        assert any(r.startswith("total_mismatch") for r in result["reasons"])
