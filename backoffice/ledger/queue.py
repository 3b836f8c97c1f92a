"""The work-item queue: adding items (with idempotency skips), claiming them under a lease,
recording attempts and their outcomes, recovering items whose worker died."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from backoffice.audit import append_event
from backoffice.errors import NotFound
from backoffice.ledger.base import LedgerBase
from backoffice.ledger.records import NewItem, Outcome, attempt_from_row, item_from_row
from backoffice.ledger.schema import attempts, items
from backoffice.models import Attempt, WorkItem, utcnow
from backoffice.states import FailureKind, ItemState

# Earlier items with these states make a new item with the same key a skip: done work is
# never redone, and work already queued or waiting for a person is not queued twice.
_BLOCKING_STATES = (ItemState.DONE, ItemState.REVIEW, ItemState.PENDING, ItemState.RESERVED)


class ItemQueue(LedgerBase):
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
        return item_from_row(row)

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
            return [item_from_row(r) for r in conn.execute(query)]

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
            return item_from_row(fresh)

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
            inserted = conn.execute(
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
            ).inserted_primary_key
            assert inserted is not None
            attempt_id = inserted[0]
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
            row = conn.execute(select(attempts).where(attempts.c.id == attempt_id)).one()
        return attempt_from_row(row)

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
        return item_from_row(row)

    def set_files(self, item_id: str, files: Sequence[str], *, actor: str) -> None:
        """Record where an item's files are now (after archiving them)."""
        with self.transaction() as conn:
            old = conn.execute(
                select(items.c.files, items.c.run_id).where(items.c.id == item_id)
            ).one()
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
            return [attempt_from_row(r) for r in conn.execute(query)]
