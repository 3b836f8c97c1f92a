"""Drawing a one-off test invoice: the tests that pin one layout rule each draw their page
with fpdf2 (``robots.invoices.sample_pdf.put``) and read the real PDF it makes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from fpdf import FPDF

from robots.invoices.sample_pdf import new_pdf, put


def draw_pdf(folder: Path, draw: Callable[[FPDF], None], name: str) -> Path:
    """``draw`` on a new A4 page, saved as ``folder/name.pdf``."""
    pdf = new_pdf()
    draw(pdf)
    path = folder / f"{name}.pdf"
    pdf.output(str(path))
    return path


def key_values(pdf: FPDF, rows: Sequence[tuple[str, str]], *, key_x: float, value_x: float,
               top: float, step: float = 6, size: float = 10, bold: bool = False) -> None:
    """A stack of 'key ... value' rows (a totals block), the values right-aligned at
    ``value_x``."""
    for i, (key, value) in enumerate(rows):
        put(pdf, key_x, top + step * i, key, size, bold=bold)
        put(pdf, value_x, top + step * i, value, size, right=True, bold=bold)
