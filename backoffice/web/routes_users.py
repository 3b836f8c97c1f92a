"""Signing in (throttled) and out, and (admins only) managing users: add, change role or
password, disable and enable."""

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
    client = request.client.host if request.client else "unknown"
    request.state.session = session
    wait = app.throttle.retry_after(name, client)
    if wait:
        # No password is checked while blocked, the right one included; the block itself
        # was recorded when it began, so guessing on cannot fill the audit trail.
        response = render(request, "login.html", status=429, next=target,
                          error=f"Too many failed sign-ins. Try again in {wait} s.")
        response.headers["Retry-After"] = str(wait)
        return response
    user = app.users.authenticate(name, password)
    if user is None:
        app.ledger.record_event("user.login_failed", actor=name or "(blank)",
                                payload={"client": client})
        for by in app.throttle.failed(name, client):
            app.ledger.record_event(
                "user.login_throttled", actor=name or "(blank)",
                payload={"by": by.value, "client": client,
                         "seconds": app.settings.web.login_throttle.window_seconds})
        return render(request, "login.html", status=401, next=target,
                      error="Wrong user name or password, or the account is disabled.")
    app.throttle.succeeded(name)
    # A new session (and CSRF token) at sign-in, so a token planted before it is worthless.
    signed_in = RedirectResponse(target, status_code=303)
    set_session_cookie(signed_in, request,
                       app.users.sign_in(user, app.settings.web.session_minutes, client=client))
    return signed_in


@router.post("/logout")
def logout(request: Request, user: User = CAN_READ) -> RedirectResponse:
    # The session's row goes, so a copy of this cookie kept elsewhere stops working too.
    web(request).users.sign_out(request.state.session, actor=user.name)
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
    return back("/users", msg=f"User {name} disabled; their sessions ended")


@router.post("/users/{name}/enable")
def enable_user(
    request: Request, name: str, user: User = CAN_MANAGE_USERS
) -> RedirectResponse:
    try:
        web(request).users.set_disabled(name, False, actor=user.name)
    except BotError as exc:
        return back("/users", error=str(exc))
    return back("/users", msg=f"User {name} enabled")


@router.post("/users/{name}/role")
async def change_role(
    request: Request, name: str, user: User = CAN_MANAGE_USERS
) -> RedirectResponse:
    if name == user.name:
        return back("/users", error="you cannot change your own role: ask another admin")
    form = await request.form()
    try:
        changed = web(request).users.set_role(name, parse_role(str(form.get("role", ""))),
                                              actor=user.name)
    except BotError as exc:
        return back("/users", error=str(exc))
    return back("/users", msg=f"User {name} is now {changed.role.value}")


@router.post("/users/{name}/password")
async def change_password(
    request: Request, name: str, user: User = CAN_MANAGE_USERS
) -> RedirectResponse:
    form = await request.form()
    # One's own change keeps the session it is made in; every other session of theirs ends.
    keep = request.state.session if name == user.name else None
    try:
        ended = web(request).users.set_password(name, str(form.get("password", "")),
                                                actor=user.name, keep=keep)
    except BotError as exc:
        return back("/users", error=str(exc))
    return back("/users", msg=f"Password of {name} changed; {ended} session(s) ended")
