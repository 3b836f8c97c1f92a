"""Runs, run detail (items, attempts, evidence, audit events) and workflows with "Run now"."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from backoffice.config import Settings
from backoffice.errors import BotError, ConfigError, NotFound
from backoffice.registry import UpcomingSchedule, schedule_source
from backoffice.reports import minutes_saved
from backoffice.states import RUN_TERMINAL, ItemState, RunState
from backoffice.web.auth import CAN_READ, CAN_RUN, web
from backoffice.web.pages import back, render
from backoffice.web.users import User

router = APIRouter()

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


@router.get("/", response_class=HTMLResponse)
def home(user: User = CAN_READ) -> RedirectResponse:
    return RedirectResponse("/runs", status_code=303)


@router.get("/runs", response_class=HTMLResponse)
def runs_page(
    request: Request,
    workflow: str | None = None,
    state: str | None = None,
    limit: int = 50,
    user: User = CAN_READ,
) -> HTMLResponse:
    app = web(request)
    states = [RunState(state)] if state and state in RunState.__members__ else None
    runs = app.ledger.runs(workflow=workflow or None, states=states, limit=max(1, min(limit, 500)))
    rows = [(r, minutes_saved(app.ledger, r.id)) for r in runs]
    live = any(r.state not in RUN_TERMINAL for r in runs) or app.jobs.busy()
    return render(
        request,
        "runs.html",
        rows=rows,
        live=live,
        workflows=sorted(app.registry.workflows()),
        states=[s.value for s in RunState],
        f_workflow=workflow or "",
        f_state=state or "",
    )


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: str, user: User = CAN_READ) -> HTMLResponse:
    app = web(request)
    run = app.ledger.run(run_id)
    items = app.ledger.items(run_id)
    tries: dict[str, list[Any]] = {}
    for a in app.ledger.attempts(run_id=run_id):
        tries.setdefault(a.item_id, []).append(a)
    events = app.ledger.events(run_id=run_id, limit=1000)
    evidence = {i.id: evidence_files(app.settings.run_dir(run_id), i.id) for i in items}
    log_file = app.settings.run_dir(run_id) / "log.jsonl"
    return render(
        request,
        "run.html",
        run=run,
        items=items,
        tries=tries,
        events=events,
        evidence=evidence,
        saved=minutes_saved(app.ledger, run_id),
        has_log=log_file.is_file(),
        # Also while an approval's continuation is starting (the run is still COMPLETED).
        live=run.state not in RUN_TERMINAL or app.jobs.busy(),
        REVIEW=ItemState.REVIEW,
    )


def evidence_files(run_dir: Path, item_id: str) -> list[dict[str, Any]]:
    folder = run_dir / "evidence" / item_id
    if not folder.is_dir():
        return []
    return [
        {"name": p.name, "image": p.suffix.lower() in IMAGE_SUFFIXES, "size": p.stat().st_size}
        for p in sorted(folder.iterdir())
        if p.is_file()
    ]


def _inside(folder: Path, name: str) -> Path:
    """``folder/name`` when it is a file really inside ``folder`` (no ``..``, no links out)."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise HTTPException(status_code=404, detail="no such file")
    return path


@router.get("/runs/{run_id}/evidence/{item_id}/{name}")
def evidence_file(
    request: Request, run_id: str, item_id: str, name: str, user: User = CAN_READ
) -> FileResponse:
    app = web(request)
    item = app.ledger.item(item_id)
    if item.run_id != run_id:
        raise NotFound("item", f"{item_id} in run {run_id}")
    path = _inside(app.settings.run_dir(run_id) / "evidence" / item_id, name)
    inline = path.suffix.lower() in IMAGE_SUFFIXES
    return FileResponse(path, filename=path.name,
                        content_disposition_type="inline" if inline else "attachment")


@router.get("/runs/{run_id}/log")
def run_log(request: Request, run_id: str, user: User = CAN_READ) -> FileResponse:
    app = web(request)
    app.ledger.run(run_id)  # 404 for a run that does not exist
    path = _inside(app.settings.run_dir(run_id), "log.jsonl")
    return FileResponse(path, media_type="application/x-ndjson", filename=f"{run_id}.log.jsonl")


def upcoming_schedules(settings: Settings) -> tuple[list[UpcomingSchedule], str | None]:
    """(each schedule with its next fire time, or why none can be shown). Schedules come
    from whatever service registers under ``backoffice.schedules``: without one the page
    still lists the workflows."""
    try:
        source = schedule_source()
    except ConfigError as exc:
        return [], str(exc)
    if source is None:
        return [], "no schedule service is installed"
    try:
        out = list(source(settings, datetime.now(UTC)))
    except BotError as exc:
        return [], str(exc)
    return out, None if out else "none defined"


@router.get("/workflows", response_class=HTMLResponse)
def workflows_page(request: Request, user: User = CAN_READ) -> HTMLResponse:
    app = web(request)
    workflows = app.registry.workflows()
    schedules, why_none = upcoming_schedules(app.settings)
    by_workflow: dict[str, list[UpcomingSchedule]] = {}
    for s in schedules:
        by_workflow.setdefault(s.workflow, []).append(s)
    last = {name: next(iter(app.ledger.runs(workflow=name, limit=1)), None) for name in workflows}
    return render(
        request,
        "workflows.html",
        workflows=workflows,
        schedules=by_workflow,
        schedules_note=why_none,
        last=last,
    )


@router.post("/workflows/{name}/run")
def run_now(request: Request, name: str, user: User = CAN_RUN) -> RedirectResponse:
    app = web(request)
    try:
        run = app.jobs.start_run(name, actor=user.name)
    except BotError as exc:
        return back("/workflows", error=str(exc))
    return back(f"/runs/{run.id}", msg=f"Run {run.id} of {name} started by {user.name}")
