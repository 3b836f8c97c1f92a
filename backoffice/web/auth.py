"""Who is asking, and may they: the one dependency every route declares.

Deny by default: ``create_app`` refuses to start when a route has neither ``require(...)``
nor a place in ``PUBLIC_PATHS``. ``require`` reads the signed session, looks it up in the
ledger with its user (so a session ended by logout, a disabled account or a changed password
is refused, and a changed role counts at once), checks the CSRF token on every unsafe method
and then the role's permission.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from backoffice.config import Settings
from backoffice.ledger import Ledger
from backoffice.registry import Registry
from backoffice.web.jobs import Jobs
from backoffice.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    Session,
    csrf_matches,
    decode_session,
    encode_session,
)
from backoffice.web.throttle import LoginThrottle
from backoffice.web.users import Permission, User, UserStore

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_PATHS = frozenset({"/login", "/healthz"})


@dataclass
class WebState:
    """Everything the routes need, built once by ``create_app`` (no module globals)."""

    settings: Settings
    ledger: Ledger
    registry: Registry
    key: bytes
    users: UserStore
    throttle: LoginThrottle
    jobs: Jobs
    templates: Jinja2Templates


def web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


class LoginRequired(Exception):
    """A page asked for without a session: the browser is sent to the login form."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def login_redirect(exc: LoginRequired) -> str:
    return f"/login?next={quote(exc.next_path, safe='/')}"


def current_session(request: Request) -> Session | None:
    return decode_session(web(request).key, request.cookies.get(SESSION_COOKIE))


async def submitted_csrf(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # Starlette caches it for the route's own Form fields
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def check_csrf(request: Request, session: Session | None) -> None:
    if request.method in SAFE_METHODS:
        return
    if not csrf_matches(session, await submitted_csrf(request)):
        raise HTTPException(status_code=403, detail="missing or invalid CSRF token")


Guard = Callable[[Request], Coroutine[Any, Any, User]]


def require(permission: Permission) -> Any:
    """``Depends`` that yields the signed-in ``User`` holding ``permission``, or refuses:
    no session -> login page (GET) / 401; bad CSRF or missing permission -> 403."""

    async def guard(request: Request) -> User:
        session = current_session(request)
        user = web(request).users.signed_in(session)
        if user is None:
            if request.method in SAFE_METHODS:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                raise LoginRequired(target)
            raise HTTPException(status_code=401, detail="sign in first")
        await check_csrf(request, session)
        if not user.can(permission):
            raise HTTPException(
                status_code=403, detail=f"role {user.role.value} may not {permission.value}"
            )
        request.state.user = user
        request.state.session = session
        return user

    guard.permission = permission  # type: ignore[attr-defined]
    return Depends(guard)


def api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """Every endpoint, also those inside included routers (FastAPI may keep an included
    router as one node holding ``original_router`` rather than copying its routes)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(inner.routes)


def unguarded_routes(app: FastAPI) -> list[str]:
    """Routes that would answer without an authorisation check (should be none)."""
    missing = []
    for route in api_routes(app.routes):
        if route.path in PUBLIC_PATHS:
            continue
        calls = [d.call for d in route.dependant.dependencies]
        if not any(hasattr(c, "permission") for c in calls):
            missing.append(f"{sorted(route.methods or ())} {route.path}")
    return missing


def set_session_cookie(response: Response, request: Request, session: Session) -> None:
    state = web(request)
    response.set_cookie(
        SESSION_COOKIE,
        encode_session(state.key, session),
        max_age=state.settings.web.session_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


# The guards routes declare as their ``user`` parameter's default (one per permission).
CAN_READ = require(Permission.READ)
CAN_RUN = require(Permission.RUN)
CAN_REVIEW = require(Permission.REVIEW)
CAN_MANAGE_USERS = require(Permission.MANAGE_USERS)
