"""Signing in and out, and (admins only) managing users."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from backoffice.errors import BotError
from backoffice.web.auth import (
    CAN_MANAGE_USERS,
    CAN_READ,
    check_csrf,
    current_session,
    set_session_cookie,
    web,
)
from backoffice.web.pages import back, render
from backoffice.web.security import SESSION_COOKIE, new_session
from backoffice.web.users import Role, User, parse_role

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # Only a path on this site: "//evil.example" or "https://..." would be an open redirect.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/runs"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    session = current_session(request)
    if session is None or session.user is not None:
        # A fresh anonymous session carries the CSRF token the login form posts back.
        session = new_session(None, 30)
    request.state.session = session
    response = render(request, "login.html", next=_safe_next(next))
    set_session_cookie(response, request, session)
    return response


@router.post("/login", response_model=None)
async def login(request: Request) -> HTMLResponse | RedirectResponse:
    session = current_session(request)
    await check_csrf(request, session)
    form = await request.form()
    name = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "")))
    app = web(request)
    user = app.users.authenticate(name, password)
    if user is None:
        app.ledger.record_event("user.login_failed", actor=name or "(blank)",
                                payload={"client": request.client.host if request.client
                                         else None})
        request.state.session = session
        return render(request, "login.html", status=401, next=target,
                      error="Wrong user name or password, or the account is disabled.")
    app.ledger.record_event("user.login", actor=user.name, payload={"role": user.role.value})
    # A new session (and CSRF token) at sign-in, so a token planted before it is worthless.
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, request,
                       new_session(user.name, app.settings.web.session_minutes))
    return response


@router.post("/logout")
def logout(request: Request, user: User = CAN_READ) -> RedirectResponse:
    web(request).ledger.record_event("user.logout", actor=user.name)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, user: User = CAN_MANAGE_USERS) -> HTMLResponse:
    return render(request, "users.html", users=web(request).users.list(), roles=list(Role))


@router.post("/users")
async def add_user(
    request: Request, user: User = CAN_MANAGE_USERS
) -> RedirectResponse:
    form = await request.form()
    name = str(form.get("username", "")).strip()
    try:
        web(request).users.add(name, parse_role(str(form.get("role", ""))),
                               str(form.get("password", "")), actor=user.name)
    except BotError as exc:
        return back("/users", error=str(exc))
    return back("/users", msg=f"User {name} added")


@router.post("/users/{name}/disable")
def disable_user(
    request: Request, name: str, user: User = CAN_MANAGE_USERS
) -> RedirectResponse:
    if name == user.name:
        return back("/users", error="you cannot disable yourself")
    try:
        web(request).users.set_disabled(name, True, actor=user.name)
    except BotError as exc:
        return back("/users", error=str(exc))
    return back("/users", msg=f"User {name} disabled")
