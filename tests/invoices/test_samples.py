from __future__ import annotations

import json
from pathlib import Path

from robots.invoices.samples import DEMO_VENDORS, FAULT_REASONS, generate_invoices


def test_same_seed_gives_byte_identical_pdfs(tmp_path: Path) -> None:
    first = generate_invoices(tmp_path / "a", 3, seed=3, review_share=0.3)
    second = generate_invoices(tmp_path / "b", 3, seed=3, review_share=0.3)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    other = generate_invoices(tmp_path / "c", 3, seed=4)
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]


def test_truth_names_demo_vendors_and_the_expected_faults(tmp_path: Path) -> None:
    paths = generate_invoices(tmp_path, 12, review_share=0.25, unknown_vendor=True)
    truths = [json.loads(p.with_name(p.stem + ".truth.json").read_text()) for p in paths]
    names = {v["name"] for v in DEMO_VENDORS}
    assert all(t["fields"]["vendor_name"] in names for t in truths[:-1])
    assert truths[-1]["fields"]["vendor_name"] not in names
    faulty = [t for t in truths if t["status"] == "review"]
    assert len(faulty) == 3
    assert all(t["reasons"] and set(t["reasons"]) <= set(FAULT_REASONS.values())
               for t in faulty)
    assert len({t["language"] for t in truths}) >= 4
    assert len({t["layout"] for t in truths}) == 3


def test_einvoice_samples_state_exactly_their_truth(tmp_path: Path) -> None:
    from backoffice.xmlsafe import read_xml_file
    from robots.invoices.einvoice.detect import map_einvoice
    from robots.invoices.reader import read_invoice

    paths = generate_invoices(tmp_path, 9, review_share=0.2, einvoices=True)
    truths = {p.name: json.loads(p.with_name(p.stem + ".truth.json").read_text())
              for p in paths}
    by_format = {t["format"]: name for name, t in truths.items()}
    assert set(by_format) == {"pdf", "finvoice", "ksef", "facturx"}
    facturx = read_invoice(tmp_path / by_format["facturx"])
    assert (facturx.status, facturx.source) == ("ok", "factur-x/EN16931")
    assert facturx.fields == truths[by_format["facturx"]]["fields"]
    for fmt in ("finvoice", "ksef"):
        name = by_format[fmt]
        assert truths[name]["status"] == "ok" and truths[name]["file"] == name
        e = map_einvoice(read_xml_file(tmp_path / name))
        assert e.notes == [] and e.invoice.to_json() == truths[name]["fields"]
