"""The run ledger: every run, item, attempt and decision, and the audit event for each.

All writes go through ``Ledger`` methods, each one transaction that changes state *and*
appends the audit event recording it. Summaries (counts, minutes saved) are derived from the
recorded items and attempts, never kept as hand-updated counters.
"""

from __future__ import annotations

import secrets as _random
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, update

from backoffice.audit import append_event
from backoffice.errors import NotFound, StateError
from backoffice.ledger.database import make_engine, migrate
from backoffice.ledger.schema import attempts, items, reviews, runs
from backoffice.models import Attempt, Run, Trigger, WorkItem, utcnow
from backoffice.states import FailureKind, ItemState, RunState, TriggerKind

# Earlier items with these states make a new item with the same key a skip: done work is
# never redone, and work already queued or waiting for a person is not queued twice.
_BLOCKING_STATES = (ItemState.DONE, ItemState.REVIEW, ItemState.PENDING, ItemState.RESERVED)


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

    outcome: str  # done | advance | review | retry | failed | existing
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


def _item(row: Any) -> WorkItem:
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


def _attempt(row: Any) -> Attempt:
    return Attempt(
        id=row.id,
        item_id=row.item_id,
        run_id=row.run_id,
        step=row.step,
        robot=row.robot,
        number=row.number,
        started_at=row.started_at,
        finished_at=row.finished_at,
        outcome=row.outcome,
        failure_kind=FailureKind(row.failure_kind) if row.failure_kind else None,
        error_code=row.error_code,
        error=row.error,
        duration_ms=row.duration_ms,
        manual_minutes=row.manual_minutes,
        worker=row.worker,
    )


class Ledger:
    """The ledger over one database. Thread-safe; open one per process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, migrate_schema: bool = True) -> Ledger:
        engine = make_engine(url)
        if migrate_schema:
            migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    # ---- runs -----------------------------------------------------------------------------
    def create_run(
        self,
        workflow: str,
        trigger: Trigger,
        *,
        params: Mapping[str, Any] | None = None,
        settings_hash: str | None = None,
    ) -> Run:
        now = utcnow()
        run_id = new_run_id(now)
        with self.transaction() as conn:
            conn.execute(
                insert(runs).values(
                    id=run_id,
                    workflow=workflow,
                    trigger_kind=trigger.kind.value,
                    actor=trigger.actor,
                    schedule_id=trigger.schedule_id,
                    state=RunState.PENDING.value,
                    params=dict(params or {}),
                    settings_hash=settings_hash,
                    created_at=now,
                )
            )
            append_event(
                conn,
                "run.created",
                actor=trigger.actor,
                run_id=run_id,
                payload={
                    "workflow": workflow,
                    "trigger": trigger.kind.value,
                    "schedule_id": trigger.schedule_id,
                    "params": dict(params or {}),
                    "settings_hash": settings_hash,
                },
                ts=now,
            )
        return self.run(run_id)

    def set_run_state(
        self,
        run_id: str,
        state: RunState,
        *,
        actor: str,
        reason: str | None = None,
        owner: str | None = None,
    ) -> Run:
        now = utcnow()
        values: dict[str, Any] = {"state": state.value, "reason": reason}
        if state is RunState.RUNNING:
            values.update(started_at=now, finished_at=None, owner=owner, heartbeat_at=now)
        else:
            values["finished_at"] = now
        with self.transaction() as conn:
            old = conn.execute(select(runs.c.state).where(runs.c.id == run_id)).scalar()
            if old is None:
                raise NotFound("run", run_id)
            conn.execute(update(runs).where(runs.c.id == run_id).values(**values))
            append_event(
                conn,
                f"run.{state.value.lower()}",
                actor=actor,
                run_id=run_id,
                payload={"from": old, "to": state.value, "reason": reason, "owner": owner},
                ts=now,
            )
        return self.run(run_id)

    def complete_if_drained(self, run_id: str, *, actor: str) -> Run | None:
        """Mark a RUNNING run COMPLETED once none of its items is PENDING or RESERVED.

        A compare-and-set in one transaction, so when several workers (Celery) drain a run
        together, exactly one of them completes it. Returns the run when this call did.
        """
        now = utcnow()
        with self.transaction() as conn:
            open_count = conn.execute(
                select(func.count()).where(
                    items.c.run_id == run_id,
                    items.c.state.in_([ItemState.PENDING.value, ItemState.RESERVED.value]),
                )
            ).scalar_one()
            if open_count:
                return None
            result = conn.execute(
                update(runs)
                .where(runs.c.id == run_id, runs.c.state == RunState.RUNNING.value)
                .values(state=RunState.COMPLETED.value, reason=None, finished_at=now)
            )
            if result.rowcount != 1:
                return None
            append_event(
                conn,
                "run.completed",
                actor=actor,
                run_id=run_id,
                payload={"from": RunState.RUNNING.value, "to": RunState.COMPLETED.value,
                         "reason": None, "owner": actor},
                ts=now,
            )
        return self.run(run_id)

    def heartbeat_run(self, run_id: str) -> None:
        with self.transaction() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(heartbeat_at=utcnow()))

    def run(self, run_id: str) -> Run:
        with self.reading() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).first()
            if row is None:
                raise NotFound("run", run_id)
            counts = self._counts(conn, [run_id]).get(run_id, {})
        return self._run(row, counts)

    def run_row(self, run_id: str) -> Mapping[str, Any]:
        """The raw row (owner, heartbeat), for crash detection and the CLI."""
        with self.reading() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).first()
        if row is None:
            raise NotFound("run", run_id)
        return dict(row._mapping)

    def runs(
        self,
        *,
        workflow: str | None = None,
        states: Sequence[RunState] | None = None,
        limit: int = 50,
    ) -> list[Run]:
        query = select(runs).order_by(runs.c.created_at.desc(), runs.c.id.desc()).limit(limit)
        if workflow:
            query = query.where(runs.c.workflow == workflow)
        if states:
            query = query.where(runs.c.state.in_([s.value for s in states]))
        with self.reading() as conn:
            rows = conn.execute(query).all()
            counts = self._counts(conn, [r.id for r in rows])
        return [self._run(r, counts.get(r.id, {})) for r in rows]

    @staticmethod
    def _run(row: Any, counts: Mapping[str, int]) -> Run:
        return Run(
            id=row.id,
            workflow=row.workflow,
            trigger=Trigger(
                kind=TriggerKind(row.trigger_kind), actor=row.actor, schedule_id=row.schedule_id
            ),
            state=RunState(row.state),
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            reason=row.reason,
            params=row.params or {},
            counts=dict(counts),
        )

    @staticmethod
    def _counts(conn: Connection, run_ids: Sequence[str]) -> dict[str, dict[str, int]]:
        if not run_ids:
            return {}
        query = (
            select(items.c.run_id, items.c.state, func.count())
            .where(items.c.run_id.in_(list(run_ids)))
            .group_by(items.c.run_id, items.c.state)
        )
        out: dict[str, dict[str, int]] = {}
        for run_id, state, n in conn.execute(query):
            out.setdefault(run_id, {})[state] = n
        for c in out.values():
            c["total"] = sum(c.values())
        return out

    # ---- items ----------------------------------------------------------------------------
    def add_items(
        self, run_id: str, workflow: str, new: Sequence[NewItem], *, actor: str
    ) -> list[WorkItem]:
        """Queue ``new`` in the run. An input already done (or queued, or in review) under
        the same key becomes a SKIPPED item naming the item that did it."""
        now = utcnow()
        with self.transaction() as conn:
            seq = conn.execute(
                select(func.coalesce(func.max(items.c.seq), 0)).where(items.c.run_id == run_id)
            ).scalar_one()
            keys = list({n.key for n in new})
            earlier: dict[str, tuple[str, str, str]] = {}
            for chunk_start in range(0, len(keys), 500):
                chunk = keys[chunk_start : chunk_start + 500]
                rows = conn.execute(
                    select(items.c.key, items.c.id, items.c.run_id, items.c.state)
                    .where(
                        items.c.workflow == workflow,
                        items.c.key.in_(chunk),
                        items.c.state.in_([s.value for s in _BLOCKING_STATES]),
                    )
                    .order_by(items.c.created_at)
                )
                for key, item_id, other_run, state in rows:
                    earlier.setdefault(key, (item_id, other_run, state))
            values = []
            for spec in new:
                seq += 1
                item_id = f"{run_id}.{seq}"
                prior = earlier.get(spec.key)
                state = ItemState.SKIPPED if prior else ItemState.PENDING
                reasons: list[str] = []
                if prior:
                    reasons = [f"already {prior[2]} as item {prior[0]} in run {prior[1]}"]
                else:
                    earlier[spec.key] = (item_id, run_id, ItemState.PENDING.value)
                values.append(
                    dict(
                        id=item_id,
                        run_id=run_id,
                        seq=seq,
                        workflow=workflow,
                        key=spec.key,
                        source=spec.source,
                        payload=dict(spec.payload),
                        files=list(spec.files),
                        state=state.value,
                        step=0,
                        attempts=0,
                        reasons=reasons,
                        priority=spec.priority,
                        deadline=spec.deadline,
                        skipped_from=prior[0] if prior else None,
                        created_at=now,
                        updated_at=now,
                        finished_at=now if prior else None,
                    )
                )
            if values:
                conn.execute(insert(items), values)
            for v in values:
                append_event(
                    conn,
                    "item.skipped" if v["state"] == ItemState.SKIPPED else "item.queued",
                    actor=actor,
                    run_id=run_id,
                    item_id=v["id"],
                    payload={
                        "key": v["key"],
                        "source": v["source"],
                        "skipped_from": v["skipped_from"],
                        "reasons": v["reasons"],
                    },
                    ts=now,
                )
        return self.items(run_id)

    def item(self, item_id: str) -> WorkItem:
        with self.reading() as conn:
            row = conn.execute(select(items).where(items.c.id == item_id)).first()
        if row is None:
            raise NotFound("item", item_id)
        return _item(row)

    def items(
        self,
        run_id: str | None = None,
        *,
        states: Sequence[ItemState] | None = None,
        workflow: str | None = None,
        limit: int | None = None,
    ) -> list[WorkItem]:
        query = select(items).order_by(items.c.created_at, items.c.seq)
        if run_id is not None:
            query = query.where(items.c.run_id == run_id)
        if states:
            query = query.where(items.c.state.in_([s.value for s in states]))
        if workflow:
            query = query.where(items.c.workflow == workflow)
        if limit:
            query = query.limit(limit)
        with self.reading() as conn:
            return [_item(r) for r in conn.execute(query)]

    def claim(self, run_id: str, owner: str, lease_seconds: float) -> WorkItem | None:
        """Reserve the next ready item of the run for ``owner``, or return None.

        Ready means PENDING and past its backoff, or RESERVED under a lease that expired.
        The reservation is a compare-and-set, so two workers never hold the same item.
        """
        while True:
            now = utcnow()
            ready = or_(
                and_(
                    items.c.state == ItemState.PENDING.value,
                    or_(items.c.not_before.is_(None), items.c.not_before <= now),
                ),
                and_(items.c.state == ItemState.RESERVED.value, items.c.lease_expires < now),
            )
            with self.transaction() as conn:
                row = conn.execute(
                    select(items.c.id, items.c.state, items.c.lease_owner)
                    .where(items.c.run_id == run_id, ready)
                    .order_by(items.c.priority.desc(), items.c.deadline, items.c.seq)
                    .limit(1)
                ).first()
                if row is None:
                    return None
                expires = now + timedelta(seconds=lease_seconds)
                result = conn.execute(
                    update(items)
                    .where(items.c.id == row.id, ready)
                    .values(
                        state=ItemState.RESERVED.value,
                        lease_owner=owner,
                        lease_expires=expires,
                        updated_at=now,
                    )
                )
                if result.rowcount != 1:
                    continue  # another worker took it first; look again
                if row.state == ItemState.RESERVED.value:
                    self._lose_open_attempts(conn, row.id, now)
                    append_event(
                        conn,
                        "item.lease_recovered",
                        actor=owner,
                        run_id=run_id,
                        item_id=row.id,
                        payload={"previous_owner": row.lease_owner},
                        ts=now,
                    )
                fresh = conn.execute(select(items).where(items.c.id == row.id)).one()
            return _item(fresh)

    def renew_leases(self, owner: str, lease_seconds: float) -> int:
        now = utcnow()
        with self.transaction() as conn:
            result = conn.execute(
                update(items)
                .where(items.c.lease_owner == owner, items.c.state == ItemState.RESERVED.value)
                .values(lease_expires=now + timedelta(seconds=lease_seconds))
            )
        return int(result.rowcount or 0)

    def recover_leases(self, run_id: str, is_dead: Callable[[str], bool], *, actor: str) -> int:
        """Put back to PENDING the run's reserved items whose owner ``is_dead``: a worker
        that was killed mid-item leaves its lease behind."""
        now = utcnow()
        recovered = 0
        with self.transaction() as conn:
            rows = conn.execute(
                select(items.c.id, items.c.lease_owner).where(
                    items.c.run_id == run_id, items.c.state == ItemState.RESERVED.value
                )
            ).all()
            for item_id, owner in rows:
                if owner and not is_dead(owner):
                    continue
                conn.execute(
                    update(items)
                    .where(items.c.id == item_id)
                    .values(
                        state=ItemState.PENDING.value,
                        lease_owner=None,
                        lease_expires=None,
                        updated_at=now,
                    )
                )
                self._lose_open_attempts(conn, item_id, now)
                append_event(
                    conn,
                    "item.lease_recovered",
                    actor=actor,
                    run_id=run_id,
                    item_id=item_id,
                    payload={"previous_owner": owner, "reason": "owner process is gone"},
                    ts=now,
                )
                recovered += 1
        return recovered

    @staticmethod
    def _lose_open_attempts(conn: Connection, item_id: str, now: datetime) -> None:
        conn.execute(
            update(attempts)
            .where(attempts.c.item_id == item_id, attempts.c.finished_at.is_(None))
            .values(
                finished_at=now,
                outcome="lost",
                failure_kind=FailureKind.SYSTEM.value,
                error_code="worker_lost",
                error="the worker holding this item stopped before recording an outcome",
            )
        )

    def start_attempt(
        self, item: WorkItem, *, robot: str, robot_version: str, worker: str
    ) -> Attempt:
        now = utcnow()
        number = item.attempts + 1
        with self.transaction() as conn:
            attempt_id = conn.execute(
                insert(attempts).values(
                    item_id=item.id,
                    run_id=item.run_id,
                    step=item.step,
                    robot=robot,
                    robot_version=robot_version,
                    number=number,
                    started_at=now,
                    worker=worker,
                )
            ).inserted_primary_key[0]
            conn.execute(
                update(items).where(items.c.id == item.id).values(attempts=number, updated_at=now)
            )
            append_event(
                conn,
                "item.attempt_started",
                actor=worker,
                run_id=item.run_id,
                item_id=item.id,
                payload={"step": item.step, "robot": robot, "version": robot_version,
                         "attempt": number},
                ts=now,
            )
        return Attempt(
            id=int(attempt_id),
            item_id=item.id,
            run_id=item.run_id,
            step=item.step,
            robot=robot,
            number=number,
            started_at=now,
            finished_at=None,
            outcome=None,
            failure_kind=None,
            error_code=None,
            error=None,
            duration_ms=None,
            manual_minutes=None,
            worker=worker,
        )

    def finish_attempt(self, item: WorkItem, attempt: Attempt, result: Outcome) -> WorkItem:
        """Record how an attempt ended and move the item on, in one transaction."""
        now = utcnow()
        payload = dict(item.payload)
        if result.payload:
            payload.update(result.payload)
        settled = result.state in (ItemState.DONE, ItemState.REVIEW, ItemState.FAILED)
        values: dict[str, Any] = dict(
            state=result.state.value,
            step=result.step,
            payload=payload,
            updated_at=now,
            not_before=result.not_before,
            reasons=list(result.reasons),
            last_error=result.error,
            error_code=result.error_code,
            failure_kind=result.failure_kind.value if result.failure_kind else None,
        )
        if result.state is not ItemState.RESERVED:
            values.update(lease_owner=None, lease_expires=None)
        if result.step != item.step:
            values["attempts"] = 0
        if settled:
            values["finished_at"] = now
        with self.transaction() as conn:
            conn.execute(
                update(attempts)
                .where(attempts.c.id == attempt.id)
                .values(
                    finished_at=now,
                    outcome=result.outcome,
                    failure_kind=values["failure_kind"],
                    error_code=result.error_code,
                    error=result.error,
                    duration_ms=result.duration_ms,
                    manual_minutes=result.manual_minutes,
                )
            )
            conn.execute(update(items).where(items.c.id == item.id).values(**values))
            append_event(
                conn,
                f"item.{result.outcome}",
                actor=attempt.worker or "engine",
                run_id=item.run_id,
                item_id=item.id,
                payload={
                    "step": attempt.step,
                    "robot": attempt.robot,
                    "attempt": attempt.number,
                    "state": result.state.value,
                    "failure_kind": values["failure_kind"],
                    "error_code": result.error_code,
                    "error": result.error,
                    "reasons": list(result.reasons),
                    "retry_at": result.not_before.isoformat() if result.not_before else None,
                    "manual_minutes": result.manual_minutes,
                    "duration_ms": result.duration_ms,
                },
                ts=now,
            )
            row = conn.execute(select(items).where(items.c.id == item.id)).one()
        return _item(row)

    def set_files(self, item_id: str, files: Sequence[str], *, actor: str) -> None:
        """Record where an item's files are now (after archiving them)."""
        with self.transaction() as conn:
            old = conn.execute(select(items.c.files, items.c.run_id).where(items.c.id == item_id)).one()
            conn.execute(update(items).where(items.c.id == item_id).values(files=list(files)))
            append_event(
                conn,
                "item.files_moved",
                actor=actor,
                run_id=old.run_id,
                item_id=item_id,
                payload={"from": list(old.files or []), "to": list(files)},
            )

    def requeue(
        self, run_id: str, *, states: Sequence[ItemState], actor: str, reason: str
    ) -> list[str]:
        """Put the run's items in ``states`` back in the queue (``bots retry``)."""
        now = utcnow()
        with self.transaction() as conn:
            ids = list(
                conn.execute(
                    select(items.c.id).where(
                        items.c.run_id == run_id, items.c.state.in_([s.value for s in states])
                    )
                ).scalars()
            )
            if ids:
                conn.execute(
                    update(items)
                    .where(items.c.id.in_(ids))
                    .values(
                        state=ItemState.PENDING.value,
                        attempts=0,
                        not_before=None,
                        finished_at=None,
                        updated_at=now,
                    )
                )
            for item_id in ids:
                append_event(
                    conn,
                    "item.requeued",
                    actor=actor,
                    run_id=run_id,
                    item_id=item_id,
                    payload={"reason": reason},
                    ts=now,
                )
        return ids

    def pending_summary(self, run_id: str) -> tuple[int, datetime | None]:
        """(items not yet settled, the earliest time a waiting retry becomes ready)."""
        with self.reading() as conn:
            open_count = conn.execute(
                select(func.count()).where(
                    items.c.run_id == run_id,
                    items.c.state.in_([ItemState.PENDING.value, ItemState.RESERVED.value]),
                )
            ).scalar_one()
            earliest = conn.execute(
                select(func.min(items.c.not_before)).where(
                    items.c.run_id == run_id, items.c.state == ItemState.PENDING.value
                )
            ).scalar()
        if isinstance(earliest, datetime) and earliest.tzinfo is None:
            earliest = earliest.replace(tzinfo=UTC)  # aggregate bypasses the type decorator
        elif isinstance(earliest, str):
            earliest = datetime.fromisoformat(earliest).replace(tzinfo=UTC)
        return int(open_count), earliest

    def attempts(self, *, item_id: str | None = None, run_id: str | None = None) -> list[Attempt]:
        query = select(attempts).order_by(attempts.c.id)
        if item_id is not None:
            query = query.where(attempts.c.item_id == item_id)
        if run_id is not None:
            query = query.where(attempts.c.run_id == run_id)
        with self.reading() as conn:
            return [_attempt(r) for r in conn.execute(query)]

    # ---- review ---------------------------------------------------------------------------
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
        now = utcnow()
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
                    decision="approve" if approve else "reject",
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
                },
                ts=now,
            )
        return self.item(item_id)

    def reviews(self, *, item_id: str | None = None, run_id: str | None = None) -> list[dict[str, Any]]:
        query = select(reviews).order_by(reviews.c.id)
        if item_id is not None:
            query = query.where(reviews.c.item_id == item_id)
        if run_id is not None:
            query = query.where(reviews.c.run_id == run_id)
        with self.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    # ---- audit ----------------------------------------------------------------------------
    def record_event(
        self,
        kind: str,
        *,
        actor: str,
        run_id: str | None = None,
        item_id: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> int:
        """An audit event with no state change of its own (a user action, a config change)."""
        with self.transaction() as conn:
            return append_event(
                conn, kind, actor=actor, run_id=run_id, item_id=item_id, payload=payload
            )
