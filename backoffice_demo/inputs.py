"""Sample inputs for the demo, generated only when the inputs folder has none.

The generators are deterministic, so a second demo regenerates byte-identical files: the
ledger recognises them (same SHA-256) and skips them, which is the idempotency promise.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from backoffice.config import Settings

INVOICES = 40
REVIEW_SHARE = 0.1
RECON_ROWS = 400
# A PDF cut off mid-stream, as a scanner or a mail gateway sometimes leaves one.
BROKEN_PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Ty"


@dataclass
class GeneratedInputs:
    invoices: list[Path] = field(default_factory=list)
    bank: list[Path] = field(default_factory=list)
    truth_dir: Path | None = None

    def describe(self) -> str:
        parts = []
        if self.invoices:
            xml = sum(p.suffix == ".xml" for p in self.invoices)
            parts.append(f"{len(self.invoices) - xml} invoice PDFs"
                         + (f" and {xml} XML e-invoices" if xml else ""))
        if self.bank:
            parts.append("a bank statement and a ledger export")
        return ", ".join(parts) or "nothing (inputs/ already had files)"


def ensure_sample_inputs(
    settings: Settings, *, invoices: int = INVOICES, recon_rows: int = RECON_ROWS
) -> GeneratedInputs:
    from robots.invoices.samples import generate_invoices
    from robots.reconcile.samples import generate_pair

    made = GeneratedInputs()
    truth_dir = settings.outputs / "demo" / "truth"
    made.truth_dir = truth_dir
    invoice_count = invoices
    invoices_dir = settings.inputs / "invoices"
    if not any(invoices_dir.glob("*.pdf")) and not any(invoices_dir.glob("*.xml")):
        staging = settings.outputs / "demo" / "staging-invoices"
        shutil.rmtree(staging, ignore_errors=True)
        # A Finvoice, a KSeF FA(3) and a Factur-X PDF among them: e-invoices go straight
        # through.
        files = generate_invoices(staging, invoice_count, review_share=REVIEW_SHARE,
                                  unknown_vendor=True, einvoices=True)
        invoices_dir.mkdir(parents=True, exist_ok=True)
        (truth_dir / "invoices").mkdir(parents=True, exist_ok=True)
        for file in files:
            shutil.move(str(file), invoices_dir / file.name)
            made.invoices.append(invoices_dir / file.name)
        for truth in staging.glob("*.json"):
            shutil.move(str(truth), truth_dir / "invoices" / truth.name)
        broken = invoices_dir / "scan-0001-truncated.pdf"
        broken.write_bytes(BROKEN_PDF)
        made.invoices.append(broken)
        shutil.rmtree(staging, ignore_errors=True)
    bank, ledger = settings.inputs / "bank", settings.inputs / "ledger"
    if not any(p.is_file() for p in bank.glob("*")) and not any(
        p.is_file() for p in ledger.glob("*")
    ):
        staging = settings.outputs / "demo" / "staging-recon"
        shutil.rmtree(staging, ignore_errors=True)
        left, right, truth = generate_pair(staging, recon_rows)
        bank.mkdir(parents=True, exist_ok=True)
        ledger.mkdir(parents=True, exist_ok=True)
        shutil.move(str(left), bank / left.name)
        shutil.move(str(right), ledger / right.name)
        (truth_dir / "recon").mkdir(parents=True, exist_ok=True)
        shutil.move(str(truth), truth_dir / "recon" / truth.name)
        made.bank = [bank / left.name, ledger / right.name]
        shutil.rmtree(staging, ignore_errors=True)
    return made
