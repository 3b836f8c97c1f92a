"""``bench/real_pages.py``: a hybrid PDF turned into its page alone, with the XML's truth."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber

from bench.real_pages import public_real_sources, strip_attachments, xml_truth
from robots.invoices.einvoice.embedded import find_embedded
from robots.invoices.reader import read_invoice
from robots.invoices.samples import generate_invoices


def _facturx(folder: Path) -> tuple[Path, dict[str, object]]:
    for path in generate_invoices(folder, 9, einvoices=True):
        truth = json.loads(path.with_name(path.stem + ".truth.json").read_text("utf-8"))
        if truth["format"] == "facturx":
            return path, truth["fields"]
    raise AssertionError("the generator wrote no Factur-X PDF")


def _words(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [w["text"] for page in doc.pages for w in page.extract_words()]


def test_the_page_only_copy_keeps_the_page_and_loses_the_xml(tmp_path: Path) -> None:
    hybrid, fields = _facturx(tmp_path / "gen")
    assert find_embedded(hybrid) is not None
    page = strip_attachments(hybrid, tmp_path / "out" / "x.visual.pdf")
    assert find_embedded(page) is None
    assert b"CrossIndustryInvoice" not in page.read_bytes()
    assert _words(page) == _words(hybrid)
    assert read_invoice(page).source == "page"
    assert xml_truth(hybrid) == fields  # the e-invoice reader's mapping of the XML
    assert xml_truth(page) is None


def test_sources_are_grouped_by_producer_and_skip_an_empty_cache(tmp_path: Path) -> None:
    hybrid, fields = _facturx(tmp_path / "gen")
    cache = tmp_path / "cache"
    (cache / "pkg").mkdir(parents=True)
    (cache / "pkg" / hybrid.name).write_bytes(hybrid.read_bytes())
    found = public_real_sources(tmp_path / "pages", cache)
    assert list(found) == ["public real, other"]  # fpdf2's /Creator is none of PRODUCERS
    [(page, truth)] = found["public real, other"].items()
    assert page.name.endswith(".visual.pdf") and truth == fields
    assert public_real_sources(tmp_path / "none", tmp_path / "absent") == {}
