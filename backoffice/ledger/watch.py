"""What a watchman asks the ledger about a run worked by remote workers: when a worker last
took or settled one of its items, which items no live worker holds, and taking those back.

The ledger's lease is the truth: an item RESERVED under an expired lease, or PENDING (ready)
while nothing in its run has moved for a whole lease, is held by no live worker. Taking it
back is a compare-and-set in one serialised transaction, so of several watchmen looking at
the same run (the dispatcher, the scheduler, every worker) exactly one re-dispatches it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select, update

from backoffice.ledger.events import append_event
from backoffice.ledger.queue import ItemQueue
from backoffice.ledger.schema import items, runs
from backoffice.states import ItemState, RunState


@dataclass(frozen=True, kw_only=True)
class Stranded:
    """Items of a run taken back from no one: each needs one new task."""

    expired: int = 0  # RESERVED under a lease that ran out: the worker died or hung
    unclaimed: int = 0  # PENDING, dispatched, never claimed (a task lost with its worker)

    @property
    def total(self) -> int:
        return self.expired + self.unclaimed


class RunWatch(ItemQueue):
    def queue_activity(self, run_id: str) -> datetime | None:
        """When a worker last claimed, settled or gave back an item of the run (or the run
        started, if none has yet)."""
        with self.reading() as conn:
            return self._activity(conn, run_id)

    @staticmethod
    def _activity(conn: Connection, run_id: str) -> datetime | None:
        last = conn.execute(
            select(func.max(items.c.updated_at)).where(items.c.run_id == run_id)
        ).scalar()
        started = conn.execute(select(runs.c.started_at).where(runs.c.id == run_id)).scalar()
        found = [_aware(t) for t in (last, started) if t is not None]
        return max(found) if found else None

    def live_leases(self, run_id: str) -> int:
        """Items of the run a worker holds right now under a lease that has not run out."""
        with self.reading() as conn:
            return int(
                conn.execute(
                    select(func.count()).where(
                        items.c.run_id == run_id,
                        items.c.state == ItemState.RESERVED.value,
                        items.c.lease_expires >= self.clock.now(),
                    )
                ).scalar_one()
            )

    def runs_owned_by(self, owner: str) -> list[str]:
        """The RUNNING runs recorded under ``owner`` (e.g. ``celery:<queue>``)."""
        with self.reading() as conn:
            return list(
                conn.execute(
                    select(runs.c.id).where(
                        runs.c.owner == owner, runs.c.state == RunState.RUNNING.value
                    )
                ).scalars()
            )

    def take_stranded(
        self,
        run_id: str,
        *,
        grace_seconds: float,
        actor: str,
        tasks_waiting: Callable[[], int] | None = None,
    ) -> Stranded:
        """Take back the run's items that no live worker holds; the caller sends one task
        for each. An expired lease goes back to PENDING (its open attempt marked lost, so
        the next attempt runs the robot's ``find_existing`` first). Ready PENDING items are
        taken only when nothing in the run moved for ``grace_seconds`` (until then they are
        simply waiting their turn), and only as many as ``tasks_waiting()`` (tasks still in
        the broker's queue, when it can tell) does not cover: those are lost."""
        now = self.clock.now()
        cutoff = now - timedelta(seconds=grace_seconds)
        expired_seen, idle_ready = self._may_be_stranded(run_id, now, cutoff)
        if not (expired_seen or idle_ready):
            return Stranded()  # the common case, answered without a write transaction
        # Asked outside the transaction: no network round-trip under the ledger's write lock.
        waiting = tasks_waiting() if idle_ready and tasks_waiting is not None else 0
        with self.transaction() as conn:
            idle = (self._activity(conn, run_id) or now) < cutoff
            expired = conn.execute(
                select(items.c.id, items.c.lease_owner).where(
                    items.c.run_id == run_id,
                    items.c.state == ItemState.RESERVED.value,
                    items.c.lease_expires < now,
                )
            ).all()
            taken = 0
            for item_id, owner in expired:
                result = conn.execute(
                    update(items)
                    .where(items.c.id == item_id, items.c.state == ItemState.RESERVED.value,
                           items.c.lease_owner == owner, items.c.lease_expires < now)
                    .values(state=ItemState.PENDING.value, lease_owner=None,
                            lease_expires=None, updated_at=now)
                )
                if result.rowcount != 1:
                    continue
                taken += 1
                self._lose_open_attempts(conn, item_id, now)
                append_event(conn, "item.lease_recovered", actor=actor, run_id=run_id,
                             item_id=item_id, ts=now,
                             payload={"previous_owner": owner,
                                      "reason": "its lease expired: the worker is gone",
                                      "state": ItemState.PENDING.value})
            unclaimed = 0
            if idle:
                ready = list(conn.execute(
                    select(items.c.id)
                    .where(items.c.run_id == run_id, self._ready(now),
                           items.c.updated_at < cutoff)
                    .order_by(items.c.priority.desc(), items.c.deadline, items.c.seq)
                ).scalars())
                lost = ready[: max(0, len(ready) - waiting)]
                if lost:
                    result = conn.execute(
                        update(items)
                        .where(items.c.id.in_(lost), items.c.updated_at < cutoff)
                        .values(updated_at=now)  # the mark that debounces the next watchman
                    )
                    unclaimed = int(result.rowcount or 0)
            stranded = Stranded(expired=taken, unclaimed=unclaimed)
            if stranded.total:
                append_event(conn, "run.redispatched", actor=actor, run_id=run_id, ts=now,
                             payload={"expired_leases": taken, "unclaimed": unclaimed,
                                      "idle_seconds": grace_seconds if idle else None})
        return stranded

    def _may_be_stranded(
        self, run_id: str, now: datetime, cutoff: datetime
    ) -> tuple[bool, bool]:
        """(an expired lease exists, the run stood still while items are ready)."""
        with self.reading() as conn:
            expired = conn.execute(
                select(items.c.id).where(
                    items.c.run_id == run_id,
                    items.c.state == ItemState.RESERVED.value,
                    items.c.lease_expires < now,
                ).limit(1)
            ).first()
            activity = self._activity(conn, run_id)
            if activity is None or activity >= cutoff:
                return expired is not None, False
            ready = conn.execute(
                select(items.c.id).where(items.c.run_id == run_id, self._ready(now)).limit(1)
            ).first()
            return expired is not None, ready is not None

    @staticmethod
    def _ready(now: datetime) -> ColumnElement[bool]:
        return and_(
            items.c.state == ItemState.PENDING.value,
            or_(items.c.not_before.is_(None), items.c.not_before <= now),
        )


def _aware(value: datetime | str) -> datetime:
    # An aggregate bypasses the column's type decorator: naive UTC (or text on SQLite).
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
