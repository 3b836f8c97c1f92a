"""The states a run and a work item move through, with their terminal sets written down.

Run:   PENDING -> RUNNING -> COMPLETED | FAILED | CANCELLED | PAUSED
                         \\-> CRASHED (its worker vanished; found out later)
       PAUSED, CANCELLED and CRASHED runs can be resumed (``bots run --resume``).

Item:  PENDING -> RESERVED -> DONE | REVIEW | FAILED
       RESERVED -> PENDING again when a system error is retried or a lease is recovered.
       SKIPPED: the same input was already DONE by an earlier item (idempotency), is held by
       unfinished work elsewhere (its file left in place), or this item was taken over by a
       later run after its own run was abandoned.
       REVIEW -> PENDING (approved, continues at its next step) | REJECTED.
"""

from __future__ import annotations

from enum import StrEnum


class RunState(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"  # the queue was drained, even if some items need review
    FAILED = "FAILED"  # a system error stopped the run as a whole
    CRASHED = "CRASHED"  # the process running it vanished
    CANCELLED = "CANCELLED"  # stopped on request (Ctrl-C, SIGTERM)
    PAUSED = "PAUSED"  # the circuit breaker tripped: too many system errors in a row


RUN_TERMINAL: frozenset[RunState] = frozenset(
    {RunState.COMPLETED, RunState.FAILED, RunState.CRASHED, RunState.CANCELLED, RunState.PAUSED}
)
# Terminal runs that still have work a resume can finish.
RUN_RESUMABLE: frozenset[RunState] = frozenset(
    {RunState.PAUSED, RunState.CANCELLED, RunState.CRASHED, RunState.FAILED, RunState.COMPLETED}
)


class ItemState(StrEnum):
    PENDING = "PENDING"
    RESERVED = "RESERVED"
    DONE = "DONE"
    REVIEW = "REVIEW"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"
    REJECTED = "REJECTED"


# States in which nothing more happens to an item without a person acting.
ITEM_SETTLED: frozenset[ItemState] = frozenset(
    {ItemState.DONE, ItemState.REVIEW, ItemState.FAILED, ItemState.SKIPPED, ItemState.REJECTED}
)
# States that can never change again.
ITEM_TERMINAL: frozenset[ItemState] = frozenset(
    {ItemState.DONE, ItemState.FAILED, ItemState.SKIPPED, ItemState.REJECTED}
)


class FailureKind(StrEnum):
    BUSINESS = "BUSINESS"  # bad or missing data: never retried, a person decides
    SYSTEM = "SYSTEM"  # timeout, ERP down, browser crash: retried with backoff


class AttemptOutcome(StrEnum):
    """How one attempt at one step ended; written by the engine and the ledger, read by
    ROI, replay and reports. The ledger stores the value (``attempts.outcome``)."""

    DONE = "done"  # the last step succeeded: the item is DONE
    ADVANCED = "advanced"  # a step before the last succeeded: on to the next step
    EXISTING = "existing"  # find_existing found the work already done (no second post)
    REVIEW = "review"  # a business error handed the item to a person
    REJECTED = "rejected"  # the input itself was refused (InputRejected): FAILED, no review
    RETRY = "retry"  # a system error; tried again after a backoff
    FAILED = "failed"  # a system error on the last allowed attempt
    LOST = "lost"  # the worker vanished before recording an outcome (lease recovered)


# Outcomes that completed their step: the step earns its manual baseline.
SUCCESS_OUTCOMES: frozenset[AttemptOutcome] = frozenset(
    {AttemptOutcome.DONE, AttemptOutcome.ADVANCED, AttemptOutcome.EXISTING}
)


class ReviewDecision(StrEnum):
    """A person's decision on an item in REVIEW (``reviews.decision``)."""

    APPROVE = "approve"
    REJECT = "reject"


class TriggerKind(StrEnum):
    MANUAL = "manual"
    SCHEDULE = "schedule"
    API = "api"
