"""Drawing a one-off test invoice: the tests that pin one layout rule each draw their page
with fpdf2 (``robots.invoices.sample_pdf.put``) and read the real PDF it makes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF

from robots.invoices.sample_pdf import new_pdf


def draw_pdf(folder: Path, draw: Callable[[FPDF], None], name: str) -> Path:
    """``draw`` on a new A4 page, saved as ``folder/name.pdf``."""
    pdf = new_pdf()
    draw(pdf)
    path = folder / f"{name}.pdf"
    pdf.output(str(path))
    return path
