"""Rendering pages: the template environment, its filters and the ``render`` helper."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from backoffice.states import RUN_TERMINAL, ItemState, RunState
from backoffice.web.auth import web
from backoffice.web.users import Permission

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def when(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def duration(start: datetime | None, end: datetime | None) -> str:
    if start is None:
        return ""
    seconds = ((end or datetime.now(UTC)) - start).total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str, sort_keys=True)


def state_class(state: RunState | ItemState | str) -> str:
    """A CSS class per state so the badge colour says good, waiting or bad at a glance."""
    name = str(state).upper()
    if name in ("COMPLETED", "DONE"):
        return "ok"
    if name in ("RUNNING", "PENDING", "RESERVED"):
        return "busy"
    if name in ("REVIEW", "PAUSED", "CANCELLED", "SKIPPED"):
        return "warn"
    return "bad"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.filters["when"] = when
    env.filters["pretty_json"] = pretty_json
    env.filters["state_class"] = state_class
    env.globals["duration"] = duration
    env.globals["RUN_TERMINAL"] = RUN_TERMINAL
    env.globals["P"] = Permission
    return templates


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    session = getattr(request.state, "session", None)
    full = {
        "user": getattr(request.state, "user", None),
        "csrf": session.csrf if session else "",
        "msg": request.query_params.get("msg"),
        "error": request.query_params.get("error"),
        "path": request.url.path,
        **context,
    }
    response: HTMLResponse = web(request).templates.TemplateResponse(
        request, template, full, status_code=status
    )
    return response


def back(url: str, *, msg: str | None = None, error: str | None = None) -> RedirectResponse:
    """Post/redirect/get: after an action, show a page (with a one-line message)."""
    from urllib.parse import urlencode

    query = urlencode({k: v for k, v in (("msg", msg), ("error", error)) if v})
    sep = "&" if "?" in url else "?"
    return RedirectResponse(f"{url}{sep}{query}" if query else url, status_code=303)
