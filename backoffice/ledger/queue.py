"""The work-item queue: adding items (with idempotency skips), claiming them under a lease,
recording attempts and their outcomes, recovering items whose worker died."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from backoffice.errors import LeaseLost, NotFound
from backoffice.ledger.base import LedgerBase
from backoffice.ledger.events import append_event
from backoffice.ledger.records import NewItem, Outcome, attempt_from_row, item_from_row
from backoffice.ledger.schema import attempts, items, runs
from backoffice.models import Attempt, WorkItem
from backoffice.states import AttemptOutcome, FailureKind, ItemState, RunState

# Only a DONE item makes a later run skip its input for good. An item still waiting (PENDING,
# RESERVED) or with a person (REVIEW) *holds* its input: a new run leaves the file where it is
# (SKIPPED, not archived), unless the run holding it is abandoned, in which case the new run
# takes the item over so nothing waits for a person to notice.
_HOLDING_STATES = (ItemState.REVIEW, ItemState.PENDING, ItemState.RESERVED)
_LIVE_RUN_STATES = (RunState.PENDING.value, RunState.RUNNING.value)


@dataclass(frozen=True)
class _Prior:
    item_id: str
    run_id: str
    state: str
    step: int = 0
    attempts: int = 0
    payload: dict[str, Any] | None = None
    lease_owner: str | None = None


class ItemQueue(LedgerBase):
    def add_items(
        self,
        run_id: str,
        workflow: str,
        new: Sequence[NewItem],
        *,
        actor: str,
        owner_is_dead: Callable[[str], bool] | None = None,
        stale_after: timedelta = timedelta(minutes=5),
    ) -> list[WorkItem]:
        """Queue ``new`` in the run, deciding each input against earlier items of the
        workflow with the same key:

        - done by an earlier item: SKIPPED, naming it (its file is archived as a duplicate);
        - held by an item in review, or by a live unfinished run: SKIPPED, naming it, and its
          file is left in place (it is not done);
        - held by an abandoned run (stopped, crashed, or silent for ``stale_after``, or whose
          owner ``owner_is_dead``): the new run takes the item over; the old item becomes
          SKIPPED naming the new one, so resuming the old run cannot do it twice.
        """
        now = self.clock.now()
        with self.transaction() as conn:
            seq = conn.execute(
                select(func.coalesce(func.max(items.c.seq), 0)).where(items.c.run_id == run_id)
            ).scalar_one()
            keys = list({n.key for n in new})
            done: dict[str, _Prior] = {}
            held: dict[str, _Prior] = {}
            abandoned: dict[str, list[_Prior]] = {}
            for chunk_start in range(0, len(keys), 500):
                chunk = keys[chunk_start : chunk_start + 500]
                rows = conn.execute(
                    select(
                        items.c.key, items.c.id, items.c.run_id, items.c.state,
                        items.c.step, items.c.attempts, items.c.payload,
                        items.c.lease_expires, items.c.lease_owner,
                        runs.c.state.label("run_state"), runs.c.owner,
                        runs.c.heartbeat_at, runs.c.created_at.label("run_created"),
                    )
                    .join(runs, runs.c.id == items.c.run_id)
                    .where(
                        items.c.workflow == workflow,
                        items.c.key.in_(chunk),
                        items.c.state.in_(
                            [ItemState.DONE.value] + [s.value for s in _HOLDING_STATES]
                        ),
                    )
                    .order_by(items.c.created_at)
                )
                for row in rows:
                    found = _Prior(row.id, row.run_id, row.state, row.step or 0,
                                   row.attempts or 0, row.payload, row.lease_owner)
                    if row.state == ItemState.DONE.value:
                        done.setdefault(row.key, found)
                    elif row.state == ItemState.REVIEW.value or self._run_is_live(
                        row, now, owner_is_dead, stale_after
                    ):
                        held.setdefault(row.key, found)
                    else:
                        abandoned.setdefault(row.key, []).append(found)
            values = []
            takeovers: list[tuple[str, _Prior]] = []
            for spec in new:
                seq += 1
                item_id = f"{run_id}.{seq}"
                prior = done.get(spec.key) or held.get(spec.key)
                # Taking over carries the old item's progress on: its step, what earlier
                # steps produced, and its attempts, so an attempt that may have acted (an
                # ERP post cut off by the crash) is checked with find_existing, not redone.
                carried: _Prior | None = None
                if prior is None:
                    for old in abandoned.pop(spec.key, []):
                        if self._take_over(conn, old, item_id, run_id, actor, now):
                            takeovers.append((item_id, old))
                            if carried is None or (old.step, old.attempts) > (
                                carried.step, carried.attempts
                            ):
                                carried = old
                        else:  # someone else settled or took it in the meantime
                            prior = prior or old
                state = ItemState.SKIPPED if prior else ItemState.PENDING
                reasons: list[str] = []
                if prior and prior.state == ItemState.DONE.value:
                    reasons = [f"already DONE as item {prior.item_id} in run {prior.run_id}"]
                elif prior and prior.run_id == run_id:
                    reasons = [f"a copy of the input of item {prior.item_id} in this run"]
                elif prior:
                    reasons = [
                        f"held by item {prior.item_id} in run {prior.run_id} "
                        f"({prior.state}, not finished): its file is left in place"
                    ]
                else:
                    held[spec.key] = _Prior(item_id, run_id, ItemState.PENDING.value)
                values.append(
                    dict(
                        id=item_id,
                        run_id=run_id,
                        seq=seq,
                        workflow=workflow,
                        key=spec.key,
                        source=spec.source,
                        payload={**dict(spec.payload), **dict(carried.payload or {})}
                        if carried and not prior else dict(spec.payload),
                        files=list(spec.files),
                        state=state.value,
                        step=carried.step if carried and not prior else 0,
                        attempts=carried.attempts if carried and not prior else 0,
                        reasons=reasons,
                        priority=spec.priority,
                        deadline=spec.deadline,
                        skipped_from=prior.item_id if prior else None,
                        created_at=now,
                        updated_at=now,
                        finished_at=now if prior else None,
                    )
                )
            if values:
                conn.execute(insert(items), values)
            taken: dict[str, list[str]] = {}
            for new_id, old in takeovers:
                taken.setdefault(new_id, []).append(old.item_id)
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
                        "took_over": taken.get(v["id"], []),
                    },
                    ts=now,
                )
        return self.items(run_id)

    @staticmethod
    def _run_is_live(
        row: Any,
        now: datetime,
        owner_is_dead: Callable[[str], bool] | None,
        stale_after: timedelta,
    ) -> bool:
        """Whether the run holding an unfinished item may still finish it by itself."""
        if row.state == ItemState.RESERVED.value and row.lease_expires is not None:
            lease = row.lease_expires
            if lease.tzinfo is None:
                lease = lease.replace(tzinfo=UTC)
            holder_dead = bool(row.lease_owner) and owner_is_dead is not None and owner_is_dead(
                row.lease_owner
            )
            if lease > now and not holder_dead:
                return True  # a worker holds it under a valid lease: never take it away
        if row.run_state not in _LIVE_RUN_STATES:
            return False  # CRASHED, CANCELLED, FAILED, PAUSED: waiting for a person
        if row.owner and owner_is_dead is not None and owner_is_dead(row.owner):
            return False
        last = row.heartbeat_at or row.run_created
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        return last is None or now - last < stale_after

    @staticmethod
    def _take_over(
        conn: Connection, old: _Prior, new_id: str, new_run: str, actor: str, now: datetime
    ) -> bool:
        """Settle an abandoned item as SKIPPED in favour of ``new_id``: a compare-and-set on
        the state and lease holder seen, so a worker that claimed it meanwhile keeps it."""
        claimable = and_(
            items.c.state == old.state,
            items.c.lease_owner.is_(None)
            if old.lease_owner is None
            else items.c.lease_owner == old.lease_owner,
        )
        reason = f"taken over by item {new_id} in run {new_run}: this run had stopped"
        result = conn.execute(
            update(items)
            .where(items.c.id == old.item_id, claimable)
            .values(
                state=ItemState.SKIPPED.value,
                skipped_from=new_id,
                reasons=[reason],
                lease_owner=None,
                lease_expires=None,
                updated_at=now,
                finished_at=now,
            )
        )
        if result.rowcount != 1:
            return False
        ItemQueue._lose_open_attempts(conn, old.item_id, now)
        append_event(
            conn,
            "item.taken_over",
            actor=actor,
            run_id=old.run_id,
            item_id=old.item_id,
            payload={"by_item": new_id, "by_run": new_run, "was": old.state,
                     "reasons": [reason]},
            ts=now,
        )
        return True

    def skipped_duplicates_of_done(self, run_id: str) -> list[WorkItem]:
        """The run's SKIPPED items whose input was DONE by the item they name."""
        doer = items.alias("doer")
        query = (
            select(items)
            .join(doer, doer.c.id == items.c.skipped_from)
            .where(
                items.c.run_id == run_id,
                items.c.state == ItemState.SKIPPED.value,
                doer.c.state == ItemState.DONE.value,
            )
            .order_by(items.c.seq)
        )
        with self.reading() as conn:
            return [item_from_row(r) for r in conn.execute(query)]

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
            now = self.clock.now()
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
                        payload={"previous_owner": row.lease_owner,
                                 "state": ItemState.RESERVED.value},
                        ts=now,
                    )
                else:
                    # Recorded even though an attempt usually follows at once: a worker
                    # killed in between leaves the item RESERVED, and the trail must say so.
                    append_event(
                        conn,
                        "item.claimed",
                        actor=owner,
                        run_id=run_id,
                        item_id=row.id,
                        payload={"lease_seconds": lease_seconds},
                        ts=now,
                    )
                fresh = conn.execute(select(items).where(items.c.id == row.id)).one()
            return item_from_row(fresh)

    def renew_leases(self, owner: str, lease_seconds: float) -> int:
        now = self.clock.now()
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
        now = self.clock.now()
        recovered = 0
        held = select(items.c.id, items.c.lease_owner).where(
            items.c.run_id == run_id, items.c.state == ItemState.RESERVED.value
        )
        with self.reading() as conn:  # most calls find every holder alive: no write lock
            if all(owner and not is_dead(owner) for _, owner in conn.execute(held)):
                return 0
        with self.transaction() as conn:
            rows = conn.execute(held).all()
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
                    payload={"previous_owner": owner, "reason": "owner process is gone",
                             "state": ItemState.PENDING.value},
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
                outcome=AttemptOutcome.LOST.value,
                failure_kind=FailureKind.SYSTEM.value,
                error_code="worker_lost",
                error="the worker holding this item stopped before recording an outcome",
            )
        )

    def start_attempt(
        self, item: WorkItem, *, robot: str, robot_version: str, worker: str
    ) -> Attempt:
        now = self.clock.now()
        number = item.attempts + 1
        with self.transaction() as conn:
            held = conn.execute(
                update(items)
                .where(self._still_held(item))
                .values(attempts=number, updated_at=now)
            )
            if held.rowcount != 1:
                raise LeaseLost(item.id, item.lease_owner)  # rolls back: nothing recorded
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
        now = self.clock.now()
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
            # Fencing: only the holder of the lease records the outcome. A worker that was
            # silent past its lease (a long pause, a network split) and whose item another
            # worker took over finds the lease gone; its outcome is noted, never applied.
            held = conn.execute(update(items).where(self._still_held(item)).values(**values))
            if held.rowcount != 1:
                append_event(
                    conn,
                    "item.outcome_fenced",
                    actor=attempt.worker or "engine",
                    run_id=item.run_id,
                    item_id=item.id,
                    # Not "attempt"/"state": replaying the trail must not apply this outcome.
                    payload={"fenced_attempt": attempt.number,
                             "lease_owner": item.lease_owner,
                             "outcome": result.outcome.value,
                             "discarded_state": result.state.value},
                    ts=now,
                )
                row = None
            else:
                conn.execute(
                    update(attempts)
                    .where(attempts.c.id == attempt.id)
                    .values(
                        finished_at=now,
                        outcome=result.outcome.value,
                        failure_kind=values["failure_kind"],
                        error_code=result.error_code,
                        error=result.error,
                        duration_ms=result.duration_ms,
                        manual_minutes=result.manual_minutes,
                    )
                )
                append_event(
                    conn,
                    f"item.{result.outcome.value}",
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
        if row is None:
            raise LeaseLost(item.id, item.lease_owner)
        return item_from_row(row)

    @staticmethod
    def _still_held(item: WorkItem) -> Any:
        """The item is still RESERVED under the lease this worker claimed it with."""
        return and_(
            items.c.id == item.id,
            items.c.state == ItemState.RESERVED.value,
            items.c.lease_owner == item.lease_owner,
        )

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
        now = self.clock.now()
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
