"""Every kind of bad input gets a clear status and reason; none crashes a batch, and no
output carries a formula."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest

from robots.invoices.cli import read_batch
from robots.invoices.export import write_workbook
from robots.invoices.reader import ReaderOptions, read_invoice
from robots.invoices.sample_pdf import _classic, new_pdf, put, render_invoice
from robots.invoices.samples import DEMO_VENDORS, _make_invoice
from robots.invoices.validate import reason_code


def _codes(reasons: list[str]) -> set[str]:
    return {reason_code(r) for r in reasons}


def test_zero_byte_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    result = read_invoice(tmp_path / "empty.pdf")
    assert (result.status, _codes(result.reasons)) == ("error", {"empty_file"})


def test_non_pdf_with_pdf_name_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "fake.pdf").write_text("Invoice 123\nTotal 100.00\n")
    assert _codes(read_invoice(tmp_path / "fake.pdf").reasons) == {"not_pdf"}


def test_truncated_pdf_is_an_error(generated: list[Path], tmp_path: Path) -> None:
    data = generated[0].read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 2])
    result = read_invoice(tmp_path / "cut.pdf")
    assert result.status == "error"
    assert _codes(result.reasons) <= {"truncated_pdf", "unreadable_pdf"}


def test_encrypted_pdf_is_an_error(tmp_path: Path) -> None:
    pdf = new_pdf()
    put(pdf, 20, 20, "INVOICE 1 Total 10.00")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.output(str(tmp_path / "locked.pdf"))
    result = read_invoice(tmp_path / "locked.pdf")
    assert (result.status, _codes(result.reasons)) == ("error", {"encrypted_pdf"})


def test_letter_that_is_not_an_invoice_is_an_error(tmp_path: Path) -> None:
    pdf = new_pdf()
    for i, text in enumerate(["Nordic Backoffice Oy", "Helsinki, 3 March 2026",
                              "Dear Sir or Madam,",
                              "we refer to your letter about invoice 4711 and our meeting.",
                              "Our new office opens on 1 April. We look forward to seeing you.",
                              "Kind regards, Anna Virtanen"]):
        put(pdf, 20, 30 + 8 * i, text, 11)
    pdf.output(str(tmp_path / "letter.pdf"))
    result = read_invoice(tmp_path / "letter.pdf")
    assert (result.status, _codes(result.reasons)) == ("error", {"not_an_invoice"})


def _image_only_copy(source: Path, target: Path) -> None:
    doc = pdfium.PdfDocument(str(source))
    image = doc[0].render(scale=200 / 72).to_pil()
    doc.close()
    png = target.with_suffix(".png")
    image.save(png)
    pdf = new_pdf()
    pdf.image(str(png), x=0, y=0, w=210, h=297)
    pdf.output(str(target))


@pytest.mark.slow
def test_image_only_pdf_is_read_by_ocr_and_sent_to_review(
        generated: list[Path], tmp_path: Path) -> None:
    _image_only_copy(generated[0], tmp_path / "scan.pdf")
    result = read_invoice(tmp_path / "scan.pdf")
    assert result.status == "review"
    assert "ocr_used" in _codes(result.reasons)
    assert result.fields["invoice_number"] is not None


def test_image_only_pdf_without_ocr_goes_to_review_not_a_crash(
        generated: list[Path], tmp_path: Path) -> None:
    _image_only_copy(generated[0], tmp_path / "scan.pdf")
    options = ReaderOptions(ocr_command="no-such-tesseract-binary")
    result = read_invoice(tmp_path / "scan.pdf", options)
    assert result.status == "review"
    assert _codes(result.reasons) == {"ocr_unavailable"}


def test_two_hundred_page_pdf_is_read_within_the_page_limit(tmp_path: Path) -> None:
    inv = _make_invoice(random.Random(5), 0, DEMO_VENDORS[0], ["en"])
    pdf = new_pdf()
    _classic(pdf, inv)  # the invoice, then 199 pages of terms
    for page in range(2, 201):
        pdf.add_page()
        put(pdf, 20, 20, f"General terms and conditions, page {page}", 11)
    pdf.output(str(tmp_path / "long.pdf"))
    result = read_invoice(tmp_path / "long.pdf")
    assert result.pages == 200
    assert result.status == "review"
    assert "pages_limit" in _codes(result.reasons)
    assert result.fields["total_amount"] == inv.fields()["total_amount"]


def test_formula_text_from_a_pdf_is_never_written_as_a_formula(tmp_path: Path) -> None:
    inv = _make_invoice(random.Random(9), 0, DEMO_VENDORS[11], ["en"])
    inv.lines[0].description = '=HYPERLINK("http://evil.example","x")'
    inv.buyer = {**inv.buyer, "name": "+cmd|' /C calc'!A0"}
    render_invoice(inv, tmp_path / "evil.pdf")
    results = read_batch([tmp_path / "evil.pdf"], ReaderOptions(), [], workers=1)
    assert results[0].fields["lines"][0]["description"].startswith("=HYPERLINK")
    book = openpyxl.load_workbook(write_workbook(results, tmp_path / "out.xlsx"))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert risky
    assert all(c.data_type == "s" for c in risky)


def test_a_batch_of_bad_files_finishes_with_one_result_each(
        generated: list[Path], tmp_path: Path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "fake.pdf").write_text("not a pdf")
    paths = [tmp_path / "empty.pdf", tmp_path / "fake.pdf", tmp_path / "missing.pdf",
             *generated[:3]]
    results = read_batch(paths, ReaderOptions(), [], workers=2)
    assert [r.file for r in results] == [p.name for p in paths]
    assert [r.status for r in results[:3]] == ["error"] * 3
    assert all(r.status in ("ok", "review") for r in results[3:])
