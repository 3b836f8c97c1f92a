"""The plain records the ledger takes and gives: new items, attempt outcomes, and the
conversions from table rows to the core's frozen records."""

from __future__ import annotations

import secrets as _random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from backoffice.models import Attempt, WorkItem, utcnow
from backoffice.states import AttemptOutcome, FailureKind, ItemState


def new_run_id(now: datetime | None = None) -> str:
    stamp = (now or utcnow()).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{_random.token_hex(2)}"


@dataclass(frozen=True, kw_only=True)
class NewItem:
    key: str
    source: str | None = None
    files: tuple[str, ...] = ()
    payload: Mapping[str, Any] = field(default_factory=dict)
    priority: int = 0
    deadline: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """How one attempt ended, as the engine hands it to ``Ledger.finish_attempt``."""

    outcome: AttemptOutcome
    state: ItemState
    step: int
    payload: Mapping[str, Any] | None = None
    failure_kind: FailureKind | None = None
    error_code: str | None = None
    error: str | None = None
    reasons: tuple[str, ...] = ()
    not_before: datetime | None = None
    manual_minutes: float | None = None
    duration_ms: float | None = None


def item_from_row(row: Any) -> WorkItem:
    return WorkItem(
        id=row.id,
        run_id=row.run_id,
        workflow=row.workflow,
        key=row.key,
        source=row.source,
        payload=row.payload or {},
        files=tuple(row.files or ()),
        state=ItemState(row.state),
        step=row.step,
        attempts=row.attempts,
        last_error=row.last_error,
        failure_kind=FailureKind(row.failure_kind) if row.failure_kind else None,
        reasons=tuple(row.reasons or ()),
        priority=row.priority,
        deadline=row.deadline,
        not_before=row.not_before,
        lease_owner=row.lease_owner,
        lease_expires=row.lease_expires,
        skipped_from=row.skipped_from,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def attempt_from_row(row: Any) -> Attempt:
    return Attempt(
        id=row.id,
        item_id=row.item_id,
        run_id=row.run_id,
        step=row.step,
        robot=row.robot,
        number=row.number,
        started_at=row.started_at,
        finished_at=row.finished_at,
        outcome=AttemptOutcome(row.outcome) if row.outcome else None,
        failure_kind=FailureKind(row.failure_kind) if row.failure_kind else None,
        error_code=row.error_code,
        error=row.error,
        duration_ms=row.duration_ms,
        manual_minutes=row.manual_minutes,
        worker=row.worker,
    )

