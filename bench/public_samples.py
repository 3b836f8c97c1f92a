"""Public sample invoices of another open-source extractor, as a benchmark source.

invoice2data (MIT) ships real invoices it was tested on (Amazon Web Services, Flipkart,
Netpresse, QualityHosting, Free, OYO...) with its own expected output in
``tests/compare/*.json``. Its source release is on PyPI, so the files are fetched from
there (pinned by hash) into ``~/.cache/backoffice-bots/public`` the first time:

    .venv/bin/python bench/public_samples.py --fetch

Their JSON keys map onto our field contract for the fields they share (number, dates,
amounts, currency, VAT id); names are left out because its ``issuer`` is a template name,
not the name printed on the page. ``bench/invoices.py`` scores only what the page shows
(``page_truth``). Nobody here tuned the reader against these files before measuring them.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import shutil
import tarfile
import urllib.request
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

SDIST_URL = ("https://files.pythonhosted.org/packages/0c/38/e2f5b9e98a219c251594b1ffca2da66d8b"
             "8981233141d42bf43695e48455/invoice2data-0.4.0.tar.gz")
SDIST_SHA256 = "d84f2384903ff38e3ba9fb38104d4dbc9016b6559a848b8134691e0d3796c2c8"
CACHE = Path.home() / ".cache" / "backoffice-bots" / "public" / "invoice2data-0.4.0"
FETCH_HINT = ".venv/bin/python bench/public_samples.py --fetch"


def fetch(cache: Path = CACHE) -> Path:
    """Download the pinned release and keep its ``tests/compare`` PDFs and JSON files."""
    with urllib.request.urlopen(SDIST_URL, timeout=60) as reply:  # noqa: S310 - pinned https
        data = reply.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SDIST_SHA256:
        raise SystemExit(f"invoice2data release hash {digest} is not the pinned one")
    tmp = cache.with_name(cache.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            name = Path(member.name)
            # flat names only: nothing in the archive chooses where a file lands
            if member.isfile() and name.parent.name == "compare" \
                    and name.suffix in (".pdf", ".json"):
                source = tar.extractfile(member)
                if source is not None:
                    (tmp / name.name).write_bytes(source.read())
    shutil.rmtree(cache, ignore_errors=True)
    tmp.rename(cache)
    return cache


def _amount(value: Any) -> str | None:
    return f"{Decimal(str(value)):.2f}" if isinstance(value, int | float) else None


def _truth(expected: Mapping[str, Any]) -> dict[str, Any]:
    """invoice2data's expected output -> our field names and formats."""
    out: dict[str, Any] = {
        # its numbers keep the '#' some pages print before them ('Invoice No : # BLR...')
        "invoice_number": str(expected.get("invoice_number", "")).lstrip("# ") or None,
        "issue_date": expected.get("date"),
        "due_date": expected.get("date_due"),
        "total_amount": _amount(expected.get("amount")),
        "net_amount": _amount(expected.get("amount_untaxed")),
        "currency": expected.get("currency"),
    }
    vat = re.sub(r"\s+", "", str(expected.get("vat", "")))
    if re.fullmatch(r"[A-Z]{2}[0-9A-Z]{8,12}", vat):
        out["vendor_tax_id"] = vat
    return {k: v for k, v in out.items() if v is not None}


def public_truths(cache: Path = CACHE) -> dict[Path, dict[str, Any]]:
    """Each sample PDF with its mapped truth; {} when not fetched (see ``FETCH_HINT``)."""
    out: dict[Path, dict[str, Any]] = {}
    if not cache.is_dir():
        return out
    for pdf in sorted(cache.glob("*.pdf")):
        expected = pdf.with_suffix(".json")
        if expected.is_file():
            data = json.loads(expected.read_text("utf-8"))
            out[pdf] = _truth(data[0] if isinstance(data, list) else data)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fetch", action="store_true", help="download the pinned release")
    args = parser.parse_args()
    if args.fetch:
        print(f"fetched into {fetch()}")
    for pdf, truth in public_truths().items():
        print(pdf.name, truth)


if __name__ == "__main__":
    main()
