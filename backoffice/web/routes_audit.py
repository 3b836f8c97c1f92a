"""The audit trail: events, "Verify chain" and "Export evidence"; and the ROI page.

Verifying and exporting change nothing in the ledger, so auditors may do both; each is still
recorded as an event with its user, like every other action in the control room.
"""

from __future__ import annotations

import importlib
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from backoffice.errors import BotError
from backoffice.web.auth import CAN_READ, web
from backoffice.web.pages import back, render
from backoffice.web.users import User

router = APIRouter()
PAGE_SIZE = 200
SHOWN_MISMATCHES = 5  # in the one-line message; the CLI lists every one


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    run_id: str | None = None,
    kind: str | None = None,
    actor: str | None = None,
    user: User = CAN_READ,
) -> HTMLResponse:
    app = web(request)
    events = app.ledger.events(run_id=run_id or None, kind=kind or None, actor=actor or None,
                               newest_first=True, limit=PAGE_SIZE)
    return render(
        request,
        "audit.html",
        events=events,
        runs=app.ledger.runs(limit=100),
        f_run=run_id or "",
        f_kind=kind or "",
        f_actor=actor or "",
        page_size=PAGE_SIZE,
        can_export=_exporter() is not None,
    )


@router.post("/audit/verify")
def verify(request: Request, user: User = CAN_READ) -> RedirectResponse:
    app = web(request)
    report = app.ledger.verify_chain()
    # The tables are only worth comparing with a trail that is itself intact.
    state = app.ledger.verify_state() if report.ok else None
    mismatches = state.mismatches if state else ()
    app.ledger.record_event(
        "audit.verified",
        actor=user.name,
        payload={"ok": report.ok and not mismatches, "checked": report.checked,
                 "first_bad_id": report.first_bad_id, "problem": report.problem,
                 "state_mismatches": len(mismatches),
                 "rows": sorted({m.row for m in mismatches})[:SHOWN_MISMATCHES]},
    )
    if not report.ok:
        return back("/audit", error=report.describe())
    assert state is not None
    if mismatches:
        shown = "; ".join(m.describe()[:300] for m in mismatches[:SHOWN_MISMATCHES])
        more = len(mismatches) - SHOWN_MISMATCHES
        return back("/audit", error=f"{state.describe()}: {shown}"
                    + (f"; and {more} more (bots audit verify lists all)" if more > 0 else ""))
    return back("/audit", msg=f"{report.describe()}; {state.describe()}")


def _exporter() -> Any:
    try:
        module = importlib.import_module("backoffice.evidence")
    except ImportError:
        return None
    return getattr(module, "export_evidence", None)


@router.post("/audit/export", response_model=None)
async def export(request: Request, user: User = CAN_READ) -> Response:
    app = web(request)
    run_id = str((await request.form()).get("run_id", "")).strip()
    exporter = _exporter()
    if exporter is None:
        return back("/audit", error="evidence export is not available in this installation")
    if not run_id:
        return back("/audit", error="choose a run to export")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    out_dir = app.settings.outputs / "evidence" / f"{run_id}-{stamp}"
    try:
        app.ledger.run(run_id)
        path = Path(exporter(app.ledger, app.settings, run_id, out_dir))
    except BotError as exc:
        return back("/audit", error=str(exc))
    if path.is_dir():
        path = Path(shutil.make_archive(str(path), "zip", root_dir=path))
    app.ledger.record_event("audit.evidence_exported", actor=user.name, run_id=run_id,
                            payload={"path": str(path)})
    return FileResponse(path, filename=path.name)


# ---- ROI -------------------------------------------------------------------------------------
def _roi_api() -> tuple[Any, Any] | None:
    try:
        roi = importlib.import_module("backoffice.roi")
    except ImportError:
        return None
    compute = getattr(roi, "compute_roi", None)
    if compute is None:
        return None
    try:
        render_html = importlib.import_module("backoffice.roi.report").render_roi_html
    except (ImportError, AttributeError):
        render_html = None
    return compute, render_html


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/roi", response_class=HTMLResponse)
def roi_page(
    request: Request,
    start: str | None = None,
    end: str | None = None,
    user: User = CAN_READ,
) -> HTMLResponse:
    app = web(request)
    api = _roi_api()
    if api is None:
        return render(request, "roi.html", available=False, months=None, robots=None)
    compute, _ = api
    kwargs = {"start": _day(start), "end": _day(end)}
    try:
        months = compute(app.ledger, app.settings, by="month", **kwargs).to_dict()
        robots = compute(app.ledger, app.settings, by="robot", **kwargs).to_dict()
        named = importlib.import_module("backoffice.roi").item_counterparties(
            app.ledger, app.registry)
        parties = compute(app.ledger, app.settings, by="counterparty", parties=named.of_item,
                          **kwargs).to_dict()
    except BotError as exc:
        return render(request, "roi.html", available=True, months=None, robots=None,
                      problem=str(exc))
    return render(request, "roi.html", available=True, months=months, robots=robots,
                  parties=parties, party_label=named.label, f_start=start or "",
                  f_end=end or "")


@router.get("/roi/report", response_class=HTMLResponse)
def roi_report(request: Request, user: User = CAN_READ) -> HTMLResponse:
    """The same report as ``bots roi --html``, a self-contained page for printing or mail."""
    app = web(request)
    api = _roi_api()
    if api is None or api[1] is None:
        return HTMLResponse("<p>The ROI report is not available.</p>", status_code=404)
    compute, render_html = api
    return HTMLResponse(render_html(compute(app.ledger, app.settings, by="month")))
