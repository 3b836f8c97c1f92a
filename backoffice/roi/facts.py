"""The recorded facts ROI is derived from, read from the ledger in one go.

Only what the engine and the review flow wrote down is used: each item's final state and
finish time, each attempt's outcome, runtime and the manual baseline recorded when it
finished, and each review decision with the minutes a person spent. Nothing here is a
counter kept by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select

from backoffice.ledger import Ledger
from backoffice.ledger.schema import attempts, items, reviews
from backoffice.states import AttemptOutcome, ReviewDecision


@dataclass(frozen=True, kw_only=True)
class ItemFact:
    id: str
    run_id: str
    workflow: str
    state: str
    finished_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class AttemptFact:
    id: int
    item_id: str
    run_id: str
    step: int
    robot: str
    outcome: AttemptOutcome | None
    finished_at: datetime | None
    duration_ms: float | None
    manual_minutes: float | None


@dataclass(frozen=True, kw_only=True)
class ReviewFact:
    id: int
    item_id: str
    reviewer: str
    decision: ReviewDecision
    step: int | None  # the step handed over (None: recorded before the ledger kept it)
    minutes_spent: float | None
    decided_at: datetime


@dataclass(frozen=True, kw_only=True)
class LedgerFacts:
    items: Sequence[ItemFact]
    attempts: Sequence[AttemptFact]
    reviews: Sequence[ReviewFact]


def _until(end: date) -> datetime:
    return datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)


def load_facts(
    ledger: Ledger, *, end: date | None = None, run_id: str | None = None
) -> LedgerFacts:
    """Every item, attempt and review up to the end of ``end`` (UTC), or of one run.

    History before any ``--from`` date is loaded too: the cumulative net benefit and the
    payback month are measured from the start of the investment.
    """
    q_items: Select[Any] = select(
        items.c.id, items.c.run_id, items.c.workflow, items.c.state, items.c.finished_at
    ).order_by(items.c.created_at, items.c.seq)
    q_attempts: Select[Any] = select(
        attempts.c.id, attempts.c.item_id, attempts.c.run_id, attempts.c.step,
        attempts.c.robot, attempts.c.outcome, attempts.c.finished_at, attempts.c.duration_ms,
        attempts.c.manual_minutes,
    ).order_by(attempts.c.id)
    q_reviews: Select[Any] = select(
        reviews.c.id, reviews.c.item_id, reviews.c.reviewer, reviews.c.decision, reviews.c.step,
        reviews.c.minutes_spent, reviews.c.decided_at,
    ).order_by(reviews.c.id)
    if run_id is not None:
        q_items = q_items.where(items.c.run_id == run_id)
        q_attempts = q_attempts.where(attempts.c.run_id == run_id)
        q_reviews = q_reviews.where(reviews.c.run_id == run_id)
    if end is not None:
        # Items are all kept (the caller filters them by finish date): an item finished
        # after ``end`` may still have attempts before it, whose workflow must be known.
        q_attempts = q_attempts.where(attempts.c.started_at < _until(end))
    with ledger.reading() as conn:
        item_facts = [ItemFact(**row._mapping) for row in conn.execute(q_items)]
        attempt_facts = [
            AttemptFact(**{**row._mapping,
                           "outcome": AttemptOutcome(row.outcome) if row.outcome else None})
            for row in conn.execute(q_attempts)
        ]
        review_facts = [
            ReviewFact(**{**row._mapping, "decision": ReviewDecision(row.decision)})
            for row in conn.execute(q_reviews)
        ]
    return LedgerFacts(items=item_facts, attempts=attempt_facts, reviews=review_facts)
