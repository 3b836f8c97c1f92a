"""The ERP poster against the demo ERP in a real Chromium."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from backoffice.models import Run, WorkItem
from backoffice.states import ItemState, RunState
from tests.erp.conftest import OTHER_VENDOR, PosterEnv, make_invoice, posted_once

pytestmark = pytest.mark.browser


def by_number(env: PosterEnv, run: Run) -> dict[str, WorkItem]:
    return {i.payload["invoice"]["invoice_number"]: i for i in env.ledger.items(run.id)}


def test_posts_header_and_lines_exactly_as_extracted_and_reports_them(
    poster_env: Callable[..., PosterEnv],
) -> None:
    env = poster_env(report=True)
    invoices = [make_invoice(1), make_invoice(2, tax_id=OTHER_VENDOR["tax_id"],
                                              name=OTHER_VENDOR["name"], due_date=None)]
    run = env.run(invoices)
    assert run.state is RunState.COMPLETED and run.counts["DONE"] == 2
    stored = posted_once(env.erp)
    items = by_number(env, run)
    for inv in invoices:
        erp_row = stored[(inv["vendor_tax_id"], inv["invoice_number"])]
        assert items[inv["invoice_number"]].payload["erp"]["document_number"] == \
            erp_row["document_number"]
        for field in ("issue_date", "currency", "net_amount", "tax_amount", "total_amount",
                      "payment_reference", "iban"):
            assert erp_row[field] == inv[field], field
        assert erp_row["due_date"] == (inv["due_date"] or "")
        assert [(x["description"], x["amount"]) for x in erp_row["lines"]] == [
            (x["description"], x["amount"]) for x in inv["lines"]]
    book = load_workbook(env.settings.outputs / f"erp-test-{run.id}.xlsx")
    rows = list(book["Invoices"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[3] for r in rows) == sorted(i["document_number"] for i in stored.values())
    assert {r[1] for r in rows} == {"DONE"}


def test_invoice_already_in_the_erp_is_not_posted_again(
    poster_env: Callable[..., PosterEnv],
) -> None:
    env = poster_env()
    first = env.run([make_invoice(7)], keys=["scan-1"])
    again = env.run([make_invoice(7)], keys=["scan-2"])  # the same invoice, scanned twice
    item = env.ledger.items(again.id)[0]
    assert item.state is ItemState.DONE
    assert item.payload["erp"]["existing"] is True
    assert item.payload["erp"]["document_number"] == \
        env.ledger.items(first.id)[0].payload["erp"]["document_number"]
    assert len(posted_once(env.erp)) == 1


def test_same_number_with_another_total_goes_to_review_and_is_not_posted(
    poster_env: Callable[..., PosterEnv],
) -> None:
    env = poster_env()
    first = env.run([make_invoice(8)], keys=["original"])
    corrected = make_invoice(8)
    corrected["total_amount"] = "999.99"  # a re-issue with another total, same number
    again = env.run([corrected], keys=["re-issue"])
    item = env.ledger.items(again.id)[0]
    assert item.state is ItemState.REVIEW
    document = env.ledger.items(first.id)[0].payload["erp"]["document_number"]
    assert item.reasons[0].startswith(f"invoice INV-0008 from this vendor is already in the "
                                      f"ERP as {document} with total ")
    assert "this one says 999.99" in item.reasons[0]
    assert len(posted_once(env.erp)) == 1


def test_unknown_vendor_goes_to_review_with_screenshot_and_trace(
    poster_env: Callable[..., PosterEnv],
) -> None:
    env = poster_env()
    run = env.run([make_invoice(3, tax_id="XX0000000", name="Nobody Ltd")])
    item = env.ledger.items(run.id)[0]
    assert item.state is ItemState.REVIEW
    assert item.last_error and "XX0000000" in item.last_error
    evidence = [Path(p) for p in item.payload["erp_evidence"]]
    assert any(p.suffix == ".png" and p.stat().st_size > 0 for p in evidence)
    assert any(p.name.startswith("trace") and p.stat().st_size > 0 for p in evidence)
    assert env.erp.invoices() == []


def test_erp_validation_message_sends_the_item_to_review_with_its_text(
    poster_env: Callable[..., PosterEnv],
) -> None:
    env = poster_env()
    # The lines still add up to the total (the ERP's computed total agrees), but the header's
    # net amount does not: the ERP's own validation refuses it on save.
    run = env.run([make_invoice(4, net_amount="999.99"), make_invoice(5)])
    items = by_number(env, run)
    bad = items["INV-0004"]
    assert bad.state is ItemState.REVIEW
    assert bad.reasons == ("Total amount must equal net amount plus VAT amount.",)
    assert bad.payload["erp_errors"] == list(bad.reasons)
    assert items["INV-0005"].state is ItemState.DONE  # the batch goes on
    assert list(posted_once(env.erp)) == [("FI12345671", "INV-0005")]


def test_total_the_erp_computes_differently_goes_to_review_with_both_values_unsaved(
    poster_env: Callable[..., PosterEnv],
) -> None:
    env = poster_env()
    # Net, VAT and total agree with each other (the ERP's own validation would accept it),
    # but the lines add up to 0.01 more than the invoice says: only the ERP's computed total,
    # read before saving, shows it.
    off = make_invoice(6)
    off["lines"][1]["amount"] = "40.01"
    run = env.run([off, make_invoice(7)])
    items = by_number(env, run)
    bad = items["INV-0006"]
    assert bad.state is ItemState.REVIEW
    assert env.ledger.attempts(item_id=bad.id)[-1].error_code == "erp_total_mismatch"
    assert "96.11" in bad.reasons[0] and "96.10" in bad.reasons[0]
    assert (bad.payload["erp_value"], bad.payload["invoice_value"]) == ("96.11", "96.10")
    assert items["INV-0007"].state is ItemState.DONE
    assert list(posted_once(env.erp)) == [("FI12345671", "INV-0007")]


def test_answer_lost_after_the_erp_stored_the_invoice_is_never_posted_twice(
    poster_env: Callable[..., PosterEnv],
) -> None:
    env = poster_env(fail_after_store_rate=1.0)  # every submit stores, then answers 500
    run = env.run([make_invoice(n) for n in range(3)])
    assert run.counts["DONE"] == 3
    for item in env.ledger.items(run.id):
        outcomes = [a.outcome for a in env.ledger.attempts(item_id=item.id)]
        assert outcomes == ["retry", "existing"]
    assert len(posted_once(env.erp)) == 3


def test_expired_session_signs_in_again_and_carries_on(
    poster_env: Callable[..., PosterEnv],
) -> None:
    env = poster_env()

    class ExpireAfterEachItem:
        def started(self, run: Run, total: int, settled: int) -> None:
            pass

        def item_settled(self, item: WorkItem) -> None:
            env.erp.expire_sessions()

    run = env.run([make_invoice(n) for n in range(3)], progress=ExpireAfterEachItem())
    assert run.counts["DONE"] == 3
    assert env.erp.user_stats("demo")["logins"] == 3
    assert len(posted_once(env.erp)) == 3


def test_refused_sign_in_stops_the_run_after_one_attempt(
    poster_env: Callable[..., PosterEnv],
) -> None:
    env = poster_env(password="not-the-password")
    run = env.run([make_invoice(n) for n in range(4)])
    assert run.state is RunState.FAILED
    assert "refused the sign-in" in (run.reason or "")
    assert env.erp.user_stats("demo") == {"failures": 1, "logins": 0}
    assert env.erp.invoices() == []
