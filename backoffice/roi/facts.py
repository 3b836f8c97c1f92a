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

from backoffice.ledger import Ledger
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
    found = ledger.history(run_id=run_id,
                           attempts_before=_until(end) if end is not None else None)
    item_facts = [ItemFact(**row) for row in found.items]
    attempt_facts = [
        AttemptFact(**{**row, "outcome": AttemptOutcome(row["outcome"]) if row["outcome"]
                       else None})
        for row in found.attempts
    ]
    review_facts = [ReviewFact(**{**row, "decision": ReviewDecision(row["decision"])})
                    for row in found.reviews]
    return LedgerFacts(items=item_facts, attempts=attempt_facts, reviews=review_facts)
