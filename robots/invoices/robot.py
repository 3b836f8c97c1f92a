"""The ``invoice_reader`` robot: one invoice file in (a PDF, or an e-invoice XML), one
structured invoice out.

``ok`` -> the item's payload gets ``invoice`` (the fields) and ``extraction`` (status,
reasons, confidence) for the ERP poster. ``review`` -> ``BusinessError`` with the fields in
its details, so the reviewer corrects them (and an approval stands in for this step).
``error`` -> ``InputRejected``: the file is not a readable invoice; it is kept, never retried.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel

from backoffice.config import Settings
from backoffice.errors import BusinessError, InputRejected
from backoffice.models import ItemContext, ItemResult, ReviewSchema, Robot, WorkItem
from robots.invoices.reader import Extraction, ExtractionStatus, ReaderOptions, read_invoice
from robots.invoices.review import REVIEW_SCHEMA
from robots.invoices.templates import Template, load_templates
from robots.invoices.vendors import LayoutCache


def reader_options(settings: Settings, params: Mapping[str, Any] | None = None) -> ReaderOptions:
    """``[robots.invoice_reader]`` settings, overridden by the workflow step's params."""
    data = {**dict(settings.robots.get(InvoiceReader.name, {})), **dict(params or {})}
    options = ReaderOptions.model_validate(data)
    if options.templates_dir is not None and not options.templates_dir.is_absolute():
        options = options.model_copy(update={"templates_dir": settings.base_dir /
                                             options.templates_dir})
    return options


class InvoiceReader(Robot):
    name: ClassVar[str] = "invoice_reader"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 4.0
    description: ClassVar[str] = (
        "Read a supplier invoice (PDF or e-invoice XML) into validated, structured fields")
    approval_completes_step: ClassVar[bool] = True
    review_schema: ClassVar[ReviewSchema | None] = REVIEW_SCHEMA
    counterparty_label: ClassVar[str] = "vendor"
    # The step's params override the ``[robots.invoice_reader]`` settings of the same name.
    params_model: ClassVar[type[BaseModel] | None] = ReaderOptions

    @classmethod
    def counterparty(cls, payload: Mapping[str, Any]) -> str | None:
        invoice = payload.get("invoice")
        if not isinstance(invoice, Mapping):
            return None
        name = invoice.get("vendor_name") or invoice.get("vendor_tax_id")
        return str(name) if name else None

    def __init__(self) -> None:
        self._options = ReaderOptions()
        self._templates: list[Template] = []
        self._layouts = LayoutCache()

    def open(self, params: Mapping[str, Any], settings: Settings) -> None:
        self._options = reader_options(settings, params)
        self._templates = load_templates(self._options.templates_dir)

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        path = item.path
        if path is None:
            raise InputRejected("missing_file", f"item {item.id} has no attached file",
                                details={"extraction": {"status": ExtractionStatus.ERROR.value,
                                                        "reasons": ["missing_file"]}})
        learned = self._layouts.get(ctx.knowledge) if self._options.learned_layouts else []
        result = read_invoice(path, self._options, self._templates, learned)
        ctx.logger.info("read %s: %s in %.2fs", path.name, result.status, result.seconds)
        return outcome(result)


def outcome(result: Extraction) -> ItemResult:
    """Map a reader result onto the engine's contract."""
    extraction: dict[str, Any] = {"status": result.status.value, "reasons": result.reasons,
                                  "warnings": result.warnings,
                                  "confidence": result.confidence, "source": result.source}
    if result.learned is not None:
        extraction["learned"] = result.learned
    if result.status is ExtractionStatus.ERROR:
        raise InputRejected(result.error_code or "unreadable", result.summary,
                            reasons=result.reasons, details={"extraction": extraction})
    if result.status is ExtractionStatus.REVIEW:
        raise BusinessError(
            "invoice_needs_review", result.summary, reasons=result.reasons,
            details={"invoice": result.fields, "extraction": extraction})
    return ItemResult(
        output={"invoice": result.fields, "extraction": extraction},
        summary=result.summary, units=float(max(1, len(result.fields["lines"]))),
    )
