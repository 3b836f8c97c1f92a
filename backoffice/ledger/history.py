"""What happened, in bulk, for the figures derived from it (ROI): every item's state and
finish, every attempt's outcome, runtime and baseline, every review decision."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from backoffice.ledger.base import LedgerBase
from backoffice.ledger.schema import attempts, items, reviews


@dataclass(frozen=True, kw_only=True)
class History:
    """Rows as mappings of column name to value, in the order they were recorded."""

    items: list[dict[str, Any]]  # id, run_id, workflow, state, finished_at
    # id, item_id, run_id, step, robot, outcome, finished_at, duration_ms, manual_minutes
    attempts: list[dict[str, Any]]
    reviews: list[dict[str, Any]]  # id, item_id, reviewer, decision, step, minutes_spent, ...


class HistoryBook(LedgerBase):
    def history(
        self, *, run_id: str | None = None, attempts_before: datetime | None = None
    ) -> History:
        """Every item, attempt and review (of one run when ``run_id``); attempts started
        before ``attempts_before`` only, when given (items are all kept: an item finished
        later may have earlier attempts whose workflow must be known)."""
        q_items: Select[Any] = select(
            items.c.id, items.c.run_id, items.c.workflow, items.c.state, items.c.finished_at
        ).order_by(items.c.created_at, items.c.seq)
        q_attempts: Select[Any] = select(
            attempts.c.id, attempts.c.item_id, attempts.c.run_id, attempts.c.step,
            attempts.c.robot, attempts.c.outcome, attempts.c.finished_at,
            attempts.c.duration_ms, attempts.c.manual_minutes,
        ).order_by(attempts.c.id)
        q_reviews: Select[Any] = select(
            reviews.c.id, reviews.c.item_id, reviews.c.reviewer, reviews.c.decision,
            reviews.c.step, reviews.c.minutes_spent, reviews.c.decided_at,
        ).order_by(reviews.c.id)
        if run_id is not None:
            q_items = q_items.where(items.c.run_id == run_id)
            q_attempts = q_attempts.where(attempts.c.run_id == run_id)
            q_reviews = q_reviews.where(reviews.c.run_id == run_id)
        if attempts_before is not None:
            q_attempts = q_attempts.where(attempts.c.started_at < attempts_before)
        with self.reading() as conn:
            return History(
                items=[dict(r._mapping) for r in conn.execute(q_items)],
                attempts=[dict(r._mapping) for r in conn.execute(q_attempts)],
                reviews=[dict(r._mapping) for r in conn.execute(q_reviews)],
            )

    def item_payloads(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(item id, workflow, payload) of every item, streamed: for figures that need
        what an item was about (ROI by counterparty)."""
        with self.reading() as conn:
            for row in conn.execute(select(items.c.id, items.c.workflow, items.c.payload)
                                    .order_by(items.c.created_at, items.c.seq)):
                yield row.id, row.workflow, dict(row.payload or {})
