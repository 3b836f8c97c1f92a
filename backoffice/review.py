"""The review flow: what a person decides about an item a robot sent to REVIEW.

Approving applies the reviewer's corrections and sends the item on: to the step after the one
that asked for review when that robot's ``approval_completes_step`` (a reader whose output
the reviewer just corrected), else back to the same step (a poster that the ERP turned away).
The run is then resumed so the item carries on through the workflow at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from backoffice.engine import Engine
from backoffice.errors import StateError
from backoffice.knowledge import RobotKnowledge
from backoffice.ledger import Ledger
from backoffice.models import Correction, ReviewSchema, Run, WorkItem
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
    on_learned: Callable[[str], None] | None = None,
) -> WorkItem:
    """Record the approval; the item is PENDING again at the right step.

    The robot then learns from the approved fields when its review schema says how (a
    reader learns the vendor's layout); ``on_learned`` gets one line per lesson. Learning
    never undoes an approval: when it fails, the reason is an audit event."""
    item = ledger.item(item_id)
    if item.state is not ItemState.REVIEW:
        raise StateError(f"item {item_id} is {item.state.value}, not in REVIEW")
    workflow = registry.workflow(item.workflow)
    robot = registry.robot_class(workflow.steps[item.step].robot)
    next_step = item.step + 1 if robot.approval_completes_step else item.step
    after = ledger.decide_review(
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
    schema = robot.review_schema
    if schema is not None and schema.learn is not None:
        for lesson in learn_from_approval(ledger, robot.name, schema, before=item, after=after,
                                          changes=changes or {}, reviewer=reviewer):
            if on_learned is not None:
                on_learned(lesson)
    return after


def learn_from_approval(
    ledger: Ledger,
    robot: str,
    schema: ReviewSchema,
    *,
    before: WorkItem,
    after: WorkItem,
    changes: Mapping[str, Any],
    reviewer: str,
) -> list[str]:
    """Let the robot learn from approved fields that pass its own checks."""
    assert schema.learn is not None
    payload = dict(after.payload)
    inner = payload.get(schema.payload_key) if schema.payload_key else payload
    fields = dict(inner) if isinstance(inner, Mapping) else {}
    problems = list(schema.check(fields)) if schema.check is not None else []
    if problems:
        ledger.record_event("knowledge.not_learned", actor=reviewer, run_id=after.run_id,
                            item_id=after.id, payload={"robot": robot, "reasons": problems})
        return [f"nothing learned: the approved fields still fail checks ({problems[0]})"]
    correction = Correction(item=before, fields=fields, changes=dict(changes), reviewer=reviewer)
    try:
        return list(schema.learn(correction, RobotKnowledge(ledger, robot)))
    except Exception as exc:  # noqa: BLE001 - a lesson that fails must not undo the approval
        reason = f"{type(exc).__name__}: {str(exc)[:200]}"
        ledger.record_event("knowledge.not_learned", actor=reviewer, run_id=after.run_id,
                            item_id=after.id, payload={"robot": robot, "reasons": [reason]})
        return [f"nothing learned: {reason}"]


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
