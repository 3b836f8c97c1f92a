"""Runs in the ledger: created, moved through their states, listed with derived counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from backoffice.errors import NotFound
from backoffice.ledger.base import LedgerBase
from backoffice.ledger.events import append_event
from backoffice.ledger.records import new_run_id
from backoffice.ledger.schema import items, runs
from backoffice.models import Run, Trigger
from backoffice.states import ItemState, RunState, TriggerKind


class RunBook(LedgerBase):
    def create_run(
        self,
        workflow: str,
        trigger: Trigger,
        *,
        params: Mapping[str, Any] | None = None,
        settings_hash: str | None = None,
    ) -> Run:
        now = self.clock.now()
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
        now = self.clock.now()
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
        now = self.clock.now()
        open_items = select(func.count()).where(
            items.c.run_id == run_id,
            items.c.state.in_([ItemState.PENDING.value, ItemState.RESERVED.value]),
        )
        with self.reading() as conn:  # most calls: items still open, no write lock taken
            if conn.execute(open_items).scalar_one():
                return None
        with self.transaction() as conn:
            open_count = conn.execute(open_items).scalar_one()
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
            conn.execute(
                update(runs).where(runs.c.id == run_id).values(heartbeat_at=self.clock.now())
            )

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
