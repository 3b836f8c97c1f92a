"""Real hybrid invoices that open-source packages ship, read by their page only.

A Factur-X / ZUGFeRD PDF carries its invoice twice: drawn on the page and as XML inside.
``bench/fetch_einvoice_samples.py`` downloads such PDFs from pinned PyPI packages into
``~/.cache/backoffice-bots/einvoice-samples`` (nothing is committed); this module turns
each into a page-only benchmark document, as ``shared/corpus/einvoice-pdf`` does with its
``NAME.visual.pdf`` files:

- the page: its pages copied into a new PDF, without the embedded files (the catalogue's
  ``/EmbeddedFiles`` name tree and ``/AF`` associated files are not copied, the pages'
  ``/AF`` and file-attachment annotations are dropped), checked with ``find_embedded``: the
  reader cannot take the XML route. The page's content is copied as it is (pypdf writes a
  new cross-reference table, repairing a broken one as any PDF viewer does);
- the truth: the embedded XML mapped by the project's own e-invoice reader
  (``map_einvoice``; a credit note's money negative, the one sign rule of every reader),
  then ``page_truth`` keeps the fields the page shows (done by ``bench/invoices.py``).

The documents are grouped by the program that wrote them, told by the PDF's ``/Creator``
(``PRODUCERS``): one benchmark source each. The ``invalid/`` folders (documents the
packages present as broken or not invoices) are left out.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bench.fetch_einvoice_samples import default_dest
from robots.invoices.einvoice.detect import map_einvoice
from robots.invoices.einvoice.embedded import find_embedded
from robots.invoices.fields import as_credit_note

CACHE = default_dest()
# a repaired cross-reference table ('incorrect startxref pointer') is no news here
logging.getLogger("pypdf").setLevel(logging.ERROR)
FETCH_HINT = ".venv/bin/python bench/fetch_einvoice_samples.py"
# (source name, a prefix of the PDF's /Creator); the first that matches, "" matches all
PRODUCERS = (
    ("public real, ZUGFeRD 1.0 (FeRD)", "intarsys ZUGFeRD"),
    ("public real, Factur-X FR (Akretion)", "factur-x Python lib"),
    ("public real, other", ""),
)


def strip_attachments(pdf: Path, out: Path) -> Path:
    """``pdf`` without its embedded files (the page, as a reader without the XML sees it):
    its pages copied into a new document, which takes only what they refer to (the
    catalogue's ``/EmbeddedFiles`` and ``/AF`` stay behind), less the pages' own ``/AF``
    and file-attachment annotations."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    writer = PdfWriter()
    for page in PdfReader(pdf).pages:
        if "/AF" in page:
            del page[NameObject("/AF")]
        annots = page.get("/Annots")
        if annots is not None:
            page[NameObject("/Annots")] = ArrayObject(
                a for a in annots.get_object()
                if a.get_object().get("/Subtype") != "/FileAttachment")
        writer.add_page(page)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer.write(fh)
    if find_embedded(out) is not None:
        raise AssertionError(f"{out.name} still carries an invoice XML")
    return out


def xml_truth(pdf: Path) -> dict[str, Any] | None:
    """The fields of the invoice XML inside ``pdf`` as the e-invoice reader maps them;
    ``None`` when it has none the reader knows."""
    embedded = find_embedded(pdf)
    if embedded is None or embedded.root is None:
        return None
    e = map_einvoice(embedded.root, embedded.name)
    if e.credit_note:
        as_credit_note(e.invoice)
    return e.invoice.to_json()


def producer(pdf: Path) -> str:
    from pypdf import PdfReader

    metadata = PdfReader(pdf).metadata
    creator = str(metadata.get("/Creator") or "") if metadata is not None else ""
    return next(name for name, prefix in PRODUCERS if creator.startswith(prefix))


def public_real_sources(folder: Path, cache: Path = CACHE
                        ) -> dict[str, dict[Path, Mapping[str, Any]]]:
    """{source name: {page-only PDF in ``folder``: the XML's truth}} for the hybrid PDFs
    in the cache; {} when nothing was fetched."""
    out: dict[str, dict[Path, Mapping[str, Any]]] = {}
    if not cache.is_dir():
        return out
    for pdf in sorted(cache.glob("*/*.pdf")):
        truth = xml_truth(pdf)
        if truth is None:
            continue
        page = strip_attachments(pdf, folder / pdf.parent.name / (pdf.stem + ".visual.pdf"))
        out.setdefault(producer(pdf), {})[page] = truth
    return out
