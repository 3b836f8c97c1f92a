"""The demo pipeline end to end, smaller, in a temporary folder: real PDFs, the real demo
ERP in a real Chromium, real workbooks, the real ledger. Run twice: nothing posted twice."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from robots.erp.demo.server import running_demo_erp


def run_demo(base: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backoffice", "demo", "--invoices", "6", "--recon-rows", "40",
         "--workers", "1"],
        cwd=base, capture_output=True, text=True, timeout=600,
    )


def erp_invoices(base: Path) -> list[dict]:
    with running_demo_erp(base / "outputs" / "demo", vendors=None) as erp:
        return erp.invoices()


@pytest.mark.slow
@pytest.mark.browser
def test_demo_posts_reviews_reconciles_and_a_second_demo_posts_nothing_twice(tmp_path):
    first = run_demo(tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    out = first.stdout
    posted = int(re.search(r"(\d+) posted to the ERP", out).group(1))
    assert posted >= 4
    assert "failed  scan-0001-truncated.pdf: truncated_pdf" in out
    # The Finnish vendor's invoice comes as Finvoice XML and goes straight through.
    assert re.search(r"e-invoices, fields from their XML: invoice-\d+\.xml \(finvoice/3\.0\) "
                     r"posted", out), out
    assert re.search(r"Reconciliation \(run \S+\): match rate \d", out)
    assert re.search(r"fields right on \d+ invoices; posted with a wrong value: 0", out)
    f1 = float(re.search(r"generator's truth: .*\(F1 ([\d.]+)\)", out).group(1))
    assert f1 >= 0.99
    assert "ROI from" in out and "hours saved" in out
    listed = [Path(line.strip()) for line in out.splitlines()
              if line.startswith("  /") and line.strip().endswith((".xlsx", ".html", ".jsonl"))]
    assert any(p.name == "roi.xlsx" for p in listed)
    assert any(p.name.startswith("invoice-to-erp-") for p in listed)
    assert any("reconciliation" in str(p) for p in listed)
    for path in listed:
        assert path.is_file() and path.stat().st_size > 0, path
    stored = erp_invoices(tmp_path)
    assert len(stored) == posted

    second = run_demo(tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "0 posted to the ERP" in second.stdout
    assert re.search(r"\d+ skipped as already handled", second.stdout)
    again = erp_invoices(tmp_path)
    keys = Counter((i["vendor_tax_id"], i["invoice_number"]) for i in again)
    assert len(again) == posted and max(keys.values()) == 1
