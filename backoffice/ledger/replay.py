"""Replaying the audit trail into the states it says the ledger is in.

The hash chain proves the events were not touched; this proves the tables were not either.
Every state change the ledger makes is one transaction that also appends its event, so
folding the events in order must give exactly what the ``runs``, ``items``, ``attempts`` and
``reviews`` tables hold: a row changed behind the ledger's back (an item turned from FAILED to
DONE with raw SQL, a review's minutes edited, an attempt's baseline inflated) no longer
matches, and is named with its ids and the event that says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from backoffice.audit import AuditEvent, canonical_json
from backoffice.states import AttemptOutcome, ItemState, ReviewDecision, RunState

# Event kinds that move an item without an attempt (the attempt outcomes carry their state).
ITEM_QUEUED = "item.queued"
ITEM_SKIPPED = "item.skipped"
ITEM_TAKEN_OVER = "item.taken_over"
ITEM_CLAIMED = "item.claimed"
ITEM_LEASE_RECOVERED = "item.lease_recovered"
ITEM_ATTEMPT_STARTED = "item.attempt_started"
ITEM_REQUEUED = "item.requeued"
REVIEW_APPROVED = "review.approved"
REVIEW_REJECTED = "review.rejected"
RUN_CREATED = "run.created"


def run_state_kind(state: RunState) -> str:
    """The event kind recording a run's move to ``state`` (``run.completed``)."""
    return f"run.{state.value.lower()}"


_RUN_STATE_KINDS = {run_state_kind(s): s for s in RunState}


@dataclass(frozen=True, kw_only=True)
class Mismatch:
    """One recorded value the audit trail does not back."""

    table: str  # runs | items | attempts | reviews
    row: str  # the row's ids: "run R", "item I", "item I attempt 2", "item I review 1"
    field: str
    recorded: Any  # what the table holds
    expected: Any  # what the events say
    event_id: int | None  # the event that set the expected value (None: no event at all)

    def describe(self) -> str:
        source = f"event {self.event_id}" if self.event_id else "the audit trail"
        return (f"{self.table}: {self.row}: {self.field} is {_show(self.recorded)} in the "
                f"table, but {source} says {_show(self.expected)}")


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "absent"
    return repr(value) if isinstance(value, str) else str(value)


class _Absent:
    def __repr__(self) -> str:
        return "absent"


_ABSENT: Any = _Absent()


@dataclass
class _Attempt:
    step: int
    number: int
    event_id: int
    outcome: str | None = None
    manual_minutes: float | None = None
    open: bool = True


@dataclass
class _Item:
    run_id: str | None
    key: Any
    states: frozenset[str]  # more than one only for events older than this check
    event_id: int
    attempts: list[_Attempt] = field(default_factory=list)
    reviews: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def lose_open_attempts(self) -> None:
        for attempt in self.attempts:
            if attempt.open:
                attempt.open, attempt.outcome = False, AttemptOutcome.LOST


@dataclass
class Replayed:
    """The ledger's state as the audit trail tells it."""

    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: dict[str, _Item] = field(default_factory=dict)
    events: int = 0

    def apply(self, event: AuditEvent) -> None:
        self.events += 1
        kind, p = event.kind, event.payload
        if event.run_id and (kind == RUN_CREATED or kind in _RUN_STATE_KINDS):
            self._apply_run(event)
            return
        if not event.item_id or not kind.startswith(("item.", "review.")):
            return
        item = self.items.get(event.item_id)
        if kind in (ITEM_QUEUED, ITEM_SKIPPED):
            state = ItemState.SKIPPED if kind == ITEM_SKIPPED else ItemState.PENDING
            self.items[event.item_id] = _Item(run_id=event.run_id, key=p.get("key"),
                                              states=frozenset({state.value}),
                                              event_id=event.id)
            return
        if item is None:
            return  # an item event before its queueing: reported as a missing row below
        if kind == ITEM_ATTEMPT_STARTED:
            item.attempts.append(_Attempt(step=int(p.get("step", 0)),
                                          number=int(p.get("attempt", 0)), event_id=event.id))
            self._move(item, ItemState.RESERVED.value, event)
        elif kind == ITEM_CLAIMED:
            self._move(item, ItemState.RESERVED.value, event)
        elif kind in (ITEM_TAKEN_OVER, ITEM_LEASE_RECOVERED):
            item.lose_open_attempts()
            if kind == ITEM_TAKEN_OVER:
                to = ItemState.SKIPPED.value
            else:  # a claim takes an expired lease over; a dead owner's is put back
                to = str(p.get("state") or (ItemState.PENDING.value if "reason" in p
                                            else ItemState.RESERVED.value))
            self._move(item, to, event)
        elif kind == ITEM_REQUEUED:
            self._move(item, ItemState.PENDING.value, event)
        elif kind in (REVIEW_APPROVED, REVIEW_REJECTED):
            item.reviews.append((event.id, {
                "decision": ReviewDecision.APPROVE if kind == REVIEW_APPROVED
                else ReviewDecision.REJECT,
                "reviewer": event.actor,
                "changes": canonical_json(p.get("changes") or {}),
                "minutes_spent": p.get("minutes_spent"),
            }))
            if kind == REVIEW_REJECTED:
                self._move(item, ItemState.REJECTED.value, event)
            elif p.get("state"):
                self._move(item, str(p["state"]), event)
            else:  # recorded before approvals named their state: either is right
                item.states = frozenset({ItemState.PENDING.value, ItemState.DONE.value})
                item.event_id = event.id
        elif "attempt" in p and "state" in p:  # an attempt's outcome: item.done, .retry, ...
            outcome = kind.removeprefix("item.")
            for attempt in reversed(item.attempts):
                if (attempt.step, attempt.number) == (p.get("step"), p.get("attempt")):
                    attempt.open, attempt.outcome = False, outcome
                    attempt.manual_minutes = p.get("manual_minutes")
                    break
            self._move(item, str(p["state"]), event)

    @staticmethod
    def _move(item: _Item, state: str, event: AuditEvent) -> None:
        item.states, item.event_id = frozenset({state}), event.id

    def _apply_run(self, event: AuditEvent) -> None:
        assert event.run_id is not None
        if event.kind == RUN_CREATED:
            self.runs[event.run_id] = {
                "state": (RunState.PENDING.value, event.id),
                "actor": (event.actor, event.id),
                "workflow": (event.payload.get("workflow"), event.id),
            }
        elif event.run_id in self.runs:
            to = event.payload.get("to") or _RUN_STATE_KINDS[event.kind].value
            self.runs[event.run_id]["state"] = (to, event.id)


def replay(events: Iterable[AuditEvent]) -> Replayed:
    state = Replayed()
    for event in events:
        state.apply(event)
    return state


def compare(
    replayed: Replayed,
    *,
    runs: Iterable[Mapping[str, Any]],
    items: Iterable[Mapping[str, Any]],
    attempts: Iterable[Mapping[str, Any]],
    reviews: Iterable[Mapping[str, Any]],
) -> list[Mismatch]:
    """Every difference between the replayed state and the table rows given (each table's
    rows for the runs in scope, attempts and reviews in id order)."""
    out: list[Mismatch] = []
    seen_runs: set[str] = set()
    for row in runs:
        seen_runs.add(row["id"])
        told = replayed.runs.get(row["id"])
        if told is None:
            out.append(Mismatch(table="runs", row=f"run {row['id']}", field="row",
                                recorded="present", expected=_ABSENT, event_id=None))
            continue
        for name, (value, event_id) in told.items():
            if row[name] != value:
                out.append(Mismatch(table="runs", row=f"run {row['id']}", field=name,
                                    recorded=row[name], expected=value, event_id=event_id))
    for run_id in replayed.runs.keys() - seen_runs:
        event_id = replayed.runs[run_id]["state"][1]
        out.append(Mismatch(table="runs", row=f"run {run_id}", field="row",
                            recorded=_ABSENT, expected="present", event_id=event_id))

    by_item_attempts: dict[str, list[Mapping[str, Any]]] = {}
    for row in attempts:
        by_item_attempts.setdefault(row["item_id"], []).append(row)
    by_item_reviews: dict[str, list[Mapping[str, Any]]] = {}
    for row in reviews:
        by_item_reviews.setdefault(row["item_id"], []).append(row)

    seen_items: set[str] = set()
    for row in items:
        item_id = row["id"]
        seen_items.add(item_id)
        told_item = replayed.items.get(item_id)
        name = f"item {item_id}"
        if told_item is None:
            out.append(Mismatch(table="items", row=name, field="row", recorded="present",
                                expected=_ABSENT, event_id=None))
            continue
        if row["state"] not in told_item.states:
            expected = " or ".join(sorted(told_item.states))
            out.append(Mismatch(table="items", row=name, field="state", recorded=row["state"],
                                expected=expected, event_id=told_item.event_id))
        if row["key"] != told_item.key:
            out.append(Mismatch(table="items", row=name, field="key", recorded=row["key"],
                                expected=told_item.key, event_id=None))
        if row["run_id"] != told_item.run_id:
            out.append(Mismatch(table="items", row=name, field="run_id",
                                recorded=row["run_id"], expected=told_item.run_id,
                                event_id=None))
        out.extend(_compare_attempts(name, told_item, by_item_attempts.pop(item_id, [])))
        out.extend(_compare_reviews(name, told_item, by_item_reviews.pop(item_id, [])))
    for item_id in replayed.items.keys() - seen_items:
        out.append(Mismatch(table="items", row=f"item {item_id}", field="row",
                            recorded=_ABSENT, expected="present",
                            event_id=replayed.items[item_id].event_id))
    for item_id, rows in by_item_attempts.items():
        if item_id not in seen_items:
            out.append(Mismatch(table="attempts", row=f"item {item_id}", field="rows",
                                recorded=len(rows), expected=0, event_id=None))
    for item_id, rows in by_item_reviews.items():
        if item_id not in seen_items:
            out.append(Mismatch(table="reviews", row=f"item {item_id}", field="rows",
                                recorded=len(rows), expected=0, event_id=None))
    return out


def _compare_attempts(
    name: str, told: _Item, rows: list[Mapping[str, Any]]
) -> list[Mismatch]:
    out: list[Mismatch] = []
    for n, (row, attempt) in enumerate(zip(rows, told.attempts, strict=False), start=1):
        where = f"{name} attempt #{n} (id {row['id']})"
        checks = (("step", row["step"], attempt.step), ("number", row["number"], attempt.number),
                  ("outcome", row["outcome"], attempt.outcome))
        for field_name, recorded, expected in checks:
            if recorded != expected:
                out.append(Mismatch(table="attempts", row=where, field=field_name,
                                    recorded=recorded, expected=expected,
                                    event_id=attempt.event_id))
        if not _same_number(row["manual_minutes"], attempt.manual_minutes):
            out.append(Mismatch(table="attempts", row=where, field="manual_minutes",
                                recorded=row["manual_minutes"], expected=attempt.manual_minutes,
                                event_id=attempt.event_id))
    if len(rows) != len(told.attempts):
        out.append(Mismatch(table="attempts", row=name, field="count", recorded=len(rows),
                            expected=len(told.attempts), event_id=None))
    return out


def _compare_reviews(
    name: str, told: _Item, rows: list[Mapping[str, Any]]
) -> list[Mismatch]:
    out: list[Mismatch] = []
    for row, (event_id, expected) in zip(rows, told.reviews, strict=False):
        where = f"{name} review {row['id']}"
        recorded = {
            "decision": row["decision"],
            "reviewer": row["reviewer"],
            "changes": canonical_json(row["changes"] or {}),
            "minutes_spent": row["minutes_spent"],
        }
        for key, value in expected.items():
            same = (_same_number(recorded[key], value) if key == "minutes_spent"
                    else recorded[key] == value)
            if not same:
                out.append(Mismatch(table="reviews", row=where, field=key,
                                    recorded=recorded[key], expected=value, event_id=event_id))
    if len(rows) != len(told.reviews):
        out.append(Mismatch(table="reviews", row=name, field="count", recorded=len(rows),
                            expected=len(told.reviews), event_id=None))
    return out


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
