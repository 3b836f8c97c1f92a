"""Plain summaries of ledger records for the CLI's ``--json`` and the control room.

Minutes saved are derived from the recorded attempts and reviews (each attempt carries the
baseline in force when it finished), never from a separate counter; ``backoffice.roi`` holds
the rules, so ``bots runs``/``show`` and ``bots roi`` always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from backoffice.config import Settings
from backoffice.ledger import Ledger
from backoffice.models import Attempt, Run, WorkItem
from backoffice.roi import run_minutes_saved


def minutes_saved(ledger: Ledger, run_id: str, settings: Settings | None = None) -> float:
    """Net minutes of manual work the run's DONE items saved, by the rules of
    ``backoffice.roi``: the baselines recorded with their steps, minus the minutes a person
    spent reviewing them (measured, else the review estimate of ``settings``, else the
    default estimate)."""
    return run_minutes_saved(ledger, run_id, settings)


def run_dict(run: Run, saved: float | None = None) -> dict[str, Any]:
    return {
        "id": run.id,
        "workflow": run.workflow,
        "state": run.state.value,
        "trigger": {"kind": run.trigger.kind.value, "actor": run.trigger.actor,
                    "schedule_id": run.trigger.schedule_id},
        "created_at": run.created_at.isoformat(),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "reason": run.reason,
        "counts": dict(run.counts),
        "minutes_saved": round(saved, 2) if saved is not None else None,
    }


def item_dict(item: WorkItem, tries: Sequence[Attempt] = ()) -> dict[str, Any]:
    return {
        "id": item.id,
        "state": item.state.value,
        "step": item.step,
        "key": item.key,
        "source": item.source,
        "files": list(item.files),
        "reasons": list(item.reasons),
        "last_error": item.last_error,
        "failure_kind": item.failure_kind.value if item.failure_kind else None,
        "skipped_from": item.skipped_from,
        "payload": dict(item.payload),
        "attempts": [
            {"step": a.step, "robot": a.robot, "number": a.number, "outcome": a.outcome,
             "error_code": a.error_code, "error": a.error, "duration_ms": a.duration_ms,
             "manual_minutes": a.manual_minutes,
             "started_at": a.started_at.isoformat(),
             "finished_at": a.finished_at.isoformat() if a.finished_at else None}
            for a in tries
        ],
    }
