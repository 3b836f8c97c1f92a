"""The README's path by hand: `bots samples invoices`, `bots erp-demo` in its own process,
then `bots run invoice-to-erp` against it posts the sample invoices (real PDFs, real
Chromium, the real demo ERP) instead of sending them all to review for unknown vendors."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from robots.demo_vendors import DEMO_VENDORS
from robots.erp.demo import DEFAULT_VENDORS

BOTS = Path(sys.executable).with_name("bots")


def test_the_demo_erp_starts_knowing_every_vendor_the_samples_invoice_from() -> None:
    assert DEFAULT_VENDORS is DEMO_VENDORS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"bots erp-demo exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


@pytest.mark.browser
@pytest.mark.slow
def test_samples_then_erp_demo_then_run_posts_the_invoices(tmp_path: Path) -> None:
    env = {**os.environ, "BOTS_SECRET_ERP_PASSWORD": "hand-run-pw-1", "BOTS_CONFIG": ""}
    for key in ("BOTS_INPUTS_DIR", "BOTS_OUTPUTS_DIR", "BOTS_DATABASE_URL", "BOTS_BROKER_URL"):
        env.pop(key, None)

    def bots(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BOTS), *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=300)

    made = bots("samples", "invoices", "--n", "3")
    assert made.returncode == 0, made.stderr
    truths = [json.loads(p.read_text())
              for p in sorted((tmp_path / "inputs" / "invoices").glob("*.truth.json"))]
    assert len(truths) == 3 and {t["status"] for t in truths} == {"ok"}

    port = free_port()
    erp = subprocess.Popen([str(BOTS), "erp-demo", "--port", str(port)], cwd=tmp_path,
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(f"http://127.0.0.1:{port}/api/health", erp)
        run = bots("run", "invoice-to-erp", "--set", f"erp_url=http://127.0.0.1:{port}")
        stored = httpx.get(f"http://127.0.0.1:{port}/api/invoices", timeout=10).json()
    finally:
        erp.send_signal(signal.SIGINT)
        erp.wait(timeout=30)
    assert run.returncode == 0, run.stderr
    assert "COMPLETED: done 3" in run.stderr and "review" not in run.stderr
    posted = sorted((i["vendor_tax_id"], i["invoice_number"]) for i in stored)
    assert posted == sorted((t["fields"]["vendor_tax_id"], t["fields"]["invoice_number"])
                            for t in truths)
    assert len(list((tmp_path / "inputs" / "invoices" / "processed").glob("*.pdf"))) == 3
