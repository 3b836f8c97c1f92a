"""The review flow: what a person decides about an item a robot sent to REVIEW.

Approving applies the reviewer's corrections and sends the item on: to the step after the one
that asked for review when that robot's ``approval_completes_step`` (a reader whose output
the reviewer just corrected), else back to the same step (a poster that the ERP turned away).
The run is then resumed so the item carries on through the workflow at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from backoffice.engine import Engine
from backoffice.errors import StateError
from backoffice.ledger import Ledger
from backoffice.models import Run, WorkItem
from backoffice.registry import Registry
from backoffice.states import ItemState


def review_queue(ledger: Ledger, *, workflow: str | None = None) -> list[WorkItem]:
    """Every item waiting for a person, oldest first."""
    return ledger.items(states=[ItemState.REVIEW], workflow=workflow)


def approve(
    ledger: Ledger,
    registry: Registry,
    item_id: str,
    *,
    reviewer: str,
    changes: Mapping[str, Any] | None = None,
    minutes_spent: float | None = None,
    opened_at: datetime | None = None,
    payload_key: str | None = None,
) -> WorkItem:
    """Record the approval; the item is PENDING again at the right step."""
    item = ledger.item(item_id)
    if item.state is not ItemState.REVIEW:
        raise StateError(f"item {item_id} is {item.state.value}, not in REVIEW")
    workflow = registry.workflow(item.workflow)
    robot = registry.robot_class(workflow.steps[item.step].robot)
    next_step = item.step + 1 if robot.approval_completes_step else item.step
    return ledger.decide_review(
        item_id,
        reviewer=reviewer,
        approve=True,
        changes=changes,
        minutes_spent=minutes_spent,
        opened_at=opened_at,
        payload_key=payload_key,
        next_step=next_step,
        finished=next_step >= len(workflow.steps),
    )


def reject(
    ledger: Ledger,
    item_id: str,
    *,
    reviewer: str,
    reason: str,
    minutes_spent: float | None = None,
    opened_at: datetime | None = None,
) -> WorkItem:
    if not reason.strip():
        raise StateError("a rejection needs a reason")
    return ledger.decide_review(
        item_id,
        reviewer=reviewer,
        approve=False,
        reason=reason,
        minutes_spent=minutes_spent,
        opened_at=opened_at,
    )


def continue_after_review(engine: Engine, item: WorkItem, *, actor: str) -> Run | None:
    """Resume the item's run so an approved item goes on through the workflow now."""
    if item.state is not ItemState.PENDING:
        return None
    return engine.resume(item.run_id, actor=actor)
