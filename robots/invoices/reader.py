"""Read one invoice file: bad input handled first, then layout, extraction and validation.

``read_invoice`` never raises for a bad file: a zero-byte file, a non-PDF, a truncated or
encrypted PDF or a letter that is not an invoice gives status ``error`` with a reason; an
image-only page without OCR gives ``review``. The result is what ``bots extract --json``
prints for one file.

Structured e-invoices (``robots.invoices.einvoice``): an XML file (CII, UBL, ...) is mapped,
never read as a picture; malformed, hostile or unknown XML is ``error``. A PDF with an
embedded invoice XML (Factur-X, ZUGFeRD, XRechnung) takes its fields from the XML, and the
page is cross-checked on invoice number, vendor and total. ``source`` names where the fields
came from: ``page``, or the format (``factur-x/EN16931``, ``cii/XRECHNUNG``, ``ubl/PEPPOL``,
``ubl-creditnote/EN16931``, ``zugferd-1/COMFORT``...).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Extraction", "ExtractionStatus", "ReaderOptions", "read_invoice", "reader_failed"]

from backoffice.xmlsafe import DEFAULT_MAX_BYTES, XmlRejected
from robots.invoices.doctype import classify
from robots.invoices.einvoice.common import EInvoice
from robots.invoices.extract import read_document
from robots.invoices.fields import FIELD_NAMES, HEADER_FIELDS, ExtractionStatus, Invoice
from robots.invoices.layout import Document, build_lines
from robots.invoices.learned import LearnedLayout, apply_layout, identify
from robots.invoices.ocr import OcrUnavailable, ocr_page_words
from robots.invoices.templates import Template, apply_templates
from robots.invoices.validate import DEFAULT_THRESHOLD, validate


class ReaderOptions(BaseModel):
    """``[robots.invoice_reader]`` in bots.toml (``manual_minutes`` is read by the core)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    max_pages: int = Field(default=50, ge=1)  # longer documents: first pages read, review
    ocr: bool = True
    ocr_command: str = "tesseract"
    ocr_languages: str = "eng+fin+est+pol+deu+swe"
    ocr_dpi: int = Field(default=300, ge=72, le=600)
    ocr_timeout: float = Field(default=120.0, gt=0)
    confidence_threshold: float = Field(default=DEFAULT_THRESHOLD, ge=0, le=1)
    templates_dir: Path | None = None
    learned_layouts: bool = True  # use the vendor layouts reviewers taught
    max_xml_bytes: int = Field(default=DEFAULT_MAX_BYTES, ge=1)  # larger XML is refused


@dataclass
class Extraction:
    file: str
    status: ExtractionStatus
    reasons: list[str]
    fields: dict[str, Any]
    confidence: dict[str, float]
    pages: int = 0
    seconds: float = 0.0
    template: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    source: str = "page"  # the e-invoice format when the fields came from XML
    error_code: str | None = None  # why an ``error`` is one: "no_text", "encrypted", ...
    # Notes that leave the status as it is ("code: text"), e.g. an e-invoice's VAT id whose
    # check digit fails, kept as the XML states it. ``reasons`` are the blocking ones.
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = {"file": self.file, "status": self.status.value, "reasons": self.reasons,
               "warnings": self.warnings, "fields": self.fields, "confidence": self.confidence,
               "source": self.source}
        if self.learned is not None:
            out["learned"] = self.learned
        return out

    @property
    def learned(self) -> dict[str, Any] | None:
        """The vendor layout used and the fields it gave, when one was used."""
        return self.extra.get("learned")

    @property
    def summary(self) -> str:
        if self.status is ExtractionStatus.OK:
            f = self.fields
            return (f"{f['vendor_name']} {f['invoice_number']}: {f['total_amount']} "
                    f"{f['currency']}")
        return f"{self.file}: {self.status.value}: " + "; ".join(self.reasons)[:300]


def _status(reasons: list[str]) -> ExtractionStatus:
    return ExtractionStatus.REVIEW if reasons else ExtractionStatus.OK


class Unreadable(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.reason = f"{code}: {message}"


def empty_fields() -> dict[str, Any]:
    return Invoice().to_json()


def read_invoice(
    path: Path, options: ReaderOptions | None = None, templates: list[Template] | None = None,
    learned: Sequence[LearnedLayout] = (),
) -> Extraction:
    """``learned``: the vendor layouts taught by reviewers; the one of the document's vendor
    (known by its tax id, IBAN or name) fills in what it can before the checks run."""
    options = options or ReaderOptions()
    started = time.perf_counter()
    try:
        if _is_xml(path):
            result = _read_xml(path, options)
        else:
            result = _read_pdf(path, options, templates or [], learned)
    except Unreadable as exc:
        result = _error(path, exc.code, exc.reason)
    except XmlRejected as exc:
        result = _error(path, exc.code, str(exc))
    except Exception as exc:  # a reader bug on one odd file must not stop a batch
        result = reader_failed(path, exc)
    result.seconds = time.perf_counter() - started
    return result


def _error(path: Path, code: str, reason: str) -> Extraction:
    return Extraction(file=path.name, status=ExtractionStatus.ERROR, reasons=[reason],
                      fields=empty_fields(), confidence=dict.fromkeys(HEADER_FIELDS, 0.0),
                      error_code=code)


def reader_failed(path: Path, exc: BaseException) -> Extraction:
    """The result for a file the reader itself failed on (a bug, not the file's fault)."""
    return _error(path, "reader_failed",
                  f"reader_failed: {type(exc).__name__}: {str(exc)[:200]}")


def _is_xml(path: Path) -> bool:
    """An ``.xml`` name, or XML bytes under another name (never a PDF)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError:
        return False
    if b"%PDF-" in head:
        return False
    return path.suffix.lower() == ".xml" or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _read_xml(path: Path, options: ReaderOptions) -> Extraction:
    from backoffice.xmlsafe import read_xml_file
    from robots.invoices.einvoice.detect import map_einvoice

    try:
        root = read_xml_file(path, max_bytes=options.max_xml_bytes)
    except XmlRejected as exc:
        root = _framed(path, exc, options)
    return _from_einvoice(path, map_einvoice(root, path.name), [])


def _framed(path: Path, exc: XmlRejected, options: ReaderOptions) -> etree._Element:
    """A Finvoice delivered with its SOAP routing frame is two XML documents in one file
    (malformed as one): the invoice is the second. Anything else re-raises ``exc``."""
    from backoffice.xmlsafe import parse_xml
    from robots.invoices.einvoice.finvoice import unframe

    if exc.code != "xml_malformed":
        raise exc
    inner = unframe(path.read_bytes())  # the size was checked before it was found malformed
    if inner is None:
        raise exc
    return parse_xml(inner, name=path.name, max_bytes=options.max_xml_bytes)


def _from_einvoice(path: Path, e: EInvoice, extra_reasons: list[str],
                   pages: int = 0) -> Extraction:
    from robots.invoices.einvoice.checks import check, standard_rules
    from robots.invoices.fields import as_credit_note

    rules = standard_rules(e)  # on the values as stated, before a credit note's sign
    if e.credit_note:
        as_credit_note(e.invoice)
    verdict = check(e, rules)
    reasons = verdict.reasons + extra_reasons
    confidence = {k: verdict.confidence.get(k, 0.0) for k in HEADER_FIELDS}
    confidence["lines"] = 1.0 if e.invoice.lines and not any(
        r.startswith(("lines_mismatch", "line_")) for r in reasons) else 0.0
    return Extraction(file=path.name, status=_status(reasons), reasons=reasons,
                      fields=e.invoice.to_json(), confidence=confidence, pages=pages,
                      source=e.source, warnings=verdict.warnings)


def _read_pdf(path: Path, options: ReaderOptions, templates: list[Template],
              learned: Sequence[LearnedLayout] = ()) -> Extraction:
    from robots.invoices.einvoice.detect import map_einvoice
    from robots.invoices.einvoice.embedded import find_embedded

    _check_bytes(path)
    embedded = find_embedded(path, max_bytes=options.max_xml_bytes)
    if embedded is None or embedded.root is None:
        problem = embedded.problem if embedded is not None else None
        try:
            doc, notes = load_document(path, options)
            if problem is not None:
                notes.append(f"embedded_xml_unreadable: {problem}; the page was read instead")
            return _extract(path, doc, notes, options, templates, learned)
        except Unreadable as exc:  # nor the page: the attachment's problem comes first
            if problem is None:
                raise
            raise Unreadable(problem.code, f"{str(problem).split(': ', 1)[-1]}; the page "
                                           f"cannot be read instead ({exc.reason})") from exc
    e = map_einvoice(embedded.root, embedded.name)
    e.source = e.source.replace("cii/", "factur-x/", 1)  # CII inside a PDF is Factur-X
    from robots.invoices.einvoice.crosscheck import disagreements

    def page() -> Document:  # the witness page: text only (no OCR), read only when needed
        try:
            return load_document(path, options.model_copy(update={"ocr": False}))[0]
        except Exception:  # a page the layout reader cannot parse must not lose the XML
            return Document()

    mismatches = disagreements(e.invoice, embedded.pages, page)
    result = _from_einvoice(path, e, mismatches, pages=len(embedded.pages))
    result.extra["embedded_xml"] = embedded.name
    return result


def _check_bytes(path: Path) -> None:
    if not path.is_file():
        raise Unreadable("missing_file", f"{path.name} does not exist")
    size = path.stat().st_size
    if size == 0:
        raise Unreadable("empty_file", f"{path.name} is empty (0 bytes)")
    with path.open("rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise Unreadable("not_pdf", f"{path.name} is not a PDF (no %PDF header)")
    if b"%%EOF" not in tail:
        raise Unreadable("truncated_pdf", f"{path.name} is cut short (no %%EOF end marker)")


def _level(page: Any) -> Any:
    """The page without its turned letters: a diagonal watermark ('MUESTRA', 'COPY') or a
    stamp ('PAID') scatters letters among the real lines. A page set mostly turned keeps
    everything (its text is the turned one)."""
    def level(obj: dict[str, Any]) -> bool:
        m = obj.get("matrix")
        return obj.get("object_type") != "char" or m is None or (
            abs(m[1]) < 1e-3 and abs(m[2]) < 1e-3)

    chars = page.chars
    turned = sum(1 for c in chars if not level(c))
    if not turned or turned * 2 > len(chars):
        return page
    return page.filter(level)


def load_document(path: Path, options: ReaderOptions) -> tuple[Document, list[str]]:
    """Words of every page (OCR for image-only pages) and review notes."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    _check_bytes(path)
    notes: list[str] = []
    doc = Document()
    try:
        pdf = pdfplumber.open(path)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise Unreadable("encrypted_pdf", f"{path.name} is password-protected") from exc
    except Exception as exc:
        # pdfplumber wraps pdfminer's errors: look at the wrapped one too.
        inner = " ".join(f"{type(e).__name__} {e}" for e in (exc, *exc.args)).lower()
        if "password" in inner or "encrypt" in inner:
            raise Unreadable("encrypted_pdf", f"{path.name} is password-protected") from exc
        raise Unreadable("unreadable_pdf", f"{path.name} cannot be parsed: "
                                           f"{type(exc).__name__}") from exc
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:
            raise Unreadable("unreadable_pdf", f"{path.name} has no readable pages: "
                                               f"{type(exc).__name__}") from exc
        doc.page_count = len(pages)
        if not pages:
            raise Unreadable("unreadable_pdf", f"{path.name} has no pages")
        if len(pages) > options.max_pages:
            notes.append(f"pages_limit: {len(pages)} pages, only the first "
                         f"{options.max_pages} were read")
        ocr_failed = None
        for index, page in enumerate(pages[: options.max_pages]):
            words = _level(page).extract_words(extra_attrs=["size"])
            if not words and (page.images or not page.chars):
                try:
                    if not options.ocr:
                        raise OcrUnavailable("OCR is switched off in the settings")
                    words = ocr_page_words(path, index, cmd=options.ocr_command,
                                           languages=options.ocr_languages,
                                           dpi=options.ocr_dpi, timeout=options.ocr_timeout)
                    doc.ocr_pages += 1
                except OcrUnavailable as exc:
                    ocr_failed = str(exc)
            doc.lines.extend(build_lines(words, index, len(doc.lines)))
            doc.pages_read += 1
            page.flush_cache()
    if doc.ocr_pages:
        notes.append(f"ocr_used: {doc.ocr_pages} page(s) were read by OCR; please check")
    if ocr_failed:
        notes.append(f"ocr_unavailable: image-only page(s) could not be read ({ocr_failed})")
    return doc, notes


def _extract(path: Path, doc: Document, notes: list[str], options: ReaderOptions,
             templates: list[Template], learned: Sequence[LearnedLayout] = ()) -> Extraction:
    if not doc.lines and not any(n.startswith("ocr_unavailable") for n in notes):
        raise Unreadable("no_text", f"{path.name} has no text, even after OCR")
    reading = read_document(doc)
    template = apply_templates(doc, reading, templates)
    applied = _use_learned(doc, reading, learned)
    verdict = validate(reading, options.confidence_threshold)
    inv = reading.invoice
    fields = inv.to_json()
    kind = classify(reading) if doc.lines else None
    if kind is not None and kind.kind == "not_invoice":
        raise Unreadable("not_an_invoice", f"{path.name} {kind.reason}")
    reasons = notes + verdict.reasons
    if kind is not None and kind.kind == "possible_invoice" and kind.reason:
        reasons.append(kind.reason)  # never ok: a person confirms it is an invoice
    if any(n.startswith("ocr_unavailable") for n in notes) and not doc.lines:
        reasons = notes  # nothing else can be said about an unread page
    status = _status(reasons)
    confidence = {k: verdict.confidence.get(k, 0.0) for k in FIELD_NAMES if k != "lines"}
    confidence["lines"] = 0.99 if inv.lines and not any(
        r.startswith(("lines_mismatch", "line_", "no_line_items")) for r in reasons) else (
        0.5 if inv.lines else 0.0)
    extra = {"learned": applied.to_json()} if applied is not None else {}
    return Extraction(file=path.name, status=status, reasons=reasons, fields=fields,
                      confidence=confidence, pages=doc.page_count, template=template,
                      extra=extra)


def _use_learned(doc: Document, reading: Any, learned: Sequence[LearnedLayout]) -> Any:
    """The vendor's learned layout applied to the reading; a layout that cannot be applied
    leaves the generic reading as it was (it is a hint, never a requirement)."""
    layout = identify(doc, learned, reading)
    if layout is None:
        return None
    backup = copy.deepcopy(reading)
    try:
        return apply_layout(doc, reading, layout)
    except Exception:  # noqa: BLE001 - a stale or odd layout must not fail the read
        reading.__dict__.update(backup.__dict__)
        return None
