"""The review queue: the document beside the extracted fields and reasons; correct, approve
(the item goes on through its workflow) or reject.

The time a reviewer spends is measured by the server: opening the page signs the moment
(with the item and the reviewer) into the form, and the decision takes the difference. A
client cannot make the figure up, because it cannot forge the signature.
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse

from backoffice.errors import BotError, ConfigError, NotFound
from backoffice.paths import is_in_place
from backoffice.review import approve, reject, review_queue
from backoffice.review_fields import changes_from, display, review_view, schema_for, validate
from backoffice.states import ItemState
from backoffice.web.auth import CAN_READ, CAN_REVIEW, web
from backoffice.web.pages import back, render
from backoffice.web.security import dump_signed, load_signed
from backoffice.web.users import Permission, User

router = APIRouter()

FIELD_PREFIX = "f_"
# Longer than this between opening and deciding is not all work (lunch, the weekend): the
# measurement is capped rather than let one forgotten tab skew the ROI.
MAX_MEASURED_MINUTES = 120.0


def opened_token(key: bytes, item_id: str, user: str, now: datetime) -> str:
    return dump_signed(key, {"i": item_id, "u": user, "t": now.timestamp()})


def opened_at(key: bytes, token: str, item_id: str, user: str) -> datetime | None:
    data = load_signed(key, token) if token else None
    if not data or data.get("i") != item_id or data.get("u") != user:
        return None
    stamp = data.get("t")
    return datetime.fromtimestamp(stamp, UTC) if isinstance(stamp, int | float) else None


def minutes_between(start: datetime | None, end: datetime) -> float | None:
    if start is None:
        return None
    return round(min(max((end - start).total_seconds() / 60, 0.0), MAX_MEASURED_MINUTES), 3)


@router.get("/review", response_class=HTMLResponse)
def queue_page(
    request: Request, workflow: str | None = None, user: User = CAN_READ
) -> HTMLResponse:
    items = review_queue(web(request).ledger, workflow=workflow or None)
    return render(request, "review_queue.html", items=items, f_workflow=workflow or "")


@router.get("/review/{item_id}", response_class=HTMLResponse)
def review_page(request: Request, item_id: str, user: User = CAN_READ) -> HTMLResponse:
    app = web(request)
    item = app.ledger.item(item_id)
    view = review_view(item, schema_for(app.registry, item))
    files = [{"n": n, "name": Path(f).name, "kind": _kind(f)} for n, f in enumerate(item.files)]
    decided = app.ledger.reviews(item_id=item_id)
    can_decide = item.state is ItemState.REVIEW and user.can(Permission.REVIEW)
    return render(
        request,
        "review.html",
        item=item,
        view=view,
        display=display,
        files=files,
        decided=decided,
        can_decide=can_decide,
        opened=opened_token(app.key, item.id, user.name, datetime.now(UTC)) if can_decide else "",
        validation=validate(view, {}),
        prefix=FIELD_PREFIX,
    )


def _kind(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".png", ".jpg", ".jpeg", ".gif", ".webp"):
        return "image"
    return "text" if suffix in (".txt", ".csv", ".json", ".xml") else "other"


@router.get("/items/{item_id}/files/{n}")
def item_file(
    request: Request, item_id: str, n: int, user: User = CAN_READ
) -> FileResponse:
    """One of the files the ledger names for the item; never any other path."""
    item = web(request).ledger.item(item_id)
    if not 0 <= n < len(item.files):
        raise NotFound("file", f"{n} of item {item_id}")
    path = Path(item.files[n])
    if not is_in_place(path):  # swapped for a link since it came in: never serve its target
        raise HTTPException(status_code=404, detail=f"{path.name} has become a link to a file "
                                                    "elsewhere; it is not served")
    if not path.is_file():
        raise HTTPException(status_code=404, detail=f"{path.name} is no longer where the "
                                                    "ledger says")
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media.startswith("text/") or media.endswith(("/xml", "+xml")):
        # never let an input file render as HTML: an XML e-invoice (or SVG) could carry
        # XHTML with scripts
        media = "text/plain; charset=utf-8"
    return FileResponse(path, media_type=media, filename=path.name,
                        content_disposition_type="inline")


async def _submitted_fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {
        k[len(FIELD_PREFIX):]: v for k, v in form.items()
        if k.startswith(FIELD_PREFIX) and isinstance(v, str)
    }


@router.post("/review/{item_id}/validate")
async def validate_live(
    request: Request, item_id: str, user: User = CAN_REVIEW
) -> JSONResponse:
    """The validations over the fields as the reviewer has them now (called as they type)."""
    app = web(request)
    item = app.ledger.item(item_id)
    view = review_view(item, schema_for(app.registry, item))
    try:
        changes = changes_from(view, await _submitted_fields(request))
    except ConfigError as exc:
        return JSONResponse({"available": True, "ok": False, "reasons": [str(exc)],
                             "changes": {}})
    return JSONResponse({**validate(view, changes), "changes": changes})


@router.post("/review/{item_id}/approve")
async def approve_item(
    request: Request, item_id: str, user: User = CAN_REVIEW
) -> RedirectResponse:
    app = web(request)
    form = await request.form()
    item = app.ledger.item(item_id)
    view = review_view(item, schema_for(app.registry, item))
    submitted = await _submitted_fields(request)
    started = opened_at(app.key, str(form.get("opened", "")), item_id, user.name)
    lessons: list[str] = []
    try:
        changes = changes_from(view, submitted)
        item = approve(
            app.ledger,
            app.registry,
            item_id,
            reviewer=user.name,
            changes=changes,
            minutes_spent=minutes_between(started, datetime.now(UTC)),
            opened_at=started,
            payload_key=view.payload_key,
            on_learned=lessons.append,
        )
    except BotError as exc:
        return back(f"/review/{item_id}", error=str(exc))
    app.jobs.continue_item(item, actor=user.name)
    return back(f"/runs/{item.run_id}", msg=_approved_message(item_id, changes, lessons))


def _approved_message(item_id: str, changes: dict[str, Any], lessons: list[str]) -> str:
    fixed = ", ".join(sorted(changes)) or "no fields"
    learned = "".join(f"; {lesson}" for lesson in lessons)
    return (f"Item {item_id} approved ({fixed} corrected); it goes on through the workflow"
            f"{learned}")


@router.post("/review/{item_id}/reject")
async def reject_item(
    request: Request, item_id: str, user: User = CAN_REVIEW
) -> RedirectResponse:
    app = web(request)
    form = await request.form()
    started = opened_at(app.key, str(form.get("opened", "")), item_id, user.name)
    try:
        reject(
            app.ledger,
            item_id,
            reviewer=user.name,
            reason=str(form.get("reason", "")),
            minutes_spent=minutes_between(started, datetime.now(UTC)),
            opened_at=started,
        )
    except BotError as exc:
        return back(f"/review/{item_id}", error=str(exc))
    return back("/review", msg=f"Item {item_id} rejected")
