"""The records the engine and ledger pass around, and the Robot contract.

Records are frozen, keyword-only and carry timezone-aware UTC datetimes. A definition is kept
apart from its execution: a ``Robot`` plus a ``WorkItem`` gives an ``ItemResult``; a workflow
definition gives ``Run`` records.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel

from backoffice.states import AttemptOutcome, FailureKind, ItemState, RunState, TriggerKind

if TYPE_CHECKING:
    from backoffice.config import Secret, Settings
    from backoffice.knowledge import RobotKnowledge


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class Trigger:
    """Who or what started a run: a named user, a schedule id, or an API client."""

    kind: TriggerKind = TriggerKind.MANUAL
    actor: str = "cli"
    schedule_id: str | None = None

    def describe(self) -> str:
        if self.kind is TriggerKind.SCHEDULE:
            return f"schedule {self.schedule_id}"
        return f"{self.kind.value} by {self.actor}"


@dataclass(frozen=True, kw_only=True)
class WorkItem:
    """One unit of work as the ledger holds it.

    ``key`` is the idempotency key: the same key DONE once is never done again.
    ``payload`` accumulates the outputs of the steps done so far.
    """

    id: str
    run_id: str
    workflow: str
    key: str
    source: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    state: ItemState = ItemState.PENDING
    step: int = 0
    attempts: int = 0
    last_error: str | None = None
    failure_kind: FailureKind | None = None
    reasons: tuple[str, ...] = ()
    priority: int = 0
    deadline: datetime | None = None
    not_before: datetime | None = None
    lease_owner: str | None = None
    lease_expires: datetime | None = None
    skipped_from: str | None = None  # the item (in an earlier run) that did this input
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def path(self) -> Path | None:
        """The item's first attached file, where it is now (files move when archived)."""
        return Path(self.files[0]) if self.files else None


@dataclass(frozen=True, kw_only=True)
class Run:
    id: str
    workflow: str
    trigger: Trigger
    state: RunState
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    reason: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)  # derived from the items


@dataclass(frozen=True, kw_only=True)
class ItemResult:
    """What a robot returns for an item it finished.

    ``output`` is merged into the item's payload for the next step. ``units`` is the size of
    the work when the baseline has a per-unit part (rows reconciled, lines typed);
    ``manual_minutes`` overrides the baseline in force for this one item.
    """

    output: Mapping[str, Any] = field(default_factory=dict)
    summary: str = ""
    units: float | None = None
    manual_minutes: float | None = None


@dataclass(frozen=True, kw_only=True)
class Attempt:
    """One try of one step of one item, as the ledger records it."""

    id: int
    item_id: str
    run_id: str
    step: int
    robot: str
    number: int
    started_at: datetime
    finished_at: datetime | None
    outcome: AttemptOutcome | None  # None while the attempt runs
    failure_kind: FailureKind | None
    error_code: str | None
    error: str | None
    duration_ms: float | None
    manual_minutes: float | None
    worker: str | None


@dataclass(frozen=True, kw_only=True)
class ItemContext:
    """What a robot gets besides the item: its step params, settings, secrets, a folder for
    evidence (screenshots, traces) and a logger that never prints secrets in clear."""

    run_id: str
    workflow: str
    step: int
    params: Mapping[str, Any]
    settings: Settings
    secrets: Mapping[str, Secret]
    evidence_dir: Path
    logger: logging.Logger
    attempt: int = 1
    # What this robot has learned from reviewers (None outside the engine, e.g. in tests).
    knowledge: RobotKnowledge | None = None


class FieldType(StrEnum):
    """How a review field is typed: what a reviewer's text is turned into."""

    TEXT = "text"
    DECIMAL = "decimal"  # kept as a canonical decimal string ("7930.66"): no float rounding
    NUMBER = "number"  # a float (a rate, a score)
    INTEGER = "integer"
    DATE = "date"  # an ISO date string
    BOOLEAN = "boolean"


@dataclass(frozen=True, kw_only=True)
class ReviewField:
    name: str
    type: FieldType = FieldType.TEXT
    editable: bool = True  # False: shown to the reviewer, never changed by an approval


# Over the fields as the reviewer has them (corrections applied): the reasons they are still
# wrong, empty when every check passes.
ReviewCheck = Callable[[Mapping[str, Any]], Sequence[str]]
# Over the item's payload: lines of context for the reviewer ("unsure of iban").
ReviewNotes = Callable[[Mapping[str, Any]], Sequence[str]]


@dataclass(frozen=True, kw_only=True)
class Correction:
    """A reviewer's approval as a robot learns from it: the item as the robot left it (its
    files and payload), the fields as approved (corrections applied) and what was changed."""

    item: WorkItem
    fields: Mapping[str, Any]
    changes: Mapping[str, Any]
    reviewer: str


# Learns from an approval (teaching through the robot's knowledge); returns one line per
# thing learned ("layout of vendor FI123: version 2"), for the reviewer to read.
ReviewLearn = Callable[[Correction, "RobotKnowledge"], Sequence[str]]


@dataclass(frozen=True, kw_only=True)
class ReviewSchema:
    """What a reviewer sees and corrects on an item this robot sent to review.

    ``payload_key`` names the payload entry that holds the fields (corrections are written
    there, so the next step reads them); ``None`` means the payload's top level. ``fields``
    lists them in order with their types; empty means every top-level scalar, typed like its
    value. ``check`` re-runs the robot's own validations over a correction; ``learn`` is
    called after an approval whose fields pass ``check``, so the robot does better next time.
    """

    payload_key: str | None = None
    fields: tuple[ReviewField, ...] = ()
    check: ReviewCheck | None = None
    notes: ReviewNotes | None = None
    learn: ReviewLearn | None = None


class Robot(ABC):
    """A robot does one kind of task on one work item at a time.

    The engine makes one instance per worker, calls ``open`` once before the first item and
    ``close`` once after the last, so a robot can keep a browser or a connection open across
    items. ``process`` either returns an ``ItemResult``, or raises ``BusinessError`` (the item
    goes to review, never retried) or ``ApplicationError`` (retried with backoff). Any other
    exception counts as a system error.

    ``find_existing`` is asked before every re-attempt whose earlier outcome is unknown (a
    retry, or a lease recovered from a dead worker): a robot with outside side effects checks
    there whether the work already happened, so a retry never does it twice.
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = "0"
    manual_minutes: ClassVar[float] = 0.0  # what a person needs per item: the ROI baseline
    description: ClassVar[str] = ""
    # What a reviewer's approval means for an item this robot sent to review: True when the
    # corrected data stands in for this step's result (a reader), False when the step must
    # run again with it (a poster that the ERP turned away).
    approval_completes_step: ClassVar[bool] = False
    # How the control room and ``bots review`` show (and re-check) this robot's items in
    # review; None: the payload's top-level values, typed like they are, with no checks.
    review_schema: ClassVar[ReviewSchema | None] = None
    # Whom an item is about (an invoice's vendor): the ROI's straight-through rate and review
    # minutes are also shown per counterparty, under this label.
    counterparty_label: ClassVar[str] = ""
    # The parameters this robot takes (a workflow step's ``params`` and the run parameters
    # it declares): checked before a run starts, unknown keys refused with the step named
    # (``backoffice.params``). None: the robot takes whatever it is given, unchecked.
    params_model: ClassVar[type[BaseModel] | None] = None

    @classmethod
    def counterparty(cls, payload: Mapping[str, Any]) -> str | None:
        """The counterparty named in an item's payload; None when the robot names none."""
        return None

    def open(self, params: Mapping[str, Any], settings: Settings) -> None:  # noqa: B027
        """Prepare per-worker resources (a browser, a session)."""

    def close(self) -> None:  # noqa: B027
        """Release what ``open`` took. Must not raise."""

    def find_existing(self, item: WorkItem, ctx: ItemContext) -> ItemResult | None:
        """Return the result if this item's work was already done outside, else ``None``."""
        return None

    @abstractmethod
    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult: ...
