"""Renders invoices with arca-factura-pdf (PyPI), run by ``bench/thirdparty.py`` with the
cache on PYTHONPATH: jobs as JSON on stdin ({path, detail, arca_data, result, cuit_emisor,
branding}),
an empty report per PDF as JSON on stdout.

The template (the Argentine AFIP/ARCA layout) and its wording are the package's; only the
data and the branding options are ours. Rendered with ``fiscal=False``, as the package asks
for anything without a real CAE: its 'MUESTRA' watermark is part of the page.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    from factura_pdf.generator import branding_from_dict, generate_invoice_pdf

    reports = []
    for job in json.load(sys.stdin):
        pdf = generate_invoice_pdf(job["detail"], job["arca_data"], job["result"],
                                   job["cuit_emisor"],
                                   branding_from_dict(job["branding"]), fiscal=False)
        Path(job["path"]).write_bytes(pdf)
        reports.append({})
    json.dump(reports, sys.stdout)


if __name__ == "__main__":
    main()
