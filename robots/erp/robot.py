"""The ERP poster: enters an extracted invoice (``item.payload["invoice"]``) into an ERP's web
UI as its form map describes, exactly once.

Exactly once: before every post the robot looks the invoice up in the ERP (vendor + invoice
number); a hit is success with the existing document number. So a retry after a 5xx, a
timeout, or a resume after the process was killed between submit and recording, never posts
twice. The engine also asks ``find_existing`` before any re-attempt.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pydantic import BaseModel, ConfigDict, ValidationError

from backoffice.config import Settings, describe_validation_error
from backoffice.errors import ApplicationError, BusinessError, ConfigError, ItemError
from backoffice.models import ItemContext, ItemResult, Robot, WorkItem, utcnow
from robots.erp.client import ErpClient
from robots.erp.formmap import FormMap, load_form_map
from robots.erp.session import BrowserSession
from robots.erp.steps import SessionExpired
from robots.erp.values import Renderer, SecretValues, parse_shown

REQUIRED_FIELDS = ("invoice_number", "total_amount")


class PosterParams(BaseModel):
    """The step's parameters (workflow ``params``, step ``params`` or ``--set``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    form_map: str  # a name (looked up in <base>/formmaps, then the bundled ones) or a path
    erp_url: str | None = None  # default: the form map's base_url
    erp_user: str  # the ERP user name; its password is a secret named in the form map
    check_before_post: bool = True  # look the invoice up before every post
    trace: bool = True  # keep a Playwright trace of every failed item
    # DOM snapshots make a trace replayable page by page, but cost about a fifth of the
    # robot's speed; the full-page screenshot kept on failure already shows the page.
    trace_snapshots: bool = False
    headless: bool = True


def invoice_of(item: WorkItem) -> dict[str, Any]:
    invoice = item.payload.get("invoice")
    if not isinstance(invoice, Mapping):
        raise BusinessError("no_invoice", "the item carries no extracted invoice to post")
    missing = [f for f in REQUIRED_FIELDS if not invoice.get(f)]
    if not invoice.get("vendor_tax_id") and not invoice.get("vendor_name"):
        missing.append("vendor_tax_id or vendor_name")
    if missing:
        raise BusinessError("missing_fields", f"cannot post without {', '.join(missing)}",
                            reasons=[f"missing {name}" for name in missing])
    return dict(invoice)


class ErpPoster(Robot):
    """Posts extracted invoices into an ERP's web UI, driven by a form map."""

    name: ClassVar[str] = "erp_poster"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 4.0
    description: ClassVar[str] = "Enters invoices into an ERP web UI (Playwright + form map)"
    approval_completes_step: ClassVar[bool] = False  # a corrected invoice is posted again
    params_model: ClassVar[type[BaseModel] | None] = PosterParams

    def open(self, params: Mapping[str, Any], settings: Settings) -> None:
        try:
            self.params = PosterParams.model_validate(dict(params))
        except ValidationError as exc:
            raise ConfigError(f"erp_poster params: {describe_validation_error(exc)}") from None
        self.form_map: FormMap = load_form_map(self.params.form_map, settings)
        base_url = self.params.erp_url or self.form_map.base_url
        if not base_url:
            raise ConfigError("erp_poster: set the ERP's address with the erp_url parameter "
                              "(e.g. --set erp_url=http://127.0.0.1:8765)")
        self.settings = settings
        self.secrets = SecretValues(settings)
        self.session = BrowserSession(settings, headless=self.params.headless,
                                      timeout_ms=self.form_map.timeout_ms,
                                      trace=self.params.trace,
                                      trace_snapshots=self.params.trace_snapshots)
        self.client = ErpClient(self.session, self.form_map, base_url, self.params.erp_user)

    def close(self) -> None:
        session = getattr(self, "session", None)
        if session is not None:
            session.close()

    # ---- the contract ---------------------------------------------------------------------
    def find_existing(self, item: WorkItem, ctx: ItemContext) -> ItemResult | None:
        return self._attempt(item, ctx, post=False)

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        result = self._attempt(item, ctx, post=True)
        assert result is not None
        return result

    # ---- one attempt ----------------------------------------------------------------------
    def _renderer(self, invoice: Mapping[str, Any], item: WorkItem) -> Renderer:
        scope = {"invoice": invoice, "params": self.params.model_dump(), "vars": {},
                 "user": self.params.erp_user, "item": {"id": item.id, "key": item.key}}
        return Renderer(scope, self.form_map.locale, self.secrets)

    def _attempt(self, item: WorkItem, ctx: ItemContext, *, post: bool) -> ItemResult | None:
        invoice = invoice_of(item)
        r = self._renderer(invoice, item)
        failure: BaseException | None = None
        try:
            _ = self.session.page  # start the browser in this (the worker's) thread
            self.session.tracer.begin(ctx.evidence_dir, title=f"{item.id} attempt {ctx.attempt}")
            return self._post_once(invoice, r, ctx, post=post)
        except ItemError as exc:
            failure = exc
            raise
        except ConfigError as exc:
            failure = exc
            raise
        except PlaywrightTimeout as exc:
            failure = ApplicationError("erp_timeout", self.secrets.redact(str(exc))[:300])
            raise failure from None
        except PlaywrightError as exc:  # the browser crashed or the page went away
            failure = ApplicationError("browser_error",
                                       self.secrets.redact(str(exc).splitlines()[0])[:300])
            raise failure from None
        finally:
            self._finish_evidence(ctx, failure)

    def _post_once(self, invoice: Mapping[str, Any], r: Renderer, ctx: ItemContext, *,
                   post: bool) -> ItemResult | None:
        relogged = False
        while True:
            try:
                self.client.ensure_logged_in(r)
                existing = None
                if self.params.check_before_post or not post or relogged:
                    existing = self.client.find(r)
                if existing is not None:
                    self._check_same_invoice(invoice, existing)
                    return self._result(invoice, existing, ctx, existing=True)
                if not post:
                    return None
                return self._result(invoice, self.client.post(r), ctx, existing=False)
            except SessionExpired:
                if relogged:
                    raise ApplicationError(
                        "erp_session_lost", "the ERP asked for a sign-in again right after one"
                    ) from None
                relogged = True
                self.session.logged_in = False
                ctx.logger.info("ERP session expired; signing in again",
                                extra={"robot": self.name})

    def _check_same_invoice(self, invoice: Mapping[str, Any], found: Mapping[str, str]) -> None:
        """A lookup hit is the same invoice only if the totals agree (when the form map's
        ``found`` pattern captures ``total_amount``). Same vendor and number with another
        total is a corrected re-issue or a vendor's mistake: a person decides, and it is
        never posted over the one already there."""
        shown, ours = found.get("total_amount"), invoice.get("total_amount")
        if not shown or ours in (None, ""):
            return
        on_page = parse_shown(shown, self.form_map.locale)
        if on_page is None:
            return  # unreadable on the page: the document number match stands
        try:
            same = on_page == Decimal(str(ours))
        except InvalidOperation:
            return
        if not same:
            document = found["document_number"]
            raise BusinessError(
                "erp_duplicate_differs",
                f"invoice {invoice.get('invoice_number')} from this vendor is already in the "
                f"ERP as {document} with total {shown.strip()}, but this one says {ours}; "
                "not posted again",
                details={"erp": {"document_number": document, "existing": True,
                                 "total_in_erp": shown.strip()}},
            )

    def _result(self, invoice: Mapping[str, Any], found: Mapping[str, str], ctx: ItemContext,
                *, existing: bool) -> ItemResult:
        document = found["document_number"]
        number = invoice.get("invoice_number")
        ctx.logger.info(
            "invoice already in the ERP" if existing else "invoice posted to the ERP",
            extra={"robot": self.name, "invoice_number": number, "document_number": document},
        )
        erp = {"document_number": document, "existing": existing,
               "form_map": self.form_map.name, "at": utcnow().isoformat()}
        verb = "already in the ERP as" if existing else "posted as"
        return ItemResult(output={"erp": erp}, summary=f"invoice {number} {verb} {document}",
                          units=float(len(invoice.get("lines") or ())) or None)

    def _finish_evidence(self, ctx: ItemContext, failure: BaseException | None) -> None:
        """On failure: a screenshot and the trace, their paths kept with the item."""
        files: list[str] = []
        if failure is not None:
            shot = self.session.screenshot(ctx.evidence_dir / f"screenshot-{ctx.attempt}.png")
            if shot is not None:
                files.append(str(shot))
        files += [str(p) for p in self.session.tracer.end(keep=failure is not None)]
        if isinstance(failure, ItemError) and files:
            failure.details.setdefault("erp_evidence", files)
            ctx.logger.info("evidence saved", extra={"robot": self.name, "files": files})
        if isinstance(failure, ApplicationError) and failure.code == "browser_error":
            self.session.reset()
