"""``read_invoice`` on e-invoices: XML files, PDFs with an embedded XML, hostile input."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from robots.invoices.reader import read_invoice
from robots.invoices.scoring import cent_line, corpus_folder, score
from tests.invoices.einvoice_build import attach, attach_packed, cii_xml
from tests.invoices.test_einvoice_xmlsafe import LAUGHS, XXE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "einvoice"
CORPUS = corpus_folder(Path(__file__).resolve().parents[2])


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A generated invoice PDF (a real page) and its true fields."""
    from robots.invoices.samples import generate_invoices

    folder = tmp_path_factory.mktemp("page")
    pdf = generate_invoices(folder, 3, seed=11, review_share=0.0)[2]
    truth = json.loads(pdf.with_name(pdf.stem + ".truth.json").read_text())
    return pdf, truth["fields"]


def test_pdf_with_matching_embedded_xml_takes_its_fields_from_the_xml(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    pdf, fields = sample
    result = read_invoice(attach(pdf, cii_xml(fields), tmp_path / "fx.pdf"))
    assert result.status == "ok", result.reasons
    assert result.source == "factur-x/EN16931"
    assert result.fields == fields
    assert result.extra["embedded_xml"] == "factur-x.xml"


def test_page_disagreeing_with_the_xml_goes_to_review_naming_both_values(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    pdf, fields = sample
    altered = {**fields, "invoice_number": "X-999"}
    result = read_invoice(attach(pdf, cii_xml(altered), tmp_path / "fx.pdf"))
    assert result.status == "review"
    assert result.fields["invoice_number"] == "X-999"
    mismatch = [r for r in result.reasons if r.startswith("page_mismatch: invoice_number")]
    assert mismatch and "X-999" in mismatch[0] and fields["invoice_number"] in mismatch[0]


def test_hostile_embedded_xml_falls_back_to_the_page_with_a_review_note(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    pdf, _ = sample
    result = read_invoice(attach(pdf, XXE, tmp_path / "xxe.pdf"))
    assert result.status == "review"
    assert result.source == "page"
    assert any(r.startswith("embedded_xml_unreadable: xml_forbidden") for r in result.reasons)


def test_oversized_embedded_xml_is_not_parsed_and_the_page_is_read(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    pdf, fields = sample
    big = cii_xml(fields).replace(b"</rsm:CrossIndustryInvoice>",
                                  b"<!-- " + b"x" * 6_000_000 + b" --></rsm:CrossIndustryInvoice>")
    result = read_invoice(attach(pdf, big, tmp_path / "big.pdf"))
    assert result.source == "page"
    assert any(r.startswith("embedded_xml_unreadable: xml_too_large") for r in result.reasons)
    assert result.fields["invoice_number"] == fields["invoice_number"]


def test_xml_credit_note_is_read_negative_like_a_credit_note_page() -> None:
    result = read_invoice(FIXTURES / "ubl-tc434-creditnote1.xml")
    assert result.status == "ok", result.reasons
    assert result.source == "ubl-creditnote/PEPPOL"
    f = result.fields
    assert (f["invoice_number"], f["total_amount"], f["net_amount"]) == (
        "018304 / 28865", "-100.11", "-100.11")
    assert f["vendor_tax_id"] == "BE0000000196" and f["vendor_name"] == "My Supplier Company"
    assert f["lines"][0]["amount"] == "-100.11" and f["lines"][0]["quantity"] == "1"


def test_cii_xml_file_whose_sums_disagree_goes_to_review(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    _, fields = sample
    xml = cii_xml(fields).replace(
        f"<ram:GrandTotalAmount>{fields['total_amount']}".encode(),
        b"<ram:GrandTotalAmount>1.00")
    path = tmp_path / "bad-sum.xml"
    path.write_bytes(xml)
    result = read_invoice(path)
    assert result.status == "review"
    assert any(r.startswith("total_mismatch") for r in result.reasons)


def test_xml_id_failing_its_check_digit_is_ok_with_a_warning_naming_field_and_value(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    _, fields = sample
    bad = dict(fields, vendor_tax_id="DE123456789", iban="DE00123456780000000000")
    path = tmp_path / "stated.xml"
    path.write_bytes(cii_xml(bad))
    result = read_invoice(path)
    assert (result.status, result.reasons) == ("ok", [])
    assert result.fields["vendor_tax_id"] == "DE123456789"  # exactly as stated
    assert result.fields["iban"] == "DE00123456780000000000"
    assert result.confidence["vendor_tax_id"] == result.confidence["iban"] == 1.0
    by_code = {w.split(":")[0]: w for w in result.warnings}
    assert set(by_code) == {"tax_id_checksum", "iban_checksum"}
    assert "vendor_tax_id DE123456789" in by_code["tax_id_checksum"]
    assert "iban DE00123456780000000000" in by_code["iban_checksum"]
    assert all("as stated in the XML" in w for w in result.warnings)
    assert result.to_json()["warnings"] == result.warnings


def test_xml_line_whose_price_leaves_out_a_tax_is_ok_with_a_warning_while_sums_hold(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    _, fields = sample
    # An insurer states the net price without the insurance tax its line amount includes:
    # quantity x price != amount, but the line amounts still add up to the net (BR-CO-10).
    line = fields["lines"][0]
    price = (Decimal(line["amount"]) / Decimal(line["quantity"]) * Decimal("0.84")
             ).quantize(Decimal("0.0001"))
    stated = dict(fields, lines=[dict(line, unit_price=str(price)), *fields["lines"][1:]])
    path = tmp_path / "insurance.xml"
    path.write_bytes(cii_xml(stated))
    result = read_invoice(path)
    assert (result.status, result.reasons) == ("ok", [])
    assert [w.split(":")[0] for w in result.warnings] == ["line_arithmetic"]
    assert "line(s) 1" in result.warnings[0] and "as stated in the XML" in result.warnings[0]
    assert result.fields["lines"][0]["amount"] == line["amount"]  # the amount, as stated


def test_xml_lines_that_do_not_add_up_to_the_net_go_to_review(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    _, fields = sample
    line = fields["lines"][0]
    off = f"{Decimal(line['amount']) + 10:.2f}"
    xml = cii_xml(fields).replace(
        f"<ram:LineTotalAmount>{line['amount']}</ram:LineTotalAmount>".encode(),
        f"<ram:LineTotalAmount>{off}</ram:LineTotalAmount>".encode(), 1)
    path = tmp_path / "lines-off.xml"
    path.write_bytes(xml)
    result = read_invoice(path)
    assert result.status == "review"
    assert any(r.startswith(("lines_mismatch", "line_sum", "net_mismatch"))
               for r in result.reasons), result.reasons


def test_xml_with_a_bad_check_digit_and_bad_sums_still_goes_to_review_for_the_sums(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    _, fields = sample
    xml = cii_xml(dict(fields, vendor_tax_id="DE123456789")).replace(
        f"<ram:GrandTotalAmount>{fields['total_amount']}".encode(),
        b"<ram:GrandTotalAmount>1.00")
    path = tmp_path / "stated-bad-sum.xml"
    path.write_bytes(xml)
    result = read_invoice(path)
    assert result.status == "review"
    # the total disagrees with net + VAT and with the amount due; the id is only a warning
    assert [r.split(":")[0] for r in result.reasons] == ["due_mismatch", "total_mismatch"]
    assert [w.split(":")[0] for w in result.warnings] == ["tax_id_checksum"]


def test_a_page_id_failing_its_check_digit_still_goes_to_review(tmp_path: Path) -> None:
    """On a page a failed check digit signals a misreading: no warning, review."""
    from robots.invoices.samples import generate_invoices

    pdf = generate_invoices(tmp_path, 1, seed=3, review_share=1.0, faults=["bad_iban"])[0]
    result = read_invoice(pdf)
    assert result.source == "page"
    assert result.status == "review" and result.warnings == []
    assert "iban_checksum" in [r.split(":")[0] for r in result.reasons]


def test_large_compressed_attachment_is_refused_while_unpacking_not_after(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    import tracemalloc

    from robots.invoices.einvoice.embedded import find_embedded
    from robots.invoices.reader import ReaderOptions

    pdf, fields = sample
    big = b"<a>" + b"<b>x</b>" * 2_500_000 + b"</a>"  # 20 MB of XML in a ~50 kB PDF
    packed = attach_packed(pdf, big, tmp_path / "big.pdf")
    tracemalloc.start()
    try:
        found = find_embedded(packed, max_bytes=100_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found is not None and found.problem is not None
    assert found.problem.code == "xml_too_large"
    assert peak < 5_000_000, f"{peak:,} bytes: the attachment was unpacked past the limit"
    result = read_invoice(packed, ReaderOptions(max_xml_bytes=100_000, ocr=False))
    assert result.status == "review" and result.source == "page"
    assert any(r.startswith("embedded_xml_unreadable: xml_too_large") for r in result.reasons)
    # the same attachment format under the limit is read
    small = attach_packed(pdf, cii_xml(fields), tmp_path / "small.pdf")
    assert read_invoice(small).fields == fields


def test_attachment_declaring_a_size_over_the_limit_is_refused_unread(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    from robots.invoices.einvoice.embedded import find_embedded

    pdf, fields = sample
    packed = attach_packed(pdf, cii_xml(fields), tmp_path / "declared.pdf",
                           declared_size=80_000_000)
    found = find_embedded(packed)
    assert found is not None and found.problem is not None
    assert found.problem.code == "xml_too_large" and "80,000,000" in str(found.problem)


@pytest.mark.parametrize(("data", "code"), [
    (XXE, "xml_forbidden"), (LAUGHS, "xml_forbidden"), (b"<Invoice><ID>1</Invoice>",
                                                         "xml_malformed"),
    (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>', "xml_unknown"),
])
def test_bad_xml_file_gets_status_error_with_its_code(tmp_path: Path, data: bytes,
                                                      code: str) -> None:
    path = tmp_path / "in.xml"
    path.write_bytes(data)
    result = read_invoice(path)
    assert result.status == "error"
    assert result.reasons[0].startswith(code + ":")
    assert path.read_bytes() == data  # the original is kept as it was


def test_ten_megabyte_xml_gets_status_error(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(b"<a>" + b"<b>x</b>" * 1_250_000 + b"</a>")
    result = read_invoice(path)
    assert result.status == "error" and result.reasons[0].startswith("xml_too_large")


def _corpus() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"the e-invoice corpus is not at {CORPUS}")
    return sorted(p for p in CORPUS.glob("XML-Rechnung_FX_*.pdf")
                  if not p.name.endswith(".visual.pdf"))


def test_corpus_factur_x_pdfs_give_exactly_the_embedded_values() -> None:
    paths = _corpus()
    assert paths
    for path in paths[:8]:
        truth = json.loads(path.with_suffix(".json").read_text())
        result = read_invoice(path)
        assert result.source.startswith("factur-x/"), path.name
        truth.pop("meta", None)
        s = score([(result, truth)], cent_line)
        wrong = [(field, want, got) for _, field, want, got in s.misses]
        assert not wrong, (path.name, wrong)
        # the samples' made-up ids and accounts fail their check digits: warnings, not review
        assert (result.status, result.reasons) == ("ok", []), path.name
        assert all(w.split(":")[0] in ("tax_id_checksum", "iban_checksum")
                   for w in result.warnings), (path.name, result.warnings)


def test_bots_extract_reads_xml_files_in_a_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from backoffice.cli import cli_for_tests

    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "credit.xml").write_bytes((FIXTURES / "ubl-tc434-creditnote1.xml").read_bytes())
    (folder / "xxe.xml").write_bytes(XXE)
    result = CliRunner().invoke(
        cli_for_tests(), ["extract", str(folder), "--json", "--workers", "1"],
        catch_exceptions=False, env={"BOTS_CONFIG": "", "BOTS_INPUTS_DIR": str(tmp_path / "in"),
                                     "BOTS_OUTPUTS_DIR": str(tmp_path / "out")})
    assert result.exit_code == 2, result.output  # a bad input among them: exit code 2
    by_file = {d["file"]: d for d in json.loads(result.stdout)}
    assert by_file["credit.xml"]["status"] == "ok"
    assert by_file["credit.xml"]["source"] == "ubl-creditnote/PEPPOL"
    assert by_file["xxe.xml"]["status"] == "error"


def test_invoice_to_erp_takes_xml_files_as_well_as_pdfs(tmp_path: Path) -> None:
    from backoffice.workflow import load_workflows

    workflows = load_workflows([Path(__file__).resolve().parents[2] / "workflows"])
    inputs = tmp_path / "inputs"
    (inputs / "invoices").mkdir(parents=True)
    for name in ("a.pdf", "b.xml", "notes.txt"):
        (inputs / "invoices" / name).write_bytes(b"x")
    found = workflows["invoice-to-erp"].input_files(inputs)
    assert sorted(p.name for p in found) == ["a.pdf", "b.xml"]


def test_any_xml_attachment_that_is_an_invoice_is_used_and_others_are_ignored(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    pdf, fields = sample
    other = attach(pdf, b"<notes><n>not an invoice</n></notes>", tmp_path / "n.pdf", "notes.xml")
    result = read_invoice(other)
    assert result.source == "page" and "embedded_xml" not in result.extra
    assert not any(r.startswith("embedded_xml") for r in result.reasons)
    named = attach(pdf, cii_xml(fields), tmp_path / "r.pdf", "rechnung-4711.xml")
    result = read_invoice(named)
    assert result.source == "factur-x/EN16931" and result.status == "ok", result.reasons
    assert result.extra["embedded_xml"] == "rechnung-4711.xml"


def test_misnamed_attachment_whose_bytes_are_an_invoice_is_used_and_non_xml_is_skipped(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    pdf, fields = sample
    logo = attach(pdf, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, tmp_path / "logo.pdf", name="logo.png")
    misnamed = attach(logo, cii_xml(fields), tmp_path / "misnamed.pdf",
                      name="../../invoice.bin")
    result = read_invoice(misnamed)
    assert (result.status, result.source) == ("ok", "factur-x/EN16931"), result.reasons
    assert result.fields == fields
    assert read_invoice(logo).source == "page"  # a picture is not an invoice XML


def test_blank_page_with_a_broken_embedded_xml_is_an_error_naming_the_xml_first(
        tmp_path: Path) -> None:
    from pypdf import PdfWriter

    blank = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    with blank.open("wb") as fh:
        writer.write(fh)
    result = read_invoice(attach(blank, b"<rsm:broken", tmp_path / "broken.pdf"))
    assert (result.status, result.error_code) == ("error", "xml_malformed")
    assert "factur-x.xml" in result.reasons[0] and "no_text" in result.reasons[0]


def test_amount_due_that_is_not_total_minus_prepaid_goes_to_review(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    _, fields = sample
    xml = cii_xml(fields).replace(
        f"<ram:DuePayableAmount>{fields['total_amount']}".encode(),
        b"<ram:DuePayableAmount>1.00")
    path = tmp_path / "due.xml"
    path.write_bytes(xml)
    result = read_invoice(path)
    assert result.status == "review"
    assert [r.split(":")[0] for r in result.reasons] == ["due_mismatch"]
    prepaid = tmp_path / "prepaid.xml"  # 1.00 due after a prepayment is consistent
    total = Decimal(fields["total_amount"])
    prepaid.write_bytes(xml.replace(b"<ram:DuePayableAmount>", f"<ram:TotalPrepaidAmount>"
                                    f"{total - 1}</ram:TotalPrepaidAmount>"
                                    "<ram:DuePayableAmount>".encode()))
    assert read_invoice(prepaid).status == "ok"


def test_minimum_profile_amount_due_below_the_total_is_no_contradiction(
        sample: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    """MINIMUM cannot state a prepaid amount, so BR-CO-16 cannot be checked there."""
    _, fields = sample
    xml = cii_xml(fields, guideline="urn:factur-x.eu:1p0:minimum").replace(
        f"<ram:DuePayableAmount>{fields['total_amount']}".encode(),
        b"<ram:DuePayableAmount>1.00")
    path = tmp_path / "minimum.xml"
    path.write_bytes(xml)
    result = read_invoice(path)
    assert result.source == "cii/MINIMUM"
    assert not any(r.startswith("due_mismatch") for r in result.reasons)
