"""The control room's FastAPI application."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from backoffice.config import Settings
from backoffice.errors import BotError, ConfigError, NotFound, StateError
from backoffice.ledger import Ledger
from backoffice.registry import Registry
from backoffice.web import routes_audit, routes_review, routes_runs, routes_users
from backoffice.web.auth import LoginRequired, WebState, login_redirect, unguarded_routes
from backoffice.web.jobs import Jobs
from backoffice.web.pages import STATIC_DIR, make_templates, render
from backoffice.web.security import load_secret_key
from backoffice.web.throttle import LoginThrottle
from backoffice.web.users import UserStore

_STATUS = {NotFound: 404, StateError: 409, ConfigError: 400}

# Pages are the app's own: no inline handlers from elsewhere, no framing by other sites.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; worker-src 'self' blob:; frame-src 'self'; object-src 'self'; "
        "frame-ancestors 'self'; form-action 'self'"
    ),
}


def create_app(
    settings: Settings,
    ledger: Ledger,
    registry: Registry,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> FastAPI:
    """The control room over ``ledger``. Background runs stop with the server. ``clock``
    (seconds, monotonic) times the sign-in throttle; tests pass one they can move."""
    jobs = Jobs(settings, ledger, registry)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = FastAPI(title="Backoffice Bots control room", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url=None)
    app.state.web = WebState(
        settings=settings,
        ledger=ledger,
        registry=registry,
        key=load_secret_key(settings),
        users=UserStore(ledger),
        throttle=LoginThrottle(settings.web.login_throttle, clock),
        jobs=jobs,
        templates=make_templates(),
    )
    for module in (routes_users, routes_runs, routes_review, routes_audit):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(login_redirect(exc), status_code=303)

    @app.exception_handler(BotError)
    async def _bot_error(request: Request, exc: BotError) -> Response:
        status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 400)
        return _error_page(request, status, str(exc))

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        return _error_page(request, exc.status_code, str(exc.detail), exc.headers)

    @app.middleware("http")
    async def _headers(request: Request, call_next: object) -> Response:
        response: Response = await call_next(request)  # type: ignore[operator]
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    missing = unguarded_routes(app)
    if missing:  # deny by default: a route without a role check is a bug, not a feature
        raise RuntimeError(f"routes without an authorisation check: {', '.join(missing)}")
    return app


def _error_page(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    wants_json = "application/json" in request.headers.get("accept", "") or (
        request.url.path.endswith("/validate")
    )
    if wants_json:
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    response: HTMLResponse = render(request, "error.html", status=status, status_code=status,
                                    message=message)
    return response
