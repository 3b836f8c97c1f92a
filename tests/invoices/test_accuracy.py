"""The reader against truth: generated invoices in six languages and three layouts, and
hand-made ones in layouts the generator never draws (US, FR, NL, IN, DE letter, PL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from robots.invoices.reader import read_invoice
from robots.invoices.scoring import score
from robots.invoices.validate import reason_code


def _truth(pdf: Path) -> dict[str, Any]:
    return json.loads(pdf.with_name(pdf.stem + ".truth.json").read_text(encoding="utf-8"))


def test_generated_invoices_meet_the_accuracy_targets(read_generated: dict[Path, Any]) -> None:
    pairs = [(r, _truth(p)["fields"]) for p, r in read_generated.items()]
    result = score(pairs)
    assert result.wrong_ok == [], result.misses
    assert result.field_accuracy >= 0.98, result.misses
    assert result.invoice_accuracy >= 0.90, result.misses


def test_deliberate_faults_go_to_review_with_their_reason(
        read_generated: dict[Path, Any]) -> None:
    faulty = [p for p in read_generated if _truth(p)["status"] == "review"]
    assert len(faulty) >= 5
    for pdf in faulty:
        result = read_generated[pdf]
        assert result.status == "review", pdf.name
        codes = {reason_code(r) for r in result.reasons}
        assert set(_truth(pdf)["reasons"]) <= codes, (pdf.name, result.reasons)


def test_clean_generated_invoices_are_ok(read_generated: dict[Path, Any]) -> None:
    clean = [p for p in read_generated if _truth(p)["status"] == "ok"]
    statuses = {p.name: read_generated[p].status for p in clean}
    assert sum(s == "ok" for s in statuses.values()) >= 0.9 * len(clean), statuses


def test_hand_made_layouts_are_read_without_a_template(handmade: dict[Path, Any]) -> None:
    pairs = [(read_invoice(p), truth) for p, truth in handmade.items()]
    result = score(pairs)
    assert result.wrong_ok == [], result.misses
    assert result.field_accuracy >= 0.95, result.misses


def test_us_invoice_reads_month_first_dates_and_dollar_amounts(
        handmade: dict[Path, Any]) -> None:
    pdf = next(p for p in handmade if p.name == "handmade-us.pdf")
    fields = read_invoice(pdf).fields
    assert (fields["issue_date"], fields["due_date"]) == ("2026-03-14", "2026-04-13")
    assert (fields["currency"], fields["total_amount"]) == ("USD", "585.89")


def test_credit_notes_give_negative_amounts(tmp_path: Path) -> None:
    import random

    from robots.invoices.sample_pdf import render_invoice
    from robots.invoices.samples import DEMO_VENDORS, _make_invoice

    inv = _make_invoice(random.Random(3), 0, DEMO_VENDORS[7], None)
    inv.credit = True
    render_invoice(inv, tmp_path / "credit.pdf")
    result = read_invoice(tmp_path / "credit.pdf")
    truth = inv.fields()
    assert truth["total_amount"].startswith("-")
    assert result.fields["total_amount"] == truth["total_amount"]
    assert result.fields["lines"] == truth["lines"]
