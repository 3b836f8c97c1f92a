"""A person's decisions on items in REVIEW, recorded with the reviewer and the time spent."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from backoffice.errors import NotFound, StateError
from backoffice.ledger.events import append_event
from backoffice.ledger.queue import ItemQueue
from backoffice.ledger.schema import items, reviews
from backoffice.models import WorkItem
from backoffice.states import ItemState, ReviewDecision


class ReviewBook(ItemQueue):
    def decide_review(
        self,
        item_id: str,
        *,
        reviewer: str,
        approve: bool,
        changes: Mapping[str, Any] | None = None,
        reason: str | None = None,
        minutes_spent: float | None = None,
        opened_at: datetime | None = None,
        payload_key: str | None = None,
        next_step: int | None = None,
        finished: bool = False,
    ) -> WorkItem:
        """A person's decision on an item in REVIEW.

        Approving applies ``changes`` to the payload (under ``payload_key`` when given) and
        puts the item at ``next_step`` as PENDING (a resumed run carries it on), or DONE when
        ``finished`` (the reviewer's correction was the last step). Rejecting closes it as
        REJECTED. Both are recorded with the reviewer and the minutes spent.
        """
        now = self.clock.now()
        with self.transaction() as conn:
            row = conn.execute(select(items).where(items.c.id == item_id)).first()
            if row is None:
                raise NotFound("item", item_id)
            if row.state != ItemState.REVIEW.value:
                raise StateError(f"item {item_id} is {row.state}, not in REVIEW")
            payload = dict(row.payload or {})
            if changes:
                if payload_key:
                    inner = dict(payload.get(payload_key) or {})
                    inner.update(changes)
                    payload[payload_key] = inner
                else:
                    payload.update(changes)
            values: dict[str, Any] = dict(payload=payload, updated_at=now)
            if approve and finished:
                values.update(state=ItemState.DONE.value, reasons=[], finished_at=now)
            elif approve:
                values.update(
                    state=ItemState.PENDING.value,
                    step=row.step if next_step is None else next_step,
                    attempts=0,
                    reasons=[],
                    not_before=None,
                    finished_at=None,
                )
            else:
                values.update(state=ItemState.REJECTED.value, finished_at=now)
            conn.execute(update(items).where(items.c.id == item_id).values(**values))
            conn.execute(
                insert(reviews).values(
                    item_id=item_id,
                    run_id=row.run_id,
                    reviewer=reviewer,
                    decision=(ReviewDecision.APPROVE if approve else ReviewDecision.REJECT).value,
                    step=row.step,
                    changes=dict(changes or {}),
                    reason=reason,
                    minutes_spent=minutes_spent,
                    opened_at=opened_at,
                    decided_at=now,
                )
            )
            append_event(
                conn,
                "review.approved" if approve else "review.rejected",
                actor=reviewer,
                run_id=row.run_id,
                item_id=item_id,
                payload={
                    "changes": dict(changes or {}),
                    "reason": reason,
                    "minutes_spent": minutes_spent,
                    "reasons_shown": list(row.reasons or []),
                    "state": values["state"],
                },
                ts=now,
            )
        return self.item(item_id)

    def reviews(
        self, *, item_id: str | None = None, run_id: str | None = None
    ) -> list[dict[str, Any]]:
        query = select(reviews).order_by(reviews.c.id)
        if item_id is not None:
            query = query.where(reviews.c.item_id == item_id)
        if run_id is not None:
            query = query.where(reviews.c.run_id == run_id)
        with self.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
