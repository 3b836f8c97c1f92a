"""The demo ERP: a small purchase-invoice web app to run the ERP poster against.

It behaves like the ERPs the robot meets in the field: a login whose session expires,
vendors that must exist, an entry form with line items and server-side validation shown
inline, a duplicate check (vendor + invoice number), a confirmation page with the document
number, a searchable list, and injected failures (a 500 that stores nothing, a 500 *after*
storing, a slow answer). ``/api/invoices`` lists exactly what was stored, for tests.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from robots.erp.demo.store import DuplicateInvoice, ErpStore
from robots.erp.demo.validation import CURRENCIES, validate
from robots.erp.demo.vendors import DEFAULT_VENDORS, check_vendors

COOKIE = "erp_session"
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


@dataclass
class Behaviour:
    """Failure injection, all on submit unless said otherwise."""

    fail_rate: float = 0.0  # a 500 that stores nothing
    fail_after_store_rate: float = 0.0  # stored, then a 500: the answer is lost
    latency_ms: int = 0  # every page answers this much later
    slow_rate: float = 0.0  # a page answers slow_ms later (a submit: after storing)
    slow_ms: int = 0


class DemoErp:
    def __init__(self, store: ErpStore, behaviour: Behaviour, session_seconds: float,
                 rng: random.Random) -> None:
        self.store = store
        self.behaviour = behaviour
        self.session_seconds = session_seconds
        self.rng = rng

    # ---- helpers --------------------------------------------------------------------------
    async def _delay(self, *, slow: bool = True) -> None:
        b = self.behaviour
        if b.latency_ms:
            await asyncio.sleep(b.latency_ms / 1000)
        if slow and b.slow_ms and self.rng.random() < b.slow_rate:
            await asyncio.sleep(b.slow_ms / 1000)

    def _user(self, request: Request) -> str | None:
        return self.store.session_user(request.cookies.get(COOKIE))

    def _to_login(self, request: Request) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    def _page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        context.setdefault("user", self._user(request))
        return TEMPLATES.TemplateResponse(request, name, context, status_code=status)

    # ---- login ----------------------------------------------------------------------------
    async def login_form(self, request: Request) -> Response:
        await self._delay()
        return self._page(request, "login.html", next=request.query_params.get("next", ""),
                          error=None, user=None)

    async def login(self, request: Request) -> Response:
        await self._delay()
        form = await request.form()
        name = str(form.get("username", ""))
        token = self.store.login(name, str(form.get("password", "")), self.session_seconds)
        target = str(form.get("next") or "/invoices")
        if not target.startswith("/") or target.startswith("//"):
            target = "/invoices"
        if not token:
            error = ("Account locked after too many failed sign-ins. Contact your administrator."
                     if token is False else "Invalid username or password.")
            return self._page(request, "login.html", status=401, next=target, error=error,
                              user=None, username=name)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, str(token), httponly=True, samesite="lax")
        return response

    async def logout(self, request: Request) -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    # ---- pages ----------------------------------------------------------------------------
    async def home(self, request: Request) -> Response:
        return RedirectResponse("/invoices", status_code=303)

    async def invoice_list(self, request: Request) -> Response:
        await self._delay()
        if not self._user(request):
            return self._to_login(request)
        query = request.query_params.get("q", "").strip()
        return self._page(request, "invoices.html", q=query, invoices=self.store.invoices(query))

    async def vendor_list(self, request: Request) -> Response:
        await self._delay()
        if not self._user(request):
            return self._to_login(request)
        return self._page(request, "vendors.html", vendors=self.store.vendors())

    def _form(self, request: Request, status: int = 200, **context: Any) -> Response:
        vendors = [{"id": v.id, "name": v.name, "tax_id": v.tax_id}
                   for v in self.store.vendors()]
        context.setdefault("values", {"currency": "EUR"})
        context.setdefault("lines", [])
        context.setdefault("errors", {})
        return self._page(request, "invoice_form.html", status=status,
                          vendors_json=json.dumps(vendors), currencies=CURRENCIES, **context)

    async def new_invoice(self, request: Request) -> Response:
        await self._delay()
        if not self._user(request):
            return self._to_login(request)
        return self._form(request)

    async def submit_invoice(self, request: Request) -> Response:
        await self._delay(slow=False)  # a slow submit is slow after storing, see below
        user = self._user(request)
        if not user:
            return self._to_login(request)
        form = await request.form()
        multi = {key: [str(v) for v in form.getlist(key)] for key in form}
        sub = validate(multi, self.store.vendors())
        b = self.behaviour
        if self.rng.random() < b.fail_rate:
            return HTMLResponse("<h1>Internal Server Error</h1><p>Please try again.</p>", 500)
        if not sub.errors:
            try:
                document = self.store.add_invoice(sub.header, sub.lines, user)
            except DuplicateInvoice as dup:
                vendor = sub.vendor.name if sub.vendor else ""
                sub.errors["invoice_number"] = (
                    f"Invoice {sub.header['invoice_number']} from {vendor} "
                    f"already exists as {dup.document_number}."
                )
            else:
                if self.rng.random() < b.fail_after_store_rate:
                    return HTMLResponse("<h1>Internal Server Error</h1>", 500)
                if b.slow_ms and self.rng.random() < b.slow_rate:
                    await asyncio.sleep(b.slow_ms / 1000)
                return RedirectResponse(f"/invoices/{document}?created=1", status_code=303)
        return self._form(request, status=422, values=sub.header, lines=sub.lines,
                          errors=sub.errors)

    async def show_invoice(self, request: Request) -> Response:
        await self._delay()
        if not self._user(request):
            return self._to_login(request)
        invoice = self.store.invoice(request.path_params["document"])
        if invoice is None:
            return self._page(request, "error.html", status=404, message="No such invoice.")
        return self._page(request, "invoice.html", invoice=invoice,
                          created=request.query_params.get("created") == "1")

    # ---- JSON API (for tests and the control room; read-only) ----------------------------
    async def api_invoices(self, request: Request) -> Response:
        return JSONResponse(self.store.invoices(request.query_params.get("q", "")))

    async def api_vendors(self, request: Request) -> Response:
        return JSONResponse([v.as_dict() for v in self.store.vendors()])

    async def api_health(self, request: Request) -> Response:
        return JSONResponse({"ok": True})

    def routes(self) -> list[Route]:
        return [
            Route("/", self.home),
            Route("/login", self.login_form, methods=["GET"]),
            Route("/login", self.login, methods=["POST"]),
            Route("/logout", self.logout),
            Route("/invoices", self.invoice_list, methods=["GET"]),
            Route("/invoices", self.submit_invoice, methods=["POST"]),
            Route("/invoices/new", self.new_invoice),
            Route("/invoices/{document}", self.show_invoice),
            Route("/vendors", self.vendor_list),
            Route("/api/invoices", self.api_invoices),
            Route("/api/vendors", self.api_vendors),
            Route("/api/health", self.api_health),
        ]


def create_app(
    db_path: Path,
    *,
    vendors: Sequence[Mapping[str, Any]] | None = None,
    users: Mapping[str, str] | None = None,
    fail_rate: float = 0.0,
    fail_after_store_rate: float = 0.0,
    latency_ms: int = 0,
    slow_rate: float = 0.0,
    slow_ms: int = 0,
    session_minutes: float = 30.0,
    seed: int | None = None,
) -> Starlette:
    """The demo ERP as an ASGI app, its database at ``db_path`` (created if missing).

    ``vendors`` are upserted by tax id (default: ``DEFAULT_VENDORS``); ``users`` maps user
    names to passwords (default: ``{"demo": "demo"}``).
    """
    store = ErpStore(Path(db_path))
    store.upsert_vendors(check_vendors(list(vendors if vendors is not None else DEFAULT_VENDORS)))
    store.set_users(users if users is not None else {"demo": "demo"})
    behaviour = Behaviour(fail_rate=fail_rate, fail_after_store_rate=fail_after_store_rate,
                          latency_ms=latency_ms, slow_rate=slow_rate, slow_ms=slow_ms)
    erp = DemoErp(store, behaviour, session_minutes * 60, random.Random(seed))
    app = Starlette(routes=erp.routes())
    app.state.erp = erp
    return app
