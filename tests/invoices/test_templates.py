from __future__ import annotations

from pathlib import Path

import pytest

from backoffice.errors import ConfigError
from robots.invoices.reader import read_invoice
from robots.invoices.sample_pdf import new_pdf, put
from robots.invoices.templates import load_templates


def _odd_invoice(path: Path) -> None:
    """A layout the generic reader cannot know: the number hides behind 'Our ref.'."""
    pdf = new_pdf()
    put(pdf, 15, 20, "Odd Layout Oy", 14, bold=True)
    put(pdf, 15, 30, "LASKU")
    put(pdf, 15, 40, "Our ref. ODD-77")
    put(pdf, 15, 45, "Päiväys 02.03.2026")
    put(pdf, 15, 60, "Kuvaus")
    put(pdf, 120, 60, "Määrä")
    put(pdf, 160, 60, "Yhteensä")
    put(pdf, 15, 66, "Palvelu")
    put(pdf, 120, 66, "1")
    put(pdf, 160, 66, "100,00")
    put(pdf, 100, 80, "Veroton yhteensä 100,00")
    put(pdf, 100, 85, "ALV 25,5 % 25,50")
    put(pdf, 100, 90, "Maksettava yhteensä EUR 125,50")
    pdf.output(str(path))


def test_a_template_fills_the_field_the_generic_reader_misses(tmp_path: Path) -> None:
    _odd_invoice(tmp_path / "odd.pdf")
    assert read_invoice(tmp_path / "odd.pdf").fields["invoice_number"] != "ODD-77"
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "odd.toml").write_text(
        'name = "odd"\nmatch = ["Odd Layout Oy"]\n'
        '[fields.invoice_number]\nlabel = "Our ref."\n')
    result = read_invoice(tmp_path / "odd.pdf", templates=load_templates(tmp_path / "tpl"))
    assert result.template == "odd"
    assert result.fields["invoice_number"] == "ODD-77"
    assert result.fields["total_amount"] == "125.50"


def test_a_bad_template_names_the_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('name = "x"\nmatch = ["y"]\n[fields.colour]\nlabel="z"\n')
    with pytest.raises(ConfigError, match="bad.toml"):
        load_templates(tmp_path)
